/*
 * test_state.c - the dashboard driven as a person would, without a
 * terminal: keys into the add and edit prompts and pastes (prompt.c), and
 * the loop (mainloop.c) with a terminal that counts frames.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "mainloop.h"
#include "prompt.h"
#include "rows.h"
#include "state.h"
#include "tracer.h"
#include "tty.h"

/* Frames drawn by count_frame(). */
static int frames;

/* canvas put and cursor that keep nothing */
static void null_put(void *ctx, int y, int x, const char *text, int ncols, enum slot slot)
{
	(void)ctx, (void)y, (void)x, (void)text, (void)ncols, (void)slot;
}

static void null_cursor(void *ctx, int y, int x)
{
	(void)ctx, (void)y, (void)x;
}

/* The test's terminal: a frame is the real frame assembly on a canvas of
 * 120x40 that keeps nothing, counted. */
static void count_frame(struct dash *d)
{
	const struct canvas c = {120, 40, false, null_put, null_cursor, NULL};

	frame_draw(d, &c);
	frames++;
}

static int no_key(void)
{
	return K_NONE;
}

static bool not_resumed(void)
{
	return false;
}

/* The timer fd standing for the keyboard fired: the terminal "hangs up". */
static bool hung_up(void)
{
	return true;
}

/*
 * Names mode redraws when a name comes, not every turn (it drew 10 frames a
 * second forever). The path view of 127.0.0.1 in names mode, while the
 * table probes 127.0.0.1 every 50 ms behind it: the loop turns at each of
 * those packets, none of which the path view shows. Over 1.5 s it draws
 * the first frame and one for the hop's reverse name (from the hosts file,
 * or a failure from a port on loopback where nothing listens), no more.
 */
static void test_names_mode_frames(void **state)
{
	static struct dash d;
	struct itimerspec its = {{0, 0}, {1, 500000000}};
	struct mainloop_term term = {-1, no_key, not_resumed, hung_up, count_frame};
	struct sonar_event ev;
	char err[256];
	struct row *r;
	bool failed = false;

	(void)state;
	memset(&d, 0, sizeof(d));
	sonar_multiping_defaults(&d.o);
	d.o.interval = d.interval = 0.05;
	d.o.count = 0;
	d.o.rtt_history = 0;
	d.e = sonar_engine_new();
	assert_non_null(d.e);
	d.op = sonar_engine_multiping(d.e, NULL, 0, &d.o, rows_event_cb, NULL, &d);
	assert_true(d.op > 0);
	d.res = resolver_new("127.0.0.1:9", err, sizeof(err));
	assert_non_null(d.res);
	r = rows_add(&d, "127.0.0.1");
	assert_non_null(r);
	d.sel_key = r->key;
	/* a path view with one hop that answered from 127.0.0.1 */
	d.path = calloc(1, sizeof(*d.path));
	assert_non_null(d.path);
	path_init(d.path, "127.0.0.1", "127.0.0.1", 1);
	memset(&ev, 0, sizeof(ev));
	ev.type = SONAR_EVENT_REPLY;
	ev.probe_ttl = 1;
	ev.from = "127.0.0.1";
	ev.rtt = 0.05;
	path_event(d.path, &ev);
	d.screen = SCREEN_PATH;
	d.names = NAMES_NAMES;
	term.fd = timerfd_create(CLOCK_MONOTONIC, 0);
	assert_true(term.fd >= 0);
	assert_int_equal(timerfd_settime(term.fd, 0, &its, NULL), 0);
	frames = 0;
	assert_int_equal(mainloop_run(&d, &term), 0);
	/* the table was probed all along, and the name came (or failed) */
	assert_true(r->sent >= 10);
	assert_true(resolver_name(d.res, "127.0.0.1", &failed) || failed);
	if (frames < 2 || frames > 4)
		fail_msg("names mode, a still path view: %d frames in 1.5 s (want 2 to 4)", frames);
	close(term.fd);
	tracer_close(&d);
	free(d.order);
	sonar_engine_free(d.e);
	model_free(&d.m);
	resolver_free(d.res);
}

/* Type s into the prompt, a key a character ('\n': Enter). */
static void send_keys(struct dash *d, const char *s)
{
	for (; *s; s++)
		assert_true(prompt_take(d, *s == '\n' ? K_ENTER : (unsigned char)*s));
}

/*
 * The prompts' owner: a and e open the editor, Enter adds or renames, a
 * bad name keeps the editor open; a paste adds a line each, says what it
 * refused once it ends, and never reaches the key table; with the editor
 * closed a paste is dropped.
 */
static void test_prompt(void **state)
{
	static struct dash d;

	(void)state;
	memset(&d, 0, sizeof(d));
	sonar_multiping_defaults(&d.o);
	d.o.count = 0;
	d.o.rtt_history = 0;
	d.interval = d.o.interval = 1;
	d.e = sonar_engine_new();
	assert_non_null(d.e);
	d.op = sonar_engine_multiping(d.e, NULL, 0, &d.o, rows_event_cb, NULL, &d);
	assert_true(d.op > 0);
	assert_false(prompt_take(&d, 'a')); /* closed: a command key */
	prompt_add(&d);
	assert_string_equal(d.prompt, "Add target: ");
	send_keys(&d, "127.0.0.41\n");
	assert_null(d.prompt);
	assert_int_equal(d.m.n, 1);
	assert_string_equal(d.m.rows[0]->name, "127.0.0.41");
	prompt_add(&d);
	send_keys(&d, "not a host!\n");
	assert_non_null(d.prompt); /* refused: still open, to fix it */
	assert_true(d.message_error);
	assert_true(prompt_take(&d, K_ESC));
	assert_null(d.prompt);
	/* e renames the selected row */
	d.sel_key = d.m.rows[0]->key;
	prompt_edit(&d);
	assert_string_equal(d.ed.text, "127.0.0.41");
	send_keys(&d, "\x15 127.0.0.42 \n"); /* Ctrl-U; spaces around are not the name */
	assert_int_equal(d.m.n, 1);
	assert_string_equal(d.m.rows[0]->name, "127.0.0.42");
	/* a paste into the add prompt: a target a line, the bad one told after */
	prompt_add(&d);
	assert_true(prompt_take(&d, K_PASTE_BEGIN));
	send_keys(&d, "127.0.0.43\nbad name!\n127.0.0.44\nq");
	assert_true(prompt_take(&d, K_PASTE_END));
	assert_int_equal(d.m.n, 3);
	assert_string_equal(d.m.rows[2]->name, "127.0.0.44");
	assert_string_equal(d.message, "2 added, 1 refused (the first: 'bad name!')");
	assert_string_equal(d.ed.text, "q"); /* pasted text, not the q command */
	assert_false(d.quit);
	assert_true(prompt_take(&d, K_ESC));
	/* a paste with the editor closed is dropped, never run as keys */
	assert_true(prompt_take(&d, K_PASTE_BEGIN));
	send_keys(&d, "dq");
	assert_true(prompt_take(&d, K_PASTE_END));
	assert_int_equal(d.m.n, 3);
	assert_false(d.quit);
	free(d.order);
	sonar_engine_free(d.e);
	model_free(&d.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_mode_frames),
	    cmocka_unit_test(test_prompt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
