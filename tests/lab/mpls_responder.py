#!/usr/bin/env python3
"""tests/lab/mpls_responder.py - three MPLS routers that are not there.

Runs in the lab's target namespace (tests/lab/topology.sh), whose kernel
echo replies are off. An echo request for TARGET that arrives with TTL (hop
limit) 1, 2 or 3 is answered with a Time Exceeded from the "router" at that
distance, SOURCES[ttl - 1], carrying an RFC 4884 extension structure with an
RFC 4950 MPLS label stack object: two entries at the first, one at the
second, and at the third the flaw asked for (a wrong checksum, an object
running past the end, a cut structure, version 1), which a reader must
ignore; "plain" sends RFC 792 messages, no extension at all. Anything
arriving with more TTL gets an echo reply from TARGET.

With --udp PORT the probes are UDP datagrams to PORT instead (classic
traceroute): the same Time Exceeded for TTL 1 to 3, and a Port
Unreachable from TARGET for more (a UDP socket bound to PORT keeps the
kernel from sending its own).

With --tcp PORT --tcp-moved MOVED the probes are TCP SYNs to PORT (raw
TCP probes): the test's nft moves those with TTL 1 to 3 to port MOVED on
arrival, so that the kernel's own RST for them goes out from MOVED (which
the prober ignores); these get the same Time Exceeded, their quote put
back to PORT. The kernel's RST from PORT answers the others.

Every packet is built here with struct, byte by byte: nothing of the code
under test. Stops by itself after --seconds.

Usage: mpls_responder.py -4|-6 --target ADDR --sources A,B,C
                         [--flaw badsum|pastend|cut|version] [--seconds N]
                         [--udp PORT | --tcp PORT --tcp-moved MOVED]
"""
import argparse
import select
import socket
import struct
import sys
import time

# (label, tc, s, ttl) per virtual router; the third gets a flaw
STACKS = [[(24001, 5, 0, 1), (16, 0, 1, 255)], [(777, 0, 1, 1)], [(999, 0, 1, 1)]]


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def extension(stack, flaw):
    entries = b"".join(struct.pack("!I", l << 12 | tc << 9 | s << 8 | ttl) for l, tc, s, ttl in stack)
    obj_len = 4 + len(entries) + (8 if flaw == "pastend" else 0)
    obj = struct.pack("!HBB", obj_len, 1, 1) + entries
    version = 1 if flaw == "version" else 2
    ext = struct.pack("!BBH", version << 4, 0, 0) + obj
    if flaw == "cut":
        ext = ext[:-2]
    s = csum(ext)
    if flaw == "badsum":
        s ^= 0x0101
    return ext[:2] + struct.pack("!H", s) + ext[4:]


