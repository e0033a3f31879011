#!/bin/bash
# tests/lab/stats.sh - statistics end to end: min, avg, max, stdev, jitter
# and loss recomputed from what sonar printed (the rtts of its JSON, and the
# events of --stream) equal what it reports, for ping, multiping and every
# hop of a traceroute. The target answers through its own responder after
# 2-12 ms (so RTTs differ) and the router drops a quarter of the echo
# requests (so loss is not 0). Rounding: RTT statistics to 3 decimals,
# loss to 2, as icmplib; recomputed figures may differ by one unit there.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq nft
RESPONDER=${RESPONDER:-$top_builddir/tests/lab/responder}
[ -x "$RESPONDER" ] || { not_ok "responder not built ($RESPONDER)"; finish; }
. "$top_srcdir/tests/lab/topology.sh"

inT sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
for fam in 4 6; do
  [ $fam = 4 ] && src=10.201.2.2 || src=fd20:2::2
  ip netns exec "$T" timeout 60 "$RESPONDER" -$fam --source "$src" --delay-ms 2 --jitter-ms 10 --seconds 50 >"$TMP/resp$fam" 2>&1 &
done
ip netns exec "$R" nft -f - <<'NFT'
table inet loss {
  chain forward {
    type filter hook forward priority 0;
    icmp type echo-request numgen random mod 4 == 0 drop
    icmpv6 type echo-request numgen random mod 4 == 0 drop
  }
}
NFT
ready46() { grep -q ready "$TMP/resp4" && grep -q ready "$TMP/resp6"; }
check "both responders are ready" wait_until 5 ready46

# The jq program: for a host object, recompute from .rtts and compare.
JQ='
def stats($sent): . as $r | ($r | length) as $n |
  if $n == 0 then {min: 0, avg: 0, max: 0, stdev: 0, jitter: 0}
  else ($r | add / $n) as $m |
    {min: ($r | min), avg: $m, max: ($r | max),
     stdev: (($r | map((. - $m) * (. - $m)) | add / $n) | sqrt),
     jitter: (if $n < 2 then 0 else ([range(1; $n)] | map(($r[.] - $r[. - 1]) | fabs) | add / ($n - 1)) end)}
  end + {loss: (if $sent > 0 then 1 - $n / $sent else 0 end)};
def close($a; $b; $tol): (($a - $b) | fabs) <= $tol;
def agrees: .packets_sent as $sent | (.rtts | stats($sent)) as $s |
  close(.min_rtt; $s.min; 0.0011) and close(.avg_rtt; $s.avg; 0.0011) and
  close(.max_rtt; $s.max; 0.0011) and close(.stdev_rtt; $s.stdev; 0.0011) and
  close(.jitter; $s.jitter; 0.0011) and close(.packet_loss; $s.loss; 0.0051) and
  (.rtts | length) == .packets_received;
'
for dst in 10.201.2.2 fd20:2::2; do
  inC "$SONAR" ping -c 40 -i 0.02 -W 1 --json "$dst" >"$O" 2>"$E"
  check "ping $dst: min/avg/max/stdev/jitter/loss equal those of its rtts [$(jq -c '{packets_sent, packets_received, packet_loss, min_rtt, avg_rtt, max_rtt, jitter}' "$O" 2>/dev/null)]" \
    jq_true "$O" "$JQ"' .packets_received > 10 and .packet_loss > 0 and .max_rtt > .min_rtt and agrees'
done

inC "$SONAR" multiping -c 30 -i 0.02 -W 1 --json 10.201.2.2 fd20:2::2 >"$O" 2>"$E"
check "multiping: every target's statistics equal those of its rtts" \
  jq_true "$O" "$JQ"' length == 2 and all(.[]; .packets_received > 5 and agrees)'

inC "$SONAR" traceroute -c 12 -i 0.02 -W 1 --json 10.201.2.2 >"$O" 2>"$E"
check "traceroute: every hop's statistics equal those of its rtts [$(jq -c '[.[] | {distance, packets_received, packet_loss}]' "$O" 2>/dev/null)]" \
  jq_true "$O" "$JQ"' length == 2 and all(.[]; .packets_received > 3 and agrees)'

# --stream (no summary to compare with): every probe sent ends as a reply
# or a timeout, and the events carry what the statistics need.
inC "$SONAR" ping -c 40 -i 0.02 -W 1 --stream 10.201.2.2 >"$O" 2>"$E"
jq -s "$JQ"'
  [.[] | select(.event == "reply") | .rtt] as $r |
  ([.[] | select(.event == "sent")] | length) as $sent |
  ([.[] | select(.event == "timeout")] | length) as $lost |
  {packets_sent: $sent, packets_received: ($r | length), rtts: $r} +
  ($r | stats($sent) | {min_rtt: .min, avg_rtt: .avg, max_rtt: .max, stdev_rtt: .stdev, jitter, packet_loss: .loss}) +
  {lost: $lost}' "$O" >"$TMP/fromstream.json" 2>/dev/null
check "--stream: sent = replies + timeouts, and the events give the statistics [$(jq -c '{packets_sent, packets_received, lost, packet_loss}' "$TMP/fromstream.json" 2>/dev/null); events: $(jq -r .event "$O" | sort | uniq -c | tr -s ' \n' ' ')]" \
  jq_true "$TMP/fromstream.json" '.packets_sent == 40 and .packets_received + .lost == 40 and .lost > 0'
finish
