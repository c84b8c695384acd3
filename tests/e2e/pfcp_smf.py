"""A scapy SMF (CP function) stand-in that drives a user plane over PFCP (TS 29.244).

    smf = PfcpSmf("10.201.0.1", "10.201.0.2", netns="mylab-smf")
    smf.associate()                                   # Association Setup, Recovery Time Stamp, Node ID
    s = smf.establish([pdr_uplink(2, far_id=2, choose_id=5, ue_ipv4=UE),
                       pdr_downlink(1, far_id=1, ue_ipv4=UE),
                       far_forward(1, "Access", teid=0x1234, peer="10.201.0.1"),
                       far_forward(2, "Core"),
                       qer(1, mbr_ul=100000, mbr_dl=100000)],
                      imsi="999010000000001", apn="internet")
    assert s.cause == 1
    teid, addr = s.created_pdrs[2]                    # the F-TEID the user plane chose
    smf.modify(s, [update_far_forward(1, teid=0x99, peer="10.201.0.1")])
    report = smf.next_report(timeout=10)              # a Session Report Request, answered already
    smf.delete(s)
    smf.close()

Messages are built with scapy.contrib.pfcp (Debian python3-scapy 2.5.0) and
checked with tshark: its PFCP lengths are right (unlike its GTPv2 ones), but
  - PFCP() defaults to S=1: node messages (heartbeat, association) need S=0;
  - a Recovery Time Stamp is NTP seconds (since 1900), not Unix time;
  - User ID's IMSI/IMEI/MSISDN fields are raw octets: they are TBCD-encoded here;
  - UE IP Address lacks the CHV4/CHV6/IPv6D flags, CP Function Features has
    only LOAD/OVRL, and UP Function Features decodes only the first 2 octets.
A receiver thread answers the user plane's Heartbeat Requests at once (a
test may sleep without losing the association) and answers Session Report
Requests with `report_cause`, queueing them for next_report().

The sockets are opened inside `netns` (setns(2) on the calling thread for the
duration of socket() and bind()), so the test process itself stays outside.
"""
import ctypes
import os
import queue
import random
import socket
import threading
import time

from scapy.contrib import pfcp as P
from scapy.contrib.gtp import GTP_U_Header

NTP_OFFSET = 2208988800  # 1900-01-01 to 1970-01-01

# Message types
HEARTBEAT_REQ, HEARTBEAT_RSP = 1, 2
ASSOC_SETUP_REQ, ASSOC_SETUP_RSP = 5, 6
ASSOC_RELEASE_REQ, ASSOC_RELEASE_RSP = 9, 10
NODE_REPORT_REQ, NODE_REPORT_RSP = 12, 13
EST_REQ, EST_RSP = 50, 51
MOD_REQ, MOD_RSP = 52, 53
DEL_REQ, DEL_RSP = 54, 55
REPORT_REQ, REPORT_RSP = 56, 57

# Cause values (TS 29.244 8.2.1)
ACCEPTED = 1
REJECTED = 64
SESSION_NOT_FOUND = 65
MANDATORY_IE_MISSING = 66
CONDITIONAL_IE_MISSING = 67
INVALID_LENGTH = 68
MANDATORY_IE_INCORRECT = 69
INVALID_FTEID_ALLOCATION = 71
NO_ASSOCIATION = 72
RULE_FAILURE = 73
NO_RESOURCES = 75

# 3GPP Interface Type values
IF_N3 = 11        # "N3 3GPP Access" (open5gs puts it on the Access side, Gn/S5 too)
IF_N6 = 17
IF_S5U = 1        # S5/S8-U (scapy's table: 0 S1-U, 1 S5/S8-U, 2 S4-U, 3 S11-U, 4 S12-U, 5 Gn/Gp-U ...)
IF_GN_GP_U = 5

