/*
 * json.h - JSON output for scripts: icmplib's property names.
 */
#ifndef SONAR_JSON_H
#define SONAR_JSON_H

#include <stdio.h>

#include "sonar.h"

/*
 * Write x with this many decimals (0-9) into buf, without printf's slow
 * float conversion: exact for values already rounded to those decimals and
 * for nanosecond RTTs. Returns buf.
 */
char *fmt_fixed(char *buf, size_t cap, double x, int decimals);
/* Write x with this many decimals to f (fmt_fixed). */
void put_fixed(FILE *f, double x, int decimals);

/* Write s as a JSON string (quoted, escaped). */
void json_string(FILE *f, const char *s);
/* Write one host as a JSON object; target is the name as given (or NULL). */
void json_host(FILE *f, const struct sonar_host *h, const char *target);

#endif
