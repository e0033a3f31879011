#!/bin/bash
# tests/lab/lab.sh - sonar ping against the real kernel, through a router,
# in the namespaces of tests/lab/topology.sh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft tmux
. "$top_srcdir/tests/lab/topology.sh"

# -- through the router ------------------------------------------------------
for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.201.2.2; else dst=fd20:2::2; fi
  inC "$SONAR" ping -c 3 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam raw ping through the router: exit 0" [ $RC = 0 ]
  check "IPv$fam raw ping: 3 sent, 3 received, 3 rtts" \
    jq_true "$O" '.packets_sent == 3 and .packets_received == 3 and (.rtts|length) == 3'
  check "IPv$fam raw ping: reply TTL 63 (one router)" jq_true "$O" '.reply_ttl == 63'
  check "IPv$fam raw ping: min <= avg <= max" jq_true "$O" '.min_rtt <= .avg_rtt and .avg_rtt <= .max_rtt'

  as_nobody_in "$C" "$SONAR" ping --unprivileged -c 3 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam unprivileged ping as nobody through the router: exit 0" [ $RC = 0 ]
  check "IPv$fam unprivileged ping: 3 of 3, TTL 63" \
    jq_true "$O" '.packets_received == 3 and .reply_ttl == 63'
done

# -- a host that does not exist behind the router ----------------------------
inC "$SONAR" ping -c 2 -i 0.2 -W 0.5 --json 10.201.2.99 >"$O" 2>"$E"
RC=$?
check "missing host: exit 1" [ $RC = 1 ]
check "missing host: not alive, loss 1.0" jq_true "$O" '.is_alive == false and .packet_loss == 1 and .packets_sent == 2'

# -- the router answers Destination Unreachable ------------------------------
for priv in privileged unprivileged; do
  inC "$SONAR" ping --$priv -c 2 -i 0.2 -W 1 --json 10.201.9.9 >"$O" 2>"$E"
  RC=$?
  check "IPv4 $priv unreachable: exit 1" [ $RC = 1 ]
  check "IPv4 $priv unreachable: DestinationUnreachable, 'Destination host unreachable'" \
    jq_true "$O" '.error_type == "DestinationUnreachable" and .error == "Destination host unreachable" and .packets_sent == 2 and .packets_received == 0'
  inC "$SONAR" ping --$priv -c 1 -W 1 10.201.9.9 >"$O" 2>"$E"
  check "IPv4 $priv unreachable text names the router" grep -q "From 10.201.1.1 icmp_seq=0 Destination host unreachable" "$O"

  inC "$SONAR" ping --$priv -c 2 -i 0.2 -W 1 --json fd20:9::9 >"$O" 2>"$E"
  RC=$?
  check "IPv6 $priv unreachable: exit 1" [ $RC = 1 ]
  check "IPv6 $priv unreachable: 'No route to destination'" \
    jq_true "$O" '.error_type == "DestinationUnreachable" and .error == "No route to destination"'
done

# -- privileges --------------------------------------------------------------
as_nobody_in "$C" "$SONAR" ping --privileged -c 1 10.201.2.2 >"$O" 2>"$E"
RC=$?
check "raw socket as nobody: exit 4" [ $RC = 4 ]
check "raw socket as nobody: one clear line" \
  sh -c "[ \$(wc -l <'$E') = 1 ] && grep -q 'Root privileges are required to create the socket' '$E'"
# Without --privileged, nobody falls back to a datagram socket.
as_nobody_in "$C" "$SONAR" ping -c 1 -W 1 --json 10.201.2.2 >"$O" 2>"$E"
check "default socket as nobody falls back to datagram and works" jq_true "$O" '.is_alive'
# Outside the client's namespace datagram sockets may be off for nobody:
ip netns exec "$T" sysctl -qw net.ipv4.ping_group_range="1 0"
as_nobody_in "$T" "$SONAR" ping --unprivileged -c 1 127.0.0.1 >"$O" 2>"$E"
RC=$?
check "datagram socket outside ping_group_range: exit 4 with the sysctl named" \
  sh -c "[ $RC = 4 ] && grep -q 'ping_group_range' '$E'"

# -- multiping: a mixed list, each target its own result -----------------------
offline ip netns exec "$C" "$SONAR" multiping -c 2 -i 0.1 -W 0.5 --json 10.201.2.2 fd20:2::2 no-such-host.invalid \
  10.201.2.99 10.201.9.9 >"$O" 2>"$E"
RC=$?
check "mixed multiping: exit 2 (a name did not resolve)" [ $RC = 2 ]
check "mixed multiping: IPv4 and IPv6 alive through the router" \
  jq_true "$O" '.[0].is_alive and .[0].reply_ttl == 63 and .[1].is_alive and .[1].address == "fd20:2::2"'
check "mixed multiping: the bad name carries NameLookupError" \
  jq_true "$O" '.[2].error_type == "NameLookupError" and .[2].packets_sent == 0'
