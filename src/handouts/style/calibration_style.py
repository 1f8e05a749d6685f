"""The look of the duplex calibration sheet as data: its cross, scales, ring and text (pt unless named)."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.style.units import mm


@dataclass(frozen=True)
class CalibrationStyle:
    scale_mm: int = 10                 # mm: the scales read -10 .. +10, the most --back-offset accepts
    scale_distance: float = 20 * mm    # pt: scales sit this far from the cross, so a drifted line still crosses them
    cross_arm: float = 40 * mm         # pt: each arm of the front's cross
    ring_radius: float = 3 * mm        # pt: the ring showing where the current offset puts the backs
    text_size: float = 10.5            # pt: the instructions
    text_heading: float = 1.4          # x text size: the instructions' first line
    text_pitch: float = 1.35           # x line size: from one instruction line to the next
    text_inset: float = 0.3 * 72       # pt: the instructions sit this far inside the safe edge
    back_text_gap: float = 8           # pt: the back's text block ends this far above its bottom inset
    line: float = 0.5                  # pt: the cross's lines
    tick_long: float = 5 * mm          # pt: a tick every 5 mm, numbered ...
    tick_short: float = 2.5 * mm       # pt: ... and one every millimetre
    tick_zero: float = 0.6             # pt: the 0 tick's line width
    tick_line: float = 0.35            # pt: every other tick's, and the scale's own line
    number_size: float = 7             # pt: the scale's numbers
    number_below: float = 9            # pt: the horizontal scale's numbers, under it
    number_beside: float = 3           # pt: the vertical scale's numbers, right of it ...
    number_drop: float = 2.5           # pt: ... and this far down, centred on their tick
    axis_size: float = 9               # pt: "X (mm)" and "Y (mm)", bold
    axis_below: float = 20             # pt: "X (mm)" under the horizontal scale
    axis_above: float = 6              # pt: "Y (mm)" over the vertical scale's top
    ring_line: float = 0.6             # pt: the ring's line width


CALIBRATION_STYLE = CalibrationStyle()
