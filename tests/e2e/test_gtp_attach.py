"""Devices attach through vpgd with the real SGSN emulator, sgsnemu.

Send: Create/Delete PDP Context from sgsnemu, ICMP through the tunnel.
Verify: addresses handed out from the device subnet, traffic through the
gateway, counters, and that tshark reads every GTP message vpgd sent.
"""
import ipaddress
import os
import re
import signal
import time

from netlab import GW_GTP, delta, drops, probe
import gtp

IMSI = "999010000000001"


def wait_tun_address(ns, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        out = ns.run("ip", "-4", "-o", "addr", "show", "dev", "tun0", check=False).stdout
        m = re.search(r"inet (\d+\.\d+\.\d+\.\d+)", out)
        if m:
            return m.group(1)
        time.sleep(0.1)
    raise AssertionError("sgsnemu got no address")


def create_responses(cap):
    """(cause, device address) of every Create PDP Context Response vpgd sent."""
    rows = cap.fields("gtp.message == 0x11 && ip.src == %s" % GW_GTP, "gtp.cause", "gtp.user_ipv4")
    return [(int(c), a) for c, a in rows]


def assert_clean_gtp(cap):
    assert cap.problems("gtp && ip.src == %s" % GW_GTP) == ""


def test_attach_createif_gets_address_and_pings_gateway(lab):
    vpgd = lab.vpgd()
    cap = lab.capture()
    sgsn = lab.sgsn()
    before = vpgd.counters()
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=6)
    addr = wait_tun_address(sgsn)
    net = ipaddress.ip_network("10.10.0.0/16")
    assert ipaddress.ip_address(addr) in net
    assert addr not in ("10.10.0.0", "10.10.0.1", "10.10.255.255")

    ping = sgsn.run("ping", "-c", "5", "-i", "0.2", "-W", "2", "10.10.0.1", check=False)
    assert " 5 received" in ping.stdout, ping.stdout

    d = delta(before, vpgd.counters())
    assert d["sessions_created"] == 1
    assert d["gateway_icmp_echo_replies"] == 5
    assert d["uplink_packets"] == 5 and d["downlink_packets"] == 5
    assert drops(d) == {}
    assert create_responses(cap) == [(128, addr)]
    # The replies went down the tunnel with the SGSN's data TEID, from the gateway's address.
    sgsn_teid = cap.fields("gtp.message == 0x10", "gtp.teid_data")[0][0]
    down = cap.fields("gtp.message == 0xff && icmp.type == 0", "ip.src", "ip.dst", "gtp.teid")
    assert len(down) == 5
    for src, dst, teid in down:
        assert src.split(",") == [GW_GTP, "10.10.0.1"]
        assert dst.split(",") == [sgsn.addr, addr]
        assert int(teid, 16) == int(sgsn_teid, 16)
    assert_clean_gtp(cap)
    assert vpgd.stop() == 0


def test_hundred_contexts_get_distinct_addresses_returned_on_delete(lab):
    # A /25 holds 125 assignable addresses: a second round of 100 fits only
    # if the first round's addresses came back on Delete.
    vpgd = lab.vpgd(lab.config(deviceSubnetCidrRange="10.10.0.0/25"))
    cap = lab.capture()
    sgsn = lab.sgsn()
    for round_ in range(2):
        em = lab.sgsnemu(sgsn, "--contexts", "100", "--imsi", IMSI, timelimit=30,
                         name="sgsnemu-round%d" % round_)
        lab.sgsnemu_detach(sgsn, em, 100)
        c = vpgd.counters()
        assert c["sessions_active"] == 0, "contexts left after sgsnemu's Delete"
    responses = create_responses(cap)
    assert len(responses) == 200
    assert all(cause == 128 for cause, _ in responses)
    net = ipaddress.ip_network("10.10.0.0/25")
    for first in (responses[:100], responses[100:]):
        addrs = [a for _, a in first]
        assert len(set(addrs)) == 100
        for a in addrs:
            assert ipaddress.ip_address(a) in net
            assert a not in ("10.10.0.0", "10.10.0.1", "10.10.0.127")
    c = vpgd.counters()
    assert c["sessions_created"] == 200 and c["sessions_deleted"] == 200
    assert_clean_gtp(cap)
    assert vpgd.stop() == 0


