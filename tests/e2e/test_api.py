"""The control plane against the running daemon: every API call and each of
its errors, the token, persistence across kill -9, changes applied live,
vpgctl, and /metrics read by a strict Prometheus text parser.

Send: HTTP calls (curl) and vpgctl inside the gateway namespace; GTP from
sgsnemu.
Verify: status codes, bodies, the store after restarts, the wire.
"""
import json
import os
import signal
import sqlite3
import subprocess
import time

import promtext
from netlab import GW_GTP
from test_gtp_attach import wait_tun_address

IMSI = "999010000000001"


def test_vpg_object_reports_the_gateway(lab):
    vpgd = lab.vpgd(lab.config(deviceSubnetCidrRange="10.10.0.0/24", gatewayAddress="10.10.0.254"))
    status, body = vpgd.api("GET", "/v1/vpg")
    assert status == 200
    assert body["deviceSubnetCidrRange"] == "10.10.0.0/24"
    assert body["gatewayAddress"] == "10.10.0.254"
    assert body["gtpAddress"] == GW_GTP
    assert body["addressCapacity"] == 253
    assert body["sessionCount"] == 0 and body["status"] == "running"
    assert abs(body["startedTime"] / 1000 - time.time()) < 60
    assert vpgd.stop() == 0


def test_ip_map_put_list_delete(lab):
    vpgd = lab.vpgd()
    assert vpgd.api("GET", "/v1/ip_address_map") == (200, [])
    status, body = vpgd.api("PUT", "/v1/ip_address_map/" + IMSI, {"ipAddress": "10.10.0.50"})
    assert (status, body) == (200, {"key": IMSI, "ipAddress": "10.10.0.50"})
    vpgd.api("PUT", "/v1/ip_address_map/999010000000000", {"ipAddress": "10.10.0.49"})
    # Replacing an IMSI's own entry is allowed.
    assert vpgd.api("PUT", "/v1/ip_address_map/" + IMSI, {"ipAddress": "10.10.0.51"})[0] == 200
    assert vpgd.api("GET", "/v1/ip_address_map") == (200, [
        {"key": "999010000000000", "ipAddress": "10.10.0.49"},
        {"key": IMSI, "ipAddress": "10.10.0.51"}])
    assert vpgd.api("DELETE", "/v1/ip_address_map/" + IMSI) == (204, None)
    status, body = vpgd.api("DELETE", "/v1/ip_address_map/" + IMSI)
    assert status == 404 and body["code"] == "not_found"
    assert vpgd.api("GET", "/v1/ip_address_map")[1] == [
        {"key": "999010000000000", "ipAddress": "10.10.0.49"}]
    assert vpgd.stop() == 0


def rows(lab):
    db = sqlite3.connect(os.path.join(lab.workdir, "state", "vpgd.db"))
    try:
        return sorted(db.execute("SELECT * FROM ip_address_map").fetchall())
    finally:
        db.close()


BAD_PUTS = [
    # (path key, raw body, status, code, field)
    (IMSI, "{", 400, "invalid_json", None),
    (IMSI, "[1]", 400, "invalid_json", None),
    (IMSI, '{"ipAddress": 10}', 400, "invalid_field", "ipAddress"),
    (IMSI, '{"ipAddress": "10.10.0"}', 400, "invalid_field", "ipAddress"),
    (IMSI, '{"ipAddress": "10.10.0.60", "colour": "red"}', 400, "unknown_field", "colour"),
    (IMSI, "{}", 400, "missing_field", "ipAddress"),
    (IMSI, '{"ipAddress": "10.99.0.1"}', 400, "invalid_field", "ipAddress"),
    (IMSI, '{"ipAddress": "10.10.0.1"}', 400, "invalid_field", "ipAddress"),
    (IMSI, '{"ipAddress": "10.10.255.255"}', 400, "invalid_field", "ipAddress"),
    ("99901x", '{"ipAddress": "10.10.0.60"}', 400, "invalid_path", None),
    ("999010000000009", '{"ipAddress": "10.10.0.50"}', 409, "conflict", "ipAddress"),
]


