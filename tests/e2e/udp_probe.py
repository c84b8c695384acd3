"""Sends UDP datagrams from inside a namespace and prints what comes back.

Usage: udp_probe.py BIND_ADDR:PORT DEST_ADDR:PORT WAIT_SECONDS HEX [HEX...]
Prints one JSON list of {"from": "addr:port", "hex": "..."} for every datagram
received within WAIT_SECONDS after the last send.
"""
import json
import select
import socket
import sys
import time


def main():
    bind_host, bind_port = sys.argv[1].rsplit(":", 1)
    dest_host, dest_port = sys.argv[2].rsplit(":", 1)
    wait = float(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((bind_host, int(bind_port)))
    for payload in sys.argv[4:]:
        s.sendto(bytes.fromhex(payload), (dest_host, int(dest_port)))
    got = []
    deadline = time.time() + wait
    while True:
        left = deadline - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        data, addr = s.recvfrom(65535)
        got.append({"from": "%s:%d" % addr, "hex": data.hex()})
    print(json.dumps(got))


main()
