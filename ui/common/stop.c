/*
 * stop.c - Ctrl-C, TERM and HUP: a flag for the loops.
 */
#include "config.h"
#include "stop.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_flag;

/* Note the signal for the loop; select() returns with EINTR. */
static void on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

void stop_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

bool stop_requested(void)
{
	return stop_flag != 0;
}
