/*
 * http.c - libmicrohttpd in the caller's loop.
 *
 * A request's handler runs in three calls (libmicrohttpd's contract): the
 * first only marks the connection (*con_cls), the middle ones are given the
 * body (discarded: nothing here reads one), the last answers. The handlers
 * run inside http_process(), so between two engine turns, never during one.
 */
#include "config.h"
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef HAVE_MICROHTTPD
#include <microhttpd.h>
#endif

#include "lookup.h"

int http_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len, char *err,
                      size_t errcap)
{
	char host[64];
	const char *colon = strrchr(s, ':'), *p;
	unsigned long port;
	size_t hlen;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (!colon || !colon[1]) {
		snprintf(err, errcap,
		         "listen address '%s': expected ADDR:PORT (e.g. 127.0.0.1:9374)", s);
		return -1;
	}
	for (p = colon + 1; *p; p++)
		if (*p < '0' || *p > '9')
			break;
	errno = 0;
	port = strtoul(colon + 1, &end, 10);
	if (*p || errno || port < 1 || port > 65535) {
		snprintf(err, errcap, "listen address '%s': port must be 1-65535", s);
		return -1;
	}
	hlen = (size_t)(colon - s);
	if (hlen >= 2 && s[0] == '[' && s[hlen - 1] == ']') {
		s++;
		hlen -= 2;
	} else if (memchr(s, ':', hlen)) {
		snprintf(err, errcap, "listen address '%s': an IPv6 address goes in brackets", s);
		return -1;
	}
	if (hlen >= sizeof(host)) {
		snprintf(err, errcap, "listen address: '%.*s' is too long", (int)hlen, s);
		return -1;
	}
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	if (hlen == 0 || inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		/* "" leaves in6addr_any: every address of both families */
		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		*len = sizeof(*a);
		return 0;
	}
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		*len = sizeof(*a);
		return 0;
	}
	snprintf(err, errcap, "listen address '%s': '%s' is not an IP address", s, host);
	return -1;
}

#ifdef HAVE_MICROHTTPD
struct http_server {
	struct MHD_Daemon *d;
	struct http_handlers h;
	int64_t log_second; /* the second of the last lines logged */
	int log_lines;      /* lines logged in it */
	int metrics_held;   /* /metrics answers queued and not yet completed */
};

/* A request's mark (*con_cls): seen, or holding a /metrics answer (which
 * request_done_cb counts out). */
static int seen, holds_metrics;

/* Most of libmicrohttpd's lines a second: 1,000 clients refused at once
 * are 1,000 lines otherwise. */
#define HTTP_LOG_PER_SECOND 5

/* libmicrohttpd's log lines, on stderr as the program's, at most
 * HTTP_LOG_PER_SECOND a second (then one line saying some were left out). */
static void log_cb(void *cls, const char *fmt, va_list ap)
{
	struct http_server *s = cls;
	int64_t sec = lookup_now_ns() / 1000000000;
	char line[512];
	size_t len;

	if (sec != s->log_second) {
		s->log_second = sec;
		s->log_lines = 0;
	}
	if (++s->log_lines > HTTP_LOG_PER_SECOND) {
		if (s->log_lines == HTTP_LOG_PER_SECOND + 1)
			fprintf(stderr, "sonar: http: more this second, not shown\n");
		return;
	}
	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len && line[len - 1] == '\n')
		line[--len] = '\0';
	fprintf(stderr, "sonar: http: %s\n", line);
}

