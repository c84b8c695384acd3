"""vpgd's UPF role driven over PFCP by a scapy SMF stand-in, for what the real
SMF (open5gs-smfd) never sends: UE address choice, usage reports with exact
volumes, closed gates, MBR policing, Framed-Route, every refusal, malformed
datagrams.

Send: PFCP from pfcp_smf.PfcpSmf in an SGSN-like namespace on br0, which also
plays the RAN side (G-PDUs to vpgd's chosen TEIDs); a kernel-vxlan gate peer
as the far end of the traffic.
Verify: every field the SMF reads, the G-PDUs that come back (TEID, inner
addresses), /v1/sessions, exact counter deltas, and that tshark decodes every
PFCP message vpgd sent without a malformed packet or an expert warning.
"""
import ipaddress
import struct
import threading
import time

from scapy.contrib import pfcp as P
from scapy.layers.inet import ICMP, IP

import pfcp_smf as S
import upf_scapy as U
from netlab import GW_UNDERLAY, Capture, delta, drops, sh
from test_gate import PEER1, device, open_gate, ping

IMSI_MAPPED = "999010000000001"
IMSI_PUT = "999010000000002"
IMSI_POOL = "999010000000003"
MAPPED_IP, PUT_IP = "10.10.0.50", "10.10.0.51"
GW_INNER = "10.10.0.1"
DL_TEID, DL_TEID2 = 0x1111, 0x2222


def quiet(d):
    """The drops of a counter delta, without the IPv6 solicitations a kernel
    vxlan peer keeps sending (not served, counted as unsupported ethertype)."""
    d = drops(d)
    d.pop("drop.gate_unsupported_ethertype", None)
    return d


def session_rules(ran, ue, qer_ids=(), urr_ids=(), extra=(), teid=DL_TEID):
    """PDR 1 downlink (UE IP) -> FAR 1 (Access, GTP-U to the RAN side),
    PDR 2 uplink (F-TEID CHOOSE id 5, UE IP) -> FAR 2 (Core)."""
    return [S.pdr_downlink(1, far_id=1, ue_ipv4=ue, qer_ids=qer_ids, urr_ids=urr_ids),
            S.pdr_uplink(2, far_id=2, ue_ipv4=ue, choose_id=5, qer_ids=qer_ids, urr_ids=urr_ids),
            S.far_forward(1, "Access", teid=teid, peer=ran.addr),
            S.far_forward(2, "Core")] + list(extra)


def establish(u, rules, imsi, ue=None):
    """An accepted establishment; returns (session, uplink TEID)."""
    s = u.smf.establish(rules, imsi=imsi)
    assert s.response.type == S.EST_RSP and s.cause == S.ACCEPTED, s.response.pkt.show(dump=True)
    assert s.response.seid == s.cp_seid and s.up_seid and s.up_addr == U.VPGD_PFCP
    teid, addr = s.created_pdrs[2]
    assert teid != 0 and addr == U.VPGD_PFCP
    if ue is not None:
        sess = [x for x in u.sessions() if x.get("seid") == "0x%016x" % s.up_seid]
        assert len(sess) == 1 and sess[0]["role"] == "upf" and sess[0]["ipAddress"] == ue, sess
        assert sess[0]["cpSeid"] == "0x%016x" % s.cp_seid
    return s, teid


def gate_with_peer(u):
    """A gate peer (10.10.10.10) whose MAC vpgd has learned (the peer pings
    the gateway's inner address once) before any measured traffic."""
    peer = u.lab.gate_peer(PEER1)
    open_gate(u.vpgd, peer)
    assert ping(peer, GW_INNER, count=1) == 1
    return peer


def echo_exchange(u, teid, ue, dst, seq, size, reply_teid=DL_TEID):
    """One echo request as a G-PDU; asserts its reply comes back in a G-PDU
    with reply_teid, the addresses swapped and the size unchanged."""
    u.send(teid, U.echo(ue, dst, seq, size))
    pkt = u.recv_until(U.is_echo_reply(seq, dst, ue), timeout=2)
    assert pkt is not None, "no echo reply %d from %s" % (seq, dst)
    assert pkt.teid == reply_teid and pkt[IP].len == size, (hex(pkt.teid), pkt[IP].len)
    return pkt


# ---------------------------------------------------------------- 1


def test_upf_ue_ip_choose_imsi_map_then_pool(lab):
    """Send: three establishments whose uplink PDR carries F-TEID CHOOSE and
    UE IP Address CHV4: User ID with an IMSI seeded by the config's
    ipAddressMap, one put with PUT /v1/ip_address_map/{imsi}, one unmapped.
    Verify: Created PDR carries the F-TEID and a UE IP Address with the mapped
    addresses, then a pool address in the device subnet (not the gateway's
    nor a mapped one); /v1/sessions shows the same addresses, role upf; each
    session gets its own TEID; counters: 3 established, no drops."""
    u = U.UpfLab(lab, ipAddressMap=[{"key": IMSI_MAPPED, "ipAddress": MAPPED_IP}])
    assert u.vpgd.api("PUT", "/v1/ip_address_map/" + IMSI_PUT, {"ipAddress": PUT_IP})[0] in (200, 201)
    u.associate()
    before = u.vpgd.counters()
    got, teids = {}, set()
    for imsi in (IMSI_MAPPED, IMSI_PUT, IMSI_POOL):
        s = u.smf.establish([U.pdr_uplink_choose(2, far_id=2), S.far_forward(2, "Core")], imsi=imsi)
        assert s.cause == S.ACCEPTED, s.response.pkt.show(dump=True)
        teid, addr = s.created_pdrs[2]
        assert addr == U.VPGD_PFCP and teid not in teids
        teids.add(teid)
        got[imsi] = U.created_ue_ip(s.response, 2)
    assert got[IMSI_MAPPED] == MAPPED_IP and got[IMSI_PUT] == PUT_IP
    pool = ipaddress.ip_address(got[IMSI_POOL])
    assert pool in ipaddress.ip_network("10.10.0.0/16")
    assert got[IMSI_POOL] not in (GW_INNER, MAPPED_IP, PUT_IP, "10.10.0.0")
    listed = {x["imsi"]: x for x in u.sessions()}
    assert set(listed) == {IMSI_MAPPED, IMSI_PUT, IMSI_POOL}
    for imsi, ip in got.items():
        assert listed[imsi]["role"] == "upf" and listed[imsi]["ipAddress"] == ip
    d = delta(before, u.vpgd.counters())
    assert d.get("pfcp_sessions_established") == 3 and quiet(d) == {}, d
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- 2

