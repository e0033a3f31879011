#!/bin/bash
# tests/lab/asn.sh - sonar traceroute --asn through the four routers of
# tests/lab/path_topology.sh, IPv4 and IPv6, against dnsmasq in the client's
# namespace serving TXT records in Team Cymru's format for the lab's
# addresses (the real servers are never asked: the namespace reaches
# nothing but the lab).
#
#   IPv4  R1 AS64501 (named)   R2 no record   R3 three garbage records
#         R4 AS64500 AS64502 (between a /16 and a /8: the most specific
#         wins, whatever the order)   T AS64500 (named once)
#   IPv6  R1 AS64501   R2 AS64510 whose name hides an escape sequence
#         R3 a record of 1250 bytes (over TCP)   R4 AS64511 in two strings
#         (no name record)   T AS64500
#
# The lab's addresses are private (10.202/16, fd30::/16): --asn does not
# ask for them, --asn-all does. sonar finds the server through
# /etc/resolv.conf (a file of the test's own, mounted over it in a mount
# namespace), or --dns-server.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq nft dnsmasq unshare setpriv timeout tmux

. "$top_srcdir/tests/lab/path_topology.sh"
TM="tmux -L sonar-asn-$$ -f /dev/null"
asn_down() {
  trap "" INT TERM # a signal during the clean-up must not cut it short
  tm_down
  [ -s "$TMP/dnsmasq.pid" ] && kill "$(cat "$TMP/dnsmasq.pid")" 2>/dev/null
  path_down
}
trap asn_down EXIT
[ -n "${LAB_KEEP:-}" ] && trap - EXIT
O=$TMP/out E=$TMP/err

# nib6 K: the origin6 query name of fd30:K::2, written out by hand.
nib6() {
  local hex="fd30000${1}000000000000000000000002" out="" i
  for ((i = 31; i >= 0; i--)); do out="$out${hex:i:1}."; done
  echo "${out}origin6.asn.cymru.com"
}
D=" | ZZ | lab | 2024-01-01"
long=$(printf '%0250d' 0)
cat >"$TMP/dnsmasq.conf" <<EOF
no-resolv
no-hosts
listen-address=127.0.0.1
bind-interfaces
port=53
local=/asn.cymru.com/
log-queries
log-facility=$TMP/dnsmasq.log
txt-record=2.1.202.10.origin.asn.cymru.com,"64501 | 10.202.1.0/24$D"
txt-record=2.3.202.10.origin.asn.cymru.com,"4294967296 | 10.202.3.0/24$D"
txt-record=2.3.202.10.origin.asn.cymru.com,"64x03 | 10.202.3.0/24$D"
txt-record=2.3.202.10.origin.asn.cymru.com,"64503 | 10.99.0.0/16$D"
txt-record=2.4.202.10.origin.asn.cymru.com,"64999 | 10.202.0.0/16$D"
txt-record=2.4.202.10.origin.asn.cymru.com,"64500 64502 | 10.202.4.0/24$D"
txt-record=2.4.202.10.origin.asn.cymru.com,"64998 | 10.0.0.0/8$D"
txt-record=2.5.202.10.origin.asn.cymru.com,"64500 | 10.202.5.0/24$D"
txt-record=$(nib6 1),"64501 | fd30:1::/64$D"
txt-record=$(nib6 2),"64510 | fd30:2::/64$D"
txt-record=$(nib6 4),"64511 | fd30:4::","/64$D"
txt-record=$(nib6 5),"64500 | fd30:5::/64$D"
txt-record=AS64501.asn.cymru.com,"64501$D | ROUTER-ONE Lab Router One, ZZ"
txt-record=AS64500.asn.cymru.com,"64500$D | EXAMPLE-NET Example Network, ZZ"
txt-record=AS64502.asn.cymru.com,"64502$D | SECOND-NET, ZZ"
txt-record=AS64510.asn.cymru.com,"64510$D | EVIL\e[31mRED, ZZ"
EOF
# (a configuration line is too short for the long record: it is an argument)
inC dnsmasq --conf-file="$TMP/dnsmasq.conf" --pid-file="$TMP/dnsmasq.pid" --user=root \
  --txt-record="$(nib6 3),64503 | fd30:3::/64$D | $long,$long,$long,$long,$long" \
  >"$TMP/dnsmasq.out" 2>&1 || sed 's/^/# dnsmasq: /' "$TMP/dnsmasq.out"
if [ ! -s "$TMP/dnsmasq.pid" ]; then
  not_ok "dnsmasq runs on 127.0.0.1:53 in the client's namespace"
  finish
