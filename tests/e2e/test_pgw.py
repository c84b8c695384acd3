"""The PGW role (GTPv2-C on S5/S8): a scapy SGW (sgw_scapy) attaches devices
to vpgd, whose data then goes through the same path as every other role's.

Send: Create Session, Modify Bearer, Delete Session, Echo, G-PDUs to and from
a kernel VXLAN gate peer, malformed and refused requests, a burst of 1,000.
Verify: the answers' causes and IEs, the TEIDs of the G-PDUs on the wire
(tshark), the API's sessions and counters, and what vpgd asks of the SGW on
its own (Delete Bearer, Echo).
"""
import json
import socket
import struct
import subprocess
import time

import pytest
from scapy.layers.inet import ICMP, IP

import sgw_scapy as sg
from netlab import GW_GTP, delta, drops
from test_gate import PEER1, open_gate, ping

IMSI = "001010000000002"


def pgw_config(lab, **extra):
    return lab.config(gtpv2={"listenAddress": GW_GTP}, apns=["internet"], **extra)


@pytest.fixture
def pgw(lab):
    """vpgd with the GGSN and PGW roles on one address, an SGW host and a gate peer."""
    vpgd = lab.vpgd(pgw_config(lab))
    sgw_ns = lab.sgsn()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    sgw = lab.add(sg.ScapySgw(sgw_ns.name, sgw_ns.addr, GW_GTP, restart_counter=1))
    return vpgd, sgw, sgw_ns, peer


def echo_request(src, dst, ident, seq=1):
    return bytes(IP(src=src, dst=dst) / ICMP(id=ident, seq=seq) / (b"x" * 32))


def reply_to(s, ident):
    """A match for recv_gpdu: an ICMP echo reply to the device on its TEID."""
    def match(teid, inner):
        p = IP(inner)
        return p.dst == s.ue_addr and p.haslayer(ICMP) and p[ICMP].type == 0 and p[ICMP].id == ident
    return match


def attach(sgw, imsi=IMSI, **kw):
    s = sgw.create_session(imsi, **kw)
    assert s.cause == sg.ACCEPTED, s
    return s


def test_attach_reaches_the_gate_peer_and_replies_come_back_on_the_sgw_teid(lab, pgw):
    vpgd, sgw, sgw_ns, peer = pgw
    cap = lab.capture("s5.pcap", "udp port 2152 or udp port 2123")
    s = attach(sgw)
    assert s.pgw_c[1] == GW_GTP and s.pgw_u[1] == GW_GTP
    assert s.apn_restriction == 0 and s.recovery is not None
    for i in range(3):
        sgw.send_gpdu(s, echo_request(s.ue_addr, PEER1, 0x77, i + 1))
        got = sgw.recv_gpdu(timeout=3, match=reply_to(s, 0x77))
        assert got is not None, "no reply %d from the gate peer" % i
        assert got[0] == s.sgw_u_teid
    # tshark: every downlink G-PDU carries the SGW's TEID, and nothing is malformed.
    rows = cap.fields("gtp.message == 255 && ip.dst == %s" % sgw_ns.addr, "gtp.teid")
    assert len(rows) == 3 and {int(r[0], 0) for r in rows} == {s.sgw_u_teid}
    assert cap.problems("gtpv2 || gtp") == ""
    # The session in the API, with its role's own fields.
    status, body = vpgd.api("GET", "/v1/sessions/" + IMSI)
    assert status == 200
    assert body["role"] == "pgw" and body["ebi"] == 5 and body["ipAddress"] == s.ue_addr
    assert body["sgwControlFteid"] == {"teid": s.sgw_c_teid, "ipAddress": sgw_ns.addr}
    assert body["sgwDataFteid"] == {"teid": s.sgw_u_teid, "ipAddress": sgw_ns.addr}
    assert body["ratType"] == "EUTRAN" and body["qci"] == 9
    assert body["uplinkPackets"] == 3 and body["downlinkPackets"] == 3
    assert vpgd.stop() == 0


def test_modify_bearer_moves_the_downlink_and_traffic_follows(lab, pgw):
    vpgd, sgw, _, _ = pgw
    s = attach(sgw)
    old = s.sgw_u_teid
    r = sgw.modify_bearer(s, new_sgw_u_teid=0x4242)
    assert r.cause == sg.ACCEPTED and r.bearer.cause == sg.ACCEPTED
    sgw.send_gpdu(s, echo_request(s.ue_addr, PEER1, 0x78))
    got = sgw.recv_gpdu(timeout=3, match=reply_to(s, 0x78))
    assert got is not None and got[0] == 0x4242 != old
    assert vpgd.api("GET", "/v1/sessions/" + IMSI)[1]["sgwDataFteid"]["teid"] == 0x4242
    assert vpgd.stop() == 0


