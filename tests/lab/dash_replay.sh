#!/bin/bash
# tests/lab/dash_replay.sh - --record and sonar replay, end to end in tmux,
# through the five-hop lab of tests/lab/path_topology.sh (router 2 sends
# no Time Exceeded, the link R3-R4 drops 30% of what goes to the target):
#   1. a session is recorded: three rows, the path view of the first (a
#      silent hop, loss), a pause, a reset, an edit (e) of the third;
#   2. sonar replay --speed 50, in a network namespace with no interface
#      at all (no socket, no network needed), shows at its end every row
#      exactly as the recording's last snapshot says (loss, sent, received,
#      last, avg, min, max, stdev, jitter), and Enter the path view exactly
#      as it was when the live one closed; a row never traced says so;
#   3. seeking: at a crawl (--speed 0.01), > jumps to the end and shows the
#      same numbers; < goes back (rows rebuilt from the start, fewer sent);
#   4. a corrupt line stops the replay with FILE:LINE, exit status 3; a
#      file that is no recording is refused before the terminal is taken.
#   5. a recording that cannot be written (--record /dev/full: a full
#      disk) is said on the status line as it happens, and at quit.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip nft tmux jq unshare

. "$top_srcdir/tests/lab/path_topology.sh"
TM="tmux -L sonar-dash-replay-$$ -f /dev/null"
trap 'trap "" INT TERM; tm_down; [ -n "${LAB_KEEP:-}" ] || path_down' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME
REC=$TMP/session.rec

keys() { $TM send-keys -t 0 "$@"; }
# col TARGET N: field N of TARGET's table row (3 Loss%, 4 Snt, 5 Rcv ...).
col() { tm_screen | awk -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
sent_at_least() { [ "$(col "$1" 4)" -ge "$2" ] 2>/dev/null; }
# hops: the path view's TTL lines, blanks squeezed.
hops() { tm_screen | grep -E '^ *[0-9]+\. ' | tr -s ' '; }
hop_sent_at_least() {
  [ "$(hops | awk -v t="$1." '$1 == t {print $4; exit}')" -ge "$2" ] 2>/dev/null
}
settled() {
  local a
  a=$(tm_screen)
  sleep 1.2
  [ "$a" = "$(tm_screen)" ]
}
# table: "NAME LOSS SENT RECV LAST AVG MIN MAX STDEV JITTER" of each row shown.
table() { tm_screen | awk '$1 ~ /^(10\.|fd30)/ {print $1, $3, $4, $5, $6, $7, $8, $9, $10, $11}' | sort; }
# snapshot: the same from the recording's snapshot lines.
snapshot() {
  jq -r 'select(.snapshot) | [.name, .loss, .sent, .received, .last, .avg, .min, .max,
    .stdev, .jitter] | join(" ")' "$REC" | sort
}

nft_in "${NODES[2]}" <<'NFT'
table inet silent {
  chain out {
    type filter hook output priority 0;
    icmp type time-exceeded drop
    icmpv6 type time-exceeded drop
  }
}
NFT
nft_in "${NODES[3]}" <<'NFT'
table inet lossy {
  chain forward {
    type filter hook forward priority 0;
    oifname "l4" numgen random mod 100 < 30 drop
  }
}
NFT

# ---- 1. record -------------------------------------------------------------
tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR --record $REC -i 0.05 -W 1 10.202.5.2 fd30:5::2 10.202.3.2; echo EXITED rc=\$?; sleep 120" 160 30
check "the dashboard shows the lab's targets" tm_wait '^10\.202\.3\.2 +10\.202\.3\.2 ' 10
keys Home Enter
check "Enter: the path view of 10.202.5.2" tm_wait 'path to 10\.202\.5\.2 ' 5
check "hop 5 has sent 40 probes" until_ok 60 hop_sent_at_least 5 40
keys p
check "paused, the path view settles" until_ok 20 settled
LIVE_PATH=$(hops)
echo "$LIVE_PATH" | sed 's/^/# live path: /'
check "live: hop 2 is silent" grep -q '^ 2\. \* 100% .*silent' <<<"$LIVE_PATH"
keys Escape
check "Esc: back to the table" tm_wait ' 3 targets ' 5
keys p
check "running again" tm_wait ' running ' 5
keys Down r
keys Down e C-u 10.202.4.2 Enter
check "e: the third row is now 10.202.4.2" tm_wait '^10\.202\.4\.2 +10\.202\.4\.2 ' 5
check "the edited row has sent 20 probes" until_ok 30 sent_at_least 10.202.4.2 20
check "10.202.5.2 has lost some probes" until_ok 30 eval '[ "$(col 10.202.5.2 3)" != "0.0%" ]'
# a recording longer than a seek (10 s): < has somewhere to go back to
check "10.202.5.2 has sent 300 probes" until_ok 60 sent_at_least 10.202.5.2 300
keys q
check "q: the dashboard exits 0" tm_wait 'EXITED rc=0' 10
check "the recording has a snapshot of each of the 3 rows" \
  [ "$(jq -r 'select(.snapshot) | .name' "$REC" | sort | tr '\n' ' ')" = "10.202.4.2 10.202.5.2 fd30:5::2 " ]
