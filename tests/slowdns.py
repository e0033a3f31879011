#!/usr/bin/env python3
"""tests/slowdns.py - a DNS server on loopback that answers late, on purpose.

    slowdns.py PORTFILE NAME=ADDRESS@SECONDS...

Listens on 127.0.0.1 (UDP, a free port written to PORTFILE) and answers an
A query for NAME with ADDRESS after SECONDS; AAAA and other names get an
empty answer at once. For the dashboard's resolver races (tests/dashboard.sh).
"""
import socket
import struct
import sys
import threading


def parse_name(msg, off):
    labels = []
    while msg[off]:
        n = msg[off]
        labels.append(msg[off + 1:off + 1 + n].decode())
        off += 1 + n
    return ".".join(labels).lower(), off + 1


def main():
    table = {}
    for arg in sys.argv[2:]:
        name, rest = arg.split("=", 1)
        addr, delay = rest.split("@", 1)
        table[name.lower()] = (addr, float(delay))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(sys.argv[1], "w") as f:
        f.write(str(s.getsockname()[1]))
    while True:
        msg, peer = s.recvfrom(512)
        qid, = struct.unpack("!H", msg[:2])
        name, off = parse_name(msg, 12)
        qtype, = struct.unpack("!H", msg[off:off + 2])
        question = msg[12:off + 4]
        answers = b""
        delay = 0.0
        if name in table and qtype == 1:
            addr, delay = table[name]
            answers = (b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) +
                       socket.inet_aton(addr))
        reply = (struct.pack("!HHHHHH", qid, 0x8180, 1, 1 if answers else 0, 0, 0) +
                 question + answers)
        threading.Timer(delay, s.sendto, (reply, peer)).start()


main()
