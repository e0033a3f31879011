/*
 * test_replay.c - the recorder and the player without a terminal: a
 * session recorded through the same calls the dashboard makes (rows_apply,
 * record_rename ...) and replayed gives the same rows, bit for bit; corrupt
 * files stop the player with FILE:LINE and why; thousands of mutated
 * recordings never crash it (under ASan and UBSan).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "record.h"
#include "eventlog.h"
#include "replay.h"
#include "rows.h"
#include "state.h"
#include "tracer.h"

static char dir[] = "/tmp/sonar-test-replay-XXXXXX";
static char file[sizeof(dir) + 32];

/* Write text (len bytes) into file. */
static void put(const char *text, size_t len)
{
	FILE *f = fopen(file, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Free what a dashboard of these tests holds. */
static void dash_free(struct dash *d)
{
	replay_close(d);
	tracer_close(d);
	eventlog_close(&d->log); /* the events the rows' alerts logged */
	model_free(&d->m);
	free(d->order);
	free(d->groups);
}

/*
 * Play file into d to its end (or its first bad line). 0 when it opened;
 * -1 with why in err when replay_open refused it.
 */
static int play(struct dash *d, char *err, size_t cap)
{
	int i;

	memset(d, 0, sizeof(*d));
	d->interval = 1;
	if (replay_open(d, file, 1.0, err, cap) < 0)
		return -1;
	for (i = 0; i < 64 && !d->quit && replay_timeout(d) >= 0; i++)
		replay_seek(d, '>');
	return 0;
}

/* An event of type t (rtt, reply TTL, message as given). */
static struct sonar_event event(enum sonar_event_type t, double rtt, const char *message)
{
	struct sonar_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = t;
	ev.rtt = rtt;
	ev.reply_ttl = t == SONAR_EVENT_REPLY ? 64 : -1;
	ev.from = "10.0.0.1";
	ev.name = ev.address = "";
	ev.message = message;
	if (t == SONAR_EVENT_ICMP_ERROR)
		ev.error = SONAR_EUNREACH;
	return ev;
}

/* A row as the dashboard would add it, recorded. */
static struct row *add(struct dash *d, const char *name, enum row_state state)
{
	struct row *r = model_add(&d->m, name);

	assert_non_null(r);
	r->state = state;
	if (state == ROW_ACTIVE)
		snprintf(r->address, sizeof(r->address), "%s", name);
	else
		snprintf(r->error, sizeof(r->error), "no such name");
	record_row(d, r);
	return r;
}

/* Record a session into file: rows, packets, a rename, a move, a reset, a
 * removal, the path view; d keeps what the live table showed. */
static void record_session(struct dash *d)
{
	char err[256];
	struct row *r1, *r2, *r3, *r4;
	struct sonar_mpls mpls[2] = {{24001, 5, 0, 1}, {16, 0, 1, 255}};
	uint64_t old;
	int i;

	memset(d, 0, sizeof(*d));
	d->interval = 0.25;
	assert_int_equal(record_open(d, file, err, sizeof(err)), 0);
	r1 = add(d, "10.0.0.1", ROW_ACTIVE);
	r2 = add(d, "::1", ROW_ACTIVE);
	r3 = add(d, "nowhere.example", ROW_FAILED);
	r4 = add(d, "udp://10.0.0.4:53", ROW_ACTIVE);
	r4->protocol = SONAR_PROTO_UDP;
	r4->port = 53;
	record_row(d, r4);
	assert_int_equal(tracer_recorded(d, "10.0.0.1", "10.0.0.1", 1), 0);
	record_path(d, r1->key);
	srand(7);
	for (i = 0; i < 2000; i++) {
		struct row *r = i % 3 == 0 ? r1 : i % 3 == 1 ? r2 : r4;
		/* RTTs with every digit a double has */
		double rtt = (double)rand() / RAND_MAX * 3.0 + 1e-3 / (i + 1);
		struct sonar_event ev = event(SONAR_EVENT_SENT, 0, "");

		rows_apply(d, r, &ev);
		ev = i % 11 == 0 ? event(SONAR_EVENT_TIMEOUT, 0, "")
		     : i % 17 == 0
		         ? event(SONAR_EVENT_ICMP_ERROR, rtt, "Destination \"Unreachable\"\n")
		         : event(SONAR_EVENT_REPLY, rtt, "");
		rows_apply(d, r, &ev);
		/* the path view: TTL 1 to 5, hop 2 silent */
		ev = event(SONAR_EVENT_SENT, 0, "");
		ev.probe_ttl = i % 5 + 1;
		record_path_event(d, 0, &ev);
		path_flow_event(d->path, 0, &ev);
		ev = ev.probe_ttl == 2   ? event(SONAR_EVENT_TIMEOUT, 0, "")
		     : ev.probe_ttl == 5 ? event(SONAR_EVENT_REPLY, rtt, "")
		                         : event(SONAR_EVENT_ICMP_ERROR, rtt, "Time Exceeded");
		ev.probe_ttl = i % 5 + 1;
		ev.error = ev.type == SONAR_EVENT_ICMP_ERROR ? SONAR_ETIMEEXCEEDED : 0;
		if (ev.probe_ttl == 4) {
			ev.mpls = mpls;
			ev.mpls_count = 2;
		}
		record_path_event(d, 0, &ev);
		path_flow_event(d->path, 0, &ev);
		if (i == 600) { /* e: ::1 becomes ::2 */
			old = r2->key;
			model_rekey(&d->m, r2);
			snprintf(r2->name, sizeof(r2->name), "::2");
			row_reset(r2);
			record_rename(d, old, r2);
		}
		if (i == 900) {
			record_reset(d, r1->key);
			row_reset(r1);
			record_move(d, r4->key, -1);
			model_move(&d->m, model_index(&d->m, r4->key), -1);
			record_interval(d);
		}
		if (i == 1200) {
			record_remove(d, r3->key);
			model_remove(&d->m, model_index(&d->m, r3->key));
		}
		if (i == 1500) {
			record_path_reset(d);
			path_reset(d->path);
		}
	}
	assert_int_equal(record_close(d, err, sizeof(err)), 0);
}

/* The replay of a recorded session is the session: every row's numbers as
 * shown, and its statistics bit for bit; the path view too. */
static void test_round_trip(void **state)
{
	struct dash live, rep;
	char err[1000];
	size_t i;
	int ttl;

	(void)state;
	record_session(&live);
	assert_int_equal(play(&rep, err, sizeof(err)), 0);
	assert_string_equal(replay_error(&rep), "");
	assert_int_equal(rep.m.n, live.m.n);
	assert_int_equal(rep.m.n, 3);
	for (i = 0; i < live.m.n; i++) {
		const struct row *a = live.m.rows[i], *b = rep.m.rows[i];
		char na[RECORD_NUMBERS][32], nb[RECORD_NUMBERS][32];
		int j;

		assert_string_equal(a->name, b->name);
		assert_string_equal(a->address, b->address);
		assert_string_equal(a->error, b->error);
		assert_int_equal(a->protocol, b->protocol);
		assert_int_equal(a->port, b->port);
		assert_int_equal(a->sent, b->sent);
		assert_int_equal(a->received, b->received);
		assert_int_equal(a->lost, b->lost);
		assert_true(a->st.sum == b->st.sum && a->st.min == b->st.min);
		assert_memory_equal(a->hist, b->hist, sizeof(a->hist));
		record_numbers(a, na);
		record_numbers(b, nb);
		for (j = 0; j < RECORD_NUMBERS; j++)
			assert_string_equal(na[j], nb[j]);
	}
	assert_true(rep.interval == 0.25);
	assert_non_null(rep.path);
	for (ttl = 1; ttl <= 5; ttl++) {
		const struct hop *a = path_hop(live.path, ttl), *b = path_hop(rep.path, ttl);

		assert_int_equal(a->r.sent, b->r.sent);
		assert_int_equal(a->r.received, b->r.received);
		assert_true(a->r.st.sum == b->r.st.sum);
		assert_int_equal(a->nresp, b->nresp);
		assert_int_equal(a->resp[0].mpls_count, b->resp[0].mpls_count);
	}
	assert_int_equal(path_hop(rep.path, 4)->resp[0].mpls[0].label, 24001);
	assert_true(path_silent(rep.path, 2));
	/* back to the start: < rebuilds from nothing */
	replay_seek(&rep, '<');
	assert_string_equal(replay_error(&rep), "");
	dash_free(&live);
	dash_free(&rep);
}

/* Bad files: FILE:LINE and why, never a crash. */
static void test_corrupt(void **state)
{
	static const struct {
		const char *text;
		const char *why; /* after "FILE:" */
	} cases[] = {
	    {"", "1: empty"},
	    {"garbage\n", "1: not a sonar recording"},
	    {"{\"sonar_record\": 2, \"interval\": 1}\n", "1: \"sonar_record\""},
	    {"{\"interval\": 1}\n", "1: not a sonar recording"},
	    {"{\"sonar_record\": 1, \"interval\": 0}\n", "1: \"interval\": out of range"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"row\": 5, \"event\": "
	     "\"sent\"}\n",
	     "2: \"row\": no row 5"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": -1, \"op\": \"reset\", \"row\": 0}\n",
	     "2: \"t\""},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"row\", \"row\": 1, "
	     "\"name\": \"a\", \"state\": 1, \"address\": \"a\", \"protocol\": 0, \"port\": 0, "
	     "\"error\": \"\"}\n{\"t\": 2, \"row\": 1, \"event\": \"reply\", \"from\": \"a\", "
	     "\"rtt\": 1e999, \"reply_ttl\": 1}\n",
	     "3: \"rtt\""},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"row\", \"row\": 1, "
	     "\"name\": \"a\", \"state\": 7, \"address\": \"a\", \"protocol\": 0, \"port\": 0, "
	     "\"error\": \"\"}\n",
	     "2: \"state\""},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"explode\"}\n",
	     "2: \"op\": \"explode\" is no operation"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"flow\": 0, \"probe_ttl\": 3, "
	     "\"event\": \"sent\"}\n",
	     "2: a path event without"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"path\", \"row\": 1, "
	     "\"target\": \"a\", \"address\": \"a\", \"protocol\": 0, \"port\": 0, "
	     "\"row_protocol\": 0, \"row_port\": 0, \"flows\": 99, \"first_hop\": 1}\n",
	     "2: \"flows\""},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"x\\u0000\"}\n",
	     "2: \"op\": a bad string"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"unterminated}\n",
	     "2: \"op\": a bad string"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": {\"a\": 1}}\n",
	     "2: \"op\": no value"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1} trailing\n",
	     "2: text after the object"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1\n", "2: ',' or '}' missing"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1}\n", "2: neither an event"},
	    {"{\"sonar_record\": 1, \"interval\": 1}\n{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,"
	     "\"f\":1,\"g\":1,\"h\":1,\"i\":1,\"j\":1,\"k\":1,\"l\":1,\"m\":1,\"n\":1,\"o\":1,"
	     "\"p\":1,\"q\":1,\"r\":1,\"s\":1,\"t\":1,\"u\":1,\"v\":1,\"w\":1,\"x\":1,\"y\":1}\n",
	     "2: more than 24 members"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct dash d;
		char err[1000], want[600];
		const char *got;

		put(cases[i].text, strlen(cases[i].text));
		snprintf(want, sizeof(want), "%s:%s", file, cases[i].why);
		got = play(&d, err, sizeof(err)) < 0 ? err : replay_error(&d);
		if (strncmp(got, want, strlen(want)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s...\"", i, got, want);
		dash_free(&d);
	}
	/* a NUL byte inside a line */
	put("{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1,\0 \"op\": \"reset\"}\n", 60);
	{
		struct dash d;
		char err[1000];

		/* line 2 is read ahead when the file opens */
		assert_int_equal(play(&d, err, sizeof(err)), -1);
		assert_non_null(strstr(err, ":2: a NUL byte"));
		dash_free(&d);
	}
}

