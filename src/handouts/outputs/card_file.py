"""Card files: ``cards/<id>.pdf``, an exercise's FAQ as pocket cards imposed for duplex printing."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.content.exercise import Exercise
from handouts.errors import LayoutOverflowError
from handouts.outputs.base import Library, Made, Output, Planned, Prepared, Settings, Source, digest, plural
from handouts.render.exercise import build_cards, card_file_pdf, in_language


def card_target(source: Source) -> str:
    return f"cards/{source.stem}.pdf"


@dataclass(frozen=True)
class CardFileTask:
    exercise: Exercise

    def make(self, settings: Settings) -> Made:
        ex = in_language(self.exercise, settings.language)
        try:
            cards, warnings = build_cards(ex, settings.sheet, settings.theme)
        except LayoutOverflowError as exc:
            return Made(None, errors=tuple(exc.problems))
        if not cards:  # no FAQ (any more): the old card file goes, so nobody prints stale answers
            return Made(None, tuple(warnings))
        pdf = card_file_pdf(ex, cards, settings.sheet, settings.theme, settings.clinic)
        return Made(pdf, tuple(warnings), count=len(cards))


def _prepare(source: Source) -> Prepared:
    exercise = source.exercise()
    return () if exercise is None else CardFileTask(exercise)


class CardFiles(Output):
    kind = "cards"
    gone = "its content file is gone"
    emptied = "no questions to print any more"

    def plan(self, library: Library) -> list[Planned]:
        return [Planned(self.kind, card_target(s), s.key, digest(s.digest) if s.digest else None,
                        lambda s=s: _prepare(s))  # type: ignore[misc]
                for s in library.exercises]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return plural(count, "card")
