"""Every card size, declared once: its name, dimensions, label and type style, checked when declared.

A card size is one :class:`CardSize`.  Its per-sheet grid is not declared but derived
from its dimensions for each paper and mode (:func:`cards_across`, used by
:mod:`handouts.layout.card_sheet`); what a size may say about it is whether a folded
card may be turned upright.  Declaring a size checks it at once: its type style is
sound and it fits, with its crop marks inside the safe edge, on both Letter and A4 in
at least one mode (double-sided or folded).  Adding a size is one entry in
:data:`CARD_SIZES` below, or at run time one call::

    register(CardSize("postcard", 6 * inch, 4 * inch, "6 x 4 in postcard card",
                      CardStyle(question_size=20, answer_size=16, min_size=10, footer_size=9, padding=0.25 * inch)))
"""

from __future__ import annotations

from dataclasses import dataclass

from handouts.style.units import A4, LETTER, inch, mm, type_sizes

from handouts.errors import UsageError
from handouts.style.print_sheet import SAFE_EDGE, SHEET_STYLE

#: Every size must fit on each of these, in at least one mode: the papers every office has.
CHECKED_PAPERS: dict[str, tuple[float, float]] = {"Letter": LETTER, "A4": A4}


@dataclass(frozen=True)
class CardStyle:
    """Type and spacing for one card size.  Sizes shrink together from these maxima to the floor."""

    question_size: float   # pt: the largest a question is set
    answer_size: float     # pt: the largest an answer is set
    min_size: float        # pt: the readable floor; below it an answer continues on another card
    footer_size: float     # pt: the title and card number at the foot
    padding: float         # pt: inside the cut, so a 1-2 mm miscut or drift never clips text
    leading: float = 1.22  # x type size: line height of questions and answers
    size_step: float = 0.5  # pt: how much the type shrinks per try
    footer_leading: float = 1.2   # x footer size: the footer's line height
    footer_gap: float = 0.8       # x footer size: room between the text and the footer line
    paragraph_gap: float = 0.45   # x type size: between the question or answer and a "continued" note,
                                  #   and between an answer's paragraphs (a blank line typed)
    point_gap: float = 0.3        # x type size: between the bullet points of an answer written as a list
    point_indent: float = 1.1     # x type size: a bullet point's hanging indent, the bullet and a space
    block_slack: float = 0.5      # pt: an answer's block is this much wider than its longest line

    def __post_init__(self) -> None:
        problems = [f"{name} must be more than 0 (got {value!r})" for name, value in (
            ("question_size", self.question_size), ("answer_size", self.answer_size),
            ("min_size", self.min_size), ("footer_size", self.footer_size), ("padding", self.padding),
            ("leading", self.leading), ("size_step", self.size_step), ("footer_leading", self.footer_leading))
            if not value > 0]
        for name, value in (("question_size", self.question_size), ("answer_size", self.answer_size)):
            if value < self.min_size:
                problems.append(f"{name} {value:g} pt is under the floor min_size {self.min_size:g} pt")
        if problems:
            raise ValueError("card style: " + "; ".join(problems))

    def sizes(self, largest: float) -> list[float]:
        """From *largest* down to the floor (pt)."""
        return type_sizes(largest, self.min_size, -self.size_step)

    @property
    def footer_band(self) -> float:
        """The footer line and the gap above it (pt)."""
        return self.footer_size * self.footer_leading + self.footer_size * self.footer_gap


