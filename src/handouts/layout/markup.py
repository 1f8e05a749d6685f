"""User text to ReportLab Paragraph markup: escaped, and every character drawable.

Paragraph parses an XML-like markup, so ``<b>`` or ``&amp;`` typed in content would be
obeyed instead of printed.  Everything typed is escaped here; the only markup that
reaches ReportLab is the ``<font>`` runs this module adds for characters Atkinson
Hyperlegible lacks, and a ``<br/>`` for each line break typed (in text whose line breaks
are kept).  A character no font has is replaced by a visible equivalent (``->`` for an
arrow Inter also lacks, ``[?]`` at worst) and reported: never an empty box.

Right-to-left text (Hebrew, Arabic) is put in visual order with the Unicode
bidirectional algorithm (python-bidi), Arabic first shaped into its joined letter forms
(arabic-reshaper), because ReportLab draws every line left to right.  That is exact for
text that fits on one line; a right-to-left paragraph that wraps is reported, since its
lines would be set in left-to-right order.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from handouts.style.fonts import FontSet

#: Visible stand-ins for characters neither font draws (checked after NFKC folding).
EQUIVALENTS = {
    "\u2011": "-", "\u2010": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " ",
    "\u21d2": "=>", "\u2192": "->", "\u2190": "<-", "\u2194": "<->",
    "\u2713": "(ok)", "\u2714": "(ok)", "\u2717": "(x)", "\u2718": "(x)",
}
REPLACEMENT = "[?]"


@dataclass(frozen=True)
class Markup:
    """Escaped Paragraph markup plus what it had to do to draw the text."""

    markup: str
    fallback: tuple[str, ...] = ()  # characters drawn in a fallback font, as typed
    replaced: tuple[str, ...] = ()  # characters no font has, replaced visibly
    fonts_used: tuple[str, ...] = ()  # the fallback fonts' labels, in the order first used
    right_to_left: bool = False     # a paragraph whose base direction is right to left
    dropped: tuple[str, ...] = ()   # combining marks no font has, left out (their letter stays)
    loose_marks: tuple[str, ...] = ()  # combining marks printed, but beside their letter


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def _is_strong(char: str) -> bool:
    """A character with a direction of its own (a letter), as the bidi algorithm counts them."""
    return unicodedata.bidirectional(char) in ("L", "R", "AL")


def visual_order(text: str) -> tuple[str, bool]:
    """*text* with its right-to-left runs in the order they are seen; and whether the
    paragraph itself is right-to-left (its first strong character is)."""
    if not any(_is_rtl(c) for c in text):
        return text, False
    from bidi import get_display  # only paid for by text that needs it

    if any(unicodedata.bidirectional(c) == "AL" for c in text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    first_strong = next((c for c in text if _is_strong(c)), "a")
    right_to_left = _is_rtl(first_strong)
    visual = get_display(text)
    if not right_to_left:
        # a right-to-left phrase in a left-to-right paragraph is only right on one line:
        # no-break spaces keep it whole, so the line breaker moves it rather than splits it
        visual = _bind_rtl_phrases(visual)
    return visual, right_to_left


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


def char_name(char: str) -> str:
    """``'→' (U+2192 RIGHTWARDS ARROW)``: how a character is named in a warning."""
    name = unicodedata.name(char, "")
    if len(name) > 32:  # some Unicode names run to 80 characters
        name = name[:31] + "…"
    shown = char if unicodedata.category(char)[0] not in "CZ" else ""
    return f"'{shown}' (U+{ord(char):04X}{' ' + name if name else ''})" if shown else \
        f"U+{ord(char):04X}{' ' + name if name else ''}"


def _stand_in(char: str, fonts: FontSet) -> str | None:
    """A visible equivalent that the fonts can draw, or None."""
    for candidate in (unicodedata.normalize("NFKC", char), EQUIVALENTS.get(char, "")):
        if candidate and candidate != char and all(
                fonts.covers_primary(c) or fonts.covers_fallback(c) for c in candidate):
            return candidate
    return None


def line_breaks(markup: str) -> str:
    """*markup* (escaped) with each line break typed ("\\n": an answer or a step written as a YAML
    block) a line break printed; the only ``<br/>`` that reaches ReportLab from what was typed."""
    return markup.replace("\n", "<br/>")


def to_markup(text: str, fonts: FontSet) -> Markup:
    """Escape *text* and wrap the characters Atkinson lacks in fallback-font runs."""
    if fonts.primary_text.issuperset(text):  # the common case: nothing to look up per character
        return Markup(line_breaks(escape(text)))
    typed = text
    text, right_to_left = visual_order(text)
    runs: list[tuple[str | None, str]] = []  # (fallback font name or None, text)
    replaced: list[str] = []
    dropped: list[str] = []
    for char in text:
        if char in "\n\t" or fonts.covers_primary(char):
            font = None
        elif (fallback := fonts.fallback_for(char)) is not None:
            font = fallback.name
        else:
            if unicodedata.category(char).startswith("M"):
                if char not in dropped:  # a combining mark no font draws: the letter stays readable
                    dropped.append(char)
                continue
            stand_in = _stand_in(char, fonts)
            if char not in replaced:
                replaced.append(char)
            char = stand_in or REPLACEMENT
            font = None if all(fonts.covers_primary(c) for c in char) else fonts.fallback
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    parts = [f'<font face="{font}">{escape(run)}</font>' if font else escape(run) for font, run in runs]
    # report what was typed, not the shaped presentation forms that were drawn
    typed_fallback = [c for c in dict.fromkeys(typed) if not fonts.covers_primary(c) and c not in "\n\t"
                      and fonts.fallback_for(c) is not None]
    used = tuple(dict.fromkeys(found.label for c in typed_fallback if (found := fonts.fallback_for(c)) is not None))
    return Markup(line_breaks("".join(parts)), tuple(typed_fallback), tuple(replaced), used, right_to_left,
                  tuple(dropped), _loose_marks(typed, dropped))


def _loose_marks(text: str, dropped: list[str]) -> tuple[str, ...]:
    """Combining marks that NFC could not fold into their letter: ReportLab does no mark
    positioning, so they print after the letter rather than over it (Hebrew and Arabic
    points excepted: their fonts' marks are drawn in place)."""
    return tuple(dict.fromkeys(c for c in text if unicodedata.category(c) == "Mn" and c not in dropped
                               and not _is_rtl_mark(c)))


def _is_rtl_mark(char: str) -> bool:
    return 0x0591 <= ord(char) <= 0x05C7 or 0x0610 <= ord(char) <= 0x065F or 0x06D6 <= ord(char) <= 0x06ED


def _names(chars: tuple[str, ...], limit: int = 3) -> str:
    named = ", ".join(map(char_name, chars[:limit]))
    return named if len(chars) <= limit else f"{named} and {len(chars) - limit} more"


#: A right-to-left paragraph longer than this probably wraps, and its lines would read in the wrong order.
RTL_ONE_LINE = 45


class FieldText:
    """Markup for each field's text, made once, with warnings about characters noted once per field.

    Layout code asks for markup by field name (``faq, question 2, answer``) so that a
    fallback or replaced character is reported against the field the user typed it in.
    """

    def __init__(self, fonts: FontSet):
        self.fonts = fonts
        self.notes: list[tuple[str | None, str]] = []  # (field, warning), in the order found
        self._cache: dict[tuple[str, str], str] = {}

    def __call__(self, field_key: str, text: str) -> str:
        key = (field_key, text)
        if key not in self._cache:
            result = to_markup(text, self.fonts)
            notes = []
            if result.fallback:
                notes.append(f"{_names(result.fallback)} not in {self.fonts.primary_label}; "
                             f"printed in {' and '.join(result.fonts_used)}")
            if result.replaced:
                notes.append(f"{_names(result.replaced)} in no font; printed as a visible stand-in")
            if result.dropped:
                notes.append(f"{_names(result.dropped)} in no font; left out (the letter it marks is printed)")
            if result.loose_marks:
                notes.append(f"{_names(result.loose_marks)} has no ready-made letter; it prints beside its "
                             f"letter, not over it")
            if result.right_to_left and max(map(len, text.split("\n"))) > RTL_ONE_LINE:  # its longest line
                notes.append("right-to-left text is set right to left within each line, but if it "
                             "wraps its lines are stacked in left-to-right order; check the printout")
            for note in notes:
                if (field_key, note) not in self.notes:
                    self.notes.append((field_key, note))
            self._cache[key] = result.markup
        return self._cache[key]