/* Queue a response of status with body (taken over: freed by MHD). */
static enum MHD_Result answer(struct MHD_Connection *c, unsigned status, char *body, size_t len,
                              const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!r) {
		free(body);
		return MHD_NO; /* out of memory: the connection closes */
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* Queue a short text/plain response. */
static enum MHD_Result answer_text(struct MHD_Connection *c, unsigned status, const char *text)
{
	size_t len = strlen(text);
	char *body = malloc(len + 1);

	if (!body)
		return MHD_NO;
	memcpy(body, text, len + 1);
	return answer(c, status, body, len, "text/plain; charset=utf-8");
}

/* Answer a request once its body (if any) is in: the routes. */
static enum MHD_Result route(struct http_server *s, struct MHD_Connection *c, const char *url,
                             const char *method, void **con_cls)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	char *body = NULL;
	size_t len = 0;

	if (strcmp(url, "/metrics") == 0) {
		enum metrics_format f;

		enum MHD_Result ret;

		if (!get)
			return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET\n");
		if (s->metrics_held >= HTTP_METRICS_IN_FLIGHT)
			return answer_text(c, MHD_HTTP_SERVICE_UNAVAILABLE,
			                   "too many scrapes at once; try again\n");
		f = metrics_negotiate(
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
		if (s->h.metrics_cb(f, &body, &len, s->h.user) < 0)
			return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
		ret = answer(c, MHD_HTTP_OK, body, len, metrics_content_type(f));
		if (ret == MHD_YES) {
			/* held until the request completes (read, or dropped) */
			s->metrics_held++;
			*con_cls = &holds_metrics;
		}
		return ret;
	}
	if (strcmp(url, "/") == 0) {
		if (!get)
			return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET\n");
		if (s->h.index_cb(&body, &len, s->h.user) < 0)
			return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n");
		return answer(c, MHD_HTTP_OK, body, len, "text/html; charset=utf-8");
	}
	if (strcmp(url, "/-/healthy") == 0)
		return get ? answer_text(c, MHD_HTTP_OK, "OK\n")
		           : answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use GET\n");
	if (strcmp(url, "/-/reload") == 0) {
		char err[512], msg[600];

		/* as Prometheus's own: a change of state is never a GET */
		if (strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0)
			return answer_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "use POST\n");
		if (s->h.reload_cb(err, sizeof(err), s->h.user) < 0) {
			snprintf(msg, sizeof(msg), "failed to reload: %s\n", err);
			return answer_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, msg);
		}
		return answer_text(c, MHD_HTTP_OK, "reloaded\n");
	}
	return answer_text(c, MHD_HTTP_NOT_FOUND, "404 page not found\n");
}

/* libmicrohttpd's access handler: mark, swallow the body, then answer. */
static enum MHD_Result request_cb(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
	(void)version;
	(void)upload_data;
	if (!*con_cls) {
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0; /* no route reads a body */
		return MHD_YES;
	}
	return route(cls, c, url, method, con_cls);
}

/* A request ended (answered, timed out, its client gone): a /metrics
 * answer it held is let go. */
static void request_done_cb(void *cls, struct MHD_Connection *c, void **con_cls,
                            enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;

	(void)c;
	(void)toe;
	if (*con_cls == &holds_metrics)
		s->metrics_held--;
	*con_cls = NULL;
}

struct http_server *http_start(const struct sockaddr_storage *ss, const struct http_handlers *h,
                               char *err, size_t errcap)
{
	struct http_server *s = calloc(1, sizeof(*s));
	unsigned flags = MHD_USE_ERROR_LOG;

	if (!s) {
		snprintf(err, errcap, "out of memory");
		return NULL;
	}
	s->h = *h;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;

		/* [::]: IPv4 too, as Go's ":9374" */
		flags |= IN6_IS_ADDR_UNSPECIFIED(&a->sin6_addr) ? MHD_USE_DUAL_STACK : MHD_USE_IPv6;
	}
	/* no MHD_USE_INTERNAL_POLLING_THREAD: external select, no threads */
	s->d = MHD_start_daemon(flags, 0, NULL, NULL, request_cb, s,
	                        /* the logger first, as libmicrohttpd asks */
	                        MHD_OPTION_EXTERNAL_LOGGER, log_cb, s, MHD_OPTION_SOCK_ADDR, ss,
	                        MHD_OPTION_NOTIFY_COMPLETED, request_done_cb, s,
	                        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTIONS,
	                        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_IDLE_SECONDS,
	                        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_REQUEST_MEMORY,
	                        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)128, MHD_OPTION_END);
	if (!s->d) {
		snprintf(err, errcap, "cannot listen there (in use? not an address of this host?)");
		free(s);
		return NULL;
	}
	return s;
}

int http_fds(struct http_server *s, fd_set *rd, fd_set *wr, fd_set *ex, int *maxfd)
{
	MHD_socket max = *maxfd;

	if (MHD_get_fdset2(s->d, rd, wr, ex, &max, FD_SETSIZE) != MHD_YES)
		return -1;
	if (max > *maxfd)
		*maxfd = max;
	return 0;
}

int64_t http_timeout(struct http_server *s)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (MHD_get_timeout(s->d, &ms) != MHD_YES)
		return -1;
	if (ms > 86400000ULL)
		ms = 86400000ULL;
	return (int64_t)ms * 1000000;
}

void http_process(struct http_server *s, const fd_set *rd, const fd_set *wr, const fd_set *ex)
{
	MHD_run_from_select(s->d, rd, wr, ex);
}

void http_stop(struct http_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}

#endif /* HAVE_MICROHTTPD */
