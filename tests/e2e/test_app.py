"""End-to-end test of the release build: a static server on 127.0.0.1 serves dist/, chromedriver drives headless
Chromium through the app as a user would.

Run: python3 tests/e2e/test_app.py DIST_DIR  (scripts/e2e.sh does, after `trunk build --release`).
Prints one line per step and a closing 'N passed, N failed' line; exits non-zero on the first failure.
"""

import functools
import http.server
import json
import os
import sys
import tempfile
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from webdriver import Driver  # noqa: E402

EXAMPLE_NAME = "Guangzhou: web tier moving into vpc-prod"
SHOTS = os.environ.get("E2E_SHOTS", os.path.join("target", "e2e"))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory):
    handler = functools.partial(QuietHandler, directory=directory)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def tid(name):
    return f'[data-testid="{name}"]'


def set_value(d, css, value, event="input"):
    """Sets a field's value the way typing or choosing would, firing the event Yew listens to."""
    ok = d.script(
        """const el = document.querySelector(arguments[0]);
           if (!el) return false;
           el.value = arguments[1];
           el.dispatchEvent(new Event(arguments[2], {bubbles: true}));
           return true;""",
        css,
        value,
        event,
    )
    assert ok, f"no element {css}"


def value_of(d, css):
    return d.script("const el = document.querySelector(arguments[0]); return el ? el.value : null;", css)


def attr_of(d, css, name):
    return d.script(
        "const el = document.querySelector(arguments[0]); return el ? el.getAttribute(arguments[1]) : null;",
        css,
        name,
    )


def wait_attr(d, css, name, want, timeout=20):
    return d.wait(f"{css} [{name}={want!r}]", lambda: attr_of(d, css, name) == want, timeout)


def wait_value(d, css, want, timeout=20):
    return d.wait(f"{css} value {want!r}", lambda: value_of(d, css) == want, timeout)


def click(d, css):
    d.wait_css(css).click()


# Whether leaving the page would ask first: dispatches `beforeunload` and reads whether the page cancelled it.
LEAVING = "const e = new Event('beforeunload', {cancelable: true}); window.dispatchEvent(e); return e.defaultPrevented;"
# The plans kept aside in local storage, by key.
KEPT = (
    "return Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith('classiclink.plan.kept'))"
    ".map(k => [k, localStorage.getItem(k)]));"
)


def import_as(d, plan, name):
    """Imports a copy of `plan` named `name` through the import panel (opened if it is closed) and waits for it."""
    plan = json.loads(json.dumps(plan))
    plan["name"] = name
    if not d.find_all(tid("import-text")):
        click(d, tid("import-open"))
    set_value(d, tid("import-text"), json.dumps(plan))
    click(d, tid("import-submit"))
    wait_value(d, tid("plan-name"), name)


def wait_autosaved(d, name):
    """Waits until the autosave in local storage is the plan named `name`."""
    saved = "return window.localStorage.getItem('classiclink.plan') || '';"
    d.wait(f"the autosave of {name!r}", lambda: json.dumps(name) in d.script(saved), timeout=10)


