"""What tests of vpgd's UPF role add to pfcp_smf.py: IEs scapy 2.5 cannot
build or read (UE IP Address with CHV4, the packet counts of a Volume
Measurement, Failed Rule ID, the UE IP Address of a Created PDR), the lab
(vpgd with only the PFCP role, the SMF stand-in and the RAN side in one
SGSN-like namespace on br0) and the checks every test repeats.
"""
import socket
import struct
import threading
import time

from scapy.contrib import pfcp as P
from scapy.layers.inet import ICMP, IP, UDP

import pfcp_smf as S
from netlab import GW_GTP, sh

VPGD_PFCP = GW_GTP  # the PFCP role listens on the gateway's GTP address (br0)
U_PFCP = VPGD_PFCP
IE_UE_IP_ADDRESS = 93
IE_CREATE_PDR, IE_CREATE_FAR, IE_CREATE_URR, IE_CREATE_QER = 1, 3, 6, 7
IE_F_SEID, IE_NODE_ID = 57, 60
VERSION_NOT_SUPPORTED_RSP = 11


def ue_ip_choose():
    """UE IP Address with CHV4 only (TS 29.244 8.2.62: no address; the UP
    function chooses one), S/D = 0 as in an uplink PDI."""
    return P.IE_NotImplemented(ietype=IE_UE_IP_ADDRESS, data=bytes([0x10]))


def pdr_uplink_choose(pdr_id, far_id, choose_id=5, qer_ids=(), urr_ids=(), framed_route=None):
    """Uplink PDR with F-TEID CHOOSE and UE IP CHV4 (and a Framed-Route)."""
    p = S.pdi(0, S.fteid(choose_id=choose_id), P.IE_NetworkInstance(instance="internet"),
              ue_ip_choose(),
              P.IE_FramedRoute(framed_route=framed_route.encode()) if framed_route else None,
              S.interface_type(S.IF_N3))
    return S.create_pdr(pdr_id, 65535, p, far_id, qer_ids, urr_ids, outer_header_removal=6)


def pdr_downlink_route(pdr_id, far_id, ue, framed_route, qer_ids=(), urr_ids=()):
    """Downlink PDR with UE IP (destination) and a Framed-Route."""
    p = S.pdi(1, P.IE_NetworkInstance(instance="internet"), S.ue_ip(ue, destination=True),
              P.IE_FramedRoute(framed_route=framed_route.encode()), S.interface_type(S.IF_N6))
    return S.create_pdr(pdr_id, 65535, p, far_id, qer_ids, urr_ids)


def created_ue_ip(msg, pdr_id):
    """The IPv4 address in the UE IP Address IE of Created PDR `pdr_id`, or None."""
    for ie in msg.ies:
        if isinstance(ie, P.IE_CreatedPDR):
            pid = S.first(ie.IE_list, P.IE_PDR_Id)
            if pid is None or pid.id != pdr_id:
                continue
            for sub in ie.IE_list:
                if sub.ietype == IE_UE_IP_ADDRESS:
                    raw = bytes(sub)[4:]
                    assert raw[0] & 0x02, "UE IP Address without V4: %r" % raw
                    return socket.inet_ntoa(raw[1:5])
    return None


def failed_rule(msg):
    """(rule type, rule id) of the Failed Rule ID IE (TS 29.244 8.2.80: type
    0 PDR, 1 FAR, 2 QER, 3 URR, 4 BAR), or None."""
    for ie in msg.ies:
        if ie.ietype == 114:
            raw = bytes(ie)[4:]
            t = raw[0] & 0x1f
            rid = struct.unpack("!H", raw[1:3])[0] if t == 0 else (
                raw[1] if t == 4 else struct.unpack("!I", raw[1:5])[0])
            return t, rid
    return None


