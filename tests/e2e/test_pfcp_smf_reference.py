"""The scapy SMF stand-in (pfcp_smf.py) against open5gs-upfd, the reference user plane.

Send: association setup, heartbeat, a session like open5gs-smfd's (PDR 1
downlink, PDR 2 uplink with F-TEID CHOOSE, FAR 1 to the access peer, FAR 2
to the core, QER, BAR) plus a URR with a volume threshold, ICMP echo requests
as G-PDUs to the TEID the user plane chose, a modification moving the
downlink to a new TEID, deletion.
Verify: a PDR without PDI is refused (cause 66, Offending IE PDI); every other answer is accepted and carries what the SMF reads (UP F-SEID,
Created PDR F-TEIDs, Recovery Time Stamp, FTUP); the requests come out of
ogstun and the replies come back in G-PDUs with our TEID (the new one after
the modification); the volume threshold produces a Session Report Request;
tshark reads every message both ways without a malformed packet or expert error.
"""
import os
import subprocess
import time

import pytest
from scapy.layers.inet import ICMP, IP

from scapy.contrib import pfcp as P

import pfcp_smf as S
from netlab import Capture, Netns, sh
from o5 import PEERS, skip_unless_peers

CP, UP = "10.201.0.1", "10.201.0.2"   # SMF + access peer / user plane (PFCP and GTP-U)
UE, UE_GW = "10.45.0.2", "10.45.0.1"
IMSI = "999010000000001"


