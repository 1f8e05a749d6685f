"""Draw laid-out pages into PDF bytes, deterministically.

ReportLab's ``invariant`` mode fixes the document id and timestamps; ReportLab itself
honours ``SOURCE_DATE_EPOCH`` for the creation date, so the same input gives the same
bytes on every machine.  A document sent by email says when it was made instead (its
program's date: see :mod:`handouts.render.email_edition`), still without a clock's seconds.
No file is touched here: :mod:`handouts.write` does that.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from handouts import __version__
from handouts.layout.flowables import height_at
from handouts.style.fonts import fonts
from handouts.layout.handout import HandoutLayout


# Streams are Flate-compressed binary; ASCII85 on top would make every PDF a quarter
# larger and slower to write, for 7-bit mail transports nobody uses any more.
rl_config.useA85 = 0


@dataclass(frozen=True)
class DocInfo:
    """What mail clients and PDF viewers show about a document."""

    title: str
    subject: str
    author: str = "handouts"
    keywords: tuple[str, ...] = ()
    lang: str = "en"              # the document's language, for screen readers (the catalog's /Lang)
    created: datetime.datetime | None = None  # /CreationDate and /ModDate (UTC); None: invariant mode's fixed date


def pdf_date(when: datetime.datetime) -> str:
    """*when* as a PDF date string in UTC (``D:20261125000000+00'00'``)."""
    utc = when.astimezone(datetime.timezone.utc) if when.tzinfo else when
    return utc.strftime("D:%Y%m%d%H%M%S+00'00'")


def new_canvas(buffer: io.BytesIO, page_size: tuple[float, float], info: DocInfo) -> Canvas:
    # The initial font is set on every page; make it ours, or an unembedded Helvetica
    # would sit in each page's resources.
    canvas = Canvas(buffer, pagesize=page_size, invariant=1, pageCompression=1, initialFontName=fonts().regular,
                    lang=info.lang)
    canvas.setTitle(info.title)
    canvas.setSubject(info.subject)
    canvas.setAuthor(info.author)
    canvas.setCreator(f"handouts {__version__}")
    if info.keywords:
        canvas.setKeywords(", ".join(info.keywords))
    canvas.setViewerPreference("DisplayDocTitle", "true")
    if info.created is not None:  # a real date, while invariant mode keeps everything else fixed
        stamp = pdf_date(info.created)
        canvas.setDateFormatter(lambda *_: stamp)
    return canvas


def draw_placed(canvas: Canvas, placed, x: float = 0.0, y: float = 0.0) -> None:
    """Draw each placed flowable with its top-left corner at (x + item.x, y + item.top)."""
    for item in placed:
        height = height_at(item.flowable, item.width)
        item.flowable.drawOn(canvas, x + item.x, y + item.top - height)


def draw_handout(canvas: Canvas, layout: HandoutLayout) -> None:
    """Draw a handout's pages (one, or two in large print) onto *canvas*."""
    for placed in layout.pages:
        draw_placed(canvas, placed)
        canvas.showPage()


def handout_pdf(layout: HandoutLayout, info: DocInfo) -> bytes:
    """One handout as a complete PDF document."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, layout.page_size, info)
    if len(layout.pages) > 1:  # large print over two pages: one sheet, printed on both sides
        canvas.setViewerPreference("Duplex", "DuplexFlipLongEdge")
    draw_handout(canvas, layout)
    canvas.save()
    return buffer.getvalue()
