/*
 * test_view.c - screen snapshots of the dashboard's views (snapshot.h: a
 * view drawn on a canvas of text, compared with tests/unit/snapshots/).
 */
#include "config.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "eventlog.h"
#include "format.h"
#include "help.h"
#include "keys.h"
#include "model.h"
#include "path.h"
#include "snapshot.h"
#include "view.h"

/* A row for name, probing address. */
static struct row *active_row(struct model *m, const char *name, const char *address)
{
	struct row *r = model_add(m, name);

	assert_non_null(r);
	snprintf(r->address, sizeof(r->address), "%s", address);
	r->state = ROW_ACTIVE;
	return r;
}

/* A table of four rows in every state. */
static void table(struct model *m)
{
	struct row *r;
	int i;

	memset(m, 0, sizeof(*m));
	r = active_row(m, "127.0.0.1", "127.0.0.1");
	for (i = 0; i < 6; i++) {
		row_sent(r);
		row_reply(r, 0.041 + 0.002 * i, 64);
	}
	r = active_row(m, "gw.example", "192.0.2.1");
	for (i = 0; i < 6; i++) {
		row_sent(r);
		if (i == 2)
			row_lost(r);
		else
			row_reply(r, 12.5 + 30 * i, 60);
	}
	r = model_add(m, "resolving.example");
	r->state = ROW_RESOLVING;
	r = model_add(m, "nosuch.example");
	r->state = ROW_FAILED;
	snprintf(r->error, sizeof(r->error), "The name cannot be resolved");
}

/* The fields every view needs. */
static void base(struct view *v, const struct model *m, size_t *order)
{
	memset(v, 0, sizeof(*v));
	model_order(m, order);
	v->screen = SCREEN_TABLE;
	v->model = m;
	v->order = order;
	v->selected = 1;
	v->interval = 1;
	v->theme = "default";
	v->keyline = "a add  e edit  q quit";
}

static void test_table(void **state)
{
	struct model m;
	size_t order[4];
	struct view v;

	(void)state;
	table(&m);
	base(&v, &m, order);
	snapshot("table", &v, 120, 10);
	v.message = "added 127.0.0.1";
	v.paused = true;
	snapshot("table_message_paused", &v, 120, 10);
	v.message = NULL;
	v.prompt = "Add target: ";
	v.input = "example.org";
	v.input_cursor = 11;
	snapshot("table_prompt", &v, 120, 10);
	model_free(&m);
}

/* Rows in alert and down (their names in the alert slot, why before the
 * history), and the event log pane (l) in the capture pane's place. */
static void test_alerts_and_log(void **state)
{
	struct model m;
	size_t order[4];
	struct view v;
	struct eventlog log = {0};
	struct event_line e;
	static const enum alert_event evs[] = {ALERT_EV_UP, ALERT_EV_ALERT, ALERT_EV_CLEAR,
	                                       ALERT_EV_DOWN};
	size_t i;

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	table(&m);
	m.rows[0]->alert_why = "rtt";
	m.rows[0]->alert_value = 0.046;
	m.rows[1]->alert_why = "loss";
	m.rows[1]->alert_value = 16.7;
	m.rows[3]->alert_why = "down";
	m.rows[3]->alert_value = 5;
	for (i = 0; i < 4; i++) {
		memset(&e, 0, sizeof(e));
		e.when.tv_sec = 1795000000 + (time_t)i; /* local time: UTC here */
		e.ev = evs[i];
		snprintf(e.target, sizeof(e.target), "gw.example");
		snprintf(e.address, sizeof(e.address), "192.0.2.1");
		snprintf(e.why, sizeof(e.why), "%s", i == 1 ? "loss" : i == 3 ? "down" : "");
		e.value = i == 1 ? 20.6 : i == 3 ? 3 : 12.5;
		assert_int_equal(eventlog_add(&log, &e), 0);
	}
	base(&v, &m, order);
	v.log_shown = true;
	v.log = &log;
	snapshot("alerts_log_120x16", &v, 120, 16);
	eventlog_close(&log);
	model_free(&m);
}

static void test_capture_pane(void **state)
{
	struct model m;
	size_t order[4];
	struct view v;

	(void)state;
	table(&m);
	base(&v, &m, order);
	v.cap_shown = true;
	v.pane_keys = "c close  f filter  Space freeze  [ ] scroll";
	v.cap_error = "capture needs root or cap_net_raw (setcap cap_net_raw+ep on sonar)";
	snapshot("capture_pane", &v, 120, 16);
	model_free(&m);
}

