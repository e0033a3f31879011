/*
 * fixed.h - numbers with a fixed number of decimals.
 */
#ifndef SONAR_FIXED_H
#define SONAR_FIXED_H

#include <stddef.h>
#include <stdio.h>

/*
 * Write x with this many decimals (0-9) into buf, without printf's slow
 * float conversion: exact for values already rounded to those decimals and
 * for nanosecond RTTs. Returns buf.
 */
char *fmt_fixed(char *buf, size_t cap, double x, int decimals);
/* Write x with this many decimals to f (fmt_fixed). */
void put_fixed(FILE *f, double x, int decimals);

#endif
