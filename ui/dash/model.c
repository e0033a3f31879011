/*
 * model.c - rows of the dashboard, from events.
 */
#include "config.h"
#include "model.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "window.h"

struct row *model_add(struct model *m, const char *name)
{
	struct row *r;

	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct row **rows = realloc(m->rows, cap * sizeof(*rows));

		if (!rows)
			return NULL;
		m->rows = rows;
		m->cap = cap;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->key = ++m->next_key;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->group = -1;
	r->engine = -1;
	r->state = ROW_RESOLVING;
	r->section = -1;
	alert_limits_none(&r->limits);
	row_reset(r);
	m->rows[m->n++] = r;
	return r;
}

void model_remove(struct model *m, size_t i)
{
	if (i >= m->n)
		return;
	model_unbind(m, m->rows[i]);
	free(m->rows[i]->lead);
	free(m->rows[i]->rest);
	free(m->rows[i]);
	memmove(&m->rows[i], &m->rows[i + 1], (m->n - i - 1) * sizeof(*m->rows));
	m->n--;
}

size_t model_move(struct model *m, size_t i, int dir)
{
	size_t j;
	struct row *tmp;

	if (i >= m->n)
		return i;
	/* the next row of its own section that way (the table shows each
	 * section apart: a row of another one is not its neighbour there) */
	for (j = i;;) {
		if ((dir < 0 && j == 0) || (dir > 0 && j + 1 >= m->n))
			return i;
		j = dir < 0 ? j - 1 : j + 1;
		if (m->rows[j]->section == m->rows[i]->section)
			break;
	}
	tmp = m->rows[i];
	m->rows[i] = m->rows[j];
	m->rows[j] = tmp;
	return j;
}

int model_bind(struct model *m, struct row *r, int g, int e)
{
	struct engine_map *map;

	if (g < 0 || e < 0)
		return -1;
	if ((size_t)g >= m->nmaps) {
		struct engine_map *v = realloc(m->maps, ((size_t)g + 1) * sizeof(*v));

		if (!v)
			return -1;
		memset(v + m->nmaps, 0, ((size_t)g + 1 - m->nmaps) * sizeof(*v));
		m->maps = v;
		m->nmaps = (size_t)g + 1;
	}
	map = &m->maps[g];
	if ((size_t)e >= map->cap) {
		size_t cap = map->cap ? map->cap : 64;
		struct row **v;

		while (cap <= (size_t)e)
			cap *= 2;
		v = realloc(map->rows, cap * sizeof(*v));
		if (!v)
			return -1;
		memset(v + map->cap, 0, (cap - map->cap) * sizeof(*v));
		map->rows = v;
		map->cap = cap;
	}
	model_unbind(m, r);
	map->rows[e] = r;
	r->group = g;
	r->engine = e;
	return 0;
}

void model_unbind(struct model *m, struct row *r)
{
	if (r->group >= 0 && (size_t)r->group < m->nmaps && r->engine >= 0) {
		struct engine_map *map = &m->maps[r->group];

		if ((size_t)r->engine < map->cap && map->rows[r->engine] == r)
			map->rows[r->engine] = NULL;
	}
	r->group = -1;
	r->engine = -1;
}

struct row *model_by_engine(const struct model *m, int g, int e)
{
	if (g < 0 || (size_t)g >= m->nmaps || e < 0 || (size_t)e >= m->maps[g].cap)
		return NULL;
	return m->maps[g].rows[e];
}

void model_rekey(struct model *m, struct row *r)
{
	r->key = ++m->next_key;
}

size_t model_index(const struct model *m, uint64_t key)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->rows[i]->key == key)
			return i;
	return (size_t)-1;
}

void row_reset(struct row *r)
{
	r->sent = r->received = r->lost = r->done = 0;
	r->reply_ttl = -1;
	sonar_stats_init(&r->st);
	r->hist_n = 0;
	r->interval_mark = 0;
	r->error[0] = '\0';
}

void model_mark_interval(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		m->rows[i]->interval_mark = m->rows[i]->hist_n;
}

/* History cells in 16 bits: lost, error, or an RTT of 0 to 100 s as
 * log2(1 + microseconds) in 1/2048 steps (0.034% apart). */
