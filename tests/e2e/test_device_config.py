"""What every device is told: its DNS servers and link MTU, in the Protocol
Configuration Options (TS 24.008 §10.5.6.3) of the Create PDP Context Response.

Send: Create PDP Context Requests from a scapy GTPv1 SGSN (scapy.contrib.gtp)
whose PCO asks for DNS (an IPCP Configure-Request for the primary and
secondary name servers, the DNS Server IPv4 Address Request 0x000D) and the
IPv4 link MTU (0x0010); an attach by sgsnemu, whose PCO carries PAP only;
PUT /v1/vpg/dns and vpgctl dns; a vpgd restart.
Verify: every container of each response's PCO, read from the datagram and by
tshark on the Gn link (no malformed packet, no expert error); the API's view;
that a stored list outlives a restart and wins over the bootstrap file's;
exact counter deltas and no drop.
"""
import ipaddress
import socket
import struct

from scapy.contrib.gtp import (GTPCreatePDPContextRequest, GTPHeader, IE_AccessPointName,
                               IE_EndUserAddress, IE_GSNAddress, IE_IMSI, IE_NotImplementedTLV,
                               IE_NSAPI, IE_ProtocolConfigurationOptions, IE_SelectionMode,
                               IE_TEICP, IE_TEIDI)

from netlab import GW_GTP, delta, drops, probe
from test_gtp_attach import wait_tun_address
import gtp

GTPC = GW_GTP + ":2123"
DNS_A, DNS_B, DNS_C = "100.64.0.53", "192.0.2.53", "198.51.100.53"
# TS 24.008 §10.5.6.3, Table 10.5.154.
PCO_DNS_V4, PCO_LINK_MTU_V4, PCO_IPCP, PCO_PAP = 0x000D, 0x0010, 0x8021, 0xC023
IPCP_ID = 7
RESPONSES = "gtp.message == 0x11 && ip.src == %s" % GW_GTP


def container(cid, contents=b""):
    return struct.pack("!HB", cid, len(contents)) + contents


def ipcp_dns_request(ident=IPCP_ID):
    """RFC 1877: a Configure-Request for the primary (129) and secondary (131)
    name servers, 0.0.0.0 meaning "tell me"."""
    options = bytes([129, 6, 0, 0, 0, 0, 131, 6, 0, 0, 0, 0])
    return struct.pack("!BBH", 1, ident, 4 + len(options)) + options


def pco(*containers):
    """Octet 3 (ext bit, configuration protocol 0, PPP), then the containers."""
    return b"\x80" + b"".join(containers)


ASK_ALL = pco(container(PCO_IPCP, ipcp_dns_request()), container(PCO_DNS_V4),
              container(PCO_LINK_MTU_V4))


def create_request(sgsn, imsi, pco_value, seq):
    """A Create PDP Context Request as an SGSN sends it, with PCO when given."""
    ies = [IE_IMSI(imsi=imsi), IE_SelectionMode(SelectionMode=1),
           IE_TEIDI(TEIDI=0x1000 + seq), IE_TEICP(TEICI=0x2000 + seq), IE_NSAPI(NSAPI=5),
           IE_EndUserAddress(length=2, PDPTypeNumber=0x21), IE_AccessPointName(APN="internet")]
    if pco_value is not None:
        ies.append(IE_ProtocolConfigurationOptions(length=len(pco_value),
                                                   Protocol_Configuration=pco_value))
    ies += [IE_GSNAddress(length=4, ipv4_address=sgsn.addr),
            IE_GSNAddress(length=4, ipv4_address=sgsn.addr),
            IE_NotImplementedTLV(ietype=135, length=4, data=b"\x01\x0b\x92\x1f")]
    msg = GTPHeader(S=1, seq=seq, gtp_type=16, teid=0) / GTPCreatePDPContextRequest(IE_list=ies)
    return bytes(msg)


def attach(sgsn, imsi, pco_value, seq):
    """(cause, the response's PCO value or None) of one Create PDP Context."""
    replies = probe(sgsn, sgsn.addr + ":0", GTPC, [create_request(sgsn, imsi, pco_value, seq)])
    assert len(replies) == 1
    msg_type, _, rseq, ies = gtp.parse(replies[0][1])
    assert (msg_type, rseq) == (17, seq)
    answer = ies.get(132)
    assert answer is None or len(answer) == 1
    return ies[1][0][0], answer[0] if answer else None


def containers(value):
    """(ID, contents) of each container of a PCO value, in order."""
    assert value[0] == 0x80
    out, i = [], 1
    while i < len(value):
        cid, n = struct.unpack("!HB", value[i:i + 3])
        out.append((cid, value[i + 3:i + 3 + n]))
        i += 3 + n
    assert i == len(value)
    return out