/*
 * The pane's key hint and its "N older packets skipped" note on a narrow
 * terminal: both are shown, neither over the other (the hint, drawn over
 * the right of the pane's header, hid the note at 80 columns; at 50x6 the
 * pane did not show at all).
 */
static void test_capture_narrow(void **state)
{
	static char text[SNAP_TEXT_MAX];
	static const int sizes[][2] = {{50, 6}, {80, 24}};
	char pane_keys[160], keyline[256], name[64];
	struct model m;
	size_t order[4], i;
	struct view v;

	(void)state;
	table(&m);
	base(&v, &m, order);
	v.cap_shown = true;
	v.cap_skipped = 1234;
	v.pane_keys = keys_line(ON_PANE, pane_keys, sizeof(pane_keys));
	v.keyline = keys_line(ON_TABLE, keyline, sizeof(keyline));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int w = sizes[i][0], h = sizes[i][1];

		snprintf(name, sizeof(name), "capture_skipped_%dx%d", w, h);
		snapshot_as(name, &v, w, h, true);
		snapshot_text(snapshot_draw(&v, w, h, true), text, sizeof(text));
		if (!strstr(text, "1234 older packets skipped"))
			fail_msg("%dx%d: the skipped note is not shown", w, h);
		if (!strstr(text, "c close  f filter"))
			fail_msg("%dx%d: the pane's keys are not shown", w, h);
		if (!strstr(text, " capture"))
			fail_msg("%dx%d: the pane is not shown", w, h);
	}
	model_free(&m);
}

/* An event for the path model, with the label stack it carried. */
static void hop_labels(struct path *p, int ttl, const char *from, bool answered,
                       const struct sonar_mpls *mpls, int n)
{
	struct sonar_event e;

	memset(&e, 0, sizeof(e));
	e.probe_ttl = ttl;
	e.type = SONAR_EVENT_SENT;
	e.from = "";
	e.message = "";
	path_event(p, &e);
	e.type = answered
	             ? (strcmp(from, p->address) == 0 ? SONAR_EVENT_REPLY : SONAR_EVENT_ICMP_ERROR)
	             : SONAR_EVENT_TIMEOUT;
	e.error = e.type == SONAR_EVENT_ICMP_ERROR ? SONAR_ETIMEEXCEEDED : 0;
	e.from = from;
	e.rtt = ttl * 1.5;
	e.reply_ttl = 64 - ttl;
	e.mpls = mpls;
	e.mpls_count = n;
	path_event(p, &e);
}

/* An event for the path model, without labels. */
static void hop(struct path *p, int ttl, const char *from, bool answered)
{
	hop_labels(p, ttl, from, answered, NULL, 0);
}

static void test_path_view(void **state)
{
	static struct path p;
	struct model m;
	size_t order[4];
	struct view v;
	int i;

	(void)state;
	table(&m);
	base(&v, &m, order);
	path_init(&p, "gw.example", "192.0.2.9", 1);
	for (i = 0; i < 5; i++) {
		hop(&p, 1, "10.0.0.1", true);
		hop(&p, 2, "", false);              /* silent */
		hop(&p, 3, "10.0.3.1", i % 2 == 0); /* loses some: rate-limited? */
		hop(&p, 4, "192.0.2.9", true);
	}
	v.screen = SCREEN_PATH;
	v.path = &p;
	v.keyline = "Esc back  q quit";
	snapshot("path", &v, 130, 10);
	model_free(&m);
}

/*
 * Rows of every protocol: a target written tcp://HOST:PORT or udp://...
 * shows as written, so a TCP row is told from an ICMP one at a glance;
 * at 80 columns (names cut to their column) and at 120.
 */
