"""The XDP fast path: native XDP on the gateway's own veths (no bridge), the
GTP link on one and the gate's underlay on the other.

Send: pings between a gate peer (the kernel's VXLAN) and an sgsnemu device,
then after the device's session is deleted, then with mirroring on.
Verify: the pings answer; on the wire (tshark at both far ends) VXLAN and
GTP-U decode, inner addresses untouched, outer IPv4 checksums right; the
XDP counters account for exactly the packets sent and the socket path's
for none of them; a deleted session is no longer forwarded; a session
under mirroring takes the socket path.
"""
import ipaddress
import json
import os
import signal

from netlab import GW_GTP, GW_UNDERLAY, ROOT, Capture, Netns, Vpgd, delta, join_gate, sh
from test_gate import PEER1, open_gate, ping
from test_gtp_attach import wait_tun_address

PASS_OBJ = os.path.join(ROOT, "build-san", "bpf", "xdp_pass.bpf.o")
IMSI = "999010000000001"
APP = "10.0.0.10"  # beyond the gate peer


def veth(lab, ns, gw_if, addr, gw_addr, mtu=None):
    """ns's eth0 straight to gw_if in the gateway namespace. The far end runs a
    program that passes everything: XDP_REDIRECT into a veth delivers only then."""
    a, b = "%s%sa" % (lab.tag, gw_if), "%s%sb" % (lab.tag, gw_if)
    sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
    if mtu:
        sh("ip", "link", "set", a, "mtu", str(mtu))
        sh("ip", "link", "set", b, "mtu", str(mtu))
    sh("ip", "link", "set", a, "netns", ns.name)
    sh("ip", "link", "set", b, "netns", lab.gw.name)
    ns.run("ip", "link", "set", a, "name", "eth0")
    ns.run("ip", "addr", "add", addr + "/24", "dev", "eth0")
    ns.run("ip", "link", "set", "eth0", "up")
    ns.run("ip", "link", "set", "dev", "eth0", "xdp", "obj", PASS_OBJ, "sec", "xdp")
    lab.gw.run("ip", "link", "set", b, "name", gw_if)
    lab.gw.run("ip", "addr", "add", gw_addr + "/24", "dev", gw_if)
    lab.gw.run("ip", "link", "set", gw_if, "up")


def xdp_lab(lab):
    """The gateway on two veths (gtp0, und0), an SGSN and a gate peer behind them."""
    lab.gw.run("ip", "addr", "del", GW_GTP + "/24", "dev", "br0")
    sgsn = lab.add(Netns(lab.tag + "s1"))
    sgsn.addr = "192.0.2.11"
    veth(lab, sgsn, "gtp0", sgsn.addr, GW_GTP)
    peer = lab.add(Netns(lab.tag + "p1"))
    peer.outer, peer.inner = "198.51.100.11", PEER1
    veth(lab, peer, "und0", peer.outer, GW_UNDERLAY)
    join_gate(peer, GW_UNDERLAY)
    return sgsn, peer


def xdp_on(ns, ifname):
    """Is an XDP program attached to ifname?"""
    return "prog/xdp" in ns.run("ip", "link", "show", "dev", ifname).stdout


