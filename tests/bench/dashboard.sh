#!/bin/bash
# tests/bench/dashboard.sh - the dashboard in a real terminal (tmux):
# CPU use and resident memory with 1,000 and 10,000 loopback targets at
# one probe per second each over SECS seconds (the screen full of rows, the
# process alive at the end), beside `sonar multiping -c 0` on the same
# targets, and the time from a key press to the screen showing it. The
# floor is bench-floor (one socket, one send and one read per probe, nothing
# else) sending the same probes: the kernel's share, which no pinger avoids.
set -u
. "$top_srcdir/tests/bench/lib.sh"
. "$top_srcdir/tests/lib.sh" >/dev/null
need_tools tmux
TM="tmux -L sonar-bench-$$ -f /dev/null"
trap 'tm_down; rm -rf "$TMP"' EXIT
SECS=${SECS:-30}
HZ=$(getconf CLK_TCK)

# cpu_of PID: utime + stime in ticks.
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }

# rss_of PID: resident KiB.
rss_of() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

# cpu N LIMIT MB: CPU % of one core over SECS and resident MB with N
# targets, beside `sonar multiping -c 0` probing the same targets alike.
cpu() {
  n=$1 limit=$2 mb=$3
  for i in $(seq 0 $((n - 1))); do echo "127.4.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
  tm_down
  $TM new-session -d -x 200 -y 50 "exec env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR -i 1 -F $TMP/list"
  pid=$($TM list-panes -F '#{pane_pid}')
  sleep 3 # every target started, the first rounds in
  c0=$(cpu_of "$pid")
  sleep "$SECS"
  c1=$(cpu_of "$pid")
  rss=$(rss_of "$pid")
  rows=$($TM capture-pane -p | grep -cE '^127\.4\.' || true)
  alive=$(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0)
  tm_down
  # then the engine alone on the same targets, not at the same time
  "$SONAR" multiping -c 0 -i 1 --concurrent-tasks "$n" -F "$TMP/list" >/dev/null 2>&1 &
  mpid=$!
  sleep 3
  m0=$(cpu_of "$mpid")
  sleep "$SECS"
  m1=$(cpu_of "$mpid")
  mrss=$(rss_of "$mpid")
  kill -INT "$mpid" 2>/dev/null
  wait "$mpid" 2>/dev/null
  # and the floor: the same probes, paced across each second, SECS rounds
  "$BENCH_RUN" "$TMP/floor.one" "$BENCH_FLOOR" "$TMP/list" "$SECS" 1 1 >/dev/null 2>&1
  fpct=$(awk '{if ($1 > 0) printf "%.1f", $2 * 100 / $1}' "$TMP/floor.one")
  pct=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s="$SECS" 'BEGIN {printf "%.1f", (b - a) * 100 / (hz * s)}')
  mpct=$(awk -v a="$m0" -v b="$m1" -v hz="$HZ" -v s="$SECS" 'BEGIN {printf "%.1f", (b - a) * 100 / (hz * s)}')
  mem=$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')
  mmem=$(awk -v k="$mrss" 'BEGIN {printf "%.1f", k / 1024}')
  # 50 lines: the table shows 40 rows or more
  row "| dashboard, $n loopback targets at 1 probe/s each, drawing in tmux, over ${SECS} s: CPU, resident memory | ${pct}% of one core, ${mem} MB ($rows rows on screen) | sonar multiping -c 0, same targets: ${mpct}%, ${mmem} MB; floor (bench-floor, same probes): ${fpct}% | | $(verdict "$pct <= $limit && $mem <= $mb && $rows >= 40 && $alive == 1" "$pct" "$mem" "$rows" "$mpct" "$mmem" "$fpct") (<= ${limit}% and <= $mb MB, screen full, still running) |"
}

cpu 1000 5 40
table_pct=$pct
cpu 10000 5 40

# chart N LIMIT: the same with the chart of every target shown open (g,
# then g on the chart: all of them), drawn each frame.
chart() {
  n=$1 limit=$2
  for i in $(seq 0 $((n - 1))); do echo "127.4.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
  tm_down
  $TM new-session -d -x 200 -y 50 "exec env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR -i 1 -F $TMP/list"
  pid=$($TM list-panes -F '#{pane_pid}')
  sleep 3
  $TM send-keys g
  sleep 0.5
  $TM send-keys g
  for j in $(seq 1 100); do $TM capture-pane -p | grep -q 'RTT chart of the targets shown' && break; sleep 0.05; done
  c0=$(cpu_of "$pid")
  sleep "$SECS"
  c1=$(cpu_of "$pid")
  shown=$($TM capture-pane -p | grep -c 'RTT chart of the targets shown' || true)
  alive=$(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0)
  tm_down
  pct=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s="$SECS" 'BEGIN {printf "%.1f", (b - a) * 100 / (hz * s)}')
  row "| dashboard, $n loopback targets at 1 probe/s each, the chart of all of them open (g g), over ${SECS} s: CPU | ${pct}% of one core | the table alone, same targets (row above): ${table_pct}% | | $(verdict "$pct <= $limit && $shown == 1 && $alive == 1" "$pct" "$table_pct") (<= ${limit}%, the chart on screen, still running) |"
}
chart 1000 5

# Key press to screen: T changes the theme name in the title; 10 presses.
tm_down
$TM new-session -d -x 150 -y 30 "exec env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR -i 1 127.0.0.1 ::1"
for j in $(seq 1 100); do $TM capture-pane -p | head -1 | grep -q 'theme: ' && break; sleep 0.05; done
for k in $(seq 1 10); do
  before=$($TM capture-pane -p | head -1 | grep -o 'theme: [a-z-]*')
  t0=$(date +%s%N)
  $TM send-keys T
  changed=0
  for j in $(seq 1 500); do
    now=$($TM capture-pane -p | head -1 | grep -o 'theme: [a-z-]*')
    [ "$now" != "$before" ] && { changed=1; break; }
    sleep 0.002
  done
  [ $changed = 1 ] && echo $((($(date +%s%N) - t0) / 1000))
done >"$TMP/lat"
seen=$(wc -l <"$TMP/lat")
med=$(awk '{printf "%.1f\n", $1 / 1000}' "$TMP/lat" | median)
max=$(awk '{printf "%.1f\n", $1 / 1000}' "$TMP/lat" | sort -g | tail -1)
row "| key press (T) to the screen showing it, 10 presses, through tmux | median $med ms, worst $max ms ($seen of 10 seen) | | | $(verdict "$max < 50 && $seen == 10" "$med" "$max") (< 50 ms, every press seen) |"
finish_bench
