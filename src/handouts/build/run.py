"""The build: gather and validate every content file, then lay out and write each exercise.

Nothing is written until every file has been read and validated; a file with errors
fails alone and the others are still built; every problem ends up in the report, and
the CLI decides what to print and which exit status to give.

Exercises whose content, pictures, options and program are unchanged since the last
build (see :mod:`handouts.manifest`) are not even parsed; the rest are built in
``jobs`` worker processes, each writing its own files atomically.
"""

from __future__ import annotations

import hashlib
import os
import time
from concurrent.futures import as_completed
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from handouts.build.programs import ProgramRecord, ProgramSource, read_programs, remove_stale_programs, write_programs
from handouts.layout.card_sheet import CardSheet, make_sheet
from handouts.content.clinic import Clinic
from handouts.errors import ContentError, HandoutsError, Problem, display_path
from handouts.layout.branding import clinic_line
from handouts.build.exercise_job import JobResult, author, build_cards, card_info, in_clinic_language, run_job
from handouts.style.labels import labels_for
from handouts.content.load import load_file
from handouts.build.manifest import Entry, FileStamp, Manifest, file_hash, options_fingerprint
from handouts.content.exercise import Exercise, validate
from handouts.build.pool import shared, worker_pool
from handouts.render.cards import cards_pdf
from handouts.style.theme import DEFAULT_THEME, Theme
from handouts.write import atomic_write_bytes, output_path, remove_output, remove_stale_temporaries

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    assets_dir: Path = Path("assets")
    out_dir: Path = Path("output")
    paper: str = "letter"
    files: tuple[Path, ...] = ()  # empty: every content file in content_dir
    theme: Theme = DEFAULT_THEME
    card_size: str = "business"
    flip: str = "long"
    fold: bool = False
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    deck: bool = True             # also write OUT/deck.pdf with every card of the build
    jobs: int = 1                 # worker processes; 1 builds in this process
    incremental: bool = True      # skip exercises unchanged since the last build
    clinic: Clinic | None = None  # clinic.yaml: printed on every handout, card sheet and program
    programs: tuple[Path, ...] = ()  # program files to build into OUT/programs/
    program_only: bool = False    # `handouts program`: the programs alone, from the exercises they name

    def card_sheet(self) -> CardSheet:
        return make_sheet(self.paper, self.card_size, self.flip, self.fold, self.back_offset_mm)


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)  # handouts
    cards: list[Path] = field(default_factory=list)    # one card file per exercise with a FAQ
    card_count: int = 0
    deck: Path | None = None
    removed: list[Path] = field(default_factory=list)  # card files (or the deck) with no questions left
    programs: list[Path] = field(default_factory=list)  # OUT/programs/<name>.pdf written
    removed_programs: list[Path] = field(default_factory=list)  # programs whose file is gone
    removed_orphans: list[Path] = field(default_factory=list)   # handouts and cards whose content file is gone
    unchanged: int = 0                                 # exercises up to date, not rebuilt
    failed: list[str] = field(default_factory=list)  # display paths of files not built
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def content_files(options: BuildOptions) -> list[Path]:
    """The files to build: those named, or every content file in the content folder, sorted."""
    if options.files:
        return list(options.files)
    folder = Path(options.content_dir)
    if not folder.is_dir():
        raise HandoutsError(f"{display_path(folder)}: no such folder (use --content DIR)")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in CONTENT_SUFFIXES and p.is_file())


@dataclass
class _Source:
    """One content file on its way through the build."""

    path: Path
    key: str                       # resolved path: the manifest's key
    shown: str                     # as the user would type it
    digest: str | None = None
    entry: Entry | None = None     # from the manifest, when up to date
    exercise: Exercise | None = None
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    result: JobResult | None = None


def _validate(source: _Source) -> None:
    if not source.path.is_file():
        source.errors.append(Problem(source.shown, None, None, "no such file"))
        return
    try:
        source.exercise, source.warnings = validate(load_file(source.path), source.path.stem)
    except ContentError as exc:
        source.warnings, source.errors = list(exc.warnings), list(exc.problems)


