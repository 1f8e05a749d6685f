"""Right-to-left text (Hebrew, Arabic) in the order it is seen, for ReportLab to draw left to right.

The Unicode bidirectional algorithm (UAX #9) comes from python-bidi; Arabic is first shaped
into its joined letter forms (arabic-reshaper).  python-bidi does not apply rule L4 (mirroring),
so this module does, from the levels it resolves: "(twice a day)" in Hebrew opens and closes
the right way.  That is exact for text that fits on one line; a right-to-left paragraph that
wraps is reported by :mod:`handouts.layout.markup`, since its lines are stacked in
left-to-right order.
"""

from __future__ import annotations

import re
import unicodedata

def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _is_strong(char: str) -> bool:
    """A character with a direction of its own (a letter), as the bidi algorithm counts them."""
    return unicodedata.bidirectional(char) in ("L", "R", "AL")


#: What :mod:`handouts.layout.markup` puts at the start of a line of markup set right to left: an
#: XML comment, which ReportLab's parser drops, read by :mod:`handouts.layout.paragraph` to stack the
#: line's wrapped parts top to bottom in reading order.
RTL_LINE = "<!--rtl-->"


def starts_rtl(line: str) -> bool:
    """Whether *line* is set right to left: its first letter is (rule P2 of the bidi algorithm)."""
    return _is_rtl(next((c for c in line if _is_strong(c)), "a"))


def visual_order(text: str) -> tuple[str, bool]:
    """*text* with its right-to-left runs in the order they are seen, mirrored characters
    mirrored; and whether the paragraph itself is right-to-left (its first strong character is).
    Each line (split at "\n") is a paragraph of its own to the bidi algorithm."""
    if not any(_is_rtl(c) for c in text):
        return text, False
    if any(unicodedata.bidirectional(c) == "AL" for c in text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    return "\n".join(_visual_line(line) for line in text.split("\n")), starts_rtl(text)


def _visual_line(line: str) -> str:
    if not any(_is_rtl(c) for c in line):
        return line
    from bidi import get_display  # only paid for by text that needs it

    right_to_left = starts_rtl(line)
    visual = _mirrored(line, get_display(line), right_to_left)
    if not right_to_left:
        # a right-to-left phrase in a left-to-right paragraph is only right on one line:
        # no-break spaces keep it whole, so the line breaker moves it rather than splits it
        visual = _bind_rtl_phrases(visual)
    return visual


def _mirrored(line: str, display: str, right_to_left: bool) -> str:
    """*line* in visual order with rule L4 applied: *display* (python-bidi's order for it) with
    its mirrored characters mirrored; *display* as it is if python-bidi's levels cannot be read.

    python-bidi (the unicode-bidi crate) resolves the levels, paired brackets included (rule
    N0, which its older pure-Python algorithm lacks), but does not mirror.  Its ``debug=True``
    result gives the resolved level of each UTF-8 byte: with those, rules L1 (trailing spaces
    to the paragraph's level), L2 (reverse each run at or above each odd level) and L4 (mirror
    what ends at an odd level) are applied here, and the order checked against *display*.
    The mirror images are Unicode's BidiMirroring.txt, as python-bidi ships it.
    """
    from bidi import get_display
    from bidi.mirror import MIRRORED

    levels = _levels(line, get_display(line, debug=True))
    if levels is None:
        return display
    paragraph = 1 if right_to_left else 0
    for i in range(len(line) - 1, -1, -1):  # L1: trailing whitespace takes the paragraph's level
        if not line[i].isspace():
            break
        levels[i] = paragraph
    order = list(range(len(line)))
    top = max(levels, default=0)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # L2
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    if "".join(line[i] for i in order) != display:
        return display
    return "".join(MIRRORED.get(line[i], line[i]) if levels[i] % 2 else line[i] for i in order)


def _levels(line: str, debug: str) -> list[int] | None:
    """The resolved embedding level of each character of *line*, from python-bidi's debug output."""
    found = re.search(r"levels: \[(.*?)\]", debug, re.S)
    if not found:
        return None
    per_byte = [int(n) for n in re.findall(r"Level\(\s*(\d+)", found.group(1))]
    if len(per_byte) != len(line.encode()):
        return None
    levels, at = [], 0
    for char in line:
        levels.append(per_byte[at])
        at += len(char.encode())
    return levels


def _bind_rtl_phrases(text: str) -> str:
    """Spaces with right-to-left letters as the nearest strong characters on both sides
    become no-break spaces."""
    strong = [_is_strong(c) for c in text]
    before, last = [], ""
    for c, is_strong in zip(text, strong):
        before.append(last)
        if is_strong:
            last = c
    out, after = list(text), ""
    for i in range(len(text) - 1, -1, -1):
        if text[i] == " " and after and before[i] and _is_rtl(after) and _is_rtl(before[i]):
            out[i] = "\u00a0"
        if strong[i]:
            after = text[i]
    return "".join(out)


