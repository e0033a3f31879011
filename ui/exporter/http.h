/*
 * http.h - the exporter's web server: libmicrohttpd driven from the
 * caller's select() loop (its external-select interface: no thread of its
 * own, none per request). It serves /metrics, / (the targets), /-/healthy
 * and /-/reload (POST or PUT) through the caller's handlers; any other
 * path is 404. Slow clients are dropped after a time, requests whose
 * headers do not fit a connection's memory are answered with an error,
 * connections beyond a limit wait in the kernel's backlog, and /metrics
 * answers beyond a limit at once are refused (503).
 */
#ifndef SONAR_HTTP_H
#define SONAR_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/select.h>
#include <sys/socket.h>

#include "metrics.h"

/* What the server asks of the program. Bodies are malloc'd; the server
 * frees them once sent. */
struct http_handlers {
	/* The exposition in format f: 0 with *body, *len; -1 out of memory. */
	int (*metrics_cb)(enum metrics_format f, char **body, size_t *len, void *user);
	/* The page at /: 0 with *body (HTML), *len; -1 out of memory. */
	int (*index_cb)(char **body, size_t *len, void *user);
	/* Reread the targets: 0, or -1 with why in err. */
	int (*reload_cb)(char *err, size_t errcap, void *user);
	void *user;
};

struct http_server;

/* Limits of the server (fixed here; tests/exporter_http.sh tests them). */
#define HTTP_CONNECTIONS    200   /* at once; more wait in the backlog */
#define HTTP_IDLE_SECONDS   10    /* a connection silent this long is closed */
#define HTTP_REQUEST_MEMORY 16384 /* bytes of a request's head */
/* /metrics answers held at once (each a whole exposition, MBs for
 * thousands of targets, kept until its client has read it); more are
 * refused with 503, as client_golang's MaxRequestsInFlight does */
#define HTTP_METRICS_IN_FLIGHT 10

/*
 * Parse ADDR:PORT for --listen: "127.0.0.1:9374", "[::1]:9374", or
 * ":9374" (every address, IPv6 and IPv4). 0 with *ss, *len; or -1 with
 * why in err. Pure.
 */
int http_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err,
                      size_t errcap);
/* Listen on the address; NULL with why in err. */
struct http_server *http_start(const struct sockaddr_storage *ss, const struct http_handlers *h,
                               char *err, size_t errcap);
/* Add the server's descriptors to the sets, raising *maxfd. 0, or -1 when
 * one is beyond FD_SETSIZE. */
int http_fds(struct http_server *s, fd_set *rd, fd_set *wr, fd_set *ex, int *maxfd);
/* Nanoseconds until the server needs http_process() anyway; -1 none. */
int64_t http_timeout(struct http_server *s);
/* Handle what select() found ready (requests run their handlers here). */
void http_process(struct http_server *s, const fd_set *rd, const fd_set *wr, const fd_set *ex);
/* Close every connection and the listening socket; free. */
void http_stop(struct http_server *s);

#endif
