"""Broken and hostile GTP input: each a counted drop or a refusal with the
right cause, nothing else moving, and vpgd serving the next valid request.

Send: crafted datagrams from an SGSN namespace (sgsnemu never sends these).
Verify: the exact reply (or silence), the exact counter delta, and a valid
request answered afterwards.
"""
import socket
import struct

from netlab import GW_GTP, delta, drops, probe
import gtp

GTPC = GW_GTP + ":2123"
GTPU = GW_GTP + ":2152"


def still_serving(sgsn):
    replies = probe(sgsn, sgsn.addr + ":0", GTPC, [gtp.echo_request(seq=99)])
    assert [gtp.parse(r)[0] for _, r in replies] == [2]


def send_expect_drop(lab, vpgd, sgsn, dest, payload, drop_name):
    before = vpgd.counters()
    replies = probe(sgsn, sgsn.addr + ":0", dest, [payload], wait=0.7)
    d = delta(before, vpgd.counters())
    assert replies == []
    assert drops(d) == {"drop." + drop_name: 1}
    still_serving(sgsn)


def test_truncated_gtpc_is_dropped_silently(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    send_expect_drop(lab, vpgd, sgsn, GTPC, b"\x32\x01\x00", "gtpc_too_short")
    assert vpgd.stop() == 0


def test_gtpc_length_beyond_datagram_is_dropped(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    # An Echo Request with a Recovery IE, cut by one octet: the header is whole,
    # but its length field promises more than the datagram holds.
    bad = gtp.header(1, b"\x0e\x05")[:-1]
    send_expect_drop(lab, vpgd, sgsn, GTPC, bad, "gtpc_bad_length")
    assert vpgd.stop() == 0


def test_unknown_gtpc_message_type_is_dropped(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    send_expect_drop(lab, vpgd, sgsn, GTPC, gtp.header(99, b""), "gtpc_unknown_type")
    assert vpgd.stop() == 0


def test_gtpv2_gets_version_not_supported(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    v2_echo = bytes([0x40, 1, 0, 4, 0, 0, 5, 0])  # GTPv2-C Echo Request, seq 5
    replies = probe(sgsn, sgsn.addr + ":0", GTPC, [v2_echo])
    assert len(replies) == 1
    flags, msg_type = replies[0][1][0], replies[0][1][1]
    assert flags >> 5 == 1 and msg_type == 3
    assert vpgd.counters()["drop.gtpc_bad_version"] == 1
    still_serving(sgsn)
    assert vpgd.stop() == 0


_seq = [100]


def create(sgsn, **kw):
    """A Create PDP Context Request with a fresh sequence number: a new request,
    not a retransmission of the previous one."""
    _seq[0] += 1
    kw.setdefault("seq", _seq[0])
    req = gtp.create_pdp_request("999010000000077", 0x1111, 0x2222, sgsn.addr, **kw)
    replies = probe(sgsn, sgsn.addr + ":2123", GTPC, [req])
    assert len(replies) == 1
    return gtp.parse(replies[0][1])


def test_missing_mandatory_ie_refused_with_cause_202(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    for ie in (16, 20, 135, 1133):  # TEID Data I, NSAPI, QoS, user-traffic address
        msg_type, teid, _, ies = create(sgsn, omit=(ie,))
        assert msg_type == 17
        assert ies[1] == [bytes([202])], "IE %d" % ie
        assert teid == 0x2222  # the refusal still reaches the SGSN's context
    c = vpgd.counters()
    assert c["gtpc_tx_cause.202"] == 4 and c["sessions_active"] == 0
    msg_type, _, _, ies = create(sgsn)
    assert ies[1] == [bytes([128])]
    assert vpgd.stop() == 0


def test_unknown_apn_refused_with_cause_219(lab):
    vpgd = lab.vpgd(lab.config(apns=["iot.example"]))
    sgsn = lab.sgsn()
    _, _, _, ies = create(sgsn)  # asks for "internet"
    assert ies[1] == [bytes([219])]
    assert vpgd.counters()["sessions_active"] == 0
    assert vpgd.stop() == 0


def attach(sgsn):
    """A context made by hand: returns (our TEID, device address)."""
    msg_type, _, _, ies = create(sgsn)
    assert msg_type == 17 and ies[1] == [bytes([128])]
    teid = struct.unpack("!I", ies[16][0])[0]
    addr = socket.inet_ntoa(ies[128][0][2:6])
    return teid, addr


def test_gpdu_for_unknown_teid_gets_error_indication(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    before = vpgd.counters()
    inner = gtp.icmp_echo("10.10.0.9", "10.10.0.1")
    replies = probe(sgsn, sgsn.addr + ":2152", GTPU, [gtp.gpdu(0xDEADBEEF, inner)])
    d = delta(before, vpgd.counters())
    assert len(replies) == 1
    msg_type, teid, _, ies = gtp.parse(replies[0][1])
    assert (msg_type, teid) == (26, 0)
    assert ies[16] == [struct.pack("!I", 0xDEADBEEF)]
    assert ies[133] == [socket.inet_aton(GW_GTP)]
    assert drops(d) == {"drop.gtpu_unknown_teid": 1}
    assert d["gtpu_error_indications_sent"] == 1
    still_serving(sgsn)
    assert vpgd.stop() == 0


def test_spoofed_inner_source_is_dropped_then_valid_packet_served(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    teid, addr = attach(sgsn)
    before = vpgd.counters()
    spoofed = gtp.gpdu(teid, gtp.icmp_echo("10.10.9.9", "10.10.0.1"))
    assert probe(sgsn, sgsn.addr + ":2152", GTPU, [spoofed], wait=0.7) == []
    assert drops(delta(before, vpgd.counters())) == {"drop.uplink_spoofed_source": 1}

    good = gtp.gpdu(teid, gtp.icmp_echo(addr, "10.10.0.1"), seq=3)
    replies = probe(sgsn, sgsn.addr + ":2152", GTPU, [good])
    assert len(replies) == 1
    reply = replies[0][1]
    assert reply[1] == 255 and struct.unpack("!I", reply[4:8])[0] == 0x1111
    inner = reply[8:]
    assert socket.inet_ntoa(inner[12:16]) == "10.10.0.1"
    assert socket.inet_ntoa(inner[16:20]) == addr
    assert inner[20] == 0  # ICMP echo reply
    assert vpgd.stop() == 0


def test_malformed_extension_chain_is_dropped(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    teid, addr = attach(sgsn)
    inner = gtp.icmp_echo(addr, "10.10.0.1")
    # E flag, next extension type 0xC0 (PDCP PDU number), whose length octet is 0.
    body = struct.pack("!HBB", 0, 0, 0xC0) + b"\x00\x00\x00\x00" + inner
    bad = struct.pack("!BBHI", 0x34, 255, len(body), teid) + body
    send_expect_drop(lab, vpgd, sgsn, GTPU, bad, "gtpu_bad_extension_chain")
    # A well-formed chain with the same extension is accepted.
    body = struct.pack("!HBB", 0, 0, 0xC0) + b"\x01\x00\x07\x00" + inner
    ok = struct.pack("!BBHI", 0x34, 255, len(body), teid) + body
    replies = probe(sgsn, sgsn.addr + ":2152", GTPU, [ok])
    assert len(replies) == 1 and replies[0][1][8 + 20] == 0
    assert vpgd.stop() == 0


def test_gtpu_echo_is_answered(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    echo = struct.pack("!BBHIHBB", 0x32, 1, 4, 0, 42, 0, 0)
    replies = probe(sgsn, sgsn.addr + ":2152", GTPU, [echo])
    assert len(replies) == 1
    msg_type, teid, seq, ies = gtp.parse(replies[0][1])
    assert (msg_type, teid, seq) == (2, 0, 42)
    assert ies[14] == [b"\x00"]
    assert vpgd.counters()["gtpu_echo_requests"] == 1
    assert vpgd.stop() == 0


def test_duplicate_create_replaces_the_context(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    cap = lab.capture()
    old_teid, _ = attach(sgsn)
    new_teid, addr = attach(sgsn)
    assert new_teid != old_teid
    c = vpgd.counters()
    assert (c["sessions_active"], c["sessions_replaced"]) == (1, 1)
    # The old tunnel is gone: its TEID now gets an Error Indication.
    ping = gtp.icmp_echo(addr, "10.10.0.1")
    replies = probe(sgsn, sgsn.addr + ":2152", GTPU, [gtp.gpdu(old_teid, ping)])
    assert [gtp.parse(r)[0] for _, r in replies] == [26]
    replies = probe(sgsn, sgsn.addr + ":2152", GTPU, [gtp.gpdu(new_teid, ping)])
    assert [r[1] for _, r in replies] == [255]
    assert cap.problems("gtp && ip.src == %s" % GW_GTP) == ""
    assert vpgd.stop() == 0


def update_request(teid, new_teid_data, sgsn_addr, nsapi=5, seq=9):
    addr = socket.inet_aton(sgsn_addr)
    body = (gtp.tv(16, struct.pack("!I", new_teid_data)) + gtp.tv(17, struct.pack("!I", 0x3333))
            + gtp.tv(20, bytes([nsapi])) + gtp.tlv(133, addr) + gtp.tlv(133, addr)
            + gtp.tlv(135, b"\x01\x0b\x92\x1f"))
    return gtp.header(18, body, teid=teid, seq=seq)


def test_update_moves_the_tunnel_to_the_new_sgsn_teid(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    cap = lab.capture()
    teid, addr = attach(sgsn)
    replies = probe(sgsn, sgsn.addr + ":2123", GTPC, [update_request(teid, 0x5555, sgsn.addr)])
    msg_type, hdr_teid, seq, ies = gtp.parse(replies[0][1])
    assert (msg_type, hdr_teid, seq) == (19, 0x3333, 9)
    assert ies[1] == [bytes([128])]
    assert vpgd.counters()["sessions_updated"] == 1
    # Downlink now carries the SGSN's new data TEID.
    reply = probe(sgsn, sgsn.addr + ":2152", GTPU, [gtp.gpdu(teid, gtp.icmp_echo(addr, "10.10.0.1"))])
    assert struct.unpack("!I", reply[0][1][4:8])[0] == 0x5555
    # An Update for a context that does not exist is refused as non-existent.
    replies = probe(sgsn, sgsn.addr + ":2123", GTPC, [update_request(0x0BADF00D, 1, sgsn.addr, seq=10)])
    _, hdr_teid, _, ies = gtp.parse(replies[0][1])
    assert (hdr_teid, ies[1]) == (0, [bytes([192])])
    assert cap.problems("gtp && ip.src == %s" % GW_GTP) == ""
    assert vpgd.stop() == 0


def test_refusals_and_error_indication_decode_cleanly_in_tshark(lab):
    vpgd, sgsn = lab.vpgd(lab.config(apns=["iot.example"])), lab.sgsn()
    cap = lab.capture()
    create(sgsn)  # refused, 219
    create(sgsn, omit=(135,))  # refused, 202
    probe(sgsn, sgsn.addr + ":0", GTPC, [bytes([0x40, 1, 0, 4, 0, 0, 5, 0])])  # v2: type 3
    probe(sgsn, sgsn.addr + ":2152", GTPU, [gtp.gpdu(0x42, gtp.icmp_echo("10.10.0.9", "10.10.0.1"))])
    sent = cap.fields("gtp && ip.src == %s" % GW_GTP, "gtp.message", "gtp.cause")
    assert sorted(r[0] for r in sent) == ["0x03", "0x11", "0x11", "0x1a"]
    assert sorted(r[1] for r in sent if r[0] == "0x11") == ["202", "219"]
    assert cap.problems("gtp && ip.src == %s" % GW_GTP) == ""
    assert vpgd.stop() == 0


def test_retransmitted_create_gets_the_same_answer_without_a_second_context(lab):
    """TS 29.060 §7.6: a retransmitted request is answered with the response
    already sent, byte for byte, at once and also after 300 other requests
    from the same SGSN."""
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    req = gtp.create_pdp_request("999010000000077", 0x1111, 0x2222, sgsn.addr, seq=7)
    first = probe(sgsn, sgsn.addr + ":2123", GTPC, [req])
    assert len(first) == 1 and gtp.parse(first[0][1])[3][1] == [bytes([128])]
    assert probe(sgsn, sgsn.addr + ":2123", GTPC, [req]) == first
    others = [gtp.create_pdp_request("9990100001%05d" % i, 0x4000 + i, 0x5000 + i, sgsn.addr,
                                     seq=1000 + i) for i in range(300)]
    answers = []
    for at in range(0, 300, 50):  # in bursts the probe's socket buffer holds
        answers += probe(sgsn, sgsn.addr + ":2123", GTPC, others[at:at + 50])
    assert sorted(gtp.parse(r)[2] for _, r in answers) == list(range(1000, 1300))
    assert all(gtp.parse(r)[3][1] == [bytes([128])] for _, r in answers)
    assert probe(sgsn, sgsn.addr + ":2123", GTPC, [req]) == first
    c = vpgd.counters()
    assert (c["sessions_created"], c["sessions_active"]) == (301, 301)
    assert c["gtpc_retransmissions_answered"] == 2
    assert vpgd.api("GET", "/v1/sessions/999010000000077")[1]["teid"] == struct.unpack("!I", gtp.parse(first[0][1])[3][16][0])[0]
    assert vpgd.stop() == 0


def error_indication(teid, peer_addr):
    """A GTP-U Error Indication (TS 29.281 §7.3.1): TEID Data I, GTP-U Peer Address."""
    body = gtp.tv(16, struct.pack("!I", teid)) + gtp.tlv(133, socket.inet_aton(peer_addr))
    return struct.pack("!BBHI", 0x32, 26, len(body) + 4, 0) + struct.pack("!HBB", 1, 0, 0) + body


def test_error_indication_from_the_sgsn_ends_the_context_it_names(lab):
    vpgd, sgsn = lab.vpgd(), lab.sgsn()
    stranger = lab.sgsn()
    attach(sgsn)  # the SGSN's data TEID is 0x1111
    before = vpgd.counters()
    # The same TEID from another host is not heeded; from the SGSN it is.
    assert probe(stranger, stranger.addr + ":2152", GTPU, [error_indication(0x1111, stranger.addr)]) == []
    assert vpgd.api("GET", "/v1/sessions/999010000000077")[0] == 200
    assert probe(sgsn, sgsn.addr + ":2152", GTPU, [error_indication(0x1111, sgsn.addr)]) == []
    assert vpgd.api("GET", "/v1/sessions/999010000000077")[0] == 404
    d = delta(before, vpgd.counters())
    assert d["sessions_ended_by_error_indication"] == 1 and d["sessions_deleted"] == 1
    assert d["drop.gtpu_error_indication_received"] == 2
    assert vpgd.stop() == 0
