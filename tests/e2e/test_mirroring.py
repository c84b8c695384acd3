"""Junction Mirroring: GRE copies of every packet crossing the gateway, both
directions, on every path, checked by capture on the mirroring peer against
what the device itself sent and received.

Send: pings from an sgsnemu device to the gateway, a gate peer and a server
behind routed egress; iperf3 with and without copies to an absent peer;
bursts of whole receive batches with 4 mirroring peers.
Verify: the inner packets of the GRE copies (tshark) equal the device's own
capture, disabled peers get nothing, an absent peer slows nothing, and at
full batches every peer gets every copy.
"""
import math
import time

from netlab import Capture, GW_UNDERLAY, delta
from test_gate import PEER1, device, iperf, open_gate, ping

FIELDS = ("ip.src", "ip.dst", "ip.id", "ip.len", "icmp.type", "icmp.seq")


def inner(rows):
    """The innermost value of each field (tshark lists outer then inner)."""
    return sorted(tuple(v.split(",")[-1] for v in r) for r in rows)


def add_mirror(vpgd, addr, **kw):
    status, body = vpgd.api("POST", "/v1/junction/mirroring/peers", dict(ipAddress=addr, **kw))
    assert status == 201, body
    return body


def test_copies_match_the_device_side_both_directions_on_every_path(lab):
    vpgd = lab.vpgd()
    server = lab.server()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    mirror = lab.mirror_host()
    assert add_mirror(vpgd, mirror.addr)["protocol"] == "gre"
    dev = device(lab, "999010000000001")
    on_dev = lab.add(Capture(dev, "tun0", lab.workdir + "/dev.pcap", "icmp"))
    on_mirror = lab.add(Capture(mirror, "eth0", lab.workdir + "/mirror.pcap", "ip proto 47"))
    assert ping(dev, "10.10.0.1", count=3) == 3      # the gateway itself
    assert ping(dev, PEER1, count=3) == 3            # the gate
    assert ping(dev, server.addr, count=3) == 3      # routed egress (NAT happens beyond)
    assert ping(peer, dev.device, count=3) == 3      # downlink from the gate
    time.sleep(0.5)
    device_side = inner(on_dev.fields("icmp", *FIELDS))
    copies = inner(on_mirror.fields("gre && icmp", *FIELDS))
    assert len(device_side) == 24
    assert copies == device_side
    outer = on_mirror.fields("gre", "ip.src", "ip.dst", "gre.proto")
    assert {(r[0].split(",")[0], r[1].split(",")[0], r[2]) for r in outer} == {
        (GW_UNDERLAY, mirror.addr, "0x0800")}
    assert on_mirror.problems("gre") == ""
    assert vpgd.counters()["mirror_copies_sent"] == 24
    assert vpgd.stop() == 0


def test_disabled_peer_gets_no_copies_and_validation(lab):
    vpgd = lab.vpgd()
    mirror = lab.mirror_host()
    add_mirror(vpgd, mirror.addr, description="lab tap")
    status, body = vpgd.api("PUT", "/v1/junction/mirroring/peers/" + mirror.addr, {"enabled": False})
    assert (status, body["enabled"], body["description"]) == (200, False, "lab tap")
    dev = device(lab, "999010000000001")
    cap = lab.add(Capture(mirror, "eth0", lab.workdir + "/mirror.pcap", "ip proto 47"))
    assert ping(dev, "10.10.0.1", count=3) == 3
    assert cap.fields("gre", "ip.src") == []
    for body, status, field in (({"ipAddress": "203.0.113.7", "protocol": "ipip"}, 400, "protocol"),
                                ({"ipAddress": "224.0.0.5"}, 400, "ipAddress"),
                                ({"ipAddress": "203.0.113.7", "colour": 1}, 400, "colour"),
                                ({"ipAddress": mirror.addr}, 409, "ipAddress")):
        got, err = vpgd.api("POST", "/v1/junction/mirroring/peers", body)
        assert (got, err.get("field")) == (status, field), (body, err)
    for i in range(3):
        add_mirror(vpgd, "203.0.113.%d" % (20 + i))
    got, err = vpgd.api("POST", "/v1/junction/mirroring/peers", {"ipAddress": "203.0.113.30"})
    assert got == 409  # a 5th peer
    assert len(vpgd.api("GET", "/v1/junction/mirroring/peers")[1]) == 4
    assert vpgd.api("DELETE", "/v1/junction/mirroring/peers/203.0.113.20") == (204, None)
    assert vpgd.api("DELETE", "/v1/junction/mirroring/peers/203.0.113.20")[0] == 404
    rc, out, _ = vpgd.ctl("mirroring", "list")
    assert rc == 0 and mirror.addr in out
    assert vpgd.stop() == 0


