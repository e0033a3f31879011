#!/bin/bash
# tests/dash_keys.sh - dashboard keys that tests/dashboard.sh does not
# drive, each checked for its effect on the screen (tmux capture-pane):
# r and R (reset one / every row), - (double the interval: the title and
# the probes' pace), O (reverse the sort), PgUp / PgDn / Home / End (the
# selection), Delete (remove the selected target), [ and ] (scroll the
# capture pane). Loopback only, inside a network namespace of its own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip tmux

dash_lab keys

# start ARGS...: the dashboard in the namespace, in a fresh 150x30 pane.
start() {
  tm_start "ip netns exec $NS env LANG=C.UTF-8 $SONAR $*; echo EXITED rc=\$?; sleep 120" 150 30
}
keys() { $TM send-keys -t 0 "$@"; }
# col TARGET N: field N of TARGET's row (3 Loss%, 4 Snt, 5 Rcv, 6 Last ...).
col() { tm_screen | awk -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
# row TARGET: TARGET's row as text.
row() { tm_screen | awk -v t="$1" '$1 == t {print; exit}'; }
# order: the targets in screen order.
order() { tm_screen | awk '$1 ~ /^127\./ {printf "%s ", $1}'; }
sent_at_least() { [ "$(col "$1" 4)" -ge "$2" ] 2>/dev/null; }
# settled: the screen is the same twice, 0.3 s apart (a paused dashboard
# whose last replies have come).
settled() {
  local a
  a=$(tm_screen)
  sleep 0.3
  [ "$a" = "$(tm_screen)" ]
}
# selected: the selected target, as `e` shows it in its editor (which is
# then closed, unchanged, by an empty Enter).
selected() {
  local s
  keys e
  tm_wait '^Edit target: ' 3 >/dev/null || return 1
  s=$(tm_screen | sed -n 's/^Edit target: *//p' | tr -d ' ')
  keys C-u Enter
  tm_wait '^Target ' 3 >/dev/null
  echo "$s"
}

# ---- r, R: reset the selected row / every row ------------------------------
start -i 0.1 -W 1 127.0.0.2 127.0.0.3 127.0.0.1
check "three rows appear" tm_wait '^127\.0\.0\.1 +127\.0\.0\.1 ' 5
check "every row has sent 5 probes" until_ok 10 eval 'sent_at_least 127.0.0.2 5 && sent_at_least 127.0.0.3 5 && sent_at_least 127.0.0.1 5'
keys p
check "p pauses" tm_wait 'PAUSED' 3
check "paused: the numbers stop changing" until_ok 5 settled
r2=$(row 127.0.0.2) r1=$(row 127.0.0.1)
keys Down r
# a reset row: no loss figure, nothing sent or received, no RTT, no history
reset_re() { echo "^$1 +$1 +- +0 +0 +- +- +- +- +- +-\$"; }
check "r resets the selected row (127.0.0.3): 0 sent, no figures, no history" \
  tm_wait "$(reset_re '127\.0\.0\.3')" 3
check "r leaves the other rows as they were" \
  eval '[ "$(row 127.0.0.2)" = "$r2" ] && [ "$(row 127.0.0.1)" = "$r1" ]'
check "(the other rows had figures: $(col 127.0.0.2 4) sent)" sent_at_least 127.0.0.2 5
keys R
check "R says so" tm_wait 'statistics reset' 3
check "R resets every row (127.0.0.2)" tm_wait "$(reset_re '127\.0\.0\.2')" 3
check "R resets every row (127.0.0.1)" tm_wait "$(reset_re '127\.0\.0\.1')" 3
keys p
check "resumed after a reset: the rows count again from 0" until_ok 10 sent_at_least 127.0.0.3 3

# ---- O: reverse the sort -------------------------------------------------------
check "manual order first: as given ($(order))" [ "$(order)" = "127.0.0.2 127.0.0.3 127.0.0.1 " ]
keys o
check "o sorts by name" tm_wait 'sort: name  ' 3
check "... in ascending order ($(order))" [ "$(order)" = "127.0.0.1 127.0.0.2 127.0.0.3 " ]
keys O
check "O reverses it: the title says (rev)" tm_wait 'sort: name \(rev\)' 3
check "... and the rows are in descending order ($(order))" [ "$(order)" = "127.0.0.3 127.0.0.2 127.0.0.1 " ]
keys O
check "O again: ascending again" tm_wait 'sort: name  ' 3
check "... rows too ($(order))" [ "$(order)" = "127.0.0.1 127.0.0.2 127.0.0.3 " ]

# ---- -: double the interval --------------------------------------------------
check "the interval starts at 0.1 s" tm_wait 'every 0\.1s' 3
keys -
check "- doubles it (title)" tm_wait 'every 0\.2s ' 3
check "- says so" tm_wait 'probing every 0\.2 s' 3
keys - -
check "- twice more: every 0.8 s" tm_wait 'every 0\.8s ' 3
# The pace: from one probe counted, two more take at least 2 x 0.8 s less
# a frame's lag (at 0.1 s they would take 0.2 s). A slow machine only
# makes it longer.
s0=$(col 127.0.0.1 4)
until_ok 5 eval '[ "$(col 127.0.0.1 4)" -gt "$s0" ]'
t0=$(date +%s.%N) s0=$(col 127.0.0.1 4)
until_ok 10 eval '[ "$(col 127.0.0.1 4)" -ge $((s0 + 2)) ]'
t1=$(date +%s.%N)
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
check "every 0.8 s: two more probes took ${took} s (>= 1.3 s)" awk -v t="$took" 'BEGIN {exit !(t >= 1.3)}'
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# ---- PgUp, PgDn, Home, End, Delete ---------------------------------------------
for i in $(seq 1 40); do echo "127.6.0.$i"; done >"$TMP/forty"
start -i 1 -W 1 -F "$TMP/forty"
check "40 rows: the first appears" tm_wait '^127\.6\.0\.1 ' 5
shown=$(tm_screen | grep -cE '^127\.6\.0\.')
page=$((shown - 1)) # a page is the rows shown less one
sel=$(selected)
check "the first target is selected at start ($sel)" [ "$sel" = 127.6.0.1 ]
keys NPage
want=127.6.0.$((1 + page))
sel=$(selected)
check "PgDn: a page ($page rows) down, to $want ($sel)" [ "$sel" = "$want" ]
check "... which is on screen" tm_wait "^${want//./\\.} " 3
keys NPage
sel=$(selected)
check "PgDn again: stops at the last target ($sel)" [ "$sel" = 127.6.0.40 ]
keys PPage
want=127.6.0.$((40 - page))
sel=$(selected)
check "PgUp: a page up, to $want ($sel)" [ "$sel" = "$want" ]
check "... which is on screen" tm_wait "^${want//./\\.} " 3
keys Home
sel=$(selected)
check "Home: the first target ($sel)" [ "$sel" = 127.6.0.1 ]
check "... at the top of the table" sh -c "$TM capture-pane -p -t 0 | sed -n 3p | grep -q '^127\.6\.0\.1 '"
keys End
sel=$(selected)
check "End: the last target ($sel)" [ "$sel" = 127.6.0.40 ]
check "... on screen" tm_wait '^127\.6\.0\.40 ' 3
keys DC
check "Delete removes the selected target (40 -> 39 targets)" tm_wait ' 39 targets ' 3
check "... 127.6.0.40, and says so" tm_wait 'removed 127\.6\.0\.40' 3
check "... its row is gone" sh -c "! $TM capture-pane -p -t 0 | grep -q '^127\.6\.0\.40 '"
sel=$(selected)
check "... the selection moves to the row before it ($sel)" [ "$sel" = 127.6.0.39 ]
# (one key at a time: the table scrolls to where the selection is when a
# frame is drawn, and keys that come together share a frame)
keys Home
sel=$(selected)
check "Home again: the first target ($sel)" [ "$sel" = 127.6.0.1 ]
keys Down
sel=$(selected)
check "Down: the second ($sel)" [ "$sel" = 127.6.0.2 ]
keys DC
check "Delete: 127.6.0.2 removed (38 targets)" tm_wait ' 38 targets ' 3
check "... its neighbours stay" eval 'tm_screen | grep -q "^127\.6\.0\.1 " && tm_screen | grep -q "^127\.6\.0\.3 "'
check "... and it is gone" eval '! tm_screen | grep -q "^127\.6\.0\.2 "'
sel=$(selected)
check "... the selection moves to the next row ($sel)" [ "$sel" = 127.6.0.3 ]
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# ---- [ and ]: scroll the capture pane ---------------------------------------------
# pane: the capture pane's packet lines (after its header, before the
# status line), blank lines left out; captured: its packet count.
pane() { tm_screen | awk '/^ capture: /{p = 1; next} p' | sed '$d' | grep -v '^ *$'; }
captured() { tm_screen | sed -n 's/^ capture: .*(\([0-9]*\)).*/\1/p'; }
# pane_settled: the pane's lines are the same twice, 0.3 s apart.
pane_settled() {
  local a
  a=$(pane)
  sleep 0.3
  [ "$a" = "$(pane)" ]
}
start -i 0.05 -W 1 127.0.0.1
check "a row appears" tm_wait '^127\.0\.0\.1 +127\.0\.0\.1 ' 5
keys c
check "c opens the capture pane" tm_wait '^ capture: ' 3
check "the pane fills with packets" until_ok 10 eval '[ "$(captured)" -ge 40 ] 2>/dev/null'
keys Space
check "Space freezes it" tm_wait 'FROZEN' 3
until_ok 5 pane_settled
P0=$(pane) n0=$(echo "$P0" | wc -l) total=$(captured)
check "(frozen: $n0 packet lines shown of $total)" [ "$n0" -ge 10 ]
keys '['
check "[ scrolls back: the lines move down by one" \
  until_ok 3 eval '[ "$(pane | sed 1d)" = "$(echo "$P0" | sed \$d)" ]'
check "... and an older packet comes in at the top" \
  eval '[ "$(pane | wc -l)" = "$n0" ] && ! echo "$P0" | grep -qxF -- "$(pane | head -1)"'
keys '[' '['
check "[ twice more: three lines down" \
  until_ok 3 eval '[ "$(pane | sed 1,3d)" = "$(echo "$P0" | sed -n "1,$((n0 - 3))p")" ]'
keys ']' ']' ']'
check "] three times: back to the newest" until_ok 3 eval '[ "$(pane)" = "$P0" ]'
keys ']'
check "] at the newest: nothing moves" eval 'pane_settled && [ "$(pane)" = "$P0" ]'
keys -N $((total + 10)) '['
check "[ past the oldest of $total packets: it stops at the oldest (one line left)" \
  until_ok 5 eval '[ "$(pane | wc -l)" = 1 ]'
keys ']'
check "... and ] from there shows two" until_ok 3 eval '[ "$(pane | wc -l)" = 2 ]'
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
finish
