/*
 * test_columns.c - the column set (columns.c): letters, names, refusals,
 * and the text a configuration file stores and gives back.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "columns.h"

/* spec parses to the letters want. */
static void parses(const char *spec, const char *want)
{
	struct columns c;
	char err[256], got[COL_COUNT + 1];

	if (columns_parse(spec, &c, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", spec, err);
	assert_string_equal(columns_format(&c, got, sizeof(got)), want);
}

/* spec is refused, saying why (a part of it in err). */
static void refused(const char *spec, const char *why)
{
	struct columns c;
	char err[256], before[COL_COUNT + 1], after[COL_COUNT + 1];

	columns_default(&c);
	columns_format(&c, before, sizeof(before));
	assert_int_equal(columns_parse(spec, &c, err, sizeof(err)), -1);
	if (!strstr(err, why))
		fail_msg("'%s': '%s' does not say '%s'", spec, err, why);
	assert_string_equal(columns_format(&c, after, sizeof(after)), before);
}

static void test_parse(void **state)
{
	struct columns c;
	char buf[COL_COUNT + 1];

	(void)state;
	columns_default(&c);
	assert_string_equal(columns_format(&c, buf, sizeof(buf)), "LSRNABWVJ");
	parses("LSRNABWVJ", "LSRNABWVJ");
	parses("lsrnabwvj", "LSRNABWVJ");
	parses("LAMPQU", "LAMPQU");
	parses("UQPM", "UQPM");
	parses("loss,sent,recv,last,avg,min,max,stdev,jitter", "LSRNABWVJ");
	parses("loss, avg , p50,p90,p95,p99", "LAMPQU");
	parses("avg", "A");
	parses("P99", "U");
	parses("best,worst,received", "BWR");
	parses("L", "L");
	parses("l,a", "LA");
	parses("LSRNABWVJMPQU", "LSRNABWVJMPQU");
	refused("", "no columns");
	refused("LX", "unknown column 'X'");
	refused("LL", "'loss' given twice");
	refused("loss,loss", "given twice");
	refused("loss,,avg", "unknown column ''");
	refused("loss,p42", "unknown column 'p42'");
	refused("a b", "unknown column ' '");
}

static void test_widths(void **state)
{
	struct columns c;
	char err[64];

	(void)state;
	columns_default(&c);
	assert_int_equal(columns_total(&c, false), 69); /* the table's 69 */
	assert_int_equal(columns_total(&c, true), 62);  /* the path view: no Rcv */
	assert_int_equal(columns_parse("LU", &c, err, sizeof(err)), 0);
	assert_int_equal(columns_total(&c, false), 15);
	assert_string_equal(column_heading(COL_MIN, true), "Best");
	assert_string_equal(column_heading(COL_MIN, false), "Min");
	assert_string_equal(column_heading(COL_P99, false), "p99");
	assert_true(column_is_pct(COL_P50) && !column_is_pct(COL_JITTER));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_widths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
