# tests/lab/topology.sh - the three-namespace lab, sourced by the lab tests.
#
#   client (C) --veth-- router (R) --veth-- target (T)
#   10.201.1.2         .1 | 10.201.2.1       10.201.2.2 (+ .3 spare)
#   fd20:1::2        ::1  | fd20:2::1        fd20:2::2  (+ ::3 spare)
#                 fe80::1 on r0, for zone-index tests
#
# R rejects what is forwarded to 10.201.9.0/24 and fd20:9::/64 with nftables
# (ICMP host unreachable / no route). Not an `unreachable` route: the kernel
# rate-limits those errors through route.error_cost (1/s), a global sysctl.
# Namespaces are named after the test's PID and removed on exit, also on
# failure (LAB_KEEP=1 keeps them for debugging).

ID=$$
C=sonar-c-$ID R=sonar-r-$ID T=sonar-t-$ID
TMP=$(mktemp -d)

lab_down() {
  trap "" INT TERM # a signal now must not cut the clean-up short
  # whatever a test left running inside the namespaces goes with them
  ns_remove "$C" "$R" "$T"
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
  ip -n "$T" addr add 10.201.2.3/24 dev t0
  ip -n "$C" -6 addr add fd20:1::2/64 dev c0 nodad
  ip -n "$R" -6 addr add fd20:1::1/64 dev r0 nodad
  ip -n "$R" -6 addr add fd20:2::1/64 dev r1 nodad
  ip -n "$T" -6 addr add fd20:2::2/64 dev t0 nodad
  ip -n "$T" -6 addr add fd20:2::3/64 dev t0 nodad
  ip -n "$R" -6 addr add fe80::1/64 dev r0 nodad
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
inT() { ip netns exec "$T" "$@"; }
# as_nobody_in NS CMD...: run CMD in namespace NS as nobody, no capabilities.
as_nobody_in() {
  _ns=$1
  shift
  ip netns exec "$_ns" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
    --inh-caps=-all --bounding-set=-all -- "$@"
}
O=$TMP/out E=$TMP/err
