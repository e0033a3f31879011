#!/bin/bash
# tests/lab/lab.sh - sonar ping against the real kernel, through a router,
# in network namespaces this test creates and always removes.
#
#   client (C) --veth-- router (R) --veth-- target (T)
#   10.201.1.2         .1 | 10.201.2.1       10.201.2.2
#   fd20:1::2        ::1  | fd20:2::1        fd20:2::2
#
# R rejects what is forwarded to 10.201.9.0/24 and fd20:9::/64 with nftables
# (ICMP host unreachable / no route). Not an `unreachable` route: the kernel
# rate-limits those errors through route.error_cost (1/s), a global sysctl.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft

ID=$$
C=sonar-c-$ID R=sonar-r-$ID T=sonar-t-$ID
TMP=$(mktemp -d)

lab_down() {
  for ns in "$C" "$R" "$T"; do ip netns del "$ns" 2>/dev/null; done
  rm -rf "$TMP"
}
trap lab_down EXIT
[ -n "${LAB_KEEP:-}" ] && trap - EXIT
trap 'exit 1' INT TERM

lab_up() {
  set -e
  for ns in "$C" "$R" "$T"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  ip link add c0 netns "$C" type veth peer name r0 netns "$R"
  ip link add r1 netns "$R" type veth peer name t0 netns "$T"
  ip -n "$C" addr add 10.201.1.2/24 dev c0
  ip -n "$R" addr add 10.201.1.1/24 dev r0
  ip -n "$R" addr add 10.201.2.1/24 dev r1
  ip -n "$T" addr add 10.201.2.2/24 dev t0
  ip -n "$C" -6 addr add fd20:1::2/64 dev c0 nodad
  ip -n "$R" -6 addr add fd20:1::1/64 dev r0 nodad
  ip -n "$R" -6 addr add fd20:2::1/64 dev r1 nodad
  ip -n "$T" -6 addr add fd20:2::2/64 dev t0 nodad
  for l in "$C c0" "$R r0" "$R r1" "$T t0"; do
    set -- $l
    ip -n "$1" link set "$2" up
  done
  ip -n "$C" route add default via 10.201.1.1
  ip -n "$C" -6 route add default via fd20:1::1
  ip -n "$T" route add default via 10.201.2.1
  ip -n "$T" -6 route add default via fd20:2::1
  ip netns exec "$R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  # The lab wants every ICMP error the router would send, not a sample.
  ip netns exec "$R" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
  ip -n "$R" route add 10.201.9.0/24 dev r1
  ip -n "$R" -6 route add fd20:9::/64 dev r1
  ip netns exec "$R" nft -f - <<'NFT'
table inet lab {
  chain forward {
    type filter hook forward priority 0;
    ip daddr 10.201.9.0/24 reject with icmp type host-unreachable
    ip6 daddr fd20:9::/64 reject with icmpv6 type no-route
  }
}
NFT
  # Datagram ICMP sockets for every group, in the client only.
  ip netns exec "$C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
  set +e
}

if ! (lab_up) >"$TMP/up.log" 2>&1; then
  not_ok "lab setup: $(tr '\n' ' ' <"$TMP/up.log")"
  finish
fi
# Neighbour discovery and ARP, so the first probe is not lost to them.
ip netns exec "$C" ping -c 1 -W 2 10.201.2.2 >/dev/null 2>&1
ip netns exec "$C" ping -6 -c 1 -W 2 fd20:2::2 >/dev/null 2>&1

inC() { ip netns exec "$C" "$@"; }
O=$TMP/out E=$TMP/err

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

  inC setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
    --bounding-set=-all -- "$SONAR" ping --unprivileged -c 3 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
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
inC setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
  --bounding-set=-all -- "$SONAR" ping --privileged -c 1 10.201.2.2 >"$O" 2>"$E"
RC=$?
check "raw socket as nobody: exit 4" [ $RC = 4 ]
check "raw socket as nobody: one clear line" \
  sh -c "[ \$(wc -l <'$E') = 1 ] && grep -q 'Root privileges are required to create the socket' '$E'"
# Without --privileged, nobody falls back to a datagram socket.
inC setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
  --bounding-set=-all -- "$SONAR" ping -c 1 -W 1 --json 10.201.2.2 >"$O" 2>"$E"
check "default socket as nobody falls back to datagram and works" jq_true "$O" '.is_alive'
# Outside the client's namespace datagram sockets may be off for nobody:
ip netns exec "$T" sysctl -qw net.ipv4.ping_group_range="1 0"
ip netns exec "$T" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
  --bounding-set=-all -- "$SONAR" ping --unprivileged -c 1 127.0.0.1 >"$O" 2>"$E"
RC=$?
check "datagram socket outside ping_group_range: exit 4 with the sysctl named" \
  sh -c "[ $RC = 4 ] && grep -q 'ping_group_range' '$E'"

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
