"""Retransmissions at the attach rate: the replay cache holds every answer for
the peer's whole retransmission window.

Send: Create PDP Context Requests (GTPv1-C) or Create Session Requests
(GTPv2-C) from bench's attach generators in replay mode, at an offered
100,000 per second, every 10th sent again 1 to 3 s after the original and
any unanswered one again after 3 s.
Verify: every repeat was answered with the octets of the first answer, every
request was answered, the gateway created exactly one session per distinct
request and replaced none (a second run of a Create would replace the
first), answered every repeat from its cache and overwrote no answer early.
"""
import os
import re
import subprocess

import pytest

from netlab import GW_GTP, ROOT

BENCH = os.path.join(ROOT, "bench")
COUNT = 30000  # 0.3 s at the offered rate: the sanitizer build answers some 10,000/s
RATE = 100000
EVERY = 10


@pytest.fixture(scope="module")
def generators():
    subprocess.run(["make", "-s", "-C", BENCH, "build/gtpc", "build/gtpv2"], check=True,
                   timeout=300)
    return os.path.join(BENCH, "build")


def replay(lab, generator, sgsn, imsi_base):
    out = sgsn.run("timeout", "-s", "KILL", "80", generator, "replay", "-l", sgsn.addr, "-r",
                   GW_GTP, "-n", str(COUNT), "-R", str(RATE), "-e", str(EVERY), "-t", "60",
                   "-i", str(imsi_base), check=False, timeout=90).stdout
    m = re.search(r"requests .*", out)
    assert m, out
    words = m.group(0).split()
    result = {words[i]: float(words[i + 1]) for i in range(0, len(words) - 1, 2)}
    print(m.group(0))  # the rate this build achieved, for the record
    return result


def assert_every_repeat_replayed(r, c, sessions_created, replaced, answered_from_cache, evicted):
    assert r["requests"] == COUNT
    assert r["duplicates"] == COUNT // EVERY
    assert r["mismatched"] == 0
    assert r["unanswered"] == 0
    assert r["answered"] == COUNT and r["accepted"] == COUNT
    # A duplicate of a request the kernel dropped is its first copy; one sent after the
    # first answer came must be answered again, from the cache.
    assert r["duplicates_after_answer"] >= 100
    assert r["repeats_answered"] >= r["duplicates_after_answer"]
    assert c["sessions_active"] == COUNT
    assert c[sessions_created] == COUNT
    assert c[replaced] == 0
    assert c[answered_from_cache] == r["repeats_answered"]
    assert c[evicted] == 0


def test_ggsn_answers_every_retransmission_from_the_cache_at_100k_per_second(lab, generators):
    vpgd = lab.vpgd(lab.config(deviceSubnetCidrRange="10.16.0.0/12",
                               gtp={"listenAddress": GW_GTP, "echoInterval": 0}))
    sgsn = lab.sgsn()
    r = replay(lab, os.path.join(generators, "gtpc"), sgsn, 999010000000001)
    c = vpgd.counters()
    assert_every_repeat_replayed(r, c, "sessions_created", "sessions_replaced",
                                 "gtpc_retransmissions_answered", "gtpc_replay_evicted_early")
    vpgd.stop()


def test_pgw_answers_every_retransmission_from_the_cache_at_100k_per_second(lab, generators):
    vpgd = lab.vpgd(lab.config(deviceSubnetCidrRange="10.16.0.0/12",
                               gtp={"listenAddress": GW_GTP, "echoInterval": 0},
                               gtpv2={"listenAddress": GW_GTP}))
    sgw = lab.sgsn()
    r = replay(lab, os.path.join(generators, "gtpv2"), sgw, 999040000000001)
    c = vpgd.counters()
    assert_every_repeat_replayed(r, c, "sessions_created", "sessions_replaced",
                                 "gtpv2c_retransmissions_answered", "gtpv2c_replay_evicted_early")
    vpgd.stop()
