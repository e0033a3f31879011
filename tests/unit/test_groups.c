/*
 * test_groups.c - groups of the targets file: "[group name]" lines read
 * with their comments (targets.c), the rows' order by group with o sorting
 * within each, J/K within a group, a collapsed group shown as its header
 * (model.c), the table's header lines (view.c, through frame.c) and s
 * writing the file back as it was (saved.c): a round trip.
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

#include "frame.h"
#include "model.h"
#include "saved.h"
#include "state.h"
#include "targets.h"
#include "watch.h"

static const char file[] = "# sonar targets, one per line\n"
                           "# the gateway, before any group\n"
                           "192.0.2.1\n"
                           "\n"
                           "[core routers]   # the backbone\n"
                           "# the first\n"
                           "10.0.0.1  alert-loss=1 alert-rtt=20\n"
                           "10.0.0.2\t# the second\n"
                           "\n"
                           "# web\n"
                           "[ web ]\n"
                           "tcp://web.example:443 alert-down=2\n"
                           "udp://[2001:db8::1]:53\n"
                           "\n"
                           "# the end\n";

/* Read text as the dashboard does; l gets the list. */
static int read_text(const char *text, struct target_list *l, char *err, size_t cap)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	assert_non_null(f);
	memset(l, 0, sizeof(*l));
	l->check_settings = watch_settings_check;
	l->layout = 1;
	rc = targets_read_stream(f, "t.txt", l, err, cap);
	fclose(f);
	return rc;
}

/* The model of list l, as dash.c builds it (no engine). */
static void build(struct model *m, const struct target_list *l)
{
	size_t i;
	char err[256];

	assert_int_equal(saved_sections(m, l), 0);
	for (i = 0; i < l->n; i++) {
		struct row *r = model_add(m, l->v[i]);

		assert_non_null(r);
		if (targets_settings(l, i))
			assert_int_equal(
			    watch_settings(r, targets_settings(l, i), err, sizeof(err)), 0);
		assert_int_equal(saved_place(m, r, targets_extra(l, i)), 0);
	}
}

/* What s would write, as one text. */
static char *saved_text(const struct model *m)
{
	char **lines, *text = NULL;
	size_t n, i, len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_int_equal(saved_lines(m, &lines, &n), 0);
	assert_string_not_equal(n ? lines[0] : "", SAVED_HEADER "x");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n", lines[i]);
		free(lines[i]);
	}
	free(lines);
	fclose(f);
	return text;
}

static void test_read(void **state)
{
	struct target_list l;
	char err[256];

	(void)state;
	assert_int_equal(read_text(file, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 5);
	assert_int_equal(l.ngroups, 2);
	assert_string_equal(l.groups[0].name, "core routers");
	assert_string_equal(l.groups[0].line, "[core routers]   # the backbone");
	assert_string_equal(l.groups[0].lead, "");
	assert_string_equal(l.groups[1].name, "web");
	assert_string_equal(l.groups[1].lead, "\n# web");
	assert_int_equal(targets_extra(&l, 0)->group, -1);
	assert_string_equal(targets_extra(&l, 0)->lead,
	                    "# sonar targets, one per line\n# the gateway, before any group");
	assert_int_equal(targets_extra(&l, 1)->group, 0);
	assert_string_equal(targets_settings(&l, 1), "alert-loss=1 alert-rtt=20");
	assert_string_equal(targets_extra(&l, 1)->rest, "  alert-loss=1 alert-rtt=20");
	assert_string_equal(targets_extra(&l, 2)->rest, "\t# the second");
	assert_null(targets_settings(&l, 2));
	assert_int_equal(targets_extra(&l, 3)->group, 1);
	assert_string_equal(l.v[4], "udp://[2001:db8::1]:53");
	assert_string_equal(l.tail, "\n# the end");
	targets_free(&l);
}

static void test_read_errors(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
	    {"a\n[]\n", "t.txt:2: a group needs a name: [name]"},
	    {"[  ]\n", "t.txt:1: a group needs a name: [name]"},
	    {"[x]\na\n[x]\n",
	     "t.txt:3: a group of that name came before (one [name] line per group)"},
	    {"[0123456789012345678901234567890123456789012345678901234567890123456789]\n",
	     "t.txt:1: a group's name has at most 64 characters"},
	    {"[x]\na alert-los=3\n", "t.txt:2: unknown setting 'alert-los' (alert-loss=PCT, "
	                             "alert-rtt=MS[@pNN] or alert-down=N)"},
	};
	struct target_list l;
	char err[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(read_text(cases[i].text, &l, err, sizeof(err)), -1);
		assert_string_equal(err, cases[i].err);
		targets_free(&l);
	}
	/* without layout (sonar multiping -F): a bracketed line is a target */
	{
		FILE *f = fmemopen((void *)"[x]\n# c\na\n", 10, "r");

		memset(&l, 0, sizeof(l));
		assert_int_equal(targets_read_stream(f, "t.txt", &l, err, sizeof(err)), 0);
		fclose(f);
		assert_int_equal(l.n, 2);
		assert_null(targets_extra(&l, 0));
		targets_free(&l);
	}
}

/* Read, then s: the same file, byte for byte; and after changes, the
 * comments stay with their targets and groups. */
