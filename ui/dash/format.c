/*
 * format.c - numbers for people, always with a decimal point: nothing here
 * goes through printf's float conversions, which follow LC_NUMERIC.
 */
#include "config.h"
#include "format.h"

#include <stdio.h>
#include <string.h>

#include "fixed.h"

char *fmt_ms(char *buf, size_t cap, double ms)
{
	int decimals;

	if (ms < 0) {
		snprintf(buf, cap, "-");
		return buf;
	}
	decimals = ms < 10 ? 3 : ms < 100 ? 2 : ms < 1000 ? 1 : 0;
	return fmt_fixed(buf, cap, ms, decimals);
}

char *fmt_seconds(char *buf, size_t cap, double s)
{
	size_t n;

	/* %g would write the locale's decimal comma; six decimals (nine
	 * below a millisecond), the zeros after the last digit dropped */
	fmt_fixed(buf, cap, s, s >= 0.001 || s <= -0.001 ? 6 : 9);
	if (!strchr(buf, '.'))
		return buf;
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return buf;
}

char *fmt_loss(char *buf, size_t cap, double loss, bool any)
{
	if (!any) {
		snprintf(buf, cap, "-");
		return buf;
	}
	if (loss >= 1.0) {
		snprintf(buf, cap, "100%%");
		return buf;
	}
	fmt_fixed(buf, cap > 1 ? cap - 1 : cap, loss * 100, 1);
	snprintf(buf + strlen(buf), cap - strlen(buf), "%%");
	return buf;
}

/* The slowest RTT (ms) of each latency band but the last. */
static const double band_tops[LATENCY_BANDS - 1] = {1, 10, 50, 150};

int latency_band(double ms)
{
	int i;

	for (i = 0; i < LATENCY_BANDS - 1; i++)
		if (ms <= band_tops[i])
			return i + 1;
	return LATENCY_BANDS;
}

double latency_band_top(int band)
{
	return band >= 1 && band < LATENCY_BANDS ? band_tops[band - 1] : -1;
}

enum slot rtt_slot(double ms)
{
	if (ms < 50)
		return SLOT_GOOD;
	if (ms < 150)
		return SLOT_WARN;
	return SLOT_BAD;
}

enum slot loss_slot(double loss)
{
	if (loss <= 0)
		return SLOT_GOOD;
	if (loss < 0.05)
		return SLOT_WARN;
	return SLOT_BAD;
}
