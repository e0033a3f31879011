/*
 * run.h - the one run sequence of ping, multiping and traceroute: a new
 * engine, the socket kind, the sockets opened and every privilege dropped
 * (cli_lockdown), the operation started, Ctrl-C caught, the loop until the
 * operation ends, and the engine freed.
 */
#ifndef SONAR_RUN_H
#define SONAR_RUN_H

#include <stdint.h>

#include "cli.h"
#include "sonar.h"

/*
 * Start the subcommand's operation on e (privileges are gone by then).
 * Returns the operation's id (> 0), or minus an exit code after printing
 * why (-cli_fail(code) for an engine error).
 */
typedef int (*run_start_cb)(struct sonar_engine *e, void *ctx);

/*
 * Run the sequence. 0 when the operation ran to its end (or was stopped by
 * Ctrl-C: its done callback has run with what it had), else an exit code
 * after a message. *dropped (when not NULL) gets the packets the kernel
 * dropped for a full receive buffer.
 */
int run_command(const struct cli_common *cc, struct sonar_options *o, run_start_cb start, void *ctx,
                uint64_t *dropped);

#endif