PING = 100  # octets of IP per echo request and reply
THRESHOLD = 950


def test_upf_urr_volume_threshold_then_final_report_on_deletion(lab):
    """Send: a session whose PDRs both count into URR 1 (volume threshold 950
    octets total, measuring volume and duration); five 100-octet ICMP echo
    requests as G-PDUs to the gate peer, one at a time, each answered by the
    peer (100 octets back); then three more; then deletion.
    Verify: the fifth reply crosses the threshold: one Session Report Request
    (header SEID = our CP SEID, Report Type USAR) with a Usage Report for URR
    1, UR-SEQN 0, trigger VOLTH only, volume total/uplink/downlink
    1000/500/500 octets (IP packet sizes) and 10/5/5 packets, start <= end,
    duration within the elapsed time; no second report for the next 600
    octets; the Deletion Response carries the final report: UR-SEQN 1,
    trigger TERMR, 600/300/300 octets, 6/3/3 packets, starting where the
    first ended. pfcp_usage_reports_sent (reports in Session Report
    Requests) moves by 1."""
    u = U.UpfLab(lab)
    gate_with_peer(u)
    u.associate()
    ue = "10.10.0.20"
    t0 = time.time()
    s, teid = establish(u, session_rules(u.ran, ue, urr_ids=[1],
                                         extra=[S.urr(1, volume_threshold=THRESHOLD, duration=True)]),
                        IMSI_POOL, ue)
    before = u.vpgd.counters()
    for seq in range(1, 6):
        echo_exchange(u, teid, ue, PEER1, seq, PING)
    rep = u.smf.next_report(timeout=3)
    t1 = time.time()
    assert rep.type == S.REPORT_REQ and rep.seid == s.cp_seid and rep.report_type == {"USAR"}
    (r1,) = U.usage_reports(rep)
    assert (r1["urr_id"], r1["seqn"], r1["trigger"]) == (1, 0, {"VOLTH"}), r1
    assert r1["volume"] == {"total": 1000, "uplink": 500, "downlink": 500}, r1
    assert r1["packets"] == {"total": 10, "uplink": 5, "downlink": 5}, r1
    assert t0 - 2 <= r1["start"] <= r1["end"] <= t1 + 1, r1
    assert r1["duration"] is not None and 0 <= r1["duration"] <= int(t1 - t0) + 1, r1
    for seq in range(6, 9):
        echo_exchange(u, teid, ue, PEER1, seq, PING)
    assert u.smf.reports.empty(), "a second report below the threshold"
    d = u.smf.delete(s)
    assert d.type == S.DEL_RSP and d.cause == S.ACCEPTED and d.seid == s.cp_seid
    (r2,) = U.usage_reports(d)
    assert (r2["urr_id"], r2["seqn"], r2["trigger"]) == (1, 1, {"TERMR"}), r2
    assert r2["volume"] == {"total": 600, "uplink": 300, "downlink": 300}, r2
    assert r2["packets"] == {"total": 6, "uplink": 3, "downlink": 3}, r2
    assert r1["end"] <= r2["start"] <= r1["end"] + 1 and r2["start"] <= r2["end"], (r1, r2)
    c = delta(before, u.vpgd.counters())
    # pfcp_usage_reports_sent counts the reports of Session Report Requests,
    # not the final ones of Deletion Responses.
    assert c.get("pfcp_usage_reports_sent") == 1 and c.get("pfcp_sessions_deleted") == 1, c
    assert quiet(c) == {}, c
    assert u.sessions() == []
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- 3


