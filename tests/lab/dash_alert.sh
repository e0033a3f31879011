#!/bin/bash
# tests/lab/dash_alert.sh - the dashboard's alerts and events, in the lab
# (tests/lab/topology.sh: client C, router R, target T), through tmux.
#
# Three rows from a targets file, each with its thresholds:
#   10.201.2.2               the global ones: --alert-loss 20 --alert-down 3
#   10.201.2.3 alert-loss=60 its own loss threshold, over the global one
#   127.0.0.1  alert-rtt=0.0001  an RTT no reply beats: in alert at once
# R's nftables then drops every other echo reply of T's two addresses
# (numgen inc: exactly one in two, no random runs): 10.201.2.2 goes over
# 20% and raises an alert; 10.201.2.3 (at most 51% in any window) does
# not. The rule goes: the alert clears. Then every reply of 10.201.2.3 is
# dropped: down after 3; the rule goes: up again.
# --on-alert runs a script that appends each change it is told of to a
# file: the same changes, once each, as the --log NDJSON file and the l
# pane show. The script also records its own privileges and descriptors
# (none but 0-2 and its own). --bell: the pane's raw output (tmux
# pipe-pane) gets a BEL for an alert. The row's name is drawn in the
# theme's alert slot (tests/sgr.py). s saves each target's own settings.
# Bad thresholds (command line, file) are refused: why, exit 3.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip nft tmux jq python3
. "$top_srcdir/tests/lab/topology.sh"
TM="tmux -L sonar-dash-alert-$$ -f /dev/null"
trap 'trap "" INT TERM; tm_down; [ -n "${LAB_KEEP:-}" ] || lab_down' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME

cat >"$TMP/targets" <<'TARGETS'
# the alert lab
10.201.2.2
10.201.2.3  alert-loss=60
127.0.0.1 alert-rtt=0.0001   # loopback answers in some µs: always over
TARGETS
cp "$TMP/targets" "$TMP/targets.orig"
cat >"$TMP/on-alert.sh" <<SCRIPT
#!/bin/sh
echo "\$SONAR_EVENT \$SONAR_TARGET \$SONAR_STATE \$SONAR_WHY \$SONAR_VALUE \$SONAR_ADDRESS" >>$TMP/cmd.log
{ grep -E '^(Uid|CapEff|CapPrm|CapBnd|NoNewPrivs):' /proc/self/status; ls -l /proc/\$\$/fd; } >$TMP/priv.\$\$
SCRIPT

