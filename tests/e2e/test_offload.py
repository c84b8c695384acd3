"""The kernel's UDP offloads on the socket path: trains in (UDP_GRO), runs
out (UDP_SEGMENT), and every datagram still forwarded on its own.

The gateway's veth from device A's SGSN is set as bench/gro_probe.c found a
veth needs for GRO to coalesce (GRO on, rx-udp-gro-forwarding on, threaded
NAPI). Send: G-PDUs on A's session in bursts, each an inner UDP datagram of
one size to device B (another SGSN's context), numbered. They reach vpgd's
GTP-U socket as trains and go device to device: in one batch, a run of
equal G-PDUs to B's SGSN, which leaves in one send; the gateway's veth
segments it (tx-udp-segmentation off, as a NIC without that offload does),
so B's SGSN gets each datagram on its link.
Verify: the counters show more than one datagram a message received and
G-PDUs sent in runs; tshark on B's SGSN link sees exactly the datagrams
sent, each once, each of its size, on B's TEID; no drop.

Where the interface vpgd's GTP-U address is on cuts a run in software too
(its own tx-udp-segmentation off when vpgd starts), runs still leave in one
send, the kernel cuts them at the device, and B's SGSN gets every datagram
just the same.
"""
import os
import re
import sys
import time

from netlab import Capture, delta
from test_gate import device, quiet

BURST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gtpu_burst.py")
COUNT, SIZE, PORT = 640, 200, 40001


def gateway_side_of(lab, ns):
    """The veth in the gateway namespace whose peer is ns's eth0."""
    link = ns.run("ip", "-o", "link", "show", "eth0").stdout
    peer = int(re.search(r"eth0@if(\d+)", link).group(1))
    for line in lab.gw.run("ip", "-o", "link").stdout.splitlines():
        index, name = line.split(":")[0:2]
        if int(index) == peer:
            return name.strip().split("@")[0]
    raise AssertionError("no gateway-side veth for %s" % ns.name)


def coalescing(lab, dev):
    lab.gw.run("ethtool", "-K", dev, "gro", "on", "rx-udp-gro-forwarding", "on")
    lab.gw.run("sh", "-c", "echo 1 > /sys/class/net/%s/threaded" % dev)


def session(vpgd, address):
    status, body = vpgd.api("GET", "/v1/sessions")
    assert status == 200, body
    for s in body if isinstance(body, list) else body.get("sessions", []):
        if s["ipAddress"] == address:
            return s
    raise AssertionError("no session for %s: %s" % (address, body))


def burst_a_to_b(lab, vpgd):
    """COUNT numbered datagrams from A to B; the counters' delta and B's SGSN's capture checked."""
    a = device(lab, "999010000000001", timelimit=40)
    b = device(lab, "999010000000011", timelimit=40)
    coalescing(lab, gateway_side_of(lab, a))
    for port in lab.gw.run("ip", "-o", "link", "show", "master", "br0").stdout.splitlines():
        lab.gw.run("ethtool", "-K", port.split(":")[1].strip().split("@")[0],
                   "tx-udp-segmentation", "off")
    # B's kernel would answer each datagram with ICMP up its tunnel: it drops them.
    b.run("nft", "add table ip t; add chain ip t in { type filter hook input priority 0; };"
          " add rule ip t in udp dport %d drop" % PORT)
    sa, sb = session(vpgd, a.device), session(vpgd, b.device)
    on_b = lab.add(Capture(b, "eth0", lab.workdir + "/b.pcap", "udp port 2152"))
    before = vpgd.counters()
    out = a.run(sys.executable, BURST, a.addr, "192.0.2.1", str(sa["teid"]), a.device,
                "%s:%d" % (b.device, PORT), str(COUNT), str(SIZE), "32", timeout=60)
    assert out.stdout.strip() == "sent %d" % COUNT
    deadline = time.time() + 10
    while time.time() < deadline:
        d = delta(before, vpgd.counters())
        if d.get("device_to_device_packets", 0) >= COUNT:
            break
        time.sleep(0.1)
    assert d["gtpu_rx_packets"] == COUNT
    assert d["device_to_device_packets"] == COUNT
    assert d["gtpu_tx_packets"] == COUNT
    assert quiet(d) == {}, quiet(d)
    rows = on_b.fields("gtp.message == 0xff && udp.dstport == %d" % PORT,
                       "frame.len", "gtp.teid", "ip.len", "data.data")
    assert len(rows) == COUNT
    numbers = sorted(int(data[:8], 16) for _, _, _, data in rows)
    assert numbers == list(range(COUNT))
    for frame_len, teid, ip_len, _ in rows:
        # Ethernet 14 + IPv4 20 + UDP 8 + GTP-U 8 + the inner packet.
        assert int(frame_len) == 14 + 20 + 8 + 8 + SIZE
        assert int(teid, 16) == sb["sgsnTeidData"]
        assert ip_len.split(",") == [str(20 + 8 + 8 + SIZE), str(SIZE)]
    return d


def gtpu_interface(lab):
    """The gateway namespace's interface that holds vpgd's GTP-U address."""
    for line in lab.gw.run("ip", "-o", "-4", "addr", "show").stdout.splitlines():
        if " 192.0.2.1/" in line:
            return line.split()[1]
    raise AssertionError("no interface holds 192.0.2.1")


def test_trains_in_and_runs_out_forward_every_datagram(lab):
    vpgd = lab.vpgd()
    d = burst_a_to_b(lab, vpgd)
    # Trains: more than one datagram a message, over fewer receive calls still.
    assert d["gtpu_rx_messages"] < COUNT, d
    assert d["gtpu_rx_calls"] <= d["gtpu_rx_messages"]
    # Runs: some G-PDUs to B's SGSN left in one send with others.
    assert d["gtpu_tx_gso_sends"] > 0 and d["gtpu_tx_gso_datagrams"] > d["gtpu_tx_gso_sends"]
    assert vpgd.stop() == 0


def test_runs_leave_in_one_send_where_the_interface_segments_in_software(lab):
    dev = gtpu_interface(lab)
    lab.gw.run("ethtool", "-K", dev, "tx-udp-segmentation", "off")
    vpgd = lab.vpgd()
    d = burst_a_to_b(lab, vpgd)
    assert d["gtpu_tx_gso_sends"] > 0 and d["gtpu_tx_gso_datagrams"] > d["gtpu_tx_gso_sends"], d
    assert "one by one" not in vpgd.output()
    assert vpgd.stop() == 0
