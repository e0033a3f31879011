# tests/lib.sh - helpers for sonar's script tests (sourced, POSIX sh + bash).
#
# Every test prints "ok - ..." or "not ok - ..." per check and ends with the
# line "N passed, N failed"; its exit status is 0 only when nothing failed.
# Tests that need root or namespaces FAIL without them, never skip: CI runs
# as root, and a silent skip would hide a broken lab.

: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${SONAR:=$top_builddir/sonar}"
PASS=0
FAIL=0

ok() { PASS=$((PASS + 1)); echo "ok - $*"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $*"; }

# check DESCRIPTION COMMAND...: pass when COMMAND succeeds.
check() {
  desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# finish: print the closing line and exit with the verdict.
finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
  exit $?
}

# wait_until SECONDS CMD...: run CMD every 0.05 s until it succeeds, for
# SECONDS (a whole number) at most; its status is CMD's last. Waits on a
# condition (a process ready, a file written, a screen drawn) end as soon
# as it holds, so the bound can be generous for a loaded machine.
wait_until() {
  local _limit=$1 _i
  shift
  for _i in $(seq 1 $((_limit * 20))); do
    "$@" && return 0
    sleep 0.05
  done
  "$@"
}

# need CMD...: fail the whole test when a tool is missing.
need() {
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || {
      not_ok "required tool '$c' is missing (./run.sh installs it)"
      finish
    }
  done
}

# need_root: fail (not skip) when not root.
need_root() {
  if [ "$(id -u)" != 0 ]; then
    not_ok "this test needs root (raw sockets, network namespaces); CI runs as root"
    finish
  fi
}

# run_sonar OUT ERR ARGS...: run sonar, keep stdout/stderr, set RC.
run_sonar() {
  _out=$1 _err=$2
  shift 2
  "$SONAR" "$@" >"$_out" 2>"$_err"
  RC=$?
}

# offline CMD...: run CMD where names resolve from /etc/hosts only (a mount
# namespace with its own nsswitch.conf): a look-up of a name that does not
# exist (no-such-host.invalid) never waits on the machine's real resolver.
offline() {
  printf 'hosts: files\n' >"${TMPDIR:-/tmp}/sonar-nsswitch.$$"
  unshare -m sh -c 'mount --bind "$1" /etc/nsswitch.conf && shift && exec "$@"' \
    sh "${TMPDIR:-/tmp}/sonar-nsswitch.$$" "$@"
  _rc=$?
  rm -f "${TMPDIR:-/tmp}/sonar-nsswitch.$$"
  return $_rc
}

# jq_true FILE FILTER: the JSON in FILE satisfies FILTER: jq's last output
# is `true`. (jq 1.6's -e exits 0 when there is no JSON at all, as when
# sonar printed nothing or a bare newline: that must fail.)
jq_true() {
  local out
  out=$(jq "$2" "$1" 2>/dev/null) && [ "$(printf '%s\n' "$out" | tail -n 1)" = true ]
}

# A user that owns nothing and has no privileges, for least-privilege tests.
NOBODY=nobody
NOGROUP=$(id -gn nobody 2>/dev/null || echo nogroup)
# as_nobody CMD...: run CMD as nobody, with no capabilities.
as_nobody() {
  setpriv --reuid="$NOBODY" --regid="$NOGROUP" --clear-groups --inh-caps=-all \
    --bounding-set=-all -- "$@"
}

# ns_remove NS...: stop whatever runs in each namespace, then delete it.
ns_remove() {
  local ns pids
  for ns in "$@"; do
    pids=$(ip netns pids "$ns" 2>/dev/null)
    [ -n "$pids" ] && kill $pids 2>/dev/null
    ip netns del "$ns" 2>/dev/null
  done
}

# The tmux pane of a test ($TM is its tmux command, with its own socket).
tm_screen() { $TM capture-pane -p -t 0 2>/dev/null; }
# tm_wait PATTERN [SECONDS]: until the pane shows PATTERN (ERE); on a
# timeout, show the screen in the log.
tm_wait() {
  local i
  for i in $(seq 1 $((${2:-5} * 20))); do
    tm_screen | grep -qE -- "$1" && return 0
    sleep 0.05
  done
  echo "# screen when waiting for /$1/:" >&2
  tm_screen | head -12 | sed 's/^/#   /' >&2
  return 1
}
# tm_descendants PID: every process below PID.
tm_descendants() {
  local c
  for c in $(pgrep -P "$1"); do
    echo "$c"
    tm_descendants "$c"
  done
}

# tm_down: end the tmux server and everything its panes ran. A program that
# has not exited 3 s later is killed (an ASan build's leak check can spin
# at exit on this kernel, holding a core): nothing outlives its test.
tm_down() {
  local pids p alive i
  pids=$($TM list-panes -a -F '#{pane_pid}' 2>/dev/null)
  for p in $pids; do pids="$pids $(tm_descendants "$p")"; done
  $TM kill-server 2>/dev/null
  for i in $(seq 30); do
    alive=""
    for p in $pids; do
      [ -d "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] && alive="$alive $p"
    done
    [ -z "$alive" ] && return 0
    sleep 0.1
  done
  echo "# tm_down: killed what did not exit:$alive" >&2
  kill -KILL $alive 2>/dev/null
  return 0
}

# tm_start COMMAND [WIDTH HEIGHT]: a fresh tmux server running COMMAND in one
# pane (a server on its way out may refuse the first try).
tm_start() {
  local i
  tm_down
  for i in 1 2 3 4 5 6 7 8; do
    $TM new-session -d -x "${2:-150}" -y "${3:-30}" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# until_ok SECONDS CMD...: until CMD succeeds, polling every 0.1 s; false
# when SECONDS pass without (a wait for a condition, with a bound).
until_ok() {
  local i n=$(($1 * 10))
  shift
  for i in $(seq 1 "$n"); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# dash_lab NAME: what a dashboard test on loopback needs: TMP, a network
# namespace NS of its own with lo up, a tmux server TM of its own, HOME in
# TMP (XDG_CONFIG_HOME unset: nothing of the user's is read or written) and
# the tree's themes; all removed at exit, also on a signal (and a signal
# during the clean-up does not cut it short). A failed namespace fails the
# test.
dash_lab() {
  TMP=$(mktemp -d)
  NS=sonar-$1-$$
  TM="tmux -L sonar-$1-$$ -f /dev/null"
  trap 'trap "" INT TERM; tm_down; ns_remove "$NS"; rm -rf "$TMP"' EXIT
  trap 'exit 1' INT TERM
  if ! { ip netns add "$NS" && ip -n "$NS" link set lo up; } 2>"$TMP/ns.log"; then
    not_ok "namespace setup: $(cat "$TMP/ns.log")"
    finish
  fi
  export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
  unset XDG_CONFIG_HOME
}
