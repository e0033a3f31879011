/*
 * dash.c - the dashboard's set-up: `sonar [OPTIONS] [TARGET...]`: options,
 * privileges (the raw sockets and the capture are opened, then dropped),
 * the targets (given, -F, the saved list, or discovered), the terminal,
 * then the loop (mainloop.c) until q; and everything freed on the way out.
 *
 * The parts: state.h (the struct everything shares), mainloop.c (the select()
 * loop), rows.c (the rows' life and the selection), tracer.c (the path
 * view's traceroute), keys.c (the key table), prompt.c (the add and edit
 * prompts) over editor.c (the line editor), pane.c (the capture pane),
 * saved.c (the saved target list), theming.c (the theme in use),
 * discover.c (default targets), frame.c (a frame); view.c, help.c and
 * cells.c draw, tty.c is the one file that talks to curses.
 */
#include "config.h"
#include "dash.h"

#include <getopt.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aspath.h"
#include "cli.h"
#include "columns.h"
#include "conffile.h"
#include "alert.h"
#include "discover.h"
#include "eventlog.h"
#include "frame.h"
#include "mainloop.h"
#include "record.h"
#include "oncmd.h"
#include "rows.h"
#include "saved.h"
#include "state.h"
#include "stop.h"
#include "target_url.h"
#include "targets.h"
#include "theming.h"
#include "tracer.h"
#include "tty.h"
#include "window.h"
#include "watch.h"

/* The program's command list, for --help (main's table). */
static void (*list_commands)(FILE *f);

/* Print the dashboard's usage. */
static void usage(FILE *f)
{
	fputs("Usage: sonar [OPTIONS] [TARGET...]\n"
	      "       sonar COMMAND [OPTIONS] ... (the commands are listed below)\n"
	      "The dashboard: a live table of targets, and an mtr-style path view.\n"
	      "A TARGET is a host (ICMP), tcp://HOST[:PORT] (TCP SYN, port 80) or\n"
	      "udp://HOST[:PORT] (UDP, port 33434); IPv6 in brackets: tcp://[::1]:443.\n"
	      "With no TARGET and no -F: the list 's' saved ($XDG_CONFIG_HOME/sonar/targets\n"
	      "or ~/.config/sonar/targets), else 127.0.0.1, ::1, the default gateways\n"
	      "and the nameservers of /etc/resolv.conf.\n\n"
	      "  -F, --file FILE         targets, one per line (also where 's' saves)\n"
	      "  -i, --interval S        seconds between probes to one target (default 1)\n"
	      "      --theme NAME        default, dark, light, high-contrast, mono, or yours\n"
	      "      --dns-server ADDR[:PORT]  resolve names (and z's AS numbers) through it\n"
	      "      --asn-all           z: AS numbers of private addresses too (a DNS of yours)\n"
	      "      --resolve-every S   ask for the targets' names again every S seconds\n"
	      "                          (default 300; 0 never): a new address starts afresh\n"
	      "      --flows N           the path view probes N Paris flows (1-16; F changes it)\n"
	      "      --window N          w shows statistics over the last N probes (default\n"
	      "                          100, at most 512); --window N starts so\n"
	      "      --columns SPEC      the columns, letters (LSRNABWVJ) or names: loss sent\n"
	      "                          recv last avg min max stdev jitter p50 p90 p95 p99\n"
	      "      --record FILE       write the session into FILE, for sonar replay FILE\n"
	      "      --no-color          no colours (also when NO_COLOR is set)\n"
	      "Keys: ? shows them (c opens the capture pane, n shows names).\n"
	      "Alerts (judged over each target's last 100 probes; per target in -F files:\n"
	      "'HOST alert-loss=5 alert-rtt=100 alert-down=3'):\n"
	      "      --alert-loss PCT    alert when more than PCT%% of them were lost\n"
	      "      --alert-rtt MS[@pNN]\n"
	      "                          alert when their average RTT (or its NNth\n"
	      "                          percentile: 100@p95) is over MS\n"
	      "      --alert-down N      down after N lost in a row (default 5)\n"
	      "      --bell              ring the terminal's bell on an alert or down\n"
	      "      --log FILE          append each event (up, down, alert, clear) as JSON\n"
	      "      --on-alert CMD      run CMD (sh -c) on each event, with SONAR_EVENT,\n"
	      "                          SONAR_STATE, SONAR_TARGET, SONAR_ADDRESS, SONAR_WHY,\n"
	      "                          SONAR_STAT, SONAR_VALUE, SONAR_TIME in its environment\n",
	      f);
	fputs(cli_common_help, f);
	if (list_commands) {
		fputc('\n', f);
		list_commands(f);
	}
}

