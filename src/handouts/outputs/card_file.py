"""Card files: ``cards/<id>.pdf``, an exercise's FAQ as pocket cards imposed for duplex printing."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.content.exercise import Exercise
from handouts.errors import LayoutOverflowError, UnprintableTextError
from handouts.outputs import card_plans
from handouts.outputs.base import Library, Made, Output, Planned, OutputSettings, Source, per_exercise, plural


#: What a card sheet is made with: the sheet, the type, the clinic's line and language (not the pictures).
CARD_SETTINGS = ("paper", "card_size", "flip", "fold", "back_offset_mm", "theme", "clinic", "language",
                 "source_date_epoch")


def card_target(source: Source) -> str:
    return f"cards/{source.stem}.pdf"


@dataclass(frozen=True)
class CardFileTask:
    """One exercise's card file; what fitting its cards decided is kept for the deck (:mod:`outputs.card_plans`)."""

    exercise: Exercise

    def make(self, settings: OutputSettings) -> Made:
        from handouts.render.exercise import card_file_pdf, card_layout, in_language  # not above: see handouts.outputs

        ex = in_language(self.exercise, settings.language)
        try:
            layout, warnings = card_layout(ex, settings.sheet, settings.theme)
        except (LayoutOverflowError, UnprintableTextError) as exc:
            return Made(None, errors=tuple(exc.problems))
        if not layout.cards:  # no FAQ (any more): the old card file goes, so nobody prints stale answers
            return Made(None, tuple(warnings))
        if layout.plan:
            card_plans.store(settings, ex, layout.plan)
        pdf = card_file_pdf(ex, layout.cards, settings.sheet, settings.theme, settings.clinic)
        return Made(pdf, tuple(warnings), count=len(layout.cards))


class CardFiles(Output):
    kind = "cards"
    gone = "its content file is gone"
    settings_used = CARD_SETTINGS
    emptied = "no questions to print any more"

    def plan(self, library: Library) -> list[Planned]:
        return per_exercise(self.kind, "cards", library, CardFileTask)

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return plural(count, "card")
