"""Junction Mirroring: GRE copies of every packet crossing the gateway, both
directions, on every path, checked by capture on the mirroring peer against
what the device itself sent and received.

Send: pings from an sgsnemu device to the gateway, a gate peer and a server
behind routed egress; iperf3 with and without copies to an absent peer.
Verify: the inner packets of the GRE copies (tshark) equal the device's own
capture, disabled peers get nothing, an absent peer slows nothing.
"""
import time

from netlab import Capture, GW_UNDERLAY
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
