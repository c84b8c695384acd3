"""Routed egress: devices reach a server beyond the gateway host through the
egress tun and the host's routing, source-NATed by vpgd's own nftables
table, or not; the routing filter on every device packet.

Send: pings and iperf3 from sgsnemu devices to a server reached only through
the gateway namespace's routing.
Verify: captures on the server (source address), the device (ICMP
admin-prohibited), counters, and nft's view of vpgd's table.
"""
import subprocess
import time

from netlab import VPGD, Capture, delta
from test_gate import PEER1, device, iperf, open_gate, ping, quiet

SERVER = "203.0.113.10"


def nft_tables(lab):
    return lab.gw.run("nft", "list", "tables").stdout


def sources_seen(lab, ns, action):
    cap = lab.add(Capture(ns, "eth0", lab.workdir + "/%s.pcap" % ns.name, "icmp"))
    action()
    return {r[0] for r in cap.fields("icmp.type == 8", "ip.src")}


def test_device_reaches_server_with_nat_tcp_both_ways(lab):
    vpgd = lab.vpgd()
    server = lab.server()
    dev = device(lab, "999010000000001", timelimit=30)
    assert nft_tables(lab).count("table ip vpgd") == 1
    seen = sources_seen(lab, server, lambda: ping(dev, SERVER) == 4 or None)
    assert seen == {"203.0.113.1"}
    assert ping(dev, SERVER, count=3, size=1472, extra=("-M", "do")) == 3
    assert iperf(dev, server, SERVER) > 1_000_000
    assert iperf(dev, server, SERVER, reverse=True) > 1_000_000
    c = vpgd.counters()
    assert c["egress_tx_packets"] > 100 and c["egress_to_device_packets"] > 100
    assert vpgd.stop() == 0
    # A clean stop leaves nothing of vpgd in the ruleset.
    assert "vpgd" not in lab.gw.run("nft", "list", "ruleset").stdout


def test_nat_off_keeps_the_device_address(lab):
    vpgd = lab.vpgd(lab.config(egress={"nat": False}))
    server = lab.server(nat=False)
    dev = device(lab, "999010000000001")
    assert "vpgd" not in nft_tables(lab)
    seen = sources_seen(lab, server, lambda: ping(dev, SERVER, count=3))
    assert seen == {dev.device}
    assert ping(server, dev.device, count=2) == 2  # and the server can open to the device
    assert vpgd.stop() == 0


def test_two_devices_keep_their_flows_apart(lab):
    vpgd = lab.vpgd()
    server = lab.server()
    a, b = device(lab, "999010000000001"), device(lab, "999010000000002")
    pa = a.popen("ping", "-c", "20", "-i", "0.05", "-W", "1", SERVER, stdout=subprocess.PIPE, text=True)
    pb = b.popen("ping", "-c", "20", "-i", "0.05", "-W", "1", SERVER, stdout=subprocess.PIPE, text=True)
    out_a, _ = pa.communicate(timeout=20)
    out_b, _ = pb.communicate(timeout=20)
    assert " 20 received" in out_a and " 20 received" in out_b
    sessions = {s["imsi"]: s for s in vpgd.api("GET", "/v1/sessions")[1]}
    assert sessions["999010000000001"]["downlinkPackets"] == 20
    assert sessions["999010000000002"]["downlinkPackets"] == 20
    assert vpgd.stop() == 0


