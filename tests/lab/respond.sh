# tests/lab/respond.sh - tests/lab/responder in the lab's target namespace,
# its kernel's echo replies off (sourced after topology.sh).
#
#   respond FAMILY ARGS...   start it answering as $dst; wait until it listens
#   stop_responder           end it
RESPONDER=${RESPONDER:-$top_builddir/tests/lab/responder}
[ -x "$RESPONDER" ] || { not_ok "responder not built ($RESPONDER)"; finish; }
inT sysctl -qw net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1

respond() {
  fam=$1
  shift
  : >"$TMP/resp.out"
  # not through a shell function: $! must be the responder itself
  ip netns exec "$T" timeout 30 "$RESPONDER" "-$fam" --source "$dst" --seconds 20 "$@" \
    >"$TMP/resp.out" 2>"$TMP/resp.err" &
  RESP=$!
  wait_until 5 grep -q ready "$TMP/resp.out" 2>/dev/null
}
stop_responder() { kill "$RESP" 2>/dev/null; wait "$RESP" 2>/dev/null; }