def test_bad_writes_answer_4xx_naming_the_field_and_change_nothing(lab):
    vpgd = lab.vpgd()
    assert vpgd.api("PUT", "/v1/ip_address_map/999010000000002", {"ipAddress": "10.10.0.50"})[0] == 200
    before = rows(lab)
    for key, raw, status, code, field in BAD_PUTS:
        got, body = vpgd.api("PUT", "/v1/ip_address_map/" + key, raw=raw)
        assert (got, body["code"]) == (status, code), (raw, body)
        if field:
            assert body["field"] == field and ('"%s"' % field) in body["message"], body
        assert "\n" not in body["message"]
    assert rows(lab) == before
    assert vpgd.api("GET", "/v1/ip_address_map")[1] == [
        {"key": "999010000000002", "ipAddress": "10.10.0.50"}]
    status, body = vpgd.api("PUT", "/v1/ip_address_map/" + IMSI, raw="x" * (70 * 1024))
    assert (status, body["code"]) == (413, "body_too_large")
    assert vpgd.api("POST", "/v1/ip_address_map")[1]["code"] == "method_not_allowed"
    assert vpgd.api("GET", "/v1/nowhere")[1]["code"] == "not_found"
    assert vpgd.stop() == 0


def put_back(vpgd, path, obj, key):
    """PUTs obj (as GET showed it) to path unchanged, then with its key
    changed; returns the two answers."""
    same = vpgd.api("PUT", path, obj)
    other = dict(obj)
    other[key] = {"key": "999010000000009", "imsi": "999010000000009",
                  "ipAddress": "203.0.113.8"}[key]
    return same, vpgd.api("PUT", path, other)


def assert_key_refused(answer, key):
    status, body = answer
    assert (status, body["code"], body["field"]) == (400, "invalid_field", key), answer
    assert body["message"].startswith('"%s": ' % key) and "does not match the path" in body["message"]


def test_put_back_what_get_shows_key_must_match_the_path(lab):
    """Send: GET an object, PUT it back unchanged, then with its identifying
    field changed, for every PUT whose path names its object.
    Verify: 200 and the same object; then 400 invalid_field naming the field,
    and GET shows the object unchanged."""
    vpgd = lab.vpgd()
    assert vpgd.api("PUT", "/v1/ip_address_map/" + IMSI, {"ipAddress": "10.10.0.50"})[0] == 200
    entry = vpgd.api("GET", "/v1/ip_address_map")[1][0]
    same, other = put_back(vpgd, "/v1/ip_address_map/" + IMSI, entry, "key")
    assert same == (200, entry)
    assert_key_refused(other, "key")
    assert vpgd.api("GET", "/v1/ip_address_map")[1] == [entry]

    peer = {"ipAddress": "203.0.113.7", "description": "tap"}
    assert vpgd.api("POST", "/v1/junction/mirroring/peers", peer)[0] == 201
    shown = vpgd.api("GET", "/v1/junction/mirroring/peers")[1][0]
    same, other = put_back(vpgd, "/v1/junction/mirroring/peers/203.0.113.7", shown, "ipAddress")
    assert same == (200, shown)
    assert_key_refused(other, "ipAddress")
    assert vpgd.api("GET", "/v1/junction/mirroring/peers")[1] == [shown]

    route = {"destinations": ["192.168.50.0/24"]}
    assert vpgd.api("PUT", "/v1/sim_based_routing/routes/" + IMSI, route)[0] == 200
    state = vpgd.api("GET", "/v1/sim_based_routing/routes")[1]
    same, other = put_back(vpgd, "/v1/sim_based_routing/routes/" + IMSI, state["routes"][0], "imsi")
    assert same == (200, state)
    assert_key_refused(other, "imsi")
    assert vpgd.api("GET", "/v1/sim_based_routing/routes")[1] == state
    assert vpgd.stop() == 0


