"""The control plane runs beside the forwarding path, never in its way.

Send: a device's pings through the gateway while the API's store commit
waits for a write lock another process holds (a slow disk, an
administrator's sqlite3 session).
Verify: every ping is answered promptly while the API call is still
waiting; the call then completes and its change is in place.
"""
import os
import re
import sqlite3
import threading

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
