"""What the front desk's end-to-end tests stand on: Debian's Chromium driven by Playwright,
a real `handouts serve` on a free port, axe-core's accessibility check and a keyboard walk.

The fixtures are registered for every test module by tests/conftest.py; the helpers are
imported::

    from browser import axe_violations, make_sample_project, serve

    def test_library(page, page_log, tmp_path):
        with serve(make_sample_project(tmp_path / "project")) as served:
            page.goto(served.url)
            ...

The browser is Debian's Chromium (``/usr/bin/chromium``), never one Playwright downloads: this
machine's network is closed, and ``.ci/run`` installs that package where it is missing.  Without
it the browser tests skip with the reason; with ``HANDOUTS_REQUIRE_BROWSER=1`` (as ``.ci/run``
sets) they fail instead, so CI can never pass by skipping them.

Fixtures: ``chromium`` (one headless browser, launched once per test session), ``page`` (a new context per
test: 1280 x 900 CSS pixels, a 15 s default timeout), ``page_log`` (what went wrong in that
page: console errors, uncaught exceptions, failed requests and HTTP errors) and ``shots`` (the
folder screenshots go to: ``$HANDOUTS_SCREENSHOTS``, else one of the test's own).
"""

from __future__ import annotations

import asyncio
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, NoReturn

import pytest

#: The checkout the tests run from (its src/ is what `handouts serve` runs; its sample is copied).
REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "tests" / "vendor" / "axe-core" / "axe.min.js"
#: Debian's Chromium; shutil.which("chromium") is tried after it.
CHROMIUM = "/usr/bin/chromium"
#: Set to 1 (by .ci/run) to make a missing browser fail the tests instead of skipping them.
REQUIRE_BROWSER = "HANDOUTS_REQUIRE_BROWSER"
#: Headless, no sandbox (CI runs as root), and nothing that reaches out to the network by itself.
CHROMIUM_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
VIEWPORT = {"width": 1280, "height": 900}  # CSS pixels
DEFAULT_TIMEOUT_MS = 15_000
#: axe-core's rule sets the front desk is held to: WCAG 2 A and AA, and Deque's best practices.
AXE_TAGS = ("wcag2a", "wcag2aa", "best-practice")


def browser_required() -> bool:
    """True when a missing browser must fail the tests (HANDOUTS_REQUIRE_BROWSER=1, as in CI)."""
    return os.environ.get(REQUIRE_BROWSER, "").strip() not in ("", "0")