def test_upf_qer_gate_closed_drops_then_opens(lab):
    """Send: a session whose PDRs use QER 1 with the uplink gate CLOSED (the
    downlink open); five echo requests to the gate peer as G-PDUs; then an
    Update QER opening the uplink gate; three more echo requests.
    Verify: while closed, nothing comes back, nothing crosses the underlay
    (no VXLAN frame with the UE's address on br1) and the only drop delta is
    drop.pfcp_qer_gate_closed == 5; the modification is accepted, the API
    shows the gate OPEN, and each of the three is answered on our TEID with
    no further drop."""
    u = U.UpfLab(lab)
    gate_with_peer(u)
    u.associate()
    ue = "10.10.0.21"
    s, teid = establish(u, session_rules(u.ran, ue, qer_ids=[1], extra=[S.qer(1, ul_gate="CLOSED")]),
                        IMSI_POOL, ue)
    vx = lab.capture("vxlan.pcap", "udp port 4789", iface="br1")
    before = u.vpgd.counters()
    for seq in range(1, 6):
        u.send(teid, U.echo(ue, PEER1, seq, PING))
    assert u.drain(quiet=1.0) == []
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_qer_gate_closed": 5}, d
    assert vx.fields("icmp && ip.addr == %s" % ue, "ip.src") == []
    m = u.smf.modify(s, [S.update_qer_gate(1, ul_gate="OPEN", dl_gate="OPEN")])
    assert (m.type, m.cause, m.seid) == (S.MOD_RSP, S.ACCEPTED, s.cp_seid)
    (sess,) = u.sessions()
    assert sess["rules"]["qers"][0]["gateUplink"] == "OPEN", sess["rules"]
    before = u.vpgd.counters()
    for seq in range(6, 9):
        echo_exchange(u, teid, ue, PEER1, seq, PING)
    assert quiet(delta(before, u.vpgd.counters())) == {}
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- 4

MBR_KBPS = 2000
OFFERED_PPS, PKT = 750, 1000   # 750 x 1000 octets = 6 Mbit/s offered, 3 x the MBR
FLOOD_SECONDS = 3.0


def test_upf_qer_mbr_polices_uplink(lab):
    """Send: a session with QER 1 (gates open, MBR uplink 2000 kbit/s) on both
    PDRs; a UDP flood of 1000-octet IP packets as G-PDUs from the RAN side to
    a UDP sink on the gate peer (10.10.10.10:9000), paced at 750 packets/s
    (6 Mbit/s, three times the MBR) for 3 seconds, in 10 ms batches.
    Verify: how it is measured: the sink counts every datagram with its
    arrival time; the delivered rate is the IP octets (payload + 28) that
    arrive after the first second of the flood divided by the time from
    then to the last send (so a token bucket's initial burst does not count),
    and must be within +-20% of 2000 kbit/s; over the whole flood every
    datagram sent is either delivered or dropped as
    drop.pfcp_qer_mbr_exceeded (exact: sent - delivered), no other drop."""
    u = U.UpfLab(lab)
    peer = gate_with_peer(u)
    u.associate()
    ue = "10.10.0.22"
    s, teid = establish(u, session_rules(u.ran, ue, qer_ids=[1],
                                         extra=[S.qer(1, mbr_ul=MBR_KBPS, mbr_dl=MBR_KBPS)]), IMSI_POOL, ue)
    sink = lab.add(U.UdpSink(peer.name, PEER1, 9000))
    frame = U.udp_gpdu(teid, ue, PEER1, 9000, PKT)
    before = u.vpgd.counters()
    sent, start = 0, time.time()
    per_batch = OFFERED_PPS // 100
    while True:
        now = time.time()
        if now - start >= FLOOD_SECONDS:
            break
        due = int((now - start) * OFFERED_PPS) + per_batch
        while sent < due:
            u.gtpu.sock.sendto(frame, (U.VPGD_PFCP, 2152))
            sent += 1
        time.sleep(0.01)
    end = time.time()
    # Wait (bounded) until the counters account for every datagram sent.
    deadline = time.time() + 5
    while True:
        d = delta(before, u.vpgd.counters())
        dropped = d.get("drop.pfcp_qer_mbr_exceeded", 0)
        if dropped + len(sink.sizes) >= sent or time.time() > deadline:
            break
        time.sleep(0.2)
    delivered = len(sink.sizes)
    steady = sum(sz + 28 for t, sz in zip(sink.times, sink.sizes) if t >= start + 1.0)
    rate_kbps = steady * 8 / (end - start - 1.0) / 1000
    offered_kbps = sent * PKT * 8 / (end - start) / 1000
    assert offered_kbps > 2.5 * MBR_KBPS, offered_kbps
    assert 0.8 * MBR_KBPS <= rate_kbps <= 1.2 * MBR_KBPS, (rate_kbps, delivered, sent)
    assert quiet(d) == {"drop.pfcp_qer_mbr_exceeded": sent - delivered}, (d, sent, delivered)
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- 5

ROUTE, BEHIND = "192.168.50.0/24", "192.168.50.7"


