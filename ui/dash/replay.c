/*
 * replay.c - the player: a recording's lines, each applied when its time
 * ("t", nanoseconds since the recording began) comes, times the speed.
 *
 * State: pos is the recording's time reached; each turn it grows by the
 * wall time passed times speed, unless d->paused (p). One line is read
 * ahead (next: split by flatjson.c) and waits for its time; then
 * replay_rows.c applies it, finding rows by the recording's keys. The
 * rows and the path view stay owned by model.c and tracer.c; the player
 * only calls them. Seeking back rebuilds from the start: the model
 * emptied, the file read again up to the new time, with no frame between.
 * Input is untrusted: every field is checked, the first bad line ends the
 * replay with FILE:LINE and why (d->quit; replay_error()).
 */
#include "config.h"
#include "replay.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"
#include "flatjson.h"
#include "keys.h"
#include "record.h"
#include "replay_rows.h"
#include "rows.h"
#include "tracer.h"

#define TURN_NS (50 * 1000000LL) /* work a turn before keys get their turn */
/* The longest line read (a recorder's line is a few KiB at most: names
 * of TARGET_MAX bytes, each byte escaped in at most 6) */
#define REPLAY_LINE_MAX 65536

struct replay {
	FILE *f;
	char *file;
	unsigned long lineno;
	char *buf;         /* REPLAY_LINE_MAX + 1 bytes, once a line was read */
	char blk[1 << 16]; /* the file's bytes read, not yet in a line */
	size_t blk_pos, blk_len;
	struct flatjson next; /* the line read ahead */
	int64_t next_t;
	bool have_next;
	bool done; /* the whole file applied */
	double speed;
	int64_t pos;             /* the recording's time reached */
	int64_t wall;            /* now_ns() when pos was last moved */
	struct replay_rows rows; /* the recording's keys */
	int64_t last_t;          /* the time of the last line applied */
	int64_t started;         /* the recording's wall clock at t 0 (ns since 1970); 0 unknown */
	int64_t opened;          /* now_ns() at replay_open, for "played in" */
	bool header;             /* the header line was read */
	unsigned long cut;       /* the last line, cut short (the file ends in it); 0 none */
	unsigned long events;
	char error[800];
};

/* Stop the replay on the current line: why, after FILE:LINE. */
static void corrupt(struct dash *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void corrupt(struct dash *d, const char *fmt, ...)
{
	struct replay *p = d->replay;
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!p->error[0])
		snprintf(p->error, sizeof(p->error), "%.300s:%lu: %s", p->file,
		         p->lineno ? p->lineno : 1, why); /* an empty file: its line 1 */
	p->done = true;
	d->quit = true;
}

/* Apply the line read ahead; a bad one stops the replay. */
static void apply(struct dash *d)
{
	struct replay *p = d->replay;
	char why[400];

	p->events++;
	p->last_t = p->next_t;
	/* what happens now happened then: the events it makes say when */
	d->wall_ns = p->started && p->last_t <= INT64_MAX - p->started ? p->started + p->last_t : 0;
	if (replay_rows_apply(d, &p->rows, &p->next, why, sizeof(why)) < 0)
		corrupt(d, "%s", why);
}

/* Read one line (its newline kept) into p->buf, NUL-terminated: its
 * length; -1 at the end of the file (or an error: ferror), -2 when it
 * runs past REPLAY_LINE_MAX (the rest is not read: a file of no newlines
 * costs no more memory than that). The file is read a block at a time,
 * each line found in it by memchr (getline's pace, with a bound). */
static long read_line(struct replay *p)
{
	size_t n = 0;

	if (!p->buf && !(p->buf = malloc(REPLAY_LINE_MAX + 1)))
		return -1;
	for (;;) {
		size_t have = p->blk_len - p->blk_pos, take;
		const char *s = p->blk + p->blk_pos, *nl;

		if (!have) {
			p->blk_pos = 0;
			p->blk_len = fread(p->blk, 1, sizeof(p->blk), p->f);
			if (!p->blk_len)
				break; /* the end, or an error (ferror) */
			continue;
		}
		nl = memchr(s, '\n', have);
		take = nl ? (size_t)(nl - s) + 1 : have;
		if (take > REPLAY_LINE_MAX - n) {
			take = REPLAY_LINE_MAX - n;
			nl = NULL;
		}
		memcpy(p->buf + n, s, take);
		n += take;
		p->blk_pos += take;
		if (nl)
			break;
		if (n == REPLAY_LINE_MAX) {
			p->buf[n] = '\0';
			return -2;
		}
	}
	p->buf[n] = '\0';
	return n == 0 ? -1 : (long)n;
}

