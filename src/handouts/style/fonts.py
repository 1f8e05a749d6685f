"""Fonts: Atkinson Hyperlegible for every word, fallbacks for the characters it lacks.

Atkinson Hyperlegible was drawn for low-vision readers but covers Latin only.  Inter
draws arrows, Greek, Cyrillic and the non-breaking hyphen; Heebo draws Hebrew and Noto
Sans Arabic draws Arabic (in the presentation forms :mod:`handouts.layout.markup` shapes it into).
ReportLab has no per-glyph fallback, so :mod:`handouts.layout.markup` splits text into runs by
the first font that covers each character; this module registers the fonts once per
process and answers "who can draw this?".  All come from PyPI packages, so a fresh
install has them; all are embedded (subset), and only when used; a subset made once is reused
by later documents of the process (:mod:`handouts.style.font_subsets`).

The fallbacks are variable fonts, of which ReportLab draws only the regular; their bold faces
are static instances (:mod:`handouts.style.font_instances`), made and registered the first time
bold text needs one (:meth:`FontSet.bold_of`), so a build with no such text never pays for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from handouts.style.font_instances import bold_face, cache_folder
from handouts.style.font_subsets import CachingTTFont


#: The typeface of every word the fonts can draw (its coverage is Latin).
PRIMARY_FAMILY = "Atkinson Hyperlegible"


@dataclass(frozen=True)
class Fallback:
    """A font that draws some of what the primary font lacks."""

    name: str      # registered ReportLab name
    label: str     # as warnings name it
    chars: frozenset[int]
    source: str    # the variable font file, which its bold instance is made from


@dataclass(frozen=True)
class FontSet:
    """Registered ReportLab font names and what they cover."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallback: str                    # the general fallback (Inter): stand-ins are set in it
    primary_label: str
    primary_chars: frozenset[int]
    fallbacks: tuple[Fallback, ...]  # in order of preference, the first one being *fallback*

    @cached_property
    def primary_text(self) -> frozenset[str]:
        """The primary font's characters as strings, for a whole-text check in one set operation."""
        return frozenset(map(chr, self.primary_chars)) | {"\n", "\t"}

    def covers_primary(self, char: str) -> bool:
        return ord(char) in self.primary_chars

    def covers_fallback(self, char: str) -> bool:
        return self.fallback_for(char) is not None

    def fallback_for(self, char: str) -> Fallback | None:
        """The first fallback font that draws *char*, or None."""
        code = ord(char)
        for fallback in self.fallbacks:
            if code in fallback.chars:
                return fallback
        return None

    def bold_of(self, name: str) -> str | None:
        """The registered name of fallback font *name*'s bold face (``Inter-Bold``), made and
        registered the first time it is asked for; None when *name* is not a fallback font.

        Raises FontError when the bold instance cannot be made (a broken install)."""
        for fallback in self.fallbacks:
            if fallback.name == name:
                return _bold_registered(fallback)
        return None


#: Each fallback font's registered bold face, in this process (build workers inherit it when forked).
_BOLD: dict[str, str] = {}


def _bold_registered(fallback: Fallback) -> str:
    if fallback.name not in _BOLD:
        bold = f"{fallback.name}-Bold"
        pdfmetrics.registerFont(bold_face(bold, Path(fallback.source), fallback.label, fallback.chars,
                                          cache_folder()))
        _family(fallback.name, bold)
        _BOLD[fallback.name] = bold
    return _BOLD[fallback.name]


def _family(name: str, bold: str) -> None:
    """ReportLab's family table for fallback font *name*: bold (and bold italic) is *bold*, italic
    the upright (no italic is drawn in a fallback font).

    The order matters: addMapping also records the last (bold, italic) it was given for a name as
    what that name itself is (``<font face="Inter">`` sets bold from it), so the regular comes last.
    """
    addMapping(name, 1, 1, bold)
    addMapping(name, 1, 0, bold)
    addMapping(name, 0, 1, name)
    addMapping(name, 0, 0, name)


#: Characters Atkinson Hyperlegible lacks that are the same drawing as one it has: the Unicode
#: hyphen and non-breaking hyphen are its hyphen-minus, the figure dash its en dash, the
#: horizontal bar its em dash, and the typographic spaces (which ReportLab breaks lines at and
#: sets as word spaces anyway) its space.  Drawn with that glyph, the PDF's text still holds the
#: character typed and no fallback font is needed.  The no-break spaces among them (narrow,
#: figure) are turned into U+00A0 before layout, in :mod:`handouts.layout.markup`.
GLYPH_ALIASES: dict[int, int] = {
    0x2010: 0x2D, 0x2011: 0x2D, 0x2012: 0x2013, 0x2015: 0x2014,
    **{space: 0x20 for space in (*range(0x2000, 0x200B), 0x202F, 0x205F)},
}


def _register(name: str, family: str, weight: int, style: str) -> TTFont:
    font = CachingTTFont(name, str(fontpkg.path(family, weight=weight, style=style)))
    pdfmetrics.registerFont(font)
    return font


def _alias_glyphs(font: TTFont) -> TTFont:
    """Give *font* the :data:`GLYPH_ALIASES` it lacks, as ReportLab itself gives U+00A0 the space's glyph."""
    face = font.face
    for code, same in GLYPH_ALIASES.items():
        if code not in face.charToGlyph and same in face.charToGlyph:
            face.charToGlyph[code] = face.charToGlyph[same]
            face.charWidths[code] = face.charWidths.get(same, face.defaultWidth)
    return font


@lru_cache(maxsize=1)
def fonts() -> FontSet:
    """Register the fonts (first call only) and return their names and coverage."""
    family = PRIMARY_FAMILY
    regular = _alias_glyphs(_register("Atkinson", family, 400, "normal"))
    for name, weight, style in (("Atkinson-Bold", 700, "normal"), ("Atkinson-Italic", 400, "italic"),
                                ("Atkinson-BoldItalic", 700, "italic")):
        _alias_glyphs(_register(name, family, weight, style))
    pdfmetrics.registerFontFamily("Atkinson", normal="Atkinson", bold="Atkinson-Bold",
                                  italic="Atkinson-Italic", boldItalic="Atkinson-BoldItalic")
    fallback = _register("Inter", "Inter", 400, "normal")
    extra = [fallback, _register("Heebo", "Heebo", 400, "normal"),
             _register("NotoSansArabic", "Noto Sans Arabic", 400, "normal")]
    labels = {"Inter": "Inter", "Heebo": "Heebo", "NotoSansArabic": "Noto Sans Arabic"}
    # the script fonts draw only their script: a Latin ligature they happen to have is
    # better folded into Atkinson's letters (see text.EQUIVALENTS) than set in Heebo
    scripts = {"Heebo": ((0x0590, 0x05FF), (0xFB1D, 0xFB4F)),
               "NotoSansArabic": ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF),
                                  (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))}
    for font in extra:  # all variable fonts, drawn as their default (regular) until a bold face is made
        _family(font.fontName, _BOLD.get(font.fontName, font.fontName))
    return FontSet(
        regular="Atkinson", bold="Atkinson-Bold", italic="Atkinson-Italic",
        bold_italic="Atkinson-BoldItalic", fallback="Inter",
        primary_label=family,
        primary_chars=frozenset(regular.face.charToGlyph),
        fallbacks=tuple(Fallback(f.fontName, labels[f.fontName], frozenset(
            c for c in f.face.charToGlyph
            if f.fontName not in scripts or any(lo <= c <= hi for lo, hi in scripts[f.fontName])), f.face.filename)
            for f in extra),
    )
