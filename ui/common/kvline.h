/*
 * kvline.h - the lines of a settings file (the configuration, a theme):
 * `key = value` a line, read one at a time from the file's text, each
 * checked and split in place. The readers decide what a key means.
 */
#ifndef SONAR_KVLINE_H
#define SONAR_KVLINE_H

#include <stdbool.h>
#include <stddef.h>

struct kvline {
	const char *text; /* the whole file, len bytes */
	size_t len, pos;
	const char *file;      /* its name, for errors */
	unsigned line;         /* the line read last, from 1 */
	bool comment_anywhere; /* '#' starts a comment anywhere (themes), else
	                        * only as a line's first word (a value may hold one) */
};

/*
 * The next line that says something, into buf (cap bytes): 1 with *key
 * and *val pointing into buf, both without the spaces around them; 0 at
 * the end; -1 with "FILE:LINE: why" in err (a line longer than cap - 1, a
 * NUL byte, a line with no '=': expected 'what'). Blank lines and
 * comments are skipped.
 */
int kvline_next(struct kvline *k, char *buf, size_t cap, char **key, char **val, const char *what,
                char *err, size_t errcap);

#endif
