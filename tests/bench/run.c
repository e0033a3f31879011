/*
 * run.c - run a command and measure it as a benchmark needs: wall time
 * (CLOCK_MONOTONIC), CPU time of the child (user + system from wait4()'s
 * rusage, to the microsecond, not time(1)'s 10 ms) and its peak RSS.
 *
 * Usage: bench-run RESULT_FILE CMD [ARG...]
 * Writes "WALL_S CPU_S MAXRSS_KIB EXIT" to RESULT_FILE (seconds to the
 * millisecond); the command's stdout and stderr are its own. Exits with the
 * command's status (128 + signal when it was killed).
 */
#include "config.h"

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	pid_t pid;
	int status, code;
	FILE *f;
	double wall, cpu;

	if (argc < 3) {
		fprintf(stderr, "usage: bench-run RESULT_FILE CMD [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (posix_spawnp(&pid, argv[2], NULL, NULL, argv + 2, environ) != 0) {
		perror("bench-run: spawn");
		return 127;
	}
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("bench-run: wait4");
		return 127;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	f = fopen(argv[1], "w");
	if (!f) {
		perror("bench-run: result file");
		return 127;
	}
	fprintf(f, "%.3f %.3f %ld %d\n", wall, cpu, ru.ru_maxrss, code);
	fclose(f);
	return code;
}
