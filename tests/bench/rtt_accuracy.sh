#!/bin/bash
# tests/bench/rtt_accuracy.sh - RTT truth: over N loopback probes, sonar's
# median RTT against iputils ping's, both running at the same time.
# Prints a Markdown table row set; the verdict is |median difference| <= 10 us.
set -u
: "${SONAR:=$(dirname "$0")/../../sonar}"
N=${N:-200}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
command -v ping >/dev/null || { echo "iputils ping is missing (./run.sh bench installs it)"; exit 1; }
command -v jq >/dev/null || { echo "jq is missing"; exit 1; }

median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

for dst in 127.0.0.1 ::1; do
  ping -n -c "$N" -i 0.01 "$dst" >"$TMP/ping.txt" 2>&1 &
  p1=$!
  "$SONAR" ping -c "$N" -i 0.01 --json "$dst" >"$TMP/sonar.json" 2>"$TMP/sonar.err" &
  p2=$!
  wait $p1 $p2
  ping_med=$(grep -oE 'time=[0-9.]+' "$TMP/ping.txt" | cut -d= -f2 | median)
  sonar_med=$(jq -r '.rtts[]' "$TMP/sonar.json" | median)
  n_ping=$(grep -c 'time=' "$TMP/ping.txt")
  n_sonar=$(jq '.rtts|length' "$TMP/sonar.json")
  diff_us=$(awk -v a="$sonar_med" -v b="$ping_med" 'BEGIN {d=(a-b)*1000; printf "%.1f", d}')
  verdict=$(awk -v d="$diff_us" 'BEGIN {print (d <= 10 && d >= -10) ? "pass" : "FAIL"}')
  printf '| RTT median, %s, %d probes at 10 ms, sonar and iputils ping concurrently | sonar %.4f ms (%d) | ping %.4f ms (%d) | %+.1f us | %s |\n' \
    "$dst" "$N" "$sonar_med" "$n_sonar" "$ping_med" "$n_ping" "$diff_us" "$verdict"
done
