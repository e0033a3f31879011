/*
 * resolver.c - a lookup thread and two queues.
 *
 * Invariants: requests and answers are singly linked FIFOs guarded by the
 * mutex; the worker writes one byte to the pipe per answer; the struct is
 * freed by whichever of the two (dashboard, worker) lets go of it last, so
 * quitting never waits for a DNS timeout.
 */
#include "config.h"
#include "resolver.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sonar.h"

struct job {
	uint64_t key;
	int family;
	bool ok;
	char name[256];
	char text[SONAR_MSGLEN];
	struct job *next;
};

struct resolver {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job *todo, *todo_tail;
	struct job *done, *done_tail;
	int pipe[2];
	int refs; /* 2 while both sides hold it */
	bool stop;
};

/* Append j to a queue. */
static void enqueue(struct job **head, struct job **tail, struct job *j)
{
	j->next = NULL;
	if (*tail)
		(*tail)->next = j;
	else
		*head = j;
	*tail = j;
}

/* Take the first job of a queue, or NULL. */
static struct job *dequeue(struct job **head, struct job **tail)
{
	struct job *j = *head;

	if (j) {
		*head = j->next;
		if (!*head)
			*tail = NULL;
	}
	return j;
}

/* Free the queues and the struct. */
static void destroy(struct resolver *r)
{
	struct job *j;

	while ((j = dequeue(&r->todo, &r->todo_tail)))
		free(j);
	while ((j = dequeue(&r->done, &r->done_tail)))
		free(j);
	close(r->pipe[0]);
	close(r->pipe[1]);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->wake);
	free(r);
}

/* Drop one reference; the last one frees. Called with the lock held. */
static void release(struct resolver *r)
{
	bool last = --r->refs == 0;

	pthread_mutex_unlock(&r->lock);
	if (last)
		destroy(r);
}

/* The worker: look names up one at a time. */
static void *worker(void *arg)
{
	struct resolver *r = arg;

	pthread_mutex_lock(&r->lock);
	for (;;) {
		struct job *j;
		char addr[1][SONAR_ADDRSTRLEN];
		int n;

		while (!r->stop && !r->todo)
			pthread_cond_wait(&r->wake, &r->lock);
		if (r->stop)
			break;
		j = dequeue(&r->todo, &r->todo_tail);
		pthread_mutex_unlock(&r->lock);
		n = sonar_resolve(j->name, j->family, addr, 1);
		j->ok = n > 0;
		snprintf(j->text, sizeof(j->text), "%s", n > 0 ? addr[0] : sonar_last_error());
		pthread_mutex_lock(&r->lock);
		if (r->stop) {
			free(j);
			break;
		}
		enqueue(&r->done, &r->done_tail, j);
		if (write(r->pipe[1], "", 1) < 0) {
			/* the pipe is full of wake-ups already: the answer is queued */
		}
	}
	release(r);
	return NULL;
}

struct resolver *resolver_new(void)
{
	struct resolver *r = calloc(1, sizeof(*r));
	pthread_t t;

	if (!r)
		return NULL;
	if (pipe2(r->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->wake, NULL);
	r->refs = 2;
	if (pthread_create(&t, NULL, worker, r) != 0) {
		r->refs = 1;
		pthread_mutex_lock(&r->lock);
		release(r);
		return NULL;
	}
	pthread_detach(t);
	return r;
}

int resolver_fd(const struct resolver *r)
{
	return r->pipe[0];
}

int resolver_submit(struct resolver *r, uint64_t key, const char *name, int family)
{
	struct job *j = calloc(1, sizeof(*j));

	if (!j)
		return -1;
	j->key = key;
	j->family = family;
	snprintf(j->name, sizeof(j->name), "%s", name);
	pthread_mutex_lock(&r->lock);
	enqueue(&r->todo, &r->todo_tail, j);
	pthread_cond_signal(&r->wake);
	pthread_mutex_unlock(&r->lock);
	return 0;
}

void resolver_poll(struct resolver *r, resolver_cb cb, void *user)
{
	char buf[64];
	struct job *j;

	while (read(r->pipe[0], buf, sizeof(buf)) > 0)
		;
	for (;;) {
		pthread_mutex_lock(&r->lock);
		j = dequeue(&r->done, &r->done_tail);
		pthread_mutex_unlock(&r->lock);
		if (!j)
			break;
		cb(j->key, j->ok, j->text, user);
		free(j);
	}
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = true;
	pthread_cond_signal(&r->wake);
	release(r);
}
