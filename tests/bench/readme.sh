#!/bin/bash
# tests/bench/readme.sh - put tests/bench/results.md (what the last `make
# bench` wrote) into README.md between the benchmark markers, unchanged.
set -eu
: "${top_srcdir:?}"
res=$top_srcdir/tests/bench/results.md
readme=$top_srcdir/README.md
[ -s "$res" ] || { echo "bench-readme: $res is missing: run make bench first" >&2; exit 1; }
grep -q '^<!-- bench:begin -->$' "$readme" && grep -q '^<!-- bench:end -->$' "$readme" ||
  { echo "bench-readme: README.md has no <!-- bench:begin --> / <!-- bench:end --> markers" >&2; exit 1; }
awk -v res="$res" '
  /^<!-- bench:begin -->$/ {print; while ((getline l < res) > 0) print l; skip = 1; next}
  /^<!-- bench:end -->$/ {skip = 0}
  !skip {print}' "$readme" >"$readme.tmp"
mv "$readme.tmp" "$readme"
echo "bench-readme: README.md has the table of $(head -1 "$res" | cut -c1-60)..."