def test_token_required_on_every_call_when_set(lab):
    vpgd = lab.vpgd(lab.config(api={"listen": "127.0.0.1:8080", "token": "s3cret"}))
    for path in ("/v1/vpg", "/v1/ip_address_map", "/v1/sessions", "/v1/stats", "/metrics"):
        status, body = vpgd.api("GET", path)
        assert (status, body["code"]) == (401, "unauthorized"), path
        assert vpgd.api("GET", path, token="wrong")[0] == 401
        assert vpgd.api("GET", path, token="s3cret")[0] == 200
    status, _ = vpgd.api("PUT", "/v1/ip_address_map/" + IMSI, {"ipAddress": "10.10.0.50"})
    assert status == 401 and rows(lab) == []
    assert vpgd.stop() == 0


def test_map_survives_kill_9_and_restart(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    for i in range(5):
        status, _ = vpgd.api("PUT", "/v1/ip_address_map/99901000000010%d" % i,
                             {"ipAddress": "10.10.1.%d" % (10 + i)})
        assert status == 200
    vpgd.api("DELETE", "/v1/ip_address_map/999010000000102")
    expected = vpgd.api("GET", "/v1/ip_address_map")[1]
    assert len(expected) == 4
    vpgd.p.send_signal(signal.SIGKILL)
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", "/v1/ip_address_map")[1] == expected
    # The restored map is live: a restored address cannot be mapped twice.
    status, body = vpgd.api("PUT", "/v1/ip_address_map/999010000000999", {"ipAddress": "10.10.1.10"})
    assert (status, body["code"]) == (409, "conflict")
    assert vpgd.stop() == 0


def test_bootstrap_map_seeds_the_store_once(lab):
    cfg = lab.config(ipAddressMap=[{"key": IMSI, "ipAddress": "10.10.0.50"}])
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    assert vpgd.api("GET", "/v1/ip_address_map")[1] == [{"key": IMSI, "ipAddress": "10.10.0.50"}]
    assert vpgd.api("DELETE", "/v1/ip_address_map/" + IMSI)[0] == 204
    assert vpgd.stop() == 0
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", "/v1/ip_address_map")[1] == []
    assert "not applied: the store already holds the map" in vpgd.output()
    assert vpgd.stop() == 0


def test_map_change_applies_live_without_disturbing_other_sessions(lab):
    vpgd = lab.vpgd()
    running, later = lab.sgsn(), lab.sgsn()
    lab.sgsnemu(running, "--createif", "--defaultroute", "--imsi", "999010000000005", timelimit=12)
    wait_tun_address(running)
    pinger = running.popen("ping", "-c", "40", "-i", "0.1", "-W", "1", "10.10.0.1",
                           stdout=__import__("subprocess").PIPE, text=True)
    time.sleep(0.5)
    assert vpgd.api("PUT", "/v1/ip_address_map/" + IMSI, {"ipAddress": "10.10.3.3"})[0] == 200
    lab.sgsnemu(later, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=5)
    assert wait_tun_address(later) == "10.10.3.3"
    out, _ = pinger.communicate(timeout=30)
    assert " 40 received" in out, out
    assert vpgd.stop() == 0


def test_sessions_list_get_and_delete_sends_delete_request(lab):
    vpgd = lab.vpgd()
    cap = lab.capture()
    sgsn = lab.sgsn()
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, "--msisdn", "4912345",
                timelimit=15)
    addr = wait_tun_address(sgsn)
    sgsn.run("ping", "-c", "3", "-i", "0.2", "-W", "2", "10.10.0.1")
    status, sessions = vpgd.api("GET", "/v1/sessions")
    assert status == 200 and len(sessions) == 1
    s = sessions[0]
    assert (s["imsi"], s["msisdn"], s["ipAddress"], s["apn"]) == (IMSI, "4912345", addr, "internet")
    assert s["sgsnAddress"] == sgsn.addr and s["sgsnDataAddress"] == sgsn.addr
    assert s["uplinkPackets"] == 3 and s["downlinkPackets"] == 3 and s["uplinkBytes"] == 252
    assert abs(s["createdTime"] / 1000 - time.time()) < 60
    assert vpgd.api("GET", "/v1/sessions/" + IMSI) == (200, s)
    assert vpgd.api("GET", "/v1/sessions/999010000000777")[0] == 404
    assert vpgd.api("GET", "/v1/sessions/abc")[1]["code"] == "invalid_path"

    assert vpgd.api("DELETE", "/v1/sessions/" + IMSI) == (204, None)
    assert vpgd.api("GET", "/v1/sessions") == (200, [])
    time.sleep(1)
    c = vpgd.counters()
    # sgsnemu answered our Delete PDP Context Request, matched to it, nothing left over.
    assert c["gtpc_tx.delete_pdp_context_request"] == 1
    assert c["gtpc_rx.delete_pdp_context_response"] == 1
    assert c["drop.gtpc_unexpected_message"] == 0
    req = cap.fields("gtp.message == 0x14 && ip.src == %s" % GW_GTP, "ip.dst", "gtp.teid")
    assert len(req) == 1 and req[0][0] == sgsn.addr
    assert int(req[0][1], 16) == s["sgsnTeidControl"]
    assert cap.problems("gtp && ip.src == %s" % GW_GTP) == ""
    assert vpgd.stop() == 0