def test_copies_to_an_absent_peer_do_not_slow_or_drop_traffic(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001", timelimit=40)
    assert ping(dev, PEER1, count=2) == 2
    plain = iperf(dev, peer, PEER1)
    loss_plain = 20 - ping(dev, PEER1, count=20)
    add_mirror(vpgd, "198.51.100.99")  # nobody answers ARP for it
    mirrored = iperf(dev, peer, PEER1)
    loss_mirrored = 20 - ping(dev, PEER1, count=20)
    assert loss_plain == 0 and loss_mirrored == 0
    # Same run, same machine: only the ratio means anything on a noisy host.
    assert mirrored / plain > 0.5, (plain, mirrored)
    assert vpgd.counters()["mirror_copies_sent"] > 100
    assert vpgd.stop() == 0


def test_mirroring_peers_persist(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    add_mirror(vpgd, "198.51.100.50", enabled=False, description="kept")
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", "/v1/junction/mirroring/peers")[1] == [
        {"ipAddress": "198.51.100.50", "protocol": "gre", "enabled": False, "description": "kept"}]
    assert vpgd.stop() == 0


BURST = """
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(%d):
    s.sendto(b"copy me %%06d" %% i, (sys.argv[1], 9))
    if i %% 200 == 199:
        time.sleep(0.05)  # bursts of 200: whole receive batches, at a rate the veths carry
"""


def test_four_peers_get_every_copy_of_full_batches(lab):
    """Send: 2,000 UDP datagrams from a gate peer to a device, in bursts of
    200, so that the gateway reads whole batches of 64 and owes 4 copies of
    each (256 a batch, more than one send batch holds), with 4 mirroring
    peers. Verify: each peer's capture holds exactly one GRE copy of every
    datagram and exactly a quarter of mirror_copies_sent, mirror_congested
    stays 0, and all but one copy a peer a second left direct
    (mirror_tx_direct)."""
    n = 2000
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    mirrors = [lab.mirror_host("198.51.100.%d" % (50 + i)) for i in range(4)]
    for m in mirrors:
        add_mirror(vpgd, m.addr)
        # The underlay knows each mirror's MAC before the burst, as it would in steady state.
        assert lab.gw.run("ping", "-c", "1", "-W", "2", m.addr, check=False).returncode == 0
    dev = device(lab, "999010000000001")
    assert ping(peer, dev.device, count=2) == 2
    caps = [lab.add(Capture(m, "eth0", "%s/mirror%d.pcap" % (lab.workdir, i), "ip proto 47"))
            for i, m in enumerate(mirrors)]
    before, started = vpgd.counters(), time.monotonic()
    peer.run("python3", "-c", BURST % n, dev.device)
    deadline, last, d = time.monotonic() + 20, -1, {}
    while time.monotonic() < deadline:  # until the copies stop growing
        d = delta(before, vpgd.counters())
        if d.get("mirror_copies_sent", 0) >= 4 * n and d["mirror_copies_sent"] == last:
            break
        last = d.get("mirror_copies_sent", 0)
        time.sleep(0.5)
    assert d.get("drop.mirror_congested", 0) == 0 and d.get("drop.tx_failed", 0) == 0, d
    assert d["mirror_copies_sent"] % 4 == 0
    # Direct (gate.transmit's default): all but one copy a peer a started second.
    stack_at_most = 4 * (math.ceil(time.monotonic() - started) + 1)
    assert d["mirror_copies_sent"] - stack_at_most <= d.get("mirror_tx_direct", 0), d
    assert d.get("mirror_tx_direct", 0) <= d["mirror_copies_sent"], d
    for cap in caps:
        udp = cap.fields("gre && udp.dstport == 9 && !icmp", "ip.id")
        assert len(udp) == n and len({r[0].split(",")[-1] for r in udp}) == n
        assert len(cap.fields("gre", "ip.id")) == d["mirror_copies_sent"] // 4
    assert vpgd.stop() == 0
