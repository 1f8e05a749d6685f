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


class Paragraph(_ReportLabParagraph):
    """A ReportLab Paragraph whose fallback-font runs are bold where the text is (see the module)."""

    def __init__(self, text: Any, style: ParagraphStyle | None = None, *args: Any, **kwargs: Any):
        if isinstance(text, str) and style is not None and "<font" in text:
            font_set = fonts()  # registered first: is_bold() reads the family table it fills
            text = bold_fallback_runs(text, is_bold(style.fontName), font_set)
        super().__init__(text, style, *args, **kwargs)