def _check_ids(sources: list[_Source]) -> None:
    """Two files with the same id would write the same PDF: the second one fails."""
    seen: dict[str, str] = {}
    for source in sources:
        exercise_id = source.entry.exercise_id if source.entry else (
            source.exercise.id if source.exercise and not source.errors else None)
        if exercise_id is None:
            continue
        if exercise_id in seen:
            source.errors.append(Problem(source.shown, None, None, f"same id '{exercise_id}' as "
                                                                   f"{seen[exercise_id]}; rename one of them"))
            source.entry = None
        else:
            seen[exercise_id] = source.shown


def _settings(options: BuildOptions) -> dict:
    """Everything but the content and the program (the manifest adds that) that shapes the output."""
    clinic = None
    if options.clinic:
        clinic = {k: v for k, v in asdict(options.clinic).items() if k != "lines"}
        if options.clinic.logo:  # a new logo under the same name rebuilds every handout
            logo = Path(options.assets_dir).resolve() / options.clinic.logo
            clinic["logo_sha256"] = file_hash(logo) if logo.is_file() else None
    return {"paper": options.paper, "card_size": options.card_size, "flip": options.flip,
            "fold": options.fold, "back_offset_mm": list(options.back_offset_mm),
            "theme": asdict(options.theme), "assets": str(Path(options.assets_dir).resolve()), "clinic": clinic}


def _picture_stamps(ex: Exercise, assets_dir: Path) -> list[FileStamp]:
    root = Path(assets_dir).resolve()
    return [FileStamp.of(root / ref.file) for ref in ex.images if not Path(ref.file).is_absolute()]


def _run_jobs(todo: list[_Source], options: BuildOptions, sheet: CardSheet,
              progress: Callable[[int, int], None] | None, done_before: int, total: int) -> None:
    """Run each source's job, in this process or in a pool; attach the results as they come."""
    args = [(i, s.exercise, options.assets_dir, options.out_dir, options.paper, sheet, options.theme,
             options.clinic) for i, s in enumerate(todo)]
    done = done_before
    if options.jobs <= 1 or len(todo) <= 1:
        for arg in args:
            todo[arg[0]].result = run_job(*arg)
            done += 1
            if progress:
                progress(done, total)
        return
    with worker_pool(min(options.jobs, len(todo)), args[0][2:]) as pool:
        pending = {pool.submit(_worker_job, i, exercise) for i, exercise, *_ in args}
        _collect(pool, pending, todo, progress, done, total)


def _worker_job(index: int, exercise: Exercise) -> JobResult:
    return run_job(index, exercise, *shared())


def _collect(pool, pending, todo: list[_Source], progress, done: int, total: int) -> None:
    """Attach results as workers finish them; on Ctrl-C, cancel what has not started."""
    try:
        for future in as_completed(pending):
            result = future.result()
            todo[result.index].result = result
            done += 1
            if progress:
                progress(done, total)
    except BaseException:
        for future in pending:
            future.cancel()
        raise


