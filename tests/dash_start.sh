#!/bin/bash
# tests/dash_start.sh - the dashboard's first round: with 100 targets given
# at start, every target sends its first probe within about one interval
# (README: a multiping's starts are spread evenly over one interval), so
# that no row waits at 0 sent for several intervals. Counted in probes,
# not seconds (a slow machine cannot break it): when the last row has
# sent its first probe, the first row has sent at most 3 (its second goes
# one interval after its first; one more for the screen's lag).
# Loopback only, inside a network namespace of its own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip tmux

dash_lab start

for i in $(seq 1 100); do echo "127.7.0.$i"; done >"$TMP/hundred"
tm_start "ip netns exec $NS env LANG=C.UTF-8 $SONAR -i 0.5 -W 1 -F $TMP/hundred; echo EXITED rc=\$?; sleep 60" 150 110
check "100 rows appear" tm_wait '^127\.7\.0\.100 ' 5
# every 0.05 s: how many rows have sent nothing yet, and the first row's count
first="" waiting=""
for i in $(seq 1 400); do
  read -r waiting first <<<"$(tm_screen | awk '$1 ~ /^127\.7\.0\./ {if ($4 == 0) n++} $1 == "127.7.0.1" {f = $4} END {print n + 0, f}')"
  [ "$waiting" = 0 ] && break
  sleep 0.05
done
check "every row sends its first probe" [ "$waiting" = 0 ]
check "... within about one interval: the first row had sent ${first:-?} (at most 3) when the last sent its first" \
  [ "${first:-99}" -le 3 ]
$TM send-keys -t 0 q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
finish
