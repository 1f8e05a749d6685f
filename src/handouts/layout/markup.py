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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from handouts.errors import FONT_NOTICE, Problem, UnprintableTextError, font_notice
from handouts.style.fonts import FontSet

#: Visible stand-ins for characters neither font draws (checked after NFKC folding).
EQUIVALENTS = {
    "\u2212": "-", "\u21d2": "=>", "\u2192": "->", "\u2190": "<-", "\u2194": "<->",
    "\u2713": "(ok)", "\u2714": "(ok)", "\u2717": "(x)", "\u2718": "(x)",
}
REPLACEMENT = "[?]"

#: The no-break spaces ReportLab would break a line at (it keeps only U+00A0 whole), as U+00A0:
#: "10\u202fkm" stays on one line.  Their glyph is the space either way (style.fonts.GLYPH_ALIASES).
NO_BREAK_SPACES = str.maketrans({"\u202f": "\u00a0", "\u2007": "\u00a0"})

#: Bidi_Mirrored characters and their mirror images, from the Unicode Character Database's
#: BidiMirroring.txt as python-bidi ships it: the bidi algorithm's rule L4 draws these mirrored
#: in right-to-left runs, so "(twice a day)" in Hebrew opens and closes the right way.
MIRRORED: dict[str, str] = {}

#: Unprintable letters of one script in one exercise beyond which it fails rather than print
#: stand-ins: a stray character is a typo worth a warning, a word or more is text nobody can read.
FEW = 3

#: How a script is named to a clinician, where ISO 15924's name is not the language people know.
SCRIPT_NAMES = {"Han": "Chinese", "Hiragana": "Japanese", "Katakana": "Japanese", "Hangul": "Korean"}


@dataclass(frozen=True)
class Markup:
    """Escaped Paragraph markup plus what it had to do to draw the text."""

    markup: str
    fallback: tuple[str, ...] = ()  # characters drawn in a fallback font, as typed
    replaced: tuple[str, ...] = ()  # characters (grapheme clusters) no font has, replaced visibly
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
    """*text* with its right-to-left runs in the order they are seen, mirrored characters
    mirrored; and whether the paragraph itself is right-to-left (its first strong character is).
    Each line (split at "\n") is a paragraph of its own to the bidi algorithm."""
    if not any(_is_rtl(c) for c in text):
        return text, False
    if any(unicodedata.bidirectional(c) == "AL" for c in text):
        import arabic_reshaper

        text = arabic_reshaper.reshape(text)
    first_strong = next((c for c in text if _is_strong(c)), "a")
    return "\n".join(_visual_line(line) for line in text.split("\n")), _is_rtl(first_strong)


def _visual_line(line: str) -> str:
    if not any(_is_rtl(c) for c in line):
        return line
    from bidi import get_display  # only paid for by text that needs it

    visual = _mirrored(line) or get_display(line)
    first_strong = next((c for c in line if _is_strong(c)), "a")
    if not _is_rtl(first_strong):
        # a right-to-left phrase in a left-to-right paragraph is only right on one line:
        # no-break spaces keep it whole, so the line breaker moves it rather than splits it
        visual = _bind_rtl_phrases(visual)
    return visual


def _mirrored(line: str) -> str | None:
    """*line* in visual order with rule L4 applied, or None if python-bidi's levels cannot be read.

    python-bidi (the unicode-bidi crate) resolves the levels, paired brackets included (rule
    N0, which its older pure-Python algorithm lacks), but does not mirror.  Its ``debug=True``
    result gives the resolved level of each UTF-8 byte: with those, rules L1 (trailing spaces
    to the paragraph's level), L2 (reverse each run at or above each odd level) and L4 (mirror
    what ends at an odd level) are applied here, and the order checked against get_display's.
    """
    from bidi import get_display

    levels = _levels(line, get_display(line, debug=True))
    if levels is None:
        return None
    paragraph = 1 if _is_rtl(next((c for c in line if _is_strong(c)), "a")) else 0
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
    visual = "".join(line[i] for i in order)
    if visual != get_display(line):
        return None
    if not MIRRORED:
        from bidi.mirror import MIRRORED as table

        MIRRORED.update(table)
    return "".join(MIRRORED.get(line[i], line[i]) if levels[i] % 2 else line[i] for i in order)


def _levels(line: str, debug: str) -> list[int] | None:
    """The resolved embedding level of each character of *line*, from python-bidi's debug output."""
    import re

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


