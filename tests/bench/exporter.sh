#!/bin/bash
# tests/bench/exporter.sh - `sonar exporter` beside smokeping_prober
# (Debian's prometheus-smokeping-prober), each alone in turn on the same
# 1,000 loopback targets at 1 probe/s for SECS (60) seconds, scraped every
# 5 s by a curl loop: CPU of the process (utime + stime from /proc over the
# SECS, from 5 s after its first answered scrape), its resident memory at the end and its
# peak. Both run in a network namespace of the bench's own (only lo), on
# the same port, with their default histograms. Judged: sonar uses less
# CPU and less memory, and both got the replies (at least 95% of
# 1,000 x SECS, read from their own smokeping_response_duration_seconds_count,
# the same name in both) and answered every scrape. smokeping_prober's
# own replies and scrapes are shown, not judged: on a small machine its
# 1,000 pingers (a raw socket each, every one reading every reply) fall
# behind, and that is what it is compared for.
set -u
. "$top_srcdir/tests/bench/lib.sh"
. "$top_srcdir/tests/lib.sh" >/dev/null
need_tools prometheus-smokeping-prober curl ip
SECS=${SECS:-60}
N=1000
NS=sonar-bx-$$
PID=
cleanup() {
  { [ -n "$PID" ] && kill -KILL "$PID" && wait "$PID"; } 2>/dev/null
  ns_remove "$NS"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
HZ=$(getconf CLK_TCK)
ip netns add "$NS" && ip -n "$NS" link set lo up || {
  echo "| exporter | cannot make a namespace | | | FAIL |"
  exit 1
}
for i in $(seq 0 $((N - 1))); do echo "127.6.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
{
  echo "targets:"
  echo "- hosts:"
  sed 's/^/  - /' "$TMP/list"
  echo "  interval: 1s"
  echo "  network: ip4"
  echo "  protocol: icmp"
} >"$TMP/smokeping.yml"

cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
kib_of() { awk -v k="$2" '$1 == k ":" {print $2}' "/proc/$1/status" 2>/dev/null; }
# (10 s: Prometheus's default scrape_timeout)
scrape() { ip netns exec "$NS" curl -sf --max-time 10 -o "$1" http://127.0.0.1:9374/metrics; }
# replies FILE: the sum of smokeping_response_duration_seconds_count
replies() { awk '/^smokeping_response_duration_seconds_count/ {s += $NF} END {printf "%d", s}' "$1" 2>/dev/null; }

# run NAME CMD...: CMD in the namespace for 5 + SECS s, scraped every 5 s;
# sets CPU (% of one core), RSS and HWM (MB), GOT (replies), SCRAPES (ok/of)
run() {
  local name=$1 c0 c1 okn=0 tries=0 t0 got0 ts
  shift
  ts=$(date +%s.%N)
  ip netns exec "$NS" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  PID=$!
  # (smokeping_prober serves once its 1,000 pingers started, one after
  # the other: about a minute here)
  wait_until 300 scrape "$TMP/$name.first" || true
  READY=$(awk -v a="$ts" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
  sleep 5 # every target started, its first rounds in
  scrape "$TMP/$name.start"
  got0=$(replies "$TMP/$name.start")
  c0=$(cpu_of "$PID")
  t0=$(date +%s)
  while [ $(($(date +%s) - t0)) -lt "$SECS" ]; do
    sleep 5
    tries=$((tries + 1))
    scrape "$TMP/$name.last" && okn=$((okn + 1))
  done
  c1=$(cpu_of "$PID")
  RSS=$(awk -v k="$(kib_of "$PID" VmRSS)" 'BEGIN {printf "%.1f", k / 1024}')
  HWM=$(awk -v k="$(kib_of "$PID" VmHWM)" 'BEGIN {printf "%.1f", k / 1024}')
  CPU=$(awk -v a="$c0" -v b="$c1" -v hz="$HZ" -v s="$SECS" 'BEGIN {printf "%.2f", (b - a) * 100 / (hz * s)}')
  GOT=$(($(replies "$TMP/$name.last") - got0))
  SCRAPES="$okn/$tries"
  kill -TERM "$PID" 2>/dev/null
  wait "$PID" 2>/dev/null
  PID=
}

run sonar "$SONAR" exporter --listen 127.0.0.1:9374 -F "$TMP/list" -i 1
s_cpu=$CPU s_rss=$RSS s_hwm=$HWM s_got=$GOT s_scr=$SCRAPES s_ready=$READY
SONAR_SCRAPES=${SCRAPES#*/}/${SCRAPES#*/} # all of those tried
run smokeping prometheus-smokeping-prober --web.listen-address=127.0.0.1:9374 \
  --config.file="$TMP/smokeping.yml" --privileged
p_cpu=$CPU p_rss=$RSS p_hwm=$HWM p_got=$GOT p_scr=$SCRAPES p_ready=$READY
want=$((N * SECS * 95 / 100))
row "| exporter: $N loopback targets at 1 probe/s, scraped every 5 s, over $SECS s: CPU of one core, resident memory at the end (peak) | sonar exporter ${s_cpu}%, ${s_rss} MB (${s_hwm}); $s_got replies, $s_scr scrapes, serving ${s_ready} s after start | smokeping_prober $(prometheus-smokeping-prober --version 2>&1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1) ${p_cpu}%, ${p_rss} MB (${p_hwm}); $p_got replies, $p_scr scrapes, serving ${p_ready} s after start | $(ratio "$s_cpu" "$p_cpu")x CPU, $(ratio "$s_hwm" "$p_hwm")x memory | $(verdict "$s_cpu < $p_cpu && $s_hwm < $p_hwm && $s_got >= $want && \"$s_scr\" == \"$SONAR_SCRAPES\"" "$s_cpu" "$p_cpu" "$s_hwm" "$p_hwm" "$s_got") (less CPU and peak memory than smokeping_prober; sonar >= $want replies, every scrape answered) |"
finish_bench
