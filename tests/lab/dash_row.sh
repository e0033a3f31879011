#!/bin/bash
# tests/lab/dash_row.sh - a dashboard row equals the probes of its target.
#
# The dashboard cannot write its events (no log, no export: README's keys),
# so the row is compared with what an independent observer saw: tcpdump in
# the client's namespace records every echo request and reply of the
# targets, and the test recomputes sent, received, loss, last, avg, min,
# max, stdev and jitter from those packets. The targets (tests/lab/
# topology.sh) make the expected figures known as well:
#   10.201.2.2  the lab responder answers after 20-30 ms, then (a second
#               responder taking over after 20 probes) after 60-70 ms, so
#               that stdev (~20) and jitter (~6) are far apart; the router
#               drops every 4th request (exactly: ceil(sent / 4) are lost)
#   fd20:2::2   the same, every 3rd request dropped
#   127.0.0.1   loopback of the client: no loss, RTTs well under 1 ms
# The dashboard is paused once each row has sent 45 probes and judged when
# every probe it sent has its outcome (a history cell each).
#
# Rounding and clocks: the row prints RTTs to 0.001 ms (< 10 ms) or 0.01 ms
# (< 100 ms) and loss to 0.1%; a figure may differ from the exact one by
# half of that. Replies carry the same kernel stamp for sonar and tcpdump;
# a request is stamped by sonar just before sendto() and by tcpdump when
# it leaves the interface, so sonar's RTTs are never shorter than the
# wire's, and longer by the send path: 0.005-0.1 ms measured per probe,
# also beside two busy loops on two cores. Allowed: TOL (1 ms) more for
# last, avg, min and max; TOL_SPREAD (0.25 ms) either way for stdev and
# jitter, which a probe's delay moves by a fraction of it. Counts and
# loss are exact.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip nft tmux tcpdump
RESPONDER=${RESPONDER:-$top_builddir/tests/lab/responder}
[ -x "$RESPONDER" ] || { not_ok "responder not built ($RESPONDER)"; finish; }
. "$top_srcdir/tests/lab/topology.sh"
TM="tmux -L sonar-dash-row-$$ -f /dev/null"
# (a signal during the clean-up must not cut it short)
trap 'trap "" INT TERM; tm_down; [ -n "${LAB_KEEP:-}" ] || lab_down' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME
TOL=${TOL:-1} TOL_SPREAD=${TOL_SPREAD:-0.25}
TARGETS="10.201.2.2 fd20:2::2 127.0.0.1"

inT sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1
# responders DELAY: one per family answering after DELAY-DELAY+10 ms; their
# PIDs in RESPONDERS (timeout's: ip netns exec execs it, and timeout passes
# a TERM on; not through inT, whose subshell would be the PID)
responders() {
  RESPONDERS=""
  ip netns exec "$T" timeout 120 "$RESPONDER" -4 --source 10.201.2.2 --delay-ms "$1" --jitter-ms 10 \
    --seconds 110 >/dev/null 2>&1 &
  RESPONDERS="$RESPONDERS $!"
  ip netns exec "$T" timeout 120 "$RESPONDER" -6 --source fd20:2::2 --delay-ms "$1" --jitter-ms 10 \
    --seconds 110 >/dev/null 2>&1 &
  RESPONDERS="$RESPONDERS $!"
}
# raw_sockets: how many raw sockets are open in the target's namespace
raw_sockets() { inT awk 'FNR > 1' /proc/net/raw /proc/net/raw6 | wc -l; }
responders 20
ip netns exec "$R" nft -f - <<'NFT'
table inet drops {
  chain forward {
    type filter hook forward priority 0;
    ip daddr 10.201.2.2 icmp type echo-request numgen inc mod 4 == 0 drop
    ip6 daddr fd20:2::2 icmpv6 type echo-request numgen inc mod 3 == 0 drop
  }
}
NFT

# tcpdump on the client's link and on its loopback, until told to stop
DUMPS=""
for dev in c0 lo; do
  ip netns exec "$C" timeout 120 tcpdump --immediate-mode -i "$dev" -n -s 128 -U -w "$TMP/$dev.pcap" \
    'icmp or icmp6' 2>"$TMP/$dev.log" &
  DUMPS="$DUMPS $!"
