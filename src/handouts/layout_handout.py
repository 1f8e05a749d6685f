"""Stage 3: lay one exercise out on exactly one page (no I/O).

The page is a header (title, targets and equipment), two columns and a footer.  The
main column carries the summary, the description and the numbered steps at a line
length of about 65 characters; the side column carries the picture, the caution and
the tips.  Fitting is arithmetic on measured heights (``wrap``), not trial renders:

1. try body sizes from the theme's size down to its floor, each with the tips in the
   side column and then under the steps, and take the first arrangement that fits;
2. at the floor, shrink the picture step by step;
3. otherwise raise LayoutOverflowError saying how much too long the exercise is.

Description paragraphs are optional reading: they are added, in order, only while
they fit at the size chosen for everything else, and the caller is told what was left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer

from .errors import LayoutOverflowError, shorten
from .flowables import Box, DoseStrip, Picture, PictureRow, Placed, Rule, VideoLink, height_at
from .fonts import FontSet
from .labels import labels_for
from .load import field_name
from .model import Exercise
from .text import FieldText
from .theme import Theme


@dataclass
class HandoutLayout:
    page_size: tuple[float, float]
    placed: list[Placed]
    body_size: float
    description_shown: int
    picture_width: float | None
    notes: list[tuple[str | None, str]] = field(default_factory=list)  # (field, warning)


def _styles(theme: Theme, fonts: FontSet, steps: int) -> dict[str, ParagraphStyle]:
    c, size = theme.colours, theme.body_size
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=size, leading=size * theme.leading,
                          textColor=HexColor(c.text), alignment=TA_LEFT)
    heading_size = size * theme.heading_ratio
    # the hanging indent fits the widest step number, so short lists keep a long measure
    number_width = stringWidth(f"{steps}.", fonts.bold, size) + size * 0.6
    return {
        "title": ParagraphStyle("title", body, fontName=fonts.bold, fontSize=theme.title_size,
                                leading=theme.title_size * 1.15, textColor=HexColor(c.heading)),
        "meta": ParagraphStyle("meta", body, fontSize=theme.meta_size, leading=theme.meta_size * 1.3,
                               textColor=HexColor(c.muted)),
        "summary": ParagraphStyle("summary", body, fontSize=size * theme.summary_ratio,
                                  leading=size * theme.summary_ratio * theme.leading),
        "body": body,
        "heading": ParagraphStyle("heading", body, fontName=fonts.bold, fontSize=heading_size,
                                  leading=heading_size * 1.2, textColor=HexColor(c.heading), keepWithNext=1),
        "step": ParagraphStyle("step", body, leftIndent=number_width, bulletIndent=0,
                               bulletFontName=fonts.bold, bulletFontSize=size,
                               bulletColor=HexColor(c.step_number)),
        "box_heading": ParagraphStyle("box_heading", body, fontName=fonts.bold, textColor=HexColor(c.heading)),
        "caution_heading": ParagraphStyle("caution_heading", body, fontName=fonts.bold,
                                          textColor=HexColor(c.caution_heading)),
        "tip": ParagraphStyle("tip", body, leftIndent=size * 0.9, bulletIndent=0, bulletFontName=fonts.bold,
                              bulletColor=HexColor(c.heading)),
        "caption": ParagraphStyle("caption", body, fontSize=max(theme.footer_size, size * 0.85),
                                  leading=max(theme.footer_size, size * 0.85) * 1.2, textColor=HexColor(c.muted),
                                  alignment=TA_CENTER),
        "dose_label": ParagraphStyle("dose_label", body, fontSize=theme.meta_size * 0.9,
                                     leading=theme.meta_size * 1.1, textColor=HexColor(c.muted)),
        "dose_value": ParagraphStyle("dose_value", body, fontName=fonts.bold, fontSize=size * 1.2,
                                     leading=size * 1.2 * 1.15, textColor=HexColor(c.heading)),
        "footer": ParagraphStyle("footer", body, fontSize=theme.footer_size,
                                 leading=theme.footer_size * 1.25, textColor=HexColor(c.muted)),
        "footer_right": ParagraphStyle("footer_right", body, fontSize=theme.footer_size,
                                       leading=theme.footer_size * 1.25, textColor=HexColor(c.muted),
                                       alignment=TA_RIGHT),
    }


def _height(flowables: list[Flowable], width: float) -> float:
    return sum(height_at(f, width) for f in flowables)


class _Page:
    """The blocks of one handout at one body size."""

    def __init__(self, ex: Exercise, text: FieldText, theme: Theme, page_size: tuple[float, float]):
        self.ex, self.text, self.theme = ex, text, theme
        self.st = _styles(theme, text.fonts, len(ex.instructions))
        self.page_size = page_size
        width, height = page_size
        self.text_width = width - 2 * theme.margin
        self.main_width = self.text_width * theme.main_column
        self.side_width = self.text_width - self.main_width - theme.gutter
        self.gap = theme.body_size * theme.paragraph_gap

    def header(self) -> list[Flowable]:
        ex, t, st = self.ex, self.text, self.st
        out: list[Flowable] = [Paragraph(t("title", ex.title), st["title"])]
        meta = []
        labels = self.theme.labels
        if ex.targets:
            meta.append(f"<b>{labels.targets}:</b> " + ", ".join(
                t(field_name(("targets", i)), w) for i, w in enumerate(ex.targets)))
        if ex.equipment:
            meta.append(f"<b>{labels.equipment}:</b> " + ", ".join(
                t(field_name(("equipment", i)), w) for i, w in enumerate(ex.equipment)))
        if ex.level:
            meta.append(f"<b>{labels.level}:</b> " + t("level", ex.level))
        if meta:
            out += [Spacer(0, 3), Paragraph("&nbsp;&nbsp;&nbsp;·&nbsp;&nbsp;&nbsp;".join(meta), st["meta"])]
        out += self.dose()
        out.append(Rule(self.theme.colours.rule, 1.2, self.gap * 0.9, self.gap * 1.6))
        return out

    def footer(self) -> list[Flowable]:
        return [Rule(self.theme.colours.tips_edge, 0.6, 0, 4)]

    def footer_texts(self) -> tuple[Paragraph, Paragraph]:
        return (Paragraph(self.text("title", self.ex.title), self.st["footer"]),
                Paragraph(self.theme.labels.footer_note, self.st["footer_right"]))

    def summary(self) -> list[Flowable]:
        if not self.ex.summary:
            return []
        return [Paragraph(self.text("summary", self.ex.summary), self.st["summary"]), Spacer(0, self.gap)]

    def description(self, count: int) -> list[Flowable]:
        out: list[Flowable] = []
        for i, para in enumerate(self.ex.description[:count]):
            out += [Paragraph(self.text(field_name(("description", i)), para), self.st["body"]), Spacer(0, self.gap)]
        return out

    def steps(self) -> list[Flowable]:
        size = self.theme.body_size
        out: list[Flowable] = [Spacer(0, self.gap * 0.5),
                               Paragraph(self.theme.labels.instructions, self.st["heading"]),
                               Spacer(0, self.gap * 0.7)]
        for i, step in enumerate(self.ex.instructions):
            if i:
                out.append(Spacer(0, size * self.theme.step_gap))
            out.append(Paragraph(self.text(field_name(("instructions", i)), step), self.st["step"], bulletText=f"{i + 1}."))
        return out

    def _box(self, heading: str, style: str, items: list[Flowable], fill: str, edge: str) -> list[Flowable]:
        theme = self.theme
        continued = Paragraph(f"{heading} {theme.labels.continued}", self.st[style])
        return [Box(Paragraph(heading, self.st[style]), items, fill, edge, theme.body_size * theme.box_padding,
                    theme.box_radius, theme.body_size * theme.step_gap, continued)]

    def tips(self) -> list[Flowable]:
        if not self.ex.tips:
            return []
        items = [Paragraph(self.text(field_name(("tips", i)), tip), self.st["tip"], bulletText="•")
                 for i, tip in enumerate(self.ex.tips)]
        c = self.theme.colours
        return self._box(self.theme.labels.tips, "box_heading", items, c.tips_fill, c.tips_edge)

    def dose(self) -> list[Flowable]:
        """The dose under the title, where it is seen first; the parts not set get a blank line."""
        if not self.ex.dose:
            return []
        given = dict(self.ex.dose)
        c, st = self.theme.colours, self.st
        cells = [(Paragraph(label, st["dose_label"]),
                  Paragraph(self.text(field_name(("dose", part)), given[part]), st["dose_value"])
                  if part in given else None)
                 for part, label in self.theme.labels.dose]
        return [Spacer(0, self.gap * 0.8),
                DoseStrip(cells, c.tips_fill, c.tips_edge, c.muted, self.theme.body_size * 0.6,
                          self.theme.box_radius)]

    def video(self) -> list[Flowable]:
        if not self.ex.video:
            return []
        st = self.st
        address = shorten(re.sub(r"^https?://(www\.)?", "", self.ex.video, flags=re.IGNORECASE).rstrip("/"), 44)
        return [VideoLink(self.ex.video, Paragraph(self.theme.labels.video, st["box_heading"]),
                          Paragraph(self.text("video", address), st["meta"]), self.gap)]

    def caution(self) -> list[Flowable]:
        if not self.ex.caution:
            return []
        c = self.theme.colours
        return self._box(self.theme.labels.caution, "caution_heading",
                         [Paragraph(self.text("caution", self.ex.caution), self.st["body"])],
                         c.caution_fill, c.caution_edge)


def _spaced(blocks: list[list[Flowable]], gap: float) -> list[Flowable]:
    """Join non-empty blocks with a gap between them."""
    out: list[Flowable] = []
    for block in (b for b in blocks if b):
        if out:
            out.append(Spacer(0, gap))
        out += block
    return out


@dataclass(frozen=True)
class _Column:
    x: float
    top: float
    width: float
    bottom: float


def _fits_after(following: list[Flowable], width: float, room: float) -> bool:
    """Whether the start of the next real flowable fits in *room* (to keep a heading with it)."""
    for flowable in following:
        _, h = flowable.wrap(width, room)
        if not isinstance(flowable, Spacer):
            return h <= room or len(flowable.split(width, room)) > 1
        room -= h
    return True


def _flow(items: list[Flowable], columns: list[_Column]) -> tuple[list[Placed], float]:
    """Pour *items* into *columns* in order, splitting a paragraph or box at a column's end.

    Returns what was placed and the height of what did not fit (0.0 when everything did).
    A gap never opens a column, and a heading never ends one.
    """
    placed: list[Placed] = []
    queue = list(items)
    for col in columns:
        y, opened = col.top, False
        while queue:
            f = queue[0]
            if not opened and isinstance(f, Spacer):
                queue.pop(0)
                continue
            room = y - col.bottom
            _, h = f.wrap(col.width, room)
            keep = getattr(f, "keepWithNext", False) and len(queue) > 1
            if h <= room + 1e-6 and not (keep and not _fits_after(queue[1:], col.width, room - h)):
                placed.append(Placed(f, col.x, y, col.width))
                y, opened = y - h, True
                queue.pop(0)
                continue
            parts = [] if keep else f.split(col.width, room)
            if len(parts) > 1:
                parts[0].wrap(col.width, room)
                placed.append(Placed(parts[0], col.x, y, col.width))
                queue[0:1] = parts[1:]
            break
    return placed, _height(queue, columns[-1].width)


def _arrangements(page: _Page, pictures: list[Flowable], shown: int, avail: float, body_top: float,
                  only: str | None = None):
    """The ways to arrange the body, most preferred first: (name, placed, overflow height).

    With *only*, just that arrangement is laid out (when adding description paragraphs
    to an arrangement already chosen).
    """
    gap = page.gap
    main_col = _Column(page.theme.margin, body_top, page.main_width, body_top - avail)
    side_col = _Column(page.theme.margin + page.main_width + page.theme.gutter, body_top, page.side_width,
                       body_top - avail)

    def main_items(with_tips: bool) -> list[Flowable]:
        tips = [Spacer(0, gap * 1.6)] + page.tips() if with_tips and page.ex.tips else []
        return page.summary() + page.description(shown) + page.steps() + tips

    def side_items(with_tips: bool) -> list[Flowable]:
        return _spaced([list(pictures), page.video(), page.caution(), page.tips() if with_tips else []],
                       gap * 1.4)

    # tips in the side column; then tips under the steps; then one flow over both columns
    for name, tips_in_side in (("side tips", True), ("main tips", False)):
        if (not tips_in_side and not page.ex.tips) or only not in (None, name):
            continue
        side_placed, side_over = _flow(side_items(tips_in_side), [side_col])
        main_placed, main_over = _flow(main_items(not tips_in_side), [main_col])
        yield name, main_placed + side_placed, main_over + side_over
    if only not in (None, "flow"):
        return
    side_placed, side_over = _flow(side_items(False), [side_col])
    side_bottom = body_top
    if side_placed:
        last = side_placed[-1]
        side_bottom = last.top - last.flowable.wrap(last.width, 1e9)[1] - gap * 1.4
    rest = _Column(side_col.x, side_bottom, side_col.width, side_col.bottom)
    flow_placed, flow_over = _flow(main_items(True), [main_col, rest])
    yield "flow", flow_placed + side_placed, flow_over + side_over


def _picture_shares(pictures: list[Picture], theme: Theme) -> list[float]:
    """1.0, then smaller shares of the pictures' full size, down to the theme's smallest."""
    shares = [1.0]
    share = 1.0
    while pictures and share > theme.picture_min_width + 1e-9:
        share = round(share - 0.1, 2)
        shares.append(max(share, theme.picture_min_width))
    return shares


def layout_handout(ex: Exercise, pictures: list[Picture], theme: Theme, page_size: tuple[float, float],
                   fonts: FontSet) -> HandoutLayout:
    """Fit *ex* on one page of *page_size*; raise LayoutOverflowError when it cannot fit.

    One picture goes at the top of the side column; two go side by side in a band across
    the page under the header, where each is large enough to show a start and an end position.
    """
    text = FieldText(fonts)
    theme = replace(theme, labels=labels_for(ex.language, theme.labels))
    # captions as markup, each reported against its own item of images: (a missing picture
    # before it shifts the list, so the item is found by file, not by position)
    index = {ref.file: i for i, ref in enumerate(ex.images)}
    pictures = [replace(p, caption=text(field_name(("images", index.get(p.name, 0), "caption")), p.caption))
                if p.caption else p for p in pictures]
    width, height = page_size
    closest = 0.0  # at the last size tried: the smallest overflow, as pages' worth of body height
    sizes = theme.trial_sizes()
    trials = [(size, 1.0) for size in sizes] + [(sizes[-1], share) for share in _picture_shares(pictures, theme)[1:]]
    for size, share in trials:
        page = _Page(ex, text, theme.with_body_size(size), page_size)
        header, footer = page.header(), page.footer()
        header_h = _height(header, page.text_width)
        footer_h = _height(footer, page.text_width) + theme.footer_size * 1.25
        avail = height - 2 * theme.margin - header_h - footer_h - page.gap
        body_top = height - theme.margin - header_h
        side: list[Flowable] = []
        band: PictureRow | None = None
        if len(pictures) == 1:
            side = [PictureRow(pictures, page.side_width * share, avail * theme.picture_max_height, 0,
                               page.st["caption"])]
        elif pictures:
            band = PictureRow(pictures, page.text_width * share, avail * theme.band_max_height * share,
                              theme.gutter, page.st["caption"])
            band_h = band.wrap(page.text_width, avail)[1] + page.gap * 1.4
            body_top -= band_h
            avail -= band_h
        closest = float("inf")
        for name, placed, overflow in _arrangements(page, side, 0, avail, body_top):
            closest = min(closest, 1 + overflow / avail)
            if overflow:
                continue
            shown = 0
            for count in range(1, len(ex.description) + 1):
                ((_, trial, overflow),) = _arrangements(page, side, count, avail, body_top, only=name)
                if overflow:
                    break
                shown, placed = count, trial
            if band:
                placed = [Placed(band, theme.margin, height - theme.margin - header_h, page.text_width)] + placed
            return _place(page, header, placed, footer, shown, band or (side[0] if side else None), text,
                          size, share)
    raise LayoutOverflowError(
        ex.problem(None, f"does not fit on one page even at {theme.min_body_size:g} pt with the picture "
                         f"at its smallest: about {max(1, round((closest - 1) * 100))}% too long; shorten the "
                         f"steps or tips, or split the exercise"), closest - 1)


def _stack(flowables: list[Flowable], x: float, top: float, width: float) -> tuple[list[Placed], float]:
    """Place *flowables* one under another from *top*; return them and the bottom reached."""
    placed = []
    for f in flowables:
        h = height_at(f, width)
        placed.append(Placed(f, x, top, width))
        top -= h
    return placed, top


def _place(page: _Page, header, body: list[Placed], footer, shown: int, pictures: PictureRow | None,
           text: FieldText, size: float, share: float) -> HandoutLayout:
    theme, ex = page.theme, page.ex
    width, height = page.page_size
    left = theme.margin
    placed = _stack(header, left, height - theme.margin, page.text_width)[0] + body
    footer_left, footer_right = page.footer_texts()
    text_h = max(footer_left.wrap(page.text_width * 0.5, 1e9)[1], footer_right.wrap(page.text_width * 0.5, 1e9)[1])
    placed += _stack(footer, left, theme.margin + text_h + _height(footer, page.text_width), page.text_width)[0]
    placed.append(Placed(footer_left, left, theme.margin + text_h, page.text_width * 0.5))
    placed.append(Placed(footer_right, left + page.text_width * 0.5, theme.margin + text_h, page.text_width * 0.5))
    notes = list(text.notes)
    if size < theme.comfortable_size:
        notes.append((None, f"printed at {size:g} pt to fit on one page ({theme.comfortable_size:g} pt is "
                            f"comfortable to read); consider shortening it"))
    if share < 1:
        many = len(pictures.pictures) > 1
        notes.append(("images" if many else ex.image_field(0),
                      f"{'pictures' if many else 'picture'} shrunk to {round(share * 100)}% of "
                      f"{'the page width' if many else 'its column'} to fit on one page"))
    if shown < len(ex.description):
        left_out = len(ex.description) - shown
        notes.append(("description", f"{left_out} of {len(ex.description)} paragraph"
                                     f"{'s' if len(ex.description) > 1 else ''} left out: not enough room "
                                     f"on the page"))
    picture_width = pictures.draw_w if pictures else None
    return HandoutLayout(page.page_size, placed, size, shown, picture_width, notes)