def expected(dns, mtu, ipcp_id=IPCP_ID, ask_ipcp=True, ask_dns=True, ask_mtu=True):
    """The containers a gateway offering dns and mtu answers ASK_ALL with: one
    0x000D per server, an IPCP Configure-Nak (code 3) of the request's
    identifier with options 129 and 131, then 0x0010."""
    addrs = [socket.inet_aton(a) for a in dns]
    out = [(PCO_DNS_V4, a) for a in addrs] if ask_dns else []
    if ask_ipcp and addrs:
        options = b"".join(bytes([opt, 6]) + a for opt, a in zip((129, 131), addrs))
        out.append((PCO_IPCP, struct.pack("!BBH", 3, ipcp_id, 4 + len(options)) + options))
    if ask_mtu and mtu:
        out.append((PCO_LINK_MTU_V4, struct.pack("!H", mtu)))
    return out


def tshark_pco(cap):
    """What tshark reads in each response: cause, the PCO's container IDs, the
    0x000D addresses, the PPP code and IPCP name servers, the link MTU."""
    rows = cap.fields(RESPONSES, "gtp.cause", "gsm_a.gm.sm.pco_pid", "gsm_a.gm.sm.pco.dns.ipv4",
                      "ppp.code", "ppp.identifier", "ipcp.opt.pri_dns_address",
                      "ipcp.opt.sec_dns_address", "gsm_a.gm.sm.pco.ipv4_link_mtu_size")
    return [tuple(r) for r in rows]


def assert_clean_gtp(cap):
    assert cap.problems("gtp && ip.src == %s" % GW_GTP) == ""


def test_device_config_bootstrap_dns_answered_by_ipcp_and_0x000d(lab):
    vpgd = lab.vpgd(lab.config(dns=[DNS_A, DNS_B]))
    cap = lab.capture()
    sgsn = lab.sgsn()
    before = vpgd.counters()
    cause, answer = attach(sgsn, "999010000000001", ASK_ALL, seq=1)
    assert cause == 128
    assert containers(answer) == expected([DNS_A, DNS_B], 1500)
    d = delta(before, vpgd.counters())
    assert d["sessions_created"] == 1 and drops(d) == {}
    # The referee: tshark decodes every container of the response as sent.
    assert tshark_pco(cap) == [("128", "0x000d,0x000d,0x8021,0x0010", "%s,%s" % (DNS_A, DNS_B),
                                "3", "7", DNS_A, DNS_B, "1500")]
    assert_clean_gtp(cap)
    assert vpgd.stop() == 0


def test_device_config_sgsnemu_pap_only_attaches_without_pco(lab):
    # sgsnemu 1.9 sends a PCO of PAP alone and prints nothing of a PCO it
    # gets: asked for no DNS, it is told none, and attaches as before.
    vpgd = lab.vpgd(lab.config(dns=[DNS_A, DNS_B]))
    cap = lab.capture()
    sgsn = lab.sgsn()
    before = vpgd.counters()
    em = lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", "999010000000002",
                     timelimit=30)
    addr = wait_tun_address(sgsn)
    assert ipaddress.ip_address(addr) in ipaddress.ip_network("10.10.0.0/16")
    ping = sgsn.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.10.0.1", check=False)
    assert " 2 received" in ping.stdout, ping.stdout
    lab.sgsnemu_detach(sgsn, em, 1)
    asked = cap.fields("gtp.message == 0x10", "gsm_a.gm.sm.pco_pid")
    assert asked == [["0x%04x" % PCO_PAP]]
    assert tshark_pco(cap) == [("128", "", "", "", "", "", "", "")]
    assert_clean_gtp(cap)
    d = delta(before, vpgd.counters())
    assert d["sessions_created"] == 1 and d["sessions_deleted"] == 1
    # The tun's own IPv6 chatter may be dropped as unserved; GTP-C never is.
    assert [k for k in drops(d) if k.startswith("drop.gtpc")] == []
    assert vpgd.stop() == 0


