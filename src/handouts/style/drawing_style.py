"""How the handout's drawn parts are stroked and spaced, as data: boxes, the dose strip, the
picture captions, the video link's QR code.

The type sizes, colours and gaps of the text around them are the theme's
(:mod:`handouts.style.theme`); these are the few figures :mod:`handouts.layout.flowables`
draws with.  Lengths are PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass

from handouts.style.units import inch


@dataclass(frozen=True)
class DrawingStyle:
    box_line_width: float = 0.8             # pt: the tips and caution boxes' and the dose strip's outline
    caption_min_width: float = 1.6 * inch   # pt: a captioned picture's cell is never narrower (its caption wraps less)
    caption_gap: float = 4.0                # pt: between a picture and its caption
    dose_label_gap: float = 2.0             # pt: between a dose part's label and its value
    writing_line_width: float = 0.7         # pt: the write-on line of a dose part not set
    writing_line_share: float = 0.85        # x the cell's width: the write-on line leaves the cell's end clear
    writing_line_rise: float = 2.0          # pt: the write-on line sits this far above the strip's padding
    qr_size: float = 0.85 * inch            # pt: the video link's QR code, quiet zone included (never below 0.75 in)
    min_text_width: float = 36.0            # pt: text beside a QR code or a label never gets narrower than this


DRAWING_STYLE = DrawingStyle()
