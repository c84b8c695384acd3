"""A scapy SGW (SGW-C and SGW-U) for end-to-end tests of a PGW on S5/S8.

It plays the serving gateway towards a PGW: GTPv2-C (TS 29.274) on udp/2123
and GTPv1-U (TS 29.281) on udp/2152, both bound on one local address inside a
network namespace (setns(2) on the calling thread only while the sockets are
made, as pfcp_smf.netns_socket does; the test process itself stays outside).

    with ScapySgw("o5-sgsn", "172.31.1.1", "172.31.1.2") as sgw:
        s = sgw.create_session("001010000000002", apn="internet")
        assert s.cause == ACCEPTED
        s.ue_addr, s.pgw_c, s.pgw_u          # "10.45.0.2", (teid, addr), (teid, addr)
        sgw.send_gpdu(s, bytes(IP(src=s.ue_addr, dst="10.45.0.1") / ICMP()))
        teid, inner = sgw.recv_gpdu(timeout=2)   # teid == s.sgw_u_teid
        sgw.modify_bearer(s, new_sgw_u_teid=0x4242)
        req = sgw.wait_request(DELETE_BEARER_REQ, timeout=5)
        sgw.answer(req)                      # Cause 16 and the EBI(s) it named
        sgw.delete_session(s)

Messages are built with scapy.contrib.gtp_v2 (Debian python3-scapy 2.5.0),
whose lengths are wrong in two ways that are corrected here:
  - most IE lengths come out 2 octets too long: every IE is rebuilt with its
    length recomputed (fixlen, recursively for grouped IEs);
  - the header's Message Length is computed as for GTPv1 (total - 8), 4
    octets short whenever T=1: the header is packed with the right length
    (total - 4). tshark does not flag the short one; a strict PGW refuses it.
PAA, PCO and APCO are raw octets here (raw_ie), as scapy's classes for them
encode only a few options. Every message received is decoded by hand
(type(1), length(2), spare/instance(1), value; Bearer Context grouped), never
by scapy, so a response scapy would mis-decode is still read right; a
message that does not parse keeps its `error` and whatever came before it.

Two receiver threads run: GTP-C (responses matched to requests by sequence
number; PGW-initiated requests queued for wait_request; Echo Requests
answered at once unless auto_echo=False; everything else queued for recv)
and GTP-U (G-PDUs queued for recv_gpdu, GTP-U Echo Requests answered, Error
Indications and End Markers kept). Queues and lists are bounded; every wait
has a timeout; close() (or leaving the with-block) stops both threads and
closes both sockets.

Limits: IPv4 transport only; one bearer per session is created (more can
be named in Update/Delete Bearer requests, which answer() covers); no
retransmission of PGW-initiated requests is detected (a repeated request is
queued again); no IPv6 user plane checks beyond carrying the PAA's prefix.
"""
import collections
import queue
import random
import socket
import struct
import threading
import time

from scapy.contrib import gtp_v2 as g
from scapy.contrib.gtp import GTP_U_Header
from scapy.packet import Raw

from pfcp_smf import netns_socket

GTPC_PORT = 2123
GTPU_PORT = 2152

# Message types (TS 29.274 Table 6.1-1)
ECHO_REQ, ECHO_RSP, VERSION_NOT_SUPPORTED = 1, 2, 3
CREATE_SESSION_REQ, CREATE_SESSION_RSP = 32, 33
MODIFY_BEARER_REQ, MODIFY_BEARER_RSP = 34, 35
DELETE_SESSION_REQ, DELETE_SESSION_RSP = 36, 37
MODIFY_BEARER_CMD, MODIFY_BEARER_FAILURE_IND = 64, 65
DELETE_BEARER_CMD, DELETE_BEARER_FAILURE_IND = 66, 67
CREATE_BEARER_REQ, CREATE_BEARER_RSP = 95, 96
UPDATE_BEARER_REQ, UPDATE_BEARER_RSP = 97, 98
DELETE_BEARER_REQ, DELETE_BEARER_RSP = 99, 100
# Initial messages: anything else that arrives is a response or a triggered
# message and is matched to our requests by sequence number.
REQUEST_TYPES = {ECHO_REQ, CREATE_SESSION_REQ, MODIFY_BEARER_REQ, DELETE_SESSION_REQ, 38,
                 MODIFY_BEARER_CMD, DELETE_BEARER_CMD, 68, CREATE_BEARER_REQ, UPDATE_BEARER_REQ,
                 DELETE_BEARER_REQ, 101, 162, 164, 170, 176, 179, 200, 211}

# Causes (TS 29.274 Table 8.4-1)
ACCEPTED = 16
CONTEXT_NOT_FOUND = 64
INVALID_MESSAGE_FORMAT = 65
INVALID_LENGTH = 67
SERVICE_NOT_SUPPORTED = 68
MANDATORY_IE_INCORRECT = 69
MANDATORY_IE_MISSING = 70
SYSTEM_FAILURE = 72
NO_RESOURCES = 73
MISSING_OR_UNKNOWN_APN = 78
PREFERRED_PDN_TYPE_NOT_SUPPORTED = 83
ALL_DYNAMIC_ADDRESSES_OCCUPIED = 84
REQUEST_REJECTED = 94
CONDITIONAL_IE_MISSING = 103

