"""Benchmark: build the exercise corpus with handouts, cold and warm, against two baselines.

Usage:
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_build.py [--corpus PATH] [--jobs N] [--limit N] [--work DIR] [--repeat R]

Not a test: it prints a Markdown table (for the README) and exits 0 unless a phase fails.

Phases, in this order, each on the same exercises and with the same number of processes:

1. import: ``handouts import exercises.json --content DIR --assets DIR`` into a fresh
   work folder (reported, not part of any ratio);
2. cold build: ``handouts build --content --assets --out --jobs N`` into an output folder
   that was just deleted (so no picture cache and no manifest);
3. no-op rebuild: the same command again with nothing changed; the script checks
   that no output file was rewritten (modification times) and shows the tool's summary;
4. forced rebuild (``--rebuild``: every picture prepared again, the font cache kept), only if
   the tool has that option;
5. floor: ``bench/baseline_canvas.py``, the same handouts (title, steps, first photo)
   drawn on ReportLab's raw canvas with hand wrapping, with our tool's PDF settings;
6. peer: ``bench/baseline_typst.py``, the same handouts through typst-py, one reused
   ``typst.Compiler`` per process (see that file for why that is the fastest way).

"The same exercises": the first --limit entries of exercises.json (all 873 without it)
minus those without instructions (5 in the corpus), which ``handouts import`` skips;
the baselines read the JSON directly and apply the same rule (``_exercises.py``).  The
script checks that every phase wrote that many PDFs and says so when one did not.

How it measures (see ``_measure.py``): every phase is one command run as a child of a
fresh wrapper process, so its numbers are its own.  Time is ``time.perf_counter()``
around the whole command, Python start-up and imports included (a user waits for
those too), every PDF written to disk.  Memory is reported twice: the kernel's peak RSS
of the largest single process (exact, RUSAGE_CHILDREN after the wait) and the peak of
the whole process tree's PSS summed over the parent and its workers (sampled every
--sample-ms ms, 50 by default; PSS counts shared pages once).  The memory target is
judged on the larger of the two.  Cold runs delete their output folder first; the
operating system's file cache is not dropped (the corpus has just been read by the
import, for every phase alike).  With --repeat R each timed phase runs R times and the
table shows the median (and the range).  Other work on the machine skews everything:
the script prints the load average before and after, and warns when it was high.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from _exercises import load_jobs  # noqa: E402

MARKER = ".handouts-bench"          # marks a work folder this script may empty
TARGET_TYPST_RATIO = 1.5
TARGET_NOOP_S = 0.5
TARGET_PEAK_MB = 300.0
FULL_CORPUS = 873


class BenchError(Exception):
    """A problem that stops the benchmark, shown as one clear message."""


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
    label: str
    runs: list[Run] = field(default_factory=list)
    pdfs: int | None = None             # PDFs written by the (last) run
    largest: tuple[str, int] | None = None
    total_bytes: int | None = None
    note: str = ""

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
        peaks = [r.tree_peak_kb for r in self.runs if r.tree_peak_kb]
        return max(peaks) / 1024 if peaks else None

    @property
    def peak_mb(self) -> float:
        return max(self.maxrss_mb, self.tree_peak_mb or 0.0)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- running

class Runner:
    def __init__(self, work: Path, sample_ms: int):
        self.logs = work / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.sample_ms = sample_ms
        self.count = 0

    def run(self, name: str, command: list[str], check: bool = True) -> Run:
        self.count += 1
        stem = self.logs / f"{self.count:02d}-{name}"
        result, out, err = (stem.with_suffix(s) for s in (".json", ".out", ".err"))
        subprocess.run([sys.executable, str(BENCH / "_measure.py"), str(result), str(out), str(err),
                        str(self.sample_ms), "--", *command], check=True, cwd=REPO)
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


def tool(*args: str) -> list[str]:
    return [sys.executable, "-m", "handouts.cli", *args]


def help_text(*args: str) -> str:
    proc = subprocess.run(tool(*args, "--help"), capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise BenchError(f"'handouts {' '.join(args)} --help' failed (status {proc.returncode}):\n"
                         f"{(proc.stderr or proc.stdout).strip()[-2000:]}\n"
                         "Is the project installed in this interpreter?  .venv/bin/pip install -e '.[bench]'")
    return proc.stdout


def preflight(baselines_only: bool) -> dict[str, bool]:
    try:
        import typst  # noqa: F401
    except ImportError:
        raise BenchError("typst-py is not installed: .venv/bin/pip install -e '.[bench]'") from None
    if baselines_only:
        return {"jobs": False, "rebuild": False}
    help_text()   # the tool runs at all
    import_help = help_text("import")
    if "--assets" not in import_help:
        raise BenchError(
            "'handouts import' cannot import the corpus yet: the benchmark needs\n"
            "  handouts import /path/exercises.json --content DIR --assets DIR\n"
            "(one YAML per exercise, photos copied), and this 'handouts import' has no --assets option.\n"
            "Run with --baselines-only to measure the two baselines alone.")
    build_help = help_text("build")
    return {"jobs": "--jobs" in build_help, "rebuild": "--rebuild" in build_help}


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


def corpus_input(corpus: Path, work: Path, limit: int | None) -> Path:
    """The exercises.json every phase reads: the corpus's own, or its first *limit* entries."""
    source = corpus / "exercises.json"
    if not source.is_file():
        raise BenchError(f"{source}: no such file (use --corpus PATH, the free-exercise-db folder)")
    if limit is None:
        return source
    folder = work / "input"
    folder.mkdir()
    data = json.loads(source.read_text(encoding="utf-8"))[:limit]
    (folder / "exercises.json").write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "exercises").symlink_to((corpus / "exercises").resolve(), target_is_directory=True)
    return folder / "exercises.json"


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    return folder


