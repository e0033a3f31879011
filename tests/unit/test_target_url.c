/*
 * test_target_url.c - targets written tcp://HOST:PORT and udp://HOST:PORT
 * (ui/common/target_url.c): what is taken, what is refused and why, and
 * the same check on a targets file's lines (FILE:LINE: why).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sonar.h"
#include "target_url.h"
#include "targets.h"

/* s is taken as protocol, host, port. */
static void good(const char *s, int protocol, const char *host, int port)
{
	struct target_url u;
	char err[256] = "";

	if (target_url_parse(s, &u, err, sizeof(err)) != 0)
		fail_msg("'%s' refused: %s", s, err);
	if (u.protocol != protocol || strcmp(u.host, host) != 0 || u.port != port)
		fail_msg("'%s': got %s '%s' port %d, want %s '%s' port %d", s,
		         target_url_protocol_name(u.protocol), u.host, u.port,
		         target_url_protocol_name(protocol), host, port);
}

/* s is refused, and why says `why` (a part of it). */
static void bad(const char *s, const char *why)
{
	struct target_url u;
	char err[256] = "";

	if (target_url_parse(s, &u, err, sizeof(err)) == 0)
		fail_msg("'%s' taken (%s '%s' port %d), want refused with '%s'", s,
		         target_url_protocol_name(u.protocol), u.host, u.port, why);
	if (!strstr(err, why))
		fail_msg("'%s' refused with '%s', want '%s'", s, err, why);
	assert_int_equal(target_url_check(s, err, sizeof(err)), -1);
}

static void test_good(void **state)
{
	(void)state;
	good("tcp://web.example:443", SONAR_PROTO_TCP, "web.example", 443);
	good("tcp://web.example", SONAR_PROTO_TCP, "web.example", 80);
	good("udp://ns.example:53", SONAR_PROTO_UDP, "ns.example", 53);
	good("udp://ns.example", SONAR_PROTO_UDP, "ns.example", 33434);
	good("tcp://192.0.2.1:22", SONAR_PROTO_TCP, "192.0.2.1", 22);
	good("tcp://[2001:db8::1]:443", SONAR_PROTO_TCP, "2001:db8::1", 443);
	good("udp://[2001:db8::1]", SONAR_PROTO_UDP, "2001:db8::1", 33434);
	good("tcp://[fe80::1%eth0]:80", SONAR_PROTO_TCP, "fe80::1%eth0", 80);
	good("tcp://[::ffff:192.0.2.1]:80", SONAR_PROTO_TCP, "::ffff:192.0.2.1", 80);
	good("tcp://web:1", SONAR_PROTO_TCP, "web", 1);
	good("tcp://web:65535", SONAR_PROTO_TCP, "web", 65535);
	good("tcp://web:00080", SONAR_PROTO_TCP, "web", 80);
	good("TCP://web:80", SONAR_PROTO_TCP, "web", 80); /* schemes have no case */
	good("Udp://web", SONAR_PROTO_UDP, "web", 33434);
	good("tcp://host.example.:8080", SONAR_PROTO_TCP, "host.example.", 8080);
	/* plain hosts are ICMP, as they are (their callers check them) */
	good("web.example", SONAR_PROTO_ICMP, "web.example", 0);
	good("2001:db8::1", SONAR_PROTO_ICMP, "2001:db8::1", 0);
	good("127.0.0.1", SONAR_PROTO_ICMP, "127.0.0.1", 0);
	good("b\u00fccher.example", SONAR_PROTO_ICMP, "b\u00fccher.example", 0);
}

