/*
 * test_view.c - screen snapshots: the dashboard's views drawn on a canvas
 * of text (no terminal), compared with tests/unit/snapshots/NAME.txt.
 *
 * A mismatch fails and writes what was drawn to NAME.txt.new (in the
 * current directory); SONAR_UPDATE_SNAPSHOTS=1 rewrites the snapshots
 * instead, for a change meant to alter the screen (review the diff).
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

#include "model.h"
#include "path.h"
#include "view.h"

#define MAX_W 160
#define MAX_H 40

/* A canvas of characters: the text only (slots are not kept). */
struct grid {
	int w, h;
	char cell[MAX_H][MAX_W + 1];
	int cursor_y, cursor_x;
};

/* canvas put: the text, clipped to the grid (ASCII: one byte a column). */
static void grid_put(void *ctx, int y, int x, const char *text, int ncols, enum slot slot)
{
	struct grid *g = ctx;
	int i;

	(void)ncols;
	(void)slot;
	if (y < 0 || y >= g->h)
		return;
	for (i = 0; text[i] && x + i < g->w; i++)
		if (x + i >= 0)
			g->cell[y][x + i] = text[i];
}

/* canvas cursor */
static void grid_cursor(void *ctx, int y, int x)
{
	struct grid *g = ctx;

	g->cursor_y = y;
	g->cursor_x = x;
}

/* Draw v on a w x h grid and compare with the snapshot NAME. */
static void snapshot(const char *name, const struct view *v, int w, int h)
{
	static struct grid g;
	struct canvas c;
	char path[512], text[MAX_H * (MAX_W + 2) + 1], want[sizeof(text)];
	size_t n = 0, got;
	FILE *f;
	int y;

	memset(&g, 0, sizeof(g));
	g.w = w;
	g.h = h;
	for (y = 0; y < h; y++)
		memset(g.cell[y], ' ', (size_t)w);
	memset(&c, 0, sizeof(c));
	c.w = w;
	c.h = h;
	c.utf8 = false;
	c.put = grid_put;
	c.cursor = grid_cursor;
	c.ctx = &g;
	view_draw(v, &c);
	for (y = 0; y < h; y++) { /* each line without its trailing spaces */
		int end = w;

		while (end > 0 && g.cell[y][end - 1] == ' ')
			end--;
		memcpy(text + n, g.cell[y], (size_t)end);
		n += (size_t)end;
		text[n++] = '\n';
	}
	text[n] = '\0';
	snprintf(path, sizeof(path), "%s/tests/unit/snapshots/%s.txt", TOP_SRCDIR, name);
	if (getenv("SONAR_UPDATE_SNAPSHOTS") &&
	    strcmp(getenv("SONAR_UPDATE_SNAPSHOTS"), "1") == 0) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(text, f);
		fclose(f);
		return;
	}
	f = fopen(path, "r");
	got = f ? fread(want, 1, sizeof(want) - 1, f) : 0;
	if (f)
		fclose(f);
	want[got] = '\0';
	if (strcmp(text, want) != 0) {
		snprintf(path, sizeof(path), "%s.txt.new", name);
		f = fopen(path, "w");
		if (f) {
			fputs(text, f);
			fclose(f);
		}
		print_error("snapshot %s differs: see %s\n", name, path);
	}
	assert_string_equal(text, want);
}

/* A table of four rows in every state. */
static void table(struct model *m)
{
	struct row *r;
	int i;

	memset(m, 0, sizeof(*m));
	r = model_add(m, "127.0.0.1");
	snprintf(r->address, sizeof(r->address), "127.0.0.1");
	r->state = ROW_ACTIVE;
	for (i = 0; i < 6; i++) {
		row_sent(r);
		row_reply(r, 0.041 + 0.002 * i, 64);
	}
	r = model_add(m, "gw.example");
	snprintf(r->address, sizeof(r->address), "192.0.2.1");
	r->state = ROW_ACTIVE;
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

/* An event for the path model. */
static void hop(struct path *p, int ttl, const char *from, bool answered)
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
	path_event(p, &e);
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

static void test_help_and_small(void **state)
{
	static const char *const help[] = {"  a        add a target", "  q        quit"};
	struct model m;
	size_t order[4];
	struct view v;

	(void)state;
	table(&m);
	base(&v, &m, order);
	v.screen = SCREEN_HELP;
	v.help = help;
	v.help_n = 2;
	snapshot("help", &v, 80, 14);
	v.screen = SCREEN_TABLE;
	snapshot("too_small", &v, 40, 5);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_capture_pane),
	    cmocka_unit_test(test_path_view),
	    cmocka_unit_test(test_help_and_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
