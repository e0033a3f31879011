/*
 * ping.c - starting a ping (one target) or a multiping (many, or none yet
 * for a continuous one that targets join later).
 */
#include "config.h"

#include <stdlib.h>

#include "error.h"
#include "internal.h"

int sonar_engine_ping(struct sonar_engine *e, const char *address, const struct sonar_options *o,
                      sonar_event_cb on_event, sonar_done_cb on_done, void *user)
{
	struct op *op;
	struct target *t;
	int r = op_check_start(e, o);

	if (r < 0)
		return r;
	op = op_new(e, &op_kind_ping, o, 1, NULL);
	if (!op || !(t = op_add(op, address, o->ttl, false))) {
		if (op)
			op_free(op);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	r = target_setup(e, op, t, 0);
	if (r < 0) {
		op_free(op);
		return r;
	}
	return op_launch(e, op, on_event, on_done, user);
}

/* Start a multiping whose results go to out (caller's) or to the op. */
static int multiping_start(struct sonar_engine *e, const char *const *addresses, size_t n,
                           const struct sonar_options *o, sonar_event_cb on_event,
                           sonar_done_cb on_done, void *user, struct sonar_host *out)
{
	struct op *op;
	const char **copies;
	size_t i;
	int r = op_check_start(e, o);

	if (r < 0)
		return r;
	/* A continuous multiping may start empty: targets come later. */
	if ((!addresses && n) || (n == 0 && o->count > 0))
		return error_set(SONAR_EINVAL, "Invalid addresses: the list is empty");
	op = op_new(e, &op_kind_multi, o, n, out);
	copies = calloc(n ? n : 1, sizeof(*copies));
	if (!op || !copies || op_blocks(op, addresses, n, copies) < 0) {
		if (op)
			op_free(op);
		free(copies);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	for (i = 0; i < n; i++) {
		struct target *t = op_add(op, copies[i], o->ttl, true);

		if (!t) {
			op_free(op);
			free(copies);
			return error_set(SONAR_ENOMEM, "Out of memory");
		}
		/* one target that cannot run (its name, its socket, memory for
		 * its slots) carries its error; the others go on */
		r = target_setup(e, op, t, 0);
		if (r < 0)
			target_fail(t, r);
	}
	free(copies);
	return op_launch(e, op, on_event, on_done, user);
}

int sonar_engine_multiping(struct sonar_engine *e, const char *const *addresses, size_t n,
                           const struct sonar_options *o, sonar_event_cb on_event,
                           sonar_done_cb on_done, void *user)
{
	return multiping_start(e, addresses, n, o, on_event, on_done, user, NULL);
}

int ping_multiping_into(struct sonar_engine *e, const char *const *addresses, size_t n,
                        const struct sonar_options *o, sonar_done_cb on_done, void *user,
                        struct sonar_host *hosts)
{
	return multiping_start(e, addresses, n, o, NULL, on_done, user, hosts);
}
