/*
 * sock.c - socket creation, sending and receiving with control messages.
 */
#include "config.h"
#include "sock.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "codec.h"
#include "error.h"
#include "sonar.h"

/* Receive buffer we ask for: 10,000 targets' replies may land at once. */
#define RCVBUF_BYTES (8 * 1024 * 1024)
/* linux/in.h's and in6.h's (Linux 5.9), which netinet/in.h may lack */
#define SONAR_IP_RECVERR_RFC4884   26
#define SONAR_IPV6_RECVERR_RFC4884 31
/* linux/errqueue.h's SO_EE_RFC4884_FLAG_INVALID (5.9) */
#define SONAR_EE_RFC4884_FLAG_INVALID 1

/* Explain why socket() failed, one errno at a time (iputils' create_socket). */
static int socket_error(int err, int family, bool raw)
{
	switch (err) {
	case EPERM:  /* raw: no CAP_NET_RAW; datagram: gid outside ping_group_range */
	case EACCES: /* same, as some kernels and LSMs report it */
		if (raw)
			return error_set(SONAR_EPERM,
			                 "Root privileges are required to create the socket");
		return error_set(SONAR_EPERM,
		                 "A prior configuration of your OS is required to use ICMP "
		                 "sockets without root privileges (sysctl "
		                 "net.ipv4.ping_group_range must include your group, or "
		                 "setcap cap_net_raw+ep on the program)");
	case EAFNOSUPPORT:    /* IPv6 disabled or not built in this kernel */
	case EPROTONOSUPPORT: /* ICMP datagram sockets not built in */
		return error_set(SONAR_ESOCKET, "IPv%d ICMP %s sockets are not supported here: %s",
		                 family, raw ? "raw" : "datagram", strerror(err));
	case EMFILE: /* this process is out of descriptors */
	case ENFILE: /* the system is */
		return error_set(SONAR_ESOCKET, "No file descriptor left: %s", strerror(err));
	case ENOBUFS: /* kernel memory */
	case ENOMEM:
		return error_set(SONAR_ENOMEM, "Out of memory: %s", strerror(err));
	default:
		return error_set(SONAR_ESOCKET, "Cannot create the socket: %s", strerror(err));
	}
}

/* Set an int socket option, ignoring failure when optional. */
static int set_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/* Let only the ICMP types sonar parses reach a raw socket: every raw ICMP
 * socket sees every ICMP packet, so filtering in the kernel saves CPU. */
static void install_filter(int fd, int family)
{
	if (family == 6) {
		struct icmp6_filter f;

		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
		setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
	} else {
		struct icmp_filter f;

		/* Bits set are blocked. Not Source Quench (retired by RFC
		 * 6633) nor Redirect: never an answer to a probe. */
		f.data = ~((1u << ICMP4_ECHO_REPLY) | (1u << ICMP4_UNREACH) |
		           (1u << ICMP4_TIME_EXCEEDED) | (1u << ICMP4_PARAM_PROBLEM));
		setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	}
}

/* A raw TCP socket is handed every TCP segment this host receives: let
 * through only the answers to SYN probes (an ACK with SYN or RST, to one
 * of the flows' source ports). IPv4's begin with the IP header, IPv6's with
 * the TCP header. */
static void install_tcp_filter(int fd, int family)
{
	struct sock_filter code[] = {
	    family == 6 ? (struct sock_filter)BPF_STMT(BPF_LDX | BPF_IMM, 0)
	                : (struct sock_filter)BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
	    BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2), /* destination port */
	    BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, SONAR_TCP_FLOW_PORT, 0, 5),
	    BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, SONAR_TCP_FLOW_PORT + SONAR_TCP_FLOWS - 1, 4, 0),
	    BPF_STMT(BPF_LD | BPF_B | BPF_IND, 13), /* flags */
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TCP_FLAG_ACK, 0, 2),
	    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, TCP_FLAG_SYN | TCP_FLAG_RST, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, 0xffff), /* keep it */
	    BPF_STMT(BPF_RET | BPF_K, 0),      /* drop it */
	};
	struct sock_fprog prog = {sizeof(code) / sizeof(code[0]), code};

	setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

