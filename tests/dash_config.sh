#!/bin/bash
# tests/dash_config.sh - the configuration file ($XDG_CONFIG_HOME/sonar/config,
# else ~/.config/sonar/config) through tmux: its interval, theme, alert
# threshold, bell, log and on-alert are the dashboard's defaults; the
# command line wins over each; a bad file is refused as FILE:LINE: why
# (exit 3). Loopback only, inside a network namespace of its own.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need ip tmux

dash_lab config
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/xdg
mkdir -p "$HOME/.config/sonar" "$XDG_CONFIG_HOME/sonar"

# start ARGS...: the dashboard in the namespace, in a fresh 150x30 pane.
start() {
  tm_start "ip netns exec $NS env LANG=C.UTF-8 $SONAR $* 2>$TMP/err; echo EXITED rc=\$?; sleep 120" 150 30
}
keys() { $TM send-keys -t 0 "$@"; }
title() { tm_screen | head -1; }

cat >"$XDG_CONFIG_HOME/sonar/config" <<CONF
# the defaults of this test
interval = 0.25
theme = mono
# loopback's RTT is over it: an alert
alert-rtt = 0.0001
log = $TMP/events.json
on-alert = echo "\$SONAR_EVENT \$SONAR_TARGET" >> $TMP/cmd.log
CONF
# HOME's is not read while XDG_CONFIG_HOME is set (absolute)
printf 'theme = light\n' >"$HOME/.config/sonar/config"

start 127.0.0.1
check "the file's interval: every 0.25s" tm_wait '^ sonar  1 targets  every 0\.25s ' 5
check "the file's theme: mono (not HOME's light)" tm_wait 'theme: mono ' 2
check "the file's alert-rtt: the row is in alert" tm_wait '^127\.0\.0\.1 .* ALERT avg ' 5
check "the file's on-alert ran" until_ok 5 grep -qx 'alert 127.0.0.1' "$TMP/cmd.log"
check "the file's log has it" until_ok 5 grep -q '"event":"alert","target":"127.0.0.1"' "$TMP/events.json"
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# the command line wins, key by key
rm -f "$TMP/cmd.log"
start -i 0.5 --theme dark --alert-rtt 10000 --on-alert "'echo cli >> $TMP/cmd.log'" --alert-down 1 127.0.0.1
check "-i 0.5 over the file's interval" tm_wait 'every 0\.5s ' 5
check "--theme dark over the file's theme" tm_wait 'theme: dark ' 2
check "the row answers" tm_wait '^127\.0\.0\.1 +127\.0\.0\.1 +0\.0% +[1-9]' 5
check "--alert-rtt 10000 over the file's: no alert" eval '! tm_screen | grep -q ALERT'
check "--on-alert over the file's: only the command line's ran (up)" until_ok 5 eval \
  '[ "$(cat "$TMP/cmd.log" 2>/dev/null)" = cli ]'
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# without XDG_CONFIG_HOME: HOME's
start_home() {
  tm_start "ip netns exec $NS env -u XDG_CONFIG_HOME LANG=C.UTF-8 $SONAR $* 2>$TMP/err; echo EXITED rc=\$?; sleep 120" 150 30
}
start_home 127.0.0.1
check "no XDG_CONFIG_HOME: ~/.config/sonar/config (light)" tm_wait 'theme: light ' 5
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# columns and window: as --columns and --window, unless those are given
printf 'columns = LSM\nwindow = 20\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "the file's columns: Loss%, Snt, p50 only" tm_wait '^Target +Address +Loss% +Snt +p50 *History' 5
check "the file's window: over the last 20" tm_wait 'last 20' 5
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
start --columns LA 127.0.0.1
check "--columns LA over the file's" tm_wait '^Target +Address +Loss% +Avg *History' 5
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# C saves the columns it takes into the file: its line replaced, the rest kept
printf '# mine\ncolumns = LSM\nwindow = 20\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "the file's columns again" tm_wait '^Target +Address +Loss% +Snt +p50 *History' 5
keys C C-u 'loss,avg,p95' Enter
check "C loss,avg,p95: said saved, with the file" \
  tm_wait "columns: LAQ, saved in $XDG_CONFIG_HOME/sonar/config" 5
check "the file has them, its other lines as they were" \
  eval '[ "$(cat "$XDG_CONFIG_HOME/sonar/config")" = "$(printf "# mine\ncolumns = LAQ\nwindow = 20")" ]'
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
start 127.0.0.1
check "the next start shows the saved columns" tm_wait '^Target +Address +Loss% +Avg +p95 *History' 5
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5

# alert-rtt on a percentile: loopback's p50 is over 0.0001 ms
printf 'alert-rtt = 0.0001@p50\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "alert-rtt = 0.0001@p50: the row in alert on its p50" tm_wait '^127\.0\.0\.1 .* ALERT p50 ' 5
keys q
check "q exits with 0" tm_wait '^EXITED rc=0' 5
printf '# thresholds\nalert-rtt = 20@p200\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "alert-rtt = 20@p200: exit 3" tm_wait '^EXITED rc=3' 5
check "... as FILE:LINE: why ($(cat "$TMP/err"))" \
  grep -q "^sonar: $XDG_CONFIG_HOME/sonar/config:2: alert-rtt '20@p200': after '@', avg or a percentile" "$TMP/err"
printf 'window = 600\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "a window the dashboard refuses (600 > 512): exit 3, the file named ($(cat "$TMP/err"))" \
  sh -c "$(declare -f tm_wait tm_screen); TM='$TM'; tm_wait '^EXITED rc=3' 5 && grep -q '$XDG_CONFIG_HOME/sonar/config:1: window' '$TMP/err'"

# a bad file: FILE:LINE: why, exit 3
printf 'interval = 1\n\nbell = loud\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "a bad value: exit 3" tm_wait '^EXITED rc=3' 5
check "... as FILE:LINE: why ($(cat "$TMP/err"))" \
  grep -qx "sonar: $XDG_CONFIG_HOME/sonar/config:3: bell: expected yes or no" "$TMP/err"
printf 'intreval = 1\n' >"$XDG_CONFIG_HOME/sonar/config"
start 127.0.0.1
check "an unknown key: exit 3" tm_wait '^EXITED rc=3' 5
check "... named, with its line ($(cat "$TMP/err"))" \
  grep -qx "sonar: $XDG_CONFIG_HOME/sonar/config:1: unknown key 'intreval'" "$TMP/err"
finish
