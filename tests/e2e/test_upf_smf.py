"""vpgd's UPF role driven by the real open5gs SMF over PFCP (o5-peer).

The SMF acts as GGSN-C (Gn, sgsnemu devices) or PGW-C (S5, a scapy SGW) and
drives vpgd, run by o5-peer as its user plane in netns o5-upf, over N4.
Devices then reach an application server through a kernel-vxlan gate peer
(Junction Redirection) or a server through routed egress, with their own
addresses end to end; sessions come and go with attach, detach and an SMF
restart; heartbeats flow both ways.

Every test also verifies, at its end: the SMF is alive, its log shows no PFCP
trouble, tshark finds nothing malformed and no expert warning in the PFCP vpgd
sent, and the sanitizer build reported nothing.
"""
import collections
import os
import re
import signal
import time

import pytest

import upf_lab as U
from netlab import VPGD
from o5 import IMSI, MSISDN, SGSN_ADDR, SMF_N4, UE_GW, UPF_GTPU, UPF_N4, O5Peer, namespaces_in_use, \
    read, skip_unless_peers

TUN = "o5tun0"
NTP_OFFSET = 2208988800  # seconds from 1900 (PFCP time stamps) to 1970


# ---------------------------------------------------------------- fixtures
def _need_peers():
    skip_unless_peers()
    assert os.path.exists(VPGD), "build vpgd first (make SAN=1)"


@pytest.fixture(scope="class")
def gn(tmp_path_factory):
    """One Gn runner shared by the tests that need nothing but a plain Gn
    attach (plus the gate's underlay bridge): vpgd with the gate configured,
    redirection and gate peers set per test and removed after it."""
    _need_peers()
    workdir = str(tmp_path_factory.mktemp("upf-gn"))
    cfg = U.vpgd_config(workdir, gate=True)
    o5 = O5Peer(mode="none", hold=0, upf_cmd=U.upf_cmd(cfg, bridge=True), run_dir=os.path.join(workdir, "o5"))
    o5.start()
    try:
        yield o5
    finally:
        o5.stop()
        assert namespaces_in_use() == [], "o5 namespaces left behind"
    # Only now is the runner's N4 capture complete, and only at vpgd's exit
    # does LeakSanitizer speak: a finding here errors the class's last test.
    assert U.pfcp_problems(o5.path("n4.pcap")) == ""
    assert U.sanitizer_reports(o5) == [], read(o5.path("upf-custom.log"))[-4000:]
    c = U.exit_counters(o5)
    assert (c["pfcp_associations_setup"], c["pfcp_retransmissions_answered"]) == (1, 0), c


@pytest.fixture
def hosts(tmp_path):
    """Namespaces a test links into o5-upf; removed in reverse order, also on failure."""
    h = U.UpfHosts(str(tmp_path))
    try:
        yield h
    finally:
        h.close()
        assert h.left() == [], "namespaces left behind"


@pytest.fixture
def n4(gn, tmp_path):
    """The PFCP of one test on the shared runner, captured on the user plane's
    N4 leg (the runner's n4.pcap is complete only once the runner stops)."""
    cap = U.UpfNsCapture("o5n4-u", str(tmp_path / "n4-test.pcap"), "udp port 8805")
    try:
        yield cap
    finally:
        cap.stop()


@pytest.fixture
def clean_gn(gn):
    """Leaves the shared vpgd as it was: no redirection, no peer, gate closed,
    and no session (a failed test may leave its device attached in the SMF)."""
    yield gn
    U.api("DELETE", "/v1/junction/redirection")
    U.api("DELETE", "/v1/gate/peers/" + U.PEER_OUTER)
    U.api("POST", "/v1/gate/close", {})
    for dev in gn.devices:
        if dev.p.poll() is None:
            try:
                U.sgsnemu_detach(gn, dev, os.path.basename(dev.log_path)[:-4])
            except Exception:
                dev.close()
    gn.devices = []