#define CODE_LOST  0xffffu
#define CODE_ERROR 0xfffeu
#define CODE_STEPS 2048.0

static uint16_t cell_encode(float cell)
{
	double v;

	if (cell == CELL_LOST)
		return CODE_LOST;
	if (cell == CELL_ERROR)
		return CODE_ERROR;
	v = log2(1.0 + (cell > 0 ? (double)cell * 1000.0 : 0.0)) * CODE_STEPS;
	return (uint16_t)(v < CODE_ERROR - 1 ? lround(v) : CODE_ERROR - 1);
}

static float cell_decode(uint16_t code)
{
	if (code == CODE_LOST)
		return CELL_LOST;
	if (code == CODE_ERROR)
		return CELL_ERROR;
	return (float)((exp2((double)code / CODE_STEPS) - 1.0) / 1000.0);
}

/* Append one outcome to the history ring. */
static void push(struct row *r, float cell)
{
	r->hist[r->hist_n % HISTORY_CELLS] = cell_encode(cell);
	r->hist_n++;
}

void row_sent(struct row *r)
{
	r->sent++;
}

void row_reply(struct row *r, double rtt, int ttl)
{
	r->received++;
	r->done++;
	r->reply_ttl = ttl;
	sonar_stats_add(&r->st, rtt);
	push(r, (float)rtt);
	r->error[0] = '\0'; /* answered: whatever failed before is over */
}

void row_lost(struct row *r)
{
	r->lost++;
	r->done++;
	push(r, CELL_LOST);
}

void row_error(struct row *r, const char *message)
{
	r->lost++;
	r->done++;
	push(r, CELL_ERROR);
	snprintf(r->error, sizeof(r->error), "%s", message);
}

double row_loss(const struct row *r)
{
	return r->done ? (double)r->lost / (double)r->done : 0.0;
}

void row_host(const struct row *r, struct sonar_host *h)
{
	memset(h, 0, sizeof(*h));
	sonar_stats_fill(&r->st, r->done, h);
}

bool row_cell(const struct row *r, size_t i, float *cell)
{
	if (i >= r->hist_n || i >= HISTORY_CELLS)
		return false;
	*cell = cell_decode(r->hist[(r->hist_n - 1 - i) % HISTORY_CELLS]);
	return true;
}

/* A row's value for a numeric sort key over the model's window (0: since
 * the start); rows without data sort last. */
static double sort_value(const struct row *r, enum sort_key k, size_t window, bool *none)
{
	struct winstats w;

	*none = false;
	window_stats(r, window, false, &w);
	switch (k) {
	case SORT_LOSS:
		*none = w.done == 0;
		return w.loss;
	case SORT_SENT:
		return (double)w.sent;
	case SORT_RECV:
		return (double)w.received;
	default:
		break;
	}
	if (w.n == 0) {
		*none = true;
		return 0;
	}
	switch (k) {
	case SORT_LAST:
		return w.last;
	case SORT_AVG:
		return w.avg;
	case SORT_MIN:
		return w.min;
	case SORT_MAX:
		return w.max;
	case SORT_STDEV:
		return w.stdev;
	case SORT_JITTER:
		return w.jitter;
	default:
		return 0;
	}
}

/*
 * An address as a sort key: 4 or 6 (IPv4 first), then its bytes, so that
 * 127.1.49.21 comes before 127.1.49.200. 0 when there is no address (a
 * name still resolving, or one that failed). A zone (%eth0) is left out.
 */
static int address_key(const char *text, unsigned char bytes[16])
{
	char a[SONAR_ADDRSTRLEN];
	char *zone;

	snprintf(a, sizeof(a), "%s", text);
	zone = strchr(a, '%');
	if (zone)
		*zone = '\0';
	memset(bytes, 0, 16);
	if (inet_pton(AF_INET, a, bytes) == 1)
		return 4;
	if (inet_pton(AF_INET6, a, bytes) == 1)
		return 6;
	return 0;
}

/* Compare two addresses as numbers (both have one). */
static int cmp_addresses(int fx, const unsigned char *x, int fy, const unsigned char *y)
{
	if (fx != fy)
		return fx < fy ? -1 : 1;
	return memcmp(x, y, 16);
}