def build(options: BuildOptions, progress: Callable[[int, int], None] | None = None) -> BuildReport:
    """Build every handout and card file, then the deck; never raises for a problem in one exercise.

    *progress*, if given, is called with (done, total) after each exercise.
    """
    started = time.perf_counter()
    report = BuildReport()
    sheet = options.card_sheet()  # an unknown paper or an impossible card sheet: a usage error, before any work
    sources = [_Source(p, os.path.abspath(p), display_path(p)) for p in content_files(options)]
    for folder in ("", "handouts", "cards", ".cache", ".cache/pictures"):  # what a killed build left
        remove_stale_temporaries(Path(options.out_dir) / folder)
    manifest_path = output_path(options.out_dir, ".cache", "manifest.json")
    fingerprint = options_fingerprint(_settings(options))
    old = Manifest.load(manifest_path, fingerprint) if options.incremental else Manifest(fingerprint)
    new = Manifest(fingerprint)
    if options.files:  # a partial build keeps what it knows about the other files, and the programs
        new.entries = {k: e for k, e in old.entries.items() if k not in {s.key for s in sources}}
        new.programs = dict(old.programs)
    for source in sources:
        entry = old.entries.get(source.key)
        try:
            source.digest = file_hash(source.path)
        except OSError:
            source.digest = None
        if entry and source.digest and entry.up_to_date(source.digest):
            source.entry = entry
        else:
            _validate(source)
    _check_ids(sources)
    programs = read_programs(list(options.programs), {s.path.stem for s in sources})
    todo = [s for s in sources if s.exercise and not s.errors and not s.entry]
    unchanged = [s for s in sources if s.entry]
    try:
        _run_jobs(todo, options, sheet, progress, len(unchanged), len(unchanged) + len(todo))
    except BaseException:  # interrupted: record what was written, so the next build skips it
        _record(sources, options, old, new)
        new.programs = dict(old.programs)  # not reached: as the last build left them
        _save(new, manifest_path)
        raise
    _record(sources, options, old, new)
    _report(sources, report)
    if not options.files:
        _remove_orphans(sources, options, report)
    _deck(sources, options, sheet, old, new, report)
    try:  # interrupted or not, what was built is recorded
        _programs(sources, programs, options, sheet, report, old.programs, new.programs)
    finally:
        _save(new, manifest_path)
    report.seconds = time.perf_counter() - started
    return report


def _record(sources: list[_Source], options: BuildOptions, old: Manifest, new: Manifest) -> None:
    for source in sources:
        new.entries.pop(source.key, None)
        if source.entry:
            new.entries[source.key] = source.entry
        elif source.result and source.result.handout and source.digest:
            result, ex = source.result, source.exercise
            outputs = [p for p in (result.handout, result.cards) if p]
            new.entries[source.key] = Entry(
                source.digest, ex.id, _picture_stamps(ex, options.assets_dir),
                [FileStamp.of(p, with_hash=False) for p in outputs],
                [[w.path, w.line, w.field, w.message] for w in source.warnings + result.warnings],
                result.card_count)
    new.deck_sources, new.deck = old.deck_sources, old.deck


def _save(manifest: Manifest, path: Path) -> None:
    try:
        manifest.save(path)
    except HandoutsError:
        pass  # an unwritable cache costs the next build time, never this build's result


def _report(sources: list[_Source], report: BuildReport) -> None:
    """Every source's problems in content order; outputs and counts."""
    for source in sources:
        if source.entry:
            report.unchanged += 1
            report.warnings += source.entry.problems()
            continue
        report.warnings += source.warnings
        report.errors += source.errors
        result = source.result
        if result:
            report.warnings += result.warnings
            report.errors += result.errors
            if result.handout:
                report.written.append(result.handout)
            if result.cards:
                report.cards.append(result.cards)
                report.card_count += result.card_count
            if result.removed:
                report.removed.append(result.removed)
        if source.errors or (result and result.errors) or (not result and not source.entry):
            report.failed.append(source.shown)


