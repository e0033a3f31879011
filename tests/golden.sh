#!/bin/bash
# tests/golden.sh - sonar capture -F on pcap files built without sonar's
# codec (tests/golden.py: Python's struct and its own checksums), against
# decodes written here by hand: IPv4 and IPv6 echo, errors quoting an echo,
# IPv4 options, IPv6 extension headers and fragments, truncation, link
# types RAW, LINUX_SLL, LINUX_SLL2 and Ethernet with a VLAN tag. tcpdump
# (a third decoder) confirms every checksum in the files is right.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need python3 jq tcpdump
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM

python3 "$top_srcdir/tests/golden.py" pcap "$TMP" 2>"$TMP/py.err"
check "golden.py wrote the four files (its own checks of its bytes passed)" \
  sh -c "[ -s '$TMP/golden-raw.pcap' ] && [ -s '$TMP/golden-sll.pcap' ] && [ -s '$TMP/golden-sll2.pcap' ] && [ -s '$TMP/golden-ether.pcap' ]"
[ -s "$TMP/py.err" ] && sed 's/^/# /' "$TMP/py.err"

# tcpdump -vv flags a wrong IPv4 header sum "bad cksum", a wrong ICMP sum
# "wrong icmp cksum" and a wrong ICMPv6 one "bad icmp6 cksum".
for f in raw sll sll2 ether; do
  tcpdump -nn -vv -r "$TMP/golden-$f.pcap" >"$TMP/td-$f" 2>&1
done
check "tcpdump reads every frame and finds no wrong checksum" \
  sh -c "! grep -qiE 'bad cksum|wrong icmp cksum|bad icmp6 cksum' '$TMP'/td-* &&
    [ \$(grep -cE '^[0-9]{2}:' '$TMP/td-raw') = 22 ] && [ \$(grep -c 'icmp6 sum ok' '$TMP/td-raw') = 7 ]"

