/*
 * test_alert.c - the alert state machine (alert.c) fed probe outcomes as
 * the dashboard feeds them, the per-target settings (watch.c), the event
 * log's lines and NDJSON (eventlog.c), and --on-alert's children
 * (oncmd.c): environment, one at a time per target, the time limit, no
 * descriptor inherited.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "alert.h"
#include "eventlog.h"
#include "model.h"
#include "oncmd.h"
#include "state.h"
#include "watch.h"

/* A window, newest first, kept as the dashboard keeps a row's. */
struct feed {
	float cells[ALERT_WINDOW];
	size_t n;
	enum alert_state state;
	struct alert_limits l;
	struct alert_value v;
};

/* One probe's fate (rtt ms, or -1 lost): judged and stepped; the event. */
static enum alert_event feed(struct feed *f, float rtt)
{
	memmove(f->cells + 1, f->cells, (ALERT_WINDOW - 1) * sizeof(float));
	f->cells[0] = rtt;
	if (f->n < ALERT_WINDOW)
		f->n++;
	return alert_step(&f->state, alert_judge(&f->l, f->state, f->cells, f->n, &f->v));
}

static void start(struct feed *f)
{
	memset(f, 0, sizeof(*f));
	alert_limits_none(&f->l);
}

static void test_up_then_down_then_up(void **state)
{
	struct feed f;
	int i;

	(void)state;
	start(&f);
	/* lost probes before any answer say nothing, fewer than down */
	assert_int_equal(feed(&f, -1), ALERT_EV_NONE);
	assert_int_equal(f.state, ALERT_NEW);
	assert_int_equal(feed(&f, 10), ALERT_EV_UP);
	assert_int_equal(f.state, ALERT_UP);
	assert_true(f.v.value == 10.0f);
	for (i = 0; i < ALERT_DOWN - 1; i++)
		assert_int_equal(feed(&f, -1), ALERT_EV_NONE);
	assert_int_equal(feed(&f, -1), ALERT_EV_DOWN);
	assert_string_equal(f.v.why, "down");
	assert_int_equal((int)f.v.value, ALERT_DOWN);
	/* more lost: still down, no new event */
	assert_int_equal(feed(&f, -1), ALERT_EV_NONE);
	assert_int_equal(feed(&f, 12), ALERT_EV_UP);
}

static void test_down_setting(void **state)
{
	struct feed f;

	(void)state;
	start(&f);
	f.l.down = 2;
	assert_int_equal(feed(&f, 1), ALERT_EV_UP);
	assert_int_equal(feed(&f, -1), ALERT_EV_NONE);
	assert_int_equal(feed(&f, -1), ALERT_EV_DOWN);
}

/* Every other reply lost (the lab's nft rule): over 20% raises, and the
 * window has to fill with answers again before it clears. */
static void test_loss_raises_and_clears(void **state)
{
	struct feed f;
	int i, raised = 0, cleared = -1, events = 0;

	(void)state;
	start(&f);
	f.l.loss = 20;
	f.l.set = ALERT_SET_LOSS;
	for (i = 0; i < 20; i++)
		assert_true(feed(&f, 5) == (i == 0 ? ALERT_EV_UP : ALERT_EV_NONE));
	for (i = 0; i < 40; i++) {
		enum alert_event e = feed(&f, i % 2 ? -1 : 5);

		if (e != ALERT_EV_NONE) {
			assert_int_equal(e, ALERT_EV_ALERT);
			raised = i;
			events++;
		}
	}
	assert_int_equal(events, 1);
	/* L lost of 20 + 2L probes is over 20% from L = 7: the 14th */
	assert_int_equal(raised, 13);
	assert_string_equal(f.v.why, "loss");
	for (i = 0; i < ALERT_WINDOW; i++) {
		enum alert_event e = feed(&f, 5);

		if (e != ALERT_EV_NONE) {
			assert_int_equal(e, ALERT_EV_CLEAR);
			assert_int_equal(cleared, -1);
			cleared = i;
		}
	}
	/* cleared at 15% (ALERT_CLEAR of 20%) or under: the window full
	 * (40 good ones), then 10 more push out 5 of the 20 lost: the 70th */
	assert_int_equal(cleared, 69);
	assert_int_equal(f.state, ALERT_UP);
}

