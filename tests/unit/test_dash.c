/*
 * test_dash.c - the dashboard's pure parts: formatting, bands, the model
 * (add / edit / remove / move / sort), the path model, the theme parser, the
 * line editor, the default targets and the resolver's news. (The user's
 * files: test_saved.c; the dashboard driven without a terminal:
 * test_state.c.)
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "discover.h"
#include "editor.h"
#include "format.h"
#include "model.h"
#include "path.h"
#include "resolver.h"
#include "targets.h"
#include "theme.h"
#include "tty.h"

/* A history cell equals x within its encoding's 0.04%. */
static bool near(float cell, float x)
{
	return cell > x * 0.9996f && cell < x * 1.0004f;
}

static void test_format(void **state)
{
	char b[32];

	(void)state;
	assert_string_equal(fmt_ms(b, sizeof(b), 0.043), "0.043"); /* not 0 */
	assert_string_equal(fmt_ms(b, sizeof(b), 0.0004), "0.000");
	assert_string_equal(fmt_ms(b, sizeof(b), 1.2344), "1.234");
	assert_string_equal(fmt_ms(b, sizeof(b), 12.345), "12.35");
	assert_string_equal(fmt_ms(b, sizeof(b), 123.45), "123.5");
	assert_string_equal(fmt_ms(b, sizeof(b), 1234.5), "1235");
	assert_string_equal(fmt_ms(b, sizeof(b), -1), "-");
	assert_string_equal(fmt_loss(b, sizeof(b), 0, true), "0.0%");
	assert_string_equal(fmt_loss(b, sizeof(b), 0.125, true), "12.5%");
	assert_string_equal(fmt_loss(b, sizeof(b), 1, true), "100%");
	assert_string_equal(fmt_loss(b, sizeof(b), 0, false), "-");
	/* intervals as %g writes them in C, never with a decimal comma */
	assert_string_equal(fmt_seconds(b, sizeof(b), 0.25), "0.25");
	assert_string_equal(fmt_seconds(b, sizeof(b), 1), "1");
	assert_string_equal(fmt_seconds(b, sizeof(b), 3600), "3600");
	assert_string_equal(fmt_seconds(b, sizeof(b), 0.0125), "0.0125");
	assert_string_equal(fmt_seconds(b, sizeof(b), 0.00625), "0.00625");
	assert_string_equal(fmt_seconds(b, sizeof(b), 1.0 / 3), "0.333333");
	assert_string_equal(fmt_seconds(b, sizeof(b), 0.0001), "0.0001");
	assert_string_equal(fmt_seconds(b, sizeof(b), 10), "10");
}

static void test_bands(void **state)
{
	(void)state;
	assert_int_equal(latency_band(0.04), 1);
	assert_int_equal(latency_band(1.0), 1);
	assert_int_equal(latency_band(5), 2);
	assert_int_equal(latency_band(30), 3);
	assert_int_equal(latency_band(100), 4);
	assert_int_equal(latency_band(900), 5);
	assert_int_equal(rtt_slot(10), SLOT_GOOD);
	assert_int_equal(rtt_slot(80), SLOT_WARN);
	assert_int_equal(rtt_slot(400), SLOT_BAD);
	assert_int_equal(loss_slot(0), SLOT_GOOD);
	assert_int_equal(loss_slot(0.01), SLOT_WARN);
	assert_int_equal(loss_slot(0.5), SLOT_BAD);
}

