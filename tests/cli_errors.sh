#!/bin/bash
# tests/cli_errors.sh - bad input, all of it listed here: options (every one:
# empty, wrong type, out of range), target files, names, theme files and a
# tiny terminal (in the dashboard, through tmux). One clear line on stderr each
# (or on the status line), the
# documented exit code (fping's), never a crash.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
O=$TMP/out E=$TMP/err

# expect CODE PATTERN ARGS...: exit CODE, one stderr line matching PATTERN.
expect() {
  want=$1 pat=$2
  shift 2
  offline "$SONAR" "$@" >"$O" 2>"$E"
  rc=$?
  if [ $rc != "$want" ]; then
    not_ok "sonar $* -> exit $rc, want $want ($(head -c 200 "$E"))"
  elif [ "$(wc -l <"$E")" != 1 ] || ! grep -qE "$pat" "$E"; then
    not_ok "sonar $* -> stderr not one line matching /$pat/: $(head -c 300 "$E")"
  else
    ok "sonar $* -> exit $want: $(cat "$E")"
  fi
}

expect 3 'count' ping -c -1 127.0.0.1
expect 3 'count' ping -c abc 127.0.0.1
expect 3 'count' ping -c '' 127.0.0.1
expect 3 'count' ping -c 99999999999999999999 127.0.0.1
expect 3 'interval' ping -i -1 127.0.0.1
expect 3 'interval' ping -i nan 127.0.0.1
expect 3 'timeout' ping -W -1 127.0.0.1
expect 3 'timeout' ping -W 0 127.0.0.1
expect 3 'payload size' ping -s 70000 127.0.0.1
expect 3 'pacing' multiping --pacing -1 127.0.0.1
expect 3 'pacing' multiping --pacing x 127.0.0.1
expect 3 'pacing' multiping --pacing '' 127.0.0.1
expect 3 'pacing' multiping --pacing 90000 127.0.0.1
expect 3 'payload size' ping -s -5 127.0.0.1
expect 3 'ttl' ping -t 0 127.0.0.1
expect 3 'ttl' ping -t 300 127.0.0.1
expect 3 'traffic class' ping -Q 256 127.0.0.1
expect 3 'id' ping --id 70000 127.0.0.1
expect 3 'payload' ping --payload zz 127.0.0.1
expect 3 'payload' ping --payload abc 127.0.0.1
expect 3 'payload' ping --payload 'de ad' 127.0.0.1
expect 3 'source' ping -I not-an-address 127.0.0.1
expect 3 'unknown option' ping --bogus 127.0.0.1
# each names its own help: "see sonar --help" for the dashboard (not "sonar  --help")
expect 3 "unknown option '--bogus' \\(see sonar ping --help\\)\$" ping --bogus 127.0.0.1
expect 3 "unknown option '--bogus' \\(see sonar --help\\)\$" --bogus 127.0.0.1
expect 3 "unknown option '--bogus' \\(see sonar capture --help\\)\$" capture --bogus
expect 3 'needs a value' ping 127.0.0.1 -c
expect 3 'needs a TARGET' ping
expect 3 'one TARGET' ping 127.0.0.1 ::1
expect 3 'needs a terminal' frobnicate
# the exporter: judged before it listens (nothing here binds a port)
expect 3 'needs TARGETs or -F FILE' exporter
expect 3 "listen address 'nope': expected ADDR:PORT" exporter --listen nope 127.0.0.1
expect 3 'port must be 1-65535' exporter --listen 127.0.0.1:0 127.0.0.1
expect 3 'port must be 1-65535' exporter --listen 127.0.0.1:99999 127.0.0.1
expect 3 'an IPv6 address goes in brackets' exporter --listen ::1:9374 127.0.0.1
expect 3 'not an IP address' exporter --listen localhost:9374 127.0.0.1
expect 3 'each bound must be above the one before' exporter --buckets 0.1,0.05 127.0.0.1
expect 3 "'x' is not a positive number" exporter --buckets 0.1,x 127.0.0.1
expect 3 'at most 32' exporter --buckets "$(seq -s, 1 33)" 127.0.0.1
expect 3 'do not apply' exporter -c 3 127.0.0.1
expect 3 'do not apply' exporter --json 127.0.0.1
expect 3 'standard input cannot be' exporter -F -
expect 3 'port' exporter tcp://127.0.0.1:99999
expect 3 "trace udp://.*without its" exporter --trace "udp://[::1"
expect 3 'needs a value' exporter 127.0.0.1 --listen
expect 2 "The name 'no-such-host.invalid' cannot be resolved" ping -c 1 no-such-host.invalid
expect 2 "cannot be resolved" ping -c 1 'bad name!'
expect 2 "cannot be resolved" ping -c 1 999.1.1.1
# icmplib: family chooses among a name's addresses; a literal is what it is
"$SONAR" ping -6 -c 1 -W 1 --json 127.0.0.1 >"$O" 2>"$E"
check "sonar ping -6 127.0.0.1 pings 127.0.0.1 over IPv4, as icmplib does (exit $?)" \
  jq_true "$O" '.address == "127.0.0.1" and .packets_received == 1'

