/*
 * model.h - the dashboard's targets as rows: what each has seen, built from
 * the engine's events. No curses, no engine calls: pure data.
 *
 * Invariants: rows[] is the manual order (what J/K move); row->engine is
 * the target's index in its group's multiping (row->group: one operation
 * per protocol and port, rows.c's), or -1 while it resolves or after it
 * failed, and maps[group] takes that index back to the row; hist[] is a
 * ring of the last HISTORY_CELLS outcomes, hist_n counting all of them,
 * each in 16 bits (an RTT on a log scale to 0.04%, or lost, or error: what
 * a history strip draws, and what a window's figures and a chart are of;
 * the running statistics keep full precision); done =
 * received + lost (probes whose fate is known), so loss never counts a
 * probe still in flight.
 */
#ifndef SONAR_MODEL_H
#define SONAR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alert.h"
#include "sonar.h"
#include "targets.h"

#define HISTORY_CELLS 512
#define CELL_LOST     (-1.0f) /* no answer in time */
#define CELL_ERROR    (-2.0f) /* an ICMP error answered */

enum row_state { ROW_RESOLVING, ROW_ACTIVE, ROW_FAILED };

struct row {
	uint64_t key; /* stable across moves and sorting */
	char name[TARGET_MAX + 1];
	char address[SONAR_ADDRSTRLEN];
	enum row_state state;
	int protocol; /* SONAR_PROTO_*, and port: as the name says (target_url) */
	int port;
	int group;  /* the operation probing it (rows.c), -1 none */
	int engine; /* index in that operation, -1 none */
	uint64_t sent, received, lost, done;
	int reply_ttl;
	struct sonar_stats st;
	uint16_t hist[HISTORY_CELLS]; /* cells, encoded (model.c) */
	uint64_t hist_n;
	uint64_t interval_mark;     /* hist_n when the interval last changed: older cells
	                             * were probed at another (a chart's times stop there) */
	char error[SONAR_MSGLEN];   /* the last error, "" none */
	enum alert_state alert;     /* alert.c's state machine (watch.c steps it) */
	struct alert_limits limits; /* its own, from the targets file; unset: the global */
	const char *alert_why;      /* in alert or down: "loss", "rtt", "down" (alert.c's) */
	double alert_value;         /* what alert_why names, as last judged */
	char alert_stat[16];        /* for "rtt": the statistic ("avg", "p95") */
	int64_t refresh_ns;         /* its name is asked again then (refresh.c); 0 never */
	bool refreshing;            /* asked again, no answer yet */
	/* where it is in the targets file (s writes it back so) */
	int section; /* its [group]: an index in the model's sections, -1 none */
	char *lead;  /* the comment and blank lines before its line; NULL none (owned) */
	char *rest;  /* what followed it on its line, verbatim; NULL none (owned) */
};

/* A [group name] of the targets file: a header row in the table. */
struct section {
	char *name; /* owned, as the others */
	char *line; /* its line as the file had it */
	char *lead; /* comment and blank lines before it; NULL none */
	bool collapsed;
};

enum sort_key {
	SORT_NONE, /* the manual order */
	SORT_NAME,
	SORT_ADDRESS,
	SORT_LOSS,
	SORT_SENT,
	SORT_RECV,
	SORT_LAST,
	SORT_AVG,
	SORT_MIN,
	SORT_MAX,
	SORT_STDEV,
	SORT_JITTER,
	SORT_COUNT,
};

/* One operation's targets: engine index -> row, NULL when none. */
struct engine_map {
	struct row **rows;
	size_t cap;
};

struct model {
	struct row **rows;
	size_t n;
	size_t cap;
	struct engine_map *maps; /* one per group */
	size_t nmaps;
	uint64_t next_key;
	enum sort_key sort;
	bool reverse;
	size_t window; /* 0: statistics since the start; else over the last window outcomes */
	struct section *sections; /* the targets file's [groups], in its order */
	size_t nsections;
	char *tail; /* the file's lines after its last target or group; NULL none */
};

/* Add a row for name (not yet probed). NULL when out of memory. */
struct row *model_add(struct model *m, const char *name);
/* Remove row i (manual order). */
void model_remove(struct model *m, size_t i);
/* Move row i up (-1) or down (+1) in the manual order, past the next row
 * of its own section; returns its new index. */
size_t model_move(struct model *m, size_t i, int dir);
/* Tie row r to index e of group g's operation. 0, or -1 out of memory. */
int model_bind(struct model *m, struct row *r, int g, int e);
/* Untie r from the engine (r->group = r->engine = -1). */
void model_unbind(struct model *m, struct row *r);
/* The row at index e of group g, or NULL: O(1), once per event. */
struct row *model_by_engine(const struct model *m, int g, int e);
/*
 * Give r a key never used before: what was asked under the old one (a
 * lookup of its old name) no longer finds it.
 */
void model_rekey(struct model *m, struct row *r);
/* Index (manual order) of the row with this key, or (size_t)-1. */
size_t model_index(const struct model *m, uint64_t key);
/* Forget everything the row has seen (r). */
void row_reset(struct row *r);
/* The interval changes now, for every row of m: a chart's time axis holds
 * only for the cells from here on (row->interval_mark). */
void model_mark_interval(struct model *m);
/* A probe left / was answered / was lost / drew an ICMP error. */
void row_sent(struct row *r);
void row_reply(struct row *r, double rtt, int ttl);
void row_lost(struct row *r);
void row_error(struct row *r, const char *message);
/* Loss over the probes whose fate is known, 0.0 - 1.0. */
double row_loss(const struct row *r);
/* The row's statistics as icmplib computes them (rounded). */
void row_host(const struct row *r, struct sonar_host *h);
/* The i-th most recent history cell (0 = newest); false past the start. */
bool row_cell(const struct row *r, size_t i, float *cell);
/*
 * Fill order[] (room for m->n) with row indexes in display order: by
 * section (the rows of no section first, then each in the file's order),
 * within one in the manual order, or sorted by m->sort (m->reverse flips
 * it); ties keep the manual order.
 */
void model_order(const struct model *m, size_t *order);
/*
 * Leave in order[] (n entries, model_order's) what the table shows: a
 * collapsed section's first row only, which stands for its header.
 * Returns the entries left.
 */
size_t model_shown(const struct model *m, size_t *order, size_t n);
/* Add a section; its index, or -1 out of memory. lead may be NULL. */
int model_add_section(struct model *m, const char *name, const char *line, const char *lead);
/* Does display entry i of order start a section (a header line above it)? */
bool model_starts_section(const struct model *m, const size_t *order, size_t i);
/* The section of the row at display entry i, or NULL. */
const struct section *model_section_at(const struct model *m, const size_t *order, size_t i);
/* Name of a sort key for the status line. */
const char *sort_name(enum sort_key k);
/* Free every row. */
void model_free(struct model *m);

#endif
