#!/bin/bash
# tests/multiping.sh - sonar multiping on loopback: 1,000 addresses in
# order, target files, and the output formats.
. "${top_srcdir:-$(dirname "$0")/..}/tests/lib.sh"
need_root
need jq

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
O=$TMP/out E=$TMP/err

# 1,000 loopback addresses, 127.1.x.y.
for i in $(seq 0 999); do echo "127.1.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list"
"$SONAR" multiping -F "$TMP/list" -c 2 -i 0.2 --concurrent-tasks 1000 --json >"$O" 2>"$E"
RC=$?
check "1,000 loopback targets: exit 0" [ $RC = 0 ]
check "1,000 loopback targets: 1,000 results, all alive, 2 of 2 each" \
  jq_true "$O" 'length == 1000 and all(.[]; .is_alive and .packets_received == 2)'
check "1,000 loopback targets: results in input order" \
  sh -c "jq -r '.[].target' '$O' | cmp -s - '$TMP/list' && jq -r '.[].address' '$O' | cmp -s - '$TMP/list'"

# 10,000 targets at once (--pacing 0) overrun a small receive buffer
# (SONAR_RCVBUF): what the kernel dropped is known and counted as loss,
# never as replies.
for i in $(seq 0 9999); do echo "127.8.$((i / 250)).$((i % 250 + 1))"; done >"$TMP/list10k"
SONAR_RCVBUF=16384 "$SONAR" multiping -F "$TMP/list10k" -c 1 -W 1 --concurrent-tasks 10000 --pacing 0 --json \
  >"$O" 2>"$E"
recv=$(jq '[.[].packets_received] | add' "$O")
sent=$(jq '[.[].packets_sent] | add' "$O")
dropped=$(grep -oE 'dropped [0-9]+ packets' "$E" | grep -oE '[0-9]+')
check "overrun: no phantom (received $recv <= sent $sent), no duplicate" \
  sh -c "[ $recv -le $sent ] && [ $sent = 10000 ] && [ \"\$(jq '[.[].duplicates] | add == 0' '$O')\" = true ]"
check "overrun: the buffer did overflow (received $recv < 10000)" [ "$recv" -lt 10000 ]
check "overrun: the kernel's drop count (${dropped:-none}) explains every lost probe ($((sent - recv)))" \
  [ "${dropped:-0}" -ge $((sent - recv)) ]

# The default concurrency (50) gives the same results, more slowly.
head -200 "$TMP/list" >"$TMP/list200"
"$SONAR" multiping -F "$TMP/list200" -c 1 -i 0.05 --json >"$O" 2>"$E"
check "200 targets, 50 at a time: all alive, in order" \
  sh -c "[ \"\$(jq 'length == 200 and all(.[]; .is_alive)' '$O')\" = true ] && jq -r '.[].target' '$O' | cmp -s - '$TMP/list200'"

# A target file with comments, blank lines and spaces.
printf '# lab hosts\n\n  127.0.0.1   # v4\n::1\n\t127.0.0.2\n' >"$TMP/file"
"$SONAR" multiping -F "$TMP/file" -c 1 --json >"$O" 2>"$E"
check "-F with comments and blanks: 3 targets in order" \
  jq_true "$O" '[.[].target] == ["127.0.0.1", "::1", "127.0.0.2"] and all(.[]; .is_alive)'
printf '127.0.0.1\n' | "$SONAR" multiping -F - ::1 -c 1 --json >"$O" 2>"$E"
check "-F - (standard input) and arguments together" jq_true "$O" 'length == 2'

# Mixed families and a name that does not resolve: that one carries its
# error, the others complete; exit 2 (fping: a name was not found).
offline "$SONAR" multiping -c 1 --json 127.0.0.1 no-such-host.invalid ::1 >"$O" 2>"$E"
RC=$?
check "a bad name among good targets: exit 2" [ $RC = 2 ]
check "a bad name among good targets: it carries NameLookupError, the others answer" \
  jq_true "$O" '.[0].is_alive and .[1].error_type == "NameLookupError" and .[1].is_alive == false and .[2].is_alive'

# Output formats.
"$SONAR" multiping -c 1 127.0.0.1 ::1 >"$O" 2>"$E"
check "text table: header and one row per target" \
  sh -c "head -1 '$O' | grep -q '^TARGET' && [ \$(wc -l <'$O') = 3 ]"
"$SONAR" multiping -c 1 --csv 127.0.0.1 ::1 >"$O" 2>"$E"
check "CSV: header and two rows" \
  sh -c "head -1 '$O' | grep -q '^target,address,packets_sent' && [ \$(wc -l <'$O') = 3 ]"
"$SONAR" multiping -c 2 -i 0.05 --stream 127.0.0.1 ::1 >"$O" 2>"$E"
check "--stream: 8 JSON lines (2 sent + 2 reply per target), ISO-8601 times" \
  sh -c "[ \$(jq -c . '$O' | wc -l) = 8 ] && jq -e -s 'all(.[]; .time | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\\\\.[0-9]{6}Z\$\"))' '$O' >/dev/null"

# Traceroute on loopback: one hop.
"$SONAR" traceroute --json 127.0.0.1 >"$O" 2>"$E"
check "traceroute 127.0.0.1: one hop at distance 1" \
  jq_true "$O" 'length == 1 and .[0].distance == 1 and .[0].address == "127.0.0.1"'

# Pacing: by default the targets' first probes are spread over one
# interval (5 targets, 0.5 s: 0.1 s apart); --pacing 0 sends them at once.
# The spread is read from the "sent" events' times (microseconds).
first_sent_spread() {
  jq -rs '[.[] | select(.event == "sent") | .time] | map(sub("Z$"; "") | split("T")[1] | split(":") | (.[0] | tonumber) * 3600 + (.[1] | tonumber) * 60 + (.[2] | tonumber)) | (max - min) * 1000 | floor' "$1"
}
"$SONAR" multiping -c 1 -i 0.5 --stream 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 >"$O" 2>"$E"
spread=$(first_sent_spread "$O")
check "targets start spread over the interval: first to last probe ${spread} ms apart (400 expected)" \
  sh -c "[ '$spread' -ge 350 ] && [ '$spread' -le 1500 ]"
"$SONAR" multiping -c 1 -i 0.5 --pacing 0 --stream 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 >"$O" 2>"$E"
spread=$(first_sent_spread "$O")
check "--pacing 0: every target's first probe at once (${spread} ms apart)" \
  sh -c "[ -n '$spread' ] && [ '$spread' -lt 300 ]"
"$SONAR" multiping -c 1 -i 0.5 --pacing 0.05 --stream 127.0.0.1 127.0.0.2 127.0.0.3 127.0.0.4 127.0.0.5 >"$O" 2>"$E"
spread=$(first_sent_spread "$O")
check "--pacing 0.05: 50 ms between targets (${spread} ms first to last, 200 expected)" \
  sh -c "[ '$spread' -ge 180 ] && [ '$spread' -le 1500 ]"
finish
