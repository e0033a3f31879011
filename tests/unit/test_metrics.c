/*
 * test_metrics.c - the exporter's exposition text (ui/exporter/metrics.c):
 * whole expected outputs in both formats (the text format and
 * OpenMetrics: family names, # EOF), label escaping, the histogram's
 * buckets, --buckets and Accept parsing; and --listen's addresses
 * (ui/exporter/http.c, the pure part).
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"
#include "metrics.h"

/* The exposition of targets t[0..n) in format f, malloc'd. */
static char *write_all(enum metrics_format f, const struct metrics_buckets *b,
                       const struct metrics_target *t, size_t n, const struct metrics_hop *h,
                       size_t nh)
{
	struct metrics_buf out = {0};
	struct metrics_info info = {n, 3, 1, 2};

	assert_int_equal(metrics_write(&out, f, b, t, n, h, nh, &info), 0);
	assert_non_null(out.p);
	assert_int_equal(strlen(out.p), out.len);
	return out.p;
}

/* Does text hold line as a whole line? */
static bool has_line(const char *text, const char *line)
{
	size_t len = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && p[len] == '\n')
			return true;
	return false;
}

#define assert_line(text, line)                                                                    \
	do {                                                                                       \
		if (!has_line((text), (line)))                                                     \
			fail_msg("missing line\n%s\nin\n%s", (line), (text));                      \
	} while (0)

/* Two bounds, three replies and a timeout: the whole text format. */
static void test_text_whole(void **state)
{
	struct metrics_buckets b;
	struct metrics_series s;
	struct metrics_target t;
	char err[128];
	char *text;

	(void)state;
	assert_int_equal(metrics_buckets_parse("0.001,0.01", &b, err, sizeof(err)), 0);
	metrics_series_init(&s);
	s.sent = 5;
	metrics_observe(&s, &b, 0.0005, 64);
	metrics_observe(&s, &b, 0.001, 63); /* on the bound: in it (le) */
	metrics_observe(&s, &b, 0.5, -1);   /* above every bound; TTL unknown keeps 63 */
	s.errors[METRICS_ERR_TIMEOUT] = 2;
	t = (struct metrics_target){{"localhost", "127.0.0.1", "", "icmp"}, &s};
	text = write_all(METRICS_TEXT, &b, &t, 1, NULL, 0);
	assert_string_equal(
	    text, "# HELP smokeping_requests_total Number of ping requests sent\n"
	          "# TYPE smokeping_requests_total counter\n"
	          "smokeping_requests_total{host=\"localhost\",ip=\"127.0.0.1\",source=\"\","
	          "protocol=\"icmp\"} 5\n"
	          "# HELP smokeping_response_duration_seconds A histogram of latencies for ping "
	          "responses.\n"
	          "# TYPE smokeping_response_duration_seconds histogram\n"
	          "smokeping_response_duration_seconds_bucket{host=\"localhost\",ip=\"127.0.0.1\","
	          "source=\"\",protocol=\"icmp\",le=\"0.001\"} 2\n"
	          "smokeping_response_duration_seconds_bucket{host=\"localhost\",ip=\"127.0.0.1\","
	          "source=\"\",protocol=\"icmp\",le=\"0.01\"} 2\n"
	          "smokeping_response_duration_seconds_bucket{host=\"localhost\",ip=\"127.0.0.1\","
	          "source=\"\",protocol=\"icmp\",le=\"+Inf\"} 3\n"
	          "smokeping_response_duration_seconds_sum{host=\"localhost\",ip=\"127.0.0.1\","
	          "source=\"\",protocol=\"icmp\"} 0.5015\n"
	          "smokeping_response_duration_seconds_count{host=\"localhost\",ip=\"127.0.0.1\","
	          "source=\"\",protocol=\"icmp\"} 3\n"
	          "# HELP smokeping_response_duplicates_total The number of duplicated response "
	          "packets.\n"
	          "# TYPE smokeping_response_duplicates_total counter\n"
	          "smokeping_response_duplicates_total{host=\"localhost\",ip=\"127.0.0.1\",source="
	          "\"\",protocol=\"icmp\"} 0\n"
	          "# HELP smokeping_send_errors_total The number of errors when Pinger attempts to "
	          "send packets.\n"
	          "# TYPE smokeping_send_errors_total counter\n"
	          "smokeping_send_errors_total{host=\"localhost\",ip=\"127.0.0.1\",source=\"\","
	          "protocol=\"icmp\"} 0\n"
	          "# HELP sonar_probe_errors_total Probes that got no reply, by kind: timeout, "
	          "unreachable, time_exceeded, icmp.\n"
	          "# TYPE sonar_probe_errors_total counter\n"
	          "sonar_probe_errors_total{host=\"localhost\",ip=\"127.0.0.1\",source=\"\","
	          "protocol=\"icmp\",kind=\"timeout\"} 2\n"
	          "sonar_probe_errors_total{host=\"localhost\",ip=\"127.0.0.1\",source=\"\","
	          "protocol=\"icmp\",kind=\"unreachable\"} 0\n"
	          "sonar_probe_errors_total{host=\"localhost\",ip=\"127.0.0.1\",source=\"\","
	          "protocol=\"icmp\",kind=\"time_exceeded\"} 0\n"
	          "sonar_probe_errors_total{host=\"localhost\",ip=\"127.0.0.1\",source=\"\","
	          "protocol=\"icmp\",kind=\"icmp\"} 0\n"
	          "# HELP smokeping_response_ttl The last response Time To Live (TTL).\n"
	          "# TYPE smokeping_response_ttl gauge\n"
	          "smokeping_response_ttl{host=\"localhost\",ip=\"127.0.0.1\",source=\"\",protocol="
	          "\"icmp\"} 63\n"
	          "# HELP sonar_last_rtt_seconds The round-trip time of the latest reply.\n"
	          "# TYPE sonar_last_rtt_seconds gauge\n"
	          "sonar_last_rtt_seconds{host=\"localhost\",ip=\"127.0.0.1\",source=\"\",protocol="
	          "\"icmp\"} 0.5\n"
	          "# HELP sonar_exporter_targets Targets probed now.\n"
	          "# TYPE sonar_exporter_targets gauge\n"
	          "sonar_exporter_targets 1\n"
	          "# HELP sonar_kernel_dropped_packets_total Packets the kernel dropped for a full "
	          "receive buffer (their probes count as lost).\n"
	          "# TYPE sonar_kernel_dropped_packets_total counter\n"
	          "sonar_kernel_dropped_packets_total 3\n"
	          "# HELP sonar_exporter_reloads_total Rereads of the targets files, by result.\n"
	          "# TYPE sonar_exporter_reloads_total counter\n"
	          "sonar_exporter_reloads_total{result=\"success\"} 1\n"
	          "sonar_exporter_reloads_total{result=\"failure\"} 2\n");
	free(text);
}

