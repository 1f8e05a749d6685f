"""The tips as one full-width box under the steps, its tips in two columns read down, then across.

A box that starts under the steps and continues at the top of the side column makes a
reader go down, then jump back up and to the right.  This box reads in one place: its
heading across the top, the first tips down its left column, the rest down its right
column, the columns balanced so neither runs long.  Each tip is kept whole.  When the box
itself must continue (on the next page of a long handout), it divides between tips and
the next page's part is headed "Tips (continued)".
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from handouts.layout.flowables import draw_box_ground, height_at
from handouts.layout.paragraph import Paragraph


def balanced_split(heights: list[float], gap: float) -> int:
    """Where to end the first column of *heights* (pt) so the taller column is as short as it can be.

    Ties keep more in the first column: a reader meets the longer column first, as in print.
    Returns how many items go in the first column (at least 1 for a non-empty list).
    """
    if len(heights) < 2:
        return len(heights)

    def column(part: list[float]) -> float:
        return sum(part) + gap * max(0, len(part) - 1)

    return min(range(1, len(heights)), key=lambda k: (max(column(heights[:k]), column(heights[k:])), -k))


class TipsGrid(Flowable):
    """A shaded, rounded box: a heading over one or two columns of tips, divisible between tips.

    *max_one_column*: the widest a box of a single tip is (pt), so one tip keeps a
    comfortable measure instead of running across the whole page.
    """

    def __init__(self, heading: Paragraph, items: list[Flowable], fill: str, edge: str, padding: float,
                 radius: float, item_gap: float, column_gap: float, max_one_column: float,
                 continued: Paragraph | None = None):
        super().__init__()
        self.heading, self.items, self.continued = heading, list(items), continued
        self.fill, self.edge, self.padding, self.radius = fill, edge, padding, radius
        self.item_gap, self.column_gap, self.max_one_column = item_gap, column_gap, max_one_column
        self.columns: list[list[tuple[Flowable, float]]] = []

    def _column_width(self, avail_width: float) -> tuple[float, float]:
        """(box width, one column's width) at *avail_width*."""
        if len(self.items) < 2:
            width = min(avail_width, self.max_one_column)
            return width, width - 2 * self.padding
        return avail_width, (avail_width - 2 * self.padding - self.column_gap) / 2

    def wrap(self, avail_width, avail_height):
        self.width, column_w = self._column_width(avail_width)
        self.column_w = column_w
        self.heading_h = height_at(self.heading, self.width - 2 * self.padding)
        heights = [height_at(item, column_w) for item in self.items]
        first = balanced_split(heights, self.item_gap)
        pairs = list(zip(self.items, heights))
        self.columns = [pairs[:first], pairs[first:]] if pairs[first:] else [pairs]
        body = max(sum(h for _, h in col) + self.item_gap * (len(col) - 1) for col in self.columns)
        self.height = 2 * self.padding + self.heading_h + self.item_gap + body
        return avail_width, self.height

    def split(self, avail_width, avail_height):
        """The most tips (at least one) whose box fits *avail_height*, then a continued box of the rest."""
        for count in range(len(self.items) - 1, 0, -1):
            first = TipsGrid(self.heading, self.items[:count], self.fill, self.edge, self.padding, self.radius,
                             self.item_gap, self.column_gap, self.max_one_column)
            if first.wrap(avail_width, avail_height)[1] <= avail_height + 1e-6:
                rest = TipsGrid(self.continued or self.heading, self.items[count:], self.fill, self.edge,
                                self.padding, self.radius, self.item_gap, self.column_gap, self.max_one_column,
                                self.continued)
                return [first, rest]
        return []

    def draw(self):
        canvas = self.canv
        draw_box_ground(canvas, self.width, self.height, self.fill, self.edge, self.radius)
        top = self.height - self.padding
        self.heading.wrapOn(canvas, self.width - 2 * self.padding, 1e9)
        self.heading.drawOn(canvas, self.padding, top - self.heading_h)
        for number, column in enumerate(self.columns):
            x = self.padding + number * (self.column_w + self.column_gap)
            y = top - self.heading_h - self.item_gap
            for item, height in column:
                item.wrapOn(canvas, self.column_w, 1e9)
                item.drawOn(canvas, x, y - height)
                y -= height + self.item_gap
