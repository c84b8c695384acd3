"""Test hosts in network namespaces, and the processes that run in them.

Every object here removes what it made when closed; a Lab closes its parts in
reverse order of creation, so a failing test still leaves no namespace, link
or process behind.
"""
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VPGD = os.environ.get("VPGD_BIN", os.path.join(ROOT, "build-san", "vpgd"))

# The GTP link between SGSNs and the gateway, and the device subnet.
GTP_NET = "192.0.2"
GW_GTP = GTP_NET + ".1"
# The gate's underlay: the gateway and its gate peers' outer addresses.
UNDERLAY_NET = "198.51.100"
GW_UNDERLAY = UNDERLAY_NET + ".1"


def sh(*args, check=True, **kw):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, **kw)


class Netns:
    """A network namespace with its loopback up."""

    def __init__(self, name):
        self.name = name
        sh("ip", "netns", "add", name)
        self.run("ip", "link", "set", "lo", "up")

    def cmd(self, *args):
        return ["ip", "netns", "exec", self.name, *args]

    def run(self, *args, check=True, timeout=60):
        return sh(*self.cmd(*args), check=check, timeout=timeout)

    def popen(self, *args, **kw):
        return subprocess.Popen(self.cmd(*args), **kw)

    def close(self):
        # Anything still running inside goes first, or the namespace lingers.
        pids = sh("ip", "netns", "pids", self.name, check=False).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        sh("ip", "netns", "del", self.name, check=False)


class Proc:
    """A process in a namespace with its output in a file; killed on close."""

    def __init__(self, ns, args, name, workdir):
        self.log_path = os.path.join(workdir, name + ".log")
        self.log = open(self.log_path, "w")
        self.p = ns.popen(*args, stdout=self.log, stderr=subprocess.STDOUT)

    def output(self):
        with open(self.log_path, errors="replace") as f:
            return f.read()

    def wait_for(self, pattern, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, self.output()):
                return True
            if self.p.poll() is not None:
                break
            time.sleep(0.05)
        return bool(re.search(pattern, self.output()))

    def stop(self, sig=signal.SIGTERM, timeout=10):
        if self.p.poll() is None:
            self.p.send_signal(sig)
            try:
                self.p.wait(timeout)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.log.close()
        return self.p.returncode

    def close(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        if not self.log.closed:
            self.log.close()


def wait_output(proc, line, count, timeout):
    """Waits until proc's output holds line count times."""
    deadline = time.time() + timeout
    while proc.output().count(line) < count:
        if time.time() >= deadline:
            raise AssertionError("%d of %r after %d s:\n%s"
                                 % (proc.output().count(line), line, timeout, proc.output()[-2000:]))
        time.sleep(0.05)


VPGCTL = os.path.join(os.path.dirname(VPGD), "vpgctl")


class Vpgd(Proc):
    """vpgd in the gateway namespace, with its counters read over SIGUSR1 and
    its API reached from inside the namespace."""

    def __init__(self, ns, config_path, workdir, name="vpgd", api="127.0.0.1:8080"):
        self.ns = ns
        self.endpoint = "http://" + api
        super().__init__(ns, [VPGD, "-c", config_path], name, workdir)
        if not self.wait_for(r"vpgd info: ready", timeout=15):
            raise RuntimeError("vpgd did not start:\n" + self.output())

    def api(self, method, path, body=None, token=None, raw=None):
        """(status, decoded JSON or text) of one API call, made with curl."""
        import json
        args = ["curl", "-sS", "-X", method, "-o", "-", "-w", "\n%{http_code}",
                "--max-time", "10", self.endpoint + path]
        if token is not None:
            args += ["-H", "Authorization: Bearer " + token]
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        if data is not None:
            args += ["-H", "Content-Type: application/json", "--data-binary", data]
        out = self.ns.run(*args).stdout
        text, status = out.rsplit("\n", 1)
        try:
            return int(status), json.loads(text) if text else None
        except ValueError:
            return int(status), text

    def ctl(self, *args, check=False):
        """vpgctl in the gateway namespace: (exit code, stdout, stderr)."""
        r = self.ns.run(VPGCTL, "--endpoint", self.endpoint, *args, check=check)
        return r.returncode, r.stdout, r.stderr

    def counters(self, timeout=5):
        """Asks for the counters and returns the newest block as a dict."""
        before = self.output().count("counters end")
        self.p.send_signal(signal.SIGUSR1)
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.output()
            if text.count("counters end") > before:
                return parse_counters(text)
            time.sleep(0.05)
        raise RuntimeError("vpgd printed no counters:\n" + self.output()[-2000:])

    def stop(self, sig=signal.SIGTERM, timeout=10):
        rc = super().stop(sig, timeout)
        out = self.output()
        # The sanitizer build reports here; a report fails the test that caused it.
        for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
            assert marker not in out, out[-4000:]
        return rc


def parse_counters(text):
    block = text[text.rindex("counters begin"):text.rindex("counters end")]
    out = {}
    for line in block.splitlines()[1:]:
        name, value = line.rsplit(" ", 1)
        out[name] = int(value)
    return out


def delta(before, after):
    """Counters that changed between two readings."""
    keys = set(before) | set(after)
    return {k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)}


