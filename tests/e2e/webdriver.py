"""A small W3C WebDriver client on the Python standard library, for the end-to-end test.

It talks to a chromedriver it starts itself on 127.0.0.1, drives Debian's headless Chromium, and offers the few
commands the test needs: navigate, find elements, click, type, read text and attributes, run a script, wait.
"""

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROME_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
]


class WebDriverError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Element:
    def __init__(self, driver, ref, what):
        self.driver = driver
        self.ref = ref
        self.what = what

    def _cmd(self, method, path, body=None):
        return self.driver._cmd(method, f"/element/{self.ref}{path}", body)

    def click(self):
        self._cmd("POST", "/click", {})
        return self

    def clear(self):
        self._cmd("POST", "/clear", {})
        return self

    def send_keys(self, text):
        self._cmd("POST", "/value", {"text": text})
        return self

    @property
    def text(self):
        return self._cmd("GET", "/text")

    def attr(self, name):
        return self._cmd("GET", f"/attribute/{name}")

    def prop(self, name):
        return self._cmd("GET", f"/property/{name}")

    def find(self, css):
        found = self.driver._cmd("POST", f"/element/{self.ref}/element", {"using": "css selector", "value": css})
        return Element(self.driver, found[ELEMENT_KEY], css)


ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"


class Driver:
    """A chromedriver process and one browser session."""

    def __init__(self, user_data_dir):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [CHROMEDRIVER, f"--port={self.port}", "--allowed-ips=127.0.0.1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 20
        while True:
            try:
                with urllib.request.urlopen(self.base + "/status", timeout=2) as r:
                    if json.load(r)["value"].get("ready"):
                        break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.time() > deadline:
                self.proc.kill()
                raise WebDriverError("chromedriver did not start")
            time.sleep(0.1)
        caps = {
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "chrome",
                    "goog:chromeOptions": {
                        "binary": CHROMIUM,
                        "args": CHROME_ARGS + [f"--user-data-dir={user_data_dir}"],
                    },
                }
            }
        }
        value = self._raw("POST", "/session", caps)
        self.session = value["sessionId"]

    def _raw(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.load(r)["value"]
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            raise WebDriverError(f"{method} {path}: {e.code} {detail[:500]}") from None

    def _cmd(self, method, path, body=None):
        return self._raw(method, f"/session/{self.session}{path}", body)

    def window(self):
        """The handle of the current window (tab)."""
        return self._cmd("GET", "/window")

    def new_tab(self):
        """Opens a new tab in this browser and switches to it; returns its handle."""
        handle = self._cmd("POST", "/window/new", {"type": "tab"})["handle"]
        self.switch_to(handle)
        return handle

    def switch_to(self, handle):
        self._cmd("POST", "/window", {"handle": handle})

    def close_tab(self, back_to):
        """Closes the current tab and switches to `back_to`."""
        self._cmd("DELETE", "/window")
        self.switch_to(back_to)

    def on_new_document(self, source):
        """Runs `source` in every page this browser loads from now on, before the page's own scripts (Chromium)."""
        command = {"cmd": "Page.addScriptToEvaluateOnNewDocument", "params": {"source": source}}
        self._cmd("POST", "/goog/cdp/execute", command)

    def get(self, url):
        self._cmd("POST", "/url", {"url": url})

    def refresh(self):
        self._cmd("POST", "/refresh", {})

    def script(self, source, *args):
        return self._cmd("POST", "/execute/sync", {"script": source, "args": list(args)})

    def script_async(self, source, *args):
        """Runs `source` in the page; it ends by calling its last argument with the result."""
        return self._cmd("POST", "/execute/async", {"script": source, "args": list(args)})

    def find(self, css):
        found = self._cmd("POST", "/element", {"using": "css selector", "value": css})
        return Element(self, found[ELEMENT_KEY], css)

    def find_all(self, css):
        found = self._cmd("POST", "/elements", {"using": "css selector", "value": css})
        return [Element(self, f[ELEMENT_KEY], css) for f in found]

    def wait(self, what, predicate, timeout=20.0):
        """Polls `predicate()` until it returns a truthy value, which it returns; fails naming `what`."""
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            try:
                value = predicate()
                if value:
                    return value
            except WebDriverError as e:
                last = e
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}" + (f" (last error: {last})" if last else ""))

    def wait_css(self, css, timeout=20.0):
        return self.wait(f"element {css}", lambda: self.find_all(css) and self.find_all(css)[0], timeout)

    def screenshot(self, path):
        import base64

        png = self._cmd("GET", "/screenshot")
        with open(path, "wb") as f:
            f.write(base64.b64decode(png))

    def quit(self):
        try:
            self._cmd("DELETE", "")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
