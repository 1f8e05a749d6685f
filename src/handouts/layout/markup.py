"""User text to ReportLab Paragraph markup: escaped, and every character drawable.

Paragraph parses an XML-like markup, so ``<b>`` or ``&amp;`` typed in content would be
obeyed instead of printed.  Everything typed is escaped here; the only markup that
reaches ReportLab is the ``<font>`` runs this module adds for characters Atkinson
Hyperlegible lacks, and a ``<br/>`` for each line break typed (in text whose line breaks
are kept).  A character no font has is replaced by a visible equivalent (``->`` for an
arrow Inter also lacks, ``[?]`` at worst) and reported: never an empty box.

Right-to-left text (Hebrew, Arabic) is put in visual order by
:mod:`handouts.layout.right_to_left`, because ReportLab draws every line left to right;
each line set right to left is marked (:data:`~handouts.layout.right_to_left.RTL_LINE`) so
that :mod:`handouts.layout.paragraph` stacks its wrapped parts in reading order.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from handouts.errors import FONT_NOTICE, Problem, UnprintableTextError, font_notice
from handouts.layout.right_to_left import RTL_LINE, starts_rtl, visual_order

if TYPE_CHECKING:  # a type only: the fonts bring ReportLab (see handouts.outputs)
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

#: Letters (and digits) no font prints, in one exercise, beyond which it fails rather than print
#: stand-ins: a stray character is a typo worth a warning; two make a word nobody can read (你好).
FEW = 1

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
    harakat: tuple[str, ...] = ()   # Arabic vowel marks, left out (arabic-reshaper cannot place them)


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
    """A visible equivalent that the fonts can draw, or None (a variation selector does not
    change which: "✔️" is "✔")."""
    cluster = "".join(c for c in cluster if not _invisible(c)) or cluster
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
        if len(cluster) > 1 and cluster[0].isspace():  # a lone mark or skin tone clings to the space before it
            out.append(cluster[0])
            cluster = cluster[1:]
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
    harakat = _harakat(typed)
    typed_fallback = [c for c in dict.fromkeys(typed) if not fonts.covers_primary(c) and c not in "\n\t"
                      and not _invisible(c) and c not in harakat
                      and fonts.fallback_for(c) is not None and not any(c in r for r in replaced)]
    used = tuple(dict.fromkeys(found.label for c in typed_fallback if (found := fonts.fallback_for(c)) is not None))
    markup = line_breaks("".join(parts))
    right_to_left_lines = [starts_rtl(line) for line in typed.split("\n")]  # as line_breaks prints them
    if any(right_to_left_lines):  # each line set right to left says so, for layout.paragraph to wrap it
        markup = "<br/>".join(RTL_LINE + line if rtl else line
                              for rtl, line in zip(right_to_left_lines, markup.split("<br/>")))
    return Markup(markup, tuple(typed_fallback), tuple(replaced), used, right_to_left,
                  tuple(dropped), _loose_marks(typed, dropped, replaced), harakat)


def _harakat(text: str) -> tuple[str, ...]:
    """The Arabic vowel marks in *text* that arabic-reshaper leaves out when it joins the letters
    (its default: ReportLab could not place them over their letters)."""
    if not any(unicodedata.bidirectional(c) == "AL" for c in text):
        return ()
    from arabic_reshaper.arabic_reshaper import HARAKAT_RE

    return tuple(dict.fromkeys(c for c in text if HARAKAT_RE.match(c)))


def _loose_marks(text: str, dropped: list[str], replaced: list[str]) -> tuple[str, ...]:
    """Combining marks that NFC could not fold into their letter: ReportLab does no mark
    positioning, so they print after the letter rather than over it (Hebrew and Arabic
    points excepted: their fonts' marks are drawn in place; and marks that are not printed:
    a variation selector, one left out, one inside a cluster replaced by a stand-in)."""
    gone = set(dropped) | {c for cluster in replaced for c in cluster}
    return tuple(dict.fromkeys(c for c in text if unicodedata.category(c) == "Mn" and c not in gone
                               and not _is_rtl_mark(c) and not _invisible(c)))


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
    grouped = [s if (s := script_of(c)) != "Latin" else None for c in chars]  # Latin: a few, by name
    scripts = dict.fromkeys(s for s in grouped if s)
    others = [c for c, s in zip(chars, grouped) if not s]
    return ", ".join([f"{script} letters" for script in scripts] + ([names(others)] if others else []))


class FieldText:
    """Markup for each field's text, made once, with warnings about characters noted once per field.

    Layout code asks for markup by field name (``faq, question 2, answer``) so that a
    replaced character is reported against the field the user typed it in.  Characters drawn
    in a fallback font are no one's mistake: they are notices (``fonts``), which the build's
    summary lists once.  Given *locate* (the ``problem`` of the exercise, program or clinic
    profile), text in a script no font draws raises :class:`~handouts.errors.UnprintableTextError`
    once more than :data:`FEW` of its letters turn up; without it (text whose own build says so:
    an exercise's title on a program's cover) it is a warning.
    """

    def __init__(self, fonts: FontSet, locate: Callable[[str | None, str], Problem] | None = None):
        self.fonts = fonts
        self.locate = locate
        self.notes: list[tuple[str | None, str]] = []  # (field, warning), in the order found
        self.notices: list[tuple[str | None, str, str]] = []  # (field, kind, message): by design
        self._cache: dict[tuple[str, str], str] = {}
        self._unprintable: dict[str, tuple[str, list[str]]] = {}  # script -> (first field, its letters)

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
            if result.harakat:
                notes.append(f"{names(result.harakat)} left out: Arabic vowel marks cannot be placed over their "
                             f"letters here, so the letters print without them; check the printout")
            if result.loose_marks:
                notes.append(f"{names(result.loose_marks)} has no ready-made letter; it prints beside its "
                             f"letter, not over it")
            for note in notes:
                if (field_key, note) not in self.notes:
                    self.notes.append((field_key, note))
            self._cache[key] = result.markup
        return self._cache[key]

    def _check_scripts(self, field_key: str, replaced: tuple[str, ...]) -> None:
        """Count the letters no font draws and no stand-in reads as (not the emoji or symbols: a stray
        sign is replaced and warned of; not "ŉ", printed "ʼn"); past :data:`FEW` in the exercise,
        whatever their scripts, it cannot be printed."""
        assert self.locate is not None
        for char in (c for cluster in replaced if _stand_in(cluster, self.fonts) is None for c in cluster):
            script = script_of(char)
            if script is not None and unicodedata.category(char)[0] in "LN":
                self._unprintable.setdefault(script, (field_key, []))[1].append(char)
        if sum(len(letters) for _, letters in self._unprintable.values()) > FEW:
            scripts = list(self._unprintable)
            named = " and ".join([", ".join(scripts[:-1]), scripts[-1]] if len(scripts) > 1 else scripts)
            first = self._unprintable[scripts[0]][0]
            these = "this script" if len(scripts) == 1 else "these scripts"
            raise UnprintableTextError(self.locate(first, f"{named} text cannot be printed: no font for {these}"))


def unprintable_scripts(texts: Sequence[str], fonts: FontSet) -> list[str]:
    """The scripts of *texts*' letters that no font draws and no stand-in reads as, in the order met,
    when there are more than :data:`FEW` such letters in all (the rule :meth:`Markup._check_scripts`
    applies while laying out); [] when they can be printed.  For a form that checks before it saves."""
    import regex

    found: dict[str, int] = {}
    for text in texts:
        for cluster in regex.findall(r"\X", text):
            if all(fonts.covers_primary(c) or fonts.covers_fallback(c) for c in cluster) or \
                    _stand_in(cluster, fonts) is not None:
                continue
            for char in cluster:
                script = script_of(char)
                if script is not None and unicodedata.category(char)[0] in "LN":
                    found[script] = found.get(script, 0) + 1
    return list(found) if sum(found.values()) > FEW else []
