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
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cmocka.h>

#include "frame.h"
#include "mainloop.h"
#include "prompt.h"
#include "rows.h"
#include "state.h"
#include "sonar.h"
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
	struct mainloop_term term = {-1, no_key, not_resumed, hung_up, count_frame, NULL};
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
	free(d.groups);
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
	/* URLs: a bad one is refused with why, a good one added as written */
	prompt_add(&d);
	send_keys(&d, "tcp://127.0.0.1:65536\n");
	assert_non_null(d.prompt);
	assert_string_equal(d.message, "'tcp://127.0.0.1:65536': port 65536 is out of range (a "
	                               "port is 1-65535)");
	assert_true(prompt_take(&d, K_ESC));
	prompt_add(&d);
	send_keys(&d, "ftp://127.0.0.1\n");
	assert_non_null(strstr(d.message, "unknown scheme 'ftp'"));
	assert_true(prompt_take(&d, K_ESC));
	prompt_add(&d);
	send_keys(&d, " tcp://[::1]:443 \n");
	assert_null(d.prompt);
	assert_int_equal(d.m.n, 2);
	assert_string_equal(d.m.rows[1]->name, "tcp://[::1]:443");
	assert_int_equal(d.m.rows[1]->protocol, SONAR_PROTO_TCP);
	assert_int_equal(d.m.rows[1]->port, 443);
	assert_string_equal(d.m.rows[1]->address, "::1");
	/* e: its text as written; a plain host makes it ICMP again */
	d.sel_key = d.m.rows[1]->key;
	prompt_edit(&d);
	assert_string_equal(d.ed.text, "tcp://[::1]:443");
	send_keys(&d, "\x15::1\n");
	assert_int_equal(d.m.rows[1]->protocol, SONAR_PROTO_ICMP);
	rows_remove(&d, d.m.rows[1]);
	assert_int_equal(d.m.n, 1);
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
	free(d.groups);
	sonar_engine_free(d.e);
	model_free(&d.m);
}

/* A dashboard without a terminal: its engine, probing every 50 ms. */
static void dash_up(struct dash *d)
{
	memset(d, 0, sizeof(*d));
	sonar_multiping_defaults(&d->o);
	d->o.count = 0;
	d->o.rtt_history = 0;
	d->interval = d->o.interval = 0.05;
	d->e = sonar_engine_new();
	assert_non_null(d->e);
}

static void dash_down(struct dash *d)
{
	free(d->order);
	free(d->groups);
	sonar_engine_free(d->e);
	model_free(&d->m);
}

/* A port of 127.0.0.1 (bound, and listening for TCP; *fd keeps it). */
static int local_port(int type, int *fd)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);

	*fd = socket(AF_INET, type, 0);
	assert_true(*fd >= 0);
	assert_int_equal(bind(*fd, (struct sockaddr *)&a, sizeof(a)), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(*fd, 64), 0);
	assert_int_equal(getsockname(*fd, (struct sockaddr *)&a, &len), 0);
	return ntohs(a.sin_port);
}

/* Run the engine for about ms milliseconds. */
static void run_for(struct dash *d, int ms)
{
	int64_t end = now_ns() + (int64_t)ms * 1000000;

	while (now_ns() < end)
		assert_int_equal(sonar_engine_run_once(d->e, 10 * 1000000LL), 0);
}

/* Groups with an operation running. */
static size_t live_groups(const struct dash *d)
{
	size_t g, n = 0;

	for (g = 0; g < d->ngroups; g++)
		n += d->groups[g].op > 0;
	return n;
}

/*
 * The table's rows of several protocols and ports: one operation per
 * protocol and port, each row's events its own (every group's first row is
 * its index 0: events routed by index alone would credit one row with
 * four rows' probes), p and + reach every operation, an edit moves a row
 * to another group, and a group's last row leaving stops its operation.
 */
