/*
 * test_conffile.c - the configuration file (ui/common/conffile.c): every
 * key, the errors as FILE:LINE: why, and where it is found (XDG).
 */
#include "config.h"

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

#include "conffile.h"

static int parse(const char *text, struct conffile *c, char *err, size_t cap)
{
	err[0] = '\0';
	return conffile_parse(text, strlen(text), "cfg", c, err, cap);
}

static void test_every_key(void **state)
{
	struct conffile c;
	char err[512];

	(void)state;
	assert_int_equal(
	    parse("# my defaults\n"
	          "interval = 0.5\n"
	          "  timeout=2\t\n"
	          "\n"
	          "theme = dark\n"
	          "color = no\n"
	          "dns-server = 192.0.2.53:5353\n"
	          "alert-loss = 5.5\n"
	          "alert-rtt = 150@p95\n"
	          "alert-down = 3\n"
	          "bell = yes\n"
	          "log = /var/tmp/events #1.json\n"
	          "on-alert = notify-send \"$SONAR_TARGET\" # a comment? no: the command's\n"
	          "columns = LSRNA\n"
	          "window = 250\n"
	          "resolve-every = 60",
	          &c, err, sizeof(err)),
	    0);
	assert_int_equal(c.set, (1u << CONF_KEYS) - 1);
	assert_true(c.resolve_every == 60);
	assert_true(c.interval == 0.5 && c.timeout == 2);
	assert_string_equal(c.theme, "dark");
	assert_false(c.color);
	assert_string_equal(c.dns, "192.0.2.53:5353");
	assert_true(c.alert_loss == 5.5);
	assert_string_equal(c.alert_rtt, "150@p95"); /* the dashboard checks it */
	assert_int_equal(conffile_line(&c, CONF_INTERVAL), 2);
	assert_int_equal(conffile_line(&c, CONF_TIMEOUT), 3);
	assert_int_equal(conffile_line(&c, CONF_WINDOW), 15);
	assert_int_equal(c.alert_down, 3);
	assert_true(c.bell);
	assert_string_equal(c.log, "/var/tmp/events #1.json");
	assert_string_equal(c.on_alert,
	                    "notify-send \"$SONAR_TARGET\" # a comment? no: the command's");
	assert_string_equal(c.columns, "LSRNA");
	assert_int_equal(c.window, 250);
	assert_int_equal(parse("", &c, err, sizeof(err)), 0);
	assert_int_equal(c.set, 0);
	assert_int_equal(conffile_line(&c, CONF_WINDOW), 0);
}

static void test_errors(void **state)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
	    {"interval = 1\nintervall = 2\n", "cfg:2: unknown key 'intervall'"},
	    {"theme = a\n\ntheme = b\n", "cfg:3: 'theme' set twice"},
	    {"# c\nbell\n", "cfg:2: expected 'key = value'"},
	    {"bell = maybe\n", "cfg:1: bell: expected yes or no"},
	    {"interval = 0\n", "cfg:1: interval: 0 is out of range (more than 0 to 86400)"},
	    {"interval = soon\n", "cfg:1: interval: 'soon' is not a number of seconds"},
	    {"alert-loss = 101\n", "cfg:1: alert-loss: 101 is out of range (from 0 to 100)"},
	    {"alert-down = 2.5\n", "cfg:1: alert-down: '2.5' is not a whole number"},
	    {"window = 0\n", "cfg:1: window: 0 is out of range (from 1 to 1e+06)"},
	    {"theme =\n", "cfg:1: 'theme' has no value"},
	    {"theme = 0123456789012345678901234567890123456789012345678901234567890123456789\n",
	     "cfg:1: theme: too long (at most 63 characters)"},
	    {"theme = a\rb\n", "cfg:1: a control character"},
	};
	struct conffile c;
	char err[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(cases[i].text, &c, err, sizeof(err)), -1);
		assert_string_equal(err, cases[i].err);
	}
	assert_int_equal(conffile_parse("a\0b", 3, "cfg", &c, err, sizeof(err)), -1);
	assert_string_equal(err, "cfg:1: a NUL byte: not a text file");
}

/* Where the file is: XDG_CONFIG_HOME/sonar/config, else ~/.config/sonar/config. */
static void test_load(void **state)
{
	char dir[] = "/tmp/sonar-conf-XXXXXX", path[256], err[512];
	struct conffile c;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	assert_int_equal(conffile_load(&c, err, sizeof(err)), 0); /* none: fine */
	snprintf(path, sizeof(path), "%s/sonar", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/sonar/config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("theme = mono\nbell = on\n", f);
	fclose(f);
	assert_int_equal(conffile_load(&c, err, sizeof(err)), 1);
	assert_string_equal(c.theme, "mono");
	assert_true(c.bell);
	assert_string_equal(c.path, path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("theme = mono\nbell = loud\n", f);
	fclose(f);
	assert_int_equal(conffile_load(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/sonar/config:2: bell: expected yes or no"));
	unlink(path);
	/* a folder where the file should be: said, not taken for "none" */
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(conffile_load(&c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/sonar/config: Is a directory"));
	rmdir(path);
	/* a relative XDG_CONFIG_HOME is ignored (the spec): HOME's */
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/.config", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.config/sonar", dir);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.config/sonar/config", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("window = 7\n", f);
	fclose(f);
	assert_int_equal(conffile_load(&c, err, sizeof(err)), 1);
	assert_int_equal(c.window, 7);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.config/sonar", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.config", dir);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sonar", dir);
	rmdir(path);
	rmdir(dir);
}

/* Read the whole file at path into buf. */
static void slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* conffile_store: a new file (and its folders), then one key replaced
 * with every other line kept, then one added; what it would refuse to
 * read back it does not write. */
static void test_store(void **state)
{
	char dir[] = "/tmp/sonar-store-XXXXXX", path[512], where[512], err[512], text[1024];
	struct conffile c;
	struct stat st;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(path, sizeof(path), "%s/sonar/config", dir);
	assert_int_equal(conffile_store("columns", "LANU", where, sizeof(where), err, sizeof(err)),
	                 0);
	assert_string_equal(where, path);
	slurp(path, text, sizeof(text));
	assert_string_equal(text, "columns = LANU\n");
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# mine\ntheme = dark\n  columns=LS   # old\n\n# the end", f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(conffile_store("columns", "LSRNA", where, sizeof(where), err, sizeof(err)),
	                 0);
	slurp(path, text, sizeof(text));
	assert_string_equal(text, "# mine\ntheme = dark\ncolumns = LSRNA\n\n# the end\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* its mode kept */
	assert_int_equal(conffile_store("window", "20", where, sizeof(where), err, sizeof(err)), 0);
	assert_int_equal(conffile_load(&c, err, sizeof(err)), 1);
	assert_string_equal(c.columns, "LSRNA");
	assert_int_equal(c.window, 20);
	assert_int_equal(conffile_line(&c, CONF_WINDOW), 6);
	/* refused: nothing written */
	assert_int_equal(conffile_store("window", "0", where, sizeof(where), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "window: 0 is out of range"));
	assert_int_equal(
	    conffile_store("theme", "a\nbell = yes", where, sizeof(where), err, sizeof(err)), -1);
	assert_string_equal(err, "theme: a control character in the value");
	assert_int_equal(conffile_load(&c, err, sizeof(err)), 1);
	assert_int_equal(c.window, 20);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sonar", dir);
	rmdir(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_key),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_store),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
