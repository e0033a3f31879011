#!/bin/bash
# tests/dashboard.sh - the dashboard in a real terminal (tmux): read the
# screen with capture-pane, drive it with keys. Loopback targets only.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need tmux

TMP=$(mktemp -d)
TM="tmux -L sonar-test-$$ -f /dev/null"
trap 'tm_down; rm -rf "$TMP"' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
# the test's own config directory, never the developer's
unset XDG_CONFIG_HOME

# start ARGS...: sonar in a fresh 150x30 pane; after it exits the pane
# shows its exit code and whether the terminal is back in canonical mode.
start() {
  tm_start "$ENVS $SONAR $*; echo EXITED rc=\$?; stty -a | tr ' ;' '\n\n' | grep -xE -- '-?(icanon|echo)' | tr '\n' ' '; echo; sleep 120"
}
screen() { tm_screen; }
wait_for() { tm_wait "$@"; }
keys() { $TM send-keys -t 0 "$@"; }
# sent TARGET: the Snt column of TARGET's row.
sent() { screen | awk -v t="$1" '$1 == t {print $4; exit}'; }

ENVS="LANG=C.UTF-8"
start -i 0.1 127.0.0.1 ::1 localhost
check "rows for the three targets appear" wait_for '^localhost +127\.0\.0\.1 ' 5
check "names resolve without blocking (localhost -> 127.0.0.1)" wait_for '^localhost +127\.0\.0\.1 +0\.0%'
s1=$(sent 127.0.0.1)
# advanced TARGET N: TARGET's Snt is above N
advanced() { [ "$(sent "$1")" -gt "${2:-0}" ] 2>/dev/null; }
wait_until 5 advanced 127.0.0.1 "$s1"
s2=$(sent 127.0.0.1)
check "counters advance ($s1 -> $s2 probes)" [ "${s2:-0}" -gt "${s1:-0}" ]
check "RTTs to the microsecond (0.0xx, not 0)" sh -c "$TM capture-pane -p -t 0 | grep -E '^127\.0\.0\.1 ' | grep -qE ' 0\.[0-9]{3} '"
check "UTF-8 history cells" sh -c "$TM capture-pane -p -t 0 | grep -q '▁'"

keys a
check "a opens the line editor" wait_for '^Add target:'
keys 'not a host!' Enter
check "a bad name is refused with a message" wait_for "is not a host name or an address"
keys C-u 127.0.0.7 Enter
check "a added target appears" wait_for '^127\.0\.0\.7 +127\.0\.0\.7 '
check "the added target is being pinged (Rcv above 0)" wait_for '^127\.0\.0\.7 +127\.0\.0\.7 +[0-9.]+% +[0-9]+ +[1-9]'

# bücher.de: the ü as its UTF-8 bytes, whatever tmux's own locale
keys a b
$TM send-keys -t 0 -H c3 bc
check "non-ASCII in the editor is refused with a message" wait_for 'only ASCII'
keys cher.de Enter
check "... the entry keeps a mark where it was (b?cher.de) and is not taken" \
  wait_for "'b\?cher\.de' is not a host name"
check "... and nothing with the letter dropped is added (bcher.de)" sh -c "! $TM capture-pane -p -t 0 | grep -qE '^bcher\.de|added bcher'"
keys Escape
sleep 0.1 # a key right after Esc is Alt+key, as in tmux (escape-time)
keys e C-u 127.0.0.8 Enter
check "e edits the selected target: 127.0.0.7 becomes 127.0.0.8" wait_for '^127\.0\.0\.8 +127\.0\.0\.8 '
check "the edited target is the only new row" sh -c "! $TM capture-pane -p -t 0 | grep -q '^127\.0\.0\.7 '"
# first_of A B: which of the rows A and B comes first on the screen
first_of() { screen | grep -E "^($1|$2) " | head -1 | cut -d' ' -f1; }
above() { [ "$(first_of "$1" "$2")" = "$1" ]; }
no_row() { ! screen | grep -q "^$1 "; }
keys K
check "K moves it up (above localhost)" wait_until 5 above 127.0.0.8 localhost
keys J
check "J moves it back down" wait_until 5 above localhost 127.0.0.8
keys d
check "d removes the selected target" wait_until 5 no_row 127.0.0.8
check "three targets left" wait_for ' 3 targets '

