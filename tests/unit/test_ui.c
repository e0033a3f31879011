/*
 * test_ui.c - the program's formatting helpers: fixed-point numbers,
 * CSV fields, and target files.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixed.h"
#include "json.h"
#include "report.h"
#include "targets.h"

static void test_fmt_fixed(void **state)
{
	char buf[48];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int i;

	(void)state;
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 0.043, 3), "0.043");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 12.036, 3), "12.036");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 0.0, 3), "0.000");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 0.1, 2), "0.10");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 1.0, 2), "1.00");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 0.030805, 6), "0.030805");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 1234.5, 0), "1235");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), -2.5, 1), "-2.5");
	assert_string_equal(fmt_fixed(buf, sizeof(buf), 5e12, 3), "5000000000000.000");
	/* nanosecond RTTs: exactly what printf gives */
	for (i = 0; i < 100000; i++) {
		char want[48];
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		v = (double)(x % 5000000000ull) / 1e6; /* d ns -> ms */
		snprintf(want, sizeof(want), "%.6f", v);
		assert_string_equal(fmt_fixed(buf, sizeof(buf), v, 6), want);
	}
}

static void test_csv_field(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	csv_field(f, "plain");
	fputc('|', f);
	csv_field(f, "a,b");
	fputc('|', f);
	csv_field(f, "say \"hi\"");
	fclose(f);
	assert_string_equal(out, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
	free(out);
}

/* JSON strings: the characters JSON needs escaped, escaped; the rest
 * (UTF-8 too) as it is, in runs between them; NULL as an empty string. */
static void test_json_string(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	json_string(f, "plain");
	json_string(f, "say \"hi\" \\ end");
	json_string(f, "a\nb\tc\x7f\x01");
	json_string(f, "b\xc3\xbc"
	               "cher.de");
	json_string(f, "\"");
	json_string(f, "");
	json_string(f, NULL);
	fclose(f);
	assert_string_equal(out, "\"plain\"\"say \\\"hi\\\" \\\\ end\""
	                         "\"a\\nb\\u0009c\\u007f\\u0001\""
	                         "\"b\xc3\xbc"
	                         "cher.de\"\"\\\"\"\"\"\"\"");
	free(out);
}

static void test_targets_file(void **state)
{
	char path[] = "/tmp/sonar-targets-XXXXXX";
	int fd = mkstemp(path);
	struct target_list l = {0};
	const char text[] = "# comment\n\n  127.0.0.1  # v4\n::1\r\n\thost.example\n";
	char err[512];
	FILE *bad;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(targets_read(path, &l, err, sizeof(err)), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "127.0.0.1");
	assert_string_equal(l.v[1], "::1");
	assert_string_equal(l.v[2], "host.example");
	targets_free(&l);
	unlink(path);
	/* errors come back as text, FILE:LINE first; nothing is printed */
	bad = fmemopen((void *)"ok.example\ntwo words\n", 20, "r");
	assert_non_null(bad);
	assert_int_equal(targets_read_stream(bad, "list", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "list:2: one target per line (found a space inside)");
	fclose(bad);
	targets_free(&l);
	assert_int_equal(targets_read("/nonexistent/targets", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/targets: No such file or directory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fmt_fixed),
	    cmocka_unit_test(test_csv_field),
	    cmocka_unit_test(test_json_string),
	    cmocka_unit_test(test_targets_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
