#!/bin/bash
# tests/lab/paris.sh - stable flows (Paris traceroute) through the ECMP
# router of tests/lab/ecmp_topology.sh (two equal routes, hashing L4 ports).
#
# Each UDP trace keeps one port, so all its probes take one path (hop 2 is
# A or B, never both); across 16 ports both paths are seen. An ICMP trace
# keeps one identifier and one checksum on every probe (checked on the
# wire), so a router hashing either sees one flow; this kernel sends every
# echo one way whatever its fields, so for ICMP the lab checks that each
# trace keeps one path. TCP flows (raw sockets, as root) keep one source
# port each (61000 + flow; on the wire too), so each sees one path at every
# TTL and 16 of them see both branches, whether the destination answers
# SYN-ACK (a listener) or RST; without raw sockets --flows with --tcp is
# refused. IPv4 (TCP: IPv4 and IPv6); namespaces removed on every exit.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq python3 tcpdump

. "$top_srcdir/tests/lab/ecmp_topology.sh"

# hop2 FILE: the distinct responders at TTL 2 in a --stream of events
hop2() { jq -r 'select(.probe_ttl == 2 and .event == "icmp_error") | .from' "$1" | sort -u | tr '\n' ' '; }

seen_a=0 seen_b=0 bad=0
for port in $(seq 33434 33449); do
  ip netns exec "$C" timeout 20 "$SONAR" traceroute --udp -p "$port" -c 4 -W 1 --stream 10.210.9.9 \
    >"$O" 2>"$E"
  h=$(hop2 "$O")
  case "$h" in
  "10.210.2.2 ") seen_a=$((seen_a + 1)) ;;
  "10.210.3.2 ") seen_b=$((seen_b + 1)) ;;
  *)
    bad=$((bad + 1))
    echo "# port $port: TTL 2 answered by '$h'"
    ;;
  esac
done
echo "# UDP flows: $seen_a by A, $seen_b by B, $bad mixed or silent"
check "UDP: each of 16 flows (ports) sees one path: 4 probes at TTL 2, one router" [ $bad = 0 ]
check "UDP: the flows are spread over both paths (A $seen_a, B $seen_b)" \
  [ $seen_a -gt 0 -a $seen_b -gt 0 ]

# --flows: 16 UDP flows in one trace, a fork at TTL 2
ip netns exec "$C" timeout 20 "$SONAR" traceroute --udp --flows 16 -W 1 --json 10.210.9.9 >"$O" 2>"$E"
RC=$?
check "--flows 16 --udp: exit 0, 16 flows, each reached the destination at TTL 3" \
  sh -c "[ $RC = 0 ] && jq -e 'length == 16 and all(.[]; .reached and (.hops | last | .distance == 3 and .address == \"10.210.9.9\"))' '$O' >/dev/null"
check "--flows 16 --udp: ports 33434-33449, one per flow" \
  jq_true "$O" '[.[].port] == [range(33434; 33450)]'
check "--flows 16 --udp: TTL 2 is A for some flows and B for the others" \
  jq_true "$O" '[.[].hops[] | select(.distance == 2) | .address] | unique == ["10.210.2.2", "10.210.3.2"]'
ip netns exec "$C" timeout 20 "$SONAR" traceroute --udp --flows 16 -W 1 10.210.9.9 >"$O" 2>"$E"
check "--flows 16 text: TTL 2 forks, one line per router with its flows" \
  sh -c "grep -qE '^  2  10\.210\.[23]\.2 .* flows [0-9,]+\$' '$O' && grep -qE '^     10\.210\.[23]\.2 .* flows [0-9,]+\$' '$O' && grep -qE '^  3  10\.210\.9\.9 .* flows 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\$' '$O'"
sed 's/^/# /' "$O"

# ICMP: one identifier, one checksum, one path, per trace
ip netns exec "$R" timeout 20 tcpdump -n -i l1 -U -w "$TMP/icmp.pcap" -c 8 'icmp[icmptype] == 8' \
  >/dev/null 2>"$TMP/tcpdump.err" &