static void test_protocol_rows(void **state)
{
	static char text[SNAP_TEXT_MAX];
	struct model m;
	size_t order[4];
	struct view v;
	char keyline[256];
	struct row *r;
	int i;

	(void)state;
	memset(&m, 0, sizeof(m));
	r = active_row(&m, "127.0.0.1", "127.0.0.1");
	for (i = 0; i < 8; i++) {
		row_sent(r);
		row_reply(r, 0.04, 64);
	}
	r = active_row(&m, "tcp://web.example:443", "192.0.2.80");
	for (i = 0; i < 8; i++) {
		row_sent(r);
		row_reply(r, 12.5 + i, 57);
	}
	r = active_row(&m, "udp://[2001:db8::53]:53", "2001:db8::53");
	for (i = 0; i < 8; i++) {
		row_sent(r);
		row_reply(r, 3.25, 60);
	}
	r = active_row(&m, "tcp://filtered.example", "198.51.100.8");
	for (i = 0; i < 8; i++) {
		row_sent(r);
		row_lost(r);
	}
	base(&v, &m, order);
	v.keyline = keys_line(ON_TABLE, keyline, sizeof(keyline));
	snapshot_as("proto_table_80x24", &v, 80, 24, true);
	snapshot_as("proto_table_120x40", &v, 120, 40, true);
	snapshot_text(snapshot_draw(&v, 120, 40, true), text, sizeof(text));
	assert_non_null(strstr(text, "\ntcp://web.example:443   192.0.2.80 "));
	assert_non_null(strstr(text, "udp://[2001:db8::53]:53"));
	model_free(&m);
}

/* The view's as_of in the test: one address has an AS. */
static const char *fake_as(void *ctx, const char *address, char *buf, size_t cap)
{
	(void)ctx;
	snprintf(buf, cap, "%s", strcmp(address, "10.0.2.1") == 0 ? "AS64500 EXAMPLE-NET" : "");
	return buf;
}

/*
 * The path view with e: each hop's MPLS label stack under it, an entry a
 * line (mtr's form), the other responder of a balanced TTL with its own;
 * without e, none. Then a TCP trace: its title says so, with its port.
 * Then z: each responder's AS before its address.
 */

static void test_path_mpls(void **state)
{
	static const struct sonar_mpls two[] = {{24001, 5, 0, 1}, {16, 0, 1, 255}};
	static const struct sonar_mpls one[] = {{777, 0, 1, 1}};
	static const struct sonar_mpls other[] = {{778, 0, 1, 1}};
	static char text[SNAP_TEXT_MAX];
	static struct path p;
	char keyline[256];
	struct model m;
	size_t order[4];
	struct view v;
	int i;

	(void)state;
	table(&m);
	base(&v, &m, order);
	path_init(&p, "gw.example", "192.0.2.9", 1);
	for (i = 0; i < 6; i++) {
		hop(&p, 1, "10.0.0.1", true);
		hop_labels(&p, 2, "10.0.2.1", true, two, 2);
		hop_labels(&p, 3, i % 3 ? "10.0.3.1" : "10.0.3.2", true, i % 3 ? one : other, 1);
		hop(&p, 4, "10.0.4.1", true);
		hop(&p, 5, "192.0.2.9", true);
	}
	v.screen = SCREEN_PATH;
	v.path = &p;
	v.keyline = keys_line(ON_PATH, keyline, sizeof(keyline));
	v.mpls = true;
	snapshot_as("path_mpls_80x24", &v, 80, 24, true);
	snapshot_as("path_mpls_120x40", &v, 120, 40, true);
	snapshot_text(snapshot_draw(&v, 120, 40, true), text, sizeof(text));
	assert_non_null(strstr(text, "\n       [MPLS: Lbl 24001 TC 5 S 0 TTL 1]\n"
	                             "       [MPLS: Lbl 16 TC 0 S 1 TTL 255]\n"));
	assert_non_null(strstr(text, "\n         [MPLS: Lbl 778 TC 0 S 1 TTL 1]\n"));
	v.mpls = false;
	snapshot_text(snapshot_draw(&v, 120, 40, true), text, sizeof(text));
	assert_null(strstr(text, "MPLS"));
	p.protocol = SONAR_PROTO_TCP;
	p.port = 443;
	snapshot_as("path_tcp_80x24", &v, 80, 24, true);
	snapshot_text(snapshot_draw(&v, 120, 40, true), text, sizeof(text));
	assert_non_null(strstr(text, "path to gw.example (192.0.2.9)  TCP port 443  every 1s"));
	/* z: the AS before the address, nothing where there is none */
	v.asn = true;
	v.as_of = fake_as;
	snapshot_text(snapshot_draw(&v, 120, 40, true), text, sizeof(text));
	assert_non_null(strstr(text, "\n 2.  AS64500 EXAMPLE-NET 10.0.2.1 "));
	assert_non_null(strstr(text, "\n 1.  10.0.0.1 "));
	model_free(&m);
}

