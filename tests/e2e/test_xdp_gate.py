"""The gate's scenarios (test_gate.py) again with XDP native on the gateway's
veths: gate peers behind a switch on the underlay, an sgsnemu device.

Send: pings both ways between the device and a peer, full-size ones with
DF, TCP both ways (iperf3); pings from two peers, one of them unregistered
meanwhile.
Verify: the same results as on the socket path; on the wire (tshark at the
peer and at the SGSN) VXLAN and GTP-U decode, inner addresses untouched,
VNI, our MAC, outer IPv4 checksums right, full-size frames whole; the XDP
counters account for exactly the packets the device sent and got (its tun0
counts them), the socket path's for none; an unregistered peer's frames are
no longer forwarded while the other's are, all of them by XDP.
"""
import subprocess
import time

from netlab import GW_GTP, GW_UNDERLAY
from test_gate import PEER1, PEER2, iperf, open_gate, ping
from test_xdp import SESSION_COUNTERS, session, start, xdp_counters
from xdp_lab import (Captures, FastPath, attach, socket_path_carried_none, switch, switched_peer,
                     wire, xdp_sgsn)

IMSI = "999010000000001"


def wait_xdp(vpgd, name, value, timeout=10):
    """Waits until XDP's counter name reaches value."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if xdp_counters(vpgd).get(name, 0) >= value:
            return True
        time.sleep(0.1)
    return False


def test_xdp_gate_device_and_peer_both_ways_full_size_and_tcp(lab):
    # The README's advice: an underlay MTU of 1550 lets vxlan0 carry 1500-octet packets whole.
    sgsn = xdp_sgsn(lab, mtu=1550)
    sw = switch(lab, mtu=1550)
    peer = switched_peer(lab, sw, PEER1, mtu=1550, vxlan_mtu=1500)
    caps = Captures(lab, (peer, "eth0", "peer.pcapng", "udp port 4789"),
                    (sgsn, "eth0", "sgsn.pcapng", "udp port 2152"))
    vpgd = start(lab)
    open_gate(vpgd, peer)
    dev = attach(lab, sgsn, IMSI)
    on_peer, on_sgsn = caps.ready()
    assert ping(peer, dev, count=1) == 1  # both sides resolve each other

    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, PEER1) == 4
    assert ping(peer, dev) == 4
    assert ping(sgsn, PEER1, count=3, size=1472, extra=("-M", "do")) == 3
    assert ping(peer, dev, count=3, size=1472, extra=("-M", "do")) == 3
    dx, _ = fast.carried_all(up=14, down=14)
    assert dx["uplink_bytes"] == dx["downlink_bytes"] == 8 * 84 + 6 * 1500, dx

    # The wire: every ICMP packet, as the gateway sent it (the first ping's too).
    gw_mac = vpgd.api("GET", "/v1/gate")[1]["macAddress"]
    rows = wire(on_peer, "vxlan", "ip.src", "ip.dst", "vxlan.vni", "eth.src", "udp.srcport",
                "udp.dstport", "ip.len", "ip.flags.mf", "icmp.type")
    vx = [r for r in rows if r[0].startswith(GW_UNDERLAY + ",") and r[8]]
    assert len(vx) == 1 + 14
    for r in vx:
        assert r[0].split(",")[1] == dev and r[1] == "%s,%s" % (peer.outer, PEER1), r
        assert r[2] == "10" and r[3].split(",")[-1] == gw_mac and r[5] == "4789", r
        assert 49152 <= int(r[4]) <= 65535, r
        assert r[7] == "0,0", r  # whole, not fragmented
    assert sorted(int(r[6].split(",")[1]) for r in vx) == [84] * 9 + [1500] * 6
    rows = wire(on_sgsn, "gtp", "ip.src", "ip.dst", "gtp.message", "gtp.teid", "ip.len",
                "icmp.type")
    gtp = [r for r in rows if r[0].startswith(GW_GTP + ",") and r[5]]
    assert len(gtp) == 1 + 14
    teid = "0x%08x" % session(vpgd)["sgsnTeidData"]
    for r in gtp:
        assert r[0] == "%s,%s" % (GW_GTP, PEER1) and r[1] == "%s,%s" % (sgsn.addr, dev), r
        assert r[2] == "0xff" and r[3] == teid, r
    assert sorted(int(r[4].split(",")[1]) for r in gtp) == [84] * 9 + [1500] * 6

    # TCP both ways: all of it by XDP, and the session's counters hold what XDP carried.
    fast, s0 = FastPath(vpgd, sgsn), session(vpgd)
    assert iperf(sgsn, peer, PEER1, seconds=1) > 1_000_000
    assert iperf(sgsn, peer, PEER1, reverse=True, seconds=1) > 1_000_000
    dx, dc, sent, got = fast.read()
    s1 = session(vpgd)
    socket_path_carried_none(dc)
    assert dx["uplink_packets"] == sent and dx["device_to_gate_packets"] == sent, (dx, sent)
    assert dx["downlink_packets"] >= got > 1000 and sent > 1000, (dx, got)
    assert {k: s1[k] - s0[k] for k in SESSION_COUNTERS} == {
        "uplinkPackets": dx["uplink_packets"], "uplinkBytes": dx["uplink_bytes"],
        "downlinkPackets": dx["downlink_packets"], "downlinkBytes": dx["downlink_bytes"]}
    assert vpgd.stop() == 0


def test_xdp_unregistered_peer_stops_while_the_other_flows(lab):
    sgsn = xdp_sgsn(lab)
    sw = switch(lab)
    p1, p2 = switched_peer(lab, sw, PEER1), switched_peer(lab, sw, PEER2)
    vpgd = start(lab)
    open_gate(vpgd, p1, p2)
    dev = attach(lab, sgsn, IMSI)
    assert ping(p1, dev, count=2) == 2 and ping(p2, dev, count=2) == 2
    fast = FastPath(vpgd, sgsn)
    pinger = p2.popen("ping", "-c", "30", "-i", "0.1", "-W", "1", dev,
                      stdout=subprocess.PIPE, text=True)
    assert wait_xdp(vpgd, "gate_to_device_packets", fast.x0["gate_to_device_packets"] + 3)
    # Out of the peers' map before the answer: p1's next frames go up, and no further.
    assert vpgd.api("DELETE", "/v1/gate/peers/" + p1.outer) == (204, None)
    c0 = vpgd.counters()
    assert ping(p1, dev, count=3) == 0
    assert vpgd.counters()["drop.gate_unknown_peer"] - c0.get("drop.gate_unknown_peer", 0) >= 3
    out, _ = pinger.communicate(timeout=20)
    assert " 30 received" in out, out
    # Every packet the device got was p2's, every one by XDP; p1's were passed up.
    dx, _ = fast.carried_all(up=30, down=30)
    assert dx.get("passed_other", 0) >= 3, dx
    assert vpgd.stop() == 0
