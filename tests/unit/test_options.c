/*
 * test_options.c - icmplib's defaults, option validation and error texts.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "sonar.h"

static void test_defaults(void **state)
{
	struct sonar_options o;

	(void)state;
	sonar_ping_defaults(&o);
	assert_int_equal(o.count, 4);
	assert_true(o.interval == 1 && o.timeout == 2);
	assert_int_equal(o.id, -1);
	assert_null(o.source);
	assert_int_equal(o.family, 0);
	assert_true(o.privileged);
	assert_null(o.payload);
	assert_int_equal(o.payload_size, 56);
	assert_int_equal(o.traffic_class, 0);
	assert_int_equal(o.ttl, 64);
	assert_int_equal(sonar_options_validate(&o), 0);

	sonar_multiping_defaults(&o);
	assert_int_equal(o.count, 2);
	assert_true(o.interval == 0.5 && o.timeout == 2);
	assert_int_equal(o.concurrent_tasks, 50);

	sonar_traceroute_defaults(&o);
	assert_int_equal(o.count, 2);
	assert_true(o.interval == 0.05 && o.timeout == 2);
	assert_int_equal(o.first_hop, 1);
	assert_int_equal(o.max_hops, 30);
	assert_false(o.fast);
	/* icmplib's wait: the whole timeout, unless asked */
	assert_true(o.wait_here == 0 && o.wait_near == 0);
}

/* Expect SONAR_EINVAL with a message naming the parameter. */
static void expect_invalid(const struct sonar_options *o, const char *param)
{
	assert_int_equal(sonar_options_validate(o), SONAR_EINVAL);
	assert_non_null(strstr(sonar_last_error(), param));
}

static void test_invalid(void **state)
{
	struct sonar_options o;

	(void)state;
#define BAD(field, value, name)                                                                    \
	do {                                                                                       \
		sonar_ping_defaults(&o);                                                           \
		o.field = value;                                                                   \
		expect_invalid(&o, name);                                                          \
	} while (0)
	BAD(count, -1, "count");
	BAD(interval, -0.5, "interval");
	BAD(timeout, -1, "timeout");
	BAD(timeout, 0, "timeout");
	BAD(id, 65536, "id");
	BAD(id, -2, "id");
	BAD(family, 5, "family");
	BAD(payload_size, 70000, "payload_size");
	BAD(traffic_class, 256, "traffic_class");
	BAD(ttl, 0, "ttl");
	BAD(ttl, 300, "ttl");
	BAD(concurrent_tasks, 0, "concurrent_tasks");
	BAD(first_hop, 0, "first_hop");
	BAD(max_hops, 0, "max_hops");
	BAD(wait_here, -1, "wait_here");
	BAD(wait_here, 1001, "wait_here");
	BAD(wait_near, -0.5, "wait_near");
	BAD(wait_near, 1e9, "wait_near");
#undef BAD
	sonar_ping_defaults(&o);
	o.interval = 0.0 / 0.0;
	expect_invalid(&o, "interval");
	sonar_ping_defaults(&o);
	o.wait_near = 1.0 / 0.0;
	expect_invalid(&o, "wait_near");
	assert_int_equal(sonar_options_validate(NULL), SONAR_EINVAL);
}

static void test_blocking_ping_refuses(void **state)
{
	struct sonar_options o;
	struct sonar_host h;

	(void)state;
	sonar_ping_defaults(&o);
	o.count = 0;
	assert_int_equal(sonar_ping("127.0.0.1", &o, &h), SONAR_EINVAL);
	o.count = 1;
	o.ttl = 0;
	assert_int_equal(sonar_ping("127.0.0.1", &o, &h), SONAR_EINVAL);
	assert_int_equal(h.error, SONAR_EINVAL);
	o.ttl = 64;
	assert_int_equal(sonar_ping("no such host!", &o, &h), SONAR_ENAMELOOKUP);
	assert_string_equal(sonar_last_error(), "The name 'no such host!' cannot be resolved");
	assert_int_equal(sonar_ping("127.0.0.1", &o, NULL), SONAR_EINVAL);
	sonar_host_clear(&h);
}

static void test_icmp_messages(void **state)
{
	char m[SONAR_MSGLEN];

	(void)state;
	assert_int_equal(error_icmp(4, 3, 1, m, sizeof(m)), SONAR_EUNREACH);
	assert_string_equal(m, "Destination host unreachable");
	error_icmp(4, 3, 9, m, sizeof(m));
	assert_string_equal(m, "Destination network prohibited"); /* not "prohibed" */
	error_icmp(4, 3, 10, m, sizeof(m));
	assert_string_equal(m, "Destination host prohibited");
	error_icmp(4, 3, 13, m, sizeof(m));
	assert_string_equal(m, "Packet filtered");
	error_icmp(4, 3, 15, m, sizeof(m));
	assert_string_equal(m, "Precedence cutoff");
	error_icmp(4, 3, 16, m, sizeof(m));
	assert_string_equal(m, "Destination unreachable, bad code: 16");
	assert_int_equal(error_icmp(4, 11, 0, m, sizeof(m)), SONAR_ETIMEEXCEEDED);
	assert_string_equal(m, "Time to live exceeded");
	error_icmp(4, 11, 1, m, sizeof(m));
	assert_string_equal(m, "Fragment reassembly time exceeded");
	error_icmp(4, 11, 7, m, sizeof(m));
	assert_string_equal(m, "Time exceeded, bad code: 7");
	assert_int_equal(error_icmp(6, 1, 0, m, sizeof(m)), SONAR_EUNREACH);
	assert_string_equal(m, "No route to destination");
	error_icmp(6, 1, 1, m, sizeof(m));
	assert_string_equal(m, "Communication with destination administratively prohibited");
	error_icmp(6, 1, 6, m, sizeof(m));
	assert_string_equal(m, "Reject route to destination");
	error_icmp(6, 1, 7, m, sizeof(m));
	assert_string_equal(m, "Destination unreachable, bad code: 7");
	error_icmp(6, 3, 0, m, sizeof(m));
	assert_string_equal(m, "Hop limit exceeded");
	assert_int_equal(error_icmp(4, 12, 0, m, sizeof(m)), SONAR_EICMP);
	assert_string_equal(m, "Error type: 12, code: 0");
}

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(sonar_strerror(SONAR_EUNREACH), "DestinationUnreachable");
	assert_string_equal(sonar_strerror(SONAR_ETIMEEXCEEDED), "TimeExceeded");
	assert_string_equal(sonar_strerror(SONAR_EPERM), "SocketPermissionError");
	assert_string_equal(sonar_strerror(SONAR_ESOCKADDR), "SocketAddressError");
	assert_string_equal(sonar_strerror(SONAR_ENAMELOOKUP), "NameLookupError");
	assert_string_equal(sonar_strerror(SONAR_ETIMEOUT), "TimeoutExceeded");
	assert_string_equal(sonar_strerror(-999), "UnknownError");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_blocking_ping_refuses),
	    cmocka_unit_test(test_icmp_messages),
	    cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
