"""Benchmark: what the fallback fonts' bold faces cost, with the font cache empty (cold) and filled (warm).

Usage:
    .venv/bin/python bench/bench_fonts.py [--repeat R]

Not a test: it prints a Markdown table and exits 0.  Every figure is measured in a fresh
Python process (so nothing is registered yet), with $XDG_CACHE_HOME pointing at a temporary
folder: "cold" empties it first, "warm" keeps what the cold run made.  Rows:

* ``fonts()``: registering Atkinson Hyperlegible and the three fallbacks, as every build does;
* each fallback's bold face (``FontSet.bold_of``), cold and warm: what a build pays the first
  time bold text needs it; all three together is what registering them eagerly in ``fonts()``
  would add to every build, bold fallback text or not;
* whole ``handouts build --jobs 1 --rebuild`` commands (start-up and imports included) of one
  exercise with a bold Turkish title, cold and warm, and of a Latin-only one, which needs no
  bold face and so pays nothing.

The table shows the median of R runs and the range.  Other work on the machine skews everything.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

IN_PROCESS = """
import json, sys, time
t = time.perf_counter()
from handouts.style.fonts import fonts
font_set = fonts()
times = {"fonts()": time.perf_counter() - t}
for name in sys.argv[1:]:
    t = time.perf_counter()
    font_set.bold_of(name)
    times[name + "-Bold"] = time.perf_counter() - t
print(json.dumps(times))
"""

EXERCISE = "title: {}\ninstructions:\n  - Kneel on one knee.\nfaq:\n  - question: Is it a stretch?\n    answer: Yes.\n"
TURKISH, LATIN = EXERCISE.format("İLİOPSOAS STRETCH"), EXERCISE.format("Hip Flexor Stretch")
FALLBACKS = ("Inter", "Heebo", "NotoSansArabic")


def in_process(cache: Path) -> dict[str, float]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, *FALLBACKS], env=env, check=True,
                         capture_output=True, text=True, cwd=REPO).stdout
    return json.loads(out)


def command(cache: Path, library: Path) -> float:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "handouts", "build", "--jobs", "1", "--rebuild",
                    "--content", str(library / "content"), "--assets", str(library / "assets"),
                    "--out", str(library / "out")], env=env, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - t


def library(root: Path, text: str) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "content" / "stretch.yaml").write_text(text, encoding="utf-8")
    return root


def shown(values: list[float], unit: float = 1000.0) -> str:
    ms = [v * unit for v in values]
    return f"{statistics.median(ms):.0f} ({min(ms):.0f}-{max(ms):.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-fonts-") as tmp:
        cache = Path(tmp) / "cache"
        turkish, latin = library(Path(tmp) / "tr", TURKISH), library(Path(tmp) / "la", LATIN)
        print(f"load average before: {os.getloadavg()[0]:.2f}", file=sys.stderr)
        for _ in range(args.repeat):
            for state in ("cold", "warm"):
                if state == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                times = in_process(cache)
                rows.setdefault("fonts()", []).append(times["fonts()"])
                for name in FALLBACKS:
                    rows.setdefault(f"{name}-Bold, {state}", []).append(times[f"{name}-Bold"])
                rows.setdefault(f"all three bold faces, {state}", []).append(
                    sum(times[f"{name}-Bold"] for name in FALLBACKS))
            for state in ("cold", "warm"):
                if state == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                rows.setdefault(f"build, bold Turkish title, {state} cache", []).append(command(cache, turkish))
            rows.setdefault("build, Latin-only title", []).append(command(cache, latin))
        print(f"load average after: {os.getloadavg()[0]:.2f}", file=sys.stderr)
    print(f"| what ({args.repeat} runs, fresh process each) | ms: median (range) |")
    print("| --- | --- |")
    for name, values in rows.items():
        print(f"| {name} | {shown(values)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