# ---------------------------------------------------------------- helpers
def attach(o5, contexts=1, name="sgsnemu", timelimit=120):
    """sgsnemu devices with a tun in o5-sgsn: every context's address on it and
    the device subnet routed into it (REPORT.md §9); they detach on SIGTERM.
    The SMF refuses a Create PDP Context until its Gx peer is connected, which
    may come after the association the runner's readiness waits for."""
    o5.wait_smf_log(r"CONNECTED TO 'pcrf\.localdomain'", timeout=15)
    dev = o5.sgsnemu("--createif", "--tun-device", TUN, contexts=contexts, timelimit=timelimit, name=name)
    addrs = dev.addresses(contexts)
    dev.tun_up(addrs, dev=TUN)
    return dev, addrs


def route_via_tun(*prefixes):
    for p in prefixes:
        U.sh("ip", "netns", "exec", "o5-sgsn", "ip", "route", "replace", p, "dev", TUN)


def delta(before, after):
    return {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)}


def pfcp_delta(before, after):
    """Changes of the PFCP message counters by direction and type name."""
    out = {}
    for way in ("rx", "tx"):
        b, a = before["pfcp"][way], after["pfcp"][way]
        for k in a:
            if a[k] != b.get(k, 0):
                out["%s.%s" % (way, k)] = a[k] - b.get(k, 0)
    return out


def only(d, *prefixes):
    return {k: v for k, v in d.items() if k.startswith(prefixes)}


def session_counters(d):
    return only(d, "pfcp_sessions_", "pfcp_cp_", "pfcp_associations_", "sessions_")


def check_session(s, addr, imsi=IMSI):
    """A UPF session as the SMF's Gn establishment makes it (REPORT.md §4):
    4 PDRs, 3 FARs, 1 QER, no URR; downlink to sgsnemu's TEID 1 at 172.31.1.1."""
    assert s["role"] == "upf"
    assert s["imsi"] == imsi
    assert s["ipAddress"] == addr
    assert s["cpNodeAddress"] == SMF_N4
    assert re.fullmatch(r"0x[0-9a-f]{16}", s["seid"]) and int(s["seid"], 16) != 0, s["seid"]
    assert re.fullmatch(r"0x[0-9a-f]{16}", s["cpSeid"]) and int(s["cpSeid"], 16) != 0, s["cpSeid"]
    assert s["downlinkAddress"] == SGSN_ADDR
    assert s["downlinkTeid"] == 1  # sgsnemu's TEID Data I for its first context
    rules = s["rules"]
    assert (len(rules["pdrs"]), len(rules["fars"]), len(rules["qers"]), len(rules["urrs"])) == (4, 3, 1, 0)
    pdrs = {p["pdrId"]: p for p in rules["pdrs"]}
    assert sorted(pdrs) == [1, 2, 3, 4]
    assert (pdrs[1]["sourceInterface"], pdrs[1]["farId"], pdrs[1]["ueIpAddress"]) == ("CORE", 1, addr)
    assert (pdrs[2]["sourceInterface"], pdrs[2]["farId"], pdrs[2]["ueIpAddress"]) == ("ACCESS", 2, addr)
    assert (pdrs[3]["sourceInterface"], pdrs[3]["farId"]) == ("CP_FUNCTION", 1)
    assert (pdrs[4]["sourceInterface"], pdrs[4]["farId"], pdrs[4]["sdfFilters"]) == ("ACCESS", 3, 1)
    # PDRs 2 and 4 share CHOOSE ID 5, hence one TEID: the session's uplink TEID.
    assert pdrs[2]["teid"] == pdrs[4]["teid"] == s["teid"] != pdrs[3]["teid"]
    fars = {f["farId"]: f for f in rules["fars"]}
    assert fars[1]["applyAction"] == ["FORW"] and fars[1]["destinationInterface"] == "ACCESS"
    assert fars[1]["outerHeaderCreation"] == {"teid": 1, "ipAddress": SGSN_ADDR}
    assert fars[2]["applyAction"] == ["FORW"] and fars[2]["destinationInterface"] == "CORE"
    assert "outerHeaderCreation" not in fars[2]
    assert fars[3]["applyAction"] == ["FORW"] and fars[3]["destinationInterface"] == "CP_FUNCTION"
    # FAR 3 to the SMF's own GTP-U endpoint, with a TEID the SMF picks per session.
    assert fars[3]["outerHeaderCreation"]["ipAddress"] == SMF_N4
    assert fars[3]["outerHeaderCreation"]["teid"] != 0
    q = rules["qers"][0]
    assert (q["qerId"], q["gateUplink"], q["gateDownlink"]) == (1, "OPEN", "OPEN")


