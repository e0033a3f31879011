/*
 * asn_record.c - query names and TXT records of Team Cymru's AS service.
 *
 * The records are untrusted: printable ASCII only, ASN_TXT_MAX bytes at
 * most, AS numbers as plain decimal digits that fit 32 bits, a prefix that
 * parses and holds the address; a record that breaks any rule counts as no
 * record at all, so garbage shows nothing rather than something wrong.
 */
#include "config.h"
#include "asn_record.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ZONE "asn.cymru.com"

/*
 * Parse a plain address into bytes: 4 for IPv4 (IPv4-mapped IPv6 too), 16
 * for IPv6. 0, or -1 (a zone index "%eth0" does not parse).
 */
static int parse_address(const char *s, int *family, uint8_t *out)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	uint8_t b[16];

	if (!s)
		return -1;
	if (inet_pton(AF_INET, s, b) == 1) {
		*family = AF_INET;
		memcpy(out, b, 4);
		return 0;
	}
	if (inet_pton(AF_INET6, s, b) != 1)
		return -1;
	if (memcmp(b, mapped, sizeof(mapped)) == 0) {
		*family = AF_INET;
		memcpy(out, b + 12, 4);
		return 0;
	}
	*family = AF_INET6;
	memcpy(out, b, 16);
	return 0;
}

/* Do the first len bits of a and b agree? */
static bool same_bits(const uint8_t *a, const uint8_t *b, int len)
{
	int full = len / 8, rest = len % 8;

	if (memcmp(a, b, (size_t)full) != 0)
		return false;
	return rest == 0 || ((a[full] ^ b[full]) & (0xff << (8 - rest)) & 0xff) == 0;
}

/* Is addr (of family) inside the prefix written as text/len? */
static bool inside(int family, const uint8_t *addr, const char *text, int len)
{
	uint8_t p[16];

	return inet_pton(family, text, p) == 1 && same_bits(addr, p, len);
}

bool asn_special(const char *address)
{
	/* RFC 6890's registries: what is not globally reachable, and more */
	static const struct {
		const char *prefix;
		int len;
	} v4[] =
	    {
	        {"0.0.0.0", 8},      {"10.0.0.0", 8},    {"100.64.0.0", 10},   {"127.0.0.0", 8},
	        {"169.254.0.0", 16}, {"172.16.0.0", 12}, {"192.0.0.0", 24},    {"192.0.2.0", 24},
	        {"192.168.0.0", 16}, {"198.18.0.0", 15}, {"198.51.100.0", 24}, {"203.0.113.0", 24},
	        {"224.0.0.0", 4},    {"240.0.0.0", 4},
	    },
	  v6[] = {
	      {"::", 127},        {"64:ff9b:1::", 48}, {"100::", 64}, {"2001:2::", 48},
	      {"2001:db8::", 32}, {"3fff::", 20},      {"fc00::", 7}, {"fe80::", 10},
	      {"fec0::", 10},     {"ff00::", 8},
	  };
	uint8_t b[16];
	int family;
	size_t i;

	if (parse_address(address, &family, b) < 0)
		return true;
	if (family == AF_INET) {
		for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++)
			if (inside(AF_INET, b, v4[i].prefix, v4[i].len))
				return true;
		return false;
	}
	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		if (inside(AF_INET6, b, v6[i].prefix, v6[i].len))
			return true;
	return false;
}