static void test_model_rows(void **state)
{
	struct model m = {0};
	struct row *a = model_add(&m, "a"), *b = model_add(&m, "b"), *c = model_add(&m, "c");
	float cell;
	uint64_t key;

	(void)state;
	assert_non_null(a);
	assert_int_equal(m.n, 3);
	assert_true(a->key != b->key && b->key != c->key);
	/* move: c up twice, then down once */
	assert_int_equal(model_move(&m, 2, -1), 1);
	assert_int_equal(model_move(&m, 1, -1), 0);
	assert_int_equal(model_move(&m, 0, -1), 0); /* already first */
	assert_ptr_equal(m.rows[0], c);
	assert_int_equal(model_move(&m, 0, 1), 1);
	assert_ptr_equal(m.rows[1], c);
	/* engine maps, one per group (operation): the same index in two */
	assert_int_equal(model_bind(&m, b, 0, 7), 0);
	assert_ptr_equal(model_by_engine(&m, 0, 7), b);
	assert_null(model_by_engine(&m, 0, 6));
	assert_null(model_by_engine(&m, 0, 100000));
	assert_null(model_by_engine(&m, 2, 7));
	assert_int_equal(model_bind(&m, a, 2, 7), 0);
	assert_ptr_equal(model_by_engine(&m, 2, 7), a);
	assert_ptr_equal(model_by_engine(&m, 0, 7), b);
	assert_true(a->group == 2 && a->engine == 7 && b->group == 0);
	assert_null(model_by_engine(&m, 1, 7));
	assert_null(model_by_engine(&m, -1, 7));
	model_unbind(&m, a);
	assert_true(a->group == -1 && a->engine == -1);
	assert_null(model_by_engine(&m, 2, 7));
	assert_ptr_equal(model_by_engine(&m, 0, 7), b);
	/* events: 3 sent, 2 replies, 1 lost, then an error */
	row_sent(b);
	row_sent(b);
	row_sent(b);
	row_reply(b, 1.5, 63);
	row_reply(b, 2.5, 63);
	row_lost(b);
	assert_true(row_loss(b) > 0.33 && row_loss(b) < 0.34);
	assert_true(row_cell(b, 0, &cell) && cell == CELL_LOST);
	assert_true(row_cell(b, 1, &cell) && near(cell, 2.5f));
	assert_false(row_cell(b, 3, &cell));
	row_error(b, "Destination host unreachable");
	assert_string_equal(b->error, "Destination host unreachable");
	row_reply(b, 1.0, 63); /* an answer clears the error */
	assert_string_equal(b->error, "");
	/* edit = reset + rename; remove unbinds */
	row_reset(b);
	assert_int_equal(b->sent, 0);
	assert_false(row_cell(b, 0, &cell));
	/* a renamed row gets a key never used: the old one finds nothing */
	key = b->key;
	model_rekey(&m, b);
	assert_true(b->key != key && b->key != a->key && b->key != c->key);
	assert_int_equal(model_index(&m, key), (size_t)-1);
	key = b->key;
	model_remove(&m, model_index(&m, key)); /* frees b */
	assert_int_equal(m.n, 2);
	assert_null(model_by_engine(&m, 0, 7));
	assert_int_equal(model_index(&m, key), (size_t)-1);
	model_free(&m);
}

static void test_history_ring(void **state)
{
	struct model m = {0};
	struct row *r = model_add(&m, "x");
	float cell;
	int i;

	(void)state;
	for (i = 0; i < HISTORY_CELLS + 10; i++)
		row_reply(r, (double)i, 64);
	assert_true(row_cell(r, 0, &cell) && near(cell, (float)(HISTORY_CELLS + 9)));
	assert_true(row_cell(r, HISTORY_CELLS - 1, &cell) && near(cell, 10.0f));
	assert_false(row_cell(r, HISTORY_CELLS, &cell));
	model_free(&m);
}

