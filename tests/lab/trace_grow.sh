#!/bin/bash
# tests/lab/trace_grow.sh - a continuous traceroute follows a path that
# gets longer. The traced address (10.201.2.9) first lives on the router R,
# one hop away: TTL 1 reaches it and TTLs beyond are parked. Then it moves
# to the target T, two hops away: TTL 1 now hears Time Exceeded from R, the
# parked TTLs wake, and TTL 2 reaches 10.201.2.9 at T. (That a resume
# does not wake parked TTLs is tested in tests/unit/test_change.c.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq timeout
. "$top_srcdir/tests/lab/topology.sh"

ip -n "$R" addr add 10.201.2.9/32 dev lo
inC ping -c 1 -W 2 10.201.2.9 >/dev/null 2>&1
# Not through inC (a function): $! must be timeout itself, which passes our
# SIGINT on to sonar. --foreground: timeout sends sonar only the signal, not
# a SIGCONT after it (to its whole group), which can land while an ASan
# build's leak check is attaching to sonar at exit, cancel the stop that
# attach queued, and leave the two waiting for each other for ever.
ip netns exec "$C" timeout --foreground -k 5 -s INT 30 "$SONAR" traceroute -c 0 -i 0.1 -m 6 -W 0.5 \
  --stream 10.201.2.9 >"$O" 2>"$E" &
pid=$!
# ttl1_replies N: TTL 1 has reached 10.201.2.9 on R N times
ttl1_replies() { [ "$(jq -s '[.[] | select(.event == "reply" and .probe_ttl == 1)] | length' "$O" 2>/dev/null)" -ge "$1" ]; }
wait_until 5 ttl1_replies 10
# the address moves one hop further
ip -n "$R" addr del 10.201.2.9/32 dev lo
ip -n "$T" addr add 10.201.2.9/32 dev t0
ip -n "$R" route add 10.201.2.9/32 via 10.201.2.2 dev r1
sleep 4 # the measurement: 40 rounds in which TTLs past 2 must stay parked
kill -INT "$pid" 2>/dev/null
wait "$pid"
RC=$?
check "Ctrl-C ends the trace: exit 0" [ $RC = 0 ]
moved=$(jq -r 'select(.event == "reply" and .probe_ttl == 1) | .time' "$O" | tail -1)
check "before the move, TTL 1 reached 10.201.2.9 on R (replies at TTL 1: $(jq -s '[.[] | select(.event == "reply" and .probe_ttl == 1)] | length' "$O"))" \
  [ -n "$moved" ]
te1=$(jq -s '[.[] | select(.event == "icmp_error" and .probe_ttl == 1 and .from == "10.201.1.1")] | length' "$O")
check "after the move, TTL 1 hears Time Exceeded from R ($te1 times)" [ "$te1" -gt 3 ]
r2=$(jq -s '[.[] | select(.event == "reply" and .probe_ttl == 2 and .from == "10.201.2.9")] | length' "$O")
check "the parked TTL 2 woke and reaches 10.201.2.9 at T ($r2 replies)" [ "$r2" -gt 3 ]
beyond=$(jq -s '[.[] | select(.event == "sent" and .probe_ttl > 2)] | length' "$O")
sent1=$(jq -s '[.[] | select(.event == "sent" and .probe_ttl == 1)] | length' "$O")
check "TTLs beyond the new end are parked again (few probes past TTL 2: $beyond, TTL 1 sent $sent1)" \
  [ "$beyond" -lt $((sent1 / 2)) ]
finish
