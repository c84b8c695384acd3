"""Junction Redirection and the seed's enterprise scenario: devices in
10.10.0.0/16 and applications in 10.0.0.0/16 talk both ways through a gate
peer, with source and destination addresses untouched.

Send: ping, 1400-octet pings and iperf3 between an sgsnemu device and an
application server behind a kernel-vxlan gate peer.
Verify: replies, the addresses captured on the app and on the device, drop
counters while the gateway peer is silent, the API's validation.
"""
import subprocess
import time

from netlab import Capture, delta
from test_gate import PEER1, device, iperf, open_gate, ping, quiet


def scenario(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    app = lab.app_server(peer)
    open_gate(vpgd, peer)
    status, body = vpgd.api("PUT", "/v1/junction/redirection",
                            {"gateway": PEER1, "enabled": True, "description": "to the LAN"})
    assert status == 200, body
    dev = device(lab, "999010000000001", timelimit=40)
    return vpgd, peer, app, dev


def test_app_and_device_reach_each_other_with_original_addresses(lab):
    vpgd, peer, app, dev = scenario(lab)
    on_app = lab.add(Capture(app, "eth0", lab.workdir + "/app.pcap", "icmp"))
    on_dev = lab.add(Capture(dev, "tun0", lab.workdir + "/dev.pcap", "icmp"))
    assert ping(dev, app.addr) == 4
    assert ping(app, dev.device) == 4
    assert ping(dev, app.addr, count=3, size=1400) == 3
    assert ping(app, dev.device, count=3, size=1400) == 3
    seen_app = {tuple(r) for r in on_app.fields("icmp", "ip.src", "ip.dst", "icmp.type")}
    seen_dev = {tuple(r) for r in on_dev.fields("icmp", "ip.src", "ip.dst", "icmp.type")}
    # On the app: the device's own address as source, both for its requests and its replies.
    assert (dev.device, app.addr, "8") in seen_app and (dev.device, app.addr, "0") in seen_app
    # On the device: the app's address, untouched.
    assert (app.addr, dev.device, "8") in seen_dev and (app.addr, dev.device, "0") in seen_dev
    assert all(src in (dev.device, app.addr) for src, _, _ in seen_app | seen_dev)
    c = vpgd.counters()
    assert c["redirected_packets"] >= 14
    assert vpgd.stop() == 0


def test_tcp_both_ways_through_the_gateway_peer(lab):
    vpgd, peer, app, dev = scenario(lab)
    assert ping(dev, app.addr, count=2) == 2
    assert iperf(dev, app, app.addr) > 1_000_000
    assert iperf(dev, app, app.addr, reverse=True) > 1_000_000
    assert iperf(app, dev, dev.device) > 1_000_000
    assert vpgd.stop() == 0


def test_toggling_redirection_under_traffic_needs_no_restart(lab):
    vpgd, peer, app, dev = scenario(lab)
    assert ping(dev, app.addr, count=2) == 2
    set_ = lambda enabled: vpgd.api("PUT", "/v1/junction/redirection",
                                     {"gateway": PEER1, "enabled": enabled})[0]
    pinger = dev.popen("ping", "-c", "60", "-i", "0.1", "-W", "1", app.addr,
                       stdout=subprocess.PIPE, text=True)
    time.sleep(1.5)
    assert set_(False) == 200
    time.sleep(2)
    off = vpgd.counters()
    time.sleep(1)
    # Off: device traffic to the app no longer leaves through the peer; it takes routed
    # egress, where the gateway host has no route to the LAN.
    d = delta(off, vpgd.counters())
    assert d.get("redirected_packets", 0) == 0 and d.get("egress_tx_packets", 0) >= 5
    assert set_(True) == 200
    out, _ = pinger.communicate(timeout=30)
    received = int(out.split(" received")[0].rsplit(" ", 1)[1])
    assert 20 <= received < 60, out
    assert ping(dev, app.addr, count=3) == 3
    assert vpgd.stop() == 0


def test_silent_gateway_peer_counts_drops_then_recovers(lab):
    vpgd, peer, app, dev = scenario(lab)
    assert ping(dev, app.addr, count=2) == 2
    peer.run("ip", "link", "set", "vxlan0", "down")
    before = vpgd.counters()
    # Unanswered for longer than the neighbour's freshness and its probes: counted drops.
    # The pings (60 at most, 15 s) stop once the counters show it.
    pinger = dev.popen("ping", "-c", "60", "-i", "0.25", "-W", "1", app.addr,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            d = delta(before, vpgd.counters())
            if pinger.poll() is not None or (d.get("drop.gate_neighbor_unresolved", 0) >= 5
                                             and d.get("gate_arp_requests_sent", 0) >= 3):
                break
            time.sleep(0.2)
    finally:
        pinger.kill()
        pinger.wait()
    assert d.get("drop.gate_neighbor_unresolved", 0) >= 5, d
    assert d.get("gate_arp_requests_sent", 0) >= 3
    peer.run("ip", "link", "set", "vxlan0", "up")
    deadline = time.time() + 30
    while time.time() < deadline and ping(dev, app.addr, count=1) != 1:
        pass
    assert ping(dev, app.addr, count=3) == 3
    assert vpgd.stop() == 0


def test_redirection_validation_and_persistence(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    for body, field in (({"gateway": "10.10.10.99"}, "gateway"), ({"gateway": "x"}, "gateway"),
                        ({"enabled": True}, "gateway"),
                        ({"gateway": PEER1, "description": "d" * 300}, "description")):
        status, err = vpgd.api("PUT", "/v1/junction/redirection", body)
        assert status == 400 and err["field"] == field, (body, err)
    assert vpgd.api("GET", "/v1/junction/redirection")[0] == 404
    assert vpgd.api("PUT", "/v1/junction/redirection", {"gateway": PEER1})[0] == 200
    # The redirection gateway cannot be unregistered from under it.
    assert vpgd.api("DELETE", "/v1/gate/peers/" + peer.outer)[0] == 409
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", "/v1/junction/redirection") == (
        200, {"gateway": PEER1, "enabled": True, "description": ""})
    rc, out, _ = vpgd.ctl("redirection", "get")
    assert rc == 0 and PEER1 in out
    assert vpgd.ctl("redirection", "unset")[0] == 0
    assert vpgd.api("GET", "/v1/junction/redirection")[0] == 404
    rc, _, err = vpgd.ctl("redirection", "set", "--gateway", "10.10.10.99")
    assert rc != 0 and "gateway" in err
    assert vpgd.ctl("redirection", "set", "--gateway", PEER1)[0] == 0
    assert vpgd.stop() == 0
