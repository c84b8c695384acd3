"""The XDP fast path between devices: device to device, the LAN behind a
device (SIM-based routing), the routing filter's per-rule hits and a Peek
capture of one device, with native XDP on the gateway's own veths.

Two SGSNs, each an sgsnemu device on a veth of its own (gtp0, gtp1), and a
gate peer (the kernel's VXLAN) on und0.

Send: pings between the two devices; crafted G-PDUs from device B with
sources in its own LAN and in A's; pings from A into B's LAN; pings from the
gate peer to both devices while a capture of B runs, and after.
Verify: the pings answer; XDP's counters account for exactly the packets
sent and the socket path's for none of them (device_to_device_packets
included); both sessions' counters; spoofed sources dropped in XDP; the
packets for B's LAN on B's tun with addresses untouched; /metrics' hits of
the rule that matched; while B is captured, B's packets take the socket path
and A's stay in XDP.
"""
import json
import os
import time

import gtp
from netlab import GW_GTP, GW_UNDERLAY, Capture, Netns, Vpgd, delta, probe
from test_gate import open_gate, ping
from test_gtp_attach import wait_tun_address
from test_xdp import veth, xdp_counters, xdp_lab

IMSI_A, IMSI_B = "999010000000001", "999010000000002"
LAN_A, LAN_B = "192.168.50.0/24", "192.168.60.0/24"
SGSN2, GW_GTP2 = "192.0.3.11", "192.0.3.1"
SOCKET_PATH = ("uplink_packets", "downlink_packets", "device_to_device_packets", "gtpu_rx_packets")


def second_sgsn(lab):
    """An SGSN on gtp1, a /24 of its own, routed to the gateway's GTP address."""
    ns = lab.add(Netns(lab.tag + "s2"))
    ns.addr = SGSN2
    veth(lab, ns, "gtp1", SGSN2, GW_GTP2)
    # More specific than the default route sgsnemu points into its tunnel.
    ns.run("ip", "route", "add", GW_GTP + "/32", "via", GW_GTP2)
    return ns


