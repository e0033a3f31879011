#!/bin/bash
# tests/dns.sh - names without waiting: the dashboard against a real DNS
# server (dnsmasq, with a hosts file of the test's own) in a namespace the
# test creates, and against a server that never answers; names asked again
# (--resolve-every): a name that moves, one with two addresses that trade
# places, one that vanishes, and none asked while paused or with 0.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip tmux nft dnsmasq

NS=sonar-dns-$$
TMP=$(mktemp -d)
TM="tmux -L sonar-dns-$$ -f /dev/null"
cleanup() {
  tm_down
  [ -f "$TMP/dnsmasq.pid" ] && kill "$(cat "$TMP/dnsmasq.pid")" 2>/dev/null
  ns_remove "$NS"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$NS" && ip -n "$NS" link set lo up
hosts() {
  printf '127.0.10.1 alpha.lab\n127.0.10.2 beta.lab\n::1 six.lab\n%s\n' "$*" >"$TMP/hosts"
}
hosts '127.0.10.3 move.lab
127.0.10.4 rr.lab
127.0.10.5 rr.lab
127.0.10.7 gone.lab'
ip netns exec "$NS" dnsmasq --conf-file=/dev/null --no-resolv --no-hosts \
  --addn-hosts="$TMP/hosts" --listen-address=127.0.0.1 --bind-interfaces --port=53 \
  --log-queries --log-facility="$TMP/queries.log" \
  --pid-file="$TMP/dnsmasq.pid" --user=root >"$TMP/dnsmasq.log" 2>&1
check "dnsmasq runs on 127.0.0.1:53 in the namespace" [ -s "$TMP/dnsmasq.pid" ]
# A server that never answers: its port's queries are dropped.
ip netns exec "$NS" nft -f - <<'NFT'
table inet dns {
  chain dns_input {
    type filter hook input priority 0;
    udp dport 5300 drop
    tcp dport 5300 drop
  }
}
NFT
check "the silent server's port is filtered" [ $? = 0 ]

screen() { tm_screen; }
wait_for() { tm_wait "$@"; }
start() {
  tm_start "ip netns exec $NS env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR $*; sleep 60" 160 20
}
sent() { screen | awk -v t="$1" '$1 == t {print $4; exit}'; }

start --dns-server 127.0.0.1 -i 0.2 alpha.lab six.lab nosuch.lab 127.0.10.2
check "forward: alpha.lab resolves through the server to 127.0.10.1" wait_for '^alpha\.lab +127\.0\.10\.1 '
check "forward: six.lab (IPv6 only) falls back to ::1" wait_for '^six\.lab +::1 '
check "a failed lookup shows on its row" wait_for "^nosuch\.lab .*cannot be resolved"
$TM send-keys -t 0 n
check "n: reverse names (127.0.10.2 is beta.lab)" wait_for '^127\.0\.10\.2 +beta\.lab '
$TM send-keys -t 0 n
check "n again: names and addresses" wait_for '^alpha\.lab +alpha\.lab \(127\.0\.10\.1\)'
$TM send-keys -t 0 Enter
check "the path view names its hops too" wait_for '^ 1\. +alpha\.lab \(127\.0\.10\.1\)'
$TM send-keys -t 0 Escape
sleep 0.1 # a key right after Esc is Alt+key
$TM send-keys -t 0 q

# The server never answers: the table keeps going, the row fails later.
start --dns-server 127.0.0.1:5300 -i 0.1 silent.lab 127.0.0.1
t0=$(date +%s%N)
check "while the lookup waits, the row says so" wait_for '^silent\.lab +resolving'
s1=$(sent 127.0.0.1)
# redrawn: 127.0.0.1's Snt went past N while silent.lab is still resolving
# (the lookup takes 3 s: 2 s is before it ends)
redrawn() { [ "$(sent 127.0.0.1)" -gt "$1" ] 2>/dev/null && screen | grep -qE '^silent\.lab +resolving'; }
wait_until 2 redrawn "${s1:-0}"
s2=$(sent 127.0.0.1)
check "the screen keeps redrawing meanwhile (127.0.0.1: $s1 -> $s2 probes)" \
  sh -c "[ '${s2:-0}' -gt '${s1:-0}' ] && $TM capture-pane -p -t 0 | grep -qE '^silent\.lab +resolving'"
check "the lookup fails after its timeout, on its row" wait_for '^silent\.lab .*cannot be resolved' 10
waited=$((($(date +%s%N) - t0) / 1000000))
check "... after waiting for it (${waited} ms >= 2000)" [ "$waited" -ge 2000 ]
$TM send-keys -t 0 q

# Names asked again: every second here (--resolve-every 1).
asked() { grep -c "query\[A\] $1 from" "$TMP/queries.log"; }
addr_of() { screen | awk -v t="$1" '$1 == t {print $2; exit}'; }
start --dns-server 127.0.0.1 -i 0.2 --resolve-every 1 --log "$TMP/events.json" \
  --record "$TMP/rec.json" \
  --on-alert "'echo \$SONAR_EVENT \$SONAR_TARGET \$SONAR_PREVIOUS \$SONAR_ADDRESS \$SONAR_STATE >>$TMP/cmd.log'" \
  move.lab rr.lab gone.lab late.lab
check "late.lab (not in DNS yet) fails on its row" wait_for '^late\.lab .*cannot be resolved' 10
check "move.lab at 127.0.10.3" wait_for '^move\.lab +127\.0\.10\.3 +0\.0% +([5-9]|[1-9][0-9]) '
rr=$(addr_of rr.lab)
check "rr.lab at one of its two addresses ($rr)" eval '[ "$rr" = 127.0.10.4 ] || [ "$rr" = 127.0.10.5 ]'
check "move.lab is asked again, once a second or so" until_ok 5 eval '[ "$(asked move.lab)" -ge 3 ]'
# move.lab moves; rr.lab's addresses trade places (the one probed is still
# one of them); gone.lab is no more (the server says NXDOMAIN)
hosts '127.0.10.6 move.lab
127.0.10.5 rr.lab
127.0.10.4 rr.lab
127.0.10.8 late.lab'
kill -HUP "$(cat "$TMP/dnsmasq.pid")"
n_rr=$(asked rr.lab)
check "move.lab follows its name to 127.0.10.6" wait_for '^move\.lab +127\.0\.10\.6 ' 5
check "... its statistics start afresh (Snt from 0)" \
  eval '[ "$(screen | awk '"'"'$1 == "move.lab" {print $4}'"'"')" -lt 20 ]'
check "... and answer there" wait_for '^move\.lab +127\.0\.10\.6 +0\.0% +[1-9]' 5
check "an \"address\" event in --log, with the old address" until_ok 5 grep -q \
  '"event":"address","target":"move.lab","address":"127.0.10.6","why":null,"previous":"127.0.10.3","value":null' \
  "$TMP/events.json"
check "--on-alert ran for it (SONAR_PREVIOUS, SONAR_STATE new)" until_ok 5 \
  grep -qx 'address move.lab 127.0.10.3 127.0.10.6 new' "$TMP/cmd.log"
check "rr.lab asked again 3 times after the swap" until_ok 8 eval '[ "$(asked rr.lab)" -ge $((n_rr + 3)) ]'
check "... and still probes $rr (one of its addresses): no event" \
  eval '[ "$(addr_of rr.lab)" = "$rr" ] && ! grep -q "\"address\",\"target\":\"rr.lab\"" "$TMP/events.json"'
check "late.lab, now in DNS, is asked again and probed" \
  wait_for '^late\.lab +127\.0\.10\.8 +0\.0% +[1-9]' 10
check "gone.lab (NXDOMAIN now) keeps its address and its probes" \
  eval '[ "$(addr_of gone.lab)" = 127.0.10.7 ] && ! grep -q "^address gone.lab" "$TMP/cmd.log"'
$TM send-keys -t 0 l
check "l: the event log shows the move" wait_for 'address move\.lab \(127\.0\.10\.6\)  was 127\.0\.10\.3' 5
$TM send-keys -t 0 p
wait_for 'paused' 5
n=$(asked move.lab)
sleep 3
check "paused: not asked again ($n, then $(asked move.lab) after 3 s)" [ "$(asked move.lab)" = "$n" ]
$TM send-keys -t 0 q
check "the recording is closed" until_ok 5 grep -q '"snapshot"' "$TMP/rec.json"
# the replay shows the event too (from the recording's row lines)
tm_start "unshare --net env LANG=C.UTF-8 SONAR_THEMES=$top_srcdir/themes $SONAR replay --speed 20 $TMP/rec.json; sleep 60" 160 20
$TM send-keys -t 0 l
check "sonar replay: the move in its event log" \
  wait_for 'address move\.lab \(127\.0\.10\.6\)  was 127\.0\.10\.3' 10
$TM send-keys -t 0 q

# --resolve-every 0: asked once, never again
start --dns-server 127.0.0.1 -i 0.2 --resolve-every 0 alpha.lab
check "alpha.lab resolves" wait_for '^alpha\.lab +127\.0\.10\.1 +0\.0% +[1-9]'
n=$(asked alpha.lab)
sleep 3
check "--resolve-every 0: not asked again ($n, then $(asked alpha.lab) after 3 s)" [ "$(asked alpha.lab)" = "$n" ]
$TM send-keys -t 0 q
for bad in 0.5 -1 86401 soon; do
  ip netns exec "$NS" "$SONAR" --resolve-every "$bad" 127.0.0.1 >"$TMP/out" 2>"$TMP/err" </dev/null
  rc=$?
  check "--resolve-every $bad: exit 3 (rc $rc: $(cat "$TMP/err"))" eval '[ $rc = 3 ] && grep -q "expects seconds" "$TMP/err"'
done

# A DNS server that is not an address is refused before anything starts.
ip netns exec "$NS" "$SONAR" --dns-server 'not a server' 127.0.0.1 >"$TMP/out" 2>"$TMP/err" </dev/null
check "a bad --dns-server: exit 3" [ $? = 3 ]
finish
