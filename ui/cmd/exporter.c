/*
 * exporter.c - `sonar exporter`: probe targets for ever and serve their
 * counters to Prometheus at /metrics.
 *
 * One thread, one loop: pselect() watches the engine's sockets and the web
 * server's beside each other. Inside a turn the engine goes first (replies
 * read with their kernel timestamps, timeouts, sends), then the web server
 * (a scrape sees the turn's counters). SIGHUP and POST /-/reload reread
 * the targets files; SIGINT and SIGTERM end the loop.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "cli.h"
#include "cmd.h"
#include "sonar.h"
#include "stop.h"
#include "target_url.h"
#include "targets.h"

#ifdef HAVE_MICROHTTPD
#include "http.h"
#include "metrics.h"
#include "probes.h"
#include "traces.h"

enum { OPT_LISTEN = OPT_FIRST_FREE, OPT_BUCKETS, OPT_TRACE };

#define DEFAULT_LISTEN "127.0.0.1:9374" /* smokeping_prober's port */

struct exporter {
	struct cli_common cc;
	struct probes p;
	const char *listen;
	const char *files[8]; /* -F, reread on each reload */
	size_t nfiles;
	char **operands; /* the TARGETs of the command line */
	size_t nops;
	const char *traced[16]; /* --trace: probed and traced, for ever */
	size_t ntraced;
	struct traces traces;
	struct metrics_info info;
};

static volatile sig_atomic_t reload_flag;

/* SIGHUP: note a reload for the loop. */
static void on_hup(int sig)
{
	(void)sig;
	reload_flag = 1;
}

/* Print the usage of `sonar exporter`. */
static void usage(FILE *f)
{
	fputs("Usage: sonar exporter [--listen ADDR:PORT] [-F FILE] [OPTIONS] [TARGET...]\n"
	      "Probe the targets continuously and serve their counters to Prometheus at\n"
	      "http://ADDR:PORT/metrics. A TARGET is a host (ICMP, or what --udp, --tcp\n"
	      "and -p say), tcp://HOST[:PORT] or udp://HOST[:PORT].\n\n"
	      "  -l, --listen ADDR:PORT  where to serve (default " DEFAULT_LISTEN ";\n"
	      "                          :9374 for every address)\n"
	      "  -F, --file FILE         read targets from FILE, one per line, '#' starts a\n"
	      "                          comment; reread on SIGHUP and POST /-/reload\n"
	      "  -T, --trace TARGET      probe TARGET and trace its path too: per hop series\n"
	      "                          (sonar_hop_*; up to 16)\n"
	      "      --buckets LIST      RTT histogram bounds in seconds, comma separated\n"
	      "                          (default 0.0001,0.00025,...,5,10)\n"
	      "  -i, --interval S        seconds between probes to one target (default 1)\n",
	      f);
	fputs(cli_common_help, f);
}

