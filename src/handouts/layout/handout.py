"""Lay one exercise out on exactly one page (no I/O).

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

from dataclasses import dataclass, field, replace

from reportlab.platypus import Flowable, Spacer

from handouts.content.exercise import Exercise
from handouts.content.load import field_name
from handouts.errors import LayoutOverflowError
from handouts.layout.columns import Column, flow, spaced, stack, total_height
from handouts.layout.flowables import Picture, PictureRow, Placed, height_at
from handouts.layout.handout_page import HandoutPage, PageContext
from handouts.layout.markup import FieldText
from handouts.style.fonts import FontSet
from handouts.style.labels import as_markup, labels_for
from handouts.style.theme import Theme

__all__ = ["HandoutLayout", "PageContext", "layout_handout"]


@dataclass
class HandoutLayout:
    page_size: tuple[float, float]
    pages: list[list[Placed]]
    body_size: float
    description_shown: int
    picture_width: float | None
    notes: list[tuple[str | None, str]] = field(default_factory=list)  # (field, warning)
    fit_notes: list[str] = field(default_factory=list)  # the notes about fitting: the size, the pictures


@dataclass(frozen=True)
class _Frame:
    """Where the body goes at one body size: its columns on each page, and a band of pictures."""

    columns: list[Column]            # page 1's body, then page 2's (large print)
    avail: float                      # page 1's body height
    band: PictureRow | None = None    # two pictures across page 1, above the body
    side: tuple[Flowable, ...] = ()   # one picture, at the top of the side column
    corner: PictureRow | None = None  # large print: one picture at the top right, the text beside it

    @property
    def capacity(self) -> float:
        """The body height of every page: how much too long an exercise is is measured against it."""
        return self.avail + sum(c.top - c.bottom for c in self.columns if c.page > 0)


def _frame(page: HandoutPage, pictures: list[Picture], share: float, pages: int, footer_h: float,
           footer_h2: float = 0.0) -> _Frame:
    theme, gap = page.theme, page.gap
    width, height = page.page_size
    header_h = total_height(page.header(), page.text_width)
    avail = height - 2 * theme.margin - header_h - footer_h - gap
    body_top = height - theme.margin - header_h
    band: PictureRow | None = None
    side: tuple[Flowable, ...] = ()
    corner: PictureRow | None = None
    columns = [Column(theme.margin, body_top, page.text_width, body_top - avail)]
    if len(pictures) > 1:
        band = PictureRow(pictures, page.text_width * share, avail * theme.band_max_height * share,
                          theme.gutter, page.st["caption"])
        band_h = band.wrap(page.text_width, avail)[1] + gap * theme.block_gap
        body_top -= band_h
        avail -= band_h
        columns = [Column(theme.margin, body_top, page.text_width, body_top - avail)]
    elif pictures and theme.single_column:  # the text runs beside the picture, then under it
        corner_w = page.text_width * theme.corner_share * share
        corner = PictureRow(pictures, corner_w, avail * theme.picture_max_height * share, 0, page.st["caption"])
        corner_bottom = body_top - corner.wrap(corner_w, avail)[1]
        columns = [Column(theme.margin, body_top, page.text_width - corner_w - theme.gutter, corner_bottom),
                   Column(theme.margin, corner_bottom, page.text_width, body_top - avail)]
    elif pictures:
        side = (PictureRow(pictures, page.side_width * share, avail * theme.picture_max_height, 0,
                           page.st["caption"]),)
    if pages > 1:
        top = height - theme.margin - total_height(page.header_continued(), page.text_width)
        columns.append(Column(theme.margin, top, page.text_width, theme.margin + footer_h2 + gap, page=1))
    return _Frame(columns, avail, band, side, corner)


def _arrangements(page: HandoutPage, frame: _Frame, shown: int, only: str | None = None):
    """The ways to arrange the body, most preferred first: (name, placed, overflow height).

    With *only*, just that arrangement is laid out (when adding description paragraphs
    to an arrangement already chosen).
    """
    gap = page.gap
    if page.theme.single_column:  # large print: everything in one column, over one or two pages
        items = spaced([page.summary(), page.caution(), page.description(shown) + page.steps(), page.tips(),
                         page.video()], gap * page.theme.block_gap)
        yield ("single",) + flow(items, frame.columns)
        return
    body = frame.columns[0]
    main_col = Column(body.x, body.top, page.main_width, body.bottom)
    side_col = Column(body.x + page.main_width + page.theme.gutter, body.top, page.side_width, body.bottom)

    def main_items(with_tips: bool) -> list[Flowable]:
        tips = [Spacer(0, gap * page.theme.main_tips_gap)] + page.tips() if with_tips and page.ex.tips else []
        return page.summary() + page.description(shown) + page.steps() + tips

    def side_items(with_tips: bool) -> list[Flowable]:
        return spaced([list(frame.side), page.video(), page.caution(), page.tips() if with_tips else []],
                       gap * page.theme.block_gap)

    # tips in the side column; then tips under the steps; then one flow over both columns
    for name, tips_in_side in (("side tips", True), ("main tips", False)):
        if (not tips_in_side and not page.ex.tips) or only not in (None, name):
            continue
        side_placed, side_over = flow(side_items(tips_in_side), [side_col])
        main_placed, main_over = flow(main_items(not tips_in_side), [main_col])
        yield name, main_placed + side_placed, main_over + side_over
    if only not in (None, "flow"):
        return
    side_placed, side_over = flow(side_items(False), [side_col])
    side_bottom = body.top
    if side_placed:
        last = side_placed[-1]
        side_bottom = last.top - last.flowable.wrap(last.width, 1e9)[1] - gap * page.theme.block_gap
    rest = Column(side_col.x, side_bottom, side_col.width, side_col.bottom)
    flow_placed, flow_over = flow(main_items(True), [main_col, rest])
    yield "flow", flow_placed + side_placed, flow_over + side_over


def _picture_shares(pictures: list[Picture], theme: Theme) -> list[float]:
    """1.0, then smaller shares of the pictures' full size, down to the theme's smallest."""
    shares = [1.0]
    share = 1.0
    while pictures and share > theme.picture_min_width + 1e-9:
        share = round(share - theme.picture_shrink_step, 2)
        shares.append(max(share, theme.picture_min_width))
    return shares


def _trials(pictures: list[Picture], theme: Theme) -> list[tuple[int, float, float]]:
    """(pages, body size, picture share) to try, in order of preference: one page at each size,
    then (large print) two pages at each size, then the pictures smaller at the floor."""
    sizes = theme.trial_sizes()
    out = [(pages, size, 1.0) for pages in range(1, theme.max_pages + 1) for size in sizes]
    return out + [(theme.max_pages, sizes[-1], share) for share in _picture_shares(pictures, theme)[1:]]


def layout_handout(ex: Exercise, pictures: list[Picture], theme: Theme, page_size: tuple[float, float],
                   fonts: FontSet, context: PageContext = PageContext()) -> HandoutLayout:
    """Fit *ex* on one page of *page_size* (two in large print); raise LayoutOverflowError when it cannot.

    One picture goes at the top of the side column; two go side by side in a band across
    the page under the header, where each is large enough to show a start and an end position.
    """
    text = FieldText(fonts)
    theme = replace(theme, labels=as_markup(labels_for(ex.language or context.language, theme.labels)))
    # captions as markup, each reported against its own item of images: (a missing picture
    # before it shifts the list, so the item is found by file, not by position)
    index = {ref.file: i for i, ref in enumerate(ex.images)}
    pictures = [replace(p, caption=text(field_name(("images", index.get(p.name, 0), "caption")), p.caption))
                if p.caption else p for p in pictures]
    closest = 0.0  # at the last size tried: the smallest overflow, as pages' worth of body height
    footer_heights: dict[tuple[int, int], float] = {}  # (pages, page): the footer does not follow the body size
    for pages, size, share in _trials(pictures, theme):
        page = HandoutPage(ex, text, theme.with_body_size(size), page_size, context)
        for number in range(1, pages + 1):
            if (pages, number) not in footer_heights:
                footer_heights[pages, number] = page.footer_height(pages, number)
        frame = _frame(page, pictures, share, pages, footer_heights[pages, 1], footer_heights.get((pages, 2), 0.0))
        closest = float("inf")
        for name, placed, overflow in _arrangements(page, frame, 0):
            closest = min(closest, 1 + overflow / frame.capacity)
            if overflow:
                continue
            shown = 0
            for count in range(1, len(ex.description) + 1):
                ((_, trial, overflow),) = _arrangements(page, frame, count, only=name)
                if overflow:
                    break
                shown, placed = count, trial
            band_top = page_size[1] - theme.margin - total_height(page.header(), page.text_width)
            if frame.band:
                placed = [Placed(frame.band, theme.margin, band_top, page.text_width)] + placed
            if frame.corner:
                corner_w = frame.corner.max_width
                placed = [Placed(frame.corner, theme.margin + page.text_width - corner_w, band_top, corner_w)] + placed
            return _place(page, placed, pages, shown,
                          frame.band or frame.corner or (frame.side[0] if frame.side else None),
                          text, size, share)
    where = "two pages" if theme.max_pages > 1 else "one page"
    raise LayoutOverflowError(
        ex.problem(None, f"does not fit on {where} even at {theme.min_body_size:g} pt with the picture "
                         f"at its smallest: about {max(1, round((closest - 1) * 100))}% too long; shorten the "
                         f"steps or tips, or split the exercise"), closest - 1)


def _place(page: HandoutPage, body: list[Placed], pages: int, shown: int, pictures: PictureRow | None,
           text: FieldText, size: float, share: float) -> HandoutLayout:
    theme, ex = page.theme, page.ex
    width, height = page.page_size
    left = theme.margin
    out: list[list[Placed]] = []
    for number in range(pages):
        header = page.header() if number == 0 else page.header_continued()
        placed = stack(header, left, height - theme.margin, page.text_width, number)
        placed += [p for p in body if p.page == number]
        footer_left, footer_right, share_left = page.footer_texts(number + 1, pages)
        left_w, right_w = page.text_width * share_left, page.text_width * (1 - share_left)
        text_h = max(height_at(footer_left, left_w), height_at(footer_right, right_w))
        placed += stack(page.footer(), left, theme.margin + text_h + total_height(page.footer(), page.text_width),
                         page.text_width, number)
        placed.append(Placed(footer_left, left, theme.margin + text_h, left_w, number))
        placed.append(Placed(footer_right, left + left_w, theme.margin + text_h, right_w, number))
        out.append(placed)
    notes: list[tuple[str | None, str]] = []
    where = "one page" if pages == 1 else f"{pages} pages"
    if size < theme.comfortable_size:
        notes.append((None, f"printed at {size:g} pt to fit on {where} ({theme.comfortable_size:g} pt is "
                            f"comfortable to read); consider shortening it"))
    if share < 1 and pictures is not None:  # a share under 1 is only tried with pictures
        many = len(pictures.pictures) > 1
        notes.append(("images" if many else ex.image_field(0),
                      f"{'pictures' if many else 'picture'} shrunk to {round(share * 100)}% of "
                      f"{'the page width' if many else 'its column'} to fit on {where}"))
    if shown < len(ex.description):
        left_out = len(ex.description) - shown
        notes.append(("description", f"{left_out} of {len(ex.description)} paragraph"
                                     f"{'s' if len(ex.description) > 1 else ''} left out: not enough room "
                                     f"on the page"))
    picture_width = pictures.draw_w if pictures else None
    return HandoutLayout(page.page_size, out, size, shown, picture_width, list(text.notes) + notes,
                         [message for key, message in notes if key != "description"])
