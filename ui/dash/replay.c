/*
 * replay.c - the player: a recording's lines, each applied when its time
 * ("t", nanoseconds since the recording began) comes, times the speed.
 *
 * State: pos is the recording's time reached; each turn it grows by the
 * wall time passed times speed, unless d->paused (p). One line is read
 * ahead (next) and waits for its time. Rows are found by the recording's
 * keys through a small hash table (keys[]): the recording's row K is
 * this session's row keys[K]; a removed row leaves a tombstone (row NULL).
 * The rows and the path view stay owned by model.c and tracer.c; the
 * player only calls them. Seeking back rebuilds from the start: the model
 * emptied, the file read again up to the new time, with no frame between.
 * Input is untrusted: every field is checked, the first bad line ends the
 * replay with FILE:LINE and why (d->quit; replay_error()).
 */
#include "config.h"
#include "replay.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "record.h"
#include "rows.h"
#include "tracer.h"

#define MAX_FIELDS 24
#define TURN_NS    (50 * 1000000LL) /* work a turn before keys get their turn */
/* The longest line read (a recorder's line is a few KiB at most: names
 * of TARGET_MAX bytes, each byte escaped in at most 6) */
#define REPLAY_LINE_MAX 65536

/* One line's members: keys and values point into the line's buffer. */
struct fields {
	int n;
	const char *key[MAX_FIELDS];
	const char *val[MAX_FIELDS];
	bool str[MAX_FIELDS]; /* a string (else a number, true, false) */
};

struct keyslot {
	uint64_t key;  /* the recording's key; 0 empty */
	struct row *r; /* NULL: removed (a tombstone) */
};

struct replay {
	FILE *f;
	char *file;
	unsigned long lineno;
	char *buf;          /* REPLAY_LINE_MAX + 1 bytes, once a line was read */
	struct fields next; /* the line read ahead */
	int64_t next_t;
	bool have_next;
	bool done; /* the whole file applied */
	double speed;
	int64_t pos;  /* the recording's time reached */
	int64_t wall; /* now_ns() when pos was last moved */
	struct keyslot *keys;
	size_t cap, used;
	uint64_t path_key; /* the recording's row of the path in d->path */
	int64_t last_t;    /* the time of the last line applied */
	int64_t opened;    /* now_ns() at replay_open, for "played in" */
	bool header;       /* the header line was read */
	unsigned long cut; /* the last line, cut short (the file ends in it); 0 none */
	unsigned long events;
	char error[800];
};

/* ---- a flat JSON object ------------------------------------------------- */

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The string that starts after the opening quote at s, unescaped in
 * place; returns the character after the closing quote, NULL if bad. */
static char *string_in_place(char *s, const char **out)
{
	char *w = s;

	*out = s;
	for (;;) {
		unsigned char c = (unsigned char)*s++;

		if (c == '"')
			break;
		if (c < 0x20)
			return NULL; /* the end of the line, or a raw control */
		if (c != '\\') {
			*w++ = (char)c;
			continue;
		}
		c = (unsigned char)*s++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			*w++ = (char)c;
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u': {
			unsigned v = 0;
			int i;

			for (i = 0; i < 4; i++) {
				if (!isxdigit((unsigned char)s[i]))
					return NULL;
				v = v * 16 +
				    (unsigned)(isdigit((unsigned char)s[i])
				                   ? s[i] - '0'
				                   : tolower((unsigned char)s[i]) - 'a' + 10);
			}
			if (v == 0 || v > 0x7f) /* the recorder escapes only ASCII controls */
				return NULL;
			*w++ = (char)v;
			s += 4;
			break;
		}
		default:
			return NULL;
		}
	}
	*w = '\0';
	return s;
}

