/*
 * options.c - icmplib's defaults and the validation of options: below the
 * engine, which checks every operation's options here.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "codec.h"
#include "error.h"
#include "sonar.h"

/* Settings common to all three functions. */
static void common_defaults(struct sonar_options *o)
{
	memset(o, 0, sizeof(*o));
	o->id = -1;
	o->source = NULL;
	o->family = 0;
	o->privileged = true;
	o->payload = NULL;
	o->payload_size = 56;
	o->traffic_class = 0;
	o->ttl = 64;
	o->concurrent_tasks = 50;
	o->first_hop = 1;
	o->max_hops = 30;
	o->fast = false;
	o->timeout = 2;
	o->pacing = -1;
	o->rtt_history = 1024;
	o->wait_here = 0;
	o->protocol = SONAR_PROTO_ICMP;
	o->port = 0;
	o->wait_near = 0;
	o->flow = 0;
}

void sonar_ping_defaults(struct sonar_options *o)
{
	common_defaults(o);
	o->count = 4;
	o->interval = 1;
}

void sonar_multiping_defaults(struct sonar_options *o)
{
	common_defaults(o);
	o->count = 2;
	o->interval = 0.5;
}

void sonar_traceroute_defaults(struct sonar_options *o)
{
	common_defaults(o);
	o->count = 2;
	o->interval = 0.05;
}

int sonar_options_validate(const struct sonar_options *o)
{
	if (!o)
		return error_set(SONAR_EINVAL, "Invalid options: NULL");
	if (o->count < 0)
		return error_set(SONAR_EINVAL, "Invalid count: %d (must be >= 0)", o->count);
	if (!isfinite(o->interval) || o->interval < 0 || o->interval > 86400)
		return error_set(SONAR_EINVAL, "Invalid interval: %g (must be 0 to 86400 seconds)",
		                 o->interval);
	if (!isfinite(o->timeout) || o->timeout <= 0 || o->timeout > 86400)
		return error_set(SONAR_EINVAL,
		                 "Invalid timeout: %g (must be > 0 and at most 86400 seconds)",
		                 o->timeout);
	if (o->id < -1 || o->id > 65535)
		return error_set(SONAR_EINVAL, "Invalid id: %d (must be 0 to 65535)", o->id);
	if (o->family != 0 && o->family != 4 && o->family != 6)
		return error_set(SONAR_EINVAL, "Invalid family: %d (must be 4 or 6)", o->family);
	if (o->payload_size > CODEC_MAX_PAYLOAD6)
		return error_set(SONAR_EINVAL,
		                 "Invalid payload_size: %zu (at most %d bytes fit one IPv6 "
		                 "datagram, %d one IPv4 datagram)",
		                 o->payload_size, CODEC_MAX_PAYLOAD6, CODEC_MAX_PAYLOAD4);
	if (o->rtt_history < 0 || o->rtt_history > 1000000)
		return error_set(SONAR_EINVAL, "Invalid rtt_history: %d (must be 0 to 1000000)",
		                 o->rtt_history);
	if (!isfinite(o->pacing) || (o->pacing < 0 && o->pacing != -1) || o->pacing > 86400)
		return error_set(SONAR_EINVAL,
		                 "Invalid pacing: %g (must be -1, or 0 to 86400 seconds)",
		                 o->pacing);
	if (!isfinite(o->wait_here) || o->wait_here < 0 || o->wait_here > 1000)
		return error_set(SONAR_EINVAL, "Invalid wait_here: %g (must be 0 to 1000)",
		                 o->wait_here);
	if (!isfinite(o->wait_near) || o->wait_near < 0 || o->wait_near > 1000)
		return error_set(SONAR_EINVAL, "Invalid wait_near: %g (must be 0 to 1000)",
		                 o->wait_near);
	if (o->protocol != SONAR_PROTO_ICMP && o->protocol != SONAR_PROTO_UDP &&
	    o->protocol != SONAR_PROTO_TCP)
		return error_set(SONAR_EINVAL,
		                 "Invalid protocol: %d (must be ICMP 0, UDP 1 or TCP 2)",
		                 o->protocol);
	if (o->port < 0 || o->port > 65535)
		return error_set(SONAR_EINVAL, "Invalid port: %d (must be 0 to 65535)", o->port);
	if (o->protocol == SONAR_PROTO_UDP && o->payload_size < 2)
		return error_set(SONAR_EINVAL,
		                 "Invalid payload_size: %zu (UDP probes carry their sequence in "
		                 "their first 2 bytes)",
		                 o->payload_size);
	if (o->flow < 0 || o->flow >= SONAR_TCP_FLOWS)
		return error_set(SONAR_EINVAL, "Invalid flow: %d (must be 0 to %d)", o->flow,
		                 SONAR_TCP_FLOWS - 1);
	if (o->traffic_class < 0 || o->traffic_class > 255)
		return error_set(SONAR_EINVAL, "Invalid traffic_class: %d (must be 0 to 255)",
		                 o->traffic_class);
	if (o->ttl < 1 || o->ttl > 255)
		return error_set(SONAR_EINVAL, "Invalid ttl: %d (must be 1 to 255)", o->ttl);
	if (o->concurrent_tasks < 1)
		return error_set(SONAR_EINVAL, "Invalid concurrent_tasks: %d (must be >= 1)",
		                 o->concurrent_tasks);
	if (o->first_hop < 1 || o->first_hop > 255)
		return error_set(SONAR_EINVAL, "Invalid first_hop: %d (must be 1 to 255)",
		                 o->first_hop);
	if (o->max_hops < o->first_hop || o->max_hops > 255)
		return error_set(SONAR_EINVAL,
		                 "Invalid max_hops: %d (must be first_hop (%d) to 255)",
		                 o->max_hops, o->first_hop);
	return 0;
}

const char *sonar_version(void)
{
	return PACKAGE_VERSION;
}