static void test_rtt(void **state)
{
	struct feed f;
	int i;

	(void)state;
	start(&f);
	f.l.rtt = 50;
	f.l.set = ALERT_SET_RTT;
	assert_int_equal(feed(&f, 10), ALERT_EV_UP);
	assert_int_equal(feed(&f, 89), ALERT_EV_NONE);  /* avg 49.5 */
	assert_int_equal(feed(&f, 52), ALERT_EV_ALERT); /* avg 50.33 */
	assert_string_equal(f.v.why, "rtt");
	assert_true(f.v.value > 50.3 && f.v.value < 50.4);
	/* lost probes count for nothing in the average */
	assert_int_equal(feed(&f, -1), ALERT_EV_NONE);
	for (i = 0; i < 3; i++)
		feed(&f, 10);
	assert_int_equal(f.state, ALERT_UP);
	/* down wins over an RTT alert */
	f.l.down = 1;
	assert_int_equal(feed(&f, -1), ALERT_EV_DOWN);
}

/* An RTT threshold on a percentile: nearest-rank over the window's
 * answers; a few slow replies raise it where the average stays under. */
static void test_rtt_percentile(void **state)
{
	struct feed f;
	char err[256], text[48];
	int i;

	(void)state;
	start(&f);
	assert_int_equal(alert_parse_setting("alert-rtt=50@p90", &f.l, err, sizeof(err)), 0);
	assert_true(f.l.rtt == 50 && f.l.rtt_pct == 90);
	alert_rtt_text(&f.l, text, sizeof(text));
	assert_string_equal(text, "50@p90");
	assert_int_equal(feed(&f, 10), ALERT_EV_UP);
	for (i = 0; i < 8; i++)
		assert_int_equal(feed(&f, 10), ALERT_EV_NONE);
	/* every RTT under 50: no percentile can be over it, none worked out */
	assert_true(f.v.rtt < 0);
	/* 10 answers, 1 slow: p90 is the 9th smallest, still 10 */
	assert_int_equal(feed(&f, 200), ALERT_EV_NONE);
	assert_string_equal(f.v.stat, ""); /* named only with an RTT alert */
	assert_true(f.v.rtt == 10);
	/* a lost probe is not an answer: 2 slow of 11 answers is over 10% */
	assert_int_equal(feed(&f, -1), ALERT_EV_NONE);
	assert_int_equal(feed(&f, 100), ALERT_EV_ALERT);
	assert_string_equal(f.v.why, "rtt");
	assert_true(f.v.value == 100); /* the 10th of 11: ceil(0.9 * 11) */
	assert_string_equal(f.v.stat, "p90");
	/* the average (35.5 ms) is under 50: only the percentile sees it.
	 * It clears under ALERT_CLEAR of 50 (37.5 ms): with 30 ms answers,
	 * once the two slow ones are past the 90th rank (20 answers) */
	for (i = 0; i < 8; i++)
		assert_int_equal(feed(&f, 30), ALERT_EV_NONE); /* 19: rank 18 is 100 */
	assert_int_equal(f.state, ALERT_RAISED);
	assert_int_equal(feed(&f, 30), ALERT_EV_CLEAR); /* 20: rank 18 is 30 */
	/* @avg is the average; bad percentiles are refused with a reason */
	assert_int_equal(alert_parse_setting("alert-rtt=50@avg", &f.l, err, sizeof(err)), 0);
	assert_true(f.l.rtt_pct == 0);
	alert_rtt_text(&f.l, text, sizeof(text));
	assert_string_equal(text, "50");
	assert_int_equal(alert_parse_setting("alert-rtt=50@p0", &f.l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "after '@', avg or a percentile"));
	assert_int_equal(alert_parse_setting("alert-rtt=50@p101", &f.l, err, sizeof(err)), -1);
	assert_int_equal(alert_parse_setting("alert-rtt=50@95", &f.l, err, sizeof(err)), -1);
	assert_int_equal(alert_parse_setting("alert-rtt=50@p", &f.l, err, sizeof(err)), -1);
	assert_int_equal(alert_parse_setting("alert-rtt=@p95", &f.l, err, sizeof(err)), -1);
	assert_int_equal(alert_parse_setting("alert-rtt=50@p99.9", &f.l, err, sizeof(err)), 0);
	alert_rtt_text(&f.l, text, sizeof(text));
	assert_string_equal(text, "50@p99.9");
}

