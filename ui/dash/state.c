/*
 * state.c - the dashboard's clock and status line.
 */
#include "config.h"
#include "state.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "columns.h"
#include "refresh.h"
#include "window.h"

int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void say(struct dash *d, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->message, sizeof(d->message), fmt, ap);
	va_end(ap);
	d->message_error = error;
	d->message_until = now_ns() + MESSAGE_NS;
	d->dirty = true;
}

void dash_defaults(struct dash *d, bool color)
{
	memset(d, 0, sizeof(*d));
	d->color = color;
	d->flows = 1;
	alert_limits_none(&d->limits);
	sonar_multiping_defaults(&d->o);
	d->o.interval = d->interval = 1;
	d->window_size = WINDOW_DEFAULT;
	columns_default(&d->columns);
	d->refresh_s = REFRESH_DEFAULT_S;
}
