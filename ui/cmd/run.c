/*
 * loop.c - what every subcommand's main loop needs.
 */
#include "config.h"
#include "run.h"

#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "json.h"

static volatile sig_atomic_t interrupted;

/* Note a Ctrl-C or TERM for the loop. */
static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

void loop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int loop_run(struct sonar_engine *e, int op)
{
	while (sonar_engine_active(e) > 0) {
		if (interrupted) {
			sonar_engine_stop(e, op);
			break;
		}
		if (sonar_engine_run_once(e, -1) < 0) {
			cli_error("%s", sonar_last_error());
			return EXIT_SYSTEM;
		}
	}
	return 0;
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

void stream_event(FILE *f, const struct sonar_event *ev)
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
	if (ev->type == SONAR_EVENT_ICMP_ERROR)
		fprintf(f, ", \"icmp_type\": %d, \"icmp_code\": %d", ev->icmp_type, ev->icmp_code);
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

bool raw_permitted(void)
{
	int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);

	if (fd < 0)
		fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}
