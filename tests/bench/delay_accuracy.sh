#!/bin/bash
# tests/bench/delay_accuracy.sh - RTT truth on a slow path: through the
# router of tests/lab/topology.sh to tests/lab/responder, which answers
# each request 40 ms late, with probes 50 ms apart. sonar's median RTT
# against iputils ping's on the same path at the same time, and the
# minimum against ping's (on this machine ping itself sees 39.9 ms now and
# then: the kernel's receive stamps, which both use, are not exact to the
# tenth of a millisecond here). (tests/lab/matching.sh keeps only a lower
# bound in make check: on a loaded machine the responder answers late.)
set -u
. "$top_srcdir/tests/bench/lib.sh"
. "$top_srcdir/tests/lib.sh" >/dev/null
need_tools ip nft ping jq
N=${N:-40} DELAY=40
rm -rf "$TMP"
. "$top_srcdir/tests/lab/topology.sh" # its own TMP, removed with the lab
: >"$TMP/failed"
dst=10.201.2.2
. "$top_srcdir/tests/lab/respond.sh"
respond 4 --delay-ms "$DELAY" --seconds 30
ip netns exec "$C" ping -n -c "$N" -i 0.05 "$dst" >"$TMP/ping.txt" 2>&1 &
p1=$!
ip netns exec "$C" "$SONAR" ping -c "$N" -i 0.05 -W 2 --json "$dst" >"$TMP/sonar.json" 2>"$TMP/sonar.err" &
p2=$!
wait $p1 $p2
stop_responder
ping_med=$(grep -oE 'time=[0-9.]+' "$TMP/ping.txt" | cut -d= -f2 | median)
ping_min=$(grep -oE 'time=[0-9.]+' "$TMP/ping.txt" | cut -d= -f2 | sort -g | head -1)
sonar_med=$(jq -r '.rtts[]' "$TMP/sonar.json" 2>/dev/null | median)
sonar_min=$(jq -r '.min_rtt' "$TMP/sonar.json" 2>/dev/null)
n_ping=$(grep -c 'time=' "$TMP/ping.txt")
n_sonar=$(jq '.rtts|length' "$TMP/sonar.json" 2>/dev/null)
diff_ms=$(awk -v a="$sonar_med" -v b="$ping_med" 'BEGIN {printf "%+.3f", a - b}')
row "| RTT median through a router to a $DELAY ms responder, $N probes 50 ms apart, sonar and iputils ping concurrently | sonar $sonar_med ms, min $sonar_min ($n_sonar) | ping $ping_med ms, min $ping_min ($n_ping) | $diff_ms ms | $(verdict "$diff_ms <= 1 && $diff_ms >= -1 && $sonar_min >= $ping_min - 1 && $sonar_min >= $DELAY - 1 && $sonar_med < $DELAY + 5 && $n_sonar == $N && $n_ping == $N" "$diff_ms" "$sonar_min" "$ping_min" "$sonar_med" "$n_sonar" "$n_ping") (median within 1 ms of ping's, min within 1 ms of ping's and of $DELAY ms, median under $((DELAY + 5)) ms, $N of $N each) |"
finish_bench