def test_upf_framed_route_host_behind_device_reaches_gate_peer(lab):
    """Send: a session (UE 10.10.0.23) whose uplink and downlink PDRs carry
    Framed-Route 192.168.50.0/24; the gate peer routes 192.168.50.0/24 via
    the gateway's inner address; echo requests from 192.168.50.7 (a host
    behind the device) to the gate peer as G-PDUs from the RAN side.
    Verify: the uplink half: each request crosses the underlay to the peer
    with its addresses untouched (VXLAN on br1) and no drop is counted; the
    downlink half: the peer's replies to 192.168.50.7 come back as G-PDUs
    with FAR 1's TEID (0x1111), addresses swapped."""
    u = U.UpfLab(lab)
    peer = gate_with_peer(u)
    peer.run("ip", "route", "add", ROUTE, "via", GW_INNER, "dev", "vxlan0")
    u.associate()
    ue = "10.10.0.23"
    rules = [U.pdr_downlink_route(1, 1, ue, ROUTE),
             S.create_pdr(2, 65535, S.pdi(0, S.fteid(choose_id=5), P.IE_NetworkInstance(instance="internet"),
                                          S.ue_ip(ue, destination=False),
                                          P.IE_FramedRoute(framed_route=ROUTE.encode()),
                                          S.interface_type(S.IF_N3)), 2, outer_header_removal=6),
             S.far_forward(1, "Access", teid=DL_TEID, peer=u.ran.addr),
             S.far_forward(2, "Core")]
    s, teid = establish(u, rules, IMSI_POOL, ue)
    vx = lab.capture("vxlan.pcap", "udp port 4789", iface="br1")
    before = u.vpgd.counters()
    replies = 0
    for seq in range(1, 4):
        u.send(teid, U.echo(BEHIND, PEER1, seq, PING))
        if u.recv_until(U.is_echo_reply(seq, PEER1, BEHIND), timeout=1.5) is not None:
            replies += 1
    d = delta(before, u.vpgd.counters())
    rows = {tuple(r) for r in vx.fields("icmp", "ip.src", "ip.dst", "icmp.type")}
    up = {(BEHIND, PEER1)} <= {(a.split(",")[-1], b.split(",")[-1]) for a, b, t in rows if t == "8"}
    back = {(PEER1, BEHIND)} <= {(a.split(",")[-1], b.split(",")[-1]) for a, b, t in rows if t == "0"}
    assert up, ("uplink from %s never reached the peer" % BEHIND, rows, d)
    assert back, ("the peer never answered towards the gateway", rows, d)
    assert replies == 3, ("downlink to the Framed-Route host: %d of 3 replies came back" % replies, quiet(d))
    assert quiet(d) == {}, d
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- 6


def refused(resp, msg_type, cause, offending, rule=None, seid=None):
    assert resp.type == msg_type and resp.cause == cause, (resp, resp.pkt.show(dump=True))
    assert resp.offending_ie == offending, (resp.offending_ie, resp.pkt.show(dump=True))
    assert U.failed_rule(resp) == rule, U.failed_rule(resp)
    assert resp.fseid is None and resp.created_pdrs == {}
    if seid is not None:
        assert resp.seid == seid, (resp.seid, seid)