/* Read the next line ahead (p->next); false at the end or when bad. */
static bool read_next(struct dash *d)
{
	struct replay *p = d->replay;
	char why[200];
	long long t;

	for (;;) {
		long len = read_line(p);

		if (len == -2) {
			p->lineno++;
			corrupt(d, "longer than %d bytes: not a sonar recording", REPLAY_LINE_MAX);
			return false;
		}
		if (len < 0) {
			if (!p->buf)
				corrupt(d, "out of memory");
			else if (ferror(p->f))
				corrupt(d, "%s", strerror(errno));
			else if (!p->header)
				corrupt(d, "empty: not a sonar recording (sonar --record FILE)");
			return false;
		}
		p->lineno++;
		if ((size_t)len != strlen(p->buf)) {
			corrupt(d, "a NUL byte in the line");
			return false;
		}
		if (p->buf[0] == '\n')
			continue;
		if (flatjson_parse(p->buf, &p->next, why, sizeof(why)) < 0) {
			if (p->header && p->buf[len - 1] != '\n') {
				/* the file ends inside this line: its recorder was
				 * killed, or the disk was full; what came before is
				 * whole, and played */
				p->cut = p->lineno;
				return false;
			}
			if (!p->header)
				corrupt(d, "not a sonar recording (sonar --record FILE): %s", why);
			else
				corrupt(d, "%s", why);
			return false;
		}
		if (!p->header) {
			long long version;
			double interval;

			if (!flatjson_get(&p->next, "sonar_record", false)) {
				corrupt(d, "not a sonar recording (sonar --record FILE)");
				return false;
			}
			if (!flatjson_int(&p->next, "sonar_record", RECORD_VERSION, RECORD_VERSION,
			                  &version, why, sizeof(why)) ||
			    !flatjson_double(&p->next, "interval", &interval, why, sizeof(why))) {
				corrupt(d, "%s", why);
				return false;
			}
			if (interval < 0.001 || interval > 86400) {
				corrupt(d, "\"interval\": out of range");
				return false;
			}
			if (flatjson_get(&p->next, "wall", false)) {
				long long wall;

				if (!flatjson_int(&p->next, "wall", 1, INT64_MAX, &wall, why,
				                  sizeof(why))) {
					corrupt(d, "%s", why);
					return false;
				}
				p->started = wall;
			}
			d->interval = interval;
			p->header = true;
			continue;
		}
		if (!flatjson_int(&p->next, "t", 0, INT64_MAX, &t, why, sizeof(why))) {
			corrupt(d, "%s", why);
			return false;
		}
		p->next_t = t;
		return true;
	}
}

/* Apply lines up to the recording's time pos (budget: give up after
 * TURN_NS, unless 0). */
static void advance(struct dash *d, int64_t budget)
{
	struct replay *p = d->replay;
	int64_t start = now_ns();
	unsigned n = 0;

	while (!p->done && !d->quit) {
		if (!p->have_next && !(p->have_next = read_next(d))) {
			if (!p->error[0]) {
				p->done = true;
				char cut[80] = "";

				if (p->cut)
					snprintf(cut, sizeof(cut),
					         "; line %lu cut short (the recorder stopped)",
					         p->cut);
				say(d, false,
				    "replay finished: %lu lines, %.1f s recorded, played in %.2f "
				    "s%s",
				    p->events, (double)p->last_t / 1e9,
				    (double)(now_ns() - p->opened) / 1e9, cut);
				/* until another message (a year) */
				d->message_until = now_ns() + 365 * 86400 * 1000000000LL;
			}
			break;
		}
		if (p->next_t > p->pos)
			break;
		apply(d);
		p->have_next = false;
		if (budget && ++n % 1024 == 0 && now_ns() - start > budget)
			break;
	}
	d->dirty = true;
}

/* ---- the player --------------------------------------------------------- */

int replay_open(struct dash *d, const char *file, double speed, char *err, size_t cap)
{
	struct replay *p = calloc(1, sizeof(*p));

	if (!p || !(p->file = strdup(file))) {
		free(p);
		snprintf(err, cap, "out of memory");
		return -1;
	}
	p->f = fopen(file, "r");
	if (!p->f) {
		snprintf(err, cap, "%s: %s", file, strerror(errno));
		free(p->file);
		free(p);
		return -1;
	}
	p->speed = speed;
	p->wall = p->opened = now_ns();
	d->replay = p;
	/* the header now: a file that is no recording is said before the
	 * terminal is taken */
	p->have_next = read_next(d);
	if (p->error[0]) {
		snprintf(err, cap, "%s", p->error);
		d->quit = false;
		replay_close(d);
		return -1;
	}
	return 0;
}

/* Move pos by the wall time passed (times the speed), unless paused. */
static void clock_move(struct replay *p, bool paused)
{
	int64_t now = now_ns();

	if (!paused && !p->done) {
		double step = (double)(now - p->wall) * p->speed;

		p->pos = step >= (double)(INT64_MAX - p->pos) ? INT64_MAX : p->pos + (int64_t)step;
	}
	p->wall = now;
}