static void test_settings(void **state)
{
	struct alert_limits l;
	char err[256];

	(void)state;
	alert_limits_none(&l);
	assert_int_equal(alert_parse_setting("alert-loss=5.5", &l, err, sizeof(err)), 0);
	assert_true(l.loss == 5.5);
	assert_int_equal(alert_parse_setting("alert-rtt=100", &l, err, sizeof(err)), 0);
	assert_true(l.rtt == 100);
	assert_int_equal(alert_parse_setting("alert-down=3", &l, err, sizeof(err)), 0);
	assert_int_equal(l.down, 3);
	assert_int_equal(alert_parse_setting("alert-loss=101", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "alert-loss 101: must be from 0 to 100");
	assert_int_equal(alert_parse_setting("alert-down=1.5", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "alert-down '1.5': expected a whole number");
	assert_int_equal(alert_parse_setting("alert-rtt=", &l, err, sizeof(err)), -1);
	assert_int_equal(alert_parse_setting("alert-jitter=3", &l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown setting 'alert-jitter'"));
	assert_int_equal(alert_parse_setting("alert-loss", &l, err, sizeof(err)), -1);
	assert_int_equal(alert_parse_setting("alert-rtt=nan", &l, err, sizeof(err)), -1);
	assert_int_equal(watch_settings_check("alert-loss=5  alert-rtt=100\t", err, sizeof(err)),
	                 0);
	assert_int_equal(watch_settings_check("alert-loss=5 bogus", err, sizeof(err)), -1);
}

/* A row's own settings override the global ones field by field, and s
 * writes back what the file said. */
static void test_row_settings(void **state)
{
	struct dash *d = calloc(1, sizeof(*d));
	struct row *r;
	struct alert_limits l;
	char err[256], text[128];

	(void)state;
	assert_non_null(d);
	alert_limits_none(&d->limits);
	d->limits.loss = 10;
	d->limits.rtt = 200;
	d->limits.set = ALERT_SET_LOSS | ALERT_SET_RTT;
	r = model_add(&d->m, "example.test");
	assert_non_null(r);
	watch_settings_text(r, text, sizeof(text));
	assert_string_equal(text, "");
	assert_int_equal(watch_settings(r, "alert-rtt=100 alert-down=3", err, sizeof(err)), 0);
	watch_limits(d, r, &l);
	assert_true(l.loss == 10 && l.rtt == 100 && l.down == 3);
	watch_settings_text(r, text, sizeof(text));
	assert_string_equal(text, " alert-rtt=100 alert-down=3");
	assert_int_equal(watch_settings(r, "alert-rtt=x", err, sizeof(err)), -1);
	assert_true(r->limits.rtt == 100); /* a refused line changes nothing */
	model_free(&d->m);
	free(d);
}

/* The watch in the dashboard: a row's probes make events in the log. */
static void test_watch_logs(void **state)
{
	struct dash *d = calloc(1, sizeof(*d));
	struct row *r;
	const struct event_line *e;
	char line[512];
	int i;

	(void)state;
	assert_non_null(d);
	alert_limits_none(&d->limits);
	d->limits.loss = 30;
	d->limits.set = ALERT_SET_LOSS;
	r = model_add(&d->m, "host.test");
	snprintf(r->address, sizeof(r->address), "192.0.2.1");
	row_reply(r, 1.5, 64);
	watch_row(d, r);
	for (i = 0; i < 2; i++) {
		row_lost(r);
		watch_row(d, r);
	}
	assert_int_equal(d->log.n, 2);
	e = eventlog_get(&d->log, 0);
	assert_int_equal(e->ev, ALERT_EV_ALERT);
	assert_string_equal(e->why, "loss");
	assert_string_equal(r->alert_why, "loss");
	assert_true(r->alert_value > 66.6 && r->alert_value < 66.7); /* as it is now */
	eventlog_format(e, line, sizeof(line));
	assert_non_null(strstr(line, "  alert   host.test (192.0.2.1)  loss 50.0%"));
	e = eventlog_get(&d->log, 1);
	assert_int_equal(e->ev, ALERT_EV_UP);
	eventlog_format(e, line, sizeof(line));
	assert_non_null(strstr(line, "  up      host.test (192.0.2.1)  rtt 1.500 ms"));
	assert_null(eventlog_get(&d->log, 2));
	eventlog_close(&d->log);
	model_free(&d->m);
	free(d);
}

static void test_ndjson(void **state)
{
	struct event_line e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	memset(&e, 0, sizeof(e));
	e.when.tv_sec = 1795000000; /* 2026-11-18T11:06:40Z */
	e.when.tv_nsec = 123456789;
	e.ev = ALERT_EV_ALERT;
	snprintf(e.target, sizeof(e.target), "we\"ird");
	snprintf(e.address, sizeof(e.address), "2001:db8::1");
	snprintf(e.why, sizeof(e.why), "rtt");
	snprintf(e.stat, sizeof(e.stat), "p95");
	e.value = 120.25;
	eventlog_json(f, &e);
	e.ev = ALERT_EV_UP;
	e.address[0] = '\0';
	e.why[0] = '\0';
	e.stat[0] = '\0';
	e.value = -1;
	eventlog_json(f, &e);
	fclose(f);
	assert_string_equal(buf, "{\"time\":\"2026-11-18T11:06:40.123456Z\",\"event\":\"alert\","
	                         "\"target\":\"we\\\"ird\",\"address\":\"2001:db8::1\",\"why\":"
	                         "\"rtt\",\"stat\":\"p95\",\"value\":120.250}\n"
	                         "{\"time\":\"2026-11-18T11:06:40.123456Z\",\"event\":\"up\","
	                         "\"target\":\"we\\\"ird\",\"address\":null,\"why\":null,"
	                         "\"value\":null}\n");
	free(buf);
}

/* Read a whole small file into buf ("" when missing). */
static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* Poll until no child runs (bounded: 10 s). */
static void wait_kids(struct oncmd *o)
{
	int i;

	for (i = 0; i < 1000 && o->n; i++) {
		struct timespec ts = {0, 10 * 1000000L};

		oncmd_poll(o, 0);
		nanosleep(&ts, NULL);
	}
	assert_int_equal(o->n, 0);
}

static void test_oncmd(void **state)
{
	char dir[] = "/tmp/sonar-oncmd-XXXXXX", cmd[512], out[4096], path[300];
	struct oncmd o;
	struct event_line e;
	int fd = open("/dev/null", O_RDONLY); /* not O_CLOEXEC: must not reach the child */

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_true(fd >= 3);
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(
	    cmd, sizeof(cmd),
	    "echo \"$SONAR_EVENT $SONAR_STATE $SONAR_TARGET $SONAR_ADDRESS $SONAR_WHY "
	    "$SONAR_VALUE $SONAR_TIME fd:$(ls /proc/self/fd | tr '\\n' ' ')\" >> %s; sleep 0.2",
	    path);
	memset(&o, 0, sizeof(o));
	o.cmd = cmd;
	memset(&e, 0, sizeof(e));
	e.when.tv_sec = 1795000000;
	e.ev = ALERT_EV_ALERT;
	snprintf(e.target, sizeof(e.target), "t1");
	snprintf(e.address, sizeof(e.address), "192.0.2.7");
	snprintf(e.why, sizeof(e.why), "loss");
	e.value = 50;
	oncmd_run(&o, 1, &e, 0);
	assert_int_equal(o.n, 1);
	/* the same target again while it runs: waits; the newest wins */
	e.ev = ALERT_EV_CLEAR;
	e.why[0] = '\0';
	e.value = 3;
	oncmd_run(&o, 1, &e, 0);
	e.ev = ALERT_EV_DOWN;
	snprintf(e.why, sizeof(e.why), "down");
	e.value = 5;
	oncmd_run(&o, 1, &e, 0);
	assert_int_equal(o.n, 1);
	assert_int_equal(o.ran, 1);
	wait_kids(&o);
	assert_int_equal(o.ran, 2);
	slurp(path, out, sizeof(out));
	/* fd: the shell's ls sees 0-2 and its own directory descriptor */
	assert_non_null(strstr(out, "alert alert t1 192.0.2.7 loss 50.000 2026-11-18T11:06:40Z "
	                            "fd:0 1 2 3 \n"));
	assert_non_null(strstr(out, "down down t1 192.0.2.7 down 5.000 2026-11-18T11:06:40Z"));
	assert_null(strstr(out, "clear"));
	/* the time limit: killed, with what it started */
	snprintf(cmd, sizeof(cmd), "sleep 30 & sleep 30; echo late >> %s", path);
	oncmd_run(&o, 2, &e, 0);
	assert_int_equal(o.n, 1);
	oncmd_poll(&o, 0);
	assert_int_equal(o.n, 1);
	oncmd_poll(&o, ONCMD_LIMIT_NS);
	wait_kids(&o);
	assert_int_equal(o.killed, 1);
	slurp(path, out, sizeof(out));
	assert_null(strstr(out, "late"));
	oncmd_close(&o);
	close(fd);
	unlink(path);
	rmdir(dir);
}

/* Many targets changing at once (a link down under 10,000 of them): at
 * most ONCMD_MAX_RUNNING commands run at a time, the others wait their
 * turn (each target's newest change), and every target's command runs. */
/* How many run.* files dir holds: commands running now. */
static size_t running_files(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(dp);
	while ((de = readdir(dp)))
		n += strncmp(de->d_name, "run.", 4) == 0;
	closedir(dp);
	return n;
}

static void test_oncmd_cap(void **state)
{
	char dir[] = "/tmp/sonar-oncap-XXXXXX", cmd[512], path[300], line[400];
	struct oncmd o;
	struct event_line e;
	size_t most = 0, lines = 0;
	uint64_t k;
	FILE *f;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	/* each command says it runs with a file of its own while it does: what
	 * runs at once is counted from outside, not from oncmd's counter */
	snprintf(cmd, sizeof(cmd),
	         "touch %s/run.$$; echo $SONAR_TARGET $SONAR_EVENT >> %s; sleep 0.3; rm %s/run.$$",
	         dir, path, dir);
	memset(&o, 0, sizeof(o));
	o.cmd = cmd;
	memset(&e, 0, sizeof(e));
	e.ev = ALERT_EV_ALERT;
	for (k = 1; k <= 3 * ONCMD_MAX_RUNNING; k++) {
		snprintf(e.target, sizeof(e.target), "t%llu", (unsigned long long)k);
		oncmd_run(&o, k, &e, 0);
	}
	/* and a newer change of one that waits: it runs that one, once */
	e.ev = ALERT_EV_DOWN;
	snprintf(e.target, sizeof(e.target), "t%d", 3 * ONCMD_MAX_RUNNING);
	oncmd_run(&o, 3 * ONCMD_MAX_RUNNING, &e, 0);
	for (i = 0; i < 600 && o.n > 0; i++) {
		size_t now = running_files(dir);

		most = now > most ? now : most;
		oncmd_poll(&o, 0);
		usleep(20000);
	}
	assert_int_equal(o.n, 0);
	assert_true(most <= ONCMD_MAX_RUNNING);
	assert_true(most >= 2); /* they did run side by side */
	assert_int_equal(o.ran, 3 * ONCMD_MAX_RUNNING);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f))
		lines++;
	fclose(f);
	assert_int_equal(lines, 3 * ONCMD_MAX_RUNNING);
	snprintf(line, sizeof(line), "grep -qx 't%d down' %s", 3 * ONCMD_MAX_RUNNING, path);
	assert_int_equal(system(line), 0);
	oncmd_close(&o);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_up_then_down_then_up),
	    cmocka_unit_test(test_down_setting),
	    cmocka_unit_test(test_loss_raises_and_clears),
	    cmocka_unit_test(test_rtt),
	    cmocka_unit_test(test_rtt_percentile),
	    cmocka_unit_test(test_settings),
	    cmocka_unit_test(test_row_settings),
	    cmocka_unit_test(test_watch_logs),
	    cmocka_unit_test(test_ndjson),
	    cmocka_unit_test(test_oncmd),
	    cmocka_unit_test(test_oncmd_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