enum {
	OPT_THEME = OPT_FIRST_FREE,
	OPT_NO_COLOR,
	OPT_DNS,
	OPT_ASN_ALL,
	OPT_RESOLVE_EVERY,
	OPT_FLOWS,
	OPT_WINDOW,
	OPT_COLUMNS,
	OPT_RECORD,
	OPT_ALERT_LOSS,
	OPT_ALERT_RTT,
	OPT_ALERT_DOWN,
	OPT_BELL,
	OPT_LOG,
	OPT_ON_ALERT,
};

struct dash_opts {
	struct dash *d;
	const char *theme;
	const char *dns;
	const char *record; /* --record FILE */
	const char *log;    /* --log FILE: opened as the user, after the lockdown */
	struct target_list targets;
	bool window_given, columns_given; /* on the command line: the file's wait */
	bool resolve_given;
	struct conffile conf; /* the configuration file (its strings live as long) */
};

static const char why_every[] = "expects seconds: 0 (never) or 1 to 86400";

/* --resolve-every S: 0, or 1 to 86400 seconds. 0, or -1. */
static int resolve_every(const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (!*arg || *end || errno || !(v == 0 || (v >= 1 && v <= 86400)))
		return -1;
	*out = v;
	return 0;
}

/* Take from the configuration file what the command line did not say.
 * 0, or -1 after saying why (a window or columns the dashboard refuses). */
static int configure(struct dash *d, struct dash_opts *op, const struct cli_common *cc)
{
	char why[256];

	const struct conffile *c = &op->conf;
	struct sonar_options defaults;

	sonar_multiping_defaults(&defaults);
	if ((c->set & CONF_INTERVAL) && !cc->interval_given)
		d->o.interval = d->interval = c->interval;
	if ((c->set & CONF_TIMEOUT) && d->o.timeout == defaults.timeout)
		d->o.timeout = c->timeout; /* -W as the default: the same either way */
	if ((c->set & CONF_THEME) && !op->theme)
		op->theme = c->theme;
	if ((c->set & CONF_COLOR) && !c->color)
		d->color = false;
	if ((c->set & CONF_DNS) && !op->dns)
		op->dns = d->dns = c->dns;
	if ((c->set & CONF_WINDOW) && !op->window_given) {
		char n[32];

		snprintf(n, sizeof(n), "%ld", c->window);
		if (window_parse(n, &d->window_size, why, sizeof(why)) < 0) {
			cli_error("%s:%u: window: %s", c->path, conffile_line(c, CONF_WINDOW), why);
			return -1;
		}
		d->m.window = d->window_size; /* as --window: start windowed */
	}
	if ((c->set & CONF_COLUMNS) && !op->columns_given &&
	    columns_parse(c->columns, &d->columns, why, sizeof(why)) < 0) {
		cli_error("%s:%u: columns: %s", c->path, conffile_line(c, CONF_COLUMNS), why);
		return -1;
	}
	if ((c->set & CONF_ALERT_LOSS) && !(d->limits.set & ALERT_SET_LOSS)) {
		d->limits.loss = c->alert_loss;
		d->limits.set |= ALERT_SET_LOSS;
	}
	if ((c->set & CONF_ALERT_RTT) && !(d->limits.set & ALERT_SET_RTT)) {
		char setting[sizeof(c->alert_rtt) + 16];

		snprintf(setting, sizeof(setting), "alert-rtt=%s", c->alert_rtt);
		if (alert_parse_setting(setting, &d->limits, why, sizeof(why)) < 0) {
			cli_error("%s:%u: %s", c->path, conffile_line(c, CONF_ALERT_RTT), why);
			return -1;
		}
	}
	if ((c->set & CONF_ALERT_DOWN) && !d->limits.down)
		d->limits.down = c->alert_down;
	if ((c->set & CONF_RESOLVE_EVERY) && !op->resolve_given) {
		if (c->resolve_every > 0 && c->resolve_every < 1) {
			cli_error("%s:%u: resolve-every: %s", c->path,
			          conffile_line(c, CONF_RESOLVE_EVERY), why_every);
			return -1;
		}
		d->refresh_s = c->resolve_every;
	}
	if ((c->set & CONF_BELL) && !d->bell)
		d->bell = c->bell;
	if ((c->set & CONF_LOG) && !op->log)
		op->log = c->log;
	if ((c->set & CONF_ON_ALERT) && !d->on.cmd)
		d->on.cmd = c->on_alert;
	return 0;
}

/* --alert-loss, --alert-rtt, --alert-down: alert.c's setting syntax. 1, or -1. */
static int alert_option(struct dash *d, const char *name, const char *arg)
{
	char setting[128], err[256];

	snprintf(setting, sizeof(setting), "%s=%.100s", name, arg);
	if (alert_parse_setting(setting, &d->limits, err, sizeof(err)) < 0) {
		cli_error("invalid --%s", err);
		return -1;
	}
	return 1;
}

