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

/* A copy of s in the blocks; NULL stays NULL. 0, or -1 out of memory. */
static int copy_opt(struct target_list *l, const char *s, const char **out)
{
	*out = NULL;
	return s && !(*out = copy_of(l, s)) ? -1 : 0;
}

/* Room for one more target (and its extra, when kept). 0, or -1. */
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
	if (l->extra) {
		struct target_extra *x = realloc(l->extra, cap * sizeof(*x));

		if (!x)
			return -1;
		l->extra = x;
	}
	l->cap = cap;
	return 0;
}

/* The extras of the targets so far, each "nothing": the first target
 * with some. 0, or -1 out of memory. */
static int start_extra(struct target_list *l)
{
	size_t i;

	if (grow(l) < 0)
		return -1;
	l->extra = malloc((l->cap ? l->cap : 1) * sizeof(*l->extra));
	if (!l->extra)
		return -1;
	for (i = 0; i < l->n; i++)
		l->extra[i] = (struct target_extra){NULL, NULL, NULL, -1};
	return 0;
}

int targets_add_extra(struct target_list *l, const char *s, const struct target_extra *x)
{
	struct target_extra e = {NULL, NULL, NULL, -1};
	char *copy;

	if (x && !l->extra && start_extra(l) < 0)
		return -1;
	if (grow(l) < 0)
		return -1;
	if (x && (copy_opt(l, x->settings, &e.settings) < 0 || copy_opt(l, x->rest, &e.rest) < 0 ||
	          copy_opt(l, x->lead, &e.lead) < 0))
		return -1;
	if (x)
		e.group = x->group;
	if (!(copy = copy_of(l, s)))
		return -1;
	if (l->extra)
		l->extra[l->n] = e;
	l->v[l->n++] = copy;
	return 0;
}

const char *targets_settings(const struct target_list *l, size_t i)
{
	return l->extra && i < l->n ? l->extra[i].settings : NULL;
}

const struct target_extra *targets_extra(const struct target_list *l, size_t i)
{
	return l->extra && i < l->n ? &l->extra[i] : NULL;
}

int targets_add(struct target_list *l, const char *s)
{
	return targets_add_extra(l, s, NULL);
}

