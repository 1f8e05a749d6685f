"""Lay out the library catalogue's pages (no I/O): an index of target areas, then one group per area.

A clinician picks an exercise by the body area it works, then by its name, so the
library is grouped by **its first target** (free-exercise-db and the importers list the
primary muscle first) and sorted by title within a group; its other targets are printed on
its row ("Also: hamstrings"), so it is found when looked for under them, without being
listed twice (868 exercises stay 868 rows).  An exercise that names no target is under
"Other", the last group.  Groups and titles are sorted accent- and case-insensitively.

Each group starts on a new page, under a page header that names it; rows have a fixed
shape (thumbnail, title on up to two lines, level and equipment, the id) and are never
divided, so the page of every group is known before anything is drawn, and the index's
page numbers are exact in one pass.  The layout returns where each link and bookmark goes;
:mod:`handouts.render.catalogue` draws them.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from handouts.layout.fit_text import fit_line
from handouts.layout.flowables import Picture, Placed, Rule, height_at
from handouts.layout.markup import to_markup
from handouts.layout.paragraph import Paragraph
from handouts.style.catalogue_style import CatalogueStyle, CatalogueWords
from handouts.style.fonts import FontSet
from handouts.style.labels import level_word
from handouts.style.theme import Labels, Theme


@dataclass(frozen=True)
class Entry:
    """One exercise as its row shows it; text as written (escaped here)."""

    id: str
    title: str
    level: str | None = None
    equipment: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    language: str | None = None
    picture: Picture | None = None

    @property
    def href(self) -> str:
        """Its handout, relative to the catalogue: both are in the output folder."""
        return f"handouts/{self.id}.pdf"


@dataclass(frozen=True)
class Group:
    name: str                     # as printed: the first spelling met, its first letter capital
    key: str                      # its bookmark's name (g1, g2, ...)
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Link:
    """A clickable rectangle (x1, y1, x2, y2 in pt from the page's lower left) and where it goes:
    a relative *href* (another file) or a *dest*ination in this file (a bookmark's name)."""

    rect: tuple[float, float, float, float]
    href: str | None = None
    dest: str | None = None


@dataclass
class CataloguePage:
    placed: list[Placed] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    bookmark: tuple[str, str] | None = None   # (name, title): a group, or the contents, starts here


@dataclass
class CatalogueLayout:
    page_size: tuple[float, float]
    pages: list[CataloguePage]
    group_pages: dict[str, int]   # a group's name -> the page (1-based) it starts on


def sort_key(text: str) -> str:
    """*text* without accents and case, for sorting ("Élan" between "Ease" and "Flow")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def group_entries(entries: list[Entry], other: str) -> list[Group]:
    """*entries* grouped by their first target (see the module), groups and rows in order; *other*
    names the group of entries with no target, which comes last."""
    by_key: dict[str, list[Entry]] = {}
    names: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: e.id):  # the spelling shown: the first id's, whatever the order
        first = " ".join(entry.targets[0].split()) if entry.targets else ""
        key = sort_key(first)
        by_key.setdefault(key, []).append(entry)
        names.setdefault(key, first[:1].upper() + first[1:] if first else other)
    order = sorted((k for k in by_key if k), key=lambda k: (k, names[k])) + ([""] if "" in by_key else [])
    return [Group(names[k], f"g{i}", tuple(sorted(by_key[k], key=lambda e: (sort_key(e.title), e.title, e.id))))
            for i, k in enumerate(order, 1)]


class EntryRow(Flowable):
    """One exercise's row: its thumbnail (or an empty tinted box, so the titles line up) at the
    left, its title, its level and equipment and its id beside it, a thin rule under it."""

    def __init__(self, picture: Picture | None, text: list[Paragraph], style: CatalogueStyle, theme: Theme):
        super().__init__()
        self.picture, self.text, self.style, self.theme = picture, text, style, theme

    def wrap(self, avail_width, avail_height):
        s = self.style
        self.width = avail_width
        text_width = avail_width - s.thumb_width - s.thumb_gap
        self.text_height = sum(height_at(p, text_width) for p in self.text)
        self.height = max(s.thumb_height, self.text_height) + 2 * s.row_padding
        return self.width, self.height

    def draw(self):
        s, colours, canvas = self.style, self.theme.colours, self.canv
        box_y = self.height - s.row_padding - s.thumb_height
        if self.picture is None:
            canvas.setFillColor(HexColor(colours.tips_fill))
            canvas.setStrokeColor(HexColor(colours.tips_edge))
            canvas.setLineWidth(0.5)
            canvas.rect(0, box_y, s.thumb_width, s.thumb_height, stroke=1, fill=1)
        else:  # scaled into the box, its aspect kept, centred
            scale = min(s.thumb_width / self.picture.width_px, s.thumb_height / self.picture.height_px)
            w, h = self.picture.width_px * scale, self.picture.height_px * scale
            canvas.drawImage(self.picture.source, (s.thumb_width - w) / 2, box_y + (s.thumb_height - h) / 2, w, h)
        x = s.thumb_width + s.thumb_gap
        top = self.height - s.row_padding
        for paragraph in self.text:
            height = height_at(paragraph, self.width - x)
            paragraph.drawOn(canvas, x, top - height)
            top -= height
        canvas.setStrokeColor(HexColor(colours.tips_edge))
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.width, 0)


class _Styles:
    """The paragraph styles of the catalogue, from its style, the theme's colours and the fonts."""

    def __init__(self, style: CatalogueStyle, theme: Theme, fonts: FontSet):
        c = theme.colours

        def make(name: str, size: float, colour: str, bold: bool = False, **kw) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=fonts.bold if bold else fonts.regular, fontSize=size,
                                  leading=size * style.leading, textColor=HexColor(colour), **kw)

        self.title = make("cat-title", style.title_size, c.heading, bold=True)
        self.group = make("cat-group", style.group_size, c.heading, bold=True)
        self.heading = make("cat-heading", style.heading_size, c.heading, bold=True)
        self.entry = make("cat-entry", style.entry_size, c.text, bold=True)
        self.index = make("cat-index", style.entry_size, c.text)
        self.index_right = make("cat-index-right", style.entry_size, c.muted, alignment=TA_RIGHT)
        self.meta = make("cat-meta", style.meta_size, c.muted)
        self.intro = make("cat-intro", style.meta_size, c.muted)
        self.id = make("cat-id", style.id_size, c.muted)
        self.header = make("cat-header", style.header_size, c.heading, bold=True)
        self.header_right = make("cat-header-right", style.footer_size, c.muted, alignment=TA_RIGHT)
        self.footer = make("cat-footer", style.footer_size, c.muted)
        self.footer_right = make("cat-footer-right", style.footer_size, c.muted, alignment=TA_RIGHT)


def _text(text: str, fonts: FontSet) -> str:
    return to_markup(text, fonts).markup


def entry_row(entry: Entry, width: float, styles: _Styles, style: CatalogueStyle, theme: Theme,
              words: CatalogueWords, fonts: FontSet, language: str | None) -> EntryRow:
    """*entry*'s row at *width*: title cut to ``title_lines`` lines, the rest to one line each."""
    text_width = width - style.thumb_width - style.thumb_gap
    parts = []
    if entry.level:
        parts.append(_text(level_word(entry.level, language), fonts))
    if entry.equipment:
        parts.append(_text(", ".join(entry.equipment), fonts))
    if len(entry.targets) > 1:
        parts.append(f"{_text(words.also, fonts)}: {_text(', '.join(entry.targets[1:]), fonts)}")
    text = [Paragraph(fit_line(_text(entry.title, fonts), styles.entry, text_width, style.title_lines), styles.entry)]
    if parts:
        text.append(Paragraph(fit_line(" · ".join(parts), styles.meta, text_width), styles.meta))
    text.append(Paragraph(fit_line(_text(entry.id, fonts), styles.id, text_width), styles.id))
    return EntryRow(entry.picture, text, style, theme)


@dataclass(frozen=True)
class CatalogueText:
    """What the catalogue says besides its entries: its words, the handout labels (``Page 1 of 9``), the
    clinic's line (or None) and the language of level words."""

    words: CatalogueWords
    labels: Labels
    clinic: str | None = None
    language: str | None = None


def layout_catalogue(groups: list[Group], theme: Theme, page_size: tuple[float, float], fonts: FontSet,
                     text: CatalogueText, style: CatalogueStyle = CatalogueStyle()) -> CatalogueLayout:
    """The catalogue's pages: the index (one page or more), then each group from a new page.

    Every page has a header (the group; on the index, the catalogue's title) and a footer
    (the clinic, ``Page n of N``).  Raises nothing: a title too long is cut (with "…").
    """
    styles = _Styles(style, theme, fonts)
    page_w, page_h = page_size
    margin, width = theme.margin, page_size[0] - 2 * theme.margin
    header_h = style.header_size * style.leading + theme.header_rule + style.header_gap
    footer_h = style.footer_size * style.leading + theme.footer_rule + style.footer_gap
    body_top, body_bottom = page_h - margin - header_h, margin + footer_h

    # --- the groups' pages, counted first: the index says where each starts
    group_pages: list[tuple[Group, list[CataloguePage]]] = []
    for group in groups:
        pages: list[CataloguePage] = []
        heading = Paragraph(f"{_text(group.name, fonts)} <font name='{fonts.regular}' size={style.meta_size + 1} "
                            f"color='{theme.colours.muted}'>&nbsp; {_text(text.words.count(len(group.entries)), fonts)}"
                            f"</font>", styles.group)
        top = body_top
        page = CataloguePage(bookmark=(group.key, group.name))
        top = _place(page, heading, margin, top, width) - style.group_gap
        for entry in group.entries:
            row = entry_row(entry, width, styles, style, theme, text.words, fonts, text.language)
            height = height_at(row, width)
            if top - height < body_bottom and page.placed and len(page.placed) > (1 if not pages else 0):
                pages.append(page)
                page, top = CataloguePage(), body_top
            page.links.append(Link((margin, top - height, margin + width, top), href=entry.href))
            top = _place(page, row, margin, top, width)
        pages.append(page)
        group_pages.append((group, pages))

    index = _index_pages(group_pages, styles, style, theme, fonts, text, page_size, body_top, body_bottom)
    starts, number = {}, len(index) + 1
    for group, pages in group_pages:
        starts[group.name] = number
        number += len(pages)
    for page in index:  # the index's lines now know their pages
        for placed in page.placed:
            if isinstance(placed.flowable, _IndexLine):
                placed.flowable.page = starts[placed.flowable.group.name]
    every = index + [page for _, pages in group_pages for page in pages]
    headers = [text.words.contents] * len(index) + [g.name for g, pages in group_pages for _ in pages]
    for number, (page, header) in enumerate(zip(every, headers), 1):
        _frame(page, header, number, len(every), styles, style, theme, fonts, text, page_size)
    return CatalogueLayout(page_size, every, starts)


def _place(page: CataloguePage, flowable: Flowable, x: float, top: float, width: float) -> float:
    """Place *flowable* with its top at *top*; return where the next one starts."""
    page.placed.append(Placed(flowable, x, top, width))
    return top - height_at(flowable, width)


class _IndexLine(Flowable):
    """One line of the index: the group's name, how many exercises, and its page (set once known)."""

    def __init__(self, group: Group, name: Paragraph, count: Paragraph, styles: _Styles, style: CatalogueStyle,
                 rule: str):
        super().__init__()
        self.group, self.name, self.count, self.styles, self.style, self.rule = group, name, count, styles, style, rule
        self.page = 0

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.style.index_row
        return self.width, self.height

    def draw(self):
        s, canvas = self.style, self.canv
        numbers = s.index_count_width + s.index_page_width
        baseline_drop = (self.height - s.entry_size * s.leading) / 2
        for paragraph, x, w in ((self.name, 0, self.width - numbers),
                                (self.count, self.width - numbers, s.index_count_width),
                                (Paragraph(str(self.page), self.styles.index_right), self.width - s.index_page_width,
                                 s.index_page_width)):
            height = height_at(paragraph, w)
            paragraph.drawOn(canvas, x, self.height - baseline_drop - height)
        canvas.setStrokeColor(HexColor(self.rule))
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.width, 0)


