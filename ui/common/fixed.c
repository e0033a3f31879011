/*
 * fixed.c - numbers with a fixed number of decimals, without printf's slow
 * float conversion (the JSON writer and the dashboard's columns share it).
 */
#include "config.h"
#include "fixed.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

char *fmt_fixed(char *buf, size_t cap, double x, int decimals)
{
	static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	char digits[32];
	int n = 0, i;
	long long v;
	bool neg;

	if (!isfinite(x) || fabs(x) >= 1e9 || decimals < 0 || decimals > 9) {
		snprintf(buf, cap, "%.*f", decimals < 0 ? 0 : decimals, x);
		return buf;
	}
	v = llround(x * scale[decimals]);
	neg = v < 0;
	if (neg)
		v = -v;
	do { /* digits, least significant first */
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 || n <= decimals);
	i = 0;
	if (neg && (size_t)i + 1 < cap)
		buf[i++] = '-';
	while (n > 0 && (size_t)i + 2 < cap) {
		buf[i++] = digits[--n];
		if (n == decimals && decimals > 0)
			buf[i++] = '.';
	}
	buf[i] = '\0';
	return buf;
}

void put_fixed(FILE *f, double x, int decimals)
{
	char buf[48];

	fputs(fmt_fixed(buf, sizeof(buf), x, decimals), f);
}