def test_pool_exhausted_refuses_with_all_addresses_occupied(lab):
    # /28: 16 addresses minus network, broadcast and gateway = 13.
    vpgd = lab.vpgd(lab.config(deviceSubnetCidrRange="10.10.0.0/28"))
    cap = lab.capture()
    sgsn = lab.sgsn()
    em = lab.sgsnemu(sgsn, "--contexts", "16", "--imsi", IMSI, timelimit=3)
    em.p.wait(40)
    causes = sorted(c for c, _ in create_responses(cap))
    assert causes == [128] * 13 + [211] * 3
    assert vpgd.counters()["gtpc_tx_cause.211"] == 3
    assert vpgd.stop() == 0


def test_static_map_gives_its_imsi_the_mapped_address(lab):
    cfg = lab.config(ipAddressMap=[{"key": IMSI, "ipAddress": "10.10.0.50"}])
    vpgd = lab.vpgd(cfg)
    mapped, other = lab.sgsn(), lab.sgsn()
    lab.sgsnemu(mapped, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=5)
    lab.sgsnemu(other, "--createif", "--defaultroute", "--imsi", "999010000000002", timelimit=5)
    assert wait_tun_address(mapped) == "10.10.0.50"
    assert wait_tun_address(other) not in ("10.10.0.50", "10.10.0.1")
    ping = mapped.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.10.0.1", check=False)
    assert " 2 received" in ping.stdout
    assert vpgd.stop() == 0


def echo_recovery(sgsn):
    replies = probe(sgsn, sgsn.addr + ":0", GW_GTP + ":2123", [gtp.echo_request(seq=7)])
    assert len(replies) == 1
    msg_type, _, seq, ies = gtp.parse(replies[0][1])
    assert (msg_type, seq) == (2, 7)
    return ies[14][0][0]


def test_restart_increments_recovery_counter(lab):
    sgsn = lab.sgsn()
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    first = echo_recovery(sgsn)
    assert vpgd.stop() == 0
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert echo_recovery(sgsn) == (first + 1) % 256
    assert vpgd.stop() == 0


