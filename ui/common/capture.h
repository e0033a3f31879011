/*
 * capture.h - the ICMP and ICMPv6 packets on the wire (libpcap), decoded
 * with the engine's codec. Built without libpcap, opening says so.
 */
#ifndef SONAR_CAPTURE_H
#define SONAR_CAPTURE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/time.h>

#include "sonar.h"

enum { DIR_UNKNOWN, DIR_IN, DIR_OUT };

/* One captured packet. */
struct cap_line {
	struct timeval ts;
	int dir;  /* DIR_* */
	bool own; /* one of sonar's probes, replies or errors about them */
	struct sonar_packet p;
};

struct capture;

/* Called for each packet read. */
typedef void (*capture_cb)(struct cap_line *l, void *user);

/*
 * Capture live on every interface ("any"), ICMP and ICMPv6 only (a BPF
 * filter), without blocking. NULL with the reason in err (no privilege,
 * built without libpcap ...).
 */
struct capture *capture_open_live(char *err, size_t cap);
/* Read packets from a pcap file instead. NULL with the reason in err. */
struct capture *capture_open_file(const char *path, char *err, size_t cap);
/* The descriptor to select() on (-1 for a file: read it in a loop). */
int capture_fd(const struct capture *c);
/*
 * Hand every packet waiting to cb. Returns how many, -1 on an error
 * (capture_error() says which), -2 at the end of a file.
 */
int capture_read(struct capture *c, capture_cb cb, void *user);
/* The last error's text. */
const char *capture_error(const struct capture *c);
/* Stop and free. */
void capture_close(struct capture *c);
/* One packet as a line of text (no newline). */
void capture_format(const struct cap_line *l, char *buf, size_t cap);
/* One packet as a JSON object and a newline. */
void capture_json(FILE *f, const struct cap_line *l);
/* Does the packet concern address (source, destination or quoted)? */
bool capture_about(const struct cap_line *l, const char *address);

#endif
