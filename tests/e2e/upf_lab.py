"""vpgd as the user plane under the real open5gs SMF (o5-peer), and the hosts
a test hangs off the user plane's namespace o5-upf: a kernel-vxlan gate peer
with an application server behind it, or a server reached by routed egress.

    cfg = vpgd_config(workdir, gate=True)
    with O5Peer(mode="none", hold=0, upf_cmd=upf_cmd(cfg, bridge=True), ...) as o5:
        hosts = UpfHosts(workdir)
        peer = hosts.gate_peer()
        app = hosts.app_server(peer)
        ...
        hosts.close()

o5-peer owns o5-sgsn, o5-smf and o5-upf and removes them itself; UpfHosts
owns the namespaces it made (names begin with "u5p" and the pid) and removes
them in reverse order of creation, veths with them.
"""
import json
import os
import re
import signal
import subprocess
import time

from netlab import VPGD, Capture, Netns, enterprise_lan, join_gate, parse_counters, sh
from o5 import UE_GW, UE_SUBNET, UPF_GTPU, UPF_N4, PEERS, read

UPF_NS = "o5-upf"
GATE_ADDR = "198.51.100.2"
PEER_OUTER = "198.51.100.11"
PEER_INNER = "10.45.10.10"
LAN_PEER = "10.0.0.1"
APP = "10.0.0.10"
LAN = "10.0.0.0/16"
WAN_GW = "203.0.113.1"
SERVER = "203.0.113.10"
WAN = "203.0.113.0/24"
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer")


def vpgd_config(workdir, gate=False, egress=False, name="vpgd-upf.json"):
    """The bootstrap file of vpgd as a pure UPF: GTPv1-C off, PFCP on the N4
    address, GTP-U on the address o5-peer gives the user plane's Gn-U leg."""
    cfg = {
        "deviceSubnetCidrRange": UE_SUBNET,
        "gatewayAddress": UE_GW,
        "gtp": {"listenAddress": UPF_GTPU},
        "ggsn": {"enabled": False},
        "pfcp": {"listenAddress": UPF_N4},
        "stateDirectory": os.path.join(workdir, "state"),
        "egress": {"enabled": True, "interface": "vpgd0", "nat": False} if egress else {"enabled": False},
    }
    if gate:
        cfg["gate"] = {"listenAddress": GATE_ADDR}
    path = os.path.join(workdir, name)
    with open(path, "w") as f:
        json.dump(cfg, f)
    return path


def upf_cmd(cfg_path, bridge=False):
    """o5-peer's --upf-cmd: ogstun holds 10.45.0.1 and must go; with a bridge,
    the gate's underlay (br1, 198.51.100.2/24) exists before vpgd binds it."""
    cmd = "ip link del ogstun; "
    if bridge:
        cmd += ("ip link add br1 type bridge; ip addr add %s/24 dev br1; ip link set br1 up; "
                % GATE_ADDR)
    return cmd + "exec %s -c %s" % (VPGD, cfg_path)


def in_upf(*args, check=True, timeout=30):
    return sh("ip", "netns", "exec", UPF_NS, *args, check=check, timeout=timeout)


def api(method, path, body=None):
    """(status, decoded JSON or text) of one call to vpgd's API inside o5-upf."""
    args = ["curl", "-sS", "-X", method, "-o", "-", "-w", "\n%{http_code}", "--max-time", "10",
            "http://127.0.0.1:8080" + path]
    if body is not None:
        args += ["-H", "Content-Type: application/json", "--data-binary", json.dumps(body)]
    out = in_upf(*args).stdout
    text, status = out.rsplit("\n", 1)
    try:
        return int(status), json.loads(text) if text else None
    except ValueError:
        return int(status), text


def get(path):
    status, body = api("GET", path)
    assert status == 200, (path, status, body)
    return body


def sessions():
    return get("/v1/sessions")


def associations():
    return get("/v1/pfcp/associations")


def counters():
    """vpgd's counters from GET /v1/stats (name -> value)."""
    return get("/v1/stats")["counters"]


def wait_until(cond, timeout, step=0.2):
    """Polls cond() until it returns something true or timeout passes; returns
    its last value (bounded: never more than timeout + one call)."""
    deadline = time.time() + timeout
    value = cond()
    while not value and time.time() < deadline:
        time.sleep(step)
        value = cond()
    return value


def exit_counters(o5):
    """The counter block vpgd printed into upf-custom.log at its exit."""
    text = read(o5.path("upf-custom.log"))
    assert "counters end" in text, text[-3000:]
    return parse_counters(text)


def sanitizer_reports(o5):
    text = read(o5.path("upf-custom.log"))
    return [m for m in SANITIZER_MARKERS if m in text]


def pfcp_from_upf(pcap):
    """(message type, sequence) of every PFCP message vpgd sent in a capture."""
    r = sh("tshark", "-n", "-r", pcap, "-Y", "pfcp && ip.src==%s" % UPF_N4, "-T", "fields",
           "-e", "pfcp.msg_type", "-e", "pfcp.seqno", check=False)
    return [tuple(int(x) for x in line.split("\t")) for line in r.stdout.splitlines() if line.strip()]


def pfcp_problems(pcap):
    """What tshark finds malformed or flags at warning level or above in the
    PFCP vpgd sent; an error of tshark itself (a bad filter) is a problem too."""
    flt = "pfcp && ip.src==%s && (_ws.malformed || _ws.expert.severity >= warning)" % UPF_N4
    r = sh("tshark", "-n", "-r", pcap, "-Y", flt, check=False)
    err = "\n".join(line for line in r.stderr.splitlines() if "Running as user" not in line)
    return (r.stdout + err).strip()