def test_metrics_parse_strictly_and_move_with_traffic(lab):
    vpgd = lab.vpgd()
    sgsn = lab.sgsn()
    status, text = vpgd.api("GET", "/metrics")
    before = promtext.parse(text)
    assert status == 200
    lab.sgsnemu(sgsn, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=8)
    wait_tun_address(sgsn)
    sgsn.run("ping", "-c", "4", "-i", "0.2", "-W", "2", "10.10.0.1")
    after = promtext.parse(vpgd.api("GET", "/metrics")[1])
    v = promtext.value
    assert v(after, "vpgd_sessions") == v(before, "vpgd_sessions") + 1
    assert v(after, "vpgd_packets_total", direction="uplink") == 4
    assert v(after, "vpgd_packets_total", direction="downlink") == 4
    assert v(after, "vpgd_bytes_total", direction="uplink") == 4 * 84
    assert v(after, "vpgd_gtpc_messages_total", direction="rx", type="create_pdp_context_request") == 1
    assert v(after, "vpgd_gtpc_responses_total", cause="128") == 1
    assert v(after, "vpgd_drops_total", reason="uplink_spoofed_source") == 0
    stats = vpgd.api("GET", "/v1/stats")[1]
    assert stats["counters"]["uplink_packets"] == 4 and stats["sessions"] == 1
    assert stats["gtpc"]["txCause"] == {"128": 1}
    assert vpgd.stop() == 0


def test_vpgctl_end_to_end(lab):
    vpgd = lab.vpgd()
    rc, out, err = vpgd.ctl("ip-map", "put", IMSI, "10.10.0.50")
    assert rc == 0, err
    rc, out, _ = vpgd.ctl("ip-map", "list")
    assert rc == 0 and IMSI in out and "10.10.0.50" in out
    rc, out, _ = vpgd.ctl("--json", "ip-map", "list")
    assert json.loads(out) == [{"key": IMSI, "ipAddress": "10.10.0.50"}]
    # The API's refusal comes back as vpgctl's message and exit code.
    rc, _, err = vpgd.ctl("ip-map", "put", "999010000000002", "10.10.0.50")
    assert rc != 0 and "already mapped" in err and "409" in err
    # A bad value is refused before anything is sent.
    rc, _, err = vpgd.ctl("ip-map", "put", IMSI, "10.10.0")
    assert rc != 0
    rc, out, _ = vpgd.ctl("status")
    assert rc == 0 and "10.10.0.0/16" in out
    rc, out, _ = vpgd.ctl("stats")
    assert rc == 0 and "uplink_packets" in out
    rc, out, _ = vpgd.ctl("sessions", "list")
    assert rc == 0
    rc, out, _ = vpgd.ctl("metrics")
    assert rc == 0 and promtext.parse(out)
    rc, _, err = vpgd.ctl("sessions", "delete", IMSI)
    assert rc != 0 and "404" in err
    rc, _, _ = vpgd.ctl("ip-map", "delete", IMSI)
    assert rc == 0 and vpgd.api("GET", "/v1/ip_address_map")[1] == []
    assert vpgd.stop() == 0


