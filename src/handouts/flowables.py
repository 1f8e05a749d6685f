"""Small ReportLab flowables the handout is built from.

Each one knows its height for a given width (``wrap``) without drawing, which is what
lets the layout fit a page by arithmetic instead of trial renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph


@dataclass
class Placed:
    """A flowable and where its top-left corner goes (on the page, or on a card)."""

    flowable: Flowable
    x: float
    top: float
    width: float


@dataclass(frozen=True)
class Picture:
    """A decoded picture ready to place: its pixel size and something canvas.drawImage takes."""

    name: str
    width_px: int
    height_px: int
    source: object  # a path or a reportlab ImageReader

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px


class PictureFlowable(Flowable):
    """A picture scaled to the column width, never taller than *max_height*, centred."""

    def __init__(self, picture: Picture, max_width: float, max_height: float, border: str | None):
        super().__init__()
        self.picture = picture
        self.max_width = max_width
        self.max_height = max_height
        self.border = border
        self.draw_w = self.draw_h = 0.0

    def wrap(self, avail_width, avail_height):
        width = min(avail_width, self.max_width)
        height = width * self.picture.aspect
        if height > self.max_height:
            height = self.max_height
            width = height / self.picture.aspect
        self.draw_w, self.draw_h = width, height
        self.width = avail_width
        self.height = height
        return avail_width, height

    def draw(self):
        x = (self.width - self.draw_w) / 2
        self.canv.drawImage(self.picture.source, x, 0, self.draw_w, self.draw_h,
                            preserveAspectRatio=True, anchor="c")
        if self.border:
            self.canv.setStrokeColor(HexColor(self.border))
            self.canv.setLineWidth(0.6)
            self.canv.rect(x, 0, self.draw_w, self.draw_h)


class Rule(Flowable):
    """A horizontal line across the column, with space above and below."""

    def __init__(self, colour: str, thickness: float, space_above: float, space_below: float):
        super().__init__()
        self.colour, self.thickness = colour, thickness
        self.space_above, self.space_below = space_above, space_below

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.height = self.space_above + self.thickness + self.space_below
        return self.width, self.height

    def draw(self):
        self.canv.setStrokeColor(HexColor(self.colour))
        self.canv.setLineWidth(self.thickness)
        y = self.space_below + self.thickness / 2
        self.canv.line(0, y, self.width, y)


class Box(Flowable):
    """A shaded, rounded box of paragraphs (tips, caution) that can continue in another column.

    ReportLab's Table can split too, but its pieces keep the first column's width; this
    box re-measures each piece for the column it lands in, and never leaves its heading
    alone at the foot of a column.
    """

    def __init__(self, heading: Paragraph, items: list[Flowable], fill: str, edge: str, padding: float,
                 radius: float, item_gap: float, continued: Paragraph | None = None):
        super().__init__()
        self.heading, self.items, self.continued = heading, list(items), continued
        self.fill, self.edge, self.padding, self.radius, self.item_gap = fill, edge, padding, radius, item_gap
        self._heights: list[float] = []

    def _parts(self) -> list[Flowable]:
        return ([self.heading] if self.heading else []) + self.items

    def wrap(self, avail_width, avail_height):
        inner = avail_width - 2 * self.padding
        self._heights = [part.wrap(inner, 1e9)[1] for part in self._parts()]
        gaps = self.item_gap * max(0, len(self._heights) - 1)
        self.width = avail_width
        self.height = 2 * self.padding + sum(self._heights) + gaps
        return self.width, self.height

    def split(self, avail_width, avail_height):
        inner = avail_width - 2 * self.padding
        room = avail_height - 2 * self.padding
        if self.heading:
            room -= self.heading.wrap(inner, 1e9)[1] + self.item_gap
        taken: list[Flowable] = []
        rest = list(self.items)
        while rest:
            _, h = rest[0].wrap(inner, 1e9)
            if h <= room:
                taken.append(rest.pop(0))
                room -= h + self.item_gap
                continue
            pieces = rest[0].split(inner, room) if room > 0 else []
            if len(pieces) > 1:
                taken.append(pieces[0])
                rest[0:1] = pieces[1:]
            break
        if not taken or not rest:
            return []
        first = Box(self.heading, taken, self.fill, self.edge, self.padding, self.radius, self.item_gap)
        second = Box(self.continued, rest, self.fill, self.edge, self.padding, self.radius, self.item_gap,
                     self.continued)
        return [first, second]

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(HexColor(self.fill))
        canvas.setStrokeColor(HexColor(self.edge))
        canvas.setLineWidth(0.8)
        canvas.roundRect(0, 0, self.width, self.height, self.radius, stroke=1, fill=1)
        y = self.height - self.padding
        inner = self.width - 2 * self.padding
        for part, height in zip(self._parts(), self._heights):
            part.wrapOn(canvas, inner, 1e9)
            part.drawOn(canvas, self.padding, y - height)
            y -= height + self.item_gap