def sgsnemu_detach(o5, dev, name="sgsnemu", timeout=15):
    """Makes an attached sgsnemu detach now: a SIGTERM to sgsnemu (its pid from
    its pidfile; it ignores the signal only until attached) sends its Delete
    PDP Context Requests at once, instead of at its time limit. Returns the
    number of delete responses it saw."""
    pid = int(read(o5.path(name + ".state/pid")).split()[0])
    assert read("/proc/%d/comm" % pid).strip() == "sgsnemu", pid
    os.kill(pid, signal.SIGTERM)
    return dev.detach(timeout=timeout)


def smf_pids():
    out = sh("ip", "netns", "pids", "o5-smf", check=False).stdout
    pids = []
    for pid in out.split():
        if read("/proc/%s/comm" % pid).startswith("open5gs-smfd"):
            pids.append(int(pid))
    return pids


class Smf:
    """A second open5gs-smfd in o5-smf, started the way o5-peer starts its own
    (same binary, library path and RUN/smf.yaml, output next to smf.out)."""

    def __init__(self, o5, name="smf2.out"):
        self.out = open(o5.path(name), "w")
        env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(PEERS, "lib"))
        self.p = subprocess.Popen(["ip", "netns", "exec", "o5-smf",
                                   os.path.join(PEERS, "bin", "open5gs-smfd"), "-c", o5.path("smf.yaml")],
                                  stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  env=env)

    def close(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        if not self.out.closed:
            self.out.close()


class UpfHosts:
    """Namespaces linked into o5-upf, removed in reverse order on close."""

    def __init__(self, workdir):
        self.tag = "u5p%d" % (os.getpid() % 100000)
        self.workdir = workdir
        self.objects = []

    def add(self, obj):
        self.objects.append(obj)
        return obj

    def veth(self, ns, name_in_ns, address, upf_side, upf_address=None, bridge=None):
        """A veth from ns (named name_in_ns there) into o5-upf (upf_side)."""
        i = len(self.objects)
        a, b = "%sv%da" % (self.tag, i), "%sv%db" % (self.tag, i)
        sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
        sh("ip", "link", "set", a, "netns", ns.name)
        sh("ip", "link", "set", b, "netns", UPF_NS)
        ns.run("ip", "link", "set", a, "name", name_in_ns)
        ns.run("ip", "addr", "add", address, "dev", name_in_ns)
        ns.run("ip", "link", "set", name_in_ns, "up")
        in_upf("ip", "link", "set", b, "name", upf_side)
        if upf_address:
            in_upf("ip", "addr", "add", upf_address, "dev", upf_side)
        if bridge:
            in_upf("ip", "link", "set", upf_side, "master", bridge)
        in_upf("ip", "link", "set", upf_side, "up")

    def gate_peer(self, inner=PEER_INNER, outer=PEER_OUTER, vni=10):
        """A customer host made a gate peer with the kernel alone, as
        netlab.Lab.gate_peer does: vxlan id 10 dstport 4789, a default fdb
        entry to the gateway's underlay address, an inner address in the
        device subnet."""
        ns = self.add(Netns(self.tag + "gp"))
        ns.outer, ns.inner = outer, inner
        self.veth(ns, "eth0", outer + "/24", "gp0", bridge="br1")
        join_gate(ns, GATE_ADDR, vni=vni)
        return ns

    def app_server(self, peer, lan_peer=LAN_PEER, app=APP, device_subnet=UE_SUBNET):
        """The enterprise LAN behind the gate peer, as netlab.Lab.app_server."""
        return enterprise_lan(self, peer, lan_peer, app, device_subnet)

    def server(self):
        """A host beyond o5-upf's routing (wan0 203.0.113.1 there, the server
        203.0.113.10), routing the device subnet back: egress without NAT."""
        ns = self.add(Netns(self.tag + "srv"))
        self.veth(ns, "eth0", SERVER + "/24", "wan0", upf_address=WAN_GW + "/24")
        ns.run("ip", "route", "add", UE_SUBNET, "via", WAN_GW)
        ns.addr = SERVER
        return ns

    def capture(self, ns, iface, name, bpf):
        return self.add(Capture(ns, iface, os.path.join(self.workdir, name), bpf))

    def close(self):
        for obj in reversed(self.objects):
            try:
                obj.close()
            except Exception:  # teardown goes on whatever one part says
                pass
        self.objects = []

    def left(self):
        out = sh("ip", "netns", "list").stdout
        return [line.split()[0] for line in out.splitlines() if line.startswith(self.tag)]


class UpfNsCapture(Capture):
    """tshark in o5-upf (not a Netns of ours)."""

    def __init__(self, iface, path, bpf):
        class _Ns:
            name = UPF_NS

            def popen(self, *args, **kw):
                return subprocess.Popen(["ip", "netns", "exec", UPF_NS, *args], **kw)
        super().__init__(_Ns(), iface, path, bpf)


def ping(ns_name, dst, count=3, src=None, timeout=2):
    """Echo replies received by `ping` in a namespace (by name)."""
    args = ["ip", "netns", "exec", ns_name, "ping", "-n", "-c", str(count), "-i", "0.2", "-W", str(timeout)]
    if src:
        args += ["-I", src]
    r = sh(*args, dst, check=False, timeout=count * (timeout + 1) + 10)
    m = re.search(r"(\d+) received", r.stdout)
    return int(m.group(1)) if m else 0
