"""An FAQ answer as written: text whose line breaks are kept, or a list of points.

A clinician writes a schedule as a YAML block (``answer: |`` and a line a day) or as a list
(``- Monday: both feet``), and means it to print that way: the lines as lines, the points as
bullets.
"""

from __future__ import annotations

#: An answer: text, its line breaks kept (``"\n"``; a blank line, ``"\n\n"``, starts a new
#: paragraph), or the points of a YAML list in order, each such a text, printed as bullets.
Answer = str | tuple[str, ...]
