/*
 * eventlog.c - the event log's ring and its NDJSON file (eventlog.h).
 */
#include "config.h"
#include "eventlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixed.h"
#include "json.h"

int eventlog_open(struct eventlog *l, const char *path, char *err, size_t errcap)
{
	/* O_CLOEXEC: an --on-alert command never inherits it */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0666);

	if (fd < 0) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	l->out = fdopen(fd, "a");
	if (!l->out) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return 0;
}

int eventlog_add(struct eventlog *l, const struct event_line *e)
{
	if (!l->ring && !(l->ring = calloc(EVENT_LINES, sizeof(*l->ring))))
		return -1;
	l->ring[l->n++ % EVENT_LINES] = *e;
	if (l->out && !l->failed) {
		eventlog_json(l->out, e);
		/* a line at a time: `tail -f` and a crash see whole events */
		if (fflush(l->out) != 0 || ferror(l->out))
			l->failed = true;
	}
	return 0;
}

const struct event_line *eventlog_get(const struct eventlog *l, size_t i)
{
	size_t kept = l->n < EVENT_LINES ? l->n : EVENT_LINES;

	if (i >= kept)
		return NULL;
	return &l->ring[(l->n - 1 - i) % EVENT_LINES];
}

/* What the event's value means, for people: "loss 50.0%", "rtt 120.3 ms". */
static void value_text(const struct event_line *e, char *buf, size_t cap)
{
	char num[32];

	buf[0] = '\0';
	if (strcmp(e->why, "loss") == 0) {
		snprintf(buf, cap, "loss %s%%", fmt_fixed(num, sizeof(num), e->value, 1));
	} else if (strcmp(e->why, "rtt") == 0) {
		snprintf(buf, cap, "%s rtt %s ms", e->stat[0] ? e->stat : "avg",
		         fmt_fixed(num, sizeof(num), e->value, 3));
	} else if (e->ev == ALERT_EV_ADDRESS) {
		snprintf(buf, cap, "was %s", e->previous);
	} else if (strcmp(e->why, "down") == 0) {
		snprintf(buf, cap, "%d lost in a row", (int)e->value);
	} else if (e->value >= 0) {
		snprintf(buf, cap, "rtt %s ms", fmt_fixed(num, sizeof(num), e->value, 3));
	}
}

void eventlog_format(const struct event_line *e, char *buf, size_t cap)
{
	char when[16] = "", value[96];
	struct tm tm;
	time_t t = e->when.tv_sec;

	if (localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
	value_text(e, value, sizeof(value));
	snprintf(buf, cap, "%s  %-7s %s%s%s%s  %s", when, alert_event_name(e->ev), e->target,
	         e->address[0] ? " (" : "", e->address, e->address[0] ? ")" : "", value);
}

void eventlog_json(FILE *f, const struct event_line *e)
{
	char when[32] = "";
	struct tm tm;
	time_t t = e->when.tv_sec;

	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "{\"time\":\"%s.%06ldZ\",\"event\":", when, e->when.tv_nsec / 1000);
	json_string(f, alert_event_name(e->ev));
	fputs(",\"target\":", f);
	json_string(f, e->target);
	fputs(",\"address\":", f);
	if (e->address[0])
		json_string(f, e->address);
	else
		fputs("null", f);
	fputs(",\"why\":", f);
	if (e->why[0])
		json_string(f, e->why);
	else
		fputs("null", f);
	if (e->stat[0]) {
		fputs(",\"stat\":", f);
		json_string(f, e->stat);
	}
	if (e->previous[0]) {
		fputs(",\"previous\":", f);
		json_string(f, e->previous);
	}
	fputs(",\"value\":", f);
	if (e->value >= 0)
		put_fixed(f, e->value, 3);
	else
		fputs("null", f);
	fputs("}\n", f);
}

void eventlog_close(struct eventlog *l)
{
	if (l->out)
		fclose(l->out);
	free(l->ring);
	memset(l, 0, sizeof(*l));
}
