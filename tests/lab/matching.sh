#!/bin/bash
# tests/lab/matching.sh - replies are credited only to the probe they answer.
#
# The target's kernel echo replies are off; tests/lab/responder answers
# instead and sends bogus packets before each genuine reply: a corrupted
# payload, a wrong identifier, a wrong sequence, the right reply from the
# wrong source, a cut packet, a bad checksum, and duplicates after it.
# sonar's counts must equal the truth: no phantom replies, no lost real ones.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip jq setpriv nft
. "$top_srcdir/tests/lab/topology.sh"
. "$top_srcdir/tests/lab/respond.sh"

for fam in 4 6; do
  if [ $fam = 4 ]; then
    dst=10.201.2.2 alt=10.201.2.3 bogus=corrupt,badsum,wrongid,wrongseq,wrongsrc,short,oversized,fakeerror
  else
    # the kernel computes ICMPv6 checksums for raw sockets: no badsum
    dst=fd20:2::2 alt=fd20:2::3 bogus=corrupt,wrongid,wrongseq,wrongsrc,short,oversized,fakeerror
  fi
  for priv in privileged unprivileged; do
    run() {
      if [ $priv = privileged ]; then
        inC "$SONAR" ping --privileged "$@"
      else
        as_nobody_in "$C" "$SONAR" ping --unprivileged "$@"
      fi
    }

    respond $fam
    run -c 4 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
    stop_responder
    check "IPv$fam $priv: the responder answers (4 of 4)" \
      jq_true "$O" '.packets_received == 4 and .duplicates == 0'

    respond $fam --extra dup
    run -c 5 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
    stop_responder
    # The last probe's duplicate may come after the ping ended (it ends on
    # the last reply, as icmplib and ping(8) do): 4 or 5 duplicates.
    check "IPv$fam $priv: duplicates counted as duplicates, not received (5 + 4-5 dup)" \
      jq_true "$O" '.packets_sent == 5 and .packets_received == 5 and .duplicates >= 4 and .duplicates <= 5 and .packet_loss == 0 and (.rtts|length) == 5'

    respond $fam --extra "$bogus" --alt-source "$alt"
    run -c 5 -i 0.1 -W 1 --json "$dst" >"$O" 2>"$E"
    stop_responder
    check "IPv$fam $priv: bogus replies ($bogus) ignored, real ones counted" \
      jq_true "$O" '.packets_received == 5 and .duplicates == 0 and .packet_loss == 0 and .error == null'

    respond $fam --no-reply --extra "$bogus" --alt-source "$alt"
    run -c 5 -i 0.1 -W 0.5 --json "$dst" >"$O" 2>"$E"
    stop_responder
    check "IPv$fam $priv: only bogus replies: no phantom, loss 1.0, no error taken from a forged one [$(jq -c '{packets_sent, packets_received, duplicates, error_type, error}' "$O" 2>/dev/null) $(head -c 200 "$E")]" \
      jq_true "$O" '.packets_received == 0 and .duplicates == 0 and .packet_loss == 1 and .is_alive == false and .error_type == "TimeoutExceeded"'

    # None under the delay, whatever the load; how close to it (on an idle
    # machine: within 1 ms of iputils ping) is tests/bench/delay_accuracy.sh:
    # on a loaded one the responder itself answers late (40-180 ms seen).
    respond $fam --delay-ms 40
    run -c 4 -i 0.05 -W 1 --json "$dst" >"$O" 2>"$E"
    stop_responder
    check "IPv$fam $priv: 40 ms answers measured as 40 ms or more, never less [$(jq -c '.rtts' "$O" 2>/dev/null)]" \
      jq_true "$O" '.packets_received == 4 and .min_rtt >= 40 and .max_rtt < 1000'
  done
done

# The dashboard's continuous mode under the same barrage: its counts are the
# truth (received = sent, but for a probe still in flight), no error shown.
need tmux
respond 4 --extra corrupt,badsum,wrongid,wrongseq,wrongsrc,short,oversized,fakeerror,dup \
  --alt-source 10.201.2.3
TM="tmux -L sonar-match-$$ -f /dev/null"
$TM new-session -d -x 160 -y 20 \
  "ip netns exec $C env SONAR_THEMES=$top_srcdir/themes $SONAR -i 0.1 10.201.2.2; sleep 30"
# fifteen probes or more sent (1.5 s at -i 0.1)
sent15() { [ "$($TM capture-pane -p -t 0 | awk '$1 == "10.201.2.2" {print $4}')" -ge 15 ] 2>/dev/null; }
wait_until 10 sent15
row=$($TM capture-pane -p -t 0 | awk '$1 == "10.201.2.2"')
tm_down
stop_responder
snt=$(echo "$row" | awk '{print $4}') rcv=$(echo "$row" | awk '{print $5}')
snt=${snt:-0} rcv=${rcv:-0}
check "dashboard, continuous, under forged replies: Rcv $rcv of Snt $snt, loss 0.0%, no error" \
  sh -c "[ $snt -ge 15 ] && [ $rcv -le $snt ] && [ $rcv -ge $((snt - 1)) ] && echo '$row' | grep -q ' 0.0% ' && ! echo '$row' | grep -qi 'exceeded\|unreach'"

# A reply later than the timeout is lost, not credited late.
dst=10.201.2.2
respond 4 --delay-ms 300
inC "$SONAR" ping -c 2 -i 0.1 -W 0.2 --json 10.201.2.2 >"$O" 2>"$E"
stop_responder
check "reply after the timeout: counted lost, not received" \
  jq_true "$O" '.packets_sent == 2 and .packets_received == 0 and .error_type == "TimeoutExceeded"'

finish