keys Enter
check "Enter opens the path view of the selected target" wait_for 'path to (localhost|127\.0\.0\.1|::1) '
check "the path view shows hop 1 with its columns" wait_for '^ 1\. +(127\.0\.0\.1|::1) +0\.0%'
keys Escape
check "Esc returns to the table" wait_for ' 3 targets '

keys T
check "T changes the theme" wait_for 'theme: dark'
keys o
check "o sorts" wait_for 'sort: name'
keys '?'
check "? shows the keys" wait_for 'Up/Down, j/k'
$TM resize-window -t 0 -x 80 -y 24 2>/dev/null
check "80x24: the help is taller than the screen: its first page, said so" \
  wait_for 'Keys  \(rows 1-[0-9]+ of [0-9]+\)'
check "... the legend below the page is not shown yet" sh -c "! $TM capture-pane -p -t 0 | grep -q 'ICMP error'"
keys NPage
check "PgDn scrolls the help to its end: the legend" wait_for 'lost  ! ICMP error'
$TM resize-window -t 0 -x 150 -y 30 2>/dev/null
keys x
check "any key closes the help" wait_for '^Target '
keys p
check "p pauses" wait_for 'PAUSED'
keys '+'
check "+ halves the interval" wait_for 'every 0\.05s'
keys s
check "s saves the targets" wait_for "saved 3 targets to $TMP/.config/sonar/targets"
check "the saved file lists the targets" grep -qx '::1' "$TMP/.config/sonar/targets"

$TM resize-window -t 0 -x 100 -y 20 2>/dev/null
check "a resize reflows the table (100 columns)" wait_for '^localhost '
$TM resize-window -t 0 -x 30 -y 5 2>/dev/null
check "a terminal too small says so" wait_for 'too small'
$TM resize-window -t 0 -x 10 -y 3 2>/dev/null
check "a 10x3 terminal: the message, cut to fit, no crash" wait_for '^terminal t'
check "... and still running" sh -c "pgrep -f '^$SONAR -i 0.1 127.0.0.1' >/dev/null"
$TM resize-window -t 0 -x 150 -y 30 2>/dev/null
check "back to size: the table again" wait_for '^Target '

keys q
check "q exits with 0" wait_for '^EXITED rc=0'
check "the shell gets its terminal back (icanon echo)" wait_for '^icanon echo'

# Ctrl-C also restores the terminal.
start -i 0.2 127.0.0.1
wait_for '^127\.0\.0\.1 ' >/dev/null
keys C-c
check "Ctrl-C exits and restores the terminal" wait_for '^icanon echo'

# A fatal signal also gives the terminal back before the process dies.
start -i 0.2 127.0.0.1
wait_for '^127\.0\.0\.1 ' >/dev/null
kill -SEGV "$(pgrep -n -f "^$SONAR -i 0.2 127.0.0.1")" 2>/dev/null
check "SIGSEGV: the terminal is restored (icanon echo)" wait_for '^icanon echo'

