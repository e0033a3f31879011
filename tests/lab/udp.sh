#!/bin/bash
# tests/lab/udp.sh - UDP probes (--udp, -p) through the four routers of
# tests/lab/path_topology.sh, IPv4 and IPv6, as root and as nobody (UDP
# sockets need no privilege): the same hops as ICMP; a router that drops
# ICMP echo but forwards UDP stops the ICMP trace, not the UDP one; a port
# where a service listens sends no Port Unreachable (not reached); the
# probes on the wire go to one port, their sequence in the payload.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft python3 tcpdump

. "$top_srcdir/tests/lab/path_topology.sh"
O=$TMP/out E=$TMP/err
# The destination's Port Unreachable unlimited (Linux sends 1/s after a
# burst of 6 to one peer) but for the last check, which turns it back on.
ip netns exec "$T" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.202.5.2 want="1:10.202.1.2 2:10.202.2.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else
    dst=fd30:5::2 want="1:fd30:1::2 2:fd30:2::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"
  fi
  inC timeout 20 "$SONAR" traceroute --udp -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam UDP traceroute as root: exit 0 (Port Unreachable from the destination)" [ $RC = 0 ]
  check "IPv$fam UDP traceroute as root: the hops of the topology" expect_hops "$O" "$want"
  check "IPv$fam UDP traceroute: every hop answered both probes" \
    jq_true "$O" 'all(.[]; .packets_sent == 2 and .packets_received == 2)'
  as_nobody_inC timeout 20 "$SONAR" traceroute --udp -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam UDP traceroute as nobody: exit 0" [ $RC = 0 ]
  check "IPv$fam UDP traceroute as nobody: the same hops" expect_hops "$O" "$want"
  as_nobody_inC timeout 20 "$SONAR" ping --udp -c 3 -i 0.05 -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam UDP ping as nobody: 3 of 3 answered, exit 0" \
    sh -c "[ $RC = 0 ] && jq -e '.packets_received == 3 and .packet_loss == 0' '$O' >/dev/null"
done

# -- a router that drops ICMP echo, not UDP ----------------------------------------
nft_in "${NODES[3]}" <<'NFT'
table inet noecho {
  chain forward {
    type filter hook forward priority 0;
    icmp type echo-request drop
    icmpv6 type echo-request drop
  }
}
NFT
for fam in 4 6; do
  [ $fam = 4 ] && dst=10.202.5.2 || dst=fd30:5::2
  inC timeout 20 "$SONAR" traceroute -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam echo dropped at R3: the ICMP trace ends at hop 3, exit 1" \
    sh -c "[ $RC = 1 ] && [ \"\$(jq -r 'map(.distance) | max' '$O')\" = 3 ]"
  inC timeout 20 "$SONAR" traceroute --udp -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam echo dropped at R3: the UDP trace reaches the destination, exit 0" \
    sh -c "[ $RC = 0 ] && [ \"\$(jq -r 'map(.distance) | max' '$O')\" = 5 ]"
done
ip netns exec "${NODES[3]}" nft delete table inet noecho

# -- a port where a service listens: no Port Unreachable ---------------------------
ip netns exec "$T" timeout 20 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.202.5.2", 5353))
print("ready", flush=True)
s.settimeout(0.5)
end = time.monotonic() + 15
while time.monotonic() < end:
    try:
        s.recvfrom(2048)
    except socket.timeout:
        pass
' >"$TMP/listen.out" 2>&1 &
LISTEN=$!
for _ in $(seq 100); do grep -q ready "$TMP/listen.out" && break; sleep 0.05; done
inC timeout 20 "$SONAR" ping --udp -p 5353 -c 2 -i 0.05 -W 0.5 --json 10.202.5.2 >"$O" 2>"$E"
RC=$?
check "a listening port: no answer counted (exit 1, 2 sent, 0 received)" \
  sh -c "[ $RC = 1 ] && jq -e '.packets_sent == 2 and .packets_received == 0' '$O' >/dev/null"
inC timeout 20 "$SONAR" ping --udp -p 5354 -c 2 -i 0.05 -W 0.5 --json 10.202.5.2 >"$O" 2>"$E"
RC=$?
check "the port next to it, closed: both answered (exit 0)" \
  sh -c "[ $RC = 0 ] && jq -e '.packets_received == 2' '$O' >/dev/null"
kill "$LISTEN" 2>/dev/null
wait "$LISTEN" 2>/dev/null

# -- the destination's default rate limit ------------------------------------------
# All TTLs leave at once, in order: the burst the destination allows goes to
# the nearest TTLs, so it is found at its distance (5), not at a TTL beyond.
ip netns exec "$T" sysctl -qw net.ipv4.icmp_ratelimit=1000 net.ipv6.icmp.ratelimit=1000
sleep 2.5 # its token bucket refilled, as after a quiet spell
for fam in 4 6; do
  [ $fam = 4 ] && dst=10.202.5.2 || dst=fd30:5::2
  inC timeout 20 "$SONAR" traceroute --udp -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam default rate limit at the destination: found at distance 5, exit 0" \
    sh -c "[ $RC = 0 ] && [ \"\$(jq -r 'map(.distance) | max' '$O')\" = 5 ]"
done
ip netns exec "$T" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0

# -- on the wire: one destination port, the sequence in the payload ----------------
ip netns exec "$T" timeout 20 tcpdump -n -i r5 -U -w "$TMP/udp.pcap" -c 4 udp >/dev/null 2>"$TMP/tcpdump.err" &
DUMP=$!
for _ in $(seq 100); do grep -q listening "$TMP/tcpdump.err" && break; sleep 0.05; done
inC timeout 20 "$SONAR" ping --udp -p 40000 -c 4 -i 0.05 -W 0.5 10.202.5.2 >"$O" 2>"$E"
wait "$DUMP"
python3 - "$TMP/udp.pcap" >"$TMP/wire" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = 24
while off + 16 <= len(d):
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    pkt = d[off + 16:off + 16 + n]
    off += 16 + n
    ip = pkt[14:]
    ihl = (ip[0] & 15) * 4
    udp = ip[ihl:]
    sport, dport = struct.unpack("!HH", udp[:4])
    print(sport, dport, struct.unpack("!H", udp[8:10])[0])
PY
check "on the wire: 4 datagrams to port 40000 from one source port, sequences 0-3 in the payload" \
  sh -c "[ \"\$(awk '{print \$2}' '$TMP/wire' | sort -u)\" = 40000 ] && [ \"\$(awk '{print \$1}' '$TMP/wire' | sort -u | wc -l)\" = 1 ] && [ \"\$(awk '{print \$3}' '$TMP/wire' | tr '\n' ' ')\" = '0 1 2 3 ' ]"

finish
