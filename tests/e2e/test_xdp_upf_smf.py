"""A UPF session of the real open5gs SMF (o5-peer, Gn) on the XDP fast path:
vpgd in o5-upf with native XDP on the Gn-U veth (o5gnu-u) and on a veth of
its own to a kernel-vxlan gate peer (und0), no bridge.

The SMF's rule set (4 PDRs, 3 FARs, one QER with its MBR, a BAR; PDR 4's
filter written for IPv6 only) is the common one XDP carries: the device's
pings to the gate peer and their replies must take XDP, not the socket
path, and reach their ends exactly as the socket path sends them (tshark at
both far ends as referee: a capture on an interface XDP transmits from
sees nothing of it).
"""
import collections
import json
import os
import subprocess

from netlab import ROOT, Capture, Netns, join_gate, sh
from o5 import SGSN_ADDR, UE_GW, UPF_GTPU, O5Peer
from test_upf_smf import (_need_peers, attach, check_peers_clean, delta, hosts,  # noqa: F401 (a fixture)
                          quiet_drops, wait_no_sessions)
import upf_lab as U

PASS_OBJ = os.path.join(ROOT, "build-san", "bpf", "xdp_pass.bpf.o")


def upf_cmd(cfg_path):
    """The user plane's own underlay veth (und0 in o5-upf, und0p to be moved
    into the gate peer), IPv4 forwarding (bpf_fib_lookup answers only where
    the ingress interface forwards), then vpgd."""
    return ("ip link del ogstun; sysctl -qw net.ipv4.conf.all.forwarding=1; "
            "ip link add und0 type veth peer name und0p; ip addr add %s/24 dev und0; "
            "ip link set und0 up; exec %s -c %s" % (U.GATE_ADDR, U.VPGD, cfg_path))


def xdp_config(workdir):
    path = U.vpgd_config(workdir, gate=True)
    with open(path) as f:
        cfg = json.load(f)
    cfg["xdp"] = {"interfaces": ["o5gnu-u", "und0"], "mode": "native"}
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def gate_peer(hosts):
    """The kernel-vxlan gate peer on und0's far end, with a program that
    passes everything: XDP_REDIRECT into a veth delivers only then."""
    ns = hosts.add(Netns(hosts.tag + "gp"))
    ns.outer, ns.inner = U.PEER_OUTER, U.PEER_INNER
    U.in_upf("ip", "link", "set", "und0p", "netns", ns.name)
    ns.run("ip", "link", "set", "und0p", "name", "eth0")
    ns.run("ip", "addr", "add", U.PEER_OUTER + "/24", "dev", "eth0")
    ns.run("ip", "link", "set", "eth0", "up")
    ns.run("ip", "link", "set", "dev", "eth0", "xdp", "obj", PASS_OBJ, "sec", "xdp")
    join_gate(ns, U.GATE_ADDR, vni=10)
    return ns


class SgsnCapture(Capture):
    """tshark in o5-sgsn, on the far end of Gn-U: what XDP transmits on o5gnu-u
    never reaches a capture there."""

    def __init__(self, iface, path, bpf):
        class _Ns:
            name = "o5-sgsn"

            def popen(self, *args, **kw):
                return subprocess.Popen(["ip", "netns", "exec", self.name, *args], **kw)
        super().__init__(_Ns(), iface, path, bpf)


def xdp_counters():
    return U.get("/v1/stats")["xdp"]


