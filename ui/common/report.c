/*
 * report.c - results for people (tables) and scripts (CSV).
 */
#include "config.h"
#include "report.h"

#include <string.h>

#include "cli.h"
#include "fixed.h"
#include "json.h"

void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The CSV header, without its newline. */
static void csv_header(FILE *f, bool hops)
{
	fputs(hops ? "distance" : "target", f);
	fputs(",address,packets_sent,packets_received,packet_loss,min_rtt,avg_rtt,max_rtt,"
	      "stdev_rtt,jitter,is_alive,duplicates,reply_ttl,error_type,error",
	      f);
}

void report_csv_header(FILE *f, bool hops)
{
	csv_header(f, hops);
	fputc('\n', f);
}

/* One CSV row, without its newline. */
static void csv_host(FILE *f, const struct sonar_host *h, const char *target)
{
	if (target)
		csv_field(f, target);
	else
		fprintf(f, "%d", h->distance);
	fputc(',', f);
	csv_field(f, h->address);
	fprintf(f, ",%d,%d,%.2f,%.3f,%.3f,%.3f,%.3f,%.3f,%s,%d,", h->packets_sent,
	        h->packets_received, h->packet_loss, h->min_rtt, h->avg_rtt, h->max_rtt,
	        h->stdev_rtt, h->jitter, h->is_alive ? "true" : "false", h->duplicates);
	if (h->reply_ttl >= 0)
		fprintf(f, "%d", h->reply_ttl);
	fputc(',', f);
	if (h->error) {
		csv_field(f, sonar_strerror(h->error));
		fputc(',', f);
		csv_field(f, h->error_message);
	} else {
		fputc(',', f);
	}
}

void report_csv_host(FILE *f, const struct sonar_host *h, const char *target)
{
	csv_host(f, h, target);
	fputc('\n', f);
}