def test_upf_refusals_name_cause_offending_ie_and_create_nothing(lab):
    """Send: with one session up (UE 10.10.0.24), establishments that must be
    refused: from an SMF without association; with a PDR naming an unknown
    FAR, QER or URR; with a duplicate PDR id and a duplicate FAR id; with a UE
    IP outside the device subnet and one in use by the first SMF's session
    (sent by a second SMF, once associated); with no UE IP at
    all; without F-SEID; without Node ID. Modification and deletion of an
    unknown SEID. A modification that moves FAR 1 to a new TEID and also
    creates a PDR naming an unknown QER.
    Verify: each answer's cause (72, 73, 69, 66, 65) and Offending IE (Create
    PDR/Create FAR with the Failed Rule ID, UE IP Address 93, F-SEID 57, Node
    ID 60), no F-SEID or Created PDR, header SEID = the CP SEID (0 when
    unknown); /v1/sessions is unchanged after every refusal and no session
    was established; the refused modification changed nothing: FAR 1 still
    has TEID 0x1111 in the API and the gateway's echo reply still comes back
    on 0x1111, while an accepted one then moves it to 0x2222."""
    u = U.UpfLab(lab)
    u.associate()
    ue = "10.10.0.24"
    s, teid = establish(u, session_rules(u.ran, ue), IMSI_MAPPED, ue)
    echo_exchange(u, teid, ue, GW_INNER, 1, PING)
    baseline = u.sessions()
    before = u.vpgd.counters()
    smf, ran = u.smf, u.ran

    # No association: another SMF host on br0.
    other_ns = lab.sgsn()
    other = lab.add(S.PfcpSmf(other_ns.addr, U.VPGD_PFCP, netns=other_ns.name))
    x = other.establish(session_rules(other_ns, "10.10.0.90"), imsi=IMSI_POOL)
    refused(x.response, S.EST_RSP, S.NO_ASSOCIATION, None, seid=x.cp_seid)
    assert u.sessions() == baseline

    cases = [
        ("unknown FAR", [S.pdr_uplink(2, far_id=9, ue_ipv4="10.10.0.91", choose_id=5),
                         S.far_forward(2, "Core")], U.IE_CREATE_PDR, (0, 2)),
        ("unknown QER", [S.pdr_uplink(2, far_id=2, ue_ipv4="10.10.0.91", choose_id=5, qer_ids=[7]),
                         S.far_forward(2, "Core")], U.IE_CREATE_PDR, (0, 2)),
        ("unknown URR", [S.pdr_uplink(2, far_id=2, ue_ipv4="10.10.0.91", choose_id=5, urr_ids=[8]),
                         S.far_forward(2, "Core")], U.IE_CREATE_PDR, (0, 2)),
        ("duplicate PDR", [S.pdr_uplink(2, far_id=2, ue_ipv4="10.10.0.91", choose_id=5),
                           S.pdr_uplink(2, far_id=2, ue_ipv4="10.10.0.91", choose_id=5),
                           S.far_forward(2, "Core")], U.IE_CREATE_PDR, (0, 2)),
        ("duplicate FAR", [S.pdr_uplink(2, far_id=2, ue_ipv4="10.10.0.91", choose_id=5),
                           S.far_forward(2, "Core"), S.far_forward(2, "Core")], U.IE_CREATE_FAR, (1, 2)),
    ]
    for name, rules, offending, rule in cases:
        x = smf.establish(rules, imsi=IMSI_POOL)
        try:
            refused(x.response, S.EST_RSP, S.RULE_FAILURE, offending, rule, seid=x.cp_seid)
        except AssertionError as e:
            raise AssertionError("%s: %s" % (name, e))
        assert u.sessions() == baseline, name

    x = smf.establish(session_rules(ran, "172.16.0.5"), imsi=IMSI_POOL)
    refused(x.response, S.EST_RSP, S.MANDATORY_IE_INCORRECT, U.IE_UE_IP_ADDRESS, seid=x.cp_seid)
    assert u.sessions() == baseline
    # In use by another control plane's session (vpgd lets a session of the
    # same control plane on the same address make way, as a stale one).
    a = other.associate()
    assert a.cause == S.ACCEPTED
    x = other.establish(session_rules(other_ns, ue), imsi=IMSI_POOL)
    refused(x.response, S.EST_RSP, S.MANDATORY_IE_INCORRECT, U.IE_UE_IP_ADDRESS, seid=x.cp_seid)
    assert u.sessions() == baseline

    x = smf.establish([S.pdr_uplink(2, far_id=2, choose_id=5), S.far_forward(2, "Core")], imsi=IMSI_POOL)
    refused(x.response, S.EST_RSP, S.MANDATORY_IE_MISSING, U.IE_UE_IP_ADDRESS, seid=x.cp_seid)
    assert u.sessions() == baseline

    body = session_rules(ran, "10.10.0.92")
    r = smf.request(S.EST_REQ, [S.node_id(smf.local)] + body + [S.pdn_type(1)], seid=0)
    refused(r, S.EST_RSP, S.MANDATORY_IE_MISSING, U.IE_F_SEID, seid=0)
    r = smf.request(S.EST_REQ, [S.fseid(0x77770001, smf.local)] + body + [S.pdn_type(1)], seid=0)
    refused(r, S.EST_RSP, S.MANDATORY_IE_MISSING, U.IE_NODE_ID, seid=0x77770001)
    assert u.sessions() == baseline

    ghost = S.Session(0x4242)
    ghost.up_seid = 0x0badc0de0badc0de
    refused(smf.modify(ghost, [S.update_far_forward(1, teid=5, peer=ran.addr)]), S.MOD_RSP,
            S.SESSION_NOT_FOUND, None, seid=0)
    refused(smf.delete(ghost), S.DEL_RSP, S.SESSION_NOT_FOUND, None, seid=0)
    assert u.sessions() == baseline

    # All or nothing: the FAR update rides with a PDR naming an unknown QER.
    m = smf.modify(s, [S.update_far_forward(1, "Access", teid=DL_TEID2, peer=ran.addr),
                       S.pdr_downlink(3, far_id=1, ue_ipv4=ue, qer_ids=[9], precedence=100)])
    assert (m.type, m.cause, m.offending_ie, U.failed_rule(m), m.seid) == \
        (S.MOD_RSP, S.RULE_FAILURE, U.IE_CREATE_PDR, (0, 3), s.cp_seid), m.pkt.show(dump=True)
    assert u.sessions() == baseline
    (far1,) = [f for f in baseline[0]["rules"]["fars"] if f["farId"] == 1]
    assert far1["outerHeaderCreation"]["teid"] == DL_TEID
    echo_exchange(u, teid, ue, GW_INNER, 2, PING, reply_teid=DL_TEID)

    d = delta(before, u.vpgd.counters())
    assert "pfcp_sessions_established" not in d and "pfcp_sessions_modified" not in d, d
    assert quiet(d) == {}, d
    stats = u.stats()["pfcp"]["txCause"]
    for cause in (S.NO_ASSOCIATION, S.RULE_FAILURE, S.MANDATORY_IE_INCORRECT, S.MANDATORY_IE_MISSING,
                  S.SESSION_NOT_FOUND):
        assert int(stats.get(str(cause), 0)) > 0, stats

    # The accepted modification does move it: the test can see a change.
    m = smf.modify(s, [S.update_far_forward(1, "Access", teid=DL_TEID2, peer=ran.addr)])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    echo_exchange(u, teid, ue, GW_INNER, 3, PING, reply_teid=DL_TEID2)
    u.assert_clean_pfcp(other)
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- 7


def raw_exchange(smf, data, wait=1.0):
    """Sends raw bytes from the SMF's socket; returns what came back within `wait`."""
    n = len(smf.received)
    smf._send(data)
    time.sleep(wait)  # silence is the result for most: wait the whole window
    # vpgd's own Heartbeat Requests (answered by the SMF's thread) are not answers.
    return [m for m in smf.received[n:] if not (isinstance(m, S.Message) and m.type == S.HEARTBEAT_REQ)]


