#!/bin/bash
# tests/bench/path_discovery.sh - the whole path through the four-router lab
# with one silent router (R2 sends no Time Exceeded): sonar traceroute with
# default options against `mtr -r -c 2` and `traceroute -n -q 2`, one run.
set -u
: "${SONAR:?}" "${top_srcdir:?}"
. "$top_srcdir/tests/lib.sh" >/dev/null
for c in ip nft mtr traceroute /usr/bin/time; do
  command -v "$c" >/dev/null || { echo "missing $c (./run.sh bench installs it)"; exit 1; }
done
. "$top_srcdir/tests/lab/path_topology.sh"
ip netns exec "${NODES[2]}" nft -f - <<'NFT'
table inet silent {
  chain out {
    type filter hook output priority 0;
    icmp type time-exceeded drop
  }
}
NFT

# secs CMD...: wall seconds of CMD in the client namespace; output to $TMP/out.
secs() {
  /usr/bin/time -f '%e' -o "$TMP/t" ip netns exec "$C" "$@" >"$TMP/out" 2>/dev/null
  cat "$TMP/t"
}
s=$(secs "$SONAR" traceroute --json 10.202.5.2)
s_hops=$(jq -r '[.[].distance] | join(",")' "$TMP/out")
m=$(secs mtr -r -n -c 2 10.202.5.2)
m_hops=$(grep -cE '^ *[0-9]+\.\|-- +10\.202\.' "$TMP/out")
t=$(secs traceroute -n -q 2 10.202.5.2)
t_hops=$(grep -cE '^ *[0-9]+ +10\.202\.' "$TMP/out")
ok=$(awk -v s="$s" -v m="$m" 'BEGIN {print (s <= 2.5 && s <= m / 2) ? "pass" : "FAIL"}')
echo "| path discovery, 4 routers + target, router 2 silent, default options | sonar ${s} s (hops $s_hops) | mtr -r -c 2: ${m} s ($m_hops hops shown); traceroute -n -q 2: ${t} s ($t_hops hops) | $(awk -v a="$s" -v b="$m" 'BEGIN {printf "%.2f", a / b}')x mtr | $ok (<= 2.5 s and <= half of mtr) |"