int64_t replay_timeout(struct dash *d)
{
	struct replay *p = d->replay;
	double wait;

	if (!p || p->done || d->paused)
		return -1;
	if (!p->have_next || p->next_t <= p->pos)
		return 0;
	wait = (double)(p->next_t - p->pos) / p->speed;
	return wait > 1e9 ? 1000000000LL : (int64_t)wait + 1;
}

void replay_process(struct dash *d)
{
	struct replay *p = d->replay;

	if (!p || p->done)
		return;
	clock_move(p, d->paused);
	if (!d->paused)
		advance(d, TURN_NS);
}

/* Empty the model and the path view, and read the file from its start. */
static void rewind_all(struct dash *d)
{
	struct replay *p = d->replay;
	enum sort_key sort = d->m.sort;
	bool reverse = d->m.reverse;
	enum screen screen = d->screen;

	model_free(&d->m);
	memset(&d->m, 0, sizeof(d->m));
	d->m.sort = sort;
	d->m.reverse = reverse;
	d->sel_key = 0;
	tracer_close(d);
	/* the events the rows' alerts logged go with the rows: they are
	 * judged again on the way (a replay writes no --log file: closing
	 * it only empties the ring) */
	eventlog_close(&d->log);
	if (screen == SCREEN_HELP)
		d->screen = screen;
	replay_rows_clear(&p->rows);
	p->events = 0;
	p->last_t = 0;
	p->pos = 0;
	p->done = p->header = p->have_next = false;
	p->lineno = 0;
	p->cut = 0;
	p->blk_pos = p->blk_len = 0;
	rewind(p->f);
}

void replay_seek(struct dash *d, int k)
{
	struct replay *p = d->replay;
	int64_t to, at;

	if (!p) {
		say(d, true, "< and > seek in a replay (sonar replay FILE)");
		return;
	}
	clock_move(p, d->paused);
	at = p->done ? p->last_t : p->pos; /* past the end: from the last line */
	to = k == '<'                          ? (at > REPLAY_SEEK_NS ? at - REPLAY_SEEK_NS : 0)
	     : at > INT64_MAX - REPLAY_SEEK_NS ? INT64_MAX
	                                       : at + REPLAY_SEEK_NS;
	if (k == '<' || p->done) {
		if (k == '>' && p->done)
			return; /* already at the end */
		rewind_all(d);
	}
	p->pos = to;
	advance(d, 0); /* no frame until there */
	if (!p->done)
		say(d, false, "replay at %.1f s", (double)p->pos / 1e9);
}

bool replay_key(struct dash *d, int k)
{
	struct replay *p = d->replay;
	struct row *r;

	if (!p || d->screen == SCREEN_HELP)
		return false;
	switch (k) {
	case '<':
	case '>':
		replay_seek(d, k);
		return true;
	case '+':
	case '-':
		clock_move(p, d->paused);
		p->speed = k == '+' ? p->speed * 2 : p->speed / 2;
		if (p->speed > 1e6)
			p->speed = 1e6;
		if (p->speed < 1.0 / 64)
			p->speed = 1.0 / 64;
		say(d, false, "replaying at %g times the recorded pace", p->speed);
		return true;
	case K_ENTER:
		if (d->screen != SCREEN_TABLE)
			return false;
		r = rows_selected(d);
		if (r && d->path && replay_rows_find(&p->rows, p->rows.path_key) == r) {
			d->screen = SCREEN_PATH;
			d->top = 0;
		} else {
			say(d, true, "no path recorded for this row");
		}
		return true;
	case K_ESC:
	case 'h':
		if (d->screen != SCREEN_PATH)
			return false;
		d->screen = SCREEN_TABLE; /* the recorded path stays, for Enter */
		return true;
	case 'a':
	case 'e':
	case 'd':
	case K_DELETE:
	case 'J':
	case 'K':
	case 'r':
	case 'R':
	case 's':
	case 't':
	case 'u':
	case 'i':
	case 'F':
	case 'z':
	case 'n':
	case 'c':
		if (k == 'e' && d->screen == SCREEN_PATH)
			return false; /* MPLS labels: only what is shown */
		say(d, true, "a replay shows what was recorded: p pauses, < > seek, + - the speed");
		return true;
	}
	return false;
}

const char *replay_error(const struct dash *d)
{
	return d->replay ? d->replay->error : "";
}

void replay_close(struct dash *d)
{
	struct replay *p = d->replay;

	if (!p)
		return;
	fclose(p->f);
	free(p->file);
	free(p->buf);
	replay_rows_clear(&p->rows);
	free(p);
	d->replay = NULL;
}
