#!/bin/bash
# tests/lab/exporter_path.sh - `sonar exporter --trace`: per hop series
# through the four routers of tests/lab/path_topology.sh.
#
# The exporter in the client traces 10.202.5.2 (ICMP) and udp://fd30:5::2
# every 0.5 s (the first given twice, traced once): sonar_hop_* series exist for hops 1-5 and no farther, each
# hop's hop_ip is the router at that distance (10.202.k.2, fd30:k::2) and
# the destination's own at 5, and every hop answers; router 2 then drops
# ICMP it would send (nftables), and its hop keeps being probed with no
# more answers while the others keep answering. The output passes
# promtool. Bounded: 120 s; the namespaces go on every exit path.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 120 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip nft curl promtool
. "$top_srcdir/tests/lab/path_topology.sh"
XPID=
trap '{ [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null; path_down' EXIT

XP=127.0.0.1:9374
# (ip netns exec execs: $! is the exporter)
# (10.202.5.2 given twice: one trace, not two writing the same series)
ip netns exec "$C" "$SONAR" exporter --listen "$XP" -i 0.5 -W 1 --trace 10.202.5.2 \
  --trace udp://[fd30:5::2] --trace 10.202.5.2 2>"$TMP/err" &
XPID=$!
m() { ip netns exec "$C" curl -s --max-time 5 "http://$XP/metrics"; }
# hop METRIC HOST HOP: the sample's value and its hop_ip, "IP VALUE" (the
# requests have no hop_ip: "- VALUE")
hop() {
  m | awk -v n="$1" -v h="host=\"$2\"" -v k="hop=\"$3\"" '
    index($0, n "{") == 1 && index($0, h ",") && (index($0, k ",") || index($0, k "}")) {
      ip = "-"; if (match($0, /hop_ip="[^"]*"/)) ip = substr($0, RSTART + 8, RLENGTH - 9)
      print ip, $NF }'
}
# every_hop_answers HOST PREFIX SUFFIX5: hops 1-4 answered from PREFIX k
# SUFFIX, hop 5 from the destination, at least twice each
every_hop_answers() {
  local k ip v
  for k in 1 2 3 4 5; do
    read -r ip v <<<"$(hop sonar_hop_responses_total "$1" $k)"
    [ "$ip" = "$2$k$3" ] && [ "${v:-0}" -ge 2 ] || return 1
  done
}
check "the exporter serves" wait_until 30 sh -c "ip netns exec $C curl -sf http://$XP/-/healthy >/dev/null"
check "IPv4 ICMP trace: hops 1-5, each answering from 10.202.k.2" \
  until_ok 30 every_hop_answers 10.202.5.2 10.202. .2
check "IPv6 UDP trace: hops 1-5, each answering from fd30:k::2" \
  until_ok 30 every_hop_answers "udp://[fd30:5::2]" fd30: ::2
check "no hop beyond the destination (5) is written" \
  sh -c "! ip netns exec $C curl -s http://$XP/metrics | grep -qE '^sonar_hop_[a-z_]+\{.*hop=\"([6-9]|[1-3][0-9])\"'"
check "each hop has a last RTT" \
  sh -c "[ \$(ip netns exec $C curl -s http://$XP/metrics | grep -c '^sonar_hop_last_rtt_seconds{') = 10 ]"
m >"$TMP/metrics"
check "promtool check metrics passes with the hop series" sh -c "promtool check metrics <'$TMP/metrics'"
# (promtool does not see it; Prometheus drops the second of two samples of
# one series as a duplicate)
check "no series is written twice" \
  sh -c "[ -z \"\$(grep -v '^#' '$TMP/metrics' | sed 's/ [^ ]*\$//' | sort | uniq -d)\" ]"

# router 2 goes silent: its hop is still probed, its answers stop
nft_in "${NODES[2]}" <<'NFT'
table inet silent {
  chain out {
    type filter hook output priority 0;
    icmp type time-exceeded drop
  }
}
NFT
read -r _ r0 <<<"$(hop sonar_hop_responses_total 10.202.5.2 2)"
read -r _ s0 <<<"$(hop sonar_hop_requests_total 10.202.5.2 2)"
read -r _ d0 <<<"$(hop sonar_hop_responses_total 10.202.5.2 5)"
more() { read -r _ v <<<"$(hop "$1" 10.202.5.2 "$2")"; [ "${v:-0}" -ge "$3" ]; }
check "router 2 silent: hop 2 is still probed" until_ok 20 more sonar_hop_requests_total 2 $((s0 + 6))
check "and the destination keeps answering" until_ok 20 more sonar_hop_responses_total 5 $((d0 + 6))
read -r _ r1 <<<"$(hop sonar_hop_responses_total 10.202.5.2 2)"
# (an answer in flight when the rule went in may still count)
check "hop 2's answers stopped ($r0 -> $r1)" [ "$((r1 - r0))" -le 1 ]
[ "$FAIL" != 0 ] && sed 's/^/# exporter: /' "$TMP/err"
finish
