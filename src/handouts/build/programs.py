"""The programs' share of a build: read every program first, write each PDF at the end.

Programs are read with the content, before anything is written, so a program that names
an exercise the library does not have is reported with the content's problems; they are
written after the handouts, from the same validated exercises.  A program whose
exercise has errors is not built (its PDF would lack a page the clinician chose).  A
whole-library build skips a program whose inputs are as the last build left them, so a
clinic with many clients' programs still rebuilds in a moment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from handouts.errors import ContentError, Problem, display_path
from handouts.build.manifest import FileStamp, ProgramEntry
from handouts.content.exercise import Exercise
from handouts.content.program import Program, load_program
from handouts.build.pool import shared, worker_pool
from handouts.render.program import run_program
from handouts.style.theme import large_print
from handouts.write import remove_output

PROGRAM_SUFFIXES = (".yaml", ".yml")


def programs_dir(content_dir: Path) -> Path:
    """Where programs live: ``programs/`` beside the content folder."""
    return Path(content_dir).resolve().parent / "programs"


def program_files(folder: Path) -> list[Path]:
    if not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in PROGRAM_SUFFIXES and p.is_file())


@dataclass
class ProgramSource:
    path: Path
    shown: str
    program: Program | None = None
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def read_programs(paths: list[Path], known_ids: set[str]) -> list[ProgramSource]:
    """Every program file read and checked against the ids the library has."""
    out = []
    for path in paths:
        source = ProgramSource(Path(path), display_path(path))
        if not source.path.is_file():
            source.errors.append(Problem(source.shown, None, None, "no such file"))
        else:
            try:
                source.program, source.warnings = load_program(source.path, known_ids)
            except ContentError as exc:
                source.warnings, source.errors = list(exc.warnings), list(exc.problems)
        out.append(source)
    return out


@dataclass
class ProgramRecord:
    """What a whole-library build knows of the last one, to skip programs that are up to date."""

    old: dict[str, ProgramEntry]
    new: dict[str, ProgramEntry]
    inputs_of: Callable[["ProgramSource"], str | None]   # a digest of everything the program is made from
    pictures_of: Callable[[Exercise], list[FileStamp]]


def write_programs(sources: list[ProgramSource], exercise_for, options, sheet, report,
                   record: ProgramRecord | None = None) -> None:
    """Build each valid program into ``OUT/programs/``; *exercise_for(id)* gives a validated exercise
    or None when its content file has errors.  Results go into *report* (a BuildReport).  With a
    *record*, a program whose inputs and PDF are as the last build left them is not built again.
    Programs to build are laid out in ``options.jobs`` processes, like exercises."""
    work: list[tuple[ProgramSource, str, str | None, dict[str, Exercise]]] = []
    for source in sources:
        report.warnings += source.warnings
        report.errors += source.errors
        if source.errors:
            report.failed.append(source.shown)
            continue
        program = source.program
        key = str(source.path.resolve())
        inputs = record.inputs_of(source) if record else None
        entry = record.old.get(key) if record else None
        if inputs and entry and entry.up_to_date(inputs):
            record.new[key] = entry
            report.warnings += entry.problems()
            report.unchanged += 1
            continue
        exercises, broken = {}, []
        for i, item in enumerate(program.items):
            exercise = exercise_for(item.exercise_id)
            if exercise is None:
                broken.append(program.problem(program.item_field(i, "id"),
                                              f"exercise '{item.exercise_id}' has errors (reported above); "
                                              f"the program is built when it is fixed"))
            else:
                exercises[item.exercise_id] = exercise
        if broken:
            report.errors += broken
            report.failed.append(source.shown)
        else:
            work.append((source, key, inputs, exercises))
    common = (options.clinic, options.assets_dir, options.out_dir, options.paper, sheet, options.theme)
    tasks = [(source.program, exercises) for source, _, _, exercises in work]
    if options.jobs > 1 and len(work) > 1:
        with worker_pool(min(options.jobs, len(work)), common) as pool:
            results = list(pool.map(_program_job, *zip(*tasks)))
    else:
        results = [_run(program, exercises, *common) for program, exercises in tasks]
    for (source, key, inputs, exercises), result in zip(work, results):
        report.warnings += result.warnings
        if options.program_only:  # no handout build reported the exercises' own warnings
            report.warnings += [w for w in result.exercise_warnings if w not in report.warnings]
        if result.path:
            report.programs.append(result.path)
            if record and inputs:
                pictures = [stamp for ex in exercises.values() for stamp in record.pictures_of(ex)]
                record.new[key] = ProgramEntry(inputs, FileStamp.of(result.path, with_hash=False), pictures,
                                               [[w.path, w.line, w.field, w.message] for w in result.warnings])
        if result.errors:
            report.errors += result.errors
            report.failed.append(source.shown)


def _run(program: Program, exercises: dict[str, Exercise], clinic, assets_dir, out_dir, paper, sheet, theme):
    """One program, in large print when it asks for it."""
    theme = large_print(theme) if program.large_print else theme
    return run_program(program, exercises, clinic, assets_dir, out_dir, paper, sheet, theme)


def _program_job(program: Program, exercises: dict[str, Exercise]):
    return _run(program, exercises, *shared())


def remove_stale_programs(out_dir: Path, sources: list[ProgramSource], report) -> None:
    """A whole-library build removes the PDFs of programs whose file is gone."""
    folder = Path(out_dir) / "programs"
    if not folder.is_dir():
        return
    names = {s.path.stem for s in sources}
    for pdf in sorted(folder.glob("*.pdf")):
        if pdf.stem not in names and remove_output(pdf):
            report.removed_programs.append(pdf)
