#!/bin/bash
# tests/bench/bench.sh - every benchmark, one Markdown table (make bench).
set -u
: "${SONAR:?}" "${top_srcdir:?}"
export SONAR top_srcdir
[ "$(id -u)" = 0 ] || { echo "make bench needs root (raw sockets, namespaces)"; exit 1; }
echo "| benchmark | sonar | reference | ratio / difference | verdict |"
echo "|---|---|---|---|---|"
status=0
for b in rtt_accuracy multiping_10k scale path_discovery dashboard; do
  bash "$top_srcdir/tests/bench/$b.sh" | tee -a /tmp/sonar-bench.$$ || status=1
done
grep -q FAIL /tmp/sonar-bench.$$ && status=1
rm -f /tmp/sonar-bench.$$
exit $status
