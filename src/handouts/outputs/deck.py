"""The deck: ``deck.pdf``, every card of the library in content order, on as few sheets as possible.

The deck is made in one task, in a worker process like any file, from the content files' bytes:
the build's own process parses nothing for it.  It lays each card out once per build and holds
one sheet's cards at a time, so its time grows with the number of cards and its memory does not.
Exercise by exercise, in content order, it parses the file, takes what fitting its cards
decided when its card file was made (:mod:`handouts.outputs.card_plans`; fitting them here
only when nothing of this exercise and these settings was kept), sets its cards, and draws
each sheet as it fills (:func:`handouts.render.exercise.deck_pdf`), each page compressed as it
ends (:mod:`handouts.render.page_streams`).

Every sheet says which of how many it is, before the next is drawn: the number of cards comes
from the build, which knows how many each card file holds (made or kept this build).  Should an
exercise give another number, or a kept plan not fit its exercise (the cache is never a source
of truth), the deck starts again the slow way: fitting every exercise's cards and counting them
first, then setting and drawing them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from handouts.content.exercise import Exercise
from handouts.errors import LayoutOverflowError, UnprintableTextError
from handouts.layout.card_plan import CardPlan
from handouts.outputs import card_plans
from handouts.outputs.base import Library, Made, Output, Planned, OutputSettings, Source, digest
from handouts.outputs.card_file import CARD_SETTINGS, card_target
from handouts.write import remove_stale_temporaries

if TYPE_CHECKING:
    from handouts.layout.cards import Card


class _Recount(Exception):
    """What an exercise gives is not what the deck was told, or a kept plan does not fit it."""


@dataclass(frozen=True)
class DeckTask:
    """The deck of *sources* (the exercises with cards, in content order), not parsed; *counts*, if
    known, how many cards each has (its card file's, made or kept this build)."""

    sources: tuple[Source, ...]
    counts: tuple[int, ...] | None = None

    def make(self, settings: OutputSettings) -> Made:
        remove_stale_temporaries(card_plans.plans_folder(settings.out_dir))  # what a killed build left there
        try:
            try:
                if self.counts is not None and len(self.counts) == len(self.sources):
                    return self._draw(self.counts, [None] * len(self.sources), settings)
                return self._counted(settings, kept=True)
            except _Recount:
                return self._counted(settings, kept=False)
        except (LayoutOverflowError, UnprintableTextError) as exc:  # its card file was made: it cannot be
            return Made(None, errors=tuple(exc.problems))

    def _counted(self, settings: OutputSettings, kept: bool) -> Made:
        """The slow way: every exercise's plan first (taken from the cache when *kept*), then the deck."""
        plans = [self._plan(exercise, settings, kept) if (exercise := _exercise(source)) else None
                 for source in self.sources]
        return self._draw([plan.count if plan else 0 for plan in plans], plans, settings)

    def _draw(self, counts: Sequence[int], plans: Sequence[CardPlan | None], settings: OutputSettings) -> Made:
        count = sum(counts)
        if not count:
            return Made(None)
        from handouts.render.exercise import deck_pdf  # not above: see handouts.outputs

        exercises = sum(1 for n in counts if n)
        pdf = deck_pdf(self._cards(counts, plans, settings), count, exercises, settings.sheet, settings.theme,
                       settings.clinic, settings.language)
        return Made(pdf, count=count)

    def _cards(self, counts: Sequence[int], plans: Sequence[CardPlan | None], settings: OutputSettings
               ) -> Iterator[Card]:
        """Every card, exercise by exercise, each parsed and set only when its turn comes; raises
        _Recount when one gives other than its count."""
        from handouts.render.exercise import card_layout, in_language  # not above: see handouts.outputs

        for source, count, plan in zip(self.sources, counts, plans):
            if not count:
                continue
            exercise = _exercise(source)
            if exercise is None:
                raise _Recount(source.shown)
            exercise = in_language(exercise, settings.language)
            plan = plan or card_plans.load(settings, exercise)
            try:  # with no plan kept, fitted and set at once (and its plan kept for the next build)
                layout, _ = card_layout(exercise, settings.sheet, settings.theme, plan)
            except (ValueError, UnprintableTextError) as exc:  # a kept plan for what fitting would refuse
                raise _Recount(source.shown) from exc
            if plan is None and layout.plan:
                card_plans.store(settings, exercise, layout.plan)
            if len(layout.cards) != count:
                raise _Recount(source.shown)
            yield from layout.cards

    @staticmethod
    def _plan(exercise: Exercise, settings: OutputSettings, kept: bool) -> CardPlan | None:
        """*exercise*'s plan (in the build's language): as its card file kept it (when *kept*), else
        fitted now and kept for the next build.  Raises LayoutOverflowError, UnprintableTextError."""
        from handouts.render.exercise import card_plan, in_language  # not above: see handouts.outputs

        exercise = in_language(exercise, settings.language)
        if kept and (plan := card_plans.load(settings, exercise)):
            return plan
        plan = card_plan(exercise, settings.sheet, settings.theme)
        if plan:
            card_plans.store(settings, exercise, plan)
        return plan


def _exercise(source: Source) -> Exercise | None:
    """*source*'s exercise, or None when it has errors: the one this process holds already, else parsed
    from its bytes now and not kept on it (the deck holds one exercise at a time)."""
    if source.parsed and source.errors:
        return None
    if source.value is not None:
        return source.value
    return source.parse()[0]


def with_cards(library: Library) -> list[Source]:
    """The exercises whose card files this build made or kept, in content order."""
    return [s for s in library.exercises if library.count(card_target(s))]


class Deck(Output):
    kind = "deck"
    settings_used = CARD_SETTINGS
    emptied = "no questions to print any more"

    def plan(self, library: Library) -> list[Planned]:
        sources = with_cards(library)
        if not sources and library.failed():
            return []  # the cards of the exercises that failed may still be in it: leave it until they are fixed
        # the deck is made from these files' bytes (the options are in the fingerprint): if any
        # differs from what it was last made from, it is out of date, however the change came about
        inputs = digest(*(f"{s.stem}:{s.digest}" for s in sources))  # ids, not paths: a moved project is up to date
        counts = tuple(library.count(card_target(s)) for s in sources)  # what each card file holds: see DeckTask
        return [Planned(self.kind, "deck.pdf", None, inputs, lambda: DeckTask(tuple(sources), counts))]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return "the deck" if built else None
