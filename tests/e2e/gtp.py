"""Just enough GTPv1 to craft the requests and broken packets the tests send.

sgsnemu is the SGSN in the tests; this module only builds what sgsnemu will
not send (missing IEs, unknown types, spoofed inner packets, unknown TEIDs)
and reads the answers.
"""
import socket
import struct

GTPC_PORT = 2123
GTPU_PORT = 2152


def tbcd(digits):
    if len(digits) % 2:
        digits += "f"
    return bytes(int(digits[i + 1], 16) << 4 | int(digits[i], 16) for i in range(0, len(digits), 2))


def header(msg_type, body, teid=0, seq=1):
    return struct.pack("!BBHIHBB", 0x32, msg_type, len(body) + 4, teid, seq, 0, 0) + body


def tv(t, value):
    return bytes([t]) + value


def tlv(t, value):
    return struct.pack("!BH", t, len(value)) + value


def create_pdp_request(imsi, teid_data, teid_ctrl, sgsn, nsapi=5, seq=1, omit=()):
    addr = socket.inet_aton(sgsn)
    ies = [
        (2, tv(2, tbcd(imsi))),
        (15, tv(15, b"\xf1")),
        (16, tv(16, struct.pack("!I", teid_data))),
        (17, tv(17, struct.pack("!I", teid_ctrl))),
        (20, tv(20, bytes([nsapi]))),
        (128, tlv(128, b"\xf1\x21")),
        (131, tlv(131, b"\x08internet")),
        (133, tlv(133, addr)),
        (1133, tlv(133, addr)),
        (135, tlv(135, b"\x01\x0b\x92\x1f")),
    ]
    body = b"".join(v for t, v in ies if t not in omit)
    return header(16, body, seq=seq)


def echo_request(seq=1):
    return header(1, b"", seq=seq)


def parse_ies(body):
    """IE type -> list of values, for the TV types our responses use."""
    tv_len = {1: 1, 8: 1, 14: 1, 16: 4, 17: 4, 127: 4}
    out = {}
    i = 0
    while i < len(body):
        t = body[i]
        if t < 128:
            n = tv_len[t]
            out.setdefault(t, []).append(body[i + 1:i + 1 + n])
            i += 1 + n
        else:
            n = struct.unpack("!H", body[i + 1:i + 3])[0]
            out.setdefault(t, []).append(body[i + 3:i + 3 + n])
            i += 3 + n
    return out


def parse(msg):
    """(type, teid, seq, ies) of a GTPv1 message with the S flag."""
    flags, msg_type, length, teid = struct.unpack("!BBHI", msg[:8])
    seq = struct.unpack("!H", msg[8:10])[0] if flags & 0x07 else None
    body = msg[12:8 + length] if flags & 0x07 else msg[8:8 + length]
    return msg_type, teid, seq, parse_ies(body)


def gpdu(teid, inner, seq=None):
    if seq is None:
        return struct.pack("!BBHI", 0x30, 255, len(inner), teid) + inner
    return struct.pack("!BBHIHBB", 0x32, 255, len(inner) + 4, teid, seq, 0, 0) + inner


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def icmp_echo(src, dst, ident=0x1234, seq=1, payload=b"vpgd-e2e"):
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + payload
    icmp = icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + icmp
