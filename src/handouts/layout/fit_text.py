"""Fitting markup to a width: how wide a line is set, cutting a title short with '…', breaking
a contact line only between its parts, a style at another size.

Measured with ReportLab's own line breaking (a Paragraph), so what is measured is what prints,
fallback-font runs included.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyphen  # type: ignore[import-untyped]

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from handouts.layout.paragraph import Paragraph
from handouts.layout.right_to_left import RTL_LINE


def line_width(markup: str, style: ParagraphStyle) -> float:
    """How wide *markup* is set on one line."""
    p = Paragraph(markup, style)
    p.wrap(1e6, 1e6)
    return max(p.getActualLineWidths0() or [0.0])


_TOKEN = re.compile(r"<[^>]*>|&[^;\s]*;|[^<&]")


def first_word(markup: str) -> str:
    """*markup* up to its first space (never one inside a tag: ``<font face="Inter">``), with the
    tags left open there (a fallback font run) closed: a word that can be measured alone."""
    tokens = _TOKEN.findall(markup)
    return _closed(tokens[:next((i for i, t in enumerate(tokens) if t == " "), len(tokens))])


def _open_tags(tokens: list[str]) -> list[str]:
    """The tags *tokens* leave open, outermost first (a comment or ``<br/>`` opens nothing)."""
    opened: list[str] = []
    for t in tokens:
        if t.startswith("</"):
            if opened:
                opened.pop()
        elif t.startswith("<") and not t.endswith("/>") and not t.startswith("<!--"):
            opened.append(t)
    return opened


def _closed(tokens: list[str], after: str = "") -> str:
    """The markup *tokens* make, then *after*, then the closing tags of those left open."""
    return "".join(tokens) + after + "".join(f"</{t[1:-1].split()[0]}>" for t in reversed(_open_tags(tokens)))


def line_count(markup: str, style: ParagraphStyle, width: float) -> int:
    p = Paragraph(markup, style)
    p.wrap(width, 1e9)
    return len(p.blPara.lines)


def fit_line(markup: str, style: ParagraphStyle, width: float, lines: int = 1) -> str:
    """*markup* if it fits on *lines* lines of *width*, else its longest start that fits with '…' after it.

    The cut falls between characters, never inside an entity or a tag, and the tags left
    open (a fallback font run) are closed after the ellipsis.  A right-to-left line (in
    visual order, marked by :mod:`handouts.layout.markup`) starts at its right: its start is
    the end of the markup, kept with the ellipsis before it, on its left.
    """
    markup = " ".join(markup.replace("<br/>", " ").split())

    def fits(text: str) -> bool:
        return line_width(text, style) <= width if lines == 1 else line_count(text, style, width) <= lines

    if fits(markup):
        return markup
    right_to_left = markup.startswith(RTL_LINE)
    tokens = _TOKEN.findall(markup[len(RTL_LINE):] if right_to_left else markup)
    visible = [i for i, t in enumerate(tokens) if not t.startswith("<")]

    def kept_token(count: int) -> str:
        """The *count*-th visible token kept, counted from where the line starts (its left; an
        RTL line's right)."""
        return tokens[visible[len(visible) - count] if right_to_left else visible[count - 1]]

    def cut(count: int) -> str:
        if right_to_left:  # the last *count* visible tokens, the tags open before them opened again
            start = visible[len(visible) - count] if count else len(tokens)
            kept = tokens[start:]
            while kept and kept[0] in (" ", "&nbsp;"):
                kept.pop(0)
            return RTL_LINE + "…" + "".join(_open_tags(tokens[:start])) + "".join(kept)
        kept = tokens[:visible[count - 1] + 1 if count else 0]
        while kept and kept[-1] in (" ", "&nbsp;"):
            kept.pop()
        return _closed(kept, "…")

    low, high = 0, len(visible)  # cut(low) fits (or is the empty cut); cut(high) does not
    while high - low > 1:
        middle = (low + high) // 2
        if fits(cut(middle)):
            low = middle
        else:
            high = middle
    # at the end of a word, if that keeps most of what fits: "Calf raise on…", not "Calf raise on t…"
    spaces = [count for count in range(low, 0, -1) if kept_token(count) in (" ", "&nbsp;")]
    if spaces and spaces[0] >= low * 0.6 and low < len(visible) and kept_token(low + 1) not in (" ", "&nbsp;"):
        return cut(spaces[0])
    return cut(low)


def no_break(markup: str) -> str:
    """*markup* with its spaces (outside tags) made no-break: "30 s" stays on one line."""
    return re.sub(r"(<[^>]*>)| ", lambda m: m.group(1) or "&nbsp;", markup)


def lines_at(markup: str, separator: str, style: ParagraphStyle, width: float) -> str:
    """*markup* broken only after a *separator* ("555 0100 · hello@x.example"), as many parts to a
    line as fit; *markup* as it is when it fits on one line or a part would carry a tag across."""
    if line_width(markup, style) <= width:
        return markup
    parts = markup.split(separator)
    if len(parts) < 2 or any(_TAGS_OPENED.findall(p) != [t[2:] for t in _TAGS_CLOSED.findall(p)] for p in parts):
        return markup
    lines = [parts[0]]
    for part in parts[1:]:
        joined = lines[-1] + separator + part
        if line_width(joined, style) <= width:
            lines[-1] = joined
        else:
            lines.append(part)
    return "<br/>".join(lines)


_TAGS_OPENED = re.compile(r"<([a-zA-Z]+)[^>/]*>")
_TAGS_CLOSED = re.compile(r"</[a-zA-Z]+")


def resized(style: ParagraphStyle, size: float) -> ParagraphStyle:
    """*style* at another size, its leading in proportion."""
    if size == style.fontSize:
        return style
    return ParagraphStyle(f"{style.name}@{size:g}", style, fontSize=size,
                          leading=style.leading * size / style.fontSize)


#: Pyphen's dictionary for each language the labels are translated into (LibreOffice's hyphenation
#: patterns, which Pyphen ships).
HYPHENATION = {"en": "en_US", "es": "es", "fr": "fr", "de": "de_DE"}
WIDEST_GLYPH = 1.0  # em: no glyph of the fonts used is wider (Atkinson Hyperlegible's widest is about 0.9)
BOLD_SLACK = 1.08  # a word set bold is up to this much wider than in the regular face (Atkinson Hyperlegible)
SOFT_HYPHEN = "\u00ad"  # ReportLab breaks a word here only when it must, and prints a hyphen there

_TAG_OR_WORD = re.compile(r"(<[^>]*>)|([^\s<]+)")
_ADDRESS = re.compile(r"[/@]|\w\.\w")  # a web or mail address, a file name
_HYPHENATABLE = re.compile(r"(&[#\w]+;)|([^\W\d_]{5,})")  # letters only: never inside an entity or a number


@lru_cache(maxsize=8)
def _dictionary(language: str | None) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=HYPHENATION.get(language or "en", "en_US"))


