/*
 * theme.c - the theme file parser and loader.
 *
 * A theme file is lines of `slot = spec` ('#' starts a comment), where spec
 * is words: attributes (bold dim underline reverse blink italic standout),
 * a foreground colour, and `on` a background colour. Colours are default,
 * black red green yellow blue magenta cyan white, bright-<colour>, or a
 * number 0-255. An optional `name = NAME` line names the theme.
 */
#include "config.h"
#include "theme.h"
#include "kvline.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const slot_names[SLOT_COUNT] = {
    "title",     "header",    "row",       "selected",  "status",   "prompt",   "message",
    "error",     "help",      "good",      "warning",   "bad",      "lost",     "history-1",
    "history-2", "history-3", "history-4", "history-5", "dim",      "series-1", "series-2",
    "series-3",  "series-4",  "series-5",  "series-6",  "series-7", "series-8", "alert",
};

static const char *const color_names[8] = {"black", "red",     "green", "yellow",
                                           "blue",  "magenta", "cyan",  "white"};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
    {"bold", ATTR_BOLD},         {"dim", ATTR_DIM},     {"underline", ATTR_UNDERLINE},
    {"reverse", ATTR_REVERSE},   {"blink", ATTR_BLINK}, {"italic", ATTR_ITALIC},
    {"standout", ATTR_STANDOUT},
};

const char *theme_slot_name(enum slot s)
{
	return s < SLOT_COUNT ? slot_names[s] : "?";
}

/* Set one slot. */
static void set(struct theme *t, enum slot s, short fg, short bg, unsigned attrs)
{
	t->slot[s].fg = fg;
	t->slot[s].bg = bg;
	t->slot[s].attrs = attrs;
}

void theme_default(struct theme *t)
{
	int i;

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "default");
	for (i = 0; i < SLOT_COUNT; i++)
		set(t, (enum slot)i, COLOR_DEFAULT, COLOR_DEFAULT, 0);
	set(t, SLOT_TITLE, 7, 4, ATTR_BOLD);
	set(t, SLOT_HEADER, COLOR_DEFAULT, COLOR_DEFAULT, ATTR_BOLD | ATTR_UNDERLINE);
	set(t, SLOT_SELECTED, COLOR_DEFAULT, COLOR_DEFAULT, ATTR_REVERSE);
	set(t, SLOT_STATUS, 7, 4, 0);
	set(t, SLOT_PROMPT, 3, COLOR_DEFAULT, ATTR_BOLD);
	set(t, SLOT_MESSAGE, 6, COLOR_DEFAULT, 0);
	set(t, SLOT_ERROR, 1, COLOR_DEFAULT, ATTR_BOLD);
	set(t, SLOT_HELP, COLOR_DEFAULT, COLOR_DEFAULT, 0);
	set(t, SLOT_GOOD, 2, COLOR_DEFAULT, 0);
	set(t, SLOT_WARN, 3, COLOR_DEFAULT, 0);
	set(t, SLOT_BAD, 1, COLOR_DEFAULT, ATTR_BOLD);
	set(t, SLOT_LOST, 1, COLOR_DEFAULT, ATTR_BOLD | ATTR_REVERSE);
	set(t, SLOT_HIST1, 2, COLOR_DEFAULT, 0);
	set(t, SLOT_HIST2, 6, COLOR_DEFAULT, 0);
	set(t, SLOT_HIST3, 3, COLOR_DEFAULT, 0);
	set(t, SLOT_HIST4, 5, COLOR_DEFAULT, 0);
	set(t, SLOT_HIST5, 1, COLOR_DEFAULT, 0);
	set(t, SLOT_DIM, COLOR_DEFAULT, COLOR_DEFAULT, ATTR_DIM);
	set(t, SLOT_SERIES1, 2, COLOR_DEFAULT, 0);
	set(t, SLOT_SERIES2, 6, COLOR_DEFAULT, 0);
	set(t, SLOT_SERIES3, 3, COLOR_DEFAULT, 0);
	set(t, SLOT_SERIES4, 5, COLOR_DEFAULT, 0);
	set(t, SLOT_SERIES5, 4, COLOR_DEFAULT, ATTR_BOLD);
	set(t, SLOT_SERIES6, 1, COLOR_DEFAULT, 0);
	set(t, SLOT_SERIES7, 7, COLOR_DEFAULT, ATTR_BOLD);
	set(t, SLOT_SERIES8, 2, COLOR_DEFAULT, ATTR_BOLD);
	set(t, SLOT_ALERT, 7, 1, ATTR_BOLD);
}

