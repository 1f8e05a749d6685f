"""The Notes page: the back of a one-page part of a program, a heading and ruled lines to write on (no I/O)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle

from handouts.layout.flowables import Placed, Rule
from handouts.layout.paragraph import Paragraph
from handouts.style.fonts import FontSet
from handouts.style.theme import Labels, Theme


def notes_page(labels: Labels, theme: Theme, page_size: tuple[float, float], footer: str, fonts: FontSet
               ) -> list[Placed]:
    """The back of a one-page part: a heading and ruled lines to write on."""
    width, height = page_size
    f = fonts
    text_width = width - 2 * theme.margin
    heading = Paragraph(escape(labels.notes), ParagraphStyle(
        "notes", fontName=f.bold, fontSize=theme.body_size * theme.heading_ratio,
        leading=theme.body_size * theme.heading_ratio * theme.heading_leading,
        textColor=HexColor(theme.colours.heading)))
    small = Paragraph(footer, ParagraphStyle("notes_footer", fontName=f.regular, fontSize=theme.footer_size,
                                             leading=theme.footer_size * theme.footer_leading,
                                             textColor=HexColor(theme.colours.muted)))
    top = height - theme.margin
    placed = [Placed(heading, theme.margin, top, text_width)]
    line_gap = theme.body_size * theme.writing_line_gap
    y = top - heading.wrap(text_width, 1e9)[1] - line_gap
    bottom = theme.margin + small.wrap(text_width, 1e9)[1] + line_gap * theme.writing_foot_gap
    while y > bottom:
        placed.append(Placed(Rule(theme.colours.tips_edge, theme.writing_line, 0, 0), theme.margin, y, text_width))
        y -= line_gap
    placed.append(Placed(small, theme.margin, theme.margin + small.wrap(text_width, 1e9)[1], text_width))
    return placed
