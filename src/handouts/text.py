"""User text to ReportLab Paragraph markup: escaped, and every character drawable.

Paragraph parses an XML-like markup, so ``<b>`` or ``&amp;`` typed in content would be
obeyed instead of printed.  Everything typed is escaped here; the only markup that
reaches ReportLab is the ``<font>`` runs this module adds for characters Atkinson
Hyperlegible lacks.  A character no font has is replaced by a visible equivalent
(``->`` for an arrow Inter also lacks, ``[?]`` at worst) and reported: never an empty box.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .fonts import FontSet

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
    fallback: tuple[str, ...] = ()  # characters drawn in the fallback font
    replaced: tuple[str, ...] = ()  # characters no font has, replaced visibly


def char_name(char: str) -> str:
    """``'→' (U+2192 RIGHTWARDS ARROW)``: how a character is named in a warning."""
    name = unicodedata.name(char, "")
    return f"'{char}' (U+{ord(char):04X}{' ' + name if name else ''})"


def _stand_in(char: str, fonts: FontSet) -> str | None:
    """A visible equivalent that the fonts can draw, or None."""
    for candidate in (unicodedata.normalize("NFKC", char), EQUIVALENTS.get(char, "")):
        if candidate and candidate != char and all(
                fonts.covers_primary(c) or fonts.covers_fallback(c) for c in candidate):
            return candidate
    return None


def to_markup(text: str, fonts: FontSet) -> Markup:
    """Escape *text* and wrap the characters Atkinson lacks in fallback-font runs."""
    if fonts.primary_text.issuperset(text):  # the common case: nothing to look up per character
        return Markup(escape(text))
    runs: list[tuple[bool, str]] = []  # (is_fallback, text)
    fallback: list[str] = []
    replaced: list[str] = []
    for char in text:
        if char in "\n\t" or fonts.covers_primary(char):
            use_fallback = False
        elif fonts.covers_fallback(char):
            use_fallback = True
            if char not in fallback:
                fallback.append(char)
        else:
            stand_in = _stand_in(char, fonts)
            if char not in replaced:
                replaced.append(char)
            if unicodedata.category(char).startswith("M"):
                continue  # a combining mark no font draws: the base letter stays readable
            char = stand_in or REPLACEMENT
            use_fallback = not all(fonts.covers_primary(c) for c in char)
        if runs and runs[-1][0] == use_fallback:
            runs[-1] = (use_fallback, runs[-1][1] + char)
        else:
            runs.append((use_fallback, char))
    parts = [f'<font face="{fonts.fallback}">{escape(run)}</font>' if fb else escape(run)
             for fb, run in runs]
    return Markup("".join(parts), tuple(fallback), tuple(replaced))


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
                notes.append(f"{', '.join(map(char_name, result.fallback))} not in "
                             f"{self.fonts.primary_label}; printed in {self.fonts.fallback_label}")
            if result.replaced:
                notes.append(f"{', '.join(map(char_name, result.replaced))} in no font; "
                             f"printed as a visible stand-in")
            for note in notes:
                if (field_key, note) not in self.notes:
                    self.notes.append((field_key, note))
            self._cache[key] = result.markup
        return self._cache[key]
