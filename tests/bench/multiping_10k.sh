#!/bin/bash
# tests/bench/multiping_10k.sh - 10,000 loopback targets, 2 probes each,
# 500 ms apart: sonar multiping against fping on the same list (both send
# every first probe at once: --pacing 0, fping -i 0), medians of RUNS runs.
# Memory: the marginal bytes per target (peak RSS of N targets less that
# of one, over N - 1) of both tools in the same run. Then RTT truth under
# that load.
set -u
. "$top_srcdir/tests/bench/lib.sh"
need_tools fping jq
N=${N:-10000}
RUNS=${RUNS:-3}
# 127.3.0.1 ... : N distinct loopback addresses.
for i in $(seq 0 $((N - 1))); do echo "127.3.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
echo 127.3.0.1 >"$TMP/one"

for r in $(seq "$RUNS"); do
  measure f fping -q -c 2 -i 0 -p 500 -f "$TMP/list"
  grep -cE ': xmt/rcv/%loss = 2/2/' "$TMP/f.err" >>"$TMP/f.alive"
  measure s "$SONAR" multiping -F "$TMP/list" -c 2 -i 0.5 --pacing 0 --concurrent-tasks "$N" --json
  echo "$(jq '[.[] | select(.packets_received == 2)] | length' "$TMP/s.out" 2>/dev/null)" >>"$TMP/s.alive"
done
measure f1 fping -q -c 2 -i 0 -p 500 -f "$TMP/one"
measure s1 "$SONAR" multiping -F "$TMP/one" -c 2 -i 0.5 --json
sw=$(col s 1) sc=$(col s 2) fw=$(col f 1) fc=$(col f 2)
sa=$(median <"$TMP/s.alive") fa=$(median <"$TMP/f.alive")
row "| multiping $N loopback targets x 2, 500 ms apart, all at once: wall (median of $RUNS) | sonar $sw s | fping $fw s | $(ratio "$sw" "$fw")x | $(verdict "$sw <= $fw" "$sw" "$fw") (<= fping) |"
row "| same runs: CPU of the process, user + system (median) | sonar $sc s | fping $fc s | $(ratio "$sc" "$fc")x | $(verdict "$sc <= $fc" "$sc" "$fc") (<= fping) |"
row "| same runs: targets answered twice (median) | sonar $sa | fping $fa | | $(verdict "$sa == $N && $fa == $N" "$sa" "$fa") ($N each) |"

# marginal memory per target, KiB of peak RSS -> bytes
sm=$(awk -v a="$(col s 3)" -v b="$(col s1 3)" -v n="$N" 'BEGIN {printf "%.0f", (a - b) * 1024 / (n - 1)}')
fm=$(awk -v a="$(col f 3)" -v b="$(col f1 3)" -v n="$N" 'BEGIN {printf "%.0f", (a - b) * 1024 / (n - 1)}')
row "| same runs: memory per target (peak RSS of $N targets less one target's, / $((N - 1))) | sonar $sm B | fping $fm B | $(ratio "$sm" "$fm")x | $(verdict "$sm <= 1.25 * $fm" "$sm" "$fm" "$(col s 3)" "$(col s1 3)" "$(col f 3)" "$(col f1 3)") (<= 1.25 x fping) |"

# -- RTT truth under load --------------------------------------------------------
# Idle: 127.0.0.1 alone, 20 probes 100 ms apart; warm: 200 probes 10 ms apart.
# Loaded: the same target first in a list of N, every target probed alike.
echo 127.0.0.1 >"$TMP/one0"
"$SONAR" multiping -F "$TMP/one0" -c 20 -i 0.1 --json >"$TMP/idle.json" 2>/dev/null
"$SONAR" ping -c 200 -i 0.01 --json 127.0.0.1 >"$TMP/warm.json" 2>/dev/null
(echo 127.0.0.1; cat "$TMP/list") >"$TMP/loaded"
"$SONAR" multiping -F "$TMP/loaded" -c 20 -i 0.1 --concurrent-tasks $((N + 1)) --json \
  >"$TMP/loaded.json" 2>/dev/null
idle=$(jq -r '.[0].rtts[]' "$TMP/idle.json" 2>/dev/null | median)
warm=$(jq -r '.rtts[]' "$TMP/warm.json" 2>/dev/null | median)
loaded=$(jq -r '.[0].rtts[]' "$TMP/loaded.json" 2>/dev/null | median)
n_loaded=$(jq '.[0].rtts | length' "$TMP/loaded.json" 2>/dev/null)
# The verdict is on inflation (what icmplib suffers): loaded - idle <= 50 us.
# Load can make the RTT smaller: a lone probe every 100 ms wakes a cold CPU.
d=$(awk -v a="$loaded" -v b="$idle" 'BEGIN {printf "%+.1f", (a - b) * 1000}')
dw=$(awk -v a="$loaded" -v b="$warm" 'BEGIN {printf "%+.1f", (a - b) * 1000}')
row "| RTT of 127.0.0.1 while $N other targets are pinged (20 probes each, 100 ms apart), median | loaded $loaded ms ($n_loaded of 20) | idle $idle ms at 100 ms; $warm ms at 10 ms | $d us; $dw us | $(verdict "$d <= 50 && $dw <= 50 && $n_loaded == 20" "$idle" "$warm" "$loaded" "$n_loaded") (no inflation > 50 us) |"
finish_bench
