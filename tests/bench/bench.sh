#!/bin/bash
# tests/bench/bench.sh - every benchmark, one Markdown table (make bench),
# written to tests/bench/results.md with the date, the machine and each
# tool's version. Fails when any benchmark fails, dies or misses a tool:
# each script's exit status is its verdict.
set -u -o pipefail
: "${SONAR:?}" "${top_srcdir:?}"
export SONAR top_srcdir top_builddir
[ "$(id -u)" = 0 ] || { echo "make bench needs root (raw sockets, namespaces)"; exit 1; }
out=${BENCH_RESULTS:-$top_srcdir/tests/bench/results.md}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
ver() { "$@" 2>&1 | grep -m1 -oE '[0-9]+(\.[0-9]+)*[a-z0-9.~+-]*$|[0-9]+(\.[0-9]+)+' | head -1 || echo missing; }
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, Linux $(uname -r); sonar $("$SONAR" --version 2>&1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1), fping $(ver fping -v), iputils ping $(ver ping -V), traceroute $(ver traceroute -V), mtr $(ver mtr -v), tmux $(ver tmux -V)."
  echo
  echo "| benchmark | sonar | reference | ratio / difference | verdict |"
  echo "|---|---|---|---|---|"
} >"$tmp"
cat "$tmp"
status=0
for b in rtt_accuracy delay_accuracy multiping_10k scale path_discovery dashboard replay exporter; do
  bash "$top_srcdir/tests/bench/$b.sh" | tee -a "$tmp"
  rc=$?
  if [ $rc != 0 ]; then
    echo "bench: $b failed (exit $rc)" >&2
    status=1
  fi
done
cp "$tmp" "$out"
echo "bench: the table is in $out; 'make bench-readme' puts it in README.md" >&2
exit $status
