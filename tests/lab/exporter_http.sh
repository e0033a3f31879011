#!/bin/bash
# tests/lab/exporter_http.sh - what the exporter's web server does with bad
# and abusive clients, and that its probes never notice.
#
# In a namespace of the test's own (only lo), `sonar exporter` probes
# 127.0.0.1 ten times a second. Then: routes (404 for an unknown path, 405
# for a GET of /-/reload, /-/healthy, the page at / with the target in
# it), a request with 100 KB of headers (an error status, never 200), 100
# slow clients that send half a request and wait (the server still
# answers others, and closes them once idle), 1,000 connections at once
# each asking for /metrics (answered or refused, the server survives, its
# log lines about them are rate limited).
# Meanwhile the probes keep their rate (at least half of the 10/s asked,
# counted by the exporter itself; a loop blocked by HTTP would skip send
# slots) and loopback loses nothing; afterwards the exporter holds no
# more descriptors than before. Bounded: 180 s for the script.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 180 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip curl python3 timeout
N=sonar-xh-$$
TMP=$(mktemp -d)
XPID=
cleanup() {
  { [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null
  ns_remove "$N"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
in_ns() { ip netns exec "$N" "$@"; }

ip netns add "$N" && ip -n "$N" link set lo up
check "a namespace of the test's own, lo up ($N)" [ $? = 0 ]
XP=127.0.0.1:9374
# (ip netns exec execs: $! is the exporter itself)
ip netns exec "$N" "$SONAR" exporter --listen "$XP" -i 0.1 127.0.0.1 2>"$TMP/exporter.err" &
XPID=$!
check "the exporter answers /-/healthy" \
  wait_until 30 sh -c "ip netns exec $N curl -sf http://$XP/-/healthy >/dev/null"

code() { in_ns curl -s -o "$TMP/body" -w '%{http_code}' --max-time 10 "$@"; }
check "an unknown path: 404" [ "$(code "http://$XP/nope")" = 404 ]
check "a GET of /-/reload: 405 (a reload is a POST)" [ "$(code "http://$XP/-/reload")" = 405 ]
check "POST /metrics: 405" [ "$(code -X POST "http://$XP/metrics")" = 405 ]
check "/-/healthy: 200" [ "$(code "http://$XP/-/healthy")" = 200 ]
check "/: 200, a page listing the target" \
  sh -c "[ \"\$(ip netns exec $N curl -s -o '$TMP/index' -w '%{http_code}' http://$XP/)\" = 200 ] &&
    grep -q '<td>127.0.0.1</td>' '$TMP/index'"

# sent RECEIVED: the loopback target's counters now ("SENT RECEIVED")
counters() {
  in_ns curl -s --max-time 10 "http://$XP/metrics" | awk '
    /^smokeping_requests_total\{host="127.0.0.1"/ { s = $NF }
    /^smokeping_response_duration_seconds_count\{host="127.0.0.1"/ { r = $NF }
    END { print s + 0, r + 0 }'
}
fds() { ls "/proc/$XPID/fd" | wc -l; }
fds_before=$(fds)
read -r sent0 recv0 <<<"$(counters)"
t0=$(date +%s.%N)

big=$(head -c 100000 /dev/zero | tr '\0' a)
c=$(code -H "X-Big: $big" "http://$XP/metrics")
check "100 KB of headers: an error status or a closed connection, not 200 ($c)" \
  [ "$c" != 200 ]

cat >"$TMP/clients.py" <<'PY'
# clients.py MODE HOST PORT N: N clients at once.
#   slow: each sends half a request and waits; prints how many the server
#         closed within 40 s
#   many: each sends a whole GET /metrics; prints "ok N other M" (answered
#         200 / refused, reset or another status) within 60 s
import selectors, socket, sys, time

mode, host, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
sel = selectors.DefaultSelector()
socks = []
for i in range(n):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex((host, port))
    socks.append(s)
    sel.register(s, selectors.EVENT_WRITE, [b"", False])
req = b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
if mode == "many":
    req += b"\r\n"
ok = other = closed = 0
end = time.time() + (40 if mode == "slow" else 60)
left = n
while left and time.time() < end:
    for key, ev in sel.select(timeout=1):
        s, st = key.fileobj, key.data
        if ev & selectors.EVENT_WRITE and not st[1]:
            try:
                s.send(req)
            except OSError:
                other += 1; left -= 1; sel.unregister(s); continue
            st[1] = True
            sel.modify(s, selectors.EVENT_READ, st)
            continue
        try:
            b = s.recv(65536)
        except OSError:
            b = b""
            st[0] = st[0] or b"reset"
        if b:
            st[0] += b
            continue
        left -= 1
        sel.unregister(s)
        closed += 1
        if st[0].startswith(b"HTTP/1.1 200"):
            ok += 1
        else:
            other += 1
if mode == "slow":
    print(closed)
else:
    print("ok", ok, "other", other + left)
PY
# 100 slow clients: while they hang, others are served
in_ns python3 "$TMP/clients.py" slow 127.0.0.1 9374 100 >"$TMP/slow.out" 2>&1 &
SLOW=$!
sleep 1 # the clients connect (their result is waited for below)
check "while 100 slow clients hang, /metrics still answers 200" \
  [ "$(code "http://$XP/metrics")" = 200 ]
wait "$SLOW"
check "the server closed the 100 slow clients once idle ($(cat "$TMP/slow.out"))" \
  [ "$(cat "$TMP/slow.out")" = 100 ]

# 1,000 at once
ulimit -n 4096
in_ns python3 "$TMP/clients.py" many 127.0.0.1 9374 1000 >"$TMP/many.out" 2>&1
read -r _ okn _ othern <"$TMP/many.out"
check "1,000 connections at once: each answered or refused ($(cat "$TMP/many.out"))" \
  [ "$((okn + othern))" = 1000 ] && [ "$okn" -gt 0 ]
check "the refusals are not a flood on stderr ($(grep -c 'sonar: http:' "$TMP/exporter.err") lines; 5 a second at most)" \
  [ "$(grep -c 'sonar: http:' "$TMP/exporter.err")" -le 100 ]
check "after them, /metrics answers 200" [ "$(code "http://$XP/metrics")" = 200 ]

read -r sent1 recv1 <<<"$(counters)"
t1=$(date +%s.%N)
exp=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", (b - a) * 10 }')
check "probes kept their rate through it all: $((sent1 - sent0)) sent in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s (10/s asked: $exp; at least half)" \
  [ "$((sent1 - sent0))" -ge "$((exp / 2))" ]
check "and loopback lost none ($((recv1 - recv0)) received of $((sent1 - sent0)); one may be in flight)" \
  [ "$((sent1 - sent0 - (recv1 - recv0)))" -le 1 ]
check "the exporter holds no more descriptors than before ($(fds) now, $fds_before before)" \
  wait_until 20 sh -c "[ \$(ls /proc/$XPID/fd | wc -l) -le $fds_before ]"
check "the exporter still runs" kill -0 "$XPID"
if [ "$FAIL" != 0 ]; then
  sed 's/^/# exporter: /' "$TMP/exporter.err" | tail -20
fi
finish
