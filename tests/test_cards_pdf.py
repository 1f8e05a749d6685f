"""Read the pocket FAQ cards back and prove they line up when printed.

Every test here opens a real deck written by ``handouts.build.run.build`` for one sheet
configuration (Letter: every card size x long flip, short flip and fold-over; A4: the
business and A7 sizes x the same three modes; plus business cards with a back offset).

Where a card must be is computed here from the printed-card spec alone (paper and card
sizes in points, the grid of each size, cards abutting in a grid centred on the paper,
slots in reading order, the long/short/fold mapping of a front to its back), never from
``handouts.layout.card_sheet``.  Each character on a page is assigned to the card rectangle
that contains it, and the tests then show that:

* every question is on a front, in content order, and the back that the flip puts
  behind it (the question's centre mapped as the printer flips the paper) holds its
  answer, and all of the answer, continued over several cards where it must be;
* nothing is drawn within 0.3 in of the paper's edge, text stays inside its card's
  padding, crop marks never enter a card, and the fold line of a fold-over pair is dashed;
* page sizes and counts, viewer preferences, the back offset, type sizes, footers,
  printing notes, per-exercise card files, byte-identical rebuilds and accented text.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from conftest import EXERCISE_FILES, REPO, exercise_data, normalise
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.style.theme import DEFAULT_THEME

# --- the spec, in numbers ----------------------------------------------------------------------

INCH = 72.0
MM = INCH / 25.4
SAFE_EDGE = 0.3 * INCH  # 21.6 pt: nothing is drawn closer to the paper's edge
PAPERS = {"letter": (612.0, 792.0), "a4": (595.2756, 841.8898)}
CARD_SIZES = {"business": (3.5 * INCH, 2 * INCH), "index": (5 * INCH, 3 * INCH), "a7": (74 * MM, 105 * MM)}
DUPLEX_GRID = {"business": (2, 5), "index": (1, 3), "a7": (2, 2)}  # columns x rows, Letter and A4
FOLD_FACE = {"business": (3.5 * INCH, 2 * INCH), "index": (3 * INCH, 5 * INCH), "a7": (74 * MM, 105 * MM)}
FOLD_GRID = {"business": (1, 5), "index": (1, 2), "a7": (1, 2)}  # question-answer pairs across x down
FLOOR = {"business": 7.0, "index": 9.0, "a7": 8.0}  # smallest type size on a card
FLIPS = ("long", "short", "fold")

LONG = "long-shoulder-rehab"
LONG_QUESTION = 3  # FAQ item 4: the 190-word answer
SPANISH = "spanish-bridge"
NO_FAQ = "seated-knee-extension"
CONTINUED = "(continued)"
CONTINUES = re.compile(r"^continued on card (\d+)/(\d+)$")
FOOTER = re.compile(r"^(?P<title>.*\S)\s+(?P<k>\d+)/(?P<n>\d+)$")
TOL = 0.01  # points: positions are exact up to float noise
#: pdfplumber boxes a char by the font's ascent and descent (Atkinson: 0.95 and 0.29 em), not its
#: ink; the footer's descent reaches up to 0.8 pt into the padding though no glyph's ink does more
#: than 0.05 em (the font's lowest point is 0.25 em under the baseline).  Allowed, and no more.
PADDING_SLACK = 1.0


def padding(size: str) -> float:
    """The inner margin of a card face (theme data; the sheet geometry is not imported)."""
    return DEFAULT_THEME.card_style(size).padding


@dataclass(frozen=True)
class Config:
    """One way of building the deck."""

    paper: str
    size: str
    flip: str  # long | short | fold
    offset_mm: tuple[float, float] = (0.0, 0.0)

    @property
    def fold(self) -> bool:
        return self.flip == "fold"

    def __str__(self) -> str:
        offset = f"-offset{self.offset_mm[0]:g},{self.offset_mm[1]:g}" if any(self.offset_mm) else ""
        return f"{self.paper}-{self.size}-{self.flip}{offset}"


CONFIGS = [Config("letter", size, flip) for size in CARD_SIZES for flip in FLIPS] + [
    Config("a4", size, flip) for size in ("business", "a7") for flip in FLIPS]
BASE = Config("letter", "business", "long")
OFFSET = Config("letter", "business", "long", (2.0, -1.5))


@dataclass(frozen=True)
class Box:
    """A rectangle in pdfplumber's coordinates: x from the left, top and bottom from the top."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.top + self.bottom) / 2

    def moved(self, dx: float, dtop: float) -> "Box":
        return Box(self.x0 + dx, self.top + dtop, self.x1 + dx, self.bottom + dtop)

    def inset(self, d: float) -> "Box":
        return Box(self.x0 + d, self.top + d, self.x1 - d, self.bottom - d)

    def holds_point(self, x: float, top: float) -> bool:
        return self.x0 - TOL <= x <= self.x1 + TOL and self.top - TOL <= top <= self.bottom + TOL

    def holds(self, obj: dict, tol: float = TOL) -> bool:
        """Whether *obj*'s bounding box lies wholly inside (up to *tol*)."""
        return (obj["x0"] >= self.x0 - tol and obj["x1"] <= self.x1 + tol
                and obj["top"] >= self.top - tol and obj["bottom"] <= self.bottom + tol)

    def meets_inside(self, obj: dict) -> bool:
        """Whether *obj*'s bounding box (a point, a segment or a box) reaches into the open interior."""
        return (obj["x0"] < self.x1 - TOL and obj["x1"] > self.x0 + TOL
                and obj["top"] < self.bottom - TOL and obj["bottom"] > self.top + TOL)

    def touches(self, obj: dict) -> bool:
        """Whether *obj*'s bounding box meets the rectangle, its edges included."""
        return (obj["x0"] <= self.x1 + TOL and obj["x1"] >= self.x0 - TOL
                and obj["top"] <= self.bottom + TOL and obj["bottom"] >= self.top - TOL)