def test_delete_session_ends_the_session(lab, pgw):
    vpgd, sgw, _, _ = pgw
    s = attach(sgw)
    r = sgw.delete_session(s)
    assert r.cause == sg.ACCEPTED and r.teid == s.sgw_c_teid
    assert vpgd.api("GET", "/v1/sessions/" + IMSI)[0] == 404
    # Its TEID is gone: a G-PDU now gets an Error Indication.
    before = vpgd.counters()
    sgw.send_gpdu(s, echo_request(s.ue_addr, PEER1, 0x79))
    assert sgw.recv_gpdu(timeout=1) is None
    d = delta(before, vpgd.counters())
    assert d.get("drop.gtpu_unknown_teid") == 1 and d.get("gtpu_error_indications_sent") == 1
    r = sgw.delete_session(s)
    assert r.cause == sg.CONTEXT_NOT_FOUND and r.teid == 0
    assert vpgd.stop() == 0


def test_delete_from_the_api_sends_delete_bearer(lab, pgw):
    vpgd, sgw, sgw_ns, _ = pgw
    s = attach(sgw)
    status, _ = vpgd.api("DELETE", "/v1/sessions/" + IMSI)
    assert status == 204
    req = sgw.wait_request(sg.DELETE_BEARER_REQ, timeout=5)
    assert req is not None and req.teid == s.sgw_c_teid and req.ebis == [5]
    sgw.answer(req)
    assert vpgd.api("GET", "/v1/sessions/" + IMSI)[0] == 404
    c = vpgd.counters()
    assert c["gtpv2c_requests_given_up"] == 0
    assert c.get("drop.gtpv2c_unexpected_message", 0) == 0
    assert vpgd.stop() == 0


def test_echo_and_a_restarted_sgw_loses_its_sessions(lab, pgw):
    vpgd, sgw, sgw_ns, _ = pgw
    r = sgw.echo(recovery=1)
    assert r.type == sg.ECHO_RSP and r.teid is None
    assert r.recovery == vpgd.api("GET", "/v1/vpg")[1]["restartCounter"]
    attach(sgw, IMSI)
    attach(sgw, "001010000000003")
    assert vpgd.api("GET", "/v1/gtpv2/peers")[1][0]["sessionCount"] == 2
    sgw.close()
    # The same SGW after a restart: a new Recovery in its first Echo.
    again = lab.add(sg.ScapySgw(sgw_ns.name, sgw_ns.addr, GW_GTP, restart_counter=2))
    before = vpgd.counters()
    assert again.echo(recovery=2).type == sg.ECHO_RSP
    d = delta(before, vpgd.counters())
    assert d.get("pgw_peer_restarts") == 1 and d.get("pgw_sessions_purged") == 2
    assert vpgd.api("GET", "/v1/sessions")[1] == []
    peers = vpgd.api("GET", "/v1/gtpv2/peers")[1]
    assert peers[0]["restartCounter"] == 2 and peers[0]["sessionCount"] == 0
    assert vpgd.stop() == 0


def test_a_burst_of_1000_create_sessions_all_answered_with_distinct_addresses(lab, pgw):
    vpgd, sgw, _, _ = pgw
    sessions = sgw.create_many(1000, imsi_base="001010000100000", timeout=60)
    answered = [s for s in sessions if s.response is not None]
    assert len(answered) == 1000
    assert all(s.cause == sg.ACCEPTED for s in answered)
    assert len({s.ue_addr for s in answered}) == 1000
    assert len({s.pgw_u[0] for s in answered}) == 1000
    assert vpgd.api("GET", "/v1/vpg")[1]["sessionCount"] == 1000
    c = vpgd.counters()
    assert c["sessions_created"] == 1000 and c["gtpv2c_retransmissions_answered"] == 0
    assert vpgd.stop() == 0