def _unavailable(reason: str) -> NoReturn:
    """Skip the test for *reason*, or fail it when the browser is required."""
    if browser_required():
        pytest.fail(f"{reason} ({REQUIRE_BROWSER}=1: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


def chromium_path() -> str:
    """The path of Debian's Chromium executable: /usr/bin/chromium, else `chromium` on PATH.

    Skips the test when there is none (fails it under HANDOUTS_REQUIRE_BROWSER=1).
    """
    for candidate in (CHROMIUM, shutil.which("chromium")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    _unavailable(f"no Chromium at {CHROMIUM} or on PATH: install Debian's chromium "
                 "(apt-get install chromium) to run the browser tests; .ci/run does")


# ------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="session")
def _chromium_session() -> Iterator[tuple[Any, asyncio.AbstractEventLoop]]:
    """One headless Debian Chromium for the test session, and Playwright's event loop."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"Playwright is not installed ({error}): pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
        loop = asyncio.get_running_loop()
        asyncio._set_running_loop(None)  # see chromium()
        try:
            yield browser, loop
        finally:
            asyncio._set_running_loop(loop)
            browser.close()


@pytest.fixture
def chromium(_chromium_session: tuple[Any, asyncio.AbstractEventLoop]) -> Iterator[Any]:
    """The session's browser (a playwright.sync_api.Browser), for this test.

    Playwright's sync API marks its event loop as this thread's running loop between its calls,
    so while it is alive asyncio.run() refuses to start in this thread ("cannot be called from a
    running event loop").  The browser lives for the whole session, so the mark is set only
    while a test that uses the browser runs: tests that run later on the same worker (under
    --dist loadfile, any other file) keep their asyncio.
    """
    browser, loop = _chromium_session
    asyncio._set_running_loop(loop)
    try:
        yield browser
    finally:
        asyncio._set_running_loop(None)


@dataclass
class PageLog:
    """What went wrong in one test's page, as lines a failure message can show.

    ``console``: console errors and uncaught exceptions; ``requests``: requests that failed
    (refused, reset, blocked) and responses with an HTTP status of 400 or more.  ``cancelled``:
    requests the browser itself gave up on (``net::ERR_ABORTED``), which are not problems: a
    navigation cancels the page's fetches still in flight (a status poll, a search replaced by a
    newer one, a lazy preview scrolled away), and a download ends its request that way.  A
    fault of the server shows as a status, a reset or an empty response, never as an abort.
    """

    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    cancelled: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return [*self.console, *self.requests]

    def clear(self) -> None:
        """Forget what was recorded so far (after a step that was meant to fail)."""
        self.console.clear()
        self.requests.clear()
        self.cancelled.clear()

    def assert_clean(self) -> None:
        """Fail the test, listing every problem, if the page logged any."""
        problems = self.problems()
        assert not problems, "the page logged problems:\n  " + "\n  ".join(problems)

    def watch(self, page: Any) -> None:
        """Record *page*'s problems from now on."""
        def on_console(message: Any) -> None:
            if message.type == "error":
                location = message.location or {}
                where = f" ({location.get('url')}:{location.get('lineNumber')})" if location.get("url") else ""
                self.console.append(f"console error: {message.text}{where}")

        def on_response(response: Any) -> None:
            if response.status >= 400:
                self.requests.append(f"HTTP {response.status}: {response.request.method} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught exception: {error}"))
        def on_request_failed(request: Any) -> None:
            line = f"request failed ({request.failure}): {request.method} {request.url}"
            (self.cancelled if request.failure == "net::ERR_ABORTED" else self.requests).append(line)

        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)


@pytest.fixture
def page_log() -> PageLog:
    """The problems of this test's ``page`` (the same object the ``page`` fixture fills in)."""
    return PageLog()


@pytest.fixture
def page(chromium: Any, page_log: PageLog) -> Iterator[Any]:
    """A new page in a new browser context (own cookies and storage), 1280 x 900, 15 s timeout."""
    context = chromium.new_context(viewport=VIEWPORT)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        new_page = context.new_page()
        page_log.watch(new_page)
        yield new_page
    finally:
        context.close()


# ------------------------------------------------------------------------------ the server


@dataclass
class Served:
    """A running server: its base URL (``http://127.0.0.1:PORT/``) and process."""

    url: str
    process: subprocess.Popen
    _stdout: IO[bytes]
    _stderr: IO[bytes]
    _kept: dict[str, str] = field(default_factory=dict)  # both outputs, read once it stopped

    def stderr(self) -> str:
        """Everything the server wrote to stderr so far, or in all once stopped (uvicorn's log)."""
        return self._kept.get("stderr") or _read(self._stderr)

    def stdout(self) -> str:
        return self._kept.get("stdout") or _read(self._stdout)

    def _keep(self) -> None:
        self._kept.update(stdout=_read(self._stdout), stderr=_read(self._stderr))


