"""Benchmark: how long the tool takes to refuse hostile input, the figures the tests no longer time.

Usage:
    .venv/bin/python bench/bench_guards.py [--repeat R]

Not a test: it prints a Markdown table and exits 0.  The tests check that these inputs are
refused without the work that would make them slow (no pixels decoded, the YAML loader
within its value and depth limits: tests/test_hostile_text.py); this script says how long
the refusal takes on this machine, in this process, with the fonts and imports already
loaded (one warm-up build first).  Each case is one in-process build of one file plus a
well-formed one, as the tests do it; the table shows the median of R runs and the range.
Other work on the machine skews everything: the load average is printed before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO / "src"))

from handouts.build.run import BuildOptions, build  # noqa: E402

GOOD = "title: Wall Push\ninstructions:\n  - Stand an arm's length from a wall.\n  - Push back to the start.\n"
DEEP = 3000


def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1-bit PNG of *width* x *height* pixels (900 million by default) in about 100 KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    body = b"".join(packer.compress(row * min(1000, height - done)) for done in range(0, height, 1000))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body + packer.flush())
            + chunk(b"IEND", b""))


CASES: dict[str, str] = {
    "decompression-bomb picture (900 Mpx PNG)":
        "title: Bomb\nimage: bomb.png\ninstructions:\n  - Sit tall on a firm chair.\n",
    "alias bomb (9^9 values)": (REPO / "tests" / "data" / "bad" / "alias-bomb.yaml").read_text(),
    f"flow lists nested {DEEP} deep": f"title: Deep\ninstructions:\n  - Sit.\nextra: {'[' * DEEP}{']' * DEEP}\n",
    f"block lists nested {DEEP} deep": f"title: Deep\ninstructions:\n  - Sit.\nextra:\n  {'- ' * DEEP}x\n",
    "a well-formed exercise (for scale)": GOOD,
}


def run_case(text: str, picture: bytes) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "assets").mkdir()
        (root / "assets" / "bomb.png").write_bytes(picture)
        (root / "case.yaml").write_text(text, encoding="utf-8")
        (root / "good.yaml").write_text(GOOD, encoding="utf-8")
        options = BuildOptions(files=(root / "case.yaml", root / "good.yaml"), assets_dir=root / "assets",
                               out_dir=root / "out", deck=False)
        started = time.perf_counter()
        build(options)
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per case (default 5)")
    args = parser.parse_args()
    picture = bomb_png()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    run_case(GOOD, picture)  # warm-up: fonts registered, modules imported
    print()
    print("| input (plus one good file) | median s | range s |")
    print("| --- | ---: | ---: |")
    for name, text in CASES.items():
        times = [run_case(text, picture) for _ in range(args.repeat)]
        print(f"| {name} | {statistics.median(times):.3f} | {min(times):.3f}-{max(times):.3f} |")
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