REFUSALS = [
    # (what the request does, kwargs, cause, offending IE)
    ("unknown APN", {"apn": "corporate.example"}, sg.MISSING_OR_UNKNOWN_APN, None),
    ("no IMSI", {"omit": [sg.IE_IMSI]}, sg.MANDATORY_IE_MISSING, (sg.IE_IMSI, 0)),
    ("no RAT type", {"omit": [sg.IE_RAT_TYPE]}, sg.MANDATORY_IE_MISSING, (sg.IE_RAT_TYPE, 0)),
    ("no APN", {"omit": [sg.IE_APN]}, sg.MANDATORY_IE_MISSING, (sg.IE_APN, 0)),
    ("no bearer context", {"omit": [sg.IE_BEARER_CONTEXT]}, sg.MANDATORY_IE_MISSING,
     (sg.IE_BEARER_CONTEXT, 0)),
    ("no EBI", {"omit": [(sg.IE_BEARER_CONTEXT, sg.IE_EBI)]}, sg.MANDATORY_IE_MISSING,
     (sg.IE_EBI, 0)),
    ("no bearer QoS", {"omit": [(sg.IE_BEARER_CONTEXT, sg.IE_BEARER_QOS)]},
     sg.MANDATORY_IE_MISSING, (sg.IE_BEARER_QOS, 0)),
    ("no S5/S8-U F-TEID", {"omit": [(sg.IE_BEARER_CONTEXT, sg.IE_FTEID)]},
     sg.MANDATORY_IE_MISSING, (sg.IE_FTEID, 2)),
    ("reserved EBI", {"ebi": 3}, sg.MANDATORY_IE_INCORRECT, (sg.IE_EBI, 0)),
    ("IPv6 only", {"pdn_type": 2}, sg.PREFERRED_PDN_TYPE_NOT_SUPPORTED, None),
]


