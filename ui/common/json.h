/*
 * json.h - JSON output for scripts: icmplib's property names.
 */
#ifndef SONAR_JSON_H
#define SONAR_JSON_H

#include <stdio.h>

#include "asn.h"
#include "sonar.h"

/* Write s as a JSON string (quoted, escaped). */
void json_string(FILE *f, const char *s);
/* Write one host as a JSON object; target is the name as given (or NULL). */
void json_host(FILE *f, const struct sonar_host *h, const char *target);
/*
 * Write one traceroute hop with its AS (asn NULL: none): "asn" (the first
 * origin AS) and "as_name", null when unknown, and "asns" (every origin AS).
 */
void json_hop(FILE *f, const struct sonar_host *h, const struct asn_info *asn);
/* Write one event as a JSON line with an ISO-8601 UTC time (microseconds): --stream. */
void json_event(FILE *f, const struct sonar_event *ev);

#endif
