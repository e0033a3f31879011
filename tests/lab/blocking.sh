#!/bin/bash
# tests/lab/blocking.sh - libsonar's blocking calls (sonar_ping,
# sonar_multiping, sonar_traceroute, sonar_hops_free; tests/lab/blockcall)
# through the four routers of tests/lab/path_topology.sh, each against what
# the sonar program (the non-blocking engine) reports for the same targets:
# hops and distances, per-hop counts (loss on a lossy hop), a silent hop,
# reachable / unreachable / silent verdicts, and a name that does not
# resolve. Each result is also checked against the topology, so two equally
# wrong answers cannot pass.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft unshare
BLOCKCALL=$top_builddir/tests/lab/blockcall
[ -x "$BLOCKCALL" ] || { not_ok "tests/lab/blockcall not built"; finish; }

. "$top_srcdir/tests/lab/path_topology.sh"
O=$TMP/out E=$TMP/err B=$TMP/blocking

# R2 rejects what it would forward to 10.202.9.0/24 and fd30:9::/64 (an
# unreachable verdict from R2) and drops what goes to 10.202.8.0/24 and
# fd30:8::/64 (no answer at all).
nft_in "${NODES[2]}" <<'NFT'
table inet verdicts {
  chain forward {
    type filter hook forward priority 0;
    ip daddr 10.202.9.0/24 reject with icmp type host-unreachable
    ip6 daddr fd30:9::/64 reject with icmpv6 type no-route
    ip daddr 10.202.8.0/24 drop
    ip6 daddr fd30:8::/64 drop
  }
}
NFT

# blockcall ARGS...: the blocking call in the client namespace, into $B;
# it must exit 0 (an ASan build fails it on a leak: sonar_hops_free).
blockcall() {
  offline ip netns exec "$C" "$BLOCKCALL" "$@" >"$B" 2>"$TMP/berr"
  BRC=$?
}
# sonar_in ARGS...: the sonar program in the client namespace, into $O.
sonar_in() {
  offline ip netns exec "$C" "$SONAR" "$@" >"$O" 2>"$E"
  RC=$?
}

# What a host's result must agree on; hops on lossy links only on whether
# they lost some probes (not how many: each run draws its own losses).
HOST='{target, address, packets_sent, packets_received, rtts: (.rtts | length), is_alive,
  distance, reply_ttl, error_type, error}'
