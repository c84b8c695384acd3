"""Attach and detach many times while G-PDUs flow, and count where each went.

churn LOCAL GATEWAY DEST PORT CYCLES WINDOW SECONDS IMSI_BASE
    An SGSN on LOCAL (GTP-C 2123, GTP-U 2152). WINDOW cycles run at once,
    CYCLES in all, each: Create PDP Context Request; on its Response, LIVE
    G-PDUs on the new tunnel; Delete PDP Context Request, and at once one
    RACING G-PDU (sent while the Delete is on its way: either path may judge
    it); on the Delete Response, AFTER G-PDUs with the old TEID. Each G-PDU
    holds an IPv4/UDP packet from the device's address to DEST:PORT whose
    payload names it: (cycle, sequence, kind). Error Indications that come
    back are counted. Prints one JSON line: what was sent and got. Exits 1
    on a refusal, an unanswered request (3 s) or at SECONDS.

sink ADDRESS PORT STATUS_FILE
    Receives the G-PDUs' packets and writes what it got, by kind, to
    STATUS_FILE every 0.1 s and on SIGTERM (then exits): counts, the live
    packets that came twice, and every AFTER packet that came at all.
"""
import json
import os
import select
import signal
import socket
import struct
import sys
import time

import gtp

LIVE, RACING, AFTER = 0, 1, 2
N_LIVE, N_AFTER = 3, 2
MAGIC = b"vpgm"
SO_RCVBUFFORCE = 33  # Linux's, which the socket module does not name: root may pass rmem_max
PAYLOAD = struct.Struct("!4sIHB")
GTPC_CREATE_RSP, GTPC_DELETE_RSP, GTPU_ERROR_INDICATION = 17, 21, 26
ACCEPTED = 128
NSAPI = 5


def inner_packet(src, dst, port, cycle, seq, kind):
    """IPv4/UDP (no UDP checksum, RFC 768) from the device to dst:port."""
    data = PAYLOAD.pack(MAGIC, cycle, seq, kind)
    udp = struct.pack("!HHHH", 40000, port, 8 + len(data), 0) + data
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0x4000, 64, 17, 0, src, dst)
    return ip[:10] + struct.pack("!H", gtp.checksum(ip)) + ip[12:] + udp


class Cycle:
    def __init__(self, n):
        self.n, self.teid, self.ctrl, self.addr, self.deadline = n, 0, 0, None, 0.0


