#!/bin/bash
# tests/soak.sh - a compressed soak: the dashboard with 200 loopback targets
# at 20 probes per second each (4,000 a second) for SOAK_SECONDS (100).
# Memory must stay flat once the rings are full (RSS sampled at 55 s and at
# the end), the counters right, and it must quit cleanly: under CI's ASan
# build LeakSanitizer turns any leak into a non-zero exit status.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need tmux
SECS=${SOAK_SECONDS:-100}
TMP=$(mktemp -d)
TM="tmux -L sonar-soak-$$ -f /dev/null"
trap 'tm_down; rm -rf "$TMP"' EXIT

for i in $(seq 1 200); do echo "127.6.$((i / 250)).$((i % 250))"; done >"$TMP/list"
$TM new-session -d -x 160 -y 40 \
  "env SONAR_THEMES=$top_srcdir/themes $SONAR -i 0.05 -F $TMP/list; echo EXITED rc=\$?; sleep 60"
# started: the dashboard runs and its first row is drawn
started() { pid=$(pgrep -n -f "^$SONAR -i 0.05 -F $TMP/list") && tm_screen | grep -q '^127\.6\.'; }
wait_until 10 started
rss() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }
sleep 54 # the measurement: the rings fill, then RSS is sampled ...
r1=$(rss)
sleep $((SECS - 55)) # ... and again at the end
r2=$(rss)
row=$($TM capture-pane -p -t 0 | awk '$1 ~ /^127\.6\./ {print; exit}')
snt=$(echo "$row" | awk '{print $4}')
rcv=$(echo "$row" | awk '{print $5}')
echo "# RSS ${r1} KiB at 55 s, ${r2} KiB at ${SECS} s; first row: $snt sent, $rcv received"
check "memory flat once the rings are full (${r1} -> ${r2} KiB, within 5%)" \
  [ "$((r2 * 100))" -le "$((r1 * 105))" ]
check "20 probes a second per target: about $((SECS * 20)) sent ($snt)" \
  [ "${snt:-0}" -ge $((SECS * 20 * 9 / 10)) ]
check "nothing lost on loopback ($rcv of $snt)" [ "${rcv:-0}" -ge $((${snt:-1} - 1)) ]
$TM send-keys -t 0 q
for i in $(seq 1 100); do
  $TM capture-pane -p -t 0 | grep -q '^EXITED' && break
  sleep 0.1
done
check "quits with status 0 (no leak under ASan)" sh -c "$TM capture-pane -p -t 0 | grep -q '^EXITED rc=0'"
finish
