/*
 * run.c - what every subcommand's main loop needs, once.
 */
#include "config.h"
#include "run.h"

#include "stop.h"

/* Drive e until no operation is left; on a stop, stop op (its done callback
 * runs with what it has). 0, or EXIT_SYSTEM after a message. */
static int run_loop(struct sonar_engine *e)
{
	while (sonar_engine_active(e) > 0) {
		if (stop_requested()) {
			sonar_engine_stop(e, 0); /* every operation it started */
			break;
		}
		if (sonar_engine_run_once(e, -1) < 0) {
			cli_error("%s", sonar_last_error());
			return EXIT_SYSTEM;
		}
	}
	return 0;
}

int run_command(const struct cli_common *cc, struct sonar_options *o, run_start_cb start, void *ctx,
                uint64_t *dropped)
{
	struct sonar_engine *e = sonar_engine_new();
	int op, status;

	if (!e) {
		cli_error("out of memory");
		return EXIT_SYSTEM;
	}
	cli_privilege(cc, o);
	status = cli_lockdown(e, o);
	if (status)
		goto out;
	op = start(e, ctx);
	if (op < 0) {
		status = -op;
		goto out;
	}
	stop_catch();
	status = run_loop(e);
	if (dropped)
		*dropped = sonar_engine_dropped(e);
out:
	sonar_engine_free(e);
	return status;
}