def _read(stream: IO[bytes]) -> str:
    stream.flush()
    with open(stream.name, "rb") as again:
        return again.read().decode("utf-8", "replace")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    """True once GET / on *port* gets any HTTP response (no redirect followed, no proxy)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/")
        connection.getresponse().read()
        return True
    except OSError:
        return False
    finally:
        connection.close()


def _stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM, *grace* seconds to exit, then SIGKILL; then SIGKILL whatever it left in its
    process group (it runs in a session of its own, so that group is only its own children)."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _server_env(extra: dict[str, str] | None) -> dict[str, str]:
    """This process's environment (with the test run's XDG_CACHE_HOME, set by conftest's
    font_cache), the checkout's src/ first on PYTHONPATH, unbuffered output, and *extra*."""
    path = os.pathsep.join(p for p in (str(REPO / "src"), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1", **(extra or {})}


@contextmanager
def serve(project_dir: Path, *args: str, command: Sequence[str] | None = None, env: dict[str, str] | None = None,
          timeout: float = 30.0) -> Iterator[Served]:
    """Run ``python -m handouts serve --no-browser --port PORT *args`` in *project_dir* until
    the block ends, on a free port of 127.0.0.1; yields the running server once GET / answers.

    *command* replaces the ``handouts serve`` command (a stand-in server); ``{port}`` in it or
    in *args* is replaced with the port.  *env* is added to the environment.  Fails the test
    with the server's stderr if it exits, or does not answer within *timeout* seconds; on the
    way out the server gets SIGTERM (then SIGKILL after 10 s), and if the block raised, its
    stderr is printed (pytest shows it with the failure).  A port taken between choosing it
    and binding it is retried with another, twice.
    """
    base = list(command) if command is not None else [
        sys.executable, "-m", "handouts", "serve", "--no-browser", "--port", "{port}"]
    for attempt in range(3):
        port = free_port()
        argv = [part.replace("{port}", str(port)) for part in [*base, *args]]
        with tempfile.NamedTemporaryFile(prefix="served-out-") as out, \
                tempfile.NamedTemporaryFile(prefix="served-err-") as err:
            process = subprocess.Popen(argv, cwd=project_dir, env=_server_env(env), stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=err, start_new_session=True)
            served = Served(f"http://127.0.0.1:{port}/", process, out, err)
            try:
                problem = _wait_until_answering(served, port, timeout)
                if problem and "in use" in served.stderr() and attempt < 2:
                    continue
                if problem:
                    pytest.fail(f"{' '.join(argv)}\n{problem}; its stderr:\n{served.stderr()}", pytrace=False)
                try:
                    yield served
                except BaseException:
                    print(f"--- stderr of {' '.join(argv)} ---\n{served.stderr()}", file=sys.stderr)
                    raise
                return
            finally:
                _stop(process)
                served._keep()


def _wait_until_answering(served: Served, port: int, timeout: float) -> str | None:
    """None once the server answers GET /, else what went wrong (exited, or timed out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            return f"the server exited with status {served.process.returncode} before answering"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except OSError:
            time.sleep(0.05)
            continue
        if _answers(port):
            return None
        time.sleep(0.05)
    return f"the server did not answer GET / on port {port} within {timeout:g} s"


# ------------------------------------------------------------------------------ checks in the page


@lru_cache(maxsize=1)
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Any, tags: Sequence[str] = AXE_TAGS) -> list[dict]:
    """axe-core's violations on the page as it is now, for the rule sets *tags*.

    Each is ``{"id", "impact", "help", "url", "targets": [CSS selector, ...]}``; an empty
    list means none.  axe is the vendored tests/vendor/axe-core/axe.min.js, run in the page
    (nothing is fetched), whatever the page's Content-Security-Policy.  ``describe(violations)``
    puts them in a failure message.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        _inject_axe(page)
    return page.evaluate(
        """async tags => {
            const result = await axe.run(document, {runOnly: tags});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
                targets: v.nodes.map(n => n.target.join(' >>> ')),
            }));
        }""", list(tags))


def _inject_axe(page: Any) -> None:
    # Not page.add_script_tag(path=AXE): that is an inline <script>, which a page with a strict
    # Content-Security-Policy (the front desk's) refuses, logging a CSP error that page_log
    # would blame on the page.  Evaluated through the DevTools protocol, the same file runs on
    # any page, adds nothing to its DOM, and defines window.axe as the tag would.
    page.evaluate(_axe_source())
    if not page.evaluate("() => typeof window.axe?.run === 'function'"):
        raise AssertionError(f"{AXE} did not define axe.run in the page")


def describe(violations: list[dict]) -> str:
    """Violations as lines: ``id (impact): help  [targets]``."""
    return "\n".join(f"{v['id']} ({v['impact']}): {v['help']}  {v['targets']}" for v in violations)


def keyboard_reachable(page: Any, selectors: Sequence[str], max_presses: int = 300) -> list[str]:
    """Which of *selectors* (Playwright selectors) get the focus by pressing Tab from the top
    of the page, in the order they first get it.

    Tab is pressed until every one was reached, focus comes back round to where it started, or
    *max_presses*.  Raises AssertionError if a selector matches no element (a typo would
    otherwise pass as "not reachable" or, worse, vacuously).
    """
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { delete e.__keyboardReachable; })")
    for index, selector in enumerate(selectors):
        count = page.locator(selector).evaluate_all(
            "(elements, i) => { elements.forEach(e => (e.__keyboardReachable ??= []).push(i));"
            " return elements.length; }", index)
        assert count, f"keyboard_reachable: {selector!r} matches no element"
    # Start from the top: Tab goes on from the "sequential focus navigation starting point",
    # which blur() leaves where the focus was, so focus an untabbable mark before everything.
    page.evaluate("""() => {
        const start = document.createElement('span');
        start.tabIndex = -1;
        start.id = '__keyboard-start';
        document.body.prepend(start);
        start.focus();
        window.__keyboardFirst = null;
    }""")
    try:
        return _tab_through(page, selectors, max_presses)
    finally:
        page.evaluate("() => document.getElementById('__keyboard-start')?.remove()")


def _tab_through(page: Any, selectors: Sequence[str], max_presses: int) -> list[str]:
    reached: list[str] = []
    nowhere = 0  # presses in a row that left the focus on no element (a page with none)
    for _ in range(max_presses):
        page.keyboard.press("Tab")
        found, where = page.evaluate("""() => {
            const active = document.activeElement;
            if (!active || active === document.body) return [[], 'nowhere'];
            if (window.__keyboardFirst === active) return [[], 'round'];
            window.__keyboardFirst ??= active;
            return [active.__keyboardReachable || [], 'element'];
        }""")
        nowhere = nowhere + 1 if where == "nowhere" else 0
        if where == "round" or nowhere == 3:
            break
        reached += [selectors[i] for i in found if selectors[i] not in reached]
        if len(reached) == len(set(selectors)):
            break
    return reached


# ------------------------------------------------------------------------------ a project


SAMPLE = ("content", "assets", "programs", "clinic.yaml")


def make_sample_project(folder: Path) -> Path:
    """Copy the checkout's sample project (content/, assets/, programs/ and clinic.yaml, those
    that exist) into *folder*, and return *folder*.  Nothing built is copied."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.is_file():
            shutil.copy2(source, folder / name)
    return folder


@pytest.fixture()
def shots(tmp_path: Path) -> Path:
    """Where :func:`looked_at` keeps its screenshots: ``$HANDOUTS_SCREENSHOTS`` to look at them, else the test's own."""
    folder = Path(os.environ.get("HANDOUTS_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def looked_at(page: Any, shots: Path, name: str) -> None:
    """A full-page screenshot, and axe-core's verdict on the page as it is."""
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    violations = axe_violations(page)
    assert not violations, f"{name}: axe-core found:\n{describe(violations)}"


def wait_ready(page: Any) -> None:
    """Until the front desk's status line says every PDF is up to date (its first build done)."""
    page.wait_for_function("() => (document.querySelector('#build-status .status-text') || {}).textContent"
                           "?.includes('up to date')", timeout=90_000)
