# tests/lab/path_topology.sh - five hops in namespaces, sourced by
# tests/lab/path.sh and tests/bench/path_discovery.sh.
#
#   C --1-- R1 --2-- R2 --3-- R3 --4-- R4 --5-- T
#
# Link k is 10.202.k.0/24 and fd30:k::/64; its left end is .1 / ::1 and its
# right end .2 / ::2. Routers answer from the address facing the client, so
# hop k is 10.202.k.2 (R1-R4) and hop 5 is the target, 10.202.5.2. Each
# router's ICMP rate limit is off unless a test turns it back on. The
# namespaces are named after the PID and removed on exit, also on failure
# (LAB_KEEP=1 keeps them).

ID=$$
NODES=(sonar-p0-$ID sonar-p1-$ID sonar-p2-$ID sonar-p3-$ID sonar-p4-$ID sonar-p5-$ID)
C=${NODES[0]} T=${NODES[5]}
TMP=$(mktemp -d)
path_down() {
  trap "" INT TERM # a signal now must not cut the clean-up short
  ns_remove "${NODES[@]}"
  rm -rf "$TMP"
}
trap path_down EXIT
[ -n "${LAB_KEEP:-}" ] && trap - EXIT
trap 'exit 1' INT TERM

path_up() {
  set -e
  for ns in "${NODES[@]}"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  for k in 1 2 3 4 5; do
    l=${NODES[k - 1]} r=${NODES[k]}
    ip link add "l$k" netns "$l" type veth peer name "r$k" netns "$r"
    ip -n "$l" addr add "10.202.$k.1/24" dev "l$k"
    ip -n "$r" addr add "10.202.$k.2/24" dev "r$k"
    ip -n "$l" -6 addr add "fd30:$k::1/64" dev "l$k" nodad
    ip -n "$r" -6 addr add "fd30:$k::2/64" dev "r$k" nodad
    ip -n "$l" link set "l$k" up
    ip -n "$r" link set "r$k" up
  done
  # Routes: towards the target through the right neighbour, towards the
  # client through the left one.
  for i in 0 1 2 3 4 5; do
    ns=${NODES[i]}
    if [ $i -lt 5 ]; then
      ip -n "$ns" route add default via "10.202.$((i + 1)).2"
      ip -n "$ns" -6 route add default via "fd30:$((i + 1))::2"
    fi
    if [ $i -gt 0 ]; then
      for k in $(seq 1 $((i - 1))); do
        ip -n "$ns" route add "10.202.$k.0/24" via "10.202.$i.1"
        ip -n "$ns" -6 route add "fd30:$k::/64" via "fd30:$i::1"
      done
    fi
    if [ $i -ge 1 ] && [ $i -le 4 ]; then
      ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
      ip netns exec "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
    fi
  done
  ip netns exec "$C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
  set +e
}

if ! (path_up) >"$TMP/up.log" 2>&1; then
  not_ok "path lab setup: $(tr '\n' ' ' <"$TMP/up.log")"
  finish
fi
inC() { ip netns exec "$C" "$@"; }
nft_in() { ip netns exec "$1" nft -f -; }
# as_nobody_inC CMD...: CMD in the client as nobody, with no capabilities.
as_nobody_inC() {
  ip netns exec "$C" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
    --inh-caps=-all --bounding-set=-all -- "$@"
}
# hops_of FILE: "distance:address ..." of a traceroute's JSON hops.
hops_of() { jq -r '[.[] | "\(.distance):\(.address)"] | join(" ")' "$1" 2>/dev/null; }
# expect_hops FILE "d:addr d:addr ...": the JSON hops are exactly these.
expect_hops() {
  got=$(hops_of "$1")
  [ "$got" = "$2" ] || { echo "# got hops: $got" >&2; return 1; }
}
ip netns exec "$C" ping -c 1 -W 2 10.202.5.2 >/dev/null 2>&1
ip netns exec "$C" ping -6 -c 1 -W 2 fd30:5::2 >/dev/null 2>&1
