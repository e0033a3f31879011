#!/bin/bash
# tests/lab/path.sh - sonar traceroute through four routers, IPv4 and IPv6,
# in the namespaces of tests/lab/path_topology.sh.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft

. "$top_srcdir/tests/lab/path_topology.sh"
O=$TMP/out E=$TMP/err

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.202.5.2 want="1:10.202.1.2 2:10.202.2.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
    want_silent="1:10.202.1.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else
    dst=fd30:5::2 want="1:fd30:1::2 2:fd30:2::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"
    want_silent="1:fd30:1::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"
  fi

  inC "$SONAR" traceroute --privileged -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam traceroute: exit 0 (destination answered)" [ $RC = 0 ]
  check "IPv$fam traceroute: hops and distances match the topology" expect_hops "$O" "$want"
  check "IPv$fam traceroute: every hop answered both probes" \
    jq_true "$O" 'all(.[]; .packets_sent == 2 and .packets_received == 2)'
  cp "$O" "$TMP/priv$fam.json"

  inC setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
    --bounding-set=-all -- "$SONAR" traceroute --unprivileged -W 1 --json "$dst" >"$O" 2>"$E"
  check "IPv$fam unprivileged traceroute (datagram + IP_RECVERR) as nobody matches" \
    expect_hops "$O" "$want"

  inC "$SONAR" traceroute --privileged -W 1 --fast -c 3 --json "$dst" >"$O" 2>"$E"
  check "IPv$fam --fast: one probe per hop that answered" \
    jq_true "$O" 'length == 5 and all(.[]; .packets_sent == 1 and .packets_received == 1)'

  inC "$SONAR" traceroute --privileged -W 1 -f 3 -m 4 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam -f 3 -m 4: hops 3 and 4 only, exit 1 (destination not reached)" \
    sh -c "[ $RC = 1 ] && [ \"\$(jq -r '[.[].distance] | join(\",\")' '$O')\" = 3,4 ]"
done

# -- a router that sends no Time Exceeded --------------------------------------
nft_in "${NODES[2]}" <<'NFT'
table inet silent {
  chain out {
    type filter hook output priority 0;
    icmp type time-exceeded drop
    icmpv6 type time-exceeded drop
  }
}
NFT
for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.202.5.2 w="1:10.202.1.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else dst=fd30:5::2 w="1:fd30:1::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"; fi
  for priv in privileged unprivileged; do
    inC "$SONAR" traceroute --$priv -W 1 --json "$dst" >"$O" 2>"$E"
    check "IPv$fam $priv: the silent router is missing from the result" expect_hops "$O" "$w"
  done
  inC "$SONAR" traceroute -W 1 "$dst" >"$O" 2>"$E"
  check "IPv$fam text: '*' for the silent hop 2" grep -qE '^  2  \*$' "$O"
done
ip netns exec "${NODES[2]}" nft delete table inet silent

# -- a lossy link between R3 and R4 ---------------------------------------------
nft_in "${NODES[3]}" <<'NFT'
table inet lossy {
  chain lossy_forward {
    type filter hook forward priority 0;
    oifname "l4" numgen random mod 100 < 40 drop
  }
}
NFT
for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.202.5.2; else dst=fd30:5::2; fi
  inC "$SONAR" traceroute -c 20 -i 0.02 -W 1 --json "$dst" >"$O" 2>"$E"
  check "IPv$fam lossy link R3-R4: no loss on hops 1-3" \
    jq_true "$O" '[.[] | select(.distance <= 3) | .packet_loss] == [0,0,0]'
  check "IPv$fam lossy link R3-R4: loss on hops 4 and 5 behind it" \
    jq_true "$O" '[.[] | select(.distance >= 4) | .packet_loss > 0] == [true,true]'
done
ip netns exec "${NODES[3]}" nft delete table inet lossy

# -- the kernel's ICMP rate limit left at its defaults -------------------------
# Linux limits the ICMP errors a router sends to one peer (1 per second after
# a burst of 6, net.ipv4.icmp_ratelimit = 1000 ms); echo replies are exempt.
# With 12 probes in 0.24 s the routers drop about half their Time Exceeded:
# sonar reports loss on the router hops and none at the destination, which
# is the pattern to read as "rate limiting", not as lost traffic.
# The token buckets fill at one per second from the last error sent: wait
# so that each router has some, as after a quiet spell.
for i in 1 2 3 4; do
  ip netns exec "${NODES[i]}" sysctl -qw net.ipv4.icmp_ratelimit=1000 net.ipv6.icmp.ratelimit=1000
done
sleep 2.5
for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.202.5.2; else dst=fd30:5::2; fi
  inC "$SONAR" traceroute -c 12 -i 0.02 -W 1 --json "$dst" >"$O" 2>"$E"
  echo "# IPv$fam at default rate limits: $(jq -c '[.[] | {d: .distance, loss: .packet_loss}]' "$O")"
  check "IPv$fam default rate limits: routers answer some probes, not all" \
    jq_true "$O" 'length == 5 and all(.[] | select(.distance <= 4); .packet_loss > 0 and .packet_loss < 1)'
  check "IPv$fam default rate limits: the destination loses none" \
    jq_true "$O" '(.[] | select(.distance == 5) | .packet_loss) == 0'
done

finish
