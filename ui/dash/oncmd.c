/*
 * oncmd.c - --on-alert's child processes (oncmd.h).
 */
#include "config.h"
#include "oncmd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixed.h"

/* In the child: set the event's variables (failure: left unset). */
static void child_env(const struct event_line *e)
{
	char when[40], num[32], epoch[48];
	struct tm tm;
	time_t t = e->when.tv_sec;

	setenv("SONAR_EVENT", alert_event_name(e->ev), 1);
	/* what the target is now: the event's own name but for the address */
	setenv("SONAR_STATE",
	       e->ev == ALERT_EV_ALERT     ? "alert"
	       : e->ev == ALERT_EV_DOWN    ? "down"
	       : e->ev == ALERT_EV_ADDRESS ? "new" /* another host: nothing known yet */
	                                   : "up",
	       1);
	setenv("SONAR_TARGET", e->target, 1);
	setenv("SONAR_ADDRESS", e->address, 1);
	setenv("SONAR_WHY", e->why, 1);
	setenv("SONAR_STAT", e->stat, 1);         /* "avg", "p95" for an RTT alert; "" else */
	setenv("SONAR_PREVIOUS", e->previous, 1); /* the address before an "address" event */
	setenv("SONAR_VALUE", e->value >= 0 ? fmt_fixed(num, sizeof(num), e->value, 3) : "", 1);
	when[0] = '\0';
	if (gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	setenv("SONAR_TIME", when, 1);
	snprintf(epoch, sizeof(epoch), "%lld", (long long)e->when.tv_sec);
	setenv("SONAR_EPOCH", epoch, 1);
}

/* In the child: nothing of the dashboard's but the environment, then sh. */
static void child(const char *cmd, const struct event_line *e)
{
	sigset_t none;
	int fd, sig;

	/* its own process group: the time limit kills whatever sh started */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL); /* fails harmlessly for SIGKILL, SIGSTOP, RT gaps */
	/* the dashboard dropped its privileges before the first key; this
	 * keeps a setuid or file-capability program from getting any back */
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/* the engine's sockets, the capture, the terminal: none are the
	 * command's (most are O_CLOEXEC already; this makes it sure) */
	if (close_range(3, ~0U, 0) < 0) {
		long max = sysconf(_SC_OPEN_MAX);

		for (fd = 3; fd < (max > 0 && max < 65536 ? max : 65536); fd++)
			close(fd);
	}
	child_env(e);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Start the command for e in kid k (pid 0 after a failed fork). */
static void start(struct oncmd *o, struct oncmd_kid *k, const struct event_line *e, int64_t now)
{
	pid_t pid = fork();

	if (pid == 0)
		child(o->cmd, e);
	if (pid < 0) {
		o->failed++;
		k->pid = 0;
		return;
	}
	setpgid(pid, pid); /* also here: no race with a kill before the child's */
	k->pid = pid;
	k->deadline = now + ONCMD_LIMIT_NS;
	k->killed = false;
	o->running++;
	o->ran++;
}

/* Start the waiting changes of targets with nothing running, oldest
 * first, while there is room (ONCMD_MAX_RUNNING). */
static void start_waiting(struct oncmd *o, int64_t now)
{
	while (o->running < ONCMD_MAX_RUNNING) {
		struct oncmd_kid *k = NULL;
		struct event_line e;
		size_t i;

		for (i = 0; i < o->n; i++)
			if (o->kids[i].pid == 0 && (!k || o->kids[i].order < k->order))
				k = &o->kids[i];
		if (!k)
			return;
		e = k->next;
		k->has_next = false;
		start(o, k, &e, now);
		if (k->pid == 0) { /* fork failed (counted): dropped */
			*k = o->kids[--o->n];
			return; /* and no busy loop on a fork that keeps failing */
		}
	}
}

void oncmd_run(struct oncmd *o, uint64_t key, const struct event_line *e, int64_t now)
{
	struct oncmd_kid *k;
	size_t i;

	if (!o->cmd)
		return;
	for (i = 0; i < o->n; i++) {
		if (o->kids[i].key == key) {
			o->kids[i].next = *e; /* the newest change waits */
			o->kids[i].has_next = true;
			return;
		}
	}
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		struct oncmd_kid *v = realloc(o->kids, cap * sizeof(*v));

		if (!v) {
			o->failed++;
			return;
		}
		o->kids = v;
		o->cap = cap;
	}
	k = &o->kids[o->n];
	memset(k, 0, sizeof(*k));
	k->key = key;
	if (o->running >= ONCMD_MAX_RUNNING) {
		/* no room: it waits its turn (oncmd_poll starts it) */
		k->next = *e;
		k->has_next = true;
		k->order = ++o->seq;
		o->n++;
		return;
	}
	start(o, k, e, now);
	if (k->pid > 0)
		o->n++;
}

void oncmd_poll(struct oncmd *o, int64_t now)
{
	size_t i = 0;

	while (i < o->n) {
		struct oncmd_kid *k = &o->kids[i];
		int status;
		pid_t got;

		if (k->pid == 0) { /* waiting for room: start_waiting's */
			i++;
			continue;
		}
		got = waitpid(k->pid, &status, WNOHANG);
		if (got == 0 || (got < 0 && errno == EINTR)) {
			if (now >= k->deadline && !k->killed) {
				kill(-k->pid, SIGKILL);
				kill(k->pid, SIGKILL);
				k->killed = true;
				o->killed++;
			}
			i++;
			continue;
		}
		/* ended (or not ours any more): the waiting change, if any,
		 * waits for room behind the others */
		o->running--;
		k->pid = 0;
		if (k->has_next) {
			k->order = ++o->seq;
			i++;
			continue;
		}
		o->kids[i] = o->kids[--o->n];
	}
	start_waiting(o, now);
}

int64_t oncmd_timeout(const struct oncmd *o)
{
	return o->n ? ONCMD_POLL_NS : -1;
}

void oncmd_close(struct oncmd *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (o->kids[i].pid <= 0)
			continue; /* a change that waited: never started */
		kill(-o->kids[i].pid, SIGKILL);
		kill(o->kids[i].pid, SIGKILL);
		waitpid(o->kids[i].pid, NULL, 0);
	}
	free(o->kids);
	o->kids = NULL;
	o->n = o->cap = o->running = 0;
}
