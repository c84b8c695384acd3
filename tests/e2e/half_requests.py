"""Opens N TCP connections to HOST:PORT, sends each half a request, prints
"open N" once all are connected, and holds them for SECONDS (bounded), then
closes them: the crowd of idle clients an API must not be locked by.

    half_requests.py HOST PORT N SECONDS
"""
import socket
import sys
import time

host, port, n, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
conns = []
for _ in range(min(n, 1000)):
    s = socket.socket()
    s.settimeout(2)
    try:
        s.connect((host, port))
        s.sendall(b"GET /v1/vpg HTTP/1.1\r\nHost: vpgd\r\n")
    except OSError:
        s.close()
        continue
    conns.append(s)
print("open %d" % len(conns), flush=True)
time.sleep(min(seconds, 120))
for s in conns:
    s.close()
