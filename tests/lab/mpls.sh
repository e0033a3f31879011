#!/bin/bash
# tests/lab/mpls.sh - MPLS label stacks (RFC 4950 in RFC 4884 extensions) in
# the Time Exceeded of three virtual routers (tests/lab/mpls_responder.py,
# which builds its packets with Python's struct, not with sonar's codec),
# shown by sonar traceroute in its text, JSON, --report and --stream; the
# third router's extension is malformed in each of four ways and must show
# nothing. IPv4 and IPv6; raw sockets, and datagram sockets unprivileged
# (the labels from the error queue, where the kernel says the extension
# starts); UDP probes; raw TCP probes (as root), whose Time Exceeded come to
# the raw ICMP socket.
#
#   C --- R --- T: hop 1 is R; TTL 2, 3, 4 reach T with 1, 2, 3 left and are
#   answered by the virtual routers .101, .102, .103; hop 5 is T itself.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft python3
. "$top_srcdir/tests/lab/topology.sh"

inT sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
for k in 1 2 3; do
  inT ip addr add "10.201.2.10$k/24" dev t0
  inT ip -6 addr add "fd20:2::10$k/64" dev t0 nodad
done

# respond FAMILY FLAW [UDP_PORT [TCP_PORT]]: the virtual routers answering as
# the target (to UDP probes to that port, or TCP SYNs to that one: those
# with TTL 1 to 3 are moved to port 9981 on arrival, by the nft table below,
# so that the kernel's RST for them is not from the probed port).
respond() {
  : >"$TMP/resp.out"
  if [ "$1" = 4 ]; then
    t=10.201.2.2 srcs=10.201.2.101,10.201.2.102,10.201.2.103
  else
    t=fd20:2::2 srcs=fd20:2::101,fd20:2::102,fd20:2::103
  fi
  ip netns exec "$T" timeout 30 python3 "$top_srcdir/tests/lab/mpls_responder.py" "-$1" \
    --target "$t" --sources "$srcs" --flaw "$2" --seconds 20 ${3:+--udp "$3"} ${4:+--tcp "$4" --tcp-moved 9981} \
    >"$TMP/resp.out" 2>"$TMP/resp.err" &
  RESP=$!
  for _ in $(seq 100); do grep -q ready "$TMP/resp.out" 2>/dev/null && return 0; sleep 0.05; done
  return 1
}
# stream_true FILE FILTER: FILTER over FILE's JSON lines, slurped, is true.
stream_true() { [ "$(jq -s "$2" "$1" 2>/dev/null)" = true ]; }
stop_responder() { kill "$RESP" 2>/dev/null; wait "$RESP" 2>/dev/null; }