def bbox(objects) -> Box:
    return Box(min(o["x0"] for o in objects), min(o["top"] for o in objects),
               max(o["x1"] for o in objects), max(o["bottom"] for o in objects))


@dataclass(frozen=True)
class Layout:
    """Where the cards of one configuration must be, derived from the spec's numbers."""

    config: Config

    @property
    def paper(self) -> tuple[float, float]:
        return PAPERS[self.config.paper]

    @property
    def face(self) -> tuple[float, float]:
        return (FOLD_FACE if self.config.fold else CARD_SIZES)[self.config.size]

    @property
    def grid(self) -> tuple[int, int]:
        return (FOLD_GRID if self.config.fold else DUPLEX_GRID)[self.config.size]

    @property
    def per_sheet(self) -> int:
        return self.grid[0] * self.grid[1]

    @property
    def pages_per_sheet(self) -> int:
        return 1 if self.config.fold else 2

    @property
    def slot_width(self) -> float:
        return self.face[0] * (2 if self.config.fold else 1)

    @property
    def offset(self) -> tuple[float, float]:
        """The back offset in pdfplumber terms: points right, points down (PDF +y is up)."""
        dx, dy = self.config.offset_mm
        return dx * MM, -dy * MM

    @property
    def origin(self) -> tuple[float, float]:
        """The grid's top-left corner: the grid is centred on the paper."""
        (width, height), (columns, rows) = self.paper, self.grid
        return (width - columns * self.slot_width) / 2, (height - rows * self.face[1]) / 2

    def front(self, slot: int) -> Box:
        """The question face of *slot*: rows top to bottom, left to right within a row."""
        row, column = divmod(slot, self.grid[0])
        x0, top0 = self.origin
        w, h = self.face
        x, top = x0 + column * self.slot_width, top0 + row * h
        return Box(x, top, x + w, top + h)

    def back(self, slot: int) -> Box:
        """The answer face of *slot*: beside it (fold) or where the flip puts it on the back page."""
        front = self.front(slot)
        width, height = self.paper
        if self.config.fold:
            return front.moved(self.face[0], 0)
        if self.config.flip == "long":
            mirrored = Box(width - front.x1, front.top, width - front.x0, front.bottom)
        else:
            mirrored = Box(front.x0, height - front.bottom, front.x1, height - front.top)
        return mirrored.moved(*self.offset)

    def flip_point(self, x: float, top: float) -> tuple[float, float]:
        """Where a point of a front lands on the back: long x -> W - x, short y -> H - y, fold x -> x + w."""
        width, height = self.paper
        if self.config.fold:
            return x + self.face[0], top
        dx, dtop = self.offset
        if self.config.flip == "long":
            return width - x + dx, top + dtop
        return x + dx, height - top + dtop

    def fold_xs(self) -> list[float]:
        return sorted({self.front(slot).x1 for slot in range(self.per_sheet)}) if self.config.fold else []

    def rects(self, page_kind: str) -> list[Box]:
        """Every card rectangle on a page of this kind ('front', 'back' or 'fold')."""
        slots = range(self.per_sheet)
        if page_kind == "front":
            return [self.front(s) for s in slots]
        if page_kind == "back":
            return [self.back(s) for s in slots]
        return [self.front(s) for s in slots] + [self.back(s) for s in slots]

    def page_kind(self, index: int) -> str:
        if self.config.fold:
            return "fold"
        return "front" if index % 2 == 0 else "back"


# --- reading the PDF ---------------------------------------------------------------------------

@dataclass(frozen=True)
class TextLine:
    """Chars sharing a baseline, read left to right."""

    chars: tuple

    @property
    def text(self) -> str:
        text = ""
        for before, char in zip((None,) + self.chars[:-1], self.chars):
            # a visible gap with no space drawn (between the footer's title and number)
            if before and char["x0"] - before["x1"] > 0.2 * char["size"] and not text.endswith(" "):
                text += " "
            text += char["text"]
        return normalise(text)

    @property
    def sizes(self) -> set[float]:
        return {round(c["size"], 2) for c in self.chars}


def text_lines(chars) -> list[TextLine]:
    """Group *chars* into lines, top to bottom."""
    groups: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (-c["matrix"][5], c["x0"])):
        if groups and abs(groups[-1][0]["matrix"][5] - char["matrix"][5]) < 0.5:
            groups[-1].append(char)
        else:
            groups.append([char])
    return [TextLine(tuple(sorted(g, key=lambda c: c["x0"]))) for g in groups]


def is_note(line: TextLine) -> bool:
    return line.text == CONTINUED or bool(CONTINUES.match(line.text))


