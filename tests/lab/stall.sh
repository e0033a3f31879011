#!/bin/bash
# tests/lab/stall.sh - a stalled process must not count queued replies as
# lost.
#
# `sonar multiping` of 100 loopback targets (-c 400 -i 0.01, all at once),
# stopped with SIGSTOP for 3 s early in the run and resumed with SIGCONT.
# The replies of the probes in flight at the stop wait in the socket's
# receive buffer, with the kernel's receive timestamps: they answered in
# microseconds and must count as received. Today the engine, on waking,
# processes the expired deadlines (and bursts the missed sends) before it
# reads them: ~1,024 of 40,000 replies counted lost.
#
# The truth: loopback loses nothing, so received == sent for every target,
# and a finite count sends exactly count probes (400), stall or not. A reply
# the kernel itself dropped for a full receive buffer (SO_RXQ_OVFL, said on
# stderr by multiping) is reported apart, not blamed on the engine;
# SONAR_RCVBUF is set to 64 MiB so that 3 s of replies (30,000, ~1 KiB of
# kernel memory each) fit. fping, stopped the same way, is the reference.
# Only a namespace of the test's own (lo up) is probed; it is removed on exit.
# Bounded: each run is killed after 30 s, the whole script after 120 s.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 120 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq fping timeout
N=sonar-st-$$
TMP=$(mktemp -d)
PIDS=
cleanup() {
  local p
  for p in $PIDS; do
    kill -CONT "$p" 2>/dev/null
    kill -KILL "$p" 2>/dev/null
  done
  ns_remove "$N"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

COUNT=400 INTERVAL=0.01 STOP_AT=0.5 STALL=3
RCVBUF=${SONAR_RCVBUF:-$((64 * 1024 * 1024))}
TARGETS=$(for i in $(seq 1 100); do echo 127.1.0.$i; done)

ip netns add "$N" && ip -n "$N" link set lo up
check "a namespace of the test's own, lo up ($N)" [ $? = 0 ]

# stalled OUT ERR CMD...: run CMD in the namespace, SIGSTOP it STOP_AT s
# after it started for STALL s, SIGCONT it, wait for it (30 s at most).
# Sets RC, and STOPPED=1 when /proc showed it stopped.
stalled() {
  local out=$1 err=$2 p i
  shift 2
  # ip netns exec and env exec: $! is the program itself
  ip netns exec "$N" "$@" >"$out" 2>"$err" &
  p=$!
  PIDS="$PIDS $p"
  sleep "$STOP_AT" # the measurement: where in the run the stall falls
  STOPPED=0
  kill -STOP "$p" 2>/dev/null
  wait_until 2 grep -q '^State:.*stopped' "/proc/$p/status" 2>/dev/null && STOPPED=1
  sleep "$STALL" # the measurement: the stall itself
  kill -CONT "$p" 2>/dev/null
  for i in $(seq 300); do
    kill -0 "$p" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$p" 2>/dev/null && { kill -KILL "$p"; echo "# $1 killed after 30 s" >&2; }
  wait "$p"
  RC=$?
  PIDS=${PIDS% $p}
}

# 1. sonar multiping, every target at once.
start=$SECONDS
# shellcheck disable=SC2086
stalled "$TMP/mp.json" "$TMP/mp.err" env SONAR_RCVBUF=$RCVBUF \
  "$SONAR" multiping -c $COUNT -i $INTERVAL --concurrent-tasks 100 -W 2 --json $TARGETS
echo "# sonar multiping: rc $RC, $((SECONDS - start)) s, stderr: $(tr '\n' ' ' <"$TMP/mp.err")"
check "sonar was stopped for ${STALL} s (SIGSTOP after ${STOP_AT} s), then ran to its end (rc $RC)" \
  sh -c "[ $STOPPED = 1 ] && [ $RC -le 1 ]"
check "JSON results for the 100 targets" jq_true "$TMP/mp.json" 'length == 100'
sum() { jq "[.[] | $1] | add" "$TMP/mp.json" 2>/dev/null; }
sent=$(sum .packets_sent) rcvd=$(sum .packets_received)
lossy=$(jq '[.[] | select(.packets_received != .packets_sent)] | length' "$TMP/mp.json" 2>/dev/null)
short=$(jq -c "[.[] | select(.packets_sent != $COUNT) | {target, packets_sent}]" "$TMP/mp.json" 2>/dev/null)
echo "# sonar: sent ${sent:-?}, received ${rcvd:-?}, $((${sent:-0} - ${rcvd:-0})) counted lost on ${lossy:-?} targets"

# The kernel's drops are said on stderr; if there are any, the buffer lost
# those replies, not the engine's counting.
dropped=$(sed -n 's/.*the kernel dropped \([0-9]*\) packets.*/\1/p' "$TMP/mp.err")
check "the kernel dropped no reply for a full receive buffer (SONAR_RCVBUF=$RCVBUF)${dropped:+: it dropped $dropped, so the loss below is the buffer's, not the engine's}" \
  [ -z "$dropped" ]
check "a finite count sends it all: $COUNT probes to every target, stall or not (off: ${short:-?})" \
  [ "$short" = "[]" ]
check "replies queued during the stall count as received: received == sent on every target (${rcvd:-?} of ${sent:-?}, ${lossy:-?} targets short)" \
  sh -c "[ -n '$sent' ] && [ '$sent' -gt 0 ] && [ '$rcvd' = '$sent' ] && [ '$lossy' = 0 ]"
# A reply stamped when the engine woke would carry the stall (3,000 ms); a
# loaded machine may delay a send by some ms, never by a second.
maxrtt=$(jq '[.[] | .max_rtt] | max' "$TMP/mp.json" 2>/dev/null)
check "RTTs end at the kernel's receive time, the stall is not in them (max ${maxrtt:-?} ms < 1000)" \
  jq_true "$TMP/mp.json" '[.[] | .max_rtt] | max < 1000'

# 2. fping the same way: the reference (it counts the queued replies).
start=$SECONDS
# shellcheck disable=SC2086
stalled "$TMP/fp.out" "$TMP/fp.err" fping -q -c $COUNT -p 10 -i 0 $TARGETS
# 127.1.0.1 : xmt/rcv/%loss = 400/400/0%, min/avg/max = ...
fsent=$(sed -n 's|.*xmt/rcv/%loss = \([0-9]*\)/.*|\1|p' "$TMP/fp.err" | awk '{s += $1} END {print s + 0}')
frcvd=$(sed -n 's|.*xmt/rcv/%loss = [0-9]*/\([0-9]*\)/.*|\1|p' "$TMP/fp.err" | awk '{s += $1} END {print s + 0}')
echo "# fping: rc $RC, $((SECONDS - start)) s, sent $fsent, received $frcvd, $((fsent - frcvd)) lost"
# The reference, not the judged: beside busy loops under ASan fping once
# lost 1 of 40,000 (its own timing); the defect this file guards lost
# ~1,024. At most 0.1% for fping, and sonar no fewer than fping.
check "fping, stopped ${STALL} s the same way, counts (almost) none lost ($frcvd of $fsent, at most 0.1% short; sonar: ${rcvd:-?} of ${sent:-?})" \
  sh -c "[ $STOPPED = 1 ] && [ $fsent = $((100 * COUNT)) ] && [ $frcvd -ge $((fsent - fsent / 1000)) ] && [ ${rcvd:-0} -ge $frcvd ]"
finish