void report_hosts(FILE *f, bool json, const struct sonar_host *hosts, size_t n, char *const *names)
{
	size_t i;

	if (!json) {
		report_csv_header(f, names == NULL);
		for (i = 0; i < n; i++)
			report_csv_host(f, &hosts[i], names ? names[i] : NULL);
		return;
	}
	fputs("[\n", f);
	for (i = 0; i < n; i++) {
		fputs("  ", f);
		json_host(f, &hosts[i], names ? names[i] : NULL);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("]\n", f);
}

void report_table(FILE *f, const struct sonar_host *hosts, char *const *names, size_t n)
{
	size_t i, w = 6, aw = 7;

	for (i = 0; i < n; i++) {
		if (strlen(names[i]) > w)
			w = strlen(names[i]);
		if (strlen(hosts[i].address) > aw)
			aw = strlen(hosts[i].address);
	}
	if (w > 40)
		w = 40;
	if (aw > 40)
		aw = 40;
	fprintf(f, "%-*s  %-*s  %5s %5s %6s %9s %9s %9s %9s\n", (int)w, "TARGET", (int)aw,
	        "ADDRESS", "SENT", "RECV", "LOSS", "MIN", "AVG", "MAX", "JITTER");
	for (i = 0; i < n; i++) {
		const struct sonar_host *h = &hosts[i];

		fprintf(f, "%-*.*s  %-*.*s  %5d %5d %5.0f%%", (int)w, (int)w, names[i], (int)aw,
		        (int)aw, h->address, h->packets_sent, h->packets_received,
		        h->packet_loss * 100);
		if (h->is_alive)
			fprintf(f, " %9.3f %9.3f %9.3f %9.3f", h->min_rtt, h->avg_rtt, h->max_rtt,
			        h->jitter);
		else
			fprintf(f, " %9s %9s %9s %9s", "-", "-", "-", "-");
		if (h->error)
			fprintf(f, "  %s", h->error_message);
		fputc('\n', f);
	}
}

/* traceroute's annotation for an unreachable answer (!H, !N, !P, !X ...). */
static const char *unreach_mark(const struct sonar_host *h)
{
	bool v6 = strchr(h->address, ':') != NULL;

	if (h->error != SONAR_EUNREACH)
		return "";
	if (v6)
		switch (h->icmp_code) {
		case 0:
			return " !N";
		case 1:
			return " !X";
		case 3:
			return " !H";
		case 4:
			return " !P";
		default:
			return " !";
		}
	switch (h->icmp_code) {
	case 0:
		return " !N";
	case 1:
		return " !H";
	case 2:
		return " !P";
	case 3:
		return "";
	case 13:
		return " !X";
	default:
		return " !";
	}
}

/* A hop's MPLS label stack, one entry a line as mtr shows it. */
static void mpls_lines(FILE *f, const struct sonar_host *h, const char *indent)
{
	int i;

	for (i = 0; i < h->mpls_count && i < SONAR_MPLS_MAX; i++)
		fprintf(f, "%s[MPLS: Lbl %u TC %d S %d TTL %d]\n", indent,
		        (unsigned)h->mpls[i].label, h->mpls[i].tc, h->mpls[i].s, h->mpls[i].ttl);
}

/* A hop's AS in text: "[AS64500 EXAMPLE-NET]", or "" when none is known. */
static char *trace_tag(const struct asn_info *asn, char *out, size_t cap)
{
	char tag[96];

	asn_tag(asn, true, tag, sizeof(tag));
	if (tag[0])
		snprintf(out, cap, "[%s]", tag);
	else
		out[0] = '\0';
	return out;
}

void report_trace(FILE *f, const struct sonar_host *hops, size_t n, int first_hop,
                  const struct asn_info *asn)
{
	char tag[100];
	size_t i;
	int ttl = first_hop, aw = 39, tw = 0;

	if (asn) /* columns as wide as the widest address and AS */
		for (i = 0, aw = 1; i < n; i++) {
			int w = (int)strlen(trace_tag(&asn[i], tag, sizeof(tag)));

			if ((int)strlen(hops[i].address) > aw)
				aw = (int)strlen(hops[i].address);
			if (w > tw)
				tw = w;
		}
	for (i = 0; i < n; i++) {
		const struct sonar_host *h = &hops[i];
		int k;

		for (; ttl < h->distance; ttl++)
			fprintf(f, "%3d  *\n", ttl);
		fprintf(f, "%3d  %-*s", h->distance, aw, h->address);
		if (asn)
			fprintf(f, "  %-*s", tw, trace_tag(&asn[i], tag, sizeof(tag)));
		for (k = 0; h->rtts && k < h->rtts_count; k++)
			fprintf(f, " %8.3f ms", h->rtts[k]);
		if (h->packet_loss > 0)
			fprintf(f, "  (loss %.0f%%)", h->packet_loss * 100);
		fprintf(f, "%s\n", unreach_mark(h));
		mpls_lines(f, h, "       ");
		ttl = h->distance + 1;
	}
}

/*
 * One report line: TTL, AS (as NULL: no AS column), host, then the columns
 * (h NULL: a silent TTL).
 */
static void mtr_line(FILE *f, int ttl, int as_width, const char *as, int width,
                     const struct sonar_host *h, int silent_sent)
{
	char num[6][24];

	fprintf(f, "%3d.|-- ", ttl);
	if (as)
		fprintf(f, "%-*s ", as_width, as);
	if (!h) {
		fprintf(f, "%-*s %6.1f%% %5d %8s %8s %8s %8s %8s %8s\n", width, "???", 100.0,
		        silent_sent, "-", "-", "-", "-", "-", "-");
		return;
	}
	fmt_fixed(num[0], sizeof(num[0]), h->rtts_count > 0 ? h->rtts[h->rtts_count - 1] : 0, 3);
	fmt_fixed(num[1], sizeof(num[1]), h->avg_rtt, 3);
	fmt_fixed(num[2], sizeof(num[2]), h->min_rtt, 3);
	fmt_fixed(num[3], sizeof(num[3]), h->max_rtt, 3);
	fmt_fixed(num[4], sizeof(num[4]), h->stdev_rtt, 3);
	fmt_fixed(num[5], sizeof(num[5]), h->jitter, 3);
	fprintf(f, "%-*s %6.1f%% %5d %8s %8s %8s %8s %8s %8s%s\n", width, h->address,
	        h->packet_loss * 100, h->packets_sent, num[0], num[1], num[2], num[3], num[4],
	        num[5], unreach_mark(h));
}

/* A hop's AS in the report, as mtr -z: "AS64500", "AS???" when unknown. */
static const char *mtr_as(const struct asn_info *asn, char *out, size_t cap)
{
	asn_tag(asn, false, out, cap);
	if (!out[0])
		snprintf(out, cap, "AS???");
	return out;
}

void report_mtr(FILE *f, const char *target, const struct sonar_host *hops, size_t n, int first_hop,
                int silent_sent, const struct asn_info *asn)
{
	char as[96];
	int width = 20, as_width = 0, ttl = first_hop;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((int)strlen(hops[i].address) > width)
			width = (int)strlen(hops[i].address);
		if (asn && (int)strlen(mtr_as(&asn[i], as, sizeof(as))) > as_width)
			as_width = (int)strlen(as);
	}
	fprintf(f, "HOST: %-*s %7s %5s %8s %8s %8s %8s %8s %8s\n",
	        width + 2 + (asn ? as_width + 1 : 0), target, "Loss%", "Snt", "Last", "Avg", "Best",
	        "Wrst", "StDev", "Jitter");
	for (i = 0; i < n; i++) {
		for (; ttl < hops[i].distance; ttl++)
			mtr_line(f, ttl, as_width, asn ? "AS???" : NULL, width, NULL, silent_sent);
		mtr_line(f, hops[i].distance, as_width,
		         asn ? mtr_as(&asn[i], as, sizeof(as)) : NULL, width, &hops[i],
		         silent_sent);
		mpls_lines(f, &hops[i], "    |  ");
		ttl = hops[i].distance + 1;
	}
}