def start(lab, mode="native", interfaces=("gtp0", "und0")):
    cfg = {"deviceSubnetCidrRange": "10.10.0.0/16",
           "gtp": {"listenAddress": GW_GTP},
           "gate": {"listenAddress": GW_UNDERLAY},
           "stateDirectory": os.path.join(lab.workdir, "state"),
           "xdp": {"interfaces": list(interfaces), "mode": mode}}
    path = os.path.join(lab.workdir, "vpgd.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return lab.add(Vpgd(lab.gw, path, lab.workdir))


def checksums(path, display_filter):
    """The IPv4 header checksum status of every layer of the matching packets,
    as tshark finds them when told to check (1: good)."""
    out = sh("tshark", "-n", "-r", path, "-o", "ip.check_checksum:TRUE", "-Y", display_filter,
             "-T", "fields", "-e", "ip.checksum.status").stdout
    return {v for line in out.split() for v in line.split(",")}


SESSION_COUNTERS = ("uplinkPackets", "uplinkBytes", "downlinkPackets", "downlinkBytes")


def session(vpgd):
    status, body = vpgd.api("GET", "/v1/sessions/" + IMSI)
    assert status == 200, body
    return body


def xdp_counters(vpgd):
    status, body = vpgd.api("GET", "/v1/stats")
    assert status == 200
    return body["xdp"]


def xdp_map_id(lab, name):
    """The id of the map of that name of the program on gtp0."""
    link = json.loads(lab.gw.run("ip", "-j", "-d", "link", "show", "dev", "gtp0").stdout)[0]
    prog = json.loads(sh("bpftool", "-j", "prog", "show", "id",
                         str(link["xdp"]["prog"]["id"])).stdout)
    maps = [json.loads(sh("bpftool", "-j", "map", "show", "id", str(i)).stdout)
            for i in prog["map_ids"]]
    ids = [m["id"] for m in maps if m.get("name") == name]
    assert len(ids) == 1, maps
    return ids[0]


def addr_slot(lab, addr, subnet="10.10.0.0"):
    """The slot "addr_slots" holds for a device address: two 32-bit slots an element."""
    off = int(ipaddress.IPv4Address(addr)) - int(ipaddress.IPv4Address(subnet))
    key = [str(b) for b in (off // 2).to_bytes(4, "little")]
    got = json.loads(sh("bpftool", "-j", "map", "lookup", "id", str(xdp_map_id(lab, "addr_slots")),
                        "key", *key).stdout)
    raw = bytes(int(b, 16) for b in got["value"])  # bpftool's octets, as hex strings
    return int.from_bytes(raw[4 * (off % 2):4 * (off % 2) + 4], "little")


def test_xdp_forwards_gate_traffic_and_leaves_the_rest(lab):
    sgsn, peer = xdp_lab(lab)
    vpgd = start(lab)
    status, vpg = vpgd.api("GET", "/v1/vpg")
    assert vpg["xdp"] == {"mode": "native", "interfaces": [
        {"name": "gtp0", "path": "xdp-native"}, {"name": "und0", "path": "xdp-native"}]}
    open_gate(vpgd, peer)
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=60)
    dev = wait_tun_address(sgsn)
    on_peer = lab.add(Capture(peer, "eth0", lab.workdir + "/peer.pcap", "udp port 4789"))
    on_sgsn = lab.add(Capture(sgsn, "eth0", lab.workdir + "/sgsn.pcap", "udp port 2152"))
    # Warm up: the peer resolves the device (ARP through the socket path).
    assert ping(peer, dev, count=1) == 1

    x0, c0, s0 = xdp_counters(vpgd), vpgd.counters(), session(vpgd)
    assert ping(peer, dev, count=10) == 10
    x1, c1, s1 = xdp_counters(vpgd), vpgd.counters(), session(vpgd)
    dx = delta(x0, x1)
    assert dx.get("downlink_packets") == 10 and dx.get("gate_to_device_packets") == 10, dx
    assert dx.get("uplink_packets") == 10 and dx.get("device_to_gate_packets") == 10, sorted(dx.items())
    assert dx.get("uplink_bytes") == 10 * 84 and dx.get("downlink_bytes") == 10 * 84
    assert dx.get("tx_redirected") == 20
    # The socket path carried none of them.
    dc = delta(c0, c1)
    for name in ("uplink_packets", "downlink_packets", "gtpu_rx_packets", "vxlan_tx_packets"):
        assert name not in dc, dc
    # The session's own counters hold what XDP carried for it.
    assert {k: s1[k] - s0[k] for k in SESSION_COUNTERS} == {
        "uplinkPackets": 10, "uplinkBytes": 840, "downlinkPackets": 10, "downlinkBytes": 840}
    # The device's address is found by its place in the subnet, not through the index.
    assert addr_slot(lab, dev) != 0

    # The wire: VXLAN at the peer, GTP-U at the SGSN, inner addresses as sent.
    vx = on_peer.fields("vxlan && icmp && ip.src == %s" % GW_UNDERLAY, "ip.src", "ip.dst",
                        "vxlan.vni", "ip.checksum.status", "udp.dstport", "icmp.type")
    assert len(vx) == 11
    for r in vx:
        assert r[0] == "%s,%s" % (GW_UNDERLAY, dev) and r[1] == "%s,%s" % (peer.outer, PEER1)
        assert r[2] == "10" and r[4] == "4789" and r[5] == "0"
    gtp = on_sgsn.fields("gtp && icmp && ip.src == %s" % GW_GTP, "ip.src", "ip.dst",
                         "gtp.message", "ip.checksum.status", "icmp.type")
    assert len(gtp) == 11
    for r in gtp:
        assert r[0] == "%s,%s" % (GW_GTP, PEER1) and r[1] == "%s,%s" % (sgsn.addr, dev)
        assert r[2] == "0xff" and r[4] == "8"
    assert on_peer.problems("vxlan") == "" and on_sgsn.problems("gtp") == ""
    assert checksums(on_peer.path, "vxlan && icmp") == {"1"}
    assert checksums(on_sgsn.path, "gtp && icmp") == {"1"}

    # Junction Redirection in XDP: any destination goes to the peer's MAC.
    assert vpgd.api("PUT", "/v1/junction/redirection", {"gateway": PEER1})[0] == 200
    on_peer = lab.add(Capture(peer, "eth0", lab.workdir + "/redir.pcap", "udp port 4789"))
    x0 = xdp_counters(vpgd)
    assert ping(sgsn, APP, count=3) == 0  # the peer itself routes nothing further
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("redirected_packets") == 3 and dx.get("uplink_packets") == 3, dx
    rows = on_peer.fields("vxlan && icmp", "ip.src", "ip.dst", "eth.dst")
    assert [r[1] for r in rows] == ["%s,%s" % (peer.outer, APP)] * 3
    mac = peer.run("cat", "/sys/class/net/vxlan0/address").stdout.strip()
    assert {r[2].split(",")[-1] for r in rows} == {mac}
    # A routing filter's denial is the socket path's: it answers by ICMP.
    assert vpgd.api("PUT", "/v1/routing_filter", [{"action": "deny", "ipRange": "10.0.0.0/16"}])[0] == 200
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    assert ping(sgsn, APP, count=3) == 0
    dx, dc = delta(x0, xdp_counters(vpgd)), delta(c0, vpgd.counters())
    assert dx.get("passed_decision") == 3 and "redirected_packets" not in dx, dx
    assert dc.get("drop.routing_filter_denied") == 3 and dc.get("icmp_errors_sent") == 3, dc
    assert vpgd.api("PUT", "/v1/routing_filter", [])[0] == 200
    assert vpgd.api("DELETE", "/v1/junction/redirection")[0] == 204

    # Mirroring on: every packet of the session takes the socket path.
    status, _ = vpgd.api("POST", "/v1/junction/mirroring/peers", {"ipAddress": "198.51.100.50"})
    assert status == 201
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    assert ping(peer, dev, count=3) == 3
    x1, c1 = xdp_counters(vpgd), vpgd.counters()
    dx, dc = delta(x0, x1), delta(c0, c1)
    assert dx.get("passed_slow_path") == 6 and "uplink_packets" not in dx, dx
    assert dc.get("uplink_packets") == 3 and dc.get("downlink_packets") == 3, dc
    assert vpgd.api("DELETE", "/v1/junction/mirroring/peers/198.51.100.50")[0] == 204

    # A deleted session is gone from the maps before the answer: nothing is forwarded.
    assert vpgd.api("DELETE", "/v1/sessions/" + IMSI)[0] == 204
    x0 = xdp_counters(vpgd)
    assert ping(peer, dev, count=3) == 0
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("passed_no_session") == 3 and "downlink_packets" not in dx, dx
    assert addr_slot(lab, dev) == 0
    rc, out, _ = vpgd.ctl("status")
    assert rc == 0 and "xdp-native" in out, out
    assert vpgd.stop() == 0
    # The links were the gateway's alone: the program went with it.
    assert not xdp_on(lab.gw, "gtp0") and not xdp_on(lab.gw, "und0")


def test_xdp_off_refused_and_crashed_gateway_leave_nothing_attached(lab):
    xdp_lab(lab)
    vpgd = start(lab, mode="off")
    assert vpgd.api("GET", "/v1/vpg")[1]["xdp"] == {"mode": "off", "interfaces": []}
    assert not xdp_on(lab.gw, "gtp0")
    assert vpgd.stop() == 0

    # A bridge has no native XDP: all or none, so gtp0 is not left half-attached.
    vpgd = start(lab, interfaces=("gtp0", "br0"))
    lines = [l for l in vpgd.output().splitlines() if "xdp" in l]
    assert len(lines) == 1 and "br0 refuses native mode" in lines[0], lines
    assert "running on the socket path" in lines[0]
    assert vpgd.api("GET", "/v1/vpg")[1]["xdp"]["interfaces"] == [
        {"name": "gtp0", "path": "socket"}, {"name": "br0", "path": "socket"}]
    assert not xdp_on(lab.gw, "gtp0")
    assert vpgd.stop() == 0

    # Generic mode, when asked, on any driver.
    vpgd = start(lab, mode="generic")
    assert vpgd.api("GET", "/v1/vpg")[1]["xdp"]["interfaces"] == [
        {"name": "gtp0", "path": "xdp-generic"}, {"name": "und0", "path": "xdp-generic"}]
    assert "xdpgeneric" in lab.gw.run("ip", "link", "show", "dev", "gtp0").stdout
    assert vpgd.stop() == 0
    assert not xdp_on(lab.gw, "gtp0")

    # The gateway killed outright: its links close with it, the program goes.
    vpgd = start(lab)
    assert xdp_on(lab.gw, "gtp0") and xdp_on(lab.gw, "und0")
    kids = sh("pgrep", "-P", str(vpgd.p.pid)).stdout.split()
    assert len(kids) == 1, kids
    os.kill(int(kids[0]), signal.SIGKILL)
    vpgd.p.wait(10)
    assert not xdp_on(lab.gw, "gtp0") and not xdp_on(lab.gw, "und0")
