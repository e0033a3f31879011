#!/bin/bash
# tests/dns.sh - names without waiting: the dashboard against a real DNS
# server (dnsmasq, with a hosts file of the test's own) in a namespace the
# test creates, and against a server that never answers.
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
printf '127.0.10.1 alpha.lab\n127.0.10.2 beta.lab\n::1 six.lab\n' >"$TMP/hosts"
ip netns exec "$NS" dnsmasq --conf-file=/dev/null --no-resolv --no-hosts \
  --addn-hosts="$TMP/hosts" --listen-address=127.0.0.1 --bind-interfaces --port=53 \
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

# A DNS server that is not an address is refused before anything starts.
ip netns exec "$NS" "$SONAR" --dns-server 'not a server' 127.0.0.1 >"$TMP/out" 2>"$TMP/err" </dev/null
check "a bad --dns-server: exit 3" [ $? = 3 ]
finish
