"""Junction Inspection: flow statistics with application names, exported as
IPFIX to a real collector.

Send: pings and a sized UDP transfer from an sgsnemu device to a gate peer,
a plain HTTP exchange (curl against a server on the peer), and more flows
than a small table holds.
Verify: nfcapd receives vpgd's export and nfdump prints the flows with the
addresses, ports, packet and byte counts of the traffic sent; tshark decodes
the IPFIX without a problem; the summary names HTTP; a full table exports
early, counted, and stays at its size.
"""
import time

from netlab import GW_UNDERLAY, Capture, Proc, probe, sh
from test_gate import PEER1, device, open_gate, ping

PING_IP_LEN = 84  # 56 octets of ping payload, 8 of ICMP, 20 of IPv4


def enable(vpgd, collector, **kw):
    body = dict({"collectors": [collector.addr + ":4739"], "idleTimeout": 1}, **kw)
    status, got = vpgd.api("PUT", "/v1/junction/inspection", body)
    assert status == 200, got
    return got


def nfdump(collector):
    """The flows nfcapd wrote, after it is stopped (it writes them out on SIGTERM)."""
    assert collector.nfcapd.stop() == 0, collector.nfcapd.output()
    out = sh("nfdump", "-R", collector.dir, "-q", "-N", "-o",
             "fmt:%sa|%da|%sp|%dp|%pr|%pkt|%byt").stdout
    return [tuple(f.strip() for f in line.split("|")) for line in out.splitlines() if line.strip()]


def wait_exported(vpgd, records, timeout=10):
    """Waits until vpgd has sent at least that many records."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if vpgd.counters().get("inspection_records_exported", 0) >= records:
            return True
        time.sleep(0.3)
    return False


def test_collector_flows_match_the_traffic_sent(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    collector = lab.collector()
    ipfix = lab.add(Capture(collector, "eth0", lab.workdir + "/ipfix.pcap", "udp port 4739"))
    enable(vpgd, collector)
    dev = device(lab, "999010000000001")
    assert ping(dev, PEER1, count=5) == 5
    probe(dev, dev.device + ":40001", PEER1 + ":5001", [bytes(1000)] * 10, wait=0.2)
    # Idle after 1 s: both ping flows and the UDP flow (and the peer's port unreachables).
    assert wait_exported(vpgd, 3)
    time.sleep(1.5)
    flows = nfdump(collector)
    assert (dev.device, PEER1, "0", "8.0", "1", "5", str(5 * PING_IP_LEN)) in flows, flows
    assert (PEER1, dev.device, "0", "0.0", "1", "5", str(5 * PING_IP_LEN)) in flows, flows
    assert (dev.device, PEER1, "40001", "5001", "17", "10", str(10 * 1028)) in flows, flows
    assert ipfix.problems("cflow") == ""
    rows = ipfix.fields("cflow", "ip.src", "cflow.od_id", "cflow.mib_mobile_imsi",
                        "cflow.appl_name")
    assert rows and {r[0] for r in rows} == {GW_UNDERLAY}
    assert {r[1] for r in rows} == {"1"}
    assert {i for r in rows for i in r[2].split(",") if i} == {"999010000000001"}
    assert "ICMP" in {a for r in rows for a in r[3].split(",")}
    # nfcapd checks each stream's sequence numbers against the records it got.
    assert "Sequence Errors: 0, Bad Packets: 0" in collector.nfcapd.output()
    assert vpgd.counters()["drop.ipfix_send_failed"] == 0
    assert vpgd.stop() == 0


def test_http_exchange_is_named_in_the_summary(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    collector = lab.collector()
    enable(vpgd, collector, idleTimeout=30)
    # The server is python itself (no wrapper between), so that the kill
    # below ends it for sure; the lab kills it too if the test fails first.
    web = lab.add(Proc(peer, ["/usr/bin/python3", "-u", "-m", "http.server", "8080",
                              "--bind", PEER1], "http-server", lab.workdir))
    dev = device(lab, "999010000000001")
    try:
        assert web.wait_for(r"Serving HTTP on"), web.output()
        r = dev.run("curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://%s:8080/" % PEER1, check=False)
        assert r.stdout == "200", r
    finally:
        web.close()
    status, s = vpgd.api("GET", "/v1/junction/inspection/summary?window=60")
    assert status == 200, s
    http = [p for p in s["protocols"] if p["name"] == "HTTP"]
    assert http and http[0]["flows"] == 2 and http[0]["packets"] >= 6, s["protocols"]
    web_flows = [f for f in s["topFlows"] if 8080 in (f["sourcePort"], f["destinationPort"])]
    assert {f["application"] for f in web_flows} == {"HTTP"}
    assert {f["direction"] for f in web_flows} == {"uplink", "downlink"}
    assert s["sessions"][0]["imsi"] == "999010000000001"
    rc, out, _ = vpgd.ctl("inspection", "top")
    assert rc == 0 and "HTTP" in out, out
    assert vpgd.stop() == 0


def test_full_table_exports_early_and_stays_bounded(lab):
    vpgd = lab.vpgd()
    peer = lab.gate_peer(PEER1)
    open_gate(vpgd, peer)
    collector = lab.collector()
    enable(vpgd, collector, idleTimeout=60, maxFlows=16)
    dev = device(lab, "999010000000001")
    before = vpgd.counters()
    script = ("import socket\n"
              "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
              "for port in range(6000, 6040):\n"
              "    s.sendto(b'x' * 100, ('%s', port))\n" % PEER1)
    dev.run("/usr/bin/python3", "-c", script)
    time.sleep(1)
    after = vpgd.counters()
    status, f = vpgd.api("GET", "/v1/junction/inspection/flows?limit=100")
    assert status == 200
    assert f["count"] == 16 and len(f["flows"]) == 16
    evicted = after["inspection_flows_evicted_early"] - before.get("inspection_flows_evicted_early", 0)
    created = after["inspection_flows_created"] - before.get("inspection_flows_created", 0)
    # 40 UDP flows (and the peer's port unreachables) through a table of 16.
    assert created >= 40 and evicted >= 24 and created - evicted <= 16, (created, evicted)
    assert wait_exported(vpgd, evicted)
    time.sleep(1)
    exported = [r for r in nfdump(collector) if r[4] == "17" and r[1] == PEER1]
    assert len(exported) >= 24
    assert vpgd.stop() == 0


def test_redirected_traffic_is_counted_with_its_own_addresses(lab):
    from test_redirection import scenario
    vpgd, peer, app, dev = scenario(lab)
    collector = lab.collector()
    enable(vpgd, collector, idleTimeout=30)
    assert ping(dev, app.addr, count=4) == 4
    assert ping(app, dev.device, count=3) == 3
    status, f = vpgd.api("GET", "/v1/junction/inspection/flows")
    assert status == 200
    seen = {(x["direction"], x["sourceAddress"], x["destinationAddress"], x["destinationPort"]):
            x["packets"] for x in f["flows"]}
    echo, reply = 8 << 8, 0
    assert seen[("uplink", dev.device, app.addr, echo)] == 4
    assert seen[("downlink", app.addr, dev.device, reply)] == 4
    assert seen[("downlink", app.addr, dev.device, echo)] == 3
    assert seen[("uplink", dev.device, app.addr, reply)] == 3
    assert vpgd.stop() == 0
