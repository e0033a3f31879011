# bash completion for sonar                                  -*- shell-script -*-
#
# Commands, options (read from `sonar [COMMAND] --help`, so they never drift
# from the program), theme names (the installed themes, $SONAR_THEMES and
# $XDG_CONFIG_HOME/sonar/themes) and files for the options that take one.

# _sonar_words CMD: the long and short options CMD's --help lists (cached).
_sonar_words() {
  local key=_sonar_opts_${1:-dash}
  if [[ -z ${!key-} ]]; then
    local help
    help=$("$_sonar_prog" ${1:+"$1"} --help 2>/dev/null)
    printf -v "$key" '%s' "$(grep -oE '(^|[ ,])--?[a-zA-Z0-9][a-zA-Z0-9-]*' <<<"$help" |
      tr -d ' ,' | sort -u | tr '\n' ' ')"
  fi
  printf '%s' "${!key}"
}

# _sonar_commands: the commands sonar --help lists.
_sonar_commands() {
  "$_sonar_prog" --help 2>/dev/null | sed -n '/^Commands/,$s/^  \([a-z][a-z-]*\) .*/\1/p'
}

# _sonar_themes: theme names, built in and the user's.
_sonar_themes() {
  local d f
  for d in ${SONAR_THEMES:-} /usr/local/share/sonar/themes /usr/share/sonar/themes \
    "${XDG_CONFIG_HOME:-$HOME/.config}/sonar/themes"; do
    for f in "$d"/*.theme; do
      [[ -e $f ]] && basename "$f" .theme
    done
  done 2>/dev/null | sort -u
}

_sonar() {
  local cur prev cmd i
  _sonar_prog=${COMP_WORDS[0]}
  cur=${COMP_WORDS[COMP_CWORD]}
  prev=${COMP_WORDS[COMP_CWORD - 1]}
  cmd=
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
    ping | multiping | traceroute | capture | exporter | replay)
      cmd=${COMP_WORDS[i]}
      break
      ;;
    -*) ;;
    *) break ;;
    esac
  done
  case $prev in
  -F | --file | --record | --log)
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
    return 0
    ;;
  --theme)
    mapfile -t COMPREPLY < <(compgen -W "$(_sonar_themes)" -- "$cur")
    return 0
    ;;
  -I | --source | --dns-server | -i | --interval | -c | --count | -W | --timeout | --id | \
    -s | --payload-size | -Q | --traffic-class | -t | --ttl | -p | --port | --payload | \
    -f | --first-hop | -m | --max-hops | --flows | --pacing | --concurrent-tasks | -w | --wait | \
    --speed | --alert-loss | --alert-rtt | --alert-down | --on-alert | --resolve-every | \
    -l | --listen | --buckets | -T | --trace)
    return 0 # a value of the user's
    ;;
  esac
  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_sonar_words "$cmd")" -- "$cur")
  elif [[ $cmd == replay ]]; then
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  elif [[ -z $cmd && $COMP_CWORD == 1 ]]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_sonar_commands)" -- "$cur")
  fi
  return 0
}
complete -F _sonar sonar
