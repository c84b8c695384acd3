"""Junction Inspection with the XDP fast path: native XDP on the gateway's own
veths (test_xdp.py's topology), Inspection exporting to nfcapd.

Send: the scenario of test_inspection.py (pings from an sgsnemu device to a
gate peer, a sized UDP transfer), each flow's first packet alone and the rest
once Inspection has handed the flow to XDP; and a plain HTTP exchange.
Verify: nfdump prints each flow with the exact packet and octet counts sent,
and tshark decodes the application names the socket path gives them; the
XDP counters show that XDP carried every packet of each flow but the first
(which nDPI names), and the socket path exactly those; the HTTP exchange's
flows, named HTTP, count exactly the packets and octets tshark sees in the
GTP-U tunnel, whichever path carried each.
"""
import json
import subprocess
import time

import promtext
from netlab import Capture, Netns, Proc, delta, probe, sh
from test_gate import PEER1, open_gate, ping
from test_gtp_attach import wait_tun_address
from test_inspection import PING_IP_LEN, nfdump, wait_exported
from test_xdp import IMSI, start, veth, xdp_counters, xdp_lab, xdp_map_id

COLLECTOR = "203.0.113.60"
UDP_DATAGRAMS = 40
UDP_IP_LEN = 1028  # 1000 octets of payload, 8 of UDP, 20 of IPv4


def collector(lab):
    """nfcapd on a veth of its own from the gateway namespace: the gate's
    underlay is und0 here, not the bridge netlab's collector hangs off."""
    ns = lab.add(Netns(lab.tag + "c1"))
    veth(lab, ns, "col0", COLLECTOR, "203.0.113.1")
    ns.run("ip", "route", "add", "default", "via", "203.0.113.1")
    ns.addr = COLLECTOR
    ns.dir = lab.workdir + "/nfcapd"
    ns.run("mkdir", "-p", ns.dir)
    ns.nfcapd = lab.add(Proc(ns, ["nfcapd", "-l", ns.dir, "-p", "4739", "-b", COLLECTOR],
                             "nfcapd", lab.workdir))
    assert ns.nfcapd.wait_for("Startup"), ns.nfcapd.output()
    return ns


def udp_sink(peer):
    """A listener on the peer, so that the transfer draws no port unreachables."""
    script = ("import socket\n"
              "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
              "s.bind(('%s', 5001))\n"
              "s.settimeout(20)\n"
              "try:\n"
              "    while True:\n"
              "        s.recv(2048)\n"
              "except OSError:\n"
              "    pass\n" % PEER1)
    return peer.popen("timeout", "30", "/usr/bin/python3", "-c", script,
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def lab_with_device(lab):
    sgsn, peer = xdp_lab(lab)
    vpgd = start(lab)
    open_gate(vpgd, peer)
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=90)
    dev = wait_tun_address(sgsn)
    # Warm up before Inspection: both sides resolve their neighbours on the socket path.
    assert ping(peer, dev, count=1) == 1
    assert ping(sgsn, PEER1, count=1) == 1
    return vpgd, sgsn, peer, dev


def wait_handed(vpgd, before, n, timeout=10):
    """Waits until Inspection has handed n flows to XDP since the reading before."""
    name = "inspection_flows_handed_to_xdp"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if vpgd.counters().get(name, 0) - before.get(name, 0) >= n:
            return True
        time.sleep(0.1)
    return False


