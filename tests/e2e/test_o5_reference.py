"""The o5 helper against open5gs's own user plane (the reference).

Send: PDP contexts from sgsnemu through open5gs-smfd (GGSN-C), which drives
open5gs-upfd over PFCP; ICMP from the devices to 10.45.0.1 behind the UPF.
Verify: the helper starts, reaches readiness and stops o5-peer cleanly; the
devices get addresses and answers; the SMF logs no PFCP trouble and the N4
capture holds association, establishment and deletion, each answered.
"""
import collections

from o5 import O5Peer, PEERS, namespaces_in_use, skip_unless_peers

UPFD = "exec %s/bin/open5gs-upfd -c \"$RUN/upf.yaml\"" % PEERS


def message_counts(o5):
    return collections.Counter(t for _, _, t in o5.pfcp_messages())


def test_runner_attach_pings_through_open5gs_upf(tmp_path):
    """o5-peer's own Gn attach with three pings, waited for to its end."""
    skip_unless_peers()
    with O5Peer(mode="gn", ping=3, ready="exit", run_dir=str(tmp_path / "o5")) as o5:
        pass
    assert o5.returncode == 0, o5.console()
    assert "3/3 pings answered" in o5.console()
    assert o5.pfcp_errors() == []
    n = message_counts(o5)
    assert n[5] == 1 and n[6] == 1
    assert n[50] == 1 and n[51] == 1 and n[54] == 1 and n[55] == 1
    assert namespaces_in_use() == []


def test_own_sgsnemu_devices_ping_through_caller_started_upf(tmp_path):
    """mode none: the helper runs open5gs-upfd as a caller's --upf-cmd and
    attaches three devices itself, each pinging through the UPF."""
    skip_unless_peers()
    with O5Peer(mode="none", hold=0, upf_cmd=UPFD, run_dir=str(tmp_path / "o5")) as o5:
        assert "PFCP associated" in o5.smf_log()
        dev = o5.sgsnemu("--createif", "--tun-device", "o5tun0", contexts=3, timelimit=4)
        addrs = dev.addresses(3)
        assert len(set(addrs)) == 3 and all(a.startswith("10.45.") for a in addrs)
        dev.tun_up(addrs)
        assert [dev.ping(a, 3) for a in addrs] == [3, 3, 3]
        assert dev.detach(timeout=30) == 3
        assert o5.smf_alive()
    assert o5.returncode == 130, o5.console()  # stopped by our SIGTERM
    assert o5.pfcp_errors() == []
    n = message_counts(o5)
    assert n[50] == 3 and n[51] == 3 and n[54] == 3 and n[55] == 3
    assert namespaces_in_use() == []