def test_upf_malformed_pfcp_counted_or_answered_never_crash(lab):
    """Send (from the associated SMF): a 3-octet datagram; a Heartbeat Request
    with version 2; a Session Deletion Request whose length field is 10
    octets larger than the datagram; a message of unknown type 30; a Session
    Establishment whose last IE claims 0xfff0 octets.
    Verify: the short datagram and the unknown type: silence, drops
    pfcp_too_short and pfcp_unknown_type +1 each; version 2: a Version Not
    Supported Response (type 11, version 1, same sequence number) and
    pfcp_bad_version +1; the long length field: pfcp_bad_length +1 and, a
    known request, a Deletion Response with cause 68 Invalid Length; the
    garbage IE length: an Establishment Response with cause 68 and no
    session; no other drop; vpgd still answers a heartbeat and exits 0."""
    u = U.UpfLab(lab)
    u.associate()
    before = u.vpgd.counters()
    smf = u.smf

    assert raw_exchange(smf, b"\x20\x01\x00") == []

    hb = bytearray(S.build(S.HEARTBEAT_REQ, 0x0a0b0c, [S.recovery_time_stamp(smf.recovery)]))
    hb[0] = (hb[0] & 0x1f) | (2 << 5)
    got = raw_exchange(smf, bytes(hb))
    assert len(got) == 1 and isinstance(got[0], S.Message), got
    assert (got[0].type, got[0].pkt.version, got[0].seq) == (U.VERSION_NOT_SUPPORTED_RSP, 1, 0x0a0b0c)

    dl = bytearray(S.build(S.DEL_REQ, 0x0a0b0d, [], seid=0x1234))
    struct.pack_into("!H", dl, 2, struct.unpack_from("!H", dl, 2)[0] + 10)
    got = raw_exchange(smf, bytes(dl))
    assert len(got) == 1 and (got[0].type, got[0].seq, got[0].cause) == (S.DEL_RSP, 0x0a0b0d, S.INVALID_LENGTH), got

    unk = bytearray(S.build(S.HEARTBEAT_REQ, 0x0a0b0e, [S.recovery_time_stamp(smf.recovery)]))
    unk[1] = 30
    assert raw_exchange(smf, bytes(unk)) == []

    est = bytearray(S.build(S.EST_REQ, 0x0a0b0f, [S.node_id(smf.local), S.fseid(0x55550001, smf.local)]
                            + session_rules(u.ran, "10.10.0.25") + [S.pdn_type(1)], seid=0))
    est += struct.pack("!HH", 96, 0xfff0) + b"\x01"   # PDN Type claiming 0xfff0 octets
    struct.pack_into("!H", est, 2, len(est) - 4)
    got = raw_exchange(smf, bytes(est))
    assert len(got) == 1 and (got[0].type, got[0].seq, got[0].cause) == (S.EST_RSP, 0x0a0b0f, S.INVALID_LENGTH), got
    assert got[0].fseid is None and got[0].created_pdrs == {}
    assert u.sessions() == []

    hb = smf.heartbeat()
    assert hb.type == S.HEARTBEAT_RSP and hb.recovery is not None
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_too_short": 1, "drop.pfcp_bad_version": 1, "drop.pfcp_bad_length": 1,
                        "drop.pfcp_unknown_type": 1}, d
    assert "pfcp_sessions_established" not in d
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


# ---------------------------------------------------------------- FAR actions, no PDR, quota

QUOTA = 250


def test_upf_far_drop_buffer_no_pdr_and_quota_counted(lab):
    """Send: (a) a session (UE 10.10.0.26) whose uplink FAR 2 is DROP: three
    echo requests to the gate peer; an Update FAR to BUFF+NOCP: two more; an
    Update FAR back to FORW to the Core: one more. (b) a session (UE
    10.10.0.27) with an uplink PDR only: the gate peer pings the UE twice.
    (c) a session (UE 10.10.0.28) whose PDRs count into URR 2 with a volume
    quota of 250 octets (trigger VOLQU): three 100-octet echo requests.
    Verify: (a) silence and drop.pfcp_far_drop == 3, then silence and
    drop.pfcp_far_buffering_unsupported == 2, then the reply on our TEID and
    no drop; (b) drop.pfcp_no_matching_pdr == 2, nothing sent to the RAN
    side; (c) request 1 and its reply pass (200 octets), request 2 passes and
    reaches the quota (300), its reply and request 3 are dropped:
    drop.pfcp_urr_quota_exhausted == 2, one reply only, and a Session Report
    Request with trigger VOLQU, 300/200/100 octets, 3/2/1 packets; no other
    drop anywhere."""
    u = U.UpfLab(lab)
    peer = gate_with_peer(u)
    u.associate()

    ue = "10.10.0.26"
    rules = session_rules(u.ran, ue)
    rules[3] = S.far_drop(2)
    s, teid = establish(u, rules, IMSI_POOL, ue)
    before = u.vpgd.counters()
    for seq in range(1, 4):
        u.send(teid, U.echo(ue, PEER1, seq, PING))
    assert u.drain(quiet=1.0) == []
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_far_drop": 3}, d
    m = u.smf.modify(s, [S.update_far_action(2, buff=1, nocp=1)])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    before = u.vpgd.counters()
    for seq in range(4, 6):
        u.send(teid, U.echo(ue, PEER1, seq, PING))
    assert u.drain(quiet=1.0) == []
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_far_buffering_unsupported": 2}, d
    m = u.smf.modify(s, [S.update_far_forward(2, "Core")])
    assert (m.type, m.cause) == (S.MOD_RSP, S.ACCEPTED)
    before = u.vpgd.counters()
    echo_exchange(u, teid, ue, PEER1, 6, PING)
    assert quiet(delta(before, u.vpgd.counters())) == {}

    ue2 = "10.10.0.27"
    establish(u, [S.pdr_uplink(2, far_id=2, ue_ipv4=ue2, choose_id=5), S.far_forward(2, "Core")],
              IMSI_MAPPED, ue2)
    before = u.vpgd.counters()
    assert ping(peer, ue2, count=2) == 0
    assert u.drain(quiet=0.5) == []
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_no_matching_pdr": 2}, d

    ue3 = "10.10.0.28"
    quota = P.IE_CreateURR(IE_list=[
        P.IE_URR_Id(id=2), P.IE_MeasurementMethod(EVENT=0, VOLUM=1, DURAT=0),
        P.IE_ReportingTriggers(volume_quota=1), P.IE_VolumeQuota(TOVOL=1, total=QUOTA)])
    s3, teid3 = establish(u, session_rules(u.ran, ue3, urr_ids=[2], extra=[quota]), IMSI_PUT, ue3)
    before = u.vpgd.counters()
    echo_exchange(u, teid3, ue3, PEER1, 1, PING)
    for seq in (2, 3):
        u.send(teid3, U.echo(ue3, PEER1, seq, PING))
    assert u.drain(quiet=1.0) == []
    rep = u.smf.next_report(timeout=3)
    assert rep.seid == s3.cp_seid and rep.report_type == {"USAR"}
    (r,) = U.usage_reports(rep)
    assert (r["urr_id"], r["trigger"]) == (2, {"VOLQU"}), r
    assert r["volume"] == {"total": 300, "uplink": 200, "downlink": 100}, r
    assert r["packets"] == {"total": 3, "uplink": 2, "downlink": 1}, r
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_urr_quota_exhausted": 2}, d
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