fi
printf 'nameserver 127.0.0.1\n' >"$TMP/resolv.conf"
printf 'nameserver 127.0.0.2\n' >"$TMP/resolv.none" # nothing listens there

# inC_resolv FILE CMD...: CMD in the client's namespace with FILE as its
# /etc/resolv.conf (a private mount namespace: the machine's stays as it is).
inC_resolv() {
  local conf=$1
  shift
  ip netns exec "$C" unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' \
    sh "$conf" "$@"
}
# asked NAME: how many queries dnsmasq logged for NAME.
asked() { grep -c "query\[TXT\] $1 from" "$TMP/dnsmasq.log"; }
queries() { grep -c 'query\[' "$TMP/dnsmasq.log"; }
# asked_tcp NAME: how many of them came over TCP (dnsmasq forks a child for
# each TCP connection: the line's pid is not the server's).
asked_tcp() {
  grep "query\[TXT\] $1 from" "$TMP/dnsmasq.log" | grep -vc "dnsmasq\[$(cat "$TMP/dnsmasq.pid")\]"
}
# hop_is FILE DISTANCE ASN AS_NAME ASNS: the JSON hop's AS fields.
hop_is() {
  jq_true "$1" "(.[] | select(.distance == $2) | [.asn, .as_name, .asns]) == [$3, $4, $5]"
}

# -- IPv4, the system's resolver, every address asked ---------------------------
sonar4() { inC_resolv "$TMP/resolv.conf" timeout 20 "$SONAR" traceroute -W 1 "$@" 10.202.5.2; }
sonar4 --asn-all --json >"$O" 2>"$E"
RC=$?
check "IPv4 --asn-all --json: exit 0" [ $RC = 0 ]
check "IPv4: the hops are the lab's five" \
  jq_true "$O" '[.[] | "\(.distance):\(.address)"] == ["1:10.202.1.2", "2:10.202.2.2", "3:10.202.3.2", "4:10.202.4.2", "5:10.202.5.2"]'
check "IPv4 R1: AS64501, its name without the country" \
  hop_is "$O" 1 64501 '"ROUTER-ONE Lab Router One"' '[64501]'
check "IPv4 R2 (no record, NXDOMAIN): nothing" hop_is "$O" 2 null null '[]'
check "IPv4 R3 (AS too big, not digits, prefix elsewhere): nothing" hop_is "$O" 3 null null '[]'
check "IPv4 R4: the /24's two origins (not the /16's or the /8's), the first one's name" \
  hop_is "$O" 4 64500 '"EXAMPLE-NET Example Network"' '[64500, 64502]'
check "IPv4 T: AS64500 and its name" hop_is "$O" 5 64500 '"EXAMPLE-NET Example Network"' '[64500]'
check "IPv4: no warning (every query answered)" [ ! -s "$E" ]
check "each address asked once, by its reversed octets" \
  sh -c "[ $(asked 2.1.202.10.origin.asn.cymru.com) = 1 ] && [ $(asked 2.2.202.10.origin.asn.cymru.com) = 1 ] && [ $(asked 2.5.202.10.origin.asn.cymru.com) = 1 ]"
check "each AS name asked once (AS64500 for R4 and T), only the first origin's" \
  sh -c "[ $(asked AS64500.asn.cymru.com) = 1 ] && [ $(asked AS64501.asn.cymru.com) = 1 ] && [ $(asked AS64502.asn.cymru.com) = 0 ]"
check "7 queries in all (5 addresses, 2 names)" [ "$(queries)" = 7 ]
cp "$O" "$TMP/v4.json"

sonar4 --asn-all >"$O" 2>"$E"
sed 's/^/# /' "$O"
check "text: R1's AS and handle in brackets after the address" \
  grep -qE '^  1  10\.202\.1\.2  \[AS64501 ROUTER-ONE\] +[0-9.]+ ms' "$O"
check "text: R2 and R3 show no AS, their RTTs in the same column" \
  sh -c "grep -qE '^  2  10\.202\.2\.2 {27} +[0-9.]+ ms' '$O' && grep -qE '^  3  10\.202\.3\.2 {27} +[0-9.]+ ms' '$O'"
check "text: R4's two origins, T's one" \
  sh -c "grep -qE '^  4  10\.202\.4\.2  \[AS64500/AS64502 EXAMPLE-NET\] +[0-9.]' '$O' && grep -qE '^  5  10\.202\.5\.2  \[AS64500 EXAMPLE-NET\] +[0-9.]' '$O'"
check "text: the RTT columns line up" \
  sh -c "[ \$(grep -E '^ +[0-9]+  10' '$O' | awk '{print index(\$0, \" ms\")}' | sort -u | wc -l) = 1 ]"

