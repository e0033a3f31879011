/*
 * examples/loop.c - drive libsonar's engine from your own select() loop.
 *
 *   sonar-example-loop ADDRESS...
 *
 * One loop watches standard input (a line "q" ends everything early) and
 * the engine's sockets, and sleeps until the engine's next deadline. On one
 * engine it runs, side by side, a ping of the first address (5 probes, 0.1 s
 * apart) and a multiping of all of them (3 probes each, 0.2 s apart),
 * printing every packet event and each operation's results.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

#include <sonar.h>

/* Print each packet event. */
static void on_event(const struct sonar_event *ev, void *user)
{
	static const char *names[] = {"sent",    "reply",      "duplicate",
	                              "timeout", "icmp-error", "send-error"};

	(void)user;
	printf("event op=%d target=%zu %s seq=%d", ev->op, ev->target, names[ev->type],
	       ev->sequence);
	if (ev->type == SONAR_EVENT_REPLY)
		printf(" from=%s rtt=%.3f ms ttl=%d", ev->from, ev->rtt, ev->reply_ttl);
	if (ev->error)
		printf(" error=%s", ev->message);
	printf("\n");
}

/* Print an operation's results. */
static void on_done(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	size_t i;

	(void)user;
	for (i = 0; i < n; i++)
		printf("done op=%d %s sent=%d received=%d avg=%.3f ms%s%s\n", op, hosts[i].address,
		       hosts[i].packets_sent, hosts[i].packets_received, hosts[i].avg_rtt,
		       hosts[i].error ? " error=" : "",
		       hosts[i].error ? hosts[i].error_message : "");
}

int main(int argc, char **argv)
{
	struct sonar_engine *e;
	struct sonar_options po, mo;
	int ping_op, multi_op;
	bool stdin_open = true;

	if (argc < 2) {
		fprintf(stderr, "usage: %s ADDRESS...\n", argv[0]);
		return 3;
	}
	e = sonar_engine_new();
	if (!e)
		return 4;
	sonar_ping_defaults(&po);
	po.count = 5;
	po.interval = 0.1;
	sonar_multiping_defaults(&mo);
	mo.count = 3;
	mo.interval = 0.2;
	ping_op = sonar_engine_ping(e, argv[1], &po, on_event, on_done, NULL);
	multi_op = sonar_engine_multiping(e, (const char *const *)argv + 1, (size_t)argc - 1, &mo,
	                                  on_event, on_done, NULL);
	if (ping_op < 0 || multi_op < 0) {
		fprintf(stderr, "cannot start: %s\n", sonar_last_error());
		sonar_engine_free(e);
		return 4;
	}
	printf("started ping op=%d and multiping op=%d\n", ping_op, multi_op);

	while (sonar_engine_active(e) > 0) {
		fd_set rd;
		int maxfd = -1;
		int64_t ns = sonar_engine_timeout(e);
		struct timeval tv, *tvp = NULL;

		FD_ZERO(&rd);
		if (stdin_open) {
			FD_SET(STDIN_FILENO, &rd);
			maxfd = STDIN_FILENO;
		}
		sonar_engine_fds(e, &rd, &maxfd);
		if (ns >= 0) {
			tv.tv_sec = (time_t)(ns / 1000000000);
			tv.tv_usec = (suseconds_t)(ns % 1000000000 / 1000);
			tvp = &tv;
		}
		if (select(maxfd + 1, &rd, NULL, NULL, tvp) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (stdin_open && FD_ISSET(STDIN_FILENO, &rd)) {
			char line[64];
			ssize_t n = read(STDIN_FILENO, line, sizeof(line) - 1);

			if (n <= 0) {
				stdin_open = false; /* end of input: keep going */
			} else if (line[0] == 'q') {
				sonar_engine_stop(e, ping_op);
				sonar_engine_stop(e, multi_op);
			}
		}
		sonar_engine_process(e, &rd);
	}
	sonar_engine_free(e);
	return 0;
}
