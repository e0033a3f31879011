/*
 * conffile.h - the user's configuration file: $XDG_CONFIG_HOME/sonar/config
 * or ~/.config/sonar/config (xdg.c), defaults for the dashboard's options.
 * (Not "config.h": that name is the build's.)
 *
 * A line is `key = value`; a line whose first word starts with '#' is a
 * comment (a '#' later in a line is the value's: commands and paths have
 * them), blank lines are skipped. The keys are the dashboard's long options:
 *
 *   interval = 0.5          (seconds between probes to one target)
 *   timeout = 2             (seconds to wait for a reply: -W)
 *   theme = dark
 *   color = no              (as --no-color)
 *   dns-server = 192.0.2.53
 *   alert-loss = 5          (percent)
 *   alert-rtt = 150         (ms, the average; 150@p95: the 95th percentile)
 *   alert-down = 3          (probes lost in a row)
 *   bell = yes
 *   log = /var/tmp/sonar-events.json
 *   on-alert = notify-send "sonar: $SONAR_TARGET $SONAR_EVENT"
 *   columns = LSRNAMXDJ     (as --columns: the dashboard checks and applies it)
 *   window = 100            (as --window)
 *   resolve-every = 60      (as --resolve-every: 0 never, else 1-86400 s)
 *
 * A key given twice, an unknown key or a bad value is refused as
 * "FILE:LINE: why", as the theme files are. The command line wins over the
 * file: the caller applies a value only where no option gave one.
 * Invariants: set has the CONF_* bit of every key the file gave, and only
 * those fields mean anything; strings are NUL-terminated and never cut (a
 * value too long is refused).
 */
#ifndef SONAR_CONFFILE_H
#define SONAR_CONFFILE_H

#include <stdbool.h>
#include <stddef.h>

enum {
	CONF_INTERVAL = 1 << 0,
	CONF_TIMEOUT = 1 << 1,
	CONF_THEME = 1 << 2,
	CONF_COLOR = 1 << 3,
	CONF_DNS = 1 << 4,
	CONF_ALERT_LOSS = 1 << 5,
	CONF_ALERT_RTT = 1 << 6,
	CONF_ALERT_DOWN = 1 << 7,
	CONF_BELL = 1 << 8,
	CONF_LOG = 1 << 9,
	CONF_ON_ALERT = 1 << 10,
	CONF_COLUMNS = 1 << 11,
	CONF_WINDOW = 1 << 12,
	CONF_RESOLVE_EVERY = 1 << 13,
};
#define CONF_KEYS 14 /* the CONF_* bits */

#define CONF_VALUE_MAX 1024 /* longest value (a command line for on-alert) */

struct conffile {
	unsigned set;       /* CONF_*: the keys the file gave */
	double interval;    /* s, more than 0, at most 86400 (as -i) */
	double timeout;     /* s, more than 0, at most 86400 (as -W) */
	char theme[64];     /* a theme's name */
	bool color;         /* no: as --no-color */
	char dns[256];      /* ADDRESS[:PORT],... as --dns-server */
	double alert_loss;  /* percent, 0-100 */
	char alert_rtt[48]; /* as --alert-rtt: MS or MS@pNN (the dashboard checks it) */
	int alert_down;     /* 1-100 */
	bool bell;
	char log[CONF_VALUE_MAX];      /* a path */
	char on_alert[CONF_VALUE_MAX]; /* a shell command */
	char columns[64];              /* the column chooser's spec, as written */
	long window;                   /* probes, 1-1000000 */
	double resolve_every;          /* s, 0 (never) or 1-86400 */
	char path[4096];               /* the file read, "" none */
	unsigned line[CONF_KEYS];      /* the line each key was on (bit i: line[i]) */
};

/*
 * Parse a configuration from text (len bytes; file names it in errors)
 * into c (zeroed first). 0, or -1 with "FILE:LINE: why" in err.
 */
int conffile_parse(const char *text, size_t len, const char *file, struct conffile *c, char *err,
                   size_t errcap);
/*
 * Read the user's configuration file into c (zeroed first): 1 read, 0 there
 * is none (no file, no HOME), -1 with "FILE:LINE: why" or "FILE: why" in err.
 */
int conffile_load(struct conffile *c, char *err, size_t errcap);
/* The line key bit (a CONF_* bit) was read from in c; 0 not read. */
unsigned conffile_line(const struct conffile *c, unsigned bit);
/*
 * Set key to value in the user's configuration file, as `key = value`:
 * the line that has the key is replaced, or one is added at the end;
 * every other line (comments, blank lines, other keys) stays as it was.
 * The file (and its folders) is made when there is none; it is replaced
 * atomically (atomic.h). A text that would not parse back is not written.
 * 0 with the file's path in path, or -1 with why in err.
 */
int conffile_store(const char *key, const char *value, char *path, size_t pathcap, char *err,
                   size_t errcap);

#endif
