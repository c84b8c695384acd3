"""The XDP lab's further parts: gate peers behind a switch on the underlay,
captures started together, the device's own count of what it sent and got,
and the check that a stretch of traffic took the fast path alone.

The gateway keeps its own veths (gtp0, und0: test_xdp.veth), since XDP
cannot forward into a bridge of the gateway namespace. Several gate peers
then sit behind a bridge in a switch namespace, at und0's far end, which
runs xdp_pass (XDP_REDIRECT into a veth delivers only then).
"""
import subprocess

from netlab import (GW_GTP, GW_UNDERLAY, UNDERLAY_NET, Capture, Netns, delta, join_gate, sh,
                    wait_capturing)
from test_gtp_attach import wait_tun_address
from test_xdp import PASS_OBJ, veth, xdp_counters


def _veth(lab, name):
    a, b = "%s%sa" % (lab.tag, name), "%s%sb" % (lab.tag, name)
    sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
    return a, b


def xdp_sgsn(lab, mtu=None):
    """An SGSN straight on gtp0 (the GTP address leaves the lab's bridge for it)."""
    lab.gw.run("ip", "addr", "del", GW_GTP + "/24", "dev", "br0")
    sgsn = lab.add(Netns(lab.tag + "s1"))
    sgsn.addr = "192.0.2.11"
    veth(lab, sgsn, "gtp0", sgsn.addr, GW_GTP, mtu=mtu)
    return sgsn


def attach(lab, sgsn, imsi, timelimit=40):
    """sgsnemu's device on sgsn: its address once its tun0 has one."""
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", imsi, timelimit=timelimit)
    sgsn.device = wait_tun_address(sgsn)
    return sgsn.device


def switch(lab, mtu=1500):
    """und0 in the gateway namespace, to a bridge in a switch namespace."""
    sw = lab.add(Netns(lab.tag + "sw"))
    sw.run("ip", "link", "add", "br0", "type", "bridge")
    sw.run("ip", "link", "set", "br0", "mtu", str(mtu))
    a, b = _veth(lab, "und0")
    sh("ip", "link", "set", a, "netns", sw.name)
    sh("ip", "link", "set", b, "netns", lab.gw.name)
    sw.run("ip", "link", "set", a, "mtu", str(mtu), "master", "br0")
    sw.run("ip", "link", "set", "dev", a, "xdp", "obj", PASS_OBJ, "sec", "xdp")
    sw.run("ip", "link", "set", a, "up")
    sw.run("ip", "link", "set", "br0", "up")
    lab.gw.run("ip", "link", "set", b, "name", "und0")
    lab.gw.run("ip", "link", "set", "und0", "mtu", str(mtu))
    lab.gw.run("ip", "addr", "add", GW_UNDERLAY + "/24", "dev", "und0")
    lab.gw.run("ip", "link", "set", "und0", "up")
    sw.n_peers = 0
    return sw


def switched_peer(lab, sw, inner, mtu=1500, vxlan_mtu=None):
    """A kernel VXLAN gate peer on the switch, outer address .11, .12, ..."""
    sw.n_peers += 1
    peer = lab.add(Netns("%sp%d" % (lab.tag, sw.n_peers)))
    peer.outer, peer.inner = "%s.%d" % (UNDERLAY_NET, 10 + sw.n_peers), inner
    a, b = _veth(lab, "p%d" % sw.n_peers)
    sh("ip", "link", "set", a, "netns", peer.name)
    sh("ip", "link", "set", b, "netns", sw.name)
    peer.run("ip", "link", "set", a, "name", "eth0")
    peer.run("ip", "link", "set", "eth0", "mtu", str(mtu))
    peer.run("ip", "addr", "add", peer.outer + "/24", "dev", "eth0")
    peer.run("ip", "link", "set", "eth0", "up")
    sw.run("ip", "link", "set", b, "mtu", str(mtu), "master", "br0")
    sw.run("ip", "link", "set", b, "up")
    join_gate(peer, GW_UNDERLAY, vxlan_mtu=vxlan_mtu)
    return peer


