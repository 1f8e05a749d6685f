"""Where a handout's body goes on its pages, and the ways its blocks can be arranged there (no I/O).

A frame is the body's columns on every page at one body size and picture size: on the
first page under the header (and under a band of two pictures), on later pages under
the shorter "continued" header.  Normal print has a main column of about 65 characters
and a side column beside it; large print has one column, its first lines beside a
picture in the top right corner.

An arrangement pours the blocks into a frame in reading order.  Nothing ever continues
above or to the left of where it started on the same page: the steps run down the main
column (and on to the next page), the side column holds the picture, the caution and,
when they fit there whole, the tips; otherwise the tips go in one full-width box under
both columns, read down its two columns (:mod:`handouts.layout.tips_grid`).  When even
that is too long for the page, the steps run on under the picture in two even columns
across the page, read down the left one first, with the tips' box under them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from handouts.layout.columns import Column, keeps_with_next, flow, flow_rest, spaced, total_height
from handouts.layout.flowables import Picture, PictureRow, Placed, height_at
from handouts.layout.handout_page import HandoutPage


@dataclass(frozen=True)
class Frame:
    """The body's columns on each page at one body size and picture size, and where the pictures go."""

    main: list[Column]                # the main column of each page (large print: its one column, in parts)
    side: list[Column]                # the side column of each page (normal print only)
    full: list[Column]                # each page's whole body width: a box under both columns
    body_top: float                   # page 1: under the header (pt)
    body_bottom: float                # page 1: over the footer (pt)
    band: PictureRow | None = None    # two pictures across page 1, above the body
    side_picture: PictureRow | None = None  # one picture, at the top of the side column
    corner: PictureRow | None = None  # large print: one picture at the top right, the text beside it

    @property
    def pictures(self) -> PictureRow | None:
        return self.band or self.side_picture or self.corner

    @property
    def capacity(self) -> float:
        """The body height of every page (pt): how much too long an exercise is is measured against it."""
        return sum(c.top - c.bottom for c in self.full)


def make_frame(page: HandoutPage, pictures: list[Picture], share: float, pages: int,
               footers: list[float]) -> Frame:
    """The frame of *pages* pages at *page*'s body size, the pictures at *share* of their full size.

    *footers*: each page's footer height (pt), which does not follow the body size.
    """
    theme, gap = page.theme, page.gap
    width, height = page.page_size
    left = theme.margin
    header_h = total_height(page.header(), page.text_width)
    body_top = height - theme.margin - header_h
    bottom = theme.margin + footers[0] + gap
    avail = body_top - bottom
    top = body_top
    band = side_picture = corner = None
    main: list[Column] = []
    if len(pictures) > 1:
        band = PictureRow(pictures, page.text_width * share, avail * theme.band_max_height * share,
                          theme.gutter, page.st["caption"])
        top -= band.wrap(page.text_width, avail)[1] + gap * theme.block_gap
    if len(pictures) == 1 and theme.single_column:  # the text runs beside the picture, then under it
        corner_w = min(page.text_width * theme.corner_share * share, page.text_width * theme.corner_max_share)
        corner = PictureRow(pictures, corner_w, avail * theme.picture_max_height * share, 0, page.st["caption"])
        corner_bottom = top - corner.wrap(corner_w, avail)[1]
        main.append(Column(left, top, page.text_width - corner_w - theme.gutter, corner_bottom))
        top = corner_bottom - gap  # what runs under the picture keeps a line's gap from it
    elif len(pictures) == 1:
        side_picture = PictureRow(pictures, page.side_width * share, avail * theme.picture_max_height * share, 0,
                                  page.st["caption"])
    first_top = top
    side_x = left + page.main_width + theme.gutter
    continued_top = height - theme.margin - total_height(page.header_continued(), page.text_width)
    side: list[Column] = []
    full: list[Column] = []
    for number in range(pages):
        page_top = first_top if number == 0 else continued_top
        page_bottom = theme.margin + footers[number] + gap
        full.append(Column(left, page_top, page.text_width, page_bottom, number))
        if theme.single_column:
            main.append(Column(left, page_top, page.text_width, page_bottom, number))
        else:
            main.append(Column(left, page_top, page.main_width, page_bottom, number))
            side.append(Column(side_x, page_top, page.side_width, page_bottom, number))
    return Frame(main, side, full, body_top, bottom, band, side_picture, corner)