def test_upf_far_dupl_copies_to_duplicating_parameters_address(lab):
    """Send: a session (UE 10.10.0.29) whose uplink FAR 2 is FORW|DUPL with
    Duplicating Parameters (Destination Interface LI, Outer Header Creation
    to 198.51.100.50, a host on the underlay that is no mirroring peer), and
    three echo requests to the gate peer as G-PDUs.
    Verify: the three replies come back on our TEID (forwarding is not
    disturbed); the host receives exactly three GRE copies from the
    gateway's underlay address whose inner packets are the device's echo
    requests, unchanged (source the UE, destination the peer, id and
    sequence); pfcp_duplicated_packets and mirror_copies_sent move by 3."""
    u = U.UpfLab(lab)
    gate_with_peer(u)
    tap = lab.mirror_host("198.51.100.50")
    cap = lab.add(Capture(tap, "eth0", lab.workdir + "/dupl.pcap", "ip proto 47"))
    u.associate()
    ue = "10.10.0.29"
    rules = session_rules(u.ran, ue)
    rules[3] = P.IE_CreateFAR(IE_list=[
        P.IE_FAR_Id(id=2), S.apply_action(forw=1, dupl=1),
        S.forwarding_parameters("Core", network_instance="internet"),
        P.IE_DuplicatingParameters(IE_list=[
            P.IE_DestinationInterface(interface=4),
            S.outer_header_creation(0, tap.addr)])])
    s, teid = establish(u, rules, IMSI_POOL, ue)
    before = u.vpgd.counters()
    for seq in range(1, 4):
        echo_exchange(u, teid, ue, PEER1, seq, PING)
    d = delta(before, u.vpgd.counters())
    assert d.get("pfcp_duplicated_packets") == 3, d
    assert d.get("mirror_copies_sent") == 3, d
    assert quiet(d) == {}, d
    path = cap.stop()
    rows = sh("tshark", "-n", "-r", path, "-Y", "gre && icmp.type == 8", "-T", "fields",
              "-e", "ip.src", "-e", "ip.dst", "-e", "icmp.seq").stdout.split("\n")
    rows = sorted(r.split("\t") for r in rows if r)
    assert rows == [["%s,%s" % (GW_UNDERLAY, ue), "%s,%s" % (tap.addr, PEER1), str(q)] for q in (1, 2, 3)], rows
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


def test_upf_and_ggsn_roles_share_one_session_core(lab):
    """Send: one vpgd with both roles on: a device attached by sgsnemu over
    GTPv1-C (GGSN role), and a PFCP session from the SMF stand-in (UE
    10.10.0.30, UPF role); the GGSN device pings the UPF device's address
    three times, the UPF device (as G-PDUs from the RAN side) answers.
    Verify: GET /v1/vpg says both roles are on; GET /v1/sessions lists both
    sessions, one with role "ggsn" and its SGSN as peer, one with role "upf"
    and the SMF as peer; the echo requests reach the RAN side as G-PDUs on
    the UPF session's downlink TEID with the GGSN device as source
    (device to device through the one forwarding path), the replies reach
    the GGSN device: 3 of 3."""
    u = U.UpfLab(lab, ggsn={"enabled": True})
    status, vpg = u.vpgd.api("GET", "/v1/vpg")
    assert status == 200 and vpg["roles"]["ggsn"]["enabled"] and vpg["roles"]["upf"]["enabled"], vpg
    u.associate()
    ue = "10.10.0.30"
    s, teid = establish(u, session_rules(u.ran, ue), IMSI_POOL, ue)
    dev = device(lab, IMSI_MAPPED)
    roles = {x["role"]: x for x in u.sessions()}
    assert set(roles) == {"ggsn", "upf"}, roles
    assert roles["ggsn"]["ipAddress"] == dev.device and roles["ggsn"]["peerAddress"] == dev.addr
    assert roles["upf"]["ipAddress"] == ue and roles["upf"]["peerAddress"] == u.ran.addr

    def answer_echoes(n):
        got = 0
        for _ in range(n):
            pkt = u.recv_until(lambda p: p.haslayer(ICMP) and p[ICMP].type == 8, timeout=3)
            if pkt is None:
                break
            assert pkt.teid == DL_TEID and pkt[IP].src == dev.device and pkt[IP].dst == ue
            req = pkt[IP]
            u.send(teid, IP(src=ue, dst=req.src) / ICMP(type=0, id=req[ICMP].id,
                                                        seq=req[ICMP].seq) / bytes(req[ICMP].payload))
            got += 1
        return got

    t = threading.Thread(target=lambda: results.append(answer_echoes(3)))
    results = []
    t.start()
    replies = ping(dev, ue, count=3)
    t.join(timeout=15)
    assert results == [3] and replies == 3, (results, replies)
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