static void test_too_small(void **state)
{
	struct model m;
	size_t order[4];
	struct view v;

	(void)state;
	table(&m);
	base(&v, &m, order);
	snapshot("too_small", &v, 40, 5);
	model_free(&m);
}

/*
 * The ? screen is the key table's: a line for every entry with a help
 * text, in the table's order, and none typed elsewhere; an entry without
 * one continues the entry before it (the same function, the same screens),
 * whose line names its keys. Adding a key to the table adds its line.
 */
static void test_help_is_the_key_table(void **state)
{
	size_t n, i, line = 0, with_help = 0;
	const char *const *help = keys_help(&n);
	char keyline[256];

	(void)state;
	for (i = 0; i < key_count; i++) {
		const struct key_entry *e = &key_table[i];

		if (!e->help) {
			assert_true(i > 0);
			assert_true(e->run == key_table[i - 1].run &&
			            e->act == key_table[i - 1].act);
			assert_int_equal(e->on, key_table[i - 1].on);
			continue;
		}
		with_help++;
		assert_true(line < n);
		if (!strstr(help[line], e->name) || !strstr(help[line], e->help))
			fail_msg("help line %zu '%s' is not entry %zu (%s: %s)", line, help[line],
			         i, e->name, e->help);
		line++;
		if (e->brief) /* and the key line of each of its screens */
			for (unsigned on = 1; on <= ON_HELP; on <<= 1)
				if (e->on & on)
					assert_non_null(strstr(
					    keys_line(on, keyline, sizeof(keyline)), e->brief));
	}
	assert_int_equal(n, with_help);
	assert_int_equal(line, n);
}

/* The help as drawn: every line of the table on a screen where it fits,
 * and a page at a time where it does not. */
static void test_help_screen(void **state)
{
	static char text[SNAP_TEXT_MAX];
	struct model m;
	size_t order[4], i;
	struct view v;
	char keyline[256];

	(void)state;
	table(&m);
	base(&v, &m, order);
	v.screen = SCREEN_HELP;
	v.help = keys_help(&v.help_n);
	v.keyline = keys_line(ON_HELP, keyline, sizeof(keyline));
	snapshot_as("help_120x40", &v, 120, 40, true);
	snapshot_text(snapshot_draw(&v, 120, 40, true), text, sizeof(text));
	for (i = 0; i < v.help_n; i++)
		if (!strstr(text, v.help[i]))
			fail_msg("help line '%s' is not on the 120x40 screen", v.help[i]);
	assert_int_equal(help_scroll_max(&v, &(struct canvas){.w = 120, .h = 40}), 0);
	/* 80x24: the first page, then the last (scrolled past it: the last) */
	assert_true(help_scroll_max(&v, &(struct canvas){.w = 80, .h = 24}) > 0);
	snapshot_as("help_80x24", &v, 80, 24, true);
	v.help_top = 1000;
	snapshot_as("help_80x24_end", &v, 80, 24, false);
	v.help_top = 0;
	snapshot_as("help_160x40", &v, 160, 40, true);
	model_free(&m);
}

/*
 * Rows with names in Unicode (an IDN as the user typed it, one too long
 * for its column, one of wide glyphs), every latency band, lost probes and
 * ICMP errors in their history, and loss in every slot.
 */
static void world(struct model *m)
{
	static const double rtts[] = {0.4, 4, 30, 120, 400};
	struct row *r;
	int i;

	memset(m, 0, sizeof(*m));
	r = active_row(m, "127.0.0.1", "127.0.0.1");
	for (i = 0; i < 60; i++) {
		row_sent(r);
		row_reply(r, rtts[i / 12], 64);
	}
	r = active_row(m, "b\u00fccher.example", "192.0.2.7");
	for (i = 0; i < 40; i++) {
		row_sent(r);
		if (i % 20 == 7)
			row_lost(r);
		else
			row_reply(r, 0.8, 57);
	}
	r = active_row(m,
	               "\u03b5\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac-\u03c0\u03b1\u03c1"
	               "\u03ac\u03b4\u03b5\u03b9\u03b3\u03bc\u03b1.\u03b4\u03bf\u03ba\u03b9"
	               "\u03bc\u03ae.example",
	               "2001:db8::15");
	for (i = 0; i < 30; i++) {
		row_sent(r);
		if (i % 2)
			row_lost(r);
		else
			row_reply(r, 170 + i, 50);
	}
	r = active_row(m, "\u4f8b\u3048.\u30c6\u30b9\u30c8", "198.51.100.4");
	for (i = 0; i < 12; i++) {
		row_sent(r);
		if (i < 9)
			row_reply(r, 2.5, 60);
		else
			row_error(r, "Destination host unreachable");
	}
	r = model_add(m, "nosuch.example");
	r->state = ROW_FAILED;
	snprintf(r->error, sizeof(r->error), "The name cannot be resolved");
}

