"""The blocks of one handout at one body size: its paragraph styles, header, body parts and footer (no I/O).

:mod:`handouts.layout.handout` decides where these blocks go and which body size fits;
this module only makes them, every size and gap read from the :class:`Theme`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from handouts.content.exercise import Exercise
from handouts.content.load import field_name
from handouts.errors import shorten
from handouts.layout.branding import ClinicBlock, LogoBeside
from handouts.layout.columns import total_height
from handouts.layout.fit_text import lines_at, narrow_cells, no_break, soft_hyphens
from handouts.layout.flowables import Box, DoseStrip, Rule, VideoLink, height_at, logo_width
from handouts.layout.markup import FieldText
from handouts.layout.paragraph import Paragraph
from handouts.layout.tips_grid import TipsGrid
from handouts.style.fonts import FontSet
from handouts.style.labels import level_word
from handouts.style.theme import Theme


@dataclass(frozen=True)
class PageContext:
    """What frames an exercise beyond its own content (all markup, already escaped)."""

    clinic: ClinicBlock | None = None   # printed small in the footer
    banner: str | None = None           # a program's line above the title: the client, the date
    client: str | None = None           # the banner's first part, for a second page: "For <b>Jane</b>"
    note: str | None = None             # a program's note for this exercise, under the dose ("<b>Note:</b> ...")
    language: str | None = None         # the clinic's language, for content that names none
    dose_lines: bool = False            # print the dose strip even with no dose set (a program's page)
    back_is_free: bool = False          # the sheet's back would be a Notes page (a program printed double-sided):
                                        # a long exercise continues there at 12 pt instead of shrinking its type


def handout_styles(theme: Theme, fonts: FontSet, steps: int) -> dict[str, ParagraphStyle]:
    c, size = theme.colours, theme.body_size
    # a paragraph split between columns never leaves one line alone at the top of the next (a widow)
    body = ParagraphStyle("body", fontName=fonts.regular, fontSize=size, leading=size * theme.leading,
                          textColor=HexColor(c.text), alignment=TA_LEFT, allowWidows=0)
    heading_size = size * theme.heading_ratio
    # the hanging indent fits the widest step number, so short lists keep a long measure
    number_width = stringWidth(f"{steps}.", fonts.bold, size) + size * theme.step_number_space
    return {
        "title": ParagraphStyle("title", body, fontName=fonts.bold, fontSize=theme.title_size,
                                leading=theme.title_size * theme.title_leading, textColor=HexColor(c.heading)),
        "meta": ParagraphStyle("meta", body, fontSize=theme.meta_size, leading=theme.meta_size * theme.meta_leading,
                               textColor=HexColor(c.muted)),
        "summary": ParagraphStyle("summary", body, fontSize=size * theme.summary_ratio,
                                  leading=size * theme.summary_ratio * theme.leading),
        "body": body,
        "heading": ParagraphStyle("heading", body, fontName=fonts.bold, fontSize=heading_size,
                                  leading=heading_size * theme.heading_leading, textColor=HexColor(c.heading),
                                  keepWithNext=1),
        "step": ParagraphStyle("step", body, leftIndent=number_width, bulletIndent=0,
                               bulletFontName=fonts.bold, bulletFontSize=size,
                               bulletColor=HexColor(c.step_number)),
        "box_heading": ParagraphStyle("box_heading", body, fontName=fonts.bold, textColor=HexColor(c.heading)),
        "caution_heading": ParagraphStyle("caution_heading", body, fontName=fonts.bold,
                                          textColor=HexColor(c.caution_heading)),
        "tip": ParagraphStyle("tip", body, leftIndent=size * theme.tip_indent, bulletIndent=0,
                              bulletFontName=fonts.bold, bulletFontSize=size / theme.tip_bullet_shrink,
                              bulletColor=HexColor(c.heading)),  # 10 pt at 12
        "caption": ParagraphStyle("caption", body, fontSize=max(theme.footer_size, size * theme.caption_ratio),
                                  leading=max(theme.footer_size, size * theme.caption_ratio) * theme.caption_leading,
                                  textColor=HexColor(c.muted),
                                  alignment=TA_CENTER),
        "dose_label": ParagraphStyle("dose_label", body, fontSize=theme.meta_size * theme.dose_label_ratio,
                                     leading=theme.meta_size * theme.dose_label_leading, textColor=HexColor(c.muted)),
        "dose_value": ParagraphStyle("dose_value", body, fontName=fonts.bold, fontSize=size * theme.dose_value_ratio,
                                     leading=size * theme.dose_value_ratio * theme.dose_value_leading,
                                     textColor=HexColor(c.heading)),
        "footer": ParagraphStyle("footer", body, fontSize=theme.footer_size,
                                 leading=theme.footer_size * theme.footer_leading, textColor=HexColor(c.muted)),
        "footer_right": ParagraphStyle("footer_right", body, fontSize=theme.footer_size,
                                       leading=theme.footer_size * theme.footer_leading, textColor=HexColor(c.muted),
                                       alignment=TA_RIGHT),
    }


class HandoutPage:
    """The blocks of one handout at one body size."""

    def __init__(self, ex: Exercise, text: FieldText, theme: Theme, page_size: tuple[float, float],
                 context: PageContext = PageContext()):
        self.ex, self.text, self.theme, self.context = ex, text, theme, context
        self.st = handout_styles(theme, text.fonts, len(ex.instructions))
        self.page_size = page_size
        width, height = page_size
        self.text_width = width - 2 * theme.margin
        self.main_width = self.text_width * theme.main_column
        self.side_width = self.text_width - self.main_width - theme.gutter
        self.gap = theme.body_size * theme.paragraph_gap
        size = theme.body_size  # the narrowest measure a paragraph may get: a tip in the side column's box,
        # a step in two columns, or (large print) a line beside the corner picture
        self.narrowest = (self.text_width * (1 - theme.corner_share) - theme.gutter - size * 2
                          if theme.single_column else
                          min(self.side_width - 2 * size * theme.box_padding - size * theme.tip_indent,
                              (self.text_width - theme.gutter) / 2 - size * 2))
        self._header: list[Flowable] | None = None
        self._header_continued: list[Flowable] | None = None

    def words(self, markup: str, style: str, width: float | None = None) -> str:
        """*markup* with soft hyphens in any word wider than the narrowest column it may be set in
        (a long compound in a box beside the steps), so it breaks at a dictionary point, hyphen printed."""
        return soft_hyphens(markup, self.st[style], width or self.narrowest, self.theme.labels.code)

    def banner(self) -> list[Flowable]:
        if not self.context.banner:
            return []
        return [Paragraph(self.context.banner, self.st["meta"]), Spacer(0, self.gap * self.theme.banner_gap)]

    def header_continued(self) -> list[Flowable]:
        """The second page's header: the title again, smaller, marked as continued (a program's
        client is named in its footer, beside the page number, where it costs no line)."""
        if self._header_continued is None:
            title = f"{self.text('title', self.ex.title)} {self.theme.labels.continued}"
            self._header_continued = [
                Paragraph(title, self.st["heading"]),
                Rule(self.theme.colours.rule, self.theme.header_rule, self.gap * self.theme.continued_rule_above,
                     self.gap * self.theme.continued_rule_below)]
        return self._header_continued

    def header(self) -> list[Flowable]:
        if self._header is None:
            self._header = self._make_header()
        return self._header

    def _make_header(self) -> list[Flowable]:
        ex, t, st = self.ex, self.text, self.st
        out: list[Flowable] = self.banner() + [Paragraph(self.words(t("title", ex.title), "title", self.text_width),
                                                         st["title"])]
        meta = []
        labels = self.theme.labels
        if ex.targets:
            meta.append(f"<b>{labels.targets}:</b> " + ", ".join(
                t(field_name(("targets", i)), w) for i, w in enumerate(ex.targets)))
        if ex.equipment:
            meta.append(f"<b>{labels.equipment}:</b> " + ", ".join(
                t(field_name(("equipment", i)), w) for i, w in enumerate(ex.equipment)))
        if ex.level:
            meta.append(f"<b>{labels.level}:</b> " + t("level", level_word(ex.level, ex.language)))
        if meta:
            out += [Spacer(0, self.theme.meta_gap),
                    Paragraph("&nbsp;&nbsp;&nbsp;·&nbsp;&nbsp;&nbsp;".join(meta), st["meta"])]
        out += self.dose()
        if self.context.note:
            out += [Spacer(0, self.gap * self.theme.note_gap),
                    Paragraph(self.context.note, st["summary"])]
        theme = self.theme
        out.append(Rule(theme.colours.rule, theme.header_rule, self.gap * theme.header_rule_above,
                        self.gap * theme.header_rule_below))
        return out

    def footer(self) -> list[Flowable]:
        return [Rule(self.theme.colours.tips_edge, self.theme.footer_rule, 0, self.theme.footer_rule_below)]

    def footer_texts(self, number: int, pages: int) -> tuple[Flowable, Flowable, float]:
        """The footer's left part (the clinic, or the title), its right part, and the left's share of the width.

        The clinic is printed on the first page; a second is the back of the same sheet, and its
        footer names the exercise instead, in one line that leaves large print its room."""
        right = self.theme.labels.footer_note
        if pages > 1:
            page_of = no_break(self.theme.labels.page_of.format(page=number, pages=pages))  # never "Page 2 / of 4"
            right += "<br/>" + (f"{self.context.client} · {page_of}" if self.context.client and number > 1
                                else page_of)
        right_part = Paragraph(right, self.st["footer_right"])
        clinic = self.context.clinic
        if not clinic or number > 1:
            share = self.theme.footer_title_share
            title = Paragraph(self.words(self.text("title", self.ex.title), "footer", self.text_width * share),
                              self.st["footer"])
            return title, right_part, share
        theme = self.theme
        # the note on the right keeps to one line when it can; the clinic takes the rest
        note_w = max(stringWidth(re.sub(r"<[^>]+>|&[a-z]+;", "x", line), self.text.fonts.regular, theme.footer_size)
                     for line in right.split("<br/>")) + theme.footer_note_slack
        share = 1 - min(max(note_w / self.text_width, theme.footer_note_min_share), theme.footer_note_max_share)
        logo_w = logo_width(clinic.logo, theme.logo_height, theme.logo_max_width)
        width = self.text_width * share - (logo_w + theme.footer_size if clinic.logo else 0.0)
        parts = [f"<b>{clinic.name}</b>"] + [p for p in (clinic.address, clinic.contacts) if p]
        lines = lines_at(" · ".join(parts), " · ", self.st["footer"], width).split("<br/>")
        return (LogoBeside(clinic.logo, theme.logo_height, [Paragraph(line, self.st["footer"]) for line in lines],
                           theme.footer_size, theme.logo_max_width), right_part, share)

    def footer_height(self, pages: int, number: int = 1) -> float:
        left, right, share = self.footer_texts(number, pages)
        return total_height(self.footer(), self.text_width) + max(
            height_at(left, self.text_width * share), height_at(right, self.text_width * (1 - share)))

    def summary(self) -> list[Flowable]:
        if not self.ex.summary:
            return []
        return [Paragraph(self.words(self.text("summary", self.ex.summary), "summary"), self.st["summary"]),
                Spacer(0, self.gap)]

    def description(self, count: int) -> list[Flowable]:
        out: list[Flowable] = []
        for i, para in enumerate(self.ex.description[:count]):
            out += [Paragraph(self.words(self.text(field_name(("description", i)), para), "body"), self.st["body"]),
                    Spacer(0, self.gap)]
        return out

    def more_about(self, start: int, count: int) -> list[Flowable]:
        """Description paragraphs *start* to *start* + *count* under their own heading: on a handout that
        takes the back of the sheet, what did not fit before the steps is printed after the tips."""
        if not count:
            return []
        out: list[Flowable] = [Paragraph(self.theme.labels.more_about, self.st["heading"]),
                               Spacer(0, self.gap * self.theme.steps_heading_gap)]
        for i in range(start, start + count):
            if i > start:
                out.append(Spacer(0, self.gap))
            out.append(Paragraph(self.words(self.text(field_name(("description", i)), self.ex.description[i]), "body"),
                                 self.st["body"]))
        return out

    def steps(self) -> list[Flowable]:
        size = self.theme.body_size
        heading = Paragraph(self.theme.labels.instructions, self.st["heading"])
        heading.starts_steps = True  # two columns of steps start level with it (handout_frames)
        out: list[Flowable] = [Spacer(0, self.gap * self.theme.steps_gap), heading,
                               Spacer(0, self.gap * self.theme.steps_heading_gap)]
        for i, step in enumerate(self.ex.instructions):
            if i:
                out.append(Spacer(0, size * self.theme.step_gap))
            para = Paragraph(self.words(self.text(field_name(("instructions", i)), step), "step"), self.st["step"],
                             bulletText=f"{i + 1}.")
            para.keep_whole = True  # a step read across a column or page break loses its reader
            para.step_index = i     # where the steps start (a description must not push them to another page)
            out.append(para)
        return out

    def _box(self, heading: str, style: str, items: list[Flowable], fill: str, edge: str) -> list[Flowable]:
        theme = self.theme
        continued = Paragraph(f"{heading} {theme.labels.continued}", self.st[style])
        return [Box(Paragraph(heading, self.st[style]), items, fill, edge, theme.body_size * theme.box_padding,
                    theme.box_radius, theme.body_size * theme.step_gap, continued)]

    def _tip_items(self) -> list[Flowable]:
        return [Paragraph(self.words(self.text(field_name(("tips", i)), tip), "tip"), self.st["tip"], bulletText="•")
                for i, tip in enumerate(self.ex.tips)]

    def tips(self) -> list[Flowable]:
        """The tips as a box of one column (the side column, or large print's one column)."""
        if not self.ex.tips:
            return []
        c = self.theme.colours
        return self._box(self.theme.labels.tips, "box_heading", self._tip_items(), c.tips_fill, c.tips_edge)

    def tips_grid(self) -> list[Flowable]:
        """The tips as a full-width box under the steps, in two columns read down, then across."""
        if not self.ex.tips:
            return []
        theme, c, labels = self.theme, self.theme.colours, self.theme.labels
        return [TipsGrid(Paragraph(labels.tips, self.st["box_heading"]), self._tip_items(), c.tips_fill,
                         c.tips_edge, theme.body_size * theme.box_padding, theme.box_radius,
                         theme.body_size * theme.step_gap, theme.gutter, self.main_width,
                         Paragraph(f"{labels.tips} {labels.continued}", self.st["box_heading"]))]

    def dose(self) -> list[Flowable]:
        """The dose under the title, where it is seen first; the parts not set get a blank line."""
        if not self.ex.dose and not self.context.dose_lines:
            return []
        given = dict(self.ex.dose)
        theme, st = self.theme, self.st
        padding = theme.body_size * theme.dose_padding
        per_row = theme.dose_per_row or len(theme.labels.dose)
        width = DoseStrip.text_width(self.text_width, per_row, padding)
        labels = [label for _, label in theme.labels.dose]
        values = [self.text(field_name(("dose", part)), given[part]) for part, _ in theme.labels.dose if part in given]
        # narrow cells: "30 seconds" and "Wiederholungen" wrap between words, or shrink, or hyphenate
        label_cells = narrow_cells(labels, st["dose_label"], width, theme.footer_size, theme.labels.code)
        value_cells = iter(narrow_cells(values, st["dose_value"], width, theme.min_body_size, theme.labels.code))
        cells = [(Paragraph(*label_cell), Paragraph(*next(value_cells)) if part in given else None)
                 for (part, _), label_cell in zip(theme.labels.dose, label_cells)]
        c = theme.colours
        return [Spacer(0, self.gap * theme.dose_gap),
                DoseStrip(cells, c.tips_fill, c.tips_edge, c.muted, padding, theme.box_radius, per_row)]

    def video(self) -> list[Flowable]:
        if not self.ex.video:
            return []
        st = self.st
        address = shorten(re.sub(r"^https?://(www\.)?", "", self.ex.video, flags=re.IGNORECASE).rstrip("/"),
                          self.theme.video_address_chars)
        return [VideoLink(self.ex.video, Paragraph(self.theme.labels.video, st["box_heading"]),
                          Paragraph(self.text("video", address), st["meta"]), self.gap)]

    def caution(self) -> list[Flowable]:
        if not self.ex.caution:
            return []
        c = self.theme.colours
        return self._box(self.theme.labels.caution, "caution_heading",
                         [Paragraph(self.words(self.text("caution", self.ex.caution), "body"), self.st["body"])],
                         c.caution_fill, c.caution_edge)
