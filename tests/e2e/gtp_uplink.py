"""The uplink of a cellular router's LAN: what the kernel routes into a tun
goes, as G-PDUs (TS 29.281 §5.1) on one TEID, to the gateway.

sgsnemu drops every packet of its own tun whose source is not its context's
address (it looks the context up by source), as a router with a LAN behind
it does not; the tests route the LAN's traffic into this tun instead, so that
it reaches the same tunnel with its own source address.

Usage: gtp_uplink.py IFNAME TEID GATEWAY_ADDR SECONDS
Prints "ready" once IFNAME exists, then forwards each IPv4 packet until
SECONDS have passed, and prints how many it sent.
"""
import fcntl
import os
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
GTPU_PORT = 2152


def main():
    name, teid, gateway, seconds = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    out = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    print("ready", flush=True)
    sent = 0
    deadline = time.time() + seconds
    while True:
        left = deadline - time.time()
        if left <= 0:
            break
        if not select.select([fd], [], [], left)[0]:
            continue
        pkt = os.read(fd, 65535)
        if not pkt or pkt[0] >> 4 != 4:
            continue
        out.sendto(struct.pack("!BBHI", 0x30, 255, len(pkt), teid) + pkt, (gateway, GTPU_PORT))
        sent += 1
    print("sent %d" % sent, flush=True)


main()
