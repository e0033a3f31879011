#!/bin/bash
# tests/lab/exporter_ecmp.sh - per hop series when a hop's router changes.
#
# In the ECMP lab (tests/lab/ecmp_topology.sh, ECMP_LONG_B: the path
# through B is a hop longer) R first routes 10.210.9.9 through A alone;
# the exporter traces udp://10.210.9.9 every 0.2 s: the destination is 3
# hops away. Then R's route changes to B alone (4 hops). Each router that
# answered at TTL 2 has its own series (hop_ip), counting its own
# answers: B's count starts from nothing and stays within the probes
# sent since the change, A's stays where it stopped, and together they
# never exceed the probes sent at TTL 2 (sonar_hop_requests_total, which
# has no hop_ip: a probe is sent to a TTL, not to a router). The longer
# path shows whole: hop 3 is now B2, hop 4 the destination.
# Bounded: 120 s; the namespaces go on every exit.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 120 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip curl promtool
ECMP_LONG_B=1
. "$top_srcdir/tests/lab/ecmp_topology.sh"
ip -n "$R" route replace 10.210.9.9/32 via 10.210.2.2
XPID=
trap '{ [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null; ecmp_down' EXIT

XP=127.0.0.1:9374
# (ip netns exec execs: $! is the exporter)
ip netns exec "$C" "$SONAR" exporter --listen "$XP" -i 0.2 -W 1 --trace udp://10.210.9.9 \
  2>"$TMP/err" &
XPID=$!
m() { ip netns exec "$C" curl -s --max-time 5 "http://$XP/metrics"; }
# val METRIC LABELS: the value of the hop 2 sample holding LABELS (0 none)
val() {
  m | awk -v n="$1{" -v l="$2" '
    index($0, n) == 1 && index($0, "hop=\"2\"") && index($0, l) { v = $NF }
    END { print v + 0 }'
}
answered_by() { [ "$(val sonar_hop_responses_total "hop_ip=\"$1\"")" -ge "$2" ]; }
check "the exporter serves" wait_until 30 sh -c "ip netns exec $C curl -sf http://$XP/-/healthy >/dev/null"
OLD=10.210.2.2 NEW=10.210.3.2
check "hop 2 ($OLD) answers 10 times" until_ok 30 answered_by "$OLD" 10
m >"$TMP/first"
check "the destination is at hop 3: no hop 4 written" \
  sh -c "grep -q 'hop=\"3\",hop_ip=\"10.210.9.9\"' '$TMP/first' && ! grep -q 'hop=\"4\"' '$TMP/first'"
m >"$TMP/before"
ip -n "$R" route replace 10.210.9.9/32 via "$NEW"
get() { awk -v n="$1{" -v l="$2" 'index($0, n) == 1 && index($0, "hop=\"2\"") && index($0, l) { v = $NF }
  END { print v + 0 }' "$3"; }
sent0=$(get sonar_hop_requests_total 'hop="2"' "$TMP/before")
old0=$(get sonar_hop_responses_total "hop_ip=\"$OLD\"" "$TMP/before")
check "after the route change, $NEW answers at hop 2" until_ok 30 answered_by "$NEW" 5
m >"$TMP/metrics"
sent1=$(get sonar_hop_requests_total 'hop="2"' "$TMP/metrics")
old1=$(get sonar_hop_responses_total "hop_ip=\"$OLD\"" "$TMP/metrics")
new1=$(get sonar_hop_responses_total "hop_ip=\"$NEW\"" "$TMP/metrics")
# (the probes sent between the scrape and the change were still the old
# one's: the bound is the probes since the scrape)
check "$NEW counts its own answers only: $new1 <= $((sent1 - sent0)) probes since" \
  [ "$new1" -le $((sent1 - sent0)) ]
check "$NEW answers 5 more" until_ok 30 answered_by "$NEW" $((new1 + 5))
old2=$(val sonar_hop_responses_total "hop_ip=\"$OLD\"")
check "$OLD's series stays where it stopped ($old0 -> $old1 -> $old2)" \
  [ "$old2" = "$old1" -a "$old1" -ge "$old0" ]
check "both routers' series at once, their sum within the probes ($old1 + $new1 <= $sent1)" \
  [ "$old1" -gt 0 -a "$new1" -gt 0 -a $((old1 + new1)) -le "$sent1" ]
# hop N's responses from IP, in the latest exposition
hop_from() { m | grep -qE "^sonar_hop_responses_total\{.*,hop=\"$1\",hop_ip=\"$2\"\} [1-9]"; }
check "the path is a hop longer: hop 3 answers from B2 (10.210.5.1)" until_ok 30 hop_from 3 10.210.5.1
check "... and hop 4 is written, the destination's" until_ok 30 hop_from 4 10.210.9.9
check "promtool check metrics passes" sh -c "promtool check metrics <'$TMP/metrics'"
[ "$FAIL" != 0 ] && { sed 's/^/# exporter: /' "$TMP/err"; grep '^sonar_hop' "$TMP/metrics" | sed 's/^/# /'; }
finish