check "... the edit, the reset, the path and its packets" \
  sh -c 'grep -q "\"op\": \"rename\"" "$1" && grep -q "\"op\": \"reset\"" "$1" &&
    grep -q "\"op\": \"path\"" "$1" && grep -q "\"flow\": 0, \"probe_ttl\": 5" "$1"' sh "$REC"
snapshot | sed 's/^/# snapshot: /'

# ---- 2. replay ---------------------------------------------------------------
chmod 755 "$TMP"
chmod 644 "$REC"
replay() {
  tm_start "unshare --net env LANG=C.UTF-8 $SONAR replay $*; echo EXITED rc=\$?; sleep 120" 160 30
}
replay --speed 50 "$REC"
check "replay --speed 50 reaches the end" tm_wait 'replay finished' 30
table | sed 's/^/# replayed: /'
check "every replayed row is the recording's last snapshot" [ "$(table)" = "$(snapshot)" ]
keys Home Enter
check "Enter on 10.202.5.2: its recorded path" tm_wait 'path to 10\.202\.5\.2 ' 5
hops | sed 's/^/# replayed path: /'
check "the replayed path view is the live one as it closed" [ "$(hops)" = "$LIVE_PATH" ]
keys h
check "h: back to the table" tm_wait '^Target ' 5
keys Down Enter
check "a row never traced: no path recorded" tm_wait 'no path recorded for this row' 5
keys a
check "a: refused, a replay shows what was recorded" tm_wait 'a replay shows what was recorded' 5
keys q
check "q: replay exits 0" tm_wait 'EXITED rc=0' 10

# ---- 3. seek -------------------------------------------------------------------
replay --speed 0.01 "$REC"
check "a crawling replay starts" tm_wait 'replaying .* at 0\.01 times' 10
for i in $(seq 1 30); do keys '>'; done
check "> (30 times) reaches the end" tm_wait 'replay finished' 20
check "... with the snapshot's numbers" until_ok 10 eval '[ "$(table)" = "$(snapshot)" ]'
END_SENT=$(col 10.202.5.2 4)
keys '<'
check "< goes back 10 s" tm_wait 'replay at [0-9.]+ s' 10
check "... rebuilt from the start: fewer sent ($(col 10.202.5.2 4) < $END_SENT)" \
  eval '[ "$(col 10.202.5.2 4)" -lt "$END_SENT" ]'
keys '>'
check "> again: the end, the snapshot's numbers" \
  until_ok 10 eval '[ "$(table)" = "$(snapshot)" ]'
keys q
check "q: exits 0" tm_wait 'EXITED rc=0' 10

# ---- 4. untrusted input ----------------------------------------------------------
sed '5s/"t": /"t": "x/' "$REC" >"$TMP/bad.rec"
chmod 644 "$TMP/bad.rec"
replay "$TMP/bad.rec"
check "a corrupt line: FILE:LINE and why" tm_wait "bad\\.rec:5: " 10
check "... exit status 3" tm_wait 'EXITED rc=3' 10
out=$($SONAR replay /etc/hostname 2>&1 </dev/null)
rc=$?
check "no recording: exit 3 ($rc: $out)" [ "$rc" = 3 ]
check "... says why" grep -q 'hostname:1: not a sonar recording' <<<"$out"
out=$($SONAR replay "$TMP/missing" 2>&1 </dev/null)
check "a missing file: exit 3 ($?)" [ "$?" = 3 ]
for bad in "" "--speed 0 $REC" "--speed 1e7 $REC" "--speed x $REC" "$REC $REC"; do
  out=$($SONAR replay $bad 2>&1 </dev/null)
  rc=$?
  check "sonar replay $bad: exit 3 ($rc: $out)" [ "$rc" = 3 ]
done

# ---- 5. a recording that cannot be written (a full disk) ----------------------
tm_start "unshare --net sh -c 'ip link set lo up; exec env LANG=C.UTF-8 $SONAR --record /dev/full \
  -i 0.2 127.0.0.1'; echo EXITED rc=\$?; sleep 120" 160 30
check "--record /dev/full: the status line says the recording failed, while it runs" \
  tm_wait 'recording to /dev/full failed: No space left on device' 10
keys q
check "... and at quit: exit 4, the file could not be written whole" tm_wait 'EXITED rc=4' 10
check "... saying why" tm_wait 'recording could not be written whole: No space left on device' 5
finish
