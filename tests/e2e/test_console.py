"""The web console: vpgd serves it at "/" from its own binary, and a real
browser (Debian's chromium, headless, through chromedriver) uses it against
a gateway with a device attached through sgsnemu.

Send: HTTP requests with curl for the files and their headers; a browser
session that logs in with the token and goes through every page.
Verify: types, CSP and cache headers, 304s, the token still needed on /v1;
in the browser the device in the session list, a gate peer added through
the form and listed (and in the API), the API's message beside the field
of a bad address, a capture of the device started, watched to DONE and
downloaded by the page (tshark reads it: every packet the device's), no
script error or CSP refusal in the browser's log.
Screenshots of every page go to $VPGD_CONSOLE_SHOTS (default: the lab's
directory); docs/console/ holds a set for the README.
"""
import os
import re
import subprocess

from netlab import ROOT, Proc
from test_gtp_attach import wait_tun_address

TOKEN = "s3cret-console"
API = "127.0.0.1:8080"
CONSOLE_DIR = os.path.join(ROOT, "console")


def token_config(lab):
    return lab.config(api={"listen": API, "token": TOKEN})


def fetch(vpgd, path, *headers, method="GET"):
    """(status, headers as a dict of lower-case names, body bytes) from curl."""
    verb = ["--head"] if method == "HEAD" else ["-X", method]
    args = ["curl", "-sS", *verb, "-D", "/dev/stderr", "-o", "/dev/stdout", "--max-time", "10",
            "http://" + API + path]
    for hd in headers:
        args += ["-H", hd]
    r = subprocess.run(vpgd.ns.cmd(*args), capture_output=True, check=True)
    head = r.stderr.decode().split("\r\n")
    status = int(head[0].split()[1])
    fields = {}
    for line in head[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip().lower()] = v.strip()
    return status, fields, r.stdout


def test_console_files_with_their_headers_and_the_api_still_behind_the_token(lab):
    vpgd = lab.vpgd(token_config(lab))
    status, hd, body = fetch(vpgd, "/")
    assert status == 200
    with open(os.path.join(CONSOLE_DIR, "index.html"), "rb") as f:
        assert body == f.read()
    assert hd["content-type"] == "text/html; charset=utf-8"
    assert hd["content-security-policy"].startswith("default-src 'self';")
    assert "frame-ancestors 'none'" in hd["content-security-policy"]
    assert hd["cache-control"] == "no-cache" and hd["x-content-type-options"] == "nosniff"
    # Every file index.html loads is served with its type; none is inline.
    html = body.decode()
    refs = re.findall(r'(?:src|href)="(/[^"]*)"', html)
    assert len(refs) >= 10 and not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert not re.search(r"\sstyle=|\son[a-z]+=", html)
    types = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
             ".svg": "image/svg+xml"}
    for ref in refs:
        status, hd, body = fetch(vpgd, ref)
        with open(os.path.join(CONSOLE_DIR, ref.lstrip("/")), "rb") as f:
            assert status == 200 and body == f.read(), ref
        assert hd["content-type"] == types[os.path.splitext(ref)[1]], ref
    # Asked again with its ETag: 304 and no body; HEAD: the headers alone.
    status, hd, _ = fetch(vpgd, "/core.js")
    status, hd304, body = fetch(vpgd, "/core.js", "If-None-Match: " + hd["etag"])
    assert status == 304 and body == b"" and hd304["etag"] == hd["etag"]
    assert fetch(vpgd, "/core.js", 'If-None-Match: "other"')[0] == 200
    status, hd, _ = fetch(vpgd, "/", method="HEAD")
    assert status == 200 and hd["content-type"].startswith("text/html")
    assert int(hd["content-length"]) == os.path.getsize(os.path.join(CONSOLE_DIR, "index.html"))
    # The files are public; the API is not, and unknown paths stay JSON 404s.
    assert vpgd.api("GET", "/v1/vpg")[0] == 401
    assert vpgd.api("GET", "/v1/stats", token="wrong")[0] == 401
    assert vpgd.api("GET", "/nothing.js", token=TOKEN) == (
        404, {"code": "not_found", "message": "no such path"})
    assert vpgd.api("POST", "/", token=TOKEN)[0] == 404
    assert vpgd.api("GET", "/v1/vpg", token=TOKEN)[0] == 200
    assert vpgd.stop() == 0


PEER_OUTER, PEER_INNER = "198.51.100.3", "10.10.10.10"
IMSI = "999010000000001"


def shots_dir(lab):
    d = os.environ.get("VPGD_CONSOLE_SHOTS") or os.path.join(lab.workdir, "console-shots")
    os.makedirs(d, exist_ok=True)
    return d