class Churn:
    def __init__(self, local, gateway, dest, port, imsi_base):
        self.local, self.gateway = local, gateway
        self.dest, self.port, self.imsi_base = socket.inet_aton(dest), port, imsi_base
        self.ctrl = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.ctrl.bind((local, gtp.GTPC_PORT))
        self.user = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.user.bind((local, gtp.GTPU_PORT))
        self.user.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 1 << 22)
        self.seq = 0
        self.pending = {}  # sequence -> cycle waiting for its response
        self.sent = [0, 0, 0]
        self.error_indications = 0
        self.teids = set()

    def request(self, cyc, msg):
        self.ctrl.sendto(msg, (self.gateway, gtp.GTPC_PORT))
        self.pending[self.seq] = cyc
        cyc.deadline = time.monotonic() + 3

    def next_seq(self):
        # Never a sequence still in the gateway's memory of answered requests.
        self.seq += 1
        if self.seq > 0xffff:
            raise SystemExit("more requests than sequence numbers")
        return self.seq

    def create(self, cyc):
        imsi = str(self.imsi_base + cyc.n)
        self.request(cyc, gtp.create_pdp_request(imsi, cyc.n + 1, cyc.n + 1, self.local,
                                                 nsapi=NSAPI, seq=self.next_seq()))

    def gpdus(self, cyc, kind, count):
        for i in range(count):
            inner = inner_packet(cyc.addr, self.dest, self.port, cyc.n, i, kind)
            self.user.sendto(gtp.gpdu(cyc.teid, inner), (self.gateway, gtp.GTPU_PORT))
        self.sent[kind] += count

    def created(self, cyc, ies):
        cyc.teid = struct.unpack("!I", ies[16][0])[0]
        cyc.ctrl = struct.unpack("!I", ies[17][0])[0]
        cyc.addr = ies[128][0][2:6]
        self.teids.add(cyc.teid)
        self.gpdus(cyc, LIVE, N_LIVE)
        body = gtp.tv(20, bytes([NSAPI]))
        self.request(cyc, gtp.header(20, body, teid=cyc.ctrl, seq=self.next_seq()))
        self.gpdus(cyc, RACING, 1)

    def answer(self, msg):
        msg_type, _, seq, ies = gtp.parse(msg)
        cyc = self.pending.pop(seq, None)
        if cyc is None or msg_type not in (GTPC_CREATE_RSP, GTPC_DELETE_RSP):
            raise SystemExit("unexpected message %d seq %s" % (msg_type, seq))
        if ies[1][0][0] != ACCEPTED:
            raise SystemExit("cycle %d refused: cause %d" % (cyc.n, ies[1][0][0]))
        if msg_type == GTPC_CREATE_RSP:
            self.created(cyc, ies)
            return None
        # The Delete Response has left the gateway: the old TEID must lead nowhere now.
        self.gpdus(cyc, AFTER, N_AFTER)
        return cyc

    def drain_user(self):
        while True:
            try:
                msg = self.user.recv(2048, socket.MSG_DONTWAIT)
            except BlockingIOError:
                return
            if len(msg) >= 2 and msg[1] == GTPU_ERROR_INDICATION:
                self.error_indications += 1

    def run(self, cycles, window, seconds):
        started = time.monotonic()
        stop = started + seconds
        next_n = 0
        done = 0
        while next_n < min(window, cycles):
            self.create(Cycle(next_n))
            next_n += 1
        while done < cycles:
            now = time.monotonic()
            if now > stop or any(c.deadline < now for c in self.pending.values()):
                raise SystemExit("unanswered after %d cycles" % done)
            ready = select.select([self.ctrl, self.user], [], [], 0.5)[0]
            if self.user in ready:
                self.drain_user()
            if self.ctrl not in ready:
                continue
            finished = self.answer(self.ctrl.recv(2048))
            if finished is None:
                continue
            done += 1
            if next_n < cycles:
                self.create(Cycle(next_n))
                next_n += 1
        elapsed = time.monotonic() - started
        # Error Indications of the last cycles are still on their way: a short, bounded wait.
        quiet_until = time.monotonic() + 1
        while time.monotonic() < quiet_until:
            if select.select([self.user], [], [], 0.1)[0]:
                self.drain_user()
        return {"cycles": done, "elapsed": elapsed, "live": self.sent[LIVE],
                "racing": self.sent[RACING], "after": self.sent[AFTER],
                "distinct_teids": len(self.teids), "error_indications": self.error_indications}


def sink(address, port, status_path):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 1 << 24)
    s.bind((address, port))
    s.setblocking(False)
    got = [0, 0, 0]
    seen = set()
    twice, after = [], []
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))

    def write():
        tmp = status_path + ".tmp"
        with open(tmp, "w") as f:
            json.dump({"live": got[LIVE], "racing": got[RACING], "after": got[AFTER],
                       "twice": twice[:20], "after_ids": after[:20]}, f)
        os.rename(tmp, status_path)

    next_write = 0.0
    while not stopping:
        if select.select([s], [], [], 0.1)[0]:
            while True:
                try:
                    data = s.recv(2048)
                except BlockingIOError:
                    break
                magic, cycle, seq, kind = PAYLOAD.unpack(data[:PAYLOAD.size])
                if magic != MAGIC or kind > AFTER:
                    continue
                got[kind] += 1
                if (cycle, seq, kind) in seen:
                    twice.append((cycle, seq, kind))
                seen.add((cycle, seq, kind))
                if kind == AFTER:
                    after.append((cycle, seq))
        if time.monotonic() >= next_write:
            write()
            next_write = time.monotonic() + 0.1
    write()


def main():
    if sys.argv[1] == "churn":
        local, gateway, dest, port, cycles, window, seconds, imsi = sys.argv[2:10]
        out = Churn(local, gateway, dest, int(port), int(imsi)).run(int(cycles), int(window),
                                                                   float(seconds))
        print(json.dumps(out), flush=True)
    elif sys.argv[1] == "sink":
        sink(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        raise SystemExit(__doc__)


main()
