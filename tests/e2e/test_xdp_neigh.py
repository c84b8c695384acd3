"""The gate's neighbours with native XDP on the gateway's veths: a peer that
changes its MAC is learnt by user space although XDP carries its traffic.

Send: pings between a gate peer (the kernel's VXLAN) and an sgsnemu device;
the peer changes its MAC; pings again.
Verify: before the change XDP carries every packet; the first frame from the
new MAC goes up (passed_unknown_sender), the gate learns the MAC (the API
shows it), and XDP then carries every packet again, to the new MAC (tshark
at the peer).
"""
from netlab import Capture, delta
from test_gate import PEER1, open_gate, ping
from test_gtp_attach import wait_tun_address
from test_xdp import IMSI, start, xdp_counters, xdp_lab

NEW_MAC = "02:00:00:aa:bb:cc"


def test_xdp_peer_mac_change_learnt_then_carried(lab):
    sgsn, peer = xdp_lab(lab)
    vpgd = start(lab)
    open_gate(vpgd, peer)
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=60)
    dev = wait_tun_address(sgsn)
    assert ping(peer, dev, count=1) == 1

    x0 = xdp_counters(vpgd)
    assert ping(peer, dev, count=5) == 5
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("downlink_packets") == 5 and dx.get("uplink_packets") == 5, dx
    assert "passed_unknown_sender" not in dx, dx

    # The peer's entry for the device is put back at once (the change flushed it): no ARP,
    # which would teach the gate the new MAC by itself; the first IPv4 frame is what tells.
    gw_mac = peer.run("ip", "neigh", "show", dev, "dev", "vxlan0").stdout.split("lladdr ")[1].split()[0]
    peer.run("ip", "link", "set", "vxlan0", "address", NEW_MAC)
    peer.run("ip", "neigh", "replace", dev, "lladdr", gw_mac, "dev", "vxlan0", "nud", "permanent")
    x0, c0 = xdp_counters(vpgd), vpgd.counters()
    assert ping(peer, dev, count=3) == 3
    dx, dc = delta(x0, xdp_counters(vpgd)), delta(c0, vpgd.counters())
    # The first request from the new MAC went up and was learnt; the rest stayed in XDP.
    assert dx.get("passed_unknown_sender") == 1, (sorted(dx.items()), sorted(dc.items()))
    assert dx.get("downlink_packets") == 2 and dx.get("uplink_packets") == 3, dx
    assert dc.get("gate_to_device_packets") == 1, dc
    assert vpgd.api("GET", "/v1/gate/peers")[1][0]["macAddress"] == NEW_MAC

    on_peer = lab.add(Capture(peer, "eth0", lab.workdir + "/peer.pcap", "udp port 4789"))
    x0 = xdp_counters(vpgd)
    assert ping(peer, dev, count=4) == 4
    dx = delta(x0, xdp_counters(vpgd))
    assert dx.get("downlink_packets") == 4 and dx.get("uplink_packets") == 4, dx
    assert "passed_unknown_sender" not in dx, dx
    rows = on_peer.fields("vxlan && icmp.type == 0", "eth.dst")
    assert len(rows) == 4 and {r[0].split(",")[-1] for r in rows} == {NEW_MAC}, rows
    assert vpgd.stop() == 0