static void test_sort(void **state)
{
	struct model m = {0};
	size_t order[4];
	struct row *a = model_add(&m, "bravo"), *b = model_add(&m, "alpha"),
	           *c = model_add(&m, "charlie"), *d = model_add(&m, "delta");

	(void)state;
	row_reply(a, 5, 64);
	row_reply(b, 1, 64);
	row_reply(c, 9, 64);
	/* d has no data: always last */
	row_sent(a);
	row_lost(c);
	model_order(&m, order);
	assert_true(order[0] == 0 && order[1] == 1 && order[2] == 2 && order[3] == 3);
	m.sort = SORT_NAME;
	model_order(&m, order);
	assert_ptr_equal(m.rows[order[0]], b);
	assert_ptr_equal(m.rows[order[3]], d);
	snprintf(a->address, sizeof(a->address), "10.0.0.3");
	snprintf(b->address, sizeof(b->address), "10.0.0.2");
	snprintf(c->address, sizeof(c->address), "10.0.0.1");
	m.sort = SORT_ADDRESS;
	model_order(&m, order);
	assert_ptr_equal(m.rows[order[0]], c);
	assert_ptr_equal(m.rows[order[3]], d); /* no address: last, as no data */
	m.sort = SORT_AVG;
	model_order(&m, order);
	assert_ptr_equal(m.rows[order[0]], b);
	assert_ptr_equal(m.rows[order[1]], a);
	assert_ptr_equal(m.rows[order[2]], c);
	assert_ptr_equal(m.rows[order[3]], d);
	m.reverse = true;
	model_order(&m, order);
	assert_ptr_equal(m.rows[order[0]], c);
	assert_ptr_equal(m.rows[order[3]], d); /* no data stays last */
	m.reverse = false;
	m.sort = SORT_LOSS;
	model_order(&m, order);
	assert_ptr_equal(m.rows[order[2]], c); /* the one with loss */
	assert_string_equal(sort_name(SORT_JITTER), "jitter");
	model_free(&m);
}

/* Addresses sort as numbers, IPv4 before IPv6; rows without one last. */
static void test_sort_addresses(void **state)
{
	struct model m = {0};
	size_t order[6];
	static const char *const given[] = {"::1", "127.1.49.200", "2001:db8::2", "127.1.49.21",
	                                    "",    "9.9.9.9"};
	static const char *const want[] = {"9.9.9.9", "127.1.49.21", "127.1.49.200",
	                                   "::1",     "2001:db8::2", ""};
	size_t i;

	(void)state;
	for (i = 0; i < 6; i++) {
		struct row *r = model_add(&m, "t");

		snprintf(r->address, sizeof(r->address), "%s", given[i]);
	}
	m.sort = SORT_ADDRESS;
	model_order(&m, order);
	for (i = 0; i < 6; i++)
		assert_string_equal(m.rows[order[i]]->address, want[i]);
	m.reverse = true;
	model_order(&m, order);
	assert_string_equal(m.rows[order[0]]->address, "2001:db8::2");
	assert_string_equal(m.rows[order[5]]->address, ""); /* no address stays last */
	model_free(&m);
}

/* An event for the path model. */
static struct sonar_event ev(enum sonar_event_type type, int ttl, const char *from, int err)
{
	struct sonar_event e;

	memset(&e, 0, sizeof(e));
	e.type = type;
	e.probe_ttl = ttl;
	e.from = from;
	e.rtt = ttl;
	e.reply_ttl = 64 - ttl;
	e.error = err;
	e.message = err ? "Destination host unreachable" : "";
	return e;
}

static void test_path(void **state)
{
	static struct path p;
	struct sonar_event e;
	int i;

	(void)state;
	path_init(&p, "t", "10.0.0.9", 1);
	assert_int_equal(path_shown(&p), 0);
	for (i = 0; i < 5; i++) {
		/* hop 1 answers from two routers (load balancing); hop 2 loses
		 * every other probe; hop 3 is the destination, all answered */
		e = ev(SONAR_EVENT_SENT, 1, "", 0);
		path_event(&p, &e);
		e = ev(SONAR_EVENT_ICMP_ERROR, 1, i % 2 ? "10.0.1.1" : "10.0.1.2",
		       SONAR_ETIMEEXCEEDED);
		path_event(&p, &e);
		e = ev(SONAR_EVENT_SENT, 2, "", 0);
		path_event(&p, &e);
		e = i % 2 ? ev(SONAR_EVENT_TIMEOUT, 2, "", 0)
		          : ev(SONAR_EVENT_ICMP_ERROR, 2, "10.0.2.1", SONAR_ETIMEEXCEEDED);
		path_event(&p, &e);
		e = ev(SONAR_EVENT_SENT, 3, "", 0);
		path_event(&p, &e);
		e = ev(SONAR_EVENT_REPLY, 3, "10.0.0.9", 0);
		path_event(&p, &e);
	}
	assert_int_equal(path_shown(&p), 3);
	assert_int_equal(p.dest_ttl, 3);
	assert_int_equal(path_hop(&p, 1)->nresp, 2);
	assert_int_equal(path_hop(&p, 1)->r.received, 5);
	assert_int_equal(path_hop(&p, 2)->r.lost, 2);
	assert_true(path_rate_limited(&p, 2)); /* loses, yet hop 3 loses nothing */
	assert_false(path_rate_limited(&p, 1));
	assert_false(path_rate_limited(&p, 3));
	assert_false(path_silent(&p, 2)); /* it answers some */
	e = ev(SONAR_EVENT_ICMP_ERROR, 2, "10.0.2.1", SONAR_EUNREACH);
	path_event(&p, &e);
	assert_int_equal(p.dest_ttl, 2); /* unreachable: the path ends there */
	path_reset(&p);
	assert_int_equal(path_shown(&p), 0);
	assert_null(path_hop(&p, 0));
}