def soft_hyphens(markup: str, style: ParagraphStyle, width: float, language: str | None) -> str:
    """*markup* with soft hyphens at the dictionary's points in each word wider than *width* (pt) in *style*
    (with room for it being bold), so such a word breaks where the language allows, hyphen printed,
    instead of being cut anywhere; every other word is left as it is."""
    if max((len(w) for w in markup.split()), default=0) * style.fontSize * WIDEST_GLYPH <= width:
        return markup  # no word can be that wide: most paragraphs, without measuring a word

    def word(match: re.Match) -> str:
        tag, text = match.group(1), match.group(2)
        if tag or text is None:
            return tag or ""
        plain = re.sub(r"&[#\w]+;", "x", text)
        if stringWidth(plain, style.fontName, style.fontSize) * BOLD_SLACK <= width or _ADDRESS.search(plain):
            return text  # fits; or an address, which a hyphen would change
        return _HYPHENATABLE.sub(lambda m: m.group(1) or _dictionary(language).inserted(m.group(2), SOFT_HYPHEN),
                                 text)

    # ReportLab (5.1, _getFragWords) forgets a word's soft hyphens when a <br/> follows it directly;
    # a space between them, which the line break swallows unseen and unmeasured, keeps them
    return _SHY_BEFORE_BREAK.sub(r"\1 <br/>", _TAG_OR_WORD.sub(word, markup))


