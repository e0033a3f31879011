#!/bin/bash
# tests/lab/exporter_prom.sh - a real Prometheus scrapes `sonar exporter`.
#
# In a network namespace of the test's own (only its lo exists), nftables
# drops the echo requests to 127.0.0.2 as they arrive (input: the send
# itself succeeds): that target never answers. The
# exporter probes 127.0.0.1 and 127.0.0.2 from a targets file every 0.5 s;
# Prometheus (listening on 127.0.0.1 in the namespace, its own temporary
# storage) scrapes it every second. Its HTTP API then answers PromQL:
# the loopback target loses nothing, the dropped one everything (loss 1,
# with smokeping_prober's loss formula and with sonar's timeouts), probes
# leave at the rate asked; the output passes `promtool check metrics`;
# a reload (SIGHUP, then POST /-/reload) adds and removes targets while
# the counters of the target that stays never reset.
# Bounded: every wait has a limit, the script 240 s; Prometheus, the
# exporter and the namespace go on every exit path.
if [ -z "${SONAR_LAB_TIMED:-}" ]; then
  SONAR_LAB_TIMED=1 exec timeout -k 5 240 bash "$0" "$@"
fi
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
need_root
need ip nft curl jq prometheus promtool timeout
N=sonar-xp-$$
TMP=$(mktemp -d)
XPID= PPID_=
cleanup() {
  { [ -n "$PPID_" ] && kill -KILL "$PPID_" && wait "$PPID_"; } 2>/dev/null
  { [ -n "$XPID" ] && kill -KILL "$XPID" && wait "$XPID"; } 2>/dev/null
  ns_remove "$N"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
in_ns() { ip netns exec "$N" "$@"; }

ip netns add "$N" && ip -n "$N" link set lo up &&
  in_ns nft -f - <<'NFT'
table inet sonar_test {
  chain in {
    type filter hook input priority 0;
    ip daddr 127.0.0.2 icmp type echo-request drop
  }
}
NFT
check "a namespace of the test's own, lo up, echo requests to 127.0.0.2 dropped ($N)" [ $? = 0 ]

XP=127.0.0.1:9374 PROM=127.0.0.1:9090
printf '127.0.0.1\n127.0.0.2\n' >"$TMP/targets"
# (ip netns exec execs: $! is the exporter itself, and so for Prometheus)
ip netns exec "$N" "$SONAR" exporter --listen "$XP" -F "$TMP/targets" -i 0.5 -W 1 2>"$TMP/exporter.err" &
XPID=$!
cat >"$TMP/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: sonar
    static_configs:
      - targets: ['$XP']
YML
ip netns exec "$N" prometheus --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/data" \
  --web.listen-address="$PROM" --log.level=warn >"$TMP/prometheus.log" 2>&1 &
PPID_=$!

# q PROMQL: the value of the query's first sample ("" when none)
q() {
  in_ns curl -s --max-time 5 "http://$PROM/api/v1/query" --data-urlencode "query=$1" |
    jq -r '.data.result[0].value[1] // empty' 2>/dev/null
}
# q_is PROMQL AWK-CONDITION: the value satisfies the condition on v
q_is() {
  local v
  v=$(q "$1")
  [ -n "$v" ] && awk -v v="$v" "BEGIN { exit !($2) }"
}
# check_q DESCRIPTION PROMQL AWK-CONDITION: the query's value satisfies the
# condition within 10 s; when it does not, the log shows the last value
check_q() {
  if until_ok 10 q_is "$2" "$3"; then
    ok "$1"
  else
    not_ok "$1"
    echo "#   $2 = '$(q "$2")', wanted $3"
  fi
}
# metrics: the exporter's exposition in the text format
metrics() { in_ns curl -s --max-time 5 "http://$XP/metrics"; }
# sample NAME-AND-LABELS: its value in a fresh scrape
sample() { metrics | awk -v s="$1" 'index($0, s " ") == 1 { print $NF }'; }

check "the exporter answers /-/healthy" wait_until 30 sh -c "ip netns exec $N curl -sf http://$XP/-/healthy >/dev/null"
check "Prometheus is up and its scrapes of the exporter succeed" \
  until_ok 60 q_is 'up{job="sonar"}' 'v == 1'
# 20 scrapes: the windows below hold enough of them
check "Prometheus has scraped the exporter 20 times" \
  until_ok 90 q_is 'count_over_time(up{job="sonar"}[1m])' 'v >= 20'

# smokeping_prober's loss formula (it counts a probe still in flight at a
# scrape as lost: on loopback that is at most one in 30)
LOSS='1 - increase(smokeping_response_duration_seconds_count{host="%s"}[15s]) / increase(smokeping_requests_total{host="%s"}[15s])'
# sonar's own: of the probes that ended, the share that timed out
TLOSS='sum without (kind) (increase(sonar_probe_errors_total{host="%s",kind="timeout"}[15s])) / (sum without (kind) (increase(sonar_probe_errors_total{host="%s",kind="timeout"}[15s])) + increase(smokeping_response_duration_seconds_count{host="%s"}[15s]))'
# shellcheck disable=SC2059
check_q "loopback target: loss 0 (timeouts / probes ended, over 15 s)" \
  "$(printf "$TLOSS" 127.0.0.1 127.0.0.1 127.0.0.1)" 'v == 0'
# shellcheck disable=SC2059
check_q "loopback target: smokeping_prober's loss formula < 0.1" \
  "$(printf "$LOSS" 127.0.0.1 127.0.0.1)" 'v < 0.1 && v >= 0'
# shellcheck disable=SC2059
check_q "dropped target: loss 1 (smokeping_prober's formula)" \
  "$(printf "$LOSS" 127.0.0.2 127.0.0.2)" 'v == 1'
# shellcheck disable=SC2059
check_q "dropped target: loss 1 (timeouts / probes ended)" \
  "$(printf "$TLOSS" 127.0.0.2 127.0.0.2 127.0.0.2)" 'v == 1'
check_q "probes leave at the rate asked (-i 0.5: 2/s, 1.5-2.5 over 15 s)" \
  'rate(smokeping_requests_total{host="127.0.0.1"}[15s])' 'v >= 1.5 && v <= 2.5'
check_q "the dropped target's probes leave at that rate too" \
  'rate(smokeping_requests_total{host="127.0.0.2"}[15s])' 'v >= 1.5 && v <= 2.5'
check_q "the loopback target's RTTs are all in the histogram's buckets up to 10 ms" \
  'smokeping_response_duration_seconds_bucket{host="127.0.0.1",le="0.01"} / ignoring (le) smokeping_response_duration_seconds_count{host="127.0.0.1"}' 'v == 1'
check_q "the loopback target's last RTT is below 10 ms" \
  'sonar_last_rtt_seconds{host="127.0.0.1"}' 'v > 0 && v < 0.01'
check_q "no send errors" 'sum(smokeping_send_errors_total)' 'v == 0'
check "the dropped target has no TTL nor last RTT series (no reply ever)" \
  sh -c "! ip netns exec $N curl -s http://$XP/metrics | grep -E '^(smokeping_response_ttl|sonar_last_rtt_seconds)\{host=\"127.0.0.2\"'"

metrics >"$TMP/metrics.txt"
check "promtool check metrics passes on the exposition" sh -c "promtool check metrics <'$TMP/metrics.txt'"
in_ns curl -s -H 'Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' \
  -D "$TMP/om.head" "http://$XP/metrics" >"$TMP/om.txt"
check "asked for OpenMetrics, it answers OpenMetrics (content type, # EOF)" \
  sh -c "grep -qi '^content-type: application/openmetrics-text; version=1.0.0' '$TMP/om.head' &&
    [ \"\$(tail -n 1 '$TMP/om.txt')\" = '# EOF' ] && grep -qx '# TYPE smokeping_requests counter' '$TMP/om.txt'"

# reload by SIGHUP: 127.0.0.3 joins; 127.0.0.1 keeps its counters
before=$(sample 'smokeping_requests_total{host="127.0.0.1",ip="127.0.0.1",source="",protocol="icmp"}')
printf '127.0.0.1\n127.0.0.2\n127.0.0.3\n' >"$TMP/targets"
kill -HUP "$XPID"
check "SIGHUP: the new target 127.0.0.3 is probed" \
  until_ok 20 sh -c "ip netns exec $N curl -s http://$XP/metrics | grep -qE '^smokeping_requests_total\{host=\"127.0.0.3\".*\} [1-9]'"
after=$(sample 'smokeping_requests_total{host="127.0.0.1",ip="127.0.0.1",source="",protocol="icmp"}')
check "SIGHUP: 127.0.0.1's counter kept rising across the reload ($before -> $after)" \
  [ -n "$before" ] && [ -n "$after" ] && [ "$after" -gt "$before" ]
# reload by POST: 127.0.0.2 leaves
printf '127.0.0.1\n127.0.0.3\n' >"$TMP/targets"
code=$(in_ns curl -s -o "$TMP/reload.out" -w '%{http_code}' -X POST "http://$XP/-/reload")
check "POST /-/reload answers 200 ($code)" [ "$code" = 200 ]
check "POST /-/reload: 127.0.0.2 is gone from /metrics" \
  sh -c "! ip netns exec $N curl -s http://$XP/metrics | grep -q 'host=\"127.0.0.2\"'"
printf '127.0.0.1\nnot a target\n' >"$TMP/targets"
code=$(in_ns curl -s -o "$TMP/reload.out" -w '%{http_code}' -X POST "http://$XP/-/reload")
check "a targets file with an error: reload answers 500 and says where ($code)" \
  sh -c "[ '$code' = 500 ] && grep -q 'targets:2' '$TMP/reload.out'"
check "after the failed reload the targets stay (127.0.0.3 still probed)" \
  sh -c "ip netns exec $N curl -s http://$XP/metrics | grep -q 'host=\"127.0.0.3\"'"
check_q "Prometheus saw no counter reset of 127.0.0.1 over the reloads" \
  'resets(smokeping_requests_total{host="127.0.0.1"}[2m])' 'v == 0'
check "sonar_exporter_reloads_total: 2 successes, 1 failure" \
  sh -c "ip netns exec $N curl -s http://$XP/metrics | grep -qx 'sonar_exporter_reloads_total{result=\"success\"} 2' &&
    ip netns exec $N curl -s http://$XP/metrics | grep -qx 'sonar_exporter_reloads_total{result=\"failure\"} 1'"

kill -TERM "$XPID"
wait "$XPID"
rc=$?
XPID=
check "SIGTERM ends the exporter with status 0 ($rc)" [ "$rc" = 0 ]
check "the exporter logged its start and reloads on stderr" \
  sh -c "grep -q 'exporter listening on $XP: 2 targets' '$TMP/exporter.err' && grep -q 'reloaded: 3 targets' '$TMP/exporter.err'"
if [ "$FAIL" != 0 ]; then
  sed 's/^/# exporter: /' "$TMP/exporter.err" | tail -20
  sed 's/^/# prometheus: /' "$TMP/prometheus.log" | tail -20
fi
finish
