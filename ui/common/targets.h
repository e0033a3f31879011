/*
 * targets.h - a list of targets, and target files (one per line).
 */
#ifndef SONAR_TARGETS_H
#define SONAR_TARGETS_H

#include <stddef.h>
#include <stdio.h>

/* Longest target accepted: a 253-byte name, or an address with a zone. */
#define TARGET_MAX 255

/* Targets point into blocks of 64 KiB (a 10,000-line file is a few
 * allocations, not 10,000). */
struct target_list {
	char **v;
	size_t n;
	size_t cap;
	char **blocks;
	size_t nblocks;
	size_t block_used; /* in the last block */
	/* NULL, or the reader's own syntax: a file's line it refuses (-1,
	 * why in err) is told as FILE:LINE: why (the dashboard's URLs) */
	int (*check)(const char *target, char *err, size_t errcap);
	/* NULL (a space inside a line is refused), or the reader's check of
	 * what may follow a target on its line ("HOST  alert-loss=5"): then
	 * settings[i] is what followed v[i] (NULL none), settings itself
	 * NULL until a line had some */
	int (*check_settings)(const char *settings, char *err, size_t errcap);
	char **settings;
};

/* Append a copy of s. 0, or -1 out of memory. */
int targets_add(struct target_list *l, const char *s);
/* Append target with what followed it on its line (settings, NULL none). 0, or -1. */
int targets_add_settings(struct target_list *l, const char *s, const char *settings);
/* What followed target i on its line, or NULL. */
const char *targets_settings(const struct target_list *l, size_t i);
/* Free the list. */
void targets_free(struct target_list *l);
/*
 * Read a targets file ("-": standard input): one target per line, blank
 * lines and '#' comments skipped, spaces around a target ignored, each
 * passed to l->check when there is one; with l->check_settings, what
 * follows a target after spaces is its settings. Appends to l. 0, or -1 with
 * "FILE:LINE: why" (or "FILE: why") in err.
 */
int targets_read(const char *path, struct target_list *l, char *err, size_t errcap);
/* The same from an open stream; name is what errors call it. */
int targets_read_stream(FILE *f, const char *name, struct target_list *l, char *err, size_t errcap);

#endif
