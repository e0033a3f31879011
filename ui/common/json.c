/*
 * json.c - JSON writers.
 */
#include "config.h"
#include "json.h"

#include <stdbool.h>

#include <math.h>
#include <stdint.h>

char *fmt_fixed(char *buf, size_t cap, double x, int decimals)
{
	static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	char digits[32];
	int n = 0, i;
	long long v;
	bool neg;

	if (!isfinite(x) || fabs(x) >= 1e9 || decimals < 0 || decimals > 9) {
		snprintf(buf, cap, "%.*f", decimals < 0 ? 0 : decimals, x);
		return buf;
	}
	v = llround(x * scale[decimals]);
	neg = v < 0;
	if (neg)
		v = -v;
	do { /* digits, least significant first */
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 || n <= decimals);
	i = 0;
	if (neg && (size_t)i + 1 < cap)
		buf[i++] = '-';
	while (n > 0 && (size_t)i + 2 < cap) {
		buf[i++] = digits[--n];
		if (n == decimals && decimals > 0)
			buf[i++] = '.';
	}
	buf[i] = '\0';
	return buf;
}

void put_fixed(FILE *f, double x, int decimals)
{
	char buf[48];

	fputs(fmt_fixed(buf, sizeof(buf), x, decimals), f);
}

void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* `, "key": value` with this many decimals. */
static void fixed_field(FILE *f, const char *key, double value, int decimals)
{
	fprintf(f, ", \"%s\": ", key);
	put_fixed(f, value, decimals);
}

void json_host(FILE *f, const struct sonar_host *h, const char *target)
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
	fprintf(f, "], \"packets_sent\": %d, \"packets_received\": %d", h->packets_sent,
	        h->packets_received);
	fixed_field(f, "packet_loss", h->packet_loss, 2);
	fixed_field(f, "jitter", h->jitter, 3);
	fixed_field(f, "stdev_rtt", h->stdev_rtt, 3);
	fprintf(f, ", \"is_alive\": %s", h->is_alive ? "true" : "false");
	if (h->distance > 0)
		fprintf(f, ", \"distance\": %d", h->distance);
	fprintf(f, ", \"duplicates\": %d", h->duplicates);
	if (h->reply_ttl >= 0)
		fprintf(f, ", \"reply_ttl\": %d", h->reply_ttl);
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
	fputc('}', f);
}
