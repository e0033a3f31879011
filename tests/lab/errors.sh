#!/bin/bash
# tests/lab/errors.sh - ICMP errors that quote a genuine probe.
#
# The target's kernel echo replies are off; tests/lab/responder answers
# instead, and before each genuine reply sends an ICMP error quoting that
# very request (its id, sequence, payload and destination):
# - Destination Unreachable, then the reply: the reply overrides the error
#   (the host is alive; not a duplicate, not a loss, no error left);
# - Destination Unreachable and no reply: the error stays, the ping ends;
# - Source Quench (IPv4), then the reply: RFC 6633 retired Source Quench,
#   and a forged one quoting a guessable id must not suppress real replies;
# - in a traceroute, a Parameter Problem from the destination at TTL 2: an
#   answer for that hop, not the end of the path (TTL 3's reply is).
# Raw and datagram sockets, IPv4 and IPv6.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft
. "$top_srcdir/tests/lab/topology.sh"
. "$top_srcdir/tests/lab/respond.sh"

for fam in 4 6; do
  [ $fam = 4 ] && dst=10.201.2.2 || dst=fd20:2::2
  for priv in privileged unprivileged; do
    run() {
      cmd=$1
      shift
      if [ $priv = privileged ]; then
        inC timeout 20 "$SONAR" "$cmd" --privileged "$@"
      else
        as_nobody_in "$C" timeout 20 "$SONAR" "$cmd" --unprivileged "$@"
      fi
    }

    # only the error, never a reply: the ping ends (each probe at its
    # deadline, the error provisional until then) and keeps the error
    respond $fam --no-reply --extra unreachfirst
    start=$(date +%s%N)
    run ping -c 3 -i 0.1 -W 0.5 --json "$dst" >"$O" 2>"$E"
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    stop_responder
    kept=$(jq '.packets_sent == 3 and .packets_received == 0 and .error_type == "DestinationUnreachable"' "$O" 2>/dev/null)
    check "IPv$fam $priv: only Destination Unreachable: exit 1 in $ms ms, 0 of 3, the error kept [$(jq -c '{packets_sent, packets_received, error_type}' "$O" 2>/dev/null)]" \
      sh -c "[ $rc = 1 ] && [ $ms -lt 10000 ] && [ '$kept' = true ]"

    respond $fam --extra unreachfirst
    run ping -c 4 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
    stop_responder
    check "IPv$fam $priv: Destination Unreachable then the reply: the reply counts (4 of 4, no duplicate, no error) [$(jq -c '{packets_received, duplicates, error_type}' "$O" 2>/dev/null)]" \
      jq_true "$O" '.packets_received == 4 and .duplicates == 0 and .packet_loss == 0 and (.error_type // null) == null'

    if [ $fam = 4 ]; then
      respond $fam --extra quench
      run ping -c 4 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
      stop_responder
      check "IPv4 $priv: a Source Quench quoting the probe is not credited (4 of 4, no duplicate, no error) [$(jq -c '{packets_received, duplicates, error_type}' "$O" 2>/dev/null)]" \
        jq_true "$O" '.packets_received == 4 and .duplicates == 0 and (.error_type // null) == null'
    fi

    respond $fam --extra paramprobttl1
    run traceroute -c 1 -m 6 -W 1 --json "$dst" >"$O" 2>"$E"
    stop_responder
    check "IPv$fam $priv: a Parameter Problem at TTL 2 does not end the trace: the reply at TTL 3 does [$(jq -c '[.[] | [.distance, .address]]' "$O" 2>/dev/null)]" \
      jq_true "$O" 'length == 3 and .[-1].distance == 3 and .[-1].address == "'"$dst"'" and .[1].distance == 2'
  done
done
finish
