"""The scapy SGW (sgw_scapy.py) against a real PGW-C: open5gs-smfd on S5/S8-C,
driving open5gs-upfd, through the shared runner o5-peer.

Send: Create Session (with PCO), G-PDU pings to 10.45.0.1 behind the UPF,
Modify Bearer, Delete Session, Echo, a retransmitted Create Session, a burst
of Create Sessions, and requests the SMF refuses.
Verify: every field the peer reads from the answers (cause, F-TEIDs, PAA
from the pool, APN-AMBR, bearer context, PCO); replies come back on the SGW-U
TEID the SMF last heard of; at the end, tshark decodes every GTPv2-C message
and every G-PDU the peer sent, with no malformed packet and no expert
warning, and each header's Message Length matches its datagram.

What open5gs answers, as o5-peer configures it (one pool, no DNN on it): any
APN is accepted (no refusal for an unknown APN); an empty APN, a missing APN
or a missing IMSI gets 64 (Context Not Found); a missing PAA 103 (Conditional
IE Missing); a missing bearer or sender F-TEID 70 (Mandatory IE Missing);
none of its refusals names an offending IE. Its Echo Response carries the
requester's own Recovery value back.

A second test drives the peer's answers to PGW-initiated requests from a
scripted PGW in a namespace of its own (open5gs sends none of them here).
"""
import collections
import ipaddress
import os
import socket
import struct
import threading
import time

import pytest

import sgw_scapy as S
from netlab import Capture, Netns, sh
from o5 import SGSN_ADDR, SMF_GN, UE_GW, UE_SUBNET, UPF_GTPU, O5Peer, namespaces_in_use, \
    skip_unless_peers
from scapy.layers.inet import ICMP, IP

IMSI = "001010000000002"
DNS_REQ, MTU_REQ = 0x000D, 0x0010
ICMP_ID = 0x5347


# ---------------------------------------------------------------- fixture
@pytest.fixture(scope="module")
def ref(tmp_path_factory):
    """o5-peer (SMF as PGW-C, open5gs-upfd, the Gx stub with APN-AMBR
    1000/2000 kbit/s) and the scapy SGW in netns o5-sgsn. At the end, with
    the runner's captures complete: tshark's verdict on all the peer sent."""
    skip_unless_peers()
    run = str(tmp_path_factory.mktemp("sgw-ref") / "o5")
    o5 = O5Peer(mode="none", hold=0, gx_qos=True, run_dir=run)
    o5.start()
    sgw = None
    try:
        sgw = S.ScapySgw("o5-sgsn", SGSN_ADDR, SMF_GN)
        yield o5, sgw
        assert o5.smf_alive(), o5.smf_log()[-3000:]
    finally:
        if sgw is not None:
            sgw.close()
        o5.stop()
        assert namespaces_in_use() == [], "o5 namespaces left behind"
    assert_clean_capture(o5.path("gn.pcap"), "gtpv2", sgw.sent)
    assert_clean_capture(o5.path("gnu.pcap"), "gtp", sgw.sent_u)


def tshark(path, flt, *fields):
    args = ["tshark", "-n", "-r", path, "-Y", flt]
    if fields:
        args += ["-T", "fields", "-E", "separator=|"]
        for f in fields:
            args += ["-e", f]
    return sh(*args).stdout


def assert_clean_capture(path, proto, sent):
    """Every datagram the peer sent is in the capture, decoded as `proto`
    without a malformed packet or expert warning; GTPv2 headers' Message
    Length equals the UDP payload less 4 octets."""
    assert sent, "the peer sent nothing"
    mine = "%s && ip.src == %s" % (proto, SGSN_ADDR)
    bad = tshark(path, "(%s) && (_ws.malformed || _ws.expert.severity >= warning)" % mine)
    assert bad == "", bad
    if proto == "gtpv2":
        rows = tshark(path, mine, "gtpv2.message_type", "gtpv2.seq", "gtpv2.msg_length", "udp.length").splitlines()
        seen = collections.Counter((int(t, 0), int(q, 0)) for t, q, _, _ in (r.split("|") for r in rows))
        for r in rows:
            t, q, n, u = (int(x, 0) for x in r.split("|"))
            assert n == u - 8 - 4, "type %d seq %d: Message Length %d in a %d-octet UDP payload" % (t, q, n, u - 8)
        want = collections.Counter((S.Message(d).type, S.Message(d).seq) for d, _ in sent)
        assert seen == want, (want - seen, seen - want)
    else:
        rows = tshark(path, mine + " && gtp.message == 255", "gtp.teid").splitlines()
        want = [struct.unpack("!I", d[4:8])[0] for d, _ in sent if d[1] == 255]
        assert sorted(int(t, 0) for t in rows) == sorted(want)