def lowest(placed: list[Placed], page: int) -> float | None:
    """The bottom (pt) of the lowest block placed on *page*, or None when nothing is."""
    bottoms = [p.top - height_at(p.flowable, p.width) for p in placed if p.page == page]
    return min(bottoms) if bottoms else None


def arrangements(page: HandoutPage, frame: Frame, shown: int, only: str | None = None, later: int = 0
                 ) -> Iterator[tuple[str, list[Placed], float]]:
    """The ways to arrange the body, most preferred first: (name, placed, overflow height in pt).

    *shown* description paragraphs go before the steps, the *later* ones after them
    all (on a handout of more than one page).  With *only*, just that arrangement is laid
    out (when adding description paragraphs to an arrangement already chosen).
    """
    block_gap = page.gap * page.theme.block_gap
    if page.theme.single_column:
        items = spaced([page.summary(), page.caution(), page.description(shown) + page.steps(), page.tips(),
                        page.video(), page.more_about(shown, later)], block_gap)
        yield ("single",) + flow(items, frame.main)
        return
    for name, placed, overflow in _two_part(page, frame, shown, only):
        if later and not overflow:  # in the main column's measure
            placed, overflow = _under(page, placed, page.more_about(shown, later), frame.main)
        yield name, placed, overflow


def _under(page: HandoutPage, placed: list[Placed], items: list[Flowable], columns: list[Column]
           ) -> tuple[list[Placed], float]:
    """*placed* with *items* poured under the lowest block of the last page used, a block's gap below it,
    then on into the next pages' *columns* (one a page: the main column, or the whole width)."""
    last = max(p.page for p in placed) if placed else 0
    bottom = lowest(placed, last)
    start = columns[last]
    top = start.top if bottom is None else bottom - page.gap * page.theme.block_gap
    more, over = flow(items, [Column(start.x, top, start.width, start.bottom, last)] + columns[last + 1:])
    return placed + more, over


def _two_part(page: HandoutPage, frame: Frame, shown: int, only: str | None
              ) -> Iterator[tuple[str, list[Placed], float]]:
    """The arrangements of normal print's main and side columns (see the module's docstring)."""
    block_gap = page.gap * page.theme.block_gap
    main_items = page.summary() + page.description(shown) + page.steps()
    side_picture = [frame.side_picture] if frame.side_picture else []

    def side_items(with_tips: bool) -> list[Flowable]:
        return spaced([side_picture, page.video(), page.caution(), page.tips() if with_tips else []], block_gap)

    if page.ex.tips and only in (None, "side tips"):  # beside the steps, when they fit there whole
        main_placed, main_over = flow(main_items, frame.main)
        side_placed, side_over = flow(side_items(True), frame.side[:1])
        yield "side tips", main_placed + side_placed, main_over + side_over
    # with nothing else in the side column, it would stand empty beside the steps
    if only in (None, "tips under") and (side_items(False) or not page.ex.tips):
        main_placed, main_over = flow(main_items, frame.main)
        side_placed, side_over = flow(side_items(False), frame.side)
        yield ("tips under",) + _tips_under(page, frame, main_placed + side_placed, main_over + side_over)
    if only in (None, "two columns"):
        yield ("two columns",) + _two_columns(page, frame, main_items, side_items(False))
    if only in (None, "newspaper") and page.ex.tips:
        box = page.tips()
        box[0].keep_whole = True  # under the steps in one of the two columns, never continued above its start
        yield ("newspaper",) + _two_columns(page, frame, main_items + [Spacer(0, block_gap)] + box,
                                            side_items(False), grid=False)


def _tips_under(page: HandoutPage, frame: Frame, placed: list[Placed], overflow: float
                ) -> tuple[list[Placed], float]:
    """*placed* with the tips' full-width box under the lowest block of the last page used."""
    tips = page.tips_grid()
    if not tips or overflow:
        return placed, overflow + total_height(tips, page.text_width)
    return _under(page, placed, tips, frame.full)


