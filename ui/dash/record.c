/*
 * record.c - the recorder: each change of the table and each packet event,
 * as it happens, into the --record file (the format: record.h).
 *
 * One owner: d->rec is made by record_open() and freed by record_close()
 * only. Writes go through stdio's buffer, written out once a loop turn
 * (record_flush), so a busy table costs no system call per packet. A
 * write that fails ends the recording there (nothing more is written: the
 * file ends whole, or in one line cut short), said on the status line at
 * once and again when the file closes.
 * Numbers that the replay computes from (RTTs) are written with 17
 * significant digits: a double read back is the same double, so the
 * replay's statistics are the live ones, bit for bit.
 */
#include "config.h"
#include "record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "format.h"
#include "json.h"

struct record {
	FILE *f;
	char file[256];    /* its name, for the messages */
	int64_t start;     /* now_ns() at the header */
	uint64_t path_key; /* the row the path view traces */
	int failed;        /* the errno of the first write that failed; 0 none */
};

const char *const record_number_names[RECORD_NUMBERS] = {
    "loss", "sent", "received", "last", "avg", "min", "max", "stdev", "jitter",
};

/* The event's name as --stream writes it. */
static const char *event_name(enum sonar_event_type t)
{
	switch (t) {
	case SONAR_EVENT_SENT:
		return "sent";
	case SONAR_EVENT_REPLY:
		return "reply";
	case SONAR_EVENT_TIMEOUT:
		return "timeout";
	case SONAR_EVENT_ICMP_ERROR:
		return "icmp_error";
	case SONAR_EVENT_SEND_ERROR:
		return "send_error";
	case SONAR_EVENT_DUPLICATE:
		return "duplicate";
	}
	return "?";
}

/* Begin a line: `{"t": NS`; the file, or NULL when not recording (or
 * no longer: a write failed). */
static FILE *line(struct dash *d)
{
	if (!d->rec || d->rec->failed)
		return NULL;
	fprintf(d->rec->f, "{\"t\": %lld", (long long)(now_ns() - d->rec->start));
	return d->rec->f;
}

/* `, "key": ` then the string. */
static void str_field(FILE *f, const char *key, const char *s)
{
	fprintf(f, ", \"%s\": ", key);
	json_string(f, s);
}

int record_open(struct dash *d, const char *file, char *err, size_t cap)
{
	struct record *rec = calloc(1, sizeof(*rec));
	struct timespec wall;

	if (!rec) {
		snprintf(err, cap, "out of memory");
		return -1;
	}
	rec->f = fopen(file, "w");
	if (!rec->f) {
		snprintf(err, cap, "%s: %s", file, strerror(errno));
		free(rec);
		return -1;
	}
	setvbuf(rec->f, NULL, _IOFBF, 1 << 16);
	snprintf(rec->file, sizeof(rec->file), "%s", file);
	rec->start = now_ns();
	clock_gettime(CLOCK_REALTIME, &wall);
	/* "wall": the wall clock at t 0, so a replay's events say when they were */
	fprintf(rec->f, "{\"sonar_record\": %d, \"interval\": %.17g, \"wall\": %lld}\n",
	        RECORD_VERSION, d->interval, (long long)wall.tv_sec * 1000000000LL + wall.tv_nsec);
	d->rec = rec;
	return 0;
}

void record_numbers(const struct row *r, char out[RECORD_NUMBERS][32])
{
	struct sonar_host h;
	bool any = r->st.n > 0;

	row_host(r, &h);
	fmt_loss(out[0], 32, row_loss(r), r->done > 0);
	snprintf(out[1], 32, "%llu", (unsigned long long)r->sent);
	snprintf(out[2], 32, "%llu", (unsigned long long)r->received);
	fmt_ms(out[3], 32, any ? r->st.last : -1);
	fmt_ms(out[4], 32, any ? r->st.sum / (double)r->st.n : -1);
	fmt_ms(out[5], 32, any ? r->st.min : -1);
	fmt_ms(out[6], 32, any ? r->st.max : -1);
	fmt_ms(out[7], 32, any ? h.stdev_rtt : -1);
	fmt_ms(out[8], 32, r->st.n > 1 ? h.jitter : -1);
}

int record_close(struct dash *d, char *err, size_t cap)
{
	struct record *rec = d->rec;
	size_t i;
	int j, rc = 0;

	if (!rec)
		return 0;
	for (i = 0; i < d->m.n; i++) {
		const struct row *r = d->m.rows[i];
		char num[RECORD_NUMBERS][32];
		FILE *f = line(d);

		if (!f)
			break;
		record_numbers(r, num);
		fprintf(f, ", \"snapshot\": %llu", (unsigned long long)r->key);
		str_field(f, "name", r->name);
		for (j = 0; j < RECORD_NUMBERS; j++)
			str_field(f, record_number_names[j], num[j]);
		fputs("}\n", f);
	}
	if (!rec->failed && (fflush(rec->f) != 0 || ferror(rec->f)))
		rec->failed = errno ? errno : EIO;
	if (fclose(rec->f) != 0 && !rec->failed)
		rec->failed = errno ? errno : EIO;
	if (rec->failed) {
		snprintf(err, cap, "%s: the recording could not be written whole: %s", rec->file,
		         strerror(rec->failed));
		rc = -1;
	}
	free(rec);
	d->rec = NULL;
	return rc;
}

