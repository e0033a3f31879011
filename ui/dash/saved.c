/*
 * saved.c - the saved target list: its place, reading it at start, and
 * writing it (s) without ever leaving a half-written or misplaced file
 * (atomic.c replaces it whole).
 */
#include "config.h"
#include "saved.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic.h"
#include "watch.h"
#include "xdg.h"

int saved_path(char *buf, size_t cap)
{
	return xdg_config_path("targets", buf, cap);
}

int saved_load(struct target_list *l, char *err, size_t errcap)
{
	char path[PATH_MAX];
	FILE *f;
	int status;

	if (saved_path(path, sizeof(path)) < 0) {
		if (errno == ENOENT)
			return 0; /* no HOME: nothing was ever saved */
		snprintf(err, errcap,
		         "the saved list's path ($XDG_CONFIG_HOME/sonar/targets) is "
		         "too long");
		return -1;
	}
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	status = targets_read_stream(f, path, l, err, errcap);
	fclose(f);
	return status < 0 ? -1 : 1;
}

int saved_write(const char *path, const char *const *names, size_t n, char *err, size_t errcap)
{
	char *text, *p;
	size_t len = 0, i;
	bool header = n == 0 || strcmp(names[0], SAVED_HEADER) != 0;
	int rc;

	/* (the header once: a list read back has it as its first comment) */
	if (header)
		len += strlen(SAVED_HEADER) + 1;
	for (i = 0; i < n; i++)
		len += strlen(names[i]) + 1;
	if (!(p = text = malloc(len + 1))) {
		snprintf(err, errcap, "cannot save to %s: out of memory", path);
		return -1;
	}
	if (header)
		p += sprintf(p, "%s\n", SAVED_HEADER);
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\n", names[i]);
	rc = atomic_replace(path, text, len, err, errcap);
	free(text);
	return rc;
}

/* Where s saves: the -F file, or the saved list (its folders made). 0, or
 * -1 after saying why not. */
static int save_where(struct dash *d, char *buf, size_t cap)
{
	if (d->file) {
		if (strlen(d->file) >= cap) {
			say(d, true, "cannot save: the -F path is too long");
			return -1;
		}
		memcpy(buf, d->file, strlen(d->file) + 1);
		return 0;
	}
	if (saved_path(buf, cap) < 0) {
		say(d, true, "%s",
		    errno == ENAMETOOLONG
		        ? "cannot save: $XDG_CONFIG_HOME/sonar/targets is too long a path"
		        : "cannot save: no -F file, no HOME nor XDG_CONFIG_HOME");
		return -1;
	}
	atomic_make_parents(buf);
	return 0;
}

int saved_sections(struct model *m, const struct target_list *l)
{
	size_t i;

	for (i = 0; i < l->ngroups; i++)
		if (model_add_section(m, l->groups[i].name, l->groups[i].line, l->groups[i].lead) <
		    0)
			return -1;
	if (l->tail && !(m->tail = strdup(l->tail)))
		return -1;
	return 0;
}

int saved_place(struct model *m, struct row *r, const struct target_extra *x)
{
	if (!x)
		return 0;
	if (x->group >= 0 && (size_t)x->group < m->nsections)
		r->section = x->group;
	if ((x->lead && !(r->lead = strdup(x->lead))) || (x->rest && !(r->rest = strdup(x->rest))))
		return -1;
	return 0;
}

/* Append text's lines (NULL: none) to lines. 0, or -1 out of memory. */
static int add_lines(char ***lines, size_t *n, size_t *cap, const char *text)
{
	const char *p = text;

	while (p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (*n == *cap) {
			size_t c = *cap ? *cap * 2 : 64;
			char **v = realloc(*lines, c * sizeof(*v));

			if (!v)
				return -1;
			*lines = v;
			*cap = c;
		}
		if (!((*lines)[*n] = strndup(p, len)))
			return -1;
		(*n)++;
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* A row's lines: the comments before it, then its own. 0, or -1. */
static int row_lines(char ***lines, size_t *n, size_t *cap, const struct row *r)
{
	char settings[128], *line;
	int rc;

	if (r->lead && add_lines(lines, n, cap, r->lead) < 0)
		return -1;
	/* what followed it in the file, as it was; else its own settings */
	if (!r->rest)
		watch_settings_text(r, settings, sizeof(settings));
	if (asprintf(&line, "%s%s", r->name, r->rest ? r->rest : settings) < 0)
		return -1;
	rc = add_lines(lines, n, cap, line);
	free(line);
	return rc;
}

int saved_lines(const struct model *m, char ***lines, size_t *n)
{
	size_t cap = 0, i;
	int s;

	*lines = NULL;
	*n = 0;
	/* the rows of no group (before the first [group] line), then each
	 * group's header and rows, in the manual order, then the file's end */
	for (s = -1; s < (int)m->nsections; s++) {
		if (s >= 0 &&
		    ((m->sections[s].lead && add_lines(lines, n, &cap, m->sections[s].lead) < 0) ||
		     add_lines(lines, n, &cap, m->sections[s].line) < 0))
			return -1;
		for (i = 0; i < m->n; i++)
			if (m->rows[i]->section == s && row_lines(lines, n, &cap, m->rows[i]) < 0)
				return -1;
	}
	if (m->tail && add_lines(lines, n, &cap, m->tail) < 0)
		return -1;
	return 0;
}

void saved_save(struct dash *d)
{
	char path[PATH_MAX], err[PATH_MAX + 300];
	char **lines;
	size_t i, n;

	if (save_where(d, path, sizeof(path)) < 0)
		return;
	if (saved_lines(&d->m, &lines, &n) < 0)
		say(d, true, "out of memory");
	else if (saved_write(path, (const char *const *)lines, n, err, sizeof(err)) < 0)
		say(d, true, "%s", err);
	else
		say(d, false, "saved %zu targets to %s", d->m.n, path);
	for (i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
