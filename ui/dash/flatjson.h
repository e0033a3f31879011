/*
 * flatjson.h - a flat JSON object on one line (the recorder's lines:
 * record.h), split in place into its members; and their values checked
 * by kind and range. Pure: no I/O; the input is untrusted, every way it
 * can be wrong is a -1 or false with why.
 */
#ifndef SONAR_DASH_FLATJSON_H
#define SONAR_DASH_FLATJSON_H

#include <stdbool.h>
#include <stddef.h>

#define FLATJSON_MAX_FIELDS 24

/* One line's members: keys and values point into the line's buffer. */
struct flatjson {
	int n;
	const char *key[FLATJSON_MAX_FIELDS];
	const char *val[FLATJSON_MAX_FIELDS];
	bool str[FLATJSON_MAX_FIELDS]; /* a string (else a number, true, false) */
};

/* Split line (changed: strings unescaped, values ended) into fl. 0, or -1
 * with why. */
int flatjson_parse(char *line, struct flatjson *fl, char *why, size_t cap);
/* The value of key, or NULL; str: must it be a string (else a number). */
const char *flatjson_get(const struct flatjson *fl, const char *key, bool str);
/* The integer key in [lo, hi] into *out; false with why if absent or out
 * of range. */
bool flatjson_int(const struct flatjson *fl, const char *key, long long lo, long long hi,
                  long long *out, char *why, size_t cap);
/* The finite number key into *out; false with why if absent or bad. */
bool flatjson_double(const struct flatjson *fl, const char *key, double *out, char *why,
                     size_t cap);
/* The string key; NULL with why if absent. */
const char *flatjson_str(const struct flatjson *fl, const char *key, char *why, size_t cap);

#endif