def _index_pages(group_pages, styles: _Styles, style: CatalogueStyle, theme: Theme, fonts: FontSet,
                 text: CatalogueText, page_size, body_top: float, body_bottom: float) -> list[CataloguePage]:
    margin, width = theme.margin, page_size[0] - 2 * theme.margin
    page = CataloguePage(bookmark=("contents", text.words.contents))
    top = _place(page, Paragraph(_text(text.words.title, fonts), styles.title), margin, body_top, width)
    if text.clinic:
        top = _place(page, Paragraph(_text(text.clinic, fonts), styles.heading), margin, top - 2, width)
    total = sum(len(group.entries) for group, _ in group_pages)
    intro = f"{_text(text.words.count(total), fonts)}. {_text(text.words.how_to, fonts)}"
    top = _place(page, Paragraph(intro, styles.intro), margin, top - 8, width)
    top = _place(page, Rule(theme.colours.rule, theme.header_rule, 10, 12), margin, top, width)
    top = _place(page, Paragraph(_text(text.words.contents, fonts), styles.heading), margin, top, width) - 6
    pages = [page]
    names_width = width - style.index_count_width - style.index_page_width
    for group, _ in group_pages:
        line = _IndexLine(group, Paragraph(fit_line(_text(group.name, fonts), styles.index, names_width),
                                           styles.index),
                          Paragraph(_text(text.words.count(len(group.entries)), fonts), styles.index_right),
                          styles, style, theme.colours.tips_edge)
        if top - style.index_row < body_bottom:
            page, top = CataloguePage(), body_top
            pages.append(page)
        page.links.append(Link((margin, top - style.index_row, margin + width, top), dest=group.key))
        top = _place(page, line, margin, top, width)
    return pages