def check_peers_clean(o5, pcaps, alive=True):
    """Verify the end-of-test conditions every test shares (alive=False: the
    runner has stopped, and the test checked the SMF alive before that)."""
    if alive:
        assert o5.smf_alive(), o5.smf_log()[-3000:]
    assert o5.pfcp_errors() == []
    for pcap in pcaps:
        assert U.pfcp_from_upf(pcap) != [], "vpgd sent no PFCP in " + pcap
        assert U.pfcp_problems(pcap) == "", pcap
    assert U.sanitizer_reports(o5) == [], read(o5.path("upf-custom.log"))[-4000:]


def quiet_drops(before, after):
    """Drop counters that moved, without the IPv6 router and neighbour
    solicitations kernel vxlan peers keep sending (not served, counted)."""
    d = delta(before["drops"], after["drops"])
    d.pop("gate_unsupported_ethertype", None)
    return d


def wait_no_sessions(timeout=10):
    return U.wait_until(lambda: U.sessions() == [], timeout)


class TestGnSharedRunner:
    """The Gn tests that share one runner (fixture gn, torn down after the
    class, before the tests below start runners of their own)."""

    # ---------------------------------------------------------------- 1. redirection
    def test_upf_smf_gn_redirection_device_and_app_keep_their_addresses(self, clean_gn, hosts, n4):
        """Send: a Gn attach through the SMF (vpgd the UPF), then 3 pings from the
        device to an application server behind a kernel-vxlan gate peer with
        Junction Redirection on, and 3 pings from the server to the device.
        Verify: every echo answered; on the server's link exactly the 12 ICMP
        packets, with the device's own address (10.45.x.y) as source and
        destination; the UPF session in GET /v1/sessions with the SMF's rules;
        redirection carried exactly the device's 6 packets."""
        skip_unless_peers()
        o5 = clean_gn
        peer = hosts.gate_peer()
        app = hosts.app_server(peer)
        assert U.api("POST", "/v1/gate/open", {"vxlanId": 10})[0] == 200
        status, body = U.api("POST", "/v1/gate/peers",
                             {"outerIpAddress": U.PEER_OUTER, "innerIpAddress": U.PEER_INNER})
        assert status == 201, body
        status, body = U.api("PUT", "/v1/junction/redirection", {"gateway": U.PEER_INNER, "enabled": True})
        assert status == 200, body
        before = U.get("/v1/stats")
        dev, (addr,) = attach(o5)
        assert addr.startswith("10.45.") and addr != UE_GW
        route_via_tun(U.LAN)

        sessions = U.sessions()
        assert len(sessions) == 1, sessions
        check_session(sessions[0], addr)
        assert sessions[0]["msisdn"] == MSISDN and sessions[0]["apn"] == "internet"

        teid = sessions[0]["teid"]
        gate_mac = U.get("/v1/gate")["macAddress"]
        peer_mac = peer.run("cat", "/sys/class/net/vxlan0/address").stdout.strip()
        on_app = hosts.capture(app, "eth0", "app.pcap", "icmp")
        on_gtpu = hosts.add(U.UpfNsCapture("o5gnu-u", hosts.workdir + "/gnu.pcap", "udp port 2152"))
        on_underlay = hosts.add(U.UpfNsCapture("br1", hosts.workdir + "/underlay.pcap", "udp port 4789"))
        assert U.ping("o5-sgsn", U.APP, 3, src=addr) == 3
        assert U.ping(app.name, addr, 3) == 3
        rows = on_app.fields("icmp", "ip.src", "ip.dst", "icmp.type", "icmp.code")
        assert collections.Counter(tuple(r) for r in rows) == {
            (addr, U.APP, "8", "0"): 3, (U.APP, addr, "0", "0"): 3,   # the device's pings
            (U.APP, addr, "8", "0"): 3, (addr, U.APP, "0", "0"): 3,   # the server's pings
        }
        # Gn-U: uplink to the TEID vpgd chose for PDR 2, downlink to sgsnemu's TEID 1.
        rows = on_gtpu.fields("gtp && icmp", "ip.src", "ip.dst", "gtp.message", "gtp.teid", "icmp.type")
        up = (SGSN_ADDR + "," + addr, UPF_GTPU + "," + U.APP)
        down = (UPF_GTPU + "," + U.APP, SGSN_ADDR + "," + addr)
        assert collections.Counter(tuple(r) for r in rows) == {
            up + ("0xff", "0x%08x" % teid, "8"): 3, down + ("0xff", "0x00000001", "0"): 3,
            down + ("0xff", "0x00000001", "8"): 3, up + ("0xff", "0x%08x" % teid, "0"): 3,
        }
        # The underlay: VNI 10; vpgd's frames go from the gate's MAC to the
        # redirection gateway's; inner addresses untouched.
        rows = on_underlay.fields("vxlan && icmp", "ip.src", "ip.dst", "vxlan.vni", "eth.src", "eth.dst",
                                  "icmp.type")
        out = (U.GATE_ADDR + "," + addr, U.PEER_OUTER + "," + U.APP, "10", gate_mac, peer_mac)
        back = (U.PEER_OUTER + "," + U.APP, U.GATE_ADDR + "," + addr, "10", peer_mac, gate_mac)
        inner = lambda r: (r[0], r[1], r[2], r[3].split(",")[-1], r[4].split(",")[-1], r[5])
        assert collections.Counter(inner(r) for r in rows) == {
            out + ("8",): 3, back + ("0",): 3, back + ("8",): 3, out + ("0",): 3}
        after = U.get("/v1/stats")
        d = delta(before["counters"], after["counters"])
        assert d.get("redirected_packets", 0) == 6, d
        assert d.get("egress_tx_packets", 0) == 0, d
        assert session_counters(d) == {"pfcp_sessions_established": 1, "sessions_created": 1}, d
        assert quiet_drops(before, after) == {}

        assert U.sgsnemu_detach(o5, dev) == 1
        assert wait_no_sessions() == True
        check_peers_clean(o5, [n4.stop()])

    # ---------------------------------------------------------------- 3. fifty devices
    def test_upf_smf_gn_fifty_devices_attach_ping_and_detach(self, clean_gn, n4):
        """Send: one sgsnemu attaching 50 PDP contexts through the SMF at once;
        one ping from each device to the gateway address 10.45.0.1; then the
        detach of all 50.
        Verify: 50 UPF sessions with 50 distinct addresses (those sgsnemu got) and
        50 distinct IMSIs; 50 of 50 pings answered; after the detach no session,
        and exactly 50 establishments and 50 deletions counted."""
        skip_unless_peers()
        o5 = clean_gn
        stats = U.get("/v1/stats")
        before = stats["counters"]
        dev, addrs = attach(o5, contexts=50)
        assert len(set(addrs)) == 50
        sessions = U.wait_until(lambda: (lambda s: s if len(s) == 50 else None)(U.sessions()), 10)
        assert sessions, U.sessions()
        assert {s["ipAddress"] for s in sessions} == set(addrs)
        assert len({s["imsi"] for s in sessions}) == 50
        assert len({s["teid"] for s in sessions}) == 50 and len({s["seid"] for s in sessions}) == 50
        assert {s["role"] for s in sessions} == {"upf"} and {s["cpNodeAddress"] for s in sessions} == {SMF_N4}
        assert {(len(s["rules"]["pdrs"]), len(s["rules"]["fars"]), len(s["rules"]["qers"])) for s in sessions} \
            == {(4, 3, 1)}
        assert [a for a in addrs if U.ping("o5-sgsn", UE_GW, 1, src=a) != 1] == []
        assert U.associations()[0]["sessionCount"] == 50
        assert U.sgsnemu_detach(o5, dev, timeout=30) == 50
        assert wait_no_sessions(15) == True
        after = U.get("/v1/stats")
        assert quiet_drops(stats, after) == {}
        d = delta(before, after["counters"])
        assert session_counters(d) == {"pfcp_sessions_established": 50, "pfcp_sessions_deleted": 50,
                                       "sessions_created": 50, "sessions_deleted": 50}, d
        assert U.associations()[0]["sessionCount"] == 0
        check_peers_clean(o5, [n4.stop()])

    # ---------------------------------------------------------------- 5. detach
    def test_upf_smf_gn_detach_removes_the_session(self, clean_gn, n4):
        """Send: a Gn attach through the SMF, then sgsnemu's Delete PDP Context.
        Verify: the session is in GET /v1/sessions while attached and gone after
        the detach (waited for); exactly one Session Deletion Request received
        and answered with cause 1; the association counts no session."""
        skip_unless_peers()
        o5 = clean_gn
        before = U.get("/v1/stats")
        dev, (addr,) = attach(o5)
        sessions = U.sessions()
        assert [s["ipAddress"] for s in sessions] == [addr]
        check_session(sessions[0], addr)
        assert U.get("/v1/sessions/" + IMSI) == sessions[0]
        assert U.associations()[0]["sessionCount"] == 1
        assert U.sgsnemu_detach(o5, dev) == 1
        assert wait_no_sessions() == True
        after = U.get("/v1/stats")
        assert session_counters(delta(before["counters"], after["counters"])) == {
            "pfcp_sessions_established": 1, "pfcp_sessions_deleted": 1,
            "sessions_created": 1, "sessions_deleted": 1}
        pd = pfcp_delta(before, after)
        assert only(pd, "rx.session", "tx.session") == {
            "rx.session_establishment_request": 1, "tx.session_establishment_response": 1,
            "rx.session_deletion_request": 1, "tx.session_deletion_response": 1}, pd
        assert list(after["pfcp"]["txCause"]) == ["1"], after["pfcp"]  # every response: Request accepted
        assert quiet_drops(before, after) == {}
        assert U.associations()[0]["sessionCount"] == 0
        assert U.api("GET", "/v1/sessions/" + IMSI)[0] == 404
        o5.wait_smf_log(r"Removed Session: UE IMSI:\[%s\]" % IMSI, timeout=5)
        check_peers_clean(o5, [n4.stop()])

    # ---------------------------------------------------------------- 7. heartbeats
    def test_upf_smf_heartbeats_both_ways(self, gn, n4):
        """Send: nothing but the association with the SMF; wait (bounded, on the
        condition) until each side has sent another Heartbeat Request since the
        test began (each side sends one every 10-11 s).
        Verify: GET /v1/pfcp/associations shows the SMF (node 172.31.3.1) with
        heartbeatsReceived >= 1, heartbeatsSent >= 1, both grown, none
        unanswered; the SMF logs no "No Heartbeat"; on N4 vpgd sent Heartbeat
        Requests and Responses in the test's window, well formed; GTPv1-C is
        off (no udp/2123 socket)."""
        skip_unless_peers()
        o5 = gn
        (a0,) = U.associations()

        def beating():
            a = U.associations()
            return a if (len(a) == 1 and a[0]["heartbeatsReceived"] > a0["heartbeatsReceived"]
                         and a[0]["heartbeatsSent"] > a0["heartbeatsSent"]) else None
        got = U.wait_until(beating, 25, step=0.5)
        assert got, (a0, U.associations())
        (a,) = got
        assert a["heartbeatsReceived"] >= 1 and a["heartbeatsSent"] >= 1, a
        # The SMF answers at once; a request is unanswered only for the moment it travels.
        assert U.wait_until(lambda: U.associations()[0]["heartbeatsUnanswered"] == 0, 3) == True, \
            U.associations()
        assert (a["nodeId"], a["ipAddress"]) == (SMF_N4, SMF_N4)
        assert a["recoveryTimeStamp"] == a0["recoveryTimeStamp"] > 0
        upf = U.get("/v1/vpg")["roles"]["upf"]
        # allowedPeers by default: the N4 link's subnet, where the SMF sits.
        assert upf == {"enabled": True, "pfcpAddress": UPF_N4, "nodeId": UPF_N4,
                       "recoveryTimeStamp": upf["recoveryTimeStamp"], "associationCount": 1,
                       "allowedPeers": [UPF_N4.rsplit(".", 1)[0] + ".0/24"]}
        assert upf["recoveryTimeStamp"] > 0
        assert "No Heartbeat" not in o5.smf_log()
        # GTPv1-C is off: vpgd listens on PFCP, GTP-U and VXLAN only.
        listening = sorted(line.split()[3] for line in U.in_upf("ss", "-Hlun").stdout.splitlines())
        assert listening == sorted(["%s:8805" % UPF_N4, "%s:2152" % UPF_GTPU, "%s:4789" % U.GATE_ADDR])
        c = U.counters()
        assert (c["pfcp_associations_setup"], c["pfcp_associations_lost"], c["pfcp_cp_restarts"]) == (1, 0, 0)
        window = collections.Counter(t for t, _ in U.pfcp_from_upf(n4.stop()))
        assert window[1] >= 1 and window[2] >= 1, window
        assert set(window) == {1, 2}, window  # heartbeats only: nothing else happened
        # The Association Setup Response is checked with the runner's complete
        # n4.pcap when the class's runner stops (fixture gn).
        check_peers_clean(o5, [n4.path])