/*
 * Paris flows: each responder keeps the flows that met it; at a fork the
 * masks of the two routers part the flows; the text names runs.
 */
static void test_path_flows(void **state)
{
	static struct path p;
	struct sonar_event e;
	char text[80];
	struct hop *h;
	int k;

	(void)state;
	path_init(&p, "t", "10.0.0.9", 1);
	assert_int_equal(p.nflows, 1);
	for (k = 0; k < 16; k++) {
		/* flows 0-4 and 9 go through A, the others through B */
		e = ev(SONAR_EVENT_ICMP_ERROR, 2, k < 5 || k == 9 ? "10.0.2.1" : "10.0.3.1",
		       SONAR_ETIMEEXCEEDED);
		path_flow_event(&p, k, &e);
		e = ev(SONAR_EVENT_REPLY, 3, "10.0.0.9", 0);
		path_flow_event(&p, k, &e);
	}
	h = path_hop(&p, 2);
	assert_int_equal(h->nresp, 2);
	assert_int_equal(h->resp[0].flows, 0x21f);
	assert_int_equal(h->resp[1].flows, 0xffff & ~0x21fu);
	assert_string_equal(path_flows_text(h->resp[0].flows, text, sizeof(text)), "0-4,9");
	assert_string_equal(path_flows_text(h->resp[1].flows, text, sizeof(text)), "5-8,10-15");
	assert_int_equal(path_hop(&p, 3)->resp[0].flows, 0xffff);
	assert_string_equal(path_flows_text(0xffff, text, sizeof(text)), "0-15");
	assert_string_equal(path_flows_text(0x5, text, sizeof(text)), "0,2");
	assert_string_equal(path_flows_text(0, text, sizeof(text)), "");
	assert_string_equal(path_flows_text(0x80000001u, text, sizeof(text)), "0,31");
	/* cut to the room there is, never past it */
	assert_string_equal(path_flows_text(0x5555, text, 6), "0,2,4");
	/* a flow out of range counts, but is no flow */
	e = ev(SONAR_EVENT_ICMP_ERROR, 1, "10.0.1.1", SONAR_ETIMEEXCEEDED);
	path_flow_event(&p, PATH_FLOWS, &e);
	path_flow_event(&p, -1, &e);
	assert_int_equal(path_hop(&p, 1)->resp[0].count, 2);
	assert_int_equal(path_hop(&p, 1)->resp[0].flows, 0);
	path_reset(&p);
	assert_int_equal(path_hop(&p, 2)->nresp, 0);
}

/*
 * MPLS label stacks: each responder keeps the stack of its latest answer
 * that carried one (an answer without keeps it; another stack replaces
 * it); a new responder starts with none; a reset forgets them.
 */
