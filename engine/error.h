/*
 * error.h - the library's error state: a thread-local message for
 * sonar_last_error(), and icmplib's wording for ICMP error messages.
 */
#ifndef SONAR_ERROR_H
#define SONAR_ERROR_H

#include <stddef.h>

/* Record a message for sonar_last_error() and return code. */
int error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Describe an ICMP error message (family 4 or 6) in icmplib's words into
 * buf; return SONAR_EUNREACH, SONAR_ETIMEEXCEEDED or SONAR_EICMP.
 */
int error_icmp(int family, int type, int code, char *buf, size_t cap);

#endif
