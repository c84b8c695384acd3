"""Peek: packet capture sessions, of the whole gateway or of one device,
into pcapng files that tshark reads and filters by device.

Send: pings from two sgsnemu devices to the gateway and from a gate peer to
one device, while a whole-gateway capture (API) and a per-IMSI capture
(vpgctl) run; bursts past a capture's size limit; pings while a capture
fills a small state directory.
Verify: exact packet counts per device and direction in the downloaded
files (tshark: the IMSI comment, epb_flags, the addresses), the size limit
(DONE, truncated), the concurrency limit, bad bodies, DELETE removing the
file, a restart (DONE kept and downloadable, CAPTURING ended FAILED), and a
full disk ending the capture FAILED while forwarding goes on.
"""
import os
import time

from netlab import Proc, Vpgd, VPGD, sh
from test_gate import PEER1, device, open_gate, ping

IMSI1, IMSI2 = "999010000000001", "999010000000002"
BASE = "/v1/packet_capture_sessions"


def start(vpgd, **body):
    status, got = vpgd.api("POST", BASE, body)
    assert status == 201, got
    assert got["status"] == "CAPTURING" and got["id"] == got["sessionId"]
    return got


def wait_status(vpgd, cid, want, timeout=15):
    deadline, got = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        got = vpgd.api("GET", BASE + "/" + cid)[1]
        if got["status"] == want:
            return got
        time.sleep(0.1)
    raise AssertionError("capture %s is %s, not %s" % (cid, got, want))


def download(vpgd, cid, path):
    out = vpgd.ns.run("curl", "-sS", "-o", path, "-w", "%{http_code}",
                      vpgd.endpoint + BASE + "/" + cid + "/pcap").stdout
    return int(out)


def rows(path, flt="", *fields):
    """(comment, direction, src, dst, icmp type) of each packet, or the fields asked."""
    fields = fields or ("frame.comment", "frame.packet_flags_direction", "ip.src", "ip.dst",
                        "icmp.type")
    args = ["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=|"]
    if flt:
        args += ["-Y", flt]
    for f in fields:
        args += ["-e", f]
    return [tuple(line.split("|")) for line in sh(*args).stdout.splitlines() if line.strip()]


UP, DOWN = "0x00000001", "0x00000002"


def test_whole_gateway_and_one_device_both_ways_exact(lab):
    """Send: dev1 pings the gateway 3 times, dev2 twice, the gate peer pings
    dev1 twice, while a whole-gateway capture (API) and one of dev1 (vpgctl)
    run. Verify: the whole capture holds 14 packets, dev1's 10, each with its
    IMSI comment and direction; dev1's holds nothing of dev2."""
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev1, dev2 = device(lab, IMSI1), device(lab, IMSI2)
    assert ping(dev1, "10.10.0.1", count=1) == 1 and ping(peer, dev1.device, count=1) == 1
    whole = start(vpgd, duration=60, prefix="whole-gw")
    assert "imsi" not in whole
    rc, out, err = vpgd.ctl("--json", "peek", "start", "--imsi", IMSI1, "--duration", "60")
    assert rc == 0, err
    one = __import__("json").loads(out)
    assert one["imsi"] == IMSI1 and one["status"] == "CAPTURING"
    assert ping(dev1, "10.10.0.1", count=3) == 3
    assert ping(dev2, "10.10.0.1", count=2) == 2
    assert ping(peer, dev1.device, count=2) == 2
    status, stopped = vpgd.api("POST", BASE + "/" + whole["id"] + "/stop")
    assert status == 200 and stopped["status"] == "DONE" and stopped["truncated"] is False
    rc, out, err = vpgd.ctl("peek", "stop", one["id"])
    assert rc == 0, err
    rc, out, _ = vpgd.ctl("peek", "list")
    assert rc == 0 and whole["id"] in out and one["id"] in out and "DONE" in out
    # A stopped capture cannot be stopped again.
    status, err = vpgd.api("POST", BASE + "/" + whole["id"] + "/stop")
    assert status == 409 and err["code"] == "not_capturing"

    whole_path = os.path.join(lab.workdir, "whole.pcapng")
    assert download(vpgd, whole["id"], whole_path) == 200
    one_path = os.path.join(lab.workdir, "one.pcapng")
    rc, out, err = vpgd.ctl("peek", "download", one["id"], "-o", one_path)
    assert rc == 0, err

    c1, c2 = "imsi:%s" % IMSI1, "imsi:%s" % IMSI2
    got = sorted(rows(whole_path))
    g, d1, d2 = "10.10.0.1", dev1.device, dev2.device
    want = sorted([(c1 + " uplink", UP, d1, g, "8")] * 3 + [(c1 + " downlink", DOWN, g, d1, "0")] * 3
                  + [(c2 + " uplink", UP, d2, g, "8")] * 2 + [(c2 + " downlink", DOWN, g, d2, "0")] * 2
                  + [(c1 + " downlink", DOWN, PEER1, d1, "8")] * 2
                  + [(c1 + " uplink", UP, d1, PEER1, "0")] * 2)
    assert got == want
    # Wireshark's filter by device, as an operator would type it.
    assert len(rows(whole_path, 'frame.comment contains "%s"' % IMSI1)) == 10
    assert len(rows(whole_path, 'frame.comment contains "%s"' % IMSI2)) == 4
    assert sorted(rows(one_path)) == sorted(r for r in want if r[0].startswith(c1))
    info = vpgd.api("GET", BASE + "/" + whole["id"])[1]
    assert info["packets"] == 14 and info["bytes"] == os.path.getsize(whole_path)
    assert info["droppedPackets"] == 0 and info["url"].endswith("/pcap")
    stats = vpgd.api("GET", "/v1/stats")[1]
    # One copy into the ring serves every capture that wants the packet.
    assert stats["drops"]["peek_ring_full"] == 0 and stats["counters"]["peek_packets_captured"] == 14
    metrics = vpgd.api("GET", "/metrics")[1]
    assert 'reason="peek_ring_full"' in metrics
    assert vpgd.stop() == 0