static void test_path_mpls(void **state)
{
	static const struct sonar_mpls two[] = {{24001, 5, 0, 1}, {16, 0, 1, 255}};
	static const struct sonar_mpls one[] = {{777, 0, 1, 1}};
	static struct path p;
	struct sonar_event e;
	struct hop *h;

	(void)state;
	path_init(&p, "t", "10.0.0.9", 1);
	e = ev(SONAR_EVENT_ICMP_ERROR, 2, "10.0.2.1", SONAR_ETIMEEXCEEDED);
	e.mpls = two;
	e.mpls_count = 2;
	path_event(&p, &e);
	h = path_hop(&p, 2);
	assert_int_equal(h->resp[0].mpls_count, 2);
	assert_int_equal(h->resp[0].mpls[0].label, 24001);
	assert_int_equal(h->resp[0].mpls[0].tc, 5);
	assert_int_equal(h->resp[0].mpls[1].s, 1);
	assert_int_equal(h->resp[0].mpls[1].ttl, 255);
	e.mpls = NULL;
	e.mpls_count = 0;
	path_event(&p, &e); /* no stack this time: the last one stays */
	assert_int_equal(h->resp[0].mpls_count, 2);
	e.mpls = one;
	e.mpls_count = 1;
	path_event(&p, &e);
	assert_int_equal(h->resp[0].mpls_count, 1);
	assert_int_equal(h->resp[0].mpls[0].label, 777);
	e = ev(SONAR_EVENT_ICMP_ERROR, 2, "10.0.2.2", SONAR_ETIMEEXCEEDED);
	path_event(&p, &e); /* another router of that TTL: none of its own */
	assert_int_equal(h->nresp, 2);
	assert_int_equal(h->resp[1].mpls_count, 0);
	assert_int_equal(h->resp[0].count, 3);
	path_reset(&p);
	e = ev(SONAR_EVENT_ICMP_ERROR, 2, "10.0.2.9", SONAR_ETIMEEXCEEDED);
	path_event(&p, &e);
	assert_int_equal(h->resp[0].mpls_count, 0);
}

/* A hop that never answers while later ones do is silent, not rate-limited. */
static void test_path_silent_hop(void **state)
{
	static struct path p;
	struct sonar_event e;
	int i;

	(void)state;
	path_init(&p, "t", "10.0.0.9", 1);
	for (i = 0; i < 5; i++) {
		e = ev(SONAR_EVENT_SENT, 1, "", 0);
		path_event(&p, &e);
		e = ev(SONAR_EVENT_TIMEOUT, 1, "", 0); /* never a Time Exceeded */
		path_event(&p, &e);
		e = ev(SONAR_EVENT_SENT, 2, "", 0);
		path_event(&p, &e);
		e = ev(SONAR_EVENT_REPLY, 2, "10.0.0.9", 0);
		path_event(&p, &e);
	}
	assert_int_equal(path_hop(&p, 1)->r.lost, 5);
	assert_false(path_rate_limited(&p, 1));
	assert_true(path_silent(&p, 1));
	assert_false(path_silent(&p, 2));
}

/* theme_parse on text; returns its result, err gets the message. */
static int parse(const char *text, struct theme *t, char *err)
{
	return theme_parse(text, strlen(text), "x.theme", t, err, 256);
}

static void test_theme_parser(void **state)
{
	struct theme t;
	char err[256];

	(void)state;
	assert_int_equal(parse("# c\nname = ok\n\nselected = bold yellow on blue # c\n"
	                       "lost = reverse 196 on default\nrow = bright-white\n",
	                       &t, err),
	                 0);
	assert_string_equal(t.name, "ok");
	assert_int_equal(t.slot[SLOT_SELECTED].fg, 3);
	assert_int_equal(t.slot[SLOT_SELECTED].bg, 4);
	assert_int_equal(t.slot[SLOT_SELECTED].attrs, ATTR_BOLD);
	assert_int_equal(t.slot[SLOT_LOST].fg, 196);
	assert_int_equal(t.slot[SLOT_LOST].bg, COLOR_DEFAULT);
	assert_int_equal(t.slot[SLOT_ROW].fg, 15);
	/* a slot the file leaves out keeps the default theme's style */
	assert_int_equal(t.slot[SLOT_GOOD].fg, 2);

#define BAD(text, msg)                                                                             \
	do {                                                                                       \
		assert_int_equal(parse(text, &t, err), -1);                                        \
		assert_string_equal(err, msg);                                                     \
	} while (0)
	BAD("row = red\nbogus = red\n", "x.theme:2: unknown slot 'bogus'");
	BAD("row red\n", "x.theme:1: expected 'slot = colours'");
	BAD("\n\nrow = purple\n", "x.theme:3: unknown colour or attribute 'purple'");
	BAD("row = red green\n",
	    "x.theme:1: two foreground colours (write 'on' before a background)");
	BAD("row = red on\n", "x.theme:1: 'on' must be followed by a colour");
	BAD("row = on bold\n", "x.theme:1: 'on' must be followed by a colour");
	BAD("row = 256\n", "x.theme:1: unknown colour or attribute '256'");
	BAD("row = red\nrow = blue\n", "x.theme:2: slot 'row' set twice");
	BAD("row =\n", "x.theme:1: slot 'row' has no colours");
	BAD("name =\n", "x.theme:1: a name of 1 to 63 characters");
#undef BAD
	assert_int_equal(theme_parse("row = red\0x", 11, "nul.theme", &t, err, sizeof(err)), -1);
	assert_string_equal(err, "nul.theme:1: a NUL byte: not a text file");
}