static void test_bad(void **state)
{
	char s[300];

	(void)state;
	/* ports */
	bad("tcp://web:0", "port 0 is out of range (a port is 1-65535)");
	bad("tcp://web:65536", "port 65536 is out of range");
	bad("udp://web:99999999999999999999", "is out of range");
	bad("tcp://web:abc", "port 'abc' is not a number");
	bad("tcp://web:-1", "port '-1' is not a number");
	bad("tcp://web:+80", "port '+80' is not a number");
	bad("tcp://web: 80", "port ' 80' is not a number");
	bad("tcp://web:80/", "port '80/' is not a number");
	bad("tcp://web:", "no port after ':'");
	bad("tcp://[::1]:", "no port after ':'");
	/* schemes */
	bad("http://web:80", "unknown scheme 'http' (tcp:// or udp://; a plain host is ICMP)");
	bad("icmp://web", "unknown scheme 'icmp'");
	bad("tcpx://web", "unknown scheme 'tcpx'");
	bad("://web", "no scheme before '://'");
	/* hosts */
	bad("tcp://", "no host after 'tcp://'");
	bad("udp://:53", "no host after 'udp://'");
	bad("tcp://[]:80", "no host after 'tcp://'");
	bad("tcp://web_1:80", "'web_1' is not a host name or an address");
	bad("tcp://user@web:80", "'user@web' is not a host name or an address");
	bad("tcp://web/:80", "'web/' is not a host name or an address");
	bad("tcp://999.1.1.1", "'999.1.1.1' is not a host name or an address");
	bad("tcp://b\u00fccher.example", "is not a host name or an address");
	/* IPv6: in brackets, and only IPv6 there */
	bad("tcp://2001:db8::1:443", "an IPv6 address goes in brackets: tcp://[ADDRESS]:PORT");
	bad("tcp://::1", "an IPv6 address goes in brackets");
	bad("tcp://[2001:db8::1:443", "'[' without its ']'");
	bad("tcp://[192.0.2.1]:80", "'192.0.2.1' in brackets is not an IPv6 address");
	bad("tcp://[web]:80", "'web' in brackets is not an IPv6 address");
	bad("tcp://[2001:db8::1]443", "'443' after the address: only ':PORT' may follow ']'");
	bad("tcp://[2001:db8::1]]:443", "after the address");
	/* too long, even where a name would fit */
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	memcpy(s, "tcp://", 6);
	bad(s, "too long for a target (at most 255 characters)");
}

/* A targets file with a check: bad URLs are refused with FILE:LINE. */
static void test_file(void **state)
{
	static const char good_file[] = "# mixed\n127.0.0.1\n  tcp://[::1]:443  # web\n"
	                                "udp://localhost\nplain-host\n";
	static const char bad_file[] = "127.0.0.1\n\ntcp://web:65536\n";
	struct target_list l;
	char err[512];
	FILE *f;

	(void)state;
	memset(&l, 0, sizeof(l));
	l.check = target_url_check;
	f = fmemopen((void *)good_file, sizeof(good_file) - 1, "r");
	assert_non_null(f);
	assert_int_equal(targets_read_stream(f, "t.txt", &l, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(l.n, 4);
	assert_string_equal(l.v[1], "tcp://[::1]:443"); /* as written */
	targets_free(&l);
	memset(&l, 0, sizeof(l));
	l.check = target_url_check;
	f = fmemopen((void *)bad_file, sizeof(bad_file) - 1, "r");
	assert_non_null(f);
	assert_int_equal(targets_read_stream(f, "t.txt", &l, err, sizeof(err)), -1);
	fclose(f);
	assert_string_equal(err, "t.txt:3: port 65536 is out of range (a port is 1-65535)");
	targets_free(&l);
	/* without a check (sonar multiping -F), a file is read as before */
	memset(&l, 0, sizeof(l));
	f = fmemopen((void *)bad_file, sizeof(bad_file) - 1, "r");
	assert_non_null(f);
	assert_int_equal(targets_read_stream(f, "t.txt", &l, err, sizeof(err)), 0);
	fclose(f);
	assert_int_equal(l.n, 2);
	targets_free(&l);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(target_url_protocol_name(SONAR_PROTO_ICMP), "ICMP");
	assert_string_equal(target_url_protocol_name(SONAR_PROTO_UDP), "UDP");
	assert_string_equal(target_url_protocol_name(SONAR_PROTO_TCP), "TCP");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_bad),
	    cmocka_unit_test(test_file),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
