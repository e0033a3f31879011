#!/bin/bash
# tests/lab/dash_proto.sh - the dashboard's protocols in the four-router
# lab (tests/lab/path_topology.sh), in a real terminal (tmux):
#
#   C --1-- R1 --2-- R2 --3-- R3 --4-- R4 --5-- T (10.202.5.2, fd30:5::2)
#
# Rows written tcp://T:80 (a Python listener on T), udp://T (Port
# Unreachable from T) and tcp://[fd30:5::2]:80, from a targets file, beside
# a plain T (ICMP) from the command line, while R3 drops forwarded ICMP echo:
# the TCP and UDP rows answer, the ICMP row does not, and its probes (nft
# counters on T) are told apart from theirs; with the firewall gone, it
# answers too. The TCP row's path view traces with TCP (the title says
# so) and reaches T past the firewall; u and t switch it to UDP and back,
# and to ICMP, which stops at R3. Then T's kernel stops answering echoes
# and tests/lab/mpls_responder.py answers as three MPLS routers behind it
# (hops 5-7, hop 8 is T): e shows their label stacks under them, e again
# hides them. Bad URLs on the command line and in the file are refused
# with why; p, +, edit, s and d work on URL rows. The dashboard runs as
# root (raw sockets: label stacks come only there) with its own HOME.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip tmux nft python3
. "$top_srcdir/tests/lab/path_topology.sh"

TM="tmux -L sonar-dproto-$$ -f /dev/null"
trap 'tm_down; path_down' EXIT
mkdir -p "$TMP/home"
# never the developer's files, nor the default targets (gateways, DNS)
ENVS="env HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/config LANG=C.UTF-8 SONAR_THEMES=$top_srcdir/themes"
inT() { ip netns exec "$T" "$@"; }

# run ARGS...: the dashboard in the client namespace, in a fresh 150x40
# pane that shows its exit code when it ends.
run() {
  tm_start "ip netns exec $C $ENVS $SONAR $*; echo EXITED rc=\$?; sleep 120" 150 40
}
keys() { $TM send-keys -t 0 "$@"; }
# col NAME N: field N of the row whose target is NAME.
col() { tm_screen | awk -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
# answered NAME [MIN]: NAME's row has received at least MIN (3) replies.
answered() { [ "$(col "$1" 5)" -ge "${2:-3}" ] 2>/dev/null; }
# until_true SECONDS CMD...: CMD succeeds within SECONDS (polled).
until_true() {
  local i s=$1
  shift
  for i in $(seq 1 $((s * 10))); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}
# nft_count WHAT: packets counted on T by the rule whose comment is WHAT.
nft_count() {
  inT nft list chain inet dproto input 2>/dev/null |
    awk -v w="\"$1\"" '$0 ~ w {for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1)}'
}

# ---- bad URLs: refused with why, before anything is probed -----------------
run tcp://10.202.5.2:0
check "a bad URL on the command line: why" \
  tm_wait '^sonar: tcp://10\.202\.5\.2:0: port 0 is out of range \(a port is 1-65535\)' 5
check "... exit 3 (usage)" tm_wait '^EXITED rc=3' 5
printf '10.202.5.2\n# a comment\nudp://[fd30:5::2\n' >"$TMP/bad.targets"
run -F "$TMP/bad.targets"
check "a bad URL in a targets file: FILE:LINE: why" \
  tm_wait "$TMP/bad.targets:3: '\[' without its '\]'" 5
check "... exit 3 (usage)" tm_wait '^EXITED rc=3' 5

# ---- the lab: a listener on T, counters, R3 dropping ICMP echo ------------
inT sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
inT timeout 150 python3 -c '
import socket, time
ls = []
for fam, addr in ((socket.AF_INET, "10.202.5.2"), (socket.AF_INET6, "fd30:5::2")):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, 80))
    s.listen(512)
    ls.append(s)
print("ready", flush=True)
time.sleep(150)
' >"$TMP/listen.out" 2>&1 &
until_true 5 grep -q ready "$TMP/listen.out"
check "T listens on port 80" grep -q ready "$TMP/listen.out"
nft_in "$T" <<'NFT'
table inet dproto {
  chain input {
    type filter hook input priority 0;
    tcp dport 80 tcp flags & (syn | ack) == syn counter comment "syn"
    udp dport 33434 counter comment "udp"
    icmp type echo-request counter comment "echo"
  }
}
NFT
nft_in "${NODES[3]}" <<'NFT'
table inet fw {
  chain forward {
    type filter hook forward priority 0;
    icmp type echo-request drop
    icmpv6 type echo-request drop
  }
}
NFT
check "the lab's firewall and counters are in place" \
  sh -c "ip netns exec ${NODES[3]} nft list table inet fw >/dev/null && [ -n \"\$(ip netns exec $T nft list table inet dproto)\" ]"

