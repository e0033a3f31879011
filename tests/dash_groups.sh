#!/bin/bash
# tests/dash_groups.sh - groups of the targets file in the dashboard,
# through tmux: "[name]" lines make a header row above their targets,
# Space collapses and expands the selected target's group, o sorts within
# each group (the groups keep the file's order), K moves a target within
# its group, s writes the file back with its groups and comments as they
# were. Loopback only, inside a network namespace of its own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip tmux

dash_lab groups
keys() { $TM send-keys -t 0 "$@"; }
# lines: the table's lines from the first target on, the first word of each
# ("[-]" for a header: then its name's words too, up to "N targets")
lines() { tm_screen | awk 'NR > 2 && NF { if ($1 ~ /^\[[-+]\]$/) { sub(/  [0-9]+ targets?.*/, ""); print } else print $1 }' | grep -v '^ ' | head -"${1:-8}" | tr '\n' '|'; }

cat >"$TMP/targets" <<'TARGETS'
# the lab's groups
127.0.0.1

[loopback v4]   # two more of them
127.0.0.3
# the second
127.0.0.2

[v6]
::1
# the end
TARGETS
cp "$TMP/targets" "$TMP/targets.orig"

tm_start "ip netns exec $NS env LANG=C.UTF-8 $SONAR -i 0.2 -F $TMP/targets; echo EXITED rc=\$?; sleep 120" 150 30
check "the rows appear" tm_wait '^::1 ' 5
check "a header line above each group, the rows of none first ($(lines 6))" \
  eval '[ "$(lines 6)" = "127.0.0.1|[-] loopback v4|127.0.0.3|127.0.0.2|[-] v6|::1|" ]'
check "the header counts its targets" tm_wait '^\[-\] loopback v4  2 targets' 2
keys o
check "o: sorted by name" tm_wait 'sort: name' 3
check "... within each group ($(lines 6))" \
  eval '[ "$(lines 6)" = "127.0.0.1|[-] loopback v4|127.0.0.2|127.0.0.3|[-] v6|::1|" ]'
keys O
check "O: reversed within each group, the groups in their order ($(lines 6))" until_ok 3 eval \
  '[ "$(lines 6)" = "127.0.0.1|[-] loopback v4|127.0.0.3|127.0.0.2|[-] v6|::1|" ]'
keys O
for i in 1 2 3 4 4 5 6 7 8 9 10 11 12 13 14; do keys o; tm_screen | grep -q 'sort: manual' && break; done
check "o back to the manual order" tm_wait 'sort: manual' 3
# select 127.0.0.2 (the third target), collapse its group
keys Down Down
keys Space
check "Space collapses the selected target's group ($(lines 4))" until_ok 3 eval \
  '[ "$(lines 4)" = "127.0.0.1|[+] loopback v4|[-] v6|::1|" ]'
keys Down
keys Space
check "Down from the collapsed header: v6's row; Space collapses v6 ($(lines 3))" until_ok 3 eval \
  '[ "$(lines 3)" = "127.0.0.1|[+] loopback v4|[+] v6|" ]'
keys Up Space
check "Up to the first header, Space expands it ($(lines 5))" until_ok 3 eval \
  '[ "$(lines 5)" = "127.0.0.1|[-] loopback v4|127.0.0.3|127.0.0.2|[+] v6|" ]'
# the selection went to loopback v4's first row in the display (127.0.0.3?)
keys Home
keys Space
check "Space on a target of no group says so" tm_wait 'this target is in no group' 3
keys Down Down K
check "K moves 127.0.0.2 up within its group ($(lines 5))" until_ok 3 eval \
  '[ "$(lines 5)" = "127.0.0.1|[-] loopback v4|127.0.0.2|127.0.0.3|[+] v6|" ]'
keys K
check "K again: already first of its group, it stays ($(lines 5))" until_ok 3 eval \
  '[ "$(lines 5)" = "127.0.0.1|[-] loopback v4|127.0.0.2|127.0.0.3|[+] v6|" ]'
keys J
check "J: back ($(lines 5))" until_ok 3 eval \
  '[ "$(lines 5)" = "127.0.0.1|[-] loopback v4|127.0.0.3|127.0.0.2|[+] v6|" ]'
keys s
check "s saves" tm_wait 'saved 4 targets' 3
check "the file as it was: groups, comments, order (and sonar's first line)" \
  eval '[ "$(cat "$TMP/targets")" = "$(printf "# sonar targets, one per line\n"; cat "$TMP/targets.orig")" ]'
diff <(printf "# sonar targets, one per line\n"; cat "$TMP/targets.orig") "$TMP/targets" | sed 's/^/# /'
keys a
keys '127.0.0.4' Enter
check "a target added by a grouped row joins its group" tm_wait 'added 127\.0\.0\.4' 3
keys s
check "s saves it there" tm_wait 'saved 5 targets' 3
check "... after the group's rows" \
  eval 'grep -A1 -x "127.0.0.2" "$TMP/targets" | tail -1 | grep -qx 127.0.0.4'
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
# a bad group line: FILE:LINE: why
printf '127.0.0.1\n[]\n' >"$TMP/bad"
tm_start "$SONAR -F $TMP/bad 2>$TMP/bad.err; echo EXITED rc=\$?; sleep 60" 120 20
check "an empty group name: exit 3" tm_wait '^EXITED rc=3' 5
check "... as FILE:LINE: why ($(cat "$TMP/bad.err"))" grep -qx "sonar: $TMP/bad:2: a group needs a name: \[name\]" "$TMP/bad.err"
finish