# IE types (TS 29.274 Table 8.1-1)
IE_IMSI, IE_CAUSE, IE_RECOVERY = 1, 2, 3
IE_APN, IE_AMBR, IE_EBI, IE_MEI, IE_MSISDN, IE_INDICATION = 71, 72, 73, 75, 76, 77
IE_PCO, IE_PAA, IE_BEARER_QOS, IE_RAT_TYPE, IE_SERVING_NETWORK = 78, 79, 80, 82, 83
IE_BEARER_TFT, IE_ULI, IE_FTEID, IE_BEARER_CONTEXT, IE_CHARGING_ID = 84, 86, 87, 93, 94
IE_PDN_TYPE, IE_APN_RESTRICTION, IE_SELECTION_MODE, IE_APCO = 99, 127, 128, 163
IE_PRIVATE_EXTENSION = 255
GROUPED = {IE_BEARER_CONTEXT, 109, 180, 181, 191, 195, 208}  # Bearer/PDN Connection/Overload/... contexts

# F-TEID interface types (TS 29.274 Table 8.22-1)
IF_S5S8_SGW_U, IF_S5S8_PGW_U, IF_S5S8_SGW_C, IF_S5S8_PGW_C = 4, 5, 6, 7

# GTP-U (TS 29.281)
GTPU_ECHO_REQ, GTPU_ECHO_RSP, GTPU_ERROR_INDICATION, GTPU_END_MARKER, GPDU = 1, 2, 26, 254, 255

MAX_QUEUE = 100000  # messages kept per queue/list at most
MAX_BURST = 20000


class SgwError(AssertionError):
    pass


# ---------------------------------------------------------------- building

def fixlen(ie):
    """Recomputes the length of a scapy GTPv2 IE (and of every IE inside a
    grouped one): scapy 2.5.0 makes most of them 2 octets too long. Raw
    (hand-made) IEs are left as they are."""
    if isinstance(ie, Raw):
        return ie
    if hasattr(ie, "IE_list"):
        ie.IE_list = [fixlen(x) for x in ie.IE_list]
    ie.length = None
    ie.length = len(bytes(ie)) - 4
    return ie


def raw_ie(ie_type, value, instance=0, length=None):
    """One IE from raw value octets (length=N forces a wrong length on purpose)."""
    value = bytes(value)
    n = len(value) if length is None else length
    return Raw(struct.pack("!BHB", ie_type, n, instance & 0x0f) + value)


def fteid(iface, teid, addr, instance=0):
    return g.IE_FTEID(instance=instance, ipv4_present=1, InterfaceType=iface, GRE_Key=teid, ipv4=addr)


def ebi_ie(ebi, instance=0):
    return g.IE_EPSBearerID(EBI=ebi, instance=instance)


def cause_ie(cause, instance=0):
    return g.IE_Cause(Cause=cause, instance=instance)


def recovery_ie(counter):
    return g.IE_RecoveryRestart(restart_counter=counter & 0xff)


def bearer_context(*ies, instance=0):
    return g.IE_BearerContext(instance=instance, IE_list=[x for x in ies if x is not None])


def paa_ie(pdn_type=1, ipv4="0.0.0.0", ipv6="::", prefix_len=64):
    """PAA (TS 29.274 8.14): PDN type 1 IPv4, 2 IPv6 (prefix length,
    address), 3 IPv4v6 (prefix length, IPv6, IPv4)."""
    v = bytes([pdn_type & 0x07])
    if pdn_type in (2, 3):
        v += bytes([prefix_len]) + socket.inet_pton(socket.AF_INET6, ipv6)
    if pdn_type in (1, 3):
        v += socket.inet_aton(ipv4)
    return raw_ie(IE_PAA, v)


def bearer_qos(qci=9, priority=8, pci=1, pvi=0):
    return g.IE_Bearer_QoS(PCI=pci, PriorityLevel=priority, PVI=pvi, QCI=qci,
                           MaxBitRateForUplink=0, MaxBitRateForDownlink=0,
                           GuaranteedBitRateForUplink=0, GuaranteedBitRateForDownlink=0)


def ie_type_of(ie):
    if isinstance(ie, Raw):
        return bytes(ie)[0]
    return ie.ietype


def omit_filter(ies, omit, inside=None):
    """ies without those whose type is in omit (ints: top-level types;
    (93, t): type t inside a Bearer Context)."""
    if inside is None:
        drop = {o for o in omit if isinstance(o, int)}
    else:
        drop = {o[1] for o in omit if isinstance(o, tuple) and o[0] == inside}
    return [x for x in ies if x is not None and ie_type_of(x) not in drop]


def build(msg_type, ies, seq, teid=None):
    """The bytes of one GTPv2-C message: T=1 with `teid` unless teid is None
    (Echo, Version Not Supported), P=0, the right Message Length."""
    body = b"".join(bytes(fixlen(x)) for x in ies)
    if teid is None:
        hdr = struct.pack("!BBH", 0x40, msg_type, len(body) + 4) + struct.pack("!I", (seq & 0xffffff) << 8)
    else:
        hdr = struct.pack("!BBHI", 0x48, msg_type, len(body) + 8, teid & 0xffffffff) \
            + struct.pack("!I", (seq & 0xffffff) << 8)
    return hdr + body


def tbcd_digits(raw):
    out = []
    for b in raw:
        for d in (b & 0x0f, b >> 4):
            if d == 0x0f:
                return "".join(out)
            out.append("%x" % d)
    return "".join(out)


