#!/bin/bash
# tests/bench/rtt_accuracy.sh - RTT truth: over N loopback probes, sonar's
# median RTT against iputils ping's, both running at the same time. Both
# must answer all N; the verdict is |median difference| <= 10 us.
set -u
. "$top_srcdir/tests/bench/lib.sh"
need_tools ping jq
N=${N:-200}
for dst in 127.0.0.1 ::1; do
  ping -n -c "$N" -i 0.01 "$dst" >"$TMP/ping.txt" 2>&1 &
  p1=$!
  "$SONAR" ping -c "$N" -i 0.01 --json "$dst" >"$TMP/sonar.json" 2>"$TMP/sonar.err" &
  p2=$!
  wait $p1 $p2
  ping_med=$(grep -oE 'time=[0-9.]+' "$TMP/ping.txt" | cut -d= -f2 | median)
  sonar_med=$(jq -r '.rtts[]' "$TMP/sonar.json" 2>/dev/null | median)
  n_ping=$(grep -c 'time=' "$TMP/ping.txt")
  n_sonar=$(jq '.rtts|length' "$TMP/sonar.json" 2>/dev/null)
  diff_us=$(awk -v a="$sonar_med" -v b="$ping_med" 'BEGIN {printf "%+.1f", (a - b) * 1000}')
  row "| RTT median, $dst, $N probes at 10 ms, sonar and iputils ping concurrently | sonar $sonar_med ms ($n_sonar) | ping $ping_med ms ($n_ping) | $diff_us us | $(verdict "$diff_us <= 10 && $diff_us >= -10 && $n_sonar == $N && $n_ping == $N" "$diff_us" "$n_sonar" "$n_ping") (within 10 us, $N of $N each) |"
done
finish_bench
