#!/bin/bash
# tests/lab/faults.sh - a send the kernel refuses (ENOBUFS from a full
# qdisc: tbf on the client's link) is counted honestly: not as sent, never
# as a reply, and said; sonar neither crashes nor miscounts.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip tc jq
A=sonar-fa-$$ B=sonar-fb-$$
TMP=$(mktemp -d)
trap 'ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
O=$TMP/out

ip netns add "$A" && ip netns add "$B" &&
  ip link add v0 netns "$A" type veth peer name v1 netns "$B" &&
  ip -n "$A" addr add 10.77.0.1/24 dev v0 && ip -n "$B" addr add 10.77.0.2/24 dev v1 &&
  ip -n "$A" link set v0 up && ip -n "$B" link set v1 up &&
  ip netns exec "$A" sysctl -qw net.ipv4.ping_group_range="0 2147483647" &&
  ip netns exec "$A" ping -c 1 -W 2 10.77.0.2 >/dev/null &&
  ip netns exec "$A" tc qdisc add dev v0 root tbf rate 8kbit burst 1600 limit 1600
check "a link limited to 8 kbit/s (tbf) in namespaces of the test's own" [ $? = 0 ]

# 200 probes at once through a datagram socket (IP_RECVERR: the kernel
# reports ENOBUFS); the engine retries a refused send for 50 ms, then
# counts it as a send error.
ip netns exec "$A" "$SONAR" ping --unprivileged -c 200 -i 0 -W 0.5 --stream 10.77.0.2 >"$O" 2>&1
sent=$(jq -s '[.[] | select(.event == "sent")] | length' "$O")
errs=$(jq -s '[.[] | select(.event == "send_error")] | length' "$O")
reps=$(jq -s '[.[] | select(.event == "reply")] | length' "$O")
check "every probe is sent or a send error ($sent + $errs = 200)" [ $((sent + errs)) = 200 ]
check "the qdisc refused some: send errors ($errs) say why" \
  sh -c "[ $errs -gt 0 ] && jq -r 'select(.event == \"send_error\") | .error' '$O' | grep -q 'No buffer space available'"
check "no phantom: replies ($reps) <= sent ($sent)" [ "$reps" -le "$sent" ]
sleep 2 # the bucket fills again
ip netns exec "$A" "$SONAR" ping --unprivileged -c 200 -i 0 -W 0.5 --json 10.77.0.2 >"$O" 2>&1
check "the summary agrees: packets_sent counts only what left, received <= sent" \
  jq_true "$O" '.packets_sent < 200 and .packets_received <= .packets_sent and .error_type == "ICMPSocketError"'
finish
