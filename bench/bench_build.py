"""Benchmark: build the exercise library with handouts (handouts only, with a FAQ, ten times over)
against a raw-canvas floor and three Typst baselines, and judge the figures against issue 19's targets.

Usage:
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/bench_build.py [--corpus PATH] [--jobs N] [--limit N] [--work DIR]
        [--repeat R] [--variants handouts,faq,10x | --skip-10x] [--repeat-10x R] [--skip-rebuild]
        [--src CHECKOUT]

Not a test: it prints Markdown tables (for the README) and exits 0 unless a phase fails.

``handouts import exercises.json --content DIR --assets DIR`` makes the library once (timed,
not in any ratio); from it, untimed, come the FAQ library and the 10x library
(``_variants.py``: a 3-question FAQ made from each exercise; ten copies with their own ids,
titles and picture bytes).  Then each round runs, on the same exercises and with the same
number of processes (--jobs):

1. our build, handouts only (``--variants handouts``): a cold build (``handouts build
   --content --assets --out --jobs N`` into an output folder just deleted: no picture cache,
   no manifest), the no-op rebuild (the same command again, --noop-runs times; the script
   checks that no PDF was rewritten) and ``--rebuild`` (every picture prepared again; not with
   --skip-rebuild);
2. our build with the FAQ (``faq``): a cold build, which makes the handouts, a card file per
   exercise (3 cards each) and the deck of all the cards, and its no-op rebuild;
3. the 10x library (``10x``), FAQ included (8,680 handouts and 26,040 cards for the whole
   corpus): one cold build (in the first --repeat-10x rounds only, when given);
4. ``handouts --help``, the whole process, --help-runs times;
5. the baselines, each drawing the library's handouts in --jobs processes (multiprocessing,
   fork), each PDF written to disk:
   * floor (``baseline_canvas.py``): ReportLab's raw canvas, our PDF settings; the title,
     the steps wrapped by hand, the first photo.  No layout engine, no meta line, no
     footer, no second photo, no fitting, no validation, no cache, no downsampling;
   * Typst, title + steps + photo (``baseline_typst.py``, ``handout.typ``): the same three
     things through typst-py, one reused compiler per process.  As little as the floor;
   * Typst, same content (``baseline_typst_same.py --no-fit``, ``handout_same.typ``): what
     our handout shows (title, meta line, rule, both photos from the same files, so with
     the same bytes where ours embeds them as they are, "Instructions", the numbered steps,
     the footer), read by Typst from our content YAML, set at 12 pt in one layout;
   * Typst, same work (``baseline_typst_same.py``): that, plus our fitting rules (type and
     pictures grown for a short exercise, two columns and smaller type for a long one, by
     measured trial layouts).  What it still does not do: validate, keep each step whole
     in two columns, shrink pictures, fall back to other fonts, downsample photos (ours
     downsamples the portrait ones and the two 5184 x 3456 ones: 10 of the 150 handouts
     with photos), write previews, the catalogue or a manifest.

"The same exercises": the first --limit entries of exercises.json (all 873 without it) minus
those without instructions (5), which ``handouts import`` skips; the canvas and the first
Typst baseline read the JSON directly and apply the same rule (``_exercises.py``); the other
two read what the import wrote.  Every phase's PDFs are counted and a shortfall is noted.

How it measures (``_measure.py``): every command is the child of a fresh wrapper process, so
its numbers are its own.  Time is ``time.perf_counter()`` around the whole command, Python
start-up and imports included.  Memory: the kernel's peak RSS of the largest single process,
and the peak over the whole process tree of the PSS summed over the parent and its workers
(sampled every --sample-ms ms; PSS counts shared pages once): "all processes", on which the
memory target is judged.  Rounds repeat the phases in turn, so a slow spell on the machine
falls on every phase alike; the table shows each phase's median and range, and every ratio
is of medians from this run.  Stopped (Ctrl-C, or ``kill``), it still prints what it measured.
The operating system's file cache is not dropped.  Other work
on the machine skews everything: the load average is printed before and after.

``--src CHECKOUT`` measures that checkout's code (its ``src/`` first on PYTHONPATH for every
``handouts`` command), so two checkouts can be compared; by default the installed one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from _checks import describe_cards, rewritten, same_photo_bytes  # noqa: E402
from _exercises import load_jobs  # noqa: E402
from _machine import cpu_busy, cpu_ticks, load_average, machine, other_work, own_cpu_seconds, versions  # noqa: E402
from _report import FULL_CORPUS, print_report  # noqa: E402
from _runner import (BenchError, Phase, Runner, built, code_path, compile_ahead, fresh, help_text,  # noqa: E402
                     imported_from, log, mtimes, pdf_stats, prepare_work, summary_line, tool, tool_env)
from _variants import COPIES, FAQ_QUESTIONS, content_files, faq_library, tenfold_library  # noqa: E402

VARIANTS = ("handouts", "faq", "10x")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Benchmark handouts build against a raw-canvas floor and Typst.")
    p.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "free-exercise-db",
                   help="the free-exercise-db folder (default: ../shared/corpus/free-exercise-db)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="processes for every phase (default: os.cpu_count())")
    p.add_argument("--limit", type=int, default=None, help="only the first N exercises (a quick check)")
    p.add_argument("--work", type=Path, default=None,
                   help="work folder, kept afterwards (default: a temporary folder, removed)")
    p.add_argument("--repeat", type=int, default=1, help="rounds: each phase R times; the tables show medians")
    p.add_argument("--variants", default=",".join(VARIANTS),
                   help="our builds to run, of handouts,faq,10x (default: all three)")
    p.add_argument("--skip-10x", action="store_true", help="leave out the 10x library (the longest phase)")
    p.add_argument("--repeat-10x", type=int, default=None,
                   help="rounds that build the 10x library too (default: all of --repeat)")
    p.add_argument("--skip-rebuild", action="store_true", help="leave out `build --rebuild` (no target rests on it)")
    p.add_argument("--noop-runs", type=int, default=3, help="no-op rebuilds per round (default 3)")
    p.add_argument("--help-runs", type=int, default=5, help="`handouts --help` runs per round (default 5)")
    p.add_argument("--src", type=Path, default=None,
                   help="a checkout (or its src/) whose code to measure, put first on PYTHONPATH "
                        "(default: the installed handouts)")
    p.add_argument("--sample-ms", type=int, default=50,
                   help="interval for sampling the process tree's memory (0: off)")
    p.add_argument("--baselines-only", action="store_true",
                   help="only the canvas and the title + steps + photo Typst baseline (no import, no build)")
    args = p.parse_args(argv)
    if args.jobs < 1 or args.repeat < 1 or (args.limit is not None and args.limit < 1) \
            or args.noop_runs < 1 or args.help_runs < 1 or (args.repeat_10x is not None and args.repeat_10x < 1):
        p.error("--jobs, --repeat, --repeat-10x, --limit, --noop-runs and --help-runs take a positive number")
    chosen = {v.strip() for v in args.variants.split(",") if v.strip()}
    if not chosen <= set(VARIANTS):
        p.error(f"--variants: {', '.join(sorted(chosen - set(VARIANTS)))}: not one of {', '.join(VARIANTS)}")
    if args.skip_10x:
        chosen.discard("10x")
    args.variants = [v for v in VARIANTS if v in chosen] if not args.baselines_only else []
    return args


def preflight(variants: list[str], env: dict[str, str], work: Path) -> dict[str, bool]:
    try:
        import typst  # noqa: F401
    except ImportError:
        raise BenchError("typst-py is not installed: .venv/bin/pip install -e '.[bench]'") from None
    if not variants:
        return {"jobs": False, "rebuild": False}
    compile_ahead(env, work)  # no timed command compiles a module (see _runner.tool_env)
    help_text(env, work)   # the tool runs at all
    if "--assets" not in help_text(env, work, "import"):
        raise BenchError("'handouts import' has no --assets option: the benchmark needs\n"
                         "  handouts import /path/exercises.json --content DIR --assets DIR\n"
                         "Run with --baselines-only to measure the baselines alone.")
    build_help = help_text(env, work, "build")
    return {"jobs": "--jobs" in build_help, "rebuild": "--rebuild" in build_help}


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


def make_phases(jobs: int, n: int, build_label: str) -> dict[str, Phase]:
    return {
        "import": Phase("`handouts import` (JSON → YAML, photos copied)"),
        "cold": Phase(f"**cold build, handouts only** ({build_label})", n),
        "noop": Phase("**no-op rebuild**, handouts only (nothing changed)"),
        "rebuild": Phase("build --rebuild, handouts only (pictures prepared again)", n),
        "faq": Phase(f"**cold build with FAQ**: handouts, {FAQ_QUESTIONS} cards each, the deck", n),
        "faq_noop": Phase("**no-op rebuild**, library with FAQ"),
        "tenx": Phase(f"**cold build, 10x library** with FAQ ({COPIES} × {n} exercises)", n * COPIES),
        "help": Phase("`handouts --help` (whole process)"),
        "canvas": Phase(f"floor: ReportLab raw canvas, title + steps + first photo ({jobs} processes)", n),
        "typst": Phase(f"Typst via typst-py, title + steps + first photo ({jobs} processes)", n),
        "typst_content": Phase(f"Typst, same content as ours, no fitting ({jobs} processes)", n),
        "typst_same": Phase(f"**Typst, same work**: same content and fitting ({jobs} processes)", n),
    }


class Bench:
    """One benchmark run: the work folder, the commands, and every phase's figures."""

    def __init__(self, args: argparse.Namespace, work: Path, env: dict[str, str], features: dict[str, bool]):
        # the bench never fills the user's own picture cache (see cold() for the cold builds' empty ones)
        env = {**env, "HANDOUTS_CACHE_DIR": str(work / "cache")}
        self.args, self.work, self.env, self.features = args, work, env, features
        self.runner = Runner(work, args.sample_ms)
        self.notes: list[str] = []
        self.content, self.assets = work / "content", work / "assets"
        self.faq_content = work / "content-faq"
        self.tenx_content, self.tenx_assets = work / "content-10x", work / "assets-10x"
        self.round = 0

    def build_args(self, content: Path, assets: Path, out: Path) -> list[str]:
        more = ["--jobs", str(self.args.jobs)] if self.features["jobs"] else []
        return ["build", "--content", str(content), "--assets", str(assets), "--out", str(out), *more]

    def cold(self, phase: Phase, name: str, content: Path, assets: Path, out: Path, i: int,
             cards: int | None = None) -> None:
        log(f"{name} {i + 1}/{self.args.repeat} ...")
        fresh(out)
        # cold means no prepared pictures either: the picture cache lives outside output/ (in the
        # user's cache folder), so each cold build gets an empty one of its own, and the user's is untouched
        env = {**self.env, "HANDOUTS_CACHE_DIR": str(fresh(self.work / f"cache-{name}"))}
        run = built(self.runner.run(name, tool(*self.build_args(content, assets, out)), False, env), self.notes, i)
        phase.runs.append(run)
        phase.pdfs, phase.largest, phase.total_bytes = pdf_stats(out / "handouts")
        if cards is not None:
            phase.cards = describe_cards(out, summary_line(run), cards, phase.handouts, phase.label.strip("* "),
                                         self.notes)

    def noop(self, phase: Phase, name: str, content: Path, assets: Path, out: Path, i: int) -> None:
        for _ in range(self.args.noop_runs):
            before = mtimes(out)
            run = built(self.runner.run(name, tool(*self.build_args(content, assets, out)), False, self.env),
                        self.notes, i)
            phase.runs.append(run)
            changed = rewritten(before, mtimes(out), out)
            pdfs = [c for c in changed if c.endswith(".pdf")]
            if pdfs:
                self.notes.append(f"**{name}: the no-op rebuild rewrote {len(pdfs)} PDFs (e.g. {pdfs[0]}): "
                                  "it is not a no-op.**")
            elif changed and i == 0:
                self.notes.append(f"{name}: the no-op rebuild rewrote no PDF; it did rewrite {', '.join(changed[:3])}"
                                  + (f" and {len(changed) - 3} more" if len(changed) > 3 else ""))
        if i == 0 and summary_line(phase.runs[-1]):
            said = summary_line(phase.runs[-1]).replace(str(self.work), "WORK")
            self.notes.append(f"{name}: our no-op rebuild said `{said}`")

    def baseline(self, phase: Phase, name: str, command: list[str], i: int) -> None:
        log(f"{name} {i + 1}/{self.args.repeat} ...")
        folder = fresh(self.work / name)
        phase.runs.append(self.runner.run(name, [sys.executable, *command, "--out", str(folder)]))
        phase.pdfs, phase.largest, phase.total_bytes = pdf_stats(folder)

    def run(self, phases: dict[str, Phase], source: Path, expected: int) -> None:
        args, variants, work = self.args, self.args.variants, self.work
        ours = bool(variants)
        if ours:
            log("import ...")
            phases["import"].runs.append(self.runner.run("import", tool("import", str(source), "--content",
                                         str(self.content), "--assets", str(self.assets)), env=self.env))
            if len(content_files(self.content)) != expected:
                self.notes.append(f"**import wrote {len(content_files(self.content))} content files, "
                                  f"expected {expected}.**")
            if "faq" in variants or "10x" in variants:
                start = time.perf_counter()
                faq_library(self.content, self.faq_content)
                log(f"FAQ library made in {time.perf_counter() - start:.1f} s (not timed)")
            if "10x" in variants:
                start = time.perf_counter()
                made, pictures, shared = tenfold_library(self.faq_content, self.assets, self.tenx_content,
                                                         self.tenx_assets)
                log(f"10x library made in {time.perf_counter() - start:.1f} s (not timed): {made} exercises, "
                    f"{pictures} pictures")
                if shared:
                    self.notes.append(f"10x library: {shared} pictures are not JPEGs and were copied as they are, "
                                      "so the picture cache shares their work between copies")
        interrupted = False
        try:
            self.rounds(phases, source, expected)
        except KeyboardInterrupt:  # Ctrl-C or SIGTERM: report what was measured
            interrupted = True
            self.notes.append(f"**interrupted in round {self.round + 1} of {args.repeat}: the figures are of "
                              "the runs finished before, and a phase may have fewer runs than another**")
        for p in phases.values():
            if p.pdfs is not None and p.pdfs != p.handouts:
                self.notes.append(f"**{p.label.strip('* ')} wrote {p.pdfs} handout PDFs, expected {p.handouts}.**")
        if "handouts" in variants and phases["typst_same"].measured and not interrupted:
            same, total, differ = same_photo_bytes(self.content, self.assets, work / "out" / "handouts",
                                                   work / "typst_same")
            self.notes.append(f"photo bytes: of the {total} handouts with photos, {same} embed every photo file "
                              f"as it is in both ours and the same-work Typst's"
                              + (f"; not so in {', '.join(differ[:5])} (ours downsampled what Typst embeds whole)"
                                 if differ else ""))

    def rounds(self, phases: dict[str, Phase], source: Path, expected: int) -> None:
        """Every phase once a round, --repeat rounds."""
        args, variants, work = self.args, self.args.variants, self.work
        ours = bool(variants)
        json_args = ["--json", str(source), "--jobs", str(args.jobs)]
        same_args = ["--content", str(self.content), "--assets", str(self.assets), "--jobs", str(args.jobs)]
        for i in range(args.repeat):
            self.round = i
            if "handouts" in variants:
                out = work / "out"
                self.cold(phases["cold"], "cold", self.content, self.assets, out, i)
                log(f"no-op {i + 1}/{args.repeat} ...")
                self.noop(phases["noop"], "noop", self.content, self.assets, out, i)
                if self.features["rebuild"] and not args.skip_rebuild:
                    log(f"rebuild {i + 1}/{args.repeat} ...")
                    run = self.runner.run("rebuild", tool(*self.build_args(self.content, self.assets, out),
                                                          "--rebuild"), False, self.env)
                    phases["rebuild"].runs.append(built(run, self.notes, i))
                    phases["rebuild"].pdfs = pdf_stats(out / "handouts")[0]
            if "faq" in variants:
                out = work / "out-faq"
                self.cold(phases["faq"], "faq", self.faq_content, self.assets, out, i, FAQ_QUESTIONS * expected)
                self.noop(phases["faq_noop"], "faq_noop", self.faq_content, self.assets, out, i)
            if "10x" in variants and i < (args.repeat_10x or args.repeat):
                self.cold(phases["tenx"], "tenx", self.tenx_content, self.tenx_assets, work / "out-10x", i,
                          FAQ_QUESTIONS * expected * COPIES)
                shutil.rmtree(work / "out-10x", ignore_errors=True)   # 8,680 handouts: room for the next
            self.baseline(phases["canvas"], "canvas", [str(BENCH / "baseline_canvas.py"), *json_args], i)
            self.baseline(phases["typst"], "typst", [str(BENCH / "baseline_typst.py"), *json_args], i)
            if ours:
                self.baseline(phases["typst_content"], "typst_content",
                              [str(BENCH / "baseline_typst_same.py"), *same_args, "--no-fit"], i)
                self.baseline(phases["typst_same"], "typst_same", [str(BENCH / "baseline_typst_same.py"),
                                                                   *same_args], i)
                log(f"--help {i + 1}/{args.repeat} ...")
                for _ in range(args.help_runs):
                    phases["help"].runs.append(self.runner.run("help", tool("--help"), env=self.env))


