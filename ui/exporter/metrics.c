/*
 * metrics.c - counting replies into series, and the exposition text.
 *
 * The two formats differ in four places only: a counter's family is named
 * without its _total in OpenMetrics' # TYPE and # HELP lines, HELP escapes
 * '"' there too, a whole bucket bound is "1.0" there ("1" in the text
 * format), and the text ends with "# EOF". Label values escape '\',
 * '"' and newline in both.
 */
#include "config.h"
#include "metrics.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const error_kinds[METRICS_ERR_KINDS] = {"timeout", "unreachable",
                                                           "time_exceeded", "icmp"};

void metrics_series_init(struct metrics_series *s)
{
	memset(s, 0, sizeof(*s));
	s->last = -1;
	s->ttl = -1;
}

void metrics_observe(struct metrics_series *s, const struct metrics_buckets *b, double rtt, int ttl)
{
	size_t i = 0;

	if (!(rtt >= 0)) /* NaN too */
		rtt = 0;
	while (i < b->n && rtt > b->le[i])
		i++;
	s->counts[i]++;
	s->received++;
	s->sum += rtt;
	s->last = rtt;
	if (ttl >= 0)
		s->ttl = ttl;
}

void metrics_buckets_default(struct metrics_buckets *b)
{
	static const double le[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
	                            0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};

	b->n = sizeof(le) / sizeof(le[0]);
	memcpy(b->le, le, sizeof(le));
}

