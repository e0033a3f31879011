/*
 * test_ui.c - the program's formatting helpers: fixed-point numbers,
 * CSV fields, target files, and hops with their AS.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
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

/* A hop for the AS tests: one RTT, no loss. */
static struct sonar_host hop(int distance, const char *address, double *rtt)
{
	struct sonar_host h;

	memset(&h, 0, sizeof(h));
	h.distance = distance;
	snprintf(h.address, sizeof(h.address), "%s", address);
	h.rtts = rtt;
	h.rtts_count = 1;
	h.packets_sent = h.packets_received = 1;
	h.min_rtt = h.avg_rtt = h.max_rtt = *rtt;
	h.is_alive = true;
	h.reply_ttl = 64;
	return h;
}

/* Hops with their AS: text (brackets, one column), report (AS???), JSON (null, asns). */
static void test_asn_output(void **state)
{
	double rtt = 0.5;
	struct sonar_host h[3];
	struct asn_info as[3];
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	h[0] = hop(1, "192.0.2.1", &rtt);
	h[1] = hop(3, "198.51.100.77", &rtt);
	h[2] = hop(4, "203.0.113.9", &rtt);
	memset(as, 0, sizeof(as));
	as[0].count = 1;
	as[0].as[0] = 64500;
	strcpy(as[0].name, "EXAMPLE-NET Example \"Network\"");
	as[2].count = 2;
	as[2].as[0] = 64501;
	as[2].as[1] = 4294967295u;

	f = open_memstream(&out, &len);
	report_trace(f, h, 3, 1, as);
	fclose(f);
	assert_string_equal(out, "  1  192.0.2.1      [AS64500 EXAMPLE-NET]     0.500 ms\n"
	                         "  2  *\n"
	                         "  3  198.51.100.77                            0.500 ms\n"
	                         "  4  203.0.113.9    [AS64501/AS4294967295]    0.500 ms\n");
	free(out);

	f = open_memstream(&out, &len);
	report_trace(f, h, 1, 1, NULL); /* without --asn: as before */
	fclose(f);
	assert_string_equal(out, "  1  192.0.2.1                                  0.500 ms\n");
	free(out);

	f = open_memstream(&out, &len);
	report_mtr(f, "t", h, 3, 1, 1, as);
	fclose(f);
	assert_non_null(strstr(out, "\n  1.|-- AS64500              192.0.2.1 "));
	assert_non_null(strstr(out, "\n  2.|-- AS???                ??? "));
	assert_non_null(strstr(out, "\n  3.|-- AS???                198.51.100.77 "));
	assert_non_null(strstr(out, "\n  4.|-- AS64501/AS4294967295 203.0.113.9 "));
	free(out);

	f = open_memstream(&out, &len);
	json_hop(f, &h[0], &as[0]);
	json_hop(f, &h[1], &as[1]);
	json_hop(f, &h[2], &as[2]);
	fclose(f);
	assert_non_null(strstr(out, "\"asn\": 64500, \"as_name\": \"EXAMPLE-NET Example "
	                            "\\\"Network\\\"\", \"asns\": [64500]}"));
	assert_non_null(strstr(out, "\"asn\": null, \"as_name\": null, \"asns\": []}"));
	assert_non_null(
	    strstr(out, "\"asn\": 64501, \"as_name\": null, \"asns\": [64501, 4294967295]}"));
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

/* A line is read up to TARGETS_LINE_MAX bytes, never whole: a file of no
 * newlines (-F /dev/zero, a binary) is refused there, at once, and what
 * the line held is never in memory. Measured through a pipe of 64 MiB of
 * 'a': the reader must stop early, so the writer sees EPIPE. */
static void test_targets_long_line(void **state)
{
	struct target_list l = {0};
	char err[512], *big;
	size_t i, n = TARGETS_LINE_MAX + 1;
	FILE *f;

	(void)state;
	big = malloc(n + 2);
	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big + n, "\n", 2);
	f = fmemopen(big, n + 1, "r");
	assert_non_null(f);
	assert_int_equal(targets_read_stream(f, "list", &l, err, sizeof(err)), -1);
	assert_string_equal(err, "list:1: a line longer than 4096 bytes: not a targets file");
	fclose(f);
	targets_free(&l);
	/* one byte shorter: the line's own error (too long a name), not that */
	big[TARGETS_LINE_MAX] = '\n';
	f = fmemopen(big, TARGETS_LINE_MAX + 1, "r");
	assert_non_null(f);
	assert_int_equal(targets_read_stream(f, "list", &l, err, sizeof(err)), -1);
	assert_null(strstr(err, "a line longer than"));
	fclose(f);
	targets_free(&l);
	free(big);
	/* 64 MiB without a newline: refused having read at most a block */
	{
		int fds[2];
		pid_t pid;
		int status;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			static char block[65536];

			close(fds[0]);
			signal(SIGPIPE, SIG_DFL);
			memset(block, 'a', sizeof(block));
			for (i = 0; i < 1024; i++)
				if (write(fds[1], block, sizeof(block)) < 0)
					_exit(3); /* EPIPE: the reader stopped early */
			_exit(0);
		}
		close(fds[1]);
		f = fdopen(fds[0], "r");
		assert_non_null(f);
		assert_int_equal(targets_read_stream(f, "pipe", &l, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "a line longer than"));
		fclose(f); /* the writer is then cut off */
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status) == 3));
		targets_free(&l);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fmt_fixed),   cmocka_unit_test(test_csv_field),
	    cmocka_unit_test(test_json_string), cmocka_unit_test(test_targets_file),
	    cmocka_unit_test(test_asn_output),  cmocka_unit_test(test_targets_long_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