def char_name(char: str) -> str:
    """``'→' (U+2192 RIGHTWARDS ARROW)``: how a character is named in a warning; a grapheme
    cluster of several code points (an emoji sequence) by its first and its length."""
    if len(char) > 1:
        return f"'{char}' ({char_name(char[0]).rpartition('(')[2][:-1]}, a sequence of {len(char)} code points)"
    name = unicodedata.name(char, "")
    if len(name) > 32:  # some Unicode names run to 80 characters
        name = name[:31] + "…"
    shown = char if unicodedata.category(char)[0] not in "CZ" else ""
    return f"'{shown}' (U+{ord(char):04X}{' ' + name if name else ''})" if shown else \
        f"U+{ord(char):04X}{' ' + name if name else ''}"


def _stand_in(cluster: str, fonts: FontSet) -> str | None:
    """A visible equivalent that the fonts can draw, or None."""
    for candidate in (unicodedata.normalize("NFKC", cluster), EQUIVALENTS.get(cluster, "")):
        if candidate and candidate != cluster and all(
                fonts.covers_primary(c) or fonts.covers_fallback(c) for c in candidate):
            return candidate
    return None


def _invisible(char: str) -> bool:
    """A format character (zero-width space or joiner, word joiner, bidi control, byte-order
    mark) or a variation selector: nothing to draw once the text is in visual order.  The soft
    hyphen is not one: ReportLab breaks and prints a hyphen there."""
    return (unicodedata.category(char) == "Cf" and char != "\u00ad") or 0xFE00 <= ord(char) <= 0xFE0F \
        or 0xE0100 <= ord(char) <= 0xE01EF


def _drawable(char: str, fonts: FontSet) -> bool:
    return char in "\n\t" or fonts.covers_primary(char) or fonts.covers_fallback(char) or _invisible(char)


def _replace_clusters(text: str, fonts: FontSet) -> tuple[str, list[str], list[str]]:
    r"""*text* with each grapheme cluster no font can draw replaced by one stand-in; and the
    clusters replaced, and the combining marks left out (their letter drawn without them).

    The unit is the extended grapheme cluster (UAX #29, the ``regex`` module's ``\X``), what a
    reader sees as one character: a family emoji of seven code points, a thumbs-up with a skin
    tone and a flag each get one stand-in, not one per code point.
    """
    import regex

    out: list[str] = []
    replaced: list[str] = []
    dropped: list[str] = []
    for cluster in regex.findall(r"\X", text):
        missing = [c for c in cluster if not _drawable(c, fonts)]
        if not missing:
            out.append(cluster)
        elif len(missing) < len(cluster) and all(unicodedata.category(c).startswith("M") for c in missing):
            dropped += [c for c in missing if c not in dropped]  # the letter stays readable
            out.append("".join(c for c in cluster if c not in missing))
        else:
            if cluster not in replaced:
                replaced.append(cluster)
            out.append(_stand_in(cluster, fonts) or REPLACEMENT)
    return "".join(out), replaced, dropped


def font_runs(text: str, fonts: FontSet) -> list[tuple[str | None, str]]:
    """*text* as it is drawn: stand-ins in place, in visual order, in runs of one font (None:
    Atkinson; else a fallback font's registered name).  For text drawn straight on a canvas (a
    card sheet's small print), where there is no Paragraph to read markup."""
    return _drawn(text.translate(NO_BREAK_SPACES), fonts)[0]


def _drawn(text: str, fonts: FontSet) -> tuple[list[tuple[str | None, str]], list[str], list[str], bool]:
    """The runs of :func:`font_runs`, the grapheme clusters replaced, the marks dropped, and
    whether the paragraph is right to left."""
    if fonts.primary_text.issuperset(text):  # the common case: nothing to look up per character
        return ([(None, text)] if text else []), [], [], False
    text, replaced, dropped = _replace_clusters(text, fonts)
    text, right_to_left = visual_order(text)
    runs: list[tuple[str | None, str]] = []  # (fallback font name or None, text)
    for char in text:
        if char in "\n\t" or fonts.covers_primary(char):
            font = None
        elif _invisible(char):
            continue
        else:
            found = fonts.fallback_for(char)
            font = found.name if found is not None else None  # never: stand-ins are drawable
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    return runs, replaced, dropped, right_to_left


def line_breaks(markup: str) -> str:
    """*markup* (escaped) with each line break typed ("\\n": an answer or a step written as a YAML
    block) a line break printed; the only ``<br/>`` that reaches ReportLab from what was typed."""
    return markup.replace("\n", "<br/>")


def to_markup(text: str, fonts: FontSet) -> Markup:
    """Escape *text* and wrap the characters Atkinson lacks in fallback-font runs."""
    typed, text = text, text.translate(NO_BREAK_SPACES)
    if fonts.primary_text.issuperset(text):  # the common case: nothing to look up per character
        return Markup(line_breaks(escape(text)))
    runs, replaced, dropped, right_to_left = _drawn(text, fonts)
    parts = [f'<font face="{font}">{escape(run)}</font>' if font else escape(run) for font, run in runs]
    # report what was typed, not the shaped presentation forms that were drawn
    typed_fallback = [c for c in dict.fromkeys(typed) if not fonts.covers_primary(c) and c not in "\n\t"
                      and not _invisible(c)
                      and fonts.fallback_for(c) is not None and not any(c in r for r in replaced)]
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