void theme_mono(struct theme *t)
{
	int i;

	theme_default(t);
	snprintf(t->name, sizeof(t->name), "mono");
	for (i = 0; i < SLOT_COUNT; i++)
		t->slot[i].fg = t->slot[i].bg = COLOR_DEFAULT;
	t->slot[SLOT_TITLE].attrs = ATTR_REVERSE | ATTR_BOLD;
	t->slot[SLOT_STATUS].attrs = ATTR_REVERSE;
	t->slot[SLOT_LOST].attrs = ATTR_REVERSE | ATTR_BOLD;
	t->slot[SLOT_BAD].attrs = ATTR_BOLD;
	t->slot[SLOT_WARN].attrs = ATTR_UNDERLINE;
	t->slot[SLOT_GOOD].attrs = 0;
	t->slot[SLOT_ALERT].attrs = ATTR_REVERSE | ATTR_BOLD | ATTR_UNDERLINE;
}

/* Parse one colour word; -2 when it is not a colour. */
static int parse_color(const char *w)
{
	int i;
	char *end;
	long v;

	if (strcmp(w, "default") == 0)
		return COLOR_DEFAULT;
	for (i = 0; i < 8; i++) {
		if (strcmp(w, color_names[i]) == 0)
			return i;
		if (strncmp(w, "bright-", 7) == 0 && strcmp(w + 7, color_names[i]) == 0)
			return i + 8;
	}
	if (isdigit((unsigned char)w[0])) {
		v = strtol(w, &end, 10);
		if (*end == '\0' && v >= 0 && v <= 255)
			return (int)v;
	}
	return -2;
}

