"""Reading a handout's lists back from the PDF in the order a reader meets them, and checking that order.

A handout's steps may run down one column, or down two even columns (left first), and on
to the back of the sheet; its tips may sit in the side column or in a full-width box of
two columns.  Rather than guess the columns of a page, each list item is found by its
marker (a bold "3." or a "•") and read down its own column: the lines that follow it at
the item's text indent, each within a line's height of the one before.

A reader's order is: a later page, or on the same page a column further right, or in the
same column further down.  Nothing of a list may continue above or to the left of where
the list starts on that page (its heading, or its first item on a page it continues on).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pdfplumber

MARKER_GAP = 40.0  # pt: the most a list marker stands from its text (a large-print hanging indent)
WORD_GAP = 16.0  # pt: words further apart than this on one line are in different columns (the gutter is 18)


@dataclass(frozen=True)
class Fragment:
    """A run of words on one line of one column."""

    page: int
    x0: float
    x1: float
    top: float
    size: float
    words: tuple[dict, ...]

    @property
    def text(self) -> str:
        return " ".join(w["text"] for w in self.words)


@dataclass(frozen=True)
class Item:
    """One list item as printed: where its marker is, and its text read down its column."""

    page: int
    x0: float
    top: float
    marker: str
    text: str
    lines: tuple[Fragment, ...]


@lru_cache(maxsize=64)
def fragments(path: Path) -> tuple[Fragment, ...]:
    """Every line fragment of every page, page by page, top to bottom, left to right."""
    out: list[Fragment] = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            words = page.extract_words(extra_attrs=["fontname", "size"], keep_blank_chars=False, use_text_flow=False)
            rows: dict[float, list[dict]] = {}  # by the words' foot: a smaller bullet shares its line's
            for word in words:
                key = next((k for k in rows if abs(k - word["bottom"]) < 2.0), word["bottom"])
                rows.setdefault(key, []).append(word)
            for top in sorted(rows):
                run: list[dict] = []
                for word in sorted(rows[top], key=lambda w: w["x0"]):
                    if run and word["x0"] - run[-1]["x1"] > WORD_GAP:
                        out.append(_fragment(number, run))
                        run = []
                    run.append(word)
                if run:
                    out.append(_fragment(number, run))
    return tuple(out)


def _fragment(page: int, words: list[dict]) -> Fragment:
    return Fragment(page, words[0]["x0"], words[-1]["x1"], min(w["top"] for w in words),
                    max(w["size"] for w in words), tuple(words))


def list_items(path: Path, marker: str, bold: bool = False) -> list[Item]:
    """The items whose first word matches *marker* (a regex), each read down its column, in the
    order of the pages and, on a page, top to bottom (not yet the reader's order: see :func:`follows`)."""
    frags = fragments(path)
    pattern = re.compile(marker)

    def starts_item(f: Fragment) -> bool:
        first = f.words[0]
        return bool(pattern.fullmatch(first["text"])) and (not bold or "Bold" in first["fontname"])

    def text_beside(marker: Fragment) -> Fragment | None:
        """A short number in an indent made for "16.": its text is a fragment further right."""
        return next((f for f in frags if f.page == marker.page and abs(f.top - marker.top) < 3
                     and 0 < f.x0 - marker.x1 < MARKER_GAP), None) if len(marker.words) == 1 else None

    firsts = {id(f) for f in (text_beside(m) for m in frags if starts_item(m)) if f is not None}
    items = []
    for frag in frags:
        if not starts_item(frag):
            continue
        if len(frag.words) == 1:
            beside = text_beside(frag)
            if beside is None:
                continue
            frag = Fragment(frag.page, frag.x0, beside.x1, frag.top, frag.size, frag.words + beside.words)
        text_x = frag.words[1]["x0"]
        lines = [frag]
        for other in frags:
            last = lines[-1]
            if other.page != frag.page or other.top <= last.top + 0.5 or starts_item(other) or id(other) in firsts:
                continue
            if abs(other.x0 - text_x) < 1.5 and other.top - last.top < 1.6 * last.size:
                lines.append(other)
        text = " ".join([" ".join(w["text"] for w in frag.words[1:])] + [f.text for f in lines[1:]])
        items.append(Item(frag.page, frag.x0, frag.top, frag.words[0]["text"], text, tuple(lines)))
    return items


def headings(path: Path, text: str) -> list[Fragment]:
    """The fragments that begin with the bold heading *text* ("Tips", "Tips (continued)")."""
    return [f for f in fragments(path) if f.text.startswith(text) and "Bold" in f.words[0]["fontname"]]


def follows(before: Item | Fragment, after: Item | Fragment) -> bool:
    """Whether a reader meets *after* after *before*: a later page, a column to the right, or lower down."""
    if after.page != before.page:
        return after.page > before.page
    if after.x0 > before.x0 + 20:
        return True
    return abs(after.x0 - before.x0) <= 20 and after.top > before.top


def squashed(text: str) -> str:
    """*text* without any space: the words of a line are found apart where a fallback font's run begins."""
    return re.sub(r"\s+", "", text)


def matched(items: list[Item], texts: list[str]) -> list[Item | None]:
    """For each of *texts* (in the content's order), the printed item whose text it is, or None."""
    by_text = {squashed(item.text): item for item in items}
    return [by_text.get(squashed(text)) for text in texts]


def out_of_order(items: list[Item]) -> list[tuple[str, str]]:
    """The pairs of consecutive items a reader would meet the wrong way round."""
    return [(a.marker, b.marker) for a, b in zip(items, items[1:]) if not follows(a, b)]


def above_or_left_of_start(start: Fragment | Item, items: list[Item]) -> list[str]:
    """The items on *start*'s page that sit above it or to the left of it."""
    return [i.marker for i in items
            if i.page == start.page and (i.top < start.top - 1.0 or i.x0 < start.x0 - 1.5)]