DUMP=$!
for _ in $(seq 100); do grep -q listening "$TMP/tcpdump.err" && break; sleep 0.05; done
ip netns exec "$C" timeout 20 "$SONAR" traceroute -c 4 -m 2 -W 1 --stream 10.210.9.9 >"$O" 2>"$E"
wait "$DUMP"
python3 - "$TMP/icmp.pcap" >"$TMP/wire" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = 24
while off + 16 <= len(d):
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    ip = d[off + 16 + 14:off + 16 + n]
    off += 16 + n
    icmp = ip[(ip[0] & 15) * 4:]
    typ, code, ck, ident, seq = struct.unpack("!BBHHH", icmp[:8])
    print(ip[8], ident, "%04x" % ck, seq)
PY
check "ICMP on the wire: 8 echo requests (TTL 1 and 2), sequences all different" \
  sh -c "[ \$(wc -l <'$TMP/wire') = 8 ] && [ \$(awk '{print \$4}' '$TMP/wire' | sort -u | wc -l) = 8 ]"
check "ICMP on the wire: one identifier and one checksum for all of them (one flow)" \
  sh -c "[ \$(awk '{print \$2, \$3}' '$TMP/wire' | sort -u | wc -l) = 1 ]"
check "ICMP: 4 probes at TTL 2 answered by one router ($(hop2 "$O"))" \
  sh -c "[ \$(echo '$(hop2 "$O")' | wc -w) = 1 ]"
ip netns exec "$C" timeout 20 "$SONAR" traceroute -W 1 --json 10.210.9.9 >"$O" 2>"$E"
RC=$?
check "ICMP trace through the ECMP router: exit 0, 3 hops, the destination last" \
  sh -c "[ $RC = 0 ] && [ \"\$(jq -r '[.[].distance] | join(\",\")' '$O')\" = 1,2,3 ] && [ \"\$(jq -r '.[-1].address' '$O')\" = 10.210.9.9 ]"

# -- TCP (raw sockets, as root): one source port per flow -------------------------
# A listener on port 80 (SYN-ACK) beside a closed port 81 (RST), for 60 s.
ip netns exec "$T" timeout 60 python3 -c '
import socket, time
ls = []
for fam, addr in ((socket.AF_INET, "10.210.9.9"), (socket.AF_INET6, "fd31:9::9")):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 80))
    s.listen(64)
    ls.append(s)
print("ready", flush=True)
time.sleep(60)
' >"$TMP/listen.out" 2>&1 &
LISTEN=$!
wait_until 10 grep -q ready "$TMP/listen.out" || not_ok "the TCP listener did not start"

# one_path FILE: every flow (op) met one responder at every TTL (errors and
# answers of a --stream; "op ttl" printed where it did not), and 16 flows
# were heard at TTLs 1 to 3 at least
one_path() {
  jq -r 'select(.event == "icmp_error" or .event == "reply") | "\(.op) \(.probe_ttl) \(.from)"' "$1" |
    sort -u | awk '{n[$1 " " $2]++} END {for (k in n) if (n[k] > 1) {print "# mixed:", k; bad = 1}
      if (length(n) < 48) {print "# only", length(n), "flow and TTL pairs answered"; bad = 1}
      exit bad}'
}
for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.210.9.9 a=10.210.2.2 b=10.210.3.2; else dst=fd31:9::9 a=fd31:2::2 b=fd31:3::2; fi
  for port in 80 81; do
    ip netns exec "$C" timeout 30 "$SONAR" traceroute --tcp -p $port --flows 16 -c 4 -W 1 --stream \
      $dst >"$TMP/tcp$port.stream" 2>"$E"
    check "IPv$fam --tcp -p $port --flows 16 -c 4: each flow met one responder at every TTL" one_path "$TMP/tcp$port.stream"
    ip netns exec "$C" timeout 30 "$SONAR" traceroute --tcp -p $port --flows 16 -W 1 --json $dst >"$O" 2>"$E"
    RC=$?
    check "IPv$fam --tcp -p $port --flows 16: exit 0, 16 flows, each reached the destination at TTL 3 ($([ $port = 80 ] && echo SYN-ACK || echo RST))" \
      sh -c "[ $RC = 0 ] && jq -e 'length == 16 and all(.[]; .reached and (.hops | last | .distance == 3 and .address == \"$dst\"))' '$O' >/dev/null"
    check "IPv$fam --tcp -p $port --flows 16: source ports 61000-61015, one per flow" \
      jq_true "$O" '[.[].source_port] == [range(61000; 61016)]'
    na=$(jq --arg a $a '[.[] | select(any(.hops[]; .distance == 2 and .address == $a))] | length' "$O")
    nb=$(jq --arg b $b '[.[] | select(any(.hops[]; .distance == 2 and .address == $b))] | length' "$O")
    echo "# IPv$fam TCP port $port, 16 flows: $na by A, $nb by B"
    check "IPv$fam --tcp -p $port --flows 16: TTL 2 is A for some flows and B for the others ($na, $nb)" \
      [ "$na" -gt 0 -a "$nb" -gt 0 -a $((na + nb)) = 16 ]
  done
