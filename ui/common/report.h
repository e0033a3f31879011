/*
 * report.h - results as text tables, CSV and exit codes.
 */
#ifndef SONAR_REPORT_H
#define SONAR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "asn.h"
#include "sonar.h"

/* Write s as a CSV field (quoted when it holds a comma, quote or newline). */
void csv_field(FILE *f, const char *s);
/* CSV header for hosts (target first) or hops (distance first). */
void report_csv_header(FILE *f, bool hops);
/* One CSV row; target NULL for a hop. */
void report_csv_host(FILE *f, const struct sonar_host *h, const char *target);
/*
 * hosts[] as a JSON array (json true) or CSV with its header; names[] gives
 * each host's target, or NULL for traceroute hops (then "distance" leads).
 */
void report_hosts(FILE *f, bool json, const struct sonar_host *hosts, size_t n, char *const *names);
/* The multiping table: one row per target, in input order. */
void report_table(FILE *f, const struct sonar_host *hosts, char *const *names, size_t n);
/*
 * traceroute's hops (asn NULL, or asn[i] the AS of hops[i]) as a JSON array
 * or CSV; with asn, JSON hops have "asn", "as_name" and "asns", CSV rows end
 * in asn,as_name.
 */
void report_hops(FILE *f, bool json, const struct sonar_host *hops, size_t n,
                 const struct asn_info *asn);
/*
 * The traceroute's hops, one line per TTL from first_hop to the last hop
 * that answered, "*" for the silent ones in between; with asn (asn[i] for
 * hops[i]), each hop's AS in brackets after its address ("" when unknown).
 */
void report_trace(FILE *f, const struct sonar_host *hops, size_t n, int first_hop,
                  const struct asn_info *asn);
/*
 * mtr's report (mtr -r): a header naming target, then one line per TTL from
 * first_hop to the last hop that answered: Loss%, Snt, Last, Avg, Best,
 * Wrst, StDev and Jitter in ms (to the microsecond); "???" with 100% loss
 * for a silent TTL, which was sent silent_sent probes. With asn (asn[i] for
 * hops[i]) an AS column before the host, as mtr -z: "AS???" when unknown.
 */
void report_mtr(FILE *f, const char *target, const struct sonar_host *hops, size_t n, int first_hop,
                int silent_sent, const struct asn_info *asn);
/*
 * Several flows' traces of one destination (hops[k], n[k] for flow k), one
 * line per responder of each TTL with the flows that met it, their mean
 * RTT and loss: where ECMP parts the paths a TTL has two lines (a fork).
 * "*" for a TTL no flow heard.
 */
void report_forks(FILE *f, const struct sonar_host *const *hops, const size_t *n, size_t flows,
                  int first_hop);
/*
 * fping's exit code for these results: 2 when a name did not resolve, 4 for
 * a system failure, 1 when a target did not answer, else 0.
 */
int report_exit_code(const struct sonar_host *hosts, size_t n);

#endif
