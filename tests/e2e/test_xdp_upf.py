"""UPF sessions on the XDP fast path: the PFCP role under a scapy SMF
stand-in (for what open5gs's SMF never sends: closed gates, MBR), the RAN
side and the SMF in one namespace on the gateway's veth gtp0, a kernel-vxlan
gate peer on und0, native XDP on both veths (test_xdp.py's topology).

Every scenario runs twice, on the socket path (XDP off) and with XDP
native, and must give the same results: the same echo replies, the same
drops (counted by the socket path, or by XDP under the same name), the same
volumes in the final Usage Report, the same PDU Session Containers; with XDP
on, its counters show that it carried the traffic and the socket path's that
it did not.
"""
import json
import os
import struct
import time

import pytest
from scapy.contrib import pfcp as P
from scapy.layers.inet import ICMP, IP

import pfcp_smf as S
import upf_scapy as U
from netlab import GW_GTP, GW_UNDERLAY, Vpgd, delta, drops
from test_gate import PEER1, open_gate, ping
from test_xdp import xdp_counters, xdp_lab

IMSI = "999010000000003"
GW_INNER = "10.10.0.1"
DL_TEID = 0x1111
PING = 100  # octets of IP per echo request and reply


def quiet(d):
    """The drops of a counter delta, without the IPv6 solicitations a kernel
    vxlan peer keeps sending (not served, counted as unsupported ethertype)."""
    d = drops(d)
    d.pop("drop.gate_unsupported_ethertype", None)
    return d