/* OpenMetrics: counters' families lose _total in # TYPE and # HELP (not
 * in samples), and the text ends with # EOF. */
static void test_openmetrics(void **state)
{
	struct metrics_buckets b;
	struct metrics_series s;
	struct metrics_target t;
	char *text;
	size_t len;

	(void)state;
	metrics_buckets_default(&b);
	metrics_series_init(&s);
	s.sent = 1;
	t = (struct metrics_target){{"h", "192.0.2.1", "", "icmp"}, &s};
	text = write_all(METRICS_OPENMETRICS, &b, &t, 1, NULL, 0);
	assert_line(text, "# TYPE smokeping_requests counter");
	assert_line(text, "# HELP smokeping_requests Number of ping requests sent");
	assert_line(text, "smokeping_requests_total{host=\"h\",ip=\"192.0.2.1\",source=\"\","
	                  "protocol=\"icmp\"} 1");
	assert_line(text, "# TYPE smokeping_response_duration_seconds histogram");
	assert_line(text, "# TYPE sonar_exporter_targets gauge");
	/* bounds as canonical numbers: whole ones with ".0", others as they are */
	assert_line(text, "smokeping_response_duration_seconds_bucket{host=\"h\",ip=\"192.0.2.1\","
	                  "source=\"\",protocol=\"icmp\",le=\"1.0\"} 0");
	assert_line(text, "smokeping_response_duration_seconds_bucket{host=\"h\",ip=\"192.0.2.1\","
	                  "source=\"\",protocol=\"icmp\",le=\"0.0001\"} 0");
	assert_line(text, "smokeping_response_duration_seconds_bucket{host=\"h\",ip=\"192.0.2.1\","
	                  "source=\"\",protocol=\"icmp\",le=\"+Inf\"} 0");
	assert_null(strstr(text, "# TYPE smokeping_requests_total"));
	len = strlen(text);
	assert_true(len > 6);
	assert_string_equal(text + len - 6, "# EOF\n");
	/* no reply yet: neither the TTL nor the last RTT has a sample */
	assert_null(strstr(text, "\nsmokeping_response_ttl{"));
	assert_null(strstr(text, "\nsonar_last_rtt_seconds{"));
	free(text);
	text = write_all(METRICS_TEXT, &b, &t, 1, NULL, 0);
	assert_null(strstr(text, "# EOF"));
	assert_non_null(strstr(text, "le=\"1\"} 0\n"));
	assert_null(strstr(text, "le=\"1.0\""));
	free(text);
}

