#!/bin/bash
# tests/lab/dash_flows.sh - Paris flows in the dashboard's path view (F,
# --flows), through the ECMP router of tests/lab/ecmp_topology.sh, in a real
# terminal (tmux): a UDP row's path view with 16 flows forks at TTL 2, each
# branch (A 10.210.2.2, B 10.210.3.2) listed with the flows that met it;
# each flow met one branch only, every flow met one, both branches are
# used; the destination (TTL 3) was met by all 16. F cycles the count; TCP
# refuses (no stable flow), ICMP flows keep one path each.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip tmux

. "$top_srcdir/tests/lab/ecmp_topology.sh"
TM="tmux -L sonar-dash-flows-$$ -f /dev/null"
trap 'trap "" INT TERM; tm_down; [ -n "${LAB_KEEP:-}" ] || ecmp_down' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME
keys() { $TM send-keys -t 0 "$@"; }

# flows_of ADDRESS: the flows listed after ADDRESS's line under a hop, one
# a line ("0,2-4" written out: 0 2 3 4).
flows_of() {
  tm_screen | awk -v a="$1" '$1 == a && /flows/ {sub(/.*flows /, ""); print; exit}' |
    tr ',' '\n' | awk -F- '{ if (NF == 2) for (i = $1; i <= $2; i++) print i; else if ($1 != "") print $1 }'
}

tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR -i 0.1 -W 1 --flows 16 udp://10.210.9.9 10.210.9.9 tcp://10.210.9.9:9; echo EXITED rc=\$?; sleep 60" 160 40
check "the dashboard shows the UDP row" tm_wait '^udp://10\.210\.9\.9 ' 10
keys Home Enter
check "--flows 16: the UDP path view probes ports 33434-33449, 16 flows" \
  tm_wait 'path to 10\.210\.9\.9 \(10\.210\.9\.9\)  UDP ports 33434-33449  16 flows' 5
check "TTL 2 forks: two responders" tm_wait '^ +2\.  10\.210\.[23]\.2 \(\+1\)' 15
# sent2: probes sent at TTL 2 (the numbers start at column 37, Snt second)
sent2() { tm_screen | awk '/^ +2\.  / {split(substr($0, 37), f, " "); print f[2] + 0; exit}'; }
four_rounds() { [ "$(sent2)" -ge 64 ] 2>/dev/null; }
check "every flow has had 4 rounds (64 probes at TTL 2)" until_ok 20 four_rounds
tm_screen | head -12 | sed 's/^/#   /'
fa=$(flows_of 10.210.2.2 | sort -n | tr '\n' ' ')
fb=$(flows_of 10.210.3.2 | sort -n | tr '\n' ' ')
echo "# A: $fa; B: $fb"
all=$(printf '%s\n' $fa $fb | sort -n | tr '\n' ' ')
check "both branches carry flows (A: $fa; B: $fb)" [ -n "$fa" -a -n "$fb" ]
check "each flow met one branch only, and every flow met one (0 to 15)" \
  [ "$all" = "$(seq 0 15 | tr '\n' ' ')" ]
check "TTL 3: the destination" tm_wait '^ +3\.  10\.210\.9\.9 ' 2
check "the destination alone at TTL 3 (no fork: one responder)" \
  sh -c "! $TM capture-pane -p -t 0 | grep -qE '^ +3\.  10\.210\.9\.9 \(\+'"

# F: 16 -> 1 (cycle), then 1 -> 2
keys F
check "F after 16: one flow, port 33434" tm_wait 'UDP port 33434  every' 5
check "one flow: TTL 2 has one responder" tm_wait '^ +2\.  10\.210\.[23]\.2 +[0-9.]+%' 10
check "one flow: no flows list under the hops" sh -c "! $TM capture-pane -p -t 0 | grep -q ' flows [0-9]'"
keys F
check "F: two flows, ports 33434-33435" tm_wait 'UDP ports 33434-33435  2 flows' 5

# ICMP flows: each flow keeps its path (this kernel hashes no ICMP field)
keys i
check "i: ICMP, with the path view's 2 flows" tm_wait 'ICMP  2 flows  every' 5
check "ICMP, 2 flows: TTL 2 answers" tm_wait '^ +2\.  10\.210\.[23]\.2 ' 10
keys Escape
check "Esc: back to the table" tm_wait '^udp://10\.210\.9\.9 ' 5

# TCP: no stable flows, said so
keys Home Down Down Enter
check "the TCP row's path view: one flow" tm_wait 'TCP port 9  every' 5
keys F
check "F on a TCP trace: refused, and why" tm_wait 'TCP probes are no stable flows' 5
check "the dashboard still runs" sh -c "! $TM capture-pane -p -t 0 | grep -q EXITED"
keys q
check "q: exit 0" tm_wait 'EXITED rc=0' 10

# a bad --flows: refused before the terminal is taken
ip netns exec "$C" "$SONAR" --flows 17 10.210.9.9 >"$O" 2>"$E"
check "--flows 17: exit 3 with a reason" sh -c "[ $? = 3 ] && grep -q flows '$E'"
finish
