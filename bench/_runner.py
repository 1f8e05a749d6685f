"""Running the benchmark's phases: one measured command each, and the figures kept for each phase.

Used by bench_build.py.  Every command runs as the child of a fresh ``_measure.py`` wrapper
(see that file for what is measured and why a fresh wrapper), in the work folder, with the
environment the caller gives (``--src`` puts a checkout's code on PYTHONPATH this way).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
MARKER = ".handouts-bench"          # marks a work folder this script may empty


class BenchError(Exception):
    """A problem that stops the benchmark, shown as one clear message."""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    maxrss_kb: int
    tree_peak_kb: int | None
    rc: int
    stdout: str
    stderr: str


@dataclass
class Phase:
    """One row of the table: a command measured once a round (or several times, e.g. ``--help``)."""

    label: str
    handouts: int = 0                   # handouts this phase makes, for "ms / handout" (0: not per handout)
    runs: list[Run] = field(default_factory=list)
    pdfs: int | None = None             # handout PDFs written by the (last) run
    cards: str = ""                     # what the (last) run made besides handouts: "2604 cards + deck"
    largest: tuple[str, int] | None = None
    total_bytes: int | None = None

    @property
    def measured(self) -> bool:
        return bool(self.runs)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)

    @property
    def maxrss_mb(self) -> float:
        return max(r.maxrss_kb for r in self.runs) / 1024

    @property
    def tree_peak_mb(self) -> float | None:
        """The largest PSS sum over all processes of any run (None when sampling was off)."""
        peaks = [r.tree_peak_kb for r in self.runs if r.tree_peak_kb]
        return max(peaks) / 1024 if peaks else None

    @property
    def all_processes_mb(self) -> float:
        """Peak memory of all processes: the PSS sum, or the largest process where not sampled."""
        tree = self.tree_peak_mb
        return tree if tree is not None else self.maxrss_mb


class Runner:
    def __init__(self, work: Path, sample_ms: int):
        self.work = work
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.sample_ms = sample_ms
        self.count = 0

    def run(self, name: str, command: list[str], check: bool = True, env: dict[str, str] | None = None) -> Run:
        self.count += 1
        stem = self.logs / f"{self.count:03d}-{name}"
        result, out, err = (stem.with_suffix(s) for s in (".json", ".out", ".err"))
        subprocess.run([sys.executable, str(BENCH / "_measure.py"), str(result), str(out), str(err),
                        str(self.sample_ms), "--", *command], check=True, cwd=self.work, env=env)
        data = json.loads(result.read_text())
        run = Run(data["seconds"], data["cpu_seconds"], data["maxrss_kb"], data["tree_peak_kb"] or None,
                  data["rc"], out.read_text(errors="replace"), err.read_text(errors="replace"))
        if data["stray_processes"]:
            log(f"  note: {data['stray_processes']} process(es) outlived '{name}' and were reaped")
        if check and run.rc != 0:
            tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-15:])
            raise BenchError(f"'{' '.join(command)}' exited with status {run.rc}:\n{tail}\n"
                             f"(full output: {out} and {err})")
        return run


def built(run: Run, notes: list[str], attempt: int) -> Run:
    """A build that failed some handouts (status 1) is still measured, and said so; worse stops."""
    if run.rc == 0:
        return run
    lines = (run.stderr + run.stdout).strip().splitlines()
    if run.rc != 1 or not any(ln.startswith("built ") for ln in lines):
        raise BenchError(f"'handouts build' exited with status {run.rc}:\n" + "\n".join(lines[-15:]))
    if attempt == 0:
        summary = next(ln for ln in reversed(lines) if ln.startswith("built "))
        errors = [ln.strip() for ln in lines if not ln.startswith(("built ", "warning:"))][:3]
        notes.append(f"**a build exited with status 1: `{summary.strip()}`**; its first errors: "
                     + "; ".join(f"`{e}`" for e in errors))
    return run


def summary_line(run: Run) -> str:
    """The tool's closing "built ..." line, or ""."""
    said = [ln.strip() for ln in (run.stdout + run.stderr).splitlines() if ln.startswith("built ")]
    return said[-1] if said else ""


# ---------------------------------------------------------------------------- files

def pdf_stats(folder: Path) -> tuple[int, tuple[str, int] | None, int]:
    pdfs = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    sizes = [(p.name, p.stat().st_size) for p in pdfs]
    largest = max(sizes, key=lambda s: s[1]) if sizes else None
    return len(sizes), largest, sum(s for _, s in sizes)


