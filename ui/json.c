/*
 * json.c - JSON writers.
 */
#include "config.h"
#include "json.h"

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
	fprintf(f, ", \"min_rtt\": %.3f, \"avg_rtt\": %.3f, \"max_rtt\": %.3f", h->min_rtt,
	        h->avg_rtt, h->max_rtt);
	fputs(", \"rtts\": [", f);
	for (i = 0; i < h->packets_received && h->rtts; i++)
		fprintf(f, "%s%.6f", i ? ", " : "", h->rtts[i]);
	fprintf(f, "], \"packets_sent\": %d, \"packets_received\": %d", h->packets_sent,
	        h->packets_received);
	fprintf(f, ", \"packet_loss\": %.2f, \"jitter\": %.3f, \"stdev_rtt\": %.3f", h->packet_loss,
	        h->jitter, h->stdev_rtt);
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
