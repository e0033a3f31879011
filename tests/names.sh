#!/bin/bash
# tests/names.sh - names are the resolver's to judge, as in icmplib: a name
# with '_' that /etc/hosts knows (systemd's _gateway, service-style
# labels) resolves and is pinged, a name in Unicode is looked up as IDNA;
# what no resolver can take (spaces, control characters, over 253
# characters) is refused at once,
# and a name nobody knows fails with exit 2. Runs in a mount namespace of
# its own with a private /etc/hosts, so no query leaves the machine.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need unshare jq timeout
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cat >"$TMP/hosts" <<'HOSTS'
127.0.0.1 localhost
127.0.0.5 _gateway
127.0.0.6 under_score.lab _svc._tcp.lab
127.0.0.7 xn--bcher-kva.lab
HOSTS
# in_ns CMD...: run CMD with the private /etc/hosts (and files only).
printf 'hosts: files\n' >"$TMP/nsswitch.conf"
in_ns() {
  timeout 20 unshare -m sh -c 'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"' \
    sh "$TMP/hosts" "$TMP/nsswitch.conf" "$@"
}

in_ns "$SONAR" ping -c 1 -W 1 --json _gateway >"$TMP/out" 2>"$TMP/err"
check "sonar ping _gateway (from /etc/hosts) answers from 127.0.0.5 (exit $?; $(head -c 120 "$TMP/err"))" \
  jq_true "$TMP/out" '.address == "127.0.0.5" and .packets_received == 1'
in_ns "$SONAR" multiping -c 1 -W 1 --json under_score.lab _svc._tcp.lab >"$TMP/out" 2>"$TMP/err"
check "sonar multiping under_score.lab _svc._tcp.lab: both resolve and answer (exit $?)" \
  jq_true "$TMP/out" '[.[] | select(.is_alive)] | length == 2 and .[0].address == "127.0.0.6"'
in_ns "$SONAR" traceroute -c 1 -W 1 --json _gateway >"$TMP/out" 2>"$TMP/err"
check "sonar traceroute _gateway reaches 127.0.0.5 at hop 1 (exit $?)" \
  jq_true "$TMP/out" '.[0].address == "127.0.0.5" and .[0].distance == 1'

in_ns "$SONAR" ping -c 1 -W 1 no-such-name.lab >"$TMP/out" 2>"$TMP/err"
rc=$?
check "a name the resolver does not know: exit 2, 'cannot be resolved' (exit $rc)" \
  sh -c "[ $rc = 2 ] && grep -q 'cannot be resolved' '$TMP/err'"
# A name in Unicode goes to the resolver as IDNA, as icmplib's does.
LC_ALL=C.UTF-8 in_ns "$SONAR" ping -c 1 -W 1 --json bücher.lab >"$TMP/out" 2>"$TMP/err"
check "sonar ping bücher.lab: resolved as xn--bcher-kva.lab, 127.0.0.7 answers (exit $?; $(head -c 120 "$TMP/err"))" \
  jq_true "$TMP/out" '.address == "127.0.0.7" and .packets_received == 1'
for bad in 'two words' "$(printf 'tab\there')" "$(printf 'del\177x')" "$(head -c 300 /dev/zero | tr '\0' a)"; do
  start=$(date +%s%N)
  in_ns "$SONAR" ping -c 1 -W 1 "$bad" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  check "refused without asking a resolver: '$(printf '%.20s' "$bad")' exit 2 in $ms ms" \
    sh -c "[ $rc = 2 ] && grep -q 'cannot be resolved' '$TMP/err'"
done
finish
