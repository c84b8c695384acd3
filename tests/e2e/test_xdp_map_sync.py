"""The XDP maps follow the session table: 10,000 attaches and detaches while
G-PDUs flow, with XDP native on the gateway's veths.

Send: from an SGSN (map_sync.py churn), 16 cycles at a time: Create PDP
Context, 3 G-PDUs on the new tunnel, Delete PDP Context with one G-PDU right
behind it, and after the Delete Response 2 G-PDUs with the old TEID. Each
G-PDU holds a UDP packet to a sink behind the gate peer (map_sync.py sink)
that names it (cycle, sequence, kind).
Verify: every G-PDU sent while its session lived arrives, once; none sent
after the Delete Response does; XDP forwarded every one that arrived and
passed up every other, which the socket path answered with an Error
Indication and forwarded none; the whole run is bounded in time.
"""
import json
import os
import time

from netlab import GW_GTP, Proc, delta
from test_gate import PEER1, open_gate, ping
from test_xdp import start, xdp_counters, xdp_lab

MAP_SYNC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "map_sync.py")
CYCLES, WINDOW, SECONDS = 10000, 16, 45
PORT = "9999"


def read_status(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def wait_for(what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = what()
        if value:
            return value
        time.sleep(0.1)
    return what()


def test_xdp_maps_follow_ten_thousand_attaches_and_detaches_under_traffic(lab):
    sgsn, peer = xdp_lab(lab)
    vpgd = start(lab)
    open_gate(vpgd, peer)
    status = os.path.join(lab.workdir, "sink.json")
    sink = lab.add(Proc(peer, ["/usr/bin/python3", MAP_SYNC, "sink", PEER1, PORT, status],
                        "sink", lab.workdir))
    assert wait_for(lambda: read_status(status))
    # The gateway resolves the peer's own address before the first G-PDU needs it.
    assert ping(peer, "10.10.0.1", count=1) == 1

    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    r = sgsn.run("/usr/bin/python3", MAP_SYNC, "churn", sgsn.addr, GW_GTP, PEER1, PORT,
                 str(CYCLES), str(WINDOW), str(SECONDS), "999010000100000",
                 check=False, timeout=SECONDS + 15)
    assert r.returncode == 0, r.stdout + r.stderr
    sent = json.loads(r.stdout.splitlines()[-1])
    assert sent["cycles"] == CYCLES and sent["elapsed"] < SECONDS, sent
    assert sent["live"] == 3 * CYCLES and sent["racing"] == CYCLES, sent
    assert sent["after"] == 2 * CYCLES and sent["distinct_teids"] == CYCLES, sent
    total = sent["live"] + sent["racing"] + sent["after"]

    # XDP judged every G-PDU: forwarded, or passed up for want of a session.
    def judged():
        dx = delta(x0, xdp_counters(vpgd))
        n = dx.get("uplink_packets", 0) + dx.get("passed_no_session", 0)
        return dx if n == total else None
    dx = wait_for(judged)
    assert dx, delta(x0, xdp_counters(vpgd))
    forwarded = dx["uplink_packets"]
    # All that XDP forwarded has arrived: then nothing else is on its way.
    got = wait_for(lambda: (lambda s: s if s and s["live"] + s["racing"] + s["after"] >= forwarded
                            else None)(read_status(status)))
    assert got, read_status(status)
    sink.p.terminate()
    sink.p.wait(10)
    got = read_status(status)

    # Every packet of a live session arrived, once; none sent after its Delete Response.
    assert got["live"] == sent["live"] and got["twice"] == [], got
    assert got["after"] == 0 and got["after_ids"] == [], got
    # The racing ones went one way or the other, each counted once.
    assert forwarded == sent["live"] + got["racing"], (dx, got)
    assert dx["device_to_gate_packets"] == forwarded and dx["tx_redirected"] == forwarded, dx
    passed = sent["after"] + sent["racing"] - got["racing"]
    assert dx["passed_no_session"] == passed, (dx, got)
    assert set(dx) <= {"uplink_packets", "uplink_bytes", "device_to_gate_packets",
                       "tx_redirected", "passed_no_session", "passed_other"}, dx

    # The socket path forwarded none: each G-PDU passed up met no session there either.
    dc = delta(c0, vpgd.counters())
    assert "uplink_packets" not in dc and "device_to_gate_packets" not in dc, dc
    assert dc.get("drop.gtpu_unknown_teid") == passed, dc
    assert dc.get("gtpu_error_indications_sent") == passed, dc
    assert sent["error_indications"] == passed, (sent, passed)
    assert dc.get("sessions_created") == CYCLES and dc.get("sessions_deleted") == CYCLES, dc
    assert vpgd.api("GET", "/v1/sessions")[1] == []
    assert vpgd.stop() == 0
