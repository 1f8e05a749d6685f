"""What fitting an exercise's FAQ on cards decided, small enough to keep and to read back (no I/O).

Fitting is most of what laying cards out costs: every answer is set at each type size from
the largest down until the exercise needs no more cards than at the floor, and split where
it must continue; every question too (:func:`handouts.layout.cards.layout_cards`).  Its
outcome is a few numbers: the question size, the answer size, and where each answer is cut
between cards.  Given those, the cards are set once, at their sizes, exactly as fitting
would have set them; so the deck lays out each card once per build, taking from a card
file's making what it decided (:mod:`handouts.outputs.card_plans`).

A cut is a (piece, word) position in the answer's :func:`~handouts.layout.answer_parts.pieces`:
the card starts at that sentence (word 0), or inside it at that word, where
:func:`~handouts.layout.answer_parts.pack` had to split a sentence too long for one card.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from handouts.layout.answer_parts import Piece

Cut = tuple[int, int]  # (piece, word): where a card after an answer's first starts


@dataclass(frozen=True)
class CardPlan:
    """An exercise's fitted cards: one type size for its questions and one for its answers (pt), and
    per FAQ item (in order) where each card after the item's first starts."""

    question_size: float
    answer_size: float
    cuts: tuple[tuple[Cut, ...], ...]

    @property
    def count(self) -> int:
        """How many cards it makes: one per item, plus one per cut."""
        return sum(len(cuts) + 1 for cuts in self.cuts)


def cuts_of(whole: Sequence[Piece], chunks: Sequence[Sequence[Piece]]) -> tuple[Cut, ...]:
    """Where each of *chunks* after the first starts in *whole*, the answer's pieces.

    *chunks* are what :func:`~handouts.layout.answer_parts.pack` made of *whole*: its pieces in
    order, a piece too long for a card split into one piece per word.  Raises ValueError when
    they are not (the chunks do not cover *whole* exactly).
    """
    cuts: list[Cut] = []
    piece = word = 0
    for n, chunk in enumerate(chunks):
        if n:
            cuts.append((piece, word))
        for part in chunk:
            if piece >= len(whole):
                raise ValueError("the chunks run past the answer")
            if word == 0 and part == whole[piece]:
                piece += 1
                continue
            word += 1
            if word == len(whole[piece].text.split(" ")):
                piece, word = piece + 1, 0
    if (piece, word) != (len(whole), 0):
        raise ValueError("the chunks do not cover the answer")
    return tuple(cuts)


def chunks_from(whole: Sequence[Piece], cuts: Sequence[Cut]) -> list[list[Piece]]:
    """The chunks *cuts* make of *whole*: what each card prints of the answer.

    A sentence cut inside is one piece per side of the cut, its words joined by the spaces
    between them, so that :func:`~handouts.layout.answer_parts.blocks` makes of each chunk
    exactly what it makes of :func:`~handouts.layout.answer_parts.pack`'s.  Raises ValueError
    for cuts that do not fit *whole* (out of order, past its end, inside no sentence).
    """
    bounds = [(0, 0), *cuts, (len(whole), 0)]
    for (p0, w0), (p1, w1) in zip(bounds, bounds[1:]):
        if not (p0, w0) < (p1, w1) or p1 > len(whole) or (p1 < len(whole) and w1 >= len(whole[p1].text.split(" "))):
            raise ValueError(f"cut {(p1, w1)} does not fit an answer of {len(whole)} pieces")
    chunks = []
    for (piece, word), end in zip(bounds, bounds[1:]):
        chunk: list[Piece] = []
        while (piece, word) < end:
            part = whole[piece]
            if word == 0 and piece < end[0]:  # the whole sentence
                chunk.append(part)
                piece += 1
                continue
            words = part.text.split(" ")
            stop = end[1] if piece == end[0] else len(words)
            chunk.append(Piece(part.block, part.joint if word == 0 else " ", " ".join(words[word:stop])))
            piece, word = (piece + 1, 0) if stop == len(words) else (piece, stop)
        chunks.append(chunk)
    return chunks