int asn_origin_qname(const char *address, char *out, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	char nibbles[64 + 1];
	uint8_t b[16];
	int family, i, n;

	if (!out || cap == 0)
		return -1;
	out[0] = '\0';
	if (parse_address(address, &family, b) < 0)
		return -1;
	if (family == AF_INET) {
		n = snprintf(out, cap, "%u.%u.%u.%u.origin." ZONE, b[3], b[2], b[1], b[0]);
	} else {
		for (i = 0; i < 16; i++) {
			nibbles[4 * i] = hex[b[15 - i] & 0xf];
			nibbles[4 * i + 1] = '.';
			nibbles[4 * i + 2] = hex[b[15 - i] >> 4];
			nibbles[4 * i + 3] = '.';
		}
		nibbles[64] = '\0';
		n = snprintf(out, cap, "%sorigin6." ZONE, nibbles);
	}
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int asn_name_qname(uint32_t as, char *out, size_t cap)
{
	int n;

	if (!out || cap == 0)
		return -1;
	n = snprintf(out, cap, "AS%u." ZONE, (unsigned)as);
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

/* Is every byte printable ASCII (no NUL, no control, nothing above 0x7e)? */
static bool printable(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

/* Trim spaces from both ends of [*s, *s + *len). */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && **s == ' ') {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && (*s)[*len - 1] == ' ')
		(*len)--;
}

/* An AS number: 1-10 decimal digits, no leading zero, 1 to 2^32 - 1. */
static int parse_as(const char *s, size_t len, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 10 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* The AS field: numbers separated by spaces, all valid; keep distinct ones. */
static int parse_as_list(const char *s, size_t len, struct asn_origin *o)
{
	size_t i = 0;

	while (i < len) {
		size_t start, k;
		uint32_t as;
		bool seen = false;

		while (i < len && s[i] == ' ')
			i++;
		if (i == len)
			break;
		for (start = i; i < len && s[i] != ' '; i++)
			;
		if (parse_as(s + start, i - start, &as) < 0)
			return -1;
		for (k = 0; k < (size_t)o->count; k++)
			seen = seen || o->as[k] == as;
		if (!seen && o->count < ASN_LIST_MAX)
			o->as[o->count++] = as;
	}
	return o->count > 0 ? 0 : -1;
}

/* The prefix field: ADDRESS/LEN, LEN 1-32 (IPv4) or 1-128 (IPv6). */
static int parse_prefix(const char *s, size_t len, struct asn_origin *o)
{
	char text[INET6_ADDRSTRLEN];
	const char *slash = memchr(s, '/', len);
	size_t alen, llen, i;
	int bits = 0;

	if (!slash)
		return -1;
	alen = (size_t)(slash - s);
	llen = len - alen - 1;
	if (alen == 0 || alen >= sizeof(text) || llen == 0 || llen > 3 || slash[1] == '0')
		return -1;
	for (i = 0; i < llen; i++) {
		if (slash[1 + i] < '0' || slash[1 + i] > '9')
			return -1;
		bits = bits * 10 + (slash[1 + i] - '0');
	}
	memcpy(text, s, alen);
	text[alen] = '\0';
	if (inet_pton(AF_INET, text, o->prefix) == 1)
		o->family = AF_INET;
	else if (inet_pton(AF_INET6, text, o->prefix) == 1)
		o->family = AF_INET6;
	else
		return -1;
	if (bits > (o->family == AF_INET ? 32 : 128))
		return -1;
	o->prefix_len = bits;
	return 0;
}

int asn_parse_origin(const char *txt, size_t len, struct asn_origin *out)
{
	const char *as, *prefix, *bar, *end = txt + len;
	size_t as_len, prefix_len;

	if (!out)
		return -1;
	memset(out, 0, sizeof(*out));
	if (!txt || len == 0 || len > ASN_TXT_MAX || !printable(txt, len))
		return -1;
	if (!(bar = memchr(txt, '|', len)))
		return -1;
	as = txt;
	as_len = (size_t)(bar - txt);
	prefix = bar + 1;
	bar = memchr(prefix, '|', (size_t)(end - prefix));
	prefix_len = (size_t)((bar ? bar : end) - prefix);
	trim(&as, &as_len);
	trim(&prefix, &prefix_len);
	if (parse_as_list(as, as_len, out) < 0 || parse_prefix(prefix, prefix_len, out) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}

bool asn_prefix_holds(const struct asn_origin *o, const char *address)
{
	uint8_t b[16];
	int family;

	return o && o->count > 0 && parse_address(address, &family, b) == 0 &&
	       family == o->family && o->prefix_len > 0 &&
	       o->prefix_len <= (family == AF_INET ? 32 : 128) &&
	       same_bits(b, o->prefix, o->prefix_len);
}

int asn_parse_name(const char *txt, size_t len, uint32_t as, char *name, size_t cap)
{
	const char *p = txt, *end = txt + len, *first, *bar;
	size_t first_len, n;
	uint32_t got;
	int i;

	if (!name || cap == 0)
		return -1;
	name[0] = '\0';
	if (!txt || len == 0 || len > ASN_TXT_MAX || !printable(txt, len))
		return -1;
	first = txt;
	first_len = 0;
	for (i = 0; i < 4; i++) {
		if (!(bar = memchr(p, '|', (size_t)(end - p))))
			return -1;
		if (i == 0)
			first_len = (size_t)(bar - txt);
		p = bar + 1;
	}
	trim(&first, &first_len);
	if (parse_as(first, first_len, &got) < 0 || got != as)
		return -1;
	n = (size_t)(end - p);
	trim(&p, &n);
	/* Team Cymru ends every name with ", CC", the registry's country */
	if (n >= 4 && p[n - 4] == ',' && p[n - 3] == ' ' && p[n - 2] >= 'A' && p[n - 2] <= 'Z' &&
	    p[n - 1] >= 'A' && p[n - 1] <= 'Z') {
		n -= 4;
		trim(&p, &n);
	}
	if (n == 0)
		return -1;
	if (n > cap - 1)
		n = cap - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

static void append(char *out, size_t cap, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Append to out (of cap, now len long) what fmt says; never overflows. */
static void append(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(out + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*len = (size_t)n >= cap - *len ? cap - 1 : *len + (size_t)n;
}

char *asn_tag(const struct asn_info *info, bool with_name, char *out, size_t cap)
{
	size_t len = 0;
	int i;

	if (!out || cap == 0)
		return out;
	out[0] = '\0';
	if (!info)
		return out;
	for (i = 0; i < info->count && i < ASN_LIST_MAX; i++)
		append(out, cap, &len, "%sAS%u", i ? "/" : "", (unsigned)info->as[i]);
	if (with_name && info->count > 0 && info->name[0]) {
		/* the name's first word: the AS's handle ("EXAMPLE-NET") */
		int word = (int)strcspn(info->name, " ,");

		append(out, cap, &len, " %.*s", word > 24 ? 24 : word, info->name);
	}
	return out;
}
