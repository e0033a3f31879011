/*
 * blocking.c - icmplib's blocking calls: ping, multiping and traceroute,
 * each a small loop around the engine (sonar_engine_run_once()), so there
 * is one code path; and the helpers for their results.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "internal.h"
#include "sonar.h"

/* What a blocking call waits for. */
struct blocking {
	struct sonar_host *out; /* ping: one host; traceroute: *hops */
	struct sonar_host **hops;
	size_t *n_hops;
	int status;
	bool done;
};

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
	if (b->status < 0) {
		/* an error returns nothing for the caller to free */
		sonar_hops_free(*b->hops, n);
		*b->hops = NULL;
		return;
	}
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
	r = ping_multiping_into(e, addresses, n, o, multi_done_cb, &b, hosts);
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
		sonar_host_clear(&hops[i]); /* rtts and MPLS labels */
	free(hops);
}
