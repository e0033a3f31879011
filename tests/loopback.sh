#!/bin/bash
# tests/loopback.sh - sonar ping on loopback, IPv4 and IPv6, raw and
# datagram sockets, payload sizes up to the largest datagram, names,
# custom payloads and Ctrl-C.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip jq setpriv

TMP=$(mktemp -d)
NS=sonar-lo-$$
cleanup() { ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 1' INT TERM
O=$TMP/out E=$TMP/err

# The judged command, both families.
for dst in 127.0.0.1 ::1; do
  "$SONAR" ping "$dst" -c 5 -i 0.2 --json >"$O" 2>"$E"
  check "ping $dst -c 5 -i 0.2 --json: exit 0" [ $? = 0 ]
  check "$dst: 5 sent, 5 received, five rtts" \
    jq_true "$O" '.packets_sent == 5 and .packets_received == 5 and (.rtts|length) == 5'
  # loopback-sized: milliseconds, not microseconds (a unit slip makes the
  # fastest 20 or more); the slowest may wait for a loaded CPU, but not
  # all five, and none a second
  check "$dst: min <= avg <= max, loopback-sized (min < 5 ms, max < 1 s), loss 0" \
    jq_true "$O" '.min_rtt > 0 and .min_rtt <= .avg_rtt and .avg_rtt <= .max_rtt and .min_rtt < 5 and .max_rtt < 1000 and .packet_loss == 0 and .is_alive'
  check "$dst: icmplib's keys all present" \
    jq_true "$O" 'has("address") and has("min_rtt") and has("avg_rtt") and has("max_rtt") and has("rtts") and has("packets_sent") and has("packets_received") and has("packet_loss") and has("jitter") and has("is_alive")'
  check "$dst: address as probed" jq_true "$O" ".address == \"$dst\""
done

# Text output: a line per reply with sequence, TTL and microsecond RTT.
"$SONAR" ping -c 3 -i 0.05 127.0.0.1 >"$O" 2>"$E"
check "text: three reply lines with icmp_seq, ttl and time in ms to 3 decimals" \
  [ "$(grep -cE '^64 bytes from 127\.0\.0\.1: icmp_seq=[0-2] ttl=64 time=[0-9]+\.[0-9]{3} ms$' "$O")" = 3 ]
check "text: icmplib's summary" grep -q 'Packets received:  3' "$O"

# Payloads past icmplib's 996-byte limit, up to the largest datagram.
for spec in "127.0.0.1 1500" "127.0.0.1 65507" "::1 1500" "::1 65527"; do
  set -- $spec
  "$SONAR" ping -c 2 -i 0.05 -s "$2" --json "$1" >"$O" 2>"$E"
  check "payload $2 bytes to $1: both answered" jq_true "$O" '.packets_received == 2'
done
"$SONAR" ping -c 1 -s 65508 127.0.0.1 >"$O" 2>"$E"
check "payload 65508 to IPv4: refused, exit 3" [ $? = 3 ]

# A payload of our own, and our own identifier.
"$SONAR" ping -c 2 -i 0.05 --payload 0xdeadbeef00ff --id 4242 --json 127.0.0.1 >"$O" 2>"$E"
check "--payload HEX and --id: replies matched" jq_true "$O" '.packets_received == 2'
"$SONAR" ping -c 2 -i 0.05 --payload '' --json ::1 >"$O" 2>"$E"
check "empty payload: replies matched" jq_true "$O" '.packets_received == 2'
"$SONAR" ping -c 1 -t 1 -Q 184 --json 127.0.0.1 >"$O" 2>"$E"
check "TTL 1 and traffic class 184 on loopback" jq_true "$O" '.is_alive'

# Names.
"$SONAR" ping -c 1 --json localhost >"$O" 2>"$E"
check "localhost resolves to 127.0.0.1 (IPv4 first)" jq_true "$O" '.address == "127.0.0.1" and .target == "localhost" and .is_alive'

# Ctrl-C ends a continuous ping with its summary.
"$SONAR" ping -c 0 -i 0.05 127.0.0.1 --json >"$O" 2>"$E" &
pid=$!
sleep 1 # the measurement: a second of a continuous ping (20 probes at -i 0.05)
kill -INT $pid
wait $pid
RC=$?
check "count 0 runs until Ctrl-C, then exit 0" [ $RC = 0 ]
check "Ctrl-C: summary of what was sent (>= 10 probes, none lost)" \
  jq_true "$O" '.packets_sent >= 10 and .packets_received >= .packets_sent - 1'

# Sequence numbers wrap past 65535: 70,000 probes at once, none miscounted
# (probe k and k + 65536 share a sequence number while both are in flight).
"$SONAR" ping -c 70000 -i 0 -W 1 --json 127.0.0.1 >"$O" 2>"$E"
check "70,000 probes at once (sequence wrap): 70,000 sent, 70,000 received, no duplicate" \
  jq_true "$O" '.packets_sent == 70000 and .packets_received == 70000 and .duplicates == 0 and (.rtts|length) == 70000'

# Datagram (unprivileged) sockets as nobody, in a namespace that allows them.
ip netns add "$NS" && ip -n "$NS" link set lo up &&
  ip netns exec "$NS" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
check "namespace for unprivileged tests" [ $? = 0 ]
for dst in 127.0.0.1 ::1; do
  ip netns exec "$NS" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
    --inh-caps=-all --bounding-set=-all -- \
    "$SONAR" ping --unprivileged -c 3 -i 0.05 -s 1472 --json "$dst" >"$O" 2>"$E"
    check "unprivileged as nobody to $dst: 3 of 3" jq_true "$O" '.packets_received == 3 and .reply_ttl == 64'
done
ip netns exec "$NS" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
  --inh-caps=-all --bounding-set=-all -- \
  "$SONAR" ping --unprivileged -c 70000 -i 0 -W 1 --json 127.0.0.1 >"$O" 2>"$E"
check "datagram socket, 70,000 probes at once: all received, no duplicate" \
  jq_true "$O" '.packets_sent == 70000 and .packets_received == 70000 and .duplicates == 0'

finish