def time_exceeded(family, quote, hop, flaw):
    """ICMP(v6) Time Exceeded: header with RFC 4884's length, the quote
    padded to 128 bytes, the extension structure."""
    if flaw == "plain":  # no extension: RFC 792's message
        ext = b""
    else:
        quote = quote[:128].ljust(128, b"\0")
        ext = extension(STACKS[hop], flaw if hop == 2 else None)
    if family == 6:
        # type 3 code 0, checksum by the kernel, length in 64-bit words
        return struct.pack("!BBHBBH", 3, 0, 0, 128 // 8 if ext else 0, 0, 0) + quote + ext
    body = struct.pack("!BBHBBH", 11, 0, 0, 0, 128 // 4 if ext else 0, 0) + quote + ext
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


def port_unreachable(family, quote):
    """ICMP(v6) Destination Unreachable, port: RFC 792's, the quote cut."""
    quote = quote[:128]
    if family == 6:  # type 1 code 4, checksum by the kernel
        return struct.pack("!BBHI", 1, 4, 0, 0) + quote
    body = struct.pack("!BBHI", 3, 3, 0, 0) + quote
    return body[:2] + struct.pack("!H", csum(body)) + body[4:]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-4", dest="v4", action="store_true")
    ap.add_argument("-6", dest="v6", action="store_true")
    ap.add_argument("--target", required=True)
    ap.add_argument("--sources", required=True)
    ap.add_argument("--flaw", default="badsum", choices=["badsum", "pastend", "cut", "version", "plain"])
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--udp", type=int, default=0)
    ap.add_argument("--tcp", type=int, default=0)
    ap.add_argument("--tcp-moved", type=int, default=0)
    a = ap.parse_args()
    family = 6 if a.v6 else 4
    sources = a.sources.split(",")
    af = socket.AF_INET6 if family == 6 else socket.AF_INET
    proto = socket.IPPROTO_ICMPV6 if family == 6 else socket.IPPROTO_ICMP
    rx = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_UDP if a.udp else socket.IPPROTO_TCP if a.tcp else proto)
    if a.udp:  # the port is open: the kernel answers nothing
        quiet = socket.socket(af, socket.SOCK_DGRAM)
        quiet.bind((a.target, a.udp))
    if family == 6:
        rx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
        rx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
    tx = []
    for src in sources + [a.target]:
        s = socket.socket(af, socket.SOCK_RAW, proto)
        s.bind((src, 0))
        tx.append(s)
    target = socket.inet_pton(af, a.target)
    print("ready", flush=True)
    end = time.monotonic() + a.seconds
    answered = 0
    while time.monotonic() < end:
        if not select.select([rx], [], [], 0.2)[0]:
            continue
        if family == 6:
            data, anc, _, frm = rx.recvmsg(65535, 256)
            hl, dst = None, None
            for lvl, typ, val in anc:
                if typ == socket.IPV6_HOPLIMIT:
                    hl = struct.unpack("i", val[:4])[0]
                elif typ == socket.IPV6_PKTINFO:
                    dst = val[:16]
            if dst != target or hl is None or len(data) < 8:
                continue
            if a.udp and struct.unpack("!H", data[2:4])[0] != a.udp:
                continue
            if a.tcp and (struct.unpack("!H", data[2:4])[0] != a.tcp_moved or data[13] != 2):
                continue
            if not a.udp and not a.tcp and data[0] != 128:
                continue
            src = socket.inet_pton(af, frm[0].split("%")[0])
            ttl, icmp = hl, data
            if a.tcp:  # as it left the prober: to PORT
                icmp = data[:2] + struct.pack("!H", a.tcp) + data[4:]
            nh = 17 if a.udp else 6 if a.tcp else 58
            quote = struct.pack("!IHBB", 6 << 28, len(icmp), nh, hl) + src + dst + icmp
            peer = (frm[0], 0)
        else:
            data, frm = rx.recvfrom(65535)
            ihl = (data[0] & 15) * 4
            if len(data) < ihl + 8 or data[16:20] != target:
                continue
            if a.udp and struct.unpack("!H", data[ihl + 2:ihl + 4])[0] != a.udp:
                continue
            if a.tcp:
                if struct.unpack("!H", data[ihl + 2:ihl + 4])[0] != a.tcp_moved or data[ihl + 13] != 2:
                    continue
                data = data[: ihl + 2] + struct.pack("!H", a.tcp) + data[ihl + 4 :]
            elif not a.udp and data[ihl] != 8:
                continue
            ttl, icmp, quote, peer = data[8], data[ihl:], data, (frm[0], 0)
        if 1 <= ttl <= 3:
            tx[ttl - 1].sendto(time_exceeded(family, quote, ttl - 1, a.flaw), peer)
        elif a.tcp:
            continue  # beyond the virtual routers: the kernel's RST
        elif a.udp:
            tx[-1].sendto(port_unreachable(family, quote), peer)
        else:
            reply = bytes([129 if family == 6 else 0, 0, 0, 0]) + icmp[4:]
            if family == 4:
                reply = reply[:2] + struct.pack("!H", csum(reply)) + reply[4:]
            tx[-1].sendto(reply, peer)
        answered += 1
    print("answered %d" % answered, flush=True)


if __name__ == "__main__":
    sys.exit(main())