def how_text(args: argparse.Namespace) -> str:
    return ("How it is measured: wall time is `time.perf_counter()` around each whole command, Python start-up "
            "included, every PDF written to disk; cold builds start from a deleted output folder (no picture cache, "
            "no manifest); each round runs every phase once (no-op rebuilds and `--help` several times), and the "
            "table gives medians and ranges over the rounds. The canvas floor and the first Typst baseline draw only "
            "the title, the numbered steps and the first photo; the same-content Typst baseline draws what our "
            "handout shows (title, meta line, both photos from the same files, steps, footer) from our content YAML; "
            "the same-work one also fits each handout as ours does (type grown or shrunk, two columns for long "
            "steps). None of the baselines validates content, downsamples photos or writes previews, a catalogue, "
            "a manifest, cards or a deck. Typst runs one reused `typst.Compiler` per process with `pdf_tags=False`. "
            "The 10x library's pictures are per-copy files with their own bytes (a JPEG comment), so no cache shares "
            "work between copies. Peak memory: the largest single process (kernel high-water mark) and "
            + (f"all processes (the tree's PSS summed, sampled every {args.sample_ms} ms)." if args.sample_ms
               else "(sampling off) no all-processes figure."))


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def bench(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _interrupt)   # `kill` reports what was measured, as Ctrl-C does
    work, remove = prepare_work(args.work)
    env = tool_env(code_path(args.src), work / "pycache")
    try:
        features = preflight(args.variants, env, work)
        code = imported_from(env, work) if args.variants else "(not run: --baselines-only)"
        busy_before = cpu_busy()
        accounting = (cpu_ticks(), own_cpu_seconds())
        load_before = load_average()
        b = Bench(args, work, env, features)
        if busy_before > 0.10:
            log(f"warning: the CPUs were {busy_before:.0%} busy with other work before the run; times will be skewed")
            b.notes.append(f"the CPUs were {busy_before:.0%} busy with other work just before the run "
                                f"(load average {load_before}): the times are of a busy machine")
        source = corpus_input(args.corpus.resolve(), work, args.limit)
        exercises = load_jobs(source, work, None)   # what every phase must produce
        expected, photos = len(exercises), sum(1 for j in exercises if j.photo)
        log(f"benchmark: {expected} exercises ({photos} with photos), {args.jobs} processes, "
            f"variants {','.join(args.variants) or 'none'}, handouts from {code}, work folder {work}")
        if args.variants and not features["jobs"]:
            b.notes.append(f"**`handouts build` has no `--jobs` option: our builds ran in one process, "
                                f"the baselines in {args.jobs}.**")
        label = f"--jobs {args.jobs}" if features["jobs"] or not args.variants else "1 process"
        phases = make_phases(args.jobs, expected, label)
        b.run(phases, source, expected)
        load_after = load_average()
        other = other_work(accounting)
        if other is not None:
            load_after += f"; other processes used {other:.0%} of the CPUs' time during the run"
            if other > 0.05:
                b.notes.append(f"**other processes used {other:.0%} of the CPUs' time while this ran: every "
                                    "figure is skewed (ours and the baselines alike, but not equally)**")
        scope = f"the first {args.limit} of the {FULL_CORPUS}" if args.limit else f"all {FULL_CORPUS}"
        print_report(title=f"Build benchmark: {expected} exercises ({scope} of free-exercise-db, {photos} with "
                           f"photos), {args.jobs} processes",
                     command=" ".join(["python bench/bench_build.py", *sys.argv[1:]]).strip(),
                     repeat=args.repeat, limit=args.limit, phases=phases, notes=b.notes,
                     about=machine(REPO, code) + versions(),
                     load_before=f"{load_before} (CPUs {busy_before:.0%} busy in the second before the run)",
                     load_after=load_after, how=how_text(args))
    finally:
        if remove:
            shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        return bench(args)
    except BenchError as exc:
        print(f"bench_build: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