/* A line longer than any the recorder writes (a file of no newlines:
 * /dev/zero, a compressed recording) is refused once it passes the
 * limit, never read whole into memory. */
static void test_long_line(void **state)
{
	static const char head[] = "{\"sonar_record\": 1, \"interval\": 1}\n{\"t\": 1, \"op\": \"";
	size_t len = sizeof(head) - 1 + (1 << 20);
	char *text = malloc(len);
	struct dash d;
	char err[1000];

	(void)state;
	assert_non_null(text);
	memcpy(text, head, sizeof(head) - 1);
	memset(text + sizeof(head) - 1, 'x', len - (sizeof(head) - 1));
	put(text, len);
	free(text);
	assert_int_equal(play(&d, err, sizeof(err)), -1);
	if (!strstr(err, ":2: longer than 65536 bytes"))
		fail_msg("got \"%s\"", err);
	dash_free(&d);
}

/* A recorder stopped mid-write (killed, or a full disk) leaves its last
 * line cut, without its newline: the replay plays every whole line and
 * finishes there (saying so), not an error that ends the dashboard. */
static void test_cut_last_line(void **state)
{
	static const char text[] =
	    "{\"sonar_record\": 1, \"interval\": 1}\n"
	    "{\"t\": 1, \"op\": \"row\", \"row\": 1, \"name\": \"a\", \"state\": 1, "
	    "\"address\": \"a\", \"protocol\": 0, \"port\": 0, \"error\": \"\"}\n"
	    "{\"t\": 2, \"row\": 1, \"event\": \"sent\"}\n"
	    "{\"t\": 3, \"row\": 1, \"event\": \"reply\", \"from\": \"a\", \"rt";
	struct dash d;
	char err[1000];

	(void)state;
	put(text, sizeof(text) - 1);
	assert_int_equal(play(&d, err, sizeof(err)), 0);
	assert_string_equal(replay_error(&d), "");
	assert_false(d.quit);
	assert_int_equal(d.m.n, 1);
	assert_int_equal(d.m.rows[0]->sent, 1);
	assert_non_null(strstr(d.message, "line 4 cut short"));
	dash_free(&d);
	/* a cut line that is not the last is corrupt as before */
	{
		static const char mid[] = "{\"sonar_record\": 1, \"interval\": 1}\n"
		                          "{\"t\": 1, \"op\n{\"t\": 2}\n";

		put(mid, sizeof(mid) - 1);
	}
	assert_int_equal(play(&d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: "));
	dash_free(&d);
}

/* Alerts judged while replaying go to the event log once: seeking back
 * rebuilds the rows from the start, and their events with them, not
 * beside the ones logged before. */
static void test_seek_events(void **state)
{
	static const char head[] =
	    "{\"sonar_record\": 1, \"interval\": 1}\n"
	    "{\"t\": 1, \"op\": \"row\", \"row\": 1, \"name\": \"a\", \"state\": 1, "
	    "\"address\": \"a\", \"protocol\": 0, \"port\": 0, \"error\": \"\"}\n";
	char text[4096];
	struct dash d;
	char err[1000];
	size_t n, i;

	(void)state;
	snprintf(text, sizeof(text), "%s", head);
	for (i = 0; i < 8; i++) /* 8 lost in a row: down */
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		         "{\"t\": %zu, \"row\": 1, \"event\": \"sent\"}\n"
		         "{\"t\": %zu, \"row\": 1, \"event\": \"timeout\"}\n",
		         2 + 2 * i, 3 + 2 * i);
	put(text, strlen(text));
	assert_int_equal(play(&d, err, sizeof(err)), 0);
	assert_string_equal(replay_error(&d), "");
	n = d.log.n;
	assert_true(n >= 1);
	replay_seek(&d, '<'); /* back to the start: rebuilt */
	for (i = 0; i < 64 && !d.quit && replay_timeout(&d) >= 0; i++)
		replay_seek(&d, '>');
	assert_string_equal(replay_error(&d), "");
	assert_int_equal(d.m.rows[0]->lost, 8);
	assert_int_equal(d.log.n, n);
	dash_free(&d);
}

/* A replayed event is stamped with the time it happened (the recording's
 * wall clock at its start, plus its t), not with the time of viewing; a
 * recording without "wall" (older) keeps the viewing time. */
static void test_event_time(void **state)
{
	static const char head[] =
	    "{\"sonar_record\": 1, \"interval\": 1, \"wall\": 1795000000123456789}\n"
	    "{\"t\": 1, \"op\": \"row\", \"row\": 1, \"name\": \"a\", \"state\": 1, "
	    "\"address\": \"a\", \"protocol\": 0, \"port\": 0, \"error\": \"\"}\n";
	char text[4096];
	struct dash d;
	char err[1000];
	const struct event_line *e;
	struct timespec now;
	size_t i;

	(void)state;
	snprintf(text, sizeof(text), "%s", head);
	for (i = 0; i < 5; i++) /* 5 lost in a row: down at the 5th, t = 5 s */
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		         "{\"t\": %zu, \"row\": 1, \"event\": \"sent\"}\n"
		         "{\"t\": %zu, \"row\": 1, \"event\": \"timeout\"}\n",
		         (2 * i + 1) * 500000000, (2 * i + 2) * 500000000);
	put(text, strlen(text));
	assert_int_equal(play(&d, err, sizeof(err)), 0);
	assert_string_equal(replay_error(&d), "");
	assert_int_equal(d.log.n, 1);
	e = eventlog_get(&d.log, 0);
	assert_int_equal(e->ev, ALERT_EV_DOWN);
	assert_int_equal(e->when.tv_sec, 1795000005);
	assert_int_equal(e->when.tv_nsec, 123456789);
	dash_free(&d);
	/* no "wall": the time of viewing */
	snprintf(text, sizeof(text), "{\"sonar_record\": 1, \"interval\": 1}\n%s",
	         strchr(head, '\n') + 1);
	for (i = 0; i < 5; i++)
		snprintf(text + strlen(text), sizeof(text) - strlen(text),
		         "{\"t\": %zu, \"row\": 1, \"event\": \"timeout\"}\n", 2 + i);
	put(text, strlen(text));
	assert_int_equal(play(&d, err, sizeof(err)), 0);
	assert_int_equal(d.log.n, 1);
	clock_gettime(CLOCK_REALTIME, &now);
	assert_true(eventlog_get(&d.log, 0)->when.tv_sec >= now.tv_sec - 60);
	dash_free(&d);
	/* a bad "wall" is refused as any bad number */
	snprintf(text, sizeof(text), "{\"sonar_record\": 1, \"interval\": 1, \"wall\": -5}\n");
	put(text, strlen(text));
	assert_int_equal(play(&d, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "\"wall\""));
	dash_free(&d);
}

