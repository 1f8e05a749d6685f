"""Small ReportLab flowables the handout is built from.

Each one knows its height for a given width (``wrap``) without drawing, which is what
lets the layout fit a page by arithmetic instead of trial renders.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from handouts.style.drawing_style import DRAWING_STYLE as D
from handouts.layout.fit_text import line_width
from handouts.layout.paragraph import Paragraph


def draw_box_ground(canvas, width: float, height: float, fill: str, edge: str, radius: float) -> None:
    """The shaded, rounded ground every box of the handout shares (tips, caution, dose), *width* x *height* pt."""
    canvas.setFillColor(HexColor(fill))
    canvas.setStrokeColor(HexColor(edge))
    canvas.setLineWidth(D.box_line_width)
    canvas.roundRect(0, 0, width, height, radius, stroke=1, fill=1)


def height_at(flowable: Flowable, width: float) -> float:
    """*flowable*'s height at *width*; a Paragraph already broken into lines at that width is not
    broken again (line breaking is most of what laying out a page costs)."""
    if isinstance(flowable, Paragraph) and getattr(flowable, "width", None) == width \
            and hasattr(flowable, "blPara"):
        return flowable.height
    return flowable.wrap(width, 1e9)[1]


@dataclass
class Placed:
    """A flowable and where its top-left corner goes (on the page, or on a card)."""

    flowable: Flowable
    x: float
    top: float
    width: float
    page: int = 0  # which page of a handout that takes two (large print)


@dataclass(frozen=True)
class Picture:
    """A decoded picture ready to place: its pixel size and something canvas.drawImage takes."""

    name: str
    width_px: int
    height_px: int
    source: object  # a path or a reportlab ImageReader
    caption: str | None = None  # Paragraph markup, already escaped

    @property
    def aspect(self) -> float:
        return self.height_px / self.width_px


class PictureRow(Flowable):
    """One or more pictures side by side, each scaled into an equal slot, captions under them.

    Every picture keeps its aspect ratio and is no taller than *max_height*.  Pictures are
    top-aligned and packed together as a centred group (two upright photos stand side by
    side, not at the far ends of the page), each in a cell wide enough for its caption.
    """


    def __init__(self, pictures: list[Picture], max_width: float, max_height: float, gap: float,
                 caption_style=None):
        super().__init__()
        self.pictures = pictures
        self.max_width, self.max_height, self.gap = max_width, max_height, gap
        self.captions = [Paragraph(p.caption, caption_style) if p.caption and caption_style else None
                         for p in pictures]
        self.boxes: list[tuple[float, float]] = []  # drawn (width, height) of each picture
        self.cells: list[float] = []                # width of each picture's cell

    @property
    def draw_w(self) -> float:
        return max((w for w, _ in self.boxes), default=0.0)

    def wrap(self, avail_width, avail_height):
        width = min(avail_width, self.max_width)
        n = len(self.pictures)
        slot = (width - self.gap * (n - 1)) / n
        self.boxes, self.cells = [], []
        for picture, caption in zip(self.pictures, self.captions):
            w = slot
            h = w * picture.aspect
            if h > self.max_height:
                h = self.max_height
                w = h / picture.aspect
            self.boxes.append((w, h))
            self.cells.append(min(slot, max(w, D.caption_min_width if caption else 0.0)))
        self.picture_h = max(h for _, h in self.boxes)
        self.caption_h = max((c.wrap(cell, 1e9)[1] for c, cell in zip(self.captions, self.cells) if c),
                             default=0.0)
        caption_gap = self.caption_h and D.caption_gap
        self.width = avail_width
        self.height = self.picture_h + caption_gap + self.caption_h
        self.x0 = (avail_width - (sum(self.cells) + self.gap * (n - 1))) / 2
        return avail_width, self.height

    def draw(self):
        left = self.x0
        for picture, (w, h), cell, caption in zip(self.pictures, self.boxes, self.cells, self.captions):
            self.canv.drawImage(picture.source, left + (cell - w) / 2, self.height - h, w, h)
            if caption:
                caption.wrap(cell, 1e9)
                caption.drawOn(self.canv, left, 0)
            left += cell + self.gap


class DoseStrip(Flowable):
    """The dose as rows of cells across the page: a small label over each part, its value
    set large, or a line to write it on by hand when it is not set.

    *per_row* cells go in a row (all six in normal print; large print sets three in each
    of two rows, so "30 seconds" or "Wiederholungen" keeps its size and stays whole).
    """

    def __init__(self, cells: list[tuple[Paragraph, Paragraph | None]], fill: str, edge: str, line: str,
                 padding: float, radius: float, per_row: int | None = None):
        super().__init__()
        self.cells, self.fill, self.edge, self.line = cells, fill, edge, line
        self.padding, self.radius = padding, radius
        self.per_row = per_row or len(cells)

    @staticmethod
    def text_width(avail_width: float, per_row: int, padding: float) -> float:
        """How wide (pt) each cell's text is set in a strip *avail_width* wide with *per_row* cells a row."""
        return (avail_width - 2 * padding) / per_row - padding

    def _rows(self) -> list[list[tuple[Paragraph, Paragraph | None]]]:
        return [self.cells[i:i + self.per_row] for i in range(0, len(self.cells), self.per_row)]

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.cell_w = (avail_width - 2 * self.padding) / self.per_row
        inner = self.text_width(avail_width, self.per_row, self.padding)
        self.row_heights: list[tuple[float, float]] = []  # (label height, value height) of each row
        for row in self._rows():
            label_h = max(label.wrap(inner, 1e9)[1] for label, _ in row)
            write_h = max((value.style.leading for _, value in self.cells if value), default=0.0) or \
                self.cells[0][0].style.leading * 1.6
            value_h = max([value.wrap(inner, 1e9)[1] for _, value in row if value] + [write_h])
            self.row_heights.append((label_h, value_h))
        rows_h = sum(label_h + D.dose_label_gap + value_h for label_h, value_h in self.row_heights)
        self.height = 2 * self.padding + rows_h + self.padding * (len(self.row_heights) - 1)
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        draw_box_ground(canv, self.width, self.height, self.fill, self.edge, self.radius)
        canv.restoreState()
        inner = self.cell_w - self.padding
        top = self.height - self.padding
        for row, (label_h, value_h) in zip(self._rows(), self.row_heights):
            value_top = top - label_h - D.dose_label_gap
            row_bottom = value_top - value_h
            for i, (label, value) in enumerate(row):
                x = self.padding + i * self.cell_w
                label.wrap(inner, 1e9)
                label.drawOn(canv, x, top - label_h)
                if value is not None:
                    _, h = value.wrap(inner, 1e9)
                    value.drawOn(canv, x, value_top - h)
                else:  # nothing prescribed: a line to write it on
                    canv.saveState()
                    canv.setStrokeColor(HexColor(self.line))
                    canv.setLineWidth(D.writing_line_width)
                    rise = row_bottom + D.writing_line_rise
                    canv.line(x, rise, x + inner * D.writing_line_share, rise)
                    canv.restoreState()
            top = row_bottom - self.padding


