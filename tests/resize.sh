#!/bin/bash
# tests/resize.sh - a busy dashboard draws every resize. 1,000 loopback
# targets at -i 0.05 (in a namespace of the test's own) keep it working
# between two select() calls much of the time; the pane is resized 30
# times, 25 and 30 rows in turn, and each time the key line must move to
# the new last row within 3 s. A SIGWINCH that comes while the dashboard
# is not in select() must not wait for the next key (it did: 4-5 of 30
# resizes were not drawn, 13 s later still not).
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need tmux ip
TMP=$(mktemp -d)
NS=sonar-resize-$$
TM="tmux -L sonar-resize-$$ -f /dev/null"
cleanup() {
  tm_down
  ns_remove "$NS"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS" && ip -n "$NS" link set lo up
check "a namespace of the test's own, lo up" [ $? = 0 ]
for i in $(seq 0 999); do echo "127.9.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
tm_start "ip netns exec $NS env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 HOME=$TMP $SONAR -i 0.05 -F $TMP/list; sleep 120" 150 30
check "the dashboard shows its 1,000 targets" tm_wait '^127\.9\.0\.1 ' 15

# key_row: the row of the key line (the screen's last)
key_row() { tm_screen | grep -n 'q quit' | tail -1 | cut -d: -f1; }
at_row() { [ "$(key_row)" = "$1" ]; }
drawn=0
for i in $(seq 1 30); do
  if [ $((i % 2)) = 1 ]; then h=25; else h=30; fi
  $TM resize-window -t 0 -x 150 -y $h
  wait_until 3 at_row "$h" || break
  drawn=$i
done
check "every resize drawn within 3 s ($drawn of 30; the last to ${h} rows left the key line on row $(key_row))" \
  [ "$drawn" = 30 ]
finish