static void test_groups(void **state)
{
	static struct dash d;
	char tcp[64], udp[64], udp2[64];
	int lfd, ufd, tport, uport;
	uint64_t sent[5];
	struct row *r[5];
	size_t i;

	(void)state;
	dash_up(&d);
	tport = local_port(SOCK_STREAM, &lfd);
	uport = local_port(SOCK_DGRAM, &ufd);
	close(ufd); /* nothing at it: Port Unreachable, the UDP answer */
	snprintf(tcp, sizeof(tcp), "tcp://127.0.0.1:%d", tport);
	snprintf(udp, sizeof(udp), "udp://127.0.0.1:%d", uport);
	snprintf(udp2, sizeof(udp2), "udp://[::1]:%d", uport);
	r[0] = rows_add(&d, "127.0.0.1");
	r[1] = rows_add(&d, tcp);
	r[2] = rows_add(&d, udp);
	r[3] = rows_add(&d, udp2);              /* the UDP group's second row */
	r[4] = rows_add(&d, "tcp://127.0.0.1"); /* port 80: nothing there, a RST */
	for (i = 0; i < 5; i++) {
		assert_non_null(r[i]);
		if (r[i]->state != ROW_ACTIVE)
			fail_msg("%s: not probed: %s", r[i]->name, r[i]->error);
	}
	assert_int_equal(d.ngroups, 4);
	assert_int_equal(live_groups(&d), 4);
	assert_int_equal(sonar_engine_active(d.e), 4);
	assert_true(r[2]->group == r[3]->group && r[1]->group != r[4]->group);
	assert_int_equal(d.groups[r[2]->group].rows, 2);
	assert_int_equal(r[1]->protocol, SONAR_PROTO_TCP);
	assert_int_equal(r[1]->port, tport);
	assert_int_equal(r[3]->protocol, SONAR_PROTO_UDP);
	assert_int_equal(r[4]->port, 80);
	assert_int_equal(r[0]->protocol, SONAR_PROTO_ICMP);
	run_for(&d, 1000);
	for (i = 0; i < 5; i++) {
		if (r[i]->received < 5 || r[i]->sent > 30)
			fail_msg(
			    "%s: %llu sent, %llu answered in 1 s at 50 ms (want 5+, at most 30)",
			    r[i]->name, (unsigned long long)r[i]->sent,
			    (unsigned long long)r[i]->received);
		assert_string_equal(r[i]->error, "");
	}
	/* p: every group pauses */
	rows_pause(&d, true);
	run_for(&d, 200);
	for (i = 0; i < 5; i++)
		sent[i] = r[i]->sent;
	run_for(&d, 400);
	for (i = 0; i < 5; i++)
		if (r[i]->sent != sent[i])
			fail_msg("%s probed while paused", r[i]->name);
	rows_pause(&d, false);
	/* +/-: every group takes the interval (1 s: one probe in 0.5 s) */
	rows_set_interval(&d, 1);
	run_for(&d, 300);
	for (i = 0; i < 5; i++)
		sent[i] = r[i]->sent;
	run_for(&d, 500);
	for (i = 0; i < 5; i++)
		if (r[i]->sent > sent[i] + 1)
			fail_msg("%s: %llu probes in 0.5 s at 1 s", r[i]->name,
			         (unsigned long long)(r[i]->sent - sent[i]));
	rows_set_interval(&d, 0.05);
	d.interval = 0.05;
	/* an edit moves the TCP row to UDP: its group, now empty, stops */
	i = (size_t)r[1]->group;
	rows_rename(&d, r[1], udp);
	assert_int_equal(r[1]->group, r[2]->group);
	assert_int_equal(d.groups[i].op, 0);
	assert_int_equal(live_groups(&d), 3);
	assert_int_equal(sonar_engine_active(d.e), 3);
	/* the freed slot serves the next new group */
	r[1] = rows_add(&d, tcp);
	assert_non_null(r[1]);
	assert_int_equal(r[1]->group, (int)i);
	assert_int_equal(d.ngroups, 4);
	/* the last ICMP row goes: so does its operation */
	rows_remove(&d, r[0]);
	assert_int_equal(sonar_engine_active(d.e), 3);
	sent[1] = d.m.rows[d.m.n - 1]->sent;
	run_for(&d, 500);
	for (i = 0; i < d.m.n; i++)
		if (d.m.rows[i]->received < 3)
			fail_msg("%s: %llu answers after the edits", d.m.rows[i]->name,
			         (unsigned long long)d.m.rows[i]->received);
	close(lfd);
	dash_down(&d);
}

/*
 * The real loop with a TCP row: it probes and counts answers (the engine
 * keeps a TCP socket record without a descriptor, which must never reach
 * FD_ISSET: UBSan and _FORTIFY_SOURCE abort there; the engine skips it,
 * this caught it), beside an ICMP row.
 */
static void test_loop_tcp(void **state)
{
	static struct dash d;
	struct itimerspec its = {{0, 0}, {1, 0}};
	struct mainloop_term term = {-1, no_key, not_resumed, hung_up, count_frame, NULL};
	char tcp[64], err[256];
	struct row *r, *icmp;
	int lfd;

	(void)state;
	dash_up(&d);
	d.res = resolver_new("127.0.0.1:9", err, sizeof(err));
	assert_non_null(d.res);
	snprintf(tcp, sizeof(tcp), "tcp://127.0.0.1:%d", local_port(SOCK_STREAM, &lfd));
	r = rows_add(&d, tcp);
	icmp = rows_add(&d, "127.0.0.1");
	assert_non_null(r);
	assert_non_null(icmp);
	term.fd = timerfd_create(CLOCK_MONOTONIC, 0);
	assert_true(term.fd >= 0);
	assert_int_equal(timerfd_settime(term.fd, 0, &its, NULL), 0);
	assert_int_equal(mainloop_run(&d, &term), 0);
	if (r->received < 5 || icmp->received < 5)
		fail_msg("in 1 s at 50 ms: TCP %llu answered, ICMP %llu",
		         (unsigned long long)r->received, (unsigned long long)icmp->received);
	close(term.fd);
	close(lfd);
	resolver_free(d.res);
	dash_down(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_names_mode_frames),
	    cmocka_unit_test(test_prompt),
	    cmocka_unit_test(test_groups),
	    cmocka_unit_test(test_loop_tcp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
