#!/bin/bash
# tests/lab/dash_flows.sh - Paris flows in the dashboard's path view (F,
# --flows), through the ECMP router of tests/lab/ecmp_topology.sh with its
# branch B a hop longer (ECMP_LONG_B), in a real terminal (tmux): a UDP
# row's path view with 16 flows forks at TTL 2 (A 10.210.2.2, B 10.210.3.2)
# and at TTL 3 (T through A, B2 10.210.5.1 through B), each router listed
# with the flows that met it; each flow met one branch only, every flow
# met one, both are used, the flows that met A at TTL 2 are those that met
# T at TTL 3; TTL 4 is T for the flows through B: the view goes on to the
# farthest flow's end. F cycles the count; switching protocols keeps it;
# a TCP row's path view as root (raw sockets: one source port per flow)
# forks the same way; TCP and ICMP without raw sockets refuse more than one
# flow.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip tmux setpriv

ECMP_LONG_B=1
. "$top_srcdir/tests/lab/ecmp_topology.sh"
TM="tmux -L sonar-dash-flows-$$ -f /dev/null"
trap 'trap "" INT TERM; tm_down; [ -n "${LAB_KEEP:-}" ] || ecmp_down' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME
keys() { $TM send-keys -t 0 "$@"; }

# flows_of TTL ADDRESS: the flows listed after ADDRESS's line under hop TTL,
# one a line ("0,2-4" written out: 0 2 3 4).
flows_of() {
  tm_screen | awk -v t="$1" -v a="$2" '
    /^ +[0-9]+\.  / { ttl = $1; sub(/\./, "", ttl); next }
    ttl == t && $1 == a && /flows/ { sub(/.*flows /, ""); print; exit }' |
    tr ',' '\n' | awk -F- '{ if (NF == 2) for (i = $1; i <= $2; i++) print i; else if ($1 != "") print $1 }' |
    sort -n | tr '\n' ' '
}
# sent TTL: probes sent at hop TTL (the numbers start at column 37, Snt second)
sent() { tm_screen | awk -v t="$1" '$1 == t "." {split(substr($0, 37), f, " "); print f[2] + 0; exit}'; }
four_rounds() { [ "$(sent 2)" -ge 64 ] 2>/dev/null; }

tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR -i 0.1 -W 1 --flows 16 udp://10.210.9.9 10.210.9.9 tcp://10.210.9.9:9; echo EXITED rc=\$?; sleep 60" 160 40
check "the dashboard shows the UDP row" tm_wait '^udp://10\.210\.9\.9 ' 10
keys Home Enter
check "--flows 16: the UDP path view probes ports 33434-33449, 16 flows" \
  tm_wait 'path to 10\.210\.9\.9 \(10\.210\.9\.9\)  UDP ports 33434-33449  16 flows' 5
check "TTL 2 forks: two responders" tm_wait '^ +2\.  10\.210\.[23]\.2 \(\+1\)' 15
check "every flow has had 4 rounds (64 probes at TTL 2)" until_ok 20 four_rounds
check "TTL 4: the destination, for the flows through the longer branch" \
  tm_wait '^ +4\.  10\.210\.9\.9 ' 5
tm_screen | head -16 | sed 's/^/#   /'
a2=$(flows_of 2 10.210.2.2) b2=$(flows_of 2 10.210.3.2)
t3=$(flows_of 3 10.210.9.9) b3=$(flows_of 3 10.210.5.1)
echo "# TTL 2: A $a2; B $b2. TTL 3: T $t3; B2 $b3"
check "both branches carry flows at TTL 2 (A: $a2; B: $b2)" [ -n "$a2" -a -n "$b2" ]
check "each flow met one branch only, and every flow met one (0 to 15)" \
  [ "$(printf '%s\n' $a2 $b2 | sort -n | tr '\n' ' ')" = "$(seq 0 15 | tr '\n' ' ')" ]
check "TTL 3 forks the same way: T for A's flows, B2 for B's" \
  [ "$t3" = "$a2" -a "$b3" = "$b2" ]

# F: 16 -> 1 (cycle), then 1 -> 2
keys F
check "F after 16: one flow, port 33434" tm_wait 'UDP port 33434  every' 5
check "one flow: TTL 2 has one responder" tm_wait '^ +2\.  10\.210\.[23]\.2 +[0-9.]+%' 10
check "one flow: no flows list under the hops" sh -c "! $TM capture-pane -p -t 0 | grep -q ' flows [0-9]'"
keys F
check "F: two flows, ports 33434-33435" tm_wait 'UDP ports 33434-33435  2 flows' 5

