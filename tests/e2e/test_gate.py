"""Gate: the device subnet as one L2 segment over VXLAN with gate peers that
are plain Linux hosts (kernel vxlan, one fdb line), as the README shows.

Send: pings, iperf3 and crafted VXLAN between sgsnemu devices and peers.
Verify: replies, addresses and headers on the wire (tshark), counters.
"""
import os
import socket
import struct
import subprocess
import time

from netlab import GW_UNDERLAY, Capture, delta, drops, probe
from test_gtp_attach import wait_tun_address

PEER1, PEER2 = "10.10.10.10", "10.10.10.11"


def open_gate(vpgd, *peers, **settings):
    status, _ = vpgd.api("POST", "/v1/gate/open", settings)
    assert status == 200
    for p in peers:
        status, body = vpgd.api("POST", "/v1/gate/peers",
                                {"outerIpAddress": p.outer, "innerIpAddress": p.inner})
        assert status == 201, body


def device(lab, imsi, timelimit=25):
    sgsn = lab.sgsn()
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", imsi, timelimit=timelimit)
    sgsn.device = wait_tun_address(sgsn)
    return sgsn


def quiet(d):
    """Drops of a counter delta, without the IPv6 router and neighbour
    solicitations that kernel vxlan peers keep sending (not served, counted)."""
    d = drops(d)
    d.pop("drop.gate_unsupported_ethertype", None)
    return d


def ping(ns, addr, count=4, size=56, extra=()):
    r = ns.run("ping", "-c", str(count), "-i", "0.2", "-W", "2", "-s", str(size), *extra, addr,
               check=False)
    return int(r.stdout.split(" received")[0].rsplit(" ", 1)[1]) if " received" in r.stdout else 0


