# tests/bench/lib.sh - what every benchmark script shares (sourced).
#
# A script prints Markdown table rows through row(); each verdict is
# computed by verdict() (an awk condition), and every FAIL is counted in
# $TMP/failed, so the script's exit status is computed, never grepped. A
# figure that is empty or not a number fails the row it belongs to.
: "${SONAR:?}" "${top_srcdir:?}"
: "${BENCH_RUN:=${top_builddir:-$top_srcdir}/tests/bench/bench-run}"
: "${BENCH_FLOOR:=${top_builddir:-$top_srcdir}/tests/bench/bench-floor}"
[ -x "$BENCH_RUN" ] || { echo "| $(basename "$0") | bench-run not built | | | FAIL |"; exit 1; }
[ -x "$BENCH_FLOOR" ] || { echo "| $(basename "$0") | bench-floor not built | | | FAIL |"; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
: >"$TMP/failed"

# need_tools CMD...: a missing tool fails the benchmark (a row says which).
need_tools() {
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 && continue
    echo "| $(basename "$0") | missing $c (./run.sh bench installs it) | | | FAIL |"
    exit 1
  done
}

# num X...: every X is a number.
num() {
  for x in "$@"; do [[ $x =~ ^[+-]?[0-9]+(\.[0-9]+)?$ ]] || return 1; done
}

# verdict COND [FIGURES...]: "pass" when the awk condition COND holds and
# every figure is a number; else "FAIL", counted.
verdict() {
  cond=$1
  shift
  if num "$@" && awk "BEGIN {exit !($cond)}"; then
    echo pass
  else
    echo FAIL
    echo x >>"$TMP/failed"
  fi
}

# row TEXT: one table row.
row() { echo "$*"; }

# median: of the numbers on stdin ("-" when there are none).
median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# measure NAME CMD...: one run; appends "wall cpu maxrss exit" to
# $TMP/NAME.runs, the command's stdout to $TMP/NAME.out, stderr to .err.
measure() {
  name=$1
  shift
  "$BENCH_RUN" "$TMP/$name.one" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
  cat "$TMP/$name.one" >>"$TMP/$name.runs"
}

# col NAME N: the median of column N (1 wall, 2 cpu, 3 maxrss) of NAME's runs.
col() { cut -d' ' -f"$2" "$TMP/$1.runs" 2>/dev/null | median; }

# ratio A B: A / B with two decimals ("-" when B is not positive).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b + 0 > 0) printf "%.2f", a / b; else print "-"}'; }

# finish_bench: the exit status is whether any verdict failed.
finish_bench() { [ ! -s "$TMP/failed" ]; }
