#!/bin/bash
# tests/lab/exporter_memory.sh - the exporter's memory under clients that
# ask for /metrics and never read the answer.
#
# In a namespace of the test's own (only lo), the exporter probes 2,000
# loopback addresses (127.0.k.j) every 5 s: /metrics is some MB. Then 150
# clients ask for it at once with a small receive buffer and read only
# the status line: each answer is held until its client reads it (or the
# idle limit). The exporter's resident memory must grow by less than 60
# bodies (150 answers held would be 150), the refused ones get 503, and
# meanwhile /-/healthy answers; once the clients are gone /metrics is
# served again. Bounded: 120 s for the script.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 120 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip curl python3 timeout
N=sonar-xm-$$
TMP=$(mktemp -d)
XPID= CPID=
cleanup() {
  { [ -n "$CPID" ] && kill -KILL "$CPID" && wait "$CPID"; } 2>/dev/null
  { [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null
  ns_remove "$N"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
in_ns() { ip netns exec "$N" "$@"; }

ip netns add "$N" && ip -n "$N" link set lo up
check "a namespace of the test's own, lo up ($N)" [ $? = 0 ]
for i in $(seq 0 1999); do echo "127.0.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/targets"
XP=127.0.0.1:9374
ip netns exec "$N" "$SONAR" exporter --listen "$XP" -i 5 -F "$TMP/targets" 2>"$TMP/err" &
XPID=$!
check "the exporter answers /-/healthy" \
  wait_until 30 sh -c "ip netns exec $N curl -sf http://$XP/-/healthy >/dev/null"
all_sent() { in_ns curl -s --max-time 10 "http://$XP/metrics" >"$TMP/m" &&
  [ "$(grep -c '^smokeping_requests_total{.*} [1-9]' "$TMP/m")" = 2000 ]; }
check "every one of the 2,000 targets has been probed" until_ok 30 all_sent
body=$(wc -c <"$TMP/m")
rss() { awk '$1 == "VmRSS:" {print $2 * 1024}' "/proc/$XPID/status"; }
rss0=$(rss)

# 150 clients: each asks, reads the status line, and then reads nothing
in_ns python3 - "$TMP/status" <<'PY' &
import socket, sys, time
socks, codes = [], []
for i in range(150):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(30)
    s.connect(("127.0.0.1", 9374))
    s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
    socks.append(s)
for s in socks:
    try:
        codes.append(s.recv(12).split(b" ")[1].decode())
    except Exception as e:
        codes.append("none")
open(sys.argv[1] + ".tmp", "w").write(" ".join(codes) + "\n")
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(60)
PY
CPID=$!
check "the 150 clients have their status lines" wait_until 60 test -s "$TMP/status"
rss1=$(rss)
grow=$((rss1 - rss0))
n200=$(tr ' ' '\n' <"$TMP/status" | grep -c '^200$')
n503=$(tr ' ' '\n' <"$TMP/status" | grep -c '^503$')
echo "# /metrics is $body bytes; 150 stalled clients: $n200 answered 200, $n503 refused 503;" \
  "resident memory $rss0 -> $rss1 bytes (+$((grow / body)) bodies)"
check "every client got 200 or 503 ($n200 + $n503 = 150)" [ $((n200 + n503)) = 150 ]
check "memory grew by less than 60 bodies (+$((grow / body)))" [ "$grow" -lt $((60 * body)) ]
check "meanwhile /-/healthy answers" in_ns curl -sf --max-time 10 "http://$XP/-/healthy" -o /dev/null
{ kill -KILL "$CPID" && wait "$CPID"; } 2>/dev/null
CPID=
check "the clients gone, /metrics is served again" until_ok 30 all_sent
[ "$FAIL" != 0 ] && sed 's/^/# exporter: /' "$TMP/err" | tail -20
finish
