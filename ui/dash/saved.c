/*
 * saved.c - the saved target list: its place, reading it at start, and
 * writing it (s) without ever leaving a half-written or misplaced file.
 *
 * A write goes to a temporary file beside the real one (mkstemp), is
 * synced, and renamed over it: a reader sees the old list or the new one,
 * never a part. The real one is resolved first: through a symlink to the
 * file it names (replacing the link would cut it off from where it points),
 * and its mode is kept (mkstemp's 0600 would open a private list no wider,
 * but would close a shared one; a 0644 default would open a private one).
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

/* Make the folders above path (mkdir -p of its dirname), 0700 when new. */
static void make_parents(const char *path)
{
	char dir[PATH_MAX];
	char *p;

	if (strlen(path) >= sizeof(dir))
		return;
	memcpy(dir, path, strlen(path) + 1);
	for (p = dir + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(dir, 0700);
		*p = '/';
	}
}

/*
 * The file a save replaces: path itself, or the file its symlink names
 * (also one that does not exist yet, relative to the link's folder).
 * Returns target, which points at path, real (free it) or linked.
 */
static const char *save_target(const char *path, char **real, char *linked, size_t cap)
{
	struct stat st;
	const char *slash = strrchr(path, '/');
	ssize_t got;

	*real = realpath(path, NULL);
	if (*real)
		return *real;
	if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
		return path;
	got = readlink(path, linked, cap - 1);
	if (got <= 0 || (size_t)got >= cap - 1)
		return path;
	linked[got] = '\0';
	if (linked[0] != '/' && slash) {
		char rel[PATH_MAX];

		snprintf(rel, sizeof(rel), "%s", linked);
		if (snprintf(linked, cap, "%.*s/%s", (int)(slash - path), path, rel) >= (int)cap)
			return path;
	}
	return linked;
}

int saved_write(const char *path, const char *const *names, size_t n, char *err, size_t errcap)
{
	char tmp[PATH_MAX + 8], linked[PATH_MAX], *real;
	const char *target = save_target(path, &real, linked, sizeof(linked));
	FILE *f = NULL;
	int fd, rc = -1;
	size_t i;
	mode_t mask = umask(0), mode;
	struct stat st;

	umask(mask);
	/* an existing file keeps its mode (a 0600 list stays private) */
	mode = stat(target, &st) == 0 ? st.st_mode & 07777 : 0666 & ~mask;
	if (strlen(target) + 8 > sizeof(tmp)) {
		snprintf(err, errcap, "%s: path too long", path);
		goto out;
	}
	snprintf(tmp, sizeof(tmp), "%s.XXXXXX", target);
	fd = mkstemp(tmp);
	if (fd >= 0)
		fchmod(fd, mode); /* mkstemp makes it 0600 */
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, errcap, "cannot save to %s: %s", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		goto out;
	}
	/* (once: a list read back has it as its first comment) */
	if (n == 0 || strcmp(names[0], SAVED_HEADER) != 0)
		fprintf(f, "%s\n", SAVED_HEADER);
	for (i = 0; i < n; i++)
		fprintf(f, "%s\n", names[i]);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		snprintf(err, errcap, "cannot save to %s: %s", path, strerror(errno));
		fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, target) != 0) {
		snprintf(err, errcap, "cannot save to %s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	free(real);
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
	make_parents(buf);
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