def test_limits_bodies_delete_and_restart(lab):
    """Send: a capture of one device past a 64 KiB size limit; a third capture
    beside two; bad bodies; a DELETE; a restart with a capture running.
    Verify: DONE and truncated with a file within the limit; 429 naming
    maxSessions; 400 naming each field; the file gone; after the restart the
    DONE capture listed and downloadable, the running one FAILED."""
    cfg = lab.config(peek={"maxSessions": 2, "maxBytes": 65536})
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    dev = device(lab, IMSI1)
    for body, field in (({}, "duration"), ({"duration": 0}, "duration"),
                        ({"duration": 86401}, "duration"), ({"duration": "60"}, "duration"),
                        ({"duration": 5, "imsi": "12"}, "imsi"),
                        ({"duration": 5, "prefix": "a b"}, "prefix"),
                        ({"duration": 5, "colour": 1}, "colour")):
        status, err = vpgd.api("POST", BASE, body)
        assert (status, err.get("field")) == (400, field), (body, err)
    small = start(vpgd, duration=60, imsi=IMSI1)
    ping(dev, "10.10.0.1", count=40, size=1400, extra=("-i", "0.02"))
    done = wait_status(vpgd, small["id"], "DONE")
    assert done["truncated"] is True and 60000 < done["bytes"] <= 65536
    path = os.path.join(lab.workdir, "state", "peek", small["id"] + ".pcapng")
    assert os.path.getsize(path) == done["bytes"]
    assert len(rows(path)) == done["packets"] > 0

    a, b = start(vpgd, duration=60), start(vpgd, duration=60, imsi=IMSI1)
    status, err = vpgd.api("POST", BASE, {"duration": 60})
    assert status == 429 and err["field"] == "maxSessions" and "at most 2" in err["message"]
    assert vpgd.api("POST", BASE + "/" + b["id"] + "/stop")[0] == 200
    assert vpgd.api("GET", BASE + "/" + a["id"] + "/pcap")[0] == 409   # still capturing

    assert vpgd.api("DELETE", BASE + "/" + small["id"]) == (204, None)
    assert not os.path.exists(path)
    assert vpgd.api("GET", BASE + "/" + small["id"])[0] == 404
    assert vpgd.api("GET", BASE + "/not-hex")[0] == 400

    vpgd.p.kill()   # no clean stop: the store still says CAPTURING
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    listed = {c["id"]: c for c in vpgd.api("GET", BASE)[1]}
    assert set(listed) == {a["id"], b["id"]}
    assert listed[b["id"]]["status"] == "DONE"
    assert listed[a["id"]]["status"] == "FAILED"
    assert "restarted" in listed[a["id"]]["failedReason"]
    assert download(vpgd, b["id"], os.path.join(lab.workdir, "b.pcapng")) == 200
    assert vpgd.stop() == 0


class TmpfsVpgd(Vpgd):
    """vpgd whose state directory is a small tmpfs, mounted in the mount
    namespace `ip netns exec` gives it, so that the host never sees it."""

    def __init__(self, ns, config_path, state, size, workdir):
        self.ns = ns
        self.endpoint = "http://127.0.0.1:8080"
        script = "mkdir -p %s && mount -t tmpfs -o size=%s tmpfs %s && exec %s -c %s" % (
            state, size, state, VPGD, config_path)
        Proc.__init__(self, ns, ["sh", "-c", script], "vpgd-tmpfs", workdir)
        if not self.wait_for(r"vpgd info: ready", timeout=15):
            raise RuntimeError("vpgd did not start:\n" + self.output())


def test_full_disk_fails_the_capture_not_the_gateway(lab):
    """Send: 1,400-octet pings while a capture fills a 1 MiB state
    directory. Verify: the capture ends FAILED naming the full disk, its
    file is gone, and the device still pings the gateway."""
    state = os.path.join(lab.workdir, "small-state")
    cfg = lab.config(stateDirectory=state)
    vpgd = lab.add(TmpfsVpgd(lab.gw, cfg, state, "1m", lab.workdir))
    dev = device(lab, IMSI1)
    cap = start(vpgd, duration=60)
    ping(dev, "10.10.0.1", count=500, size=1400, extra=("-i", "0.002", "-q"))
    failed = wait_status(vpgd, cap["id"], "FAILED")
    assert "No space left on device" in failed["failedReason"] and "url" not in failed
    assert ping(dev, "10.10.0.1", count=3) == 3
    assert vpgd.api("GET", BASE + "/" + cap["id"] + "/pcap")[0] == 404
    assert vpgd.stop() == 0