class Scenario:
    def __init__(self, dist):
        self.dist = dist
        self.passed = 0
        self.failed = 0
        self.server, self.url = serve(dist)
        self.home = tempfile.mkdtemp(prefix="classiclink-e2e-")
        os.makedirs(SHOTS, exist_ok=True)

    def step(self, name, fn, *args):
        try:
            fn(*args)
        except Exception:
            self.failed += 1
            print(f"FAIL {name}")
            traceback.print_exc()
            raise
        self.passed += 1
        print(f"ok   {name}")

    def run(self):
        d = Driver(os.path.join(self.home, "profile-a"))
        try:
            self.step("first load shows the example plan and its findings", self.first_load, d)
            self.step("linking a CVM to the out-of-range VPC is refused with the API code", self.refused_link, d)
            self.step("linking a CVM to vpc-prod updates the gauge", self.link, d)
            self.step("a reach query names the reason and the blocker", self.reach, d)
            self.step("the last Undo, disabled by its own click, hands the focus on to Redo", self.last_undo, d)
            exported = self.export(d)
            self.passed += 1
            print("ok   export shows the plan JSON with the new link")
            self.step("a broken import names the JSON location and keeps the plan", self.bad_import, d, exported)
            self.step("re-importing the exported plan opens it", self.reimport, d, exported)
            self.step("the autosave is written once the edits pause", self.autosave_written, d)
            self.step("a reload restores the autosaved plan", self.reload, d)
            share = self.share(d)
            self.passed += 1
            print("ok   the share link is made")
            self.step("an edit made just before a reload is kept", self.edit_then_reload, d, exported)
            self.step("an edit made just before the page goes to the background is kept", self.background, d, exported)
            self.step(
                "a share link opens over the user's plan, which stays one undo away and is kept",
                self.share_over_own,
                d,
                share,
            )
            self.step(
                "a second share link keeps the plan it opens over beside the first one kept",
                self.second_share_over_own,
                d,
                share,
            )
            self.step("another tab saving its plan over this tab's autosave is reported", self.other_tab, d)
            self.step(
                "a share link opened in a new tab beside the planner leaves no copy of the planner's plan behind",
                self.share_beside,
                d,
                share,
            )
            self.step(
                "a share link pasted into the open tab's address bar opens at once, keeping the plan it replaces",
                self.share_pasted,
                d,
                share,
            )
            d.screenshot(os.path.join(SHOTS, "app.png"))
        finally:
            d.quit()
        elsewhere = Driver(os.path.join(self.home, "profile-b"))
        try:
            self.step("the share link opens the same plan in another browser", self.open_share, elsewhere, share)
            self.step(
                "an autosave this build cannot read is reported and kept, not overwritten",
                self.unreadable_autosave,
                elsewhere,
                exported,
            )
            self.step("a big unreadable autosave is kept too", self.big_unreadable_autosave, elsewhere)
            self.step(
                "a full local storage is reported, and discarding the kept plan saves again",
                self.storage_full,
                elsewhere,
                exported,
            )
            # Last: the page keeps its storage blocked from here on.
            self.step(
                "with local storage blocked the app still opens, and warns at once that nothing is saved",
                self.blocked,
                elsewhere,
            )
        finally:
            elsewhere.quit()
        self.server.shutdown()

    def first_load(self, d):
        d.get(self.url)
        wait_value(d, tid("plan-name"), EXAMPLE_NAME, timeout=60)
        d.wait("findings", lambda: len(d.find_all(tid("finding"))) > 0)
        rules = {f.attr("data-rule") for f in d.find_all(tid("finding"))}
        assert "CL010" in rules, f"the broken link (IP changed) is reported: {rules}"
        assert attr_of(d, tid("gauge-vpc-prod"), "data-links") == "5"

    def refused_link(self, d):
        click(d, tid("node-ins-web04"))
        wait_attr(d, tid("selection"), "data-id", "ins-web04")
        set_value(d, tid("link-target"), "vpc-data", "change")
        click(d, tid("try-link"))
        wait_attr(d, tid("try-answer"), "data-accepted", "false")
        code = attr_of(d, tid("try-answer"), "data-api-error")
        assert code == "UnsupportedOperation.CIDRUnSupportedClassicLink", code
        text = d.find(tid("try-answer")).text
        assert "CL001" in text and "172.16.0.0/16" in text, text
        assert attr_of(d, tid("gauge-vpc-prod"), "data-links") == "5", "nothing changed"

    def link(self, d):
        set_value(d, tid("link-target"), "vpc-prod", "change")
        click(d, tid("try-link"))
        wait_attr(d, tid("try-answer"), "data-accepted", "true")
        click(d, tid("link-button"))
        wait_attr(d, tid("gauge-vpc-prod"), "data-links", "6")
        d.wait_css(tid("edge-ins-web04-vpc-prod"))

    def reach(self, d):
        click(d, tid("tab-reach"))
        set_value(d, tid("reach-from"), "ins-web01")
        set_value(d, tid("reach-to"), "ins-api01")
        set_value(d, tid("reach-port"), "22")
        click(d, tid("reach-submit"))
        wait_attr(d, tid("reach-answer"), "data-reason", "NETWORK_ACL")
        blocked = d.find(tid("reach-blocked-by")).text
        assert "acl-app" in blocked, blocked
        set_value(d, tid("reach-port"), "8080")
        click(d, tid("reach-submit"))
        wait_attr(d, tid("reach-answer"), "data-reachable", "true")

    def last_undo(self, d):
        # A real click focuses the button; undoing the only step disables it, and the browser blurs it.
        click(d, tid("undo"))
        wait_attr(d, tid("gauge-vpc-prod"), "data-links", "5")
        focused = "const a = document.activeElement; return a && a !== document.body ? a.getAttribute('data-testid') : null;"
        d.wait("the focus on Redo", lambda: d.script(focused) == "redo")
        click(d, tid("redo"))
        wait_attr(d, tid("gauge-vpc-prod"), "data-links", "6")
        d.wait("the focus on a control, not the page", lambda: d.script(focused) is not None)

    def export(self, d):
        click(d, tid("export-open"))
        text = d.wait("export text", lambda: value_of(d, tid("export-text")))
        plan = json.loads(text)
        links = {(l["instance"], l["vpc"]) for l in plan["links"]}
        assert ("ins-web04", "vpc-prod") in links, links
        return plan

    def bad_import(self, d, plan):
        broken = json.loads(json.dumps(plan))
        broken["vpcs"][0]["cidr"] = "10.0.0.0/33"
        click(d, tid("import-open"))
        set_value(d, tid("import-text"), json.dumps(broken))
        click(d, tid("import-submit"))
        d.wait_css(tid("import-error"))
        paths = [e.attr("data-path") for e in d.find_all(tid("import-error"))]
        assert "vpcs[0].cidr" in paths, paths
        assert value_of(d, tid("plan-name")) == EXAMPLE_NAME
        assert attr_of(d, tid("gauge-vpc-prod"), "data-links") == "6", "the plan is untouched"

    def reimport(self, d, plan):
        import_as(d, plan, "Re-imported plan")
        assert attr_of(d, tid("gauge-vpc-prod"), "data-links") == "6"

    def autosave_written(self, d):
        wait_autosaved(d, "Re-imported plan")

    def edit_then_reload(self, d, plan):
        # Reloaded at once, well inside the autosave's pause: the plan is saved as the page is hidden.
        import_as(d, plan, "Saved as the page closed")
        d.refresh()
        wait_value(d, tid("plan-name"), "Saved as the page closed", timeout=60)

    def background(self, d, plan):
        import_as(d, plan, "Imported, then undone")
        wait_autosaved(d, "Imported, then undone")
        # Undo, then 50 ms later (once the app has drawn it, and well inside the autosave's pause) hide the page the
        # way a browser sending it to the background does: the undone plan is saved then. One script in the page, so
        # that no round trip of the test can outlast the pause.
        got = d.script_async("""const done = arguments[arguments.length - 1];
            document.dispatchEvent(new KeyboardEvent('keydown', {key: 'z', ctrlKey: true, bubbles: true}));
            setTimeout(() => {
                localStorage.removeItem('classiclink.plan');
                Object.defineProperty(document, 'hidden', {get: () => true, configurable: true});
                document.dispatchEvent(new Event('visibilitychange'));
                delete document.hidden;
                done(localStorage.getItem('classiclink.plan') || '');
            }, 50);""")
        assert '"Saved as the page closed"' in got, got[:200]
        # The reload before was this tab's own: its plan was not kept aside as one a closed tab left behind.
        assert not d.script(KEPT), d.script(KEPT)

    def share_over_own(self, d, url):
        # The autosave is the plan the background step left; the link holds an earlier one.
        own, shared = "Saved as the page closed", "Re-imported plan"
        wait_autosaved(d, own)
        d.get("about:blank")
        d.get(url)
        wait_value(d, tid("plan-name"), shared, timeout=60)
        notice = d.find(tid("notice-text")).text
        assert notice == "Opened the shared plan", notice
        note = d.find(tid("notice-note")).text
        assert "undo brings back the plan you had" in note, note
        click(d, tid("undo"))
        wait_value(d, tid("plan-name"), own)
        # Undo names the step, not how to undo it.
        notice = d.find(tid("notice-text")).text
        assert notice == "Undone: Opened the shared plan", notice
        click(d, tid("redo"))
        wait_value(d, tid("plan-name"), shared)
        # Once the shared plan is the autosave, the import panel still offers the plan it replaced.
        wait_autosaved(d, shared)
        d.refresh()
        wait_value(d, tid("plan-name"), shared, timeout=60)
        click(d, tid("import-open"))
        kept = d.wait_css(tid("kept-name")).text
        assert own in kept, kept
        click(d, tid("kept-open"))
        wait_value(d, tid("plan-name"), own)

    def second_share_over_own(self, d, url):
        # The plan the first link opened over is open again (from the import panel); renamed, it is new work.
        set_value(d, tid("plan-name"), "Third plan", event="change")
        wait_autosaved(d, "Third plan")
        d.get("about:blank")
        d.get(url)
        wait_value(d, tid("plan-name"), "Re-imported plan", timeout=60)
        click(d, tid("import-open"))
        d.wait("two kept plans", lambda: len(d.find_all(tid("kept-name"))) == 2)
        names = [e.text for e in d.find_all(tid("kept-name"))]
        assert "Saved as the page closed" in names[0] and "Third plan" in names[1], names
        keys = [e.attr("data-key") for e in d.find_all(tid("kept"))]
        assert keys == ["classiclink.plan.kept", "classiclink.plan.kept.2"], keys
        d.find_all(tid("kept-open"))[1].click()
        wait_value(d, tid("plan-name"), "Third plan")

    def other_tab(self, d):
        # Both tabs hold "Third plan"; the second renames and saves its copy. The browser keeps one autosave.
        wait_autosaved(d, "Third plan")
        first = d.window()
        d.new_tab()
        d.get(self.url)
        wait_value(d, tid("plan-name"), "Third plan", timeout=60)
        set_value(d, tid("plan-name"), "Other tab plan", event="change")
        wait_autosaved(d, "Other tab plan")
        d.close_tab(first)
        text = lambda: d.find_all(tid("notice-text")) and d.find(tid("notice-text")).text
        notice = d.wait("the other tab's notice", text)
        assert "Another tab of the planner saved its plan \u201cOther tab plan\u201d" in notice, notice
        # This tab's plan, in no storage now, is kept aside: closing the tab would lose nothing, so it does not ask.
        assert "This tab's plan is kept aside" in notice, notice
        assert not d.find_all(tid("unsaved")) and not d.script(LEAVING)
        kept = lambda: [json.loads(v)["name"] for k, v in d.script(KEPT).items()]
        assert "Third plan" in kept(), kept()
        # This tab's next change saves its own plan again, over the plan of the tab just closed, kept aside first.
        set_value(d, tid("plan-name"), "Third plan, edited", event="change")
        wait_autosaved(d, "Third plan, edited")
        d.wait("the closed tab's plan kept aside", lambda: "Other tab plan" in kept())
        notice = d.find(tid("notice-text")).text
        assert "\u201cOther tab plan\u201d, the plan of a planner tab closed or in the background" in notice, notice
        # A tab opened and closed without a change leaves no plan behind: this tab's next save keeps nothing more.
        before = d.script(KEPT)
        first = d.window()
        d.new_tab()
        d.get(self.url)
        wait_value(d, tid("plan-name"), "Third plan, edited", timeout=60)
        d.close_tab(first)
        set_value(d, tid("plan-name"), "Third plan, renamed", event="change")
        wait_autosaved(d, "Third plan, renamed")
        assert d.script(KEPT) == before, (d.script(KEPT).keys(), before.keys())
        set_value(d, tid("plan-name"), "Third plan, edited", event="change")
        wait_autosaved(d, "Third plan, edited")

    def share_beside(self, d, url):
        # The link's tab opens over the autosave of this tab (in the background then): it keeps a copy, which this
        # tab, open after all, takes for its own and drops at its next save. Copies piled up, one a link.
        wait_autosaved(d, "Third plan, edited")
        before = d.script(KEPT)
        first = d.window()
        for _ in range(2):
            d.new_tab()
            d.get(url)
            wait_value(d, tid("plan-name"), "Re-imported plan", timeout=60)
            wait_autosaved(d, "Re-imported plan")
            d.close_tab(first)
            set_value(d, tid("plan-name"), "Third plan, renamed", event="change")
            wait_autosaved(d, "Third plan, renamed")
            set_value(d, tid("plan-name"), "Third plan, edited", event="change")
            wait_autosaved(d, "Third plan, edited")
        names = lambda kept: sorted(json.loads(v)["name"] for v in kept.values())
        after = d.script(KEPT)
        mine = [n for n in names(after) if n.startswith("Third plan")]
        assert mine == [n for n in names(before) if n.startswith("Third plan")], (names(before), names(after))

    def share_pasted(self, d, url):
        # Only the part after '#' changes: the page does not load again, the app hears the hashchange.
        wait_autosaved(d, "Third plan, edited")
        d.script("window.location.hash = arguments[0];", url.split("#", 1)[1])
        wait_value(d, tid("plan-name"), "Re-imported plan", timeout=30)
        note = d.find(tid("notice-note")).text
        assert "undo brings back the plan you had" in note, note
        assert "#plan=" not in d.script("return window.location.href;"), "the link is dropped from the address"
        if attr_of(d, tid("import-open"), "aria-pressed") != "true":
            click(d, tid("import-open"))
        d.wait("the replaced plan kept", lambda: any("Third plan, edited" in e.text for e in d.find_all(tid("kept-name"))))
        click(d, tid("undo"))
        wait_value(d, tid("plan-name"), "Third plan, edited")

    def unreadable_autosave(self, d, plan):
        # A plan from a newer version of the planner, as this build finds it in local storage.
        newer = json.loads(json.dumps(plan))
        newer["version"], newer["name"] = 2, "From a newer version"
        text = json.dumps(newer)
        # The shared plan's own autosave first, so that no pending save runs over the text as the page reloads.
        wait_autosaved(d, "Re-imported plan")
        d.script("localStorage.setItem('classiclink.plan', arguments[0]);", text)
        d.refresh()
        wait_value(d, tid("plan-name"), EXAMPLE_NAME, timeout=60)
        notice = d.find(tid("notice-text")).text
        assert "could not be read (version: unknown version 2" in notice, notice
        assert d.script("return localStorage.getItem('classiclink.plan.kept');") == text
        # The example opened instead is autosaved; the unreadable plan stays kept, and the import panel offers it.
        wait_autosaved(d, EXAMPLE_NAME)
        click(d, tid("import-open"))
        kept = d.wait_css(tid("kept-name")).text
        assert "From a newer version" in kept, kept
        click(d, tid("kept-open"))
        d.wait_css(tid("import-error"))
        paths = [e.attr("data-path") for e in d.find_all(tid("import-error"))]
        assert paths == ["version"], paths
        assert value_of(d, tid("plan-name")) == EXAMPLE_NAME

    def big_unreadable_autosave(self, d):
        # Three million characters: Chromium's local storage holds about five million a site, so one such plan fits
        # and two do not. Setting it aside must not need room for a second copy.
        wait_autosaved(d, EXAMPLE_NAME)
        size = d.script("""const text = '{"version": 2, "pad": "' + 'x'.repeat(3000000) + '"}';
            localStorage.setItem('classiclink.plan', text);
            return text.length;""")
        d.refresh()
        wait_value(d, tid("plan-name"), EXAMPLE_NAME, timeout=60)
        # Beside the plan the step before kept.
        kept = d.script("const k = localStorage.getItem('classiclink.plan.kept.2'); return k ? k.length : 0;")
        assert kept == size, (kept, size)
        wait_autosaved(d, EXAMPLE_NAME)

    def storage_full(self, d, plan):
        # The kept plan (3,000,025 characters) and a plan of 2.6 million more do not fit in one site's five million.
        big = json.loads(json.dumps(plan))
        big["name"] = "Big plan"
        rule = {"protocol": "TCP", "port": "22", "cidr": "10.0.0.0/8", "action": "ACCEPT", "description": "p" * 2600000}
        big["security_groups"].append({"id": "sg-big", "ingress": [rule], "egress": []})
        import_as(d, big, "Big plan")
        d.wait_css(tid("unsaved"), timeout=10)
        notice = d.find(tid("notice-text")).text
        assert "did not save the plan (QuotaExceededError" in notice, notice
        assert "2 plans kept aside here take 3,0" in notice, notice
        # The failed write left the last good autosave in place.
        wait_autosaved(d, EXAMPLE_NAME)
        # Leaving the page now would lose the plan: the page asks first (it cancels `beforeunload`, which makes the
        # browser ask; WebDriver answers such asks itself, so the event is dispatched here and its answer read).
        assert d.script(LEAVING), "leaving the page does not ask while the plan is not saved"
        d.wait("two kept plans", lambda: len(d.find_all(tid("kept-name"))) == 2)
        big = d.find_all(tid("kept-name"))[1].text
        assert "3,000,025 characters" in big, big
        # Asked twice: the question takes the focus on "Keep it"; Escape answers it so, and so does "Keep it".
        d.find_all(tid("kept-discard"))[1].click()
        focused = lambda: d.script("return document.activeElement && document.activeElement.dataset.testid;")
        d.wait("the focus on Keep it", lambda: focused() == "kept-discard-cancel")
        d.script(
            "document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}));"
        )
        d.wait("Escape keeps it", lambda: not d.find_all(tid("kept-discard-confirm")))
        d.find_all(tid("kept-discard"))[1].click()
        click(d, tid("kept-discard-cancel"))
        assert d.script("return localStorage.getItem('classiclink.plan.kept.2') !== null;")
        d.find_all(tid("kept-discard"))[1].click()
        click(d, tid("kept-discard-confirm"))
        # Discarding the big one makes the room, and the plan is saved at once; the other kept plan stays.
        wait_autosaved(d, "Big plan")
        assert d.script("return localStorage.getItem('classiclink.plan.kept.2');") is None
        d.wait("the warning lifted", lambda: not d.find_all(tid("unsaved")))
        assert not d.script(LEAVING), "leaving the page still asks once the plan is saved"
        notice = d.find(tid("notice-text")).text
        assert notice == "The plan is saved in this browser again", notice
        names = [e.text for e in d.find_all(tid("kept-name"))]
        assert len(names) == 1 and "From a newer version" in names[0], names
        d.refresh()
        wait_value(d, tid("plan-name"), "Big plan", timeout=60)

    def blocked(self, d):
        # As a browser does for a site whose data it may not store: reading `localStorage` throws.
        d.on_new_document(
            "Object.defineProperty(window, 'localStorage', {get() {"
            " throw new DOMException('The operation is insecure.', 'SecurityError'); }});"
        )
        d.refresh()
        wait_value(d, tid("plan-name"), EXAMPLE_NAME, timeout=60)
        # Said on load, before any work is put in.
        d.wait_css(tid("unsaved"), timeout=10)
        notice = d.find(tid("notice-text")).text
        assert "did not save the plan (local storage is blocked for this page)" in notice, notice
        # A change tries again, and says so again, with the plan's size.
        set_value(d, tid("plan-name"), "Renamed", event="change")
        d.wait("the size in the warning", lambda: "characters" in d.find(tid("notice-text")).text, timeout=10)

    def reload(self, d):
        d.refresh()
        wait_value(d, tid("plan-name"), "Re-imported plan", timeout=60)
        wait_attr(d, tid("gauge-vpc-prod"), "data-links", "6")

    def share(self, d):
        click(d, tid("share-open"))
        url = d.wait("share url", lambda: value_of(d, tid("share-url")))
        assert "#plan=" in url, url
        return url

    def open_share(self, d, url):
        d.get(url)
        wait_value(d, tid("plan-name"), "Re-imported plan", timeout=60)
        wait_attr(d, tid("gauge-vpc-prod"), "data-links", "6")
        d.screenshot(os.path.join(SHOTS, "shared.png"))


def main():
    dist = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DIST", "dist")
    assert os.path.exists(os.path.join(dist, "index.html")), f"no release build in {dist}: run trunk build --release"
    s = Scenario(dist)
    try:
        s.run()
    except Exception:
        print(f"e2e: {s.passed} passed, {s.failed or 1} failed")
        sys.exit(1)
    print(f"e2e: {s.passed} passed, {s.failed} failed")


if __name__ == "__main__":
    main()