def drops(d):
    return {k: v for k, v in d.items() if k.startswith("drop.")}


def wait_capturing(p, timeout=20):
    """Waits until dumpcap p captures. It says "Capturing on" before it opens
    the interface, "File:" once the interface is open with its filter set and
    the file is written: from then on no packet is missed."""
    deadline = time.time() + timeout
    line = ""
    while time.time() < deadline and not line.startswith("File: "):
        line = p.stderr.readline()
        if not line and p.poll() is not None:
            raise RuntimeError("dumpcap did not start")
    if not line.startswith("File: "):
        raise RuntimeError("dumpcap did not start capturing within %d s" % timeout)


class Capture:
    """A capture in a namespace written to a pcap until stopped, for tshark to
    read. dumpcap (tshark's own capture program) does the capturing: tshark
    takes a second or more to come up on a busy machine, dumpcap milliseconds."""

    def __init__(self, ns, iface, path, bpf="udp"):
        self.path = path
        self.p = ns.popen("dumpcap", "-q", "-i", iface, "-f", bpf, "-w", path,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wait_capturing(self.p)

    def stop(self):
        if self.p.poll() is None:
            time.sleep(0.5)  # let the last packets land in the file
            self.p.send_signal(signal.SIGINT)
            try:
                self.p.wait(10)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        return self.path

    close = stop

    def fields(self, display_filter, *fields):
        self.stop()
        args = ["tshark", "-n", "-r", self.path, "-Y", display_filter, "-T", "fields",
                "-E", "separator=|"]
        for f in fields:
            args += ["-e", f]
        out = sh(*args).stdout
        return [line.split("|") for line in out.splitlines() if line.strip()]

    def problems(self, display_filter):
        """Packets matching the filter that tshark finds malformed or flags as errors."""
        self.stop()
        flt = "(%s) && (_ws.malformed || _ws.expert.severity >= 0x00600000)" % display_filter
        out = sh("tshark", "-n", "-r", self.path, "-Y", flt).stdout
        return out.strip()


def join_gate(ns, gateway, vni=10, prefix=16, vxlan_mtu=None):
    """Makes ns (eth0 at ns.outer, inner address ns.inner) a gate peer with
    nothing but the kernel, as the README shows: a vxlan link, a default fdb
    entry to the gateway's underlay address, the inner address on it."""
    # A veth leaves the inner TCP/UDP checksums of VXLAN frames for "hardware"
    # to fill in, and there is none: make the kernel write them, as a NIC would.
    ns.run("ethtool", "-K", "eth0", "tx", "off")
    ns.run("ip", "link", "add", "vxlan0", "type", "vxlan", "id", str(vni), "dstport", "4789",
           "local", ns.outer, "dev", "eth0")
    ns.run("bridge", "fdb", "append", "00:00:00:00:00:00", "dev", "vxlan0", "dst", gateway)
    ns.run("ip", "addr", "add", "%s/%d" % (ns.inner, prefix), "dev", "vxlan0")
    if vxlan_mtu:
        ns.run("ip", "link", "set", "vxlan0", "mtu", str(vxlan_mtu))
    ns.run("ip", "link", "set", "vxlan0", "up")


def enterprise_lan(owner, peer, lan_peer, app, device_subnet):
    """The seed's enterprise LAN behind a gate peer: the peer gets a LAN leg
    and forwards; the application server routes the device subnet to it.
    owner keeps the new namespace (add) and names it (tag)."""
    ns = owner.add(Netns("%sapp" % owner.tag))
    a, b = "%sla" % owner.tag, "%slb" % owner.tag
    sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
    sh("ip", "link", "set", a, "netns", peer.name)
    sh("ip", "link", "set", b, "netns", ns.name)
    peer.run("ip", "link", "set", a, "name", "lan0")
    peer.run("ip", "addr", "add", lan_peer + "/16", "dev", "lan0")
    peer.run("ip", "link", "set", "lan0", "up")
    peer.run("sysctl", "-qw", "net.ipv4.ip_forward=1")
    ns.run("ip", "link", "set", b, "name", "eth0")
    ns.run("ip", "addr", "add", app + "/16", "dev", "eth0")
    ns.run("ip", "link", "set", "eth0", "up")
    ns.run("ip", "route", "add", device_subnet, "via", lan_peer)
    # The same veth caveat as the underlay: have the kernel write checksums.
    ns.run("ethtool", "-K", "eth0", "tx", "off")
    peer.run("ethtool", "-K", "lan0", "tx", "off")
    ns.addr = app
    return ns


class Lab:
    """The gateway namespace with a bridge, and SGSN namespaces hanging off it."""

    def __init__(self):
        self.tag = "vt%d" % (os.getpid() % 100000)
        self.workdir = tempfile.mkdtemp(prefix="vpgd-e2e-")
        self.objects = []
        self.n_sgsn = 0
        self.gw = self.add(Netns(self.tag + "gw"))
        self.gw.run("ip", "link", "add", "br0", "type", "bridge")
        self.gw.run("ip", "addr", "add", GW_GTP + "/24", "dev", "br0")
        self.gw.run("ip", "link", "set", "br0", "up")

    def add(self, obj):
        self.objects.append(obj)
        return obj

    def sgsn(self):
        """A new SGSN host with its own address on the GTP link."""
        self.n_sgsn += 1
        i = self.n_sgsn
        ns = self.add(Netns("%ss%d" % (self.tag, i)))
        self.link(ns, "br0", "%s.%d" % (GTP_NET, 10 + i))
        ns.addr = "%s.%d" % (GTP_NET, 10 + i)
        return ns

    def link(self, ns, bridge, address, mtu=None):
        """A veth from ns (as eth0) to a bridge of the gateway namespace."""
        i = len(self.objects)
        a, b = "%sl%da" % (self.tag, i), "%sl%db" % (self.tag, i)
        sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
        sh("ip", "link", "set", a, "netns", ns.name)
        sh("ip", "link", "set", b, "netns", self.gw.name)
        ns.run("ip", "link", "set", a, "name", "eth0")
        ns.run("ip", "addr", "add", address + "/24", "dev", "eth0")
        if mtu:
            ns.run("ip", "link", "set", "eth0", "mtu", str(mtu))
            self.gw.run("ip", "link", "set", b, "mtu", str(mtu))
        ns.run("ip", "link", "set", "eth0", "up")
        self.gw.run("ip", "link", "set", b, "master", bridge)
        self.gw.run("ip", "link", "set", b, "up")

    def underlay(self):
        """The gate's underlay bridge in the gateway namespace, made once."""
        if not getattr(self, "_underlay", False):
            self.gw.run("ip", "link", "add", "br1", "type", "bridge")
            self.gw.run("ip", "addr", "add", GW_UNDERLAY + "/24", "dev", "br1")
            self.gw.run("ip", "link", "set", "br1", "up")
            self._underlay = True

    def gate_peer(self, inner, vni=10, prefix=16, underlay_mtu=None, vxlan_mtu=None):
        """A customer host made a gate peer with nothing but the kernel, as the
        README shows: a vxlan link, a default fdb entry to the gateway, an inner
        address in the device subnet."""
        self.underlay()
        self.n_peers = getattr(self, "n_peers", 0) + 1
        ns = self.add(Netns("%sp%d" % (self.tag, self.n_peers)))
        ns.outer = "%s.%d" % (UNDERLAY_NET, 10 + self.n_peers)
        ns.inner = inner
        self.link(ns, "br1", ns.outer, mtu=underlay_mtu)
        join_gate(ns, GW_UNDERLAY, vni=vni, prefix=prefix, vxlan_mtu=vxlan_mtu)
        return ns

    def mirror_host(self, address="198.51.100.50"):
        """A mirroring peer on the underlay: a host that captures GRE (the test
        machines' kernel has no gre module, so the copies are read by tshark)."""
        self.underlay()
        ns = self.add(Netns("%sm%d" % (self.tag, len(self.objects))))
        self.link(ns, "br1", address)
        ns.addr = address
        return ns

    def collector(self, address="198.51.100.60"):
        """An IPFIX collector on the underlay: nfcapd, writing into its own
        directory until stopped (SIGTERM makes it write out what it holds)."""
        self.underlay()
        ns = self.add(Netns("%sc%d" % (self.tag, len(self.objects))))
        self.link(ns, "br1", address)
        ns.addr = address
        ns.dir = os.path.join(self.workdir, "nfcapd-" + ns.name)
        os.makedirs(ns.dir)
        ns.nfcapd = self.add(Proc(ns, ["nfcapd", "-l", ns.dir, "-p", "4739", "-b", address],
                                  "nfcapd-" + ns.name, self.workdir))
        assert ns.nfcapd.wait_for("Startup"), ns.nfcapd.output()
        return ns

    def app_server(self, peer, lan_peer="10.0.0.1", app="10.0.0.10", device_subnet="10.10.0.0/16"):
        return enterprise_lan(self, peer, lan_peer, app, device_subnet)

    def server(self, nat=True):
        """A host reached only through the gateway namespace's routing: a veth
        out of it (wan0, 203.0.113.1) to the server (203.0.113.10). Without NAT
        the server routes the device subnet back to the gateway host."""
        ns = self.add(Netns("%ssrv" % self.tag))
        a, b = "%swa" % self.tag, "%swb" % self.tag
        sh("ip", "link", "add", "name", a, "type", "veth", "peer", "name", b)
        sh("ip", "link", "set", a, "netns", self.gw.name)
        sh("ip", "link", "set", b, "netns", ns.name)
        self.gw.run("ip", "link", "set", a, "name", "wan0")
        self.gw.run("ip", "addr", "add", "203.0.113.1/24", "dev", "wan0")
        self.gw.run("ip", "link", "set", "wan0", "up")
        ns.run("ip", "link", "set", b, "name", "eth0")
        ns.run("ip", "addr", "add", "203.0.113.10/24", "dev", "eth0")
        ns.run("ip", "link", "set", "eth0", "up")
        if not nat:
            ns.run("ip", "route", "add", "10.10.0.0/16", "via", "203.0.113.1")
        ns.addr = "203.0.113.10"
        return ns

    def config(self, name="vpgd.json", **overrides):
        import json
        self.underlay()
        cfg = {
            "deviceSubnetCidrRange": "10.10.0.0/16",
            "gtp": {"listenAddress": GW_GTP},
            "gate": {"listenAddress": GW_UNDERLAY},
            "stateDirectory": os.path.join(self.workdir, "state"),
        }
        cfg.update(overrides)
        path = os.path.join(self.workdir, name)
        with open(path, "w") as f:
            json.dump(cfg, f)
        return path

    def vpgd(self, config_path=None, name="vpgd", api="127.0.0.1:8080"):
        return self.add(Vpgd(self.gw, config_path or self.config(), self.workdir, name, api))

    def capture(self, name="gtp.pcap", bpf="udp", iface="br0"):
        return self.add(Capture(self.gw, iface, os.path.join(self.workdir, name), bpf))

    def sgsnemu(self, ns, *args, timelimit=20, name=None):
        """sgsnemu from ns towards the gateway. It buffers output and ignores SIGTERM
        until attached, hence stdbuf and a KILL timeout beyond its own time limit."""
        statedir = os.path.join(self.workdir, "sgsnemu-%s" % ns.name)
        os.makedirs(statedir, exist_ok=True)
        cmd = ["timeout", "-s", "KILL", str(timelimit + 15), "stdbuf", "-oL", "-eL",
               "sgsnemu", "-l", ns.addr, "-r", GW_GTP, "--timelimit", str(timelimit),
               "--statedir", statedir, "--pidfile", os.path.join(statedir, "pid"), *args]
        return self.add(Proc(ns, cmd, name or "sgsnemu-" + ns.name, self.workdir))

    def sgsnemu_detach(self, ns, em, contexts, timeout=20):
        """Has the sgsnemu em on ns delete its contexts now and ends it.
        sgsnemu looks at its --timelimit only when its 10 s select() ends,
        and after its Delete PDP Context Requests it waits again before it
        exits; SIGTERM once every context is up makes it send them at once.
        It is killed once every Delete got its answer (cause 128)."""
        wait_output(em, "Received create PDP context response", contexts, timeout)
        with open(os.path.join(self.workdir, "sgsnemu-%s" % ns.name, "pid")) as f:
            pid = int(f.read())
        os.kill(pid, signal.SIGTERM)
        wait_output(em, "Received delete PDP context response. Cause value: 128", contexts,
                    timeout)
        os.kill(pid, signal.SIGKILL)
        em.p.wait(10)

    def close(self):
        for obj in reversed(self.objects):
            try:
                obj.close()
            except Exception:  # teardown goes on whatever one part says
                pass
        self.objects = []
        # Logs, configurations and state go with the lab; VPGD_KEEP_WORKDIR keeps them to read.
        if os.environ.get("VPGD_KEEP_WORKDIR"):
            print("lab files kept in", self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


PROBE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "udp_probe.py")


def probe(ns, bind, dest, payloads, wait=1.0):
    """Sends payloads (bytes) from ns and returns the (source, bytes) that came back."""
    import json
    out = ns.run("/usr/bin/python3", PROBE, bind, dest, str(wait),
                 *[p.hex() for p in payloads]).stdout
    return [(r["from"], bytes.fromhex(r["hex"])) for r in json.loads(out)]
