"""Benchmark: ``handouts serve``'s start-up to its first page, and the library page of a large library.

Usage:
    .venv/bin/python bench/bench_serve.py [--repeat R] [--corpus DIR]

Not a test: it prints Markdown tables and exits 0.  Issue 18 asks for under 1 s from start to the
first page on the sample, and under 1 s for the library page with free-exercise-db's 868 exercises.

1. Start-up: a fresh ``python -m handouts serve --no-browser --port 0`` process on a copy of the
   sample project, timed from the process's start until ``GET /`` has answered 200 in full (the
   background build starts at the same moment and competes for the cores, as it does for a user).
2. The library page: the corpus imported into a temporary project, its index made once by
   ``handouts list`` (as the server's own first build makes it), then one server, and each page
   fetched R times in full: ``/`` (every exercise; previews load lazily, so only the HTML counts),
   a search, and a filter.  Also the first page of a server started on a library with no index yet.
Other work on the machine skews it: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS = REPO.parent / "shared" / "corpus" / "free-exercise-db"
PAGES = (("/", "every exercise"), ("/?q=hamstring+stretch", "a search"), ("/?equipment=dumbbell", "a filter"))


def environment(project: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO / "src"), "XDG_CACHE_HOME": str(project / "xdg")}


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read()


class Server:
    """``handouts serve`` in *project*; ``.url`` once it listens, ``.started`` when the process began."""

    def __init__(self, project: Path) -> None:
        self.started = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "handouts", "serve", "--no-browser", "--port", "0"],
                                        cwd=project, env=environment(project), stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        found = re.search(r"(http://\S+)", line)
        if not found:
            self.stop()
            raise SystemExit(f"the server did not start: {line!r}")
        self.url = found.group(1).rstrip("/")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def first_page(project: Path) -> float:
    server = Server(project)
    try:
        fetch(server.url + "/")
        return time.perf_counter() - server.started
    finally:
        server.stop()


def in_browser(url: str, repeat: int) -> list[float]:
    """Seconds from navigation start to the load event of *url* in Debian's Chromium (headless, a fresh
    context each time: nothing cached); [] when Playwright or Chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return []
    if not Path("/usr/bin/chromium").exists():
        return []
    runs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        for _ in range(repeat):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(url, wait_until="load")
            runs.append(page.evaluate("() => { const t = performance.getEntriesByType('navigation')[0];"
                                      " return t.loadEventEnd / 1000; }"))
            context.close()
        browser.close()
    return runs


def sample_project(root: Path) -> Path:
    for name in ("content", "assets", "programs"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    if (REPO / "clinic.yaml").is_file():
        shutil.copy(REPO / "clinic.yaml", root / "clinic.yaml")
    return root


def row(label: str, runs: list[float], goal: float | None = None) -> str:
    median = statistics.median(runs)
    verdict = "" if goal is None else (" met" if median < goal else " missed")
    return f"| {label} | {median:.3f} | {min(runs):.3f} | {max(runs):.3f} | {'' if goal is None else goal}{verdict} |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f}\n")
    print("| what | median s | min s | max s | goal s |\n|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        project = sample_project(Path(tmp))
        first_page(project)  # once, so the font cache exists as on a machine that has built before
        print(row("start to the first page, sample project", [first_page(project) for _ in range(args.repeat)], 1.0))
    if not (args.corpus / "exercises.json").is_file():
        print(f"\nno corpus at {args.corpus}: the large library was not measured")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "content").mkdir()
        subprocess.run([sys.executable, "-m", "handouts", "import", str(args.corpus / "exercises.json")],
                       cwd=project, env=environment(project), check=True, capture_output=True)
        count = len(list((project / "content").glob("*.yaml")))
        print(row(f"start to the first page, {count} exercises, no index yet", [first_page(project)]))
        subprocess.run([sys.executable, "-m", "handouts", "list"], cwd=project, env=environment(project),
                       capture_output=True)  # exit 1: a few of the corpus's exercises have mistakes
        print(row(f"start to the first page, {count} exercises", [first_page(project) for _ in range(3)], 1.0))
        server = Server(project)
        try:
            for path, what in PAGES:
                fetch(server.url + path)
                runs, size = [], 0
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    size = len(fetch(server.url + path))
                    runs.append(time.perf_counter() - started)
                print(row(f"`{path}`: {what} of {count} ({size / 1024:.0f} KB of HTML)", runs,
                          1.0 if path == "/" else None))
            browser_runs = in_browser(server.url + "/", args.repeat)
            if browser_runs:
                print(row(f"`/` in Chromium: navigation to the load event ({count} cards, previews lazy)",
                          browser_runs, 1.0))
        finally:
            server.stop()
    print(f"\nmedian of {args.repeat} runs; the server's background build ran meanwhile; "
          f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
