/*
 * capture.c - libpcap on every interface, link layers peeled off, the IP
 * packet decoded by sonar_decode(). Without libpcap, only the formatting
 * remains and opening explains why there is nothing to open.
 */
#include "config.h"
#include "capture.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"

#ifdef HAVE_PCAP
#include <dlfcn.h>
#include <pcap/pcap.h>
#include <pcap/sll.h>

/*
 * libpcap is loaded when a capture opens, not when sonar starts: it pulls
 * in dbus, systemd and compression libraries, megabytes of RSS that a
 * multiping of 10,000 targets would otherwise carry for nothing.
 */
static struct {
	void *lib;
	pcap_t *(*create)(const char *, char *);
	int (*set_snaplen)(pcap_t *, int);
	int (*set_immediate_mode)(pcap_t *, int);
	int (*set_timeout)(pcap_t *, int);
	int (*activate)(pcap_t *);
	char *(*geterr)(pcap_t *);
	void (*close)(pcap_t *);
	int (*setnonblock)(pcap_t *, int, char *);
	pcap_t *(*open_offline)(const char *, char *);
	int (*compile)(pcap_t *, struct bpf_program *, const char *, int, bpf_u_int32);
	int (*setfilter)(pcap_t *, struct bpf_program *);
	void (*freecode)(struct bpf_program *);
	int (*get_selectable_fd)(pcap_t *);
	int (*dispatch)(pcap_t *, int, pcap_handler, u_char *);
	int (*datalink)(pcap_t *);
} pc;

/* Load libpcap once. 0, or -1 with the reason in err. */
static int load_pcap(char *err, size_t cap)
{
	static const char *const names[] = {"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};
	size_t i;

	if (pc.lib)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]) && !pc.lib; i++)
		pc.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!pc.lib) {
		snprintf(err, cap, "capture: cannot load libpcap (%s)", dlerror());
		return -1;
	}
#define LOAD(field, sym)                                                                           \
	do {                                                                                       \
		*(void **)&pc.field = dlsym(pc.lib, sym);                                          \
		if (!pc.field) {                                                                   \
			snprintf(err, cap, "capture: libpcap lacks %s", sym);                      \
			dlclose(pc.lib);                                                           \
			pc.lib = NULL;                                                             \
			return -1;                                                                 \
		}                                                                                  \
	} while (0)
	LOAD(create, "pcap_create");
	LOAD(set_snaplen, "pcap_set_snaplen");
	LOAD(set_immediate_mode, "pcap_set_immediate_mode");
	LOAD(set_timeout, "pcap_set_timeout");
	LOAD(activate, "pcap_activate");
	LOAD(geterr, "pcap_geterr");
	LOAD(close, "pcap_close");
	LOAD(setnonblock, "pcap_setnonblock");
	LOAD(open_offline, "pcap_open_offline");
	LOAD(compile, "pcap_compile");
	LOAD(setfilter, "pcap_setfilter");
	LOAD(freecode, "pcap_freecode");
	LOAD(get_selectable_fd, "pcap_get_selectable_fd");
	LOAD(dispatch, "pcap_dispatch");
	LOAD(datalink, "pcap_datalink");
#undef LOAD
	return 0;
}

#define SNAPLEN 512 /* headers and enough payload for any quoted echo */

struct capture {
	pcap_t *p;
	int fd;
	bool file;
	char err[PCAP_ERRBUF_SIZE + 64];
};

/* Read a big-endian 16-bit value. */
static unsigned be16(const unsigned char *b)
{
	return (unsigned)b[0] << 8 | b[1];
}

/* Where the IP packet starts in a frame of this link type, and its
 * direction; -1 when it carries no IP. */
static long ip_offset(int dlt, const unsigned char *f, size_t len, int *dir)
{
	unsigned type;

	*dir = DIR_UNKNOWN;
	switch (dlt) {
	case DLT_LINUX_SLL: /* "any": 16 bytes; packet type first, protocol last */
		if (len < 16)
			return -1;
		*dir = be16(f) == LINUX_SLL_OUTGOING ? DIR_OUT : DIR_IN;
		type = be16(f + 14);
		return type == 0x0800 || type == 0x86dd ? 16 : -1;
	case DLT_LINUX_SLL2: /* 20 bytes; protocol first, packet type at 10 */
		if (len < 20)
			return -1;
		*dir = f[10] == LINUX_SLL_OUTGOING ? DIR_OUT : DIR_IN;
		type = be16(f);
		return type == 0x0800 || type == 0x86dd ? 20 : -1;
	case DLT_EN10MB: {
		long off = 12;

		if (len < 14)
			return -1;
		type = be16(f + 12);
		if (type == 0x8100 && len >= 18) { /* one VLAN tag */
			type = be16(f + 16);
			off = 16;
		}
		return type == 0x0800 || type == 0x86dd ? off + 2 : -1;
	}
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		return 0;
	default:
		return -1;
	}
}

