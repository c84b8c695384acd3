"""Junction Redirection and the routing filter (test_redirection.py,
test_egress.py's filter) again with XDP native on the gateway's veths: an
sgsnemu device, an application server on the LAN behind a kernel VXLAN gate
peer that is the redirection gateway.

Send: pings both ways between the device and the application, 1400-octet
ones too; redirection switched off and on; pings under routing filters that
allow the application and deny the rest of its LAN, then deny a gate peer.
Verify: the same results as on the socket path; on the wire (tshark on the
application's link and the device's tun0) the original addresses, IPv4
checksums right; an ICMP administratively prohibited for each denial; the
XDP counters account for exactly the packets the device sent and got, the
socket path's for none of them, and the socket path alone for what XDP
leaves to it (routed egress, a denial, the gateway's own address).
"""
from collections import Counter

from netlab import enterprise_lan
from test_gate import PEER1, open_gate, ping
from test_xdp import start, xdp_lab
from xdp_lab import Captures, FastPath, attach, wire

IMSI = "999010000000001"
APP, OTHER = "10.0.0.10", "10.0.0.11"  # OTHER: on the LAN, never reached


def scenario(lab):
    sgsn, peer = xdp_lab(lab)
    app = enterprise_lan(lab, peer, "10.0.0.1", APP, "10.10.0.0/16")
    vpgd = start(lab)
    open_gate(vpgd, peer)
    status, body = vpgd.api("PUT", "/v1/junction/redirection",
                            {"gateway": PEER1, "enabled": True, "description": "to the LAN"})
    assert status == 200, body
    dev = attach(lab, sgsn, IMSI)
    # Both sides resolved (the peer's MAC, the device's) before the traffic that counts.
    assert ping(sgsn, APP, count=1) == 1
    return vpgd, sgsn, app, dev


def test_xdp_app_and_device_reach_each_other_with_original_addresses(lab):
    vpgd, sgsn, app, dev = scenario(lab)
    on_app, on_dev = Captures(lab, (app, "eth0", "app.pcapng", "icmp"),
                              (sgsn, "tun0", "dev.pcapng", "icmp")).ready()
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, APP) == 4
    assert ping(app, dev) == 4
    assert ping(sgsn, APP, count=3, size=1400) == 3
    assert ping(app, dev, count=3, size=1400) == 3
    dx, _ = fast.carried_all(up=0, down=14, redirected=14)
    assert dx["uplink_bytes"] == dx["downlink_bytes"] == 8 * 84 + 6 * 1428, dx
    # Each side saw the other's own address, both ways, every packet.
    want = Counter({(dev, APP, "8"): 7, (APP, dev, "0"): 7, (APP, dev, "8"): 7, (dev, APP, "0"): 7})
    for cap in (on_app, on_dev):
        seen = Counter(tuple(r) for r in wire(cap, "icmp", "ip.src", "ip.dst", "icmp.type"))
        assert seen == want, (cap.path, seen)

    # Off: the device's packets to the LAN are routed egress, the socket path's.
    assert vpgd.api("PUT", "/v1/junction/redirection", {"gateway": PEER1, "enabled": False})[0] == 200
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, APP, count=2) == 0  # the gateway host has no route to the LAN
    dx, dc, sent, _ = fast.read()
    assert sent == 2 and dx.get("passed_decision") == 2 and "uplink_packets" not in dx, dx
    assert dc.get("egress_tx_packets") == 2 and "redirected_packets" not in dc, dc
    # On again, with no restart: XDP carries it all once more.
    assert vpgd.api("PUT", "/v1/junction/redirection", {"gateway": PEER1, "enabled": True})[0] == 200
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, APP, count=3) == 3
    fast.carried_all(up=0, down=3, redirected=3)
    assert vpgd.stop() == 0


def test_xdp_routing_filter_allows_in_xdp_and_leaves_denials_to_icmp(lab):
    vpgd, sgsn, app, dev = scenario(lab)
    (on_dev,) = Captures(lab, (sgsn, "tun0", "dev.pcapng", "icmp")).ready()
    rules = [{"action": "allow", "ipRange": APP + "/32"}, {"action": "deny", "ipRange": "10.0.0.0/16"}]
    assert vpgd.api("PUT", "/v1/routing_filter", rules) == (200, rules)
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, APP, count=3) == 3
    fast.carried_all(up=0, down=3, redirected=3)

    # A denial is answered by ICMP from the socket path: XDP passes it up, forwards nothing.
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, OTHER, count=3) == 0
    dx, dc, sent, got = fast.read()
    assert (sent, got) == (3, 3), (sent, got)
    assert dx.get("passed_decision") == 3 and "uplink_packets" not in dx, dx
    assert "downlink_packets" not in dx, dx
    assert dc.get("drop.routing_filter_denied") == 3 and dc.get("icmp_errors_sent") == 3, dc
    assert "redirected_packets" not in dc and "egress_tx_packets" not in dc, dc
    # The gateway's own address is never filtered, and is the socket path's.
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, "10.10.0.1", count=2) == 2
    dx, dc, _, _ = fast.read()
    assert dx.get("passed_decision") == 2 and dc.get("gateway_icmp_echo_replies") == 2, (dx, dc)

    # Replaced live: the gate peer's own address denied, the application allowed by default.
    rules = [{"action": "deny", "ipRange": PEER1 + "/32"}]
    assert vpgd.api("PUT", "/v1/routing_filter", rules) == (200, rules)
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, PEER1, count=2) == 0
    dx, dc, _, _ = fast.read()
    assert dx.get("passed_decision") == 2 and dc.get("drop.routing_filter_denied") == 2, (dx, dc)
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, APP, count=2) == 2
    fast.carried_all(up=0, down=2, redirected=2)
    assert vpgd.api("PUT", "/v1/routing_filter", []) == (200, [])
    fast = FastPath(vpgd, sgsn)
    assert ping(sgsn, PEER1, count=2) == 2
    fast.carried_all(up=0, down=2, redirected=2)

    # On the device: one ICMP administratively prohibited from the gateway per denial,
    # quoting the device's packet.
    rows = wire(on_dev, "icmp.type == 3 && icmp.code == 13", "ip.src", "ip.dst")
    assert rows == [["10.10.0.1," + dev, dev + "," + OTHER]] * 3 + \
        [["10.10.0.1," + dev, dev + "," + PEER1]] * 2, rows
    assert vpgd.stop() == 0