/* The dashboard's own options. */
static int dash_option(int c, const char *arg, void *ctx)
{
	struct dash_opts *op = ctx;
	char why[200];

	switch (c) {
	case 'F':                  /* read after privileges are dropped, never as root */
		op->d->file = arg; /* whole: a cut path would name another file */
		return 1;
	case OPT_THEME:
		op->theme = arg;
		return 1;
	case OPT_NO_COLOR:
		op->d->color = false;
		return 1;
	case OPT_DNS:
		op->dns = op->d->dns = arg;
		return 1;
	case OPT_WINDOW:
		if (window_parse(arg, &op->d->window_size, why, sizeof(why)) < 0) {
			cli_error("--window %s", why);
			return -1;
		}
		op->d->m.window = op->d->window_size;
		op->window_given = true;
		return 1;
	case OPT_COLUMNS:
		if (columns_parse(arg, &op->d->columns, why, sizeof(why)) < 0) {
			cli_error("--columns: %s", why);
			return -1;
		}
		op->columns_given = true;
		return 1;
	case OPT_RESOLVE_EVERY:
		if (resolve_every(arg, &op->d->refresh_s) < 0) {
			cli_error("--resolve-every %s", why_every);
			return -1;
		}
		op->resolve_given = true;
		return 1;
	case OPT_ASN_ALL:
		op->d->asn_all = true;
		return 1;
	case OPT_RECORD:
		op->record = arg;
		return 1;
	case OPT_FLOWS: {
		long v;

		if (cli_parse_long("flows", arg, 1, PATH_FLOWS, &v) < 0)
			return -1;
		op->d->flows = (int)v;
		return 1;
	}
	case OPT_ALERT_LOSS:
		return alert_option(op->d, "alert-loss", arg);
	case OPT_ALERT_RTT:
		return alert_option(op->d, "alert-rtt", arg);
	case OPT_ALERT_DOWN:
		return alert_option(op->d, "alert-down", arg);
	case OPT_BELL:
		op->d->bell = true;
		return 1;
	case OPT_LOG:
		op->log = arg;
		return 1;
	case OPT_ON_ALERT:
		op->d->on.cmd = arg;
		return 1;
	default:
		return 0;
	}
}