def test_xdp_upf_smf_gn_pings_carried_by_xdp(hosts, tmp_path):
    """Send: a Gn attach through the SMF (vpgd the UPF, XDP native); the gate
    peer pings the gateway once (the gate learns its MAC); one ping from the
    device to the gate peer's inner address (the peer resolves the device),
    then 10 more.
    Verify: every echo answered; XDP's counters moved by exactly 10 uplink
    and 10 downlink packets, the socket path's by none of them (it may
    answer the peer's ARP for the device, nothing more), and the
    session shows them; on Gn-U the requests carry vpgd's TEID and the
    replies sgsnemu's (TEID 1) from vpgd's GTP-U address; on the underlay
    the VXLAN frames have VNI 10 and the device's own address inside; no
    drop; the detach leaves no session."""
    _need_peers()
    cfg = xdp_config(str(tmp_path))
    with O5Peer(mode="none", hold=0, upf_cmd=upf_cmd(cfg), run_dir=str(tmp_path / "o5")) as o5:
        vpg = U.get("/v1/vpg")
        assert vpg["xdp"]["interfaces"] == [{"name": "o5gnu-u", "path": "xdp-native"},
                                            {"name": "und0", "path": "xdp-native"}], vpg["xdp"]
        sh("ip", "netns", "exec", "o5-sgsn", "ip", "link", "set", "dev", "o5gnu-s", "xdp", "obj",
           PASS_OBJ, "sec", "xdp")
        peer = gate_peer(hosts)
        assert U.api("POST", "/v1/gate/open", {"vxlanId": 10})[0] == 200
        status, body = U.api("POST", "/v1/gate/peers",
                             {"outerIpAddress": U.PEER_OUTER, "innerIpAddress": U.PEER_INNER})
        assert status == 201, body
        assert U.ping(peer.name, UE_GW, 1) == 1
        dev, (addr,) = attach(o5)
        # Warm up: the peer resolves the device (ARP, through the socket path).
        assert U.ping("o5-sgsn", U.PEER_INNER, 1, src=addr) == 1
        (sess,) = U.sessions()
        teid = sess["teid"]
        on_gtpu = hosts.add(SgsnCapture("o5gnu-s", hosts.workdir + "/gnu.pcap", "udp port 2152"))
        on_peer = hosts.capture(peer, "eth0", "underlay.pcap", "udp port 4789")

        before, x0 = U.get("/v1/stats"), xdp_counters()
        answered = U.ping("o5-sgsn", U.PEER_INNER, 10, src=addr)
        after, x1 = U.get("/v1/stats"), xdp_counters()
        assert answered == 10, (answered, delta(x0, x1), delta(before["counters"], after["counters"]),
                                quiet_drops(before, after))
        dx = delta(x0, x1)
        assert (dx.get("uplink_packets"), dx.get("downlink_packets")) == (10, 10), dx
        assert (dx.get("device_to_gate_packets"), dx.get("gate_to_device_packets")) == (10, 10), dx
        d = delta(before["counters"], after["counters"])
        for name in ("uplink_packets", "downlink_packets", "gtpu_rx_packets"):
            assert name not in d, d
        # The peer's kernel may ask for the device's MAC again at any time: the
        # only VXLAN the socket path sent are the gate's ARP answers.
        assert d.get("vxlan_tx_packets", 0) == d.get("gate_arp_replies_sent", 0), d
        assert quiet_drops(before, after) == {}
        (s1,) = U.sessions()
        assert (s1["uplinkPackets"] - sess["uplinkPackets"],
                s1["downlinkPackets"] - sess["downlinkPackets"]) == (10, 10), (sess, s1)

        rows = on_gtpu.fields("gtp && icmp", "ip.src", "ip.dst", "gtp.teid", "icmp.type")
        up = (SGSN_ADDR + "," + addr, UPF_GTPU + "," + U.PEER_INNER, "0x%08x" % teid, "8")
        down = (UPF_GTPU + "," + U.PEER_INNER, SGSN_ADDR + "," + addr, "0x00000001", "0")
        assert collections.Counter(tuple(r) for r in rows) == {up: 10, down: 10}, rows
        rows = on_peer.fields("vxlan && icmp", "ip.src", "ip.dst", "vxlan.vni", "icmp.type")
        out = (U.GATE_ADDR + "," + addr, U.PEER_OUTER + "," + U.PEER_INNER, "10", "8")
        back = (U.PEER_OUTER + "," + U.PEER_INNER, U.GATE_ADDR + "," + addr, "10", "0")
        assert collections.Counter(tuple(r) for r in rows) == {out: 10, back: 10}, rows
        assert on_gtpu.problems("gtp") == "" and on_peer.problems("vxlan") == ""

        assert U.sgsnemu_detach(o5, dev) == 1
        assert wait_no_sessions() == True
        assert o5.smf_alive(), o5.smf_log()[-3000:]
    check_peers_clean(o5, [o5.path("n4.pcap")], alive=False)