# hops FILE: "distance:address:label/tc/s/ttl,..." for each hop of the JSON.
hops() {
  jq -r '[.[] | "\(.distance):\(.address):" + ([.mpls[] | "\(.label)/\(.tc)/\(.s)/\(.ttl)"] | join(","))] | join(" ")' "$1"
}

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.201.2.2 r=10.201.1.1 v=10.201.2.10
  else
    dst=fd20:2::2 r=fd20:1::1 v=fd20:2::10
  fi
  want="1:$r: 2:${v}1:24001/5/0/1,16/0/1/255 3:${v}2:777/0/1/1 4:${v}3: 5:$dst:"
  # without an extension, the virtual routers are found unprivileged too
  if respond $fam plain; then
    as_nobody_in "$C" timeout 20 "$SONAR" traceroute --unprivileged -W 2 --json "$dst" >"$O" 2>"$E"
    got=$(hops "$O" 2>&1)
    check "IPv$fam unprivileged, no extensions: every hop, no labels ($got)" \
      [ "$got" = "1:$r: 2:${v}1: 3:${v}2: 4:${v}3: 5:$dst:" ]
    stop_responder
  else
    not_ok "IPv$fam plain: the responder did not start: $(cat "$TMP/resp.err")"
  fi
  for flaw in badsum pastend cut version; do
    if ! respond $fam $flaw; then
      not_ok "IPv$fam $flaw: the responder did not start: $(cat "$TMP/resp.err")"
      continue
    fi
    inC timeout 20 "$SONAR" traceroute --privileged -W 2 --json "$dst" >"$O" 2>"$E"
    RC=$?
    got=$(hops "$O" 2>&1)
    check "IPv$fam, third extension $flaw: exit 0, hops and label stacks ($got)" \
      [ $RC = 0 -a "$got" = "$want" ]
    if [ $flaw = badsum ]; then
      inC timeout 20 "$SONAR" traceroute --privileged -W 2 "$dst" >"$O" 2>"$E"
      check "IPv$fam text: each label on a line under its hop, as mtr" \
        sh -c "grep -A2 -E '^  2  ${v}1 ' '$O' | grep -qx '       \[MPLS: Lbl 24001 TC 5 S 0 TTL 1\]' &&
               grep -A2 -E '^  2  ${v}1 ' '$O' | grep -qx '       \[MPLS: Lbl 16 TC 0 S 1 TTL 255\]' &&
               [ \$(grep -c MPLS '$O') = 3 ]"
      inC timeout 20 "$SONAR" traceroute --privileged -W 2 --report "$dst" >"$O" 2>"$E"
      check "IPv$fam --report: the labels under their hop" \
        sh -c "grep -A1 -E '^  3\.\|-- ${v}2 ' '$O' | grep -qx '    |  \[MPLS: Lbl 777 TC 0 S 1 TTL 1\]'"
      inC timeout 20 "$SONAR" traceroute --privileged -W 2 --stream "$dst" >"$O" 2>"$E"
      check "IPv$fam --stream: icmp_error events of hop 2 carry the stack" \
        stream_true "$O" '[.[] | select(.event == "icmp_error" and .probe_ttl == 2) | .mpls | map(.label)] | length >= 1 and all(. == [24001, 16])'
    fi
    # A datagram socket's error queue holds the quote with the padding and
    # the extension after it, whose offset the kernel gives
    # (IP_RECVERR_RFC4884): the same hops and labels as raw sockets, the
    # malformed third ignored (its checksum by the kernel, the rest by the
    # codec). A quote longer than the probe once made the hops vanish.
    as_nobody_in "$C" timeout 20 "$SONAR" traceroute --unprivileged -W 2 --json "$dst" >"$O" 2>"$E"
    RC=$?
    got=$(hops "$O" 2>&1)
    check "IPv$fam unprivileged (error queue), third extension $flaw: the same hops and labels ($got)" \
      [ $RC = 0 -a "$got" = "$want" ]
    stop_responder
  done
  # UDP probes (datagram sockets, root or not): the labels from the error
  # queue too; the destination answers Port Unreachable
  if respond $fam badsum 33434; then
    as_nobody_in "$C" timeout 20 "$SONAR" traceroute --udp --unprivileged -W 2 --json "$dst" >"$O" 2>"$E"
    RC=$?
    got=$(hops "$O" 2>&1)
    check "IPv$fam --udp unprivileged: the hops and labels, the destination reached ($got)" \
      sh -c "[ $RC = 0 ] && [ '$got' = '$want' ]"
    stop_responder
  else
    not_ok "IPv$fam udp: the responder did not start: $(cat "$TMP/resp.err")"
  fi
  # raw TCP SYNs to closed port 81 (as root): the routers' labels through
  # the raw ICMP socket, the destination's RST at hop 5
  ip netns exec "$T" nft -f - <<'NFT'
table inet mplstcp {
  chain pre {
    type filter hook prerouting priority -300;
    ip ttl <= 3 tcp dport 81 tcp dport set 9981
    ip6 hoplimit <= 3 tcp dport 81 tcp dport set 9981
  }
}
NFT
  if respond $fam badsum "" 81; then
    inC timeout 20 "$SONAR" traceroute --tcp -p 81 --privileged -W 2 --json "$dst" >"$O" 2>"$E"
    RC=$?
    got=$(hops "$O" 2>&1)
    check "IPv$fam --tcp (raw SYNs): the hops and labels, the destination's RST at hop 5 ($got)" \
      sh -c "[ $RC = 0 ] && [ '$got' = '$want' ]"
    stop_responder
  else
    not_ok "IPv$fam tcp: the responder did not start: $(cat "$TMP/resp.err")"
  fi
  ip netns exec "$T" nft delete table inet mplstcp
done

finish
