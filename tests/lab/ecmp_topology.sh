# tests/lab/ecmp_topology.sh - an ECMP router between the client and the
# target, sourced by tests/lab/paris.sh and tests/lab/dash_flows.sh.
#
#   C --1-- R ==2== A --4-- T      R reaches T's 10.210.9.9 by two equal
#             ==3== B --5--        routes (via A and via B), hashing L4
#                                  ports (fib_multipath_hash_policy=1)
#
# Link k is 10.210.k.0/24 (.1 left, .2 right), so TTL 2 answers from
# 10.210.2.2 (A) or 10.210.3.2 (B). IPv6 the same: fd31:k::/64 (::1 left,
# ::2 right), T's fd31:9::9 by two equal routes too (net.ipv6's hash policy
# 1), TTL 2 fd31:2::2 (A) or fd31:3::2 (B). With ECMP_LONG_B=1, branch B is
# a hop longer: B --5-- B2 --6-- T, so TTL 3 is T through A and B2
# (10.210.5.1) through B, and T is 4 hops away through B. The namespaces are named after
# the PID and removed on every exit (ecmp_down; a test that needs more
# clean-up traps its own and calls it).
ID=$$
C=sonar-pc-$ID R=sonar-pr-$ID A=sonar-pa-$ID B=sonar-pb-$ID T=sonar-pt-$ID B2=sonar-pb2-$ID
TMP=$(mktemp -d)
ecmp_down() {
  trap "" INT TERM # a signal now must not cut the clean-up short
  ns_remove "$C" "$R" "$A" "$B" "$T" "$B2"
  rm -rf "$TMP"
}
trap ecmp_down EXIT
trap 'exit 1' INT TERM
O=$TMP/out E=$TMP/err

up() {
  set -e
  routers="$R $A $B $T"
  [ -n "${ECMP_LONG_B:-}" ] && routers="$routers $B2"
  for ns in "$C" $routers; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  link() { # link K LEFT RIGHT: 10.210.K.1 on the left, .2 on the right
    ip link add "l$1" netns "$2" type veth peer name "r$1" netns "$3"
    ip -n "$2" addr add "10.210.$1.1/24" dev "l$1"
    ip -n "$3" addr add "10.210.$1.2/24" dev "r$1"
    ip -n "$2" -6 addr add "fd31:$1::1/64" dev "l$1" nodad
    ip -n "$3" -6 addr add "fd31:$1::2/64" dev "r$1" nodad
    ip -n "$2" link set "l$1" up
    ip -n "$3" link set "r$1" up
  }
  link 1 "$R" "$C"
  link 2 "$R" "$A"
  link 3 "$R" "$B"
  link 4 "$T" "$A"
  if [ -n "${ECMP_LONG_B:-}" ]; then
    link 5 "$B2" "$B"
    link 6 "$T" "$B2"
  else
    link 5 "$T" "$B"
  fi
  ip -n "$T" addr add 10.210.9.9/32 dev lo
  ip -n "$T" -6 addr add fd31:9::9/128 dev lo
  ip -n "$C" route add default via 10.210.1.1
  ip -n "$C" -6 route add default via fd31:1::1
  ip -n "$R" route add 10.210.9.9/32 nexthop via 10.210.2.2 nexthop via 10.210.3.2
  ip -n "$R" -6 route add fd31:9::9/128 nexthop via fd31:2::2 nexthop via fd31:3::2
  ip -n "$A" route add 10.210.9.9/32 via 10.210.4.1
  ip -n "$A" -6 route add fd31:9::9/128 via fd31:4::1
  ip -n "$B" route add 10.210.9.9/32 via 10.210.5.1
  ip -n "$B" -6 route add fd31:9::9/128 via fd31:5::1
  ip -n "$A" route add default via 10.210.2.1
  ip -n "$A" -6 route add default via fd31:2::1
  ip -n "$B" route add default via 10.210.3.1
  ip -n "$B" -6 route add default via fd31:3::1
  if [ -n "${ECMP_LONG_B:-}" ]; then
    ip -n "$B2" route add 10.210.9.9/32 via 10.210.6.1
    ip -n "$B2" -6 route add fd31:9::9/128 via fd31:6::1
    ip -n "$B2" route add default via 10.210.5.2
    ip -n "$B2" -6 route add default via fd31:5::2
  fi
  ip -n "$T" route add default via 10.210.4.2
  ip -n "$T" -6 route add default via fd31:4::2
  for ns in $routers; do
    ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.icmp_ratelimit=0 \
      net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 \
      net.ipv6.conf.all.forwarding=1 net.ipv6.icmp.ratelimit=0
  done
  ip netns exec "$R" sysctl -qw net.ipv4.fib_multipath_hash_policy=1 net.ipv6.fib_multipath_hash_policy=1
  # 16 flows x 30 TTLs reach the target at once: past Linux's global ICMP
  # limit (1,000 a second, a burst of 50), which would silence most flows'
  # Port Unreachable; this lab wants every answer (README says so)
  ip netns exec "$T" sysctl -qw net.ipv4.icmp_msgs_per_sec=100000 net.ipv4.icmp_msgs_burst=10000
  set +e
}
if ! (up) >"$TMP/up.log" 2>&1; then
  not_ok "ECMP lab setup: $(tr '\n' ' ' <"$TMP/up.log")"
  finish
fi
ip netns exec "$C" ping -c 1 -W 2 10.210.9.9 >/dev/null 2>&1
ip netns exec "$C" ping -6 -c 1 -W 2 fd31:9::9 >/dev/null 2>&1

