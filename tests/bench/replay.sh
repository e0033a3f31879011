#!/bin/bash
# tests/bench/replay.sh - sonar replay of a long, wide recording: 10,000
# targets probed once a second for 60 s (1.2 million packet events, made
# up here in the --record format: a sent and a reply per probe), played
# at --speed 100 in a real terminal (tmux), drawing as it goes. Measured:
# the time from start to the end of the file, as the player's last
# message says it ("played in S s"), and the process's peak memory.
set -u
. "$top_srcdir/tests/bench/lib.sh"
. "$top_srcdir/tests/lib.sh" >/dev/null
need_tools tmux
TM="tmux -L sonar-bench-replay-$$ -f /dev/null"
trap 'tm_down; rm -rf "$TMP"' EXIT
N=${N:-10000}
SECS=${SECS:-60}
LIMIT=${LIMIT:-10}

# the recording: N rows, then every second each row's probe (sent, and
# its reply 50-149 us later), spread across the second
awk -v n="$N" -v secs="$SECS" 'BEGIN {
  print "{\"sonar_record\": 1, \"interval\": 1}"
  for (i = 0; i < n; i++)
    printf "{\"t\": %d, \"op\": \"row\", \"row\": %d, \"name\": \"127.4.%d.%d\", \"state\": 1, \"address\": \"127.4.%d.%d\", \"protocol\": 0, \"port\": 0, \"error\": \"\"}\n", i, i + 1, int(i / 250), i % 250 + 1, int(i / 250), i % 250 + 1
  step = int(1e9 / n)
  for (s = 0; s < secs; s++)
    for (i = 0; i < n; i++) {
      t = s * 1e9 + i * step + 1000000
      printf "{\"t\": %d, \"row\": %d, \"event\": \"sent\"}\n", t, i + 1
      printf "{\"t\": %d, \"row\": %d, \"event\": \"reply\", \"from\": \"127.4.%d.%d\", \"rtt\": %.17g, \"reply_ttl\": 64}\n", t + 50000 + (i * 7 + s) % 100 * 1000, i + 1, int(i / 250), i % 250 + 1, 0.05 + ((i * 7 + s) % 100) / 1000
    }
}' >"$TMP/rec"
lines=$(wc -l <"$TMP/rec")
mb=$(du -m "$TMP/rec" | cut -f1)

$TM new-session -d -x 200 -y 50 "exec env SONAR_THEMES=$top_srcdir/themes LANG=C.UTF-8 $SONAR replay --speed 100 $TMP/rec"
pid=$($TM list-panes -F '#{pane_pid}')
peak=0
for i in $(seq 1 $((LIMIT * 6 * 10))); do # up to 6 times the limit
  r=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  [ -n "$r" ] && peak=$r
  $TM capture-pane -p | grep -q 'replay finished' && break
  sleep 0.1
done
msg=$($TM capture-pane -p | grep -o 'replay finished.*' | head -1)
secs=$(printf '%s\n' "$msg" | sed -n 's/.*played in \([0-9.]*\) s.*/\1/p')
shown=$($TM capture-pane -p | grep -cE '^127\.4\.' || true)
tm_down
mem=$(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')
row "| sonar replay --speed 100 of a recording of $N targets over $SECS s ($lines lines, $mb MB), in tmux: time to the end, peak memory | ${secs:-none} s, $mem MB ($shown rows on screen) | the recording lasts $SECS s: $(awk -v s="$SECS" 'BEGIN {printf "%.1f", s / 100}') s at --speed 100 | | $(verdict "$secs < $LIMIT && $shown >= 40" "$secs" "$shown") (< $LIMIT s) |"
[ ! -s "$TMP/failed" ]