def start(lab, mode):
    """vpgd with the PFCP role only, on the veths of xdp_lab, XDP in `mode`."""
    for key in ("all", "default"):
        lab.gw.run("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % key)
    cfg = {"deviceSubnetCidrRange": "10.10.0.0/16",
           "gtp": {"listenAddress": GW_GTP},
           "gate": {"listenAddress": GW_UNDERLAY},
           "pfcp": {"listenAddress": GW_GTP},
           "ggsn": {"enabled": False},
           "stateDirectory": os.path.join(lab.workdir, "state"),
           "xdp": {"interfaces": ["gtp0", "und0"], "mode": mode}}
    path = os.path.join(lab.workdir, "vpgd-upf.json")
    with open(path, "w") as f:
        json.dump(cfg, f)
    return lab.add(Vpgd(lab.gw, path, lab.workdir))


class Upf:
    """The gateway, the SMF stand-in and the RAN side (both in the SGSN
    namespace), the gate peer whose MAC the gateway has learned."""

    def __init__(self, lab, mode):
        self.mode = mode
        ran, self.peer = xdp_lab(lab)
        self.vpgd = start(lab, mode)
        self.smf = lab.add(S.PfcpSmf(ran.addr, GW_GTP, netns=ran.name))
        self.gtpu = lab.add(S.GtpuPeer(ran.addr, netns=ran.name))
        self.ran = ran
        a = self.smf.associate()
        assert (a.type, a.cause) == (S.ASSOC_SETUP_RSP, S.ACCEPTED)
        open_gate(self.vpgd, self.peer)
        assert ping(self.peer, GW_INNER, count=1) == 1

    def establish(self, ue, qer, urr=None):
        """PDR 1 downlink (UE IP) -> FAR 1 (GTP-U to the RAN side), PDR 2 uplink
        (F-TEID CHOOSE, UE IP) -> FAR 2 (Core), both with QER 1 (and URR 1)."""
        urr_ids = [1] if urr is not None else []
        rules = [S.pdr_downlink(1, far_id=1, ue_ipv4=ue, qer_ids=[1], urr_ids=urr_ids),
                 S.pdr_uplink(2, far_id=2, ue_ipv4=ue, choose_id=5, qer_ids=[1], urr_ids=urr_ids),
                 S.far_forward(1, "Access", teid=DL_TEID, peer=self.ran.addr),
                 S.far_forward(2, "Core"), qer] + ([urr] if urr is not None else [])
        s = self.smf.establish(rules, imsi=IMSI)
        assert s.response.type == S.EST_RSP and s.cause == S.ACCEPTED, s.response.pkt.show(dump=True)
        return s, s.created_pdrs[2][0]

    def counters(self):
        """(socket path counters, XDP counters: empty when off)."""
        return self.vpgd.counters(), xdp_counters(self.vpgd) if self.mode != "off" else {}

    def echo(self, teid, ue, seq, reply_teid=DL_TEID):
        """One echo request to the gate peer as a G-PDU; its reply must come back
        in a G-PDU on FAR 1's TEID, the addresses swapped, the size unchanged."""
        self.gtpu.send(teid, U.echo(ue, PEER1, seq, PING), GW_GTP)
        deadline = time.time() + 2
        while time.time() < deadline:
            got = self.gtpu.recv(max(0.01, deadline - time.time()))
            if got is None:
                break
            pkt, src = got
            if U.is_echo_reply(seq, PEER1, ue)(pkt):
                assert src == (GW_GTP, 2152) and pkt.teid == reply_teid, (src, hex(pkt.teid))
                assert pkt[IP].len == PING
                return
        raise AssertionError("no echo reply %d" % seq)

    def silence(self, quiet_s=1.0):
        """Every G-PDU that arrives until quiet_s pass without one."""
        got = []
        while len(got) < 100:
            g = self.gtpu.recv(quiet_s)
            if g is None:
                break
            got.append(g[0])
        return got

    def carried(self, before, after, up, down):
        """XDP carried exactly up and down packets, the socket path none of
        them; with XDP off, the socket path carried them."""
        dc, dx = delta(before[0], after[0]), delta(before[1], after[1])
        if self.mode == "off":
            assert (dc.get("uplink_packets", 0), dc.get("downlink_packets", 0)) == (up, down), dc
            return dc, dx
        assert (dx.get("uplink_packets", 0), dx.get("downlink_packets", 0)) == (up, down), dx
        assert "uplink_packets" not in dc and "downlink_packets" not in dc, dc
        return dc, dx


@pytest.mark.parametrize("mode", ["off", "native"])
def test_xdp_upf_gates_and_usage_same_on_both_paths(lab, mode):
    """Send: a session whose PDRs share QER 1 (gates open) and URR 1
    (volume, no threshold); eleven echo requests to the gate peer as G-PDUs,
    each answered; an Update QER closing the uplink gate: five more; one
    closing only the downlink gate: three more; then deletion.
    Verify: the eleven replies come back on FAR 1's TEID, carried by XDP when
    it is on (its uplink/downlink counters, none of the socket path's); under
    the closed uplink gate nothing comes back and exactly five are dropped as
    pfcp_qer_gate_closed (the socket path's drop, or XDP's counter of that
    name); under the closed downlink gate the three requests cross and their
    three replies are dropped the same way; the Deletion Response's final
    report has 1400 octets / 14 packets up and 1100 / 11 down on both paths
    (what XDP carried is in it)."""
    u = Upf(lab, mode)
    ue = "10.10.0.21"
    s, teid = u.establish(ue, S.qer(1), S.urr(1))
    u.echo(teid, ue, 1)

    before = u.counters()
    for seq in range(2, 12):
        u.echo(teid, ue, seq)
    dc, _ = u.carried(before, u.counters(), 10, 10)
    assert quiet(dc) == {}, dc

    m = u.smf.modify(s, [S.update_qer_gate(1, ul_gate="CLOSED", dl_gate="OPEN")])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    before = u.counters()
    for seq in range(12, 17):
        u.gtpu.send(teid, U.echo(ue, PEER1, seq, PING), GW_GTP)
    assert u.silence() == []
    dc, dx = u.carried(before, u.counters(), 0, 0)
    if mode == "off":
        assert quiet(dc) == {"drop.pfcp_qer_gate_closed": 5}, dc
    else:
        assert dx.get("dropped_pfcp_qer_gate_closed") == 5 and quiet(dc) == {}, (dx, dc)

    m = u.smf.modify(s, [S.update_qer_gate(1, ul_gate="OPEN", dl_gate="CLOSED")])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    before = u.counters()
    for seq in range(17, 20):
        u.gtpu.send(teid, U.echo(ue, PEER1, seq, PING), GW_GTP)
    assert u.silence() == []
    dc, dx = u.carried(before, u.counters(), 3, 0)
    if mode == "off":
        assert quiet(dc) == {"drop.pfcp_qer_gate_closed": 3}, dc
    else:
        assert dx.get("dropped_pfcp_qer_gate_closed") == 3 and quiet(dc) == {}, (dx, dc)

    d = u.smf.delete(s)
    assert d.type == S.DEL_RSP and d.cause == S.ACCEPTED
    (r,) = U.usage_reports(d)
    assert r["trigger"] == {"TERMR"}, r
    assert r["volume"] == {"total": 2500, "uplink": 1400, "downlink": 1100}, r
    assert r["packets"] == {"total": 25, "uplink": 14, "downlink": 11}, r
    assert u.vpgd.stop() == 0


MBR_KBPS = 2000
OFFERED_PPS, PKT = 750, 1000  # 750 x 1000 octets = 6 Mbit/s offered, 3 x the MBR
FLOOD_SECONDS = 3.0


@pytest.mark.parametrize("mode", ["off", "native"])
def test_xdp_upf_mbr_polices_uplink_same_on_both_paths(lab, mode):
    """Send: a session with QER 1 (gates open, MBR 2000 kbit/s both ways) on
    both PDRs; a UDP flood of 1000-octet IP packets as G-PDUs to a sink on
    the gate peer, paced at 750 packets/s (three times the MBR) for 3 s.
    Verify (as test_upf_pfcp.py's socket-path test): the rate delivered
    after the first second (the bucket's burst) is within +-20% of the MBR;
    every datagram sent is delivered or dropped as pfcp_qer_mbr_exceeded,
    exactly; with XDP on, it forwarded every delivered one and counted every
    drop itself, the socket path saw none."""
    u = Upf(lab, mode)
    ue = "10.10.0.22"
    s, teid = u.establish(ue, S.qer(1, mbr_ul=MBR_KBPS, mbr_dl=MBR_KBPS))
    sink = lab.add(U.UdpSink(u.peer.name, PEER1, 9000))
    frame = U.udp_gpdu(teid, ue, PEER1, 9000, PKT)
    before = u.counters()
    sent, start_t = 0, time.time()
    while time.time() - start_t < FLOOD_SECONDS:
        due = int((time.time() - start_t) * OFFERED_PPS) + OFFERED_PPS // 100
        while sent < due:
            u.gtpu.sock.sendto(frame, (GW_GTP, 2152))
            sent += 1
        time.sleep(0.01)
    end = time.time()

    def dropped(c):
        dc, dx = delta(before[0], c[0]), delta(before[1], c[1])
        return dc.get("drop.pfcp_qer_mbr_exceeded", 0) + dx.get("dropped_pfcp_qer_mbr_exceeded", 0)

    deadline = time.time() + 5
    after = u.counters()
    while dropped(after) + len(sink.sizes) < sent and time.time() < deadline:
        time.sleep(0.2)
        after = u.counters()
    delivered = len(sink.sizes)
    steady = sum(sz + 28 for t, sz in zip(sink.times, sink.sizes) if t >= start_t + 1.0)
    rate_kbps = steady * 8 / (end - start_t - 1.0) / 1000
    assert sent * PKT * 8 / (end - start_t) / 1000 > 2.5 * MBR_KBPS
    assert 0.8 * MBR_KBPS <= rate_kbps <= 1.2 * MBR_KBPS, (rate_kbps, delivered, sent)
    dc, dx = u.carried(before, after, delivered, 0)
    if mode == "off":
        assert quiet(dc) == {"drop.pfcp_qer_mbr_exceeded": sent - delivered}, (dc, sent, delivered)
    else:
        assert dx.get("dropped_pfcp_qer_mbr_exceeded") == sent - delivered, (dx, sent, delivered)
        assert quiet(dc) == {}, dc
    assert u.smf.delete(s).cause == S.ACCEPTED
    assert u.vpgd.stop() == 0


def gpdu_5g(teid, qfi, inner):
    """A G-PDU with a UL PDU Session Container (TS 38.415: PDU type 1) carrying qfi."""
    body = struct.pack("!HBB", 0, 0, 0x85) + bytes([1, 0x10, qfi & 0x3f, 0]) + bytes(inner)
    return struct.pack("!BBHI", 0x34, 0xff, len(body), teid) + body


@pytest.mark.parametrize("mode", ["off", "native"])
def test_xdp_upf_5g_qfi_read_and_marked_same_on_both_paths(lab, mode):
    """Send: a 5G-style session: the uplink PDR's PDI names QFI 9, the QER of
    both PDRs carries QFI 9; five echo requests to the gate peer as G-PDUs
    with a UL PDU Session Container, QFI 9; then two with QFI 5.
    Verify: each of the five is answered on FAR 1's TEID by a G-PDU with E
    set and one PDU Session Container (PDU type 0, QFI 9) ending the chain,
    the reply inside, octet for octet the same on both paths; with XDP on it
    parsed and added the containers (its counters, none of the socket
    path's); the two with QFI 5 match no PDR: pfcp_no_matching_pdr == 2 on
    both paths (XDP passes them up), no reply."""
    u = Upf(lab, mode)
    ue = "10.10.0.31"
    rules = [S.create_pdr(1, 65535, S.pdi(1, P.IE_NetworkInstance(instance="internet"),
                                          S.ue_ip(ue, destination=True)), 1, qer_ids=[1]),
             S.create_pdr(2, 65535, S.pdi(0, S.fteid(choose_id=5),
                                          P.IE_NetworkInstance(instance="internet"),
                                          S.ue_ip(ue, destination=False), P.IE_QFI(QFI=9)),
                          2, qer_ids=[1], outer_header_removal=6),
             S.far_forward(1, "Access", teid=DL_TEID, peer=u.ran.addr),
             S.far_forward(2, "Core"),
             P.IE_CreateQER(IE_list=[P.IE_QER_Id(id=1), P.IE_GateStatus(ul="OPEN", dl="OPEN"),
                                     P.IE_QFI(QFI=9)])]
    s = u.smf.establish(rules, imsi=IMSI)
    assert s.cause == S.ACCEPTED, s.response.pkt.show(dump=True)
    teid = s.created_pdrs[2][0]
    sock = u.gtpu.sock

    def exchange(seq):
        sock.sendto(gpdu_5g(teid, 9, U.echo(ue, PEER1, seq, PING)), (GW_GTP, 2152))
        sock.settimeout(2)
        data, src = sock.recvfrom(65535)
        assert src == (GW_GTP, 2152)
        flags, typ, length, got_teid = struct.unpack("!BBHI", data[:8])
        assert (flags, typ, length, got_teid) == (0x34, 0xff, 8 + PING, DL_TEID), data[:16].hex()
        assert data[8:16] == bytes([0, 0, 0, 0x85, 1, 0, 9, 0]), data[:16].hex()
        reply = IP(data[16:])
        assert (reply.src, reply.dst, reply[ICMP].type, reply[ICMP].seq) == (PEER1, ue, 0, seq)

    exchange(1)
    before = u.counters()
    for seq in range(2, 7):
        exchange(seq)
    dc, _ = u.carried(before, u.counters(), 5, 5)
    assert quiet(dc) == {}, dc

    before = u.counters()
    for seq in (7, 8):
        sock.sendto(gpdu_5g(teid, 5, U.echo(ue, PEER1, seq, PING)), (GW_GTP, 2152))
    assert u.silence() == []
    dc, dx = u.carried(before, u.counters(), 0, 0)
    assert quiet(dc) == {"drop.pfcp_no_matching_pdr": 2}, dc
    if mode == "native":
        assert dx.get("passed_decision") == 2, dx
    assert u.smf.delete(s).cause == S.ACCEPTED
    assert u.vpgd.stop() == 0


def test_xdp_upf_modification_moves_the_session_between_paths(lab):
    """Send: a session with the common rules (XDP native); three echo
    requests to the gate peer; an Update FAR 2 (uplink) to BUFF+NOCP: three
    more; an Update FAR 2 back to FORW to Core and FAR 1 to a new TEID
    (0x2222): three more.
    Verify: the first three are answered through XDP; while FAR 2 buffers,
    the session is the socket path's: XDP passes the three up
    (passed_slow_path), the socket path drops them
    (pfcp_far_buffering_unsupported), nothing comes back; after the second
    modification XDP carries the session again and the replies come on the
    new TEID, each change in the maps before its response left."""
    u = Upf(lab, "native")
    ue = "10.10.0.23"
    s, teid = u.establish(ue, S.qer(1))
    u.echo(teid, ue, 1)
    before = u.counters()
    for seq in range(2, 5):
        u.echo(teid, ue, seq)
    u.carried(before, u.counters(), 3, 3)

    m = u.smf.modify(s, [S.update_far_action(2, buff=1, nocp=1)])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    before = u.counters()
    for seq in range(5, 8):
        u.gtpu.send(teid, U.echo(ue, PEER1, seq, PING), GW_GTP)
    assert u.silence() == []
    after = u.counters()
    dc, dx = delta(before[0], after[0]), delta(before[1], after[1])
    assert dx.get("passed_slow_path") == 3 and "uplink_packets" not in dx, dx
    assert quiet(dc) == {"drop.pfcp_far_buffering_unsupported": 3}, dc

    m = u.smf.modify(s, [S.update_far_forward(2, "Core"),
                         S.update_far_forward(1, "Access", teid=0x2222, peer=u.ran.addr)])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    before = u.counters()
    for seq in range(8, 11):
        u.echo(teid, ue, seq, reply_teid=0x2222)
    dc, _ = u.carried(before, u.counters(), 3, 3)
    assert quiet(dc) == {}, dc
    assert u.smf.delete(s).cause == S.ACCEPTED
    assert u.vpgd.stop() == 0
