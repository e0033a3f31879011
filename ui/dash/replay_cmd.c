/*
 * replay_cmd.c - `sonar replay [--speed N] FILE`: a session written by
 * `sonar --record FILE`, played back into the dashboard (replay.c's
 * player in mainloop.c's loop). No engine operation runs: no socket, no
 * privilege (any is dropped first).
 */
#include "config.h"
#include "dash.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "frame.h"
#include "mainloop.h"
#include "priv.h"
#include "eventlog.h"
#include "replay.h"
#include "state.h"
#include "stop.h"
#include "theming.h"
#include "tracer.h"
#include "tty.h"

/* Print the usage of sonar replay. */
static void usage(FILE *f)
{
	fputs("Usage: sonar replay [OPTIONS] FILE\n"
	      "Play back a session that sonar --record FILE wrote, into the dashboard:\n"
	      "the same table and path view, at the recorded pace or --speed times it.\n"
	      "Keys: p pauses, < and > seek 10 s back / forward, + and - double / halve\n"
	      "the speed, Enter shows the path recorded for the row, q quits.\n\n"
	      "      --speed N           times the recorded pace (0.01 to 1000000, default 1)\n"
	      "      --theme NAME        default, dark, light, high-contrast, mono, or yours\n"
	      "      --no-color          no colours (also when NO_COLOR is set)\n"
	      "  -h, --help              this help\n"
	      "  -V, --version           the version\n"
	      "A corrupt line stops the replay: FILE:LINE and why, exit status 3.\n",
	      f);
}

enum { OPT_SPEED = 0x100, OPT_THEME, OPT_NO_COLOR };

struct replay_opts {
	double speed;
	const char *theme;
	bool color;
};

/* The options of sonar replay. */
static int replay_option(int c, const char *arg, void *ctx)
{
	struct replay_opts *op = ctx;

	switch (c) {
	case OPT_SPEED: {
		char *end;

		op->speed = strtod(arg, &end);
		if (end == arg || *end || !(op->speed >= 0.01 && op->speed <= 1e6)) {
			cli_error("invalid speed %.40s: a number from 0.01 to 1000000 (times the "
			          "recorded pace)",
			          arg);
			return -1;
		}
		return 1;
	}
	case OPT_THEME:
		op->theme = arg;
		return 1;
	case OPT_NO_COLOR:
		op->color = false;
		return 1;
	default:
		return 0;
	}
}

int cmd_replay(int argc, char **argv)
{
	static const struct mainloop_term term = {STDIN_FILENO, tty_key,    tty_resume,
	                                          tty_lost,     frame_show, tty_winch_fd};
	static const struct option longopts[] = {
	    {"speed", required_argument, NULL, OPT_SPEED},
	    {"theme", required_argument, NULL, OPT_THEME},
	    {"no-color", no_argument, NULL, OPT_NO_COLOR},
	    {NULL, 0, NULL, 0},
	};
	const char *nc = getenv("NO_COLOR");
	struct replay_opts op = {1.0, NULL, !(nc && *nc)};
	struct dash d;
	char err[900];
	int first, status = EXIT_USAGE;

	memset(&d, 0, sizeof(d));
	first = cli_parse_own(argc, argv, "replay", longopts, "", replay_option, &op, usage);
	if (first == CLI_DONE)
		return EXIT_ALIVE;
	if (first < 0)
		return EXIT_USAGE;
	if (first != argc - 1) {
		cli_error("replay takes one FILE (see sonar replay --help)");
		return EXIT_USAGE;
	}
	/* nothing here needs a privilege: the file is read as the user */
	if (priv_drop(err, sizeof(err)) < 0) {
		cli_error("%s", err);
		return EXIT_SYSTEM;
	}
	/* the live dashboard's defaults: its columns and window too */
	dash_defaults(&d, op.color);
	/* an engine with no operation: the loop asks it for nothing to do */
	d.e = sonar_engine_new();
	if (!d.e) {
		cli_error("out of memory");
		status = EXIT_SYSTEM;
		goto out;
	}
	/* the loop and the view ask it; it is never given a name (n refused) */
	d.res = resolver_new(NULL, err, sizeof(err));
	if (!d.res) {
		cli_error("%s", err);
		status = EXIT_SYSTEM;
		goto out;
	}
	if (replay_open(&d, argv[first], op.speed, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		goto out;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("replay needs a terminal");
		goto out;
	}
	d.themes = theming_names();
	theme_default(&d.theme);
	if (tty_open(&d.theme, d.color) < 0) {
		cli_error("cannot use this terminal (TERM=%s)",
		          getenv("TERM") ? getenv("TERM") : "");
		status = EXIT_SYSTEM;
		goto out;
	}
	theming_use(&d, op.theme ? op.theme : "default", true);
	stop_catch();
	say(&d, false,
	    "replaying %.200s at %g times the recorded pace: p pause, < > 10 s, + - speed",
	    argv[first], op.speed);
	status = mainloop_run(&d, &term) < 0 ? EXIT_SYSTEM : EXIT_ALIVE;
	tty_close();
	if (replay_error(&d)[0]) {
		cli_error("%s", replay_error(&d));
		status = EXIT_USAGE;
	}
out:
	tty_close();
	replay_close(&d);
	tracer_close(&d);
	sonar_engine_free(d.e);
	resolver_free(d.res);
	eventlog_close(&d.log); /* the events the replayed rows' alerts logged */
	model_free(&d.m);
	free(d.order);
	free(d.groups);
	theme_names_free(d.themes);
	return status;
}