/* Parse `spec` into a style; NULL when good, else why not. */
static const char *parse_spec(char *spec, struct style *st, char *why, size_t cap)
{
	char *save = NULL, *w;
	bool fg_set = false, bg_next = false, bg_set = false;
	size_t i;

	st->fg = st->bg = COLOR_DEFAULT;
	st->attrs = 0;
	for (w = strtok_r(spec, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		int c;
		bool attr = false;

		if (strcmp(w, "on") == 0) {
			if (bg_next || bg_set)
				return "'on' given twice";
			bg_next = true;
			continue;
		}
		for (i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++) {
			if (strcmp(w, attr_names[i].name) == 0) {
				st->attrs |= attr_names[i].bit;
				attr = true;
			}
		}
		if (attr) {
			if (bg_next)
				return "'on' must be followed by a colour";
			continue;
		}
		c = parse_color(w);
		if (c == -2) {
			snprintf(why, cap, "unknown colour or attribute '%s'", w);
			return why;
		}
		if (bg_next) {
			st->bg = (short)c;
			bg_next = false;
			bg_set = true;
		} else if (fg_set) {
			return "two foreground colours (write 'on' before a background)";
		} else {
			st->fg = (short)c;
			fg_set = true;
		}
	}
	if (bg_next)
		return "'on' must be followed by a colour";
	return NULL;
}

int theme_parse(const char *text, size_t len, const char *file, struct theme *t, char *err,
                size_t errcap)
{
	struct kvline k = {text, len, 0, file, 0, true};
	bool seen[SLOT_COUNT] = {false};
	char buf[512], why[128];
	char *key, *val;
	int got;

	theme_default(t);
	t->name[0] = '\0';
	while ((got = kvline_next(&k, buf, sizeof(buf), &key, &val, "slot = colours", err,
	                          errcap)) > 0) {
		unsigned line = k.line;
		const char *bad;
		int s;

		if (strcmp(key, "name") == 0) {
			if (*val == '\0' || strlen(val) >= sizeof(t->name)) {
				snprintf(err, errcap, "%s:%u: a name of 1 to %zu characters", file,
				         line, sizeof(t->name) - 1);
				return -1;
			}
			snprintf(t->name, sizeof(t->name), "%s", val);
			continue;
		}
		for (s = 0; s < SLOT_COUNT && strcmp(key, slot_names[s]) != 0; s++)
			;
		if (s == SLOT_COUNT) {
			snprintf(err, errcap, "%s:%u: unknown slot '%s'", file, line, key);
			return -1;
		}
		if (seen[s]) {
			snprintf(err, errcap, "%s:%u: slot '%s' set twice", file, line, key);
			return -1;
		}
		seen[s] = true;
		if (*val == '\0') {
			snprintf(err, errcap, "%s:%u: slot '%s' has no colours", file, line, key);
			return -1;
		}
		bad = parse_spec(val, &t->slot[s], why, sizeof(why));
		if (bad) {
			snprintf(err, errcap, "%s:%u: %s", file, line, bad);
			return -1;
		}
	}
	return got;
}

int theme_load(const char *path, struct theme *t, char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n;
	const char *base = strrchr(path, '/');
	int r;

	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(buf, 1, sizeof(buf), f);
	if (n == sizeof(buf) && fgetc(f) != EOF) {
		fclose(f);
		snprintf(err, errcap, "%s: too large for a theme (at most 64 KiB)", path);
		return -1;
	}
	fclose(f);
	r = theme_parse(buf, n, path, t, err, errcap);
	if (r == 0 && t->name[0] == '\0') {
		/* unnamed: the file name without .theme */
		snprintf(t->name, sizeof(t->name), "%s", base ? base + 1 : path);
		if (strlen(t->name) > 6 && strcmp(t->name + strlen(t->name) - 6, ".theme") == 0)
			t->name[strlen(t->name) - 6] = '\0';
	}
	return r;
}

/* The theme directories, in search order (SONAR_THEMES, the user's, the
 * installed ones); returns how many. */
static int theme_dirs(const char *user_dir, const char *dirs[3])
{
	const char *env = getenv("SONAR_THEMES");
	int n = 0;

	if (env && *env)
		dirs[n++] = env;
	if (user_dir && *user_dir)
		dirs[n++] = user_dir;
	dirs[n++] = SONAR_THEMEDIR;
	return n;
}

int theme_find(const char *name, const char *user_dir, struct theme *t, char *err, size_t errcap)
{
	const char *dirs[3];
	char path[PATH_MAX];
	int n = theme_dirs(user_dir, dirs), i;
	const char *c;

	for (c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') {
			snprintf(err, errcap, "invalid theme name '%s'", name);
			return -1;
		}
	if (*name == '\0' || strlen(name) > 60) {
		snprintf(err, errcap, "invalid theme name '%s'", name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		int len = snprintf(path, sizeof(path), "%s/%s.theme", dirs[i], name);
		FILE *f;

		if (len < 0 || (size_t)len >= sizeof(path))
			continue; /* a folder too long to hold a file: none there */
		f = fopen(path, "r");
		if (!f)
			continue;
		fclose(f);
		return theme_load(path, t, err, errcap);
	}
	if (strcmp(name, "default") == 0) {
		theme_default(t);
		return 0;
	}
	if (strcmp(name, "mono") == 0) {
		theme_mono(t);
		return 0;
	}
	snprintf(err, errcap, "no theme '%s' (looked in %s)", name, dirs[n - 1]);
	return -1;
}

/* qsort comparison: "default" first, then by name. */
static int cmp_names(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;

	if (strcmp(x, "default") == 0)
		return -1;
	if (strcmp(y, "default") == 0)
		return 1;
	return strcmp(x, y);
}

char **theme_names(const char *user_dir)
{
	const char *dirs[3];
	int nd = theme_dirs(user_dir, dirs), i;
	char **v = NULL;
	size_t n = 0, cap = 0, k;
	const char *builtin[] = {"default", "mono"};

	for (i = 0; i < nd + 1; i++) {
		DIR *d = i < nd ? opendir(dirs[i]) : NULL;
		struct dirent *de;
		size_t b = 0;

		while (i < nd ? (d && (de = readdir(d))) : b < 2) {
			char name[64];
			size_t l;
			bool dup = false;

			if (i < nd) {
				l = strlen(de->d_name);
				if (l <= 6 || l - 6 >= sizeof(name) ||
				    strcmp(de->d_name + l - 6, ".theme") != 0)
					continue;
				memcpy(name, de->d_name, l - 6);
				name[l - 6] = '\0';
			} else {
				snprintf(name, sizeof(name), "%s", builtin[b++]);
			}
			for (k = 0; k < n; k++)
				dup = dup || strcmp(v[k], name) == 0;
			if (dup)
				continue;
			if (n + 2 > cap) {
				char **nv;

				cap = cap ? cap * 2 : 16;
				nv = realloc(v, cap * sizeof(*nv));
				if (!nv)
					break;
				v = nv;
			}
			v[n] = strdup(name);
			if (v[n])
				n++;
		}
		if (d)
			closedir(d);
	}
	if (!v)
		return NULL;
	v[n] = NULL;
	qsort(v, n, sizeof(*v), cmp_names);
	return v;
}

void theme_names_free(char **names)
{
	size_t i;

	for (i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}