/* Open with a filter for ICMP and ICMPv6. */
static struct capture *finish_open(pcap_t *p, bool file, char *err, size_t cap)
{
	struct bpf_program prog;
	struct capture *c = calloc(1, sizeof(*c));

	if (!c) {
		pc.close(p);
		snprintf(err, cap, "out of memory");
		return NULL;
	}
	c->p = p;
	c->file = file;
	/* "icmp6" alone misses ICMPv6 behind extension headers (hop-by-hop,
	 * routing, fragment, destination options): take those too, the
	 * decoder drops what is not ICMP; and the same behind a VLAN tag (the
	 * filter's offsets move past it after "vlan") */
	if (pc.compile(p, &prog,
	               "icmp or icmp6 or (ip6 and (ip6[6] == 0 or ip6[6] == 43 or ip6[6] == 44 "
	               "or ip6[6] == 60)) or (vlan and (icmp or icmp6 or (ip6 and (ip6[6] == 0 "
	               "or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 60))))",
	               1, PCAP_NETMASK_UNKNOWN) == 0) {
		pc.setfilter(p, &prog);
		pc.freecode(&prog);
	}
	c->fd = file ? -1 : pc.get_selectable_fd(p);
	return c;
}

struct capture *capture_open_live(char *err, size_t cap)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;
	int r;

	if (load_pcap(err, cap) < 0)
		return NULL;
	p = pc.create("any", e);
	if (!p) {
		snprintf(err, cap, "capture: %s", e);
		return NULL;
	}
	pc.set_snaplen(p, SNAPLEN);
	pc.set_immediate_mode(p, 1); /* each packet as it comes, not in batches */
	pc.set_timeout(p, 100);
	r = pc.activate(p);
	if (r < 0) {
		/* PCAP_ERROR_PERM_DENIED: no CAP_NET_RAW */
		snprintf(err, cap, "capture: %s%s", pc.geterr(p),
		         r == PCAP_ERROR_PERM_DENIED ? " (needs root or cap_net_raw)" : "");
		pc.close(p);
		return NULL;
	}
	if (pc.setnonblock(p, 1, e) < 0) {
		snprintf(err, cap, "capture: %s", e);
		pc.close(p);
		return NULL;
	}
	return finish_open(p, false, err, cap);
}