done
ip netns exec "$C" timeout 30 "$SONAR" traceroute --tcp --flows 16 -W 1 10.210.9.9 >"$O" 2>"$E"
check "--tcp --flows 16 text: TTL 2 forks, one line per router with its flows" \
  sh -c "grep -qE '^  2  10\.210\.[23]\.2 .* flows [0-9,]+\$' '$O' && grep -qE '^     10\.210\.[23]\.2 .* flows [0-9,]+\$' '$O'"
sed 's/^/# /' "$O"

# one flow on the wire: every SYN from one source port, to port 80, its own sequence
ip netns exec "$R" timeout 20 tcpdump -n -i l1 -U -w "$TMP/syn.pcap" -c 8 \
  'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn' >/dev/null 2>"$TMP/tcpdump.err" &
DUMP=$!
wait_until 5 grep -q listening "$TMP/tcpdump.err"
ip netns exec "$C" timeout 20 "$SONAR" traceroute --tcp -c 4 -m 2 -W 1 --stream 10.210.9.9 >"$O" 2>"$E"
wait "$DUMP"
python3 - "$TMP/syn.pcap" >"$TMP/wire" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = 24
while off + 16 <= len(d):
    n = struct.unpack("<I", d[off + 8:off + 12])[0]
    ip = d[off + 16 + 14:off + 16 + n]
    off += 16 + n
    tcp = ip[(ip[0] & 15) * 4:]
    sport, dport, seq = struct.unpack("!HHI", tcp[:8])
    print(ip[8], sport, dport, seq)
PY
sed 's/^/# wire: /' "$TMP/wire"
check "TCP on the wire: 8 SYNs (TTL 1 and 2), sequences all different" \
  sh -c "[ \$(wc -l <'$TMP/wire') = 8 ] && [ \$(awk '{print \$4}' '$TMP/wire' | sort -u | wc -l) = 8 ]"
check "TCP on the wire: one source port (61000) and one destination port (80): one flow" \
  sh -c "[ \"\$(awk '{print \$2, \$3}' '$TMP/wire' | sort -u)\" = '61000 80' ]"
check "TCP, one flow: 4 probes at TTL 2 answered by one router ($(hop2 "$O"))" \
  sh -c "[ \$(echo '$(hop2 "$O")' | wc -w) = 1 ]"

# without raw sockets: refused, and why
ip netns exec "$C" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
  --bounding-set=-all -- timeout 20 "$SONAR" traceroute --tcp --flows 4 -W 1 10.210.9.9 >"$O" 2>"$E"
RC=$?
check "--tcp --flows 4 as nobody: exit 3, raw sockets needed" sh -c "[ $RC = 3 ] && grep -q 'needs raw sockets' '$E'"
kill "$LISTEN" 2>/dev/null
wait "$LISTEN" 2>/dev/null

finish