# ---------------------------------------------------------------- helpers
def pco_request():
    return S.pco_value((DNS_REQ, b""), (MTU_REQ, b""))


def ping(sgw, s, seq, size=64):
    sgw.send_gpdu(s, IP(src=s.ue_addr, dst=UE_GW) / ICMP(id=ICMP_ID, seq=seq) / (b"s" * (size - 28)))


def echo_reply(s, seq):
    def match(teid, inner):
        p = IP(inner)
        return (p.haslayer(ICMP) and p[ICMP].type == 0 and p[ICMP].id == ICMP_ID and p[ICMP].seq == seq
                and p.src == UE_GW and p.dst == s.ue_addr)
    return match


def accepted(s):
    assert s.cause == S.ACCEPTED, s.response
    assert s.error is None, s.error
    return s


def delete(sgw, s):
    r = sgw.delete_session(s)
    assert (r.type, r.cause, r.teid, r.error) == (S.DELETE_SESSION_RSP, S.ACCEPTED, s.sgw_c_teid, None), r
    return r


# ---------------------------------------------------------------- PGW-initiated requests
class ScriptedPgw:
    """The PGW end (GTP-C and GTP-U sockets) of a scripted exchange."""

    def __init__(self, ns, addr):
        self.c = S.netns_socket(ns, bind=(addr, S.GTPC_PORT))
        self.u = S.netns_socket(ns, bind=(addr, S.GTPU_PORT))
        self.c.settimeout(3)
        self.u.settimeout(3)
        self.addr = addr

    def recv(self, sock=None):
        data, src = (sock or self.c).recvfrom(65535)
        return data, src

    def close(self):
        self.c.close()
        self.u.close()