# ---------------------------------------------------------------- parsing

class IE:
    """One received IE: type, instance, value octets; `ies` for grouped ones."""
    __slots__ = ("type", "instance", "value", "ies")

    def __init__(self, ie_type, instance, value, ies=None):
        self.type, self.instance, self.value, self.ies = ie_type, instance, value, ies

    def __repr__(self):
        return "<IE %d/%d %s%s>" % (self.type, self.instance, self.value.hex(),
                                    " %r" % self.ies if self.ies is not None else "")


def walk(body, depth=0):
    """The IEs of one level: (list of IE, error or None). Grouped IEs are
    walked inside (bounded depth)."""
    out = []
    i = 0
    while i < len(body):
        if len(body) - i < 4:
            return out, "truncated IE header at offset %d" % i
        t, n, inst = struct.unpack("!BHB", body[i:i + 4])
        if i + 4 + n > len(body):
            return out, "IE %d length %d overruns the message at offset %d" % (t, n, i)
        v = body[i + 4:i + 4 + n]
        sub = None
        if t in GROUPED and depth < 4:
            sub, err = walk(v, depth + 1)
            if err:
                return out, "in grouped IE %d: %s" % (t, err)
        out.append(IE(t, inst & 0x0f, v, sub))
        i += 4 + n
    return out, None


def find(ies, ie_type, instance=None):
    for ie in ies or ():
        if ie.type == ie_type and (instance is None or ie.instance == instance):
            return ie
    return None


def find_all(ies, ie_type, instance=None):
    return [ie for ie in ies or () if ie.type == ie_type and (instance is None or ie.instance == instance)]


def decode_fteid(v):
    """(interface type, teid, ipv4 or None, ipv6 or None) of an F-TEID value."""
    if len(v) < 5:
        return None
    flags = v[0]
    teid = struct.unpack("!I", v[1:5])[0]
    o = 5
    v4 = v6 = None
    if flags & 0x80 and len(v) >= o + 4:
        v4 = socket.inet_ntoa(v[o:o + 4])
        o += 4
    if flags & 0x40 and len(v) >= o + 16:
        v6 = socket.inet_ntop(socket.AF_INET6, v[o:o + 16])
    return flags & 0x3f, teid, v4, v6


def decode_cause(v):
    """(cause, flags PCE/BCE/CS, offending (type, instance) or None)."""
    if len(v) < 2:
        return (v[0] if v else None), 0, None
    off = None
    if len(v) >= 6:
        off = (v[2], v[5] & 0x0f)
    return v[0], v[1] & 0x07, off


class Bearer:
    """A Bearer Context of a response or request."""

    def __init__(self, ie):
        self.ie = ie
        self.ies = ie.ies or []
        e = find(self.ies, IE_EBI)
        self.ebi = e.value[0] & 0x0f if e is not None and e.value else None
        c = find(self.ies, IE_CAUSE)
        self.cause = decode_cause(c.value)[0] if c is not None else None
        self.fteids = {}          # instance -> (interface type, teid, ipv4, ipv6)
        for f in find_all(self.ies, IE_FTEID):
            d = decode_fteid(f.value)
            if d is not None:
                self.fteids[f.instance] = d
        ch = find(self.ies, IE_CHARGING_ID)
        self.charging_id = struct.unpack("!I", ch.value[:4])[0] if ch is not None and len(ch.value) >= 4 else None
        q = find(self.ies, IE_BEARER_QOS)
        self.qos = q.value if q is not None else None
        t = find(self.ies, IE_BEARER_TFT)
        self.tft = t.value if t is not None else None

    def fteid_of(self, iface):
        """(teid, ipv4) of the F-TEID with this interface type, or None."""
        for it, teid, v4, _ in self.fteids.values():
            if it == iface:
                return teid, v4
        return None

    @property
    def pgw_u(self):
        """The PGW S5/S8-U F-TEID (teid, ipv4) (instance 2 of a Create Session
        Response's bearer; found by its interface type 5)."""
        return self.fteid_of(IF_S5S8_PGW_U)

    def __repr__(self):
        return "<Bearer ebi %s cause %s fteids %s charging id %s>" % (self.ebi, self.cause, self.fteids,
                                                                    self.charging_id)