# ---------------------------------------------------------------- 2. routed egress
def test_upf_smf_gn_routed_egress_without_nat_keeps_the_device_address(hosts, tmp_path):
    """Send: a Gn attach through the SMF, vpgd the UPF with routed egress on
    (vpgd0, nat false); 3 pings from the device to a server linked to o5-upf
    and 3 pings from the server to the device.
    Verify: every echo answered; on the server's link exactly the 12 ICMP
    packets with the device's own address; o5-upf forwards IPv4 and vpgd0
    holds 10.45.0.1/16; egress counted exactly the device's 6 packets and
    delivered the server's 6 to the device."""
    _need_peers()
    cfg = U.vpgd_config(str(tmp_path), egress=True)
    with O5Peer(mode="none", hold=0, upf_cmd=U.upf_cmd(cfg), run_dir=str(tmp_path / "o5")) as o5:
        assert U.in_upf("sysctl", "-n", "net.ipv4.ip_forward").stdout.strip() == "1"
        assert " 10.45.0.1/16 " in U.in_upf("ip", "-4", "-o", "addr", "show", "dev", "vpgd0").stdout
        assert "vpgd" not in U.in_upf("nft", "list", "tables").stdout  # nat false: no table
        server = hosts.server()
        # The kernel gives vpgd0 an IPv6 link-local address and sends Router
        # Solicitations into it; vpgd reads them and counts ipv4_bad_version.
        # That is the one drop allowed here, and never more than the kernel sent.
        on_tun = hosts.add(U.UpfNsCapture("vpgd0", hosts.workdir + "/vpgd0.pcap", "ip6"))
        before = U.get("/v1/stats")
        dev, (addr,) = attach(o5)
        route_via_tun(U.WAN)
        check_session(U.sessions()[0], addr)
        on_server = hosts.capture(server, "eth0", "server.pcap", "icmp")
        assert U.ping("o5-sgsn", U.SERVER, 3, src=addr) == 3
        assert U.ping(server.name, addr, 3) == 3
        rows = on_server.fields("icmp", "ip.src", "ip.dst", "icmp.type", "icmp.code")
        assert collections.Counter(tuple(r) for r in rows) == {
            (addr, U.SERVER, "8", "0"): 3, (U.SERVER, addr, "0", "0"): 3,
            (U.SERVER, addr, "8", "0"): 3, (addr, U.SERVER, "0", "0"): 3,
        }
        after = U.get("/v1/stats")
        d = delta(before["counters"], after["counters"])
        assert (d.get("egress_tx_packets"), d.get("egress_to_device_packets")) == (6, 6), d
        assert d.get("redirected_packets", 0) == 0, d
        kernel_v6 = on_tun.fields("ipv6", "ipv6.src", "ipv6.dst", "icmpv6.type")
        drops = quiet_drops(before, after)
        assert drops.pop("ipv4_bad_version", 0) <= len(kernel_v6), (drops, kernel_v6)
        assert drops == {}
        assert U.sgsnemu_detach(o5, dev) == 1
        assert wait_no_sessions() == True
        assert o5.smf_alive(), o5.smf_log()[-3000:]
    check_peers_clean(o5, [o5.path("n4.pcap")], alive=False)
    c = U.exit_counters(o5)
    assert (c["pfcp_sessions_established"], c["pfcp_sessions_deleted"], c["pfcp_retransmissions_answered"]) \
        == (1, 1, 0), c


