"""Clients' programs: ``programs/<name>.pdf``, a cover, a handout per exercise with its dose, and the cards.

Programs are read with the content, before anything is written, so a program that names
an exercise the library does not have is reported with the content's problems; they are
made after the handouts, from the same validated exercises.  A program whose exercise has
errors is not built: its PDF would lack a page the clinician chose.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from handouts.content.exercise import Exercise
from handouts.content.load import parse_file, read_file
from handouts.content.program import Program, Titles, validate_program
from handouts.errors import ContentError, Problem, UnprintableTextError, display_path
from handouts.outputs.base import (Library, Made, Output, OutputSettings, Planned, Prepared, SourceFile, digest,
                                   plural, same_id, why_not_a_file)
from handouts.render.reads import recording
from handouts.style.theme import Theme, large_print

if TYPE_CHECKING:
    from handouts.render.program import ProgramResult

@dataclass
class ProgramSource(SourceFile):
    """A program file, read with the content (before anything is written) and checked against its ids."""

    program: Program | None = None

    @classmethod
    def read(cls, path: Path, known_ids: set[str], titles: Titles = None) -> "ProgramSource":
        source = cls(Path(path), os.path.abspath(path), display_path(path), parsed=True)
        why = why_not_a_file(source.path, "program file")
        if why:
            source.errors.append(Problem(source.shown, None, None, why))
            return source
        try:  # the digest is of the very bytes parsed (saved again meanwhile, the next build sees it)
            raw = read_file(source.path)
            source.digest = hashlib.sha256(raw).hexdigest()
            source.program, source.warnings = validate_program(parse_file(raw, source.shown), source.path.stem,
                                                               known_ids, titles=titles)
        except ContentError as exc:
            source.warnings, source.errors = list(exc.warnings), list(exc.problems)
        return source

#: How a program says it waits for an exercise with mistakes: the front desk lists such programs
#: under the exercise's own problem instead of as problems of their own.
WAITING = "the program is built when it is fixed"


def _same_name(path: Path, named: set[str]) -> list[str]:
    """The other program files beside *path* with its name (``jane.yml`` for ``jane.yaml``) that are
    not among *named* (absolute paths) themselves, as shown."""
    try:
        return sorted(display_path(other) for other in Path(path).parent.iterdir()
                      if other.stem == Path(path).stem and other.suffix.lower() in (".yaml", ".yml")
                      and not other.name.startswith(".") and os.path.abspath(other) not in named)
    except OSError:
        return []


@dataclass(frozen=True)
class ProgramTask:
    program: Program
    exercises: dict[str, Exercise]
    with_exercise_warnings: bool  # `handouts program`: no handout build reports the exercises' own warnings

    def make(self, settings: OutputSettings) -> Made:
        s = settings
        theme = large_print(s.theme) if self.program.large_print else s.theme  # a client with low vision
        try:
            with recording() as reads:  # the pictures' stamps, from the bytes embedded
                pdf, result = self.render(settings, theme)
        except UnprintableTextError as exc:  # the client's name, or an exercise, in a script no font draws
            return Made(None, errors=tuple(exc.problems))
        warnings = list(result.warnings)
        if self.with_exercise_warnings:
            warnings += [w for w in result.exercise_warnings if w not in warnings]
        return Made(None if result.errors else pdf, tuple(warnings), tuple(result.errors), 1, tuple(reads.values()),
                    private=True)

    def render(self, settings: OutputSettings, theme: Theme) -> tuple[bytes, ProgramResult]:
        """The PDF of this edition (the print edition: Notes backs, cards for the build's sheet)."""
        from handouts.render.program import render_program  # here, not above: see handouts.outputs

        s = settings
        return render_program(self.program, self.exercises, s.clinic, s.assets_dir, s.out_dir, s.paper, s.sheet,
                              theme, s.language)


class Programs(Output):
    kind = "program"
    gone = "its program file is gone"
    folder: ClassVar[str] = "programs"                   # under the output folder
    task: ClassVar[type[ProgramTask]] = ProgramTask      # what makes one program's PDF

    def __init__(self, sources: list[ProgramSource], program_only: bool = False):
        self.sources, self.program_only = sources, program_only

    def plan(self, library: Library) -> list[Planned]:
        by_id = {s.stem: s for s in library.exercises}
        planned = []
        named = {os.path.abspath(source.path) for source in self.sources}
        for source in self.sources:
            others = _same_name(source.path, named)
            if others and not source.errors:  # `handouts program jane.yml` beside jane.yaml: whose is jane.pdf?
                source.program = None
                target = Path(library.settings.out_dir) / self.folder / f"{source.path.stem}.pdf"
                source.errors.append(same_id(source.shown, others, target))
            program = source.program
            inputs = None
            digests = [by_id[item.exercise_id].digest for item in program.items] if program else []
            if program is not None and source.digest and all(digests):  # its file, date (today if none), exercises
                inputs = digest(source.digest, program.date.isoformat(),
                                *(f"{item.exercise_id}:{d}" for item, d in zip(program.items, digests)))

            def prepare(source: ProgramSource = source) -> Prepared:
                if source.program is None:
                    return ()  # its own errors say why
                exercises, broken = {}, []
                for i, item in enumerate(source.program.items):
                    exercise = by_id[item.exercise_id].exercise()
                    if exercise is None:
                        why = f"exercise '{item.exercise_id}' has errors (reported above); {WAITING}"
                        broken.append(source.program.problem(source.program.item_field(i, "id"), why))
                    else:
                        exercises[item.exercise_id] = exercise
                return broken or self.task(source.program, exercises, self.program_only)

            planned.append(Planned(self.kind, f"{self.folder}/{source.path.stem}.pdf", source.key, inputs, prepare))
        return planned

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return plural(built, "program") if planned else None