def usage_reports(msg):
    """Every Usage Report of a message, with what parse_usage_report reads
    plus the packet counts (TONOP/ULNOP/DLNOP) and the start/end times."""
    out = []
    for ie in msg.ies:
        if not isinstance(ie, (P.IE_UsageReport_SMR, P.IE_UsageReport_SDR, P.IE_UsageReport_SRR)):
            continue
        r = S.parse_usage_report(ie)
        vm = S.first(ie.IE_list, P.IE_VolumeMeasurement)
        r["packets"] = None
        if vm is not None:
            raw = bytes(vm)[4:]
            f = raw[0]
            vals = list(struct.unpack("!%dQ" % ((len(raw) - 1) // 8), raw[1:1 + 8 * ((len(raw) - 1) // 8)]))
            vols = {}
            for bit, name in ((0x01, "total"), (0x02, "uplink"), (0x04, "downlink")):
                vols[name] = vals.pop(0) if f & bit else None
            pk = {}
            for bit, name in ((0x08, "total"), (0x10, "uplink"), (0x20, "downlink")):
                pk[name] = vals.pop(0) if f & bit else None
            r["volume"], r["packets"] = vols, pk
        st, et = S.first(ie.IE_list, P.IE_StartTime), S.first(ie.IE_list, P.IE_EndTime)
        r["start"] = st.timestamp - S.NTP_OFFSET if st is not None else None
        r["end"] = et.timestamp - S.NTP_OFFSET if et is not None else None
        out.append(r)
    return out


class UpfLab:
    """vpgd with the PFCP role on the gateway's GTP address; one host on br0
    that is both the SMF (udp/8805) and the RAN side (udp/2152)."""

    def __init__(self, lab, **config):
        self.lab = lab
        config.setdefault("pfcp", {"listenAddress": VPGD_PFCP})
        config.setdefault("ggsn", {"enabled": False})
        # The kernel's IPv6 solicitations on the egress tun would reach vpgd as
        # counted drops (ipv4_bad_version): no IPv6 in the gateway namespace.
        for key in ("all", "default"):
            lab.gw.run("sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % key)
        self.pcap = lab.capture("pfcp.pcap", "udp port 8805", iface="br0")
        self.vpgd = lab.vpgd(lab.config(**config))
        self.ran = lab.sgsn()
        self.smf = lab.add(S.PfcpSmf(self.ran.addr, VPGD_PFCP, netns=self.ran.name))
        self.gtpu = lab.add(S.GtpuPeer(self.ran.addr, netns=self.ran.name))

    def associate(self):
        a = self.smf.associate()
        assert (a.type, a.cause, a.node_id) == (S.ASSOC_SETUP_RSP, S.ACCEPTED, VPGD_PFCP)
        for f in ("FTUP", "UEIP", "FRRT", "EMPU"):
            assert a.up_feature(f), f
        return a

    def sessions(self):
        status, body = self.vpgd.api("GET", "/v1/sessions")
        assert status == 200, body
        return body

    def stats(self):
        status, body = self.vpgd.api("GET", "/v1/stats")
        assert status == 200, body
        return body

    def send(self, teid, inner):
        self.gtpu.send(teid, inner, VPGD_PFCP)

    def recv_until(self, match, timeout=2.0):
        """The first G-PDU (GTP_U_Header packet) for which match(pkt) is true,
        reading at most until the deadline; None if none came."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = self.gtpu.recv(max(0.01, deadline - time.time()))
            if got is None:
                return None
            pkt, src = got
            assert src == (VPGD_PFCP, 2152), src
            if match(pkt):
                return pkt
        return None

    def drain(self, quiet=0.3):
        """Every G-PDU that arrives until `quiet` seconds pass without one."""
        got = []
        while True:
            g = self.gtpu.recv(quiet)
            if g is None:
                return got
            got.append(g[0])

    def assert_clean_pfcp(self, *smfs):
        """tshark decodes every PFCP message vpgd sent (captured on br0)
        without a malformed packet or an expert warning (or worse); every
        message the SMF stand-ins received from vpgd is among them."""
        path = self.pcap.stop()
        flt = "pfcp && ip.src == %s && (_ws.malformed || _ws.expert.severity >= warning)" % U_PFCP
        bad = sh("tshark", "-n", "-r", path, "-Y", flt).stdout
        assert bad == "", bad
        rows = self.pcap.fields("pfcp && ip.src == %s" % U_PFCP, "pfcp.msg_type", "pfcp.seqno")
        seen = {(int(t), int(q)) for t, q in rows}
        got = {(m.type, m.seq) for smf in (self.smf,) + smfs for m in smf.received
               if isinstance(m, S.Message) and m.type != S.HEARTBEAT_REQ}
        assert got and got <= seen, (got - seen, len(seen))


def echo(ue, dst, seq, size, ident=0x5150):
    """An ICMP echo request of exactly `size` octets of IP."""
    return IP(src=ue, dst=dst) / ICMP(id=ident, seq=seq) / (b"u" * (size - 28))


def is_echo_reply(seq, src, dst, ident=0x5150):
    def match(pkt):
        return (pkt.gtp_type == 255 and pkt.haslayer(ICMP) and pkt[ICMP].type == 0
                and pkt[ICMP].id == ident and pkt[ICMP].seq == seq
                and pkt[IP].src == src and pkt[IP].dst == dst)
    return match


class UdpSink:
    """A UDP socket in a namespace counting what arrives (datagrams, octets
    of payload, arrival times) on a thread."""

    def __init__(self, netns, addr, port):
        self.sock = S.netns_socket(netns, bind=(addr, port))
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.settimeout(0.2)
        self.times = []
        self.sizes = []
        self._stop = False
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop:
            try:
                data, _ = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            self.times.append(time.time())
            self.sizes.append(len(data))

    def close(self):
        self._stop = True
        self._t.join(2)
        self.sock.close()


def udp_gpdu(teid, ue, dst, dport, size, sport=40000):
    """The bytes of a G-PDU carrying a UDP datagram of `size` octets of IP."""
    from scapy.contrib.gtp import GTP_U_Header
    return bytes(GTP_U_Header(teid=teid, gtp_type=255) /
                 IP(src=ue, dst=dst) / UDP(sport=sport, dport=dport) / (b"m" * (size - 28)))
