"""Junction Inspection's control plane: the settings object of docs/API.md,
its store, its two views and vpgctl's sub-commands, against a running vpgd.

Send: PUT, GET and DELETE of /v1/junction/inspection with good and bad
bodies, the flows and summary views with and without inspection running,
kill -9 and a restart, pings from an sgsnemu device, and vpgctl's
inspection commands.
Verify: the answers field by field and the field each refusal names; a
refused change leaves the settings as they were; the settings survive the
kill; the views answer 409 while off and show the device's flows while on.
"""
import json
import time

from test_gate import device, ping

PATH = "/v1/junction/inspection"
COLLECTOR = "198.51.100.60"  # on the underlay; nobody needs to listen for these tests

DEFAULTS = {"enabled": True, "collectors": [COLLECTOR + ":4739"], "activeTimeout": 60,
            "idleTimeout": 15, "maxFlows": 65536}


def put(vpgd, body, status=200):
    got, answer = vpgd.api("PUT", PATH, body)
    assert got == status, answer
    return answer


def test_inspection_api_put_get_delete_round_trip(lab):
    vpgd = lab.vpgd()
    status, err = vpgd.api("GET", PATH)
    assert (status, err["code"]) == (404, "not_found")
    assert put(vpgd, {"collectors": [COLLECTOR]}) == DEFAULTS
    assert vpgd.api("GET", PATH) == (200, DEFAULTS)
    full = {"enabled": False, "collectors": ["198.51.100.61:2055", COLLECTOR + ":4739"],
            "activeTimeout": 300, "idleTimeout": 30, "maxFlows": 1024}
    assert put(vpgd, full) == full
    assert vpgd.api("GET", PATH) == (200, full)
    # Enabled again with a table of another size; the stats show its size.
    assert put(vpgd, dict(full, enabled=True, maxFlows=16))["maxFlows"] == 16
    stats = vpgd.api("GET", "/v1/stats")[1]["inspection"]
    assert stats == {"flows": 0, "maxFlows": 16, "classifying": 0}
    metrics = vpgd.api("GET", "/metrics")[1]
    assert "\nvpgd_inspection_max_flows 16\n" in metrics
    assert "\nvpgd_inspection_flows 0\n" in metrics
    assert vpgd.api("DELETE", PATH) == (204, None)
    assert vpgd.api("GET", PATH)[0] == 404
    assert vpgd.api("DELETE", PATH)[0] == 404
    assert vpgd.api("GET", "/v1/stats")[1]["inspection"]["maxFlows"] == 0
    assert vpgd.api("POST", PATH, {"collectors": [COLLECTOR]})[0] == 405
    assert vpgd.stop() == 0


# Each bad body: the code and field the 400 names. None for a raw (non-JSON) body's field.
BAD = (
    ("{\"collectors\": [", "invalid_json", None),
    ([COLLECTOR], "invalid_json", None),
    ({}, "missing_field", "collectors"),
    ({"collectors": [COLLECTOR], "colour": 1}, "unknown_field", "colour"),
    ({"collectors": COLLECTOR}, "invalid_field", "collectors"),
    ({"collectors": []}, "invalid_field", "collectors"),
    ({"collectors": ["198.51.100.%d" % i for i in range(60, 65)]}, "invalid_field", "collectors"),
    ({"collectors": [COLLECTOR + ":0"]}, "invalid_field", "collectors"),
    ({"collectors": [COLLECTOR + ":65536"]}, "invalid_field", "collectors"),
    ({"collectors": [COLLECTOR + ":ipfix"]}, "invalid_field", "collectors"),
    ({"collectors": ["collector.example"]}, "invalid_field", "collectors"),
    ({"collectors": [COLLECTOR, COLLECTOR + ":4739"]}, "invalid_field", "collectors"),
    ({"collectors": ["224.0.0.1"]}, "invalid_field", "collectors"),
    ({"collectors": ["255.255.255.255"]}, "invalid_field", "collectors"),
    ({"collectors": ["127.0.0.1:4739"]}, "invalid_field", "collectors"),
    ({"collectors": ["0.0.0.0"]}, "invalid_field", "collectors"),
    ({"collectors": [COLLECTOR], "enabled": "yes"}, "invalid_field", "enabled"),
    ({"collectors": [COLLECTOR], "activeTimeout": 0}, "invalid_field", "activeTimeout"),
    ({"collectors": [COLLECTOR], "activeTimeout": 86401}, "invalid_field", "activeTimeout"),
    ({"collectors": [COLLECTOR], "idleTimeout": 0}, "invalid_field", "idleTimeout"),
    ({"collectors": [COLLECTOR], "idleTimeout": 1.5}, "invalid_field", "idleTimeout"),
    ({"collectors": [COLLECTOR], "maxFlows": 15}, "invalid_field", "maxFlows"),
    ({"collectors": [COLLECTOR], "maxFlows": 4194305}, "invalid_field", "maxFlows"),
)


