#!/bin/bash
# tests/lab/dash_path.sh - the dashboard's path view (Enter) driven through
# the four-router lab of tests/lab/path_topology.sh, in a real terminal
# (tmux), read back with capture-pane:
#   1. router 2 sends no Time Exceeded, and the link R3-R4 drops 30% of
#      what goes towards the target: hop 2 is silent (not rate-limited),
#      hops 4 and 5 lose between 10% and 60%, the others nothing;
#   2. then R1 sends a quarter of the packets, at random, through a fifth
#      router R2b instead of R2 (load balancing per packet): hop 2 has two
#      responders, R2 the one seen most;
#   3. paused, the path view's t, u, F and i start their traces afresh and
#      send nothing until p resumes; the probes in flight at the pause are
#      not counted lost.
# Both families; the destination must be the last hop shown.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip nft tmux

. "$top_srcdir/tests/lab/path_topology.sh"
B=sonar-p2b-$ID # the ECMP router, R2's twin
TM="tmux -L sonar-dash-path-$$ -f /dev/null"
# (a signal during the clean-up must not cut it short)
trap 'trap "" INT TERM; tm_down; [ -n "${LAB_KEEP:-}" ] || { ns_remove "$B"; path_down; }' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME

keys() { $TM send-keys -t 0 "$@"; }
# hops: the path view as "TTL|HOST|LOSS|SNT|NOTE" lines; a responder
# listed under a hop (load balancing) as "+|ADDRESS|(COUNT)". The host is
# columns 6-35, the numbers start at column 37 (ui/dash/view.c).
hops() {
  tm_screen | awk '
    /^ *[0-9]+\. / {
      ttl = $1; sub(/\./, "", ttl)
      host = substr($0, 6, 30); gsub(/^ +| +$/, "", host)
      split(substr($0, 37), f, " ")
      note = /silent \(no TTL exceeded\)/ ? "silent" : /rate-limited\?/ ? "rate-limited" : ""
      print ttl "|" host "|" f[1] "|" f[2] "|" note; next
    }
    /^       [^ ]/ { print "+|" $1 "|" $2 }'
}
# field TTL N: field N (1 TTL, 2 host, 3 loss, 4 sent, 5 note) of hop TTL
# on the screen now; field_of: the same in the hops saved in H.
field() { hops | awk -F'|' -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
field_of() { printf '%s\n' "$H" | awk -F'|' -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
# wait_sent TTL N [SECONDS]: until hop TTL has sent N probes.
wait_sent() {
  local i s
  for i in $(seq 1 $((${3:-60} * 10))); do
    s=$(field "$1" 4)
    [ "${s:-0}" -ge "$2" ] 2>/dev/null && return 0
    sleep 0.1
  done
  echo "# hop $1 sent ${s:-nothing} probes, not $2:" >&2
  tm_screen | head -12 | sed 's/^/#   /' >&2
  return 1
}
# loss_between LOSS LO HI: LOSS ("12.5%") is within [LO, HI] percent.
loss_between() { awk -v l="${1%\%}" -v lo="$2" -v hi="$3" 'BEGIN {exit !(l != "" && l + 0 >= lo && l + 0 <= hi)}'; }
# open_path ROW: select the table row of ROW (Home, then Down) and press Enter.
open_path() {
  keys Home
  [ "$1" = 2 ] && keys Down
  keys Enter
}

# ---- 1. a silent router and a lossy link -------------------------------------
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

tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR -i 0.05 -W 1 10.202.5.2 fd30:5::2; echo EXITED rc=\$?; sleep 120" 160 30
check "the dashboard shows both lab targets" tm_wait '^fd30:5::2 +fd30:5::2 ' 10

# addr FAMILY K: the address of hop K (the right end of link K).
addr() { if [ "$1" = 4 ]; then echo "10.202.$2.2"; else echo "fd30:$2::2"; fi; }
# has ERE: a line of the hops saved in H is ERE (whole line).
has() { printf '%s\n' "$H" | grep -qxE -- "$1"; }
# re TEXT: TEXT with its dots escaped, for an ERE.
re() { printf '%s' "$1" | sed 's/[.]/\\./g'; }

# judge_silent_lossy ROW FAMILY: open the path view of table row ROW and
# judge its hops once hop 5 has sent 100 probes (the loss bounds are then
# more than 4 standard deviations from the 30% expected).
judge_silent_lossy() {
  local row=$1 fam=$2 dst
  dst=$(addr "$fam" 5)
  open_path "$row"
  check "IPv$fam: Enter opens the path view of $dst" tm_wait "path to $dst " 5
  check "IPv$fam: the destination is found at hop 5" tm_wait "^ 5\. +$dst " 30
  check "IPv$fam: hop 5 has sent 100 probes" wait_sent 5 100 60
  H=$(hops)
  echo "$H" | sed "s/^/# IPv$fam hop /"
  got=$(echo "$H" | awk -F'|' '$1 != "+" {print $1}' | tr '\n' ' ')
  check "IPv$fam: hops 1 to 5 shown, the destination last ($got)" [ "$got" = "1 2 3 4 5 " ]
  check "IPv$fam: hop 1 is R1, no loss" has "1\|$(re "$(addr "$fam" 1)")\|0\.0%\|[0-9]+\|"
  check "IPv$fam: hop 2 is '*', 100% lost, marked silent (no TTL exceeded)" \
    has '2\|\*\|100%\|[0-9]+\|silent'
  check "IPv$fam: hop 3 is R3, no loss" has "3\|$(re "$(addr "$fam" 3)")\|0\.0%\|[0-9]+\|"
  check "IPv$fam: hop 4 is R4, not marked rate-limited (the loss goes on to the target)" \
    has "4\|$(re "$(addr "$fam" 4)")\|[0-9.]+%\|[0-9]+\|"
  check "IPv$fam: hop 4 loses 10-60% ($(field_of 4 3))" loss_between "$(field_of 4 3)" 10 60
  check "IPv$fam: hop 5 is the destination, not marked either" \
    has "5\|$(re "$dst")\|[0-9.]+%\|[0-9]+\|"
  check "IPv$fam: hop 5 loses 10-60% ($(field_of 5 3))" loss_between "$(field_of 5 3)" 10 60
  check "IPv$fam: no hop has a second responder" sh -c "! printf '%s\n' \"\$1\" | grep -q '^+'" sh "$H"
  keys Escape
  check "IPv$fam: Esc goes back to the table" tm_wait ' 2 targets ' 5
}
judge_silent_lossy 1 4
judge_silent_lossy 2 6

# ---- 2. per-packet load balancing at R1 (ECMP) ---------------------------------
ip netns exec "${NODES[2]}" nft delete table inet silent
ip netns exec "${NODES[3]}" nft delete table inet lossy
#   R1 --6-- R2b --7-- R3, beside R1 --2-- R2 --3-- R3
ecmp_up() {
  set -e
  R1=${NODES[1]} R3=${NODES[3]}
  ip netns add "$B"
  ip -n "$B" link set lo up
  ip link add l6 netns "$R1" type veth peer name r6 netns "$B"
  ip link add l7 netns "$B" type veth peer name r7 netns "$R3"
  ip -n "$R1" addr add 10.202.6.1/24 dev l6
  ip -n "$B" addr add 10.202.6.2/24 dev r6
  ip -n "$B" addr add 10.202.7.1/24 dev l7
  ip -n "$R3" addr add 10.202.7.2/24 dev r7
  ip -n "$R1" -6 addr add fd30:6::1/64 dev l6 nodad
  ip -n "$B" -6 addr add fd30:6::2/64 dev r6 nodad
  ip -n "$B" -6 addr add fd30:7::1/64 dev l7 nodad
  ip -n "$R3" -6 addr add fd30:7::2/64 dev r7 nodad
  ip -n "$R1" link set l6 up
  ip -n "$B" link set r6 up
  ip -n "$B" link set l7 up
  ip -n "$R3" link set r7 up
  ip -n "$B" route add default via 10.202.7.2
  ip -n "$B" -6 route add default via fd30:7::2
  ip -n "$B" route add 10.202.1.0/24 via 10.202.6.1
  ip -n "$B" -6 route add fd30:1::/64 via fd30:6::1
  ip netns exec "$B" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip netns exec "$B" sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
  # R1: a packet towards the target marked 1 (at random, one in four)
  # goes through R2b; the others (marks 0, 2, 3) through R2
  ip -n "$R1" rule add fwmark 1 table 100
  ip -n "$R1" -6 rule add fwmark 1 table 100
  ip -n "$R1" route add 10.202.5.0/24 via 10.202.6.2 table 100
  ip -n "$R1" -6 route add fd30:5::/64 via fd30:6::2 table 100
  ip netns exec "$R1" nft -f - <<'NFT'
table inet ecmp {
  chain pre {
    type filter hook prerouting priority mangle;
    ip daddr 10.202.5.2 meta mark set numgen random mod 4
    ip6 daddr fd30:5::2 meta mark set numgen random mod 4
  }
}
NFT
  set +e
}
if ! (ecmp_up) >"$TMP/ecmp.log" 2>&1; then
  not_ok "ECMP setup: $(tr '\n' ' ' <"$TMP/ecmp.log")"
  finish
fi

# responders_of TTL: the addresses shown for hop TTL in H (on its line and
# under it), sorted, each followed by a space.
responders_of() {
  printf '%s\n' "$H" | awk -F'|' -v t="$1" '$1 != "+" {cur = $1; sub(/ .*/, "", $2)} cur == t {print $2}' |
    sort | tr '\n' ' '
}
# sorted ADDRESS...: the addresses as responders_of prints them.
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' '; }

# judge_ecmp ROW FAMILY: the path view of table row ROW through the ECMP lab.
judge_ecmp() {
  local row=$1 fam=$2 dst n sent k r3 under
  dst=$(addr "$fam" 5)
  open_path "$row"
  check "IPv$fam ECMP: the path view of $dst" tm_wait "path to $dst " 5
  check "IPv$fam ECMP: the destination is found at hop 5" tm_wait "^ 5\. +$dst " 30
  check "IPv$fam ECMP: hop 2 has sent 100 probes" wait_sent 2 100 60
  H=$(hops)
  echo "$H" | sed "s/^/# IPv$fam ECMP hop /"
  check "IPv$fam ECMP: hop 2 shows R2 and R2b ($(responders_of 2))" \
    [ "$(responders_of 2)" = "$(sorted "$(addr "$fam" 2)" "$(addr "$fam" 6)")" ]
  check "IPv$fam ECMP: ... R2, seen most, on the hop's line with '(+1)'" \
    has "2\|$(re "$(addr "$fam" 2)") \(\+1\)\|[0-9.]+%\|[0-9]+\|"
  # the responder under hop 2's line, and its count
  under=$(echo "$H" | awk -F'|' 'p && $1 == "+" {print $2} {p = $1 == 2}')
  n=$(echo "$H" | awk -F'|' 'p && $1 == "+" {gsub(/[()]/, "", $3); print $3} {p = $1 == 2}')
  sent=$(field_of 2 4)
  check "IPv$fam ECMP: ... R2b under it ($under)" [ "$under" = "$(addr "$fam" 6)" ]
  # a quarter at random: 5-45% of 100+ probes is more than 4.5 standard
  # deviations (binomial) either side
  check "IPv$fam ECMP: ... with its count: ${n:-?} of ${sent:-?} probes (5-45%)" \
    eval '[ $((${n:-0} * 100)) -ge $((${sent:-0} * 5)) ] && [ $((${n:-0} * 100)) -le $((${sent:-0} * 45)) ]'
  for k in 1 4 5; do
    check "IPv$fam ECMP: hop $k has its one responder ($(responders_of $k))" \
      [ "$(responders_of $k)" = "$(addr "$fam" $k) " ]
  done
  # R3 answers from the address facing the client (IPv4), or from the link
  # the probe came in by (IPv6, as Linux does): R3's own addresses only
  r3=$(responders_of 3)
  check "IPv$fam ECMP: hop 3 is R3, through either link ($r3)" \
    eval '[ "$r3" = "$(addr "$fam" 3) " ] || [ "$r3" = "$(sorted "$(addr "$fam" 3)" "$(addr "$fam" 7)")" ]'
  check "IPv$fam ECMP: no hop is marked silent or rate-limited" \
    sh -c "! printf '%s\n' \"\$1\" | grep -qE '\|(silent|rate-limited)\$'" sh "$H"
  keys Escape
  tm_wait ' 2 targets ' 5 >/dev/null
}
judge_ecmp 1 4
judge_ecmp 2 6

# ---- 3. paused: t, u, F and i trace afresh, and send nothing ------------------
# sent_all: every hop's Snt on the screen, "TTL:SNT ..."
sent_all() { hops | awk -F'|' '$1 != "+" {printf "%s:%s ", $1, $4}'; }
# zero_for SECONDS: every hop shown has sent nothing, all that while.
zero_for() {
  local i
  for i in $(seq 1 $(($1 * 10))); do
    sent_all | grep -qE ':[1-9]' && { echo "# sent while paused: $(sent_all)" >&2; return 1; }
    sleep 0.1
  done
}
open_path 1
check "paused: the path view of 10.202.5.2" tm_wait "path to 10\.202\.5\.2 " 5
check "... hop 5 has sent 20 probes" wait_sent 5 20 30
keys p
check "p pauses the path view" tm_wait 'PAUSED' 5
sleep 1.5 # -W 1: what was in flight is answered (or lost) by now
S1=$(sent_all) L1=$(field 1 3)
sleep 1
check "paused: no hop sends ($S1)" [ "$(sent_all)" = "$S1" ]
check "paused: hop 1 lost nothing of what was in flight at the pause ($L1)" [ "$L1" = 0.0% ]
for k in t u F i; do
  keys "$k"
  check "paused, $k: the trace starts afresh and sends nothing for 1 s" zero_for 1
done
keys p
check "p resumes: hop 5 answers again" wait_sent 5 5 30
check "... hop 1 lost nothing ($(field 1 3))" [ "$(field 1 3)" = 0.0% ]
keys Escape
tm_wait ' 2 targets ' 5 >/dev/null

keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
finish
