/*
 * json.c - JSON writers.
 */
#include "config.h"
#include "json.h"

#include <stdbool.h>

#include <math.h>
#include <stdint.h>
#include <time.h>

#include "fixed.h"

void json_string(FILE *f, const char *s)
{
	const char *run = s;

	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\')
			continue; /* in the run written as it is */
		fwrite(run, 1, (size_t)(s - run), f);
		run = s + 1;
		if (c == '"' || c == '\\') {
			fputc('\\', f);
			fputc(c, f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else {
			fprintf(f, "\\u%04x", c);
		}
	}
	if (s)
		fwrite(run, 1, (size_t)(s - run), f);
	fputc('"', f);
}

/* `, "key": value` with this many decimals. */
static void fixed_field(FILE *f, const char *key, double value, int decimals)
{
	fputs(", \"", f);
	fputs(key, f);
	fputs("\": ", f);
	put_fixed(f, value, decimals);
}

/* `, "mpls": [{"label": .., "tc": .., "s": .., "ttl": ..}, ...]`. */
static void json_mpls(FILE *f, const struct sonar_mpls *m, int n)
{
	int i;

	fputs(", \"mpls\": [", f);
	for (i = 0; m && i < n && i < SONAR_MPLS_MAX; i++)
		fprintf(f, "%s{\"label\": %u, \"tc\": %d, \"s\": %d, \"ttl\": %d}", i ? ", " : "",
		        (unsigned)m[i].label, m[i].tc, m[i].s, m[i].ttl);
	fputc(']', f);
}

/* `, "key": n`. */
static void int_field(FILE *f, const char *key, long n)
{
	fputs(", \"", f);
	fputs(key, f);
	fputs("\": ", f);
	put_fixed(f, (double)n, 0);
}

/* A host's fields, from the opening brace on (the caller closes it). */
static void host_fields(FILE *f, const struct sonar_host *h, const char *target)
{
	int i;

	fputc('{', f);
	if (target) {
		fputs("\"target\": ", f);
		json_string(f, target);
		fputs(", ", f);
	}
	fputs("\"address\": ", f);
	json_string(f, h->address);
	fixed_field(f, "min_rtt", h->min_rtt, 3);
	fixed_field(f, "avg_rtt", h->avg_rtt, 3);
	fixed_field(f, "max_rtt", h->max_rtt, 3);
	fputs(", \"rtts\": [", f);
	for (i = 0; i < h->rtts_count && h->rtts; i++) {
		if (i)
			fputs(", ", f);
		put_fixed(f, h->rtts[i], 6);
	}
	fputc(']', f);
	int_field(f, "packets_sent", h->packets_sent);
	int_field(f, "packets_received", h->packets_received);
	fixed_field(f, "packet_loss", h->packet_loss, 2);
	fixed_field(f, "jitter", h->jitter, 3);
	fixed_field(f, "stdev_rtt", h->stdev_rtt, 3);
	fputs(h->is_alive ? ", \"is_alive\": true" : ", \"is_alive\": false", f);
	if (h->distance > 0) {
		int_field(f, "distance", h->distance);
		json_mpls(f, h->mpls, h->mpls_count);
	}
	int_field(f, "duplicates", h->duplicates);
	if (h->reply_ttl >= 0)
		int_field(f, "reply_ttl", h->reply_ttl);
	else
		fputs(", \"reply_ttl\": null", f);
	if (h->error) {
		fputs(", \"error\": ", f);
		json_string(f, h->error_message[0] ? h->error_message : sonar_strerror(h->error));
		fputs(", \"error_type\": ", f);
		json_string(f, sonar_strerror(h->error));
	} else {
		fputs(", \"error\": null, \"error_type\": null", f);
	}
}

void json_host(FILE *f, const struct sonar_host *h, const char *target)
{
	host_fields(f, h, target);
	fputc('}', f);
}

void json_hop(FILE *f, const struct sonar_host *h, const struct asn_info *asn)
{
	int i;

	host_fields(f, h, NULL);
	if (asn && asn->count > 0) {
		int_field(f, "asn", (long)asn->as[0]);
		fputs(", \"as_name\": ", f);
		if (asn->name[0])
			json_string(f, asn->name);
		else
			fputs("null", f);
	} else {
		fputs(", \"asn\": null, \"as_name\": null", f);
	}
	fputs(", \"asns\": [", f);
	for (i = 0; asn && i < asn->count && i < ASN_LIST_MAX; i++) {
		if (i)
			fputs(", ", f);
		put_fixed(f, (double)asn->as[i], 0);
	}
	fputs("]}", f);
}

/* The event type's name in the stream. */
static const char *event_name(enum sonar_event_type t)
{
	switch (t) {
	case SONAR_EVENT_SENT:
		return "sent";
	case SONAR_EVENT_REPLY:
		return "reply";
	case SONAR_EVENT_DUPLICATE:
		return "duplicate";
	case SONAR_EVENT_TIMEOUT:
		return "timeout";
	case SONAR_EVENT_ICMP_ERROR:
		return "icmp_error";
	case SONAR_EVENT_SEND_ERROR:
		return "send_error";
	}
	return "unknown";
}

void json_event(FILE *f, const struct sonar_event *ev)
{
	struct tm tm;
	char when[32];

	gmtime_r(&ev->when.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "{\"time\": \"%s.%06ldZ\", \"event\": \"%s\", \"op\": %d, \"index\": %zu", when,
	        ev->when.tv_nsec / 1000, event_name(ev->type), ev->op, ev->target);
	fputs(", \"target\": ", f);
	json_string(f, ev->name);
	fputs(", \"address\": ", f);
	json_string(f, ev->address);
	fprintf(f, ", \"seq\": %d, \"probe_ttl\": %d", ev->sequence, ev->probe_ttl);
	if (ev->type != SONAR_EVENT_SENT && ev->type != SONAR_EVENT_TIMEOUT &&
	    ev->type != SONAR_EVENT_SEND_ERROR) {
		fputs(", \"from\": ", f);
		json_string(f, ev->from);
		fprintf(f, ", \"rtt\": %.6f, \"bytes\": %zu", ev->rtt, ev->bytes);
		if (ev->reply_ttl >= 0)
			fprintf(f, ", \"reply_ttl\": %d", ev->reply_ttl);
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR) {
		fprintf(f, ", \"icmp_type\": %d, \"icmp_code\": %d", ev->icmp_type, ev->icmp_code);
		if (ev->mpls_count > 0)
			json_mpls(f, ev->mpls, ev->mpls_count);
	}
	if (ev->error) {
		fputs(", \"error_type\": ", f);
		json_string(f, sonar_strerror(ev->error));
		if (ev->message && *ev->message) {
			fputs(", \"error\": ", f);
			json_string(f, ev->message);
		}
	}
	fputs("}\n", f);
	fflush(f); /* a log follows events as they happen */
}