# ASCII under LANG=C; a broken theme falls back with FILE:LINE; NO_COLOR.
mkdir -p "$TMP/themes"
cp "$top_srcdir"/themes/*.theme "$TMP/themes/"
printf 'row = red\nbogus = blue\n' >"$TMP/themes/broken.theme"
ENVS="LANG=C SONAR_THEMES=$TMP/themes"
start -i 0.1 --theme broken 127.0.0.1
check "a theme with an error: FILE:LINE on the status line" \
  wait_for "broken\.theme:2: unknown slot 'bogus'; using the default theme"
check "LANG=C: ASCII history cells" wait_for '^127\.0\.0\.1 .*\.\.\.$'
keys q
wait_for '^EXITED rc=0' >/dev/null

# T walks the theme files in order by an index: a theme whose name = is not
# its file name, or a broken one, neither sends T back to the first theme
# nor hides the ones after it.
sed 's/^name = .*/name = Fancy/' "$top_srcdir/themes/dark.theme" >"$TMP/themes/a-first.theme"
start -i 0.5 --theme a-first 127.0.0.1
check "a theme named differently from its file: its name in the title" wait_for 'theme: Fancy'
keys T
check "T after it: the next file (broken: FILE:LINE, the default meanwhile)" \
  wait_for "broken\.theme:2: unknown slot 'bogus'; using the default theme"
keys T
check "T after the broken theme: the next file (dark), not one past 'default'" wait_for 'theme: dark'
keys T T T T T
check "T five more times (high-contrast light mono default): back to the first file" wait_for 'theme: Fancy'
keys q
ENVS="LANG=C.UTF-8 NO_COLOR=1"
start -i 0.2 -F "$TMP/.config/sonar/targets"
check "-F loads the saved list; NO_COLOR gives mono" wait_for 'theme: mono'
keys q
wait_for '^EXITED rc=0' >/dev/null

# Under a locale that writes numbers with a decimal comma (de_DE, made
# here: LOCPATH), the dashboard keeps decimal points (it takes LC_CTYPE
# only) and still draws UTF-8; a target named in Unicode shows as typed.
# The names go to a DNS server on loopback where nothing listens.
mkdir -p "$TMP/locale"
check "(a comma locale is made: localedef -i de_DE -f UTF-8)" \
  localedef -i de_DE -f UTF-8 "$TMP/locale/de_DE.UTF-8"
ENVS="LOCPATH=$TMP/locale LC_ALL=de_DE.UTF-8"
start -i 0.1 --dns-server 127.0.0.1:9 127.0.0.1 bücher.example
check "LC_ALL=de_DE.UTF-8: -i 0.1 is read as a number (it was refused: strtod took a comma)" \
  wait_for '^127\.0\.0\.1 +127'
keys +
check "LC_ALL=de_DE.UTF-8: the title says 'every 0.05s', not 0,05" wait_for 'every 0\.05s '
check "... the message 'probing every 0.05 s'" wait_for 'probing every 0\.05 s'
check "... RTTs with a point (0.0xx)" sh -c "$TM capture-pane -p -t 0 | grep -E '^127\.0\.0\.1 ' | grep -qE ' 0\.[0-9]{3} '"
check "... and UTF-8 history cells (LC_CTYPE from LC_ALL)" sh -c "$TM capture-pane -p -t 0 | grep -q '▁'"
check "... a name in Unicode shows as typed (bücher.example)" wait_for '^bücher\.example '
keys q
wait_for '^EXITED rc=0' >/dev/null

# Alt-keys and pasted text are not table commands: Alt-d in the editor
# neither closes it nor deletes the selected target; a two-line paste into
# the add prompt adds both lines, and nothing of it runs as keys.
ENVS="LANG=C.UTF-8"
start -i 0.5 127.0.0.1 127.0.0.2
wait_for '^127\.0\.0\.2 +127' >/dev/null
keys a M-d z
# z is typed after Alt-d: once it shows, Alt-d has been read
check "Alt-d in the editor: the editor stays open" wait_for '^Add target: .*z'
check "Alt-d in the editor: no target removed" wait_for ' 2 targets '
keys C-u
$TM set-buffer -b sonar $'127.0.0.21\n127.0.0.22\n'
$TM paste-buffer -p -b sonar -t 0
check "a two-line paste into the add prompt adds the first line" wait_for '^127\.0\.0\.21 +127'
check "... and the second" wait_for '^127\.0\.0\.22 +127'
check "... and runs nothing as keys (still the table, 4 targets)" wait_for ' 4 targets '
keys Escape M-q '?'
# ? is sent after Alt-q: once its help shows, Alt-q has been read
help_not_exited() { wait_for 'Up/Down, j/k' 5 && ! screen | grep -q '^EXITED'; }
check "Alt-q on the table is not q" help_not_exited
keys x
wait_for '^Target ' >/dev/null
keys q
wait_for '^EXITED rc=0' >/dev/null

