/*
 * blockcall.c - libsonar's blocking calls, results as JSON, for the lab
 * (tests/lab/blocking.sh compares them with the sonar program's, which
 * runs the non-blocking engine):
 *
 *   blockcall ping|multiping|traceroute [-c N] [-i S] [-W S] [-m N]
 *             [-4|-6] [--unprivileged] ADDRESS...
 *
 * Prints {"rc": NAME, "result": R}: NAME is sonar_strerror() of what the
 * call returned ("Success" for 0); R is, for ping, one host; for multiping,
 * the hosts in input order; for traceroute, the hops (then freed with
 * sonar_hops_free()). A host has the sonar program's JSON keys, those both
 * must agree on. Exit 0 when the call returned, whatever its code; 2 for
 * bad usage. Only the public header: this is a library user's program.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sonar.h"

/* Print s as a JSON string (the addresses and messages are plain ASCII). */
static void put_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

/* Print one host as a JSON object; target is the name asked for, or NULL. */
static void put_host(const struct sonar_host *h, const char *target)
{
	int i;

	putchar('{');
	if (target) {
		fputs("\"target\": ", stdout);
		put_string(target);
		fputs(", ", stdout);
	}
	fputs("\"address\": ", stdout);
	put_string(h->address);
	printf(", \"min_rtt\": %.6f, \"avg_rtt\": %.6f, \"max_rtt\": %.6f", h->min_rtt, h->avg_rtt,
	       h->max_rtt);
	fputs(", \"rtts\": [", stdout);
	for (i = 0; i < h->rtts_count && h->rtts; i++)
		printf("%s%.6f", i ? ", " : "", h->rtts[i]);
	printf("], \"rtts_count\": %d, \"packets_sent\": %d, \"packets_received\": %d",
	       h->rtts_count, h->packets_sent, h->packets_received);
	printf(", \"packet_loss\": %.6f, \"is_alive\": %s", h->packet_loss,
	       h->is_alive ? "true" : "false");
	if (h->distance > 0)
		printf(", \"distance\": %d", h->distance);
	printf(", \"duplicates\": %d", h->duplicates);
	if (h->reply_ttl >= 0)
		printf(", \"reply_ttl\": %d", h->reply_ttl);
	else
		fputs(", \"reply_ttl\": null", stdout);
	if (h->error) {
		fputs(", \"error\": ", stdout);
		put_string(h->error_message[0] ? h->error_message : sonar_strerror(h->error));
		fputs(", \"error_type\": ", stdout);
		put_string(sonar_strerror(h->error));
	} else {
		fputs(", \"error\": null, \"error_type\": null", stdout);
	}
	putchar('}');
}

/* Print the usage and return 2. */
static int usage(void)
{
	fputs("usage: blockcall ping|multiping|traceroute [-c N] [-i S] [-W S] [-m N]\n"
	      "                 [-4|-6] [--unprivileged] ADDRESS...\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"unprivileged", no_argument, NULL, 'u'},
	    {NULL, 0, NULL, 0},
	};
	struct sonar_options o;
	const char *what;
	int c, rc, count = -1, max_hops = -1, family = 0;
	double interval = -1, timeout = -1;
	bool unprivileged = false;
	size_t i, n;

	if (argc < 2)
		return usage();
	what = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "c:i:W:m:46", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			count = atoi(optarg);
			break;
		case 'i':
			interval = atof(optarg);
			break;
		case 'W':
			timeout = atof(optarg);
			break;
		case 'm':
			max_hops = atoi(optarg);
			break;
		case '4':
			family = 4;
			break;
		case '6':
			family = 6;
			break;
		case 'u':
			unprivileged = true;
			break;
		default:
			return usage();
		}
	}
	n = (size_t)(argc - optind);
	if (n == 0)
		return usage();
	if (!strcmp(what, "ping") && n == 1)
		sonar_ping_defaults(&o);
	else if (!strcmp(what, "multiping"))
		sonar_multiping_defaults(&o);
	else if (!strcmp(what, "traceroute") && n == 1)
		sonar_traceroute_defaults(&o);
	else
		return usage();
	if (count >= 0)
		o.count = count;
	if (interval >= 0)
		o.interval = interval;
	if (timeout >= 0)
		o.timeout = timeout;
	if (max_hops > 0)
		o.max_hops = max_hops;
	o.family = family;
	if (unprivileged)
		o.privileged = false;

	if (!strcmp(what, "ping")) {
		struct sonar_host h;

		rc = sonar_ping(argv[optind], &o, &h);
		printf("{\"rc\": \"%s\", \"result\": ", sonar_strerror(rc));
		put_host(&h, argv[optind]);
		sonar_host_clear(&h);
	} else if (!strcmp(what, "multiping")) {
		struct sonar_host *hosts = calloc(n, sizeof(*hosts));

		if (!hosts)
			return 1;
		rc = sonar_multiping((const char *const *)argv + optind, n, &o, hosts);
		printf("{\"rc\": \"%s\", \"result\": [", sonar_strerror(rc));
		for (i = 0; rc == 0 && i < n; i++) {
			if (i)
				fputs(", ", stdout);
			put_host(&hosts[i], argv[optind + (int)i]);
		}
		putchar(']');
		for (i = 0; i < n; i++)
			sonar_host_clear(&hosts[i]);
		free(hosts);
	} else {
		struct sonar_host *hops = NULL;

		rc = sonar_traceroute(argv[optind], &o, &hops, &n);
		printf("{\"rc\": \"%s\", \"result\": [", sonar_strerror(rc));
		for (i = 0; rc == 0 && i < n; i++) {
			if (i)
				fputs(", ", stdout);
			put_host(&hops[i], NULL);
		}
		putchar(']');
		/* sonar_hops_free() is the only release of hops (NULL after an
		 * error); an ASan build (CI's) fails this program on a leak */
		sonar_hops_free(hops, n);
	}
	if (rc < 0)
		fprintf(stderr, "blockcall: %s\n", sonar_last_error());
	puts("}");
	fflush(stdout); /* before a leak check's exit, which would lose it */
	return 0;
}