/* Flow k's hop at this TTL, or NULL. */
static const struct sonar_host *hop_at(const struct sonar_host *hops, size_t n, int ttl)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hops[i].distance == ttl)
			return &hops[i];
	return NULL;
}

void report_forks(FILE *f, const struct sonar_host *const *hops, const size_t *n, size_t flows,
                  int first_hop)
{
	int ttl, last = 0;
	size_t k, j, i;

	for (k = 0; k < flows; k++)
		for (i = 0; i < n[k]; i++)
			if (hops[k][i].distance > last)
				last = hops[k][i].distance;
	for (ttl = first_hop; ttl <= last; ttl++) {
		bool shown[64] = {false}, any = false;

		for (k = 0; k < flows && k < 64; k++) {
			const struct sonar_host *h = hop_at(hops[k], n[k], ttl), *g;
			char list[256] = "";
			double rtt_sum = 0;
			long sent = 0, got = 0;
			size_t len = 0;

			if (!h || shown[k])
				continue;
			for (j = k; j < flows && j < 64; j++) { /* the flows that met this one */
				g = hop_at(hops[j], n[j], ttl);
				if (!g || shown[j] || strcmp(g->address, h->address) != 0)
					continue;
				shown[j] = true;
				rtt_sum += g->avg_rtt * g->packets_received;
				sent += g->packets_sent;
				got += g->packets_received;
				len += (size_t)snprintf(list + len,
				                        len < sizeof(list) ? sizeof(list) - len : 0,
				                        "%s%zu", len ? "," : "", j);
				if (len >= sizeof(list))
					len = sizeof(list) - 1;
			}
			if (any)
				fprintf(f, "     %-39s", h->address);
			else
				fprintf(f, "%3d  %-39s", ttl, h->address);
			fprintf(f, " %8.3f ms  loss %3.0f%%  flows %s%s\n",
			        got ? rtt_sum / (double)got : 0,
			        sent ? 100.0 * (double)(sent - got) / (double)sent : 0, list,
			        unreach_mark(h));
			mpls_lines(f, h, "       ");
			any = true;
		}
		if (!any)
			fprintf(f, "%3d  *\n", ttl);
	}
}

void report_hops(FILE *f, bool json, const struct sonar_host *hops, size_t n,
                 const struct asn_info *asn)
{
	size_t i;

	if (!asn) {
		report_hosts(f, json, hops, n, NULL);
		return;
	}
	if (!json) {
		csv_header(f, true);
		fputs(",asn,as_name\n", f);
		for (i = 0; i < n; i++) {
			csv_host(f, &hops[i], NULL);
			if (asn[i].count > 0) {
				fprintf(f, ",%u,", (unsigned)asn[i].as[0]);
				csv_field(f, asn[i].name);
			} else {
				fputc(',', f);
			}
			fputc('\n', f);
		}
		return;
	}
	fputs("[\n", f);
	for (i = 0; i < n; i++) {
		fputs("  ", f);
		json_hop(f, &hops[i], &asn[i]);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("]\n", f);
}

int report_exit_code(const struct sonar_host *hosts, size_t n)
{
	size_t i;
	int code = EXIT_ALIVE;

	for (i = 0; i < n; i++) {
		const struct sonar_host *h = &hosts[i];

		if (h->error == SONAR_ENAMELOOKUP)
			return EXIT_NAME;
		if (!h->is_alive && h->error && cli_exit_code(h->error) == EXIT_SYSTEM)
			code = EXIT_SYSTEM;
		else if (!h->is_alive && code == EXIT_ALIVE)
			code = EXIT_UNREACHABLE;
	}
	return code;
}
