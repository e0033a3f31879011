#!/bin/bash
# tests/bench/path_discovery.sh - the whole path through the four-router lab
# with one silent router (R2 sends no Time Exceeded): sonar traceroute with
# default options against `traceroute -n -q 2` (the fastest peer) and
# `mtr -r -c 2`, medians of RUNS runs. The hop lists must agree: hops 1, 3,
# 4 and 5 answer, 2 does not. Goal (issue 12): at most twice traceroute's
# time, which sonar's adaptive wait (-w 2,3,10 by default) is for; the
# library's icmplib wait (-w 2,0,0: the whole timeout) is shown beside it.
set -u
. "$top_srcdir/tests/bench/lib.sh"
. "$top_srcdir/tests/lib.sh" >/dev/null
need_tools ip nft mtr traceroute jq
RUNS=${RUNS:-3}
rm -rf "$TMP"
. "$top_srcdir/tests/lab/path_topology.sh" # its own TMP, removed with the lab
: >"$TMP/failed"
ip netns exec "${NODES[2]}" nft -f - <<'NFT'
table inet silent {
  chain out {
    type filter hook output priority 0;
    icmp type time-exceeded drop
  }
}
NFT

for r in $(seq "$RUNS"); do
  measure s ip netns exec "$C" "$SONAR" traceroute --json 10.202.5.2
  jq -r '[.[].distance] | join(",")' "$TMP/s.out" 2>/dev/null >>"$TMP/s.hops"
  measure t ip netns exec "$C" traceroute -n -q 2 10.202.5.2
  awk '$1 ~ /^[0-9]+$/ && $2 ~ /^10\.202\./ {h = h sep $1; sep = ","} END {print h}' "$TMP/t.out" >>"$TMP/t.hops"
  measure si ip netns exec "$C" "$SONAR" traceroute -w 2,0,0 --json 10.202.5.2
  measure m ip netns exec "$C" mtr -r -n -c 2 10.202.5.2
  awk '$1 ~ /^[0-9]+\.\|--$/ && $2 ~ /^10\.202\./ {sub(/\..*/, "", $1); h = h sep $1; sep = ","} END {print h}' "$TMP/m.out" >>"$TMP/m.hops"
done
sw=$(col s 1) tw=$(col t 1) mw=$(col m 1) siw=$(col si 1)
sh=$(sort "$TMP/s.hops" | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
th=$(sort "$TMP/t.hops" | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
mh=$(sort "$TMP/m.hops" | uniq -c | sort -rn | awk 'NR == 1 {print $2}')
same=$([ "$sh" = 1,3,4,5 ] && [ "$th" = "$sh" ] && [ "$mh" = "$sh" ] && echo 1 || echo 0)
row "| path discovery, 4 routers + target, router 2 silent, default options (median of $RUNS) | sonar $sw s (icmplib's wait, -w 2,0,0: $siw s) | traceroute -n -q 2: $tw s; mtr -r -c 2: $mw s | $(ratio "$sw" "$tw")x traceroute, $(ratio "$sw" "$mw")x mtr | $(verdict "$sw <= 2 * $tw" "$sw" "$tw" "$siw" "$mw") (<= 2x traceroute) |"
row "| same runs: hops that answered | sonar $sh | traceroute $th; mtr $mh | | $(verdict "$same == 1" "$same") (1,3,4,5 for all three) |"
finish_bench
