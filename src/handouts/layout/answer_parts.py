"""An answer in the parts a card can hold (no I/O, no measuring: the caller says what fits).

An answer is text whose line breaks are kept, a blank line starting a new paragraph, or the
points of a list, printed as bullets (:data:`handouts.content.answers.Answer`).  Either way
it is a sequence of blocks (paragraphs or points), each cut into :class:`Piece` s at its
sentence ends; :func:`pack` puts as many pieces on each card as fit, and :func:`blocks`
joins a card's pieces back into what it prints.  A piece remembers what joined it to the
one before (a space or a line break), so a line break typed is a line break on the card
however the answer is split; a point continued from the card before gets no second bullet,
so a bullet always marks where a point starts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from handouts.content.answers import Answer

#: Where an answer may go on to another card: after a sentence, or a clause that ends in ':' or ';'.
_SENTENCE_END = re.compile(r"(?<=[.!?…:;]) +")


@dataclass(frozen=True)
class Piece:
    """A sentence of an answer (or a word of one too long for a card)."""

    block: int  # the paragraph or point of the answer it is in, from 0
    joint: str  # what comes before it in its block: "" (it starts the block), " ", or line breaks ("\n")
    text: str


@dataclass(frozen=True)
class Block:
    """What one card prints of one paragraph or point: the whole of it, or a run of its sentences."""

    index: int    # the paragraph or point of the answer, from 0
    text: str     # its line breaks kept
    point: bool   # a point of a list: set with a hanging indent
    bullet: bool  # where the point starts, so printed after a bullet (not a point's continuation)


def pieces(answer: Answer) -> list[Piece]:
    """*answer*'s blocks (its points, or its paragraphs) cut at their sentence ends, in order."""
    out: list[Piece] = []
    for index, block in enumerate(answer if isinstance(answer, tuple) else answer.split("\n\n")):
        breaks: str | None = None  # None until the block's first piece; then the line breaks since the last
        for line in block.split("\n"):
            for sentence in filter(None, _SENTENCE_END.split(line.strip())):
                out.append(Piece(index, "" if breaks is None else breaks or " ", sentence))
                breaks = ""
            if breaks is not None:
                breaks += "\n"
    return out


def blocks(chunk: Sequence[Piece], listed: bool) -> list[Block]:
    """The blocks one card prints for *chunk*, consecutive pieces of an answer (a list's, if *listed*).

    A block's first piece on the card loses its joint: a card never starts with a space or an empty line."""
    out: list[Block] = []
    for piece in chunk:
        if out and out[-1].index == piece.block:
            last = out[-1]
            out[-1] = Block(last.index, last.text + piece.joint + piece.text, last.point, last.bullet)
        else:
            out.append(Block(piece.block, piece.text, listed, listed and piece.joint == ""))
    return out


def pack(parts: Sequence[Piece], fits: Callable[[list[Piece]], bool]) -> list[list[Piece]]:
    """*parts* on as few cards as *fits* allows, greedily and in order; a piece that fits no card on
    its own is split at its words (a single word always goes on: ReportLab breaks it if it must)."""
    chunks: list[list[Piece]] = []
    current: list[Piece] = []
    for piece in parts:
        if fits(current + [piece]):
            current.append(piece)
            continue
        if current:
            chunks.append(current)
            current = []
        if fits([piece]):
            current = [piece]
            continue
        for i, word in enumerate(piece.text.split(" ")):
            part = Piece(piece.block, piece.joint if i == 0 else " ", word)
            if fits(current + [part]) or not current:
                current.append(part)
            else:
                chunks.append(current)
                current = [part]
    if current:
        chunks.append(current)
    return chunks
