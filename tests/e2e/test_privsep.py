"""Privilege separation: vpgd started as root splits into a root parent
(vpgd-priv) that only makes privileged changes for the gateway, and the
gateway (vpgd), which runs as the configured user with no capability.

Send: start vpgd; a SIM-based routing table enabled and disabled over the
API (a route into the egress tun each way); SIGTERM to the started pid;
SIGKILL to it; a start with a user that does not exist.
Verify: the process tree; every thread's ids, capability sets and
no_new_privs; the parent's few descriptors; the route in the host's table
made and removed through the parent; after SIGTERM no process, no nftables
table and no tun; after SIGKILL of the parent the gateway gone too and a
restart in the same namespace clean; the missing user refused with one
line, exit 2, nothing left behind.
"""
import os
import pwd
import signal
import time

from netlab import VPGD, sh

USER = "vpgd"
LAN = "192.168.50.0/24"
IMSI = "999010000000001"


def wait_until(what, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if what():
            return True
        time.sleep(0.1)
    return bool(what())


def status(pid, task=None):
    path = "/proc/%d/task/%s/status" % (pid, task) if task else "/proc/%d/status" % pid
    with open(path) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


def comm(pid):
    with open("/proc/%d/comm" % pid) as f:
        return f.read().strip()


def children(pid):
    out = sh("pgrep", "-P", str(pid), check=False).stdout.split()
    return [int(p) for p in out]


def gateway_of(vpgd):
    kids = children(vpgd.p.pid)
    assert len(kids) == 1, kids
    return kids[0]


def fd_targets(pid):
    d = "/proc/%d/fd" % pid
    return sorted(os.readlink(os.path.join(d, fd)) for fd in os.listdir(d))


def alive(pid):
    try:
        return "zombie" not in status(pid)["State"]
    except FileNotFoundError:
        return False


def nothing_left(lab):
    tables = lab.gw.run("nft", "list", "tables").stdout
    link = lab.gw.run("ip", "link", "show", "vpgd0", check=False)
    return "vpgd" not in tables and link.returncode != 0


def test_gateway_runs_unprivileged_and_routes_through_parent(lab):
    user = pwd.getpwnam(USER)
    vpgd = lab.vpgd()
    parent = vpgd.p.pid
    gw = gateway_of(vpgd)
    assert (comm(parent), comm(gw)) == ("vpgd-priv", "vpgd")
    assert status(parent)["Uid"].split() == ["0"] * 4
    tasks = os.listdir("/proc/%d/task" % gw)
    # Forwarding, control (API, store, flow export) and log threads: all of them checked below.
    names = sorted(open("/proc/%d/task/%s/comm" % (gw, t)).read().strip() for t in tasks)
    assert names == ["vpgd", "vpgd-control", "vpgd-log"], names
    for task in tasks:
        st = status(gw, task)
        assert st["Uid"].split() == [str(user.pw_uid)] * 4, (task, st["Uid"])
        assert st["Gid"].split() == [str(user.pw_gid)] * 4, (task, st["Gid"])
        assert st["Groups"].strip() == ""
        for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
            assert int(st[cap], 16) == 0, (task, cap, st[cap])
        assert st["NoNewPrivs"] == "1"
    # The parent keeps stdio, the tun, its channel and its signalfd: no socket of the gateway.
    targets = fd_targets(parent)
    assert len(targets) == 6, targets
    assert "/dev/net/tun" in targets and "anon_inode:[signalfd]" in targets
    assert sum(t.startswith("socket:") for t in targets) == 1, targets
    # The state directory is the user's, so that SQLite can write its journal there.
    assert os.stat(os.path.join(lab.workdir, "state")).st_uid == user.pw_uid

    # A route into the tun, made and removed by the parent for the gateway.
    status_code, body = vpgd.api("PUT", "/v1/sim_based_routing/routes",
                                 [{"imsi": IMSI, "destinations": [LAN]}])
    assert status_code == 200, body
    assert vpgd.api("POST", "/v1/sim_based_routing/enable")[0] == 200
    route = lambda: lab.gw.run("ip", "-4", "route", "show", LAN).stdout.strip()
    assert "dev vpgd0" in route()
    assert vpgd.api("POST", "/v1/sim_based_routing/disable")[0] == 200
    assert route() == ""
    assert "refused" not in vpgd.output()

    # SIGTERM to the started pid stops both, and the parent cleans up as root.
    assert vpgd.stop() == 0
    assert not alive(gw)
    assert nothing_left(lab)
    out = vpgd.output()
    assert "counters end" in out and "vpgd-priv info: gateway (pid %d) ended with status 0" % gw in out


def test_parent_killed_gateway_stops(lab):
    vpgd = lab.vpgd()
    gw = gateway_of(vpgd)
    vpgd.p.kill()
    vpgd.p.wait(10)
    assert wait_until(lambda: not alive(gw), timeout=10), "gateway outlived its parent"
    # Nothing of the gateway remains for a restart to trip over.
    assert lab.vpgd(name="vpgd-2").stop() == 0


def test_missing_user_refused_with_one_line(lab):
    r = lab.gw.run(VPGD, "-c", lab.config(user="vpgd-no-such-user"), check=False, timeout=30)
    assert r.returncode == 2, r.stdout + r.stderr
    errors = [line for line in (r.stdout + r.stderr).splitlines() if " error: " in line]
    assert len(errors) == 1, errors
    assert 'user "vpgd-no-such-user": no such user' in errors[0]
    assert "useradd --system" in errors[0] and 'set "user"' in errors[0]
    assert nothing_left(lab)