# multiping
expect 3 'needs TARGETs' multiping
expect 3 'concurrent tasks' multiping --concurrent-tasks 0 127.0.0.1
expect 3 'concurrent tasks' multiping --concurrent-tasks x 127.0.0.1
expect 3 'No such file' multiping -F /nonexistent/list
printf '127.0.0.1\nfoo bar\n' >"$TMP/bad1"
expect 3 "$TMP/bad1:2: one target per line" multiping -F "$TMP/bad1"
head -c 300 /dev/zero | tr '\0' a >"$TMP/bad2"
expect 3 "$TMP/bad2:1: too long" multiping -F "$TMP/bad2"
printf 'a\001b\n' >"$TMP/bad3"
expect 3 "$TMP/bad3:1: .*printable" multiping -F "$TMP/bad3"
expect 3 'count' multiping -c -1 127.0.0.1
expect 3 'unknown option' multiping --max-hops 3 127.0.0.1

# target files that are not: 10 MB of random bytes, 10 MB of comments, a
# 100,000-character line, a 300-character name
head -c 10485760 /dev/urandom >"$TMP/random"
expect 3 "$TMP/random:[0-9]+: " multiping -F "$TMP/random"
yes '# nothing but a comment, over and over' | head -c 10485760 >"$TMP/comments"
expect 3 'needs TARGETs' multiping -F "$TMP/comments"
head -c 100000 /dev/zero | tr '\0' a >"$TMP/longline"
expect 3 "$TMP/longline:1: a line longer than 4096 bytes" multiping -F "$TMP/longline"
name300=$(head -c 300 /dev/zero | tr '\0' a)
echo "$name300" >"$TMP/name300"
expect 3 "$TMP/name300:1: too long" multiping -F "$TMP/name300"
expect 2 'cannot be resolved' ping -c 1 "$name300"
expect 2 'cannot be resolved' multiping -c 1 "$name300"

# empty values
expect 3 'interval' ping -i '' 127.0.0.1
expect 3 'timeout' ping -W '' 127.0.0.1
expect 3 'ttl' ping -t '' 127.0.0.1
expect 3 'source' ping -I '' 127.0.0.1
expect 3 'payload size' ping -s '' 127.0.0.1

# traceroute
expect 3 'needs a TARGET' traceroute
expect 3 'one TARGET' traceroute 127.0.0.1 ::1
expect 3 'first hop' traceroute -f 0 127.0.0.1
expect 3 'max hops' traceroute -m 256 127.0.0.1
expect 3 'max_hops' traceroute -f 10 -m 5 127.0.0.1
expect 2 'cannot be resolved' traceroute no-such-host.invalid

