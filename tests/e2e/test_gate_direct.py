"""Gate, direct transmit: VXLAN leaves through a packet socket, past the IP
stack, to the next hop the kernel's own tables name (gate.transmit
"direct", the default), or through the stack ("stack").

Send: UDP from an sgsnemu device to a kernel VXLAN gate peer; change the
gateway's neighbour entry for the peer under traffic.
Verify: the peer decapsulates every datagram; tshark reads the same outer
headers either way (valid IPv4 checksum, the stack's TTL, DF clear, the
link's and the neighbour's MACs); vxlan_tx_direct counts what left directly;
a neighbour entry the kernel changes is followed within its second.
"""
import math
import time

from netlab import GW_UNDERLAY, Capture, delta, sh
from test_gate import FLOWS, PEER1, device, open_gate, ping

PER_FLOW = 10  # datagrams in each of FLOWS' two flows


def underlay_mac(ns, iface):
    return ns.run("cat", "/sys/class/net/%s/address" % iface).stdout.strip()


def outer_headers(cap):
    """(eth.src, eth.dst, ttl, df, checksum status) of every VXLAN datagram
    the gateway sent, tshark checking the IPv4 header checksums."""
    cap.stop()
    out = sh("tshark", "-n", "-r", cap.path, "-o", "ip.check_checksum:TRUE",
             "-Y", "vxlan && ip.src == %s && udp.dstport == 9" % GW_UNDERLAY, "-T", "fields",
             "-E", "separator=|", "-e", "eth.src", "-e", "eth.dst", "-e", "ip.ttl",
             "-e", "ip.flags.df", "-e", "ip.checksum.status").stdout
    rows = [line.split("|") for line in out.splitlines() if line]
    # The inner header repeats each field after a comma: the outer one is first.
    return [tuple(v.split(",")[0] for v in r) for r in rows]


def send_flows(lab, vpgd, dev, peer, tag):
    """FLOWS' two flows from dev to peer, captured on the underlay and at the
    peer; returns the outer headers and the counters' delta."""
    cap = lab.capture("vxlan-%s.pcap" % tag, "udp port 4789", iface="br1")
    on_peer = lab.add(Capture(peer, "vxlan0", "%s/peer-%s.pcap" % (lab.workdir, tag),
                              "udp port 9"))
    before = vpgd.counters()
    started = time.monotonic()
    dev.run("python3", "-c", FLOWS % (40001, 40002, PER_FLOW), PEER1)
    elapsed = time.monotonic() - started
    assert len(on_peer.fields("udp.dstport == 9", "udp.srcport")) == 2 * PER_FLOW
    return outer_headers(cap), delta(before, vpgd.counters()), elapsed


def flows_through(lab, config, tag):
    """A gate peer, a device, FLOWS' two flows: the outer headers, the
    counters' delta and the time the flows took, after checking every
    header is the stack's own (the gateway's MAC on br1, the peer's MAC, the
    stack's TTL 64, DF clear as the raw socket sends, a valid checksum)."""
    peer = lab.gate_peer(PEER1)
    gw_mac, peer_mac = underlay_mac(lab.gw, "br1"), underlay_mac(peer, "eth0")
    vpgd = lab.vpgd(config)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001")
    assert any(ping(dev, PEER1, count=1) == 1 for _ in range(5))
    headers, d, elapsed = send_flows(lab, vpgd, dev, peer, tag)
    assert len(headers) == 2 * PER_FLOW, headers
    assert set(headers) == {(gw_mac, peer_mac, "64", "0", "1")}, headers  # 1: checksum good
    assert d["vxlan_tx_packets"] >= 2 * PER_FLOW, d
    assert vpgd.stop() == 0
    return d, elapsed


def test_direct_frames_carry_the_headers_the_stack_writes(lab):
    """Send: 2 flows x 10 datagrams with gate.transmit "direct" (the
    default). Verify: the peer gets all 20 and the headers are the stack's;
    vxlan_tx_direct counts all but at most one datagram per started second
    (the stack's, which has the kernel confirm the neighbour)."""
    d, elapsed = flows_through(lab, None, "direct")
    assert 2 * PER_FLOW - (math.ceil(elapsed) + 1) <= d["vxlan_tx_direct"] <= 2 * PER_FLOW, d


def test_stack_transmit_sends_the_same_frames_through_the_stack(lab):
    """Send: the same flows with gate.transmit "stack". Verify: the same
    headers on the wire, all 20 decapsulated, nothing counted as direct."""
    config = lab.config(gate={"listenAddress": GW_UNDERLAY, "transmit": "stack"})
    d, _ = flows_through(lab, config, "stack")
    assert "vxlan_tx_direct" not in d, d


def neighbour(lab, peer, mac, state):
    lab.gw.run("ip", "neigh", "replace", peer.outer, "lladdr", mac, "dev", "br1", "nud", state)


def pings_within(dev, want, seconds):
    """Whether single pings reach the state want (answered or not) within seconds."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if (ping(dev, PEER1, count=1) == 1) == want:
            return True
    return False


def test_direct_follows_the_kernel_neighbour_table(lab):
    """Send: pings from a device to a gate peer while the gateway's neighbour
    entry for the peer is set by hand to a MAC nobody has, then back, then
    deleted. Verify: the replies stop within a few seconds of the wrong MAC
    (the frames went where the kernel's table said), come back once the
    entry is right again, and keep coming after it is deleted (the stack
    resolves the peer again by ARP); direct carried traffic throughout.
    Three pings in a row must all fail, then all pass: a hop kept from
    before would let most through, since only one datagram a second is the
    stack's."""
    peer = lab.gate_peer(PEER1)
    real = underlay_mac(peer, "eth0")
    vpgd = lab.vpgd()
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001", timelimit=60)
    assert any(ping(dev, PEER1, count=1) == 1 for _ in range(5))
    before = vpgd.counters()
    neighbour(lab, peer, "02:00:00:00:00:99", "permanent")
    # Once the hop is asked again (a second at most), no frame reaches the peer:
    # a MAC kept from before would still carry all but the stack's datagram.
    assert pings_within(dev, False, 6)
    assert ping(dev, PEER1, count=3) == 0
    neighbour(lab, peer, real, "reachable")
    assert pings_within(dev, True, 6)
    assert ping(dev, PEER1, count=3) == 3
    lab.gw.run("ip", "neigh", "del", peer.outer, "dev", "br1")
    assert ping(dev, PEER1, count=3) == 3
    assert delta(before, vpgd.counters()).get("vxlan_tx_direct", 0) > 0
    assert vpgd.stop() == 0