int sock_open(int family, bool raw, int probe, const struct addr *source, struct sock **out)
{
	static unsigned next_index;
	int af = family == 6 ? AF_INET6 : AF_INET;
	bool udp = probe == SONAR_PROTO_UDP, tcp = probe == SONAR_PROTO_TCP;
	int proto = udp           ? IPPROTO_UDP
	            : tcp         ? IPPROTO_TCP
	            : family == 6 ? IPPROTO_ICMPV6
	                          : IPPROTO_ICMP;
	struct sock *s;
	const char *env;
	int fd, rcvbuf;

	if (tcp && !raw) { /* a record only: probes open their own */
		s = calloc(1, sizeof(*s));
		if (!s)
			return error_set(SONAR_ENOMEM, "Out of memory");
		s->fd = -1;
		s->family = family;
		s->tcp = true;
		if (source)
			s->source = *source;
		s->index = next_index++;
		*out = s;
		return 0;
	}
	raw = raw && !udp;
	fd = socket(af, (raw ? SOCK_RAW : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return socket_error(errno, family, raw);

	/* Kernel receive timestamps: RTTs end when the packet arrived, not
	 * when our loop got round to it. */
	set_int(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1);
	/* The count of packets dropped for a full buffer, with each message:
	 * what overflowed is known, not guessed. */
	set_int(fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
	/* A big buffer, forced past rmem_max when we may (root).
	 * SONAR_RCVBUF (bytes) sets another size, for tuning and for tests
	 * that make it overflow on purpose. */
	rcvbuf = RCVBUF_BYTES;
	if ((env = getenv("SONAR_RCVBUF")) && atol(env) >= 1024 && atol(env) <= (1L << 28))
		rcvbuf = (int)atol(env);
	if (set_int(fd, SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf) < 0)
		set_int(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
	/* errors reach datagram sockets only through the queue; with
	 * RECVERR_RFC4884 (Linux 5.9) the queue also says where an RFC 4884
	 * extension (MPLS labels) starts in what it hands back: without it
	 * (an older kernel) the hops come, their labels do not */
	if (family == 6) {
		set_int(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
		if (!raw) {
			set_int(fd, IPPROTO_IPV6, IPV6_RECVERR, 1);
			set_int(fd, IPPROTO_IPV6, SONAR_IPV6_RECVERR_RFC4884, 1);
		}
	} else {
		set_int(fd, IPPROTO_IP, IP_RECVTTL, 1);
		if (!raw) {
			set_int(fd, IPPROTO_IP, IP_RECVERR, 1);
			set_int(fd, IPPROTO_IP, SONAR_IP_RECVERR_RFC4884, 1);
		}
	}
	if (raw && tcp)
		install_tcp_filter(fd, family);
	else if (raw)
		install_filter(fd, family);

	if (source && source->len) {
		char text[SONAR_ADDRSTRLEN];

		if (bind(fd, (const struct sockaddr *)&source->ss, source->len) < 0) {
			int err = errno;

			close(fd);
			addr_to_string(source, text, sizeof(text));
			/* EADDRNOTAVAIL: no interface has it; EINVAL: family mismatch */
			if (err == EADDRNOTAVAIL || err == EINVAL)
				return error_set(SONAR_ESOCKADDR,
				                 "The requested address (%s) cannot be assigned to "
				                 "the socket",
				                 text);
			return error_set(SONAR_ESOCKET, "Cannot bind to %s: %s", text,
			                 strerror(err));
		}
	}

	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return error_set(SONAR_ENOMEM, "Out of memory");
	}
	s->fd = fd;
	s->family = family;
	s->raw = raw;
	s->udp = udp;
	s->tcp = tcp;
	if (source)
		s->source = *source;
	s->index = next_index++;
	*out = s;
	return 0;
}

void sock_close(struct sock *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

int sock_send(struct sock *s, const struct addr *to, const uint8_t *pkt, size_t len, int ttl,
              int tclass)
{
	union {
		char buf[CMSG_SPACE(sizeof(int)) * 2];
		struct cmsghdr align;
	} control;
	struct iovec iov = {(void *)pkt, len};
	struct msghdr msg = {0};
	struct cmsghdr *c;
	ssize_t r;

	memset(&control, 0, sizeof(control));
	msg.msg_name = (void *)&to->ss;
	msg.msg_namelen = to->len;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);

	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = s->family == 6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = s->family == 6 ? IPV6_HOPLIMIT : IP_TTL;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &ttl, sizeof(int));
	c = CMSG_NXTHDR(&msg, c);
	c->cmsg_level = s->family == 6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = s->family == 6 ? IPV6_TCLASS : IP_TOS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &tclass, sizeof(int));

	r = sendmsg(s->fd, &msg, MSG_DONTWAIT);
	if (r < 0 && errno != EAGAIN && errno != ENOBUFS && errno != EMSGSIZE && errno != EBADF) {
		/* An ICMP error that reached this socket earlier (a router's Time
		 * Exceeded, say) is left pending in the socket, and the kernel
		 * reports it on the next send, clearing it (sock_error() on the
		 * allocation path). That failure is not this send's: try once
		 * more, and only a second failure counts. */
		r = sendmsg(s->fd, &msg, MSG_DONTWAIT);
	}
	if (r < 0)
		return -errno;
	if ((size_t)r != len)
		return -EMSGSIZE;
	return 0;
}

/* Read the control messages of one received message into m. */
static void read_cmsgs(struct msghdr *msg, struct sock_msg *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct timespec))) {
			memcpy(&m->stamp, CMSG_DATA(c), sizeof(struct timespec));
			m->has_stamp = true;
		} else if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL &&
		           c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
			memcpy(&m->dropped, CMSG_DATA(c), sizeof(uint32_t));
			m->has_dropped = true;
		} else if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
		            (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) &&
		           c->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int v;

			memcpy(&v, CMSG_DATA(c), sizeof(int));
			m->ttl = v;
		} else if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		            (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) &&
		           c->cmsg_len >= CMSG_LEN(sizeof(struct sock_extended_err))) {
			struct sock_extended_err ee;
			size_t room = c->cmsg_len - CMSG_LEN(sizeof(ee));

			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			m->ee_origin = ee.ee_origin;
			m->ee_type = ee.ee_type;
			m->ee_code = ee.ee_code;
			m->ee_errno = (int)ee.ee_errno;
			/* RFC 4884: the extension's offset in the payload, 0 none
			 * (ee_data as struct sock_ee_data_rfc4884, which headers
			 * from before Linux 5.9 do not have) */
			if (ee.ee_origin == SO_EE_ORIGIN_ICMP ||
			    ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
				struct {
					uint16_t len;
					uint8_t flags;
					uint8_t reserved;
				} x;

				memcpy(&x, &ee.ee_data, sizeof(x));
				m->ext_offset = x.len;
				m->ext_invalid = x.flags & SONAR_EE_RFC4884_FLAG_INVALID;
			}
			if (room >= sizeof(struct sockaddr_in)) {
				struct sockaddr_storage off;

				memset(&off, 0, sizeof(off));
				memcpy(&off, CMSG_DATA(c) + sizeof(ee),
				       room < sizeof(off) ? room : sizeof(off));
				addr_from_sockaddr(&m->offender, (struct sockaddr *)&off,
				                   (socklen_t)room);
			}
		}
	}
}

