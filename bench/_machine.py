"""What the benchmark says about the machine it ran on: versions, hardware, and how busy it was.

Used by bench_build.py.  Other work on the machine skews every figure, so the load average is
printed before and after, and the share of the CPUs' time that other processes used during
the run is worked out from /proc/stat less this script's own CPU time (and its children's).
"""

from __future__ import annotations

import os
import platform
import re
import resource
import subprocess
import time
from importlib import metadata
from pathlib import Path


def versions() -> list[tuple[str, str]]:
    out = [("python", f"{platform.python_version()} ({platform.python_implementation()})")]
    for dist in ("handouts", "reportlab", "pillow", "pyyaml", "fontpkg-atkinson-hyperlegible", "typst"):
        try:
            out.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            out.append((dist, "not installed"))
    try:
        import typst
        out.append(("Typst compiler (in typst-py)", typst.Compiler().eval("sys.version").strip('"')))
    except Exception as exc:  # informational only
        out.append(("Typst compiler (in typst-py)", f"unknown ({exc})"))
    return out


def commit_of(folder: Path) -> str:
    """The short commit of the git checkout holding *folder*, "+ uncommitted changes" when dirty; "" if none."""
    commit = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    if not commit:
        return ""
    dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(folder), "status", "--porcelain",
                            "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    return commit + (" + uncommitted changes" if dirty else "")


def machine(bench_repo: Path, code: str) -> list[tuple[str, str]]:
    """Rows about the hardware, and which code was measured (*code*: the handouts package's folder)."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB" if found else ""
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = [("CPU", f"{os.cpu_count()} logical CPUs ({usable} usable by this process), {model}".rstrip(", ")),
            ("memory", memory), ("OS", platform.platform())]
    bench_commit = commit_of(bench_repo)
    if bench_commit:
        rows.append(("bench commit", bench_commit))
    rows.append(("handouts code measured", code))
    code_commit = commit_of(Path(code))
    if code_commit:
        rows.append(("its commit", code_commit))
    return rows


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat; None where missing."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    total = sum(fields[:8])
    return total - fields[3] - (fields[4] if len(fields) > 4 else 0), total


def cpu_busy(seconds: float = 1.0) -> float:
    """Fraction of all CPUs busy over *seconds* (0.0 where /proc/stat is missing)."""
    a = cpu_ticks()
    time.sleep(seconds)
    b = cpu_ticks()
    if not a or not b:
        return 0.0
    return (b[0] - a[0]) / max(1, b[1] - a[1])


def own_cpu_seconds() -> float:
    """CPU time of this script and everything it ran (the wrappers reap the measured commands)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def other_work(start: tuple[tuple[int, int] | None, float]) -> float | None:
    """Fraction of the machine's CPU time used by other processes since *start*."""
    ticks0, own0 = start
    ticks1 = cpu_ticks()
    if not ticks0 or not ticks1:
        return None
    hz = os.sysconf("SC_CLK_TCK")
    busy = (ticks1[0] - ticks0[0]) / hz
    capacity = (ticks1[1] - ticks0[1]) / hz
    return max(0.0, busy - (own_cpu_seconds() - own0)) / max(capacity, 1e-9)


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"