@dataclass(frozen=True)
class Face:
    """One side of a card as printed: its rectangle and the chars inside it."""

    box: Box
    chars: tuple

    @cached_property
    def lines(self) -> list[TextLine]:
        return text_lines(self.chars)

    @property
    def footer(self) -> TextLine:
        return self.lines[-1]

    @property
    def notes(self) -> list[str]:
        return [line.text for line in self.lines[:-1] if is_note(line)]

    @property
    def body_lines(self) -> list[TextLine]:
        """The question or answer: every line but the footer and the continuation notes."""
        return [line for line in self.lines[:-1] if not is_note(line)]

    @property
    def body_chars(self) -> list[dict]:
        return [c for line in self.body_lines for c in line.chars if c["text"].strip()]

    @property
    def text(self) -> str:
        return normalise(" ".join(line.text for line in self.body_lines))


@dataclass(frozen=True)
class Card:
    """A front and the back the layout puts behind it (beside it on a fold sheet)."""

    sheet: int
    slot: int
    front: Face
    back: Face


@dataclass(frozen=True)
class Page:
    """What pdfplumber sees on one page (parsed once)."""

    width: float
    height: float
    chars: tuple
    edges: tuple
    curves: tuple


def read_pages(path: Path) -> list[Page]:
    """Every page of the PDF at *path*."""
    with pdfplumber.open(path) as pdf:
        return [Page(float(p.width), float(p.height), tuple(p.chars), tuple(p.edges), tuple(p.curves))
                for p in pdf.pages]


