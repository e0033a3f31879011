/*
 * targets.c - target lists and files.
 */
#include "config.h"
#include "targets.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_BYTES 65536

/* Room for len bytes in the last block, or a new block. NULL: no memory. */
static char *block_room(struct target_list *l, size_t len)
{
	size_t size = len > BLOCK_BYTES ? len : BLOCK_BYTES;
	char **blocks, *b;

	if (l->nblocks && l->block_used + len <= BLOCK_BYTES) {
		b = l->blocks[l->nblocks - 1] + l->block_used;
		l->block_used += len;
		return b;
	}
	blocks = realloc(l->blocks, (l->nblocks + 1) * sizeof(*blocks));
	if (!blocks)
		return NULL;
	l->blocks = blocks;
	b = malloc(size);
	if (!b)
		return NULL;
	l->blocks[l->nblocks++] = b;
	l->block_used = len;
	return b;
}

/* A copy of s in the blocks, or NULL. */
static char *copy_of(struct target_list *l, const char *s)
{
	size_t len = strlen(s) + 1;
	char *copy = block_room(l, len);

	if (copy)
		memcpy(copy, s, len);
	return copy;
}

/* Room for one more target (and its settings, when kept). 0, or -1. */
static int grow(struct target_list *l)
{
	size_t cap = l->cap ? l->cap * 2 : 16;
	char **v;

	if (l->n < l->cap)
		return 0;
	v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return -1;
	l->v = v;
	if (l->settings) {
		v = realloc(l->settings, cap * sizeof(*v));
		if (!v)
			return -1;
		memset(v + l->cap, 0, (cap - l->cap) * sizeof(*v));
		l->settings = v;
	}
	l->cap = cap;
	return 0;
}

int targets_add_settings(struct target_list *l, const char *s, const char *settings)
{
	char *copy;

	if (settings && !l->settings) {
		/* the first line with settings: the others had none */
		size_t cap = l->cap ? l->cap : 16;

		l->settings = calloc(cap, sizeof(*l->settings));
		if (!l->settings)
			return -1;
		if (!l->cap) {
			l->v = calloc(cap, sizeof(*l->v));
			if (!l->v)
				return -1;
			l->cap = cap;
		}
	}
	if (grow(l) < 0)
		return -1;
	if (l->settings) {
		l->settings[l->n] = NULL;
		if (settings && !(l->settings[l->n] = copy_of(l, settings)))
			return -1;
	}
	if (!(copy = copy_of(l, s)))
		return -1;
	l->v[l->n++] = copy;
	return 0;
}

const char *targets_settings(const struct target_list *l, size_t i)
{
	return l->settings && i < l->n ? l->settings[i] : NULL;
}

int targets_add(struct target_list *l, const char *s)
{
	return targets_add_settings(l, s, NULL);
}

void targets_free(struct target_list *l)
{
	size_t i;

	for (i = 0; i < l->nblocks; i++)
		free(l->blocks[i]);
	free(l->blocks);
	free(l->v);
	free(l->settings);
	memset(l, 0, sizeof(*l));
}

/* Check one trimmed line; NULL when good, else why not. */
static const char *bad_target(const char *s, size_t len)
{
	size_t i;

	if (len > TARGET_MAX)
		return "too long for a target (at most 255 characters)";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isspace(c))
			return "one target per line (found a space inside)";
		if (c < 0x20 || c >= 0x7f)
			return "a target has printable ASCII characters only";
	}
	return NULL;
}

int targets_read(const char *path, struct target_list *l, char *err, size_t errcap)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	int status;

	if (!f) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	status = targets_read_stream(f, path, l, err, errcap);
	if (f != stdin)
		fclose(f);
	return status;
}

int targets_read_stream(FILE *f, const char *path, struct target_list *l, char *err, size_t errcap)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned long no = 0;
	int status = 0;

	while ((got = getline(&line, &cap, f)) != -1) {
		char *s = line, *hash = memchr(line, '#', (size_t)got), *end;
		char checked[256];
		const char *why, *settings;

		no++;
		if (memchr(line, '\0', (size_t)got)) {
			snprintf(err, errcap, "%s:%lu: a NUL byte: not a text file", path, no);
			status = -1;
			break;
		}
		end = hash ? hash : line + got;
		while (s < end && isspace((unsigned char)*s))
			s++;
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if (end == s)
			continue;
		*end = '\0';
		settings = NULL;
		if (l->check_settings) {
			/* "HOST  alert-loss=5": the target, then its settings */
			char *sp = s + strcspn(s, " \t");

			if (*sp) {
				*sp++ = '\0';
				settings = sp + strspn(sp, " \t");
			}
		}
		why = bad_target(s, strlen(s));
		if (!why && l->check && l->check(s, checked, sizeof(checked)) < 0)
			why = checked;
		if (!why && settings && l->check_settings(settings, checked, sizeof(checked)) < 0)
			why = checked;
		if (why) {
			snprintf(err, errcap, "%s:%lu: %s", path, no, why);
			status = -1;
			break;
		}
		if (targets_add_settings(l, s, settings) < 0) {
			snprintf(err, errcap, "out of memory");
			status = -1;
			break;
		}
	}
	if (status == 0 && ferror(f)) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		status = -1;
	}
	free(line);
	return status;
}