_REQUESTS = {HEARTBEAT_REQ: P.PFCPHeartbeatRequest, ASSOC_SETUP_REQ: P.PFCPAssociationSetupRequest,
             ASSOC_RELEASE_REQ: P.PFCPAssociationReleaseRequest, EST_REQ: P.PFCPSessionEstablishmentRequest,
             MOD_REQ: P.PFCPSessionModificationRequest, DEL_REQ: P.PFCPSessionDeletionRequest}
_RESPONSES = {HEARTBEAT_RSP: P.PFCPHeartbeatResponse, REPORT_RSP: P.PFCPSessionReportResponse,
              NODE_REPORT_RSP: P.PFCPNodeReportResponse, ASSOC_SETUP_RSP: P.PFCPAssociationSetupResponse,
              ASSOC_RELEASE_RSP: P.PFCPAssociationReleaseResponse}
_SESSION_TYPES = range(50, 100)


# ---------------------------------------------------------------- namespaces

_CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def netns_socket(netns, family=socket.AF_INET, type=socket.SOCK_DGRAM, bind=None):
    """A socket created (and bound) inside network namespace `netns` (a name
    under /var/run/netns, or None for the current one)."""
    if netns is None:
        s = socket.socket(family, type)
        if bind:
            s.bind(bind)
        return s
    own = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
    target = os.open("/var/run/netns/" + netns, os.O_RDONLY)
    try:
        if _libc.setns(target, _CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), "setns(%s)" % netns)
        try:
            s = socket.socket(family, type)
            if bind:
                s.bind(bind)
        finally:
            if _libc.setns(own, _CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns back")
        return s
    finally:
        os.close(own)
        os.close(target)


# ---------------------------------------------------------------- IE builders

def tbcd(digits):
    """TBCD octets (TS 29.274 8.3): two digits per octet, low nibble first, F filler."""
    d = [int(c) for c in digits] + ([0xf] if len(digits) % 2 else [])
    return bytes(d[i] | (d[i + 1] << 4) for i in range(0, len(d), 2))


def node_id(ipv4):
    return P.IE_NodeId(id_type=0, ipv4=ipv4)


def recovery_time_stamp(unix_time):
    return P.IE_RecoveryTimeStamp(timestamp=int(unix_time) + NTP_OFFSET)


def fseid(seid, ipv4):
    return P.IE_FSEID(v4=1, v6=0, seid=seid, ipv4=ipv4)


def fteid(teid=None, ipv4=None, choose_id=None):
    """An F-TEID: explicit (teid, ipv4), or CHOOSE (CH, with V4 as the SMF
    sends it) with an optional CHOOSE ID (CHID): PDRs with the same CHOOSE ID
    share one TEID."""
    if teid is None:
        if choose_id is None:
            return P.IE_FTEID(CH=1, CHID=0, V4=1, V6=0)
        return P.IE_FTEID(CH=1, CHID=1, V4=1, V6=0, choose_id=choose_id)
    return P.IE_FTEID(CH=0, CHID=0, V4=1, V6=0, TEID=teid, ipv4=ipv4)


def ue_ip(ipv4, destination):
    """UE IP Address; S/D=1 (destination) in a downlink (Core) PDI."""
    return P.IE_UE_IP_Address(SD=1 if destination else 0, V4=1, V6=0, ipv4=ipv4)


def sdf_filter(flow_description):
    """SDF Filter with a Flow Description, e.g. 'permit out ip from any to assigned'."""
    if isinstance(flow_description, str):
        flow_description = flow_description.encode()
    return P.IE_SDF_Filter(FD=1, flow_description=flow_description)


def interface_type(value):
    return P.IE_3GPP_InterfaceType(interface_type=value)


def pdi(source, *ies):
    """PDI: Source Interface (0 Access, 1 Core, 2 SGi-LAN, 3 CP-function) then ies."""
    return P.IE_PDI(IE_list=[P.IE_SourceInterface(interface=source)] + [x for x in ies if x is not None])


def create_pdr(pdr_id, precedence, pdi_ie, far_id=None, qer_ids=(), urr_ids=(), outer_header_removal=None):
    """Create PDR. outer_header_removal: 0 = GTP-U/UDP/IPv4, 6 = GTP-U/UDP/IP (what open5gs sends)."""
    ies = [P.IE_PDR_Id(id=pdr_id), P.IE_Precedence(precedence=precedence), pdi_ie]
    if outer_header_removal is not None:
        ies.append(P.IE_OuterHeaderRemoval(header=outer_header_removal))
    if far_id is not None:
        ies.append(P.IE_FAR_Id(id=far_id))
    ies += [P.IE_URR_Id(id=u) for u in urr_ids]
    ies += [P.IE_QER_Id(id=q) for q in qer_ids]
    return P.IE_CreatePDR(IE_list=ies)


def pdr_uplink(pdr_id, far_id, ue_ipv4=None, teid=None, gtpu_addr=None, choose_id=None,
               network_instance="internet", qer_ids=(), urr_ids=(), precedence=65535, sdf=None,
               iface=IF_N3, outer_header_removal=6):
    """Uplink PDR as the SMF builds it: Source Access, F-TEID (CHOOSE with
    `choose_id` unless teid/gtpu_addr are given), Network Instance, UE IP
    (source), optional SDF filter, 3GPP Interface Type, Outer Header Removal."""
    p = pdi(0, fteid(teid, gtpu_addr, choose_id),
            P.IE_NetworkInstance(instance=network_instance) if network_instance else None,
            sdf_filter(sdf) if sdf else None,
            ue_ip(ue_ipv4, destination=False) if ue_ipv4 else None,
            interface_type(iface) if iface is not None else None)
    return create_pdr(pdr_id, precedence, p, far_id, qer_ids, urr_ids, outer_header_removal)


def pdr_downlink(pdr_id, far_id, ue_ipv4, network_instance="internet", qer_ids=(), urr_ids=(),
                 precedence=65535, sdf=None, iface=IF_N6):
    """Downlink PDR: Source Core, Network Instance, UE IP (destination), SDF, N6."""
    p = pdi(1, P.IE_NetworkInstance(instance=network_instance) if network_instance else None,
            sdf_filter(sdf) if sdf else None,
            ue_ip(ue_ipv4, destination=True),
            interface_type(iface) if iface is not None else None)
    return create_pdr(pdr_id, precedence, p, far_id, qer_ids, urr_ids)


def outer_header_creation(teid, ipv4):
    return P.IE_OuterHeaderCreation(GTPUUDPIPV4=1, TEID=teid, ipv4=ipv4)


def apply_action(forw=0, drop=0, buff=0, nocp=0, dupl=0):
    return P.IE_ApplyAction(spare=0, DUPL=dupl, NOCP=nocp, BUFF=buff, FORW=forw, DROP=drop)


_DEST = {"Access": 0, "Core": 1, "SGi-LAN": 2, "CP-function": 3, "LI": 4}


def forwarding_parameters(dest, teid=None, peer=None, network_instance=None, iface=None, update=False):
    ies = [P.IE_DestinationInterface(interface=_DEST.get(dest, dest))]
    if network_instance:
        ies.append(P.IE_NetworkInstance(instance=network_instance))
    if teid is not None:
        ies.append(outer_header_creation(teid, peer))
    if iface is not None:
        ies.append(interface_type(iface))
    cls = P.IE_UpdateForwardingParameters if update else P.IE_ForwardingParameters
    return cls(IE_list=ies)


def far_forward(far_id, dest, teid=None, peer=None, network_instance="internet", iface=None, bar_id=None):
    """FAR with Apply Action FORW to `dest` ("Access", "Core", "CP-function"),
    with Outer Header Creation GTP-U/UDP/IPv4 (teid, peer) when teid is given."""
    if iface is None:
        iface = IF_N3 if dest == "Access" else IF_N6 if dest == "Core" else None
    ies = [P.IE_FAR_Id(id=far_id), apply_action(forw=1),
           forwarding_parameters(dest, teid, peer, network_instance, iface)]
    if bar_id is not None:
        ies.append(P.IE_BAR_Id(id=bar_id))
    return P.IE_CreateFAR(IE_list=ies)


def far_drop(far_id):
    return P.IE_CreateFAR(IE_list=[P.IE_FAR_Id(id=far_id), apply_action(drop=1)])


def far_buffer(far_id, nocp=True, bar_id=None):
    ies = [P.IE_FAR_Id(id=far_id), apply_action(buff=1, nocp=int(nocp))]
    if bar_id is not None:
        ies.append(P.IE_BAR_Id(id=bar_id))
    return P.IE_CreateFAR(IE_list=ies)


def update_far_forward(far_id, dest="Access", teid=None, peer=None, network_instance=None, iface=None):
    """Update FAR: FORW with new forwarding parameters (e.g. the SGSN's new TEID)."""
    return P.IE_UpdateFAR(IE_list=[P.IE_FAR_Id(id=far_id), apply_action(forw=1),
                                   forwarding_parameters(dest, teid, peer, network_instance, iface, update=True)])


def update_far_action(far_id, forw=0, drop=0, buff=0, nocp=0):
    return P.IE_UpdateFAR(IE_list=[P.IE_FAR_Id(id=far_id), apply_action(forw, drop, buff, nocp)])


def qer(qer_id, ul_gate="OPEN", dl_gate="OPEN", mbr_ul=None, mbr_dl=None, gbr_ul=None, gbr_dl=None,
        correlation_id=None):
    """Create QER: Gate Status (OPEN/CLOSED), MBR/GBR in kbit/s."""
    ies = [P.IE_QER_Id(id=qer_id)]
    if correlation_id is not None:
        ies.append(P.IE_QERCorrelationId(id=correlation_id))
    ies.append(P.IE_GateStatus(ul=ul_gate, dl=dl_gate))
    if mbr_ul is not None or mbr_dl is not None:
        ies.append(P.IE_MBR(ul=mbr_ul or 0, dl=mbr_dl or 0))
    if gbr_ul is not None or gbr_dl is not None:
        ies.append(P.IE_GBR(ul=gbr_ul or 0, dl=gbr_dl or 0))
    return P.IE_CreateQER(IE_list=ies)


def update_qer_gate(qer_id, ul_gate="OPEN", dl_gate="OPEN"):
    return P.IE_UpdateQER(IE_list=[P.IE_QER_Id(id=qer_id), P.IE_GateStatus(ul=ul_gate, dl=dl_gate)])


def urr(urr_id, volume_threshold=None, uplink=None, downlink=None, period=None, time_threshold=None,
        duration=False):
    """Create URR measuring volume (and duration if asked): a total volume
    threshold (and/or uplink/downlink thresholds) in octets, a reporting
    period and a time threshold in seconds. Reporting Triggers follow."""
    ies = [P.IE_URR_Id(id=urr_id),
           P.IE_MeasurementMethod(EVENT=0, VOLUM=1, DURAT=int(duration)),
           P.IE_ReportingTriggers(periodic_reporting=int(period is not None),
                                  volume_threshold=int(volume_threshold is not None or uplink is not None
                                                       or downlink is not None),
                                  time_threshold=int(time_threshold is not None))]
    if period is not None:
        ies.append(P.IE_MeasurementPeriod(period=period))
    if volume_threshold is not None or uplink is not None or downlink is not None:
        v = {}
        if volume_threshold is not None:
            v.update(TOVOL=1, total=volume_threshold)
        if uplink is not None:
            v.update(ULVOL=1, uplink=uplink)
        if downlink is not None:
            v.update(DLVOL=1, downlink=downlink)
        ies.append(P.IE_VolumeThreshold(**v))
    if time_threshold is not None:
        ies.append(P.IE_TimeThreshold(threshold=time_threshold))
    return P.IE_CreateURR(IE_list=ies)


def query_urr(urr_id):
    return P.IE_QueryURR(IE_list=[P.IE_URR_Id(id=urr_id)])


def bar(bar_id=1):
    return P.IE_Create_BAR(IE_list=[P.IE_BAR_Id(id=bar_id)])


def remove_pdr(pdr_id):
    return P.IE_RemovePDR(IE_list=[P.IE_PDR_Id(id=pdr_id)])


def remove_far(far_id):
    return P.IE_RemoveFAR(IE_list=[P.IE_FAR_Id(id=far_id)])


def remove_qer(qer_id):
    return P.IE_RemoveQER(IE_list=[P.IE_QER_Id(id=qer_id)])


def remove_urr(urr_id):
    return P.IE_RemoveURR(IE_list=[P.IE_URR_Id(id=urr_id)])


def pdn_type(value=1):
    """PDN Type: 1 IPv4, 2 IPv6, 3 IPv4v6, 4 Non-IP, 5 Ethernet."""
    return P.IE_PDNType(pdn_type=value)


def user_id(imsi=None, imei=None, msisdn=None):
    ies = {}
    if imsi:
        ies.update(IMSIF=1, imsi=tbcd(imsi))
    if imei:
        ies.update(IMEIF=1, imei=tbcd(imei))
    if msisdn:
        ies.update(MSISDNF=1, msisdn=tbcd(msisdn))
    return P.IE_UserId(**ies)


def apn_dnn(name):
    return P.IE_APN_DNN(apn_dnn=name)


def open5gs_session(ue, sgsn_teid, sgsn_addr, choose_id=5, apn="internet", mbr_ul=100000, mbr_dl=100000):
    """The rules open5gs-smfd sends for a Gn/S5 PDN connection, without its two
    CP-function PDRs: PDR 1 downlink -> FAR 1 (Access, GTP-U to the SGSN/SGW),
    PDR 2 uplink (F-TEID CHOOSE) -> FAR 2 (Core), QER 1 open with MBR, BAR 1."""
    return [pdr_downlink(1, far_id=1, ue_ipv4=ue, network_instance=apn, qer_ids=[1]),
            pdr_uplink(2, far_id=2, ue_ipv4=ue, choose_id=choose_id, network_instance=apn, qer_ids=[1]),
            far_forward(1, "Access", teid=sgsn_teid, peer=sgsn_addr, network_instance=apn),
            far_forward(2, "Core", network_instance=apn),
            qer(1, mbr_ul=mbr_ul, mbr_dl=mbr_dl),
            bar(1)]


# ---------------------------------------------------------------- messages

def header(msg_type, seq, seid=None):
    if seid is None:
        return P.PFCP(version=1, S=0, message_type=msg_type, seq=seq)
    return P.PFCP(version=1, S=1, seid=seid, message_type=msg_type, seq=seq)


def build(msg_type, seq, ies, seid=None):
    """Bytes of one PFCP message. seid=None: a node message (S=0)."""
    cls = _REQUESTS.get(msg_type) or _RESPONSES.get(msg_type)
    return bytes(header(msg_type, seq, seid) / cls(IE_list=list(ies)))


def walk(ies):
    """Every IE of a list, depth first (grouped IEs and their members)."""
    for ie in ies or []:
        yield ie
        if isinstance(ie, P.IE_Compound):
            yield from walk(ie.IE_list)


def first(ies, cls):
    for ie in ies or []:
        if isinstance(ie, cls):
            return ie
    return None


def _volume(ie):
    if ie is None:
        return None
    return {"total": ie.total if ie.TOVOL else None, "uplink": ie.uplink if ie.ULVOL else None,
            "downlink": ie.downlink if ie.DLVOL else None}


def parse_usage_report(ie):
    """A Usage Report IE as a dict: urr_id, seqn, trigger (set of scapy flag
    names, e.g. {'VOLTH'}), volume {total, uplink, downlink}, duration."""
    ies = ie.IE_list
    trig = first(ies, P.IE_UsageReportTrigger)
    names = set()
    if trig is not None:
        names = {f.name for f in trig.fields_desc[2:] if f.name != "extra_data" and getattr(trig, f.name)}
    dur = first(ies, P.IE_DurationMeasurement)
    rid = first(ies, P.IE_URR_Id)
    seqn = first(ies, P.IE_UR_SEQN)
    return {"urr_id": rid.id if rid else None, "seqn": seqn.number if seqn else None, "trigger": names,
            "volume": _volume(first(ies, P.IE_VolumeMeasurement)),
            "duration": dur.duration if dur is not None else None}


class Message:
    """A parsed PFCP message: header fields, the top-level IEs, and what tests read."""

    def __init__(self, data, src=None):
        self.raw = data
        self.src = src
        self.pkt = P.PFCP(data)
        self.type = self.pkt.message_type
        self.seq = self.pkt.seq
        self.seid = self.pkt.seid if self.pkt.S else None
        self.ies = list(getattr(self.pkt.payload, "IE_list", None) or [])
        c = first(self.ies, P.IE_Cause)
        self.cause = c.cause if c is not None else None
        o = first(self.ies, P.IE_OffendingIE)
        self.offending_ie = o.type if o is not None else None
        f = first(self.ies, P.IE_FSEID)
        self.fseid = (f.seid, f.ipv4 if f.v4 else None) if f is not None else None
        r = first(self.ies, P.IE_RecoveryTimeStamp)
        self.recovery = r.timestamp - NTP_OFFSET if r is not None else None
        n = first(self.ies, P.IE_NodeId)
        self.node_id = (n.ipv4 if n.id_type == 0 else n.ipv6 if n.id_type == 1 else n.id) if n is not None else None
        u = first(self.ies, P.IE_UPFunctionFeatures)
        self.up_features = bytes(u)[4:] if u is not None else None
        self.created_pdrs = {}
        for ie in self.ies:
            if isinstance(ie, P.IE_CreatedPDR):
                pid = first(ie.IE_list, P.IE_PDR_Id)
                ft = first(ie.IE_list, P.IE_FTEID)
                if pid is not None:
                    self.created_pdrs[pid.id] = (ft.TEID, ft.ipv4) if ft is not None and not ft.CH else None
        self.usage_reports = [parse_usage_report(ie) for ie in self.ies
                              if isinstance(ie, (P.IE_UsageReport_SMR, P.IE_UsageReport_SDR, P.IE_UsageReport_SRR))]
        rt = first(self.ies, P.IE_ReportType)
        self.report_type = {k for k in ("DLDR", "USAR", "ERIR", "UPIR") if getattr(rt, k)} if rt is not None else set()

    def up_feature(self, name):
        """Whether UP Function Features has flag `name` (TS 29.244 8.2.25:
        octet 5 BUCP DDND DLBD TRST FTUP PFDM HEEU TREU (bit 1..8), octet 6
        EMPU PDIU UDBC QUOAC TRACE FRRT PFDE EPFAR, octet 7 DPDRA ADPDP UEIP
        SSET MNOP MTE BUNDL GCOM, octet 8 MPAS RTTL VTIME NORP IPTV IP6PL TSCU MPTCP)."""
        names = ["BUCP", "DDND", "DLBD", "TRST", "FTUP", "PFDM", "HEEU", "TREU",
                 "EMPU", "PDIU", "UDBC", "QUOAC", "TRACE", "FRRT", "PFDE", "EPFAR",
                 "DPDRA", "ADPDP", "UEIP", "SSET", "MNOP", "MTE", "BUNDL", "GCOM",
                 "MPAS", "RTTL", "VTIME", "NORP", "IPTV", "IP6PL", "TSCU", "MPTCP"]
        i = names.index(name)
        f = self.up_features or b""
        return i // 8 < len(f) and bool(f[i // 8] & (1 << (i % 8)))

    def __repr__(self):
        return "<PFCP type %d seq %d seid %s cause %s>" % (self.type, self.seq, self.seid, self.cause)


class Session:
    """One PFCP session: CP SEID, and the user plane's F-SEID and answers."""

    def __init__(self, cp_seid):
        self.cp_seid = cp_seid
        self.up_seid = None
        self.up_addr = None
        self.response = None

    @property
    def cause(self):
        return self.response.cause if self.response else None

    @property
    def created_pdrs(self):
        return self.response.created_pdrs if self.response else {}

    @property
    def offending_ie(self):
        return self.response.offending_ie if self.response else None


class PfcpError(AssertionError):
    pass


class PfcpSmf:
    """The CP function side of one PFCP association (UDP 8805)."""

    def __init__(self, local, remote, netns=None, port=8805, timeout=3.0, retries=0, recovery=None,
                 report_cause=ACCEPTED):
        self.local = local
        self.remote = (remote, port)
        self.timeout = timeout
        self.retries = retries
        self.recovery = int(recovery if recovery is not None else time.time())
        self.report_cause = report_cause
        self.sock = netns_socket(netns, bind=(local, port))
        self.sock.settimeout(0.2)
        self.seq = random.randint(1, 0x7fff)
        self.next_seid = random.randint(1, 0xffff) << 16
        self.sent = []          # bytes of every message sent (for tshark checks)
        self.received = []      # every Message received
        self.peer_recovery = None
        self.heartbeats_answered = 0
        self.reports = queue.Queue()
        self.sessions = {}      # CP SEID -> Session
        self._pending = {}
        self._lock = threading.Lock()
        self._stop = False
        self._rx = threading.Thread(target=self._receive, daemon=True)
        self._rx.start()

    # ------------------------------------------------------------ transport
    def close(self):
        self._stop = True
        self._rx.join(2)
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _send(self, data, dst=None):
        self.sent.append(data)
        self.sock.sendto(data, dst or self.remote)

    def _receive(self):
        while not self._stop:
            try:
                data, src = self.sock.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                m = Message(data, src)
            except Exception:  # not PFCP: keep it for the test to look at
                self.received.append((data, src))
                continue
            self.received.append(m)
            if m.type == HEARTBEAT_REQ:
                self.peer_recovery = m.recovery
                self._send(build(HEARTBEAT_RSP, m.seq, [recovery_time_stamp(self.recovery)]), src)
                self.heartbeats_answered += 1
            elif m.type == REPORT_REQ:
                # The response's header SEID is the receiver's: the user plane's SEID.
                sess = self.sessions.get(m.seid)
                self._send(build(REPORT_RSP, m.seq, [P.IE_Cause(cause=self.report_cause)],
                                 seid=sess.up_seid if sess else 0), src)
                self.reports.put(m)
            elif m.type == NODE_REPORT_REQ:
                self._send(build(NODE_REPORT_RSP, m.seq, [node_id(self.local), P.IE_Cause(cause=ACCEPTED)]), src)
            elif m.type == ASSOC_SETUP_REQ:  # a user plane that sets the association up itself
                self.peer_recovery = m.recovery
                self._send(build(ASSOC_SETUP_RSP, m.seq, [node_id(self.local), P.IE_Cause(cause=ACCEPTED),
                                                          recovery_time_stamp(self.recovery)]), src)
            else:
                with self._lock:
                    w = self._pending.get(m.seq)
                if w is not None:
                    w.put(m)

    def request(self, msg_type, ies, seid=None, timeout=None, expect=True):
        """Sends a request and returns the response Message with the same
        sequence number (retransmitting `retries` times), or raises PfcpError.
        expect=False: send only (returns None)."""
        self.seq = (self.seq + 1) & 0xffffff
        seq = self.seq
        data = build(msg_type, seq, ies, seid)
        if not expect:
            self._send(data)
            return None
        w = queue.Queue()
        with self._lock:
            self._pending[seq] = w
        try:
            for _ in range(self.retries + 1):
                self._send(data)
                try:
                    return w.get(timeout=timeout or self.timeout)
                except queue.Empty:
                    continue
            raise PfcpError("no response to PFCP message type %d seq %d from %s" % (msg_type, seq, self.remote))
        finally:
            with self._lock:
                self._pending.pop(seq, None)

    # ------------------------------------------------------------ procedures
    def associate(self, cp_features=None):
        """Association Setup Request (Node ID, Recovery Time Stamp, CP Function
        Features). Returns the response (cause, node_id, recovery, up_features)."""
        ies = [node_id(self.local), recovery_time_stamp(self.recovery)]
        if cp_features is not None:
            ies.append(P.IE_CPFunctionFeatures(**cp_features))
        else:
            ies.append(P.IE_CPFunctionFeatures())
        r = self.request(ASSOC_SETUP_REQ, ies)
        self.peer_recovery = r.recovery
        return r

    def release(self):
        """Association Release Request (open5gs-upfd does not implement it: no answer)."""
        return self.request(ASSOC_RELEASE_REQ, [node_id(self.local)])

    def heartbeat(self):
        return self.request(HEARTBEAT_REQ, [recovery_time_stamp(self.recovery)])

    def establish(self, rules, imsi=None, imei=None, msisdn=None, apn="internet", pdn=1, extra=(),
                  cp_seid=None):
        """Session Establishment Request: Node ID, CP F-SEID, the caller's
        Create PDR/FAR/QER/URR/BAR IEs, PDN Type, User ID, APN/DNN. Returns a
        Session (cause, up_seid, created_pdrs {pdr_id: (teid, addr)}, response)."""
        if cp_seid is None:
            self.next_seid += 1
            cp_seid = self.next_seid
        s = Session(cp_seid)
        ies = [node_id(self.local), fseid(cp_seid, self.local)] + list(rules)
        if pdn is not None:
            ies.append(pdn_type(pdn))
        if imsi or imei or msisdn:
            ies.append(user_id(imsi, imei, msisdn))
        if apn:
            ies.append(apn_dnn(apn))
        ies += list(extra)
        r = self.request(EST_REQ, ies, seid=0)
        s.response = r
        if r.fseid:
            s.up_seid, s.up_addr = r.fseid
        self.sessions[cp_seid] = s
        return s

    def modify(self, session, ies):
        """Session Modification Request (header SEID = the user plane's)."""
        r = self.request(MOD_REQ, list(ies), seid=session.up_seid)
        session.response = r
        return r

    def delete(self, session):
        """Session Deletion Request; the response carries final usage reports."""
        r = self.request(DEL_REQ, [], seid=session.up_seid)
        session.response = r
        return r

    def next_report(self, timeout=10):
        """The next Session Report Request the user plane sent (already
        answered with report_cause), or raises PfcpError."""
        try:
            return self.reports.get(timeout=timeout)
        except queue.Empty:
            raise PfcpError("no Session Report Request within %ss" % timeout)


# ---------------------------------------------------------------- GTP-U peer

class GtpuPeer:
    """The access side (an SGSN/SGW/gNB): G-PDUs to and from the user plane."""

    def __init__(self, local, netns=None, port=2152):
        self.local = local
        self.sock = netns_socket(netns, bind=(local, port))
        self.sock.settimeout(2)

    def send(self, teid, inner, dst):
        """Sends scapy packet `inner` (an IP packet) as a G-PDU with `teid` to dst."""
        self.sock.sendto(bytes(GTP_U_Header(teid=teid, gtp_type=255) / inner), (dst, 2152))

    def recv(self, timeout=2):
        """(GTP_U_Header packet, source address) of the next datagram, or None."""
        self.sock.settimeout(timeout)
        try:
            data, src = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        return GTP_U_Header(data), src

    def close(self):
        self.sock.close()


def write_pcap(path, messages, src="10.0.0.1", dst="10.0.0.2"):
    """Writes PFCP message bytes into a pcap (UDP 8805) for tshark to check."""
    from scapy.layers.inet import IP, UDP
    from scapy.utils import wrpcap
    from scapy.packet import Raw
    wrpcap(path, [IP(src=src, dst=dst) / UDP(sport=8805, dport=8805) / Raw(m) for m in messages])