/* Reverse names for names mode: one in Unicode, one failed. */
static const char *unicode_name(void *ctx, const char *address, bool *failed)
{
	(void)ctx;
	*failed = strcmp(address, "198.51.100.4") == 0;
	if (strcmp(address, "192.0.2.7") == 0)
		return "m\u00fcnchen.example";
	if (strcmp(address, "127.0.0.1") == 0)
		return "localhost";
	return NULL;
}

/* UTF-8 names and glyphs, with the slots of every cell, at 80x24 and
 * 120x40; the same screen on an ASCII terminal. */
static void test_utf8_and_slots(void **state)
{
	struct model m;
	size_t order[5];
	struct view v;

	(void)state;
	world(&m);
	base(&v, &m, order);
	v.selected = 2; /* the row in the bad slots */
	snapshot_as("utf8_table_80x24", &v, 80, 24, true);
	snapshot_as("utf8_table_120x40", &v, 120, 40, true);
	snapshot_as("ascii_table_120x40", &v, 120, 40, false);
	v.names = NAMES_BOTH;
	v.name_of = unicode_name;
	snapshot_as("utf8_names_120x40", &v, 120, 40, true);
	model_free(&m);
}

/*
 * Numbers keep their decimal point under a locale whose LC_NUMERIC writes
 * a comma (de_DE, made here with localedef, as a program that called
 * setlocale(LC_ALL, "") would run): the screen is the same as in C.
 */
static void test_comma_locale(void **state)
{
	static char c_text[SNAP_TEXT_MAX];
	static char de_text[sizeof(c_text)];
	char dir[] = "/tmp/sonar-locale-XXXXXX", cmd[256], b[32];
	size_t order[5];
	struct model m;
	struct view v;

	(void)state;
	world(&m);
	base(&v, &m, order);
	v.interval = 0.25;
	v.message = "probing every 0.25 s";
	snapshot_render(snapshot_draw(&v, 120, 40, true), c_text, sizeof(c_text));
	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
	         dir);
	if (system(cmd) != 0)
		fail_msg("cannot make a comma locale (%s): is the locales package installed?", cmd);
	assert_int_equal(setenv("LOCPATH", dir, 1), 0);
	if (!setlocale(LC_ALL, "de_DE.UTF-8"))
		fail_msg("cannot use the de_DE.UTF-8 locale made in %s", dir);
	assert_string_equal(localeconv()->decimal_point, ",");
	snapshot_render(snapshot_draw(&v, 120, 40, true), de_text, sizeof(de_text));
	assert_string_equal(fmt_ms(b, sizeof(b), 12.345), "12.35");
	assert_string_equal(fmt_loss(b, sizeof(b), 0.125, true), "12.5%");
	setlocale(LC_ALL, "C");
	setlocale(LC_CTYPE, "C.UTF-8");
	unsetenv("LOCPATH");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	assert_non_null(strstr(c_text, "every 0.25s"));
	assert_string_equal(de_text, c_text);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_alerts_and_log),
	    cmocka_unit_test(test_capture_pane),
	    cmocka_unit_test(test_capture_narrow),
	    cmocka_unit_test(test_path_view),
	    cmocka_unit_test(test_too_small),
	    cmocka_unit_test(test_help_is_the_key_table),
	    cmocka_unit_test(test_help_screen),
	    cmocka_unit_test(test_utf8_and_slots),
	    cmocka_unit_test(test_comma_locale),
	    cmocka_unit_test(test_protocol_rows),
	    cmocka_unit_test(test_path_mpls),
	};

	/* glyph widths as a UTF-8 terminal has them */
	if (!setlocale(LC_CTYPE, "C.UTF-8")) {
		fprintf(stderr, "test_view: no C.UTF-8 locale\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