def test_routing_filter_denies_with_icmp_then_allow_first_passes_live_and_persists(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    server = lab.server()
    dev = device(lab, "999010000000001", timelimit=40)
    assert ping(dev, SERVER, count=2) == 2
    assert vpgd.api("PUT", "/v1/routing_filter", [{"action": "deny", "ipRange": "203.0.113.0/24"}])[0] == 200
    on_dev = lab.add(Capture(dev, "tun0", lab.workdir + "/dev.pcap", "icmp"))
    before = vpgd.counters()
    assert ping(dev, SERVER, count=3) == 0
    d = delta(before, vpgd.counters())
    assert quiet(d) == {"drop.routing_filter_denied": 3}
    assert d["icmp_errors_sent"] == 3
    prohibited = on_dev.fields("icmp.type == 3 && icmp.code == 13", "ip.src", "ip.dst")
    # From the gateway to the device, quoting the device's packet to the server.
    assert prohibited == [["10.10.0.1," + dev.device, dev.device + "," + SERVER]] * 3
    # The gateway's own address is never filtered.
    assert ping(dev, "10.10.0.1", count=2) == 2
    rules = [{"action": "allow", "ipRange": SERVER + "/32"}, {"action": "deny", "ipRange": "203.0.113.0/24"}]
    assert vpgd.api("PUT", "/v1/routing_filter", rules) == (200, rules)
    assert ping(dev, SERVER, count=2) == 2
    metrics = vpgd.api("GET", "/metrics")[1]
    assert 'vpgd_routing_filter_matches_total{rule="0",action="allow",ip_range="203.0.113.10/32"} 2' in metrics
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", "/v1/routing_filter") == (200, rules)
    rc, out, _ = vpgd.ctl("routing-filter", "get")
    assert rc == 0 and "203.0.113.10/32" in out
    assert vpgd.ctl("routing-filter", "set", "deny:0.0.0.0/0")[0] == 0
    assert vpgd.api("GET", "/v1/routing_filter")[1] == [{"action": "deny", "ipRange": "0.0.0.0/0"}]
    assert vpgd.stop() == 0


def test_routing_filter_validation_stores_nothing(lab):
    vpgd = lab.vpgd()
    good = [{"action": "allow", "ipRange": "10.0.0.0/16"}]
    assert vpgd.api("PUT", "/v1/routing_filter", good)[0] == 200
    bad = [
        ([{"action": "permit", "ipRange": "10.0.0.0/16"}], "[0].action"),
        ([{"action": "deny", "ipRange": "10.0.0.1/16"}], "[0].ipRange"),
        (good + [{"action": "deny", "ipRange": "0.0.0.0/0", "x": 1}], "[1].x"),
        ([{"action": "deny", "ipRange": "0.0.0.0/0"}] * 65, ""),
    ]
    for body, field in bad:
        status, err = vpgd.api("PUT", "/v1/routing_filter", body)
        assert status == 400 and err.get("field", "") == field, (field, err)
    assert vpgd.api("GET", "/v1/routing_filter") == (200, good)
    assert vpgd.stop() == 0


def test_redirection_on_means_egress_carries_nothing(lab):
    vpgd = lab.vpgd()
    server = lab.server()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    dev = device(lab, "999010000000001")
    assert ping(dev, SERVER, count=2) == 2
    assert vpgd.api("PUT", "/v1/junction/redirection", {"gateway": PEER1})[0] == 200
    before = vpgd.counters()
    assert ping(dev, SERVER, count=3) == 0  # the peer has no way to the server
    d = delta(before, vpgd.counters())
    assert d.get("egress_tx_packets", 0) == 0 and d["redirected_packets"] == 3
    assert vpgd.api("DELETE", "/v1/junction/redirection")[0] == 204
    assert ping(dev, SERVER, count=2) == 2
    assert vpgd.stop() == 0


def test_nft_table_replaced_after_kill_9_and_removed_on_sigterm(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    assert nft_tables(lab).count("table ip vpgd") == 1
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert nft_tables(lab).count("table ip vpgd") == 1
    assert vpgd.stop() == 0
    assert "vpgd" not in lab.gw.run("nft", "list", "ruleset").stdout


def test_a_tun_of_the_name_that_goes_within_moments_is_waited_for(lab):
    """As a killed vpgd's tun does once its exit has closed it: the new vpgd starts."""
    lab.gw.run("ip", "tuntap", "add", "vpgd0", "mode", "tun")
    deleter = lab.gw.popen("sh", "-c", "sleep 1; ip link del vpgd0")
    try:
        vpgd = lab.vpgd(lab.config())
        assert nft_tables(lab).count("table ip vpgd") == 1
        assert vpgd.stop() == 0
    finally:
        deleter.wait(10)


def test_a_tun_of_the_name_that_stays_exits_2(lab):
    lab.gw.run("ip", "tuntap", "add", "vpgd0", "mode", "tun")
    started = time.monotonic()
    r = lab.gw.run(VPGD, "-c", lab.config(), check=False, timeout=20)
    assert r.returncode == 2
    assert '"vpgd0": an interface of that name exists already' in r.stdout + r.stderr
    # Given its 3 s to go, no more.
    assert 3 <= time.monotonic() - started < 10


def test_egress_interface_name_taken_exits_2(lab):
    lab.gw.run("ip", "link", "add", "vpgd0", "type", "veth", "peer", "name", "vpgd0p")
    r = lab.gw.run(VPGD, "-c", lab.config(), check=False, timeout=20)
    assert r.returncode == 2
    assert '"vpgd0": an interface of that name exists already' in r.stdout + r.stderr