class VideoLink(Flowable):
    """A QR code of a video's address, with a label and the address in short form beside it.

    The code keeps its four-module quiet zone, and is never smaller than 0.75 in, which a
    phone reads at arm's length on paper.
    """


    def __init__(self, url: str, label: Paragraph, address: Paragraph, gap: float):
        super().__init__()
        self.url, self.label, self.address, self.gap = url, label, address, gap

    def wrap(self, avail_width, avail_height):
        self.text_width = max(avail_width - D.qr_size - self.gap, D.min_text_width)
        text_h = self.label.wrap(self.text_width, 1e9)[1] + self.address.wrap(self.text_width, 1e9)[1]
        self.width, self.height = avail_width, max(D.qr_size, text_h)
        return self.width, self.height

    def draw(self):
        from reportlab.graphics import renderPDF
        from reportlab.graphics.barcode.qr import QrCodeWidget
        from reportlab.graphics.shapes import Drawing

        widget = QrCodeWidget(self.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(D.qr_size, D.qr_size,
                          transform=[D.qr_size / (x1 - x0), 0, 0, D.qr_size / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, self.height - D.qr_size)
        label_h = self.label.wrap(self.text_width, 1e9)[1]
        address_h = self.address.wrap(self.text_width, 1e9)[1]
        middle = self.height - D.qr_size / 2 + (label_h + address_h) / 2
        self.label.drawOn(self.canv, D.qr_size + self.gap, middle - label_h)
        self.address.drawOn(self.canv, D.qr_size + self.gap, middle - label_h - address_h)


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
        self._heights = [height_at(part, inner) for part in self._parts()]
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
            # an item (a tip) is split only when it would otherwise be alone and still too tall
            pieces = rest[0].split(inner, room) if room > 0 and not taken else []
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
        draw_box_ground(canvas, self.width, self.height, self.fill, self.edge, self.radius)
        y = self.height - self.padding
        inner = self.width - 2 * self.padding
        for part, height in zip(self._parts(), self._heights):
            part.wrapOn(canvas, inner, 1e9)
            part.drawOn(canvas, self.padding, y - height)
            y -= height + self.item_gap


class InfoGrid(Flowable):
    """Labels in a column of their own, each value beside its label on the same baseline."""

    def __init__(self, rows: list[tuple[Paragraph, Paragraph]], label_gap: float, row_gap: float,
                 label_share: float):
        super().__init__()
        self.rows, self.label_gap, self.row_gap, self.label_share = rows, label_gap, row_gap, label_share
        self.widest = max((line_width(label.text, label.style) for label, _ in rows), default=0.0)

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.label_w = min(self.widest, avail_width * self.label_share)  # a long house label wraps
        value_w = max(avail_width - self.label_w - self.label_gap, D.min_text_width)
        self.heights = []
        for label, value in self.rows:
            drop = max(0.0, value.style.fontSize - label.style.fontSize)  # baselines level
            self.heights.append(max(label.wrap(self.label_w + 1, 1e9)[1] + drop, value.wrap(value_w, 1e9)[1]))
        self.height = sum(self.heights) + self.row_gap * max(0, len(self.rows) - 1)
        return self.width, self.height

    def draw(self):
        value_w = max(self.width - self.label_w - self.label_gap, D.min_text_width)
        top = self.height
        for (label, value), h in zip(self.rows, self.heights):
            drop_label = max(0.0, value.style.fontSize - label.style.fontSize)
            drop_value = max(0.0, label.style.fontSize - value.style.fontSize)
            lh = label.wrap(self.label_w + 1, 1e9)[1]
            label.drawOn(self.canv, 0, top - drop_label - lh)
            vh = value.wrap(value_w, 1e9)[1]
            value.drawOn(self.canv, self.label_w + self.label_gap, top - drop_value - vh)
            top -= h + self.row_gap


def logo_width(logo: Picture | None, height: float, max_width: float) -> float:
    """How wide *logo* prints at *height*: a wide logo is held to *max_width*, and is then less tall."""
    return min(height / logo.aspect, max_width) if logo else 0.0


class Logo(Flowable):
    """The clinic's logo, its aspect kept, no taller than *max_height*, against the right edge."""

    def __init__(self, picture: Picture, max_width: float, max_height: float):
        super().__init__()
        self.picture = picture
        self.max_width, self.max_height = max_width, max_height

    def wrap(self, avail_width, avail_height):
        w = logo_width(self.picture, self.max_height, min(self.max_width, avail_width))
        h = w * self.picture.aspect
        self.draw_w, self.draw_h = w, h
        self.width, self.height = avail_width, h
        return self.width, self.height

    def draw(self):
        self.canv.drawImage(self.picture.source, self.width - self.draw_w, 0, self.draw_w, self.draw_h,
                            mask="auto")