/* Mutated recordings (a byte changed, removed or added, a line cut):
 * the player reports or finishes, and never crashes. */
static void test_mutations(void **state)
{
	static const char bytes[] = "\"\\{}:,09-e.\n\x01\xff u";
	struct dash live;
	char *text, *m;
	size_t len, i;
	FILE *f;
	int errors = 0;

	(void)state;
	record_session(&live);
	dash_free(&live);
	f = fopen(file, "r");
	assert_non_null(f);
	text = malloc(1 << 20);
	assert_non_null(text);
	len = fread(text, 1, 1 << 20, f);
	fclose(f);
	len = len > 6000 ? 6000 : len; /* the first lines: rows, packets, path */
	m = malloc(len + 2);
	assert_non_null(m);
	srand(11);
	for (i = 0; i < 3000; i++) {
		struct dash d;
		char err[1000];
		size_t at = (size_t)rand() % len, n = len;
		char c = bytes[(size_t)rand() % (sizeof(bytes) - 1)];

		memcpy(m, text, len);
		switch (i % 4) {
		case 0:
			m[at] = c;
			break;
		case 1:
			memmove(m + at, m + at + 1, len - at - 1);
			n--;
			break;
		case 2:
			memmove(m + at + 1, m + at, len - at);
			m[at] = c;
			n++;
			break;
		case 3:
			n = at; /* cut */
			break;
		}
		put(m, n);
		if (play(&d, err, sizeof(err)) < 0 || replay_error(&d)[0])
			errors++;
		dash_free(&d);
	}
	/* most mutations are caught; some are still a valid file */
	assert_true(errors > 1000);
	free(m);
	free(text);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(file, sizeof(file), "%s/rec", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(file);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),  cmocka_unit_test(test_corrupt),
	    cmocka_unit_test(test_long_line),   cmocka_unit_test(test_cut_last_line),
	    cmocka_unit_test(test_seek_events), cmocka_unit_test(test_event_time),
	    cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