class Message:
    """A received GTPv2-C message, decoded by hand; what tests read.

    Header: version, piggyback, type, length, teid (None when T=0), seq.
    cause, cause_flags, offending_ie ((type, instance) or None), recovery,
    pgw_c (teid, addr) of the S5/S8 PGW GTP-C F-TEID, paa (IPv4 string or
    None), paa_ipv6 ((prefix length, address) or None), paa_type,
    apn_restriction, ambr ((uplink, downlink) kbit/s), pco / apco (raw value
    octets or None), bearers (list of Bearer), bearer (the first or None),
    ebis (EBI values of top-level EBI IEs), error (what did not parse)."""

    def __init__(self, data, src=None):
        self.raw = data
        self.src = src
        self.time = time.time()
        self.error = None
        self.version = self.type = self.length = self.teid = self.seq = None
        self.piggyback = False
        self.ies = []
        if len(data) < 8:
            self.error = "short header (%d octets)" % len(data)
            self._read()
            return
        flags, self.type, self.length = struct.unpack("!BBH", data[:4])
        self.version = flags >> 5
        self.piggyback = bool(flags & 0x10)
        has_teid = bool(flags & 0x08)
        hlen = 12 if has_teid else 8
        if self.version != 2:
            self.error = "version %d" % self.version
            self._read()
            return
        if len(data) < hlen:
            self.error = "short header (%d octets)" % len(data)
            self._read()
            return
        if has_teid:
            self.teid = struct.unpack("!I", data[4:8])[0]
        self.seq = struct.unpack("!I", data[hlen - 4:hlen])[0] >> 8
        end = 4 + self.length
        if end > len(data):
            self.error = "message length %d beyond the datagram (%d)" % (self.length, len(data))
            end = len(data)
        elif end < len(data) and not self.piggyback:
            self.error = "message length %d short of the datagram (%d)" % (self.length, len(data))
        self.ies, err = walk(data[hlen:end])
        self.error = self.error or err
        self._read()

    def _read(self):
        ies = self.ies
        c = find(ies, IE_CAUSE)
        self.cause, self.cause_flags, self.offending_ie = decode_cause(c.value) if c is not None else (None, 0, None)
        r = find(ies, IE_RECOVERY)
        self.recovery = r.value[0] if r is not None and r.value else None
        self.pgw_c = None
        for f in find_all(ies, IE_FTEID):
            d = decode_fteid(f.value)
            if d is not None and d[0] == IF_S5S8_PGW_C:
                self.pgw_c = (d[1], d[2])
                break
        self.paa = self.paa_ipv6 = self.paa_type = None
        p = find(ies, IE_PAA)
        if p is not None and p.value:
            v = p.value
            self.paa_type = v[0] & 0x07
            if self.paa_type == 1 and len(v) >= 5:
                self.paa = socket.inet_ntoa(v[1:5])
            if self.paa_type in (2, 3) and len(v) >= 18:
                self.paa_ipv6 = (v[1], socket.inet_ntop(socket.AF_INET6, v[2:18]))
            if self.paa_type == 3 and len(v) >= 22:
                self.paa = socket.inet_ntoa(v[18:22])
        a = find(ies, IE_APN_RESTRICTION)
        self.apn_restriction = a.value[0] if a is not None and a.value else None
        a = find(ies, IE_AMBR)
        self.ambr = struct.unpack("!II", a.value[:8]) if a is not None and len(a.value) >= 8 else None
        p = find(ies, IE_PCO)
        self.pco = p.value if p is not None else None
        p = find(ies, IE_APCO)
        self.apco = p.value if p is not None else None
        self.bearers = [Bearer(b) for b in find_all(ies, IE_BEARER_CONTEXT)]
        self.ebis = [e.value[0] & 0x0f for e in find_all(ies, IE_EBI) if e.value]

    @property
    def bearer(self):
        return self.bearers[0] if self.bearers else None

    def ie(self, ie_type, instance=None):
        return find(self.ies, ie_type, instance)

    def __repr__(self):
        return "<GTPv2 type %s teid %s seq %s cause %s%s>" % (
            self.type, None if self.teid is None else "0x%x" % self.teid, self.seq, self.cause,
            " error: " + self.error if self.error else "")


def pco_options(value):
    """The options of a PCO/APCO value (TS 24.008 10.5.6.3): list of (id, octets)."""
    out = []
    i = 1  # octet 3: ext bit and configuration protocol
    while i + 3 <= len(value):
        oid, n = struct.unpack("!HB", value[i:i + 3])
        out.append((oid, value[i + 3:i + 3 + n]))
        i += 3 + n
    return out


def pco_value(*options):
    """A PCO/APCO value: octet 0x80 (ext, PPP with IP PDP type), then (id, octets) options."""
    return bytes([0x80]) + b"".join(struct.pack("!HB", oid, len(v)) + bytes(v) for oid, v in options)


# ---------------------------------------------------------------- the SGW

class Session:
    """One PDN connection as the SGW sees it: what it sent (imsi, ebi,
    sgw_c_teid, sgw_u_teid, sgw_u_addr, seq) and what the PGW answered
    (response, a Message; pgw_c and pgw_u (teid, addr), ue_addr). Other
    response fields (cause, offending_ie, paa, ambr, apn_restriction, pco,
    apco, recovery, bearers, bearer) are read from the response."""

    def __init__(self, imsi, ebi, sgw_c_teid, sgw_u_teid, sgw_u_addr, seq):
        self.imsi, self.ebi = imsi, ebi
        self.sgw_c_teid, self.sgw_u_teid, self.sgw_u_addr = sgw_c_teid, sgw_u_teid, sgw_u_addr
        self.seq = seq
        self.response = None
        self.pgw_c = self.pgw_u = None
        self.ue_addr = None
        self.charging_id = None
        self.deleted = False

    def _take(self, r):
        self.response = r
        if r is None or r.cause != ACCEPTED:
            return
        self.pgw_c = r.pgw_c
        self.ue_addr = r.paa
        b = r.bearer
        if b is not None:
            self.pgw_u = b.pgw_u
            self.charging_id = b.charging_id

    @property
    def pgw_c_teid(self):
        return self.pgw_c[0] if self.pgw_c else 0

    def __getattr__(self, name):
        if name in ("cause", "offending_ie", "cause_flags", "paa", "paa_ipv6", "paa_type", "ambr",
                    "apn_restriction", "pco", "apco", "recovery", "bearers", "bearer", "error"):
            r = self.__dict__.get("response")
            return getattr(r, name) if r is not None else None
        raise AttributeError(name)

    def __repr__(self):
        return "<Session imsi %s ue %s sgw-c 0x%x sgw-u 0x%x pgw-c %s pgw-u %s cause %s>" % (
            self.imsi, self.ue_addr, self.sgw_c_teid, self.sgw_u_teid, self.pgw_c, self.pgw_u, self.cause)