def centre_of(obj: dict) -> tuple[float, float]:
    return (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2


def face_at(page: Page, box: Box) -> Face:
    """The chars of *page* whose centre lies in *box*."""
    return Face(box, tuple(c for c in page.chars if box.holds_point(*centre_of(c))))


def read_cards(pages: list[Page], layout: Layout) -> list[Card]:
    """Every card, sheet by sheet and slot by slot in reading order, until the first empty slot."""
    cards = []
    for sheet in range(len(pages) // layout.pages_per_sheet):
        front_page = pages[sheet * layout.pages_per_sheet]
        back_page = pages[sheet * layout.pages_per_sheet + layout.pages_per_sheet - 1]
        for slot in range(layout.per_sheet):
            front = face_at(front_page, layout.front(slot))
            if not front.chars:
                break
            cards.append(Card(sheet, slot, front, face_at(back_page, layout.back(slot))))
    return cards


@dataclass
class Deck:
    """One build of the test content, read back."""

    config: Config
    report: BuildReport
    out_dir: Path

    @cached_property
    def pages(self) -> list[Page]:
        return read_pages(self.report.deck)

    @property
    def layout(self) -> Layout:
        return Layout(self.config)

    @cached_property
    def cards(self) -> list[Card]:
        return read_cards(self.pages, self.layout)

    @cached_property
    def placed(self) -> list["Placed"]:
        return attribute(self.cards)


def build_deck(config: Config, out_dir: Path) -> Deck:
    """Build the test content (every exercise, in EXERCISE_FILES order) as *config* says."""
    report = build(BuildOptions(files=tuple(EXERCISE_FILES.values()), assets_dir=REPO / "assets", out_dir=out_dir,
                                paper=config.paper, card_size=config.size,
                                flip=config.flip if not config.fold else "long",
                                fold=config.fold, back_offset_mm=config.offset_mm))
    assert not report.errors and not report.failed, report.errors
    assert report.deck is not None
    return Deck(config, report, out_dir)


@pytest.fixture(scope="module")
def decks(tmp_path_factory):
    """Build each configuration once per module, on first use."""
    cache: dict[Config, Deck] = {}

    def get(config: Config) -> Deck:
        if config not in cache:
            cache[config] = build_deck(config, tmp_path_factory.mktemp(str(config)))
        return cache[config]
    return get


@pytest.fixture(scope="module", params=CONFIGS, ids=str)
def deck(request, decks) -> Deck:
    return decks(request.param)


@pytest.fixture(scope="module", params=CONFIGS + [OFFSET], ids=str)
def any_deck(request, decks) -> Deck:
    """Every configuration, and the business sheet with a back offset."""
    return decks(request.param)


# --- the content as typed ----------------------------------------------------------------------

@dataclass(frozen=True)
class Item:
    """One FAQ question and answer as typed in the YAML (whitespace collapsed)."""

    exercise_id: str
    index: int
    question: str
    answer: str


def faq_items() -> list[Item]:
    """Every FAQ item of the build, in content order (files in the order they were passed)."""
    return [Item(ex, i, normalise(item["question"]), normalise(item["answer"]))
            for ex in EXERCISE_FILES for i, item in enumerate(exercise_data(ex).get("faq") or [])]


@dataclass(frozen=True)
class Placed:
    """A printed card attributed to the FAQ item it shows, and which part of the answer it carries."""

    item: Item
    part: int
    card: Card


def attribute(cards: list[Card]) -> list[Placed]:
    """Walk the deck: a front marked "(continued)" carries on the item before; any other starts the next."""
    items, placed = iter(faq_items()), []
    for card in cards:
        if CONTINUED in card.front.notes and placed:
            placed.append(Placed(placed[-1].item, placed[-1].part + 1, card))
        else:
            item = next(items, None)
            assert item is not None, f"a card with no FAQ item left to show: {card.front.text!r}"
            placed.append(Placed(item, 1, card))
    return placed


def exercise_cards(deck: Deck, exercise_id: str) -> list[Placed]:
    """The deck's cards of one exercise, in order."""
    return [p for p in deck.placed if p.item.exercise_id == exercise_id]


def faces(deck: Deck):
    """Every printed face of the deck: each card's front, then its back."""
    for card in deck.cards:
        yield card.front
        yield card.back


# --- 1. fronts and backs line up ---------------------------------------------------------------

def test_every_question_is_in_the_deck_in_content_order(deck):
    firsts = [(p.item.exercise_id, p.item.index) for p in deck.placed if p.part == 1]
    assert firsts == [(i.exercise_id, i.index) for i in faq_items()]
    for p in deck.placed:
        assert p.card.front.text == p.item.question, (p.item, p.part)


def test_the_flip_puts_each_answer_behind_its_question(deck):
    """The question's centre, flipped as the printer flips the sheet, lands on the card with its answer."""
    layout = deck.layout
    back_pages = {}
    for sheet in range(len(deck.pages) // layout.pages_per_sheet):
        page = deck.pages[sheet * layout.pages_per_sheet + layout.pages_per_sheet - 1]
        back_pages[sheet] = [face_at(page, layout.back(slot)) for slot in range(layout.per_sheet)]
    remaining: dict[Item, str] = {}
    for p in deck.placed:
        x, top = bbox(p.card.front.body_chars).centre
        landing = [face for face in back_pages[p.card.sheet] if face.box.holds_point(*layout.flip_point(x, top))]
        assert len(landing) == 1, f"{p.item.question!r} flips onto {len(landing)} cards"
        answer_text = landing[0].text
        left = remaining.get(p.item, p.item.answer)
        assert answer_text and left.startswith(answer_text), (
            f"behind {p.item.question!r} (part {p.part}): {answer_text[:60]!r}, expected the start of {left[:60]!r}")
        remaining[p.item] = left[len(answer_text):].strip()
    assert {item: rest for item, rest in remaining.items() if rest} == {}, "answer text missing from the deck"


def test_empty_slots_have_empty_backs_and_only_the_last_sheet_is_short(deck):
    layout = deck.layout
    sheets = Counter(card.sheet for card in deck.cards)
    assert len(deck.pages) == layout.pages_per_sheet * len(sheets)
    assert all(sheets[s] == layout.per_sheet for s in range(len(sheets) - 1))
    last = len(sheets) - 1
    page = deck.pages[-1]
    for slot in range(sheets[last], layout.per_sheet):
        assert not face_at(deck.pages[last * layout.pages_per_sheet], layout.front(slot)).chars
        assert not face_at(page, layout.back(slot)).chars


# --- 2. text placement -------------------------------------------------------------------------

def test_text_is_inside_a_card_padding_or_in_the_margin_note(any_deck):
    layout, pad = any_deck.layout, padding(any_deck.config.size)
    width, height = layout.paper
    safe = Box(SAFE_EDGE, SAFE_EDGE, width - SAFE_EDGE, height - SAFE_EDGE)
    problems = []
    for index, page in enumerate(any_deck.pages):
        rects = layout.rects(layout.page_kind(index))
        for char in page.chars:
            if not char["text"].strip():
                continue
            holders = [r for r in rects if r.holds_point(*centre_of(char))]
            where = f"page {index + 1}: {char['text']!r} at ({char['x0']:.2f}, {char['top']:.2f})"
            if not safe.holds(char, tol=0):
                problems.append(f"{where} is within 0.3 in of the edge")
            if len(holders) > 1:
                problems.append(f"{where} is on {len(holders)} cards")
            elif holders and not holders[0].holds(char):
                problems.append(f"{where} is cut by the edge of card {holders[0]}")
            elif holders and not holders[0].inset(pad).holds(char, tol=PADDING_SLACK):
                problems.append(f"{where} is outside the padding of card {holders[0]}")
            elif not holders and any(r.meets_inside(char) for r in rects):
                problems.append(f"{where} (margin note) reaches into a card")
    assert problems == []


def test_every_page_has_its_printing_note_in_the_margin(any_deck):
    layout = any_deck.layout
    sheets = len(any_deck.pages) // layout.pages_per_sheet
    for index, page in enumerate(any_deck.pages):
        kind, sheet = layout.page_kind(index), index // layout.pages_per_sheet + 1
        rects = layout.rects(kind)
        grid_top = min(r.top for r in rects)
        margin = [c for c in page.chars if not any(r.holds_point(*centre_of(c)) for r in rects)]
        notes = text_lines(margin)
        above = [line.text for line in notes if line.chars[0]["bottom"] <= grid_top]
        below = [line.text for line in notes if line.chars[0]["bottom"] > grid_top]
        if kind == "front":
            assert above == [f"Sheet {sheet} of {sheets}: fronts (questions)"]
            assert below == [f"Print at actual size (100%), double-sided, flip on {any_deck.config.flip} edge."]
        elif kind == "back":  # above the backs, or below them where an offset leaves no room above
            assert above + below == [f"Sheet {sheet} of {sheets}: backs (answers)"]
        else:
            assert len(above) == 1 and above[0].startswith(f"Sheet {sheet} of {sheets}: ")
            assert "fold-over cards" in above[0]
            assert len(below) == 1 and "fold on the dashed line" in below[0]
            assert "one-sided" in below[0] and "100%" in below[0]


def test_short_texts_are_centred_on_their_card_both_ways(deck):
    """Faces whose question or answer takes under a third of the card's height, without notes.

    Vertically the box is the font's ascent to its descent, not the ink, so a quarter em of
    slack (2-4.5 pt at card sizes); horizontally a point.
    """
    checked = 0
    for face in faces(deck):
        if face.notes:
            continue
        text = bbox(face.body_chars)
        if text.bottom - text.top > (face.box.bottom - face.box.top) / 3:
            continue
        checked += 1
        (x, y), (cx, cy) = text.centre, face.box.centre
        size = max(c["size"] for c in face.body_chars)
        assert abs(x - cx) <= 1.0 and abs(y - cy) <= 0.25 * size, (
            f"{face.text!r} centred at ({x - cx:+.2f}, {y - cy:+.2f}) at {size} pt")
    assert checked >= 5


# --- 3. lines ----------------------------------------------------------------------------------

def test_lines_keep_off_the_edge_and_out_of_the_cards(any_deck):
    """Crop marks stay clear of every card, edges included; only the fold line lies on a card's edge."""
    layout = any_deck.layout
    width, height = layout.paper
    fold_xs = layout.fold_xs()
    problems = []
    for index, page in enumerate(any_deck.pages):
        assert page.edges, f"page {index + 1} has no crop marks"
        rects = layout.rects(layout.page_kind(index))
        for edge in page.edges:
            where = (f"page {index + 1}: line ({edge['x0']:.2f}, {edge['top']:.2f})"
                     f"-({edge['x1']:.2f}, {edge['bottom']:.2f})")
            if (edge["x0"] < SAFE_EDGE - TOL or edge["top"] < SAFE_EDGE - TOL
                    or edge["x1"] > width - SAFE_EDGE + TOL or edge["bottom"] > height - SAFE_EDGE + TOL):
                problems.append(f"{where} is within 0.3 in of the edge")
            on_fold = edge["orientation"] == "v" and any(abs(edge["x0"] - x) < TOL for x in fold_xs)
            if on_fold and any(r.meets_inside(edge) for r in rects):
                problems.append(f"{where} (on a fold) crosses a card")
            elif not on_fold and any(r.touches(edge) for r in rects):
                problems.append(f"{where} enters or runs along a card")
        for curve in page.curves:
            if any(not (SAFE_EDGE <= x <= width - SAFE_EDGE and SAFE_EDGE <= y <= height - SAFE_EDGE)
                   for x, y in curve["pts"]):
                problems.append(f"page {index + 1}: a curve within 0.3 in of the edge")
    assert problems == []


def test_crop_marks_are_short_black_and_continue_every_cut(any_deck):
    """Each cut (every card edge but a fold) is continued by a mark in the margin, on both sides of the grid."""
    layout = any_deck.layout
    fold_xs = layout.fold_xs()
    for index, page in enumerate(any_deck.pages):
        rects = layout.rects(layout.page_kind(index))
        marks = [e for e in page.edges
                 if not (e["orientation"] == "v" and any(abs(e["x0"] - x) < TOL for x in fold_xs))]
        for mark in marks:
            assert mark["stroking_color"] in ((0.0, 0.0, 0.0), (0,), 0, [0.0, 0.0, 0.0]), mark["stroking_color"]
            assert mark["dash"] is None
            assert max(mark["x1"] - mark["x0"], mark["bottom"] - mark["top"]) <= 0.5 * INCH
        grid = bbox([r.__dict__ for r in rects])
        for x in {r.x0 for r in rects} | {r.x1 for r in rects}:
            if any(abs(x - fold) < TOL for fold in fold_xs):
                continue
            vertical = [m for m in marks if m["orientation"] == "v" and abs(m["x0"] - x) < TOL]
            assert any(m["bottom"] < grid.top for m in vertical) and any(m["top"] > grid.bottom for m in vertical), (
                f"page {index + 1}: no crop marks continue the cut at x={x:.2f}")
        for top in {r.top for r in rects} | {r.bottom for r in rects}:
            horizontal = [m for m in marks if m["orientation"] == "h" and abs(m["top"] - top) < TOL]
            assert any(m["x1"] < grid.x0 for m in horizontal) and any(m["x0"] > grid.x1 for m in horizontal), (
                f"page {index + 1}: no crop marks continue the cut at top={top:.2f}")


@pytest.mark.parametrize("config", [c for c in CONFIGS if c.fold], ids=str)
def test_fold_line_is_dashed_and_spans_each_pair(decks, config):
    deck = decks(config)
    layout = deck.layout
    for index, page in enumerate(deck.pages):
        for slot in range(layout.per_sheet):
            pair = layout.front(slot)
            dashed = [e for e in page.edges if e["orientation"] == "v" and abs(e["x0"] - pair.x1) < TOL
                      and e["dash"] and e["top"] <= pair.top + TOL and e["bottom"] >= pair.bottom - TOL]
            assert dashed, f"page {index + 1}, slot {slot}: no dashed fold line at x={pair.x1:.2f}"


def test_letter_business_grid_sits_on_avery_5371(decks):
    """0.75 in from the left, 0.5 in from the top: the cut lines are at these exact positions."""
    page = decks(BASE).pages[0]
    xs = sorted({round(e["x0"], 2) for e in page.edges if e["orientation"] == "v"})
    tops = sorted({round(e["top"], 2) for e in page.edges if e["orientation"] == "h"})
    assert xs == [54.0, 306.0, 558.0]
    assert tops == [36.0 + 144.0 * row for row in range(6)]


# --- 4, 5. pages and viewer preferences --------------------------------------------------------

def test_page_size_and_count(deck):
    layout = deck.layout
    assert deck.report.card_count == len(deck.cards)
    assert {(round(p.width, 2), round(p.height, 2)) for p in deck.pages} == {
        tuple(round(v, 2) for v in layout.paper)}
    assert len(deck.pages) == layout.pages_per_sheet * math.ceil(deck.report.card_count / layout.per_sheet)


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_viewer_preferences_ask_for_actual_size_and_the_right_duplex(decks, config):
    deck = decks(config)
    expected = {"long": "/DuplexFlipLongEdge", "short": "/DuplexFlipShortEdge", "fold": "/Simplex"}[config.flip]
    for path in [deck.report.deck, *deck.report.cards]:
        preferences = PdfReader(path).trailer["/Root"]["/ViewerPreferences"]
        assert preferences["/PrintScaling"] == "/None"
        assert preferences["/Duplex"] == expected


# --- 6. back offset ----------------------------------------------------------------------------

def test_back_offset_moves_every_back_card_and_nothing_on_the_fronts(decks):
    plain, moved = decks(BASE), decks(OFFSET)
    assert len(plain.pages) == len(moved.pages)
    layout = plain.layout
    for index, (before, after) in enumerate(zip(plain.pages, moved.pages)):
        assert [c["text"] for c in before.chars] == [c["text"] for c in after.chars]
        if layout.page_kind(index) == "front":
            assert [(c["x0"], c["top"]) for c in before.chars] == [(c["x0"], c["top"]) for c in after.chars]
            continue
        in_cards = 0
        for a, b in zip(before.chars, after.chars):
            if any(r.holds_point(*centre_of(a)) for r in layout.rects("back")):
                in_cards += 1
                assert b["x0"] - a["x0"] == pytest.approx(2 * MM, abs=1e-3)
                assert b["top"] - a["top"] == pytest.approx(1.5 * MM, abs=1e-3)
        assert in_cards > 100


# --- 7. continued answers ----------------------------------------------------------------------

@pytest.mark.parametrize("config", [c for c in CONFIGS if c.size == "business"], ids=str)
def test_a_190_word_answer_continues_on_further_business_cards(decks, config):
    deck = decks(config)
    item = faq_items()[[(i.exercise_id, i.index) for i in faq_items()].index((LONG, LONG_QUESTION))]
    assert len(item.answer.split()) == 190
    parts = [p for p in deck.placed if p.item == item]
    assert [p.part for p in parts] == list(range(1, len(parts) + 1)) and len(parts) >= 2
    cards = [p.card for p in parts]
    assert cards[0].front.notes == []
    for before, after in zip(cards, cards[1:]):
        assert after.front.notes == [CONTINUED]
        assert after.front.lines[-2].text == CONTINUED  # under the repeated question
        number = FOOTER.match(after.front.footer.text)
        assert before.back.notes[-1] == f"continued on card {number['k']}/{number['n']}"
        assert before.back.lines[-2].text == before.back.notes[-1]  # at the end of the answer
        assert after.back.lines[0].text == CONTINUED  # the next back starts with it
    assert cards[-1].back.notes == [CONTINUED]
    assert normalise(" ".join(c.back.text for c in cards)) == item.answer
    others = [p for p in deck.placed if p.item != item]
    assert all(not p.card.front.notes and not p.card.back.notes for p in others)


@pytest.mark.parametrize("config", [c for c in CONFIGS if c.size == "index"], ids=str)
def test_on_index_cards_the_long_answer_takes_fewer_cards(decks, config):
    deck = decks(config)
    business = decks(next(c for c in CONFIGS if c.size == "business" and c.paper == config.paper))
    long_index = [p for p in deck.placed if p.item.index == LONG_QUESTION and p.item.exercise_id == LONG]
    long_business = [p for p in business.placed if p.item.index == LONG_QUESTION and p.item.exercise_id == LONG]
    assert len(long_index) < len(long_business)
    others = [p for p in deck.placed if p.item.index != LONG_QUESTION or p.item.exercise_id != LONG]
    assert all(p.part == 1 and not p.card.front.notes and not p.card.back.notes for p in others)


def test_no_answer_word_is_lost(deck):
    """Each answer, read over all its cards' backs (notes and footers left out), is the answer as typed."""
    read: dict[Item, list[str]] = {}
    for p in deck.placed:
        read.setdefault(p.item, []).append(p.card.back.text)
    assert {item: normalise(" ".join(parts)) for item, parts in read.items()} == {
        item: item.answer for item in faq_items()}


# --- 8, 9. type and footers --------------------------------------------------------------------

def base_font(char: dict) -> str:
    """The font name without its subset prefix ('AAAAAA+')."""
    return char["fontname"].split("+", 1)[-1]


def test_questions_bold_answers_regular_never_below_the_floor(deck):
    floor = FLOOR[deck.config.size]
    for card in deck.cards:
        for face, weight in ((card.front, "Bold"), (card.back, "Regular")):
            fonts = {base_font(c) for c in face.body_chars}
            assert fonts and all(re.fullmatch(rf"Atkinson\w*-{weight}", f) for f in fonts), (face.text[:40], fonts)
            assert min(c["size"] for c in face.body_chars) >= floor - 1e-6, face.text[:40]


@dataclass(frozen=True)
class Footer:
    """A face's footer line, split: the title as printed and the card number 'k/n'."""

    title: str
    number: str


def footer_of(face: Face) -> Footer:
    match = FOOTER.match(face.footer.text)
    assert match, f"no 'k/n' at the end of the footer {face.footer.text!r}"
    return Footer(match["title"], f"{match['k']}/{match['n']}")


def test_every_face_has_its_exercise_title_and_number(deck):
    pad = padding(deck.config.size)
    for exercise_id in EXERCISE_FILES:
        placed = exercise_cards(deck, exercise_id)
        title = normalise(exercise_data(exercise_id)["title"])
        for k, p in enumerate(placed, start=1):
            for face in (p.card.front, p.card.back):
                footer = footer_of(face)
                assert footer.number == f"{k}/{len(placed)}"
                assert footer.title == title or (
                    footer.title.endswith("…") and title.startswith(footer.title[:-1].rstrip())), footer.title
                chars = [c for c in face.footer.chars if c["text"].strip()]
                assert chars[0]["x0"] == pytest.approx(face.box.x0 + pad, abs=1.0)  # title at the left
                assert chars[-1]["x1"] == pytest.approx(face.box.x1 - pad, abs=1.0)  # number at the right
                assert face.footer.chars[0]["bottom"] > max(c["bottom"] for c in face.body_chars)


def test_long_titles_are_shortened_with_an_ellipsis_on_a7(decks):
    deck = decks(Config("letter", "a7", "long"))
    titles = {footer_of(p.card.front).title for p in exercise_cards(deck, LONG)}
    assert len(titles) == 1 and titles.pop().endswith("…")


@pytest.mark.parametrize("size", CARD_SIZES)
def test_footer_and_notes_are_never_below_the_floor(decks, size):
    deck = decks(Config("letter", size, "long"))
    for face in faces(deck):
        small = [line for line in face.lines if line is face.footer or is_note(line)]
        assert min(min(line.sizes) for line in small) >= FLOOR[size] - 1e-6, face.footer.text


# --- 10. which exercises get cards -------------------------------------------------------------

def test_card_files_for_exercises_with_a_faq_only(deck):
    with_faq = [ex for ex in EXERCISE_FILES if exercise_data(ex).get("faq")]
    assert NO_FAQ in EXERCISE_FILES and NO_FAQ not in with_faq
    assert deck.report.cards == [deck.out_dir / "cards" / f"{ex}.pdf" for ex in with_faq]
    assert not (deck.out_dir / "cards" / f"{NO_FAQ}.pdf").exists()
    assert deck.report.deck == deck.out_dir / "deck.pdf"
    assert (deck.out_dir / "handouts" / f"{NO_FAQ}.pdf").exists()  # it still gets its handout
    no_faq_title = normalise(exercise_data(NO_FAQ)["title"])
    assert all(no_faq_title not in line.text for face in faces(deck) for line in face.lines)
    face_count = sum(1 for page_index, page in enumerate(deck.pages)
                     for box in deck.layout.rects(deck.layout.page_kind(page_index)) if face_at(page, box).chars)
    assert deck.report.card_count * 2 == face_count


@pytest.mark.parametrize("config", [BASE, Config("letter", "business", "short"), Config("letter", "index", "fold"),
                                    Config("a4", "a7", "long"), Config("a4", "business", "fold")], ids=str)
def test_each_card_file_holds_that_exercises_cards_as_in_the_deck(decks, config):
    deck = decks(config)
    for path in deck.report.cards:
        exercise_id = Path(path).stem
        cards = read_cards(read_pages(path), deck.layout)
        expected = [p.card for p in exercise_cards(deck, exercise_id)]
        assert [(c.front.text, c.back.text, c.front.footer.text, c.back.footer.text) for c in cards] == [
            (c.front.text, c.back.text, c.front.footer.text, c.back.footer.text) for c in expected]


# --- 11, 12. determinism and accents -----------------------------------------------------------

@pytest.mark.parametrize("config", [BASE, Config("letter", "index", "fold"), OFFSET], ids=str)
def test_rebuilding_gives_identical_bytes(decks, config, tmp_path):
    first = decks(config)
    again = build_deck(config, tmp_path)
    assert again.report.deck.read_bytes() == first.report.deck.read_bytes()
    for a, b in zip(again.report.cards, first.report.cards, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_spanish_accents_come_through(deck):
    placed = exercise_cards(deck, SPANISH)
    fronts = " ".join(p.card.front.text for p in placed)
    backs = " ".join(p.card.back.text for p in placed)
    assert "¿Cuántas repeticiones debo hacer?" in fronts

    def accented(text):
        return {c for c in text if not c.isascii()}

    typed = [(normalise(i["question"]), normalise(i["answer"])) for i in exercise_data(SPANISH)["faq"]]
    assert accented(fronts) == accented(" ".join(q for q, _ in typed)) >= set("¿áéíó")
    assert accented(backs) == accented(" ".join(a for _, a in typed)) >= set("¡áéíóú")
    assert footer_of(placed[0].card.front).title == "Puente de glúteos"


# --- 13. line breaks and lists in answers (issue 13, part 6) -----------------------------------

LINES = REPO / "tests" / "data" / "line-breaks" / "standing-balance-week.yaml"
LINES_CONFIGS = [BASE, Config("letter", "index", "fold"), Config("a4", "a7", "short")]
BULLET = "•"


@pytest.fixture(scope="module")
def lines_decks(tmp_path_factory):
    """The line-breaks exercise's own cards, built once per configuration."""
    cache: dict[Config, Deck] = {}

    def get(config: Config) -> Deck:
        if config not in cache:
            out_dir = tmp_path_factory.mktemp(f"lines-{config}")
            report = build(BuildOptions(files=(LINES,), assets_dir=REPO / "assets", out_dir=out_dir,
                                        paper=config.paper, card_size=config.size, fold=config.fold,
                                        flip=config.flip if not config.fold else "long"))
            assert report.ok and report.warnings == [], report.errors + report.warnings
            cache[config] = Deck(config, report, out_dir)
        return cache[config]
    return get


def lines_faq() -> list[dict]:
    import yaml

    return yaml.safe_load(LINES.read_text(encoding="utf-8"))["faq"]


def answer_cards(deck: Deck, question: str) -> list[Card]:
    """The cards that carry *question*'s answer, in order (the first, then those marked continued)."""
    cards = [c for c in deck.cards if c.front.text == question]
    assert cards, f"no card asks {question!r}"
    return cards


def points_read(cards: list[Card]) -> tuple[list[str], list[TextLine]]:
    """The bullet points printed on *cards*' backs, in order (a line starting with the bullet starts a
    point; any other line continues the point before it), and every body line read."""
    points: list[str] = []
    lines = [line for card in cards for line in card.back.body_lines]
    for line in lines:
        if line.text.startswith(BULLET):
            points.append(line.text.removeprefix(BULLET).strip())
        else:
            assert points, f"{line.text!r} comes before the first bullet"
            points[-1] += " " + line.text
    return points, lines


@pytest.mark.parametrize("config", LINES_CONFIGS, ids=str)
def test_an_answer_of_three_lines_prints_three_left_aligned_lines(lines_decks, config):
    deck = lines_decks(config)
    (card,) = answer_cards(deck, "Which days should I practise?")
    lines = card.back.body_lines
    assert [line.text for line in lines] == ["Monday: both feet", "Wednesday: one foot", "Friday: rest"]
    assert max(line.chars[0]["x0"] for line in lines) - min(line.chars[0]["x0"] for line in lines) < TOL
    x, _ = bbox(card.back.body_chars).centre  # the block of lines is centred on the card
    assert abs(x - card.back.box.centre[0]) <= 1.0


@pytest.mark.parametrize("config", LINES_CONFIGS, ids=str)
def test_a_list_answer_prints_as_bullets_with_a_hanging_indent(lines_decks, config):
    deck = lines_decks(config)
    typed = lines_faq()[1]["answer"]
    cards = answer_cards(deck, "What should I have nearby?")
    points, lines = points_read(cards)
    assert points == typed
    bullets = [line.chars[0] for line in lines if line.text.startswith(BULLET)]
    assert len(bullets) == len(typed) and max(b["x0"] for b in bullets) - min(b["x0"] for b in bullets) < TOL
    size = bullets[0]["size"]
    text_x = {round(next(c for c in line.chars[1:] if c["text"].strip())["x0"], 1) if line.text.startswith(BULLET)
              else round(line.chars[0]["x0"], 1) for line in lines}
    assert len(text_x) == 1, f"the points' text and their wrapped lines start at {sorted(text_x)}"
    assert text_x.pop() - bullets[0]["x1"] >= 0.3 * size, "no room between the bullet and its text"
    assert {base_font(c) for c in bullets} == {"AtkinsonHyperlegible-Regular"}


@pytest.mark.parametrize("config", LINES_CONFIGS, ids=str)
def test_points_are_set_apart_more_than_the_lines_of_one_point(lines_decks, config):
    """A point that wraps reads as one: the lines within it are closer than two points are."""
    _, lines = points_read(answer_cards(lines_decks(config), "What should I have nearby?"))
    pitch = [(b.chars[0]["matrix"][5] - a.chars[0]["matrix"][5]) * -1 for a, b in zip(lines, lines[1:])]
    within = [p for p, b in zip(pitch, lines[1:]) if not b.text.startswith(BULLET)]
    between = [p for p, b in zip(pitch, lines[1:]) if b.text.startswith(BULLET)]
    assert between and min(between) > max(within, default=0) + 1.0
    size = lines[0].chars[0]["size"]
    assert min(pitch) >= 1.2 * size, "lines closer than the answer's leading"


@pytest.mark.parametrize("config", LINES_CONFIGS, ids=str)
def test_a_folded_block_stays_folded_and_its_blank_line_starts_a_paragraph(lines_decks, config):
    (card,) = answer_cards(lines_decks(config), "When should I stop?")
    texts = [line.text for line in card.back.body_lines]
    first, second = "Stop if you feel dizzy or unsteady.", "Sit down and rest until it passes."
    assert normalise(" ".join(texts)) == f"{first} {second}"
    starts = [i for i, t in enumerate(texts) if t.startswith("Sit down")]
    assert starts, "the second paragraph starts a line of its own"


@pytest.mark.parametrize("config", LINES_CONFIGS, ids=str)
def test_a_long_list_fits_each_card_face_and_continues_with_every_point_bulleted_once(lines_decks, config):
    deck = lines_decks(config)
    typed = lines_faq()[3]["answer"]
    cards = answer_cards(deck, "How do I make it harder over the weeks?")
    points, _ = points_read(cards)
    assert points == typed
    floor, pad = FLOOR[config.size], padding(config.size)
    for card in cards:
        for char in card.back.body_chars:
            assert card.back.box.inset(pad).holds(char, tol=PADDING_SLACK), char["text"]
            assert char["size"] >= floor - 1e-6
    if len(cards) > 1:
        assert [card.back.notes for card in cards[1:]] == [[CONTINUED]] * (len(cards) - 1)


def test_a_long_list_continues_on_business_cards_but_fits_one_index_card(lines_decks):
    question = "How do I make it harder over the weeks?"
    assert len(answer_cards(lines_decks(BASE), question)) == 2
    assert len(answer_cards(lines_decks(Config("letter", "index", "fold")), question)) == 1