def names(chars: Sequence[str], limit: int = 3) -> str:
    """Up to *limit* characters named as :func:`char_name` does, then how many more."""
    named = ", ".join(map(char_name, chars[:limit]))
    return named if len(chars) <= limit else f"{named} and {len(chars) - limit} more"


def script_of(char: str) -> str | None:
    """The script a letter is written in, as a clinician names it (``Thai``, ``Chinese``), or None
    for what is shared by every script or is no letter (digits, punctuation, arrows, emoji)."""
    from fontTools import unicodedata as ucd

    code = ucd.script(char)
    if code in ("Zyyy", "Zinh", "Zzzz") or unicodedata.category(char)[0] not in "LM":
        return None
    name = ucd.script_name(code)
    return SCRIPT_NAMES.get(name, name)


def describe_chars(chars: str) -> str:
    """What a fallback font printed, as the build's summary says it: letters of a script Atkinson
    lacks by their script (``Hebrew letters``), anything else (an arrow, a Vietnamese or Turkish
    letter Atkinson lacks) by name (:func:`names`)."""
    grouped = [script_of(c) if script_of(c) != "Latin" else None for c in chars]  # Latin: a few, by name
    scripts = dict.fromkeys(s for s in grouped if s)
    others = [c for c, s in zip(chars, grouped) if not s]
    return ", ".join([f"{script} letters" for script in scripts] + ([names(others)] if others else []))


#: A right-to-left paragraph longer than this probably wraps, and its lines would read in the wrong order.
RTL_ONE_LINE = 45


class FieldText:
    """Markup for each field's text, made once, with warnings about characters noted once per field.

    Layout code asks for markup by field name (``faq, question 2, answer``) so that a
    replaced character is reported against the field the user typed it in.  Characters drawn
    in a fallback font are no one's mistake: they are notices (``fonts``), which the build's
    summary lists once.  Given *locate* (the exercise's or program's ``problem``), text in a
    script no font draws raises :class:`~handouts.errors.UnprintableTextError` once more than
    :data:`FEW` of its letters turn up; without it (the clinic's profile) it is a warning.
    """

    def __init__(self, fonts: FontSet, locate: Callable[[str | None, str], Problem] | None = None):
        self.fonts = fonts
        self.locate = locate
        self.notes: list[tuple[str | None, str]] = []  # (field, warning), in the order found
        self.notices: list[tuple[str | None, str, str]] = []  # (field, kind, message): by design
        self._cache: dict[tuple[str, str], str] = {}
        self._unprintable: dict[str, tuple[str, set[str]]] = {}  # script -> (first field, its letters)

    def __call__(self, field_key: str, text: str) -> str:
        key = (field_key, text)
        if key not in self._cache:
            result = to_markup(text, self.fonts)
            if self.locate is not None and result.replaced:
                self._check_scripts(field_key, result.replaced)
            notes = []
            for label in result.fonts_used:
                chars = "".join(c for c in result.fallback if (f := self.fonts.fallback_for(c)) and f.label == label)
                notice = (field_key, FONT_NOTICE, font_notice(label, chars))
                if notice not in self.notices:
                    self.notices.append(notice)
            if result.replaced:
                notes.append(f"{names(result.replaced)} in no font; printed as a visible stand-in: "
                             f"write it in words instead")
            if result.dropped:
                notes.append(f"{names(result.dropped)} in no font; left out (the letter it marks is printed)")
            if result.loose_marks:
                notes.append(f"{names(result.loose_marks)} has no ready-made letter; it prints beside its "
                             f"letter, not over it")
            if result.right_to_left and max(map(len, text.split("\n"))) > RTL_ONE_LINE:  # its longest line
                notes.append("right-to-left text is set right to left within each line, but if it "
                             "wraps its lines are stacked in left-to-right order; check the printout")
            for note in notes:
                if (field_key, note) not in self.notes:
                    self.notes.append((field_key, note))
            self._cache[key] = result.markup
        return self._cache[key]

    def _check_scripts(self, field_key: str, replaced: tuple[str, ...]) -> None:
        assert self.locate is not None
        for cluster in replaced:
            script = script_of(cluster[0])
            if script is None:  # an emoji, a symbol: a stray sign, replaced and warned of
                continue
            first, letters = self._unprintable.setdefault(script, (field_key, set()))
            letters.add(cluster)
            if len(letters) > FEW:
                raise UnprintableTextError(self.locate(first, f"{script} text cannot be printed: "
                                                              f"no font for this script"))
