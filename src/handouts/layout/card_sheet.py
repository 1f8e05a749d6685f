"""Card sheets: where every card goes on the paper, front and back (no drawing, no I/O).

Duplex printing is where card generators fail, so the geometry lives here, alone, in
plain numbers that the tests check against the paper (PDF points, origin bottom-left).

* Cards abut in a grid centred on the sheet, so one guillotine cut serves two cards
  and a 3.5 x 2 in grid on Letter lands on Avery 5371's perforations.
* ``flip="long"``: the printer turns the sheet over its long edge, so the back page
  is the front mirrored left to right: a card at x has its back at W - x - w.
* ``flip="short"``: the sheet turns over its short edge; the back of a card at y is
  at H - y - h, upright.
* ``fold=True``: no duplex at all; question and answer side by side on one page, a
  fold line between them.
* A back offset moves everything on the back page (cards and crop marks) to cancel a
  printer that lays the back down a few millimetres off.

Every sheet is checked when it is made: the cards, their crop marks and the printing
note must all stay at least 0.3 in from the paper's edge.
"""

from __future__ import annotations

from dataclasses import dataclass


from handouts.style.card_sizes import CARD_SIZES, CardSize, card_size
from handouts.style.print_sheet import SAFE_EDGE, SHEET_STYLE
from handouts.style.settings import FLIPS, SettingError, check_offset, parse_offset
from handouts.style.theme import PAPERS, paper_label, paper_size
from handouts.style.units import inch, mm


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2

    def moved(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)


Segment = tuple[float, float, float, float]  # x0, y0, x1, y1


def _inches(points: float) -> str:
    return f"{points / inch:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class CardSheet:
    """One imposition: the paper, the grid of card slots, and how the backs are placed."""

    paper_name: str
    size: CardSize
    face_width: float      # a card as placed: a fold sheet may turn the cards upright
    face_height: float
    columns: int           # columns of slots; on a fold sheet a slot is a question-answer pair
    rows: int
    flip: str | None       # "long" | "short"; None on a fold sheet
    back_offset: tuple[float, float] = (0.0, 0.0)  # points; right and up, looking at the back

    @property
    def fold(self) -> bool:
        return self.flip is None

    @property
    def paper(self) -> tuple[float, float]:
        return paper_size(self.paper_name)

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    @property
    def slot_width(self) -> float:
        return self.face_width * (2 if self.fold else 1)

    @property
    def grid(self) -> Rect:
        """The block of slots on the front page, centred on the paper."""
        width, height = self.paper
        w, h = self.columns * self.slot_width, self.rows * self.face_height
        return Rect((width - w) / 2, (height - h) / 2, w, h)

    def front(self, slot: int) -> Rect:
        """Where the front (question) of the card in *slot* goes: rows top to bottom, then columns."""
        row, column = divmod(slot, self.columns)
        grid = self.grid
        return Rect(grid.x + column * self.slot_width, grid.top - (row + 1) * self.face_height,
                    self.face_width, self.face_height)

    def back(self, slot: int) -> Rect:
        """Where the back (answer) of *slot* goes: beside it on a fold sheet, else on the back page."""
        front = self.front(slot)
        if self.fold:
            return front.moved(self.face_width, 0)
        width, height = self.paper
        if self.flip == "long":
            mirrored = Rect(width - front.right, front.y, front.width, front.height)
        else:
            mirrored = Rect(front.x, height - front.top, front.width, front.height)
        return mirrored.moved(*self.back_offset)

    def cut_lines(self) -> tuple[list[float], list[float]]:
        """The x of every vertical cut and the y of every horizontal cut on the front page."""
        grid = self.grid
        xs = [grid.x + c * self.slot_width for c in range(self.columns + 1)]
        ys = [grid.y + r * self.face_height for r in range(self.rows + 1)]
        return xs, ys

    def fold_xs(self) -> list[float]:
        grid = self.grid
        return [grid.x + c * self.slot_width + self.face_width for c in range(self.columns)] if self.fold else []

    def _marks(self, xs: list[float], ys: list[float], grid: Rect) -> list[Segment]:
        """Short lines continuing each cut into the margin: outside the cards, inside the safe edge.

        A mark runs outward from the sheet style's mark_gap beyond the grid and stops at the safe edge; where an
        offset leaves too little room for a usable mark, that mark is left out, never squeezed.
        """
        width, height = self.paper
        low, high_x, high_y = SAFE_EDGE, width - SAFE_EDGE, height - SAFE_EDGE
        gap, mark_min, mark_max = SHEET_STYLE.mark_gap, SHEET_STYLE.mark_min, SHEET_STYLE.mark_max
        out: list[Segment] = []

        def outward(inner: float, direction: int, limit: float) -> tuple[float, float] | None:
            outer = inner + direction * mark_max
            outer = max(outer, limit) if direction < 0 else min(outer, limit)
            return (inner, outer) if (outer - inner) * direction >= mark_min / 2 else None

        for x in xs:
            if not low <= x <= high_x:
                continue
            for inner, direction, limit in ((grid.y - gap, -1, low), (grid.top + gap, 1, high_y)):
                span = outward(inner, direction, limit)
                if span:
                    out.append((x, min(span), x, max(span)))
        for y in ys:
            if not low <= y <= high_y:
                continue
            for inner, direction, limit in ((grid.x - gap, -1, low), (grid.right + gap, 1, high_x)):
                span = outward(inner, direction, limit)
                if span:
                    out.append((min(span), y, max(span), y))
        return out

    def crop_marks(self, back: bool = False) -> list[Segment]:
        """Crop marks for the front page, or for the back page (mirrored and offset like the cards)."""
        xs, ys = self.cut_lines()
        grid = self.grid
        if back and not self.fold:
            # the grid is centred, so mirroring keeps the cut lines; only the offset moves them
            dx, dy = self.back_offset
            xs, ys, grid = [x + dx for x in xs], [y + dy for y in ys], grid.moved(dx, dy)
        return self._marks(xs, ys, grid)

    def fold_marks(self) -> list[Segment]:
        """Marks in the margin at each fold line (drawn dashed, unlike the crop marks)."""
        return self._marks(self.fold_xs(), [], self.grid)

    @property
    def how_to_print(self) -> str:
        """The print settings in a few words, as the CLI and the PDF's subject say them."""
        if self.fold:
            return "print at actual size, one-sided, and fold"
        return f"print at actual size, double-sided, flip on {self.flip} edge"

    @property
    def duplex_preference(self) -> str:
        return {"long": "DuplexFlipLongEdge", "short": "DuplexFlipShortEdge", None: "Simplex"}[self.flip]

    def note_box(self, top: bool, back: bool = False, last: bool = False) -> Rect | None:
        """Room for one line of printing note in the top or bottom margin, clear of every mark:
        over the first column of cards, or with *last* over the last (None when that is the first).

        On a back page the note moves with the back offset, like the cards and their marks;
        where that leaves no room inside the safe edge there is no box (None).
        """
        xs, _ = self.cut_lines()
        stops = sorted(xs + self.fold_xs())
        grid = self.grid
        if back and not self.fold:
            dx, dy = self.back_offset
            stops, grid = [x + dx for x in stops], grid.moved(dx, dy)
        s = SHEET_STYLE
        if top:  # next to the cards, where the eye finds it, not floating in a wide margin
            y0 = grid.top + s.mark_gap
            y1 = min(self.paper[1] - SAFE_EDGE, y0 + s.note_band)
        else:
            y1 = grid.y - s.mark_gap
            y0 = max(SAFE_EDGE, y1 - s.note_band)
        if y1 - y0 < s.note_min_band or (last and len(stops) < 3):
            return None
        left, right = (stops[-2], stops[-1]) if last else (stops[0], stops[1])
        return Rect(left + s.note_clearance, y0, right - left - 2 * s.note_clearance, y1 - y0)

    def describe(self) -> str:
        kind = "folded " if self.fold else ""
        return (f"{self.per_sheet} {kind}{self.size.plural} per {paper_label(self.paper_name)} sheet, "
                f"{self.columns} across and {self.rows} down")


