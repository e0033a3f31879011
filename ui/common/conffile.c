/*
 * conffile.c - the configuration file's parser (conffile.h).
 */
#include "config.h"
#include "conffile.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic.h"
#include "kvline.h"
#include "xdg.h"

#define CONF_FILE_MAX (64 * 1024) /* a larger file is not a configuration */

enum kind { K_SECONDS, K_NUMBER, K_WHOLE, K_BOOL, K_STRING };

/* The keys: the dashboard's long options, with their values' kinds. */
static const struct key {
	const char *name;
	unsigned bit;
	enum kind kind;
	double min, max; /* numbers */
	size_t offset;   /* of the field in struct conffile */
	size_t size;     /* strings: the field's size */
} keys[] = {
    {"interval", CONF_INTERVAL, K_SECONDS, 0, 86400, offsetof(struct conffile, interval), 0},
    {"timeout", CONF_TIMEOUT, K_SECONDS, 0, 86400, offsetof(struct conffile, timeout), 0},
    {"theme", CONF_THEME, K_STRING, 0, 0, offsetof(struct conffile, theme),
     sizeof(((struct conffile *)0)->theme)},
    {"color", CONF_COLOR, K_BOOL, 0, 0, offsetof(struct conffile, color), 0},
    {"dns-server", CONF_DNS, K_STRING, 0, 0, offsetof(struct conffile, dns),
     sizeof(((struct conffile *)0)->dns)},
    {"alert-loss", CONF_ALERT_LOSS, K_NUMBER, 0, 100, offsetof(struct conffile, alert_loss), 0},
    {"alert-rtt", CONF_ALERT_RTT, K_STRING, 0, 0, offsetof(struct conffile, alert_rtt),
     sizeof(((struct conffile *)0)->alert_rtt)},
    {"alert-down", CONF_ALERT_DOWN, K_WHOLE, 1, 100, offsetof(struct conffile, alert_down), 0},
    {"bell", CONF_BELL, K_BOOL, 0, 0, offsetof(struct conffile, bell), 0},
    {"log", CONF_LOG, K_STRING, 0, 0, offsetof(struct conffile, log),
     sizeof(((struct conffile *)0)->log)},
    {"on-alert", CONF_ON_ALERT, K_STRING, 0, 0, offsetof(struct conffile, on_alert),
     sizeof(((struct conffile *)0)->on_alert)},
    {"columns", CONF_COLUMNS, K_STRING, 0, 0, offsetof(struct conffile, columns),
     sizeof(((struct conffile *)0)->columns)},
    {"window", CONF_WINDOW, K_WHOLE, 1, 1000000, offsetof(struct conffile, window), 0},
    {"resolve-every", CONF_RESOLVE_EVERY, K_NUMBER, 0, 86400,
     offsetof(struct conffile, resolve_every), 0},
};

/* Set key k of c from val; NULL, or why not (in why). */
static const char *set_value(const struct key *k, const char *val, struct conffile *c, char *why,
                             size_t whycap)
{
	char *field = (char *)c + k->offset, *end;
	double v;

	switch (k->kind) {
	case K_BOOL:
		if (strcmp(val, "yes") == 0 || strcmp(val, "true") == 0 || strcmp(val, "on") == 0)
			*(bool *)field = true;
		else if (strcmp(val, "no") == 0 || strcmp(val, "false") == 0 ||
		         strcmp(val, "off") == 0)
			*(bool *)field = false;
		else
			return "expected yes or no";
		return NULL;
	case K_STRING:
		if (strlen(val) >= k->size) {
			snprintf(why, whycap, "too long (at most %zu characters)", k->size - 1);
			return why;
		}
		memcpy(field, val, strlen(val) + 1);
		return NULL;
	case K_SECONDS:
	case K_NUMBER:
	case K_WHOLE:
		break;
	}
	errno = 0;
	v = strtod(val, &end);
	if (!*val || *end || errno == ERANGE || !isfinite(v) ||
	    (k->kind == K_WHOLE && v != floor(v))) {
		snprintf(why, whycap, "'%.40s' is not %s", val,
		         k->kind == K_WHOLE     ? "a whole number"
		         : k->kind == K_SECONDS ? "a number of seconds"
		                                : "a number");
		return why;
	}
	if (v < k->min || v > k->max || (k->kind == K_SECONDS && v == 0)) {
		snprintf(why, whycap, "%.40s is out of range (%s %g to %g)", val,
		         k->kind == K_SECONDS ? "more than" : "from", k->min, k->max);
		return why;
	}
	if (k->kind == K_WHOLE && k->offset == offsetof(struct conffile, alert_down))
		*(int *)field = (int)v;
	else if (k->kind == K_WHOLE)
		*(long *)field = (long)v;
	else
		*(double *)field = v;
	return NULL;
}

/* i of bit 1 << i. */
static unsigned bit_index(unsigned bit)
{
	unsigned i = 0;

	while (i < CONF_KEYS - 1 && !(bit & (1u << i)))
		i++;
	return i;
}

unsigned conffile_line(const struct conffile *c, unsigned bit)
{
	return (c->set & bit) ? c->line[bit_index(bit)] : 0;
}

/* Has s a control character (a tab is none)? */
static bool control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			return true;
	return false;
}