# A paste with a bad line: the good lines are added and the refusal is said
# when the paste ends; spaces around a name are not part of it; a paste's
# end marker split over two reads still ends the paste.
ENVS="LANG=C.UTF-8"
start -i 0.5 127.0.0.1
wait_for '^127\.0\.0\.1 +127' >/dev/null
keys a
$TM set-buffer -b sonar $'127.0.0.23\nbad name!\n127.0.0.24 \n'
$TM paste-buffer -p -b sonar -t 0
check "a paste with a bad line: the good lines are added, one with a trailing space" wait_for ' 3 targets '
check "... and the refusal is said when the paste ends" wait_for '2 added, 1 refused'
keys Escape a '127.0.0.25 ' Enter
check "a typed name with a trailing space is added" wait_for ' 4 targets '
keys a
$TM send-keys -t 0 -l $'\e[200~127.0.0.26\n\e[20'
sleep 0.3 # the measurement: the marker's two halves in two reads
$TM send-keys -t 0 -l '1~'
check "a paste whose end marker came in two reads: the line added" wait_for '^127\.0\.0\.26 +127'
keys Escape
sleep 0.3 # a key right after Esc is Alt+key, as in tmux (escape-time)
keys q
check "... and the paste ended: Esc closed the prompt, q quits" wait_for '^EXITED'

