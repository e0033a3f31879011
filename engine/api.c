/*
 * api.c - icmplib's defaults, option validation, and the blocking calls,
 * which are small select() loops around the engine: one code path.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>

#include "codec.h"
#include "engine.h"
#include "error.h"
#include "sonar.h"

/* Settings common to all three functions. */
static void common_defaults(struct sonar_options *o)
{
	memset(o, 0, sizeof(*o));
	o->id = -1;
	o->source = NULL;
	o->family = 0;
	o->privileged = true;
	o->payload = NULL;
	o->payload_size = 56;
	o->traffic_class = 0;
	o->ttl = 64;
	o->concurrent_tasks = 50;
	o->first_hop = 1;
	o->max_hops = 30;
	o->fast = false;
	o->timeout = 2;
}

void sonar_ping_defaults(struct sonar_options *o)
{
	common_defaults(o);
	o->count = 4;
	o->interval = 1;
}

void sonar_multiping_defaults(struct sonar_options *o)
{
	common_defaults(o);
	o->count = 2;
	o->interval = 0.5;
}

void sonar_traceroute_defaults(struct sonar_options *o)
{
	common_defaults(o);
	o->count = 2;
	o->interval = 0.05;
}

int sonar_options_validate(const struct sonar_options *o)
{
	if (!o)
		return error_set(SONAR_EINVAL, "Invalid options: NULL");
	if (o->count < 0)
		return error_set(SONAR_EINVAL, "Invalid count: %d (must be >= 0)", o->count);
	if (!isfinite(o->interval) || o->interval < 0 || o->interval > 86400)
		return error_set(SONAR_EINVAL, "Invalid interval: %g (must be 0 to 86400 seconds)",
		                 o->interval);
	if (!isfinite(o->timeout) || o->timeout <= 0 || o->timeout > 86400)
		return error_set(SONAR_EINVAL,
		                 "Invalid timeout: %g (must be > 0 and at most 86400 seconds)",
		                 o->timeout);
	if (o->id < -1 || o->id > 65535)
		return error_set(SONAR_EINVAL, "Invalid id: %d (must be 0 to 65535)", o->id);
	if (o->family != 0 && o->family != 4 && o->family != 6)
		return error_set(SONAR_EINVAL, "Invalid family: %d (must be 4 or 6)", o->family);
	if (o->payload_size > CODEC_MAX_PAYLOAD6)
		return error_set(SONAR_EINVAL,
		                 "Invalid payload_size: %zu (at most %d bytes fit one datagram)",
		                 o->payload_size, CODEC_MAX_PAYLOAD4);
	if (o->traffic_class < 0 || o->traffic_class > 255)
		return error_set(SONAR_EINVAL, "Invalid traffic_class: %d (must be 0 to 255)",
		                 o->traffic_class);
	if (o->ttl < 1 || o->ttl > 255)
		return error_set(SONAR_EINVAL, "Invalid ttl: %d (must be 1 to 255)", o->ttl);
	if (o->concurrent_tasks < 1)
		return error_set(SONAR_EINVAL, "Invalid concurrent_tasks: %d (must be >= 1)",
		                 o->concurrent_tasks);
	if (o->first_hop < 1 || o->first_hop > 255)
		return error_set(SONAR_EINVAL, "Invalid first_hop: %d (must be 1 to 255)",
		                 o->first_hop);
	if (o->max_hops < o->first_hop || o->max_hops > 255)
		return error_set(SONAR_EINVAL,
		                 "Invalid max_hops: %d (must be first_hop (%d) to 255)",
		                 o->max_hops, o->first_hop);
	return 0;
}

void sonar_host_clear(struct sonar_host *h)
{
	if (!h)
		return;
	free(h->rtts);
	memset(h, 0, sizeof(*h));
}

const char *sonar_version(void)
{
	return PACKAGE_VERSION;
}

struct blocking {
	struct sonar_host *out; /* ping: one host; traceroute: *hops */
	struct sonar_host **hops;
	size_t *n_hops;
	int status;
	bool done;
};

int sonar_host_copy(struct sonar_host *dst, const struct sonar_host *src)
{
	size_t bytes =
	    src->rtts && src->rtts_count > 0 ? (size_t)src->rtts_count * sizeof(double) : 0;

	*dst = *src;
	dst->rtts = NULL;
	dst->rtts_count = 0;
	if (!bytes)
		return 0;
	dst->rtts = malloc(bytes);
	if (!dst->rtts)
		return error_set(SONAR_ENOMEM, "Out of memory");
	memcpy(dst->rtts, src->rtts, bytes);
	dst->rtts_count = src->rtts_count;
	return 0;
}

/* Copy n hosts into dst. 0 or SONAR_ENOMEM. */
static int copy_hosts(struct sonar_host *dst, const struct sonar_host *src, size_t n)
{
	size_t i;
	int r = 0;

	for (i = 0; i < n; i++)
		if (sonar_host_copy(&dst[i], &src[i]) < 0)
			r = SONAR_ENOMEM;
	return r;
}

/* Copy the one result of a blocking ping, rtts included. */
static void ping_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct blocking *b = user;

	(void)op;
	b->done = true;
	if (n != 1)
		b->status = error_set(SONAR_ENOMEM, "Out of memory");
	else
		b->status = copy_hosts(b->out, hosts, 1);
}