struct capture *capture_open_file(const char *path, char *err, size_t cap)
{
	char e[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p;

	if (load_pcap(err, cap) < 0)
		return NULL;
	p = pc.open_offline(path, e);
	if (!p) {
		snprintf(err, cap, "%s", e);
		return NULL;
	}
	return finish_open(p, true, err, cap);
}

int capture_fd(const struct capture *c)
{
	return c->fd;
}

struct dispatch {
	struct capture *c;
	capture_cb cb;
	void *user;
	int n;
};

/* One frame from libpcap: peel, decode, hand on. */
static void on_frame(unsigned char *arg, const struct pcap_pkthdr *h, const unsigned char *f)
{
	struct dispatch *d = (struct dispatch *)arg;
	struct cap_line l;
	long off = ip_offset(pc.datalink(d->c->p), f, h->caplen, &l.dir);

	if (off < 0 || (size_t)off >= h->caplen)
		return;
	if (sonar_decode(f + off, h->caplen - (size_t)off, &l.p) < 0)
		return;
	if (h->len > h->caplen)
		l.p.truncated = true;
	l.ts = h->ts;
	l.own = false;
	d->cb(&l, d->user);
	d->n++;
}

int capture_read(struct capture *c, capture_cb cb, void *user)
{
	struct dispatch d = {c, cb, user, 0};
	int r = pc.dispatch(c->p, c->file ? 1000 : -1, on_frame, (unsigned char *)&d);

	if (r == PCAP_ERROR) {
		snprintf(c->err, sizeof(c->err), "capture: %s", pc.geterr(c->p));
		return -1;
	}
	if (c->file && r == 0)
		return -2;
	return d.n;
}

const char *capture_error(const struct capture *c)
{
	return c->err;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	pc.close(c->p);
	free(c);
}

#else /* !HAVE_PCAP */

struct capture {
	int unused;
};

struct capture *capture_open_live(char *err, size_t cap)
{
	snprintf(err, cap, "built without capture support (configure --with-pcap)");
	return NULL;
}

struct capture *capture_open_file(const char *path, char *err, size_t cap)
{
	(void)path;
	return capture_open_live(err, cap);
}

int capture_fd(const struct capture *c)
{
	(void)c;
	return -1;
}

int capture_read(struct capture *c, capture_cb cb, void *user)
{
	(void)c;
	(void)cb;
	(void)user;
	return -1;
}

const char *capture_error(const struct capture *c)
{
	(void)c;
	return "built without capture support";
}

void capture_close(struct capture *c)
{
	(void)c;
}

#endif /* HAVE_PCAP */

/* "hh:mm:ss.uuuuuu" of a capture time, local. */
static void clock_text(const struct timeval *tv, char *buf, size_t cap)
{
	struct tm tm;
	time_t t = tv->tv_sec;

	localtime_r(&t, &tm);
	snprintf(buf, cap, "%02d:%02d:%02d.%06ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (long)tv->tv_usec);
}

void capture_format(const struct cap_line *l, char *buf, size_t cap)
{
	const struct sonar_packet *p = &l->p;
	char when[32];
	int n;

	clock_text(&l->ts, when, sizeof(when));
	n = snprintf(buf, cap, "%s %-3s %-5s %s > %s %s", when,
	             l->dir == DIR_OUT  ? "out"
	             : l->dir == DIR_IN ? "in"
	                                : "",
	             l->own ? "sonar" : "other", p->src, p->dst,
	             strcmp(p->name, "other") ? p->name : "type");
	if (n < 0 || (size_t)n >= cap)
		return;
	if (!strcmp(p->name, "other"))
		n += snprintf(buf + n, cap - (size_t)n, " %d", p->type);
	if (p->detail[0] && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, " (%s)", p->detail);
	if (p->id >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, " id=%d seq=%d", p->id, p->seq);
	if (p->quoted_dst[0] && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, " for %s", p->quoted_dst);
	if ((size_t)n < cap)
		snprintf(buf + n, cap - (size_t)n, " %s=%d len=%zu%s",
		         p->family == 6 ? "hlim" : "ttl", p->ttl, p->length,
		         p->truncated ? " (cut)" : "");
}

void capture_json(FILE *f, const struct cap_line *l)
{
	const struct sonar_packet *p = &l->p;
	char when[40];
	struct tm tm;
	time_t t = l->ts.tv_sec;

	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(f, "{\"time\": \"%s.%06ldZ\", \"direction\": \"%s\", \"own\": %s, \"family\": %d",
	        when, (long)l->ts.tv_usec,
	        l->dir == DIR_OUT  ? "out"
	        : l->dir == DIR_IN ? "in"
	                           : "unknown",
	        l->own ? "true" : "false", p->family);
	fputs(", \"src\": ", f);
	json_string(f, p->src);
	fputs(", \"dst\": ", f);
	json_string(f, p->dst);
	fprintf(f, ", \"type\": %d, \"code\": %d, \"name\": ", p->type, p->code);
	json_string(f, p->name);
	if (p->detail[0]) {
		fputs(", \"detail\": ", f);
		json_string(f, p->detail);
	}
	if (p->id >= 0)
		fprintf(f, ", \"id\": %d, \"seq\": %d", p->id, p->seq);
	if (p->quoted_dst[0]) {
		fputs(", \"quoted_dst\": ", f);
		json_string(f, p->quoted_dst);
	}
	fprintf(f, ", \"ttl\": %d, \"length\": %zu, \"truncated\": %s}\n", p->ttl, p->length,
	        p->truncated ? "true" : "false");
}

bool capture_about(const struct cap_line *l, const char *address)
{
	return !strcmp(l->p.src, address) || !strcmp(l->p.dst, address) ||
	       !strcmp(l->p.quoted_dst, address);
}
