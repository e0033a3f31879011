/*
 * columns.h - which figures the table and the path view show, in which
 * order: a set of columns, written as letters (mtr's -o) or names:
 *
 *   L loss   S sent   R recv   N last   A avg   B min (best)   W max (worst)
 *   V stdev  J jitter M p50    P p90    Q p95   U p99
 *
 * "LSRNABWVJ" (the default) and "loss,sent,recv,last,avg,min,max,stdev,
 * jitter" are the same set. The path view leaves Rcv out (its Snt and
 * Loss% say it). --columns and the C key's prompt take a spec; a
 * configuration file can store columns_format()'s text and give it back
 * to columns_parse().
 */
#ifndef SONAR_DASH_COLUMNS_H
#define SONAR_DASH_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

enum column {
	COL_LOSS,
	COL_SENT,
	COL_RECV,
	COL_LAST,
	COL_AVG,
	COL_MIN,
	COL_MAX,
	COL_STDEV,
	COL_JITTER,
	COL_P50,
	COL_P90,
	COL_P95,
	COL_P99,
	COL_COUNT,
};

struct columns {
	int n;                        /* 1 to COL_COUNT */
	unsigned char col[COL_COUNT]; /* enum column, each at most once */
};

/* The default set: LSRNABWVJ. */
void columns_default(struct columns *c);
/*
 * Parse a spec: letters ("LSRNABWVJ", any case) or names separated by
 * commas ("loss,avg,p99"). 0, or -1 with why in err (c unchanged).
 */
int columns_parse(const char *spec, struct columns *c, char *err, size_t cap);
/* The set as letters, the form columns_parse() takes back; returns buf. */
char *columns_format(const struct columns *c, char *buf, size_t cap);
/* A column's heading (the path view's names for min and max: Best, Wrst). */
const char *column_heading(enum column k, bool path);
/* Its width in cells (the heading right-aligned in it). */
int column_width(enum column k);
/* Is it a percentile (worth a sort or a histogram walk)? */
bool column_is_pct(enum column k);
/* The columns c takes, with a space after each (path: without Rcv). */
int columns_total(const struct columns *c, bool path);

#endif
