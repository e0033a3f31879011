#!/bin/bash
# tests/lab/interval.sh - changing the interval while running must not kill
# a target.
#
# The engine sizes each target's probe ring once, from the interval and the
# timeout it starts with (ceil(timeout / interval) + 2 slots). A target that
# answers in 300 ms, watched in the dashboard at -i 1 (4 slots): after `+`
# four times (0.0625 s) five probes are in flight at once, so each slot is
# taken again before its reply arrives and the probe is expired by force:
# ~100% loss on a target that answers every probe. `sonar ping -i 0.0625`
# to the same target, sized for that interval from the start, loses none.
#
# The truth: tests/lab/responder (kernel echo replies off in T) answers every
# probe after 300 ms, so the dashboard's Loss% (lost / completed probes) must
# be 0.0% and Rcv may trail Snt only by the probes still in flight.
# Bounded: every command under timeout, the whole script under 90 s.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 90 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft tmux timeout
RESPONDER=${RESPONDER:-$top_builddir/tests/lab/responder}
[ -x "$RESPONDER" ] || { not_ok "responder not built ($RESPONDER)"; finish; }
. "$top_srcdir/tests/lab/topology.sh"
TM="tmux -L sonar-interval-$$ -f /dev/null"
trap 'tm_down; lab_down' EXIT
[ -n "${LAB_KEEP:-}" ] && trap 'tm_down' EXIT

DST=10.201.2.2 DELAY=300 FAST=0.0625
inT sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1

# The responder answers for 40 s at most, every request after DELAY ms.
ip netns exec "$T" "$RESPONDER" -4 --source "$DST" --delay-ms "$DELAY" --seconds 40 \
  >"$TMP/resp.out" 2>"$TMP/resp.err" &
RESP=$!
wait_until 5 grep -q ready "$TMP/resp.out" 2>/dev/null
check "the responder answers in T (echo replies of T's kernel off)" grep -q ready "$TMP/resp.out"

# 1. sonar ping at the fast interval from the start: the reference.
timeout 10 ip netns exec "$C" "$SONAR" ping -c 32 -i "$FAST" -W 2 --json "$DST" >"$O" 2>"$E"
echo "# sonar ping -c 32 -i $FAST: $(jq -c '{packets_sent, packets_received, packet_loss, min_rtt, max_rtt}' "$O" 2>/dev/null || cat "$E")"
check "sonar ping -i $FAST to a ${DELAY} ms target: 32 of 32 answered, 0% loss" \
  jq_true "$O" ".packets_sent == 32 and .packets_received == 32 and .packet_loss == 0 and .min_rtt >= $DELAY - 5"

# 2. The dashboard at -i 1, then + four times: the same interval, reached
# while running.
# row: Target Address Loss% Snt Rcv ... of DST
row() { tm_screen | awk -v t="$DST" '$1 == t {print; exit}'; }
tm_start "ip netns exec $C env LANG=C.UTF-8 SONAR_THEMES=$top_srcdir/themes HOME=$TMP \
timeout --foreground -k 2 60 $SONAR -i 1 -W 2 $DST; sleep 60" 160 20
check "the dashboard shows a row for $DST" tm_wait "^${DST//./\\.} +${DST//./\\.} " 5
check "at -i 1 the ${DELAY} ms answers come back (Rcv 1 or more, 0.0%)" \
  tm_wait "^${DST//./\\.} +${DST//./\\.} +0\.0% +[0-9]+ +[1-9]" 5
echo "# at -i 1:      $(row)"
# each + shown before the next is sent
for iv in 0.5 0.25 0.125; do
  $TM send-keys -t 0 +
  tm_wait "probing every $iv s" 3 >/dev/null
done
$TM send-keys -t 0 +
check "+ four times: probing every $FAST s" tm_wait "probing every $FAST s" 3
sleep 4 # the measurement: 4 s of probes at the new interval
r=$(row)
echo "# at -i $FAST: $r"
loss=$(echo "$r" | awk '{print $3}') snt=$(echo "$r" | awk '{print $4}') rcv=$(echo "$r" | awk '{print $5}')
snt=${snt:-0} rcv=${rcv:-0}
# in flight at the end: DELAY / FAST (4.8), plus one; on a loaded machine
# the responder answers later (each 62.5 ms more is one more in flight)
inflight=10
# 64 in 4 s at the new interval, 4 at the old; a loaded machine skips the
# send slots it misses
check "the dashboard sent at the new interval (Snt $snt >= 32 after 4 s at $FAST s)" [ "$snt" -ge 32 ]
check "after + x4 (interval $FAST s): Loss% of completed probes is 0.0% (shows $loss)" \
  [ "$loss" = "0.0%" ]
check "after + x4: Rcv $rcv of Snt $snt (all but the <= $inflight in flight), like sonar ping" \
  [ "$rcv" -ge $((snt - inflight)) ]
$TM send-keys -t 0 q
tm_down
kill "$RESP" 2>/dev/null
wait "$RESP" 2>/dev/null
finish
