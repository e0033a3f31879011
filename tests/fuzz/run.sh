#!/bin/bash
# tests/fuzz/run.sh SECONDS CORPUS FUZZER... - run each libFuzzer target for
# SECONDS on a scratch copy of its seed corpus (the seeds are not written).
# Any crash, leak or sanitizer report fails the run; the reproducer is kept
# and printed.
set -u
secs=$1 corpus=$2
shift 2
status=0 pass=0 fail=0
for f in "$@"; do
  name=$(basename "$f" | sed 's/^fuzz_//')
  work=$(mktemp -d)
  cp -r "$corpus/$name/." "$work/" 2>/dev/null
  if "$f" -max_total_time="$secs" -detect_leaks=1 -print_final_stats=1 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$work/" "$work" >"$work/log" 2>&1; then
    echo "ok - fuzz $name: $(grep -E '^stat::number_of_executed_units' "$work/log" | awk '{print $2}') runs in ${secs} s, no finding"
    pass=$((pass + 1))
  else
    echo "not ok - fuzz $name found a problem:"
    grep -E 'ERROR|SUMMARY|crash-|leak-|timeout-' "$work/log" | head -20 | sed 's/^/#   /'
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
      [ -f "$a" ] && echo "#   reproducer ($a): $(xxd -p "$a" | head -c 400)"
    done
    fail=$((fail + 1))
    status=1
  fi
  rm -rf "$work"
done
echo "$pass passed, $fail failed"
exit $status