LOSSY='if .distance >= 4 then del(.packets_received, .rtts) + {some_lost: (.packet_loss > 0 and .packet_loss < 1)} else . end'
# same FILTER: blockcall's .result and sonar's JSON, through FILTER, are equal.
same() {
  local a b
  a=$(jq -S -c ".result | $1" "$B" 2>/dev/null)
  b=$(jq -S -c "$1" "$O" 2>/dev/null)
  [ -n "$a" ] && [ "$a" = "$b" ] && return 0
  echo "# blocking: $a" >&2
  echo "# engine:   $b" >&2
  return 1
}
# hops FILE "d:addr ...": the hops in FILE (blockcall's .result or sonar's
# array) are exactly these.
hops() {
  local got
  got=$(jq -r '(.result? // .) | [.[] | "\(.distance):\(.address)"] | join(" ")' "$1")
  [ "$got" = "$2" ] || { echo "# got hops: $got" >&2; return 1; }
}
# returned CODE [FILTER]: blockcall exited 0, the call returned CODE (its
# sonar_strerror name) and its output satisfies FILTER.
returned() {
  [ "$BRC" = 0 ] && jq_true "$B" ".rc == \"$1\" and (${2:-true})" && return 0
  echo "# blockcall exited $BRC: $(head -c 600 "$B") $(head -3 "$TMP/berr")" >&2
  return 1
}
# traced HOPS [FILTER]: the traceroute returned 0 and found exactly HOPS.
traced() { returned Success "${2:-true}" && hops "$B" "$1"; }
# name_error RC MESSAGE: sonar exited RC (2) saying MESSAGE; the blocking
# call returned NameLookupError with the same message.
name_error() {
  [ "$1" = 2 ] && [ -n "$2" ] && returned NameLookupError && grep -qxF "blockcall: $2" "$TMP/berr"
}
# as_nobody_in_c CMD...: CMD in the client namespace as nobody, no capabilities.
as_nobody_in_c() {
  offline ip netns exec "$C" setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups \
    --inh-caps=-all --bounding-set=-all -- "$@"
}

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.202.5.2 rej=10.202.9.9 drop=10.202.8.8 n=10.202
    all="1:$n.1.2 2:$n.2.2 3:$n.3.2 4:$n.4.2 5:$n.5.2"
  else
    dst=fd30:5::2 rej=fd30:9::9 drop=fd30:8::8 n=fd30
    all="1:$n:1::2 2:$n:2::2 3:$n:3::2 4:$n:4::2 5:$n:5::2"
  fi

  # -- traceroute: a clean path, raw and datagram sockets --------------------
  blockcall traceroute -c 3 -W 1 "$dst"
  sonar_in traceroute --privileged -c 3 -W 1 --json "$dst"
  check "IPv$fam sonar_traceroute: returns 0, the five hops of the topology" traced "$all"
  check "IPv$fam sonar_traceroute: every hop 3 of 3" \
    jq_true "$B" '.result | length == 5 and all(.[]; .packets_sent == 3 and .packets_received == 3 and (.rtts | length) == 3)'
  check "IPv$fam sonar_traceroute = sonar traceroute (hops, counts, TTLs, verdicts)" \
    same "[.[] | $HOST]"

  as_nobody_in_c "$BLOCKCALL" traceroute --unprivileged -c 2 -W 1 "$dst" >"$B" 2>"$TMP/berr"
  BRC=$?
  as_nobody_in_c "$SONAR" traceroute --unprivileged -c 2 -W 1 --json "$dst" >"$O" 2>"$E"
  check "IPv$fam sonar_traceroute as nobody (datagram sockets): the five hops" traced "$all"
  check "IPv$fam sonar_traceroute as nobody = sonar traceroute --unprivileged" same "[.[] | $HOST]"

  # -- traceroute towards a rejected prefix: R2 says unreachable -------------
  blockcall traceroute -c 2 -W 1 "$rej"
  sonar_in traceroute --privileged -c 2 -W 1 --json "$rej"
  # (TTL 2 expires at R2 before its forward hook: R2 answers hop 2 with
  # Time Exceeded and hop 3 with the rejection)
  r2=$(echo $all | cut -d' ' -f2 | cut -d: -f2-)
  check "IPv$fam sonar_traceroute to $rej: hops 1, 2, then R2 again at 3 saying DestinationUnreachable" \
    traced "$(echo $all | cut -d' ' -f1-2) 3:$r2" \
    '[.result[] | .error_type] == [null, null, "DestinationUnreachable"]'
  check "IPv$fam sonar_traceroute to $rej = sonar traceroute" same "[.[] | $HOST]"

  # -- ping ------------------------------------------------------------------
  blockcall ping -c 3 -i 0.1 -W 1 "$dst"
  sonar_in ping -c 3 -i 0.1 -W 1 --json "$dst"
  check "IPv$fam sonar_ping: 3 of 3, reply TTL 60 (four routers)" \
    returned Success '.result | .packets_received == 3 and (.rtts | length) == 3 and .reply_ttl == 60 and .is_alive'
  check "IPv$fam sonar_ping = sonar ping" same "$HOST | del(.target)"
  blockcall ping -c 2 -i 0.1 -W 1 "$rej"
  sonar_in ping -c 2 -i 0.1 -W 1 --json "$rej"
  check "IPv$fam sonar_ping to $rej: DestinationUnreachable, 2 sent, none received" \
    returned Success '.result | .error_type == "DestinationUnreachable" and .packets_sent == 2 and .packets_received == 0'
  check "IPv$fam sonar_ping to $rej = sonar ping" same "$HOST | del(.target)"

  # -- multiping: reachable, unreachable, silent, unresolvable, in order -----
  targets="$dst $rej $drop no-such-host.invalid"
  blockcall multiping -c 2 -i 0.1 -W 0.5 $targets
  sonar_in multiping -c 2 -i 0.1 -W 0.5 --json $targets
  check "IPv$fam sonar_multiping: alive, unreachable, timed out, not resolved, in input order" \
    returned Success "[.result[] | [.target, .is_alive, .packets_received, .error_type]] ==
      [[\"$dst\", true, 2, null], [\"$rej\", false, 0, \"DestinationUnreachable\"],
       [\"$drop\", false, 0, \"TimeoutExceeded\"], [\"no-such-host.invalid\", false, 0, \"NameLookupError\"]]"
  check "IPv$fam sonar_multiping = sonar multiping (each target's verdict and counts)" \
    same "[.[] | $HOST]"
done

# -- a name that does not resolve: the call's own return -------------------------
for call in ping traceroute; do
  blockcall $call -c 1 -W 0.5 no-such-host.invalid
  sonar_in $call -c 1 -W 0.5 --json no-such-host.invalid
  msg=$(sed -n 's/^sonar: //p' "$E")
  check "sonar_$call of no-such-host.invalid: NameLookupError, as sonar (exit $RC: $msg)" \
    name_error "$RC" "$msg"
done
check "sonar_traceroute of no-such-host.invalid: no hops to free" returned NameLookupError '.result == []'

# -- a silent router (hop 2) and a lossy link (R3 to R4) ----------------------
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
  chain lossy_forward {
    type filter hook forward priority 0;
    oifname "l4" numgen random mod 100 < 40 drop
  }
}
NFT
for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.202.5.2 silent="1:10.202.1.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else dst=fd30:5::2 silent="1:fd30:1::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"; fi
  blockcall traceroute -c 30 -i 0.02 -W 1 "$dst"
  sonar_in traceroute --privileged -c 30 -i 0.02 -W 1 --json "$dst"
  check "IPv$fam silent hop 2, lossy R3-R4: sonar_traceroute leaves hop 2 out" traced "$silent"
  check "IPv$fam ... hops 1 and 3 answer all 30, hops 4 and 5 lose some, not all" \
    jq_true "$B" '.result | ([.[] | select(.distance <= 3) | .packets_received] == [30, 30]) and ([.[] | select(.distance >= 4) | .packet_loss > 0 and .packet_loss < 1] == [true, true])'
  check "IPv$fam ... = sonar traceroute (exact counts on hops 1 and 3)" \
    same "[.[] | $HOST | $LOSSY]"
done

finish