#: A word with soft hyphens (its fallback-font run closed, if it ends one), then a line break.
_SHY_BEFORE_BREAK = re.compile(r"(\u00ad[^\s<]*(?:</font>)*)<br/>")


def _whole(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-whole", style, splitLongWords=0)


#: Answers of :func:`words_fit` kept, least recently used dropped first.  Fitting a card tries
#: the same paragraph at the same size on every cut of its answer: on the first 120 exercises of
#: free-exercise-db with their FAQs, 2,880 checks were of 361 paragraphs (the checks were 8 % of
#: the build's CPU), and each answer is a few bytes.
WORDS_FIT_KEPT = 8192
#: A style's attributes a paragraph's setting never reads: its name and the style it copied its
#: values from when it was made (ReportLab's ``PropertySet``); styles made for each try differ in these.
_NOT_SET = frozenset({"name", "parent"})
_words_fit: dict[tuple, bool] = {}


def words_fit(markup: str, style: ParagraphStyle, width: float) -> bool:
    """Whether *markup* set in *style* at *width* (pt) breaks only where *style* allows: between
    words, or at a hyphen it prints; a word too wide for the width sticks out of it.

    ReportLab's own line breaking lets a line run up to about a space past the width (measured:
    1 pt at 11 pt); only more than that is a word that does not fit.  The answer is kept (see
    :data:`WORDS_FIT_KEPT`) under the markup, the width and every attribute of the style that
    setting reads, so it is the same answer as working it out again.
    """
    try:
        key: tuple | None = (markup, width, tuple(item for item in vars(style).items() if item[0] not in _NOT_SET))
        found = _words_fit.get(key)  # type: ignore[arg-type]
    except TypeError:  # a style holding something unhashable: worked out every time
        key, found = None, None
    if found is not None:
        return found
    para = Paragraph(markup, style)
    para.wrap(width, 1e9)
    fits = max(para.getActualLineWidths0() or [0.0]) <= width + style.fontSize * 0.3
    if key is not None:
        if len(_words_fit) >= WORDS_FIT_KEPT:
            del _words_fit[next(iter(_words_fit))]  # the oldest first (dicts keep their order)
        _words_fit[key] = fits
    return fits


def narrow_cells(cells: list[str], style: ParagraphStyle, width: float, floor: float, language: str | None,
                 step: float = 0.5) -> list[tuple[str, ParagraphStyle]]:
    """Each of *cells* (markup, all set in cells *width* pt wide) as (markup, style), so no word is cut
    without a hyphen.

    The cells share one size: the largest, from *style*'s down to *floor* (pt), at which every
    word of every cell fits whole.  Where a word is still too wide at the floor, it gets soft
    hyphens at the language's dictionary points (:func:`soft_hyphens`); only a word with none
    that fit (an address, a number) is cut at the edge, ReportLab's last resort.
    """
    size = style.fontSize
    while True:
        whole = _whole(resized(style, size))
        if all(words_fit(cell, whole, width) for cell in cells):
            return [(cell, whole) for cell in cells]
        if size - step < floor - 1e-9:
            break
        size = round(size - step, 2)
    out = []
    for cell in cells:
        if words_fit(cell, whole, width):
            out.append((cell, whole))
            continue
        hyphenated = soft_hyphens(cell, whole, width, language)
        out.append((hyphenated, whole if words_fit(hyphenated, whole, width) else
                    ParagraphStyle(f"{whole.name}-cut", whole, splitLongWords=1)))
    return out
