"""The bootstrap file: a bad one gets one clear error naming the key, exit 2,
and nothing started; `-n` checks a good one.

Send: vpgd -c FILE with broken files.
Verify: exit code 2, one stderr line naming the key, no socket bound.
"""
import json
import os
import subprocess
import tempfile

import pytest

from netlab import VPGD

GOOD = {
    "deviceSubnetCidrRange": "10.10.0.0/16",
    "gtp": {"listenAddress": "127.0.0.1"},
    "stateDirectory": "/tmp/vpgd-e2e-never-created",
}


def run(cfg, *extra):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        f.write(cfg if isinstance(cfg, str) else json.dumps(cfg))
    try:
        return subprocess.run([VPGD, *extra, "-c", f.name], capture_output=True, text=True,
                              timeout=10)
    finally:
        os.unlink(f.name)


def with_(**kw):
    cfg = json.loads(json.dumps(GOOD))
    cfg.update(kw)
    return cfg


def without(key):
    cfg = dict(GOOD)
    del cfg[key]
    return cfg


@pytest.mark.parametrize("cfg,key", [
    (with_(colour="blue"), '"colour": unknown key'),
    (with_(gtp={"listenAddress": "127.0.0.1", "port": 1}), '"gtp.port": unknown key'),
    (with_(deviceSubnetCidrRange="10.10.0.0/33"), '"deviceSubnetCidrRange"'),
    (with_(deviceSubnetCidrRange="10.10.0.5/16"), '"deviceSubnetCidrRange"'),
    (without("deviceSubnetCidrRange"), '"deviceSubnetCidrRange": missing'),
    (without("stateDirectory"), '"stateDirectory": missing'),
    (with_(gtp={}), '"gtp.listenAddress": missing'),
    (with_(gatewayAddress="10.11.0.1"), '"gatewayAddress"'),
    (with_(ipAddressMap=[{"key": "999010000000001", "ipAddress": "10.20.0.5"}]),
     '"ipAddressMap[0]"'),
    (with_(apns="internet"), '"apns"'),
    (with_(dns=["192.0.2.53", "192.0.2.300"]), '"dns[1]": not an IPv4 address ("192.0.2.300")'),
    (with_(dns=["192.0.2.53", "192.0.2.54", "192.0.2.55"]), '"dns": at most 2 DNS servers'),
    (with_(deviceMtu=1279), '"deviceMtu": must be between 1280 and 9000 (1279)'),
    ('{"deviceSubnetCidrRange": ', "line 1"),
])
def test_bad_bootstrap_file_exits_2_naming_the_key(cfg, key):
    r = run(cfg)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and key in lines[0], r.stderr
    assert not os.path.exists(GOOD["stateDirectory"]), "something was started"


def test_check_mode_accepts_good_file():
    r = run(GOOD, "-n")
    assert (r.returncode, r.stdout.strip()) == (0, "configuration OK")
    assert not os.path.exists(GOOD["stateDirectory"])
