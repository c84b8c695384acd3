"""The Debian package and its systemd unit (debian/, `make deb`).

Send: `make deb` once (a copy of the tree, DEB_BUILD_OPTIONS parallel=2
nocheck noddebs); the .deb installed with dpkg -i; its postinst run again
in an overlay of /etc without the vpgd user (and without its group); the unit's
ExecStartPre and ExecStart run as systemd would run them: the unit's
CapabilityBoundingSet and NoNewPrivileges through setpriv, ProtectSystem=
strict, ProtectHome= and PrivateTmp= as mounts, with the packaged
/etc/vpgd/vpgd.json in a namespace holding its addresses, started twice;
scripts/run.sh's enterprise scenario with the installed vpgd (under the same
limits) and vpgctl; dpkg -r, then dpkg -P.
Verify: lintian finds no error; the files, the conffile, the user and group
as scripts/deps.sh makes them, made by the postinst where missing and the
machine's own user untouched; systemd-analyze verify passes on the unit,
which has no ExecReload; the root parent keeps exactly the unit's bounding
set, the gateway none, both no_new_privs; the store in /var/lib/vpgd belongs
to vpgd and the second start reads it (restart counter 1); SIGTERM ends
both with status 0 and removes the tun; the scenario's pings answered both
ways with the device's own address at the app; dpkg -r keeps only the
conffile and the state, dpkg -P leaves no file of the package; the vpgd user
stays (Debian's practice, postrm). Whatever fails, the package is purged
and the vpgd user exists again at the end.
"""
import glob
import os
import pwd
import grp
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from netlab import ROOT, Netns, sh

DEB_DIR = os.path.join(ROOT, "build-deb")
UNIT = "/lib/systemd/system/vpgd.service"
CONF = "/etc/vpgd/vpgd.json"
STATE = "/var/lib/vpgd"
# Every path the package owns: after a purge none may be left.
OWNED = ["/usr/sbin/vpgd", "/usr/bin/vpgctl", CONF, "/etc/vpgd", UNIT, STATE,
         "/usr/share/doc/vpgd"]
# Capability numbers (linux/capability.h) of the names a unit may give.
CAP_BITS = {"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3,
            "CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8,
            "CAP_NET_BIND_SERVICE": 10, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13,
            "CAP_SYS_ADMIN": 21, "CAP_SYS_RESOURCE": 24}
# The packaged vpgd.json's addresses, held by a namespace of the test's own.
GTP_ADDR, GATE_ADDR = "192.0.2.2/24", "198.51.100.2/24"


