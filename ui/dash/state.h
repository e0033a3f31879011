/*
 * state.h - the dashboard's state: one struct dash that every part of
 * ui/dash/ reads and changes, and the status line's message.
 *
 * Invariants: sel_key names the selected row (or none while the table is
 * empty); groups[] are the table's operations, one per protocol and port
 * in use (rows.c starts one with its first row and stops it with its
 * last; a slot with op 0 is free); prompt is NULL exactly when the line editor is closed (prompt.c
 * opens and closes it); path is NULL or the path view's traceroute
 * (path->op > 0 once started), made and freed by tracer.c only; dirty
 * means a frame is owed, and only a change to what is shown sets it.
 */
#ifndef SONAR_DASH_STATE_H
#define SONAR_DASH_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "capture.h"
#include "columns.h"
#include "editor.h"
#include "eventlog.h"
#include "model.h"
#include "oncmd.h"
#include "path.h"
#include "resolver.h"
#include "sonar.h"
#include "theme.h"
#include "view.h"

struct asn;
struct record;
struct replay;

#define MESSAGE_NS (4000 * 1000000LL) /* how long a message stays */

/* The table's rows of one protocol and port: one continuous multiping
 * (the engine's options are an operation's). */
struct group {
	int protocol; /* SONAR_PROTO_* */
	int port;     /* UDP, TCP: destination port; ICMP 0 */
	int op;       /* the engine's multiping, 0: a free slot */
	size_t rows;  /* rows bound to it */
};

struct dash {
	struct sonar_engine *e;
	struct sonar_options o;
	struct group *groups; /* rows.c's */
	size_t ngroups;
	struct resolver *res;
	struct model m;
	size_t *order;
	size_t order_cap;
	size_t shown;     /* entries of order the table shows (rows_order: collapsed groups) */
	uint64_t sel_key; /* the selected row, by key */
	size_t top;
	enum screen screen, back; /* back: where help returns to */
	size_t help_top;          /* the help's first row shown (frame.c keeps it in range) */
	struct path *path;
	bool paused;
	double interval;
	/* themes */
	char **themes;      /* the theme files' names (theme_names()) */
	size_t theme_index; /* which of them is in use; (size_t)-1 none */
	struct theme theme;
	bool color;
	/* the line editor */
	const char *prompt; /* NULL when closed */
	bool editing;       /* e (edit) rather than a (add) */
	struct editor ed;
	bool pasting;                   /* between K_PASTE_BEGIN and K_PASTE_END */
	int paste_added, paste_refused; /* lines of the paste under way */
	char paste_first_refused[64];   /* the first refused line, for the message */
	/* the status line */
	char message[256];
	bool message_error;
	int64_t message_until;
	const char *file; /* -F FILE (argv's, whole), NULL none */
	int names;        /* NAMES_*: what the address columns show */
	bool mpls;        /* e: MPLS label stacks under the path's hops */
	int flows;        /* flows a path view probes (--flows, F), 1 to PATH_FLOWS */
	/* z: the path's AS numbers (aspath.c's; NULL before the first z) */
	struct asn *asn;
	bool asn_shown;
	bool asn_all;           /* --asn-all: special-purpose addresses asked too */
	const char *dns;        /* --dns-server (argv's), NULL: the system's */
	struct columns columns; /* the figures the table shows (--columns, C) */
	size_t window_size;     /* --window N: what w switches m.window to */
	/* the chart (g): of the table or the path view (chart_from), one
	 * target or hop (the selected row; chart_hop's TTL) or all */
	enum screen chart_from;
	bool chart_all;
	int chart_hop;
	/* the capture pane */
	struct capture *cap;
	bool cap_shown, cap_frozen, cap_filtered;
	bool no_raw; /* fell back to datagram sockets: say so once */
	char cap_error[512];
	struct cap_line *cap_ring;
	size_t cap_n, cap_scroll;
	struct timeval cap_opened; /* when the pane last opened (wall clock, as pcap's) */
	size_t cap_skipped;        /* packets from before that, not shown */
	char cap_filter[SONAR_ADDRSTRLEN];
	int term_w, term_h;    /* the terminal at the last frame */
	struct record *rec;    /* --record FILE (record.c's), NULL none */
	struct replay *replay; /* sonar replay (replay.c's): no engine operation */
	int64_t wall_ns; /* a replay: the recording's wall clock now (ns since 1970); 0 live */
	/* alerts and events (watch.c) */
	struct alert_limits limits; /* --alert-loss, --alert-rtt, --alert-down */
	struct eventlog log;        /* the l pane's ring and --log FILE */
	struct oncmd on;            /* --on-alert CMD's children */
	bool bell;                  /* --bell */
	bool bell_owed;             /* an alert came: the next frame rings */
	bool log_shown;             /* l: the event log pane (instead of the capture's) */
	double refresh_s;           /* --resolve-every: names asked again (refresh.c); 0 never */
	int64_t refresh_scan;       /* the rows are next looked over then */
	bool dirty;
	bool quit;
};

/*
 * Start d empty with the dashboard's defaults (colour unless no_color,
 * one flow, no alert thresholds, the default window and columns, the
 * multiping options at 1 s): the live dashboard and the replay alike.
 */
void dash_defaults(struct dash *d, bool color);
/* Monotonic nanoseconds. */
int64_t now_ns(void);
/* Show a message on the status line for a while. */
void say(struct dash *d, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
