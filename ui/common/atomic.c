/*
 * atomic.c - replacing a user's file whole (atomic.h).
 *
 * A write goes to a temporary file beside the real one (mkstemp), is
 * synced, and renamed over it: a reader sees the old file or the new one,
 * never a part. The real one is resolved first: through a symlink to the
 * file it names (replacing the link would cut it off from where it points),
 * and its mode is kept (mkstemp's 0600 would open a private file no wider,
 * but would close a shared one; a 0644 default would open a private one).
 */
#include "config.h"
#include "atomic.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Make the folders above path (mkdir -p of its dirname), 0700 when new. */
void atomic_make_parents(const char *path)
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

int atomic_replace(const char *path, const char *text, size_t len, char *err, size_t errcap)
{
	char tmp[PATH_MAX + 8], linked[PATH_MAX], *real;
	const char *target = save_target(path, &real, linked, sizeof(linked));
	FILE *f = NULL;
	int fd, rc = -1;
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
	if ((len && fwrite(text, 1, len, f) != len) || fflush(f) != 0 || fsync(fileno(f)) != 0) {
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