def refused(vpgd, body, code, field):
    raw = body if isinstance(body, str) else None
    status, err = vpgd.api("PUT", PATH, None if raw else body, raw=raw)
    assert (status, err["code"], err.get("field")) == (400, code, field), (body, err)
    assert err["message"] and "\n" not in err["message"]
    return err


def test_inspection_api_each_bad_body_400_names_field_and_changes_nothing(lab):
    vpgd = lab.vpgd()
    # Never set: a refusal leaves it never set.
    for body, code, field in BAD:
        refused(vpgd, body, code, field)
        assert vpgd.api("GET", PATH)[0] == 404, body
    kept = put(vpgd, {"collectors": ["198.51.100.61:2055"], "maxFlows": 1024})
    for body, code, field in BAD:
        refused(vpgd, body, code, field)
        assert vpgd.api("GET", PATH) == (200, kept), body
    err = refused(vpgd, {"collectors": [COLLECTOR, "224.0.0.1"]}, "invalid_field", "collectors")
    assert err["message"] == '"collectors": [1] 224.0.0.1 is not a unicast host address'
    assert vpgd.stop() == 0


def test_inspection_api_settings_persist_across_kill(lab):
    cfg = lab.config()
    vpgd = lab.vpgd(cfg, name="vpgd-1")
    settings = {"enabled": True, "collectors": ["198.51.100.61:2055", COLLECTOR + ":4739"],
                "activeTimeout": 120, "idleTimeout": 10, "maxFlows": 2048}
    assert put(vpgd, settings) == settings
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-2")
    assert vpgd.api("GET", PATH) == (200, settings)
    # Restored running, not just stored: the views answer and the table has its size.
    assert vpgd.api("GET", PATH + "/flows")[1]["maxFlows"] == 2048
    disabled = dict(settings, enabled=False)
    assert put(vpgd, disabled) == disabled
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-3")
    assert vpgd.api("GET", PATH) == (200, disabled)
    assert vpgd.api("GET", PATH + "/flows")[0] == 409
    assert vpgd.api("DELETE", PATH) == (204, None)
    vpgd.p.kill()
    vpgd.p.wait(10)
    vpgd = lab.vpgd(cfg, name="vpgd-4")
    assert vpgd.api("GET", PATH)[0] == 404
    assert vpgd.stop() == 0


def view(vpgd, query=""):
    """(status, answer) of both views with the same query."""
    return [vpgd.api("GET", PATH + v + query) for v in ("/flows", "/summary")]


def test_inspection_api_views_409_while_off_and_query_checked(lab):
    vpgd = lab.vpgd()
    for status, err in view(vpgd):
        assert (status, err["code"], err["message"]) == (409, "conflict",
                                                          "inspection is not enabled")
    put(vpgd, {"collectors": [COLLECTOR], "enabled": False})
    assert [s for s, _ in view(vpgd)] == [409, 409]
    put(vpgd, {"collectors": [COLLECTOR], "maxFlows": 64})
    assert vpgd.api("GET", PATH + "/flows") == (200, {"flows": [], "count": 0, "maxFlows": 64})
    status, summary = vpgd.api("GET", PATH + "/summary?window=60&top=5")
    assert status == 200
    assert {k: summary[k] for k in ("windowSeconds", "packets", "bytes", "flows", "topFlows",
                                    "sessions", "protocols")} == {
        "windowSeconds": 60, "packets": 0, "bytes": 0, "flows": 0, "topFlows": [],
        "sessions": [], "protocols": []}
    assert isinstance(summary["truncated"], bool)
    for path, code, field in (("/flows?limit=0", "invalid_field", "limit"),
                              ("/flows?limit=10001", "invalid_field", "limit"),
                              ("/flows?limit=ten", "invalid_field", "limit"),
                              ("/flows?limit", "invalid_field", "limit"),
                              ("/flows?limit=5&limit=6", "invalid_field", "limit"),
                              ("/flows?top=5", "unknown_field", "top"),
                              ("/summary?window=0", "invalid_field", "window"),
                              ("/summary?window=3601", "invalid_field", "window"),
                              ("/summary?top=101", "invalid_field", "top"),
                              ("/summary?limit=5", "unknown_field", "limit")):
        status, err = vpgd.api("GET", PATH + path)
        assert (status, err["code"], err.get("field")) == (400, code, field), (path, err)
    assert vpgd.api("GET", PATH + "/flows?limit=10000")[0] == 200
    assert vpgd.api("DELETE", PATH) == (204, None)
    assert [s for s, _ in view(vpgd)] == [409, 409]
    assert vpgd.stop() == 0