static void test_round_trip(void **state)
{
	struct target_list l;
	struct model m = {0};
	char err[256], *text;
	struct row *r;

	(void)state;
	assert_int_equal(read_text(file, &l, err, sizeof(err)), 0);
	build(&m, &l);
	text = saved_text(&m);
	assert_string_equal(text, file);
	free(text);
	/* K on the second core router (J/K move within the group), a row
	 * added by the first gateway (no group), one removed, one renamed */
	assert_int_equal(model_move(&m, 2, -1), 1);
	r = model_add(&m, "192.0.2.9");
	r->section = -1;
	model_remove(&m, model_index(&m, m.rows[4]->key)); /* udp://... */
	snprintf(m.rows[3]->name, sizeof(m.rows[3]->name), "tcp://web2.example:443");
	text = saved_text(&m);
	assert_string_equal(text, "# sonar targets, one per line\n"
	                          "# the gateway, before any group\n"
	                          "192.0.2.1\n"
	                          "192.0.2.9\n"
	                          "\n"
	                          "[core routers]   # the backbone\n"
	                          "10.0.0.2\t# the second\n"
	                          "# the first\n"
	                          "10.0.0.1  alert-loss=1 alert-rtt=20\n"
	                          "\n"
	                          "# web\n"
	                          "[ web ]\n"
	                          "tcp://web2.example:443 alert-down=2\n"
	                          "\n"
	                          "# the end\n");
	free(text);
	model_free(&m);
	targets_free(&l);
}

/* The table's order: by group (the rows of none first), o within each;
 * a collapsed group is its first row only (its header). */
static void test_order(void **state)
{
	struct target_list l;
	struct model m = {0};
	char err[256];
	size_t order[8], n;

	(void)state;
	assert_int_equal(read_text(file, &l, err, sizeof(err)), 0);
	build(&m, &l);
	/* a row added at the end of the manual order, in the core group */
	model_add(&m, "10.0.0.0")->section = 0;
	model_order(&m, order);
	assert_string_equal(m.rows[order[0]]->name, "192.0.2.1");
	assert_string_equal(m.rows[order[1]]->name, "10.0.0.1");
	assert_string_equal(m.rows[order[2]]->name, "10.0.0.2");
	assert_string_equal(m.rows[order[3]]->name, "10.0.0.0");
	assert_string_equal(m.rows[order[4]]->name, "tcp://web.example:443");
	assert_false(model_starts_section(&m, order, 0));
	assert_true(model_starts_section(&m, order, 1));
	assert_false(model_starts_section(&m, order, 2));
	assert_true(model_starts_section(&m, order, 4));
	m.sort = SORT_NAME;
	model_order(&m, order);
	assert_string_equal(m.rows[order[1]]->name, "10.0.0.0"); /* sorted within core */
	assert_string_equal(m.rows[order[3]]->name, "10.0.0.2");
	assert_string_equal(m.rows[order[4]]->name, "tcp://web.example:443");
	m.reverse = true;
	model_order(&m, order);
	assert_string_equal(m.rows[order[0]]->name, "192.0.2.1"); /* groups keep their order */
	assert_string_equal(m.rows[order[1]]->name, "10.0.0.2");
	assert_string_equal(m.rows[order[5]]->name, "tcp://web.example:443");
	m.sections[0].collapsed = true;
	n = model_shown(&m, order, m.n);
	assert_int_equal(n, 4);
	assert_string_equal(m.rows[order[1]]->name, "10.0.0.2"); /* stands for core */
	assert_string_equal(m.rows[order[2]]->name, "udp://[2001:db8::1]:53");
	model_free(&m);
	targets_free(&l);
}

/* Text of a canvas, for the table's lines. */
static char screen[24][121];

static void put(void *ctx, int y, int x, const char *text, int ncols, enum slot slot)
{
	(void)ctx, (void)slot;
	if (y >= 0 && y < 24 && x >= 0 && x + ncols <= 120)
		memcpy(&screen[y][x], text,
		       strlen(text) < (size_t)ncols ? strlen(text) : (size_t)ncols);
}

static void cursor(void *ctx, int y, int x)
{
	(void)ctx, (void)y, (void)x;
}

/* The frame: a header line above each group, [+] when collapsed and its
 * rows gone; the selection kept on screen with the header lines. */
static void test_table(void **state)
{
	static struct dash d;
	const struct canvas c = {120, 24, false, put, cursor, NULL};
	struct target_list l;
	char err[256];
	int y;

	(void)state;
	memset(&d, 0, sizeof(d));
	memset(screen, ' ', sizeof(screen));
	for (y = 0; y < 24; y++)
		screen[y][120] = '\0';
	assert_int_equal(read_text(file, &l, err, sizeof(err)), 0);
	build(&d.m, &l);
	d.sel_key = d.m.rows[2]->key; /* 10.0.0.2 */
	theme_default(&d.theme);
	frame_draw(&d, &c);
	assert_true(strncmp(screen[2], "192.0.2.1 ", 10) == 0);
	assert_true(strncmp(screen[3], "[-] core routers  2 targets", 27) == 0);
	assert_true(strncmp(screen[4], "10.0.0.1 ", 9) == 0);
	assert_true(strncmp(screen[5], "10.0.0.2 ", 9) == 0);
	assert_true(strncmp(screen[6], "[-] web  2 targets", 18) == 0);
	d.m.sections[0].collapsed = true;
	memset(screen, ' ', sizeof(screen));
	for (y = 0; y < 24; y++)
		screen[y][120] = '\0';
	frame_draw(&d, &c);
	assert_true(strncmp(screen[3], "[+] core routers  2 targets", 27) == 0);
	assert_true(strncmp(screen[4], "[-] web  2 targets", 18) == 0);
	assert_true(strncmp(screen[5], "tcp://web.example:443 ", 22) == 0);
	assert_int_equal(d.shown, 4);
	free(d.order);
	model_free(&d.m);
	targets_free(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),       cmocka_unit_test(test_read_errors),
	    cmocka_unit_test(test_round_trip), cmocka_unit_test(test_order),
	    cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
