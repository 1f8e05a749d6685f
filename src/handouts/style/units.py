"""Lengths in PDF points, and the two paper sizes, without importing ReportLab.

The same expressions as ``reportlab.lib.units`` and ``reportlab.lib.pagesizes``, so the
values are bit-for-bit ReportLab's (a test compares them): the style modules are data that
``content/`` reads to check what a file names (a paper, a card size), and reading a
clinic.yaml should not load a PDF library.

Sources: a PDF user-space unit is 1/72 in (ISO 32000-1, 8.3.2.3); A4 is 210 x 297 mm
(ISO 216); US Letter is 8.5 x 11 in (ANSI/ASME Y14.1).
"""

from __future__ import annotations

inch = 72.0
cm = inch / 2.54
mm = cm * 0.1

A4 = (210 * mm, 297 * mm)
LETTER = (8.5 * inch, 11 * inch)


def type_sizes(first: float, last: float, step: float) -> list[float]:
    """Type sizes (pt) from *first* to *last* inclusive, *step* apart (negative: downwards), each
    rounded to 0.01 pt: the sizes a fitting loop tries in turn; [] when *last* is behind *first*."""
    out, size = [], first
    while (size - last) * (1 if step > 0 else -1) <= 1e-9:
        out.append(round(size, 2))
        size += step
    return out
