#!/bin/bash
# tests/lab/golden_responder.sh - the lab's responder (tests/lab/responder.c,
# built with sonar's codec) sends what its header comment promises, as read
# by an independent parser (tests/golden.py: Python's struct): one echo
# request from the client, every bogus extra and the genuine reply back,
# each checked byte for byte (type, code, checksum, identifier, sequence,
# payload; for errors the quoted header and echo). matching.sh and
# errors.sh judge sonar by these packets.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip python3 nft
. "$top_srcdir/tests/lab/topology.sh"
. "$top_srcdir/tests/lab/respond.sh"

for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.201.2.2 alt=10.201.2.3 extra=quench,badsum
  else dst=fd20:2::2 alt=fd20:2::3 extra=; fi
  respond $fam --alt-source "$alt" \
    --extra "dup,corrupt,wrongid,wrongseq,wrongsrc,short,oversized,fakeerror,unreachfirst${extra:+,$extra}"
  check "IPv$fam responder is ready" grep -q ready "$TMP/resp.out"
  inC timeout 20 python3 "$top_srcdir/tests/golden.py" responder $fam "$dst" "$alt" >"$O" 2>"$E"
  RC=$?
  stop_responder
  # golden.py's own lines, counted as this test's
  while read -r line; do
    case $line in
    "ok - "*) ok "${line#ok - }" ;;
    "not ok - "*) not_ok "${line#not ok - }" ;;
    *) echo "$line" ;;
    esac
  done <"$O"
  check "IPv$fam golden.py ran to its end (exit $RC, $(wc -l <"$O") lines)" \
    sh -c "[ $RC -le 1 ] && grep -q 'nothing else came back' '$O' && [ ! -s '$E' ]"
  [ -s "$E" ] && sed 's/^/# /' "$E"
done
finish
