#!/bin/bash
# tests/dash_theme.sh - theme colours on the terminal: the dashboard runs
# in tmux (TERM=xterm-256color), T walks every theme, and for each one the
# SGR escapes of specific cells (`tmux capture-pane -p -e`) must be the
# colours and attributes its file under themes/ declares for the cell's
# slot: title, header, a row, the selected row, addresses (dim), the
# status line and a message, loss in the good / warning / bad colours, a
# lost probe and a fast one in the history, an error on a row.
# tests/sgr.py reads both, independently of sonar's own parser.
# Loopback only, inside a network namespace of its own:
#   127.0.0.1, 127.0.0.2  answer          (0.0%: good)
#   127.0.0.3             never answers   (100%: bad; lost cells)
#   127.0.0.4             loses its first probe only (under 5%: warning)
# (requests dropped on their way in, so sending them does not fail)
#   10.99.0.1             an unreachable route: sending fails (error)
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip nft tmux python3

TMP=$(mktemp -d)
NS=sonar-theme-$$
TM="tmux -L sonar-theme-$$ -f /dev/null"
# (a signal during the clean-up must not cut it short)
trap 'trap "" INT TERM; tm_down; ns_remove "$NS"; rm -rf "$TMP"' EXIT
trap 'exit 1' INT TERM
ns_up() {
  set -e
  ip netns add "$NS"
  ip -n "$NS" link set lo up
  ip -n "$NS" route add unreachable 10.99.0.0/16
  ip netns exec "$NS" nft -f - <<'NFT'
table ip theme {
  chain in {
    type filter hook input priority 0;
    ip daddr 127.0.0.3 icmp type echo-request drop
    ip daddr 127.0.0.4 icmp type echo-request numgen inc mod 1000 == 0 drop
  }
}
NFT
  set +e
}
if ! (ns_up) >"$TMP/ns.log" 2>&1; then
  not_ok "namespace setup: $(tr '\n' ' ' <"$TMP/ns.log")"
  finish
fi
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME
keys() { $TM send-keys -t 0 "$@"; }
col() { tm_screen | awk -v t="$1" -v n="$2" '$1 == t {print $n; exit}'; }
theme_now() { tm_screen | sed -n '1s/.*theme: \([^ ]*\).*/\1/p'; }
title_sgr() { $TM capture-pane -p -e -t 0 | head -1 | grep -oE $'^(\e\\[[0-9;]*m)+'; }

tm_start "ip netns exec $NS env LANG=C.UTF-8 TERM=xterm-256color $SONAR -i 0.1 -W 1 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 10.99.0.1; echo EXITED rc=\$?; sleep 120" 160 30
check "the rows appear" tm_wait '^10\.99\.0\.1 ' 5
# 127.0.0.4 under 5% needs 21 probes done (one lost)
check "127.0.0.4 has sent 25 probes" until_ok 20 eval '[ "$(col 127.0.0.4 4)" -ge 25 ] 2>/dev/null'
check "preconditions: 127.0.0.2 0.0%, 127.0.0.3 100%, 127.0.0.4 above 0 and under 5% ($(col 127.0.0.4 3)), 10.99.0.1 an error" \
  until_ok 5 eval '[ "$(col 127.0.0.2 3)" = 0.0% ] && [ "$(col 127.0.0.3 3)" = 100% ] &&
    awk -v l="$(col 127.0.0.4 3)" "BEGIN {l += 0; exit !(l > 0 && l < 5)}" &&
    tm_screen | grep -qE "^10\\.99\\.0\\.1 .*(unreachable|Unreachable)"'

# The cells, as tests/sgr.py finds them: SLOT LINE COLUMN.
CELLS='title 0 1
header 1 0
selected ^127\.0\.0\.1  0
row ^127\.0\.0\.2  /^\S+ +\S+ +\S+ +([0-9])/
dim ^127\.0\.0\.2  /^\S+ +(1)/
good ^127\.0\.0\.2  /(0\.0%)/
history-1 ^127\.0\.0\.2  /(▁)/
bad ^127\.0\.0\.3  /(100%)/
lost ^127\.0\.0\.3  /(×)/
warning ^127\.0\.0\.4  /([0-9]\.[0-9]%)/
error ^10\.99\.0\.1  /([Uu]nreachable)/
status -1 0'

seen="" prev_title="" first=""
for i in 1 2 3 4 5 6 7 8 9 10; do
  name=$(theme_now)
  [ "$name" = "$first" ] && break
  [ -z "$first" ] && first=$name
  seen="$seen $name"
  file=$top_srcdir/themes/$name.theme
  if [ ! -f "$file" ]; then
    echo "# theme '$name' is not one of themes/*.theme (installed elsewhere): not judged"
  else
    cells=$CELLS
    # after T, its message ("theme: NAME") is on the status line
    [ "$i" -gt 1 ] && cells="$cells
message -1 /^ (t)heme: /"
    $TM capture-pane -p -e -t 0 >"$TMP/screen"
    printf '%s\n' "$cells" | python3 "$top_srcdir/tests/sgr.py" "$TMP/screen" "$file" >"$TMP/verdict" 2>&1
    rc=$?
    sed "s/^/# $name: /" "$TMP/verdict"
    check "theme $name: every cell has its slot's colours and attributes from $name.theme" [ $rc = 0 ]
  fi
  t=$(title_sgr | cat -v)
  [ -n "$prev_title" ] && check "T changed the title's escape codes ($prev_title -> $t)" [ "$t" != "$prev_title" ]
  prev_title=$t
  keys T
  until_ok 5 eval '[ "$(theme_now)" != "$name" ]'
done
# all_seen NAME...: every NAME is one of the themes seen.
all_seen() {
  local t
  for t in "$@"; do case " $seen " in *" $t "*) ;; *) return 1 ;; esac; done
}
check "T walked the five themes and came back to the first ($seen)" \
  all_seen default dark high-contrast light mono
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
finish
