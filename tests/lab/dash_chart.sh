#!/bin/bash
# tests/lab/dash_chart.sh - the chart (g), the statistics window (w,
# --window), the percentile columns and the column chooser (--columns, C),
# driven in tmux against a delay the test controls.
#
# The lab's target answers through tests/lab/responder: 10 ms late, then
# not at all (a few probes lost), then 50 ms late: a step. Two dashboards
# watch it at once, one on a UTF-8 terminal (Braille chart), one with
# LANG=C (ASCII chart). Each chart must show that step: the newest probes
# on the plot's top rows, the older ones on its bottom rows, the losses
# marked on the time axis between them, the y axis from ~10 to ~50 ms.
# Over a window of the last 20 probes every figure is of the 50 ms replies
# alone; since the start, of both.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip tmux python3
. "$top_srcdir/tests/lab/topology.sh"
dst=10.201.2.2
. "$top_srcdir/tests/lab/respond.sh"
TU="tmux -L sonar-chart-u-$$ -f /dev/null"
TA="tmux -L sonar-chart-a-$$ -f /dev/null"
# (a signal during the clean-up must not cut it short)
trap 'trap "" INT TERM; TM=$TU tm_down; TM=$TA tm_down; stop_responder; [ -n "${LAB_KEEP:-}" ] || lab_down' EXIT
export SONAR_THEMES=$top_srcdir/themes HOME=$TMP
unset XDG_CONFIG_HOME

# The options refuse what they cannot use (exit 3, fping's), before any
# terminal is needed.
for bad in "--window 0" "--window 513" "--window 5x" "--columns LX" "--columns loss,loss" "--columns="; do
  "$SONAR" $bad 127.0.0.1 >"$TMP/out" 2>&1 </dev/null
  rc=$?
  check "sonar $bad: exit 3 and why ($(head -c 90 "$TMP/out"))" \
    eval '[ $rc = 3 ] && grep -qE "window is a number of probes, 1 to 512|unknown column|given twice|no columns" "$TMP/out"'
done

# screen U|A: the pane of the UTF-8 / ASCII dashboard
screen() { if [ "$1" = U ]; then TM=$TU tm_screen; else TM=$TA tm_screen; fi; }
keys() {
  local t=$1
  shift
  if [ "$t" = U ]; then $TU send-keys -t 0 "$@"; else $TA send-keys -t 0 "$@"; fi
}
waits() {
  local t=$1
  shift
  if [ "$t" = U ]; then TM=$TU tm_wait "$@"; else TM=$TA tm_wait "$@"; fi
}
# col U|A N: field N of the target's row
col() { screen "$1" | awk -v t="$dst" -v n="$2" '$1 == t {print $n; exit}'; }
# num_ge VALUE MIN: VALUE is a number >= MIN
num_ge() { awk -v v="${1%\%}" -v m="$2" 'BEGIN {exit !(v ~ /^[0-9.]+$/ && v + 0 >= m)}'; }
num_in() { awk -v v="${1%\%}" -v lo="$2" -v hi="$3" 'BEGIN {exit !(v ~ /^[0-9.]+$/ && v + 0 >= lo && v + 0 <= hi)}'; }

respond 4 --delay-ms 10 --seconds 100
check "the responder answers after 10 ms" grep -q ready "$TMP/resp.out"
TM=$TU tm_start "ip netns exec $C env LANG=C.UTF-8 $SONAR -i 0.1 -W 0.5 --window 20 --columns LSRNAMU $dst; echo EXITED rc=\$?; sleep 60" 150 30
TM=$TA tm_start "ip netns exec $C env LANG=C $SONAR -i 0.1 -W 0.5 $dst; echo EXITED rc=\$?; sleep 60" 150 30
check "--columns LSRNAMU: the table's headings are Loss% Snt Rcv Last Avg p50 p99" \
  waits U 'Target +Address +Loss% +Snt +Rcv +Last +Avg +p50 +p99 +History' 5