def start(lab):
    """test_xdp's gateway, on gtp1 too, taking GTP-C from both SGSNs' subnets."""
    cfg = {"deviceSubnetCidrRange": "10.10.0.0/16",
           "gtp": {"listenAddress": GW_GTP, "allowedPeers": ["192.0.2.0/24", "192.0.3.0/24"]},
           "gate": {"listenAddress": GW_UNDERLAY},
           "stateDirectory": os.path.join(lab.workdir, "state"),
           "xdp": {"interfaces": ["gtp0", "gtp1", "und0"], "mode": "native"}}
    path = os.path.join(lab.workdir, "vpgd.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return lab.add(Vpgd(lab.gw, path, lab.workdir))


def devices(lab):
    sgsn, peer = xdp_lab(lab)
    sgsn2 = second_sgsn(lab)
    vpgd = start(lab)
    open_gate(vpgd, peer)
    for ns, imsi in ((sgsn, IMSI_A), (sgsn2, IMSI_B)):
        lab.sgsnemu(ns, "--createif", "--defaultroute", "--imsi", imsi, timelimit=90)
        ns.device = wait_tun_address(ns)
    return vpgd, sgsn, sgsn2, peer


def sessions(vpgd):
    return session_of(vpgd, IMSI_A), session_of(vpgd, IMSI_B)


def session_of(vpgd, imsi):
    status, body = vpgd.api("GET", "/v1/sessions/" + imsi)
    assert status == 200, body
    return body


def grew(before, after):
    keys = ("uplinkPackets", "uplinkBytes", "downlinkPackets", "downlinkBytes")
    return tuple(after[k] - before[k] for k in keys)


def socket_path_moved(dc):
    return {k: dc[k] for k in SOCKET_PATH if k in dc}


def wait_until(what, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if what():
            return True
        time.sleep(0.1)
    return bool(what())


def test_xdp_device_to_device_and_filter_hits(lab):
    vpgd, a, b, _ = devices(lab)
    # Warm up: the gateway's kernel resolves both SGSNs (bpf_fib_lookup needs the neighbours).
    assert ping(a, b.device, count=1) == 1

    x0, c0, (a0, b0) = xdp_counters(vpgd), vpgd.counters(), sessions(vpgd)
    assert ping(a, b.device, count=10) == 10
    x1, c1, (a1, b1) = xdp_counters(vpgd), vpgd.counters(), sessions(vpgd)
    dx = delta(x0, x1)
    assert dx.get("device_to_device_packets") == 20, sorted(dx.items())
    assert dx.get("uplink_packets") == 20 and dx.get("downlink_packets") == 20, dx
    assert dx.get("uplink_bytes") == 20 * 84 and dx.get("downlink_bytes") == 20 * 84, dx
    assert "device_to_gate_packets" not in dx and "passed_decision" not in dx, dx
    assert socket_path_moved(delta(c0, c1)) == {}
    # Each session: its requests (or answers) up, the other's down.
    assert grew(a0, a1) == (10, 840, 10, 840) and grew(b0, b1) == (10, 840, 10, 840)

    # The routing filter: XDP's packets count in the hits of the rule that matched.
    rules = [{"action": "deny", "ipRange": "10.10.200.0/24"},
             {"action": "allow", "ipRange": "10.10.0.0/16"}]
    assert vpgd.api("PUT", "/v1/routing_filter", rules) == (200, rules)
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    assert ping(a, b.device, count=5) == 5
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("device_to_device_packets") == 10, dx
    assert socket_path_moved(delta(c0, vpgd.counters())) == {}
    metrics = vpgd.api("GET", "/metrics")[1]
    assert ('vpgd_routing_filter_matches_total{rule="1",action="allow",'
            'ip_range="10.10.0.0/16"} 10') in metrics, metrics
    assert 'rule="0",action="deny",ip_range="10.10.200.0/24"} 0' in metrics
    # A new filter restarts the hits, whichever path counted them.
    assert vpgd.api("PUT", "/v1/routing_filter", rules) == (200, rules)
    assert 'ip_range="10.10.0.0/16"} 0' in vpgd.api("GET", "/metrics")[1]

    # The privacy separator is the socket path's to count: XDP passes those packets up.
    assert vpgd.api("POST", "/v1/gate/open", {"privacySeparatorEnabled": True})[0] == 200
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    assert ping(a, b.device, count=3) == 0
    assert delta(x0, xdp_counters(vpgd)).get("passed_decision") == 3
    assert delta(c0, vpgd.counters()).get("drop.privacy_separator") == 3
    assert vpgd.stop() == 0


def test_xdp_lan_behind_a_device(lab):
    vpgd, a, b, _ = devices(lab)
    assert vpgd.ctl("sim-routing", "set", IMSI_A, LAN_A)[0] == 0
    assert vpgd.ctl("sim-routing", "set", IMSI_B, LAN_B)[0] == 0
    assert vpgd.ctl("sim-routing", "enable")[0] == 0
    assert ping(a, b.device, count=1) == 1
    teid_b = session_of(vpgd, IMSI_B)["teid"]

    # From B with a source in its own LAN to A: A answers the LAN, both ways in XDP.
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    own = [gtp.gpdu(teid_b, gtp.icmp_echo("192.168.60.7", a.device, seq=i)) for i in range(3)]
    probe(b, b.addr + ":0", GW_GTP + ":2152", own, wait=0.5)
    assert wait_until(lambda: delta(x0, xdp_counters(vpgd)).get("device_to_device_packets") == 6)
    dx = delta(x0, xdp_counters(vpgd))
    assert "dropped_spoofed_source" not in dx and "passed_decision" not in dx, dx
    assert socket_path_moved(delta(c0, vpgd.counters())) == {}

    # From B with a source in A's LAN: spoofed, dropped in XDP and counted there.
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    spoofed = [gtp.gpdu(teid_b, gtp.icmp_echo("192.168.50.99", a.device, seq=i))
               for i in range(4)]
    assert probe(b, b.addr + ":0", GW_GTP + ":2152", spoofed, wait=0.5) == []
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("dropped_spoofed_source") == 4 and "device_to_device_packets" not in dx, dx
    dc = delta(c0, vpgd.counters())
    assert socket_path_moved(dc) == {} and "drop.uplink_spoofed_source" not in dc, dc

    # From A into B's LAN: down B's tunnel, addresses untouched.
    on_b = lab.add(Capture(b, "tun0", lab.workdir + "/b.pcap", "icmp"))
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    a.run("ping", "-c", "3", "-i", "0.2", "-W", "1", "192.168.60.1", check=False)
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("device_to_device_packets") == 3, dx
    assert socket_path_moved(delta(c0, vpgd.counters())) == {}
    assert on_b.fields("icmp.type == 8", "ip.src", "ip.dst") == [[a.device, "192.168.60.1"]] * 3

    # B's LAN while B is away: held, the socket path drops what is sent there.
    assert vpgd.api("DELETE", "/v1/sessions/" + IMSI_B)[0] == 204
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    a.run("ping", "-c", "2", "-i", "0.2", "-W", "1", "192.168.60.1", check=False)
    assert delta(x0, xdp_counters(vpgd)).get("passed_decision") == 2
    assert delta(c0, vpgd.counters()).get("drop.sim_route_not_attached") == 2
    assert vpgd.stop() == 0


def test_xdp_capture_of_one_device_slows_it_alone(lab):
    vpgd, a, b, peer = devices(lab)
    assert ping(peer, a.device, count=1) == 1 and ping(peer, b.device, count=1) == 1
    rc, out, err = vpgd.ctl("--json", "peek", "start", "--imsi", IMSI_B, "--duration", "60")
    assert rc == 0, err
    cid = json.loads(out)["id"]

    x0, c0, (a0, b0) = xdp_counters(vpgd), vpgd.counters(), sessions(vpgd)
    assert ping(peer, a.device, count=3) == 3
    assert ping(peer, b.device, count=4) == 4
    x1, c1, (a1, b1) = xdp_counters(vpgd), vpgd.counters(), sessions(vpgd)
    dx, dc = delta(x0, x1), delta(c0, c1)
    # A's packets in XDP, B's (4 each way) on the socket path, where the capture is.
    assert dx.get("uplink_packets") == 3 and dx.get("downlink_packets") == 3, dx
    assert dx.get("passed_slow_path") == 8, dx
    assert dc.get("uplink_packets") == 4 and dc.get("downlink_packets") == 4, dc
    assert dc.get("peek_packets_captured") == 8, dc
    assert grew(a0, a1) == (3, 252, 3, 252) and grew(b0, b1) == (4, 336, 4, 336)

    # Stopped: B is back in XDP.
    assert vpgd.ctl("peek", "stop", cid)[0] == 0
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    assert ping(peer, b.device, count=2) == 2
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("uplink_packets") == 2 and dx.get("downlink_packets") == 2, dx
    assert socket_path_moved(delta(c0, vpgd.counters())) == {}
    assert vpgd.stop() == 0