void targets_free(struct target_list *l)
{
	size_t i;

	for (i = 0; i < l->nblocks; i++)
		free(l->blocks[i]);
	free(l->blocks);
	free(l->v);
	free(l->extra);
	free(l->groups);
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

/* The comment and blank lines waiting for the next item (layout). */
struct lead {
	char *text; /* '\n'-joined, NULL none */
	size_t len;
};

/* Add one line (without its newline) to the lead. 0, or -1. */
static int lead_add(struct lead *ld, const char *line, size_t n)
{
	char *t = realloc(ld->text, ld->len + n + 2);

	if (!t)
		return -1;
	if (!ld->text)
		t[0] = '\0';
	else
		t[ld->len++] = '\n'; /* a line before: even a blank one */
	ld->text = t;
	memcpy(t + ld->len, line, n);
	ld->len += n;
	t[ld->len] = '\0';
	return 0;
}

/* Take the lead (into the blocks: *out, NULL none) and start a new one. 0, or -1. */
static int lead_take(struct target_list *l, struct lead *ld, const char **out)
{
	int rc = copy_opt(l, ld->text, out);

	free(ld->text);
	ld->text = NULL;
	ld->len = 0;
	return rc;
}

/* A "[group name]" line (s trimmed, len > 1): its group. NULL, or why not. */
static const char *group_line(struct target_list *l, char *s, const char *raw, struct lead *ld)
{
	char *name = s + 1, *end = s + strlen(s) - 1;
	struct target_group g, *v;
	size_t i;

	while (name < end && isspace((unsigned char)*name))
		name++;
	while (end > name && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (!*name)
		return "a group needs a name: [name]";
	if (strlen(name) > 64)
		return "a group's name has at most 64 characters";
	for (i = 0; name[i]; i++)
		if ((unsigned char)name[i] < 0x20 || (unsigned char)name[i] == 0x7f)
			return "a control character in a group's name";
	for (i = 0; i < l->ngroups; i++)
		if (strcmp(l->groups[i].name, name) == 0)
			return "a group of that name came before (one [name] line per group)";
	v = realloc(l->groups, (l->ngroups + 1) * sizeof(*v));
	if (!v)
		return "out of memory";
	l->groups = v;
	if (copy_opt(l, name, &g.name) < 0 || copy_opt(l, raw, &g.line) < 0 ||
	    lead_take(l, ld, &g.lead) < 0)
		return "out of memory";
	l->groups[l->ngroups++] = g;
	return NULL;
}

/*
 * One line of f, its newline kept, into line (TARGETS_LINE_MAX + 2 bytes),
 * NUL-terminated: its length; -1 at the end; -2 when it is longer than
 * TARGETS_LINE_MAX (never read whole: -F /dev/zero must not fill memory).
 */
static ssize_t read_line(FILE *f, char *line)
{
	size_t n = 0;
	int c;

	while ((c = getc_unlocked(f)) != EOF) {
		if (n == TARGETS_LINE_MAX && c != '\n')
			return -2; /* (a '\r' before the newline counts: CRLF files) */
		line[n++] = (char)c;
		if (c == '\n')
			break;
	}
	line[n] = '\0';
	return n == 0 && c == EOF ? -1 : (ssize_t)n;
}

int targets_read_stream(FILE *f, const char *path, struct target_list *l, char *err, size_t errcap)
{
	char *line = malloc(TARGETS_LINE_MAX + 2);
	ssize_t got;
	unsigned long no = 0;
	int status = 0;

	struct lead ld = {NULL, 0};
	int group = l->ngroups ? (int)l->ngroups - 1 : -1;

	if (!line) {
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	while ((got = read_line(f, line)) != -1) {
		char *s = line, *hash, *end;
		char checked[256], raw[1024] = "";
		const char *why, *settings;
		struct target_extra x = {NULL, NULL, NULL, group};
		size_t rawlen = (size_t)got;

		no++;
		if (got == -2) {
			snprintf(err, errcap,
			         "%s:%lu: a line longer than %d bytes: not a targets file", path,
			         no, TARGETS_LINE_MAX);
			status = -1;
			break;
		}
		hash = memchr(line, '#', (size_t)got);
		if (memchr(line, '\0', (size_t)got)) {
			snprintf(err, errcap, "%s:%lu: a NUL byte: not a text file", path, no);
			status = -1;
			break;
		}
		while (rawlen && (line[rawlen - 1] == '\n' || line[rawlen - 1] == '\r'))
			rawlen--;
		end = hash ? hash : line + got;
		while (s < end && isspace((unsigned char)*s))
			s++;
		while (end > s && isspace((unsigned char)end[-1]))
			end--;
		if (end == s) {
			/* a comment or a blank line: kept before what follows */
			if (l->layout && lead_add(&ld, line, rawlen) < 0) {
				snprintf(err, errcap, "out of memory");
				status = -1;
				break;
			}
			continue;
		}
		if (l->layout && rawlen - (size_t)(end - line) < sizeof(raw)) {
			/* what follows the target, verbatim (settings, a comment) */
			size_t t = strcspn(s, " \t#");

			if (s + t < line + rawlen &&
			    (size_t)(line + rawlen - (s + t)) < sizeof(raw))
				snprintf(raw, sizeof(raw), "%.*s", (int)(line + rawlen - (s + t)),
				         s + t);
		}
		if (l->layout && *s == '[' && end - s > 1 && end[-1] == ']') {
			char whole[1024];

			/* the line as written, before it is cut at its comment */
			snprintf(whole, sizeof(whole), "%.*s", (int)(rawlen < 1023 ? rawlen : 1023),
			         line);
			*end = '\0';
			why = rawlen >= sizeof(whole) ? "line too long"
			                              : group_line(l, s, whole, &ld);
			if (why) {
				snprintf(err, errcap, "%s:%lu: %s", path, no, why);
				status = -1;
				break;
			}
			group = x.group = (int)l->ngroups - 1;
			continue;
		}
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
		x.settings = settings;
		x.rest = raw[0] ? raw : NULL;
		if ((l->layout && lead_take(l, &ld, &x.lead) < 0) ||
		    targets_add_extra(l, s, settings || l->layout ? &x : NULL) < 0) {
			snprintf(err, errcap, "out of memory");
			status = -1;
			break;
		}
	}
	if (status == 0 && l->layout && ld.text && lead_take(l, &ld, &l->tail) < 0) {
		snprintf(err, errcap, "out of memory");
		status = -1;
	}
	free(ld.text);
	if (status == 0 && ferror(f)) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		status = -1;
	}
	free(line);
	return status;
}
