#!/bin/bash
# tests/format.sh - every C file is formatted by the committed .clang-format.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need clang-format
cd "$top_srcdir" || exit 1
for f in $(find engine ui themes tests examples -name '*.[ch]' | sort); do
  if clang-format --style=file --dry-run --Werror "$f" >/dev/null 2>&1; then
    ok "formatted: $f"
  else
    not_ok "not clang-formatted: $f (run: clang-format -i $f)"
  fi
done
finish
