"""Handouts: ``handouts/<id>.pdf``, one page (two in large print) per exercise."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.content.exercise import Exercise
from handouts.errors import LayoutOverflowError, UnprintableTextError
from handouts.outputs.base import Library, Made, Output, Planned, OutputSettings, per_exercise, plural
from handouts.render.reads import recording


@dataclass(frozen=True)
class HandoutTask:
    exercise: Exercise

    def make(self, settings: OutputSettings) -> Made:
        # here, not above: see handouts.outputs
        from handouts.render.exercise import author, clinic_context, in_language, render_handout

        s = settings
        ex = in_language(self.exercise, s.language)
        try:
            context, _ = clinic_context(s.clinic, s.assets_dir, s.out_dir, s.theme)  # its warnings: once, by the CLI
            with recording() as reads:  # the pictures' stamps, from the bytes embedded
                pdf, warnings = render_handout(ex, s.assets_dir, s.out_dir, s.paper, s.theme, context,
                                               author(s.clinic))
        except (LayoutOverflowError, UnprintableTextError) as exc:
            return Made(None, errors=tuple(exc.problems))
        if s.thumbnails and ex.image:
            from handouts.render.catalogue import prepare_thumbnail

            prepare_thumbnail(ex.image, s.assets_dir)
        return Made(pdf, tuple(warnings), count=1, reads=tuple(reads.values()))


class Handouts(Output):
    kind = "handout"
    gone = "its content file is gone"
    settings_used = ("paper", "theme", "assets", "clinic", "language", "source_date_epoch")  # not the cards'

    def plan(self, library: Library) -> list[Planned]:
        return per_exercise(self.kind, "handouts", library, HandoutTask)

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return plural(built, "handout")