def cards_across(span: float, size: float) -> int:
    """How many cards of *size* fit across *span* (pt), leaving room for the safe edge and crop marks."""
    usable = span - 2 * (SAFE_EDGE + SHEET_STYLE.mark_gap + SHEET_STYLE.mark_min)
    return max(0, int((usable + 1e-6) // size))


def _inches(points: float) -> str:
    return f"{points / inch:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class CardSize:
    """One card size: checked when made, so a size that cannot print is refused where it is declared."""

    name: str              # what --card-size and clinic.yaml say: lower case, no spaces
    width: float           # pt, as the card is read
    height: float          # pt
    label: str             # "3.5 x 2 in business card": how messages name it (one card)
    style: CardStyle       # its type sizes, floor and padding
    fold_turns: bool = True  # a folded card may be turned upright when that fits more per sheet

    def __post_init__(self) -> None:
        where = f"card size '{self.name}'"
        if not self.name or self.name != self.name.lower() or not self.name.replace("_", "").replace(
                "-", "").isalnum():
            raise ValueError(f"{where}: the name must be lower-case letters, digits, '-' or '_'")
        if " card" not in self.label:
            raise ValueError(f"{where}: the label '{self.label}' must name it as a card (e.g. '4 x 6 in postcard "
                             f"card'), so messages can say '... cards'")
        if not (self.width > 0 and self.height > 0):
            raise ValueError(f"{where}: width and height must be more than 0 pt")
        s = self.style
        room_w = self.width - 2 * s.padding
        room_h = self.height - 2 * s.padding - s.footer_band
        if room_w < s.question_size * 4 or room_h < s.min_size * s.leading * 2:
            raise ValueError(f"{where}: padding {s.padding:g} pt and a {s.footer_size:g} pt footer leave "
                             f"{max(room_w, 0):.0f} x {max(room_h, 0):.0f} pt for text on a "
                             f"{self.width:.0f} x {self.height:.0f} pt card; make the padding or type smaller")
        for paper, (paper_w, paper_h) in CHECKED_PAPERS.items():
            if not self.duplex_grid(paper_w, paper_h)[0] and not self.fold_grid(paper_w, paper_h)[0]:
                room = f"{_inches(paper_w - 2 * SAFE_EDGE)} x {_inches(paper_h - 2 * SAFE_EDGE)} in"
                raise ValueError(f"{where}: a {_inches(self.width)} x {_inches(self.height)} in card does not "
                                 f"fit on {paper} paper with its crop marks, double-sided or folded ({room} of "
                                 f"printable room inside the {_inches(SAFE_EDGE)} in safe edge)")

    @property
    def plural(self) -> str:
        return self.label.replace(" card", " cards")

    def duplex_grid(self, paper_w: float, paper_h: float) -> tuple[int, float, float, int, int]:
        """(cards per sheet, face width, face height, columns, rows) printed double-sided."""
        columns, rows = cards_across(paper_w, self.width), cards_across(paper_h, self.height)
        return columns * rows, self.width, self.height, columns, rows

    def fold_grid(self, paper_w: float, paper_h: float) -> tuple[int, float, float, int, int]:
        """(pairs per sheet, face width, face height, columns of pairs, rows) printed one-sided and
        folded: question and answer side by side, turned upright if allowed and that fits more."""
        choices = [(self.width, self.height)] + ([(self.height, self.width)] if self.fold_turns else [])
        best = max(choices, key=lambda wh: cards_across(paper_w, 2 * wh[0]) * cards_across(paper_h, wh[1]))
        face_w, face_h = best
        columns, rows = cards_across(paper_w, 2 * face_w), cards_across(paper_h, face_h)
        return columns * rows, face_w, face_h, columns, rows


#: Pocket cards are read at arm's length, so the business-card floor is the smallest
#: text we print anywhere (PRINTING.md: about 7 pt).
_BUILT_IN = (
    CardSize("business", 3.5 * inch, 2 * inch, "3.5 x 2 in business card",
             CardStyle(question_size=12, answer_size=11, min_size=9, footer_size=7, padding=0.15 * inch)),
    CardSize("index", 5 * inch, 3 * inch, "3 x 5 in index card",
             CardStyle(question_size=18, answer_size=15, min_size=10, footer_size=9, padding=0.22 * inch)),
    CardSize("a7", 74 * mm, 105 * mm, "A7 card (74 x 105 mm)",
             CardStyle(question_size=15, answer_size=13, min_size=10, footer_size=8, padding=0.2 * inch)),
)

#: Every card size by name, in the order the CLI offers them.
CARD_SIZES: dict[str, CardSize] = {size.name: size for size in _BUILT_IN}


def register(size: CardSize) -> CardSize:
    """Add *size* (already checked when it was made); refuse a name that is taken."""
    if size.name in CARD_SIZES:
        raise ValueError(f"card size '{size.name}' is already declared")
    CARD_SIZES[size.name] = size
    return size


def unregister(name: str) -> None:
    """Remove a size added with :func:`register` (tests, plug-ins); the built-in sizes stay."""
    if any(size.name == name for size in _BUILT_IN):
        raise ValueError(f"card size '{name}' is built in")
    CARD_SIZES.pop(name, None)


def card_size(name: str) -> CardSize:
    try:
        return CARD_SIZES[name.lower()]
    except KeyError:
        raise UsageError(f"unknown card size '{name}'; choose one of: {', '.join(CARD_SIZES)}") from None