done
listening() { grep -qs 'listening on' "$TMP/c0.log" && grep -qs 'listening on' "$TMP/lo.log"; }
for i in $(seq 1 50); do listening && break; sleep 0.1; done
check "tcpdump listens on the client's link and loopback" listening

keys() { $TM send-keys -t 0 "$@"; }
col() { tm_screen | awk -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
# cells TARGET: the history cells of TARGET's row (the probes with an outcome).
cells() { tm_screen | awk -v t="$1" '$1 == t {print $12; exit}' | tr -d '\n' | LC_ALL=C.UTF-8 wc -m; }
all_sent() {
  local t
  for t in $TARGETS; do [ "$(col "$t" 4)" -ge "$1" ] 2>/dev/null || return 1; done
}
all_done() {
  local t
  for t in $TARGETS; do [ "$(cells "$t")" = "$(col "$t" 4)" ] || return 1; done
}

tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR -i 0.05 -W 1 $TARGETS; echo EXITED rc=\$?; sleep 120" 200 20
check "the three rows appear" tm_wait '^127\.0\.0\.1 +127\.0\.0\.1 ' 5
check "every row has sent 20 probes" until_ok 30 all_sent 20
# the slow responders take over: both answer until the first ones go
# (the first reply counts, the other is a duplicate), so no probe is lost
FIRST=$RESPONDERS
responders 60
check "the second responders are listening" until_ok 5 eval '[ "$(raw_sockets)" -ge 4 ]'
# the first ones go once what they alone heard is answered: requests that
# came before the second opened wait 20-30 ms there; 4 more probes a row
# take 0.2 s
s4=$(col 10.201.2.2 4) s6=$(col fd20:2::2 4)
until_ok 10 eval '[ "$(col 10.201.2.2 4)" -ge $((s4 + 4)) ] && [ "$(col fd20:2::2 4)" -ge $((s6 + 4)) ]'
kill $FIRST
check "the first responders are gone" until_ok 5 eval '[ "$(raw_sockets)" = 2 ]'
check "every row has sent 45 probes" until_ok 30 all_sent 45
keys p
check "p pauses" tm_wait 'PAUSED' 3
check "every probe sent has its outcome (a history cell each)" until_ok 5 all_done
tm_screen >"$TMP/screen"
sed -n '2,5p' "$TMP/screen" | cut -c1-100 | sed 's/^/# row: /'

# stop tcpdump (SIGTERM: it writes what it has; a background job ignores
# SIGINT), then read the packets back (ip netns exec execs timeout, which
# passes the signal on: the PIDs are timeout's)
kill -TERM $DUMPS
gone() { ! kill -0 $DUMPS 2>/dev/null; }
check "tcpdump stops" until_ok 5 gone
for dev in c0 lo; do tcpdump -r "$TMP/$dev.pcap" -tt -n 2>/dev/null; done >"$TMP/packets"
check "tcpdump recorded the probes ($(grep -c 'echo request' "$TMP/packets") requests)" \
  [ "$(grep -c 'echo request' "$TMP/packets")" -ge 120 ]

# The wire's figures per target: requests sent, replies to them, and the
# statistics of those replies' RTTs (in the order the replies came).
awk '
  / echo (request|reply), / {
    split($1, t, "."); if (base == "") base = t[1]
    ms = (t[1] - base) * 1000 + t[2] / 1000
    dst = $5; sub(/:$/, "", dst)
    id = $0; sub(/.* id /, "", id); sub(/,.*/, "", id)
    seq = $0; sub(/.* seq /, "", seq); sub(/,.*/, "", seq)
    if ($0 ~ /echo request/) { sent[dst]++; at[dst, id, seq] = ms; next }
    k = $3 SUBSEP id SUBSEP seq
    if (!(k in at) || (k in got)) next
    got[k] = 1; a = $3; r = ms - at[k]
    if (!n[a] || r < min[a]) min[a] = r
    if (!n[a] || r > max[a]) max[a] = r
    if (n[a]) jit[a] += (r > last[a] ? r - last[a] : last[a] - r)
    n[a]++; sum[a] += r; sq[a] += r * r; last[a] = r
  }
  END {
    for (a in sent) {
      avg = n[a] ? sum[a] / n[a] : 0; var = n[a] ? sq[a] / n[a] - avg * avg : 0
      sd = var > 0 ? sqrt(var) : 0; j = n[a] > 1 ? jit[a] / (n[a] - 1) : 0
      printf "%s %d %d %.6f %.6f %.6f %.6f %.6f %.6f\n", a, sent[a], n[a], last[a], avg,
        min[a], max[a], sd, j
    }
  }' "$TMP/packets" >"$TMP/wire"
sed 's/^/# wire: /' "$TMP/wire"

# unit SHOWN: half the last printed digit's value (the rounding).
half() { awk -v s="$1" 'BEGIN {n = index(s, ".") ? length(s) - index(s, ".") : 0; print 0.5 / 10 ^ n}'; }
# near SHOWN EXACT LOW HIGH: SHOWN is within [EXACT - LOW, EXACT + HIGH],
# widened by its rounding.
near() {
  awk -v s="$1" -v e="$2" -v lo="$3" -v hi="$4" -v h="$(half "$1")" \
    'BEGIN {exit !(s ~ /^[0-9.]+$/ && e ~ /^[0-9.]+$/ && s + 0 >= e - lo - h - 1e-9 && s + 0 <= e + hi + h + 1e-9)}'
}

# (the wire's figures in w_*: topology.sh's namespaces are $C, $R, $T)
for t in $TARGETS; do
  read -r _ w_sent w_rcvd w_last w_avg w_min w_max w_sd w_jit <<<"$(awk -v t="$t" '$1 == t' "$TMP/wire")"
  read -r _ _ loss snt rcv last avg min max sd jit _ <<<"$(awk -v t="$t" '$1 == t' "$TMP/screen")"
  check "$t: Snt $snt = requests on the wire ${w_sent:-none}" [ "$snt" = "${w_sent:-x}" ]
  check "$t: Rcv $rcv = replies on the wire ${w_rcvd:-none}" [ "$rcv" = "${w_rcvd:-x}" ]
  case $t in
  10.201.2.2) lost=$(((w_sent + 3) / 4)) ;;
  fd20:2::2) lost=$(((w_sent + 2) / 3)) ;;
  *) lost=0 ;;
  esac
  check "$t: the router dropped exactly the requests it was told to ($lost of ${w_sent:-none})" \
    eval '[ -n "$w_sent" ] && [ $((w_sent - w_rcvd)) = "$lost" ]'
  exact=$(awk -v s="$w_sent" -v r="$w_rcvd" 'BEGIN {printf "%.6f", s ? 100 * (s - r) / s : 0}')
  check "$t: Loss% $loss = (sent - received) / sent = $exact%" near "${loss%\%}" "$exact" 0 0
  check "$t: Last $last ms = the last reply's RTT on the wire ($w_last), within +$TOL ms" near "$last" "$w_last" 0 "$TOL"
  check "$t: Avg $avg ms = the wire's mean ($w_avg), within +$TOL ms" near "$avg" "$w_avg" 0 "$TOL"
  check "$t: Min $min ms = the wire's min ($w_min), within +$TOL ms" near "$min" "$w_min" 0 "$TOL"
  check "$t: Max $max ms = the wire's max ($w_max), within +$TOL ms" near "$max" "$w_max" 0 "$TOL"
  check "$t: StDev $sd ms = the wire's population stdev ($w_sd), within $TOL_SPREAD ms" \
    near "$sd" "$w_sd" "$TOL_SPREAD" "$TOL_SPREAD"
  check "$t: Jitter $jit ms = the wire's mean |difference| of consecutive RTTs ($w_jit), within $TOL_SPREAD ms" \
    near "$jit" "$w_jit" "$TOL_SPREAD" "$TOL_SPREAD"
  if [ "$t" = 127.0.0.1 ]; then
    check "$t: loopback RTTs under 1 ms (max $max)" awk -v m="$max" 'BEGIN {exit !(m < 1)}'
  else
    # the responders hold each reply 20-30, then 60-70 ms (their clock
    # counts whole ms)
    check "$t: Min $min ms >= the first responder's 19 ms" awk -v m="$min" 'BEGIN {exit !(m >= 19)}'
    check "$t: Max $max ms >= the second responder's 59 ms" awk -v m="$max" 'BEGIN {exit !(m >= 59)}'
    check "$t: Avg $avg between Min and Max" \
      awk -v a="$avg" -v lo="$min" -v hi="$max" 'BEGIN {exit !(a > lo && a < hi)}'
  fi
done
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
finish