def test_peer_and_device_ping_each_other_with_addresses_on_the_wire(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001")
    cap = lab.capture("vxlan.pcap", "udp port 4789", iface="br1")
    assert ping(peer, dev.device) == 4
    assert ping(dev, PEER1) == 4
    assert ping(peer, "10.10.0.1") == 4  # the gateway's own inner address
    # Inner addresses are the originals in both directions; VNI 10; our MAC answers for the device.
    rows = cap.fields("vxlan && icmp", "ip.src", "ip.dst", "vxlan.vni", "eth.src", "icmp.type")
    inner = {(r[0].split(",")[-1], r[1].split(",")[-1], r[4]) for r in rows}
    assert (PEER1, dev.device, "8") in inner and (dev.device, PEER1, "0") in inner
    assert (dev.device, PEER1, "8") in inner and (PEER1, dev.device, "0") in inner
    assert {r[2] for r in rows} == {"10"}
    gw_mac = vpgd.api("GET", "/v1/gate")[1]["macAddress"]
    from_gw = [r for r in rows if r[0].split(",")[0] == GW_UNDERLAY]
    assert from_gw and all(r[3].split(",")[-1] == gw_mac for r in from_gw)
    arp = cap.fields("arp.opcode == 2 && arp.src.proto_ipv4 == %s" % dev.device, "arp.src.hw_mac")
    assert arp and all(r[0].split(",")[-1] == gw_mac for r in arp)
    assert cap.problems("vxlan || arp") == ""
    peers = vpgd.api("GET", "/v1/gate/peers")[1]
    assert peers[0]["macAddress"] == peer.run("cat", "/sys/class/net/vxlan0/address").stdout.strip()
    assert vpgd.stop() == 0


def test_gateway_never_answers_arp_for_unattached_addresses(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    cap = lab.capture("vxlan.pcap", "udp port 4789", iface="br1")
    assert ping(peer, "10.10.0.77", count=2) == 0
    assert cap.fields("arp.opcode == 2", "arp.src.proto_ipv4") == []
    assert vpgd.stop() == 0


def iperf(client_ns, server_ns, addr, reverse=False, seconds=3):
    server = server_ns.popen("iperf3", "-s", "-1", "--one-off", stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    args = ["iperf3", "-c", addr, "-t", str(seconds), "-J"] + (["-R"] if reverse else [])
    r = client_ns.run(*args, check=False, timeout=seconds + 20)
    server.wait(10)
    import json
    out = json.loads(r.stdout)
    return out["end"]["sum_received"]["bytes"]


def test_tcp_both_ways_between_device_and_peer(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001", timelimit=30)
    assert ping(dev, PEER1, count=2) == 2
    assert iperf(dev, peer, PEER1) > 1_000_000
    assert iperf(dev, peer, PEER1, reverse=True) > 1_000_000
    d = vpgd.counters()
    assert d["device_to_gate_packets"] > 100 and d["gate_to_device_packets"] > 100
    assert vpgd.stop() == 0


def test_full_size_packets_cross_both_ways(lab):
    vpgd = lab.vpgd()
    # The README's advice: an underlay MTU of 1550 lets vxlan0 carry 1500-octet packets whole.
    peer = lab.gate_peer(PEER1, underlay_mtu=1550, vxlan_mtu=1500)
    small = lab.gate_peer(PEER2)  # default underlay: the outer packet is fragmented instead
    open_gate(vpgd, peer, small)
    dev = device(lab, "999010000000001")
    assert ping(dev, PEER1, count=3, size=1472, extra=("-M", "do")) == 3
    assert ping(peer, dev.device, count=3, size=1472, extra=("-M", "do")) == 3
    assert ping(dev, PEER2, count=3, size=1472, extra=("-M", "do")) == 3
    assert ping(small, dev.device, count=3, size=1472) == 3
    assert vpgd.stop() == 0


def test_peers_reach_each_other_through_the_gateway(lab):
    vpgd = lab.vpgd()
    p1, p2 = lab.gate_peer(PEER1), lab.gate_peer(PEER2)
    open_gate(vpgd, p1, p2)
    before = vpgd.counters()
    assert ping(p1, PEER2) == 4
    d = delta(before, vpgd.counters())
    # The ARP broadcast is replicated to the other peer; the unicast ICMP is switched.
    assert d["gate_flooded_frames"] >= 1 and d["gate_forwarded_frames"] >= 8
    assert vpgd.stop() == 0


def test_privacy_separator_stops_device_to_device_not_device_to_peer(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    a, b = device(lab, "999010000000001"), device(lab, "999010000000002")
    assert ping(a, b.device, count=2) == 2
    assert vpgd.api("POST", "/v1/gate/open", {"privacySeparatorEnabled": True})[0] == 200
    before = vpgd.counters()
    assert ping(a, b.device, count=3) == 0
    assert quiet(delta(before, vpgd.counters())) == {"drop.privacy_separator": 3}
    assert ping(a, PEER1, count=2) == 2
    assert vpgd.api("POST", "/v1/gate/open", {"privacySeparatorEnabled": False})[0] == 200
    assert ping(a, b.device, count=2) == 2
    assert vpgd.stop() == 0


def test_unregistered_peer_stops_while_the_other_flows(lab):
    vpgd = lab.vpgd()
    p1, p2 = lab.gate_peer(PEER1), lab.gate_peer(PEER2)
    open_gate(vpgd, p1, p2)
    dev = device(lab, "999010000000001")
    assert ping(p1, dev.device, count=2) == 2 and ping(p2, dev.device, count=2) == 2
    pinger = p2.popen("ping", "-c", "30", "-i", "0.1", "-W", "1", dev.device,
                      stdout=subprocess.PIPE, text=True)
    time.sleep(0.5)
    assert vpgd.api("DELETE", "/v1/gate/peers/" + p1.outer) == (204, None)
    assert ping(p1, dev.device, count=3) == 0
    out, _ = pinger.communicate(timeout=20)
    assert " 30 received" in out, out
    assert vpgd.counters()["drop.gate_unknown_peer"] >= 3
    assert vpgd.stop() == 0


def vxlan_frame(vni, dst_mac, src_mac, ethertype, payload, flags=0x08):
    return (struct.pack("!B3xI", flags, vni << 8) + dst_mac + src_mac
            + struct.pack("!H", ethertype) + payload)


def arp_reply(sender_mac, sender_ip, target_mac, target_ip):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, sender_mac,
                       socket.inet_aton(sender_ip), target_mac, socket.inet_aton(target_ip))


def test_bad_vxlan_input_is_counted_and_harmless(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    stranger = lab.gate_peer(PEER2)  # a host that is never registered
    stranger.run("ip", "link", "del", "vxlan0")  # its own kernel would send us noise
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001")
    assert ping(peer, dev.device, count=2) == 2
    gw_mac = bytes.fromhex(vpgd.api("GET", "/v1/gate")[1]["macAddress"].replace(":", ""))
    evil = bytes.fromhex("020000000066")
    hijack = vxlan_frame(10, gw_mac, evil, 0x0806, arp_reply(evil, dev.device, gw_mac, PEER1))
    cases = [
        (stranger, vxlan_frame(10, gw_mac, evil, 0x0800, b"\x45" + b"\0" * 19), "gate_unknown_peer"),
        (peer, vxlan_frame(11, gw_mac, evil, 0x0800, b"\x45" + b"\0" * 19), "gate_wrong_vni"),
        (peer, b"\x08\x00\x00", "vxlan_too_short"),
        (peer, vxlan_frame(10, gw_mac, evil, 0x0800, b"", flags=0x00), "vxlan_bad_flags"),
        (peer, hijack, "gate_arp_hijack"),
    ]
    for src, payload, reason in cases:
        before = vpgd.counters()
        probe(src, src.outer + ":0", GW_UNDERLAY + ":4789", [payload], wait=0.3)
        d = quiet(delta(before, vpgd.counters()))
        assert d == {"drop." + reason: 1}, (reason, d)
    # The hijack attempt changed nothing: the device is still reached through its tunnel.
    assert ping(peer, dev.device, count=2) == 2
    assert vpgd.stop() == 0


def test_gate_api_validation_and_persistence(lab):
    cfg = lab.config(ipAddressMap=[{"key": "999010000000001", "ipAddress": "10.10.0.50"}])
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer, vxlanId=10)
    bad = [
        ({"outerIpAddress": "198.51.100.99", "innerIpAddress": "10.10.0.1"}, 400, "innerIpAddress"),
        ({"outerIpAddress": "198.51.100.99", "innerIpAddress": "10.99.0.1"}, 400, "innerIpAddress"),
        ({"outerIpAddress": "198.51.100.99", "innerIpAddress": "10.10.0.50"}, 409, "innerIpAddress"),
        ({"outerIpAddress": "198.51.100.99", "innerIpAddress": PEER1}, 409, "innerIpAddress"),
        ({"outerIpAddress": peer.outer, "innerIpAddress": "10.10.10.99"}, 409, "outerIpAddress"),
        ({"outerIpAddress": "224.0.0.1", "innerIpAddress": "10.10.10.99"}, 400, "outerIpAddress"),
        ({"outerIpAddress": "198.51.100.99"}, 400, "innerIpAddress"),
    ]
    for body, status, field in bad:
        got, err = vpgd.api("POST", "/v1/gate/peers", body)
        assert (got, err.get("field")) == (status, field), (body, err)
    assert vpgd.api("POST", "/v1/gate/open", {"vxlanId": 0})[0] == 400
    assert len(vpgd.api("GET", "/v1/gate/peers")[1]) == 1
    # Persisted: after kill -9 the gate is open with its peer, and traffic flows.
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    gate = vpgd.api("GET", "/v1/gate")[1]
    assert (gate["open"], gate["vxlanId"], gate["peerCount"]) == (True, 10, 1)
    dev = device(lab, "999010000000002")
    assert ping(peer, dev.device, count=2) == 2
    # A peer's inner address is never handed to a device.
    assert dev.device != PEER1
    assert vpgd.api("DELETE", "/v1/gate/peers/" + peer.outer) == (204, None)
    assert vpgd.api("DELETE", "/v1/gate/peers/" + peer.outer)[0] == 404
    assert vpgd.api("POST", "/v1/gate/close")[1]["open"] is False
    assert vpgd.stop() == 0


def test_vpgctl_gate_commands(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    rc, out, err = vpgd.ctl("gate", "open", "--vxlan-id", "10")
    assert rc == 0, err
    rc, _, err = vpgd.ctl("gate", "peers", "add", "--outer", peer.outer, "--inner", PEER1)
    assert rc == 0, err
    rc, out, _ = vpgd.ctl("gate", "peers", "list")
    assert rc == 0 and peer.outer in out and PEER1 in out
    rc, out, _ = vpgd.ctl("gate", "status")
    assert rc == 0 and "vxlanId" in out
    rc, _, err = vpgd.ctl("gate", "peers", "add", "--outer", "198.51.100.99", "--inner", "10.99.0.1")
    assert rc != 0 and "innerIpAddress" in err
    dev = device(lab, "999010000000001")
    assert ping(peer, dev.device, count=2) == 2
    rc, _, _ = vpgd.ctl("gate", "peers", "delete", peer.outer)
    assert rc == 0 and vpgd.api("GET", "/v1/gate/peers")[1] == []
    rc, _, _ = vpgd.ctl("gate", "close")
    assert rc == 0 and vpgd.api("GET", "/v1/gate")[1]["open"] is False
    assert vpgd.stop() == 0


def test_peer_mac_change_is_followed(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001", timelimit=40)
    assert ping(dev, PEER1, count=2) == 2
    peer.run("ip", "link", "set", "vxlan0", "address", "02:00:00:aa:bb:cc")
    # The peer's first packet carries its new MAC, and the replies follow it.
    assert ping(peer, dev.device, count=3) == 3
    peers = vpgd.api("GET", "/v1/gate/peers")[1]
    assert peers[0]["macAddress"] == "02:00:00:aa:bb:cc"
    peer.run("ip", "link", "set", "vxlan0", "address", "02:00:00:dd:ee:ff")
    # Silent peer, device first: the stale entry is probed by ARP and traffic resumes by itself.
    deadline = time.time() + 25
    while time.time() < deadline and ping(dev, PEER1, count=1) != 1:
        pass
    assert ping(dev, PEER1, count=3) == 3
    assert vpgd.api("GET", "/v1/gate/peers")[1][0]["macAddress"] == "02:00:00:dd:ee:ff"
    assert vpgd.stop() == 0


def test_two_hundred_peers_the_last_registered_is_reached_and_broadcasts_reach_all(lab):
    """Head-end replication to 200 peers outgrows one send batch: no copy is
    lost, so the peer registered last is reached and a broadcast reaches every
    peer. 199 of them are addresses on the underlay bridge with fixed
    neighbour entries (their frames are on the wire, nobody answers); the one
    registered last is a kernel VXLAN host. A peer's own address is resolved by asking it alone."""
    vpgd = lab.vpgd()
    # The real peer first: a port joining the bridge changes its address,
    # which flushes the bridge's neighbour entries.
    peer = lab.gate_peer(PEER1)
    lab.gw.run("ip", "route", "add", "100.64.0.0/24", "dev", "br1")
    neigh = os.path.join(lab.workdir, "neigh.batch")
    with open(neigh, "w") as f:
        for i in range(199):
            f.write("neigh add 100.64.0.%d lladdr 02:00:00:00:01:%02x dev br1 nud permanent\n"
                    % (i + 1, i % 256))
    lab.gw.run("ip", "-batch", neigh)
    assert vpgd.api("POST", "/v1/gate/open", {})[0] == 200
    for i in range(199):
        status, body = vpgd.api("POST", "/v1/gate/peers",
                                {"outerIpAddress": "100.64.0.%d" % (i + 1),
                                 "innerIpAddress": "10.10.200.%d" % (i + 1)})
        assert status == 201, body
    cap = lab.capture("vxlan.pcap", "udp port 4789", iface="br1")
    before = vpgd.counters()
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001")
    assert ping(dev, PEER1, count=8) == 8
    # A broadcast: the gateway asks every peer who has an address no peer holds.
    assert ping(dev, "10.10.77.77", count=1) == 0
    d = delta(before, vpgd.counters())
    assert d.get("drop.tx_queue_full", 0) == 0 and d.get("drop.tx_failed", 0) == 0
    asked = cap.fields("arp.opcode == 1 && ip.src == %s" % GW_UNDERLAY, "arp.dst.proto_ipv4",
                       "ip.dst")
    to_peer1 = {r[1].split(",")[0] for r in asked if r[0] == PEER1}
    assert to_peer1 == {peer.outer}
    broadcast = {r[1].split(",")[0] for r in asked if r[0] == "10.10.77.77"}
    assert len(broadcast) == 200 and peer.outer in broadcast
    assert vpgd.stop() == 0


SWEEP = """
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(%d):
    s.sendto(b"sweep", ("10.10.%%d.%%d" %% (20 + i // 250, 1 + i %% 250), 9))
    if i %% 50 == 49:
        time.sleep(0.01)  # paced so that sgsnemu's tun carries every one
"""


def test_device_sweeping_unused_addresses_cannot_stop_a_new_peer(lab):
    """Send: one datagram from a device to each of 3,000 unused subnet
    addresses, then register a second peer and ping it from the device.
    Verify: every datagram is a counted drop, the new neighbour entries it
    caused are held to the rate limit (a burst of 100, then 50 a second), and
    the peer registered afterwards is resolved and answers."""
    sweep = 3000
    vpgd = lab.vpgd()
    p1 = lab.gate_peer(PEER1)
    open_gate(vpgd, p1)
    dev = device(lab, "999010000000001", timelimit=60)
    assert ping(dev, PEER1, count=2) == 2
    before = vpgd.counters()
    started = time.monotonic()
    dev.run("python3", "-c", SWEEP % sweep)
    deadline = time.monotonic() + 20
    d = {}
    while time.monotonic() < deadline:
        d = delta(before, vpgd.counters())
        if sum(d.get("drop.gate_neighbor_" + r, 0) for r in ("unresolved", "rate_limited")) >= sweep:
            break
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    unresolved = d.get("drop.gate_neighbor_unresolved", 0)
    limited = d.get("drop.gate_neighbor_rate_limited", 0)
    assert unresolved + limited == sweep, d
    # The bucket: 100 at once, then 50 a second over the sweep's duration (measured around it).
    assert unresolved <= 100 + 50 * (elapsed + 1), (unresolved, elapsed)
    assert limited >= sweep - (100 + 50 * (elapsed + 1))
    # One ARP request per admitted address, none for the refused ones.
    assert d["gate_arp_requests_sent"] == unresolved
    assert d.get("drop.gate_neighbor_table_full", 0) == 0
    p2 = lab.gate_peer(PEER2)
    open_gate(vpgd, p2)
    assert ping(dev, PEER2, count=3) == 3
    assert vpgd.api("GET", "/v1/gate/peers")[1][1]["macAddress"] == \
        p2.run("cat", "/sys/class/net/vxlan0/address").stdout.strip()
    assert vpgd.stop() == 0


FLOWS = """
import socket, sys
for sport in (%d, %d):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", sport))
    for _ in range(%d):
        s.sendto(b"flow", (sys.argv[1], 9))
    s.close()
"""


def test_each_inner_flow_leaves_from_its_own_source_port_in_the_dynamic_range(lab):
    """Send: two UDP flows from one device to a gate peer, differing only in
    their source port, 5 datagrams each. Verify (tshark): every VXLAN
    datagram the gateway sends comes from a port in 49152-65535 (RFC 7348
    §5) with a zero checksum, each flow keeps one port, the two flows use
    two ports, and the kernel peer decapsulates all 10."""
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001")
    cap = lab.capture("vxlan.pcap", "udp port 4789", iface="br1")
    on_peer = lab.add(Capture(peer, "vxlan0", lab.workdir + "/peer.pcap", "udp port 9"))
    # Both sides resolved before the flows (bounded: a loaded machine may lose a first echo).
    assert any(ping(dev, PEER1, count=1) == 1 for _ in range(5))
    dev.run("python3", "-c", FLOWS % (40001, 40002, 5), PEER1)
    assert len(on_peer.fields("udp.dstport == 9", "udp.srcport")) == 10
    rows = cap.fields("vxlan && ip.src == %s" % GW_UNDERLAY, "udp.srcport", "udp.dstport",
                      "udp.checksum", "frame.protocols")
    assert rows
    outer = [(int(r[0].split(",")[0]), int(r[1].split(",")[0]), r[2].split(",")[0]) for r in rows]
    assert all(49152 <= sport <= 65535 and dport == 4789 and csum == "0x0000"
               for sport, dport, csum in outer), outer
    flows = cap.fields("vxlan && ip.src == %s && udp.dstport == 9" % GW_UNDERLAY, "udp.srcport")
    ports = {}
    for r in flows:
        outer_port, inner_port = (int(v) for v in r[0].split(","))
        ports.setdefault(inner_port, set()).add(outer_port)
    assert sorted(ports) == [40001, 40002] and all(len(p) == 1 for p in ports.values()), ports
    assert len(flows) == 10
    assert ports[40001] != ports[40002]
    assert cap.problems("vxlan") == ""
    assert vpgd.stop() == 0
