#!/bin/bash
# tests/bench/scale.sh - multiping at scale: 30,000 loopback targets x 2
# probes, 500 ms apart, side by side with fping on the same list (fping
# stops near 32,000 targets with count 2: it runs out of sequence numbers),
# and 100,000 targets against the goal of issue 9 (wall and CPU <= 1.0 s).
# Both tools send every target's first probe at once (sonar --pacing 0,
# fping -i 0). Medians of RUNS runs; every target must answer twice. The
# floor is bench-floor sending the same probes with nothing else (one
# socket, one send and one read per probe): the kernel's share, which no
# pinger avoids, shown beside the goal.
set -u
. "$top_srcdir/tests/bench/lib.sh"
need_tools fping jq
RUNS=${RUNS:-3}
list() { for i in $(seq 0 $(($1 - 1))); do echo "127.$((i / 62500 + 10)).$((i / 250 % 250)).$((i % 250 + 1))"; done; }
list 30000 >"$TMP/30k"
list 100000 >"$TMP/100k"

for r in $(seq "$RUNS"); do
  measure s30 "$SONAR" multiping -F "$TMP/30k" -c 2 -i 0.5 --pacing 0 --concurrent-tasks 30000 --json
  echo "$(jq '[.[] | select(.packets_received == 2)] | length' "$TMP/s30.out" 2>/dev/null)" >>"$TMP/s30.alive"
  measure f30 fping -q -c 2 -i 0 -p 500 -f "$TMP/30k"
  grep -cE ': xmt/rcv/%loss = 2/2/' "$TMP/f30.err" >>"$TMP/f30.alive"
done
sw=$(col s30 1) sc=$(col s30 2) fw=$(col f30 1) fc=$(col f30 2)
sa=$(median <"$TMP/s30.alive") fa=$(median <"$TMP/f30.alive")
row "| multiping 30,000 loopback targets x 2, 500 ms apart, all at once: wall (median of $RUNS) | sonar $sw s | fping $fw s | $(ratio "$sw" "$fw")x | $(verdict "$sw <= $fw" "$sw" "$fw") (<= fping) |"
row "| same runs: CPU of the process, user + system (median) | sonar $sc s | fping $fc s | $(ratio "$sc" "$fc")x | $(verdict "$sc <= $fc" "$sc" "$fc") (<= fping) |"
row "| same runs: targets answered twice (median) | sonar $sa | fping $fa | | $(verdict "$sa == 30000 && $fa == 30000" "$sa" "$fa") (30,000 each) |"

for r in $(seq "$RUNS"); do
  measure s100 "$SONAR" multiping -F "$TMP/100k" -c 2 -i 0.5 --pacing 0 --concurrent-tasks 100000 --json
  echo "$(jq '[.[] | select(.packets_received == 2)] | length' "$TMP/s100.out" 2>/dev/null)" >>"$TMP/s100.alive"
  measure fl100 "$BENCH_FLOOR" "$TMP/100k" 2 0.5 0
done
sw=$(col s100 1) sc=$(col s100 2) sa=$(median <"$TMP/s100.alive")
flw=$(col fl100 1) flc=$(col fl100 2)
row "| multiping 100,000 loopback targets x 2, 500 ms apart (beyond fping): wall, CPU (medians of $RUNS) | sonar $sw s wall, $sc s CPU; $sa answered twice | goal: 1.0 s each; floor (bench-floor, same probes): $flw s wall, $flc s CPU | $(ratio "$sc" "$flc")x floor CPU | $(verdict "$sw <= 1.0 && $sc <= 1.0 && $sa == 100000" "$sw" "$sc" "$sa" "$flw" "$flc") (<= 1.0 s each, all answered) |"
finish_bench
