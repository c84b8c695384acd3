"""SIM-based routing: a LAN behind a device (a cellular router), reached
through the device's tunnel from a gate peer and from the egress side.

The router is an sgsnemu namespace with forwarding on, linked to a LAN host
(192.168.50.10). What comes down the tunnel, sgsnemu writes into its tun and
the kernel forwards to the LAN. Up the tunnel, sgsnemu sends only packets
from its own address (it finds the context by source), so a source-based
route takes the LAN's packets into gtp_uplink.py, which puts them in the same
tunnel: the session's own TEID, read from the API.

Send: pings from a gate peer and a server to the LAN host; crafted G-PDUs
from a second device with sources in a LAN; pings while the router is away.
Verify: exact ping counts, the addresses the LAN host sees, counter deltas
(drops exactly as many as sent), the host's route into the egress tun, and
the table across a restart.
"""
import os
import signal
import time

from netlab import GW_GTP, Capture, Netns, Proc, delta, probe, sh
from test_gate import PEER1, device, open_gate, ping, quiet
from test_gtp_attach import wait_tun_address
import gtp

ROUTER_IMSI = "999010000000001"
OTHER_IMSI = "999010000000002"
LAN = "192.168.50.0/24"
LAN_HOST = "192.168.50.10"
LAN_ROUTER = "192.168.50.1"
OTHER_LAN = "192.168.60.0/24"
SERVER = "203.0.113.10"
UPLINK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gtp_uplink.py")


