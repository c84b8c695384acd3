"""Trusted control peers: each control protocol (GTPv1-C, GTPv2-C, PFCP)
takes datagrams only from its allowedPeers, by default the subnet of its
listen address.

Send: Create PDP Context from sgsnemu, Create Session from the scapy SGW,
Association Setup from the scapy SMF, each from an address outside the list,
then from one inside it.
Verify: the outsider hears nothing (no datagram from vpgd to it on the wire),
no session or association appears in the API, the protocol's drop counter
equals exactly the number of datagrams the outsider sent (counted by tshark)
and no other drop counter moves; GET /v1/vpg shows each role's list; the
same SGSN attaches once the list names it.
"""
import os
import signal
import time

import pytest

import pfcp_smf as S
import sgw_scapy as sg
from netlab import GTP_NET, GW_GTP, drops
from test_gtp_attach import wait_tun_address

IMSI = "999010000000001"
OFF_SUBNET = "198.18.0.11"  # on no subnet of vpgd's: refused by the default


def write_config(lab, name, **overrides):
    return lab.config(name=name, apns=["internet"], **overrides)


def stats(vpgd):
    status, body = vpgd.api("GET", "/v1/stats")
    assert status == 200, body
    return body


def drop_count(vpgd, reason):
    return stats(vpgd)["drops"][reason]


def nonzero_drops(vpgd):
    return {k: v for k, v in stats(vpgd)["drops"].items() if v}


def roles(vpgd):
    status, body = vpgd.api("GET", "/v1/vpg")
    assert status == 200, body
    return body["roles"]


def wait_until(cond, timeout, step=0.1):
    """Polls cond() until true or timeout; returns its last value (bounded)."""
    deadline = time.time() + timeout
    value = cond()
    while not value and time.time() < deadline:
        time.sleep(step)
        value = cond()
    return value


def sessions(vpgd):
    status, body = vpgd.api("GET", "/v1/sessions")
    assert status == 200, body
    return body


def sent_to_port(cap, src, port):
    """Datagrams from src to vpgd's udp/port on the wire."""
    return len(cap.fields("ip.src == %s && ip.dst == %s && udp.dstport == %d" % (src, GW_GTP, port),
                          "frame.number"))


def from_vpgd_to(cap, dst):
    return cap.fields("ip.src == %s && ip.dst == %s" % (GW_GTP, dst), "frame.number")


def kill_sgsnemu(lab, ns):
    """sgsnemu ignores SIGTERM until attached: SIGKILL the one this test started, by its pidfile."""
    pidfile = os.path.join(lab.workdir, "sgsnemu-%s" % ns.name, "pid")
    assert wait_until(lambda: os.path.exists(pidfile), 5), "sgsnemu wrote no pidfile"
    with open(pidfile) as f:
        os.kill(int(f.read().strip()), signal.SIGKILL)


def refused_sgsnemu(lab, vpgd, sgsn):
    """Runs sgsnemu from sgsn until vpgd has refused it, then stops it;
    returns (datagrams it sent to udp/2123, the capture)."""
    cap = lab.capture("gtpc-%s.pcap" % sgsn.name, "udp port 2123")
    lab.sgsnemu(sgsn, "--imsi", IMSI, timelimit=5, name="sgsnemu-refused-" + sgsn.name)
    assert wait_until(lambda: drop_count(vpgd, "gtpc_peer_not_allowed") >= 1, 15)
    kill_sgsnemu(lab, sgsn)
    sent = sent_to_port(cap, sgsn.addr, 2123)  # stops the capture
    assert sent >= 1
    assert from_vpgd_to(cap, sgsn.addr) == []
    return sent


def test_ggsn_unlisted_sgsn_unanswered_then_listed_attaches(lab):
    outsider, listed = lab.sgsn(), lab.sgsn()
    cfg = write_config(lab, "listed.json",
                       gtp={"listenAddress": GW_GTP, "allowedPeers": [listed.addr + "/32"]})
    vpgd = lab.vpgd(cfg)
    assert roles(vpgd)["ggsn"]["allowedPeers"] == [listed.addr + "/32"]
    assert "GTPv1-C: requests accepted from %s/32" % listed.addr in vpgd.output()

    sent = refused_sgsnemu(lab, vpgd, outsider)
    assert wait_until(lambda: drop_count(vpgd, "gtpc_peer_not_allowed") == sent, 5), \
        (drop_count(vpgd, "gtpc_peer_not_allowed"), sent)
    assert nonzero_drops(vpgd) == {"gtpc_peer_not_allowed": sent}
    assert sessions(vpgd) == []
    assert stats(vpgd)["counters"]["gtpc_rx_messages"] == 0
    assert "dropped a datagram from %s, not an allowed peer" % outsider.addr in vpgd.output()
    assert vpgd.stop() == 0

    # The same SGSN, once the list names it (the file survives the restart).
    cfg = write_config(lab, "both.json", gtp={"listenAddress": GW_GTP,
                                              "allowedPeers": [listed.addr + "/32", outsider.addr + "/32"]})
    vpgd = lab.vpgd(cfg, name="vpgd-listed")
    lab.sgsnemu(outsider, "--createif", "--imsi", IMSI, timelimit=6, name="sgsnemu-listed")
    addr = wait_tun_address(outsider)
    got = sessions(vpgd)
    assert [(s["imsi"], s["ipAddress"]) for s in got] == [(IMSI, addr)]
    assert drop_count(vpgd, "gtpc_peer_not_allowed") == 0


