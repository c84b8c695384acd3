"""open5gs SMF as a PFCP control plane for tests, through the shared runner o5-peer.

o5-peer (../shared/peers/open5gs, next to the repository) builds the
namespaces o5-sgsn, o5-smf and o5-upf, starts a Gx stub, open5gs-smfd and a
user plane (open5gs-upfd or the caller's command) and removes everything on
SIGTERM.  O5Peer runs it in its own process group, waits for a readiness line
in its logs, and stops it with SIGTERM to that group (what `timeout` does; a
SIGTERM to the bash script alone would wait for its foreground `sleep`).

    with O5Peer(mode="none", hold=0, upf_cmd="exec my-upf ...") as o5:
        dev = o5.sgsnemu(contexts=3, timelimit=15)
        addrs = dev.addresses(3)
        ...
        dev.detach()
    assert o5.pfcp_errors() == []

Addresses: SGSN 172.31.1.1 (GTP-C and GTP-U), SMF Gn 172.31.1.2, SMF PFCP
172.31.3.1, user plane PFCP 172.31.3.2, user plane GTP-U 172.31.2.2, UE pool
10.45.0.0/16 with 10.45.0.1 on ogstun in o5-upf.
"""
import os
import re
import signal
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = os.environ.get("O5_PEERS", os.path.normpath(os.path.join(ROOT, "..", "shared", "peers", "open5gs")))
O5_PEER = os.path.join(PEERS, "o5-peer")
NAMESPACES = ("o5-sgsn", "o5-smf", "o5-upf")

SGSN_ADDR = "172.31.1.1"
SMF_GN = "172.31.1.2"
SGSN_U = "172.31.2.1"
UPF_GTPU = "172.31.2.2"
SMF_N4 = "172.31.3.1"
UPF_N4 = "172.31.3.2"
UE_SUBNET = "10.45.0.0/16"
UE_GW = "10.45.0.1"

# sgsnemu 1.9 swaps the nibbles of IMSIs beginning with 0; these do not.
IMSI = "999010000000001"
MSISDN = "8210000000001"

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def skip_unless_peers():
    """Skips the calling test when the open5gs peers are not installed."""
    if not os.access(O5_PEER, os.X_OK):
        pytest.skip("open5gs peers not found at %s (o5-peer, open5gs-smfd, open5gs-upfd; "
                    "see /work/shared/peers/open5gs/README.md)" % PEERS)


def namespaces_in_use():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    names = {line.split()[0] for line in out.splitlines() if line.strip()}
    return [n for n in NAMESPACES if n in names]


def read(path):
    try:
        with open(path, errors="replace") as f:
            return _ANSI.sub("", f.read())
    except FileNotFoundError:
        return ""


class O5Error(RuntimeError):
    pass