# The decodes, one JSON object per line after "what it is|": each must come
# out exactly (every key), and nothing else may come out of the file.
cat >"$TMP/want-raw" <<'EOF'
IPv4 echo request|{"time": "2023-11-14T22:13:20.000042Z", "direction": "unknown", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 8, "code": 0, "name": "echo request", "id": 48879, "seq": 7, "ttl": 64, "length": 36, "truncated": false}
IPv4 echo reply|{"time": "2023-11-14T22:13:21.000043Z", "direction": "unknown", "own": false, "family": 4, "src": "198.51.100.7", "dst": "192.0.2.1", "type": 0, "code": 0, "name": "echo reply", "id": 48879, "seq": 7, "ttl": 57, "length": 36, "truncated": false}
IPv4 Time Exceeded quoting the request|{"time": "2023-11-14T22:13:22.000044Z", "direction": "unknown", "own": false, "family": 4, "src": "203.0.113.1", "dst": "192.0.2.1", "type": 11, "code": 0, "name": "time exceeded", "detail": "Time to live exceeded", "id": 48879, "seq": 7, "quoted_dst": "198.51.100.7", "ttl": 254, "length": 64, "truncated": false}
IPv4 Destination Unreachable code 13, an 8-byte quote|{"time": "2023-11-14T22:13:23.000045Z", "direction": "unknown", "own": false, "family": 4, "src": "203.0.113.1", "dst": "192.0.2.1", "type": 3, "code": 13, "name": "destination unreachable", "detail": "Packet filtered", "id": 48879, "seq": 7, "quoted_dst": "198.51.100.7", "ttl": 250, "length": 56, "truncated": false}
IPv4 echo request with IP options (IHL 6)|{"time": "2023-11-14T22:13:24.000046Z", "direction": "unknown", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 8, "code": 0, "name": "echo request", "id": 2571, "seq": 9, "ttl": 33, "length": 35, "truncated": false}
IPv6 echo request|{"time": "2023-11-14T22:13:26.000048Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8::1", "dst": "2001:db8::99", "type": 128, "code": 0, "name": "echo request", "id": 258, "seq": 772, "ttl": 64, "length": 51, "truncated": false}
IPv6 echo reply|{"time": "2023-11-14T22:13:27.000049Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8::99", "dst": "2001:db8::1", "type": 129, "code": 0, "name": "echo reply", "id": 258, "seq": 772, "ttl": 61, "length": 51, "truncated": false}
IPv6 Time Exceeded quoting the request|{"time": "2023-11-14T22:13:28.000050Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8:ffff::1", "dst": "2001:db8::1", "type": 3, "code": 0, "name": "time exceeded", "detail": "Hop limit exceeded", "id": 258, "seq": 772, "quoted_dst": "2001:db8::99", "ttl": 62, "length": 99, "truncated": false}
IPv6 Destination Unreachable (address)|{"time": "2023-11-14T22:13:29.000051Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8:ffff::1", "dst": "2001:db8::1", "type": 1, "code": 3, "name": "destination unreachable", "detail": "Address unreachable", "id": 258, "seq": 772, "quoted_dst": "2001:db8::99", "ttl": 60, "length": 99, "truncated": false}
IPv6 echo reply behind hop-by-hop and destination options|{"time": "2023-11-14T22:13:30.000052Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8::99", "dst": "2001:db8::1", "type": 129, "code": 0, "name": "echo reply", "id": 258, "seq": 772, "ttl": 59, "length": 67, "truncated": false}
IPv6 echo reply cut inside its payload: truncated|{"time": "2023-11-14T22:13:31.000053Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8::99", "dst": "2001:db8::1", "type": 129, "code": 0, "name": "echo reply", "id": 258, "seq": 772, "ttl": 61, "length": 51, "truncated": true}
IPv4 first fragment of an echo request|{"time": "2023-11-14T22:13:33.000055Z", "direction": "unknown", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 8, "code": 0, "name": "echo request", "id": 61453, "seq": 1, "ttl": 64, "length": 1500, "truncated": false}
IPv6 first fragment of an echo request|{"time": "2023-11-14T22:13:35.000057Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8::1", "dst": "2001:db8::99", "type": 128, "code": 0, "name": "echo request", "id": 61453, "seq": 2, "ttl": 64, "length": 1280, "truncated": false}
ICMP timestamp|{"time": "2023-11-14T22:13:37.000059Z", "direction": "unknown", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 13, "code": 0, "name": "timestamp", "ttl": 64, "length": 40, "truncated": false}
ICMP type 42 (RFC 8335), by number|{"time": "2023-11-14T22:13:38.000060Z", "direction": "unknown", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 42, "code": 0, "name": "other", "ttl": 64, "length": 28, "truncated": false}
IPv6 Packet Too Big quoting the request|{"time": "2023-11-14T22:13:39.000061Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8:ffff::1", "dst": "2001:db8::1", "type": 2, "code": 0, "name": "packet too big", "detail": "Error type: 2, code: 0", "id": 258, "seq": 772, "quoted_dst": "2001:db8::99", "ttl": 64, "length": 99, "truncated": false}
IPv6 neighbor solicitation|{"time": "2023-11-14T22:13:40.000062Z", "direction": "unknown", "own": false, "family": 6, "src": "fe80::1", "dst": "ff02::1:ff00:99", "type": 135, "code": 0, "name": "neighbor solicitation", "ttl": 255, "length": 64, "truncated": false}
IPv4 echo reply whose IP length runs past the frame: truncated|{"time": "2023-11-14T22:13:41.000063Z", "direction": "unknown", "own": false, "family": 4, "src": "198.51.100.7", "dst": "192.0.2.1", "type": 0, "code": 0, "name": "echo reply", "id": 48879, "seq": 8, "ttl": 57, "length": 60, "truncated": true}
EOF
# Not in the list, so they must not come out: a UDP packet (22:13:25), an
# echo reply cut inside its ICMPv6 header (22:13:32: sonar.h, "cut before
# its ICMP header"), and the non-first fragments (22:13:34 IPv4, 22:13:36
# IPv6), whose data is not an ICMP header (the IPv4 one starts like an
# echo reply, id 4660 seq 1: it is not one).
cat >"$TMP/want-sll" <<'EOF'
LINUX_SLL outgoing IPv4 echo request|{"time": "2023-11-14T22:15:00.000001Z", "direction": "out", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 8, "code": 0, "name": "echo request", "id": 48879, "seq": 7, "ttl": 64, "length": 36, "truncated": false}
LINUX_SLL incoming IPv4 echo reply|{"time": "2023-11-14T22:15:00.000002Z", "direction": "in", "own": false, "family": 4, "src": "198.51.100.7", "dst": "192.0.2.1", "type": 0, "code": 0, "name": "echo reply", "id": 48879, "seq": 7, "ttl": 57, "length": 36, "truncated": false}
LINUX_SLL outgoing IPv6 echo request|{"time": "2023-11-14T22:15:00.000003Z", "direction": "out", "own": false, "family": 6, "src": "2001:db8::1", "dst": "2001:db8::99", "type": 128, "code": 0, "name": "echo request", "id": 258, "seq": 772, "ttl": 64, "length": 51, "truncated": false}
LINUX_SLL incoming IPv6 echo reply|{"time": "2023-11-14T22:15:00.000004Z", "direction": "in", "own": false, "family": 6, "src": "2001:db8::99", "dst": "2001:db8::1", "type": 129, "code": 0, "name": "echo reply", "id": 258, "seq": 772, "ttl": 61, "length": 51, "truncated": false}
EOF
cat >"$TMP/want-sll2" <<'EOF'
LINUX_SLL2 outgoing IPv4 echo request|{"time": "2023-11-14T22:16:40.000001Z", "direction": "out", "own": false, "family": 4, "src": "192.0.2.1", "dst": "198.51.100.7", "type": 8, "code": 0, "name": "echo request", "id": 48879, "seq": 7, "ttl": 64, "length": 36, "truncated": false}
LINUX_SLL2 incoming IPv6 echo reply|{"time": "2023-11-14T22:16:40.000002Z", "direction": "in", "own": false, "family": 6, "src": "2001:db8::99", "dst": "2001:db8::1", "type": 129, "code": 0, "name": "echo reply", "id": 258, "seq": 772, "ttl": 61, "length": 51, "truncated": false}
EOF
cat >"$TMP/want-ether" <<'EOF'
Ethernet IPv4 Time Exceeded|{"time": "2023-11-14T22:18:20.000001Z", "direction": "unknown", "own": false, "family": 4, "src": "203.0.113.1", "dst": "192.0.2.1", "type": 11, "code": 0, "name": "time exceeded", "detail": "Time to live exceeded", "id": 48879, "seq": 7, "quoted_dst": "198.51.100.7", "ttl": 254, "length": 64, "truncated": false}
Ethernet with an 802.1Q tag, IPv6 Time Exceeded|{"time": "2023-11-14T22:18:20.000002Z", "direction": "unknown", "own": false, "family": 6, "src": "2001:db8:ffff::1", "dst": "2001:db8::1", "type": 3, "code": 0, "name": "time exceeded", "detail": "Hop limit exceeded", "id": 258, "seq": 772, "quoted_dst": "2001:db8::99", "ttl": 62, "length": 99, "truncated": false}
EOF

