"""The control plane runs beside the forwarding path, never in its way.

Send: a device's pings through the gateway while the API's store commit
waits for a write lock another process holds (a slow disk, an
administrator's sqlite3 session); 2,000 attaches while nobody reads the
gateway's stderr.
Verify: every ping is answered promptly while the API call is still
waiting; the call then completes and its change is in place. Every attach
is answered, the lines that did not fit are counted, and said when the
reader is back.
"""
import json
import os
import re
import select
import sqlite3
import subprocess
import threading
import time

import pytest

from netlab import GW_GTP, ROOT, VPGD
from test_gtp_attach import wait_tun_address

IMSI = "999010000000001"
PINGS = 15


def max_rtt_ms(ping_output):
    m = re.search(r"= [\d.]+/[\d.]+/([\d.]+)/", ping_output)
    assert m, ping_output
    return float(m.group(1))


def test_forwarding_goes_on_while_a_store_commit_waits(lab):
    vpgd = lab.vpgd()
    sgsn = lab.sgsn()
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=30)
    wait_tun_address(sgsn)
    warm = sgsn.run("ping", "-c", "2", "-i", "0.2", "-W", "2", "10.10.0.1", check=False)
    assert " 2 received" in warm.stdout, warm.stdout

    db = sqlite3.connect(os.path.join(lab.workdir, "state", "vpgd.db"), isolation_level=None,
                         timeout=5)
    db.execute("BEGIN IMMEDIATE")  # the write lock, as a long transaction elsewhere holds it
    answer = {}
    put = threading.Thread(target=lambda: answer.update(
        r=vpgd.api("PUT", "/v1/vpg/dns", ["192.0.2.53"])))
    put.start()
    try:
        ping = sgsn.run("ping", "-c", str(PINGS), "-i", "0.2", "-W", "4", "10.10.0.1",
                        check=False)
        # The API call was waiting for the store all along: the scenario really happened.
        assert put.is_alive()
    finally:
        db.execute("ROLLBACK")
        db.close()
    put.join(15)
    assert " %d received" % PINGS in ping.stdout, ping.stdout
    assert max_rtt_ms(ping.stdout) < 500, ping.stdout
    assert answer["r"] == (200, ["192.0.2.53"])
    assert vpgd.api("GET", "/v1/vpg/dns") == (200, ["192.0.2.53"])
    assert vpgd.stop() == 0


ATTACHES = 5000  # some 600 KB of log lines: more than a pipe (64 KB) and the log ring (256 KB) hold


@pytest.fixture(scope="module")
def gtpc_generator():
    subprocess.run(["make", "-s", "-C", os.path.join(ROOT, "bench"), "build/gtpc"], check=True,
                   timeout=300)
    return os.path.join(ROOT, "bench", "build", "gtpc")


def read_until(fd, pattern, timeout=15):
    text, deadline = b"", time.time() + timeout
    while pattern not in text and time.time() < deadline:
        if select.select([fd], [], [], 0.2)[0]:
            text += os.read(fd, 65536)
    assert pattern in text, text.decode(errors="replace")
    return text


def test_attaches_go_on_while_nobody_reads_the_log(lab, gtpc_generator):
    """stderr is a pipe whose reader has stopped reading: attaches, pings and
    the API go on, and the lines that did not fit are counted."""
    config = lab.config()
    reader, writer = os.pipe()
    stdout = open(os.path.join(lab.workdir, "stalled-vpgd.out"), "w")
    proc = lab.gw.popen(VPGD, "-c", config, stdout=stdout, stderr=writer)
    os.close(writer)
    try:
        read_until(reader, b"vpgd info: ready")
        sgsn = lab.sgsn()
        out = sgsn.run("timeout", "-s", "KILL", "120", gtpc_generator, "-l", sgsn.addr, "-r",
                       GW_GTP, "-n", str(ATTACHES), "-t", "100", check=False,
                       timeout=130).stdout
        assert re.search(r"accepted %d\b" % ATTACHES, out), out
        stats = json.loads(lab.gw.run("curl", "-sS", "--max-time", "5",
                                      "http://127.0.0.1:8080/v1/stats").stdout)
        assert stats["sessions"] == ATTACHES
        assert stats["logLinesDropped"] > 0
        proc.terminate()
        assert read_until(reader, b"log lines dropped", timeout=20)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(reader)
        stdout.close()