/* Label values escape backslash, double quote and newline; HELP texts are
 * not tested here (fixed), but the escaping is the same code. */
static void test_escaping(void **state)
{
	struct metrics_buckets b;
	struct metrics_series s;
	struct metrics_target t;
	char *text;

	(void)state;
	metrics_buckets_default(&b);
	metrics_series_init(&s);
	t = (struct metrics_target){{"a\"b\\c\nd", "::1", "src\"", "tcp"}, &s};
	text = write_all(METRICS_TEXT, &b, &t, 1, NULL, 0);
	assert_line(text, "smokeping_requests_total{host=\"a\\\"b\\\\c\\nd\",ip=\"::1\","
	                  "source=\"src\\\"\",protocol=\"tcp\"} 0");
	free(text);
}

/* The default buckets: 16 bounds from 100 us to 10 s; a reply counts in
 * the first bucket whose bound it does not pass, cumulatively written. */
static void test_buckets(void **state)
{
	struct metrics_buckets b;
	struct metrics_series s;

	(void)state;
	metrics_buckets_default(&b);
	assert_int_equal(b.n, 16);
	assert_true(b.le[0] == 0.0001 && b.le[15] == 10);
	for (size_t i = 1; i < b.n; i++)
		assert_true(b.le[i] > b.le[i - 1]);
	metrics_series_init(&s);
	metrics_observe(&s, &b, 0.00005, 64);
	metrics_observe(&s, &b, 0.0003, 64);
	metrics_observe(&s, &b, 99, 64);
	metrics_observe(&s, &b, -1, 64); /* a clock step: counted as 0 */
	assert_int_equal(s.counts[0], 2);
	assert_int_equal(s.counts[2], 1);
	assert_int_equal(s.counts[16], 1);
	assert_int_equal(s.received, 4);
}

