"""ReportLab's Paragraph, with the fallback fonts' runs in bold text set in their bold faces.

:mod:`handouts.layout.markup` sets each character Atkinson Hyperlegible lacks in a
``<font face="Inter">`` run.  ReportLab's parser takes a ``<font face=...>`` tag as naming the
whole font, its weight included (``ps2tt``: ``Inter`` is the regular), so the run is regular
even in a bold title or inside ``<b>``: "İLİOPSOAS" printed its dotted capitals thin.  Markup
cannot know whether it will be set bold (the same title is the handout's bold heading and its
regular footer), so the paragraph decides, once its style is known: every layout module makes
its paragraphs with this class, which names the bold face in each fallback run that is set
bold, by its style's font or by an enclosing ``<b>``.  The bold face is made the first time a
run needs it (:meth:`handouts.style.fonts.FontSet.bold_of`), so text with none costs nothing.
Making it reads (or, once per machine, writes) the font cache: style's I/O, as registering the
fonts in the first place is; layout only asks for a font by name.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.fonts import ps2tt
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as _ReportLabParagraph

from handouts.layout.right_to_left import RTL_LINE
from handouts.style.fonts import FontSet, fonts

#: A tag of the markup: every ``<`` in it starts one (typed text is escaped by markup.to_markup).
_TAG = re.compile(r"<(/?)([A-Za-z]+)([^>]*?)(/?)>")
_FACE = re.compile(r"""(\b(?:face|name)\s*=\s*)(["'])([^"']*)\2""")
_BOLD_TAGS = frozenset({"b", "strong"})
_FONT_TAGS = frozenset({"font", "span"})


def is_bold(font_name: str) -> bool:
    """Whether ReportLab's family table counts *font_name* as bold (False for a name it does not know)."""
    try:
        return bool(ps2tt(font_name)[1])
    except ValueError:
        return False


def bold_fallback_runs(markup: str, bold: bool, fonts: FontSet) -> str:
    """*markup* with the face of every fallback run that is set bold replaced by its bold face.

    *bold* is whether the paragraph's own font is bold; ``<b>``/``<strong>`` make what they
    enclose bold, and a ``<font face=...>`` naming another font sets bold as that font is.
    A bold face is asked of *fonts* (and so made) only for a run that is set bold.
    """
    fallbacks = {fallback.name for fallback in fonts.fallbacks}
    state = [bold]  # bold or not, for each tag open, the paragraph itself first

    def tag(match: re.Match[str]) -> str:
        closing, name, attributes, self_closing = match.groups()
        if self_closing:
            return match.group(0)
        if closing:
            if len(state) > 1:
                state.pop()
            return match.group(0)
        here, text = state[-1], match.group(0)
        face = _FACE.search(attributes) if name.lower() in _FONT_TAGS else None
        if name.lower() in _BOLD_TAGS:
            here = True
        elif face is not None and face.group(3) in fallbacks:
            heavy = fonts.bold_of(face.group(3)) if here else None
            if heavy:  # the run stays bold: in its bold face
                text = f"<{name}{attributes[:face.start(3)]}{heavy}{attributes[face.end(3):]}>"
        elif face is not None:
            here = is_bold(face.group(3))
        state.append(here)
        return text

    return _TAG.sub(tag, markup)


def rtl_lines(markup: str) -> list[bool]:
    """For each line of *markup* (split at ``<br/>``), whether it is set right to left (marked
    :data:`~handouts.layout.right_to_left.RTL_LINE` by :mod:`handouts.layout.markup`)."""
    return [line.lstrip().startswith(RTL_LINE) for line in markup.split("<br/>")] if RTL_LINE in markup else []


def _ends_line(line: Any) -> bool:
    """Whether a broken line (ReportLab's FragLine) ends at a ``<br/>`` rather than for want of room."""
    words: list[Any] = getattr(line, "words", None) or []
    return bool(words) and hasattr(words[-1], "lineBreak")


def reading_order(lines: list[Any], right_to_left: list[bool]) -> list[Any]:
    """ReportLab's broken *lines* with the parts of each right-to-left line stacked in reading order.

    ReportLab breaks every line left to right, so a right-to-left line, already in visual order,
    is cut into parts whose first (top) one holds its last words.  Each such line's parts are
    stacked the other way up: its first words on top, and the short part, wherever it falls, read
    last.  *right_to_left* has one flag per ``<br/>`` line; a paragraph with none is unchanged.
    """
    if not any(right_to_left):
        return lines
    out: list[Any] = []
    group: list[Any] = []
    line_no = 0
    for line in lines:
        group.append(line)
        if _ends_line(line) or line is lines[-1]:
            rtl = right_to_left[min(line_no, len(right_to_left) - 1)]
            out += group[::-1] if rtl else group
            group, line_no = [], line_no + 1
    return out


class Paragraph(_ReportLabParagraph):
    """A ReportLab Paragraph whose fallback-font runs are bold where the text is, and whose
    right-to-left lines, when they wrap, read from the top (see the module and :func:`reading_order`)."""

    def __init__(self, text: Any, style: ParagraphStyle | None = None, *args: Any, **kwargs: Any):
        rtl = rtl_lines(text) if isinstance(text, str) else []
        self._right_to_left = rtl if any(rtl) else []  # one flag per <br/> line, or none: nothing to do
        if isinstance(text, str) and style is not None and "<font" in text:
            font_set = fonts()  # registered first: is_bold() reads the family table it fills
            text = bold_fallback_runs(text, is_bold(style.fontName), font_set)
        self._as_broken = False
        super().__init__(text, style, *args, **kwargs)

    def breakLines(self, width: Any) -> Any:
        lines = super().breakLines(width)
        if self._as_broken:
            return lines
        if self._right_to_left and getattr(lines, "kind", 0) == 1:
            lines.lines = reading_order(lines.lines, self._right_to_left)
        elif self._right_to_left:  # one font, no <br/>: plain word lists
            lines.lines = lines.lines[::-1]
        return lines

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        """ReportLab splits a paragraph by the order its lines were broken in, so a right-to-left
        paragraph is split as broken (its parts stacked as ReportLab stacks them): a paragraph
        that runs over a column or a page is the one case where its lines read bottom up."""
        if not self._right_to_left:
            return list(super().split(availWidth, availHeight))
        self._as_broken = True
        try:
            self.wrap(availWidth, availHeight)
            return list(super().split(availWidth, availHeight))
        finally:  # not split after all (it moves on whole): its next wrap reads from the top again
            self._as_broken = False
