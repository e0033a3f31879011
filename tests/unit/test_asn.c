/*
 * test_asn.c - the AS lookups' pure parts, on hand-written cases: query
 * names (IPv4 octets and IPv6 nibbles, reversed), special addresses,
 * Team Cymru's TXT records (valid, and garbage: huge numbers, missing
 * fields, non-digits, embedded NULs, control bytes, very long records),
 * prefixes, and how a hop's AS is written.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "asn.h"

/* A string literal and its length (NULs inside included, the last excluded). */
#define LIT(s) s, sizeof(s) - 1

/* asn_parse_origin() of a C string (without its NUL). */
static int origin(const char *txt, struct asn_origin *o)
{
	return asn_parse_origin(txt, strlen(txt), o);
}

/* asn_parse_name() of a C string into a name of ASN_NAME_MAX. */
static int name(const char *txt, uint32_t as, char *out)
{
	return asn_parse_name(txt, strlen(txt), as, out, ASN_NAME_MAX);
}

static void test_origin_qname(void **state)
{
	char q[ASN_QNAME_MAX];

	(void)state;
	assert_int_equal(asn_origin_qname("10.202.3.2", q, sizeof(q)), 0);
	assert_string_equal(q, "2.3.202.10.origin.asn.cymru.com");
	assert_int_equal(asn_origin_qname("255.0.0.1", q, sizeof(q)), 0);
	assert_string_equal(q, "1.0.0.255.origin.asn.cymru.com");
	/* IPv4-mapped IPv6 is asked as IPv4 */
	assert_int_equal(asn_origin_qname("::ffff:192.0.2.1", q, sizeof(q)), 0);
	assert_string_equal(q, "1.2.0.192.origin.asn.cymru.com");
	/* IPv6: 32 nibbles, the last first, leading zeros written out */
	assert_int_equal(asn_origin_qname("2001:db8::1", q, sizeof(q)), 0);
	assert_string_equal(q, "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2"
	                       ".origin6.asn.cymru.com");
	assert_int_equal(asn_origin_qname("2606:4700:4700::1111", q, sizeof(q)), 0);
	assert_string_equal(q, "1.1.1.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.4.0.0.7.4.6.0.6.2"
	                       ".origin6.asn.cymru.com");
	assert_int_equal(asn_origin_qname("2606:4700:4700:0:0:0:0:1111", q, sizeof(q)), 0);
	assert_string_equal(q, "1.1.1.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.4.0.0.7.4.6.0.6.2"
	                       ".origin6.asn.cymru.com");
	assert_int_equal(asn_origin_qname("FD30:1::2", q, sizeof(q)), 0); /* lower case */
	assert_string_equal(q, "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1.0.0.0.0.3.d.f"
	                       ".origin6.asn.cymru.com");
	assert_int_equal(strlen(q) + 1, 86); /* the longest there is fits ASN_QNAME_MAX */
	/* not plain addresses */
	strcpy(q, "untouched");
	assert_int_equal(asn_origin_qname("", q, sizeof(q)), -1);
	assert_string_equal(q, "");
	assert_int_equal(asn_origin_qname(NULL, q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("1.2.3", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("1.2.3.4.5", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("1.2.3.256", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname(" 1.2.3.4", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("1.2.3.4 ", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("fe80::1%eth0", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("one.one.one.one", q, sizeof(q)), -1);
	assert_int_equal(asn_origin_qname("1.1.1.1.origin.asn.cymru.com", q, sizeof(q)), -1);
	/* the buffer: exactly enough, one byte short, none */
	assert_int_equal(asn_origin_qname("1.2.3.4", q, 30), 0);
	assert_string_equal(q, "4.3.2.1.origin.asn.cymru.com");
	assert_int_equal(asn_origin_qname("1.2.3.4", q, 28), -1);
	assert_string_equal(q, "");
	assert_int_equal(asn_origin_qname("2001:db8::1", q, 85), -1);
	assert_int_equal(asn_origin_qname("1.2.3.4", q, 0), -1);
	assert_int_equal(asn_origin_qname("1.2.3.4", NULL, 10), -1);
}

static void test_name_qname(void **state)
{
	char q[ASN_QNAME_MAX];

	(void)state;
	assert_int_equal(asn_name_qname(64500, q, sizeof(q)), 0);
	assert_string_equal(q, "AS64500.asn.cymru.com");
	assert_int_equal(asn_name_qname(4294967295u, q, sizeof(q)), 0);
	assert_string_equal(q, "AS4294967295.asn.cymru.com");
	assert_int_equal(asn_name_qname(1, q, 8), -1);
	assert_string_equal(q, "");
}

static void test_special(void **state)
{
	static const char *const special[] = {
	    "10.0.0.1",
	    "10.202.3.2",
	    "172.16.0.1",
	    "172.31.255.255",
	    "192.168.1.1",
	    "127.0.0.1",
	    "127.9.9.9",
	    "169.254.10.1",
	    "100.64.0.1",
	    "100.127.255.255",
	    "192.0.2.1",
	    "198.51.100.7",
	    "203.0.113.9",
	    "0.0.0.0",
	    "0.1.2.3",
	    "224.0.0.1",
	    "239.1.1.1",
	    "240.0.0.1",
	    "255.255.255.255",
	    "198.18.0.1",
	    "198.19.255.255",
	    "192.0.0.9",
	    "::",
	    "::1",
	    "fe80::1",
	    "febf::1",
	    "fc00::1",
	    "fd30:1::2",
	    "2001:db8::1",
	    "2001:db8:ffff::",
	    "3fff::1",
	    "ff02::1",
	    "::ffff:10.0.0.1",
	    "::ffff:127.0.0.1",
	    "100::1",
	    "64:ff9b:1::1",
	    "fec0::1",
	    "fe80::1%eth0",
	    "not an address",
	    "",
	    "2001:2::1",
	};
	static const char *const public[] = {
	    "1.1.1.1",
	    "8.8.8.8",
	    "172.32.0.1",
	    "172.15.255.255",
	    "100.128.0.1",
	    "100.63.255.255",
	    "11.0.0.1",
	    "9.255.255.255",
	    "192.0.3.1",
	    "192.169.0.1",
	    "198.20.0.1",
	    "223.255.255.255",
	    "2606:4700:4700::1111",
	    "2001:4860::8888",
	    "::ffff:1.1.1.1",
	    "2a00:1450::1",
	    "64:ff9b::1.1.1.1",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(special) / sizeof(special[0]); i++)
		if (!asn_special(special[i]))
			fail_msg("%s should be special", special[i]);
	for (i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		if (asn_special(public[i]))
			fail_msg("%s should not be special", public[i]);
	assert_true(asn_special(NULL));
}

static void test_origin_valid(void **state)
{
	struct asn_origin o;

	(void)state;
	assert_int_equal(origin("13335 | 1.1.1.0/24 | US | arin | 2010-07-14", &o), 0);
	assert_int_equal(o.count, 1);
	assert_int_equal(o.as[0], 13335);
	assert_int_equal(o.family, AF_INET);
	assert_int_equal(o.prefix_len, 24);
	assert_memory_equal(o.prefix, "\x01\x01\x01\x00", 4);
	assert_true(asn_prefix_holds(&o, "1.1.1.1"));
	assert_true(asn_prefix_holds(&o, "1.1.1.255"));
	assert_true(asn_prefix_holds(&o, "::ffff:1.1.1.1"));
	assert_false(asn_prefix_holds(&o, "1.1.2.1"));
	assert_false(asn_prefix_holds(&o, "1.1.0.255"));
	assert_false(asn_prefix_holds(&o, "2606:4700::1"));
	assert_false(asn_prefix_holds(&o, "garbage"));
	assert_false(asn_prefix_holds(NULL, "1.1.1.1"));

	/* several origins (MOAS), a repeated one counted once */
	assert_int_equal(origin("64500 64501 64500 | 192.0.2.0/24 | ZZ | lab | 2024-01-01", &o), 0);
	assert_int_equal(o.count, 2);
	assert_int_equal(o.as[0], 64500);
	assert_int_equal(o.as[1], 64501);
	/* more than ASN_LIST_MAX: the first ones are kept */
	assert_int_equal(origin("1 2 3 4 5 6 7 8 9 10 11 | 192.0.2.0/24", &o), 0);
	assert_int_equal(o.count, ASN_LIST_MAX);
	assert_int_equal(o.as[ASN_LIST_MAX - 1], ASN_LIST_MAX);
	/* the largest AS number; no spaces; only two fields */
	assert_int_equal(origin("4294967295|10.0.0.0/8", &o), 0);
	assert_int_equal(o.as[0], 4294967295u);
	assert_true(asn_prefix_holds(&o, "10.255.0.1"));
	/* a prefix that is not on a byte boundary */
	assert_int_equal(origin("64500 | 192.0.2.128/25 | ZZ", &o), 0);
	assert_true(asn_prefix_holds(&o, "192.0.2.200"));
	assert_false(asn_prefix_holds(&o, "192.0.2.127"));
	assert_int_equal(origin("64500 | 192.0.2.7/32", &o), 0);
	assert_true(asn_prefix_holds(&o, "192.0.2.7"));
	assert_false(asn_prefix_holds(&o, "192.0.2.6"));
	/* IPv6 */
	assert_int_equal(origin("13335 | 2606:4700::/32 | US | arin | 2011-11-01", &o), 0);
	assert_int_equal(o.family, AF_INET6);
	assert_int_equal(o.prefix_len, 32);
	assert_true(asn_prefix_holds(&o, "2606:4700:4700::1111"));
	assert_false(asn_prefix_holds(&o, "2606:4701::1"));
	assert_false(asn_prefix_holds(&o, "1.1.1.1"));
	assert_int_equal(origin("64500 | 2001:db8::/127", &o), 0);
	assert_true(asn_prefix_holds(&o, "2001:db8::1"));
	assert_false(asn_prefix_holds(&o, "2001:db8::2"));
	assert_int_equal(origin("64500 | 2001:db8::1/128", &o), 0);
	assert_true(asn_prefix_holds(&o, "2001:db8::1"));
}

static void test_origin_garbage(void **state)
{
	static const char *const bad[] = {
	    "",
	    "13335",                             /* no fields */
	    "13335 1.1.1.0/24",                  /* no bar */
	    " | 1.1.1.0/24 | US",                /* no AS */
	    "4294967296 | 1.1.1.0/24",           /* 2^32 */
	    "99999999999 | 1.1.1.0/24",          /* 11 digits */
	    "18446744073709551617 | 1.1.1.0/24", /* 2^64 + 1: wraps a careless parser */
	    "0 | 1.1.1.0/24",                    /* AS 0: not an origin */
	    "013335 | 1.1.1.0/24",               /* leading zero */
	    "-1 | 1.1.1.0/24",                   /* signs */
	    "+13335 | 1.1.1.0/24",
	    "13335a | 1.1.1.0/24", /* not digits */
	    "AS13335 | 1.1.1.0/24",
	    "0x10 | 1.1.1.0/24",
	    "NA | 1.1.1.0/24",
	    "1e5 | 1.1.1.0/24",
	    "13335 x | 1.1.1.0/24", /* one bad among good */
	    "13335,64500 | 1.1.1.0/24",
	    "13335 | ", /* the prefix */
	    "13335 |",
	    "13335 | | US",
	    "13335 | 1.1.1.0",
	    "13335 | 1.1.1.0/",
	    "13335 | /24",
	    "13335 | 1.1.1.0/33",
	    "13335 | 1.1.1.0/0",
	    "13335 | 1.1.1.0/024",
	    "13335 | 1.1.1.0/2x",
	    "13335 | 1.1.1.0/-8",
	    "13335 | 1.1.1.0/1234",
	    "13335 | 1.1.1.256/24",
	    "13335 | 1.1.1/24",
	    "13335 | 2606::/129",
	    "13335 | 2606:::/32",
	    "13335 | 1.1.1.0/24 trailing",
	    "13335 | 1.1.1.0 /24",
	    "13335 | fe80::%eth0/64",
	    "13335 | 1.1.1.0/24 | \x1b[31mUS", /* control bytes anywhere */
	    "13335\t| 1.1.1.0/24",
	    "13335 | 1.1.1.0/24 | US\r\n",
	    "13335 | 1.1.1.0/24 | caf\xc3\xa9", /* bytes above ASCII */
	    "13335 | 1.1.1.0/24 | \x7f",
	    "||||||||||||||||||||||||||||||||||||||",
	};
	struct asn_origin o;
	char big[4096];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&o, 0xa5, sizeof(o));
		if (origin(bad[i], &o) != -1)
			fail_msg("accepted: \"%s\"", bad[i]);
		assert_int_equal(o.count, 0); /* nothing half-filled */
	}
	/* embedded NULs: in the AS, before the prefix, in the tail */
	assert_int_equal(asn_parse_origin(LIT("13335\0 | 1.1.1.0/24"), &o), -1);
	assert_int_equal(asn_parse_origin(LIT("13\0"
	                                      "335 | 1.1.1.0/24"),
	                                  &o),
	                 -1);
	assert_int_equal(asn_parse_origin(LIT("13335 | 1.1.1.0/24\0"), &o), -1);
	assert_int_equal(asn_parse_origin(LIT("13335 | 1.1.1.0/24 | US\0garbage"), &o), -1);
	assert_int_equal(asn_parse_origin(LIT("\0"), &o), -1);
	/* the length given is the length read (no NUL needed, none looked for) */
	assert_int_equal(asn_parse_origin("13335 | 1.1.1.0/24XXXX", 18, &o), 0);
	assert_int_equal(asn_parse_origin("13335 | 1.1.1.0/24", 0, &o), -1);
	assert_int_equal(asn_parse_origin(NULL, 10, &o), -1);
	assert_int_equal(asn_parse_origin("13335 | 1.1.1.0/24", 18, NULL), -1);
	/* very long: exactly ASN_TXT_MAX is read, one more is refused */
	memset(big, 'x', sizeof(big));
	memcpy(big, "13335 | 1.1.1.0/24 | ", 21);
	assert_int_equal(asn_parse_origin(big, ASN_TXT_MAX, &o), 0);
	assert_int_equal(asn_parse_origin(big, ASN_TXT_MAX + 1, &o), -1);
	assert_int_equal(asn_parse_origin(big, sizeof(big), &o), -1);
	/* an AS field of a thousand numbers: refused for its length, not overflowing */
	for (i = 0; i + 6 < sizeof(big); i += 6)
		memcpy(big + i, "64500 ", 6);
	memcpy(big + sizeof(big) - 16, "| 1.1.1.0/24   ", 15);
	assert_int_equal(asn_parse_origin(big, sizeof(big) - 1, &o), -1);
	/* digits only, as long as a record can be */
	memset(big, '9', ASN_TXT_MAX);
	assert_int_equal(asn_parse_origin(big, ASN_TXT_MAX, &o), -1);
}

static void test_name(void **state)
{
	char n[ASN_NAME_MAX], big[4096];

	(void)state;
	assert_int_equal(name("13335 | US | arin | 2010-07-14 | CLOUDFLARENET, US", 13335, n), 0);
	assert_string_equal(n, "CLOUDFLARENET");
	assert_int_equal(
	    name("16509 | US | arin | 2000-05-04 | AMAZON-02 - Amazon.com, Inc., US", 16509, n), 0);
	assert_string_equal(n, "AMAZON-02 - Amazon.com, Inc.");
	assert_int_equal(name("64500|ZZ|lab|2024|EXAMPLE-NET", 64500, n), 0);
	assert_string_equal(n, "EXAMPLE-NET");
	assert_int_equal(name("64500 | | | | NAME, us", 64500, n), 0); /* not a country */
	assert_string_equal(n, "NAME, us");
	assert_int_equal(name("64500 | ZZ | lab | 2024 | A|B, ZZ", 64500, n), 0);
	assert_string_equal(n, "A|B");
	assert_int_equal(name("64500 | ZZ | lab | 2024 | X, ZZ, ZZ", 64500, n), 0);
	assert_string_equal(n, "X, ZZ"); /* one country is dropped */

	/* garbage: the name stays empty */
	strcpy(n, "untouched");
	assert_int_equal(name("64500 | ZZ | lab | 2024 | OTHER-NET, ZZ", 64501, n), -1);
	assert_string_equal(n, "");
	assert_int_equal(name("64500 | ZZ | lab | 2024", 64500, n), -1); /* 3 bars */
	assert_int_equal(name("64500", 64500, n), -1);
	assert_int_equal(name("", 64500, n), -1);
	assert_int_equal(name("64500 | ZZ | lab | 2024 | ", 64500, n), -1);     /* empty */
	assert_int_equal(name("64500 | ZZ | lab | 2024 | , ZZ", 64500, n), -1); /* only a country */
	assert_int_equal(name("064500 | ZZ | lab | 2024 | X", 64500, n), -1);
	assert_int_equal(name("64500x | ZZ | lab | 2024 | X", 64500, n), -1);
	assert_int_equal(name(" | ZZ | lab | 2024 | X", 64500, n), -1);
	assert_int_equal(name("4294967296 | ZZ | lab | 2024 | X", 0, n), -1);
	assert_int_equal(name("68719476736 | ZZ | lab | 2024 | X", 0, n), -1);
	assert_int_equal(name("64510 | ZZ | lab | 2024 | EVIL\x1b[31mRED, ZZ", 64510, n), -1);
	assert_string_equal(n, "");
	assert_int_equal(name("64510 | ZZ | lab | 2024 | BELL\a", 64510, n), -1);
	assert_int_equal(name("64510 | ZZ | lab | 2024 | caf\xc3\xa9, FR", 64510, n), -1);
	assert_int_equal(asn_parse_name(LIT("64500 | ZZ | lab | 2024 | A\0B"), 64500, n, sizeof(n)),
	                 -1);
	assert_int_equal(asn_parse_name(LIT("64500\0| ZZ | lab | 2024 | AB"), 64500, n, sizeof(n)),
	                 -1);
	assert_int_equal(asn_parse_name(NULL, 5, 64500, n, sizeof(n)), -1);
	assert_int_equal(asn_parse_name("64500 | a | b | c | d", 21, 64500, NULL, 10), -1);
	assert_int_equal(asn_parse_name("64500 | a | b | c | d", 21, 64500, n, 0), -1);

	/* long names are cut to the buffer; too long records are refused */
	memset(big, 'N', sizeof(big));
	memcpy(big, "64500 | ZZ | lab | 2024 | ", 26);
	assert_int_equal(asn_parse_name(big, 300, 64500, n, sizeof(n)), 0);
	assert_int_equal(strlen(n), ASN_NAME_MAX - 1);
	assert_int_equal(asn_parse_name(big, 300, 64500, n, 5), 0);
	assert_string_equal(n, "NNNN");
	assert_int_equal(asn_parse_name(big, ASN_TXT_MAX, 64500, n, sizeof(n)), 0);
	assert_int_equal(asn_parse_name(big, ASN_TXT_MAX + 1, 64500, n, sizeof(n)), -1);
	assert_int_equal(asn_parse_name(big, sizeof(big), 64500, n, sizeof(n)), -1);
	assert_string_equal(n, "");
}

static void test_tag(void **state)
{
	struct asn_info i;
	char t[96];

	(void)state;
	memset(&i, 0, sizeof(i));
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "");
	assert_string_equal(asn_tag(NULL, true, t, sizeof(t)), "");
	strcpy(i.name, "IGNORED"); /* a name without an AS is not shown */
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "");
	i.count = 1;
	i.as[0] = 64500;
	strcpy(i.name, "EXAMPLE-NET Example Network");
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "AS64500 EXAMPLE-NET");
	assert_string_equal(asn_tag(&i, false, t, sizeof(t)), "AS64500");
	strcpy(i.name, "AMAZON-02 - Amazon.com, Inc.");
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "AS64500 AMAZON-02");
	strcpy(i.name, "CLOUDFLARENET,X");
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "AS64500 CLOUDFLARENET");
	strcpy(i.name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "AS64500 ABCDEFGHIJKLMNOPQRSTUVWX");
	i.name[0] = '\0';
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "AS64500");
	i.count = 2;
	i.as[1] = 64502;
	strcpy(i.name, "EXAMPLE-NET");
	assert_string_equal(asn_tag(&i, true, t, sizeof(t)), "AS64500/AS64502 EXAMPLE-NET");
	/* small buffers are cut, never overrun */
	assert_string_equal(asn_tag(&i, true, t, 8), "AS64500");
	assert_string_equal(asn_tag(&i, true, t, 5), "AS64");
	assert_string_equal(asn_tag(&i, true, t, 1), "");
	for (i.count = 0; i.count < ASN_LIST_MAX; i.count++)
		i.as[i.count] = 4294967295u;
	assert_int_equal(strlen(asn_tag(&i, true, t, sizeof(t))), sizeof(t) - 1);
	i.count = 1000; /* a count out of range reads no further than the list */
	asn_tag(&i, false, t, sizeof(t));
}

/* Special addresses are never asked (no query is pending afterwards). */
static void test_lookup_special(void **state)
{
	char err[256];
	struct asn *a = asn_new("127.0.0.1:9", false, 0.1, err, sizeof(err));
	struct asn_info info;
	const char *why;

	(void)state;
	assert_non_null(a);
	asn_lookup(a, "10.0.0.1", &info);
	assert_int_equal(info.count, 0);
	asn_lookup(a, "fe80::1%eth0", &info);
	asn_lookup(a, "", &info);
	asn_lookup(a, "an address longer than any address can be, by far, by very far", &info);
	assert_int_equal(asn_wait(a, 0.1, &why), 0);
	asn_free(a);
	assert_null(asn_new("not a server", false, 1, err, sizeof(err)));
	assert_non_null(strstr(err, "invalid DNS server 'not a server'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_origin_qname),
	    cmocka_unit_test(test_name_qname),
	    cmocka_unit_test(test_special),
	    cmocka_unit_test(test_origin_valid),
	    cmocka_unit_test(test_origin_garbage),
	    cmocka_unit_test(test_name),
	    cmocka_unit_test(test_tag),
	    cmocka_unit_test(test_lookup_special),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
