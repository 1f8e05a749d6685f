"""The browser tests' own parts (tests/browser.py), proved on small static pages before the
front desk's tests stand on them: axe finds an unlabelled field and passes a labelled one,
the keyboard walk tells reachable buttons from unreachable ones, the page log catches what
went wrong, and serve() starts a server, waits for it, and stops it.

serve() is tried with ``python -m http.server`` in place of ``handouts serve``.
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
import urllib.request
from pathlib import Path

import pytest

import browser
from browser import axe_violations, describe, keyboard_reachable, make_sample_project, serve

#: A page with nothing for axe to report but what a test adds to <main>.
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fixture page</title>
<link rel="icon" href="data:,">{head}</head>
<body><header><p>Front desk</p></header><main><h1>Fixture page</h1>{main}</main></body></html>"""

FIELDS = """<form>
  <label for="labelled">Client name</label> <input id="labelled" name="client">
  <input id="unlabelled" name="note">
</form>"""

BUTTONS = """
<button id="first">Add</button>
<a href="#top" id="link">Back to top</a>
<button id="disabled" disabled>Save</button>
<button id="untabbable" tabindex="-1">Remove</button>
<button id="hidden" hidden>Hidden</button>
<button id="last">Build</button>
"""


def write_site(folder: Path, main: str, head: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(PAGE.format(head=head, main=main), encoding="utf-8")
    return folder


def http_server(folder: Path) -> list[str]:
    return [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", "--directory", str(folder), "{port}"]


def test_axe_reports_the_unlabelled_field_and_not_the_labelled_one(page, page_log):
    page.set_content(PAGE.format(head="", main=FIELDS))
    violations = axe_violations(page)
    assert [(v["id"], v["targets"]) for v in violations] == [("label", ["#unlabelled"])], describe(violations)
    assert violations[0]["impact"] == "critical" and violations[0]["help"]
    page_log.assert_clean()


def test_axe_runs_on_a_page_whose_policy_refuses_inline_scripts(page, page_log, tmp_path):
    """The front desk sends a strict Content-Security-Policy; axe must still run there, and its
    loading must not leave a CSP error for page_log to blame on the page."""
    policy = '<meta http-equiv="Content-Security-Policy" content="default-src \'self\'; img-src \'self\' data:">'
    with serve(tmp_path, command=http_server(write_site(tmp_path / "site", FIELDS, policy))) as served:
        page.goto(served.url)
        violations = axe_violations(page)
        assert [v["targets"] for v in violations if v["id"] == "label"] == [["#unlabelled"]], describe(violations)
        page.set_content(PAGE.format(head="", main="<p>Nothing to report.</p>"))
        assert axe_violations(page) == []
    page_log.assert_clean()


def test_asyncio_still_runs_between_browser_tests():
    """The session's browser stays open after the tests above; asyncio.run() must still work
    in the tests that come after them on the same worker."""
    assert asyncio.run(asyncio.sleep(0, "ran")) == "ran"


def test_keyboard_reaches_the_buttons_in_order_and_not_the_unreachable_ones(page):
    page.set_content(PAGE.format(head="", main=BUTTONS))
    everything = ["#first", "#link", "#disabled", "#untabbable", "#hidden", "#last"]
    assert keyboard_reachable(page, everything) == ["#first", "#link", "#last"]
    assert keyboard_reachable(page, ["#last", "button"]) == ["button", "#last"], "again, with other selectors"
    with pytest.raises(AssertionError, match="matches no element"):
        keyboard_reachable(page, ["#no-such-button"])


def test_the_page_log_records_console_errors_exceptions_and_failed_requests(page, page_log, tmp_path):
    site = write_site(tmp_path / "site", '<img src="missing.png" alt="Missing">')
    with serve(tmp_path, command=http_server(site)) as served:
        page.goto(served.url)
        page.wait_for_load_state("load")
    page.evaluate("() => console.error('made to fail')")
    page.evaluate("() => setTimeout(() => { throw new Error('thrown later'); })")
    page.wait_for_timeout(100)
    problems = "\n".join(page_log.problems())
    assert f"HTTP 404: GET {served.url}missing.png" in problems
    assert "console error: made to fail" in problems
    assert "uncaught exception: " in problems and "thrown later" in problems
    with pytest.raises(AssertionError, match="made to fail"):
        page_log.assert_clean()
    page_log.clear()
    page_log.assert_clean()


def test_a_request_the_page_cancels_is_not_a_problem_and_a_refused_one_is(page, page_log, tmp_path):
    """A navigation or an AbortController cancels fetches in flight (net::ERR_ABORTED): the
    front desk's pages do it whenever a newer search or a click replaces a request.  That is
    not a fault; a server that cannot be reached is."""
    from playwright.sync_api import Error as PlaywrightError

    site = write_site(tmp_path / "site", "<p>Served.</p>")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        closed_port = unused.getsockname()[1]
    with serve(tmp_path, command=http_server(site)) as served:
        page.goto(served.url)
        page.evaluate("""async () => {
            const control = new AbortController();
            const cancelled = fetch("/index.html?cancelled", { signal: control.signal }).catch(() => null);
            control.abort();
            await cancelled;
        }""")
        with pytest.raises(PlaywrightError, match="ERR_CONNECTION_REFUSED"):
            page.goto(f"http://127.0.0.1:{closed_port}/refused")
    assert any("ERR_ABORTED" in line and "?cancelled" in line for line in page_log.cancelled)
    assert not any("?cancelled" in line for line in page_log.problems())
    assert any("ERR_CONNECTION_REFUSED" in line and "/refused" in line for line in page_log.requests)


def test_serve_starts_the_server_waits_for_it_and_stops_it(page, page_log, tmp_path):
    site = write_site(tmp_path / "site", "<p>Served.</p>")
    with serve(tmp_path, command=http_server(site)) as served:
        assert served.url.startswith("http://127.0.0.1:") and served.process.poll() is None
        page.goto(served.url)
        assert page.locator("main p").inner_text() == "Served."
        assert '"GET / HTTP/1.1" 200' in served.stderr(), "http.server logs each request to stderr"
    assert served.process.poll() is not None, "stopped when the block ended"
    assert served.stderr().count('"GET / HTTP/1.1" 200') == 2, "its whole log, kept: the wait's GET and the page's"
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    page_log.assert_clean()


def test_serve_fails_with_the_servers_stderr_when_it_exits(tmp_path):
    crash = [sys.executable, "-c", "import sys; sys.exit('no such project here')"]
    with pytest.raises(pytest.fail.Exception, match="(?s)exited with status 1.*no such project here"):
        with serve(tmp_path, command=crash):
            pass


def test_serve_gives_up_on_a_server_that_never_answers(tmp_path):
    silent = [sys.executable, "-c", "import time; time.sleep(60)"]
    with pytest.raises(pytest.fail.Exception, match="did not answer GET / on port"):
        with serve(tmp_path, command=silent, timeout=0.5):
            pass


def test_serve_runs_handouts_serve_by_default_in_the_project(tmp_path, monkeypatch):
    """Without a stand-in the command is ``python -m handouts serve --no-browser --port N``,
    run in the project with the checkout's src/ on PYTHONPATH: shown by a fake ``handouts``
    package earlier on the path that serves what it was started with."""
    fake = tmp_path / "fake" / "handouts"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("")
    (fake / "__main__.py").write_text(
        "import http.server, json, os, sys\n"
        "port = int(sys.argv[sys.argv.index('--port') + 1])\n"
        "said = json.dumps({'argv': sys.argv[1:], 'cwd': os.getcwd(),\n"
        "                   'path': os.environ['PYTHONPATH'], 'cache': os.environ.get('XDG_CACHE_HOME')})\n"
        "class Said(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200); self.end_headers(); self.wfile.write(said.encode())\n"
        "http.server.HTTPServer(('127.0.0.1', port), Said).serve_forever()\n")
    project = make_sample_project(tmp_path / "project")
    with serve(project, "--host", "127.0.0.1", env={"PYTHONPATH": f"{fake.parent}:{browser.REPO / 'src'}"}) as served:
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        said = json.loads(opener.open(served.url, timeout=10).read())
    port = served.url.rsplit(":", 1)[1].strip("/")
    assert said["argv"] == ["serve", "--no-browser", "--port", port, "--host", "127.0.0.1"]
    assert Path(said["cwd"]) == project
    assert said["cache"], "the test run's XDG_CACHE_HOME reaches the server"
    assert browser._server_env(None)["PYTHONPATH"].split(":")[0] == str(browser.REPO / "src")


def test_make_sample_project_copies_the_checkouts_sample(tmp_path):
    project = make_sample_project(tmp_path / "project")
    assert project == tmp_path / "project"
    for name in browser.SAMPLE:
        source = browser.REPO / name
        if source.is_dir():
            copied = sorted(p.relative_to(project / name) for p in (project / name).rglob("*"))
            assert copied == sorted(p.relative_to(source) for p in source.rglob("*")) and copied
        else:
            assert (project / name).exists() == source.exists()
    assert not (project / "output").exists() and not (project / ".handouts").exists()
    first = next((browser.REPO / "content").glob("*.yaml"))
    assert (project / "content" / first.name).read_bytes() == first.read_bytes()


@pytest.mark.parametrize("required", [False, True])
def test_no_chromium_skips_for_a_developer_and_fails_in_ci(monkeypatch, tmp_path, required):
    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setenv(browser.REQUIRE_BROWSER, "1" if required else "")
    outcome = pytest.fail.Exception if required else pytest.skip.Exception
    with pytest.raises(outcome, match="install Debian's chromium"):
        browser.chromium_path()