check "--window 20: the title says the window" waits U 'running  last 20 probes' 5
check "the default columns on the other" waits A 'Loss% +Snt +Rcv +Last +Avg +Min +Max +StDev +Jitter +History' 5
check "40 replies at 10 ms" until_ok 30 eval 'num_ge "$(col A 5)" 40'
check "over the window: Snt 20, Rcv 20" eval '[ "$(col U 4)" = 20 ] && [ "$(col U 5)" = 20 ]'
check "over the window: p50 and p99 of 10 ms replies ($(col U 8), $(col U 9))" \
  eval 'num_in "$(col U 8)" 9.9 45 && num_in "$(col U 9)" 9.9 500'

# the responder goes: probes are lost until the next one answers
stop_responder
check "probes are lost while nothing answers (Loss% 5% or more)" until_ok 20 eval 'num_ge "$(col A 3)" 5'
rcv0=$(col A 5)
respond 4 --delay-ms 50 --seconds 100
check "the responder answers after 50 ms" grep -q ready "$TMP/resp.out"
check "40 replies at 50 ms" until_ok 40 eval 'num_ge "$(col A 5)" $((rcv0 + 40))'

# w: the window and since the start
keys U p
keys A p
check "p pauses (UTF-8)" waits U 'PAUSED' 5
check "p pauses (ASCII)" waits A 'PAUSED' 5
sleep 0.6 # what was in flight comes or times out (-W 0.5): the figures settle
row=$(screen U | awk -v t="$dst" '$1 == t')
echo "# window:  $row" | cut -c1-110
read -r _ _ loss snt rcv last avg p50 p99 _ <<<"$row"
check "over the last 20: Loss% 0.0% ($loss), Snt 20 ($snt), Rcv 20 ($rcv)" \
  eval '[ "$loss" = 0.0% ] && [ "$snt" = 20 ] && [ "$rcv" = 20 ]'
check "over the last 20: Avg, p50, p99 of the 50 ms replies alone ($avg, $p50, $p99)" \
  eval 'num_in "$avg" 49.9 500 && num_in "$p50" 49.9 500 && num_in "$p99" 49.9 500'
keys U w
check "w: statistics since the start (the title drops the window)" \
  until_ok 5 eval '! screen U | head -1 | grep -q "last 20 probes"'
row=$(screen U | awk -v t="$dst" '$1 == t')
echo "# all:     $row" | cut -c1-110
read -r _ _ loss snt rcv last avg p50 p99 _ <<<"$row"
check "since the start: Snt ($snt) and Rcv ($rcv) count every probe, Loss% ($loss) the gap" \
  eval 'num_ge "$snt" 83 && num_ge "$rcv" 80 && num_ge "$loss" 3'
check "since the start: Avg ($avg) between the two delays, p99 ($p99) the slow one's" \
  eval 'num_in "$avg" 15 45 && num_in "$p99" 49.9 500'
keys U w
check "w again: the window is back" waits U 'last 20 probes' 5

# g: the charts. shape.py judges the picture: it prints what it found and
# fails unless the step is there.
cat >"$TMP/shape.py" <<'PY'
import re, sys
lines = sys.stdin.read().split("\n")
ascii = sys.argv[1] == "A"
axis = next(i for i, l in enumerate(lines) if re.match(r"^ {9}[+\u2514][-+\u2500\u252cx\u00d7]+$", l))
plot = lines[2:axis]
x0 = 10
width = max(len(l) for l in plot)
def marked(ch):
    return ch != " " and (ch in "*|" if ascii else 0x2800 < ord(ch) <= 0x28ff)
# the rows of each column that have a mark (plot rows from the top)
cols = {}
for y, l in enumerate(plot):
    for x in range(x0, len(l)):
        if marked(l[x]):
            cols.setdefault(x, []).append(y)
xs = sorted(cols)
h = len(plot)
labels = [(y, float(m.group(1))) for y, l in enumerate(plot) for m in [re.match(r"^ *([0-9.]+) ms", l)] if m]
# a row's RTT, from the labels at the top and bottom rows; a column is high
# (low) when every mark in it is above (below) 30 ms, between the delays
(yt, vt), (yb, vb) = labels[0], labels[-1]
def rtt(y):
    return vt + (vb - vt) * (y - yt) / (yb - yt)