# Every option that takes a value, of every command: empty, the wrong type,
# out of range. Each is refused with one line and exit 3.
for cmd in ping multiping traceroute; do
  for spec in "-c count" "-i interval" "-W timeout" "--id id" "-s payload.size" \
    "-Q traffic.class" "-t ttl"; do
    set -- $spec
    for v in '' x -7 99999999999; do
      expect 3 "$2" $cmd "$1" "$v" 127.0.0.1
    done
  done
  for v in '' x 1.2.3; do expect 3 'source' $cmd -I "$v" 127.0.0.1; done
  expect 3 'payload' $cmd --payload xyz 127.0.0.1
done
for v in '' x 0 -1; do expect 3 'concurrent tasks' multiping --concurrent-tasks "$v" 127.0.0.1; done
expect 3 'No such file' multiping -F ''
for v in '' x 0 256; do expect 3 'first hop' traceroute -f "$v" 127.0.0.1; done
for v in '' x 0 256; do expect 3 'max hops' traceroute -m "$v" 127.0.0.1; done
for v in '' x 0 -1; do expect 3 'count' capture -c "$v"; done
expect 3 'takes no TARGET' capture 127.0.0.1
expect 3 'unknown option' capture --bogus

# In the dashboard: every kind of theme error on the status line (FILE:LINE:
# why, then the default theme), and a 10x3 terminal. Loopback only.
if command -v tmux >/dev/null 2>&1; then
  TM="tmux -L sonar-bad-$$ -f /dev/null"
  mkdir -p "$TMP/themes"
  bad_theme() { # CONTENT MESSAGE
        printf '%b' "$1" >"$TMP/themes/bad.theme"
    tm_start "env SONAR_THEMES=$TMP/themes LANG=C.UTF-8 $SONAR -i 0.5 --theme bad 127.0.0.1; sleep 30" 200 10
    if tm_wait "$2.*; using the default theme" 5 2>/dev/null; then
      ok "bad theme '$(printf '%b' "$1" | head -c 40 | tr '\n' '|')' -> $2"
    else
      not_ok "bad theme '$1': no '$2' on the status line"
    fi
  }
  bad_theme 'row = red\nbogus = blue\n' "bad.theme:2: unknown slot 'bogus'"
  bad_theme 'row red\n' "bad.theme:1: expected 'slot = colours'"
  bad_theme 'row = purple\n' "bad.theme:1: unknown colour or attribute 'purple'"
  bad_theme 'row = red green\n' "bad.theme:1: two foreground colours"
  bad_theme 'row = red on\n' "bad.theme:1: 'on' must be followed by a colour"
  bad_theme 'row = 300\n' "bad.theme:1: unknown colour or attribute '300'"
  bad_theme 'row = red\nrow = blue\n' "bad.theme:2: slot 'row' set twice"
  bad_theme 'row =\n' "bad.theme:1: slot 'row' has no colours"
  bad_theme 'name =\n' "bad.theme:1: a name of 1 to 63 characters"
  bad_theme "row = $(head -c 600 /dev/zero | tr '\0' r)\n" "bad.theme:1: line too long"
    tm_start "env LANG=C.UTF-8 $SONAR -i 0.5 --theme no-such 127.0.0.1; sleep 30" 200 10
  check "a theme that does not exist: said, default used" tm_wait "no theme 'no-such'.*using the default theme"
  $TM resize-window -t 0 -x 10 -y 3 2>/dev/null
  check "a 10x3 terminal: told, no crash" tm_wait '^terminal t'
  tm_down
else
  not_ok "tmux is missing: the dashboard's bad-input cases did not run (./run.sh installs it)"
fi

"$SONAR" >"$O" 2>"$E"
check "no arguments: usage, exit 3" [ $? = 3 ]
"$SONAR" ping --help >"$O" 2>"$E"
check "ping --help: exit 0, options listed" sh -c "[ $? = 0 ] && grep -q -- '--payload HEX' '$O'"
"$SONAR" --version >"$O" 2>"$E"
check "--version: exit 0" grep -q '^sonar [0-9]' "$O"

finish
