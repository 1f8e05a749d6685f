"""Draw card sheets into PDF bytes: fronts, then their backs, sheet by sheet.

The drawing follows :class:`handouts.layout.card_sheet.CardSheet` exactly; nothing here
decides where a card goes.  What this module adds is what makes a sheet print right:
viewer preferences that switch off "fit to page" and ask for the matching duplex
mode, crop marks in the margin, and one line saying how to print the sheet.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from handouts.layout.card_sheet import CardSheet, Rect, Segment
from handouts.layout.markup import font_runs
from handouts.style.fonts import fonts
from handouts.layout.cards import Card
from handouts.render.canvas import DocInfo, draw_placed, new_canvas
from handouts.render.page_streams import end_page
from handouts.style.print_sheet import SHEET_STYLE
from handouts.style.theme import Labels, Theme


def print_preferences(canvas: Canvas, sheet: CardSheet) -> None:
    """Ask viewers to print at 100 % and, for duplex sheets, to flip on the right edge."""
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", sheet.duplex_preference)


def _segments(canvas: Canvas, segments: Sequence[Segment], colour: str, dash: tuple = ()) -> None:
    canvas.saveState()
    canvas.setStrokeColor(HexColor(colour))
    canvas.setLineWidth(SHEET_STYLE.mark_width)
    if dash:
        canvas.setDash(*dash)
    for x0, y0, x1, y1 in segments:
        canvas.line(x0, y0, x1, y1)
    canvas.restoreState()


def draw_note(canvas: Canvas, box: Rect | None, text: str, colour: str, right: bool = False) -> None:
    """One line of small print inside *box*, shrunk (down to the sheet style's note_min_size) to fit
    its width; left out when even that does not fit (a note never runs into the crop marks).
    Letters Atkinson lacks (a clinic's "İzmir", Hebrew) are drawn in their fallback font."""
    s = SHEET_STYLE
    runs = [(font or fonts().regular, run) for font, run in font_runs(text, fonts())]

    def width(size: float) -> float:
        return sum(stringWidth(run, font, size) for font, run in runs)

    if box is None or width(s.note_min_size) > box.width:
        return
    size = s.note_size
    while size > s.note_min_size and width(size) > box.width:
        size -= s.note_size_step
    size = min(size, box.height / s.note_leading)
    baseline = box.y + (box.height - size) / 2 + s.note_baseline * size
    canvas.saveState()
    canvas.setFillColor(HexColor(colour))
    x = box.right - width(size) if right else box.x
    for font, run in runs:
        canvas.setFont(font, size)
        canvas.drawString(x, baseline, run)
        x += stringWidth(run, font, size)
    canvas.restoreState()


def _clinic_note(canvas: Canvas, sheet: CardSheet, clinic: str | None, colour: str) -> None:
    """The clinic, small, right-aligned over the last column of a front page (when there is one)."""
    if clinic:
        draw_note(canvas, sheet.note_box(top=True, last=True), clinic, colour, right=True)


def draw_card_sheets(canvas: Canvas, cards: Iterable[Card], sheet: CardSheet, theme: Theme,
                     clinic: str | None = None, labels: Labels | None = None, count: int | None = None) -> None:
    """Every page for *cards*: fronts then backs per sheet, or one fold-over page per sheet.

    *clinic* (one line of plain text) is printed in the top margin of each front page.  Given
    *count*, how many cards *cards* yields, the sheets are drawn as the cards come, holding one
    sheet's cards at a time (a generator: the deck); raises ValueError if it yields another number.
    """
    if count is None:
        cards = list(cards)
        count = len(cards)
    sheets = -(-count // sheet.per_sheet)
    group: list[Card] = []
    number = 0
    for card in cards:
        group.append(card)
        if len(group) == sheet.per_sheet:
            number += 1
            draw_sheet(canvas, group, number, sheets, sheet, theme, clinic, labels)
            group = []
    if group:
        number += 1
        draw_sheet(canvas, group, number, sheets, sheet, theme, clinic, labels)
    if number != sheets:
        raise ValueError(f"{sheets} sheets of cards were announced, {number} drawn")


def draw_sheet(canvas: Canvas, group: Sequence[Card], number: int, sheets: int, sheet: CardSheet, theme: Theme,
               clinic: str | None = None, labels: Labels | None = None) -> None:
    """Sheet *number* of *sheets*, holding *group* (at most ``sheet.per_sheet`` cards): its front
    page then its back page, or its one fold-over page."""
    labels, muted = labels or theme.labels, theme.colours.muted
    edges: dict[str | None, str | None] = dict(labels.edges)  # flip is None on a fold sheet
    edge = edges.get(sheet.flip, sheet.flip)
    numbers = {"sheet": number, "sheets": sheets}
    _segments(canvas, sheet.crop_marks(), SHEET_STYLE.mark_colour)
    _clinic_note(canvas, sheet, clinic, muted)
    if sheet.fold:
        _segments(canvas, sheet.fold_marks(), SHEET_STYLE.mark_colour, dash=SHEET_STYLE.fold_mark_dash)
        grid = sheet.grid
        _segments(canvas, [(x, grid.y, x, grid.top) for x in sheet.fold_xs()], muted,
                  dash=SHEET_STYLE.fold_line_dash)
        draw_note(canvas, sheet.note_box(top=True), labels.sheet_fold.format(**numbers), muted)
        draw_note(canvas, sheet.note_box(top=False), labels.print_fold, muted)
    else:
        draw_note(canvas, sheet.note_box(top=True), labels.sheet_fronts.format(**numbers), muted)
        draw_note(canvas, sheet.note_box(top=False), labels.print_duplex.format(edge=edge), muted)
    for slot, card in enumerate(group):
        front = sheet.front(slot)
        draw_placed(canvas, card.front.placed, front.x, front.y)
        if sheet.fold:
            back = sheet.back(slot)
            draw_placed(canvas, card.back.placed, back.x, back.y)
    end_page(canvas)
    if sheet.fold:
        return
    _segments(canvas, sheet.crop_marks(back=True), SHEET_STYLE.mark_colour)
    box = sheet.note_box(top=True, back=True) or sheet.note_box(top=False, back=True)
    draw_note(canvas, box, labels.sheet_backs.format(**numbers), muted)
    for slot, card in enumerate(group):
        back = sheet.back(slot)
        draw_placed(canvas, card.back.placed, back.x, back.y)
    end_page(canvas)


def cards_pdf(cards: Iterable[Card], sheet: CardSheet, theme: Theme, info: DocInfo,
              clinic: str | None = None, labels: Labels | None = None, count: int | None = None) -> bytes:
    """The card sheets for *cards* as a complete PDF document (*count*: see :func:`draw_card_sheets`)."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, sheet.paper, info)
    print_preferences(canvas, sheet)
    draw_card_sheets(canvas, cards, sheet, theme, clinic, labels, count)
    canvas.save()
    return buffer.getvalue()
