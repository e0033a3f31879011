#!/bin/bash
# tests/bench/dashboard.sh - the dashboard in a real terminal (tmux):
# CPU use with 1,000 and 10,000 loopback targets at one probe per second
# each over 30 s, and the time from a key press to the screen showing it.
set -u
: "${SONAR:?}" "${top_srcdir:?}"
command -v tmux >/dev/null || { echo "missing tmux (./run.sh bench installs it)"; exit 1; }
TMP=$(mktemp -d)
TM="tmux -L sonar-bench-$$ -f /dev/null"
trap '$TM kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
SECS=${SECS:-30}
HZ=$(getconf CLK_TCK)

# cpu_of PID: utime + stime in ticks.
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# measure N LIMIT: CPU % of one core over SECS with N targets.
measure() {
  n=$1 limit=$2
  for i in $(seq 0 $((n - 1))); do echo "127.4.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
  $TM kill-server 2>/dev/null
  sleep 0.2
  $TM new-session -d -x 200 -y 50 "exec env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR -i 1 -F $TMP/list"
  pid=$($TM list-panes -F '#{pane_pid}')
  sleep 3 # every target started, the first rounds in
  c0=$(cpu_of "$pid")
  sleep "$SECS"
  c1=$(cpu_of "$pid")
  rows=$($TM capture-pane -p | grep -cE '^127\.4\.' || true)
  pct=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s="$SECS" 'BEGIN {printf "%.1f", (b - a) * 100 / (hz * s)}')
  v=$(awk -v p="$pct" -v l="$limit" 'BEGIN {print (p <= l) ? "pass" : "FAIL"}')
  echo "| dashboard, $n loopback targets at 1 probe/s each, drawing in tmux, CPU over ${SECS} s | ${pct}% of one core ($rows rows on screen) | | | $v (<= ${limit}%) |"
}

measure 1000 5
measure 10000 30

# Key press to screen: T changes the theme name in the title; 10 presses.
$TM kill-server 2>/dev/null
sleep 0.2
$TM new-session -d -x 150 -y 30 "exec env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR -i 1 127.0.0.1 ::1"
sleep 1
for k in $(seq 1 10); do
  before=$($TM capture-pane -p | head -1 | grep -o 'theme: [a-z-]*')
  t0=$(date +%s%N)
  $TM send-keys T
  for j in $(seq 1 500); do
    now=$($TM capture-pane -p | head -1 | grep -o 'theme: [a-z-]*')
    [ "$now" != "$before" ] && break
    sleep 0.002
  done
  echo $((($(date +%s%N) - t0) / 1000))
done >"$TMP/lat"
med=$(sort -n "$TMP/lat" | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
max=$(sort -n "$TMP/lat" | tail -1)
v=$(awk -v m="$max" 'BEGIN {print (m < 50000) ? "pass" : "FAIL"}')
echo "| key press (T) to the screen showing it, 10 presses, through tmux | median $((med / 1000)).$(((med % 1000) / 100)) ms, worst $((max / 1000)).$(((max % 1000) / 100)) ms | | | $v (< 50 ms) |"