# ---------------------------------------------------------------- 4. S5
def test_upf_smf_s5_create_ping_delete(tmp_path):
    """Send: o5-peer's S5 run: its scripted SGW sends a Create Session Request
    to the SMF (PGW-C), 3 G-PDU pings to 10.45.0.1 through vpgd, then Delete
    Session.
    Verify: the runner succeeds with the session accepted and 3 of 3 pings
    answered; vpgd counted one association, one establishment, one deletion,
    no purge; on N4 vpgd sent one association, one establishment and one
    deletion response."""
    _need_peers()
    cfg = U.vpgd_config(str(tmp_path))
    with O5Peer(mode="s5", ping=3, ready="exit", ready_timeout=90, upf_cmd=U.upf_cmd(cfg),
                run_dir=str(tmp_path / "o5")) as o5:
        pass
    assert o5.returncode == 0, o5.console()[-3000:]
    assert "cause 16 (Request accepted)" in o5.console()
    assert "ping: 3 sent, 3 received" in o5.console()
    c = U.exit_counters(o5)
    assert (c["pfcp_associations_setup"], c["pfcp_sessions_established"], c["pfcp_sessions_deleted"],
            c["pfcp_sessions_purged"], c["pfcp_cp_restarts"], c["pfcp_retransmissions_answered"]) \
        == (1, 1, 1, 0, 0, 0), c
    sent = collections.Counter(t for t, _ in U.pfcp_from_upf(o5.path("n4.pcap")))
    assert (sent[6], sent[51], sent[55]) == (1, 1, 1), sent
    # The SMF lived until the runner stopped it at the end of its script.
    assert o5.smf_log().count("SMF terminate...done") == 1 and not o5.smf_alive()
    assert o5.pfcp_errors() == []
    assert U.pfcp_problems(o5.path("n4.pcap")) == ""
    assert U.sanitizer_reports(o5) == []