def test_answers_to_pgw_initiated_requests(tmp_path):
    """Delete Bearer, Update Bearer and Echo Requests from a scripted PGW get
    the answers a PGW expects (TEID, sequence, Cause, the EBIs it named), the
    peer answers GTP-U Echo and keeps Error Indications; tshark decodes it
    all cleanly."""
    ns = Netns("sgwpeer-%d" % os.getpid())
    sgw_addr, pgw_addr = "127.0.0.1", "127.0.0.2"
    cap = None
    sgw = pgw = None
    try:
        cap = Capture(ns, "lo", str(tmp_path / "lo.pcap"), "udp port 2123 or udp port 2152")
        pgw = ScriptedPgw(ns.name, pgw_addr)
        sgw = S.ScapySgw(ns.name, sgw_addr, pgw_addr, restart_counter=3)
        pgw_c_teid, pgw_u_teid = 0x1111, 0x2222

        def answer_csr():
            data, src = pgw.recv()
            m = S.Message(data)
            sender = S.decode_fteid(m.ie(S.IE_FTEID, 0).value)
            rsp = S.build(S.CREATE_SESSION_RSP, [
                S.cause_ie(S.ACCEPTED),
                S.fteid(S.IF_S5S8_PGW_C, pgw_c_teid, pgw_addr, instance=1),
                S.paa_ie(1, "10.45.0.9"),
                S.bearer_context(S.ebi_ie(5), S.cause_ie(S.ACCEPTED),
                                 S.fteid(S.IF_S5S8_PGW_U, pgw_u_teid, pgw_addr, instance=2),
                                 S.g.IE_ChargingID(ChargingID=7)),
            ], m.seq, sender[1])
            pgw.c.sendto(rsp, src)

        t = threading.Thread(target=answer_csr)
        t.start()
        s = accepted(sgw.create_session(IMSI))
        t.join(5)
        assert (s.pgw_c, s.pgw_u, s.ue_addr, s.charging_id) == ((pgw_c_teid, pgw_addr), (pgw_u_teid, pgw_addr),
                                                                 "10.45.0.9", 7)
        to_sgw = (sgw_addr, S.GTPC_PORT)

        # Update Bearer Request (EBI 5, AMBR) -> Update Bearer Response
        pgw.c.sendto(S.build(S.UPDATE_BEARER_REQ, [S.bearer_context(S.ebi_ie(5), S.bearer_qos(qci=8)),
                                                   S.g.IE_AMBR(AMBR_Uplink=10, AMBR_Downlink=20)],
                             0x101, s.sgw_c_teid), to_sgw)
        req = sgw.wait_request(S.UPDATE_BEARER_REQ, 3)
        assert req is not None and sgw.session_of(req) is s and req.bearer.ebi == 5
        sgw.answer(req)
        r = S.Message(pgw.recv()[0])
        assert (r.type, r.teid, r.seq, r.cause, r.error) == (S.UPDATE_BEARER_RSP, pgw_c_teid, 0x101, S.ACCEPTED, None)
        assert [(b.ebi, b.cause) for b in r.bearers] == [(5, S.ACCEPTED)]

        # Echo Request -> Echo Response at once, with our restart counter; still queued
        pgw.c.sendto(S.build(S.ECHO_REQ, [S.recovery_ie(4)], 0x102), to_sgw)
        r = S.Message(pgw.recv()[0])
        assert (r.type, r.teid, r.seq, r.recovery) == (S.ECHO_RSP, None, 0x102, 3)
        assert sgw.wait_request(S.ECHO_REQ, 1).recovery == 4

        # Delete Bearer Request naming two dedicated bearers -> a Bearer Context each
        pgw.c.sendto(S.build(S.DELETE_BEARER_REQ, [S.ebi_ie(6, 1), S.ebi_ie(7, 1)], 0x103, s.sgw_c_teid), to_sgw)
        sgw.answer(sgw.wait_request(S.DELETE_BEARER_REQ, 3))
        r = S.Message(pgw.recv()[0])
        assert (r.type, r.teid, r.seq, r.cause, r.ebis) == (S.DELETE_BEARER_RSP, pgw_c_teid, 0x103, S.ACCEPTED, [])
        assert [(b.ebi, b.cause) for b in r.bearers] == [(6, S.ACCEPTED), (7, S.ACCEPTED)]
        assert s.sgw_c_teid in sgw.sessions

        # Delete Bearer Request with the Linked EBI -> Cause 16 and that EBI; the session is gone
        pgw.c.sendto(S.build(S.DELETE_BEARER_REQ, [S.ebi_ie(5, 0), S.cause_ie(8)], 0x104, s.sgw_c_teid), to_sgw)
        req = sgw.wait_request(S.DELETE_BEARER_REQ, 3)
        assert req.ebis == [5] and req.cause == 8
        sgw.answer(req)
        r = S.Message(pgw.recv()[0])
        assert (r.type, r.teid, r.seq, r.cause, r.ebis, r.bearers) == (S.DELETE_BEARER_RSP, pgw_c_teid, 0x104,
                                                                       S.ACCEPTED, [5], [])
        assert s.deleted and s.sgw_c_teid not in sgw.sessions
        assert sgw.wait_request(None, 0.3) is None

        # GTP-U: a G-PDU each way, Echo answered, Error Indication kept
        inner = bytes(IP(src="10.45.0.9", dst=UE_GW) / ICMP(id=ICMP_ID, seq=1))
        sgw.send_gpdu(s, inner)
        data, src = pgw.recv(pgw.u)
        assert S.parse_gtpu(data) == (S.GPDU, pgw_u_teid, None, inner)
        pgw.u.sendto(data[:4] + struct.pack("!I", s.sgw_u_teid) + data[8:], (sgw_addr, S.GTPU_PORT))
        assert sgw.recv_gpdu(3) == (s.sgw_u_teid, inner)
        pgw.u.sendto(struct.pack("!BBHIHBB", 0x32, 1, 4, 0, 0x55, 0, 0), (sgw_addr, S.GTPU_PORT))
        r = S.parse_gtpu(pgw.recv(pgw.u)[0])
        assert r[:3] == (S.GTPU_ECHO_RSP, 0, 0x55) and r[3] == b"\x0e\x00"
        ei = struct.pack("!BI", 16, 0xabcd) + struct.pack("!BH", 133, 4) + socket.inet_aton(pgw_addr)
        pgw.u.sendto(struct.pack("!BBHIHBB", 0x32, 26, 4 + len(ei), 0, 0, 0, 0) + ei, (sgw_addr, S.GTPU_PORT))
        deadline = time.time() + 3
        while not sgw.error_indications and time.time() < deadline:
            time.sleep(0.05)
        assert sgw.error_indications == [(0xabcd, (pgw_addr, S.GTPU_PORT))]
        assert sgw.gtpu_echo_answered == 1

        cap.stop()
        flt = "udp && ip.src == %s" % sgw_addr
        bad = tshark(cap.path, "(%s) && (_ws.malformed || _ws.expert.severity >= warning)" % flt)
        assert bad == "", bad
        rows = tshark(cap.path, flt + " && gtpv2", "gtpv2.message_type", "gtpv2.msg_length", "udp.length")
        got = [tuple(int(x, 0) for x in r.split("|")) for r in rows.splitlines()]
        assert [t for t, _, _ in got] == [S.CREATE_SESSION_REQ, S.UPDATE_BEARER_RSP, S.ECHO_RSP,
                                          S.DELETE_BEARER_RSP, S.DELETE_BEARER_RSP]
        assert all(n == u - 12 for _, n, u in got), got
        assert tshark(cap.path, flt + " && gtp", "gtp.message").split() == ["0xff", "0x02"]
    finally:
        for x in (sgw, pgw, cap):
            if x is not None:
                x.close()
        ns.close()


