/*
 * flatjson.c - one flat JSON object a line, split in place.
 *
 * The line's buffer is changed: each string is unescaped where it lies
 * and each value ends with a NUL, so the members point into it and
 * nothing is allocated. Only what the recorder writes is taken: strings
 * whose escapes are JSON's (\\u only for ASCII other than NUL), numbers,
 * true and false; no nesting.
 */
#include "config.h"
#include "flatjson.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first character of s that is not a space or a tab. */
static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The string that starts after the opening quote at s, unescaped in
 * place; returns the character after the closing quote, NULL if bad. */
static char *string_in_place(char *s, const char **out)
{
	char *w = s;

	*out = s;
	for (;;) {
		unsigned char c = (unsigned char)*s++;

		if (c == '"')
			break;
		if (c < 0x20)
			return NULL; /* the end of the line, or a raw control */
		if (c != '\\') {
			*w++ = (char)c;
			continue;
		}
		c = (unsigned char)*s++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			*w++ = (char)c;
			break;
		case 'n':
			*w++ = '\n';
			break;
		case 't':
			*w++ = '\t';
			break;
		case 'u': {
			unsigned v = 0;
			int i;

			for (i = 0; i < 4; i++) {
				if (!isxdigit((unsigned char)s[i]))
					return NULL;
				v = v * 16 +
				    (unsigned)(isdigit((unsigned char)s[i])
				                   ? s[i] - '0'
				                   : tolower((unsigned char)s[i]) - 'a' + 10);
			}
			if (v == 0 || v > 0x7f) /* the recorder escapes only ASCII controls */
				return NULL;
			*w++ = (char)v;
			s += 4;
			break;
		}
		default:
			return NULL;
		}
	}
	*w = '\0';
	return s;
}

int flatjson_parse(char *s, struct flatjson *fl, char *why, size_t cap)
{
	fl->n = 0;
	s = skip_ws(s);
	if (*s++ != '{') {
		snprintf(why, cap, "not a JSON object");
		return -1;
	}
	s = skip_ws(s);
	if (*s == '}')
		goto end;
	for (;;) {
		const char *key, *val;
		bool str;

		if (fl->n == FLATJSON_MAX_FIELDS) {
			snprintf(why, cap, "more than %d members", FLATJSON_MAX_FIELDS);
			return -1;
		}
		if (*s++ != '"' || !(s = string_in_place(s, &key))) {
			snprintf(why, cap, "a member's name is not a string");
			return -1;
		}
		s = skip_ws(s);
		if (*s++ != ':') {
			snprintf(why, cap, "':' missing after \"%.40s\"", key);
			return -1;
		}
		s = skip_ws(s);
		str = *s == '"';
		if (str) {
			if (!(s = string_in_place(s + 1, &val))) {
				snprintf(why, cap, "\"%.40s\": a bad string", key);
				return -1;
			}
		} else {
			val = s;
			while (isalnum((unsigned char)*s) || *s == '-' || *s == '+' || *s == '.')
				s++;
			if (s == val) {
				snprintf(why, cap, "\"%.40s\": no value", key);
				return -1;
			}
		}
		{
			char *end = s;

			s = skip_ws(s);
			if (*s != ',' && *s != '}') {
				snprintf(why, cap, "',' or '}' missing after \"%.40s\"", key);
				return -1;
			}
			fl->key[fl->n] = key;
			fl->val[fl->n] = val;
			fl->str[fl->n] = str;
			fl->n++;
			if (*s == '}') {
				*end = '\0';
				break;
			}
			*end = '\0'; /* the value's end, after the ',' was seen */
			s = skip_ws(s + 1);
		}
	}
	s++;
end:
	s = skip_ws(s);
	if (*s && *s != '\n' && !(s[0] == '\r' && (s[1] == '\n' || !s[1]))) {
		snprintf(why, cap, "text after the object");
		return -1;
	}
	return 0;
}

const char *flatjson_get(const struct flatjson *fl, const char *key, bool str)
{
	int i;

	for (i = 0; i < fl->n; i++)
		if (strcmp(fl->key[i], key) == 0)
			return fl->str[i] == str ? fl->val[i] : NULL;
	return NULL;
}

bool flatjson_int(const struct flatjson *fl, const char *key, long long lo, long long hi,
                  long long *out, char *why, size_t cap)
{
	const char *v = flatjson_get(fl, key, false);
	char *end;

	errno = 0;
	if (v && (isdigit((unsigned char)*v) || *v == '-')) {
		*out = strtoll(v, &end, 10);
		if (!*end && !errno && *out >= lo && *out <= hi)
			return true;
	}
	snprintf(why, cap, "\"%s\": %s (an integer from %lld to %lld)", key,
	         v ? "out of range" : "missing", lo, hi);
	return false;
}

bool flatjson_double(const struct flatjson *fl, const char *key, double *out, char *why, size_t cap)
{
	const char *v = flatjson_get(fl, key, false);
	char *end;

	if (v) {
		*out = strtod(v, &end);
		if (!*end && isfinite(*out))
			return true;
	}
	snprintf(why, cap, "\"%s\": %s (a number)", key, v ? "not a finite number" : "missing");
	return false;
}

const char *flatjson_str(const struct flatjson *fl, const char *key, char *why, size_t cap)
{
	const char *v = flatjson_get(fl, key, true);

	if (!v)
		snprintf(why, cap, "\"%s\": missing (a string)", key);
	return v;
}