int metrics_buckets_parse(const char *s, struct metrics_buckets *b, char *err, size_t errcap)
{
	const char *p = s;

	b->n = 0;
	for (;;) {
		char *end;
		double v;

		errno = 0;
		v = strtod(p, &end);
		if (end == p || errno || !isfinite(v) || v <= 0 || (*end != ',' && *end)) {
			snprintf(err, errcap,
			         "buckets '%s': '%.*s' is not a positive number of seconds", s,
			         (int)strcspn(p, ","), p);
			return -1;
		}
		if (b->n == METRICS_MAX_BUCKETS) {
			snprintf(err, errcap, "buckets '%s': at most %d", s, METRICS_MAX_BUCKETS);
			return -1;
		}
		if (b->n && v <= b->le[b->n - 1]) {
			snprintf(err, errcap,
			         "buckets '%s': each bound must be above the one before", s);
			return -1;
		}
		b->le[b->n++] = v;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

enum metrics_format metrics_negotiate(const char *accept)
{
	/* Prometheus asks "application/openmetrics-text;version=1.0.0,...;q=0.5,
	 * text/plain;version=0.0.4;q=0.4,*\/\*;q=0.1": whoever names
	 * OpenMetrics gets it (the text format is the fallback of everyone) */
	if (accept && strstr(accept, "application/openmetrics-text"))
		return METRICS_OPENMETRICS;
	return METRICS_TEXT;
}

const char *metrics_content_type(enum metrics_format f)
{
	return f == METRICS_OPENMETRICS
	           ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
	           : "text/plain; version=0.0.4; charset=utf-8";
}

/* Append len bytes. */
static void put(struct metrics_buf *o, const char *s, size_t len)
{
	if (o->failed)
		return;
	if (o->len + len + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		char *p;

		while (o->len + len + 1 > cap)
			cap *= 2;
		p = realloc(o->p, cap);
		if (!p) {
			o->failed = true;
			return;
		}
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, len);
	o->len += len;
	o->p[o->len] = '\0';
}

/* Append a string. */
static void puts_(struct metrics_buf *o, const char *s)
{
	put(o, s, strlen(s));
}

/* Append one character. */
static void putc_(struct metrics_buf *o, char c)
{
	put(o, &c, 1);
}

/* Append formatted text (short: numbers and names). */
static void __attribute__((format(printf, 2, 3))) putf(struct metrics_buf *o, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Append s escaped: '\' and newline always, '"' when quote. */
static void put_escaped(struct metrics_buf *o, const char *s, bool quote)
{
	const char *run = s;

	for (; *s; s++) {
		const char *esc = *s == '\\'           ? "\\\\"
		                  : *s == '\n'         ? "\\n"
		                  : *s == '"' && quote ? "\\\""
		                                       : NULL;

		if (!esc)
			continue;
		put(o, run, (size_t)(s - run));
		puts_(o, esc);
		run = s + 1;
	}
	put(o, run, (size_t)(s - run));
}

/* Write finite v into buf as the shortest of %.15g, %.16g and %.17g
 * that reads back as v (as Go's strconv writes floats: "0.1", not
 * "0.10000000000000001"; two numbers never written alike). */
static void shortest(char *buf, size_t cap, double v)
{
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, cap, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Append a float as both formats read it. */
static void put_double(struct metrics_buf *o, double v)
{
	char buf[40];

	if (isinf(v)) {
		puts_(o, v > 0 ? "+Inf" : "-Inf");
	} else if (isnan(v)) {
		puts_(o, "NaN");
	} else {
		shortest(buf, sizeof(buf), v);
		puts_(o, buf);
	}
}

/* Append the # TYPE and # HELP lines of family name (a counter's with its
 * _total: OpenMetrics names the family without it). */
static void family(struct metrics_buf *o, enum metrics_format f, const char *name, const char *type,
                   const char *help)
{
	size_t len = strlen(name);

	if (f == METRICS_OPENMETRICS && strcmp(type, "counter") == 0 && len > 6 &&
	    strcmp(name + len - 6, "_total") == 0)
		len -= 6;
	puts_(o, "# HELP ");
	put(o, name, len);
	putc_(o, ' ');
	put_escaped(o, help, f == METRICS_OPENMETRICS);
	puts_(o, "\n# TYPE ");
	put(o, name, len);
	putc_(o, ' ');
	puts_(o, type);
	putc_(o, '\n');
}

/* Append "{host=...,protocol=...": the target's labels, left open for
 * more; close_labels() ends them. */
static void open_labels(struct metrics_buf *o, const char *name, const struct metrics_labels *l)
{
	puts_(o, name);
	puts_(o, "{host=\"");
	put_escaped(o, l->host ? l->host : "", true);
	puts_(o, "\",ip=\"");
	put_escaped(o, l->ip ? l->ip : "", true);
	puts_(o, "\",source=\"");
	put_escaped(o, l->source ? l->source : "", true);
	puts_(o, "\",protocol=\"");
	put_escaped(o, l->protocol ? l->protocol : "", true);
	putc_(o, '"');
}

/* Append ",key=\"value\"". */
static void label(struct metrics_buf *o, const char *key, const char *value)
{
	putc_(o, ',');
	puts_(o, key);
	puts_(o, "=\"");
	put_escaped(o, value, true);
	putc_(o, '"');
}

/* Append "} VALUE\n" for a whole number. */
static void close_u64(struct metrics_buf *o, uint64_t v)
{
	putf(o, "} %llu\n", (unsigned long long)v);
}

/* Append "} VALUE\n" for a float. */
static void close_double(struct metrics_buf *o, double v)
{
	puts_(o, "} ");
	put_double(o, v);
	putc_(o, '\n');
}

/* The per target counters that are one number each. */
enum target_counter { C_SENT, C_DUPLICATES, C_SEND_ERRORS };

/* Append one counter family over every target. */
static void target_counter(struct metrics_buf *o, enum metrics_format f, const char *name,
                           const char *help, enum target_counter which,
                           const struct metrics_target *t, size_t n)
{
	family(o, f, name, "counter", help);
	for (size_t i = 0; i < n; i++) {
		const struct metrics_series *s = t[i].s;

		open_labels(o, name, &t[i].labels);
		close_u64(o, which == C_SENT         ? s->sent
		             : which == C_DUPLICATES ? s->duplicates
		                                     : s->send_errors);
	}
}

/* A bucket bound as le's value. OpenMetrics wants canonical numbers: a
 * whole one is written "1.0" (as client_golang writes it there, so the
 * series are smokeping_prober's), the text format "1". */
static void format_le(char *le, size_t cap, double v, enum metrics_format f)
{
	shortest(le, cap, v);
	if (f == METRICS_OPENMETRICS && !strpbrk(le, ".eE"))
		snprintf(le + strlen(le), cap - strlen(le), ".0");
}

/* Append the RTT histogram of every target. */
static void histogram(struct metrics_buf *o, enum metrics_format f, const struct metrics_buckets *b,
                      const struct metrics_target *t, size_t n)
{
	static const char name[] = "smokeping_response_duration_seconds";

	family(o, f, name, "histogram", "A histogram of latencies for ping responses.");
	for (size_t i = 0; i < n; i++) {
		const struct metrics_series *s = t[i].s;
		uint64_t cum = 0;

		for (size_t k = 0; k <= b->n; k++) {
			char le[40];

			cum += s->counts[k];
			if (k < b->n)
				format_le(le, sizeof(le), b->le[k], f);
			else
				snprintf(le, sizeof(le), "+Inf");
			open_labels(o, "smokeping_response_duration_seconds_bucket", &t[i].labels);
			label(o, "le", le);
			close_u64(o, cum);
		}
		open_labels(o, "smokeping_response_duration_seconds_sum", &t[i].labels);
		close_double(o, s->sum);
		open_labels(o, "smokeping_response_duration_seconds_count", &t[i].labels);
		close_u64(o, s->received);
	}
}

/* Append the per target series. */
static void targets(struct metrics_buf *o, enum metrics_format f, const struct metrics_buckets *b,
                    const struct metrics_target *t, size_t n)
{
	target_counter(o, f, "smokeping_requests_total", "Number of ping requests sent", C_SENT, t,
	               n);
	histogram(o, f, b, t, n);
	target_counter(o, f, "smokeping_response_duplicates_total",
	               "The number of duplicated response packets.", C_DUPLICATES, t, n);
	target_counter(o, f, "smokeping_send_errors_total",
	               "The number of errors when Pinger attempts to send packets.", C_SEND_ERRORS,
	               t, n);
	family(o, f, "sonar_probe_errors_total", "counter",
	       "Probes that got no reply, by kind: timeout, unreachable, time_exceeded, icmp.");
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < METRICS_ERR_KINDS; k++) {
			open_labels(o, "sonar_probe_errors_total", &t[i].labels);
			label(o, "kind", error_kinds[k]);
			close_u64(o, t[i].s->errors[k]);
		}
	family(o, f, "smokeping_response_ttl", "gauge", "The last response Time To Live (TTL).");
	for (size_t i = 0; i < n; i++)
		if (t[i].s->ttl >= 0) {
			open_labels(o, "smokeping_response_ttl", &t[i].labels);
			close_u64(o, (uint64_t)t[i].s->ttl);
		}
	family(o, f, "sonar_last_rtt_seconds", "gauge", "The round-trip time of the latest reply.");
	for (size_t i = 0; i < n; i++)
		if (t[i].s->last >= 0) {
			open_labels(o, "sonar_last_rtt_seconds", &t[i].labels);
			close_double(o, t[i].s->last);
		}
}

/* Append the per hop series of the traced targets: the probes per hop,
 * the answers and the last RTT per hop and responder. */
static void hops_(struct metrics_buf *o, enum metrics_format f, const struct metrics_hop *h,
                  size_t n)
{
	static const char *const names[] = {"sonar_hop_requests_total", "sonar_hop_responses_total",
	                                    "sonar_hop_last_rtt_seconds"};
	static const char *const helps[] = {
	    "Probes sent with this TTL.",
	    "Answers to them from hop_ip (its Time Exceeded, or the target's).",
	    "The round-trip time of hop_ip's latest answer to them."};

	for (int m = 0; m < 3; m++) {
		family(o, f, names[m], m < 2 ? "counter" : "gauge", helps[m]);
		for (size_t i = 0; i < n; i++) {
			char hop[16];

			snprintf(hop, sizeof(hop), "%d", h[i].hop);
			if (m == 0) {
				open_labels(o, names[m], &h[i].labels);
				label(o, "hop", hop);
				close_u64(o, h[i].sent);
				continue;
			}
			for (size_t k = 0; k < h[i].nfrom; k++) {
				const struct metrics_answerer *a = &h[i].from[k];

				open_labels(o, names[m], &h[i].labels);
				label(o, "hop", hop);
				label(o, "hop_ip", a->ip);
				if (m == 2)
					close_double(o, a->last);
				else
					close_u64(o, a->received);
			}
		}
	}
}

int metrics_write(struct metrics_buf *out, enum metrics_format f, const struct metrics_buckets *b,
                  const struct metrics_target *t, size_t n, const struct metrics_hop *hops,
                  size_t nhops, const struct metrics_info *info)
{
	targets(out, f, b, t, n);
	if (nhops)
		hops_(out, f, hops, nhops);
	family(out, f, "sonar_exporter_targets", "gauge", "Targets probed now.");
	putf(out, "sonar_exporter_targets %zu\n", info->targets);
	family(
	    out, f, "sonar_kernel_dropped_packets_total", "counter",
	    "Packets the kernel dropped for a full receive buffer (their probes count as lost).");
	putf(out, "sonar_kernel_dropped_packets_total %llu\n", (unsigned long long)info->dropped);
	family(out, f, "sonar_exporter_reloads_total", "counter",
	       "Rereads of the targets files, by result.");
	putf(out, "sonar_exporter_reloads_total{result=\"success\"} %llu\n",
	     (unsigned long long)info->reloads);
	putf(out, "sonar_exporter_reloads_total{result=\"failure\"} %llu\n",
	     (unsigned long long)info->reload_failures);
	if (f == METRICS_OPENMETRICS)
		puts_(out, "# EOF\n");
	return out->failed ? -1 : 0;
}