top = [x for x in xs if min(rtt(y) for y in cols[x]) > 30]
bottom = [x for x in xs if max(rtt(y) for y in cols[x]) < 30]
lost = [x for x, ch in enumerate(lines[axis]) if ch in "x\u00d7"]
def median(v):
    return sorted(v)[len(v) // 2] if v else -1
print("# %s: %d columns marked, high %s, low %s, losses %s, y labels %s"
      % (sys.argv[1], len(xs), top, bottom, lost, [v for _, v in labels]))
# the step: low then high, the newest column high, the losses between the
# two. A busy machine delays some of the 10 ms replies by tens of ms (a
# column joined up to one is neither low nor high, or high): judged by
# the majority, 80% of each side where it belongs. Braille or ASCII and
# nothing else in the plot.
cells = "".join(plot)
m = median(lost)
ok = (len(top) >= 10 and len(bottom) >= 8 and xs[-1] in top and lost
      and median(bottom) < m < median(top)
      and sum(x < m for x in bottom) >= 0.8 * len(bottom)
      and sum(x > m for x in top) >= 0.8 * len(top)
      and 9.5 <= vb <= 12 and vt >= 49.9)
if ascii:
    ok = ok and all(ord(ch) < 128 for ch in "".join(lines))
else:
    ok = ok and any(0x2800 < ord(ch) <= 0x28ff for ch in cells) and "\u2514" in lines[axis]
sys.exit(0 if ok else 1)
PY
keys U g
keys A g
check "g: the chart of the selected target (UTF-8)" waits U 'RTT chart of the selected target' 5
check "g: the chart of the selected target (ASCII)" waits A 'RTT chart of the selected target' 5
check "the legend names the target in Braille" waits U "^ \\S $dst" 5
check "the legend names the target with its ASCII mark" waits A "^ \\* $dst" 5
screen U >"$TMP/chart.utf8"
screen A >"$TMP/chart.ascii"
sed 's/^/# /' "$TMP/chart.utf8"
check "Braille (U+2800-U+28FF): the step from 10 to 50 ms, the losses marked between" \
  python3 "$TMP/shape.py" U <"$TMP/chart.utf8"
sed 's/^/# /' "$TMP/chart.ascii"
check "ASCII only: the step from 10 to 50 ms, the losses marked between" \
  python3 "$TMP/shape.py" A <"$TMP/chart.ascii"
keys U g
check "g on the chart: every target shown" waits U 'RTT chart of the targets shown' 5
keys U Escape
check "Esc: back to the table" waits U "Target +Address" 5

# C: the column chooser, on the line editor
keys U C
check "C opens the chooser on the columns in use" waits U 'Columns \(letters LSRNABWVJMPQU or names\): LSRNAMU' 5
keys U C-u L Z Enter
check "an unknown column is refused, the chooser stays open" \
  eval 'waits U "unknown column .Z." 5 && waits U "Columns \\(" 1'
keys U C-u 'loss,p95,avg' Enter
check "loss,p95,avg: the headings follow" waits U 'Target +Address +Loss% +p95 +Avg +History' 5
p95=$(col U 4)
check "p95 over the window of 50 ms replies ($p95)" num_in "$p95" 49.9 500

# the path view's chart: the destination's hop, another, every hop
keys A Escape
# (Esc and a key at once would be Alt and that key)
check "Esc: the ASCII dashboard's table" waits A "Target +Address" 5
keys A p
check "the ASCII dashboard runs again" waits A 'running' 5
keys A Enter
check "Enter: the path view" waits A 'path to 10\.201\.2\.2' 5
check "the path view finds the destination at TTL 2" waits A '^ +2\. +10\.201\.2\.2' 10
keys A g
check "g in the path view: the destination's hop" waits A 'RTT chart of hop 2' 5
check "its legend" waits A "^ \\* 2\\. 10\\.201\\.2\\.2" 5
keys A Up
check "Up: the hop before" waits A 'RTT chart of hop 1' 5
check "its legend: the router" waits A "^ \\* 1\\. 10\\.201\\.1\\.1" 5
keys A g
check "g: every hop that answered, each its mark" \
  waits A "^ \\* 1\\. 10\\.201\\.1\\.1  \\+ 2\\. 10\\.201\\.2\\.2" 5
keys A Escape
check "Esc: back to the path view" waits A 'path to 10\.201\.2\.2' 5
keys A q
keys U q
check "q exits with 0 (ASCII)" waits A '^EXITED rc=0' 10
check "q exits with 0 (UTF-8)" waits U '^EXITED rc=0' 10
finish