class Upfd:
    """open5gs-upfd in a namespace, with the configuration o5-peer generates."""

    def __init__(self, ns, workdir):
        self.log_path = os.path.join(workdir, "upf.log")
        cfg = os.path.join(workdir, "upf.yaml")
        with open(cfg, "w") as f:
            f.write("logger:\n  file:\n    path: %s\n  level: info\n"
                    "global:\n  max:\n    ue: 1024\n"
                    "upf:\n  pfcp:\n    server:\n      - address: %s\n"
                    "  gtpu:\n    server:\n      - address: %s\n"
                    "  session:\n    - subnet: 10.45.0.0/16\n      gateway: %s\n      dev: ogstun\n"
                    % (self.log_path, UP, UP, UE_GW))
        self.out = open(os.path.join(workdir, "upf.out"), "w")
        env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(PEERS, "lib"))
        self.p = ns.popen(os.path.join(PEERS, "bin", "open5gs-upfd"), "-c", cfg,
                          stdout=self.out, stderr=subprocess.STDOUT, env=env)
        deadline = time.time() + 10
        while "UPF initialize...done" not in self.log():
            if self.p.poll() is not None or time.time() > deadline:
                raise RuntimeError("open5gs-upfd did not start:\n" + self.log())
            time.sleep(0.05)

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def close(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.out.close()


@pytest.fixture
def upf_lab(tmp_path):
    skip_unless_peers()
    tag = "pf%d" % (os.getpid() % 100000)
    made = []
    try:
        cp = Netns(tag + "cp")
        made.append(cp)
        up = Netns(tag + "up")
        made.append(up)
        sh("ip", "link", "add", tag + "c", "type", "veth", "peer", "name", tag + "u")
        sh("ip", "link", "set", tag + "c", "netns", cp.name)
        sh("ip", "link", "set", tag + "u", "netns", up.name)
        cp.run("ip", "addr", "add", CP + "/24", "dev", tag + "c")
        cp.run("ip", "link", "set", tag + "c", "up")
        up.run("ip", "addr", "add", UP + "/24", "dev", tag + "u")
        up.run("ip", "link", "set", tag + "u", "up")
        up.run("ip", "tuntap", "add", "name", "ogstun", "mode", "tun")
        up.run("ip", "addr", "add", UE_GW + "/16", "dev", "ogstun")
        up.run("ip", "link", "set", "ogstun", "up")
        n4 = Capture(cp, tag + "c", str(tmp_path / "n4.pcap"), bpf="udp")
        made.append(n4)
        n6 = Capture(up, "ogstun", str(tmp_path / "n6.pcap"), bpf="icmp")
        made.append(n6)
        upf = Upfd(up, str(tmp_path))
        made.append(upf)
        yield cp, up, upf, n4, n6
    finally:
        for obj in reversed(made):
            obj.close()
    left = sh("ip", "netns", "list").stdout
    assert tag not in left, left


def echo(gtpu, teid, seq):
    gtpu.send(teid, IP(src=UE, dst=UE_GW) / ICMP(id=0x77, seq=seq) / (b"pfcp-smf" * 4), UP)


def echo_reply(gtpu, seq, timeout=2):
    """TEID of the G-PDU that carried the echo reply with this sequence number."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        got = gtpu.recv(deadline - time.time())
        if got is None:
            break
        pkt, _ = got
        if pkt.gtp_type == 255 and pkt.haslayer(ICMP) and pkt[ICMP].type == 0 and pkt[ICMP].seq == seq:
            assert pkt[IP].src == UE_GW and pkt[IP].dst == UE
            return pkt.teid
    return None


def test_scapy_smf_drives_open5gs_upf(upf_lab, tmp_path):
    cp, up, upf, n4, n6 = upf_lab
    smf = S.PfcpSmf(CP, UP, netns=cp.name)
    gtpu = S.GtpuPeer(CP, netns=cp.name)
    try:
        a = smf.associate()
        assert a.type == S.ASSOC_SETUP_RSP and a.cause == S.ACCEPTED
        assert a.node_id == UP and a.recovery and abs(a.recovery - time.time()) < 60
        assert a.up_feature("FTUP")

        hb = smf.heartbeat()
        assert hb.type == S.HEARTBEAT_RSP and hb.recovery == a.recovery

        # A refusal: a PDR without its PDI is "Mandatory IE missing", naming the PDI.
        bad = smf.establish([P.IE_CreatePDR(IE_list=[P.IE_PDR_Id(id=1), P.IE_Precedence(precedence=1),
                                                     P.IE_FAR_Id(id=1)]),
                             S.far_forward(1, "Core")])
        assert (bad.cause, bad.offending_ie, bad.created_pdrs) == (S.MANDATORY_IE_MISSING, 2, {})

        rules = S.open5gs_session(UE, sgsn_teid=0x4321, sgsn_addr=CP)
        rules[0] = S.pdr_downlink(1, far_id=1, ue_ipv4=UE, qer_ids=[1], urr_ids=[1])
        rules[1] = S.pdr_uplink(2, far_id=2, ue_ipv4=UE, choose_id=5, qer_ids=[1], urr_ids=[1])
        rules.append(S.urr(1, volume_threshold=1000))
        s = smf.establish(rules, imsi=IMSI, imei="3534900698733190", msisdn="8210000000001", apn="internet")
        assert s.cause == S.ACCEPTED, s.response.pkt.show(dump=True)
        assert s.up_seid and s.up_addr == UP
        teid, addr = s.created_pdrs[2]
        assert teid and addr == UP

        # Uplink out of ogstun, downlink back in a G-PDU with our TEID.
        for i in (1, 2, 3):
            echo(gtpu, teid, i)
            assert echo_reply(gtpu, i) == 0x4321
        # Each echo is 60 octets of IP each way: the 1000-octet URR threshold
        # is crossed during the next ten.
        for i in range(4, 14):
            echo(gtpu, teid, i)
            assert echo_reply(gtpu, i) == 0x4321
        report = smf.next_report(timeout=5)
        assert report.seid == s.cp_seid and "USAR" in report.report_type
        ur = report.usage_reports[0]
        assert ur["urr_id"] == 1 and "VOLTH" in ur["trigger"] and ur["volume"]["total"] >= 1000

        # The SGSN moved: the downlink goes to a new TEID.
        m = smf.modify(s, [S.update_far_forward(1, "Access", teid=0x5555, peer=CP)])
        assert m.type == S.MOD_RSP and m.cause == S.ACCEPTED and m.seid == s.cp_seid
        echo(gtpu, teid, 20)
        assert echo_reply(gtpu, 20) == 0x5555

        d = smf.delete(s)
        assert d.type == S.DEL_RSP and d.cause == S.ACCEPTED and d.seid == s.cp_seid
        # After deletion the TEID is gone: nothing comes back.
        echo(gtpu, teid, 30)
        assert echo_reply(gtpu, 30, timeout=1) is None
        # A deleted session is not found any more.
        assert smf.delete(s).cause == S.SESSION_NOT_FOUND
        # open5gs-upfd sends a Heartbeat Request right after the association: answered.
        assert smf.heartbeats_answered >= 1
    finally:
        gtpu.close()
        smf.close()

    # What reached the core side: the echo requests from the UE (13 + 1 before deletion).
    requests = n6.fields("icmp.type == 8", "ip.src", "ip.dst")
    assert len(requests) == 14 and set(map(tuple, requests)) == {(UE, UE_GW)}
    # tshark reads every PFCP message both ways cleanly, and what we sent as we built it.
    assert n4.problems("pfcp") == ""
    sent = str(tmp_path / "sent.pcap")
    S.write_pcap(sent, smf.sent)
    bad = sh("tshark", "-n", "-r", sent, "-Y", "_ws.malformed || _ws.expert.severity >= 0x00600000").stdout
    assert bad == ""
    types = [int(t) for (t,) in n4.fields("pfcp", "pfcp.msg_type")]
    for t in (5, 6, 1, 2, 50, 51, 56, 57, 52, 53, 54, 55):
        assert t in types, (t, types)
    # open5gs-upfd logs errors only for the PDR without PDI and the second deletion.
    errors = [line for line in upf.log().splitlines() if "ERROR" in line]
    assert len(errors) == 2 and "No PDI in PDR" in errors[0] and "No Context" in errors[1], errors
