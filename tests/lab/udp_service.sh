#!/bin/bash
# tests/lab/udp_service.sh - a UDP service's own answer counts as reached:
# a datagram from the probed address and port, through the four routers of
# tests/lab/path_topology.sh, IPv4 and IPv6, as root and as nobody, for
# ping, multiping and traceroute. One service echoes the probe's first two
# bytes (as DNS echoes its query's ID: the answer names its probe), one
# answers with bytes of its own (credited in order), one answers from
# another port (not the probe's port pair: not counted).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv python3

. "$top_srcdir/tests/lab/path_topology.sh"
O=$TMP/out E=$TMP/err

# The services, in the target, for 60 s at most: 53 answers with the query's
# first two bytes then "ok" (DNS-like), 5300 with "hello" (names no probe),
# 5301 from port 5302 (a datagram from the wrong port).
ip netns exec "$T" timeout 60 python3 -c '
import select, socket
socks = {}
for fam, addr in ((socket.AF_INET, "10.202.5.2"), (socket.AF_INET6, "fd30:5::2")):
    for port in (53, 5300, 5301):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind((addr, port))
        socks[s] = (fam, addr, port)
    other = socket.socket(fam, socket.SOCK_DGRAM)
    other.bind((addr, 5302))
    socks[other] = (fam, addr, 5302)
wrong = {f: s for s, (f, a, p) in socks.items() if p == 5302}
print("ready", flush=True)
while True:
    for s in select.select(list(socks), [], [])[0]:
        data, peer = s.recvfrom(4096)
        fam, addr, port = socks[s]
        if port == 53:
            s.sendto(data[:2] + b"ok", peer)
        elif port == 5300:
            s.sendto(b"hello", peer)
        elif port == 5301:
            wrong[fam].sendto(b"hello", peer)
' >"$TMP/service.out" 2>&1 &
SERVICE=$!
wait_until 10 grep -q ready "$TMP/service.out" || not_ok "the UDP services did not start: $(cat "$TMP/service.out")"

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.202.5.2 want="1:10.202.1.2 2:10.202.2.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else
    dst=fd30:5::2 want="1:fd30:1::2 2:fd30:2::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"
  fi
  for who in root nobody; do
    [ $who = root ] && run=inC || run=as_nobody_inC
    for port in 53 5300; do
      $run timeout 20 "$SONAR" ping --udp -p $port -c 3 -i 0.05 -W 1 --json "$dst" >"$O" 2>"$E"
      RC=$?
      check "IPv$fam ping --udp -p $port as $who: the service's 3 answers count, exit 0" \
        sh -c "[ $RC = 0 ] && jq -e '.packets_sent == 3 and .packets_received == 3 and .min_rtt > 0' '$O' >/dev/null"
      $run timeout 20 "$SONAR" traceroute --udp -p $port -W 1 --json "$dst" >"$O" 2>"$E"
      RC=$?
      check "IPv$fam traceroute --udp -p $port as $who: reached, exit 0" [ $RC = 0 ]
      check "IPv$fam traceroute --udp -p $port as $who: the destination at hop 5" expect_hops "$O" "$want"
      check "IPv$fam traceroute --udp -p $port as $who: the destination answered both probes" \
        jq_true "$O" '.[-1].distance == 5 and .[-1].packets_received == 2'
    done
  done
  inC timeout 20 "$SONAR" multiping --udp -p 53 -c 2 -i 0.05 -W 1 --json "$dst" "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam multiping --udp -p 53, the target twice: each its 2 answers, exit 0" \
    sh -c "[ $RC = 0 ] && jq -e 'length == 2 and all(.[]; .packets_received == 2)' '$O' >/dev/null"
  inC timeout 20 "$SONAR" ping --udp -p 5301 -c 2 -i 0.05 -W 0.5 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam an answer from another port (5302 for 5301) is not counted: exit 1" \
    sh -c "[ $RC = 1 ] && jq -e '.packets_received == 0' '$O' >/dev/null"
done

kill "$SERVICE" 2>/dev/null
wait "$SERVICE" 2>/dev/null
finish