check "mixed multiping: the silent address times out (loss 1.0)" \
  jq_true "$O" '.[3].is_alive == false and .[3].packet_loss == 1 and .[3].error_type == "TimeoutExceeded"'
check "mixed multiping: the rejected address is DestinationUnreachable" \
  jq_true "$O" '.[4].error_type == "DestinationUnreachable" and .[4].error == "Destination host unreachable"'
check "mixed multiping: results in input order" \
  jq_true "$O" '[.[].target] == ["10.201.2.2", "fd20:2::2", "no-such-host.invalid", "10.201.2.99", "10.201.9.9"]'
inC "$SONAR" multiping -c 1 -W 0.5 10.201.2.2 10.201.2.99 >"$O" 2>"$E"
check "multiping with one silent target: exit 1" [ $? = 1 ]

# -- the route goes away and comes back, mid-run ---------------------------------
# not through inC (a function): $! must be sonar itself
ip netns exec "$C" "$SONAR" ping -c 0 -i 0.1 -W 0.5 --stream 10.201.2.2 >"$O" 2>"$E" &
pid=$!
# events TYPE N: N events of TYPE so far; replies_after_errors N: N replies
# after the last send error (each phase three events long at least)
events() { [ "$(jq -r .event "$O" 2>/dev/null | grep -c "^$1\$")" -ge "$2" ]; }
replies_after_errors() {
  [ "$(jq -r .event "$O" 2>/dev/null | awk '$0 == "send_error" {n = 0; e = 1} $0 == "reply" && e {n++} END {print n + 0}')" -ge "$1" ]
}
wait_until 5 events reply 3
ip -n "$C" route del default
wait_until 5 events send_error 3
ip -n "$C" route add default via 10.201.1.1
wait_until 5 replies_after_errors 3
kill -INT $pid
wait $pid
jq -r .event "$O" | uniq -c | awk '{print $2}' | tr '\n' ' ' >"$TMP/phases"
check "route flap: replies, then send errors (no route), then replies again: $(cat "$TMP/phases")" \
  grep -qE 'reply .*send_error .*reply' "$TMP/phases"
check "route flap: the send errors say there is no route" \
  sh -c "jq -r 'select(.event == \"send_error\") | .error' '$O' | sort -u | grep -q 'unreachable (no route from this host)'"
# The dashboard's row shows the error, then recovers without a restart.
TM="tmux -L sonar-lab-$$ -f /dev/null"
$TM new-session -d -x 160 -y 20 "ip netns exec $C env SONAR_THEMES=$top_srcdir/themes $SONAR -i 0.1 10.201.2.2; sleep 30"
# the row answering (Rcv 1 or more)
tm_wait '^10\.201\.2\.2 +10\.201\.2\.2 +[0-9.]+% +[0-9]+ +[1-9]' 10 >/dev/null
ip -n "$C" route del default
check "route flap, dashboard: the row shows the error" \
  tm_wait '^10\.201\.2\.2 .*no route from this host' 5
ip -n "$C" route add default via 10.201.1.1
# recovered: the row without the error, and its Rcv grown past what it was
rcv() { tm_screen | awk '$1 == "10.201.2.2" {print $5; exit}'; }
recovered() { ! tm_screen | grep -E '^10\.201\.2\.2 ' | grep -q 'no route' && [ "$(rcv)" -gt "$1" ] 2>/dev/null; }
r0=$(rcv)
check "route flap, dashboard: the row recovers (error gone, answering)" wait_until 5 recovered "${r0:-0}"
tm_down

# -- IPv6 zone index: a link-local router address on the client's link ------
inC "$SONAR" ping -c 2 -i 0.1 -W 1 --json fe80::1%c0 >"$O" 2>"$E"
check "link-local fe80::1%c0 (zone index): alive" jq_true "$O" '.is_alive and .address == "fe80::1%c0" and .reply_ttl == 64'
inC "$SONAR" ping -c 1 -W 0.5 fe80::1%nosuchif >"$O" 2>"$E"
check "unknown zone: exit 2 (cannot be resolved)" [ $? = 2 ]

# -- source addresses ---------------------------------------------------------
inC "$SONAR" ping -c 1 -W 1 -I 10.201.1.2 --json 10.201.2.2 >"$O" 2>"$E"
check "assignable --source works" jq_true "$O" '.is_alive'
for src in 10.201.2.2 fd20:2::2; do
  if [ "$src" = 10.201.2.2 ]; then dst=10.201.2.2; else dst=fd20:2::2; fi
  inC "$SONAR" ping -c 1 -I "$src" "$dst" >"$O" 2>"$E"
  RC=$?
  check "unassignable --source $src: exit 4" [ $RC = 4 ]
  check "unassignable --source $src: address error message" \
    grep -q "The requested address ($src) cannot be assigned to the socket" "$E"
done

finish