class O5Peer:
    """o5-peer as a context manager.

    mode      "gn" (sgsnemu attach + pings by the runner), "s5" (scapy SGW-C),
              "none" (only Gx stub + SMF + user plane; the test attaches itself)
    upf_cmd   shell command run (bash -c, netns o5-upf) as the user plane; it gets
              UPF_N4 UPF_GTPU SGSN_ADDR UE_SUBNET RUN in its environment.
              None = open5gs-upfd.
    no_upf    start no user plane at all (the test starts one in netns o5-upf)
    hold      seconds to keep everything up (0 = until stopped); None = runner default
    ready     "association" (SMF log says "PFCP associated"), "smf" (SMF initialised
              and its Gx peer connected), "exit" (wait for the runner to finish),
              or a regular expression searched in the runner's console output.
              Default: "association" unless no_upf, then "smf".
    ping, contexts, createif, gx_qos, capture: the runner's options.
    extra     more runner arguments.
    """

    def __init__(self, mode="gn", upf_cmd=None, no_upf=False, hold=None, ready=None,
                 ping=None, contexts=None, createif=False, gx_qos=False, capture=True,
                 run_dir=None, extra=(), ready_timeout=40, busy_wait=180, stop_timeout=30,
                 env=None):
        self.mode = mode
        self.run_dir = run_dir or "/tmp/o5-peer-%d" % os.getpid()
        args = [O5_PEER, "--mode", mode, "--run", self.run_dir]
        if upf_cmd is not None:
            args += ["--upf-cmd", upf_cmd]
        if no_upf:
            args.append("--no-upf")
        if hold is not None:
            args += ["--hold", str(hold)]
        if ping is not None:
            args += ["--ping", str(ping)]
        if contexts is not None:
            args += ["--contexts", str(contexts)]
        if createif:
            args.append("--createif")
        if gx_qos:
            args.append("--gx-qos")
        if not capture:
            args.append("--no-capture")
        self.args = args + list(extra)
        self.ready = ready or ("smf" if no_upf else "association")
        self.ready_timeout = ready_timeout
        self.busy_wait = busy_wait
        self.stop_timeout = stop_timeout
        self.env = dict(os.environ, **(env or {}))
        self.p = None
        self.returncode = None
        self.console_path = None
        self.devices = []

    # ------------------------------------------------------------ start/stop
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        os.makedirs(self.run_dir, exist_ok=True)
        # The runner clears *.log and *.out in its run dir: keep its console elsewhere.
        self.console_path = self.run_dir.rstrip("/") + ".console"
        deadline = time.time() + self.busy_wait
        while True:
            # Another user's o5-peer owns the fixed namespace names: wait for it.
            while namespaces_in_use() and time.time() < deadline:
                time.sleep(1)
            self._console = open(self.console_path, "w")
            self.p = subprocess.Popen(self.args, stdout=self._console, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, cwd="/tmp", env=self.env,
                                      start_new_session=True)
            if self._wait(lambda: "run dir " in self.console() or "exists already" in self.console(), 10) \
                    and "exists already" in self.console():
                self.p.wait(10)
                self._console.close()
                if time.time() < deadline:
                    continue  # lost a race for the namespaces
                raise O5Error("o5 namespaces stay in use: " + self.console())
            break
        cond = {
            "association": lambda: "PFCP associated" in self.smf_log(),
            "smf": lambda: "SMF initialize...done" in self.smf_log()
            and "CONNECTED TO 'pcrf.localdomain'" in self.smf_log(),
            "exit": lambda: False,
        }.get(self.ready, lambda: re.search(self.ready, self.console()) is not None)
        if self.ready == "exit":
            self.wait(self.ready_timeout)
            return self
        if not self._wait(cond, self.ready_timeout):
            msg = "o5-peer not ready (%s) within %ss" % (self.ready, self.ready_timeout)
            if self.p.poll() is not None:
                msg += ", exited with %s" % self.p.returncode
            self.stop()
            raise O5Error(msg + "\n--- console\n" + self.console()[-3000:]
                          + "\n--- smf.log\n" + self.smf_log()[-3000:])
        return self

    def _wait(self, cond, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond():
                return True
            if self.p.poll() is not None:
                return cond()
            time.sleep(0.1)
        return cond()

    def wait(self, timeout):
        """Waits for the runner to finish on its own; returns its exit status."""
        try:
            self.returncode = self.p.wait(timeout)
        except subprocess.TimeoutExpired:
            raise O5Error("o5-peer still running after %ss:\n%s" % (timeout, self.console()[-3000:]))
        return self.returncode

    def stop(self):
        """SIGTERM to the runner's process group, then waits for its cleanup
        (namespaces removed). Never SIGKILL: that would leave the namespaces."""
        for dev in self.devices:
            dev.close()
        if self.p is None:
            return self.returncode
        if self.p.poll() is None:
            self._stop_captures()
            try:
                os.killpg(self.p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.p.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                raise O5Error("o5-peer did not stop within %ss after SIGTERM (pid %d)"
                              % (self.stop_timeout, self.p.pid))
        self.returncode = self.p.returncode
        if not self._console.closed:
            self._console.close()
        # The runner removes its namespaces in its EXIT trap; make sure it did.
        deadline = time.time() + 10
        while namespaces_in_use() and time.time() < deadline:
            time.sleep(0.2)
        return self.returncode

    def _stop_captures(self, timeout=5):
        """SIGINT to the runner's tshark processes first, as the runner does:
        a SIGTERM to the whole group can lose dumpcap's last buffered packets."""
        pids = subprocess.run(["pgrep", "-g", str(self.p.pid), "-x", "tshark"],
                              capture_output=True, text=True).stdout.split()
        if pids:
            time.sleep(1)  # dumpcap hands packets over in blocks: let the last ones land
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGINT)
            except ProcessLookupError:
                pass
        deadline = time.time() + timeout
        while pids and time.time() < deadline:
            pids = [pid for pid in pids if os.path.exists("/proc/%s" % pid)
                    and "zombie" not in read("/proc/%s/status" % pid)]
            time.sleep(0.1)

    # ------------------------------------------------------------ logs
    def path(self, name):
        return os.path.join(self.run_dir, name)

    def console(self):
        """The runner's own output ([o5-peer hh:mm:ss] lines and RESULT)."""
        return read(self.console_path) if self.console_path else ""

    def smf_log(self):
        return read(self.path("smf.log"))

    def upf_log(self):
        """open5gs-upfd's log, or the caller's user plane output (upf-custom.log)."""
        return read(self.path("upf.log")) + read(self.path("upf-custom.log"))

    def wait_smf_log(self, pattern, timeout=15, count=1):
        """Waits until `pattern` (a regular expression) occurs `count` times in
        the SMF log; returns the matching lines or raises O5Error."""
        if not self._wait(lambda: len(re.findall(pattern, self.smf_log())) >= count, timeout):
            raise O5Error("SMF log: %r not seen %d times within %ss:\n%s"
                          % (pattern, count, timeout, self.smf_log()[-3000:]))
        return [line for line in self.smf_log().splitlines() if re.search(pattern, line)]

    def wait_associated(self, timeout=15, count=1):
        """Waits for the SMF's `count`-th "PFCP associated". The SMF sends an
        Association Setup Request every 11 s until answered (3 tries, 2.5 s
        apart, then 3.5 s pause), so a user plane started late (--no-upf)
        is associated within about 11 s."""
        return self.wait_smf_log(r"PFCP associated", timeout, count)

    def pfcp_errors(self):
        """SMF log lines that show trouble on PFCP: warnings/errors from the
        pfcp module or about PFCP, N4 causes, asserts, crashes."""
        bad = []
        for line in self.smf_log().splitlines():
            if "[diam]" in line:  # freeDiameter complains at every shutdown
                continue
            if re.search(r"\] (WARNING|ERROR|FATAL)", line) and re.search(
                    r"pfcp|PFCP|n4-|N4|UPF|upf|F-SEID|PDR|FAR|QER|Cause", line):
                bad.append(line)
            elif re.search(r"Assertion|FATAL|backtrace|Segmentation", line):
                bad.append(line)
        return bad

    def smf_alive(self):
        out = subprocess.run(["ip", "netns", "pids", "o5-smf"], capture_output=True, text=True).stdout
        for pid in out.split():
            try:
                with open("/proc/%s/comm" % pid) as f:
                    if f.read().startswith("open5gs-smfd"):
                        return True
            except OSError:
                pass
        return False

    def pfcp_messages(self):
        """(time, source, message type) of every PFCP message in n4.pcap (the
        runner's capture is complete only once it has stopped)."""
        out = subprocess.run(["tshark", "-n", "-r", self.path("n4.pcap"), "-Y", "pfcp", "-T", "fields",
                              "-e", "frame.time_relative", "-e", "ip.src", "-e", "pfcp.msg_type"],
                             capture_output=True, text=True).stdout
        rows = []
        for line in out.splitlines():
            t, src, typ = line.split("\t")
            rows.append((float(t), src, int(typ)))
        return rows

    # ------------------------------------------------------------ devices
    def netns(self, name, *args, check=True, timeout=60):
        return subprocess.run(["ip", "netns", "exec", name, *args], check=check, capture_output=True,
                              text=True, timeout=timeout)

    def sgsnemu(self, *args, contexts=1, timelimit=20, imsi=IMSI, msisdn=MSISDN, apn="internet",
                name="sgsnemu"):
        """sgsnemu in netns o5-sgsn towards the SMF (use with mode="none" and a
        hold). It attaches `contexts` PDP contexts (IMSI +10 each, up to 50
        tested) and detaches after `timelimit` seconds -- checked only when its
        10 s select() wakes, so up to 10 s later when idle -- or right after its
        pings when given --pinghost/--pingcount; see Sgsnemu."""
        dev = Sgsnemu(self, args, contexts, timelimit, imsi, msisdn, apn, name)
        self.devices.append(dev)
        return dev


class Sgsnemu:
    """One sgsnemu process (a device, or several with contexts > 1).

    sgsnemu ignores SIGTERM until attached and lingers ~20 s after its Delete
    PDP Context exchange, so it runs under `timeout -s KILL` and is killed by
    its PID once its detach is confirmed.  Only one sgsnemu can bind 172.31.1.1
    at a time (o5-peer gives o5-sgsn a single Gn address)."""

    def __init__(self, o5, args, contexts, timelimit, imsi, msisdn, apn, name):
        self.o5 = o5
        self.contexts = contexts
        self.log_path = o5.path(name + ".log")
        statedir = o5.path(name + ".state")
        os.makedirs(statedir, exist_ok=True)
        cmd = ["ip", "netns", "exec", "o5-sgsn", "timeout", "-s", "KILL", str(timelimit + 40),
               "stdbuf", "-oL", "-eL", "sgsnemu", "-l", SGSN_ADDR, "-r", SMF_GN,
               "--imsi", imsi, "--msisdn", msisdn, "--imeisv", "3534900698733190", "--apn", apn,
               "--rattype", "1", "--userloc", "1.001.01.1.1", "--rai", "001.01.1.1", "--mstz", "0.0.0",
               "--contexts", str(contexts), "--timelimit", str(timelimit),
               "--statedir", statedir, "--pidfile", os.path.join(statedir, "pid"), *args]
        self.log = open(self.log_path, "w")
        self.p = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def output(self):
        return read(self.log_path)

    def addresses(self, n=None, timeout=30):
        """The device addresses sgsnemu received (waits for n of them)."""
        n = self.contexts if n is None else n
        deadline = time.time() + timeout
        while time.time() < deadline:
            got = re.findall(r"received EUA with IP address: (\S+)", self.output())
            if len(got) >= n or self.p.poll() is not None:
                break
            time.sleep(0.1)
        got = re.findall(r"received EUA with IP address: (\S+)", self.output())
        if len(got) < n:
            raise O5Error("sgsnemu got %d of %d addresses:\n%s" % (len(got), n, self.output()[-3000:]))
        return got

    def tun_up(self, addresses, dev="o5tun0"):
        """With --createif --tun-device DEV: sgsnemu puts only the first context's
        address on its tun but maps uplink packets to contexts by source address,
        so every address goes on the tun and the UE pool is routed into it. Then
        `ping -I <address>` from o5-sgsn is one device's traffic."""
        deadline = time.time() + 10
        while self.o5.netns("o5-sgsn", "ip", "link", "show", dev, check=False).returncode != 0:
            if time.time() > deadline:
                raise O5Error("sgsnemu made no %s:\n%s" % (dev, self.output()[-2000:]))
            time.sleep(0.1)
        have = self.o5.netns("o5-sgsn", "ip", "-4", "-o", "addr", "show", "dev", dev).stdout
        for a in addresses:
            if " %s/" % a not in have:
                self.o5.netns("o5-sgsn", "ip", "addr", "add", a + "/32", "dev", dev)
        self.o5.netns("o5-sgsn", "ip", "route", "replace", UE_SUBNET, "dev", dev)

    def ping(self, src, count=3, dst=UE_GW):
        """Pings dst from one device address (after tun_up); returns received count."""
        r = self.o5.netns("o5-sgsn", "ping", "-n", "-c", str(count), "-i", "0.2", "-W", "2", "-I", src, dst,
                          check=False)
        m = re.search(r"(\d+) received", r.stdout)
        return int(m.group(1)) if m else 0

    def detach(self, timeout=None):
        """Waits for sgsnemu's own Delete PDP Context exchange(s) at its time
        limit, then kills it. Returns the number of delete responses seen."""
        deadline = time.time() + (timeout or 60)
        while time.time() < deadline and self.p.poll() is None:
            if self.output().count("Received delete PDP context response") >= self.contexts:
                break
            time.sleep(0.1)
        n = self.output().count("Received delete PDP context response")
        self.close()
        return n

    def close(self):
        if self.p.poll() is None:
            # `timeout` is the child of ip netns exec (exec'd); its child is sgsnemu.
            kids = subprocess.run(["pgrep", "-P", str(self.p.pid)], capture_output=True, text=True).stdout.split()
            for pid in kids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        if not self.log.closed:
            self.log.close()