# ---------------------------------------------------------------------------- report

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


def machine() -> list[tuple[str, str]]:
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
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    rows = [("CPU", f"{os.cpu_count()} logical CPUs ({usable} usable by this process), {model}".rstrip(", ")),
            ("memory", memory), ("OS", platform.platform())]
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    if commit:
        dirty = subprocess.run(["git", "--no-optional-locks", "-C", str(REPO), "status", "--porcelain",
                                "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
        rows.append(("handouts commit", commit + (" + uncommitted changes" if dirty else "")))
    return rows


def fmt_s(phase: Phase) -> str:
    text = f"{phase.seconds:.2f}"
    if len(phase.runs) > 1:
        lo, hi = min(r.seconds for r in phase.runs), max(r.seconds for r in phase.runs)
        text += f" ({lo:.2f}–{hi:.2f})"
    return text


def fmt_mb(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def table(phases: list[Phase], handouts: int) -> list[str]:
    lines = ["| phase | PDFs | wall s | ms / handout | CPU s | peak MB, largest process | "
             "peak MB, all processes | largest PDF | all PDFs MB |",
             "|---|---:|---:|---:|---:|---:|---:|---|---:|"]
    for p in phases:
        per = f"{p.seconds / handouts * 1000:.1f}" if p.pdfs is not None and handouts else "–"
        largest = f"{p.largest[0]}, {p.largest[1] / 1024:.0f} KB" if p.largest else "–"
        total = f"{p.total_bytes / 1e6:.1f}" if p.total_bytes else "–"
        pdfs = "–" if p.pdfs is None else str(p.pdfs)
        lines.append(f"| {p.label} | {pdfs} | {fmt_s(p)} | {per} | {p.cpu_seconds:.2f} | "
                     f"{fmt_mb(p.maxrss_mb)} | {fmt_mb(p.tree_peak_mb)} | {largest} | {total} |")
    return lines


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
    import resource

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


# ---------------------------------------------------------------------------- main

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark handouts build against a raw-canvas floor and Typst.")
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "free-exercise-db",
                   help="the free-exercise-db folder (default: ../shared/corpus/free-exercise-db)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="processes for every phase (default: os.cpu_count())")
    p.add_argument("--limit", type=int, default=None, help="only the first N exercises (a quick check)")
    p.add_argument("--work", type=Path, default=None,
                   help="work folder, kept afterwards (default: a temporary folder, removed)")
    p.add_argument("--repeat", type=int, default=1, help="run each timed phase R times; report the median")
    p.add_argument("--sample-ms", type=int, default=50,
                   help="interval for sampling the process tree's memory (0: off)")
    p.add_argument("--baselines-only", action="store_true",
                   help="skip our tool (e.g. before 'handouts import' takes the corpus JSON)")
    args = p.parse_args(argv)
    if args.jobs < 1 or args.repeat < 1 or (args.limit is not None and args.limit < 1):
        p.error("--jobs, --repeat and --limit take a positive number")
    return args


def bench(args: argparse.Namespace) -> int:
    features = preflight(args.baselines_only)
    corpus = args.corpus.resolve()
    work, remove = prepare_work(args.work)
    notes: list[str] = []
    phases: list[Phase] = []
    busy_before = cpu_busy()
    accounting = (cpu_ticks(), own_cpu_seconds())
    load_before = load_average()
    if busy_before > 0.10:
        log(f"warning: the CPUs were {busy_before:.0%} busy with other work before the run; times will be skewed")
        notes.append(f"the CPUs were {busy_before:.0%} busy with other work just before the run "
                     f"(load average {load_before}): run again on an idle machine before trusting the times")
    try:
        runner = Runner(work, args.sample_ms)
        source = corpus_input(corpus, work, args.limit)
        exercises = load_jobs(source, work, None)   # what every phase must produce
        expected, photos = len(exercises), sum(1 for j in exercises if j.photo)
        log(f"benchmark: {expected} handouts ({photos} with a photo), {args.jobs} processes, work folder {work}")

        content, assets, out = work / "content", work / "assets", work / "out"
        if not args.baselines_only:
            log("import ...")
            imp = Phase("`handouts import` (JSON → YAML, photos copied)")
            imp.runs.append(runner.run("import", tool("import", str(source), "--content", str(content),
                                                      "--assets", str(assets))))
            yamls = [p for p in content.iterdir() if p.suffix in (".yaml", ".yml")] if content.is_dir() else []
            if len(yamls) != expected:
                notes.append(f"**import wrote {len(yamls)} content files, expected {expected}.**")
            build_args = ["build", "--content", str(content), "--assets", str(assets), "--out", str(out)]
            if features["jobs"]:
                build_args += ["--jobs", str(args.jobs)]
                jobs_label = f"--jobs {args.jobs}"
            else:
                jobs_label = "1 process: this build has no --jobs"
                notes.append(f"**`handouts build` has no `--jobs` option yet: our builds ran in one process, "
                             f"the baselines in {args.jobs}.**")

            cold = Phase(f"**handouts build, cold** ({jobs_label})")
            noop = Phase("**handouts build, no-op rebuild** (nothing changed)")
            forced = Phase("handouts build --rebuild (pictures prepared again)")
            phases += [imp, cold, noop] + ([forced] if features["rebuild"] else [])
        canvas = Phase(f"floor: ReportLab raw canvas ({args.jobs} processes)")
        typst_phase = Phase(f"peer: Typst via typst-py ({args.jobs} processes)")
        phases += [canvas, typst_phase]
        baseline_args = ["--json", str(source), "--jobs", str(args.jobs)]

        # One round runs every phase once; rounds repeat, so that a slow spell on the machine
        # falls on our build and the baselines alike rather than on one of them.
        for i in range(args.repeat):
            round_ = f"{i + 1}/{args.repeat}"
            if not args.baselines_only:
                log(f"cold build {round_} ...")
                fresh(out)
                cold.runs.append(built(runner.run("cold", tool(*build_args), check=False), notes, i))
                cold.pdfs, cold.largest, cold.total_bytes = pdf_stats(out / "handouts")

                log(f"no-op rebuild {round_} ...")
                before = mtimes(out)
                noop.runs.append(built(runner.run("noop", tool(*build_args), check=False), notes, i))
                changed = sorted(Path(k).relative_to(out).as_posix()
                                 for k, v in mtimes(out).items() if before.get(k) != v)
                pdfs = [c for c in changed if c.endswith(".pdf")]
                if pdfs:
                    notes.append(f"**the no-op rebuild rewrote {len(pdfs)} PDFs (e.g. {pdfs[0]}): "
                                 "it is not a no-op.**")
                elif changed and i == 0:
                    notes.append(f"the no-op rebuild rewrote no PDF; it did rewrite {', '.join(changed[:3])}"
                                 + (f" and {len(changed) - 3} more" if len(changed) > 3 else ""))
                if i == 0:
                    said = [ln for ln in (noop.runs[-1].stdout + noop.runs[-1].stderr).splitlines()
                            if ln.startswith("built ")]
                    if said:
                        notes.append(f"our no-op rebuild said: `{said[-1].strip().replace(str(work), 'WORK')}`")

                if features["rebuild"]:
                    log(f"forced rebuild {round_} ...")
                    forced.runs.append(built(runner.run("rebuild", tool(*build_args, "--rebuild"), check=False),
                                             notes, i))
                    forced.pdfs, forced.largest, forced.total_bytes = pdf_stats(out / "handouts")

            for phase, script, name in ((canvas, "baseline_canvas.py", "canvas"),
                                        (typst_phase, "baseline_typst.py", "typst")):
                log(f"{name} {round_} ...")
                folder = fresh(work / name)
                phase.runs.append(runner.run(name, [sys.executable, str(BENCH / script), *baseline_args,
                                                    "--out", str(folder)]))
                phase.pdfs, phase.largest, phase.total_bytes = pdf_stats(folder)

        for p in phases:
            if p.pdfs is not None and p.pdfs != expected:
                notes.append(f"**{p.label.strip('* ')} wrote {p.pdfs} PDFs, expected {expected}.**")
        load_after = load_average()
        other = other_work(accounting)
        if other is not None:
            load_after += f"; other processes used {other:.0%} of the CPUs' time during the run"
            if other > 0.05:
                notes.append(f"**other processes used {other:.0%} of the CPUs' time while this ran: the times are "
                             "skewed (the baselines and our build alike, but not equally); run again on an idle "
                             "machine**")
        print_report(args, phases, expected, photos, notes,
                     f"{load_before} (CPUs {busy_before:.0%} busy in the second before the run)", load_after)
    finally:
        if remove:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def print_report(args: argparse.Namespace, phases: list[Phase], expected: int, photos: int,
                 notes: list[str], load_before: str, load_after: str) -> None:
    cold = next((p for p in phases if "cold" in p.label), None)
    noop = next((p for p in phases if "no-op" in p.label), None)
    canvas, typst_phase = phases[-2], phases[-1]
    command = " ".join(["python bench/bench_build.py", *sys.argv[1:]])
    scope = f"the first {args.limit} of the {FULL_CORPUS} exercises" if args.limit else "the whole corpus"
    print()
    print(f"### Build benchmark: {expected} handouts ({scope}, {photos} with a photo), {args.jobs} processes")
    print()
    print(f"Made by `{command.strip()}`" + (f", median of {args.repeat} runs" if args.repeat > 1 else "") + ".")
    print()
    for line in table(phases, expected):
        print(line)
    print()
    print("| measure | value | target |")
    print("|---|---:|---|")
    full = args.limit is None
    if cold:
        ratio_floor = cold.seconds / canvas.seconds
        ratio_typst = cold.seconds / typst_phase.seconds
        print(f"| cold build / raw-canvas floor | {ratio_floor:.2f}× | (the floor) |")
        print(f"| cold build / Typst | {ratio_typst:.2f}× | ≤ {TARGET_TYPST_RATIO}× (goal < 1×): "
              f"{verdict(ratio_typst <= TARGET_TYPST_RATIO, full)} |")
        print(f"| no-op rebuild | {noop.seconds:.2f} s | < {TARGET_NOOP_S} s: "
              f"{verdict(noop.seconds < TARGET_NOOP_S, full)} |")
        worst = max(p.peak_mb for p in phases if p.label.startswith(("**handouts build", "handouts build")))
        print(f"| peak memory, our builds (larger of the two measures) | {worst:.0f} MB | < {TARGET_PEAK_MB:.0f} MB: "
              f"{verdict(worst < TARGET_PEAK_MB, full)} |")
        if cold.largest:
            print(f"| largest handout | {cold.largest[0]}, {cold.largest[1] / 1024:.0f} KB | |")
        print(f"| import | {phases[0].seconds:.2f} s | |")
    else:
        print(f"| Typst / raw-canvas floor | {typst_phase.seconds / canvas.seconds:.2f}× | |")
    print()
    print("Machine and versions: " + "; ".join(f"{k}: {v}" for k, v in machine() + versions())
          + f"; load average before {load_before}, after {load_after}.")
    print()
    print("How it is measured: wall time is `time.perf_counter()` around each whole command, Python start-up "
          "included, every PDF written to disk; cold runs start from a deleted output folder; the baselines draw "
          "the same exercises (title, numbered steps, first photo 2.5 in wide) in the same number of processes "
          "and embed each JPEG as it is (no downsampling, unlike our tool, which downsamples photos finer than "
          "about 250 dpi at their printed size to 200 dpi and caches them). The canvas floor uses our tool's PDF "
          "settings (page compression, `rl_config.useA85 = 0`). Typst runs with one `typst.Compiler` reused per "
          "process and `pdf_tags=False` (ReportLab's PDFs are untagged too). Our handouts carry what the import put in "
          "(both photos, level, category, targets, equipment, tags), the baselines only the title, the steps and the "
          "first photo. Peak memory: largest single process (kernel high-water mark) and "
          + (f"the whole process tree's PSS, sampled every {args.sample_ms} ms." if args.sample_ms
             else "(sampling off) no whole-tree figure."))
    if not full:
        print()
        print(f"Targets (cold ≤ {TARGET_TYPST_RATIO}× Typst, no-op < {TARGET_NOOP_S} s, "
              f"peak < {TARGET_PEAK_MB:.0f} MB) are for the full corpus on the 2-core machine; "
              f"this run used --limit {args.limit}.")
    for note in dict.fromkeys(notes):
        print()
        print(f"Note: {note}")


def verdict(ok: bool, full: bool) -> str:
    if not full:
        return "n/a (partial corpus)"
    return "met" if ok else "**not met**"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return bench(args)
    except BenchError as exc:
        print(f"bench_build: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
