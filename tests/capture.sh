#!/bin/bash
# tests/capture.sh - the capture: the decoder on pcap files this test writes
# itself, and the live pane: sonar's own probes and another program's echo
# (iputils ping) at the same time, marked apart, in a namespace of its own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need jq tmux ip ping
MKPCAP=$top_builddir/tests/lab/mkpcap
[ -x "$MKPCAP" ] || { not_ok "tests/lab/mkpcap not built (configure found no libpcap?)"; finish; }

TMP=$(mktemp -d)
NS=sonar-cap-$$
TM="tmux -L sonar-cap-$$ -f /dev/null"
cleanup() {
  tm_down
  ns_remove "$NS"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
O=$TMP/out

"$MKPCAP" "$TMP/raw.pcap" "$TMP/ether.pcap"
check "mkpcap wrote the files" [ -s "$TMP/raw.pcap" ]
"$SONAR" capture -F "$TMP/raw.pcap" --json >"$O" 2>"$TMP/err"
check "sonar capture -F raw.pcap: exit 0, 8 packets" sh -c "[ $? = 0 ] && [ \$(wc -l <'$O') = 8 ]"
q() { [ "$(jq -s "$1" "$O" 2>/dev/null)" = true ]; }
check "1: IPv4 echo request, id 4660 seq 1, TTL 64, 10.1.0.1 > 10.9.0.9" \
  q '.[0] | .name == "echo request" and .id == 4660 and .seq == 1 and .ttl == 64 and .src == "10.1.0.1" and .dst == "10.9.0.9" and .family == 4 and .length == 44'
check "2: its echo reply" q '.[1] | .name == "echo reply" and .id == 4660 and .type == 0'
check "3: IPv4 Time Exceeded quoting it (destination, id, seq)" \
  q '.[2] | .name == "time exceeded" and .detail == "Time to live exceeded" and .quoted_dst == "10.9.0.9" and .id == 4660 and .seq == 1 and .src == "10.1.0.254"'
check "4: Destination Unreachable (host) with a minimal quote" \
  q '.[3] | .name == "destination unreachable" and .code == 1 and .detail == "Destination host unreachable" and .quoted_dst == "10.9.0.9"'
check "5: IPv6 echo request, hop limit 63" \
  q '.[4] | .family == 6 and .name == "echo request" and .id == 22136 and .seq == 2 and .ttl == 63 and .src == "fd00::1"'
check "6: IPv6 Time Exceeded quoting it" \
  q '.[5] | .name == "time exceeded" and .detail == "Hop limit exceeded" and .quoted_dst == "fd00::9"'
check "7: IPv6 echo reply behind a hop-by-hop header" q '.[6] | .name == "echo reply" and .id == 22136'
check "8: a packet cut short is marked truncated" q '.[7] | .truncated and .name == "echo request"'
"$SONAR" capture -F "$TMP/raw.pcap" >"$O" 2>"$TMP/err"
check "text: one line per packet, with the quoted destination" \
  sh -c "grep -q 'time exceeded (Time to live exceeded) id=4660 seq=1 for 10.9.0.9 ttl=255' '$O' && [ \$(wc -l <'$O') = 8 ]"
"$SONAR" capture -F "$TMP/ether.pcap" --json >"$O" 2>"$TMP/err"
check "Ethernet frames: both families decoded" q 'length == 2 and .[0].family == 4 and .[1].family == 6'
"$SONAR" capture -F "$TMP/nonexistent.pcap" >"$O" 2>"$TMP/err"
check "a missing file: exit 4 with one line" sh -c "[ $? = 4 ] && [ \$(wc -l <'$TMP/err') = 1 ]"

# Live, in a namespace of our own: the dashboard pings 127.0.0.1 while
# iputils ping pings 127.0.0.2; the pane shows both, marked apart.
ip netns add "$NS" && ip -n "$NS" link set lo up
$TM new-session -d -x 160 -y 40 \
    "ip netns exec $NS env SONAR_THEMES=$top_srcdir/themes $SONAR -i 0.2 127.0.0.3; sleep 60"
tm_wait '^127\.0\.0\.3 +127\.0\.0\.3 ' 10 >/dev/null
$TM send-keys -t 0 c
tm_wait 'capture: ICMP and ICMPv6 on every interface' 5 >/dev/null
ip netns exec "$NS" ping -c 4 -i 0.2 127.0.0.2 >/dev/null 2>&1
# iputils ping has ended: its requests are captured; wait until the pane shows them
tm_wait ' other 127\.0\.0\.1 > 127\.0\.0\.2 echo request' 5 >/dev/null
$TM capture-pane -p -t 0 >"$O"
check "the pane is open" grep -q 'capture: ICMP and ICMPv6 on every interface' "$O"
check "the pane's key hint comes from the key table" grep -q 'c close  f filter  Space freeze  \[ \] scroll' "$O"
check "sonar's own probes are marked 'sonar'" grep -qE ' sonar 127\.0\.0\.1 > 127\.0\.0\.3 echo request' "$O"
check "iputils ping's echoes are shown, marked 'other'" grep -qE ' other 127\.0\.0\.1 > 127\.0\.0\.2 echo request' "$O"
$TM send-keys -t 0 f
filtered() { $TM capture-pane -p -t 0 >"$TMP/pane" && grep -q 'about 127.0.0.3' "$TMP/pane" && ! grep -q '127\.0\.0\.2' "$TMP/pane"; }
check "f filters the pane to the selected target" wait_until 5 filtered
$TM send-keys -t 0 ' '
tm_wait FROZEN 5 >/dev/null
a=$($TM capture-pane -p -t 0 | grep -c ' sonar ')
sleep 0.6 # the measurement: three probes' time (-i 0.2) in which nothing may be added
b=$($TM capture-pane -p -t 0 | grep -c ' sonar ')
check "Space freezes the pane" sh -c "$TM capture-pane -p -t 0 | grep -q FROZEN && [ '$a' = '$b' ]"
$TM send-keys -t 0 q

# The pane opened after a while: the packets captured before it opened are
# not shown as if they were new; the header says how many were skipped.
tm_start "ip netns exec $NS env SONAR_THEMES=$top_srcdir/themes $SONAR -i 0.5 127.0.0.3; sleep 60" 160 40
tm_wait '^127\.0\.0\.3 +127\.0\.0\.3 ' 10 >/dev/null
sleep 4 # the measurement: the packets of 4 s before the pane opens
opened=$(date +%s)
$TM send-keys -t 0 c
# the pane drawn with its first packets
opened_pane() { $TM capture-pane -p -t 0 >"$O" && grep -q 'capture: ' "$O" && grep -qE '^[0-9]{2}:[0-9]{2}:[0-9]{2}' "$O"; }
wait_until 5 opened_pane
first=$(grep -oE '^[0-9]{2}:[0-9]{2}:[0-9]{2}' "$O" | head -1)
check "opened after 4 s: the header says how many older packets were skipped" \
  grep -qE '[1-9][0-9]* older packets skipped' "$O"
check "... and the oldest packet shown ($first) is not from before the pane opened" \
  [ "$(date -d "$first" +%s)" -ge "$((opened - 1))" ]
$TM send-keys -t 0 q

# sonar capture, live, as another user without privileges: the reason.
ip netns exec "$NS" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
  --bounding-set=-all -- "$SONAR" capture -c 1 >"$O" 2>"$TMP/err"
check "capture without privilege: exit 4, says why" \
  sh -c "[ $? = 4 ] && grep -qi 'capture' '$TMP/err' && [ \$(wc -l <'$TMP/err') = 1 ]"
finish