# ---------------------------------------------------------------- against open5gs
def test_create_session_accepted_with_pool_address_and_fteids(ref):
    o5, sgw = ref
    s = accepted(sgw.create_session(IMSI, pco=pco_request(), recovery=1))
    r = s.response
    assert (r.type, r.teid, r.seq) == (S.CREATE_SESSION_RSP, s.sgw_c_teid, s.seq)
    ue = ipaddress.ip_address(s.ue_addr)
    assert ue in ipaddress.ip_network(UE_SUBNET) and s.ue_addr != UE_GW, s.ue_addr
    assert s.paa_type == 1
    assert s.pgw_c[1] == SMF_GN and s.pgw_c[0] != 0, s.pgw_c
    assert s.pgw_u[1] == UPF_GTPU and s.pgw_u[0] != 0, s.pgw_u
    b = s.bearer
    assert (len(s.bearers), b.ebi, b.cause) == (1, 5, S.ACCEPTED), s.bearers
    assert b.charging_id, b
    assert s.apn_restriction == 0
    assert s.ambr == (1000, 2000)  # the Gx stub's APN-AMBR, kbit/s
    opts = dict(S.pco_options(s.pco))
    assert socket.inet_ntoa(opts[DNS_REQ]) == "10.45.0.1", opts
    assert struct.unpack("!H", opts[MTU_REQ])[0] == 1400, opts
    assert sgw.sessions[s.sgw_c_teid] is s
    delete(sgw, s)
    assert s.deleted and s.sgw_c_teid not in sgw.sessions


def test_ping_as_gpdus_through_the_upf(ref):
    o5, sgw = ref
    s = accepted(sgw.create_session("001010000000003"))
    for seq in (1, 2, 3):
        ping(sgw, s, seq)
        got = sgw.recv_gpdu(3, match=echo_reply(s, seq))
        assert got is not None, "no echo reply %d" % seq
        assert got[0] == s.sgw_u_teid
    assert sgw.drain_gpdus(0.5) == []  # exactly one reply each
    delete(sgw, s)


def test_modify_bearer_moves_the_downlink_to_the_new_teid(ref):
    o5, sgw = ref
    s = accepted(sgw.create_session("001010000000004"))
    old = s.sgw_u_teid
    ping(sgw, s, 1)
    assert sgw.recv_gpdu(3, match=echo_reply(s, 1))[0] == old
    new, seq = sgw.next_teid(), sgw.next_seq()
    r = sgw.modify_bearer(s, new_sgw_u_teid=new, seq=seq)
    assert (r.type, r.cause, r.teid, r.seq, r.error) == (S.MODIFY_BEARER_RSP, S.ACCEPTED, s.sgw_c_teid, seq, None), r
    assert (r.bearer.ebi, s.sgw_u_teid) == (5, new)
    ping(sgw, s, 2)
    got = sgw.recv_gpdu(3, match=echo_reply(s, 2))
    assert got is not None and got[0] == new != old, got
    delete(sgw, s)