@pytest.mark.parametrize("what,kw,cause,offending", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_carry_the_ts29274_cause(lab, pgw, what, kw, cause, offending):
    vpgd, sgw, _, _ = pgw
    s = sgw.create_session(IMSI, **kw)
    assert s.cause == cause, (what, s)
    assert s.offending_ie == offending, (what, s.offending_ie)
    assert s.response.teid == s.sgw_c_teid
    assert vpgd.api("GET", "/v1/sessions")[1] == []
    assert vpgd.counters()["sessions_created"] == 0
    assert vpgd.stop() == 0


def test_ipv4v6_gets_ipv4_with_cause_18(lab, pgw):
    vpgd, sgw, _, _ = pgw
    s = sgw.create_session(IMSI, pdn_type=3)
    assert s.cause == 18 and s.paa_type == 1 and s.paa is not None
    assert vpgd.api("GET", "/v1/sessions/" + IMSI)[1]["ipAddress"] == s.paa
    assert vpgd.stop() == 0


def test_malformed_gtpv2c_is_counted_answered_where_asked_and_never_fatal(lab, pgw):
    vpgd, sgw, _, _ = pgw
    before = vpgd.counters()
    # Truncated: shorter than a header.
    sgw.send_raw(b"\x48\x20\x00")
    # A length that runs past the datagram.
    sgw.send_raw(struct.pack("!BBHIHBB", 0x48, 32, 400, 0, 0x10, 0, 0))
    # An IE that runs past its message: a Create Session answered "Invalid Length".
    ies, _, _ = sgw.create_session_request(IMSI)
    good = sg.build(sg.CREATE_SESSION_REQ, ies, seq=0x2000, teid=0)
    bad = bytearray(good + bytes([sg.IE_RECOVERY, 0, 9, 0, 1]))
    bad[2:4] = struct.pack("!H", len(bad) - 4)
    sgw.send_raw(bytes(bad))
    r = sgw.recv(timeout=3)
    assert r is not None and r.type == sg.CREATE_SESSION_RSP and r.cause == sg.INVALID_LENGTH
    # A Bearer Context whose inner IE runs past the group: the grouped IE is incorrect.
    nested = sg.raw_ie(sg.IE_BEARER_CONTEXT, bytes([sg.IE_EBI, 0, 5, 0, 5]))
    s = sgw.create_session(IMSI, omit=[sg.IE_BEARER_CONTEXT], extra=[nested])
    assert s.cause == sg.MANDATORY_IE_INCORRECT and s.offending_ie == (sg.IE_BEARER_CONTEXT, 0)
    # Unknown IEs are skipped: the request is served.
    s = sgw.create_session(IMSI, extra=[sg.raw_ie(250, b"\x01\x02\x03")])
    assert s.cause == sg.ACCEPTED
    d = drops(delta(before, vpgd.counters()))
    assert d.get("drop.gtpv2c_too_short") == 1
    assert d.get("drop.gtpv2c_bad_length") == 1
    assert d.get("drop.gtpv2c_bad_ie") == 1
    assert sgw.echo().type == sg.ECHO_RSP
    assert vpgd.stop() == 0


def test_ggsn_and_pgw_share_udp_2123(lab, pgw):
    vpgd, sgw, _, peer = pgw
    from test_gate import device
    dev = device(lab, "999010000000001")
    s = attach(sgw)
    roles = {x["imsi"]: x["role"] for x in vpgd.api("GET", "/v1/sessions")[1]}
    assert roles == {"999010000000001": "ggsn", IMSI: "pgw"}
    # The GTPv1 device and the GTPv2 device reach the same gate peer.
    assert ping(dev, PEER1, count=2) == 2
    sgw.send_gpdu(s, echo_request(s.ue_addr, PEER1, 0x7a))
    assert sgw.recv_gpdu(timeout=3, match=reply_to(s, 0x7a)) is not None
    assert vpgd.stop() == 0


def test_pco_and_apco_tell_the_device_its_dns_servers_and_mtu(lab):
    vpgd = lab.vpgd(pgw_config(lab, dns=["100.64.0.53", "192.0.2.53"], deviceMtu=1400))
    sgw_ns = lab.sgsn()
    sgw = lab.add(sg.ScapySgw(sgw_ns.name, sgw_ns.addr, GW_GTP))
    cap = lab.capture("s5.pcap", "udp port 2123")
    ipcp = bytes([1, 7, 0, 16, 129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0])
    ask = sg.pco_value((0x000D, b""), (0x8021, ipcp), (0x0010, b""))
    s = attach(sgw, pco=ask, apco=ask)
    dns = [socket.inet_aton("100.64.0.53"), socket.inet_aton("192.0.2.53")]
    nak = bytes([3, 7, 0, 16, 129, 6]) + dns[0] + bytes([131, 6]) + dns[1]
    want = [(0x000D, dns[0]), (0x000D, dns[1]), (0x8021, nak), (0x0010, struct.pack("!H", 1400))]
    assert sg.pco_options(s.pco) == want
    assert sg.pco_options(s.apco) == want
    # The referee: tshark decodes both containers' DNS servers and MTU, nothing malformed.
    rows = cap.fields("gtpv2.message_type == 33", "gsm_a.gm.sm.pco.dns.ipv4",
                      "ipcp.opt.pri_dns_address", "ipcp.opt.sec_dns_address",
                      "gsm_a.gm.sm.pco.ipv4_link_mtu_size")
    assert len(rows) == 1
    assert set(rows[0][0].split(",")) == {"100.64.0.53", "192.0.2.53"}
    assert "100.64.0.53" in rows[0][1] and "192.0.2.53" in rows[0][2]
    assert "1400" in rows[0][3]
    assert cap.problems("gtpv2") == ""
    # Without a request, no PCO in the answer.
    s = attach(sgw, "001010000000003")
    assert s.pco is None and s.apco is None
    assert vpgd.stop() == 0


def test_pool_exhausted_and_a_busy_mapped_address_refused(lab):
    # A /29: five device addresses; IMSI ...09 is mapped to one of them.
    mapped = "001010000000009"
    vpgd = lab.vpgd(pgw_config(lab, deviceSubnetCidrRange="10.10.0.0/29",
                               ipAddressMap=[{"key": mapped, "ipAddress": "10.10.0.6"}]))
    sgw_ns = lab.sgsn()
    sgw = lab.add(sg.ScapySgw(sgw_ns.name, sgw_ns.addr, GW_GTP))
    assert attach(sgw, mapped).ue_addr == "10.10.0.6"
    # Its second PDN connection (another EBI) finds its one address taken.
    s = sgw.create_session(mapped, ebi=6)
    assert s.cause == sg.NO_RESOURCES and s.offending_ie is None
    got = [attach(sgw, "00101000000010%d" % i).ue_addr for i in range(4)]
    assert sorted(got) == ["10.10.0.2", "10.10.0.3", "10.10.0.4", "10.10.0.5"]
    s = sgw.create_session("001010000000199")
    assert s.cause == sg.ALL_DYNAMIC_ADDRESSES_OCCUPIED
    stats = vpgd.api("GET", "/v1/stats")[1]["gtpv2c"]["txCause"]
    assert stats == {"16": 5, "73": 1, "84": 1}
    assert vpgd.stop() == 0


def test_sim_based_routing_reaches_a_lan_behind_a_pgw_device(lab, pgw):
    """SIM-based routing in the PGW role: the gate peer's pings to a host in
    the LAN behind the device come down the device's S5/S8-U tunnel, and the
    LAN host's replies, sent up the same tunnel, reach the peer."""
    vpgd, sgw, _, peer = pgw
    lan, lan_host = "192.168.50.0/24", "192.168.50.10"
    status, _ = vpgd.api("PUT", "/v1/sim_based_routing/routes",
                         [{"imsi": IMSI, "destinations": [lan]}])
    assert status == 200
    assert vpgd.api("POST", "/v1/sim_based_routing/enable")[0] in (200, 204)
    s = attach(sgw)
    peer.run("ip", "route", "add", lan, "via", "10.10.0.1", "dev", "vxlan0")
    before = vpgd.counters()
    pinger = peer.popen("ping", "-c", "3", "-i", "0.3", "-W", "3", lan_host,
                        stdout=subprocess.PIPE, text=True)
    for i in range(3):
        got = sgw.recv_gpdu(timeout=5, match=lambda t, p: IP(p).dst == lan_host)
        assert got is not None and got[0] == s.sgw_u_teid, "request %d" % i
        req = IP(got[1])
        assert req.src == PEER1 and req[ICMP].type == 8
        # The LAN host answers through its router, the device: up the device's tunnel.
        reply = IP(src=lan_host, dst=PEER1) / ICMP(type=0, id=req[ICMP].id, seq=req[ICMP].seq) / \
            bytes(req[ICMP].payload)
        sgw.send_gpdu(s, bytes(reply))
    out, _ = pinger.communicate(timeout=15)
    assert " 3 received" in out, out
    d = delta(before, vpgd.counters())
    assert d.get("drop.uplink_spoofed_source", 0) == 0
    # A source in the LAN from another device's tunnel is spoofing.
    other = attach(sgw, "001010000000003")
    sgw.send_gpdu(other, echo_request(lan_host, PEER1, 0x7b))
    assert wait_counter(vpgd, "drop.uplink_spoofed_source", d.get("drop.uplink_spoofed_source", 0) + 1)
    assert vpgd.stop() == 0


def wait_counter(vpgd, name, value, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if vpgd.counters().get(name, 0) >= value:
            return True
        time.sleep(0.1)
    return False


def test_modify_bearer_command_is_answered_with_update_bearer(lab, pgw):
    vpgd, sgw, _, _ = pgw
    s = attach(sgw)
    ambr = sg.g.IE_AMBR(AMBR_Uplink=5000, AMBR_Downlink=6000)
    cmd = [ambr, sg.bearer_context(sg.ebi_ie(5), sg.bearer_qos(qci=8))]
    sgw.request(sg.MODIFY_BEARER_CMD, cmd, teid=s.pgw_c_teid, seq=0x800010, expect=False)
    req = sgw.wait_request(sg.UPDATE_BEARER_REQ, timeout=5)
    assert req is not None and req.seq == 0x800010 and req.teid == s.sgw_c_teid
    assert req.ambr == (5000, 6000) and req.bearer.ebi == 5
    sgw.answer(req)
    body = vpgd.api("GET", "/v1/sessions/" + IMSI)[1]
    assert body["qci"] == 8 and body["apnAmbr"] == {"uplinkKbps": 5000, "downlinkKbps": 6000}
    c = vpgd.counters()
    assert c.get("drop.gtpv2c_unexpected_message", 0) == 0
    # Answered: not sent again after T3.
    assert sgw.wait_request(sg.UPDATE_BEARER_REQ, timeout=4) is None
    # For an unknown TEID: a Modify Bearer Failure Indication, Context Not Found.
    r = sgw.request(sg.MODIFY_BEARER_CMD, cmd, teid=0x5a5a5a5a, seq=0x800011)
    assert r.type == sg.MODIFY_BEARER_FAILURE_IND and r.cause == sg.CONTEXT_NOT_FOUND
    assert vpgd.stop() == 0


def test_vpgctl_lists_every_session_across_pages(lab, pgw):
    """1,001 sessions: the API's first page holds 1,000 and names the next in a
    Link header; vpgctl follows it and lists all."""
    vpgd, sgw, _, _ = pgw
    made = sgw.create_many(1001, imsi_base="001010000300000", timeout=60)
    assert sum(1 for s in made if s.cause == sg.ACCEPTED) == 1001
    assert len(vpgd.api("GET", "/v1/sessions")[1]) == 1000
    rc, out, err = vpgd.ctl("--json", "sessions", "list")
    assert rc == 0, err
    listed = {s["imsi"] for s in json.loads(out)}
    assert listed == {s.imsi for s in made}
    assert vpgd.stop() == 0