void record_flush(struct dash *d)
{
	struct record *rec = d->rec;

	if (!rec || rec->failed)
		return;
	errno = 0;
	if (fflush(rec->f) != 0 || ferror(rec->f)) {
		/* (a full disk): nothing more is written, so the file ends
		 * with whole lines or one cut short, which the replay plays up
		 * to; said now, not only at quit */
		rec->failed = errno ? errno : EIO;
		say(d, true, "recording to %.200s failed: %s; it ends here", rec->file,
		    strerror(rec->failed));
		d->message_until = now_ns() + 365 * 86400 * 1000000000LL; /* until another */
	}
}

void record_row(struct dash *d, const struct row *r)
{
	FILE *f = line(d);

	if (!f)
		return;
	fprintf(f, ", \"op\": \"row\", \"row\": %llu", (unsigned long long)r->key);
	str_field(f, "name", r->name);
	fprintf(f, ", \"state\": %d", (int)r->state);
	str_field(f, "address", r->address);
	fprintf(f, ", \"protocol\": %d, \"port\": %d", r->protocol, r->port);
	str_field(f, "error", r->error);
	fputs("}\n", f);
}

void record_rename(struct dash *d, uint64_t old_key, const struct row *r)
{
	FILE *f = line(d);

	if (!f)
		return;
	fprintf(f, ", \"op\": \"rename\", \"row\": %llu, \"to\": %llu}\n",
	        (unsigned long long)old_key, (unsigned long long)r->key);
	record_row(d, r);
}

void record_remove(struct dash *d, uint64_t key)
{
	FILE *f = line(d);

	if (f)
		fprintf(f, ", \"op\": \"remove\", \"row\": %llu}\n", (unsigned long long)key);
}

void record_move(struct dash *d, uint64_t key, int dir)
{
	FILE *f = line(d);

	if (f)
		fprintf(f, ", \"op\": \"move\", \"row\": %llu, \"dir\": %d}\n",
		        (unsigned long long)key, dir < 0 ? -1 : 1);
}

void record_reset(struct dash *d, uint64_t key)
{
	FILE *f = line(d);

	if (f)
		fprintf(f, ", \"op\": \"reset\", \"row\": %llu}\n", (unsigned long long)key);
}

void record_interval(struct dash *d)
{
	FILE *f = line(d);

	if (f)
		fprintf(f, ", \"op\": \"interval\", \"seconds\": %.17g}\n", d->interval);
}

void record_pause(struct dash *d)
{
	FILE *f = line(d);

	if (f)
		fprintf(f, ", \"op\": \"pause\", \"paused\": %s}\n", d->paused ? "true" : "false");
}

/* An event's fields after "t": what the model takes from it. */
static void event_fields(FILE *f, const struct sonar_event *ev)
{
	int i;

	str_field(f, "event", event_name(ev->type));
	if (ev->type == SONAR_EVENT_REPLY || ev->type == SONAR_EVENT_ICMP_ERROR) {
		str_field(f, "from", ev->from ? ev->from : "");
		fprintf(f, ", \"rtt\": %.17g, \"reply_ttl\": %d", ev->rtt, ev->reply_ttl);
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR) {
		fprintf(f, ", \"error_code\": %d", ev->error);
		if (ev->mpls && ev->mpls_count > 0) {
			/* "LABEL/TC/S/TTL ...": flat, as the rest of the line */
			fputs(", \"mpls\": \"", f);
			for (i = 0; i < ev->mpls_count && i < SONAR_MPLS_MAX; i++)
				fprintf(f, "%s%u/%d/%d/%d", i ? " " : "",
				        (unsigned)ev->mpls[i].label, ev->mpls[i].tc, ev->mpls[i].s,
				        ev->mpls[i].ttl);
			fputc('"', f);
		}
	}
	if (ev->type == SONAR_EVENT_ICMP_ERROR || ev->type == SONAR_EVENT_SEND_ERROR)
		str_field(f, "error", ev->message ? ev->message : "");
	fputs("}\n", f);
}

void record_event(struct dash *d, uint64_t key, const struct sonar_event *ev)
{
	FILE *f;

	if (!d->rec || ev->type == SONAR_EVENT_DUPLICATE) /* the table ignores them */
		return;
	if (!(f = line(d)))
		return;
	fprintf(f, ", \"row\": %llu", (unsigned long long)key);
	event_fields(f, ev);
}

void record_path(struct dash *d, uint64_t key)
{
	const struct path *p = d->path;
	FILE *f;

	if (!d->rec || !p)
		return;
	if (key)
		d->rec->path_key = key;
	if (!(f = line(d)))
		return;
	fprintf(f, ", \"op\": \"path\", \"row\": %llu", (unsigned long long)d->rec->path_key);
	str_field(f, "target", p->target);
	str_field(f, "address", p->address);
	fprintf(f,
	        ", \"protocol\": %d, \"port\": %d, \"row_protocol\": %d, \"row_port\": %d, "
	        "\"flows\": %d, \"first_hop\": %d}\n",
	        p->protocol, p->port, p->row_protocol, p->row_port, p->nflows, p->first_hop);
}

void record_path_event(struct dash *d, int flow, const struct sonar_event *ev)
{
	FILE *f;

	if (!d->rec || ev->type == SONAR_EVENT_DUPLICATE)
		return;
	if (!(f = line(d)))
		return;
	fprintf(f, ", \"flow\": %d, \"probe_ttl\": %d", flow, ev->probe_ttl);
	event_fields(f, ev);
}

void record_path_reset(struct dash *d)
{
	FILE *f = line(d);

	if (f)
		fputs(", \"op\": \"path_reset\"}\n", f);
}