def test_ggsn_default_takes_the_listen_subnet_only(lab):
    vpgd = lab.vpgd(write_config(lab, "default.json"))
    assert roles(vpgd)["ggsn"]["allowedPeers"] == [GTP_NET + ".0/24"]
    # An SGSN with a second address beyond the /24, on the same link.
    sgsn = lab.sgsn()
    sgsn.run("ip", "addr", "add", OFF_SUBNET + "/24", "dev", "eth0")
    lab.gw.run("ip", "route", "add", "198.18.0.0/24", "dev", "br0")
    sgsn.addr = OFF_SUBNET
    sent = refused_sgsnemu(lab, vpgd, sgsn)
    assert wait_until(lambda: drop_count(vpgd, "gtpc_peer_not_allowed") == sent, 5)
    assert nonzero_drops(vpgd) == {"gtpc_peer_not_allowed": sent}
    assert sessions(vpgd) == []
    assert vpgd.stop() == 0


def test_pgw_unlisted_sgw_unanswered_listed_attaches(lab):
    outsider_ns, listed_ns = lab.sgsn(), lab.sgsn()
    # gtp's list lets both in; gtpv2's own list, for the PGW role, only the second.
    cfg = write_config(lab, "pgw.json",
                       gtp={"listenAddress": GW_GTP, "allowedPeers": [GTP_NET + ".0/24"]},
                       gtpv2={"listenAddress": GW_GTP, "allowedPeers": [listed_ns.addr + "/32"]})
    vpgd = lab.vpgd(cfg)
    r = roles(vpgd)
    assert r["pgw"]["allowedPeers"] == [listed_ns.addr + "/32"]
    assert r["ggsn"]["allowedPeers"] == [GTP_NET + ".0/24"]
    cap = lab.capture("gtpv2.pcap", "udp port 2123")
    outsider = lab.add(sg.ScapySgw(outsider_ns.name, outsider_ns.addr, GW_GTP, timeout=1.0, retries=2))
    with pytest.raises(sg.SgwError):
        outsider.create_session("001010000000002")
    assert wait_until(lambda: drop_count(vpgd, "gtpv2c_peer_not_allowed") == 3, 5)
    assert sessions(vpgd) == []

    listed = lab.add(sg.ScapySgw(listed_ns.name, listed_ns.addr, GW_GTP))
    s = listed.create_session("001010000000003")
    assert s.cause == sg.ACCEPTED, s
    assert [x["imsi"] for x in sessions(vpgd)] == ["001010000000003"]
    assert sent_to_port(cap, outsider_ns.addr, 2123) == 3
    assert from_vpgd_to(cap, outsider_ns.addr) == []
    assert nonzero_drops(vpgd) == {"gtpv2c_peer_not_allowed": 3}
    assert vpgd.stop() == 0


def test_upf_unlisted_smf_gets_no_association_listed_one_does(lab):
    outsider_ns, listed_ns = lab.sgsn(), lab.sgsn()
    cfg = write_config(lab, "upf.json", ggsn={"enabled": False},
                       pfcp={"listenAddress": GW_GTP, "allowedPeers": [listed_ns.addr + "/32"]})
    vpgd = lab.vpgd(cfg)
    assert roles(vpgd)["upf"]["allowedPeers"] == [listed_ns.addr + "/32"]
    cap = lab.capture("pfcp.pcap", "udp port 8805")
    outsider = lab.add(S.PfcpSmf(outsider_ns.addr, GW_GTP, netns=outsider_ns.name, timeout=1.0, retries=2))
    with pytest.raises(S.PfcpError):
        outsider.associate()
    assert wait_until(lambda: drop_count(vpgd, "pfcp_peer_not_allowed") == 3, 5)
    status, assoc = vpgd.api("GET", "/v1/pfcp/associations")
    assert (status, assoc) == (200, [])

    listed = lab.add(S.PfcpSmf(listed_ns.addr, GW_GTP, netns=listed_ns.name))
    a = listed.associate()
    assert (a.type, a.cause) == (S.ASSOC_SETUP_RSP, S.ACCEPTED)
    status, assoc = vpgd.api("GET", "/v1/pfcp/associations")
    assert status == 200 and [x["nodeId"] for x in assoc] == [listed_ns.addr]
    assert sent_to_port(cap, outsider_ns.addr, 8805) == 3
    assert from_vpgd_to(cap, outsider_ns.addr) == []
    assert nonzero_drops(vpgd) == {"pfcp_peer_not_allowed": 3}
    assert vpgd.stop() == 0
