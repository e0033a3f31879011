#!/bin/bash
# tests/lab/tcp.sh - TCP probes (--tcp, -p) through the four routers of
# tests/lab/path_topology.sh, IPv4 and IPv6, as root and as nobody (a
# connect() needs no privilege): port 80 with a listener on the target
# (SYN-ACK) and port 81 without one (RST) both reach it, with the routers'
# hops found from Time Exceeded on each probe's error queue; a router that
# drops ICMP echo but forwards TCP stops only the ICMP trace.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft python3

. "$top_srcdir/tests/lab/path_topology.sh"
O=$TMP/out E=$TMP/err


# A listener on port 80 of the target, both families, for 60 s at most.
ip netns exec "$T" timeout 60 python3 -c '
import socket, time
ls = []
for fam, addr in ((socket.AF_INET, "10.202.5.2"), (socket.AF_INET6, "fd30:5::2")):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 80))
    s.listen(512)
    ls.append(s)
print("ready", flush=True)
time.sleep(60)
' >"$TMP/listen.out" 2>&1 &
LISTEN=$!
for _ in $(seq 100); do grep -q ready "$TMP/listen.out" && break; sleep 0.05; done
check "the target listens on port 80" grep -q ready "$TMP/listen.out"

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.202.5.2 want="1:10.202.1.2 2:10.202.2.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else
    dst=fd30:5::2 want="1:fd30:1::2 2:fd30:2::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"
  fi
  for port in 80 81; do
    [ $port = 80 ] && what="SYN-ACK (a listener)" || what="RST (no listener)"
    inC timeout 20 "$SONAR" traceroute --tcp -p $port -W 1 --json "$dst" >"$O" 2>"$E"
    RC=$?
    got=$(hops_of "$O")
    check "IPv$fam TCP trace to port $port, $what, as root: exit 0, the topology's hops ($got)" \
      [ $RC = 0 -a "$got" = "$want" ]
    as_nobody_inC timeout 20 "$SONAR" traceroute --tcp -p $port -W 1 --json "$dst" >"$O" 2>"$E"
    RC=$?
    got=$(hops_of "$O")
    check "IPv$fam TCP trace to port $port as nobody: exit 0, the same hops ($got)" \
      [ $RC = 0 -a "$got" = "$want" ]
  done
  as_nobody_inC timeout 20 "$SONAR" ping --tcp -c 3 -i 0.05 -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam TCP ping (tcping) to port 80 as nobody: 3 of 3, exit 0, RTTs > 0" \
    sh -c "[ $RC = 0 ] && jq -e '.packets_received == 3 and .min_rtt > 0' '$O' >/dev/null"
done

# -- a router that drops ICMP echo, not TCP ----------------------------------------
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
  inC timeout 20 "$SONAR" traceroute --tcp -p 80 -W 1 --json "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam echo dropped at R3: the TCP trace reaches the destination, exit 0" \
    sh -c "[ $RC = 0 ] && [ \"\$(jq -r 'map(.distance) | max' '$O')\" = 5 ]"
done
ip netns exec "${NODES[3]}" nft delete table inet noecho

# -- a port filtered silently: no answer, a clean exit 1 ---------------------------
nft_in "$T" <<'NFT'
table inet drop82 {
  chain input {
    type filter hook input priority 0;
    tcp dport 82 drop
  }
}
NFT
inC timeout 20 "$SONAR" ping --tcp -p 82 -c 2 -i 0.05 -W 0.3 --json 10.202.5.2 >"$O" 2>"$E"
RC=$?
check "a port dropped silently: 2 sent, 0 received, exit 1" \
  sh -c "[ $RC = 1 ] && jq -e '.packets_sent == 2 and .packets_received == 0' '$O' >/dev/null"
check "no TCP socket of sonar left behind (the process is gone)" \
  sh -c "! ip netns exec '$C' ss -tanp 2>/dev/null | grep -q sonar"

kill "$LISTEN" 2>/dev/null
wait "$LISTEN" 2>/dev/null
finish