# switching protocols keeps the count asked for (TCP too: raw sockets)
keys t
check "t: TCP with the 2 flows (source ports 61000-61001)" tm_wait 'TCP port 80 from 61000-61001  2 flows' 5
keys u
check "u after t: UDP with the 2 flows again" tm_wait 'UDP ports 33434-33435  2 flows' 5
keys i
check "i: ICMP (raw sockets), with the 2 flows" tm_wait 'ICMP  2 flows  every' 5
check "ICMP, 2 flows: TTL 2 answers" tm_wait '^ +2\.  10\.210\.[23]\.2 ' 10
keys Escape
check "Esc: back to the table" tm_wait '^udp://10\.210\.9\.9 ' 5

# TCP as root: raw SYNs, flow k from source port 61000 + k; F cycles back
# to 16 after 2 (2 -> 4 -> 8 -> 16)
keys Home Down Down Enter
check "the TCP row's path view: 2 flows (the count F left)" \
  tm_wait 'TCP port 9 from 61000-61001  2 flows' 5
keys F F F
check "F F F: 16 TCP flows, source ports 61000-61015" tm_wait 'TCP port 9 from 61000-61015  16 flows' 5
check "TCP, 16 flows: TTL 2 forks, two responders" tm_wait '^ +2\.  10\.210\.[23]\.2 \(\+1\)' 15
check "TCP, 16 flows: every flow has had 4 rounds (64 probes at TTL 2)" until_ok 20 four_rounds
tm_screen | head -16 | sed 's/^/#   /'
a2=$(flows_of 2 10.210.2.2) b2=$(flows_of 2 10.210.3.2)
t3=$(flows_of 3 10.210.9.9) b3=$(flows_of 3 10.210.5.1)
echo "# TCP: TTL 2: A $a2; B $b2. TTL 3: T $t3; B2 $b3"
check "TCP: both branches carry flows at TTL 2 (A: $a2; B: $b2)" [ -n "$a2" -a -n "$b2" ]
check "TCP: each flow met one branch only, and every flow met one (0 to 15)" \
  [ "$(printf '%s\n' $a2 $b2 | sort -n | tr '\n' ' ')" = "$(seq 0 15 | tr '\n' ' ')" ]
check "TCP: TTL 3 forks the same way (T for A's flows: the closed port's RST; B2 for B's)" \
  [ "$t3" = "$a2" -a "$b3" = "$b2" ]
check "the dashboard still runs" sh -c "! $TM capture-pane -p -t 0 | grep -q EXITED"
keys q
check "q: exit 0" tm_wait 'EXITED rc=0' 10

# ICMP without raw sockets: one identifier for all (the kernel's): one flow
ip netns exec "$C" sysctl -qw net.ipv4.ping_group_range="0 2147483647"
mkdir -p "$TMP/nobody" && chown nobody "$TMP/nobody" && chmod 755 "$TMP" # its own HOME
tm_start "ip netns exec $C setpriv --reuid=nobody --regid=$NOGROUP --clear-groups --inh-caps=-all --bounding-set=-all -- env LANG=C.UTF-8 HOME=$TMP/nobody $SONAR --unprivileged -i 0.1 -W 1 --flows 4 10.210.9.9; echo EXITED rc=\$?; sleep 60" 160 40
check "as nobody: the ICMP row" tm_wait '^10\.210\.9\.9 ' 10
keys Enter
check "as nobody, --flows 4: the ICMP path view probes one flow" tm_wait 'ICMP  every' 5
keys F
check "F: refused, ICMP flows need raw sockets" tm_wait 'ICMP flows need raw sockets' 5
keys t
check "as nobody, t: TCP (a connect() per probe), one flow" tm_wait 'TCP port 80  every' 5
keys F
check "F: refused, TCP flows need raw sockets" tm_wait 'TCP flows need raw sockets' 5
keys u
check "u: UDP takes the 4 flows (datagram sockets, unprivileged)" \
  tm_wait 'UDP ports 33434-33437  4 flows' 5
keys q
check "q: exit 0" tm_wait 'EXITED rc=0' 10

# a bad --flows: refused before the terminal is taken
ip netns exec "$C" "$SONAR" --flows 17 10.210.9.9 >"$O" 2>"$E"
check "--flows 17: exit 3 with a reason" sh -c "[ $? = 3 ] && grep -q flows '$E'"
finish