/* Split line into fl. 0, or -1 with why. */
static int parse(char *s, struct fields *fl, char *why, size_t cap)
{
	fl->n = 0;
	s = skip_ws(s);
	if (*s++ != '{') {
		snprintf(why, cap, "not a JSON object");
		return -1;
	}
	s = skip_ws(s);
	if (*s == '}')
		goto end;
	for (;;) {
		const char *key, *val;
		bool str;

		if (fl->n == MAX_FIELDS) {
			snprintf(why, cap, "more than %d members", MAX_FIELDS);
			return -1;
		}
		if (*s++ != '"' || !(s = string_in_place(s, &key))) {
			snprintf(why, cap, "a member's name is not a string");
			return -1;
		}
		s = skip_ws(s);
		if (*s++ != ':') {
			snprintf(why, cap, "':' missing after \"%.40s\"", key);
			return -1;
		}
		s = skip_ws(s);
		str = *s == '"';
		if (str) {
			if (!(s = string_in_place(s + 1, &val))) {
				snprintf(why, cap, "\"%.40s\": a bad string", key);
				return -1;
			}
		} else {
			val = s;
			while (isalnum((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.')
				s++;
			if (s == val) {
				snprintf(why, cap, "\"%.40s\": no value", key);
				return -1;
			}
		}
		{
			char *end = s;

			s = skip_ws(s);
			if (*s != ',' && *s != '}') {
				snprintf(why, cap, "',' or '}' missing after \"%.40s\"", key);
				return -1;
			}
			fl->key[fl->n] = key;
			fl->val[fl->n] = val;
			fl->str[fl->n] = str;
			fl->n++;
			if (*s == '}') {
				*end = '\0';
				break;
			}
			*end = '\0'; /* the value's end, after the ',' was seen */
			s = skip_ws(s + 1);
		}
	}
	s++;
end:
	s = skip_ws(s);
	if (*s && *s != '\n' && !(s[0] == '\r' && (s[1] == '\n' || !s[1]))) {
		snprintf(why, cap, "text after the object");
		return -1;
	}
	return 0;
}

/* The value of key, or NULL; str: must it be a string (else a number). */
static const char *get(const struct fields *fl, const char *key, bool str)
{
	int i;

	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->key[i], key) == 0)
			return fl->str[i] == str ? fl->val[i] : NULL;
	return NULL;
}

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

/* The integer key in [lo, hi]; false (and the replay stopped) if absent
 * or out of range. */
static bool need_int(struct dash *d, const struct fields *fl, const char *key, long long lo,
                     long long hi, long long *out)
{
	const char *v = get(fl, key, false);
	char *end;

	errno = 0;
	if (v && (isdigit((unsigned char)*v) || *v == '-')) {
		*out = strtoll(v, &end, 10);
		if (!*end && !errno && *out >= lo && *out <= hi)
			return true;
	}
	corrupt(d, "\"%s\": %s (an integer from %lld to %lld)", key, v ? "out of range" : "missing",
	        lo, hi);
	return false;
}

/* The finite number key; false (the replay stopped) if absent or bad. */
static bool need_double(struct dash *d, const struct fields *fl, const char *key, double *out)
{
	const char *v = get(fl, key, false);
	char *end;

	if (v) {
		*out = strtod(v, &end);
		if (!*end && isfinite(*out))
			return true;
	}
	corrupt(d, "\"%s\": %s (a number)", key, v ? "not a finite number" : "missing");
	return false;
}

/* The string key; NULL (the replay stopped) if absent. */
static const char *need_str(struct dash *d, const struct fields *fl, const char *key)
{
	const char *v = get(fl, key, true);

	if (!v)
		corrupt(d, "\"%s\": missing (a string)", key);
	return v;
}

/* ---- the recording's keys ----------------------------------------------- */

/* The slot of key k (or the empty one where it would go). */
static struct keyslot *slot_of(struct replay *p, uint64_t k)
{
	size_t i = (size_t)(k * 0x9e3779b97f4a7c15ull) & (p->cap - 1);

	while (p->keys[i].key && p->keys[i].key != k)
		i = (i + 1) & (p->cap - 1);
	return &p->keys[i];
}

/* The row of the recording's key k, or NULL. */
static struct row *row_of(struct replay *p, uint64_t k)
{
	return p->cap ? slot_of(p, k)->r : NULL;
}

/* Tie the recording's key k to r (NULL: untie). -1 out of memory. */
static int bind_key(struct replay *p, uint64_t k, struct row *r)
{
	struct keyslot *s;

	if ((p->used + 1) * 2 > p->cap) {
		struct keyslot *old = p->keys;
		size_t i, n = p->cap, cap = n ? n * 2 : 64;

		p->keys = calloc(cap, sizeof(*p->keys));
		if (!p->keys) {
			p->keys = old;
			return -1;
		}
		p->cap = cap;
		p->used = 0;
		for (i = 0; i < n; i++)
			if (old[i].key && old[i].r) {
				*slot_of(p, old[i].key) = old[i];
				p->used++;
			}
		free(old);
	}
	s = slot_of(p, k);
	if (!s->key)
		p->used++;
	s->key = k;
	s->r = r;
	return 0;
}

/* ---- lines -------------------------------------------------------------- */

/* The row named by "row" (which must exist), or NULL (stopped). */
static struct row *need_row(struct dash *d, const struct fields *fl, const char *key)
{
	long long k;
	struct row *r;

	if (!need_int(d, fl, key, 1, INT64_MAX, &k))
		return NULL;
	r = row_of(d->replay, (uint64_t)k);
	if (!r)
		corrupt(d, "\"%s\": no row %lld was added before", key, k);
	return r;
}

/* Fill ev from an event line's fields; false (stopped) if bad. */
static bool event_of(struct dash *d, const struct fields *fl, struct sonar_event *ev,
                     struct sonar_mpls *mpls)
{
	static const char *const names[] = {"sent",       "reply",      "timeout",
	                                    "icmp_error", "send_error", NULL};
	static const enum sonar_event_type types[] = {SONAR_EVENT_SENT, SONAR_EVENT_REPLY,
	                                              SONAR_EVENT_TIMEOUT, SONAR_EVENT_ICMP_ERROR,
	                                              SONAR_EVENT_SEND_ERROR};
	const char *name = need_str(d, fl, "event"), *m;
	long long v;
	int i;

	memset(ev, 0, sizeof(*ev));
	ev->from = ev->message = ev->name = ev->address = "";
	ev->reply_ttl = -1;
	if (!name)
		return false;
	for (i = 0; names[i] && strcmp(names[i], name) != 0; i++)
		;
	if (!names[i]) {
		corrupt(d, "\"event\": \"%.40s\" is no event", name);
		return false;
	}
	ev->type = types[i];
	if (ev->type == SONAR_EVENT_REPLY || ev->type == SONAR_EVENT_ICMP_ERROR) {
		if (!(ev->from = need_str(d, fl, "from")) || !need_double(d, fl, "rtt", &ev->rtt) ||
		    !need_int(d, fl, "reply_ttl", -1, 255, &v))
			return false;
		if (ev->rtt < 0) {
			corrupt(d, "\"rtt\": negative");
			return false;
		}
		ev->reply_ttl = (int)v;
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR) {
		if (!need_int(d, fl, "error_code", -1000, 0, &v))
			return false;
		ev->error = (int)v;
		if ((m = get(fl, "mpls", true)) != NULL) {
			int used = 0;

			for (i = 0; i < SONAR_MPLS_MAX && *m; i++) {
				unsigned label;
				int tc, s, ttl;

				if (sscanf(m, "%u/%d/%d/%d%n", &label, &tc, &s, &ttl, &used) != 4 ||
				    label > 1048575 || tc < 0 || tc > 7 || s < 0 || s > 1 ||
				    ttl < 0 || ttl > 255) {
					corrupt(d, "\"mpls\": not LABEL/TC/S/TTL ...");
					return false;
				}
				mpls[i] = (struct sonar_mpls){label, tc, s, ttl};
				m += used;
				while (*m == ' ')
					m++;
			}
			ev->mpls = mpls;
			ev->mpls_count = i;
		}
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR || ev->type == SONAR_EVENT_SEND_ERROR)
		if (!(ev->message = need_str(d, fl, "error")))
			return false;
	return true;
}

/* "op": "row": a row added, or its state now. */
static void op_row(struct dash *d, const struct fields *fl)
{
	struct replay *p = d->replay;
	const char *name = need_str(d, fl, "name"), *address, *error;
	long long k, state, protocol, port;
	struct row *r;

	if (!name || !need_int(d, fl, "row", 1, INT64_MAX, &k) ||
	    !need_int(d, fl, "state", ROW_RESOLVING, ROW_FAILED, &state) ||
	    !(address = need_str(d, fl, "address")) || !(error = need_str(d, fl, "error")) ||
	    !need_int(d, fl, "protocol", SONAR_PROTO_ICMP, SONAR_PROTO_TCP, &protocol) ||
	    !need_int(d, fl, "port", 0, 65535, &port))
		return;
	r = row_of(p, (uint64_t)k);
	if (!r) {
		if (!(r = model_add(&d->m, name)) || bind_key(p, (uint64_t)k, r) < 0) {
			corrupt(d, "out of memory");
			return;
		}
		if (!d->sel_key)
			d->sel_key = r->key;
	}
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(r->address, sizeof(r->address), "%s", address);
	snprintf(r->error, sizeof(r->error), "%s", error);
	r->state = (enum row_state)state;
	r->protocol = (int)protocol;
	r->port = (int)port;
}

/* "op": "path": the path view (re)started for a row. */
static void op_path(struct dash *d, const struct fields *fl)
{
	const char *target = need_str(d, fl, "target"), *address;
	long long k, proto, port, rproto, rport, flows, first;

	if (!target || !(address = need_str(d, fl, "address")) ||
	    !need_int(d, fl, "row", 1, INT64_MAX, &k) ||
	    !need_int(d, fl, "protocol", SONAR_PROTO_ICMP, SONAR_PROTO_TCP, &proto) ||
	    !need_int(d, fl, "port", 0, 65535, &port) ||
	    !need_int(d, fl, "row_protocol", SONAR_PROTO_ICMP, SONAR_PROTO_TCP, &rproto) ||
	    !need_int(d, fl, "row_port", 0, 65535, &rport) ||
	    !need_int(d, fl, "flows", 1, PATH_FLOWS, &flows) ||
	    !need_int(d, fl, "first_hop", 1, 255, &first))
		return;
	if (tracer_recorded(d, target, address, (int)first) < 0) {
		corrupt(d, "out of memory");
		return;
	}
	d->path->protocol = (int)proto;
	d->path->port = (int)port;
	d->path->row_protocol = (int)rproto;
	d->path->row_port = (int)rport;
	d->path->nflows = (int)flows;
	d->replay->path_key = (uint64_t)k;
}

/* An "op" line. */
static void op_line(struct dash *d, const struct fields *fl, const char *op)
{
	struct replay *p = d->replay;
	struct row *r;
	long long v;
	double s;
	size_t i;

	if (strcmp(op, "row") == 0) {
		op_row(d, fl);
	} else if (strcmp(op, "rename") == 0) {
		if (!(r = need_row(d, fl, "row")) || !need_int(d, fl, "to", 1, INT64_MAX, &v))
			return;
		bind_key(p, (uint64_t)strtoull(get(fl, "row", false), NULL, 10), NULL);
		if (bind_key(p, (uint64_t)v, r) < 0)
			corrupt(d, "out of memory");
		row_reset(r);
	} else if (strcmp(op, "remove") == 0) {
		if (!(r = need_row(d, fl, "row")))
			return;
		bind_key(p, (uint64_t)strtoull(get(fl, "row", false), NULL, 10), NULL);
		rows_remove(d, r); /* never probed here: only the model's part runs */
	} else if (strcmp(op, "move") == 0) {
		if ((r = need_row(d, fl, "row")) && need_int(d, fl, "dir", -1, 1, &v))
			model_move(&d->m, model_index(&d->m, r->key), (int)v);
	} else if (strcmp(op, "reset") == 0) {
		if (!need_int(d, fl, "row", 0, INT64_MAX, &v))
			return;
		if (v == 0)
			for (i = 0; i < d->m.n; i++)
				row_reset(d->m.rows[i]);
		else if ((r = need_row(d, fl, "row")))
			row_reset(r);
	} else if (strcmp(op, "interval") == 0) {
		if (need_double(d, fl, "seconds", &s)) {
			if (s < 0.001 || s > 86400)
				corrupt(d, "\"seconds\": out of range");
			else
				d->interval = s;
		}
	} else if (strcmp(op, "pause") == 0) {
		/* the recording's pause shows as the time it skipped: nothing to do */
	} else if (strcmp(op, "path") == 0) {
		op_path(d, fl);
	} else if (strcmp(op, "path_reset") == 0) {
		if (d->path)
			path_reset(d->path);
	} else {
		corrupt(d, "\"op\": \"%.40s\" is no operation", op);
	}
}

/* Apply the line read ahead. */
static void apply(struct dash *d, const struct fields *fl)
{
	struct sonar_event ev;
	struct sonar_mpls mpls[SONAR_MPLS_MAX];
	const char *op = get(fl, "op", true);
	long long flow, ttl;
	struct row *r;

	d->replay->events++;
	d->replay->last_t = d->replay->next_t;
	if (op) {
		op_line(d, fl, op);
	} else if (get(fl, "snapshot", false)) {
		/* the numbers the live table showed: for tests to compare */
	} else if (get(fl, "flow", false)) {
		if (!need_int(d, fl, "flow", 0, PATH_FLOWS - 1, &flow) ||
		    !need_int(d, fl, "probe_ttl", 1, 255, &ttl) || !event_of(d, fl, &ev, mpls))
			return;
		if (!d->path || flow >= d->path->nflows) {
			corrupt(d, "a path event without its \"op\": \"path\"");
			return;
		}
		ev.probe_ttl = (int)ttl;
		path_flow_event(d->path, (int)flow, &ev);
	} else if (get(fl, "event", true)) {
		if ((r = need_row(d, fl, "row")) && event_of(d, fl, &ev, mpls))
			rows_apply(d, r, &ev);
	} else {
		corrupt(d, "neither an event, an operation nor a snapshot");
	}
}

/* Read one line (its newline kept) into p->buf, NUL-terminated: its
 * length; -1 at the end of the file (or an error: ferror), -2 when it
 * runs past REPLAY_LINE_MAX (the rest is not read: a file of no newlines
 * costs no more memory than that). */
static long read_line(struct replay *p)
{
	size_t n = 0;
	int c = EOF;

	if (!p->buf && !(p->buf = malloc(REPLAY_LINE_MAX + 1)))
		return -1;
	while (n < REPLAY_LINE_MAX && (c = getc_unlocked(p->f)) != EOF) {
		p->buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	p->buf[n] = '\0';
	if (n == REPLAY_LINE_MAX && c != '\n')
		return -2;
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
		if (parse(p->buf, &p->next, why, sizeof(why)) < 0) {
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

			if (!get(&p->next, "sonar_record", false)) {
				corrupt(d, "not a sonar recording (sonar --record FILE)");
				return false;
			}
			if (!need_int(d, &p->next, "sonar_record", RECORD_VERSION, RECORD_VERSION,
			              &version) ||
			    !need_double(d, &p->next, "interval", &interval))
				return false;
			if (interval < 0.001 || interval > 86400) {
				corrupt(d, "\"interval\": out of range");
				return false;
			}
			d->interval = interval;
			p->header = true;
			continue;
		}
		if (!need_int(d, &p->next, "t", 0, INT64_MAX, &t))
			return false;
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
		apply(d, &p->next);
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
	if (screen == SCREEN_HELP)
		d->screen = screen;
	free(p->keys);
	p->keys = NULL;
	p->cap = p->used = 0;
	p->path_key = 0;
	p->events = 0;
	p->last_t = 0;
	p->pos = 0;
	p->done = p->header = p->have_next = false;
	p->lineno = 0;
	p->cut = 0;
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
		if (r && d->path && row_of(p, p->path_key) == r) {
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
	free(p->keys);
	free(p);
	d->replay = NULL;
}
