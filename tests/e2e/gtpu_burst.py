"""G-PDUs (TS 29.281 §5.1) on one TEID, sent back to back in bursts, so that
a gateway's veth with GRO has trains of them to coalesce.

Usage: gtpu_burst.py SRC_ADDR GATEWAY_ADDR TEID INNER_SRC INNER_DST:PORT COUNT SIZE BURST
Each carries an inner IPv4/UDP packet of SIZE octets from INNER_SRC to
INNER_DST:PORT whose payload starts with its number; BURST of them leave one
after the other, then the sender sleeps 2 ms. Prints "sent N".
"""
import socket
import struct
import sys
import time

GTPU_PORT = 2152


def checksum(data):
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def inner_packet(src, dst, port, size, number):
    payload = struct.pack("!I", number).ljust(size - 28, b"x")
    udp = struct.pack("!HHHH", 40000, port, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, size, number & 0xFFFF, 0, 64, 17, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp


def main():
    src, gateway, teid, inner_src = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    inner_dst, port = sys.argv[5].split(":")
    count, size, burst = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8])
    assert 28 + 4 <= size <= 1500 and 0 < count <= 100000 and 0 < burst <= 64
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    out.bind((src, 0))
    frames = [struct.pack("!BBHI", 0x30, 255, size, teid) +
              inner_packet(inner_src, inner_dst, int(port), size, n) for n in range(count)]
    sent = 0
    while sent < count:
        for frame in frames[sent:sent + burst]:
            out.sendto(frame, (gateway, GTPU_PORT))
            sent += 1
        time.sleep(0.002)
    print("sent %d" % sent, flush=True)


main()