def wait_closed(hosts, port, timeout=10):
    """Waits until no host has a connection of port in a state but TIME-WAIT: the
    last ACK has reached whoever waited for it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        states = [line.split()[0] for ns in hosts
                  for line in ns.run("ss", "-Htan", "( sport = :%d or dport = :%d )" % (port, port))
                  .stdout.splitlines() if line.strip()]
        if all(st in ("TIME-WAIT", "LISTEN") for st in states):
            return True
        time.sleep(0.1)
    return False


def flows_in_map(lab):
    """The entries of the map of Inspection's flows of the program on gtp0, as
    bpftool reads them."""
    return json.loads(sh("bpftool", "-j", "map", "dump", "id", str(xdp_map_id(lab, "flows"))).stdout)


def enable(vpgd, collector_ns, **kw):
    body = dict({"collectors": [collector_ns.addr + ":4739"], "idleTimeout": 2}, **kw)
    status, got = vpgd.api("PUT", "/v1/junction/inspection", body)
    assert status == 200, got


def test_xdp_inspection_collector_flows_match_the_traffic_sent(lab):
    vpgd, sgsn, peer, dev = lab_with_device(lab)
    col = collector(lab)
    ipfix = lab.add(Capture(col, "eth0", lab.workdir + "/ipfix.pcap", "udp port 4739"))
    sink = udp_sink(peer)
    enable(vpgd, col)
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    # Each flow's first packet, then the rest once Inspection has handed the flow to XDP:
    # what was sent before the hand-over took effect would go up too.
    assert ping(sgsn, PEER1, count=1) == 1
    assert wait_handed(vpgd, c0, 2)  # the echo requests' flow and the replies'
    assert ping(sgsn, PEER1, count=4) == 4
    probe(sgsn, dev + ":40001", PEER1 + ":5001", [bytes(1000)], wait=0)
    assert wait_handed(vpgd, c0, 3)
    assert len(flows_in_map(lab)) == 3
    probe(sgsn, dev + ":40001", PEER1 + ":5001", [bytes(1000)] * (UDP_DATAGRAMS - 1), wait=0)
    # Idle after 2 s: both ping flows and the UDP flow, each once.
    assert wait_exported(vpgd, 3)
    x1, c1 = xdp_counters(vpgd), vpgd.counters()
    # Each flow's end took its entry out of the map.
    assert flows_in_map(lab) == []
    # /metrics says the same (the traffic is over: nothing moves these any more).
    samples = promtext.parse(vpgd.api("GET", "/metrics")[1])
    assert promtext.value(samples, "vpgd_xdp_packets_total",
                          counter="inspected_packets") == x1["inspected_packets"]
    assert promtext.value(samples, "vpgd_inspection_flows_handed_to_xdp_total") == \
        c1["inspection_flows_handed_to_xdp"]
    sink.terminate()
    sink.wait()
    time.sleep(1)
    flows = nfdump(col)
    assert (dev, PEER1, "0", "8.0", "1", "5", str(5 * PING_IP_LEN)) in flows, flows
    assert (PEER1, dev, "0", "0.0", "1", "5", str(5 * PING_IP_LEN)) in flows, flows
    assert (dev, PEER1, "40001", "5001", "17", str(UDP_DATAGRAMS),
            str(UDP_DATAGRAMS * UDP_IP_LEN)) in flows, flows
    assert len(flows) == 3, flows
    assert ipfix.problems("cflow") == ""
    rows = ipfix.fields("cflow", "cflow.srcaddr", "cflow.dstaddr", "cflow.appl_name",
                        "cflow.mib_mobile_imsi")
    names = {(s, d, a) for r in rows for s, d, a in zip(*(f.split(",") for f in r[:3]))}
    # nDPI's names, as without XDP: ICMP, and for UDP to 5001 its guess by the port.
    assert names - {("", "", "")} == {(dev, PEER1, "ICMP"), (PEER1, dev, "ICMP"),
                                      (dev, PEER1, "TargusDataspeed")}, names
    assert {i for r in rows for i in r[3].split(",") if i} == {IMSI}
    assert "Sequence Errors: 0, Bad Packets: 0" in col.nfcapd.output()

    # XDP carried all but the first packets of each flow; the socket path those.
    dx, dc = delta(x0, x1), delta(c0, c1)
    up_first, down_first = 2, 1  # nDPI names each of the three flows from its first packet
    assert dx.get("passed_inspection") == up_first + down_first, sorted(dx.items())
    assert dx.get("inspected_packets") == 4 + (UDP_DATAGRAMS - 1) + 4, dx
    assert dx.get("uplink_packets") == 4 + UDP_DATAGRAMS - 1, dx
    assert dx.get("uplink_bytes") == 4 * PING_IP_LEN + (UDP_DATAGRAMS - 1) * UDP_IP_LEN, dx
    assert dx.get("downlink_packets") == 4, dx
    assert dc.get("uplink_packets") == up_first and dc.get("downlink_packets") == down_first, dc
    assert dc.get("inspection_flows_handed_to_xdp") == 3, dc
    assert "inspection_flows_xdp_lost" not in dc and "inspection_flows_xdp_refused" not in dc
    assert vpgd.stop() == 0


def test_xdp_inspection_http_exchange_counted_exactly(lab):
    vpgd, sgsn, peer, dev = lab_with_device(lab)
    col = collector(lab)
    enable(vpgd, col, idleTimeout=30)
    # At the SGSN: one GTP-U datagram a packet, as the gateway carried them both ways (the
    # peer's vxlan0 would show its TCP segmentation offload's large segments unsplit).
    on_sgsn = lab.add(Capture(sgsn, "eth0", lab.workdir + "/web.pcap", "udp port 2152"))
    web = peer.popen("timeout", "30", "/usr/bin/python3", "-m", "http.server", "8080",
                     "--bind", PEER1, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    x0 = xdp_counters(vpgd)
    try:
        time.sleep(0.5)
        r = sgsn.run("curl", "-s", "-m", "5", "-o", "/dev/null", "-w", "%{http_code}",
                     "http://%s:8080/" % PEER1, check=False)
        assert r.stdout == "200", r
    finally:
        web.terminate()  # timeout passes TERM on to the server; KILL would orphan it
        web.wait()
    # The connection's last packet has reached its end: the gateway has counted every one.
    assert wait_closed((sgsn, peer), 8080)
    status, s = vpgd.api("GET", "/v1/junction/inspection/summary?window=60")
    assert status == 200, s
    dx = delta(x0, xdp_counters(vpgd))
    # The inner header's fields come last.
    wire = [(r[0].split(",")[-1], int(r[1].split(",")[-1]))
            for r in on_sgsn.fields("gtp && tcp.port == 8080", "ip.src", "ip.len")]
    sent = {d: [n for a, n in wire if a == src] for d, src in (("uplink", dev),
                                                              ("downlink", PEER1))}
    web_flows = {f["direction"]: f for f in s["topFlows"]
                 if 8080 in (f["sourcePort"], f["destinationPort"])}
    assert {f["application"] for f in web_flows.values()} == {"HTTP"}, web_flows
    for d in ("uplink", "downlink"):
        assert web_flows[d]["packets"] == len(sent[d]), (d, web_flows[d], sent[d])
        assert web_flows[d]["bytes"] == sum(sent[d]), (d, web_flows[d], sent[d])
    # The exchange after nDPI named it went by XDP.
    assert dx.get("inspected_packets", 0) > 0, dx
    assert dx.get("passed_inspection", 0) + dx["inspected_packets"] == len(wire), (dx, len(wire))
    assert vpgd.stop() == 0


def possible_cpus():
    """What libbpf counts the LRU's per-CPU room by: /sys's possible CPUs."""
    with open("/sys/devices/system/cpu/possible") as f:
        last = f.read().strip().split(",")[-1]
    return int(last.split("-")[-1]) + 1


def flows_map_entries(lab):
    return json.loads(sh("bpftool", "-j", "map", "show", "id",
                         str(xdp_map_id(lab, "flows"))).stdout)["max_entries"]


def test_xdp_flows_map_sized_from_the_stored_max_flows_at_start(lab):
    room = 2 * possible_cpus() * 256  # XDP_FLOWS_PER_CPU_FREE each, twice
    xdp_lab(lab)
    vpgd = start(lab)
    # Inspection never configured: room for its default 65,536 flows.
    assert flows_map_entries(lab) == 65536 + room
    col = collector(lab)
    enable(vpgd, col, maxFlows=200000)
    assert flows_map_entries(lab) == 65536 + room  # a loaded map does not grow
    assert vpgd.stop() == 0
    vpgd = start(lab)
    # Restarted, the stored maxFlows sizes the map: every flow fits beside the LRU's room.
    status, got = vpgd.api("GET", "/v1/junction/inspection")
    assert status == 200 and got["maxFlows"] == 200000, got
    assert flows_map_entries(lab) == 200000 + room
    assert vpgd.stop() == 0
