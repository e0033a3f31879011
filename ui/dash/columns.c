/*
 * columns.c - the column set: its letters, names, headings and widths.
 */
#include "config.h"
#include "columns.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
	char letter;
	const char *name;
	const char *heading, *path_heading;
	int width;
} info[COL_COUNT] = {
    [COL_LOSS] = {'L', "loss", "Loss%", "Loss%", 6},
    [COL_SENT] = {'S', "sent", "Snt", "Snt", 6},
    [COL_RECV] = {'R', "recv", "Rcv", "Rcv", 6},
    [COL_LAST] = {'N', "last", "Last", "Last", 7},
    [COL_AVG] = {'A', "avg", "Avg", "Avg", 7},
    [COL_MIN] = {'B', "min", "Min", "Best", 7},
    [COL_MAX] = {'W', "max", "Max", "Wrst", 7},
    [COL_STDEV] = {'V', "stdev", "StDev", "StDev", 7},
    [COL_JITTER] = {'J', "jitter", "Jitter", "Jitter", 7},
    [COL_P50] = {'M', "p50", "p50", "p50", 7},
    [COL_P90] = {'P', "p90", "p90", "p90", 7},
    [COL_P95] = {'Q', "p95", "p95", "p95", 7},
    [COL_P99] = {'U', "p99", "p99", "p99", 7},
};

void columns_default(struct columns *c)
{
	int i;

	c->n = COL_P50;
	for (i = 0; i < COL_P50; i++)
		c->col[i] = (unsigned char)i;
}

/* The column of a letter (any case) or a name (of len bytes), or -1. */
static int lookup(const char *s, size_t len)
{
	int i;

	for (i = 0; i < COL_COUNT; i++) {
		if (len == 1 && toupper((unsigned char)*s) == info[i].letter)
			return i;
		if (strlen(info[i].name) == len && strncasecmp(s, info[i].name, len) == 0)
			return i;
	}
	/* the names the headings use */
	if (len == 8 && strncasecmp(s, "received", len) == 0)
		return COL_RECV;
	if (len == 4 && strncasecmp(s, "best", len) == 0)
		return COL_MIN;
	if (len == 5 && strncasecmp(s, "worst", len) == 0)
		return COL_MAX;
	return -1;
}

/* Add column k to c, once. 0, or -1 with why. */
static int add(struct columns *c, int k, const char *s, size_t len, char *err, size_t cap)
{
	int i;

	if (k < 0) {
		snprintf(
		    err, cap,
		    "unknown column '%.*s' (letters LSRNABWVJMPQU, or names: loss sent recv last "
		    "avg min max stdev jitter p50 p90 p95 p99)",
		    (int)(len > 20 ? 20 : len), s);
		return -1;
	}
	for (i = 0; i < c->n; i++) {
		if (c->col[i] == k) {
			snprintf(err, cap, "column '%s' given twice", info[k].name);
			return -1;
		}
	}
	c->col[c->n++] = (unsigned char)k;
	return 0;
}

int columns_parse(const char *spec, struct columns *out, char *err, size_t cap)
{
	struct columns c = {0};
	size_t len = strlen(spec), i;

	if (len == 0) {
		snprintf(err, cap, "no columns: give letters (LSRNABWVJ) or names (loss,avg,p99)");
		return -1;
	}
	if (!strchr(spec, ',') && lookup(spec, len) < 0) {
		/* letters */
		for (i = 0; i < len; i++)
			if (add(&c, lookup(spec + i, 1), spec + i, 1, err, cap) < 0)
				return -1;
	} else {
		const char *p = spec;

		while (*p) {
			size_t n = strcspn(p, ",");
			const char *s = p;

			while (n > 0 && *s == ' ')
				s++, n--;
			while (n > 0 && s[n - 1] == ' ')
				n--;
			if (add(&c, lookup(s, n), s, n, err, cap) < 0)
				return -1;
			p = s + n;
			while (*p == ' ')
				p++;
			if (*p == ',')
				p++;
		}
	}
	*out = c;
	return 0;
}

char *columns_format(const struct columns *c, char *buf, size_t cap)
{
	int i;

	if (cap == 0)
		return buf;
	for (i = 0; i < c->n && (size_t)i + 1 < cap; i++)
		buf[i] = info[c->col[i]].letter;
	buf[i] = '\0';
	return buf;
}

const char *column_heading(enum column k, bool path)
{
	return path ? info[k].path_heading : info[k].heading;
}

int column_width(enum column k)
{
	return info[k].width;
}

bool column_is_pct(enum column k)
{
	return k >= COL_P50 && k <= COL_P99;
}

int columns_total(const struct columns *c, bool path)
{
	int i, w = 0;

	for (i = 0; i < c->n; i++)
		if (!(path && c->col[i] == COL_RECV))
			w += info[c->col[i]].width + 1;
	return w;
}