def make_sheet(paper: str = "letter", size: str = "business", flip: str = "long", fold: bool = False,
               back_offset_mm: tuple[float, float] = (0.0, 0.0)) -> CardSheet:
    """Impose *size* cards on *paper*; raise SettingError in plain words if it cannot work.

    The error names the setting (its key) that cannot be taken, not an option: the caller
    knows whether the value was typed or came from clinic.yaml, and says so.
    """
    card = card_size(size)
    width, height = paper_size(paper)
    paper_name = paper.lower()
    if not fold and flip not in FLIPS:
        raise SettingError("flip", f"'{flip}' is not a flip edge; choose one of {', '.join(FLIPS)} "
                                   "(the edge your printer turns the sheet on)")
    if fold and any(back_offset_mm):
        raise SettingError("back_offset", "is for double-sided printing; fold-over cards print on one side")
    room = f"{_inches(width - 2 * SAFE_EDGE)} x {_inches(height - 2 * SAFE_EDGE)} in"
    if fold:
        # question and answer side by side; turned upright if that fits more per sheet
        _, face_w, face_h, columns, rows = card.fold_grid(width, height)
        if not columns * rows:
            raise SettingError("card_size", f"a folded {card.label} ({_inches(2 * card.width)} x "
                                            f"{_inches(card.height)} in opened out) does not fit on "
                                            f"{paper_label(paper_name)} paper, which has {room} of printable room; "
                                            "use a smaller card size")
    else:
        _, face_w, face_h, columns, rows = card.duplex_grid(width, height)
        if not columns * rows:
            raise SettingError("card_size", f"a {card.label} does not fit on {paper_label(paper_name)} paper, "
                                            f"which has {room} of printable room; use a smaller card size")
    sheet = CardSheet(paper_name, card, face_w, face_h, columns, rows, None if fold else flip)
    if any(back_offset_mm):
        sheet = _with_offset(sheet, back_offset_mm)
    return sheet


def _with_offset(sheet: CardSheet, offset_mm: tuple[float, float]) -> CardSheet:
    check_offset(offset_mm)  # beyond printer drift: a wrong flip setting, whatever the sheet
    grid = sheet.grid
    width, height = sheet.paper
    allowed_x = (min(grid.x, width - grid.right) - SAFE_EDGE) / mm
    allowed_y = (min(grid.y, height - grid.top) - SAFE_EDGE) / mm
    for value, allowed, axis in ((offset_mm[0], allowed_x, "X"), (offset_mm[1], allowed_y, "Y")):
        if abs(value) > allowed + 1e-9:
            raise SettingError("back_offset", f"{axis} {value:g} mm would move the backs within 0.3 in of the "
                                              f"paper's edge; this sheet allows at most {allowed:.1f} mm")
    return CardSheet(sheet.paper_name, sheet.size, sheet.face_width, sheet.face_height, sheet.columns,
                     sheet.rows, sheet.flip, (offset_mm[0] * mm, offset_mm[1] * mm))


__all__ = ["CARD_SIZES", "FLIPS", "PAPERS", "CardSheet", "CardSize", "Rect", "card_size", "make_sheet", "parse_offset"]