def test_delete_session_accepted_once(ref):
    o5, sgw = ref
    s = accepted(sgw.create_session("001010000000005"))
    delete(sgw, s)
    again = sgw.delete_session(s)
    assert (again.type, again.cause) == (S.DELETE_SESSION_RSP, S.CONTEXT_NOT_FOUND), again
    ping(sgw, s, 1)  # the UPF has no rule for that TEID any more
    assert sgw.recv_gpdu(1.5, match=echo_reply(s, 1)) is None


def test_any_apn_accepted_empty_apn_refused(ref):
    """The reference has no APN list: an unknown APN gets an address; an
    empty or missing APN gets 64 and no F-TEID, no PAA."""
    o5, sgw = ref
    s = accepted(sgw.create_session("001010000000006", apn="no.such.apn"))
    assert ipaddress.ip_address(s.ue_addr) in ipaddress.ip_network(UE_SUBNET)
    delete(sgw, s)
    for kw in ({"apn": ""}, {"omit": [S.IE_APN]}):
        r = sgw.create_session("001010000000007", **kw)
        assert (r.cause, r.offending_ie, r.pgw_c, r.paa, r.bearers) == (S.CONTEXT_NOT_FOUND, None, None, None, []), \
            (kw, r.response.ies)
        assert r.response.teid == r.sgw_c_teid and r.sgw_c_teid not in sgw.sessions


@pytest.mark.parametrize("omit,cause", [
    ([S.IE_PAA], S.CONDITIONAL_IE_MISSING),
    ([(S.IE_BEARER_CONTEXT, S.IE_FTEID)], S.MANDATORY_IE_MISSING),
    ([S.IE_FTEID], S.MANDATORY_IE_MISSING),
    ([S.IE_IMSI], S.CONTEXT_NOT_FOUND),
])
def test_missing_ies_refused(ref, omit, cause):
    o5, sgw = ref
    r = sgw.create_session("001010000000008", omit=omit)
    assert (r.response.type, r.cause, r.pgw_c, r.paa) == (S.CREATE_SESSION_RSP, cause, None, None), r.response.ies
    # Without a sender F-TEID the SMF has no TEID to answer to.
    assert r.response.teid == (0 if omit == [S.IE_FTEID] else r.sgw_c_teid)
    assert o5.smf_alive()


def test_echo_and_raw_exchange(ref):
    o5, sgw = ref
    for rc in (5, 77):
        seq = sgw.next_seq()
        r = sgw.echo(recovery=rc, seq=seq)
        assert (r.type, r.teid, r.seq, r.error) == (S.ECHO_RSP, None, seq, None)
        assert r.recovery == rc  # open5gs answers with the requester's own value
    seq = sgw.next_seq()
    sgw.send_raw(S.build(S.ECHO_REQ, [S.recovery_ie(9)], seq))
    r = sgw.recv(3)
    assert r is not None and (r.type, r.seq) == (S.ECHO_RSP, seq), r
    assert sgw.recv(0.3) is None


def test_retransmitted_create_session_gets_the_same_answer(ref):
    o5, sgw = ref
    ies, c_teid, u_teid = sgw.create_session_request("001010000000009")
    seq = sgw.next_seq()
    data = S.build(S.CREATE_SESSION_REQ, ies, seq, 0)
    sgw.send_raw(data)
    first = sgw.recv(3)
    sgw.send_raw(data)
    second = sgw.recv(3)
    assert first is not None and second is not None
    assert (first.type, first.seq, first.cause, first.teid) == (S.CREATE_SESSION_RSP, seq, S.ACCEPTED, c_teid)
    assert second.raw == first.raw
    s = S.Session("001010000000009", 5, c_teid, u_teid, SGSN_ADDR, seq)
    s._take(first)
    delete(sgw, s)


def test_burst_of_create_sessions(ref):
    o5, sgw = ref
    n = 50
    many = sgw.create_many(n, imsi_base="001010000100000", timeout=20)
    assert [s.cause for s in many] == [S.ACCEPTED] * n, [s.response for s in many]
    assert [s.response.seq for s in many] == [s.seq for s in many]
    assert [s.response.teid for s in many] == [s.sgw_c_teid for s in many]
    addrs = {s.ue_addr for s in many}
    assert len(addrs) == n and all(ipaddress.ip_address(a) in ipaddress.ip_network(UE_SUBNET) for a in addrs)
    assert len({s.pgw_c[0] for s in many}) == n and len({s.pgw_u[0] for s in many}) == n
    assert len({s.imsi for s in many}) == n
    for s in many:
        delete(sgw, s)
