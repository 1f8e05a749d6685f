"""The duplex calibration sheet: two pages that, printed double-sided, measure a printer's drift.

The front carries a cross through the middle of the page.  The back carries two
millimetre scales where that cross should land, drawn *without* any offset, so the
numbers read off them, holding the sheet against the light, are the printer's own
drift turned into the ``--back-offset`` that cancels it: the value to enter, whatever
offset was used before.  A ring drawn *with* the current offset shows whether that
offset is already right: the front's cross then runs through the ring's centre.

Reading the scales: the back page is seen from its printed side, upright, so a
positive X means "move the backs right" and a positive Y "move them up", exactly as
:class:`handouts.layout.card_sheet.CardSheet` applies the offset.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from handouts.layout.card_sheet import CardSheet
from handouts.style.fonts import fonts
from handouts.render.canvas import DocInfo, new_canvas
from handouts.render.cards import print_preferences
from handouts.style.calibration_style import CALIBRATION_STYLE as STYLE
from handouts.style.print_sheet import SAFE_EDGE
from handouts.style.theme import Theme


def _text_block(canvas: Canvas, lines: list[str], x: float, top: float, size: float, colour: str,
                bold_first: bool = True) -> float:
    """Left-aligned lines from *top* down; returns the y under the last line."""
    y = top
    for i, line in enumerate(lines):
        font = fonts().bold if (i == 0 and bold_first) else fonts().regular
        line_size = size * STYLE.text_heading if (i == 0 and bold_first) else size
        y -= line_size * STYLE.text_pitch
        canvas.setFont(font, line_size)
        canvas.setFillColor(HexColor(colour))
        canvas.drawString(x, y, line)
    return y


def _front(canvas: Canvas, sheet: CardSheet, theme: Theme) -> None:
    width, height = sheet.paper
    cx, cy = width / 2, height / 2
    offset = _offset_text(sheet)
    lines = [
        "Duplex calibration: front",
        f"1. Print both pages double-sided at actual size (100%), flip on {sheet.flip} edge:",
        "    the same printer, paper and settings you will print the cards with.",
        "2. Hold the sheet against a window or a lamp, the back page facing you.",
        "3. Where this page's vertical line crosses the back's lower scale, read X;",
        "    where its horizontal line crosses the back's right-hand scale, read Y.",
        "    Each small tick is 1 mm; the long ticks are numbered every 5 mm.",
        f"4. Build the cards with:  handouts build --flip {sheet.flip} --back-offset=X,Y",
        f"This sheet was printed with --back-offset={offset}.",
    ]
    _text_block(canvas, lines, SAFE_EDGE + STYLE.text_inset, height - SAFE_EDGE - STYLE.text_inset, STYLE.text_size,
                theme.colours.text)
    canvas.setStrokeColor(HexColor(theme.colours.text))
    canvas.setLineWidth(STYLE.line)
    arm = STYLE.cross_arm
    canvas.line(cx, cy - arm, cx, cy + arm)
    canvas.line(cx - arm, cy, cx + arm, cy)


def _offset_text(sheet: CardSheet) -> str:
    x, y = (v / mm for v in sheet.back_offset)
    return f"{x:g},{y:g}"


def _scale(canvas: Canvas, origin: tuple[float, float], horizontal: bool, colour: str) -> None:
    """Ticks every millimetre from -10 to +10 around *origin*; numbers every 5 mm."""
    ox, oy = origin
    canvas.setStrokeColor(HexColor(colour))
    canvas.setFillColor(HexColor(colour))
    s = STYLE
    canvas.setFont(fonts().regular, s.number_size)
    for value in range(-s.scale_mm, s.scale_mm + 1):
        length = s.tick_long if value % 5 == 0 else s.tick_short
        canvas.setLineWidth(s.tick_zero if value == 0 else s.tick_line)
        label = f"{value:+d}" if value else "0"
        if horizontal:
            x = ox + value * mm
            canvas.line(x, oy, x, oy + length)
            if value % 5 == 0:
                canvas.drawCentredString(x, oy - s.number_below, label)
        else:
            y = oy + value * mm
            canvas.line(ox, y, ox - length, y)
            if value % 5 == 0:
                canvas.drawString(ox + s.number_beside, y - s.number_drop, label)
    canvas.setLineWidth(s.tick_line)
    if horizontal:
        canvas.line(ox - s.scale_mm * mm, oy, ox + s.scale_mm * mm, oy)
    else:
        canvas.line(ox, oy - s.scale_mm * mm, ox, oy + s.scale_mm * mm)


def _back(canvas: Canvas, sheet: CardSheet, theme: Theme) -> None:
    width, height = sheet.paper
    cx, cy = width / 2, height / 2
    colour, s = theme.colours.text, STYLE
    _scale(canvas, (cx, cy - s.scale_distance), horizontal=True, colour=colour)
    _scale(canvas, (cx + s.scale_distance, cy), horizontal=False, colour=colour)
    canvas.setFont(fonts().bold, s.axis_size)
    canvas.drawCentredString(cx, cy - s.scale_distance - s.axis_below, "X (mm)")
    canvas.drawString(cx + s.scale_distance + s.number_beside, cy + s.scale_mm * mm + s.axis_above, "Y (mm)")
    dx, dy = sheet.back_offset
    canvas.setStrokeColor(HexColor(theme.colours.rule))
    canvas.setLineWidth(s.ring_line)
    canvas.circle(cx + dx, cy + dy, s.ring_radius)
    lines = [
        "Duplex calibration: back",
        "Hold the sheet against the light with this page facing you and read X and Y",
        "where the front's lines cross the scales: those are the numbers to enter.",
        f"The ring shows where --back-offset={_offset_text(sheet)} puts the backs: if the front's",
        "cross runs through the ring's centre, that offset is already right.",
    ]
    _text_block(canvas, lines, SAFE_EDGE + s.text_inset,
                SAFE_EDGE + s.text_inset + 5 * s.text_size * s.text_pitch + s.back_text_gap, s.text_size, colour)


def calibration_pdf(sheet: CardSheet, theme: Theme) -> bytes:
    """The two-page calibration sheet for *sheet*'s paper, flip mode and current back offset."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, sheet.paper, DocInfo(title="Duplex calibration sheet",
                                                     subject="Measure a printer's front-to-back drift"))
    print_preferences(canvas, sheet)
    _front(canvas, sheet, theme)
    canvas.showPage()
    _back(canvas, sheet, theme)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