def wait_session(vpgd, imsi, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if vpgd.api("GET", "/v1/sessions/" + imsi)[0] == 200:
            return
        time.sleep(0.1)
    raise AssertionError("no session of %s" % imsi)


def test_restarted_sgsn_loses_the_contexts_it_forgot(lab):
    """sgsnemu keeps its restart counter in its state directory and counts it
    up at each start: killed without a word and started again, it is an
    SGSN that restarted, and its new Recovery ends the contexts it forgot."""
    vpgd = lab.vpgd()
    sgsn = lab.sgsn()
    lab.sgsnemu(sgsn, "--imsi", IMSI, timelimit=40, name="sgsnemu-1")
    wait_session(vpgd, IMSI)
    pidfile = os.path.join(lab.workdir, "sgsnemu-%s" % sgsn.name, "pid")
    os.kill(int(open(pidfile).read()), signal.SIGKILL)
    before = vpgd.counters()
    lab.sgsnemu(sgsn, "--imsi", "999010000000002", timelimit=10, name="sgsnemu-2")
    wait_session(vpgd, "999010000000002")
    assert vpgd.api("GET", "/v1/sessions/" + IMSI)[0] == 404
    d = delta(before, vpgd.counters())
    assert d["ggsn_peer_restarts"] == 1 and d["ggsn_sessions_purged"] == 1
    assert d["sessions_created"] == 1 and d["sessions_deleted"] == 1
    assert vpgd.stop() == 0


def wait_stats(vpgd, name, value, timeout):
    """Waits until /v1/stats shows counter name at value; returns the stats."""
    deadline = time.time() + timeout
    while True:
        stats = vpgd.api("GET", "/v1/stats")[1]
        if stats["counters"].get(name) == value or time.time() >= deadline:
            return stats
        time.sleep(0.1)


def test_silent_sgsn_loses_its_contexts_after_n3_unanswered_echoes(lab):
    """TS 29.060 §7.2.1 and TS 23.007 §20: an SGSN that holds contexts is
    echoed every echoInterval (here 4 s: the spec's least is 60, and vpgd
    takes less with a warning, as for a lab); when its path goes silent, the
    Echo Request and its N3 (3) retransmissions, T3 (3 s) apart, go
    unanswered, and its contexts are removed."""
    vpgd = lab.vpgd(lab.config(gtp={"listenAddress": GW_GTP, "echoInterval": 4}))
    assert vpgd.wait_for(r"gtp.echoInterval 4 s: peers are echoed more often than the 60 s")
    sgsn = lab.sgsn()
    cap = lab.capture(bpf="udp port 2123")
    lab.sgsnemu(sgsn, "--imsi", IMSI, timelimit=150)
    wait_session(vpgd, IMSI)
    # The SGSN's host drops vpgd's GTP-C from now on, before the first Echo
    # (4 s after the attach): sgsnemu runs on, unreachable.
    sgsn.run("nft", "add table inet silent ; "
             "add chain inet silent in { type filter hook input priority 0 ; } ; "
             "add rule inet silent in udp dport 2123 counter drop")
    before = vpgd.api("GET", "/v1/stats")[1]["counters"]
    # The first Echo leaves within 4 s of the attach, the last retransmission
    # 9 s later, and the path is given up 3 s after that.
    stats = wait_stats(vpgd, "ggsn_path_failures", before["ggsn_path_failures"] + 1, timeout=40)
    after = stats["counters"]
    assert after["ggsn_path_failures"] - before["ggsn_path_failures"] == 1
    assert after["ggsn_sessions_purged"] - before["ggsn_sessions_purged"] == 1
    assert after["sessions_deleted"] - before["sessions_deleted"] == 1
    assert stats["sessions"] == 0
    assert vpgd.api("GET", "/v1/sessions")[1] == []
    assert vpgd.api("GET", "/v1/sessions/" + IMSI)[0] == 404
    assert vpgd.wait_for(r"sgsn %s does not answer Echo: path down, 1 sessions removed" % sgsn.addr)
    assert vpgd.stop() == 0
    # On the wire: one Echo Request and its 3 retransmissions, the same sequence number.
    cap.stop()
    echoes = cap.fields("gtp.message == 0x01 && ip.src == %s" % GW_GTP, "gtp.seq_number", "ip.dst")
    assert len(echoes) == 4 and len(set(map(tuple, echoes))) == 1 and echoes[0][1] == sgsn.addr
    assert "udp dport 2123 counter packets 4 " in sgsn.run("nft", "list", "table", "inet", "silent").stdout


def test_device_to_device_forwarded_through_gateway(lab):
    vpgd = lab.vpgd()
    cap = lab.capture()
    a, b = lab.sgsn(), lab.sgsn()
    lab.sgsnemu(a, "--createif", "--defaultroute", "--imsi", "999010000000011", timelimit=6)
    lab.sgsnemu(b, "--createif", "--defaultroute", "--imsi", "999010000000012", timelimit=6)
    addr_a, addr_b = wait_tun_address(a), wait_tun_address(b)
    before = vpgd.counters()
    ping = a.run("ping", "-c", "4", "-i", "0.2", "-W", "2", addr_b, check=False)
    assert " 4 received" in ping.stdout, ping.stdout
    d = delta(before, vpgd.counters())
    # Four requests A->B and four replies B->A, each forwarded once.
    assert d["device_to_device_packets"] == 8
    assert drops(d) == {}
    # On the wire the inner addresses are the devices' own, in both directions.
    inner = cap.fields("gtp.message == 0xff && icmp", "ip.src", "ip.dst", "icmp.type")
    pairs = {(r[0].split(",")[-1], r[1].split(",")[-1], r[2]) for r in inner}
    assert (addr_a, addr_b, "8") in pairs and (addr_b, addr_a, "0") in pairs
    assert_clean_gtp(cap)
    assert vpgd.stop() == 0