int cmd_dash(int argc, char **argv, void (*commands)(FILE *f))
{
	static const struct mainloop_term term = {STDIN_FILENO, tty_key,    tty_resume,
	                                          tty_lost,     frame_show, tty_winch_fd};
	static const struct option longopts[] = {
	    {"file", required_argument, NULL, 'F'},
	    {"theme", required_argument, NULL, OPT_THEME},
	    {"no-color", no_argument, NULL, OPT_NO_COLOR},
	    {"dns-server", required_argument, NULL, OPT_DNS},
	    {"window", required_argument, NULL, OPT_WINDOW},
	    {"columns", required_argument, NULL, OPT_COLUMNS},
	    {"asn-all", no_argument, NULL, OPT_ASN_ALL},
	    {"resolve-every", required_argument, NULL, OPT_RESOLVE_EVERY},
	    {"flows", required_argument, NULL, OPT_FLOWS},
	    {"record", required_argument, NULL, OPT_RECORD},
	    {"alert-loss", required_argument, NULL, OPT_ALERT_LOSS},
	    {"alert-rtt", required_argument, NULL, OPT_ALERT_RTT},
	    {"alert-down", required_argument, NULL, OPT_ALERT_DOWN},
	    {"bell", no_argument, NULL, OPT_BELL},
	    {"log", required_argument, NULL, OPT_LOG},
	    {"on-alert", required_argument, NULL, OPT_ON_ALERT},
	    {NULL, 0, NULL, 0},
	};
	struct dash d;
	struct dash_opts op;
	struct cli_common cc = {.privilege = PRIV_AUTO, .format = FORMAT_TEXT};
	const char *nc = getenv("NO_COLOR");
	int first, rc, status = EXIT_USAGE;
	char err[4400];
	size_t i;

	/* main() took LC_CTYPE from the environment (UTF-8 drawing); nothing
	 * else: LC_NUMERIC stays C, numbers keep their decimal point */
	list_commands = commands;
	dash_defaults(&d, !(nc && *nc));
	memset(&op, 0, sizeof(op));
	op.d = &d;
	/* rows are built from events: the engine keeps no RTT history (8 KiB
	 * a target: 80 MB for 10,000) */
	d.o.rtt_history = 0;
	first = cli_parse(argc, argv, "", longopts, "F:", dash_option, &op, usage, &d.o, &cc);
	if (first == CLI_DONE) {
		status = EXIT_ALIVE;
		goto out;
	}
	if (first < 0)
		goto out;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cli_error("the dashboard needs a terminal (for scripts: sonar multiping)");
		status = EXIT_USAGE;
		goto out;
	}
	d.interval = d.o.interval;
	d.o.count = 0;
	cli_privilege(&cc, &d.o);
	d.e = sonar_engine_new();
	if (!d.e) {
		cli_error("out of memory");
		status = EXIT_SYSTEM;
		goto out;
	}
	/* Least privilege: the raw sockets and the capture handle now, while
	 * allowed; then every privilege goes, before any key or packet. */
	if (d.o.privileged) {
		d.cap = capture_open_live(d.cap_error, sizeof(d.cap_error));
	} else {
		snprintf(d.cap_error, sizeof(d.cap_error),
		         "capture needs root or cap_net_raw (setcap cap_net_raw+ep on sonar)");
		d.no_raw = cc.privilege == PRIV_AUTO;
	}
	status = cli_lockdown(d.e, &d.o);
	if (status)
		goto out;
	status = EXIT_USAGE;
	/* from here on, no privilege: files are read as the user; a target
	 * written as a URL (tcp://web:443) is checked whole, wherever it is */
	op.targets.check = target_url_check;
	op.targets.check_settings = watch_settings_check; /* "HOST  alert-loss=5" */
	op.targets.layout = 1; /* [groups] and comments, for the table and s */
	/* the configuration file, read as the user: defaults under the
	 * command line */
	if (conffile_load(&op.conf, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		goto out;
	}
	if (configure(&d, &op, &cc) < 0)
		goto out;
	/* (after the file: it may name the server) */
	d.res = resolver_new(op.dns, err, sizeof(err));
	if (!d.res) {
		cli_error("%s", err);
		status = op.dns ? EXIT_USAGE : EXIT_SYSTEM;
		goto out;
	}
	if (op.log && eventlog_open(&d.log, op.log, err, sizeof(err)) < 0) {
		cli_error("--log %s", err);
		goto out;
	}
	if (d.file && targets_read(d.file, &op.targets, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		goto out;
	}
	for (i = (size_t)first; i < (size_t)argc; i++) {
		if (target_url_check(argv[i], err, sizeof(err)) < 0) {
			cli_error("%.300s: %s", argv[i], err);
			goto out;
		}
		targets_add(&op.targets, argv[i]);
	}
	if (op.targets.n == 0 && !d.file) {
		/* the list s saved, if any, else the default targets */
		int saved = saved_load(&op.targets, err, sizeof(err));

		if (saved < 0) {
			cli_error("%s", err);
			goto out;
		}
		if (saved == 0)
			discover_targets(&discover_system, &op.targets);
	}
	/* the table's operations start with their first rows (rows.c): their
	 * options are checked now, while the user can still be told */
	if ((rc = sonar_options_validate(&d.o)) != 0) {
		status = cli_fail(rc);
		goto out;
	}
	/* written as the user (privileges are gone), before the first row */
	if (op.record && record_open(&d, op.record, err, sizeof(err)) < 0) {
		cli_error("%s", err);
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
	if (saved_sections(&d.m, &op.targets) < 0)
		say(&d, true, "out of memory");
	for (i = 0; i < op.targets.n; i++) {
		struct row *r = rows_add(&d, op.targets.v[i]);
		const char *settings = targets_settings(&op.targets, i);

		/* checked when read: cannot fail here */
		if (r && settings)
			watch_settings(r, settings, err, sizeof(err));
		if (r && saved_place(&d.m, r, targets_extra(&op.targets, i)) < 0)
			say(&d, true, "out of memory");
		if (r && i == 0)
			d.sel_key = r->key;
	}
	if (!d.sel_key && d.m.n)
		d.sel_key = d.m.rows[0]->key;
	if (d.no_raw)
		say(&d, false,
		    "no raw sockets (root, or setcap cap_net_raw+ep on sonar): using ICMP datagram "
		    "sockets");
	status = mainloop_run(&d, &term) < 0 ? EXIT_SYSTEM : EXIT_ALIVE;
	tty_close();
out:
	tty_close();
	if (record_close(&d, err, sizeof(err)) < 0) {
		cli_error("%s", err);
		status = EXIT_SYSTEM;
	}
	oncmd_close(&d.on);
	eventlog_close(&d.log);
	tracer_close(&d);
	capture_close(d.cap);
	free(d.cap_ring);
	sonar_engine_free(d.e);
	resolver_free(d.res);
	aspath_free(&d);
	model_free(&d.m);
	free(d.groups);
	free(d.order);
	theme_names_free(d.themes);
	targets_free(&op.targets);
	free(cc.payload);
	return status;
}