def test_inspection_api_views_show_the_device_traffic(lab):
    vpgd = lab.vpgd()
    put(vpgd, {"collectors": [COLLECTOR]})
    dev = device(lab, "999010000000001")
    assert ping(dev, "10.10.0.1", count=3) == 3
    time.sleep(0.3)
    status, flows = vpgd.api("GET", PATH + "/flows?limit=10")
    assert status == 200 and flows["count"] >= 2 and flows["maxFlows"] == 65536, flows
    icmp = {(f["direction"], f["sourceAddress"], f["destinationAddress"]): f
            for f in flows["flows"] if f["protocol"] == 1}
    up = icmp[("uplink", dev.device, "10.10.0.1")]
    down = icmp[("downlink", "10.10.0.1", dev.device)]
    # ICMP's type and code ride in the destination port, as collectors expect: echo request 8.0.
    assert (up["sourcePort"], up["destinationPort"]) == (0, 8 * 256)
    assert (down["sourcePort"], down["destinationPort"]) == (0, 0)
    for f in (up, down):
        assert f["imsi"] == "999010000000001"
        assert (f["packets"], f["bytes"], f["tcpFlags"]) == (3, 3 * 84, 0)
        assert isinstance(f["application"], str)
        assert abs(f["lastSeen"] / 1000 - time.time()) < 30
        assert f["firstSeen"] <= f["lastSeen"]
    assert len(vpgd.api("GET", PATH + "/flows?limit=1")[1]["flows"]) == 1
    status, summary = vpgd.api("GET", PATH + "/summary")
    assert status == 200 and summary["windowSeconds"] == 300
    assert summary["packets"] >= 6 and summary["flows"] >= 2, summary
    assert summary["sessions"][0]["imsi"] == "999010000000001"
    assert summary["sessions"][0]["packets"] >= 6
    assert summary["topFlows"] and all(f["imsi"] == "999010000000001"
                                       for f in summary["topFlows"])
    assert sum(p["flows"] for p in summary["protocols"]) == summary["flows"]
    rc, out, err = vpgd.ctl("inspection", "flows")
    assert rc == 0, err
    assert out.startswith("IMSI             DIRECTION  SOURCE")
    assert "999010000000001  uplink     %s" % dev.device in out and "  ICMP  " in out
    rc, out, err = vpgd.ctl("inspection", "top", "--window", "60", "--top", "3")
    assert rc == 0, err
    assert out.startswith("Last 60 seconds: ")
    assert "\nIMSI             PACKETS  BYTES  FLOWS\n999010000000001  " in out
    assert vpgd.stop() == 0


def test_inspection_api_vpgctl_set_show_unset(lab):
    vpgd = lab.vpgd()
    rc, out, err = vpgd.ctl("inspection", "set", "--collector", COLLECTOR, "--collector",
                            "198.51.100.61:2055", "--max-flows", "1024", "--disabled")
    assert rc == 0, err
    assert "collectors     [\"%s:4739\",\"198.51.100.61:2055\"]\n" % COLLECTOR in out, out
    want = {"enabled": False, "collectors": [COLLECTOR + ":4739", "198.51.100.61:2055"],
            "activeTimeout": 60, "idleTimeout": 15, "maxFlows": 1024}
    assert vpgd.api("GET", PATH) == (200, want)
    rc, out, err = vpgd.ctl("inspection", "show")
    assert (rc, err) == (0, "")
    assert "enabled        false\n" in out and "maxFlows       1024\n" in out, out
    rc, out, _ = vpgd.ctl("--json", "inspection", "show")
    assert rc == 0 and json.loads(out) == want
    rc, out, err = vpgd.ctl("inspection", "flows")
    assert (rc, out) == (1, "")
    assert err == "vpgctl: inspection is not enabled (conflict, HTTP 409)\n"
    # A bad collector is refused by vpgctl itself, in the API's words: nothing is sent.
    rc, out, err = vpgd.ctl("inspection", "set", "--collector", COLLECTOR + ":0")
    assert rc == 1
    assert err == ('vpgctl: "collectors": [0] has a port outside 1 to 65535 ("%s:0")\n'
                   % COLLECTOR)
    # One the API refuses: its message, and still nothing changed.
    rc, out, err = vpgd.ctl("inspection", "set", "--collector", "224.0.0.1")
    assert rc == 1
    assert err == ('vpgctl: "collectors": [0] 224.0.0.1 is not a unicast host address '
                   "(invalid_field, HTTP 400)\n")
    assert vpgd.api("GET", PATH) == (200, want)
    rc, out, err = vpgd.ctl("inspection", "set", "--collector", COLLECTOR)
    assert rc == 0, err
    rc, out, err = vpgd.ctl("inspection", "flows", "--limit", "5")
    assert rc == 0, err
    assert out.endswith("0 of 0 flows shown; the table holds at most 65536\n"), out
    assert (vpgd.ctl("inspection", "unset")[:2]) == (0, "")
    rc, out, err = vpgd.ctl("inspection", "show")
    assert (rc, err) == (1, "vpgctl: inspection is not set (not_found, HTTP 404)\n")
    rc, out, err = vpgd.ctl("inspection", "unset")
    assert rc == 1
    assert vpgd.stop() == 0