class Console:
    """The console in a browser: pages by name, waits bounded in time."""

    def __init__(self, browser, shots):
        from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait
        self.b = browser
        self.shots = shots
        # A page redraws what it shows after a change: an element may go while it is read.
        self.wait = WebDriverWait(browser.driver, 10, poll_frequency=0.05, ignored_exceptions=(
            NoSuchElementException, StaleElementReferenceException))

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.b.find_element(By.CSS_SELECTOR, css)

    def all(self, css):
        from selenium.webdriver.common.by import By
        return self.b.find_elements(By.CSS_SELECTOR, css)

    def until(self, what, cond):
        """Waits for cond(); the message says what was awaited."""
        return self.wait.until(lambda _: cond(), message="waited for " + what)

    def open(self, name):
        """Goes to a page and waits until it has its data."""
        self.b.execute_script("location.hash = arguments[0]", name)
        self.until("page " + name, lambda: self.all("#page-%s:not([data-loading])" % name))
        return self.find("#page-" + name)

    def shot(self, name):
        import base64
        path = os.path.join(self.shots, name + ".png")
        # The whole page, not just the window (DevTools' own screenshot call).
        size = self.b.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        png = self.b.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 4000),
                     "scale": 1}})
        with open(path, "wb") as f:
            f.write(base64.b64decode(png["data"]))
        return path

    def fill(self, form, **values):
        for name, value in values.items():
            el = self.find('form[data-form="%s"] [data-field="%s"]' % (form, name))
            el.clear()
            el.send_keys(value)
        self.find('form[data-form="%s"] button[type=submit]' % form).click()

    def error_beside(self, form, field):
        return self.find('form[data-form="%s"] [data-error-for="%s"]' % (form, field)).text