def test_vpgctl_token_and_unreachable_endpoint(lab):
    vpgd = lab.vpgd(lab.config(api={"listen": "127.0.0.1:8080", "token": "s3cret"}))
    rc, _, err = vpgd.ctl("status")
    assert rc != 0 and "401" in err
    rc, out, _ = vpgd.ctl("--token", "s3cret", "status")
    assert rc == 0 and "running" in out
    r = vpgd.ns.run(os.path.join(os.path.dirname(vpgd.p.args[-3]), "vpgctl"), "--endpoint",
                    "http://127.0.0.1:9", "status", check=False)
    assert r.returncode != 0 and "cannot reach" in r.stderr
    assert vpgd.stop() == 0


def test_a_crowd_of_half_requests_does_not_lock_the_operator_out(lab):
    """150 connections from one host, each with half a request, held open:
    that host gets its share and no more; the operator, elsewhere, is
    answered at once."""
    vpgd = lab.vpgd(lab.config(api={"listen": GW_GTP + ":8080", "token": "s3cret"}),
                    api=GW_GTP + ":8080")
    crowd = lab.sgsn()
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "half_requests.py")
    p = crowd.popen("/usr/bin/python3", script, GW_GTP, "8080", "150", "30",
                    stdout=subprocess.PIPE, text=True)
    try:
        line = p.stdout.readline()
        assert line.startswith("open "), line
        t0 = time.time()
        rc, out, _ = vpgd.ctl("--token", "s3cret", "--timeout", "3", "status")
        assert rc == 0, out
        assert time.time() - t0 < 3
        assert vpgd.api("GET", "/v1/vpg", token="s3cret")[0] == 200
        # The crowd's host: at most its share is served; the rest wait outside.
        r = crowd.run("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "3",
                      "-H", "Authorization: Bearer s3cret", "http://%s:8080/v1/vpg" % GW_GTP,
                      check=False)
        assert r.stdout != "200", r.stdout
    finally:
        p.kill()
        p.wait()
    assert vpgd.stop() == 0


def get_with_link(vpgd, path):
    """(decoded JSON list, the next page's path or None) of a GET, headers read."""
    out = vpgd.ns.run("curl", "-sS", "-D", "-", "--max-time", "10", vpgd.endpoint + path).stdout
    head, body = out.replace("\r\n", "\n").split("\n\n", 1)
    link = None
    for line in head.split("\n"):
        if line.lower().startswith("link:"):
            link = line.split("<", 1)[1].split(">", 1)[0]
    return json.loads(body), link


def test_sessions_listed_page_by_page(lab):
    import sgw_scapy as sg
    vpgd = lab.vpgd(lab.config(gtpv2={"listenAddress": GW_GTP}))
    sgw_ns = lab.sgsn()
    sgw = lab.add(sg.ScapySgw(sgw_ns.name, sgw_ns.addr, GW_GTP))
    made = sgw.create_many(5, imsi_base="001010000200000", timeout=10)
    assert all(s.cause == sg.ACCEPTED for s in made)
    seen, path, pages = [], "/v1/sessions?limit=2", 0
    while path is not None and pages < 10:
        page, path = get_with_link(vpgd, path)
        assert len(page) <= 2
        seen += [s["imsi"] for s in page]
        pages += 1
    assert pages == 3 and sorted(seen) == sorted(s.imsi for s in made)
    # Without a limit, one page of up to 1000; a bad limit is refused by name.
    assert len(vpgd.api("GET", "/v1/sessions")[1]) == 5
    status, err = vpgd.api("GET", "/v1/sessions?limit=0")
    assert status == 400 and err["field"] == "limit"
    assert vpgd.api("GET", "/v1/sessions?after=4294967295")[1] == []
    assert vpgd.stop() == 0
