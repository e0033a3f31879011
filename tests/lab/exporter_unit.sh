#!/bin/bash
# tests/lab/exporter_unit.sh - contrib/systemd/sonar-exporter.service as
# systemd would run it.
#
# The unit passes `systemd-analyze verify` and asks for what the README
# promises (DynamicUser, CAP_NET_RAW ambient and nothing else). Its
# ExecStart, as written (--listen :9374), runs in a namespace of the
# test's own as an unprivileged user whose only privilege is an ambient
# CAP_NET_RAW, with no_new_privs: it opens raw sockets, then holds no
# capability at all; it serves on IPv4 and IPv6 loopback; its ExecReload
# (SIGHUP) rereads the targets file. Bounded: 90 s.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 90 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip curl setpriv systemd-analyze timeout
# the unit as make made it from contrib/systemd/sonar-exporter.service.in
UNIT=${top_builddir:-$top_srcdir}/contrib/systemd/sonar-exporter.service
N=sonar-xu-$$
TMP=$(mktemp -d)
XPID=
cleanup() {
  { [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null
  ns_remove "$N"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

sed "s|^ExecStart=[^ ]*/sonar |ExecStart=$SONAR |" "$UNIT" >"$TMP/sonar-exporter.service"
check "systemd-analyze verify accepts the unit" \
  env SYSTEMD_LOG_LEVEL=err systemd-analyze verify --man=no "$TMP/sonar-exporter.service"
check "the unit runs as a dynamic user" grep -qx 'DynamicUser=yes' "$UNIT"
check "its one capability is CAP_NET_RAW (ambient, and the bounding set)" \
  sh -c "grep -qx 'AmbientCapabilities=CAP_NET_RAW' '$UNIT' && grep -qx 'CapabilityBoundingSet=CAP_NET_RAW' '$UNIT' &&
    [ \$(grep -c 'Capabilit' '$UNIT') = 2 ] && ! grep -qE '^(User|Group)=' '$UNIT'"
check "it reloads with SIGHUP" grep -qx 'ExecReload=/bin/kill -HUP $MAINPID' "$UNIT"

# ExecStart as written, its file in the test's directory
cmd=$(sed -n 's/^ExecStart=//p' "$UNIT" | sed "s|^[^ ]*/sonar |$SONAR |; s|/etc/sonar/exporter.targets|$TMP/targets|")
chmod 755 "$TMP"
echo 127.0.0.1 >"$TMP/targets"
chmod 644 "$TMP/targets"
ip netns add "$N" && ip -n "$N" link set lo up
check "a namespace of the test's own, lo up ($N)" [ $? = 0 ]
# shellcheck disable=SC2086
ip netns exec "$N" setpriv --reuid="$NOBODY" --regid="$NOGROUP" --clear-groups \
  --inh-caps=-all,+net_raw --ambient-caps=+net_raw --bounding-set=-all,+net_raw --no-new-privs \
  -- $cmd 2>"$TMP/err" &
XPID=$!
m() { ip netns exec "$N" curl -s --max-time 5 "$1"; }
check "it serves on 127.0.0.1:9374" \
  wait_until 30 sh -c "ip netns exec $N curl -sf http://127.0.0.1:9374/-/healthy >/dev/null"
check "and on [::1]:9374 (--listen :9374: both families)" \
  sh -c "ip netns exec $N curl -sf 'http://[::1]:9374/-/healthy' >/dev/null"
check "127.0.0.1 answers its probes" \
  until_ok 20 sh -c "ip netns exec $N curl -s http://127.0.0.1:9374/metrics | grep -qE '^smokeping_response_duration_seconds_count\{host=\"127.0.0.1\".*\} [1-9]'"
check "it probes through a raw socket (CAP_NET_RAW was used)" \
  sh -c "[ \$(awk 'NR > 1' /proc/$XPID/net/raw | wc -l) -ge 1 ]"
check "then it holds no capability: effective, permitted, ambient all 0" \
  sh -c "grep -E '^Cap(Eff|Prm|Amb):' /proc/$XPID/status | awk '{ if (\$2 != \"0000000000000000\") bad = 1 } END { exit bad }'"
check "it runs as the user it was given" [ "$(stat -c %U "/proc/$XPID")" = "$NOBODY" ]
printf '127.0.0.1\n127.0.0.2\n' >"$TMP/targets"
kill -HUP "$XPID" # ExecReload
check "ExecReload (SIGHUP) rereads the file as that user: 127.0.0.2 joins" \
  until_ok 20 sh -c "ip netns exec $N curl -s http://127.0.0.1:9374/metrics | grep -q 'host=\"127.0.0.2\"'"
check "it logs to stderr" grep -q 'exporter listening on :9374' "$TMP/err"
[ "$FAIL" != 0 ] && sed 's/^/# exporter: /' "$TMP/err"
finish