# A terminal that goes away with no SIGHUP (the dashboard in a session of
# its own): it notices and exits instead of spinning on a dead stdin.
tm_start "setsid -w env ASAN_OPTIONS=detect_leaks=0 LANG=C.UTF-8 $SONAR -i 1 127.0.0.1; sleep 30"
wait_for '^127\.0\.0\.1 +127' >/dev/null
pid=$(pgrep -n -f "^$SONAR -i 1 127\.0\.0\.1\$")
$TM kill-server
alive() { [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
for i in $(seq 50); do alive "$pid" || break; sleep 0.1; done
check "the terminal gone without a SIGHUP: the dashboard exits (pid ${pid:-none})" \
  sh -c "[ -n '$pid' ] && ! { [ -d /proc/$pid ] && [ \"\$(awk '{print \$3}' /proc/$pid/stat 2>/dev/null)\" != Z ]; }"
[ -n "$pid" ] && kill -KILL "$pid" 2>/dev/null

# Targets added (or resolved) after p or +/- follow the dashboard's pause
# and interval, not the ones it started with.
ENVS="LANG=C.UTF-8"
start -i 0.1 127.0.0.1
wait_for '^127\.0\.0\.1 +127' >/dev/null
keys p
wait_for 'PAUSED' >/dev/null
keys a 127.0.0.9 Enter a localhost Enter
check "added while paused: the rows appear" wait_for '^localhost +127\.0\.0\.1 '
sleep 1 # the measurement: ten intervals in which nothing may be sent
check "added while paused: an address is not probed ($(sent 127.0.0.9) sent)" [ "$(sent 127.0.0.9)" = 0 ]
check "added while paused: a resolved name is not probed ($(sent localhost) sent)" [ "$(sent localhost)" = 0 ]
keys p - - -
check "resumed, every 0.8 s" wait_for 'every 0\.8s'
keys a 127.0.0.10 Enter
wait_for '^127\.0\.0\.10 ' >/dev/null
sleep 2 # the measurement: the probes of 2 s, at 0.8 s and not 0.1 s
check "added after -: probed every 0.8 s, not 0.1 s ($(sent 127.0.0.10) sent in 2 s)" \
  [ "$(sent 127.0.0.10)" -le 4 ]
keys q
wait_for '^EXITED rc=0' >/dev/null

# A narrow terminal: the capture pane's "N older packets skipped" note and
# its keys are both shown, neither drawn over the other (the keys covered
# the note at 80 columns; at 50x6 the pane did not show). The dashboard's
# own probes before c are the skipped backlog.
ENVS="LANG=C.UTF-8"
start -i 0.05 127.0.0.1
wait_for '^127\.0\.0\.1 +127' >/dev/null
$TM resize-window -t 0 -x 80 -y 24 2>/dev/null
sleep 1
keys c
check "80x24, pane opened late: the skipped note is shown" wait_for '[1-9][0-9]* older packets skipped'
check "... and so are the pane's keys" wait_for 'c close  f filter  Space freeze'
$TM resize-window -t 0 -x 50 -y 6 2>/dev/null
check "50x6: the pane shows, with the skipped note" wait_for '^ capture .*[1-9][0-9]* older packets skipped'
check "... and the pane's keys" wait_for 'c close  f filter'
keys q
wait_for '^EXITED rc=0' >/dev/null

# With the capture pane open the table has fewer rows: moving the selection
# (End, PgUp, Up) keeps it on the rows that are shown.
for i in $(seq 1 40); do echo "127.6.0.$i"; done >"$TMP/forty"
start -i 1 -F "$TMP/forty"
wait_for '^127\.6\.0\.1 ' >/dev/null
keys c
check "c opens the capture pane" wait_for '^ capture: '
keys End
check "pane open, End: the last target is on screen" wait_for '^127\.6\.0\.40 '
# the selected row is drawn in reverse video (the default theme)
selected() { $TM capture-pane -e -p -t 0 | grep -E $'^(\e\\[[0-9;]*m)*\e\\[([0-9]+;)*7m(\e\\[[0-9;]*m)*127\\.6\\.0\\.' | grep -oE '127\.6\.0\.[0-9]+' | head -1; }
check "pane open, End: the selected row is shown ($(selected))" [ "$(selected)" = 127.6.0.40 ]
# PgUp moves one page of the rows shown (the page is the rows on screen
# less one), not a page of the whole screen's height
shown=$($TM capture-pane -p -t 0 | grep -cE '^127\.6\.0\.')
want=$((40 - (shown - 1)))
selected_is() { [ "$(selected)" = "$1" ]; }
keys PPage
wait_until 5 selected_is "127.6.0.$want"
check "pane open, PgUp: one page of the $shown shown rows up, to 127.6.0.$want ($(selected))" \
  [ "$(selected)" = "127.6.0.$want" ]
want=$((want - (shown - 1)))
keys PPage
wait_until 5 selected_is "127.6.0.$want"
check "pane open, PgUp again: to 127.6.0.$want, still shown ($(selected))" [ "$(selected)" = "127.6.0.$want" ]
keys q
wait_for '^EXITED rc=0' >/dev/null

# Editing a row whose name is still resolving: the old name's answer comes
# first (slowdns.py answers old.lab after 1.2 s, new.lab after 1.4 s) and
# must not be taken for the new name.
need python3
python3 "$top_srcdir/tests/slowdns.py" "$TMP/dnsport" old.lab=127.0.20.1@1.2 \
  new.lab=127.0.20.2@1.4 &
DNS_PID=$!
trap 'kill $DNS_PID 2>/dev/null; tm_down; rm -rf "$TMP"' EXIT
wait_until 5 test -s "$TMP/dnsport"
ENVS="LANG=C.UTF-8"
start -i 0.2 --dns-server "127.0.0.1:$(cat "$TMP/dnsport")" old.lab
check "old.lab is resolving (slowly)" wait_for '^old\.lab +resolvi'
keys e C-u new.lab Enter
check "the edited row waits for its new name" wait_for '^new\.lab +(resolvi|127\.0\.20\.)' 5
# the first address the row shows (the old name's answer comes first)
wait_for '^new\.lab +127\.0\.20\.' 5 >/dev/null
check "... and gets the new name's address, not the old name's late answer" \
  sh -c "$TM capture-pane -p -t 0 | grep -qE '^new\.lab +127\.0\.20\.2 '"
keys q
wait_for '^EXITED rc=0' >/dev/null

# The saved list: with no targets given the dashboard opens it; s saves it
# under XDG_CONFIG_HOME when set, and so are themes found there. Run in a
# namespace of this test's own: were the saved list not read, the default
# targets (gateways, nameservers) must not be probed from here.
NS=sonar-dash-$$
ip netns add "$NS" && ip -n "$NS" link set lo up
trap 'kill $DNS_PID 2>/dev/null; tm_down; ip netns del "$NS" 2>/dev/null; rm -rf "$TMP"' EXIT
XDG=$TMP/xdg
mkdir -p "$XDG/sonar/themes"
printf '127.0.0.31\n127.0.0.32\n' >"$XDG/sonar/targets"
sed 's/^name = .*/name = xdgtheme/' "$top_srcdir/themes/dark.theme" >"$XDG/sonar/themes/xdgtheme.theme"
ENVS="ip netns exec $NS env -u SONAR_THEMES LANG=C.UTF-8 XDG_CONFIG_HOME=$XDG"
start -i 0.2 --theme xdgtheme
check "no targets given: the saved list opens (XDG_CONFIG_HOME/sonar/targets)" \
  wait_for '^127\.0\.0\.32 +127'
check "... and only it (2 targets)" wait_for ' 2 targets '
check "a theme in XDG_CONFIG_HOME/sonar/themes is found" wait_for 'theme: xdgtheme'
keys a 127.0.0.33 Enter
wait_for '^127\.0\.0\.33 ' >/dev/null
keys s
check "s saves to XDG_CONFIG_HOME/sonar/targets" wait_for "saved 3 targets to $XDG/sonar/targets"
check "... the file has the added target" grep -qx '127.0.0.33' "$XDG/sonar/targets"
keys q
wait_for '^EXITED rc=0' >/dev/null
ENVS="LANG=C.UTF-8"

# -F with a path longer than PATH_MAX is refused, not cut to a shorter
# path that names another file (here: one that exists).
long=$TMP
while [ ${#long} -lt 3900 ]; do long=$long/$(printf 'd%.0s' $(seq 1 100)); done
mkdir -p "$long"
cut=$long/$(printf 'f%.0s' $(seq 1 $((4095 - ${#long} - 1))))
echo 127.0.0.41 >"$cut"
check "(the file the cut path names exists)" [ -s "$cut" ]
start -i 0.2 -F "${cut}xyz"
check "a -F path of $((${#cut} + 3)) bytes: an error, not the file its first 4,095 bytes name" \
  wait_for 'EXITED rc=[1-9]'
check "... saying why (too long)" sh -c "$TM capture-pane -p -J -t 0 | grep -q 'File name too long'"

# 80 targets, more than multiping's default 50 at a time: every one probed.
for i in $(seq 1 80); do echo "127.5.0.$i"; done >"$TMP/many"
ENVS="LANG=C.UTF-8"
tm_start "$SONAR -i 0.2 -F $TMP/many; sleep 60" 150 100
probed80() { [ "$(screen | awk '$1 ~ /^127\.5\./ && $4 > 0' | wc -l)" = 80 ]; }
check "80 targets: every row is probed (none stuck at 0 sent)" wait_until 10 probed80
keys q

# Without a terminal it refuses, before sending anything.
"$SONAR" 127.0.0.1 </dev/null >"$TMP/out" 2>"$TMP/err"
check "no terminal: exit 3 with a clear line" sh -c "[ $? = 3 ] && grep -q 'needs a terminal' '$TMP/err'"
finish