def wait_until(what, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if what():
            return True
        time.sleep(0.05)
    return bool(what())


def installed():
    r = sh("dpkg-query", "-W", "-f=${Status}", "vpgd", check=False)
    return "ok installed" in r.stdout or "config-files" in r.stdout


def restore_user():
    """scripts/deps.sh's own function, so that later tests find the user as they expect."""
    sh("bash", "-c", ". scripts/deps.sh && vpgd_create_user", cwd=ROOT)


def unit_service_keys(path=UNIT):
    keys, section = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("["):
                section = line
            elif section == "[Service]" and "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                keys.setdefault(k, []).append(v)
    return keys


def bounding_set(keys):
    names = keys["CapabilityBoundingSet"][-1].split()
    assert all(n in CAP_BITS for n in names), names
    return names


def setpriv_args(keys):
    caps = ",".join("+" + n[len("CAP_"):].lower() for n in bounding_set(keys))
    args = ["setpriv", "--bounding-set", "-all," + caps]
    if keys.get("NoNewPrivileges", ["no"])[-1] == "yes":
        args.append("--no-new-privs")
    return args + ["--"]


# The unit's file-system view, as mounts in a namespace of its own:
# StateDirectory= the one writable place (ProtectSystem=strict leaves only the
# API file systems), PrivateTmp= a tmpfs, ProtectHome= empty, unreadable homes.
SANDBOX = r"""
set -e
mount --bind "$STATE" "$STATE"
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
for d in /home /root /run/user; do
	if [ -d "$d" ]; then mount -t tmpfs -o ro,mode=000 tmpfs "$d"; fi
done
awk '{print $5}' /proc/self/mountinfo | sort -u | while read -r m; do
	case "$m" in
	/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|"$STATE"|/tmp|/var/tmp|/home|/root|/run/user) ;;
	# Namespaces' handles (nsfs, nothing to write), which others make and delete meanwhile.
	/run/netns/*) ;;
	*) mount -o remount,bind,ro "$m" || [ ! -e "$m" ] ;;
	esac
done
if [ -w /usr ] || [ -w /etc ] || [ ! -w "$STATE" ]; then echo "sandbox: not as the unit's" >&2; exit 99; fi
exec "$@"
"""


def sandboxed(keys, argv):
    """argv as the unit runs it: file-system limits, then the capability bounding set."""
    return (["unshare", "--mount", "--propagation", "private", "env", "STATE=" + STATE,
             "sh", "-c", SANDBOX, "sandbox"] + setpriv_args(keys) + argv)


def status(pid):
    with open("/proc/%d/status" % pid) as f:
        return dict(line.rstrip("\n").split(":\t", 1) for line in f if ":\t" in line)


@pytest.fixture(scope="module")
def pkg():
    """The package built once, installed, and purged at the end whatever happened."""
    if installed():
        pytest.skip("a vpgd package is installed on this machine: the test would remove it")
    env = dict(os.environ, DEB_BUILD_OPTIONS="parallel=2 nocheck noddebs")
    r = subprocess.run(["make", "-s", "deb"], cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=150)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    debs = glob.glob(os.path.join(DEB_DIR, "vpgd_*.deb"))
    assert len(debs) == 1, debs
    state = {"deb": debs[0], "work": tempfile.mkdtemp(prefix="vpgd-pkg-")}
    # lintian takes a while: it runs beside the other tests, read by the last one.
    state["lintian"] = subprocess.Popen(["lintian", "--fail-on", "error", debs[0]],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
    try:
        yield state
    finally:
        if state["lintian"].poll() is None:
            state["lintian"].kill()
            state["lintian"].wait()
        if installed():
            sh("dpkg", "-P", "vpgd", check=False)
        restore_user()
        shutil.rmtree(state["work"], ignore_errors=True)


# The installed postinst run in a view of /etc of its own (an overlay), where
# the vpgd user (and, with GROUP=1, its group) is missing: the machine's own
# user stays untouched for whatever else runs as it meanwhile.
POSTINST_WITHOUT_USER = r"""
set -e
mount -t tmpfs tmpfs "$WORK"
mkdir "$WORK/upper" "$WORK/scratch"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$WORK/upper,workdir=$WORK/scratch" /etc
sed -i '/^vpgd:/d' /etc/passwd /etc/shadow
if [ "$GROUP" = 1 ]; then sed -i '/^vpgd:/d' /etc/group /etc/gshadow; fi
if getent passwd vpgd; then exit 99; fi
before=$(getent group vpgd || true)
sh /var/lib/dpkg/info/vpgd.postinst configure >&2
echo "$before"
getent passwd vpgd
getent group vpgd
"""


def postinst_without_user(work, group):
    view = os.path.join(work, "etc-view")
    os.makedirs(view, exist_ok=True)
    r = sh("unshare", "--mount", "--propagation", "private", "env", "WORK=" + view,
           "GROUP=%d" % group, "sh", "-c", POSTINST_WITHOUT_USER, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    before, user, group_line = r.stdout.split("\n")[:3]
    return before, user.split(":"), group_line.split(":")


def test_package_installs_binaries_conffile_user_and_unit(pkg):
    r = sh("dpkg", "-i", pkg["deb"], check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    for path in ("/usr/sbin/vpgd", "/usr/bin/vpgctl"):
        assert os.access(path, os.X_OK), path
    conffiles = sh("dpkg-query", "-W", "-f=${Conffiles}", "vpgd").stdout.split()
    assert CONF in conffiles, conffiles
    assert os.path.isdir(STATE)
    # The packaged example is valid as shipped: the unit's ExecStartPre accepts it.
    r = sh("/usr/sbin/vpgd", "-n", "-c", CONF, check=False)
    assert (r.returncode, r.stdout) == (0, "configuration OK\n"), r.stderr
    # As scripts/deps.sh's useradd --system makes it.
    u = pwd.getpwnam("vpgd")
    assert u.pw_uid < 1000 and u.pw_uid != 0, u
    assert (u.pw_dir, u.pw_shell) == ("/nonexistent", "/usr/sbin/nologin"), u
    assert grp.getgrgid(u.pw_gid).gr_name == "vpgd"
    assert not os.path.exists("/nonexistent")
    # Where the user is missing the postinst makes it: with its group, or into the group left.
    for group in (1, 0):
        before, user, group_line = postinst_without_user(pkg["work"], group)
        assert (before == "") == (group == 1), before
        assert user[0] == "vpgd" and 0 < int(user[2]) < 1000, user
        assert user[5:] == ["/nonexistent", "/usr/sbin/nologin"], user
        assert group_line[0] == "vpgd" and group_line[2] == user[3], (group_line, user)
        if group == 0:
            assert before.split(":")[2] == user[3], (before, user)
    assert pwd.getpwnam("vpgd") == u, "the machine's own user changed"

    r = sh("systemd-analyze", "verify", UNIT, check=False)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    keys = unit_service_keys()
    assert keys["ExecStartPre"] == ["/usr/sbin/vpgd -n -c " + CONF]
    assert keys["ExecStart"] == ["/usr/sbin/vpgd -c " + CONF]
    # vpgd has no reload (SIGHUP stops it): the unit must not pretend otherwise.
    assert "ExecReload" not in keys
    for k, v in (("ProtectSystem", "strict"), ("ProtectHome", "yes"), ("NoNewPrivileges", "yes"),
                 ("StateDirectory", "vpgd"), ("Restart", "on-failure"), ("KillMode", "mixed")):
        assert keys.get(k) == [v], (k, keys.get(k))
    assert set(bounding_set(keys)) == {"CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_SETUID", "CAP_SETGID",
                                       "CAP_SETPCAP", "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL"}


def start_service(ns, keys, work, name):
    """ExecStartPre, then ExecStart, under the unit's limits; the running parent."""
    pre = sh(*ns.cmd(*sandboxed(keys, keys["ExecStartPre"][0].split())), check=False)
    assert (pre.returncode, pre.stdout) == (0, "configuration OK\n"), pre.stderr
    log = open(os.path.join(work, name), "w")
    p = ns.popen(*sandboxed(keys, keys["ExecStart"][0].split()), stdout=log,
                 stderr=subprocess.STDOUT)
    p.log = log.name
    ok = wait_until(lambda: "vpgd info: ready" in open(p.log).read() or p.poll() is not None, 20)
    assert ok and p.poll() is None, open(p.log).read()
    return p


def stop_service(ns, p):
    p.send_signal(signal.SIGTERM)
    assert p.wait(15) == 0, open(p.log).read()
    assert ns.run("ip", "link", "show", "vpgd0", check=False).returncode != 0
    assert "vpgd" not in ns.run("nft", "list", "tables").stdout


def test_package_service_runs_under_the_units_limits(pkg):
    keys = unit_service_keys()
    allowed = sum(1 << CAP_BITS[n] for n in bounding_set(keys))
    ns = Netns("vpkg%d" % (os.getpid() % 100000))
    try:
        ns.run("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1")
        for addr in (GTP_ADDR, GATE_ADDR):
            ns.run("ip", "addr", "add", addr, "dev", "d0")
        ns.run("ip", "link", "set", "d0", "up")
        ns.run("ip", "link", "set", "d1", "up")
        for run in (0, 1):
            p = start_service(ns, keys, pkg["work"], "service%d.log" % run)
            try:
                parent = status(p.pid)
                kids = sh("pgrep", "-P", str(p.pid), check=False).stdout.split()
                assert len(kids) == 1, kids
                child = status(int(kids[0]))
                assert parent["Name"] == "vpgd-priv" and parent["Uid"].split()[0] == "0"
                assert int(parent["CapBnd"], 16) == allowed, parent["CapBnd"]
                assert child["Uid"].split()[0] == str(pwd.getpwnam("vpgd").pw_uid)
                assert int(child["CapBnd"], 16) == 0 and int(child["CapEff"], 16) == 0
                assert parent["NoNewPrivs"] == "1" and child["NoNewPrivs"] == "1"
                assert "restart counter %d" % run in open(p.log).read()
                # The store lives in StateDirectory=: the gateway writes it, the next start reads it.
                if run == 0:
                    r = ns.run("/usr/bin/vpgctl", "dns", "set", "192.0.2.53", check=False)
                else:
                    r = ns.run("/usr/bin/vpgctl", "dns", "show", check=False)
                assert r.returncode == 0 and "192.0.2.53" in r.stdout, (
                    r.stdout + r.stderr + open(p.log).read())
                for f in ("", "/vpgd.db", "/restart_counter"):
                    assert pwd.getpwuid(os.stat(STATE + f).st_uid).pw_name == "vpgd", f
            finally:
                if p.poll() is None:
                    stop_service(ns, p)
    finally:
        ns.close()


def test_package_runs_the_enterprise_scenario(pkg):
    keys = unit_service_keys()
    wrapper = os.path.join(pkg["work"], "vpgd-as-the-unit")
    with open(wrapper, "w") as f:
        f.write("#!/bin/sh\nexec %s /usr/sbin/vpgd \"$@\"\n" % " ".join(setpriv_args(keys)))
    os.chmod(wrapper, 0o755)
    env = dict(os.environ, VPGD=wrapper, VPGCTL="/usr/bin/vpgctl")
    r = subprocess.run(["bash", "scripts/run.sh"], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=90)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out[-4000:]
    assert "== %s -c vpgd.json" % wrapper in out
    assert out.count("3 packets transmitted, 3 received") == 2, out[-4000:]
    device = re.search(r"device address: (10\.10\.\d+\.\d+)", out).group(1)
    seen = re.findall(r"^\s+(\S+)\s+->\s+(\S+)\s+ICMP (echo request|echo reply)$", out, re.M)
    # Both directions' 3 requests and 3 replies, the device by its own address (no NAT).
    assert sorted(seen) == sorted([(device, "10.0.0.10", "echo request")] * 3 +
                                  [("10.0.0.10", device, "echo reply")] * 3 +
                                  [("10.0.0.10", device, "echo request")] * 3 +
                                  [(device, "10.0.0.10", "echo reply")] * 3), seen


# deb-systemd-helper's memory of the unit's state: kept on remove, as dpkg keeps conffiles.
HELPER_STATE = ("/var/lib/systemd/deb-systemd-helper-enabled",
                "/var/lib/systemd/deb-systemd-helper-masked")


def leftovers(helper_state=True):
    left = [p for p in OWNED if os.path.lexists(p)]
    for d in ("/etc/systemd",) + (HELPER_STATE if helper_state else ()):
        for dirpath, dirnames, files in os.walk(d):
            left += [os.path.join(dirpath, n) for n in files + dirnames if "vpgd" in n]
    return left


def test_package_removes_then_purges_cleanly(pkg):
    r = sh("dpkg", "-r", "vpgd", check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    # Removed: the programs and the unit; kept until purge: the edited file and the state.
    assert leftovers(helper_state=False) == [CONF, "/etc/vpgd", STATE], leftovers()
    r = sh("dpkg", "-P", "vpgd", check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not installed()
    assert leftovers() == []
    # The user stays, as Debian's packages leave theirs (debian/vpgd.postrm).
    pwd.getpwnam("vpgd")


def test_package_lintian_finds_no_error(pkg):
    out, _ = pkg["lintian"].communicate(timeout=120)
    errors = [line for line in out.splitlines() if line.startswith("E:")]
    assert pkg["lintian"].returncode == 0 and errors == [], out