class Captures:
    """Captures (ns, iface, file name, filter) by dumpcap, tshark's own capture
    program, for tshark to read: tshark itself takes seconds to come up on a
    busy machine, dumpcap a few milliseconds. They start side by side, the lab
    goes on meanwhile, and ready() waits for them all."""

    def __init__(self, lab, *specs):
        self.caps = []
        for ns, iface, name, bpf in specs:
            path = "%s/%s" % (lab.workdir, name)
            p = ns.popen("dumpcap", "-q", "-i", iface, "-f", bpf, "-w", path,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            self.caps.append(lab.add(_Started(path, p)))

    def ready(self):
        for cap in self.caps:
            wait_capturing(cap.p)
        return self.caps


class _Started(Capture):
    """A Capture whose dumpcap Captures started: stopped and read as any other."""

    def __init__(self, path, p):
        self.path, self.p = path, p


SEVERITY_WARN = 0x00600000


def wire(cap, display_filter, *fields):
    """One pass of tshark over a capture (tshark is slow to start): the fields
    of the matching packets. Each packet's IPv4 checksums, checked, must be
    good and tshark must have no warning or error about it (malformed, bad
    checksum, ...), as Capture.problems and test_xdp.checksums ask."""
    cap.stop()
    extra = ("ip.checksum.status", "_ws.expert.severity")
    args = ["tshark", "-n", "-r", cap.path, "-o", "ip.check_checksum:TRUE", "-Y", display_filter,
            "-T", "fields", "-E", "separator=|"]
    for f in fields + extra:
        args += ["-e", f]
    rows = [line.split("|") for line in sh(*args).stdout.splitlines() if line.strip()]
    for r in rows:
        assert set(r[-2].split(",")) == {"1"}, r
        assert all(int(v, 0) < SEVERITY_WARN for v in r[-1].split(",") if v), r
    return [r[:-2] for r in rows]


def tun_counts(ns):
    """(packets the device sent into its tunnel, packets it got from it): the
    kernel's tun0 counters, which see nothing but the device's IPv4."""
    out = ns.run("cat", "/sys/class/net/tun0/statistics/tx_packets",
                 "/sys/class/net/tun0/statistics/rx_packets").stdout.split()
    return int(out[0]), int(out[1])


class FastPath:
    """Readings around a stretch of traffic: what XDP, the socket path and the
    device counted meanwhile."""

    def __init__(self, vpgd, dev_ns):
        self.vpgd, self.dev_ns = vpgd, dev_ns
        self.x0, self.c0, self.t0 = xdp_counters(vpgd), vpgd.counters(), tun_counts(dev_ns)

    def read(self):
        """(XDP's deltas, the socket path's deltas, packets the device sent, got)."""
        x1, c1, t1 = xdp_counters(self.vpgd), self.vpgd.counters(), tun_counts(self.dev_ns)
        return delta(self.x0, x1), delta(self.c0, c1), t1[0] - self.t0[0], t1[1] - self.t0[1]

    def carried_all(self, up, down, redirected=0):
        """XDP carried exactly what the device sent (up: a gate peer's by its
        destination, or redirected) and got (down), and the socket path
        forwarded none of it. Returns XDP's and the socket path's deltas."""
        dx, dc, sent, got = self.read()
        assert (sent, got) == (up + redirected, down), (sent, got, dx)
        assert dx.get("uplink_packets", 0) == up + redirected, dx
        assert dx.get("device_to_gate_packets", 0) == up, dx
        assert dx.get("redirected_packets", 0) == redirected, dx
        assert dx.get("downlink_packets", 0) == down, dx
        assert dx.get("gate_to_device_packets", 0) == down, dx
        assert dx.get("tx_redirected", 0) == up + redirected + down, dx
        socket_path_carried_none(dc)
        return dx, dc


def socket_path_carried_none(dc):
    for name in ("uplink_packets", "downlink_packets", "gtpu_rx_packets", "redirected_packets",
                 "device_to_gate_packets", "gate_to_device_packets", "egress_tx_packets"):
        assert name not in dc, (name, dc)
