#!/bin/bash
# tests/lab/trace_wait.sh - a one-shot traceroute gives a silent hop up once
# later hops have answered (traceroute -w MAX,HERE,NEAR), instead of waiting
# the whole timeout; the hops found are the same. In the namespaces of
# tests/lab/path_topology.sh, router 2 silent, IPv4 and IPv6, privileged
# and not. The bounds are loose on purpose: a 30 s MAX done in under 10 s
# is the adaptive wait at work however loaded the machine is, and the old
# behaviour (HERE and NEAR 0) can never be faster than its MAX.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft

. "$top_srcdir/tests/lab/path_topology.sh"
O=$TMP/out E=$TMP/err

# timed VAR CMD...: run CMD, its wall time in ms into VAR, its status in RC.
timed() {
  local var=$1 t0
  shift
  t0=$(date +%s%N)
  "$@"
  RC=$?
  printf -v "$var" '%d' $((($(date +%s%N) - t0) / 1000000))
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

for fam in 4 6; do
  if [ $fam = 4 ]; then dst=10.202.5.2 w="1:10.202.1.2 3:10.202.3.2 4:10.202.4.2 5:10.202.5.2"
  else dst=fd30:5::2 w="1:fd30:1::2 3:fd30:3::2 4:fd30:4::2 5:fd30:5::2"; fi

  timed ms inC "$SONAR" traceroute --privileged -w 30 --json "$dst" >"$O" 2>"$E"
  echo "# IPv$fam adaptive, MAX 30 s: ${ms} ms"
  check "IPv$fam adaptive wait: exit 0" [ $RC = 0 ]
  check "IPv$fam adaptive wait: the silent hop missing, the others found" expect_hops "$O" "$w"
  check "IPv$fam adaptive wait: done long before MAX (${ms} ms < 10,000)" [ "$ms" -lt 10000 ]
  check "IPv$fam adaptive wait: every hop that answered answered both probes" \
    jq_true "$O" 'all(.[]; .packets_sent == 2 and .packets_received == 2)'

  timed ms inC setpriv --reuid=nobody --regid="$NOGROUP" --clear-groups --inh-caps=-all \
    --bounding-set=-all -- "$SONAR" traceroute --unprivileged -w 30 --json "$dst" >"$O" 2>"$E"
  check "IPv$fam unprivileged adaptive wait: exit 0, ${ms} ms < 10,000" \
    [ $RC = 0 -a "$ms" -lt 10000 ]
  check "IPv$fam unprivileged adaptive wait: the same hops" expect_hops "$O" "$w"

  # icmplib's wait (HERE and NEAR 0): the silent hop costs all of MAX
  timed ms inC "$SONAR" traceroute --privileged -w 2,0,0 --json "$dst" >"$O" 2>"$E"
  check "IPv$fam -w 2,0,0 waits the whole 2 s for the silent hop (${ms} ms)" \
    [ $RC = 0 -a "$ms" -ge 2000 ]
  check "IPv$fam -w 2,0,0: the same hops" expect_hops "$O" "$w"

  # mtr's report: one line per TTL, ??? for the silent one
  inC "$SONAR" traceroute --report "$dst" >"$O" 2>"$E"
  RC=$?
  check "IPv$fam --report: exit 0, a Start line and mtr's header" \
    sh -c "[ $RC = 0 ] && head -1 '$O' | grep -q '^Start: ' && sed -n 2p '$O' | grep -qE '^HOST: .*Loss% +Snt +Last +Avg +Best +Wrst +StDev +Jitter$'"
  check "IPv$fam --report: TTL 2 is ??? at 100% of 2 probes" \
    grep -qE '^  2\.\|-- \?\?\? +100\.0% +2 ' "$O"
  check "IPv$fam --report: TTLs 1, 3, 4, 5 at 0% of 2, Best <= Avg <= Wrst" \
    sh -c "awk '\$1 ~ /^[0-9]+\.\|--\$/ && \$2 != \"???\" {n++; if (\$3 != \"0.0%\" || \$4 != 2 || \$7 > \$6 || \$6 > \$8) bad++} END {exit !(n == 4 && !bad)}' '$O'"
done
ip netns exec "${NODES[2]}" nft delete table inet silent

# -- HERE: a hop that answers one probe of two ------------------------------------
# Router 3 drops every other Time Exceeded it sends: asked for HERE (and
# NEAR off), its lost probe is given up after HERE times its answered one.
nft_in "${NODES[3]}" <<'NFT'
table inet half {
  chain out {
    type filter hook output priority 0;
    icmp type time-exceeded numgen inc mod 2 == 0 drop
    icmpv6 type time-exceeded numgen inc mod 2 == 0 drop
  }
}
NFT
timed ms inC "$SONAR" traceroute --privileged -w 30,3,0 --json 10.202.5.2 >"$O" 2>"$E"
check "half-answering hop 3, HERE 3 (-w 30,3,0): exit 0, ${ms} ms < 10,000" [ $RC = 0 -a "$ms" -lt 10000 ]
check "half-answering hop 3: 2 sent, 1 received; the other hops 2 of 2" \
  jq_true "$O" '([.[] | select(.distance == 3) | [.packets_sent, .packets_received]] == [[2, 1]]) and all(.[] | select(.distance != 3); .packets_received == 2)'
ip netns exec "${NODES[3]}" nft delete table inet half

# -- the option's errors ------------------------------------------------------------
refused() { [ "$1" = 3 ] && grep -q 'invalid wait' "$2"; }
"$SONAR" traceroute --report --json 127.0.0.1 >"$O" 2>"$E"
RC=$?
check "--report with --json: exit 3, refused" sh -c "[ $RC = 3 ] && grep -q 'report' '$E'"
for bad in 1,2,3,4 1,,3 ,1 1, x 0 1,x 1,-1 1,1001; do
  "$SONAR" traceroute -w "$bad" 127.0.0.1 >"$O" 2>"$E"
  RC=$?
  check "-w $bad: exit 3 with a message naming the wait" refused "$RC" "$E"
done

finish
