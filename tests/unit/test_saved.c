/*
 * test_saved.c - the user's files: where the user's sonar folder is
 * (xdg_config_path), the saved target list (its place, reading it from
 * fixture folders, atomic writes through links keeping the mode, s), and
 * themes found in a deep user folder.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "saved.h"
#include "targets.h"
#include "theme.h"
#include "xdg.h"

/* Set or unset (NULL) an environment variable. */
static void env(const char *name, const char *value)
{
	if (value)
		assert_int_equal(setenv(name, value, 1), 0);
	else
		assert_int_equal(unsetenv(name), 0);
}

/* The user's sonar folder: XDG_CONFIG_HOME, else HOME/.config; never cut. */
static void test_xdg_config_path(void **state)
{
	char buf[PATH_MAX], *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *saved_xdg = xdg ? strdup(xdg) : NULL, *saved_home = home ? strdup(home) : NULL;
	static char longdir[PATH_MAX + 100];

	(void)state;
	env("XDG_CONFIG_HOME", "/x/cfg");
	env("HOME", "/home/u");
	assert_int_equal(xdg_config_path("targets", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/cfg/sonar/targets");
	assert_int_equal(xdg_config_path("themes", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/x/cfg/sonar/themes");
	/* a relative XDG_CONFIG_HOME is ignored (the spec), as is an empty one */
	env("XDG_CONFIG_HOME", "rel/cfg");
	assert_int_equal(xdg_config_path("targets", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.config/sonar/targets");
	env("XDG_CONFIG_HOME", "");
	assert_int_equal(xdg_config_path("targets", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.config/sonar/targets");
	/* unset: HOME */
	env("XDG_CONFIG_HOME", NULL);
	assert_int_equal(xdg_config_path("themes", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/home/u/.config/sonar/themes");
	/* both unset (or HOME empty): nowhere, said as ENOENT */
	env("HOME", NULL);
	errno = 0;
	assert_int_equal(xdg_config_path("targets", buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
	assert_string_equal(buf, "");
	env("HOME", "");
	assert_int_equal(xdg_config_path("targets", buf, sizeof(buf)), -1);
	/* too long for the buffer: an error, not a shorter path */
	memset(longdir, 'a', sizeof(longdir) - 1);
	longdir[0] = '/';
	longdir[sizeof(longdir) - 1] = '\0';
	env("XDG_CONFIG_HOME", longdir);
	errno = 0;
	assert_int_equal(xdg_config_path("targets", buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_string_equal(buf, "");
	/* the exact fit works; one byte less is refused */
	env("XDG_CONFIG_HOME", "/x");
	assert_int_equal(xdg_config_path("targets", buf, sizeof("/x/sonar/targets")), 0);
	assert_string_equal(buf, "/x/sonar/targets");
	assert_int_equal(xdg_config_path("targets", buf, sizeof("/x/sonar/targets") - 1), -1);
	assert_string_equal(buf, "");
	env("XDG_CONFIG_HOME", saved_xdg);
	env("HOME", saved_home);
	free(saved_xdg);
	free(saved_home);
}

/* The saved list, read from fixture folders as XDG_CONFIG_HOME. */
static void test_saved_load(void **state)
{
	char err[512], *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char *saved_xdg = xdg ? strdup(xdg) : NULL, *saved_home = home ? strdup(home) : NULL;
	struct target_list l;

	(void)state;
	memset(&l, 0, sizeof(l));
	env("XDG_CONFIG_HOME", TOP_SRCDIR "/tests/unit/fixtures/xdg");
	assert_int_equal(saved_load(&l, err, sizeof(err)), 1);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "127.0.0.1");
	assert_string_equal(l.v[1], "::1");
	assert_string_equal(l.v[2], "localhost");
	targets_free(&l);
	/* an empty list is a list: read, nothing in it (not the defaults) */
	env("XDG_CONFIG_HOME", TOP_SRCDIR "/tests/unit/fixtures/xdg-empty");
	assert_int_equal(saved_load(&l, err, sizeof(err)), 1);
	assert_int_equal(l.n, 0);
	/* none saved */
	env("XDG_CONFIG_HOME", TOP_SRCDIR "/tests/unit/fixtures/nonexistent");
	assert_int_equal(saved_load(&l, err, sizeof(err)), 0);
	env("XDG_CONFIG_HOME", NULL);
	env("HOME", NULL);
	assert_int_equal(saved_load(&l, err, sizeof(err)), 0);
	/* HOME's when XDG_CONFIG_HOME is not set */
	env("HOME", TOP_SRCDIR "/tests/unit/fixtures/home");
	assert_int_equal(saved_load(&l, err, sizeof(err)), 1);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "127.0.0.2");
	targets_free(&l);
	/* a bad line: FILE:LINE, nothing taken for a target */
	env("XDG_CONFIG_HOME", TOP_SRCDIR "/tests/unit/fixtures/xdg-bad");
	assert_int_equal(saved_load(&l, err, sizeof(err)), -1);
	assert_string_equal(err, TOP_SRCDIR "/tests/unit/fixtures/xdg-bad/sonar/targets:2: one "
	                                    "target per line (found a space inside)");
	targets_free(&l);
	/* a folder in place of the file: why, not "none saved" */
	env("XDG_CONFIG_HOME", TOP_SRCDIR "/tests/unit/fixtures/xdg-dir");
	assert_int_equal(saved_load(&l, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "xdg-dir/sonar/targets: Is a directory"));
	targets_free(&l);
	env("XDG_CONFIG_HOME", saved_xdg);
	env("HOME", saved_home);
	free(saved_xdg);
	free(saved_home);
}

/* s: the table's names, in the manual order, to the saved list (its
 * folders made, private) or the -F file; read back by saved_load. */
static void test_saved_save(void **state)
{
	static struct dash d;
	char dir[] = "/tmp/sonar-saved-XXXXXX", path[300], cmd[300];
	char err[512], *xdg = getenv("XDG_CONFIG_HOME");
	char *saved_xdg = xdg ? strdup(xdg) : NULL;
	static char longfile[PATH_MAX + 10];
	struct target_list l;
	struct stat st;

	(void)state;
	memset(&d, 0, sizeof(d));
	memset(&l, 0, sizeof(l));
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cfg", dir);
	env("XDG_CONFIG_HOME", path);
	assert_non_null(model_add(&d.m, "127.0.0.1"));
	assert_non_null(model_add(&d.m, "::1"));
	assert_non_null(model_add(&d.m, "host.example"));
	model_move(&d.m, 2, -1); /* the manual order: 127.0.0.1 host.example ::1 */
	saved_save(&d);
	snprintf(path, sizeof(path), "saved 3 targets to %s/cfg/sonar/targets", dir);
	assert_string_equal(d.message, path);
	assert_false(d.message_error);
	snprintf(path, sizeof(path), "%s/cfg/sonar", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700); /* made private */
	assert_int_equal(saved_load(&l, err, sizeof(err)), 1);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "127.0.0.1");
	assert_string_equal(l.v[1], "host.example");
	assert_string_equal(l.v[2], "::1");
	targets_free(&l);
	/* with -F: there, not the saved list */
	snprintf(path, sizeof(path), "%s/mine", dir);
	d.file = path;
	saved_save(&d);
	assert_non_null(strstr(d.message, "saved 3 targets to "));
	assert_int_equal(targets_read(path, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 3);
	targets_free(&l);
	/* a -F path too long to name a file: refused, never cut */
	memset(longfile, 'f', sizeof(longfile) - 1);
	longfile[0] = '/';
	d.file = longfile;
	saved_save(&d);
	assert_true(d.message_error);
	assert_string_equal(d.message, "cannot save: the -F path is too long");
	model_free(&d.m);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
	env("XDG_CONFIG_HOME", saved_xdg);
	free(saved_xdg);
}

static void test_save_load(void **state)
{
	char dir[] = "/tmp/sonar-save-XXXXXX", path[256], err[512];
	const char *names[] = {"127.0.0.1", "::1", "fe80::1%lo", "host.example"};
	struct target_list l = {0};
	struct stat st;
	mode_t mask = umask(022);

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/targets", dir);
	assert_int_equal(saved_write(path, names, 4, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644); /* the umask, like a plain create */
	assert_int_equal(targets_read(path, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[2], "fe80::1%lo");
	assert_string_equal(l.v[3], "host.example");
	targets_free(&l);
	/* saving again replaces it whole */
	assert_int_equal(saved_write(path, names, 1, err, sizeof(err)), 0);
	assert_int_equal(targets_read(path, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 1);
	targets_free(&l);
	snprintf(path, sizeof(path), "%s/no/such/dir/targets", dir);
	assert_int_equal(saved_write(path, names, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot save to"));
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
	umask(mask);
}

/* Saving over a symlink writes the file it points to, and keeps its mode. */
static void test_save_link_and_mode(void **state)
{
	char dir[] = "/tmp/sonar-link-XXXXXX", real[256], link[256], err[512];
	const char *names[] = {"127.0.0.1", "::1"};
	struct target_list l = {0};
	struct stat st;
	mode_t mask = umask(022);

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(real, sizeof(real), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(saved_write(real, names, 1, err, sizeof(err)), 0);
	assert_int_equal(chmod(real, 0600), 0);
	assert_int_equal(symlink("real", link), 0);
	assert_int_equal(saved_write(link, names, 2, err, sizeof(err)), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode)); /* still a link */
	assert_int_equal(stat(real, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* a 0600 file stays 0600 */
	assert_int_equal(targets_read(real, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2); /* written through the link */
	targets_free(&l);
	/* a plain file keeps its mode too */
	assert_int_equal(saved_write(real, names, 1, err, sizeof(err)), 0);
	assert_int_equal(stat(real, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* a link to a file that does not exist yet: the file is made where it
	 * points, the link stays a link */
	snprintf(link, sizeof(link), "%s/dangling", dir);
	assert_int_equal(symlink("later", link), 0);
	assert_int_equal(saved_write(link, names, 2, err, sizeof(err)), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	snprintf(real, sizeof(real), "%s/later", dir);
	assert_int_equal(targets_read(real, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 2);
	targets_free(&l);
	snprintf(real, sizeof(real), "rm -rf %s", dir);
	assert_int_equal(system(real), 0);
	umask(mask);
}

/* A theme in a user folder deeper than 512 bytes is found: the folder is
 * the caller's (xdg_config_path), never cut (theme.c cut it at 511). */
static void test_theme_long_dir(void **state)
{
	char dir[PATH_MAX] = "/tmp/sonar-themes-XXXXXX", base[64], err[512], cmd[PATH_MAX + 16];
	struct theme t;
	char **names;
	FILE *f;
	size_t i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(base, sizeof(base), "%s", dir);
	while (strlen(dir) < 700) {
		size_t n = strlen(dir);

		snprintf(dir + n, sizeof(dir) - n, "/%s",
		         "dddddddddddddddddddddddddddddddddddddddddddddddddd");
		assert_int_equal(mkdir(dir, 0700), 0);
	}
	snprintf(cmd, sizeof(cmd), "%s/deep.theme", dir);
	f = fopen(cmd, "w");
	assert_non_null(f);
	fputs("name = deep\nrow = red\n", f);
	fclose(f);
	if (theme_find("deep", dir, &t, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(t.name, "deep");
	names = theme_names(dir);
	assert_non_null(names);
	for (i = 0; names[i] && strcmp(names[i], "deep") != 0; i++)
		;
	assert_non_null(names[i]);
	theme_names_free(names);
	assert_int_equal(theme_find("deep", NULL, &t, err, sizeof(err)), -1);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xdg_config_path),    cmocka_unit_test(test_saved_load),
	    cmocka_unit_test(test_saved_save),         cmocka_unit_test(test_save_load),
	    cmocka_unit_test(test_save_link_and_mode), cmocka_unit_test(test_theme_long_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