def mtimes(folder: Path) -> dict[str, int]:
    return {str(p): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def prepare_work(work: Path | None) -> tuple[Path, bool]:
    """A work folder that is empty or was made by this script; (path, remove at the end)."""
    if work is None:
        path = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
        (path / MARKER).touch()
        return path, True
    work = work.resolve()
    if work.exists() and any(work.iterdir()) and not (work / MARKER).exists():
        raise BenchError(f"--work {work}: the folder is not empty and was not made by this benchmark; "
                         "give an empty or new folder")
    if work.exists():
        for child in work.iterdir():
            if child.name != MARKER:
                shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    work.mkdir(parents=True, exist_ok=True)
    (work / MARKER).touch()
    return work, False


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    return folder


# ---------------------------------------------------------------------------- the code under test

def code_path(src: Path | None) -> Path | None:
    """The folder to put first on PYTHONPATH for ``--src DIR`` (a checkout, or its src/), or None.

    Raises BenchError when DIR holds no handouts package.
    """
    if src is None:
        return None
    src = src.resolve()
    for candidate in (src / "src", src):
        if (candidate / "handouts" / "__init__.py").is_file():
            return candidate
    raise BenchError(f"--src {src}: no handouts package there (looked for src/handouts/ and handouts/)")


def tool_env(code: Path | None, pycache: Path | None = None) -> dict[str, str]:
    """The environment of every ``handouts`` command: this one, with *code* first on PYTHONPATH.

    With *pycache*, Python keeps the compiled byte code of every module there (PYTHONPYCACHEPREFIX)
    and writes it even where this environment says not to (PYTHONDONTWRITEBYTECODE, set on the farm's
    machines): an installed tool runs from byte code, compiled once, and compiling our modules on
    every command added 40-70 ms to each no-op build and ``--help`` (measured with ``python -v``:
    32 modules compiled per run).  :func:`compile_ahead` compiles them before anything is timed."""
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code)] + [p for p in [env.get("PYTHONPATH", "")] if p])
    return env


def tool(*args: str) -> list[str]:
    """A ``handouts`` command: the console script beside this interpreter (what a user types, and
    it honours PYTHONPATH), or ``python -m handouts`` where there is none."""
    script = Path(sys.executable).with_name("handouts")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script), *args]
    return [sys.executable, "-m", "handouts", *args]


def imported_from(env: dict[str, str], cwd: Path) -> str:
    """Where the ``handouts`` commands import the package from, under *env*."""
    proc = subprocess.run([sys.executable, "-c", "import handouts; print(handouts.__file__)"],
                          capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise BenchError(f"cannot import handouts: {(proc.stderr or proc.stdout).strip()[-1500:]}\n"
                         "Is the project installed in this interpreter?  .venv/bin/pip install -e '.[bench]'")
    return str(Path(proc.stdout.strip()).parent)


#: Every module a build, an import and the bench's checks load: compiled before anything is timed.
WARMED = ("handouts.cli", "handouts.build.run", "handouts.build.pool", "handouts.outputs.handout",
          "handouts.outputs.card_file", "handouts.outputs.deck", "handouts.outputs.catalogue",
          "handouts.outputs.preview", "handouts.render.exercise", "handouts.render.cards", "handouts.render.catalogue",
          "handouts.render.pictures", "handouts.render.picture_cache", "handouts.render.preview",
          "handouts.importers.free_exercise_db", "handouts.importers.plain_text", "handouts.style.fonts",
          "reportlab.pdfgen.canvas", "reportlab.platypus", "PIL.Image", "PIL.JpegImagePlugin", "PIL.PngImagePlugin",
          "yaml", "concurrent.futures.process", "multiprocessing.popen_fork")


def compile_ahead(env: dict[str, str], cwd: Path) -> None:
    """Import (and so compile into the bench's byte-code folder, see :func:`tool_env`) every module
    the timed commands load, so that no timed command compiles one: with an empty folder the first
    cold build compiled ReportLab and Pillow too (a fresh user's trial measured 3.0 s against 2.0
    for 60 exercises)."""
    code = "import importlib\nfor name in %r:\n    importlib.import_module(name)\n" % (WARMED,)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise BenchError(f"cannot import the modules a build loads: {(proc.stderr or proc.stdout).strip()[-1500:]}")


def help_text(env: dict[str, str], cwd: Path, *args: str) -> str:
    proc = subprocess.run(tool(*args, "--help"), capture_output=True, text=True, env=env, cwd=cwd)
    if proc.returncode != 0:
        raise BenchError(f"'handouts {' '.join(args)} --help' failed (status {proc.returncode}):\n"
                         f"{(proc.stderr or proc.stdout).strip()[-2000:]}\n"
                         "Is the project installed in this interpreter?  .venv/bin/pip install -e '.[bench]'")
    return proc.stdout