/* Copy the hops of a blocking traceroute. */
static void trace_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct blocking *b = user;

	(void)op;
	b->done = true;
	*b->n_hops = 0;
	*b->hops = calloc(n ? n : 1, sizeof(**b->hops));
	if (!*b->hops) {
		b->status = error_set(SONAR_ENOMEM, "Out of memory");
		return;
	}
	b->status = copy_hosts(*b->hops, hosts, n);
	*b->n_hops = n;
}

/* A blocking multiping's results are written straight into the caller's
 * array as targets finish; nothing to copy. */
static void multi_done_cb(int op, const struct sonar_host *hosts, size_t n, void *user)
{
	struct blocking *b = user;

	(void)op;
	(void)hosts;
	(void)n;
	b->done = true;
}

int sonar_engine_run_once(struct sonar_engine *e, int64_t max_ns)
{
	fd_set rd;
	int maxfd = -1;
	int64_t ns;
	struct timeval tv, *tvp = NULL;

	if (!e)
		return error_set(SONAR_EINVAL, "Invalid argument: no engine");
	ns = sonar_engine_timeout(e);
	if (max_ns >= 0 && (ns < 0 || max_ns < ns))
		ns = max_ns;
	FD_ZERO(&rd);
	sonar_engine_fds(e, &rd, &maxfd);
	if (ns >= 0) {
		tv.tv_sec = (time_t)(ns / 1000000000LL);
		tv.tv_usec = (suseconds_t)((ns % 1000000000LL + 999) / 1000);
		tvp = &tv;
	}
	if (select(maxfd + 1, &rd, NULL, NULL, tvp) < 0) {
		if (errno == EINTR)
			return 0; /* a signal: the caller decides */
		return error_set(SONAR_ESOCKET, "select: %s", strerror(errno));
	}
	return sonar_engine_process(e, &rd);
}

/* Drive e until no operation is left. */
static int run_engine(struct sonar_engine *e)
{
	int r = 0;

	while (r == 0 && sonar_engine_active(e) > 0)
		r = sonar_engine_run_once(e, -1);
	return r;
}

int sonar_ping(const char *address, const struct sonar_options *o, struct sonar_host *out)
{
	struct blocking b = {out, NULL, NULL, 0, false};
	struct sonar_engine *e;
	int r;

	if (!out)
		return error_set(SONAR_EINVAL, "Invalid argument: out is NULL");
	memset(out, 0, sizeof(*out));
	out->reply_ttl = out->icmp_type = out->icmp_code = -1;
	snprintf(out->address, sizeof(out->address), "%s", address ? address : "");
	if (o && o->count == 0)
		return error_set(SONAR_EINVAL, "Invalid count: 0 (a blocking ping needs >= 1)");
	e = sonar_engine_new();
	if (!e)
		return error_set(SONAR_ENOMEM, "Out of memory");
	r = sonar_engine_ping(e, address, o, NULL, ping_done_cb, &b);
	if (r < 0) {
		out->error = r;
		snprintf(out->error_message, sizeof(out->error_message), "%s", sonar_last_error());
		sonar_engine_free(e);
		return r;
	}
	r = run_engine(e);
	sonar_engine_free(e);
	return r < 0 ? r : b.status;
}

int sonar_multiping(const char *const *addresses, size_t n, const struct sonar_options *o,
                    struct sonar_host *hosts)
{
	struct blocking b = {NULL, NULL, NULL, 0, false};
	struct sonar_engine *e;
	int r;

	if (!hosts)
		return error_set(SONAR_EINVAL, "Invalid argument: hosts is NULL");
	if (o && o->count == 0)
		return error_set(SONAR_EINVAL,
		                 "Invalid count: 0 (a blocking multiping needs >= 1)");
	memset(hosts, 0, n * sizeof(*hosts));
	e = sonar_engine_new();
	if (!e)
		return error_set(SONAR_ENOMEM, "Out of memory");
	r = engine_multiping_into(e, addresses, n, o, multi_done_cb, &b, hosts);
	if (r >= 0)
		r = run_engine(e);
	sonar_engine_free(e);
	return r < 0 ? r : 0;
}

int sonar_traceroute(const char *address, const struct sonar_options *o, struct sonar_host **hops,
                     size_t *n_hops)
{
	struct blocking b = {NULL, hops, n_hops, 0, false};
	struct sonar_engine *e;
	int r;

	if (!hops || !n_hops)
		return error_set(SONAR_EINVAL, "Invalid argument: hops and n_hops are required");
	*hops = NULL;
	*n_hops = 0;
	if (o && o->count == 0)
		return error_set(SONAR_EINVAL,
		                 "Invalid count: 0 (a blocking traceroute needs >= 1)");
	e = sonar_engine_new();
	if (!e)
		return error_set(SONAR_ENOMEM, "Out of memory");
	r = sonar_engine_traceroute(e, address, o, NULL, trace_done_cb, &b);
	if (r >= 0)
		r = run_engine(e);
	sonar_engine_free(e);
	if (r >= 0 && !b.done)
		r = error_set(SONAR_ESOCKET, "The traceroute ended without a result");
	return r < 0 ? r : b.status;
}

void sonar_hops_free(struct sonar_host *hops, size_t n)
{
	size_t i;

	for (i = 0; hops && i < n; i++)
		free(hops[i].rtts);
	free(hops);
}