def test_console_in_a_browser_login_sessions_gate_peers_and_errors(lab):
    from browser import Browser
    from selenium.webdriver.support.ui import Select
    vpgd = lab.vpgd(token_config(lab))
    # The device attaches while the browser starts and logs in.
    dev = lab.sgsn()
    lab.sgsnemu(dev, "--createif", "--defaultroute", "--imsi", IMSI, timelimit=90)
    browser = lab.add(Browser(lab.gw))
    c = Console(browser, shots_dir(lab))

    # Log in: the console asks for the token, which never shows in the URL.
    browser.get("http://%s/" % API)
    c.until("the login form", lambda: c.all('form[data-form="login"] [data-field="token"]'))
    c.fill("login", token="wrong")
    c.until("the refusal", lambda: c.error_beside("login", "token"))
    assert c.error_beside("login", "token") == "a valid bearer token is required"
    assert not c.find("#nav").is_displayed()
    c.shot("login")
    c.fill("login", token=TOKEN)
    c.open("overview")
    assert TOKEN not in browser.current_url
    dev.device = wait_tun_address(dev)
    # Traffic to plot: the device pings the gateway's own address meanwhile.
    lab.add(Proc(dev, ["ping", "-q", "-i", "0.2", "-s", "1000", "-w", "80", "10.10.0.1"], "ping",
                 lab.workdir))
    c.open("sessions")
    overview = c.open("overview")
    c.until("the session count", lambda: "Sessions\n1" in overview.text)
    # The token lasts the browser session: a reload goes straight to the page.
    browser.refresh()
    c.open("overview")
    assert not c.all('form[data-form="login"]')

    # Sessions: the device, found by its IMSI and by its address.
    page = c.open("sessions")
    c.until("the device", lambda: IMSI in c.find("#session-list").text)
    row = c.find("#session-list tbody tr").text
    assert dev.device in row and "ggsn" in row
    search = c.find("#session-search")
    search.send_keys(dev.device)
    assert len(c.all("#session-list tbody tr")) == 1
    search.clear()
    search.send_keys("12345")
    assert "No session matches." in page.text
    search.clear()
    search.send_keys(IMSI[:8])
    c.shot("sessions")

    # Gate: open it, add a peer through the form, and see it listed.
    c.open("gate")
    c.find('form[data-form="gate-open"] button[type=submit]').click()
    c.until("the gate open", lambda: "open" in c.find("#gate-status").text.split("\n")[1])
    status, refusal = vpgd.api("POST", "/v1/gate/open", {"vxlanId": 16777216}, token=TOKEN)
    assert status == 400 and refusal["field"] == "vxlanId"
    c.fill("gate-open", vxlanId="16777216")
    c.until("the message", lambda: c.error_beside("gate-open", "vxlanId"))
    assert c.error_beside("gate-open", "vxlanId") == refusal["message"]
    c.fill("gate-peer-add", outerIpAddress=PEER_OUTER, innerIpAddress=PEER_INNER)
    c.until("the peer listed", lambda: PEER_OUTER in c.find("#gate-peers").text)
    assert PEER_INNER in c.find("#gate-peers").text
    assert vpgd.api("GET", "/v1/gate/peers", token=TOKEN)[1] == [
        {"outerIpAddress": PEER_OUTER, "innerIpAddress": PEER_INNER, "macAddress": None}]
    # A bad address: the API's own message, beside the field it names.
    bad = {"outerIpAddress": "198.51.100.300", "innerIpAddress": "10.10.10.11"}
    status, refusal = vpgd.api("POST", "/v1/gate/peers", bad, token=TOKEN)
    assert status == 400 and refusal["field"] == "outerIpAddress"
    c.fill("gate-peer-add", **bad)
    c.until("the message", lambda: c.error_beside("gate-peer-add", "outerIpAddress"))
    assert c.error_beside("gate-peer-add", "outerIpAddress") == refusal["message"]
    assert c.error_beside("gate-peer-add", "innerIpAddress") == ""
    assert c.find('form[data-form="gate-peer-add"] [data-field="outerIpAddress"]') \
        .get_attribute("aria-invalid") == "true"
    assert len(vpgd.api("GET", "/v1/gate/peers", token=TOKEN)[1]) == 1
    c.shot("gate")

    # Junction: redirection to the peer, a mirroring peer, inspection; a bad collector
    # named beside its field.
    c.open("junction")
    c.fill("redirection", gateway=PEER_INNER, description="to the LAN")
    c.until("redirection on", lambda: "Redirection (on)" in c.find("#page-junction").text)
    assert vpgd.api("GET", "/v1/junction/redirection", token=TOKEN)[1] == {
        "gateway": PEER_INNER, "enabled": True, "description": "to the LAN"}
    c.fill("mirror-add", ipAddress="198.51.100.50", description="probe")
    c.until("the mirroring peer", lambda: "198.51.100.50" in c.find("#mirroring").text)
    c.fill("inspection", collectors="192.0.2.9, 256.1.1.1")
    c.until("the message", lambda: c.error_beside("inspection", "collectors"))
    assert "[1]" in c.error_beside("inspection", "collectors")
    c.fill("inspection", collectors="192.0.2.9")
    c.until("inspection on", lambda: c.all("#top-applications"))
    c.until("the pings in the top lists", lambda: "ICMP" in c.find("#top-applications").text
            and IMSI in c.find("#top-devices").text)
    c.shot("junction")

    # Routing filter: two rules saved in order, then a third with a bad range, named by its index.
    c.open("routing")
    add_rule = c.find("#routing-filter .actions button.secondary")
    for i, (action, cidr) in enumerate((("allow", "10.0.0.0/16"), ("deny", "203.0.113.0/24"),
                                        ("deny", "10.0.0.1/16"))):
        add_rule.click()
        Select(c.find('[data-field="[%d].action"]' % i)).select_by_value(action)
        c.find('[data-field="[%d].ipRange"]' % i).send_keys(cidr)
        if i == 1:
            c.find("#routing-filter button[type=submit]").click()
            c.until("saved", lambda: "Saved" in c.find("#routing-filter").text)
            add_rule = c.find("#routing-filter .actions button.secondary")
    assert vpgd.api("GET", "/v1/routing_filter", token=TOKEN)[1] == [
        {"action": "allow", "ipRange": "10.0.0.0/16"}, {"action": "deny", "ipRange": "203.0.113.0/24"}]
    # Drops for the overview to plot: pings the filter now denies.
    lab.add(Proc(dev, ["ping", "-q", "-i", "0.5", "-c", "120", "203.0.113.99"], "ping-denied",
                 lab.workdir))
    c.find("#routing-filter button[type=submit]").click()
    c.until("the message", lambda: c.find('[data-error-for="[2].ipRange"]').text)
    status, refusal = vpgd.api("PUT", "/v1/routing_filter", [
        {"action": "allow", "ipRange": "10.0.0.0/16"}, {"action": "deny", "ipRange": "203.0.113.0/24"},
        {"action": "deny", "ipRange": "10.0.0.1/16"}], token=TOKEN)
    assert status == 400 and c.find('[data-error-for="[2].ipRange"]').text == refusal["message"]
    c.shot("routing")

    c.open("sim-routing")
    c.fill("sim-route", imsi=IMSI, destinations="192.168.50.0/24")
    c.until("the route", lambda: "192.168.50.0/24" in c.find("#page-sim-routing").text)
    c.find("#sim-routing-state button").click()
    c.until("enabled", lambda: "is enabled" in c.find("#sim-routing-state").text)
    assert vpgd.api("GET", "/v1/sim_based_routing/routes", token=TOKEN)[1] == {
        "enabled": True, "routes": [{"imsi": IMSI, "destinations": ["192.168.50.0/24"]}]}
    c.shot("sim-routing")

    # Captures: a bad duration refused beside its field, then the device's
    # pings captured for 2 s, watched to DONE and downloaded by the page.
    c.open("captures")
    status, refusal = vpgd.api("POST", "/v1/packet_capture_sessions", {"duration": 0}, token=TOKEN)
    assert status == 400 and refusal["field"] == "duration"
    c.fill("capture-start", duration="0")
    c.until("the message", lambda: c.error_beside("capture-start", "duration"))
    assert c.error_beside("capture-start", "duration") == refusal["message"]
    c.fill("capture-start", duration="2", imsi=IMSI, prefix="console")
    c.until("the capture listed", lambda: IMSI in c.find("#captures").text)
    c.until("the capture done", lambda: "DONE" in c.find("#captures").text)
    (capture,) = vpgd.api("GET", "/v1/packet_capture_sessions", token=TOKEN)[1]
    assert (capture["status"], capture["imsi"], capture["prefix"]) == ("DONE", IMSI, "console")
    c.shot("captures")
    downloads = os.path.join(lab.workdir, "downloads")
    os.makedirs(downloads)
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow",
                                                         "downloadPath": downloads})
    c.find("#captures button.secondary").click()
    pcap = os.path.join(downloads, "vpgd-capture-%s.pcapng" % capture["id"])
    c.until("the download", lambda: os.path.exists(pcap) and os.path.getsize(pcap) > 0 and not
            [f for f in os.listdir(downloads) if f.endswith(".crdownload")])
    comments = subprocess.run(["tshark", "-n", "-r", pcap, "-T", "fields", "-e", "frame.comment"],
                              capture_output=True, text=True, check=True).stdout.split("\n")[:-1]
    # The pings of those 2 s, each with the device's IMSI; as many as the gateway counted.
    assert comments and all(x.startswith("imsi:%s " % IMSI) for x in comments), comments
    assert len(comments) == capture["packets"]

    c.until("denied pings counted", lambda: vpgd.api("GET", "/v1/stats", token=TOKEN)[1]["drops"]
            ["routing_filter_denied"] > 0)
    # The overview last, with the minutes of counters it has plotted meanwhile.
    c.open("overview")
    c.until("a plotted line", lambda: len(c.find("#throughput polyline").get_attribute("points").split()) >= 3)
    c.until("the denied pings", lambda: "routing_filter_denied" in c.find("#drop-reasons").text)
    denied = vpgd.api("GET", "/v1/stats", token=TOKEN)[1]["drops"]["routing_filter_denied"]
    shown = c.find("#drop-reasons tbody tr").text.split()
    assert shown[0] == "routing_filter_denied" and 0 < int(shown[1]) <= denied
    c.shot("overview")

    # Detach from the session list: two clicks, then the list is empty, as is the API's.
    c.open("sessions")
    c.until("the device", lambda: IMSI in c.find("#session-list").text)
    detach = c.find('#session-list button[data-imsi="%s"]' % IMSI)
    detach.click()
    assert detach.text == "Confirm detach" and vpgd.api("GET", "/v1/sessions", token=TOKEN)[1] != []
    detach.click()
    c.until("no device", lambda: "No device is attached." in c.find("#session-list").text)
    assert vpgd.api("GET", "/v1/sessions", token=TOKEN)[1] == []

    # No script error and nothing the CSP refused, on any page.
    # (The browser logs each 4xx answer as an error: the refusals above, a 404 for what is unset.)
    problems = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and not (
        e["source"] == "network" and re.match(r"http://%s/v1/\S* - Failed to load resource: the server "
                                             r"responded with a status of 4\d\d" % API, e["message"]))]
    assert problems == []
    assert vpgd.stop() == 0


def test_console_without_a_token_opens_directly(lab):
    from browser import Browser
    vpgd = lab.vpgd()  # the API on loopback, no token
    browser = lab.add(Browser(lab.gw))
    c = Console(browser, shots_dir(lab))
    browser.get("http://%s/#gate" % API)
    page = c.open("gate")
    assert "closed" in c.find("#gate-status").text
    assert not c.all('form[data-form="login"]') and not c.find("#logout").is_displayed()
    assert c.find("#nav").is_displayed()
    assert browser.execute_script("return sessionStorage.length") == 0
    c.fill("gate-peer-add", outerIpAddress="198.51.100.3", innerIpAddress="10.9.9.9")
    c.until("the message", lambda: c.error_beside("gate-peer-add", "innerIpAddress"))
    assert "innerIpAddress" in c.error_beside("gate-peer-add", "innerIpAddress")
    assert page.is_displayed() and vpgd.api("GET", "/v1/gate/peers")[1] == []
    assert vpgd.stop() == 0