# ---- the table: one operation per protocol and port ------------------------
F=$TMP/lab.targets
printf '# the lab\ntcp://10.202.5.2:80\n  udp://10.202.5.2  # Port Unreachable\ntcp://[fd30:5::2]:80\n' >"$F"
run -i 0.2 -F "$F" 10.202.5.2
check "rows as written: tcp://10.202.5.2:80, udp://10.202.5.2, tcp://[fd30:5::2]:80, 10.202.5.2" \
  tm_wait '^10\.202\.5\.2 ' 5
for r in tcp://10.202.5.2:80 udp://10.202.5.2 'tcp://[fd30:5::2]:80'; do
  check "$r answers through the firewall" until_true 10 answered "$r"
done
tm_screen | sed -n 2,6p | cut -c1-100 | sed 's/^/# /'
# icmp_unanswered: the ICMP row sent 3 probes or more, none answered.
icmp_unanswered() { [ "$(col 10.202.5.2 4)" -ge 3 ] 2>/dev/null && [ "$(col 10.202.5.2 5)" = 0 ]; }
check "the ICMP row does not (R3 drops echo requests)" until_true 5 icmp_unanswered
syn=$(nft_count syn) udp=$(nft_count udp) echo=$(nft_count echo)
check "T saw SYNs to port 80 ($syn) and datagrams to 33434 ($udp), no echo request ($echo)" \
  sh -c "[ '${syn:-0}' -ge 3 ] && [ '${udp:-0}' -ge 3 ] && [ '${echo:-x}' = 0 ]"
ip netns exec "${NODES[3]}" nft delete table inet fw
check "without the firewall the ICMP row answers too" until_true 10 answered 10.202.5.2
echo=$(nft_count echo)
check "... and T counts echo requests ($echo)" [ "${echo:-0}" -ge 3 ]

# ---- the path view of the TCP row ----------------------------------------
nft_in "${NODES[3]}" <<'NFT'
table inet fw {
  chain forward {
    type filter hook forward priority 0;
    icmp type echo-request drop
  }
}
NFT
keys Home Enter
check "Enter on tcp://10.202.5.2:80: a TCP trace to port 80, said in the title" \
  tm_wait 'path to 10\.202\.5\.2 \(10\.202\.5\.2\)  TCP port 80 ' 5
for k in 1 2 3 4; do
  check "TCP trace: hop $k is R$k (10.202.$k.2)" tm_wait "^ $k\. +10\.202\.$k\.2 " 10
done
check "TCP trace: hop 5 is T, past R3's firewall" tm_wait '^ 5\. +10\.202\.5\.2 ' 10
keys u
check "u: a UDP trace to port 33434" tm_wait 'path to 10\.202\.5\.2 \(10\.202\.5\.2\)  UDP port 33434 ' 5
check "UDP trace: hop 5 is T" tm_wait '^ 5\. +10\.202\.5\.2 ' 10
keys u
check "u again: back to ICMP" tm_wait 'path to 10\.202\.5\.2 \(10\.202\.5\.2\)  ICMP ' 5
check "ICMP trace: hop 3 is R3" tm_wait '^ 3\. +10\.202\.3\.2 ' 10
sleep 1.5 # a measurement: 7 rounds at 0.2 s, for T to answer if it could
check "ICMP trace: T is not reached past R3's firewall" sh -c "! $TM capture-pane -p -t 0 | grep -qE '^ 5\. +10\.202\.5\.2 '"
keys t
check "t: TCP again, the row's port" tm_wait 'TCP port 80 ' 5
check "TCP trace: hop 5 is T again" tm_wait '^ 5\. +10\.202\.5\.2 ' 10
ip netns exec "${NODES[3]}" nft delete table inet fw

# ---- MPLS: three label-switching routers behind T ------------------------
inT sysctl -qw net.ipv4.icmp_echo_ignore_all=1
for k in 1 2 3; do inT ip addr add "10.202.5.10$k/24" dev r5; done
inT timeout 90 python3 "$top_srcdir/tests/lab/mpls_responder.py" -4 --target 10.202.5.2 \
  --sources 10.202.5.101,10.202.5.102,10.202.5.103 --flaw badsum --seconds 80 \
  >"$TMP/resp.out" 2>"$TMP/resp.err" &
