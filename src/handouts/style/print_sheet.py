"""What every printed card sheet keeps clear and draws in its margin, as data.

The safe edge, the crop and fold marks and the one line of printing note are the same
for every card size and paper; :mod:`handouts.layout.card_sheet` places them and
:mod:`handouts.render.cards` draws them from the numbers here.  Lengths are PDF points.
"""

from __future__ import annotations

from dataclasses import dataclass

from handouts.style.units import inch

#: Nothing is drawn closer than this to the paper's edge (pt; office lasers lose ~5 mm).
SAFE_EDGE = 0.3 * inch


@dataclass(frozen=True)
class SheetStyle:
    """The crop marks, fold marks and printing note of a card sheet."""

    mark_gap: float = 3.0                   # pt: crop marks start this far outside the card (never touch it)
    mark_min: float = 6.0                   # pt: a shorter mark is hard to line a blade up with
    mark_max: float = 0.25 * inch           # pt: longest mark; a longer one only crowds the margin
    mark_colour: str = "#000000"            # crop marks: black, the only thing a blade is lined up with
    mark_width: float = 0.5                 # pt: line width of crop and fold marks
    fold_mark_dash: tuple[float, float] = (2, 2)  # pt on, pt off: fold marks dashed, unlike crop marks
    fold_line_dash: tuple[float, float] = (3, 3)  # pt on, pt off: the faint fold line between the faces
    note_clearance: float = 4.0             # pt: the printing note keeps this far from a crop mark
    note_band: float = 12.0                 # pt: height of the printing note's line
    note_min_band: float = 7.0              # pt: less than this and the note is left out (a back page's, offset)
    note_size: float = 7.0                  # pt: the note's type size, when it fits its box
    note_min_size: float = 5.5              # pt: shrunk no further; below this the note is left out
    note_size_step: float = 0.25            # pt: how much the note shrinks per try
    note_leading: float = 1.2               # x note size: the note's size never exceeds its box's height / this
    note_baseline: float = 0.25             # x note size: baseline raised this much above the centred line box


SHEET_STYLE = SheetStyle()