def _deck(sources: list[_Source], options: BuildOptions, sheet: CardSheet, old: Manifest, new: Manifest,
          report: BuildReport) -> None:
    """Write the deck when any exercise's cards may have changed; remove it when no card is left."""
    if not options.deck:
        return
    deck_path = output_path(options.out_dir, "deck.pdf")
    with_cards = [s for s in sources if (s.entry and s.entry.cards) or (s.result and s.result.card_count)]
    # the deck is made from these files' bytes (with the options, already in the fingerprint):
    # if any differs from what the deck was last made from, the deck is out of date, however
    # the change came about (a partial build, an interrupted one, an edit)
    inputs = [[s.key, s.digest] for s in with_cards]
    if not with_cards:
        if not report.failed and remove_output(deck_path):
            report.removed.append(deck_path)
        new.deck_sources, new.deck = [], None
        return
    intact = old.deck is not None and old.deck.still_valid()
    if inputs == old.deck_sources and intact:
        new.deck_sources, new.deck = old.deck_sources, old.deck
        return
    cards = []
    for source in with_cards:
        exercise = source.exercise
        if exercise is None:  # unchanged: parse it again, its cards are part of the deck
            _validate(source)
            exercise = source.exercise
        if exercise is not None:
            cards += build_cards(in_clinic_language(exercise, options.clinic), sheet, options.theme)[0]
    exercises_in_deck = len({card.exercise_id for card in cards})
    atomic_write_bytes(deck_path, cards_pdf(cards, sheet, options.theme, card_info(
        f"FAQ card deck: {len(cards)} cards from {exercises_in_deck} exercises", sheet, by=author(options.clinic),
        lang=options.clinic.language if options.clinic else None),
        clinic_line(options.clinic), labels_for(options.clinic.language if options.clinic else None,
                                                options.theme.labels)), durable=False)
    report.deck = deck_path
    new.deck_sources, new.deck = inputs, FileStamp.of(deck_path, with_hash=False)


def _remove_orphans(sources: list[_Source], options: BuildOptions, report: BuildReport) -> None:
    """A whole-library build removes the handouts and cards of content files that are gone, so that
    nobody prints an exercise the library no longer has."""
    ids = {s.path.stem for s in sources}
    for folder in ("handouts", "cards"):
        path = Path(options.out_dir) / folder
        if path.is_dir():
            for pdf in sorted(path.glob("*.pdf")):
                if pdf.stem not in ids and remove_output(pdf):
                    report.removed_orphans.append(pdf)


def _program_inputs(source: ProgramSource, by_id: dict[str, _Source]) -> str | None:
    """A digest of what *program*'s PDF is made from (besides the options and pictures): its file,
    its date (today, when it gives none) and the content files of its exercises; None if one is unreadable."""
    program = source.program
    try:
        parts = [file_hash(source.path), program.date.isoformat()]
    except OSError:
        return None
    for item in program.items:
        digest = by_id[item.exercise_id].digest
        if digest is None:
            return None
        parts.append(f"{item.exercise_id}:{digest}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _programs(sources: list[_Source], programs: list[ProgramSource], options: BuildOptions, sheet: CardSheet,
              report: BuildReport, old: dict | None = None, new: dict | None = None) -> None:
    """Write every program read at the start, from the exercises validated (or parsed now) by this build.

    With the last build's program entries (*old*), programs that are up to date are skipped and
    every program built or kept is entered in *new*.  In a programs-only build the exercises are
    read here, as programs name them, and their problems are reported here too.
    """
    by_id = {s.path.stem: s for s in sources}
    record = None if old is None else ProgramRecord(
        old, new, partial(_program_inputs, by_id=by_id), lambda ex: _picture_stamps(ex, options.assets_dir))

    def exercise_for(exercise_id: str) -> Exercise | None:
        source = by_id[exercise_id]
        if source.exercise is None and not source.errors:  # not parsed yet (unchanged, or programs only)
            _validate(source)
            if options.program_only:
                report.warnings += source.warnings
                report.errors += source.errors
        return None if source.errors or (source.result and source.result.errors) else source.exercise

    write_programs(programs, exercise_for, options, sheet, report, record)
    if not options.files and not options.program_only:
        remove_stale_programs(options.out_dir, programs, report)


def build_programs(options: BuildOptions) -> BuildReport:
    """``handouts program FILE...``: just these programs, from the exercises they name."""
    started = time.perf_counter()
    report = BuildReport()
    sheet = options.card_sheet()
    sources = [_Source(p, os.path.abspath(p), display_path(p)) for p in content_files(options)]
    programs = read_programs(list(options.programs), {s.path.stem for s in sources})
    _programs(sources, programs, options, sheet, report)
    report.seconds = time.perf_counter() - started
    return report