until_true 5 grep -q ready "$TMP/resp.out"
check "the MPLS responder runs on T" grep -q ready "$TMP/resp.out"
keys i
check "i: an ICMP trace" tm_wait 'path to 10\.202\.5\.2 \(10\.202\.5\.2\)  ICMP ' 5
for k in 1 2 3; do
  check "hop $((k + 4)) is virtual router $k (10.202.5.10$k)" tm_wait "^ $((k + 4))\. +10\.202\.5\.10$k " 10
done
check "hop 8 is T" tm_wait '^ 8\. +10\.202\.5\.2 ' 10
check "no label shown before e" sh -c "! $TM capture-pane -p -t 0 | grep -q MPLS"
keys e
check "e: label stacks under their hops, an entry a line (mtr's form)" \
  tm_wait '^       \[MPLS: Lbl 24001 TC 5 S 0 TTL 1\]$' 5
screen=$(tm_screen)
check "... in order: 24001 then 16, then hop 6" \
  sh -c "printf '%s\n' \"\$1\" | grep -A3 -E '^ 5\. ' | sed -n 2,4p | tr -s ' ' | tr '\n' '|' | grep -qx ' \[MPLS: Lbl 24001 TC 5 S 0 TTL 1\]| \[MPLS: Lbl 16 TC 0 S 1 TTL 255\]| 6\. 10.202.5.102 .*'" sh "$screen"
check "... hop 6's one entry" \
  sh -c "printf '%s\n' \"\$1\" | grep -A1 -E '^ 6\. ' | tail -1 | grep -qx '       \[MPLS: Lbl 777 TC 0 S 1 TTL 1\]'" sh "$screen"
check "... hop 7's malformed extension shows nothing: 3 label lines in all" \
  sh -c "[ \$(printf '%s\n' \"\$1\" | grep -c 'MPLS: Lbl') = 3 ]" sh "$screen"
keys e
check "e again hides them" \
  sh -c "for i in \$(seq 20); do $TM capture-pane -p -t 0 | grep -q 'MPLS: Lbl' || exit 0; sleep 0.1; done; exit 1"
keys Escape
sleep 0.1 # a key right after Esc is Alt+key (tmux's escape-time)
check "Esc: back to the table" tm_wait ' 4 targets ' 5

# ---- the other keys, on URL rows ------------------------------------------
keys p
check "p pauses every row" tm_wait 'PAUSED' 5
sleep 0.5 # a probe in flight may still be counted sent
s1=$(col tcp://10.202.5.2:80 4) u1=$(col udp://10.202.5.2 4)
sleep 1 # a measurement: 5 intervals at 0.2 s
s2=$(col tcp://10.202.5.2:80 4) u2=$(col udp://10.202.5.2 4)
check "... TCP and UDP rows too ($s1 -> $s2, $u1 -> $u2 sent)" [ "$s1" = "$s2" -a "$u1" = "$u2" ]
keys p
check "p resumes them" until_true 5 sh -c "[ \"\$($TM capture-pane -p -t 0 | awk '\$1 == \"udp://10.202.5.2\" {print \$4}')\" -gt '$u2' ]"
keys +
check "+ halves the interval of every operation" tm_wait 'probing every 0\.1 s' 5
keys Home Down e C-u 'udp://10.202.5.2:33435' Enter
check "e edits udp://10.202.5.2 into udp://10.202.5.2:33435, which answers" \
  until_true 10 answered udp://10.202.5.2:33435
check "... in place of the old row" sh -c "! $TM capture-pane -p -t 0 | grep -q '^udp://10\.202\.5\.2 '"
keys s
check "s saves the rows" tm_wait "saved 4 targets to $F" 5
# (a target's comment stays on its line, the edited one's too: s writes
# what followed a target back as it was)
check "... as written" test "$(grep -v '^#' "$F" | tr '\n' '|')" = "tcp://10.202.5.2:80|udp://10.202.5.2:33435  # Port Unreachable|tcp://[fd30:5::2]:80|10.202.5.2|"
keys d
check "d removes the selected URL row" tm_wait ' 3 targets ' 5
check "... the others still answer" until_true 5 sh -c "[ \"\$($TM capture-pane -p -t 0 | awk '\$1 == \"tcp://10.202.5.2:80\" {print \$5}')\" -gt '$(col tcp://10.202.5.2:80 5)' ]"
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

finish
