#!/bin/bash
# tests/lab/wire.sh - options as the target sees them. tcpdump captures in
# the target's namespace (independent of sonar's own decoder) and each
# option must show in the echo requests that arrive: -t (TTL / hop limit,
# one less after the router), -Q (TOS / traffic class), --id, --payload,
# -s, -I (the client has two addresses, so the wrong one would show), -4 /
# -6 for a name with both families, and -i (probes never faster than the
# interval asked).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq tcpdump timeout
. "$top_srcdir/tests/lab/topology.sh"
trap 'rm -rf "/etc/netns/$C"; lab_down' EXIT
ip -n "$C" addr add 10.201.1.3/24 dev c0
ip -n "$C" -6 addr add fd20:1::3/64 dev c0 nodad
# a name with both families, for -4 / -6 (ip netns exec binds these files)
mkdir -p "/etc/netns/$C"
printf '10.201.2.2 dual.lab\nfd20:2::2 dual.lab\n' >"/etc/netns/$C/hosts"
printf 'hosts: files\n' >"/etc/netns/$C/nsswitch.conf"

# capture CMD...: run sonar's CMD in C while tcpdump listens in T; the
# decoded requests (tcpdump -v -x, epoch times) are in $TMP/wire. tcpdump
# says when it listens; it is stopped once it has written as many requests
# as sonar says it sent.
capture() {
  : >"$TMP/tcpdump.err"
  ip netns exec "$T" timeout 20 tcpdump -i t0 --immediate-mode -U -nn -w "$TMP/wire.pcap" \
    'icmp[icmptype] == icmp-echo or (icmp6 and ip6[40] == 128)' 2>"$TMP/tcpdump.err" &
  dump=$!
  wait_until 5 grep -q 'listening on' "$TMP/tcpdump.err"
  inC timeout 20 "$SONAR" "$@" >"$O" 2>"$E"
  wait_until 5 captured "$(sed -n 's/^ *Packets sent: *//p' "$O")"
  kill "$dump"
  wait "$dump" 2>/dev/null
  tcpdump -r "$TMP/wire.pcap" -tt -nn -v -x 2>/dev/null >"$TMP/wire"
}
# captured N: the capture file holds N requests or more.
captured() { [ "$(tcpdump -r "$TMP/wire.pcap" -nn 2>/dev/null | wc -l)" -ge "${1:-1}" ]; }
# seen PATTERN: how many requests' text matches PATTERN (extended regex).
seen() { tcpdump -r "$TMP/wire.pcap" -tt -nn -v 2>/dev/null | grep -cE "$1"; }

capture ping --privileged -c 3 -i 0.1 -t 7 10.201.2.2
check "-t 7: IPv4 requests arrive with TTL 6 ($(seen 'ttl 6,') of 3)" [ "$(seen 'ttl 6,')" = 3 ]
capture ping --privileged -c 3 -i 0.1 -t 7 fd20:2::2
check "-t 7: IPv6 requests arrive with hop limit 6 ($(seen 'hlim 6,') of 3)" [ "$(seen 'hlim 6,')" = 3 ]
capture ping --unprivileged -c 3 -i 0.1 -t 9 10.201.2.2
check "-t 9 on a datagram socket: TTL 8 ($(seen 'ttl 8,') of 3)" [ "$(seen 'ttl 8,')" = 3 ]

capture ping --privileged -c 3 -i 0.1 -Q 40 10.201.2.2
check "-Q 40: IPv4 TOS 0x28 ($(seen 'tos 0x28') of 3)" [ "$(seen 'tos 0x28')" = 3 ]
capture ping --privileged -c 3 -i 0.1 -Q 40 fd20:2::2
check "-Q 40: IPv6 traffic class 0x28 ($(seen 'class 0x28') of 3)" [ "$(seen 'class 0x28')" = 3 ]

capture ping --privileged -c 3 -i 0.1 --id 4242 10.201.2.2
check "--id 4242 on a raw socket ($(seen 'id 4242, seq') of 3)" [ "$(seen 'id 4242, seq') " = "3 " ]

capture ping --privileged -c 2 -i 0.1 --payload 0xdeadbeefcafe 10.201.2.2
# the hex dump without its offsets, one string per packet
hex=$(awk '/^[0-9]/ {print ""} /^\t0x/ {sub(/^\t0x[0-9a-f]+: +/, ""); gsub(/[ \t]/, ""); printf "%s", $0}' "$TMP/wire" | grep -c 'deadbeefcafe$')
check "--payload 0xdeadbeefcafe: 14 bytes of ICMP ending in those bytes ($(seen 'length 14$') and $hex of 2)" \
  sh -c "[ $(seen 'length 14$') = 2 ] && [ $hex = 2 ]"
capture ping --privileged -c 2 -i 0.1 -s 300 fd20:2::2
check "-s 300: 308 bytes of ICMPv6 ($(seen 'payload length: 308\)') of 2)" \
  [ "$(seen 'payload length: 308\)')" = 2 ]

capture ping --privileged -c 2 -i 0.1 -I 10.201.1.3 10.201.2.2
check "-I 10.201.1.3: requests come from it, not from 10.201.1.2 ($(seen '10\.201\.1\.3 > 10\.201\.2\.2') of 2)" \
  sh -c "[ $(seen '10\.201\.1\.3 > 10\.201\.2\.2') = 2 ] && [ $(seen '10\.201\.1\.2 > ') = 0 ]"
capture ping --unprivileged -c 2 -i 0.1 -I fd20:1::3 fd20:2::2
check "-I fd20:1::3 on a datagram socket ($(seen 'fd20:1::3 > fd20:2::2') of 2)" \
  [ "$(seen 'fd20:1::3 > fd20:2::2')" = 2 ]

capture ping -c 2 -i 0.1 -6 dual.lab
check "-6 dual.lab: IPv6 to fd20:2::2 ($(seen '> fd20:2::2') of 2)" \
  sh -c "[ $(seen '> fd20:2::2') = 2 ] && [ $(seen '> 10\.201\.2\.2') = 0 ]"
capture ping -c 2 -i 0.1 -4 dual.lab
check "-4 dual.lab: IPv4 to 10.201.2.2 ($(seen '> 10\.201\.2\.2') of 2)" \
  sh -c "[ $(seen '> 10\.201\.2\.2') = 2 ] && [ $(seen '> fd20:2::2') = 0 ]"
capture ping -c 2 -i 0.1 dual.lab
check "dual.lab without -4/-6: IPv4 first, as icmplib ($(seen '> 10\.201\.2\.2') of 2)" \
  [ "$(seen '> 10\.201\.2\.2')" = 2 ]

# -i: not faster than asked. On a fixed schedule a send that is late by d
# (a loaded CPU, the router's forwarding before this capture) makes the
# next gap 0.2 - d: so no gap under half the interval (a doubled rate or
# a burst), and the five gaps together at least 0.95 s of the 1 s asked.
capture ping -c 6 -i 0.2 10.201.2.2
gaps=$(tcpdump -r "$TMP/wire.pcap" -tt -nn 2>/dev/null | awk '/echo request/ {print $1}' | awk 'NR > 1 {printf "%.3f\n", $1 - p} {p = $1}')
check "-i 0.2: 6 requests, no gap under 0.1 s, 0.95 s or more in all (gaps: $(echo $gaps))" \
  sh -c "[ $(echo "$gaps" | grep -c .) = 5 ] && echo '$gaps' | awk '\$1 < 0.1 {bad = 1} {s += \$1} END {exit bad || s < 0.95}'"
finish