sonar4 --asn-all --report >"$O" 2>"$E"
sed 's/^/# /' "$O"
check "--report: an AS column before the host, as mtr -z" \
  sh -c "grep -qE '^  1\.\|-- AS64501 +10\.202\.1\.2 ' '$O' && grep -qE '^  4\.\|-- AS64500/AS64502 10\.202\.4\.2 ' '$O'"
check "--report: AS??? where none is known" grep -qE '^  3\.\|-- AS\?\?\? +10\.202\.3\.2 ' "$O"

sonar4 --asn-all --csv >"$O" 2>"$E"
check "--csv: asn,as_name columns" \
  sh -c "head -1 '$O' | grep -q ',error,asn,as_name\$' && grep -q '^1,10.202.1.2,.*,64501,ROUTER-ONE Lab Router One\$' '$O' && grep -q '^2,10.202.2.2,.*,,\$' '$O'"

# -- the default: private addresses are not asked --------------------------------
before=$(queries)
sonar4 --asn --json >"$O" 2>"$E"
RC=$?
check "--asn on private addresses: exit 0, no AS on any hop" \
  sh -c "[ $RC = 0 ] && jq -e 'length == 5 and all(.[]; .asn == null and .as_name == null and .asns == [])' '$O' >/dev/null"
check "--asn on private addresses: no query sent, no warning" \
  sh -c "[ $(queries) = $before ] && [ ! -s '$E' ]"
sonar4 --json >"$O" 2>"$E"
check "without --asn: no AS keys in the JSON" jq_true "$O" 'all(.[]; has("asn") | not)'

# -- IPv6 -------------------------------------------------------------------------
inC_resolv "$TMP/resolv.conf" timeout 20 "$SONAR" traceroute -W 1 --asn-all --json fd30:5::2 >"$O" 2>"$E"
RC=$?
check "IPv6 --asn-all --json: exit 0, five hops" sh -c "[ $RC = 0 ] && jq -e 'length == 5' '$O' >/dev/null"
check "IPv6 R1: AS64501 through the reversed nibbles" \
  hop_is "$O" 1 64501 '"ROUTER-ONE Lab Router One"' '[64501]'
check "IPv6 R2: AS64510, its name refused (an escape sequence)" hop_is "$O" 2 64510 null '[64510]'
check "IPv6 R3 (a 1250-byte record): nothing" hop_is "$O" 3 null null '[]'
check "IPv6 R4: one record in two strings is joined; no name record" \
  hop_is "$O" 4 64511 null '[64511]'
check "IPv6 T: AS64500" hop_is "$O" 5 64500 '"EXAMPLE-NET Example Network"' '[64500]'
check "IPv6: the long answer was asked again over TCP (truncated over UDP)" \
  [ "$(asked_tcp "$(nib6 3)")" = 1 ]
check "IPv6: no warning (the long answer was an answer, refused as too long)" [ ! -s "$E" ]
inC_resolv "$TMP/resolv.conf" timeout 20 "$SONAR" traceroute -W 1 --asn-all fd30:5::2 >"$O" 2>"$E"
sed 's/^/# /' "$O" | tr '\033' '?'
check "IPv6 text: [AS64510] alone, and no escape byte anywhere" \
  sh -c "grep -qE '^  2  fd30:2::2  \[AS64510\] +[0-9.]' '$O' && ! grep -q \$(printf '\\033') '$O'"

# -- unprivileged, as nobody ------------------------------------------------------
inC_resolv "$TMP/resolv.conf" timeout 20 setpriv --reuid=nobody --regid="$NOGROUP" \
  --clear-groups --inh-caps=-all --bounding-set=-all -- \
  "$SONAR" traceroute --unprivileged -W 1 --asn-all --json 10.202.5.2 >"$O" 2>"$E"
check "as nobody (datagram sockets, no privilege): the same ASes" \
  jq_true "$O" '[.[].asn] == [64501, null, null, 64500, 64500]'

# -- UDP probes: the same hops, the same ASes (they come from the DNS) -------------
inC_resolv "$TMP/resolv.conf" timeout 20 "$SONAR" traceroute --udp -W 1 --asn-all --json \
  10.202.5.2 >"$O" 2>"$E"
check "--udp --asn-all: the same ASes" jq_true "$O" '[.[].asn] == [64501, null, null, 64500, 64500]'

# -- where the server comes from ----------------------------------------------------
inC_resolv "$TMP/resolv.none" timeout 20 "$SONAR" traceroute -W 1 --asn-all --json 10.202.5.2 \
  >"$O" 2>"$E"
