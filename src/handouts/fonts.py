"""Fonts: Atkinson Hyperlegible for every word, Inter for the characters it lacks.

Atkinson Hyperlegible was drawn for low-vision readers but covers Latin only: arrows,
Greek, Cyrillic and the non-breaking hyphen are missing.  ReportLab has no per-glyph
fallback, so :mod:`handouts.text` splits text into runs by what each font covers;
this module registers the fonts once per process and answers "who can draw this?".
Both come from PyPI packages, so a fresh install has them; both are embedded (subset).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont


@dataclass(frozen=True)
class FontSet:
    """Registered ReportLab font names and what they cover."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallback: str
    primary_label: str
    fallback_label: str
    primary_chars: frozenset[int]
    fallback_chars: frozenset[int]

    @cached_property
    def primary_text(self) -> frozenset[str]:
        """The primary font's characters as strings, for a whole-text check in one set operation."""
        return frozenset(map(chr, self.primary_chars)) | {"\n", "\t"}

    def covers_primary(self, char: str) -> bool:
        return ord(char) in self.primary_chars

    def covers_fallback(self, char: str) -> bool:
        return ord(char) in self.fallback_chars


def _register(name: str, family: str, weight: int, style: str) -> TTFont:
    font = TTFont(name, str(fontpkg.path(family, weight=weight, style=style)))
    pdfmetrics.registerFont(font)
    return font


@lru_cache(maxsize=1)
def fonts() -> FontSet:
    """Register the fonts (first call only) and return their names and coverage."""
    family = "Atkinson Hyperlegible"
    regular = _register("Atkinson", family, 400, "normal")
    _register("Atkinson-Bold", family, 700, "normal")
    _register("Atkinson-Italic", family, 400, "italic")
    _register("Atkinson-BoldItalic", family, 700, "italic")
    pdfmetrics.registerFontFamily("Atkinson", normal="Atkinson", bold="Atkinson-Bold",
                                  italic="Atkinson-Italic", boldItalic="Atkinson-BoldItalic")
    fallback = _register("Inter", "Inter", 400, "normal")
    # Inter is a variable font; ReportLab draws its default (regular) instance.  Map its
    # bold and italic to the same face so that <b> around a fallback run cannot fail.
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping("Inter", bold, italic, "Inter")
    return FontSet(
        regular="Atkinson", bold="Atkinson-Bold", italic="Atkinson-Italic",
        bold_italic="Atkinson-BoldItalic", fallback="Inter",
        primary_label=family, fallback_label="Inter",
        primary_chars=frozenset(regular.face.charToGlyph),
        fallback_chars=frozenset(fallback.face.charToGlyph),
    )
