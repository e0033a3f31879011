#!/bin/bash
# tests/example.sh - the example of a caller's own loop runs and both of its
# operations complete, side by side, on one engine.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
EXAMPLE=$top_builddir/examples/sonar-example-loop
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
O=$TMP/out

"$EXAMPLE" 127.0.0.1 ::1 </dev/null >"$O" 2>&1
check "example exits 0" [ $? = 0 ]
check "ping op 1: 5 of 5" grep -q '^done op=1 127.0.0.1 sent=5 received=5' "$O"
check "multiping op 2: 3 of 3 for both targets" \
  sh -c "grep -q '^done op=2 127.0.0.1 sent=3 received=3' '$O' && grep -q '^done op=2 ::1 sent=3 received=3' '$O'"
check "events of both ops interleave in one loop" \
  sh -c "grep -n 'event op=2' '$O' | head -1 | cut -d: -f1 | xargs test 10 -gt"
# A "q" on standard input stops both early. The example's output is a
# file (block-buffered: nothing to watch), so "q" comes at a time inside
# both operations (0.15 s of their 0.4 s at least): a timed input.
(sleep 0.15; echo q) | "$EXAMPLE" 127.0.0.1 ::1 >"$O" 2>&1
check "'q' on stdin stops both operations early" \
  sh -c "grep -q '^done op=1 127.0.0.1 sent=[12] ' '$O' && grep -q '^done op=2 ' '$O'"
finish