RC=$?
check "resolv.conf names a server that refuses: exit 0 (the trace is fine), no AS" \
  sh -c "[ $RC = 0 ] && jq -e 'all(.[]; .asn == null)' '$O' >/dev/null"
check "... and one warning line saying the queries got no answer" \
  sh -c "[ \$(wc -l <'$E') = 1 ] && grep -q 'AS lookup: 5 queries without an answer' '$E'"
inC_resolv "$TMP/resolv.none" timeout 20 "$SONAR" traceroute -W 1 --asn-all --json \
  --dns-server 127.0.0.1 10.202.5.2 >"$O" 2>"$E"
check "--dns-server 127.0.0.1 is asked instead of resolv.conf's" \
  jq_true "$O" '[.[].asn] == [64501, null, null, 64500, 64500]'
inC "$SONAR" traceroute --asn --dns-server 'not a server' 10.202.5.2 >"$O" 2>"$E"
check "a bad --dns-server: exit 3" [ $? = 3 ]
inC "$SONAR" traceroute --asn --stream 10.202.5.2 >"$O" 2>"$E"
check "--asn --stream: exit 3 (no hops to annotate)" [ $? = 3 ]

# -- the dashboard's path view: z shows each hop's AS -----------------------------
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME
before=$(queries)
tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR -i 0.1 -W 1 --dns-server 127.0.0.1 --asn-all 10.202.5.2; echo EXITED rc=\$?; sleep 60" 160 40
check "dashboard: the lab target in the table" tm_wait '^10\.202\.5\.2 ' 10
$TM send-keys -t 0 Enter
check "dashboard: Enter opens the path view, five hops" tm_wait '^ +5\.  10\.202\.5\.2 ' 10
check "dashboard: before z, no AS is asked" [ "$(queries)" = "$before" ]
$TM send-keys -t 0 z
check "z: hop 1 shows AS64501 and its handle before the address" \
  tm_wait '^ +1\.  AS64501 ROUTER-ONE 10\.202\.1\.2 ' 10
check "z: hop 4 its two origins" tm_wait '^ +4\.  AS64500/AS64502 EXAMPLE-NET 10\.202\.4\.2 ' 5
check "z: hop 5 AS64500" tm_wait '^ +5\.  AS64500 EXAMPLE-NET 10\.202\.5\.2 ' 5
check "z: hops 2 and 3 (no valid record) show the address alone" \
  sh -c "$TM capture-pane -p -t 0 | grep -qE '^ +2\.  10\.202\.2\.2 ' && $TM capture-pane -p -t 0 | grep -qE '^ +3\.  10\.202\.3\.2 '"
$TM send-keys -t 0 '?'
check "?: the help lists z" tm_wait 'z +AS numbers of the hops: show / hide' 5
$TM send-keys -t 0 x
check "any key: back to the path view" tm_wait '^ +1\.  AS64501 ' 5
$TM send-keys -t 0 z
check "z again: the AS is hidden" tm_wait '^ +1\.  10\.202\.1\.2 ' 5
n=$(queries)
$TM send-keys -t 0 z
tm_wait '^ +1\.  AS64501 ' 5 >/dev/null
check "z a third time: shown from the cache, nothing asked again ($n queries, then $(queries))" \
  [ "$(queries)" = "$n" ]
check "the dashboard still runs" sh -c "! $TM capture-pane -p -t 0 | grep -q EXITED"
$TM send-keys -t 0 q
check "q: the dashboard exits 0" tm_wait 'EXITED rc=0' 10
tm_down

# -- a server that never answers: the lookups end by the time limit -------------------
ip netns exec "$C" nft -f - <<'NFT'
table inet dns {
  chain dns_input {
    type filter hook input priority 0;
    udp dport 5300 drop
    tcp dport 5300 drop
  }
}
NFT
for W in 1 2; do
  t0=$(date +%s%N)
  inC timeout 20 "$SONAR" traceroute -W $W --asn-all --json --dns-server 127.0.0.1:5300 \
    10.202.5.2 >"$O" 2>"$E"
  RC=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  check "silent server, -W $W: exit 0 after ${ms} ms (>= ${W}000, < ${W}000 + 1500)" \
    sh -c "[ $RC = 0 ] && [ $ms -ge ${W}000 ] && [ $ms -lt $((W * 1000 + 1500)) ]"
  check "silent server, -W $W: the hops, no AS, a warning" \
    sh -c "jq -e 'length == 5 and all(.[]; .asn == null)' '$O' >/dev/null && grep -q 'AS lookup: 5 queries without an answer' '$E'"
done

finish