def gpdu_5g(teid, qfi, inner):
    """A G-PDU with a UL PDU Session Container (TS 38.415: PDU type 1) carrying qfi."""
    payload = bytes(inner)
    ext = bytes([1, 0x10, qfi & 0x3f, 0])
    body = struct.pack("!HBB", 0, 0, 0x85) + ext + payload
    return struct.pack("!BBHI", 0x34, 0xff, len(body), teid) + body


def test_upf_5g_qfi_read_on_uplink_and_marked_on_downlink(lab):
    """Send: a 5G-style session (UE 10.10.0.31): the uplink PDR's PDI names
    QFI 9, the downlink PDR's QER carries QFI 9; echo requests to the
    gateway's inner address as G-PDUs with a UL PDU Session Container, QFI
    9 (twice), then two without a container.
    Verify: each request with the container is answered with a G-PDU on
    FAR 1's TEID whose header has E set and a PDU Session Container of PDU
    type 0 (DL) with QFI 9 and the echo reply inside; the two without the
    container match no PDR (drop.pfcp_no_matching_pdr == 2, no reply)."""
    u = U.UpfLab(lab)
    u.associate()
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
    s, teid = establish(u, rules, IMSI_POOL, ue)
    before = u.vpgd.counters()
    for seq in (1, 2):
        u.gtpu.sock.sendto(gpdu_5g(teid, 9, U.echo(ue, GW_INNER, seq, PING)), (U.VPGD_PFCP, 2152))
        u.gtpu.sock.settimeout(2)
        data, _ = u.gtpu.sock.recvfrom(65535)
        flags, typ, length, got_teid = struct.unpack("!BBHI", data[:8])
        assert (flags & 0x04, typ, got_teid) == (0x04, 0xff, DL_TEID), data[:16].hex()
        assert data[11] == 0x85 and data[12] == 1, data[:16].hex()
        assert data[13] >> 4 == 0 and data[14] & 0x3f == 9, data[:16].hex()
        assert data[15] == 0 and len(data) == 16 + PING, data[:16].hex()
        reply = IP(data[16:])
        assert (reply.src, reply.dst, reply[ICMP].type, reply[ICMP].seq) == (GW_INNER, ue, 0, seq)
    for seq in (3, 4):
        u.send(teid, U.echo(ue, GW_INNER, seq, PING))
    assert u.drain(quiet=1.0) == []
    d = delta(before, u.vpgd.counters())
    assert quiet(d) == {"drop.pfcp_no_matching_pdr": 2}, d
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0


def test_upf_framed_route_reached_through_routed_egress(lab):
    """Send: vpgd with routed egress (no NAT) and a session (UE 10.10.0.32)
    whose PDRs carry Framed-Route 192.168.50.0/24; a server beyond the
    egress routes that prefix to the gateway host and pings 192.168.50.7
    three times; the RAN side answers each request that arrives for the
    host behind the device with its echo reply, as a G-PDU.
    Verify: the host routes 192.168.50.0/24 into vpgd0 while the session
    lives; each request arrives as a G-PDU on FAR 1's TEID with the
    server's address as source; the server gets 3 of 3 replies; after the
    Session Deletion the route is gone."""
    u = U.UpfLab(lab, egress={"enabled": True, "interface": "vpgd0", "nat": False})
    server = lab.server(nat=False)
    server.run("ip", "route", "add", ROUTE, "via", "203.0.113.1")
    u.associate()
    ue = "10.10.0.32"
    rules = [U.pdr_downlink_route(1, 1, ue, ROUTE),
             S.create_pdr(2, 65535, S.pdi(0, S.fteid(choose_id=5), P.IE_NetworkInstance(instance="internet"),
                                          S.ue_ip(ue, destination=False),
                                          P.IE_FramedRoute(framed_route=ROUTE.encode())), 2,
                          outer_header_removal=6),
             S.far_forward(1, "Access", teid=DL_TEID, peer=u.ran.addr),
             S.far_forward(2, "Core")]
    s, teid = establish(u, rules, IMSI_POOL, ue)
    assert "dev vpgd0" in lab.gw.run("ip", "route", "show", ROUTE).stdout

    def answer(n):
        got = 0
        for _ in range(n):
            pkt = u.recv_until(lambda p: p.haslayer(ICMP) and p[ICMP].type == 8, timeout=4)
            if pkt is None:
                break
            req = pkt[IP]
            assert pkt.teid == DL_TEID and (req.src, req.dst) == (server.addr, BEHIND)
            u.send(teid, IP(src=BEHIND, dst=req.src) / ICMP(type=0, id=req[ICMP].id, seq=req[ICMP].seq)
                   / bytes(req[ICMP].payload))
            got += 1
        return got

    results = []
    t = threading.Thread(target=lambda: results.append(answer(3)))
    t.start()
    replies = ping(server, BEHIND, count=3)
    t.join(timeout=20)
    assert results == [3] and replies == 3, (results, replies)
    d = u.smf.delete(s)
    assert d.cause == S.ACCEPTED
    assert lab.gw.run("ip", "route", "show", ROUTE).stdout.strip() == ""
    u.assert_clean_pfcp()
    assert u.vpgd.stop() == 0