# ---------------------------------------------------------------- 6. SMF restart
def test_upf_smf_restart_purges_the_old_sessions(tmp_path):
    """Send: a Gn attach through the SMF; then open5gs-smfd is stopped
    (SIGTERM) and started again in o5-smf with the runner's command line and
    configuration (a new Recovery Time Stamp; it sends a new Association Setup
    Request); then a new device attaches through the restarted SMF, pings the
    gateway and detaches.
    Verify: vpgd counts exactly one CP restart and one purged session (no
    deletion), GET /v1/sessions is empty, the association's recoveryTimeStamp
    changed and it counts no session; the new device (given the same address
    again by the new SMF) gets a session, 3 of 3 answers, and a clean detach;
    the restarted SMF is alive and logs no PFCP trouble."""
    _need_peers()
    cfg = U.vpgd_config(str(tmp_path))
    with O5Peer(mode="none", hold=0, upf_cmd=U.upf_cmd(cfg), run_dir=str(tmp_path / "o5")) as o5:
        dev, (addr,) = attach(o5)
        check_session(U.sessions()[0], addr)
        (assoc,) = U.associations()
        old_rts = assoc["recoveryTimeStamp"]
        assert assoc["sessionCount"] == 1
        before_stats = U.get("/v1/stats")
        before = before_stats["counters"]
        (pid,) = U.smf_pids()
        os.kill(pid, signal.SIGTERM)
        assert U.wait_until(lambda: U.smf_pids() == [], 10) == True, "the SMF did not stop"
        # The Recovery Time Stamp counts whole seconds (NTP epoch): the new
        # SMF must start in a later second than the old one did.
        assert U.wait_until(lambda: time.time() + NTP_OFFSET >= old_rts + 1, 2) == True
        smf = U.Smf(o5)
        try:
            o5.wait_associated(timeout=20, count=2)
            assert U.wait_until(lambda: U.counters()["pfcp_cp_restarts"] - before["pfcp_cp_restarts"] == 1, 10)
            assert wait_no_sessions() == True
            (assoc,) = U.associations()
            assert assoc["nodeId"] == SMF_N4 and assoc["ipAddress"] == SMF_N4
            assert assoc["recoveryTimeStamp"] > old_rts
            assert assoc["sessionCount"] == 0
            stats = U.get("/v1/stats")
            d = delta(before, stats["counters"])
            assert (d.get("pfcp_cp_restarts"), d.get("pfcp_sessions_purged")) == (1, 1), d
            assert d.get("pfcp_sessions_deleted", 0) == 0, d
            # The restarted SMF numbers its requests from 1 again: each is a new
            # request to carry out, none a retransmission to answer from what
            # vpgd replied to the old SMF (TS 29.244 §6.2.6.2.2: the new setup
            # replaces the association).
            assert d.get("pfcp_retransmissions_answered", 0) == 0, d
            pd = pfcp_delta(before_stats, stats)
            assert only(pd, "rx.association", "tx.association") == {
                "rx.association_setup_request": 1, "tx.association_setup_response": 1}, pd

            # The old device's SGSN context is stale (the new SMF never knew it).
            dev.close()
            o5.wait_smf_log(r"CONNECTED TO 'pcrf\.localdomain'", timeout=15, count=2)
            mid = U.counters()
            dev2, (addr2,) = attach(o5, name="sgsnemu2")
            assert addr2 == addr  # the new SMF's pool starts over
            sessions = U.sessions()
            assert len(sessions) == 1, sessions
            check_session(sessions[0], addr2)
            assert U.ping("o5-sgsn", UE_GW, 3, src=addr2) == 3
            assert U.sgsnemu_detach(o5, dev2, name="sgsnemu2") == 1
            assert wait_no_sessions() == True
            d = delta(mid, U.counters())
            assert session_counters(d) == {"pfcp_sessions_established": 1, "pfcp_sessions_deleted": 1,
                                           "sessions_created": 1, "sessions_deleted": 1}, d
            assert o5.smf_alive()
            assert o5.pfcp_errors() == []
        finally:
            dev.close()
            smf.close()
    assert U.pfcp_problems(o5.path("n4.pcap")) == ""
    assert U.sanitizer_reports(o5) == []