keys() { $TM send-keys -t 0 "$@"; }
col() { tm_screen | awk -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
# events TARGET: the changes the command was told of for TARGET, in order
events() { awk -v t="$1" '$2 == t {printf "%s ", $1}' "$TMP/cmd.log" 2>/dev/null; }
# logged TARGET: the same from the --log file
logged() { jq -r --arg t "$1" 'select(.target == $t) | .event' "$TMP/events.json" 2>/dev/null | tr '\n' ' '; }
bells() { tr -cd '\007' <"$TMP/raw" | wc -c; }
drops() {
  ip netns exec "$R" nft -f - <<NFT
table inet alert {
  chain forward {
    type filter hook forward priority 0;
    $1
  }
}
NFT
}

tm_start "ip netns exec $C env LANG=C.UTF-8 TERM=xterm-256color $SONAR -i 0.05 -W 0.5 \
--alert-loss 20 --alert-down 3 --bell --log $TMP/events.json --on-alert 'sh $TMP/on-alert.sh' \
-F $TMP/targets; echo EXITED rc=\$?; sleep 120" 160 30
$TM pipe-pane -o -t 0 "cat >>$TMP/raw"
check "the three rows appear" tm_wait '^127\.0\.0\.1 ' 5
check "each target is up (the command was told so)" until_ok 10 eval \
  '[ "$(events 10.201.2.2)" = "up " ] && [ "$(events 10.201.2.3)" = "up " ]'
check "127.0.0.1 over its own alert-rtt=0.0001: an alert on the RTT" until_ok 10 eval \
  'grep -q "^alert 127.0.0.1 alert rtt [0-9.]* 127.0.0.1$" "$TMP/cmd.log"'
check "its row says why" tm_wait '^127\.0\.0\.1 .* ALERT avg [0-9.]+ ms' 5
check "--bell: one BEL for that alert" until_ok 5 eval '[ "$(bells)" = 1 ]'
$TM capture-pane -p -e -t 0 >"$TMP/screen"
# the first row is selected (its own slot): the name of a row that is not
printf '%s\n' 'alert ^127\.0\.0\.1  0' 'row ^10\.201\.2\.3  /^\S+ +\S+ +\S+ +([0-9])/' |
  python3 "$top_srcdir/tests/sgr.py" "$TMP/screen" "$top_srcdir/themes/default.theme" >"$TMP/verdict" 2>&1
rc=$?
sed 's/^/# /' "$TMP/verdict"
check "the alert row's name is in the theme's alert slot, a quiet row's numbers are not" [ $rc = 0 ]

# every other reply of T's two addresses dropped
drops 'ip saddr 10.201.2.2 icmp type echo-reply numgen inc mod 2 == 0 drop
    ip saddr 10.201.2.3 icmp type echo-reply numgen inc mod 2 == 0 drop'
check "half the replies lost: 10.201.2.2 over --alert-loss 20" until_ok 20 eval \
  '[ "$(events 10.201.2.2)" = "up alert " ]'
check "its row says so" tm_wait '^10\.201\.2\.2 .* ALERT loss [0-9.]+%' 5
check "a BEL for it" until_ok 5 eval '[ "$(bells)" = 2 ]'
sent=$(col 10.201.2.3 4)
check "10.201.2.3 sends 120 more probes, half lost" until_ok 30 eval '[ "$(col 10.201.2.3 4)" -ge $((sent + 120)) ] 2>/dev/null'
check "10.201.2.3 at about 50% (its alert-loss=60): no alert ($(events 10.201.2.3))" \
  [ "$(events 10.201.2.3)" = "up " ]
grep -q '^alert 10.201.2.2 alert loss [0-9.]* 10.201.2.2$' "$TMP/cmd.log"
check "the command got the event, the target, the state, why, the value and the address" [ $? = 0 ]

keys l
check "l shows the event log" tm_wait '^ events: .*\(([4-9])\)' 3
check "the pane has the alert, timestamped" tm_wait '^[0-9]{2}:[0-9]{2}:[0-9]{2}  alert   10\.201\.2\.2 \(10\.201\.2\.2\)  loss [0-9.]+%' 3
keys l
check "l again hides it" eval '! tm_wait "^ events: " 1 2>/dev/null'

ip netns exec "$R" nft delete table inet alert
check "the rule gone, the loss falls under 15% (3/4 of 20): the alert clears" until_ok 30 eval \
  '[ "$(events 10.201.2.2)" = "up alert clear " ]'
no_alert_row() { ! tm_screen | grep -qE '^10\.201\.2\.2 .*ALERT'; }
check "the row no longer says ALERT (at its next frame)" until_ok 5 no_alert_row

# down and up on 10.201.2.3: its alert-loss=60 leaves room for the probes
# lost while it is down (10.201.2.2's 20% would turn its recovery into a
# loss alert when the test is slow to lift the rule: "down alert clear",
# as right, but not what this checks). First a window of answers.
sent=$(col 10.201.2.3 4)
check "10.201.2.3 answers 100 more probes" until_ok 30 eval '[ "$(col 10.201.2.3 4)" -ge $((sent + 100)) ] 2>/dev/null'
drops 'ip saddr 10.201.2.3 icmp type echo-reply drop'
check "every reply of 10.201.2.3 dropped: down after --alert-down 3" until_ok 20 eval \
  '[ "$(events 10.201.2.3)" = "up down " ]'
check "the row says DOWN" tm_wait '^10\.201\.2\.3 .* DOWN [0-9]+ lost' 5
check "a BEL for it" until_ok 5 eval '[ "$(bells)" = 3 ]'
ip netns exec "$R" nft delete table inet alert
check "replies again: up" until_ok 20 eval '[ "$(events 10.201.2.3)" = "up down up " ]'
check "10.201.2.2 saw none of it" [ "$(events 10.201.2.2)" = "up alert clear " ]

# the command ran once per change: its lines are the log's
for t in 10.201.2.2 10.201.2.3 127.0.0.1; do
  check "$t: the --log file has the same changes as the command ($(logged $t))" \
    [ "$(logged $t)" = "$(events $t)" ]
done
ndjson_ok() {
  [ "$(jq -s 'length > 0 and all(.[]; (.time | test("^[0-9-]{10}T[0-9:.]{15}Z$")) and
    (.event | IN("up","down","alert","clear")) and has("target") and has("address") and
    has("why") and has("value"))' "$TMP/events.json" 2>/dev/null)" = true ]
}
check "every --log line is a JSON object with time, event, target, address, why, value" ndjson_ok
check "as many commands ran as there were changes ($(wc -l <"$TMP/cmd.log"))" \
  [ "$(wc -l <"$TMP/cmd.log")" = "$(wc -l <"$TMP/events.json")" ]
priv=$(cat "$TMP"/priv.* 2>/dev/null)
check "the command had no capability (CapEff, CapPrm, CapBnd all 0)" \
  eval '[ "$(printf "%s\n" "$priv" | grep -cE "^Cap(Eff|Prm|Bnd):\s+0+$")" = "$((3 * $(ls "$TMP"/priv.* | wc -l)))" ]'
check "the command had no_new_privs" eval '! printf "%s\n" "$priv" | grep -qE "^NoNewPrivs:\s+0"'
check "the command had none of the dashboard's descriptors (sockets, the --log file)" \
  eval '! printf "%s\n" "$priv" | grep -qE "socket:|events\.json|/dev/pts"'

keys s
check "s saves the list" tm_wait 'saved 3 targets' 3
check "each target's own settings are saved with it, the comments too, as they were" eval \
  '[ "$(cat "$TMP/targets")" = "$(printf "# sonar targets, one per line\n"; cat "$TMP/targets.orig")" ]'
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# refused thresholds: why, and 3
"$SONAR" --alert-loss 200 127.0.0.1 </dev/null >"$O" 2>"$E"
check "--alert-loss 200: exit 3" [ $? = 3 ]
check "... saying why ($(cat "$E"))" grep -q 'alert-loss 200: must be from 0 to 100' "$E"
"$SONAR" --alert-down 0 127.0.0.1 </dev/null >"$O" 2>"$E"
check "--alert-down 0: exit 3" [ $? = 3 ]
check "... saying why ($(cat "$E"))" grep -q 'alert-down 0: must be from 1 to 100' "$E"
"$SONAR" --alert-rtt fast 127.0.0.1 </dev/null >"$O" 2>"$E"
check "--alert-rtt fast: exit 3" [ $? = 3 ]
printf '127.0.0.1\n10.201.2.2 alert-loss=5 alert-jitter=3\n' >"$TMP/bad"
tm_start "$SONAR -F $TMP/bad 2>$TMP/bad.err; echo EXITED rc=\$?; sleep 60" 120 20
check "a bad setting in the file: exit 3" tm_wait '^EXITED rc=3' 5
check "... as FILE:LINE: why ($(cat "$TMP/bad.err"))" grep -q "$TMP/bad:2: unknown setting 'alert-jitter'" "$TMP/bad.err"
tm_start "$SONAR --log $TMP/no/such/dir 127.0.0.1 2>$TMP/log.err; echo EXITED rc=\$?; sleep 60" 120 20
check "--log in a folder that does not exist: exit 3" tm_wait '^EXITED rc=3' 5
check "... saying why ($(cat "$TMP/log.err"))" grep -q "no/such/dir: No such file or directory" "$TMP/log.err"
finish
