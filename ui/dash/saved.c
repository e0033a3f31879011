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
	fprintf(f, "# sonar targets, one per line\n");
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

void saved_save(struct dash *d)
{
	char path[PATH_MAX], err[PATH_MAX + 300];
	const char **names;
	size_t i;

	if (save_where(d, path, sizeof(path)) < 0)
		return;
	names = calloc(d->m.n ? d->m.n : 1, sizeof(*names));
	if (!names) {
		say(d, true, "out of memory");
		return;
	}
	for (i = 0; i < d->m.n; i++) {
		const struct row *r = d->m.rows[i];
		char settings[128], *line;

		/* a target's own alert settings follow it, as the file had them */
		watch_settings_text(r, settings, sizeof(settings));
		names[i] = r->name;
		if (settings[0] && (line = malloc(strlen(r->name) + strlen(settings) + 1))) {
			sprintf(line, "%s%s", r->name, settings);
			names[i] = line;
		}
	}
	if (saved_write(path, names, d->m.n, err, sizeof(err)) < 0)
		say(d, true, "%s", err);
	else
		say(d, false, "saved %zu targets to %s", d->m.n, path);
	for (i = 0; i < d->m.n; i++)
		if (names[i] != d->m.rows[i]->name)
			free((char *)names[i]);
	free(names);
}
