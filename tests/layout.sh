#!/bin/bash
# tests/layout.sh - the program's layers stay as drawn: only the tty file
# talks to curses, ui/cmd and ui/dash never include each other, ui/common
# includes neither, the engine never includes the program; and every
# command of main's table is in --help and in the man page.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
cd "$top_srcdir" || exit 1

check "only ui/dash/tty.c includes curses" \
  test "$(grep -rlE '#include <n?curses(w)?(/curses)?\.h>' engine ui themes | sort)" = "ui/dash/tty.c"
# (-I$(top_builddir) is the source root in an in-tree build: "ui/..." paths
# would compile there, so they are refused too)
check "ui/cmd includes nothing from ui/dash (nor ../ or ui/ paths)" \
  sh -c "! grep -nE '#include \"(\\.\\./|dash/|ui/)' ui/cmd/*.[ch]"
check "ui/dash includes nothing from ui/cmd (nor ../ or ui/ paths)" \
  sh -c "! grep -nE '#include \"(\\.\\./|cmd/|ui/)' ui/dash/*.[ch]"
check "ui/common includes nothing from ui/cmd or ui/dash" \
  sh -c "! grep -nE '#include \"(\\.\\./|cmd/|dash/|ui/)' ui/common/*.[ch]"
check "ui/exporter includes nothing from ui/cmd or ui/dash" \
  sh -c "! grep -nE '#include \"(\\.\\./|cmd/|dash/|ui/)' ui/exporter/*.[ch]"
check "only ui/cmd/exporter.c of ui/cmd includes ui/exporter's headers" \
  test "$(grep -lE '#include "(http|metrics|probes|traces)\.h"' ui/cmd/*.c ui/dash/*.c ui/common/*.c | sort)" = "ui/cmd/exporter.c"
check "the engine includes nothing of the program" \
  sh -c "! grep -nE '#include \"(\\.\\./|ui/|cli\\.h|tty\\.h)' engine/*.[ch]"

# The command table: every name in --help is in the man page's synopsis.
cmds=$("$SONAR" --help | awk '/^Commands/ {on = 1; next} on && NF {print $1} on && !NF {exit}')
check "--help lists the commands from the table (ping multiping traceroute capture exporter replay)" \
  test "$(echo $cmds)" = "ping multiping traceroute capture exporter replay"
for c in $cmds; do
  check "sonar.1 lists 'sonar $c'" grep -qx ".B sonar $c" sonar.1
done
finish