/* exporter's own options. */
static int exporter_option(int c, const char *arg, void *ctx)
{
	struct exporter *x = ctx;
	char err[300];

	switch (c) {
	case 'F':
		if (x->nfiles == sizeof(x->files) / sizeof(x->files[0])) {
			cli_error("at most 8 -F files");
			return -1;
		}
		if (strcmp(arg, "-") == 0) {
			cli_error("-F -: the exporter rereads its files, standard input cannot be");
			return -1;
		}
		x->files[x->nfiles++] = arg;
		return 1;
	case 'l':
	case OPT_LISTEN:
		x->listen = arg;
		return 1;
	case 'T':
	case OPT_TRACE:
		if (x->ntraced == sizeof(x->traced) / sizeof(x->traced[0])) {
			cli_error("at most 16 --trace targets");
			return -1;
		}
		if (target_url_check(arg, err, sizeof(err)) < 0) {
			cli_error("--trace %s: %s", arg, err);
			return -1;
		}
		/* given twice, traced once: two traces would write the same
		 * series twice (as a target listed twice is probed once) */
		for (size_t i = 0; i < x->ntraced; i++)
			if (strcmp(x->traced[i], arg) == 0)
				return 1;
		x->traced[x->ntraced++] = arg;
		return 1;
	case OPT_BUCKETS:
		if (metrics_buckets_parse(arg, &x->p.buckets, err, sizeof(err)) < 0) {
			cli_error("%s", err);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

/* Read the targets: the files, then the command line's. 0, or -1 with why
 * in err. */
static int read_targets(struct exporter *x, struct target_list *l, char *err, size_t errcap)
{
	memset(l, 0, sizeof(*l));
	l->check = target_url_check;
	for (size_t i = 0; i < x->nfiles; i++)
		if (targets_read(x->files[i], l, err, errcap) < 0)
			return -1;
	for (size_t i = 0; i < x->nops; i++) {
		char why[300];

		if (target_url_check(x->operands[i], why, sizeof(why)) < 0) {
			snprintf(err, errcap, "%s: %s", x->operands[i], why);
			return -1;
		}
		if (targets_add(l, x->operands[i]) < 0) {
			snprintf(err, errcap, "out of memory");
			return -1;
		}
	}
	for (size_t i = 0; i < x->ntraced; i++)
		if (targets_add(l, x->traced[i]) < 0) {
			snprintf(err, errcap, "out of memory");
			return -1;
		}
	return 0;
}

/* Reread the targets files and make them the probed ones: targets that
 * stay keep their counters. 0, or -1 with why in err (nothing changed). */
static int reload_cb(char *err, size_t errcap, void *user)
{
	struct exporter *x = user;
	struct target_list l;
	size_t skipped = 0;
	int r;

	r = read_targets(x, &l, err, errcap);
	if (r == 0)
		r = probes_set(&x->p, &l, &skipped, err, errcap);
	targets_free(&l);
	if (r < 0) {
		x->info.reload_failures++;
		cli_error("reload failed, the targets stay as they were: %s", err);
		return -1;
	}
	x->info.reloads++;
	cli_error("reloaded: %zu targets probed, %zu left out", x->p.n, skipped);
	return 0;
}

/* The labels of target t. */
static struct metrics_labels labels_of(const struct exporter *x, const struct probe_target *t)
{
	return (struct metrics_labels){
	    .host = t->spec,
	    .ip = t->ip,
	    .source = x->p.o.source ? x->p.o.source : "",
	    .protocol = t->protocol == SONAR_PROTO_TCP   ? "tcp"
	                : t->protocol == SONAR_PROTO_UDP ? "udp"
	                                                 : "icmp",
	};
}

/* /metrics: every target's series. */
static int metrics_cb(enum metrics_format f, char **body, size_t *len, void *user)
{
	struct exporter *x = user;
	struct metrics_target *t = malloc((x->p.n ? x->p.n : 1) * sizeof(*t));
	struct metrics_buf out = {0};
	struct metrics_hop *hops = NULL;
	size_t nhops = 0;

	if (!t || traces_hops(&x->traces, x->p.o.source ? x->p.o.source : "", &hops, &nhops) < 0) {
		free(t);
		return -1;
	}
	for (size_t i = 0; i < x->p.n; i++)
		t[i] = (struct metrics_target){labels_of(x, x->p.t[i]), &x->p.t[i]->s};
	x->info.targets = x->p.n;
	x->info.dropped = sonar_engine_dropped(x->p.e);
	metrics_write(&out, f, &x->p.buckets, t, x->p.n, hops, nhops, &x->info);
	free(t);
	free(hops);
	if (out.failed) {
		free(out.p);
		return -1;
	}
	*body = out.p;
	*len = out.len;
	return 0;
}

/* Copy s into out (cap bytes) with HTML's special characters escaped. */
static void html_escape(const char *s, char *out, size_t cap)
{
	size_t k = 0;

	for (; *s && k + 7 < cap; s++) {
		const char *e = *s == '<'   ? "&lt;"
		                : *s == '>' ? "&gt;"
		                : *s == '&' ? "&amp;"
		                : *s == '"' ? "&quot;"
		                            : NULL;

		if (e) {
			memcpy(out + k, e, strlen(e));
			k += strlen(e);
		} else {
			out[k++] = *s;
		}
	}
	out[k] = '\0';
}

/* /: a page listing the targets. */
static int index_cb(char **body, size_t *len, void *user)
{
	struct exporter *x = user;
	size_t cap = 1024 + x->p.n * 1600;
	char *p = malloc(cap), host[1400];
	size_t n = 0;

	if (!p)
		return -1;
	n += (size_t)snprintf(p + n, cap - n,
	                      "<!DOCTYPE html>\n<html><head><title>sonar exporter</title></head>"
	                      "<body>\n<h1>sonar exporter</h1>\n<p><a href=\"/metrics\">Metrics</a>"
	                      "</p>\n<table>\n<tr><th>target</th><th>address</th><th>protocol"
	                      "</th><th>sent</th><th>received</th></tr>\n");
	for (size_t i = 0; i < x->p.n; i++) {
		const struct probe_target *t = x->p.t[i];
		struct metrics_labels l = labels_of(x, t);

		html_escape(t->spec, host, sizeof(host));
		n += (size_t)snprintf(p + n, cap - n,
		                      "<tr><td>%s</td><td>%s</td><td>%s</td><td>%llu</td>"
		                      "<td>%llu</td></tr>\n",
		                      host, t->ip, l.protocol, (unsigned long long)t->s.sent,
		                      (unsigned long long)t->s.received);
	}
	n += (size_t)snprintf(p + n, cap - n, "</table>\n</body></html>\n");
	*body = p;
	*len = n < cap ? n : cap - 1;
	return 0;
}

/* Block the signals the loop handles (they arrive in pselect only); the
 * mask to wait with goes to *waitmask. */
static void catch_signals(sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;

	stop_catch(); /* INT, TERM (and HUP, taken back here) */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, waitmask);
	sigdelset(waitmask, SIGINT);
	sigdelset(waitmask, SIGTERM);
	sigdelset(waitmask, SIGHUP);
}

/* The loop, until SIGINT or SIGTERM. 0, or EXIT_SYSTEM after a message. */
static int serve(struct exporter *x, struct http_server *h)
{
	sigset_t waitmask;
	char err[512];

	catch_signals(&waitmask);
	while (!stop_requested()) {
		fd_set rd, wr, ex;
		int64_t te, th;
		struct timespec ts, *tp = NULL;
		int maxfd = -1, n;

		if (reload_flag) {
			reload_flag = 0;
			reload_cb(err, sizeof(err), x);
		}
		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_ZERO(&ex);
		if (sonar_engine_fds(x->p.e, &rd, &maxfd) < 0 ||
		    http_fds(h, &rd, &wr, &ex, &maxfd) < 0) {
			cli_error("a descriptor beyond FD_SETSIZE: %s", sonar_last_error());
			return EXIT_SYSTEM;
		}
		te = sonar_engine_timeout(x->p.e);
		th = http_timeout(h);
		if (te < 0 || (th >= 0 && th < te))
			te = th;
		if (te >= 0) {
			ts.tv_sec = (time_t)(te / 1000000000);
			ts.tv_nsec = (long)(te % 1000000000);
			tp = &ts;
		}
		n = pselect(maxfd + 1, &rd, &wr, &ex, tp, &waitmask);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			cli_error("select: %s", strerror(errno));
			return EXIT_SYSTEM;
		}
		/* replies first (their timestamps), then timeouts and sends;
		 * then the web server, so a scrape sees this turn */
		if (sonar_engine_process(x->p.e, &rd) < 0) {
			cli_error("%s", sonar_last_error());
			return EXIT_SYSTEM;
		}
		http_process(h, &rd, &wr, &ex);
	}
	cli_error("stopped");
	return 0;
}

/* Everything after the options: listen, open sockets, drop privileges,
 * read the targets, serve. */
static int run(struct exporter *x)
{
	const struct http_handlers handlers = {metrics_cb, index_cb, reload_cb, x};
	struct sockaddr_storage ss;
	struct http_server *h = NULL;
	struct target_list l;
	char err[4400];
	socklen_t sl;
	size_t skipped = 0;
	int status;

	if (http_parse_listen(x->listen, &ss, &sl, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		return EXIT_USAGE;
	}
	x->p.e = sonar_engine_new();
	if (!x->p.e) {
		cli_error("out of memory");
		return EXIT_SYSTEM;
	}
	cli_privilege(&x->cc, &x->p.o);
	/* listen while a port below 1024 may still be allowed */
	h = http_start(&ss, &handlers, err, sizeof(err));
	if (!h) {
		cli_error("--listen %s: %s", x->listen, err);
		status = EXIT_SYSTEM;
		goto out;
	}
	status = cli_lockdown(x->p.e, &x->p.o);
	if (status)
		goto out;
	/* the files are read as the user, never with privileges */
	if (read_targets(x, &l, err, sizeof(err)) < 0) {
		targets_free(&l);
		cli_error("%s", err);
		status = EXIT_USAGE;
		goto out;
	}
	if (l.n == 0) { /* (--trace targets are in it too) */
		targets_free(&l);
		cli_error("exporter needs TARGETs or -F FILE (see sonar exporter --help)");
		status = EXIT_USAGE;
		goto out;
	}
	status = probes_set(&x->p, &l, &skipped, err, sizeof(err));
	targets_free(&l);
	if (status < 0) {
		cli_error("%s", err);
		status = EXIT_SYSTEM;
		goto out;
	}
	for (size_t i = 0; i < x->ntraced; i++)
		traces_add(&x->traces, x->p.e, &x->p.o, x->traced[i]);
	cli_error("exporter listening on %s: %zu targets probed, %zu left out, %zu traced",
	          x->listen, x->p.n, skipped, x->traces.n);
	status = serve(x, h);
out:
	http_stop(h);
	traces_free(&x->traces, x->p.e);
	probes_free(&x->p);
	sonar_engine_free(x->p.e);
	return status;
}

int cmd_exporter(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'F'},
	    {"listen", required_argument, NULL, OPT_LISTEN},
	    {"buckets", required_argument, NULL, OPT_BUCKETS},
	    {"trace", required_argument, NULL, OPT_TRACE},
	    {NULL, 0, NULL, 0},
	};
	struct exporter x;
	int first, status;

	memset(&x, 0, sizeof(x));
	x.cc.privilege = PRIV_AUTO;
	x.listen = DEFAULT_LISTEN;
	sonar_multiping_defaults(&x.p.o);
	x.p.o.count = 0; /* until stopped */
	x.p.o.interval = 1;
	x.p.o.rtt_history = 0; /* counted from events: no RTTs kept (8 KiB a target) */
	metrics_buckets_default(&x.p.buckets);
	first = cli_parse(argc, argv, "exporter", longopts, "F:l:T:", exporter_option, &x, usage,
	                  &x.p.o, &x.cc);
	if (first == CLI_DONE)
		return EXIT_ALIVE;
	if (first < 0)
		return EXIT_USAGE;
	if (x.p.o.count != 0 || x.cc.format != FORMAT_TEXT || x.cc.stream) {
		cli_error("exporter probes until stopped and prints nothing: -c, --json, --csv and "
		          "--stream do not apply");
		free(x.cc.payload);
		return EXIT_USAGE;
	}
	x.operands = argv + first;
	x.nops = (size_t)(argc - first);
	/* what can be judged before listening is judged now */
	if (x.nops == 0 && x.nfiles == 0 && x.ntraced == 0) {
		cli_error("exporter needs TARGETs or -F FILE (see sonar exporter --help)");
		free(x.cc.payload);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < x.nops; i++) {
		char why[300];

		if (target_url_check(x.operands[i], why, sizeof(why)) < 0) {
			cli_error("%s: %s", x.operands[i], why);
			free(x.cc.payload);
			return EXIT_USAGE;
		}
	}
	status = run(&x);
	free(x.cc.payload);
	return status;
}

#else /* !HAVE_MICROHTTPD */

int cmd_exporter(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("exporter: built without HTTP support (configure --with-microhttpd; "
	          "apt-get install libmicrohttpd-dev)");
	return EXIT_SYSTEM;
}

#endif /* HAVE_MICROHTTPD */
