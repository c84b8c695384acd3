#!/usr/bin/python3
"""Writes to vpgd's API at a paced rate, for the benchmark's Figure 10.

    bench/api_load.py [--endpoint HOST:PORT] [--rate N] [--seconds S] [--token T]

Each write is a PUT /v1/vpg/dns (docs/API.md), the body alternating
["192.0.2.53"] and ["192.0.2.54"], so that every one changes the list: the
gateway commits it to its store and hands it to the next device that
attaches. One HTTP/1.1 connection is kept alive (a new one only after an
error), with TCP_NODELAY. Writes are due every 1/N s from the start; one that falls behind is
sent at once, but no more than a tenth of a second of writes is made up, so a
stall never turns into a burst. It prints "ready" once the first write has
succeeded, and at the end "writes N failed F seconds S": the writes answered
200, those that were not, and the seconds it wrote for.
It stops by itself after S seconds (plus at most one request's timeout).
"""
import argparse
import http.client
import json
import socket
import sys
import time

BODIES = [json.dumps(["192.0.2.53"]), json.dumps(["192.0.2.54"])]
TIMEOUT = 2.0  # seconds a request may take before it counts as failed
CATCH_UP = 0.1  # seconds of writes made up at most after falling behind


def connect(host, port):
    """A connection with Nagle's algorithm off, as curl and vpgctl have it:
    http.client writes a request's headers and its body separately, and the
    body would wait for the ACK of the headers, which the server delays
    (about 40 ms a write here, capping the writer near 20 writes a second)."""
    conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
    conn.connect()
    conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def main():
    ap = argparse.ArgumentParser(description="paced writes to vpgd's API")
    ap.add_argument("--endpoint", default="127.0.0.1:8080")
    ap.add_argument("--rate", type=float, default=200.0, help="writes a second")
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--token", default="")
    args = ap.parse_args()
    if args.rate <= 0 or args.seconds <= 0:
        ap.error("--rate and --seconds must be positive")
    host, _, port = args.endpoint.rpartition(":")
    headers = {"Content-Type": "application/json"}
    if args.token:
        headers["Authorization"] = "Bearer " + args.token

    conn = None
    ok = failed = 0
    interval = 1.0 / args.rate
    start = time.monotonic()
    end = start + args.seconds
    due = start
    while True:
        now = time.monotonic()
        if now >= end:
            break
        if due > now:
            time.sleep(min(due, end) - now)
            continue
        due = max(due, now - CATCH_UP) + interval
        try:
            if conn is None:
                conn = connect(host, int(port))
            conn.request("PUT", "/v1/vpg/dns", BODIES[(ok + failed) % 2], headers)
            resp = conn.getresponse()
            resp.read()
            good = resp.status == 200
        except (OSError, http.client.HTTPException):
            good = False
            if conn is not None:
                conn.close()
            conn = None
        if good:
            ok += 1
            if ok == 1:
                print("ready", flush=True)
        else:
            failed += 1
    if conn is not None:
        conn.close()
    print("writes %d failed %d seconds %.3f" % (ok, failed, time.monotonic() - start))
    return 0 if ok > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
