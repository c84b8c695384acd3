"""Debian's chromium, headless, driven by chromedriver through selenium,
inside a lab namespace so that it reaches an API bound to that namespace's
loopback.

The test process enters the namespace (setns) while the browser lives:
chromedriver and chromium are its children and start there, and selenium
opens its connections to chromedriver from there. Every other helper keeps
using `ip netns exec`, which does not depend on where the test process is.
"""
import ctypes
import os
import shutil
import tempfile

CLONE_NEWNET = 0x40000000
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

_libc = ctypes.CDLL(None, use_errno=True)


def _setns(fd):
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, "setns: " + os.strerror(err))


class InNetns:
    """with InNetns("name"): the calling thread is in that network namespace."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
        target = os.open("/var/run/netns/" + self.name, os.O_RDONLY)
        try:
            _setns(target)
        finally:
            os.close(target)
        return self

    def __exit__(self, *exc):
        try:
            _setns(self.home)
        finally:
            os.close(self.home)


class Browser:
    """A headless chromium in namespace ns; close() ends it and its driver."""

    def __init__(self, ns, width=1280, height=900):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="vpgd-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--no-first-run", "--disable-extensions", "--disable-background-networking",
                    "--window-size=%d,%d" % (width, height), "--user-data-dir=" + self.profile):
            opts.add_argument(arg)
        # The browser's console: a script error or a CSP refusal is logged there.
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.inside = InNetns(ns.name).__enter__()
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
            self.driver.set_page_load_timeout(15)
        except BaseException:
            self.inside.__exit__()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise

    def __getattr__(self, name):
        return getattr(self.driver, name)

    def close(self):
        try:
            self.driver.quit()
        finally:
            self.inside.__exit__()
            shutil.rmtree(self.profile, ignore_errors=True)
