"""Handouts: ``handouts/<id>.pdf``, one page (two in large print) per exercise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handouts.content.exercise import Exercise
from handouts.errors import LayoutOverflowError
from handouts.outputs.base import Library, Made, Output, Planned, Prepared, Settings, Source, digest, plural
from handouts.render.exercise import author, build_handout, clinic_context, in_language


def picture_files(ex: Exercise, assets_dir: Path) -> tuple[Path, ...]:
    """The picture files *ex* names under the assets folder (what its handout reads besides its content)."""
    root = Path(assets_dir).resolve()
    return tuple(root / ref.file for ref in ex.images if not Path(ref.file).is_absolute())


@dataclass(frozen=True)
class HandoutTask:
    exercise: Exercise

    def make(self, settings: Settings) -> Made:
        s = settings
        ex = in_language(self.exercise, s.language)
        try:
            context, _ = clinic_context(s.clinic, s.assets_dir, s.out_dir, s.theme)  # its warnings: once, by the CLI
            pdf, warnings = build_handout(ex, s.assets_dir, s.out_dir, s.paper, s.theme, context, author(s.clinic))
        except LayoutOverflowError as exc:
            return Made(None, errors=tuple(exc.problems))
        return Made(pdf, tuple(warnings), count=1, reads=picture_files(ex, s.assets_dir))


def _prepare(source: Source) -> Prepared:
    """The task for *source*'s exercise, or no task (its own errors say why) when it has errors."""
    exercise = source.exercise()
    return () if exercise is None else HandoutTask(exercise)


class Handouts(Output):
    kind = "handout"
    gone = "its content file is gone"

    def plan(self, library: Library) -> list[Planned]:
        return [Planned(self.kind, f"handouts/{s.stem}.pdf", s.key, digest(s.digest) if s.digest else None,
                        lambda s=s: _prepare(s))  # type: ignore[misc]
                for s in library.exercises]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return plural(built, "handout")
