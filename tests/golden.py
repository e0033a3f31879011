#!/usr/bin/env python3
"""tests/golden.py - ICMP packets built and parsed without sonar's codec.

The tests' own fixtures (tests/lab/mkpcap.c, tests/lab/responder.c) build
their packets with the codec they test; a codec bug could then hide in both
sides. This file is the independent side: packets from RFC 791 / 792 / 8200
/ 4443 with Python's struct and its own Internet checksum.

  golden.py pcap DIR
      write DIR/golden-raw.pcap (link type RAW), DIR/golden-sll.pcap
      (LINUX_SLL, what a capture on "any" records), DIR/golden-sll2.pcap
      (LINUX_SLL2) and DIR/golden-ether.pcap (Ethernet, one VLAN tag); what
      sonar must decode from each is in tests/golden.sh, written by hand.

  golden.py responder 4|6 DST ALT
      (in the prober's namespace, as root) send one echo request to DST,
      where tests/lab/responder answers with every --extra of
      tests/lab/golden_responder.sh, and check each packet that comes back
      byte by byte against what its header comment promises; ALT is its
      --alt-source. Prints "ok - ..." / "not ok - ..." lines; exit 1 on any
      failure.
"""
import socket
import struct
import sys
import time


def csum(data):
    """RFC 1071 Internet checksum of data."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def icmp4(typ, code, rest):
    """An ICMPv4 message: type, code, checksum, then rest (id/seq or unused + data)."""
    m = struct.pack("!BBH", typ, code, 0) + rest
    return m[:2] + struct.pack("!H", csum(m)) + m[4:]


def pseudo6(src, dst, length):
    """RFC 8200 8.1 pseudo-header for ICMPv6 (next header 58)."""
    return (socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
            + struct.pack("!IxxxB", length, 58))


def icmp6(src, dst, typ, code, rest):
    """An ICMPv6 message with its checksum over the pseudo-header."""
    m = struct.pack("!BBH", typ, code, 0) + rest
    c = csum(pseudo6(src, dst, len(m)) + m)
    return m[:2] + struct.pack("!H", c) + m[4:]


def ipv4(src, dst, ttl, payload, proto=1, ident=0x4242, options=b""):
    """An IPv4 header (with options, and a right header checksum) + payload."""
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload), ident, 0x4000, ttl,
                    proto, 0, socket.inet_aton(src), socket.inet_aton(dst)) + options
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload


def ipv6(src, dst, hlim, nh, payload):
    """An IPv6 header + payload (extension headers are the caller's)."""
    return (struct.pack("!IHBB", 0x60000000, len(payload), nh, hlim)
            + socket.inet_pton(socket.AF_INET6, src) + socket.inet_pton(socket.AF_INET6, dst)
            + payload)


# An IPv4 echo request as iputils ping would send it, written out byte by
# byte, its two checksums worked out by hand (the reference for ipv4() and
# icmp4() above, checked in write_pcaps()):
# 192.0.2.1 > 198.51.100.7, TTL 64, DF, id 0xbeef seq 7, payload "golden!!".
ECHO4_HEX = (
    "4500 0024 4242 4000 4001 0c5b c000 0201 c633 6407"  # IPv4 header
    "0800 dea5 beef 0007 676f 6c64 656e 2121"            # ICMP echo request
)


def pcap(path, linktype, records):
    """Write a pcap file: records are (seconds, microseconds, frame, caplen or None)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for sec, usec, frame, caplen in records:
            cut = frame[:caplen] if caplen is not None else frame
            f.write(struct.pack("<IIII", sec, usec, len(cut), len(frame)) + cut)


def write_pcaps(d):
    """The golden capture files (expected decodes: tests/golden.sh)."""
    a4, b4, r4 = "192.0.2.1", "198.51.100.7", "203.0.113.1"
    a6, b6, r6 = "2001:db8::1", "2001:db8::99", "2001:db8:ffff::1"
    req4 = bytes.fromhex(ECHO4_HEX.replace(" ", ""))
    assert req4 == ipv4(a4, b4, 64, icmp4(8, 0, struct.pack("!HH", 0xBEEF, 7) + b"golden!!"))
    assert csum(req4[:20]) == 0 and csum(req4[20:]) == 0
    rep4 = ipv4(b4, a4, 57, icmp4(0, 0, struct.pack("!HH", 0xBEEF, 7) + b"golden!!"))
    # what the router saw arrive: TTL 1 (RFC 792: header + all it keeps)
    seen4 = ipv4(a4, b4, 1, req4[20:])
    te4 = ipv4(r4, a4, 254, icmp4(11, 0, b"\0\0\0\0" + seen4))
    un4 = ipv4(r4, a4, 250, icmp4(3, 13, b"\0\0\0\0" + seen4[:28]))  # header + 8 bytes
    opt4 = ipv4(a4, b4, 33, icmp4(8, 0, struct.pack("!HH", 0x0A0B, 9) + b"opt"),
                options=b"\x01\x01\x01\x00")  # NOP NOP NOP EOL: IHL 6
    udp4 = ipv4(a4, b4, 64, struct.pack("!HHHH", 53, 53, 8, 0), proto=17)

    echo6 = struct.pack("!HH", 0x0102, 0x0304) + b"six"
    req6 = ipv6(a6, b6, 64, 58, icmp6(a6, b6, 128, 0, echo6))
    rep6 = ipv6(b6, a6, 61, 58, icmp6(b6, a6, 129, 0, echo6))
    seen6 = ipv6(a6, b6, 1, 58, icmp6(a6, b6, 128, 0, echo6))
    te6 = ipv6(r6, a6, 62, 58, icmp6(r6, a6, 3, 0, b"\0\0\0\0" + seen6))
    un6 = ipv6(r6, a6, 60, 58, icmp6(r6, a6, 1, 3, b"\0\0\0\0" + seen6))
    # hop-by-hop (PadN 4) then destination options (PadN 4), then ICMPv6
    ext = bytes([60, 0, 1, 4, 0, 0, 0, 0]) + bytes([58, 0, 1, 4, 0, 0, 0, 0])
    ext6 = ipv6(b6, a6, 59, 0, ext + icmp6(b6, a6, 129, 0, echo6))
    # IPv4 fragments of a 3,000-byte echo request: the first carries the
    # ICMP header, the second only data (which starts like an echo reply)
    big = icmp4(8, 0, struct.pack("!HH", 0xF00D, 1) + bytes(2992))
    frag1 = ipv4(a4, b4, 64, big[:1480])
    frag1 = frag1[:6] + struct.pack("!H", 0x2000) + frag1[8:]  # MF, offset 0
    frag1 = frag1[:10] + b"\0\0" + frag1[12:]
    frag1 = frag1[:10] + struct.pack("!H", csum(frag1[:20])) + frag1[12:]
    frag2 = ipv4(a4, b4, 64, b"\0\0\0\0\x12\x34\x00\x01" + bytes(1472))
    frag2 = frag2[:6] + struct.pack("!H", 1480 // 8) + frag2[8:]  # offset 1480, last
    frag2 = frag2[:10] + b"\0\0" + frag2[12:]
    frag2 = frag2[:10] + struct.pack("!H", csum(frag2[:20])) + frag2[12:]
    # IPv6 fragments: the first (offset 0, M) carries the ICMPv6 header
    big6 = icmp6(a6, b6, 128, 0, struct.pack("!HH", 0xF00D, 2) + bytes(1992))
    fh1 = struct.pack("!BBHI", 58, 0, 0x0001, 0x1234)  # offset 0, M
    fh2 = struct.pack("!BBHI", 58, 0, (1232 // 8) << 3, 0x1234)  # offset 1232, last
    frag6a = ipv6(a6, b6, 64, 44, fh1 + big6[:1232])
    frag6b = ipv6(a6, b6, 64, 44, fh2 + b"\x81\0\0\0\x12\x34\x00\x01" + big6[1240:])
    ts4 = ipv4(a4, b4, 64, icmp4(13, 0, struct.pack("!HHIII", 0x77, 1, 1000, 0, 0)))
    x4 = ipv4(a4, b4, 64, icmp4(42, 0, struct.pack("!HBB", 0x77, 1, 0)))  # RFC 8335
    ptb6 = ipv6(r6, a6, 64, 58, icmp6(r6, a6, 2, 0, struct.pack("!I", 1280) + seen6))
    # an IP total length beyond the frame (the pcap record itself is whole)
    long4 = ipv4(b4, a4, 57, icmp4(0, 0, struct.pack("!HH", 0xBEEF, 8) + b"golden!!"))
    long4 = long4[:2] + struct.pack("!H", 60) + long4[4:10] + b"\0\0" + long4[12:]
    long4 = long4[:10] + struct.pack("!H", csum(long4[:20])) + long4[12:]
    ns6 = ipv6("fe80::1", "ff02::1:ff00:99", 255, 58,
               icmp6("fe80::1", "ff02::1:ff00:99", 135, 0,
                     b"\0\0\0\0" + socket.inet_pton(socket.AF_INET6, b6)))
    for p in (rep4, te4, un4, opt4, ts4, x4, frag1, frag2):
        assert csum(p[:(p[0] & 15) * 4]) == 0
        assert p in (frag1, frag2) or csum(p[(p[0] & 15) * 4:]) == 0
    assert csum(big) == 0
    raw = [(1700000000, 42, req4, None), (1700000001, 43, rep4, None), (1700000002, 44, te4, None),
           (1700000003, 45, un4, None), (1700000004, 46, opt4, None), (1700000005, 47, udp4, None),
           (1700000006, 48, req6, None), (1700000007, 49, rep6, None), (1700000008, 50, te6, None),
           (1700000009, 51, un6, None), (1700000010, 52, ext6, None),
           (1700000011, 53, rep6, 50),  # cut 2 bytes into the payload
           (1700000012, 54, rep6, 44),  # cut inside the ICMPv6 header: not decodable
           (1700000013, 55, frag1, None), (1700000014, 56, frag2, None),
           (1700000015, 57, frag6a, None), (1700000016, 58, frag6b, None),
           (1700000017, 59, ts4, None), (1700000018, 60, x4, None),
           (1700000019, 61, ptb6, None), (1700000020, 62, ns6, None),
           (1700000021, 63, long4, None)]
    pcap(d + "/golden-raw.pcap", 101, raw)
    # LINUX_SLL: packet type (0 to us, 4 outgoing), ARPHRD, address, protocol
    def sll(ptype, proto, pkt):
        return struct.pack("!HHH8sH", ptype, 1, 6, b"\x02\0\0\0\0\x01\0\0", proto) + pkt
    pcap(d + "/golden-sll.pcap", 113, [(1700000100, 1, sll(4, 0x0800, req4), None),
                                        (1700000100, 2, sll(0, 0x0800, rep4), None),
                                        (1700000100, 3, sll(4, 0x86DD, req6), None),
                                        (1700000100, 4, sll(0, 0x86DD, rep6), None),
                                        (1700000100, 5, sll(0, 0x0806, b"\0" * 28), None)])
    # LINUX_SLL2: protocol, reserved, ifindex, ARPHRD, packet type, length, address
    def sll2(ptype, proto, pkt):
        return struct.pack("!HHIHBB8s", proto, 0, 2, 1, ptype, 6, b"\x02\0\0\0\0\x01\0\0") + pkt
    pcap(d + "/golden-sll2.pcap", 276, [(1700000200, 1, sll2(4, 0x0800, req4), None),
                                         (1700000200, 2, sll2(0, 0x86DD, rep6), None)])
    # Ethernet, the IPv6 one behind an 802.1Q tag
    mac = b"\x02\0\0\0\0\x02\x02\0\0\0\0\x01"
    pcap(d + "/golden-ether.pcap", 1, [(1700000300, 1, mac + b"\x08\x00" + te4, None),
                                        (1700000300, 2, mac + b"\x81\x00\x00\x07\x86\xdd" + te6,
                                         None)])


class Checks:
    """ok / not ok lines, as tests/lib.sh prints them."""

    def __init__(self):
        self.failed = 0

    def check(self, desc, cond, detail=""):
        print(("ok - " if cond else "not ok - ") + desc)
        if not cond:
            self.failed += 1
            if detail:
                print("# " + detail)


def responder(fam, dst, alt):
    """Probe tests/lab/responder once; check every packet it sends back."""
    v6 = fam == "6"
    af = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if v6 else socket.IPPROTO_ICMP)
    # What comes back is read off the link (a packet socket), not through an
    # ICMP socket: the kernel keeps ICMPv4 shorter than 8 bytes from raw
    # sockets and checks ICMPv6 sums before them, and this must see it all.
    link = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                         socket.htons(0x86DD if v6 else 0x0800))
    ident, seq, payload = 0x5A17, 0x0203, b"golden-payload-0123456789"
    # the source the kernel picks for dst, to quote and to check sums with
    probe = socket.socket(af, socket.SOCK_DGRAM)
    probe.connect((dst, 9))
    src = probe.getsockname()[0]
    probe.close()
    if v6:
        # the kernel fills in an ICMPv6 raw socket's checksum; ours is checked below
        req = icmp6(src, dst, 128, 0, struct.pack("!HH", ident, seq) + payload)
    else:
        req = icmp4(8, 0, struct.pack("!HH", ident, seq) + payload)
    s.sendto(req, (dst, 0))

    got = []  # (source address, ICMP message)
    deadline = time.monotonic() + 3
    # 12 packets are promised (10 for IPv6); then 0.3 s more for any extra
    want = 10 if v6 else 12
    while time.monotonic() < deadline:
        link.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data, addr = link.recvfrom(70000)
        except socket.timeout:
            break
        if addr[2] == socket.PACKET_OUTGOING:  # our own request
            continue
        if v6:
            if data[6] != 58 or data[40] in (130, 131, 132, 133, 134, 135, 136, 137, 143):
                continue  # not ICMPv6, or neighbour discovery / MLD
            a = socket.inet_ntop(socket.AF_INET6, data[8:24])
            data = data[40:40 + struct.unpack("!H", data[4:6])[0]]
        else:
            if data[9] != 1:
                continue
            a = socket.inet_ntoa(data[12:16])
            data = data[(data[0] & 15) * 4:struct.unpack("!H", data[2:4])[0]]
        got.append((a, data))
        if len(got) == want:
            deadline = min(deadline, time.monotonic() + 0.3)

    c = Checks()
    c.check("IPv%s: %d packets came back for one request" % (fam, want), len(got) == want,
            "got %d: %s" % (len(got), [m[:8].hex() for _, m in got]))

    def take(desc, pred):
        for i, (a, m) in enumerate(got):
            if pred(a, m):
                del got[i]
                return a, m
        c.check(desc, False, "no such packet among %s" % [(a, m[:8].hex()) for a, m in got])
        return None

    def echo_reply(i, q, data):
        if v6:
            return icmp6(dst, src, 129, 0, struct.pack("!HH", i, q) + data)
        return icmp4(0, 0, struct.pack("!HH", i, q) + data)

    def sum_ok(a, m):
        return (csum(pseudo6(a, src, len(m)) + m) if v6 else csum(m)) == 0

    genuine = echo_reply(ident, seq, payload)
    # byte for byte: the genuine reply, twice (dup), both from DST
    for n in ("genuine reply", "duplicate (dup)"):
        r = take("IPv%s %s" % (fam, n), lambda a, m: a == dst and m == genuine)
        c.check("IPv%s %s: byte for byte type %d, right checksum, id, seq, payload"
                % (fam, n, 129 if v6 else 0), r is not None)
    r = take("oversized", lambda a, m: a == dst and len(m) == len(genuine) + 200)
    c.check("IPv%s oversized: the genuine reply with 200 'Z' more, checksum right" % fam,
            r is not None and r[1] == echo_reply(ident, seq, payload + b"Z" * 200))
    r = take("corrupt", lambda a, m: a == dst and len(m) == len(genuine) and m[8:] != payload
             and m[4:8] == genuine[4:8])
    c.check("IPv%s corrupt: payload byte 0 flipped (0x20), checksum right for it" % fam,
            r is not None and r[1] == echo_reply(ident, seq, bytes([payload[0] ^ 0x20]) + payload[1:]))
    r = take("wrongid", lambda a, m: a == dst and m[4:6] == struct.pack("!H", ident + 1))
    c.check("IPv%s wrongid: identifier + 1, checksum right" % fam,
            r is not None and r[1] == echo_reply(ident + 1, seq, payload))
    r = take("wrongseq", lambda a, m: a == dst and m[6:8] == struct.pack("!H", seq + 1))
    c.check("IPv%s wrongseq: sequence + 1, checksum right" % fam,
            r is not None and r[1] == echo_reply(ident, seq + 1, payload))
    r = take("wrongsrc", lambda a, m: a == alt)
    c.check("IPv%s wrongsrc: the genuine reply from %s" % (fam, alt),
            r is not None and r[1] == echo_reply(ident, seq, payload)[:2] + r[1][2:4]
            + genuine[4:] and sum_ok(alt, r[1]))
    r = take("short", lambda a, m: len(m) == 6)
    c.check("IPv%s short: the reply's first 6 bytes" % fam,
            r is not None and r[1][:2] == genuine[:2] and r[1][4:6] == genuine[4:6]
            and (v6 or r[1] == genuine[:6]))

    def quote_ok(m, typ, code, i, q, to):
        """An ICMP error quoting an echo request (i, q) from us to `to`."""
        if m[0] != typ or m[1] != code or m[4:8] != b"\0\0\0\0":
            return False
        inner = m[8:]
        echo = struct.pack("!BBHHH", 128 if v6 else 8, 0, 0, i, q) + payload
        if v6:
            ver, plen, nh = inner[0] >> 4, struct.unpack("!H", inner[4:6])[0], inner[6]
            qsrc = socket.inet_ntop(socket.AF_INET6, inner[8:24])
            qdst = socket.inet_ntop(socket.AF_INET6, inner[24:40])
            body = inner[40:]
            # the quoted echo as sent, with its checksum (the pseudo-header's)
            ok = ver == 6 and plen == len(body) and nh == 58 and csum(pseudo6(src, to, len(body)) + body) == 0
        else:
            ihl = (inner[0] & 15) * 4
            ver, tlen, proto = inner[0] >> 4, struct.unpack("!H", inner[2:4])[0], inner[9]
            qsrc = socket.inet_ntoa(inner[12:16])
            qdst = socket.inet_ntoa(inner[16:20])
            body = inner[ihl:]
            ok = (ver == 4 and ihl == 20 and tlen == 20 + len(body) and proto == 1
                  and csum(inner[:20]) == 0 and csum(body) == 0)
        return ok and qsrc == src and qdst == to and body[:2] == echo[:2] and body[4:] == echo[4:]

    if v6:
        types = [("unreachfirst", 1, 3, ident, seq, dst), ("fakeerror", 3, 0, ident + 7, seq + 7, src)]
    else:
        types = [("unreachfirst", 3, 1, ident, seq, dst), ("quench", 4, 0, ident, seq, dst),
                 ("fakeerror", 11, 0, ident + 7, seq + 7, src)]
    for name, typ, code, i, q, to in types:
        r = take(name, lambda a, m, typ=typ: a == dst and m[0] == typ)
        c.check("IPv%s %s: type %d code %d from %s, checksum right, quoting the echo (id %#x seq %#x) "
                "from %s to %s" % (fam, name, typ, code, dst, i, q, src, to),
                r is not None and sum_ok(dst, r[1]) and quote_ok(r[1], typ, code, i, q, to),
                r[1].hex() if r else "")
    if not v6:
        r = take("badsum", lambda a, m: a == dst)
        c.check("IPv4 badsum: the genuine reply but its checksum ^ 0x5a5a",
                r is not None and r[1][4:] == genuine[4:] and r[1][:2] == genuine[:2]
                and struct.unpack("!H", r[1][2:4])[0] == struct.unpack("!H", genuine[2:4])[0] ^ 0x5A5A)
    c.check("IPv%s nothing else came back" % fam, not got, "left: %s" % [(a, m.hex()) for a, m in got])
    return 1 if c.failed else 0


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "pcap":
        write_pcaps(sys.argv[2])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "responder":
        return responder(sys.argv[2], sys.argv[3], sys.argv[4])
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