def wait_until(what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if what():
            return True
        time.sleep(0.1)
    return bool(what())


def session_teid(vpgd, imsi):
    status, s = vpgd.api("GET", "/v1/sessions/" + imsi)
    assert status == 200, s
    return s["teid"]


def lan_host(lab, router):
    """The LAN behind the router: a host on a veth from the router's namespace."""
    ns = lab.add(Netns("%slan" % lab.tag))
    a, b = "%sna" % lab.tag, "%snb" % lab.tag
    sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
    sh("ip", "link", "set", a, "netns", router.name)
    sh("ip", "link", "set", b, "netns", ns.name)
    router.run("ip", "link", "set", a, "name", "lan0")
    router.run("ip", "addr", "add", LAN_ROUTER + "/24", "dev", "lan0")
    router.run("ip", "link", "set", "lan0", "up")
    ns.run("ip", "link", "set", b, "name", "eth0")
    ns.run("ip", "addr", "add", LAN_HOST + "/24", "dev", "eth0")
    ns.run("ip", "link", "set", "eth0", "up")
    ns.run("ip", "route", "add", "default", "via", LAN_ROUTER)
    return ns


def router(lab, vpgd, timelimit=60):
    """A device with the LAN behind it: sgsnemu's tunnel down, gtp_uplink.py up."""
    ns = lab.sgsn()
    lab.sgsnemu(ns, "--createif", "--imsi", ROUTER_IMSI, timelimit=timelimit,
                name="sgsnemu-router")
    ns.pidfile = os.path.join(lab.workdir, "sgsnemu-%s" % ns.name, "pid")
    ns.device = wait_tun_address(ns)
    ns.lan = lan_host(lab, ns)
    for conf in ("all", "default", "tun0", "lan0"):
        ns.run("sysctl", "-qw", "net.ipv4.conf.%s.rp_filter=0" % conf)
    ns.run("sysctl", "-qw", "net.ipv4.ip_forward=1")
    up = lab.add(Proc(ns, ["/usr/bin/python3", UPLINK, "lanup", str(session_teid(vpgd, ROUTER_IMSI)),
                           GW_GTP, str(timelimit)], "gtp-uplink", lab.workdir))
    assert up.wait_for("ready"), up.output()
    ns.run("sysctl", "-qw", "net.ipv6.conf.lanup.disable_ipv6=1")
    ns.run("ip", "link", "set", "lanup", "up")
    # The LAN's own traffic, and only it, goes up the tunnel.
    ns.run("ip", "rule", "add", "from", LAN, "lookup", "100")
    ns.run("ip", "route", "add", "default", "dev", "lanup", "table", "100")
    return ns


def host_route(lab):
    return lab.gw.run("ip", "-4", "route", "show", LAN).stdout.strip()


def set_table(vpgd, routes):
    status, body = vpgd.api("PUT", "/v1/sim_based_routing/routes", routes)
    assert status == 200, body
    return body


def test_lan_reached_from_gate_and_egress_then_dropped_while_away(lab):
    vpgd = lab.vpgd()
    server = lab.server()
    server.run("ip", "route", "add", LAN, "via", "203.0.113.1")
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    peer.run("ip", "route", "add", LAN, "via", "10.10.0.1", "dev", "vxlan0")
    set_table(vpgd, [{"imsi": ROUTER_IMSI, "destinations": [LAN]}])
    rc, out, err = vpgd.ctl("sim-routing", "enable")
    assert rc == 0 and "SIM-based routing: enabled" in out, err
    # Enabled with the router away: the host routes the LAN to vpgd already.
    assert "dev vpgd0" in host_route(lab)
    rtr = router(lab, vpgd)
    seen = lab.add(Capture(rtr.lan, "eth0", lab.workdir + "/lan.pcap", "icmp"))
    before = vpgd.counters()
    assert ping(peer, LAN_HOST, count=4) == 4
    assert ping(server, LAN_HOST, count=3) == 3
    d = delta(before, vpgd.counters())
    assert d["gate_to_device_packets"] == 4 and d["egress_to_device_packets"] == 3
    assert d["device_to_gate_packets"] == 4 and d["egress_tx_packets"] == 3
    assert quiet(d) == {}
    # Addresses untouched both ways: the LAN host sees the peer's and the server's own.
    rows = seen.fields("icmp", "ip.src", "ip.dst", "icmp.type")
    assert set(map(tuple, rows)) == {
        (PEER1, LAN_HOST, "8"), (SERVER, LAN_HOST, "8"),
        (LAN_HOST, PEER1, "0"), (LAN_HOST, SERVER, "0")}
    assert len(rows) == 14
    assert vpgd.counters()["sim_routes_installed"] == 1

    # The router goes: its LAN stays routed to the gateway, and what is sent there is dropped.
    with open(rtr.pidfile) as f:
        os.kill(int(f.read()), signal.SIGTERM)
    assert wait_until(lambda: vpgd.api("GET", "/v1/sessions")[1] == [])
    before = vpgd.counters()
    assert ping(peer, LAN_HOST, count=3) == 0
    assert ping(server, LAN_HOST, count=2) == 0
    d = delta(before, vpgd.counters())
    assert quiet(d) == {"drop.sim_route_not_attached": 5}
    assert "dev vpgd0" in host_route(lab)

    # Disabled, the routes are gone altogether: the host no longer routes the LAN to vpgd.
    rc, out, _ = vpgd.ctl("sim-routing", "disable")
    assert rc == 0 and "SIM-based routing: disabled" in out
    assert host_route(lab) == ""
    before = vpgd.counters()
    assert ping(peer, LAN_HOST, count=2) == 0
    d = delta(before, vpgd.counters())
    assert quiet(d) == {"drop.gate_unknown_destination": 2}
    assert vpgd.stop() == 0


def test_lan_sources_pass_for_their_device_only_and_table_survives_restart(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    rc, out, err = vpgd.ctl("sim-routing", "set", ROUTER_IMSI, LAN, "192.168.51.0/24")
    assert rc == 0, err
    assert vpgd.ctl("sim-routing", "set", OTHER_IMSI, OTHER_LAN)[0] == 0
    assert vpgd.ctl("sim-routing", "enable")[0] == 0
    a = device(lab, ROUTER_IMSI, timelimit=40)
    b = device(lab, OTHER_IMSI, timelimit=40)
    teid_b = session_teid(vpgd, OTHER_IMSI)

    # From B with a source in A's LAN: spoofed, dropped, each one counted.
    before = vpgd.counters()
    spoofed = [gtp.gpdu(teid_b, gtp.icmp_echo("192.168.50.99", "10.10.0.1", seq=i))
               for i in range(3)]
    assert probe(b, b.addr + ":0", GW_GTP + ":2152", spoofed, wait=0.5) == []
    d = delta(before, vpgd.counters())
    assert quiet(d) == {"drop.uplink_spoofed_source": 3}
    assert "gateway_icmp_echo_replies" not in d

    # From B with a source in its own LAN: answered, down B's tunnel.
    before = vpgd.counters()
    own = [gtp.gpdu(teid_b, gtp.icmp_echo("192.168.60.7", "10.10.0.1", seq=i)) for i in range(2)]
    probe(b, b.addr + ":0", GW_GTP + ":2152", own, wait=0.5)
    d = delta(before, vpgd.counters())
    assert d["gateway_icmp_echo_replies"] == 2 and quiet(d) == {}
    status, s = vpgd.api("GET", "/v1/sessions/" + OTHER_IMSI)
    assert s["downlinkPackets"] == 2

    # A device's packet for another device's LAN goes into that device's tunnel.
    on_a = lab.add(Capture(a, "tun0", lab.workdir + "/a.pcap", "icmp"))
    before = vpgd.counters()
    b.run("ping", "-c", "2", "-i", "0.2", "-W", "1", "192.168.51.1", check=False)
    d = delta(before, vpgd.counters())
    assert d["device_to_device_packets"] == 2 and quiet(d) == {}
    assert on_a.fields("icmp.type == 8", "ip.src", "ip.dst") == [[b.device, "192.168.51.1"]] * 2

    table = {"enabled": True, "routes": [
        {"imsi": ROUTER_IMSI, "destinations": [LAN, "192.168.51.0/24"]},
        {"imsi": OTHER_IMSI, "destinations": [OTHER_LAN]}]}
    assert vpgd.api("GET", "/v1/sim_based_routing/routes") == (200, table)
    assert vpgd.stop() == 0
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", "/v1/sim_based_routing/routes") == (200, table)
    assert "dev vpgd0" in host_route(lab)
    rc, out, _ = vpgd.ctl("sim-routing", "show")
    assert rc == 0 and OTHER_IMSI + "  " + OTHER_LAN in out
    assert vpgd.stop() == 0


def test_table_refused_with_a_clear_message_nothing_stored(lab):
    vpgd = lab.vpgd()
    good = [{"imsi": ROUTER_IMSI, "destinations": [LAN]}]
    set_table(vpgd, good)
    bad = [
        ([{"imsi": "1234567890123456", "destinations": [LAN]}], "[0].imsi", "1 to 15 digits"),
        ([{"imsi": "1", "destinations": ["192.168.50.1/24"]}], "[0].destinations",
         "host bits set"),
        ([{"imsi": "1", "destinations": ["10.10.3.0/24"]}], "[0].destinations",
         "overlaps the device subnet 10.10.0.0/16"),
        (good + [{"imsi": "2", "destinations": ["192.168.0.0/16"]}], "[1].destinations",
         "overlaps 192.168.50.0/24 of imsi " + ROUTER_IMSI),
        (good + [{"imsi": ROUTER_IMSI, "destinations": ["1.0.0.0/8"]}], "[1].imsi",
         "given twice"),
    ]
    for body, field, words in bad:
        status, err = vpgd.api("PUT", "/v1/sim_based_routing/routes", body)
        assert status == 400 and err["field"] == field and words in err["message"], err
    rc, _, err = vpgd.ctl("sim-routing", "set", "2", "192.168.50.128/25")
    assert rc != 0 and "overlaps 192.168.50.0/24 of imsi " + ROUTER_IMSI in err
    assert vpgd.api("GET", "/v1/sim_based_routing/routes") == (
        200, {"enabled": False, "routes": good})
    assert vpgd.stop() == 0