def _beside(items: list[Flowable], column: Column, line: float) -> tuple[list[Placed], list[Flowable], float]:
    """Pour *items* whole into *column* while each starts above *line* (the picture's foot), so no
    paragraph is cut where the columns change; returns the placed, the rest, and where the rest starts.

    What comes before the steps (the summary, the description) all goes here, past *line* if
    it must: the steps' two columns below must not start above the steps' own heading.  A
    heading goes only with the first block it heads; a gap at the end is left to the rest.
    """
    placed: list[Placed] = []
    queue = list(items)
    y = column.top
    before_steps = any(getattr(f, "starts_steps", False) for f in items)
    while queue and (y > line + 1e-6 or before_steps):
        if getattr(queue[0], "starts_steps", False) or (isinstance(queue[0], Spacer) and len(queue) > 1
                                                         and getattr(queue[1], "starts_steps", False)):
            before_steps = False
            if y <= line + 1e-6:
                break
        group = [queue[0]]
        while keeps_with_next(group[-1]) and len(queue) > len(group):
            group.append(queue[len(group)])
            while isinstance(group[-1], Spacer) and len(queue) > len(group):
                group.append(queue[len(group)])
        heights = [height_at(f, column.width) for f in group]
        if isinstance(group[0], Spacer):
            if len(queue) == 1:
                break
            following = height_at(queue[1], column.width)
            if y - heights[0] - following < column.bottom or (y - heights[0] <= line and not before_steps):
                break
        elif sum(heights) > y - column.bottom + 1e-6:
            break
        for f, h in zip(group, heights):
            placed.append(Placed(f, column.x, y, column.width))
            y -= h
        del queue[:len(group)]
    while queue and isinstance(queue[0], Spacer) and not placed:
        queue.pop(0)
    gap = queue[0].height if queue and isinstance(queue[0], Spacer) else 0.0
    return placed, queue, min(y - gap, line) if placed else line


def _two_columns(page: HandoutPage, frame: Frame, main_items: list[Flowable], side_items: list[Flowable],
                 grid: bool = True) -> tuple[list[Placed], float]:
    """The summary beside the picture, then two even columns across the page that the rest (the
    steps) runs down, left column first (on to the next page's two columns), and the tips' box under them.

    Both columns of the lower part start at the same height, so nothing continues above its
    start; on the last page the break between them falls where the columns are most even.
    The tips share the steps' last page when they fit there, else they open the next one.
    """
    theme = page.theme
    side_placed, side_over = flow(side_items, frame.side[:1])
    main = frame.main[0]
    side_bottom = lowest(side_placed, 0)
    upper_bottom = main.top if side_bottom is None else side_bottom - page.gap * theme.block_gap
    upper, rest, top = _beside(main_items, main, upper_bottom)
    ahead = next((i for i, f in enumerate(rest) if getattr(f, "starts_steps", False)), 0)
    if any(not isinstance(f, Spacer) for f in rest[:ahead]):  # the text before the steps is too tall for the page
        return upper + side_placed, side_over + total_height(rest, main.width)
    tips = page.tips_grid() if grid else []
    block_gap = page.gap * theme.block_gap
    tips_h = total_height(tips, page.text_width) + block_gap if tips else 0.0
    width = (page.text_width - theme.gutter) / 2
    tops = [top] + [c.top for c in frame.full[1:]]
    bottoms = [c.bottom for c in frame.full]

    def columns(last: int, height: float) -> list[Column]:
        """Two columns on each page up to *last*, whose columns are *height* tall."""
        out = []
        for number in range(last + 1):
            bottom = bottoms[number] if number < last else tops[number] - height
            out += [Column(main.x, tops[number], width, bottom, number),
                    Column(main.x + width + theme.gutter, tops[number], width, bottom, number)]
        return out

    filled, left = flow_rest(list(rest), columns(len(tops) - 1, tops[-1] - bottoms[-1]))
    if left:  # not even every page full holds it
        return upper + filled + side_placed, side_over + total_height(left, width) + tips_h
    last = max((p.page for p in filled), default=0)  # the fewest pages it needs
    # the tips share that last page when the columns leave them room there; else they open the next
    # (with no room kept, the columns are as when filled, which held it all)
    for reserve in ((tips_h, 0.0) if tips else (0.0,)):
        most = tops[last] - bottoms[last] - reserve
        if most >= 0 and not flow_rest(list(rest), columns(last, most))[1]:
            break
    low, high = 0.0, most  # the shortest columns that still hold it all: the most even break
    while high - low > 1.0:
        middle = (low + high) / 2
        if flow_rest(list(rest), columns(last, middle))[1]:
            low = middle
        else:
            high = middle
    lower, _ = flow_rest(list(rest), columns(last, high))
    placed = upper + lower + side_placed
    if not tips:
        return placed, side_over
    placed, tips_over = _under(page, placed, tips, frame.full)
    return placed, side_over + tips_over