/* Every theme shipped in themes/ parses and has its own name. */
static void test_shipped_themes(void **state)
{
	static const char *const names[] = {"default", "dark", "light", "high-contrast", "mono"};
	char path[512], err[512];
	struct theme t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/themes/%s.theme", TOP_SRCDIR, names[i]);
		if (theme_load(path, &t, err, sizeof(err)) != 0)
			fail_msg("%s", err);
		assert_string_equal(t.name, names[i]);
	}
	assert_int_equal(theme_load("/nonexistent.theme", &t, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent.theme: "));
	/* mono has no colours at all */
	theme_mono(&t);
	for (i = 0; i < SLOT_COUNT; i++)
		assert_true(t.slot[i].fg == COLOR_DEFAULT && t.slot[i].bg == COLOR_DEFAULT);
}

/* Feed a string to the editor, one key a character. */
static enum editor_result type(struct editor *ed, const char *s)
{
	enum editor_result r = EDITOR_UNCHANGED;

	for (; *s; s++)
		r = editor_key(ed, (unsigned char)*s);
	return r;
}

static void test_editor(void **state)
{
	struct editor ed;

	(void)state;
	editor_set(&ed, "");
	assert_int_equal(type(&ed, "exampl.com"), EDITOR_CHANGED);
	assert_string_equal(ed.text, "exampl.com");
	/* move back over ".com" and insert the missing e */
	for (int i = 0; i < 4; i++)
		assert_int_equal(editor_key(&ed, K_LEFT), EDITOR_CHANGED);
	editor_key(&ed, 'e');
	assert_string_equal(ed.text, "example.com");
	assert_int_equal(ed.cursor, 7);
	editor_key(&ed, K_BACKSPACE);
	editor_key(&ed, K_DELETE);
	assert_string_equal(ed.text, "examplcom");
	editor_key(&ed, 1); /* Ctrl-A */
	assert_int_equal(ed.cursor, 0);
	editor_key(&ed, K_BACKSPACE); /* nothing before the start */
	assert_string_equal(ed.text, "examplcom");
	editor_key(&ed, K_END);
	assert_int_equal(ed.cursor, strlen(ed.text));
	editor_key(&ed, K_RIGHT); /* nothing after the end */
	assert_int_equal(ed.cursor, strlen(ed.text));
	editor_key(&ed, 21); /* Ctrl-U */
	assert_string_equal(ed.text, "");
	assert_int_equal(ed.cursor, 0);
	assert_int_equal(editor_key(&ed, K_ENTER), EDITOR_SUBMIT);
	assert_int_equal(editor_key(&ed, K_ESC), EDITOR_CANCEL);
	assert_int_equal(editor_key(&ed, K_UP), EDITOR_UNCHANGED);
	/* full: one more character is not taken */
	editor_set(&ed, "");
	for (int i = 0; i < EDITOR_MAX; i++)
		editor_key(&ed, 'a');
	assert_int_equal(strlen(ed.text), EDITOR_MAX);
	assert_int_equal(editor_key(&ed, 'b'), EDITOR_UNCHANGED);
	assert_int_equal(strlen(ed.text), EDITOR_MAX);
	/* non-ASCII (UTF-8 bytes) is refused, not dropped silently: a '?'
	 * stands for the character, so bücher.de cannot become bcher.de */
	editor_set(&ed, "b");
	assert_int_equal(editor_key(&ed, 0xc3), EDITOR_REFUSED);
	assert_int_equal(editor_key(&ed, 0xbc), EDITOR_REFUSED);
	type(&ed, "cher.de");
	assert_string_equal(ed.text, "b?cher.de");
	/* editing starts with the cursor at the end */
	editor_set(&ed, "a.b");
	assert_int_equal(ed.cursor, 3);
}

static void test_discover(void **state)
{
	const struct discover_paths fixtures = {
	    TOP_SRCDIR "/tests/unit/fixtures/route",
	    TOP_SRCDIR "/tests/unit/fixtures/ipv6_route",
	    TOP_SRCDIR "/tests/unit/fixtures/resolv.conf",
	};
	const struct discover_paths none = {"/nonexistent/a", "/nonexistent/b", "/nonexistent/c"};
	static const char *const want[] = {"127.0.0.1",
	                                   "::1",
	                                   "192.168.0.1",
	                                   "10.0.1.254",
	                                   "2001:0db8:0000:0000:0000:0000:0000:0001",
	                                   "192.0.2.53",
	                                   "2001:db8::53"};
	struct target_list l;
	size_t i;

	(void)state;
	memset(&l, 0, sizeof(l));
	assert_int_equal(discover_targets(&fixtures, &l), 0);
	assert_int_equal(l.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < l.n; i++)
		assert_string_equal(l.v[i], want[i]);
	targets_free(&l);
	/* missing files: loopback only */
	assert_int_equal(discover_targets(&none, &l), 0);
	assert_int_equal(l.n, 2);
	targets_free(&l);
}

/*
 * A reverse name arriving is news, once; a cached one is not. (The
 * dashboard redrew every turn in names mode, 10 times a second, because it
 * could not tell.) 127.0.0.1 is answered by /etc/hosts, or fails at once
 * against a port where nothing listens: either fills the cache.
 */
static void test_resolver_names_changed(void **state)
{
	char err[256];
	struct resolver *r = resolver_new("127.0.0.1:9", err, sizeof(err));
	bool failed = false;
	const char *name = NULL;
	int i;

	(void)state;
	assert_non_null(r);
	assert_false(resolver_names_changed(r));
	for (i = 0; i < 100 && !name && !failed; i++) {
		fd_set rd, wr;
		int maxfd = -1;
		struct timeval tv = {0, 20000};

		name = resolver_name(r, "127.0.0.1", &failed);
		FD_ZERO(&rd);
		FD_ZERO(&wr);
		resolver_fds(r, &rd, &wr, &maxfd);
		select(maxfd + 1, &rd, &wr, NULL, &tv);
		resolver_process(r, &rd, &wr);
	}
	assert_true(name || failed);
	assert_true(resolver_names_changed(r));  /* the answer: news */
	assert_false(resolver_names_changed(r)); /* told once */
	name = resolver_name(r, "127.0.0.1", &failed);
	assert_false(resolver_names_changed(r)); /* from the cache: nothing new */
	resolver_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_bands),
	    cmocka_unit_test(test_model_rows),
	    cmocka_unit_test(test_history_ring),
	    cmocka_unit_test(test_sort),
	    cmocka_unit_test(test_sort_addresses),
	    cmocka_unit_test(test_path),
	    cmocka_unit_test(test_path_silent_hop),
	    cmocka_unit_test(test_path_mpls),
	    cmocka_unit_test(test_path_flows),
	    cmocka_unit_test(test_theme_parser),
	    cmocka_unit_test(test_shipped_themes),
	    cmocka_unit_test(test_editor),
	    cmocka_unit_test(test_discover),
	    cmocka_unit_test(test_resolver_names_changed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
