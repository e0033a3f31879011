/*
 * kvline.c - the lines of a settings file (kvline.h).
 */
#include "config.h"
#include "kvline.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

int kvline_next(struct kvline *k, char *buf, size_t cap, char **key, char **val, const char *what,
                char *err, size_t errcap)
{
	while (k->pos < k->len) {
		const char *nl = memchr(k->text + k->pos, '\n', k->len - k->pos);
		size_t n = nl ? (size_t)(nl - (k->text + k->pos)) : k->len - k->pos;
		char *p, *eq, *hash;

		k->line++;
		if (n >= cap) {
			snprintf(err, errcap, "%s:%u: line too long (at most %zu characters)",
			         k->file, k->line, cap - 1);
			return -1;
		}
		memcpy(buf, k->text + k->pos, n);
		buf[n] = '\0';
		k->pos += n + 1;
		if (memchr(buf, '\0', n)) {
			snprintf(err, errcap, "%s:%u: a NUL byte: not a text file", k->file,
			         k->line);
			return -1;
		}
		p = buf;
		while (isspace((unsigned char)*p))
			p++;
		hash = k->comment_anywhere ? strchr(p, '#') : *p == '#' ? p : NULL;
		if (hash)
			*hash = '\0';
		if (*p == '\0')
			continue;
		eq = strchr(p, '=');
		if (!eq) {
			snprintf(err, errcap, "%s:%u: expected '%s'", k->file, k->line, what);
			return -1;
		}
		*val = eq + 1;
		while (eq > p && isspace((unsigned char)eq[-1]))
			eq--;
		*eq = '\0';
		while (isspace((unsigned char)**val))
			(*val)++;
		for (n = strlen(*val); n > 0 && isspace((unsigned char)(*val)[n - 1]); n--)
			(*val)[n - 1] = '\0';
		*key = p;
		return 1;
	}
	return 0;
}