def _frame(page: CataloguePage, header: str, number: int, count: int, styles: _Styles, style: CatalogueStyle,
           theme: Theme, fonts: FontSet, text: CatalogueText, page_size) -> None:
    """The page's header (*header* left, the catalogue's title right) and footer (clinic, page number)."""
    margin, width = theme.margin, page_size[0] - 2 * theme.margin
    top = page_size[1] - margin
    half = width / 2
    _place(page, Paragraph(fit_line(_text(header, fonts), styles.header, half), styles.header), margin, top, half)
    if number > 1:  # the first page has the title in large type
        _place(page, Paragraph(_text(text.words.title, fonts), styles.header_right), margin + half, top, half)
    _place(page, Rule(theme.colours.rule, theme.header_rule, 0, 0), margin,
           top - style.header_size * style.leading - 2, width)
    bottom = margin + style.footer_size * style.leading
    _place(page, Rule(theme.colours.rule, theme.footer_rule, 0, 0), margin, bottom + 4, width)
    if text.clinic:
        _place(page, Paragraph(fit_line(_text(text.clinic, fonts), styles.footer, half), styles.footer),
               margin, bottom, half)
    page_of = text.labels.page_of.format(page=number, pages=count)
    _place(page, Paragraph(_text(page_of, fonts), styles.footer_right), margin + half, bottom, half)
