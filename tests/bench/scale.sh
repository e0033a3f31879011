#!/bin/bash
# tests/bench/scale.sh - multiping at scale: 30,000 loopback targets x 2
# probes, 500 ms apart, side by side with fping on the same list (fping
# stops near 32,000 targets with count 2: it runs out of sequence numbers),
# and 100,000 targets against the goal of issue 9 (wall and CPU <= 1.0 s).
# Both tools send every target's first probe at once (sonar --pacing 0,
# fping -i 0). Medians of RUNS runs; CPU is user + system of the child
# (wait4's rusage, through GNU time). Prints Markdown table rows; a verdict
# is FAIL when a tool is missing, its output is empty or the verdict fails.
set -u
: "${SONAR:?}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
RUNS=${RUNS:-3}
for c in fping jq /usr/bin/time; do
  command -v "$c" >/dev/null || { echo "| scale | missing $c | | | FAIL |"; exit 1; }
done
list() { for i in $(seq 0 $(($1 - 1))); do echo "127.$((i / 62500 + 10)).$((i / 250 % 250)).$((i % 250 + 1))"; done; }
list 30000 >"$TMP/30k"
list 100000 >"$TMP/100k"
median() { sort -g | awk '{v[NR]=$1} END {if (NR == 0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
num() { [[ $1 =~ ^[0-9]+(\.[0-9]+)?$ ]]; }
# timed OUT CMD...: one run under GNU time; appends "wall cpu" to OUT.times
timed() {
  out=$1
  shift
  /usr/bin/time -f '%e %U %S' -o "$TMP/t" "$@" >"$out" 2>"$TMP/stderr"
  awk '{printf "%s %.2f\n", $1, $2 + $3}' "$TMP/t" >>"$out.times"
}
verdict() { if awk "BEGIN {exit !($1)}"; then echo pass; else echo FAIL; fi; }
# every row also goes to $TMP/rows: the exit status is read from them
row() { echo "$*" | tee -a "$TMP/rows"; }

for r in $(seq "$RUNS"); do
  timed "$TMP/s30" "$SONAR" multiping -F "$TMP/30k" -c 2 -i 0.5 --pacing 0 --concurrent-tasks 30000 --json
  s_alive=$(jq '[.[] | select(.packets_received == 2)] | length' "$TMP/s30" 2>/dev/null)
  timed "$TMP/f30" fping -q -c 2 -i 0 -p 500 -f "$TMP/30k"
  f_alive=$(grep -cE ': xmt/rcv/%loss = 2/2/' "$TMP/stderr")
done
sw=$(cut -d' ' -f1 "$TMP/s30.times" | median) sc=$(cut -d' ' -f2 "$TMP/s30.times" | median)
fw=$(cut -d' ' -f1 "$TMP/f30.times" | median) fc=$(cut -d' ' -f2 "$TMP/f30.times" | median)
if num "$sw" && num "$sc" && num "$fw" && num "$fc" && [ "${s_alive:-0}" = 30000 ] && [ "$f_alive" = 30000 ]; then
  row "| multiping 30,000 loopback targets x 2, 500 ms apart, all at once: wall (median of $RUNS) | sonar $sw s | fping $fw s | $(awk -v a="$sw" -v b="$fw" 'BEGIN {printf "%.2f", a / b}')x | $(verdict "$sw <= $fw") (<= fping) |"
  row "| same runs: CPU, user + system (median) | sonar $sc s | fping $fc s | $(awk -v a="$sc" -v b="$fc" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')x | $(verdict "$sc <= $fc") (<= fping) |"
else
  row "| multiping 30,000 targets | sonar ${sw:-?} s, ${s_alive:-0} answered in full | fping ${fw:-?} s, ${f_alive:-0} | | FAIL (no numbers, or not every target answered twice) |"
fi

for r in $(seq "$RUNS"); do
  timed "$TMP/s100" "$SONAR" multiping -F "$TMP/100k" -c 2 -i 0.5 --pacing 0 --concurrent-tasks 100000 --json
  s_alive=$(jq '[.[] | select(.packets_received == 2)] | length' "$TMP/s100" 2>/dev/null)
done
sw=$(cut -d' ' -f1 "$TMP/s100.times" | median) sc=$(cut -d' ' -f2 "$TMP/s100.times" | median)
if num "$sw" && num "$sc" && [ "${s_alive:-0}" = 100000 ]; then
  row "| multiping 100,000 loopback targets x 2, 500 ms apart (fping cannot): wall, CPU (medians of $RUNS) | sonar $sw s, $sc s CPU | goal 1.0 s, 1.0 s | | $(verdict "$sw <= 1.0 && $sc <= 1.0") (<= 1.0 s each) |"
else
  row "| multiping 100,000 targets | sonar ${sw:-?} s, ${s_alive:-0} answered in full | | | FAIL (no numbers, or not every target answered twice) |"
fi
! grep -q FAIL "$TMP/rows"