# decoded TIME: the object sonar printed for the frame of that time.
decoded() { jq -S -c --arg t "$1" 'select(.time == $t)' "$TMP/got" 2>/dev/null; }
# same_as JSON TIME: sonar printed exactly one object for TIME, equal to JSON.
same_as() {
  local want got
  want=$(printf '%s\n' "$1" | jq -S -c .)
  got=$(decoded "$2")
  [ -n "$want" ] && [ "$want" = "$got" ] && return 0
  echo "# want: $want" >&2
  echo "# got:  ${got:-nothing}" >&2
  return 1
}
# only_listed FILE: every object sonar printed has a time FILE lists.
only_listed() {
  local extra
  extra=$(jq -c --slurpfile w <(cut -d'|' -f2- "$1" | jq -s '[.[].time]') \
    'select(.time as $t | $w[0] | index($t) | not)' "$TMP/got")
  [ -z "$extra" ] && return 0
  echo "# not expected: $extra" >&2
  return 1
}
for f in raw sll sll2 ether; do
  "$SONAR" capture -F "$TMP/golden-$f.pcap" --json >"$TMP/got" 2>"$TMP/err"
  check "golden-$f.pcap: exit 0, nothing on stderr" sh -c "[ $? = 0 ] && [ ! -s '$TMP/err' ]"
  while IFS='|' read -r what json; do
    t=$(printf '%s\n' "$json" | jq -r .time)
    check "golden-$f.pcap: $what" same_as "$json" "$t"
  done <"$TMP/want-$f"
  check "golden-$f.pcap: nothing else decoded (non-ICMP, cut headers, later fragments)" \
    only_listed "$TMP/want-$f"
done

# The text form of two of them, as printed.
"$SONAR" capture -F "$TMP/golden-raw.pcap" >"$TMP/got" 2>"$TMP/err"
check "text: the IPv4 Time Exceeded line" \
  grep -qxE '[0-9:]{8}\.000044 +other 203\.0\.113\.1 > 192\.0\.2\.1 time exceeded \(Time to live exceeded\) id=48879 seq=7 for 198\.51\.100\.7 ttl=254 len=64' "$TMP/got"
check "text: the cut IPv6 echo reply" \
  grep -qxE '[0-9:]{8}\.000053 +other 2001:db8::99 > 2001:db8::1 echo reply id=258 seq=772 hlim=61 len=51 \(cut\)' "$TMP/got"
finish
