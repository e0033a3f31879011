/*
 * targets.h - a list of targets, and target files (one per line).
 */
#ifndef SONAR_TARGETS_H
#define SONAR_TARGETS_H

#include <stddef.h>
#include <stdio.h>

/* Longest target accepted: a 253-byte name, or an address with a zone. */
#define TARGET_MAX 255
/* The longest line of a targets file: a target, its settings, a comment. */
#define TARGETS_LINE_MAX 4096

/* What a file said around a target, kept when the reader asks (layout). */
struct target_extra {
	const char *settings; /* what followed the target ("alert-loss=5"), no comment; NULL none */
	const char *rest;     /* all that followed it on its line, verbatim (spaces, settings,
	                         a comment); NULL none */
	const char *lead; /* the comment and blank lines just before it, '\n'-joined; NULL none */
	int group;        /* its [group]: an index in groups, -1 before any */
};

/* A [group name] line of a file. */
struct target_group {
	const char *name; /* as written between the brackets, spaces trimmed */
	const char *line; /* the whole line, verbatim (a comment after it too) */
	const char *lead; /* the comment and blank lines just before it; NULL none */
};

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
	 * what may follow a target on its line ("HOST  alert-loss=5") */
	int (*check_settings)(const char *settings, char *err, size_t errcap);
	/* the reader keeps [group] lines, comments and blank lines (the
	 * dashboard, whose s writes them back); without it, comments are
	 * skipped and a bracketed line is read as a target */
	int layout;
	/* extra[i]: what the file said around v[i]; NULL until a target had
	 * something (settings, a comment, a group) */
	struct target_extra *extra;
	struct target_group *groups; /* the [group] lines, in file order */
	size_t ngroups;
	const char *tail; /* comment and blank lines after the last target or group; NULL none */
};

/* Append a copy of s. 0, or -1 out of memory. */
int targets_add(struct target_list *l, const char *s);
/* Append target s with what the file said around it (x, copied; NULL none). 0, or -1. */
int targets_add_extra(struct target_list *l, const char *s, const struct target_extra *x);
/* What followed target i on its line (its settings), or NULL. */
const char *targets_settings(const struct target_list *l, size_t i);
/* What the file said around target i, or NULL. */
const struct target_extra *targets_extra(const struct target_list *l, size_t i);
/* Free the list. */
void targets_free(struct target_list *l);
/*
 * Read a targets file ("-": standard input): one target per line, blank
 * lines and '#' comments skipped, spaces around a target ignored, each
 * passed to l->check when there is one; with l->check_settings, what
 * follows a target after spaces is its settings; with l->layout, a
 * "[group name]" line starts a group and comments are kept. Appends to l. 0, or -1 with
 * "FILE:LINE: why" (or "FILE: why") in err.
 */
int targets_read(const char *path, struct target_list *l, char *err, size_t errcap);
/* The same from an open stream; name is what errors call it. */
int targets_read_stream(FILE *f, const char *name, struct target_list *l, char *err, size_t errcap);

#endif
