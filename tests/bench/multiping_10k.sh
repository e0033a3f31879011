#!/bin/bash
# tests/bench/multiping_10k.sh - 10,000 loopback targets, 2 probes each,
# 500 ms apart: sonar multiping against fping on the same list, in one run.
# Then RTT truth under that load, and memory per target.
# Prints Markdown table rows. Needs root, fping and GNU time.
set -u
: "${SONAR:?}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
N=${N:-10000}
for c in fping jq /usr/bin/time; do
  command -v "$c" >/dev/null || { echo "missing $c (./run.sh bench installs it)"; exit 1; }
done

# 127.3.0.1 ... : N distinct loopback addresses.
for i in $(seq 0 $((N - 1))); do echo "127.3.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"

# timed OUT CMD...: run CMD under GNU time; sets WALL CPU RSS (s, s, KiB).
timed() {
  out=$1
  shift
  /usr/bin/time -f '%e %U %S %M' -o "$TMP/time" "$@" >"$out" 2>"$TMP/stderr"
  read -r WALL U S RSS <"$TMP/time"
  CPU=$(awk -v u="$U" -v s="$S" 'BEGIN {printf "%.2f", u + s}')
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
median() { sort -g | awk '{v[NR]=$1} END {if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }

# -- speed: sonar vs fping --------------------------------------------------
timed "$TMP/fping.out" fping -q -c 2 -i 0 -p 500 -f "$TMP/list"
f_wall=$WALL f_cpu=$CPU f_rss=$RSS
f_alive=$(grep -cE ': xmt/rcv/%loss = [0-9]+/[1-9]' "$TMP/stderr")
timed "$TMP/sonar.json" "$SONAR" multiping -F "$TMP/list" -c 2 -i 0.5 \
  --concurrent-tasks "$N" --json
s_wall=$WALL s_cpu=$CPU s_rss=$RSS
s_alive=$(jq '[.[] | select(.is_alive)] | length' "$TMP/sonar.json")
v_wall=$(awk -v a="$s_wall" -v b="$f_wall" 'BEGIN {print (a <= b) ? "pass" : "FAIL"}')
v_cpu=$(awk -v a="$s_cpu" -v b="$f_cpu" 'BEGIN {print (a <= b) ? "pass" : "FAIL"}')
v_alive=$([ "$s_alive" = "$N" ] && echo pass || echo FAIL)
echo "| multiping $N loopback targets, count 2, 500 ms apart: wall time | sonar ${s_wall} s | fping ${f_wall} s | $(ratio "$s_wall" "$f_wall")x | $v_wall (<= fping) |"
echo "| same run: CPU time (user + system) | sonar ${s_cpu} s | fping ${f_cpu} s | $(ratio "$s_cpu" "$f_cpu")x | $v_cpu (<= fping) |"
echo "| same run: targets alive | sonar $s_alive | fping $f_alive | | $v_alive ($N of $N) |"

# -- memory per target ---------------------------------------------------------
timed "$TMP/one.json" "$SONAR" multiping -c 2 -i 0.5 --json 127.0.0.1
one_rss=$RSS
per=$(awk -v a="$s_rss" -v n="$N" 'BEGIN {printf "%.0f", a * 1024 / n}')
marginal=$(awk -v a="$s_rss" -v b="$one_rss" -v n="$N" 'BEGIN {printf "%.0f", (a - b) * 1024 / (n - 1)}')
# The RTTs themselves: 2 doubles per target.
v_mem=$(awk -v p="$per" 'BEGIN {print (p - 16 < 1024) ? "pass" : "FAIL"}')
echo "| peak RSS of the $N-target multiping / $N | ${per} B per target (marginal ${marginal} B) | fping $(awk -v a="$f_rss" -v n="$N" 'BEGIN {printf "%.0f", a * 1024 / n}') B per target | | $v_mem (< 1 KiB beyond 16 B of RTTs) |"

# -- RTT truth under load --------------------------------------------------------
# Idle: 127.0.0.1 alone, 20 probes 100 ms apart. Loaded: the same target
# first in a list of N, every target probed at the same time and rate.
printf '127.0.0.1\n' >"$TMP/idle"
"$SONAR" multiping -F "$TMP/idle" -c 20 -i 0.1 --json >"$TMP/idle.json" 2>/dev/null
# Idle with a warm CPU too: 200 probes 10 ms apart.
"$SONAR" ping -c 200 -i 0.01 --json 127.0.0.1 >"$TMP/warm.json" 2>/dev/null
(echo 127.0.0.1; cat "$TMP/list") >"$TMP/loaded"
"$SONAR" multiping -F "$TMP/loaded" -c 20 -i 0.1 --concurrent-tasks $((N + 1)) --json \
  >"$TMP/loaded.json" 2>/dev/null
idle=$(jq -r '.[0].rtts[]' "$TMP/idle.json" | median)
warm=$(jq -r '.rtts[]' "$TMP/warm.json" | median)
loaded=$(jq -r '.[0].rtts[]' "$TMP/loaded.json" | median)
all_loaded=$(jq -r '[.[] | .rtts[]] | .[]' "$TMP/loaded.json" | median)
# The verdict is on inflation (what icmplib suffers): loaded - idle <= 50 us.
# Load can make the RTT smaller: a lone probe every 100 ms wakes a cold CPU.
d=$(awk -v a="$loaded" -v b="$idle" 'BEGIN {printf "%+.1f", (a - b) * 1000}')
dw=$(awk -v a="$loaded" -v b="$warm" 'BEGIN {printf "%+.1f", (a - b) * 1000}')
v=$(awk -v d="$d" -v w="$dw" 'BEGIN {print (d <= 50 && w <= 50) ? "pass" : "FAIL"}')
echo "| RTT of 127.0.0.1 while $N other targets are pinged (20 probes each, 100 ms apart), median | loaded $(printf %.4f "$loaded") ms (all targets: $(printf %.4f "$all_loaded") ms) | idle $(printf %.4f "$idle") ms at 100 ms; $(printf %.4f "$warm") ms at 10 ms | $d us; $dw us | $v (no inflation > 50 us) |"