/* --buckets: what is taken and what is refused. */
static void test_buckets_parse(void **state)
{
	struct metrics_buckets b;
	char err[256], many[400] = "";

	(void)state;
	assert_int_equal(metrics_buckets_parse("5e-05,0.1,1", &b, err, sizeof(err)), 0);
	assert_int_equal(b.n, 3);
	assert_true(b.le[0] == 5e-05 && b.le[2] == 1);
	assert_int_equal(metrics_buckets_parse("0.1,0.1", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "above the one before"));
	assert_int_equal(metrics_buckets_parse("0.1,x", &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'x' is not a positive number"));
	assert_int_equal(metrics_buckets_parse("", &b, err, sizeof(err)), -1);
	assert_int_equal(metrics_buckets_parse("0,1", &b, err, sizeof(err)), -1);
	assert_int_equal(metrics_buckets_parse("1,inf", &b, err, sizeof(err)), -1);
	assert_int_equal(metrics_buckets_parse("1,", &b, err, sizeof(err)), -1);
	assert_int_equal(metrics_buckets_parse("nan", &b, err, sizeof(err)), -1);
	for (int i = 1; i <= 33; i++)
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "%s%d", i > 1 ? "," : "",
		         i);
	assert_int_equal(metrics_buckets_parse(many, &b, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at most 32"));
}

/* Bounds that differ past the 15th digit are distinct buckets, written
 * as distinct le values (the shortest text that reads back the same
 * number), in both formats; the usual ones stay as short as written. */
static void test_buckets_precision(void **state)
{
	struct metrics_buckets b;
	struct metrics_series s;
	struct metrics_target t = {{"h", "192.0.2.1", "", "icmp"}, &s};
	char err[256], *text;

	(void)state;
	assert_int_equal(metrics_buckets_parse("0.1,0.1000000000000001,1", &b, err, sizeof(err)),
	                 0);
	metrics_series_init(&s);
	for (enum metrics_format f = METRICS_TEXT; f <= METRICS_OPENMETRICS; f++) {
		text = write_all(f, &b, &t, 1, NULL, 0);
		assert_non_null(strstr(text, "le=\"0.1\"}"));
		assert_non_null(strstr(text, "le=\"0.1000000000000001\"}"));
		assert_non_null(strstr(text, f == METRICS_TEXT ? "le=\"1\"}" : "le=\"1.0\"}"));
		free(text);
	}
}

/* Accept: Prometheus's header gets OpenMetrics; curl's and none the text. */
static void test_negotiate(void **state)
{
	(void)state;
	assert_int_equal(metrics_negotiate("application/openmetrics-text;version=1.0.0,"
	                                   "application/openmetrics-text;version=0.0.1;q=0.75,"
	                                   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
	                 METRICS_OPENMETRICS);
	assert_int_equal(metrics_negotiate("*/*"), METRICS_TEXT);
	assert_int_equal(metrics_negotiate(NULL), METRICS_TEXT);
	assert_non_null(strstr(metrics_content_type(METRICS_TEXT), "text/plain; version=0.0.4"));
	assert_non_null(strstr(metrics_content_type(METRICS_OPENMETRICS),
	                       "application/openmetrics-text; version=1.0.0"));
}

/* Hops: their own families; the probes per hop, the answers per hop and
 * responder (hop_ip), a hop nobody answered with probes only. */
static void test_hops(void **state)
{
	static const struct metrics_answerer from[2] = {{"10.0.0.1", 3, 0.002},
	                                                {"10.0.0.2", 1, 0.004}};
	struct metrics_buckets b;
	struct metrics_hop h[2] = {
	    {{"t", "10.0.0.9", "", "icmp"}, 1, 4, from, 2},
	    {{"t", "10.0.0.9", "", "icmp"}, 2, 4, NULL, 0},
	};
	char *text;

	(void)state;
	metrics_buckets_default(&b);
	text = write_all(METRICS_TEXT, &b, NULL, 0, h, 2);
	assert_line(text, "sonar_hop_requests_total{host=\"t\",ip=\"10.0.0.9\",source=\"\","
	                  "protocol=\"icmp\",hop=\"1\"} 4");
	assert_line(text, "sonar_hop_requests_total{host=\"t\",ip=\"10.0.0.9\",source=\"\","
	                  "protocol=\"icmp\",hop=\"2\"} 4");
	assert_line(text, "sonar_hop_responses_total{host=\"t\",ip=\"10.0.0.9\",source=\"\","
	                  "protocol=\"icmp\",hop=\"1\",hop_ip=\"10.0.0.1\"} 3");
	assert_line(text, "sonar_hop_responses_total{host=\"t\",ip=\"10.0.0.9\",source=\"\","
	                  "protocol=\"icmp\",hop=\"1\",hop_ip=\"10.0.0.2\"} 1");
	assert_line(text, "sonar_hop_last_rtt_seconds{host=\"t\",ip=\"10.0.0.9\",source=\"\","
	                  "protocol=\"icmp\",hop=\"1\",hop_ip=\"10.0.0.2\"} 0.004");
	assert_null(strstr(text, "hop=\"2\",hop_ip"));
	free(text);
}

/* A good --listen address. */
static void listen_good(const char *s, int family, const char *addr, int port)
{
	struct sockaddr_storage ss;
	char err[256] = "", got[64];
	socklen_t len;

	if (http_parse_listen(s, &ss, &len, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", s, err);
	assert_int_equal(ss.ss_family, family);
	if (family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &a->sin_addr, got, sizeof(got));
		assert_int_equal(ntohs(a->sin_port), port);
		assert_int_equal(len, sizeof(*a));
	} else {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &a->sin6_addr, got, sizeof(got));
		assert_int_equal(ntohs(a->sin6_port), port);
		assert_int_equal(len, sizeof(*a));
	}
	assert_string_equal(got, addr);
}

/* A bad one, and why (a part of it). */
static void listen_bad(const char *s, const char *why)
{
	struct sockaddr_storage ss;
	char err[256] = "";
	socklen_t len;

	if (http_parse_listen(s, &ss, &len, err, sizeof(err)) == 0)
		fail_msg("'%s' taken", s);
	if (!strstr(err, why))
		fail_msg("'%s': '%s' does not say '%s'", s, err, why);
}

static void test_listen(void **state)
{
	(void)state;
	listen_good("127.0.0.1:9374", AF_INET, "127.0.0.1", 9374);
	listen_good("[::1]:80", AF_INET6, "::1", 80);
	listen_good(":9374", AF_INET6, "::", 9374);
	listen_good("0.0.0.0:65535", AF_INET, "0.0.0.0", 65535);
	listen_bad("127.0.0.1", "expected ADDR:PORT");
	listen_bad("127.0.0.1:", "expected ADDR:PORT");
	listen_bad("127.0.0.1:0", "port must be 1-65535");
	listen_bad("127.0.0.1:65536", "port must be 1-65535");
	listen_bad("127.0.0.1:80x", "port must be 1-65535");
	listen_bad("127.0.0.1:+80", "port must be 1-65535");
	listen_bad("::1:80", "in brackets");
	listen_bad("localhost:80", "not an IP address");
	listen_bad("[127.0.0.1:80", "not an IP address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_text_whole),
	    cmocka_unit_test(test_openmetrics),
	    cmocka_unit_test(test_escaping),
	    cmocka_unit_test(test_buckets),
	    cmocka_unit_test(test_buckets_parse),
	    cmocka_unit_test(test_negotiate),
	    cmocka_unit_test(test_buckets_precision),
	    cmocka_unit_test(test_hops),
	    cmocka_unit_test(test_listen),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