int conffile_parse(const char *text, size_t len, const char *file, struct conffile *c, char *err,
                   size_t errcap)
{
	struct kvline k = {text, len, 0, file, 0, false};
	char buf[CONF_VALUE_MAX + 128], why[128];
	char *key, *val;
	int got;

	memset(c, 0, sizeof(*c));
	/* a comment starts a line ('#' inside a value is the value's:
	 * on-alert commands and paths have them) */
	while ((got = kvline_next(&k, buf, sizeof(buf), &key, &val, "key = value", err, errcap)) >
	       0) {
		unsigned line = k.line;
		const char *bad;
		size_t i;

		if (control(key) || control(val)) {
			snprintf(err, errcap, "%s:%u: a control character", file, line);
			return -1;
		}
		for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && strcmp(key, keys[i].name); i++)
			;
		if (i == sizeof(keys) / sizeof(keys[0])) {
			snprintf(err, errcap, "%s:%u: unknown key '%.40s'", file, line, key);
			return -1;
		}
		if (c->set & keys[i].bit) {
			snprintf(err, errcap, "%s:%u: '%s' set twice", file, line, key);
			return -1;
		}
		if (*val == '\0') {
			snprintf(err, errcap, "%s:%u: '%s' has no value", file, line, key);
			return -1;
		}
		bad = set_value(&keys[i], val, c, why, sizeof(why));
		if (bad) {
			snprintf(err, errcap, "%s:%u: %s: %s", file, line, key, bad);
			return -1;
		}
		c->set |= keys[i].bit;
		c->line[bit_index(keys[i].bit)] = line;
	}
	return got;
}

/* The file at path into *text (malloc'd, NUL after its *n bytes): 1 read,
 * 0 there is none (*text NULL), -1 with why in err. */
static int read_text(const char *path, char **text, size_t *n, char *err, size_t errcap)
{
	FILE *f = fopen(path, "r");
	int rc = 1;

	*text = NULL;
	*n = 0;
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		return -1;
	}
	*text = malloc(CONF_FILE_MAX + 2);
	if (!*text) {
		fclose(f);
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	*n = fread(*text, 1, CONF_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errcap, "%s: %s", path, strerror(errno));
		rc = -1;
	} else if (*n > CONF_FILE_MAX) {
		snprintf(err, errcap, "%s: larger than %d KiB: not a configuration", path,
		         CONF_FILE_MAX / 1024);
		rc = -1;
	}
	fclose(f);
	if (rc < 0) {
		free(*text);
		*text = NULL;
		return -1;
	}
	(*text)[*n] = '\0';
	return 1;
}

/* The configuration file's path into path. 1, 0 there is none (no HOME),
 * or -1 with why. */
static int config_path(char *path, size_t cap, char *err, size_t errcap)
{
	if (xdg_config_path("config", path, cap) == 0)
		return 1;
	if (errno == ENOENT)
		return 0; /* no HOME: nowhere to look */
	snprintf(err, errcap, "the configuration file's path is too long");
	return -1;
}

int conffile_load(struct conffile *c, char *err, size_t errcap)
{
	char path[4096];
	char *text;
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	if ((rc = config_path(path, sizeof(path), err, errcap)) <= 0)
		return rc;
	if ((rc = read_text(path, &text, &n, err, errcap)) <= 0)
		return rc;
	rc = conffile_parse(text, n, path, c, err, errcap) < 0 ? -1 : 1;
	free(text);
	if (rc == 1)
		snprintf(c->path, sizeof(c->path), "%s", path);
	return rc;
}

/* Does line (len bytes, no newline) set key (not a comment)? */
static bool sets_key(const char *line, size_t len, const char *key)
{
	size_t i = 0, k = strlen(key);

	while (i < len && isspace((unsigned char)line[i]))
		i++;
	if (len - i < k || memcmp(line + i, key, k) != 0)
		return false;
	for (i += k; i < len && isspace((unsigned char)line[i]); i++)
		;
	return i < len && line[i] == '=';
}

int conffile_store(const char *key, const char *value, char *path, size_t pathcap, char *err,
                   size_t errcap)
{
	char *old, *text, *p;
	size_t n, pos = 0, i;
	bool done = false;
	struct conffile check;
	int rc;

	for (i = 0; value[i]; i++)
		if ((unsigned char)value[i] < 0x20) {
			snprintf(err, errcap, "%s: a control character in the value", key);
			return -1;
		}
	if ((rc = config_path(path, pathcap, err, errcap)) <= 0) {
		if (rc == 0)
			snprintf(err, errcap, "no HOME nor XDG_CONFIG_HOME: nowhere to save");
		return -1;
	}
	if (read_text(path, &old, &n, err, errcap) < 0)
		return -1;
	/* the old text, the key's line replaced; room for one more line */
	text = malloc(n + strlen(key) + strlen(value) + 8);
	if (!text) {
		free(old);
		snprintf(err, errcap, "out of memory");
		return -1;
	}
	p = text;
	while (pos < n) {
		const char *nl = memchr(old + pos, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - (old + pos)) : n - pos;

		if (!done && sets_key(old + pos, len, key)) {
			p += sprintf(p, "%s = %s\n", key, value);
			done = true;
		} else {
			memcpy(p, old + pos, len);
			p += len;
			*p++ = '\n';
		}
		pos += len + 1;
	}
	if (!done)
		p += sprintf(p, "%s = %s\n", key, value);
	free(old);
	/* never write what the next start would refuse */
	rc = conffile_parse(text, (size_t)(p - text), path, &check, err, errcap);
	if (rc == 0) {
		atomic_make_parents(path);
		rc = atomic_replace(path, text, (size_t)(p - text), err, errcap);
	}
	free(text);
	return rc;
}