/* qsort's context, which it has no argument for. */
static const struct model *sorting;

/* Compare two row indexes under sorting's key; ties by manual order. */
static int cmp_rows(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct row *rx = sorting->rows[x], *ry = sorting->rows[y];
	int c = 0;

	if (rx->section != ry->section) /* sections first: o sorts within them */
		return rx->section < ry->section ? -1 : 1;
	if (sorting->sort == SORT_NONE) {
		c = 0;
	} else if (sorting->sort == SORT_NAME) {
		c = strcmp(rx->name, ry->name);
	} else if (sorting->sort == SORT_ADDRESS) {
		unsigned char bx[16], by[16];
		int fx = address_key(rx->address, bx), fy = address_key(ry->address, by);

		if ((fx == 0) != (fy == 0))
			return fx == 0 ? 1 : -1; /* no address: last, either direction */
		c = fx ? cmp_addresses(fx, bx, fy, by) : 0;
	} else {
		bool nx, ny;
		double vx = sort_value(rx, sorting->sort, sorting->window, &nx);
		double vy = sort_value(ry, sorting->sort, sorting->window, &ny);

		if (nx != ny)
			return nx ? 1 : -1; /* no data: last, either direction */
		c = vx < vy ? -1 : vx > vy ? 1 : 0;
	}
	if (sorting->reverse && sorting->sort != SORT_NONE)
		c = -c;
	if (c == 0)
		c = x < y ? -1 : x > y ? 1 : 0;
	return c;
}

void model_order(const struct model *m, size_t *order)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		order[i] = i;
	if ((m->sort == SORT_NONE && m->nsections == 0) || m->n < 2)
		return;
	sorting = m;
	qsort(order, m->n, sizeof(*order), cmp_rows);
	sorting = NULL;
}

const char *sort_name(enum sort_key k)
{
	static const char *const names[SORT_COUNT] = {
	    "manual", "name", "address", "loss", "sent",  "received",
	    "last",   "avg",  "min",     "max",  "stdev", "jitter",
	};

	return k < SORT_COUNT ? names[k] : "?";
}

size_t model_shown(const struct model *m, size_t *order, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		int s = m->rows[order[i]]->section;

		if (s >= 0 && m->sections[s].collapsed && k > 0 &&
		    m->rows[order[k - 1]]->section == s)
			continue; /* the section's header stands for it */
		order[k++] = order[i];
	}
	return k;
}

int model_add_section(struct model *m, const char *name, const char *line, const char *lead)
{
	struct section *v = realloc(m->sections, (m->nsections + 1) * sizeof(*v));
	struct section *s;

	if (!v)
		return -1;
	m->sections = v;
	s = &v[m->nsections];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	s->line = strdup(line);
	s->lead = lead ? strdup(lead) : NULL;
	if (!s->name || !s->line || (lead && !s->lead)) {
		free(s->name);
		free(s->line);
		free(s->lead);
		return -1;
	}
	return (int)m->nsections++;
}

bool model_starts_section(const struct model *m, const size_t *order, size_t i)
{
	int s = m->rows[order[i]]->section;

	return s >= 0 && (i == 0 || m->rows[order[i - 1]]->section != s);
}

const struct section *model_section_at(const struct model *m, const size_t *order, size_t i)
{
	int s = m->rows[order[i]]->section;

	return s >= 0 && (size_t)s < m->nsections ? &m->sections[s] : NULL;
}

void model_free(struct model *m)
{
	size_t i;

	for (i = 0; i < m->n; i++) {
		free(m->rows[i]->lead);
		free(m->rows[i]->rest);
		free(m->rows[i]);
	}
	for (i = 0; i < m->nsections; i++) {
		free(m->sections[i].name);
		free(m->sections[i].line);
		free(m->sections[i].lead);
	}
	free(m->sections);
	free(m->tail);
	free(m->rows);
	for (i = 0; i < m->nmaps; i++)
		free(m->maps[i].rows);
	free(m->maps);
	memset(m, 0, sizeof(*m));
}