def test_device_config_put_dns_next_attach_and_after_restart(lab):
    cfg = lab.config(dns=[DNS_A, DNS_B])
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    cap = lab.capture()
    sgsn = lab.sgsn()
    assert containers(attach(sgsn, "999010000000011", ASK_ALL, seq=1)[1]) == \
        expected([DNS_A, DNS_B], 1500)

    assert vpgd.api("PUT", "/v1/vpg/dns", [DNS_C]) == (200, [DNS_C])
    assert vpgd.api("GET", "/v1/vpg")[1]["dns"] == [DNS_C]
    assert vpgd.ctl("dns", "show") == (0, "INDEX  DNS_SERVER\n0      %s\n" % DNS_C, "")
    assert containers(attach(sgsn, "999010000000012", ASK_ALL, seq=2)[1]) == \
        expected([DNS_C], 1500)
    assert vpgd.stop() == 0

    # The same bootstrap file: the list set through the API is the later word.
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert "dns of the bootstrap file not applied" in vpgd.output()
    assert vpgd.api("GET", "/v1/vpg/dns") == (200, [DNS_C])
    assert containers(attach(sgsn, "999010000000013", ASK_ALL, seq=3)[1]) == \
        expected([DNS_C], 1500)
    # No server at all: the MTU is all that is left to tell.
    assert vpgd.ctl("dns", "set") == (0, "INDEX  DNS_SERVER\n", "")
    assert containers(attach(sgsn, "999010000000014", ASK_ALL, seq=4)[1]) == \
        expected([], 1500)
    assert vpgd.stop() == 0

    assert tshark_pco(cap) == [
        ("128", "0x000d,0x000d,0x8021,0x0010", "%s,%s" % (DNS_A, DNS_B), "3", "7", DNS_A, DNS_B,
         "1500"),
        ("128", "0x000d,0x8021,0x0010", DNS_C, "3", "7", DNS_C, "", "1500"),
        ("128", "0x000d,0x8021,0x0010", DNS_C, "3", "7", DNS_C, "", "1500"),
        ("128", "0x0010", "", "", "", "", "", "1500"),
    ]
    assert_clean_gtp(cap)


def test_device_config_link_mtu_request_gets_device_mtu(lab):
    vpgd = lab.vpgd(lab.config(deviceMtu=1400))
    cap = lab.capture()
    sgsn = lab.sgsn()
    before = vpgd.counters()
    cause, answer = attach(sgsn, "999010000000021", pco(container(PCO_LINK_MTU_V4)), seq=1)
    assert cause == 128
    assert containers(answer) == [(PCO_LINK_MTU_V4, struct.pack("!H", 1400))]
    # DNS asked of a gateway that has none to tell: no PCO IE at all.
    ask_dns = pco(container(PCO_IPCP, ipcp_dns_request()), container(PCO_DNS_V4))
    assert attach(sgsn, "999010000000022", ask_dns, seq=2) == (128, None)
    assert vpgd.api("GET", "/v1/vpg")[1]["deviceMtu"] == 1400
    d = delta(before, vpgd.counters())
    assert d["sessions_created"] == 2 and drops(d) == {}
    assert tshark_pco(cap) == [("128", "0x0010", "", "", "", "", "", "1400"),
                               ("128", "", "", "", "", "", "", "")]
    assert_clean_gtp(cap)
    assert vpgd.stop() == 0


def test_device_config_malformed_pco_ignored(lab):
    # 0x000D claims 5 octets where 1 follows: TS 29.060 §11.1.8, as if absent.
    vpgd = lab.vpgd(lab.config(dns=[DNS_A]))
    sgsn = lab.sgsn()
    before = vpgd.counters()
    assert attach(sgsn, "999010000000031", b"\x80\x00\x0d\x05\x00", seq=1) == (128, None)
    # The next device, asking properly, is answered.
    assert containers(attach(sgsn, "999010000000032", ASK_ALL, seq=2)[1]) == \
        expected([DNS_A], 1500)
    d = delta(before, vpgd.counters())
    assert d["sessions_created"] == 2 and drops(d) == {}
    assert vpgd.stop() == 0


def test_device_config_put_dns_refusals_change_nothing(lab):
    vpgd = lab.vpgd(lab.config(dns=[DNS_A, DNS_B]))
    assert vpgd.api("PUT", "/v1/vpg/dns", [DNS_A, DNS_B, DNS_C]) == (400, {
        "code": "invalid_field", "message": "at most 2 DNS servers (3 given)"})
    assert vpgd.api("PUT", "/v1/vpg/dns", [DNS_A, "192.0.2.300"]) == (400, {
        "code": "invalid_field", "field": "[1]",
        "message": "\"[1]\": not an IPv4 address (\"192.0.2.300\")"})
    assert vpgd.api("PUT", "/v1/vpg/dns", ["127.0.0.53"]) == (400, {
        "code": "invalid_field", "field": "[0]",
        "message": "\"[0]\": not a unicast host address (\"127.0.0.53\")"})
    assert vpgd.api("PUT", "/v1/vpg/dns", {"dns": [DNS_C]}) == (400, {
        "code": "invalid_json", "message": "the body must be a JSON array, not an object"})
    # vpgctl refuses in the API's words before sending; the API its own way after.
    rc, out, err = vpgd.ctl("dns", "set", "0.0.0.0")
    assert (rc, out, err) == (1, "", "vpgctl: \"[0]\": not a unicast host address "
                                     "(\"0.0.0.0\")\n")
    rc, out, err = vpgd.ctl("dns", "set", DNS_A, DNS_B, DNS_C)
    assert rc != 0 and out == "" and "at most 2 DNS servers (3 given)" in err
    assert vpgd.api("GET", "/v1/vpg/dns") == (200, [DNS_A, DNS_B])
    assert vpgd.stop() == 0
