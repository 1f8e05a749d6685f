"""The deck: ``deck.pdf``, every card of the library in content order, on as few sheets as possible."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.layout.cards import Card
from handouts.outputs.base import Library, Made, Output, Planned, Prepared, OutputSettings, Source, digest
from handouts.outputs.card_file import CARD_SETTINGS, card_target
from handouts.render.exercise import lay_out_cards, deck_pdf, in_language


@dataclass(frozen=True)
class DeckTask:
    cards: tuple[Card, ...]

    def make(self, settings: OutputSettings) -> Made:
        if not self.cards:
            return Made(None)
        pdf = deck_pdf(list(self.cards), settings.sheet, settings.theme, settings.clinic, settings.language)
        return Made(pdf, count=len(self.cards))


def with_cards(library: Library) -> list[Source]:
    """The exercises whose card files this build made or kept, in content order."""
    return [s for s in library.exercises if library.count(card_target(s))]


def _cards(sources: list[Source], settings: OutputSettings) -> Prepared:
    """Every card of *sources*, laid out again (the card files were made in the workers)."""
    cards: list[Card] = []
    for source in sources:
        exercise = source.exercise()
        if exercise is not None:
            cards += lay_out_cards(in_language(exercise, settings.language), settings.sheet, settings.theme)[0]
    return DeckTask(tuple(cards))


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
        return [Planned(self.kind, "deck.pdf", None, inputs, lambda: _cards(sources, library.settings))]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return "the deck" if built else None
