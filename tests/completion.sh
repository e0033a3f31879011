#!/bin/bash
# tests/completion.sh - the bash and zsh completions of contrib/completion:
# commands, each command's options (read from its --help, so a new option
# is completed without editing the script), theme names, files after -F.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need bash zsh
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
BASHCOMP=$top_srcdir/contrib/completion/sonar.bash
ZSHCOMP=$top_srcdir/contrib/completion/_sonar
mkdir "$TMP/bin" "$TMP/files"
ln -s "$SONAR" "$TMP/bin/sonar"
touch "$TMP/files/hosts.txt" "$TMP/files/other"

# complete WORDS...: what bash completes for the last word (its candidates, sorted)
complete_bash() {
  env -i HOME="$TMP" PATH="$TMP/bin:/usr/bin:/bin" SONAR_THEMES="$top_srcdir/themes" \
    XDG_CONFIG_HOME="$TMP/cfg" bash --norc -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    _sonar
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$BASHCOMP" "$@"
}
# has LIST WORD...: every WORD is a line of LIST; lacks LIST WORD: it is not.
has() {
  local list=$1 w
  shift
  for w in "$@"; do grep -qx -- "$w" <<<"$list" || return 1; done
}
lacks() { ! grep -qx -- "$2" <<<"$1"; }

out=$(complete_bash sonar tr)
check "bash: 'sonar tr' completes the command traceroute" [ "$out" = traceroute ]
out=$(complete_bash sonar "")
check "bash: 'sonar ' offers the five commands" \
  sh -c "[ \"\$(echo '$out' | tr '\n' ' ')\" = 'capture exporter multiping ping replay traceroute ' ]"
out=$(complete_bash sonar replay --sp)
check "bash: 'sonar replay --sp' completes --speed (from its --help)" [ "$out" = --speed ]
out=$(cd "$TMP/files" && complete_bash sonar replay h)
check "bash: sonar replay FILE: files" [ "$out" = hosts.txt ]
out=$(cd "$TMP/files" && complete_bash sonar --record h)
check "bash: after --record, files" [ "$out" = hosts.txt ]
out=$(complete_bash sonar ex)
check "bash: 'sonar ex' completes the command exporter" [ "$out" = exporter ]
out=$(complete_bash sonar exporter --)
check "bash: exporter's options include --listen, --buckets, --file, --tcp" \
  has "$out" --listen --buckets --file --tcp
out=$(complete_bash sonar exporter --listen "")
check "bash: after --listen (an address), nothing" [ -z "$out" ]
out=$(cd "$TMP/files" && complete_bash sonar exporter -F h)
check "bash: exporter -F completes files" [ "$out" = hosts.txt ]
out=$(complete_bash sonar traceroute --fl)
check "bash: 'sonar traceroute --fl' completes --flows (from its --help)" [ "$out" = --flows ]
out=$(complete_bash sonar traceroute --)
check "bash: traceroute's options include --udp, --tcp, --report, --wait" \
  has "$out" --udp --tcp --report --wait --flows
check "bash: traceroute's options do not include multiping's --pacing" lacks "$out" --pacing
out=$(complete_bash sonar multiping --pa)
check "bash: 'sonar multiping --pa' offers --pacing and --payload, --payload-size" \
  sh -c "[ \"\$(echo '$out' | tr '\n' ' ')\" = '--pacing --payload --payload-size ' ]"
out=$(complete_bash sonar --theme h)
check "bash: 'sonar --theme h' completes high-contrast" [ "$out" = high-contrast ]
mkdir -p "$TMP/cfg/sonar/themes" && touch "$TMP/cfg/sonar/themes/ocean.theme"
out=$(complete_bash sonar --theme o)
check "bash: a theme of the user's (XDG_CONFIG_HOME) is offered" [ "$out" = ocean ]
out=$(cd "$TMP/files" && complete_bash sonar multiping -F h)
check "bash: after -F, files" [ "$out" = hosts.txt ]
out=$(complete_bash sonar traceroute -m "")
check "bash: after -m (a number), nothing" [ -z "$out" ]

# zsh: its syntax, and the helpers that feed compadd
check "zsh: _sonar parses (zsh -n)" zsh -n "$ZSHCOMP"
sed '$d' "$ZSHCOMP" >"$TMP/_sonar_defs" # its functions, without the call
out=$(env -i PATH="$TMP/bin:/usr/bin:/bin" SONAR_THEMES="$top_srcdir/themes" HOME="$TMP" \
  XDG_CONFIG_HOME="$TMP/cfg" zsh -fc "source '$TMP/_sonar_defs'; words=(sonar traceroute); _sonar_opts traceroute" 2>&1)
check "zsh: traceroute's options from its --help include --flows and --udp" \
  has "$out" --flows --udp
out=$(env -i PATH="$TMP/bin:/usr/bin:/bin" HOME="$TMP" \
  zsh -fc "source '$TMP/_sonar_defs'; words=(sonar exporter); _sonar_opts exporter" 2>&1)
check "zsh: exporter's options from its --help include --listen and --buckets" \
  has "$out" --listen --buckets
check "zsh: exporter is a command whose options are its own" \
  grep -q 'ping|multiping|traceroute|capture|exporter' "$ZSHCOMP"
out=$(env -i PATH="$TMP/bin:/usr/bin:/bin" SONAR_THEMES="$top_srcdir/themes" HOME="$TMP" \
  XDG_CONFIG_HOME="$TMP/cfg" zsh -fc "source '$TMP/_sonar_defs'; _sonar_themes" 2>&1 | sort | tr '\n' ' ')
check "zsh: the themes, built in and the user's ($out)" \
  [ "$out" = "dark default high-contrast light mono ocean " ]
finish