int sock_recv(struct sock *s, bool errqueue, uint8_t *buf, size_t cap, struct sock_msg *m)
{
	union {
		char buf[512];
		struct cmsghdr align;
	} control;
	struct sockaddr_storage from;
	struct iovec iov = {buf, cap};
	struct msghdr msg = {0};
	ssize_t r;

	memset(m, 0, sizeof(*m));
	m->ttl = -1;
	msg.msg_name = &from;
	msg.msg_namelen = sizeof(from);
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = control.buf;
	msg.msg_controllen = sizeof(control.buf);

	r = recvmsg(s->fd, &msg, MSG_DONTWAIT | (errqueue ? MSG_ERRQUEUE : 0));
	if (r < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return -errno;
	}
	m->len = (size_t)r;
	if (msg.msg_flags & MSG_TRUNC)
		m->len = 0; /* never parse a cut datagram as if it were whole */
	m->is_error = errqueue;
	/* addr_from_sockaddr() clears the port (ICMP has none): keep it */
	if (from.ss_family == AF_INET6 && msg.msg_namelen >= sizeof(struct sockaddr_in6))
		m->from_port = ntohs(((const struct sockaddr_in6 *)&from)->sin6_port);
	else if (from.ss_family == AF_INET && msg.msg_namelen >= sizeof(struct sockaddr_in))
		m->from_port = ntohs(((const struct sockaddr_in *)&from)->sin_port);
	addr_from_sockaddr(&m->from, (struct sockaddr *)&from, msg.msg_namelen);
	read_cmsgs(&msg, m);
	return 1;
}
