/*
 * test_addr.c - address predicates, resolution and text forms.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>

#include "addr.h"
#include "sonar.h"

static void test_is_ipv4(void **state)
{
	(void)state;
	assert_true(sonar_is_ipv4_address("127.0.0.1"));
	assert_true(sonar_is_ipv4_address("255.255.255.255"));
	assert_false(sonar_is_ipv4_address("999.1.1.1")); /* icmplib says yes */
	assert_false(sonar_is_ipv4_address("1.2.3"));
	assert_false(sonar_is_ipv4_address("1.2.3.4.5"));
	assert_false(sonar_is_ipv4_address("01.2.3.4"));
	assert_false(sonar_is_ipv4_address(" 1.2.3.4"));
	assert_false(sonar_is_ipv4_address(""));
	assert_false(sonar_is_ipv4_address(NULL));
	assert_false(sonar_is_ipv4_address("::1"));
}

static void test_is_ipv6(void **state)
{
	(void)state;
	assert_true(sonar_is_ipv6_address("::1"));
	assert_true(sonar_is_ipv6_address("fe80::1%eth0"));
	assert_true(sonar_is_ipv6_address("2001:db8::8:800:200c:417a"));
	assert_true(sonar_is_ipv6_address("::ffff:192.0.2.1"));
	assert_false(sonar_is_ipv6_address("fe80::1%"));
	assert_false(sonar_is_ipv6_address("1::2::3"));
	assert_false(sonar_is_ipv6_address("12345::"));
	assert_false(sonar_is_ipv6_address("127.0.0.1"));
	assert_false(sonar_is_ipv6_address("%eth0"));
	assert_false(sonar_is_ipv6_address("fe80::1%abcdefghijklmnopq"));
	assert_false(sonar_is_ipv6_address(NULL));
}

static void test_is_hostname(void **state)
{
	char longlabel[80], longname[300];

	(void)state;
	assert_true(sonar_is_hostname("localhost"));
	assert_true(sonar_is_hostname("a-b.example.com"));
	assert_true(sonar_is_hostname("example.com."));
	assert_true(sonar_is_hostname("3com.com"));
	assert_false(sonar_is_hostname("-a.example.com"));
	assert_false(sonar_is_hostname("a-.example.com"));
	assert_false(sonar_is_hostname("a..b"));
	assert_false(sonar_is_hostname(".a"));
	assert_false(sonar_is_hostname("foo_bar.com"));
	assert_false(sonar_is_hostname("999.1.1.1"));
	assert_false(sonar_is_hostname("1.2.3.4"));
	assert_false(sonar_is_hostname("::1"));
	assert_false(sonar_is_hostname(""));
	assert_false(sonar_is_hostname("has space"));
	memset(longlabel, 'a', 64);
	longlabel[64] = '\0';
	assert_false(sonar_is_hostname(longlabel));
	longlabel[63] = '\0';
	assert_true(sonar_is_hostname(longlabel));
	memset(longname, 'a', sizeof(longname));
	for (int i = 50; i < 290; i += 50)
		longname[i] = '.';
	longname[254] = '\0';
	assert_false(sonar_is_hostname(longname));
	longname[253] = '\0';
	assert_true(sonar_is_hostname(longname));
}

static void test_resolve_numeric(void **state)
{
	char out[4][SONAR_ADDRSTRLEN];

	(void)state;
	assert_int_equal(sonar_resolve("127.0.0.1", 0, out, 4), 1);
	assert_string_equal(out[0], "127.0.0.1");
	assert_int_equal(sonar_resolve("::1", 6, out, 4), 1);
	assert_string_equal(out[0], "::1");
	assert_int_equal(sonar_resolve("::1", 0, out, 4), 1);
	assert_int_equal(sonar_resolve("", 0, out, 4), SONAR_EINVAL);
	assert_int_equal(sonar_resolve("a b", 0, out, 4), SONAR_ENAMELOOKUP);
	assert_string_equal(sonar_last_error(), "The name 'a b' cannot be resolved");
	assert_int_equal(sonar_resolve("127.0.0.1", 7, out, 4), SONAR_EINVAL);
}

static void test_lookup_family_rule(void **state)
{
	struct addr a;

	(void)state;
	assert_int_equal(addr_lookup("127.0.0.1", 0, true, &a), 0);
	assert_int_equal(addr_family(&a), 4);
	assert_int_equal(addr_lookup("127.0.0.1", 6, true, &a), SONAR_ENAMELOOKUP);
	assert_int_equal(addr_lookup("::1", 4, true, &a), SONAR_ENAMELOOKUP);
	assert_int_equal(addr_lookup("::1", 0, true, &a), 0);
	assert_int_equal(addr_family(&a), 6);
	assert_true(addr_is_loopback(&a));
	/* names refused where only addresses are allowed (sources) */
	assert_int_equal(addr_lookup("localhost", 0, false, &a), SONAR_ENAMELOOKUP);
}

static void test_zone_index(void **state)
{
	struct addr a;
	char text[SONAR_ADDRSTRLEN];

	(void)state;
	assert_int_equal(addr_lookup("fe80::1%lo", 0, true, &a), 0);
	assert_int_equal(((struct sockaddr_in6 *)&a.ss)->sin6_scope_id, 1);
	addr_to_string(&a, text, sizeof(text));
	assert_string_equal(text, "fe80::1%lo");
	assert_int_equal(addr_lookup("fe80::1%1", 0, true, &a), 0);
	addr_to_string(&a, text, sizeof(text));
	assert_string_equal(text, "fe80::1%lo");
}

static void test_equal(void **state)
{
	struct addr a, b;

	(void)state;
	addr_lookup("fe80::1%lo", 0, true, &a);
	addr_from_bytes(&b, 6, ((struct sockaddr_in6 *)&a.ss)->sin6_addr.s6_addr, 0);
	assert_true(addr_equal(&a, &b)); /* no scope on one side: bytes decide */
	addr_from_bytes(&b, 6, ((struct sockaddr_in6 *)&a.ss)->sin6_addr.s6_addr, 99);
	assert_false(addr_equal(&a, &b));
	addr_lookup("127.0.0.1", 0, true, &a);
	addr_lookup("127.0.0.2", 0, true, &b);
	assert_false(addr_equal(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_is_ipv4),
	    cmocka_unit_test(test_is_ipv6),
	    cmocka_unit_test(test_is_hostname),
	    cmocka_unit_test(test_resolve_numeric),
	    cmocka_unit_test(test_lookup_family_rule),
	    cmocka_unit_test(test_zone_index),
	    cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