class ScapySgw:
    """The SGW side of S5/S8 for one PGW (GTPv2-C udp/2123, GTP-U udp/2152).

    ns           network namespace name (None: the current one)
    local_addr   the SGW's address (GTP-C and GTP-U)
    pgw_addr     the PGW's GTP-C address
    restart_counter  what our Recovery IEs carry (Echo, answers)
    timeout, retries  per request: seconds to wait, retransmissions (same seq)
    auto_echo    answer the PGW's Echo Requests at once (they are still queued
                 for wait_request)
    """

    def __init__(self, ns, local_addr, pgw_addr, restart_counter=1, timeout=3.0, retries=0,
                 auto_echo=True, mcc="001", mnc="01"):
        self.ns = ns
        self.local = local_addr
        self.pgw = (pgw_addr, GTPC_PORT)
        self.restart_counter = restart_counter
        self.timeout = timeout
        self.retries = retries
        self.auto_echo = auto_echo
        self.mcc, self.mnc = mcc, mnc
        self.c = netns_socket(ns, bind=(local_addr, GTPC_PORT))
        try:
            self.u = netns_socket(ns, bind=(local_addr, GTPU_PORT))
        except OSError:
            self.c.close()
            raise
        for s in (self.c, self.u):
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
            s.settimeout(0.1)
        self.seq = random.randint(1, 0x3fffff)
        self._teid = random.randint(1, 0x7fff) << 16
        self.sessions = {}             # SGW-C TEID -> Session
        self.sent = []                 # (bytes, destination) of every GTP-C datagram sent
        self.sent_u = []               # (bytes, destination) of every GTP-U datagram sent
        self.received = collections.deque(maxlen=MAX_QUEUE)  # every Message received on GTP-C
        self.requests = []             # PGW-initiated requests not yet taken by wait_request
        self.answered = []             # (request Message, response bytes) of every answer sent
        self.error_indications = []    # (teid of the IE, peer address) per GTP-U Error Indication
        self.end_markers = []          # teids of End Markers
        self.gtpu_echo_answered = 0
        self.gtpu_other = collections.deque(maxlen=MAX_QUEUE)  # other GTP-U datagrams (bytes, src)
        self._gpdus = queue.Queue(MAX_QUEUE)
        self._unsolicited = queue.Queue(MAX_QUEUE)
        self._pending = {}             # seq -> Queue
        self._lock = threading.Lock()
        self._req_cv = threading.Condition(self._lock)
        self._stop = False
        self._threads = [threading.Thread(target=self._rx_c, daemon=True),
                         threading.Thread(target=self._rx_u, daemon=True)]
        for t in self._threads:
            t.start()

    # ------------------------------------------------------------ lifetime
    def close(self):
        self._stop = True
        for t in self._threads:
            t.join(2)
        self.c.close()
        self.u.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ------------------------------------------------------------ ids
    def next_seq(self):
        with self._lock:
            self.seq = (self.seq + 1) & 0xffffff or 1
            return self.seq

    def next_teid(self):
        with self._lock:
            self._teid = (self._teid + 1) & 0xffffffff or 1
            return self._teid

    # ------------------------------------------------------------ transport
    def _send_c(self, data, dst=None):
        dst = dst or self.pgw
        self.sent.append((data, dst))
        self.c.sendto(data, dst)

    def _rx_c(self):
        while not self._stop:
            try:
                data, src = self.c.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            m = Message(data, src)
            self.received.append(m)
            if m.version == 2 and m.type in REQUEST_TYPES:
                if m.type == ECHO_REQ and self.auto_echo:
                    self.answer(m)
                with self._req_cv:
                    if len(self.requests) < MAX_QUEUE:
                        self.requests.append(m)
                    self._req_cv.notify_all()
                continue
            with self._lock:
                w = self._pending.get(m.seq) if m.seq is not None else None
            if w is not None:
                w.put(m)
            else:
                try:
                    self._unsolicited.put_nowait(m)
                except queue.Full:
                    pass

    def _rx_u(self):
        while not self._stop:
            try:
                data, src = self.u.recvfrom(65535)
            except socket.timeout:
                continue
            except OSError:
                return
            d = parse_gtpu(data)
            if d is None:
                self.gtpu_other.append((data, src))
                continue
            typ, teid, seq, payload = d
            if typ == GPDU:
                try:
                    self._gpdus.put_nowait((teid, payload, src))
                except queue.Full:
                    pass
            elif typ == GTPU_ECHO_REQ:
                rsp = struct.pack("!BBHIHBB", 0x32, GTPU_ECHO_RSP, 6, 0, seq or 0, 0, 0) + b"\x0e\x00"
                self.u.sendto(rsp, src)
                self.sent_u.append((rsp, src))
                self.gtpu_echo_answered += 1
            elif typ == GTPU_ERROR_INDICATION:
                t = None
                i = 0
                while i < len(payload):  # TEID Data I (16, TV 4) and GSN Address (133, TLV)
                    if payload[i] == 16 and i + 5 <= len(payload):
                        t = struct.unpack("!I", payload[i + 1:i + 5])[0]
                        i += 5
                    elif payload[i] >= 128 and i + 3 <= len(payload):
                        i += 3 + struct.unpack("!H", payload[i + 1:i + 3])[0]
                    else:
                        break
                self.error_indications.append((t, src))
            elif typ == GTPU_END_MARKER:
                self.end_markers.append(teid)
            else:
                self.gtpu_other.append((data, src))

    def request(self, msg_type, ies, teid=None, seq=None, timeout=None, retries=None, expect=True):
        """Sends a request (T=1 with `teid`, or T=0 when teid is None) and
        returns the Message with the same sequence number, retransmitting the
        same bytes `retries` times; raises SgwError without one.
        expect=False: send only, return None."""
        seq = self.next_seq() if seq is None else seq
        data = build(msg_type, ies, seq, teid)
        return self._exchange(data, seq, timeout, retries, expect, msg_type)

    def _exchange(self, data, seq, timeout, retries, expect, msg_type):
        if not expect:
            self._send_c(data)
            return None
        w = queue.Queue()
        with self._lock:
            self._pending[seq] = w
        try:
            for _ in range((self.retries if retries is None else retries) + 1):
                self._send_c(data)
                try:
                    return w.get(timeout=timeout or self.timeout)
                except queue.Empty:
                    continue
            raise SgwError("no response to GTPv2 type %d seq %d from %s" % (msg_type, seq, self.pgw))
        finally:
            with self._lock:
                self._pending.pop(seq, None)

    def send_raw(self, data, dst=None):
        """Sends arbitrary octets to the PGW's GTP-C port (or dst)."""
        self._send_c(bytes(data), dst)

    def recv(self, timeout=2.0):
        """The next GTP-C Message that answered no request of ours and is no
        PGW-initiated request (e.g. the answer to send_raw), or None."""
        try:
            return self._unsolicited.get(timeout=timeout)
        except queue.Empty:
            return None

    # ------------------------------------------------------------ procedures
    def create_session_request(self, imsi, apn="internet", ebi=5, paa="0.0.0.0", pdn_type=1,
                               msisdn="8210000000001", mei="3534900698733190", pco=None, apco=None,
                               recovery=None, omit=(), extra=(), sgw_c_teid=None, sgw_u_teid=None,
                               rat=6, ambr=(100000, 200000), selection_mode=0, qci=9, arp=8):
        """(ies, sgw_c_teid, sgw_u_teid) of a Create Session Request (E-UTRAN):
        IMSI, MSISDN, MEI, ULI (TAI+ECGI), Serving Network, RAT Type, Sender
        F-TEID (S5/S8 SGW GTP-C), APN, Selection Mode, PDN Type, PAA, APN
        Restriction, AMBR, [PCO], Bearer Context (EBI, S5/S8 SGW GTP-U F-TEID
        instance 2, Bearer QoS), [Recovery], [APCO], then `extra`. `omit`:
        IE types to leave out (ints) or (93, type) inside the Bearer Context.
        paa=None leaves the PAA out; pdn_type 2/3 sends a PAA with ::/64."""
        sgw_c_teid = self.next_teid() if sgw_c_teid is None else sgw_c_teid
        sgw_u_teid = self.next_teid() if sgw_u_teid is None else sgw_u_teid
        bc = omit_filter([ebi_ie(ebi),
                          fteid(IF_S5S8_SGW_U, sgw_u_teid, self.local, instance=2),
                          bearer_qos(qci, arp)], omit, inside=IE_BEARER_CONTEXT)
        ies = [
            g.IE_IMSI(IMSI=imsi),
            g.IE_MSISDN(digits=msisdn) if msisdn else None,
            g.IE_MEI(MEI=mei) if mei else None,
            g.IE_ULI(TAI_Present=1, ECGI_Present=1,
                     TAI=g.ULI_TAI(MCC=self.mcc, MNC=self.mnc, TAC=1),
                     ECGI=g.ULI_ECGI(MCC=self.mcc, MNC=self.mnc, ECI=0x1234)),
            g.IE_ServingNetwork(MCC=self.mcc, MNC=self.mnc),
            g.IE_RAT(RAT_type=rat),
            fteid(IF_S5S8_SGW_C, sgw_c_teid, self.local, instance=0),
            g.IE_APN(APN=apn),
            g.IE_SelectionMode(SelectionMode=selection_mode),
            g.IE_PDN_type(PDN_type=pdn_type),
            paa_ie(pdn_type, paa or "0.0.0.0") if paa is not None else None,
            g.IE_APN_Restriction(APN_Restriction=0),
            g.IE_AMBR(AMBR_Uplink=ambr[0], AMBR_Downlink=ambr[1]) if ambr else None,
            raw_ie(IE_PCO, pco) if pco is not None else None,
            bearer_context(*bc),
            recovery_ie(recovery) if recovery is not None else None,
            raw_ie(IE_APCO, apco) if apco is not None else None,
        ]
        return omit_filter(ies, omit) + list(extra), sgw_c_teid, sgw_u_teid

    def create_session(self, imsi, apn="internet", ebi=5, paa="0.0.0.0", pdn_type=1,
                       msisdn="8210000000001", mei="3534900698733190", pco=None, apco=None,
                       recovery=None, omit=(), extra=(), seq=None, timeout=None, retries=None, **kw):
        """Create Session Request (see create_session_request for the IEs and
        the other keywords); returns the Session, its response read (raises
        SgwError without a response). An accepted session is kept in
        self.sessions by its SGW-C TEID."""
        ies, c_teid, u_teid = self.create_session_request(imsi, apn, ebi, paa, pdn_type, msisdn, mei, pco,
                                                          apco, recovery, omit, extra, **kw)
        seq = self.next_seq() if seq is None else seq
        s = Session(imsi, ebi, c_teid, u_teid, self.local, seq)
        s._take(self.request(CREATE_SESSION_REQ, ies, teid=0, seq=seq, timeout=timeout, retries=retries))
        if s.cause == ACCEPTED:
            self.sessions[c_teid] = s
        return s

    def create_many(self, n, imsi_base="001010000001000", timeout=15.0, spacing=0.0, **kw):
        """Burst: n Create Session Requests with IMSIs imsi_base + i, distinct
        sequence numbers and TEIDs, sent back to back (spacing seconds apart),
        then every response collected until all came or `timeout` seconds
        after the last send. Returns the n Sessions in order (response None
        for an unanswered one); accepted ones are kept in self.sessions."""
        if not 0 < n <= MAX_BURST:
            raise ValueError("burst of %d outside 1..%d" % (n, MAX_BURST))
        width = len(imsi_base)
        waits = []
        sessions = []
        for i in range(n):
            imsi = str(int(imsi_base) + i).zfill(width)
            ies, c_teid, u_teid = self.create_session_request(imsi, **kw)
            seq = self.next_seq()
            s = Session(imsi, kw.get("ebi", 5), c_teid, u_teid, self.local, seq)
            w = queue.Queue()
            with self._lock:
                self._pending[seq] = w
            sessions.append(s)
            waits.append((seq, w, build(CREATE_SESSION_REQ, ies, seq, 0)))
        try:
            for _, _, data in waits:
                self._send_c(data)
                if spacing:
                    time.sleep(spacing)
            deadline = time.time() + timeout
            for s, (seq, w, _) in zip(sessions, waits):
                try:
                    s._take(w.get(timeout=max(0.0, deadline - time.time())))
                except queue.Empty:
                    pass
                if s.cause == ACCEPTED:
                    self.sessions[s.sgw_c_teid] = s
        finally:
            with self._lock:
                for seq, _, _ in waits:
                    self._pending.pop(seq, None)
        return sessions

    def modify_bearer(self, session, new_sgw_u_teid=None, new_addr=None, ebi=None, omit=(), extra=(),
                      seq=None, timeout=None, retries=None):
        """Modify Bearer Request (header TEID = the PGW-C TEID): Bearer
        Context (EBI, S5/S8 SGW GTP-U F-TEID instance 1 with the new TEID and
        address), then `extra`. Returns the response Message; when accepted,
        the session's SGW-U TEID/address become the new ones."""
        teid = session.sgw_u_teid if new_sgw_u_teid is None else new_sgw_u_teid
        addr = new_addr or session.sgw_u_addr
        bc = omit_filter([ebi_ie(session.ebi if ebi is None else ebi),
                          fteid(IF_S5S8_SGW_U, teid, addr, instance=1)], omit, inside=IE_BEARER_CONTEXT)
        ies = omit_filter([bearer_context(*bc)], omit) + list(extra)
        r = self.request(MODIFY_BEARER_REQ, ies, teid=session.pgw_c_teid, seq=seq, timeout=timeout,
                         retries=retries)
        if r.cause == ACCEPTED:
            session.sgw_u_teid, session.sgw_u_addr = teid, addr
        return r

    def delete_session(self, session, ebi=None, omit=(), extra=(), seq=None, timeout=None, retries=None):
        """Delete Session Request (header TEID = the PGW-C TEID): Linked EBI,
        then `extra`. Returns the response Message; when accepted the session
        is marked deleted and forgotten."""
        ies = omit_filter([ebi_ie(session.ebi if ebi is None else ebi)], omit) + list(extra)
        r = self.request(DELETE_SESSION_REQ, ies, teid=session.pgw_c_teid, seq=seq, timeout=timeout,
                         retries=retries)
        if r.cause == ACCEPTED:
            session.deleted = True
            self.sessions.pop(session.sgw_c_teid, None)
        return r

    def echo(self, recovery=None, extra=(), seq=None, timeout=None, retries=None):
        """Echo Request (T=0) with Recovery (our restart counter unless
        `recovery`); returns the Echo Response Message."""
        rc = self.restart_counter if recovery is None else recovery
        return self.request(ECHO_REQ, [recovery_ie(rc)] + list(extra), teid=None, seq=seq,
                            timeout=timeout, retries=retries)

    # ------------------------------------------------------------ PGW-initiated
    def wait_request(self, msg_type=None, timeout=5.0):
        """The oldest PGW-initiated request of `msg_type` (any when None) not
        yet taken, waiting up to `timeout` seconds; None if none came."""
        deadline = time.time() + timeout
        with self._req_cv:
            while True:
                for i, m in enumerate(self.requests):
                    if msg_type is None or m.type == msg_type:
                        return self.requests.pop(i)
                left = deadline - time.time()
                if left <= 0:
                    return None
                self._req_cv.wait(left)

    def session_of(self, request):
        """The Session a PGW-initiated request names by its header TEID."""
        return self.sessions.get(request.teid) if request.teid else None

    def answer(self, request, cause=ACCEPTED, ies=None, omit=(), extra=(), teid=None, bearer_cause=None):
        """Answers a PGW-initiated request at its source with its sequence
        number; returns the bytes sent. Default IEs:
          Echo Request      -> Echo Response: Recovery
          Delete Bearer Req -> Delete Bearer Response: Cause, the Linked EBI
                               it named (instance 0) or a Bearer Context
                               (EBI, Cause) per EBI it named (instance 1)
          Update Bearer Req -> Update Bearer Response: Cause, a Bearer
                               Context (EBI, Cause) per bearer it named
          Create Bearer Req -> Create Bearer Response: Cause, per bearer a
                               Bearer Context (EBI, Cause, S5/S8 SGW GTP-U F-TEID)
          anything else     -> type + 1 with Cause
        `ies` replaces the default IEs; header TEID = the session's PGW-C
        TEID (found by the request's header TEID) unless `teid`."""
        bc_cause = cause if bearer_cause is None else bearer_cause
        rtype = request.type + 1
        if ies is None:
            if request.type == ECHO_REQ:
                ies = [recovery_ie(self.restart_counter)]
            elif request.type == DELETE_BEARER_REQ:
                ies = [cause_ie(cause)]
                lbi = find(request.ies, IE_EBI, 0)
                if lbi is not None:
                    ies.append(ebi_ie(lbi.value[0] & 0x0f))
                for e in find_all(request.ies, IE_EBI, 1):
                    ies.append(bearer_context(ebi_ie(e.value[0] & 0x0f), cause_ie(bc_cause)))
            elif request.type == UPDATE_BEARER_REQ:
                ies = [cause_ie(cause)] + [bearer_context(ebi_ie(b.ebi or 0), cause_ie(bc_cause))
                                           for b in request.bearers]
            elif request.type == CREATE_BEARER_REQ:
                ies = [cause_ie(cause)]
                for b in request.bearers:
                    ies.append(bearer_context(ebi_ie(b.ebi or 0), cause_ie(bc_cause),
                                              fteid(IF_S5S8_SGW_U, self.next_teid(), self.local, instance=2)))
            else:
                ies = [cause_ie(cause)]
        ies = omit_filter(ies, omit) + list(extra)
        if request.type == ECHO_REQ:
            hdr_teid = None
        elif teid is not None:
            hdr_teid = teid
        else:
            s = self.session_of(request)
            hdr_teid = s.pgw_c_teid if s is not None else 0
        data = build(rtype, ies, request.seq or 0, hdr_teid)
        self._send_c(data, request.src or self.pgw)
        self.answered.append((request, data))
        if request.type == DELETE_BEARER_REQ and cause == ACCEPTED:
            s = self.session_of(request)
            lbi = find(request.ies, IE_EBI, 0)
            if s is not None and lbi is not None and (lbi.value[0] & 0x0f) == s.ebi:
                s.deleted = True
                self.sessions.pop(s.sgw_c_teid, None)
        return data

    # ------------------------------------------------------------ user plane
    def send_gpdu(self, session, ip_packet, teid=None, dst=None):
        """Sends an IP packet (bytes or a scapy packet) as a G-PDU to the
        session's PGW S5/S8-U F-TEID (or teid/dst)."""
        t = session.pgw_u[0] if teid is None else teid
        addr = dst or session.pgw_u[1]
        data = bytes(GTP_U_Header(teid=t, gtp_type=GPDU) / Raw(bytes(ip_packet)))
        self.sent_u.append((data, (addr, GTPU_PORT)))
        self.u.sendto(data, (addr, GTPU_PORT))

    def recv_gpdu(self, timeout=2.0, match=None):
        """(teid, inner packet bytes) of the next G-PDU that arrived (for
        which match(teid, inner) is true, skipping others), or None."""
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                return None
            try:
                teid, inner, _ = self._gpdus.get(timeout=left)
            except queue.Empty:
                return None
            if match is None or match(teid, inner):
                return teid, inner

    def drain_gpdus(self, quiet=0.3, limit=10000):
        """Every G-PDU (teid, inner) arriving until `quiet` seconds pass without one."""
        out = []
        while len(out) < limit:
            got = self.recv_gpdu(quiet)
            if got is None:
                break
            out.append(got)
        return out


def parse_gtpu(data):
    """(type, teid, seq or None, payload) of a GTPv1-U datagram (optional
    fields and extension header chain skipped), or None if it is not one."""
    if len(data) < 8 or data[0] >> 5 != 1 or not data[0] & 0x10:
        return None
    flags, typ, length, teid = struct.unpack("!BBHI", data[:8])
    end = 8 + length
    if end > len(data):
        return None
    o = 8
    seq = None
    if flags & 0x07:
        if end < 12:
            return None
        seq = struct.unpack("!H", data[8:10])[0]
        nxt = data[11]
        o = 12
        hops = 0
        while flags & 0x04 and nxt and hops < 16:
            if o >= end:
                return None
            n = data[o] * 4
            if n == 0 or o + n > end:
                return None
            nxt = data[o + n - 1]
            o += n
            hops += 1
    return typ, teid, seq, data[o:end]
