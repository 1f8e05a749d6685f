"""Lay out a client's program's own pages, its cover and its Notes pages (no I/O).

The cover is what a clinician hands over first: whose program it is, who prescribed it
and when, the clinic, a general note, a table of the prescribed exercises with their dose
and notes, and a four-week log with a box to tick on each day an exercise is done.

From the top of the first page:

* a masthead: the program's name as the page heading with For / Clinician / Date under
  it on the left, and the clinic (logo, name, contacts, address) set small on the right;
* a rule, then the note in a shaded box;
* the table ``# | Exercise | How much | Notes``, which continues on the next page with
  its header row repeated when it is long;
* the log: its heading and hint, a row of week names over each group of seven boxes, the
  days of the week starting on the program's first day, and one row of 28 boxes per
  exercise.  The log is kept whole: when it does not fit under the table it starts a new
  page (it is only divided, its header repeated, when it is taller than a page).

Every size and gap is a field of :class:`CoverStyle` and every colour comes from the
theme, so a large-print cover is ``CoverStyle().scaled(1.25)``, not a code change.  The
text the caller passes is Paragraph markup already escaped; the labels this module sets
itself are escaped here (with fallback-font runs, like content).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from handouts.layout.branding import ClinicBlock
from handouts.layout.fit_text import (first_word, fit_line, line_count, line_width, lines_at, narrow_cells, no_break,
                                      resized)
from handouts.layout.flowables import Box, InfoGrid, Logo, Placed, Rule, height_at
from handouts.layout.notes_page import notes_page
from handouts.layout.paging import flow_pages, stack_down
from handouts.layout.paragraph import Paragraph
from handouts.layout.tick_log import LogGeometry, TickLog
from handouts.style.fonts import FontSet
from handouts.layout.markup import to_markup
from handouts.style.cover_style import CoverStyle
from handouts.style.theme import Labels, Theme


@dataclass(frozen=True)
class CoverRow:
    """One prescribed exercise, as the table and the log show it."""

    number: int                          # 1-based
    title: str                           # escaped markup
    dose: tuple[tuple[str, str], ...]    # (translated label, escaped value) pairs; the label may be
    #                                      plain text (from Labels) or escaped: both print the same
    notes: str | None = None             # escaped markup
    language: str | None = None          # the exercise's: its title's words are hyphenated by its dictionary


@dataclass(frozen=True)
class CoverInfo:
    """Whose program it is, by whom, and when; text is escaped markup."""

    client: str
    date: str                            # already formatted ("November 25, 2026")
    start: datetime.date                 # the first day of the log
    clinician: str | None = None
    notes: str | None = None
    clinic: ClinicBlock | None = None


# --- text -----------------------------------------------------------------------------------

#: What only escaped markup holds: an entity, or a fallback font run from handouts.layout.markup.
_MARKUP = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d+);|<font face=")


def _label(text: str, fonts: FontSet) -> str:
    """A label this module sets itself, escaped (a house label may hold '&'), with fallback runs."""
    return to_markup(text, fonts).markup


def _styles(theme: Theme, fonts: FontSet, s: CoverStyle) -> dict[str, ParagraphStyle]:
    c = theme.colours

    def style(name: str, size: float, font: str = fonts.regular, colour: str = c.text, align=TA_LEFT,
              leading: float = s.leading) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * leading,
                              textColor=HexColor(colour), alignment=align)

    return {
        "title": style("title", s.title_size, fonts.bold, c.heading, leading=s.heading_leading),
        "info_label": style("info_label", s.info_size, colour=c.muted),
        "client": style("client", s.client_size, fonts.bold),
        "info": style("info", s.info_size),
        "clinic_name": style("clinic_name", s.clinic_name_size, fonts.bold, c.heading, TA_RIGHT),
        "clinic": style("clinic", s.clinic_size, colour=c.muted, align=TA_RIGHT),
        "box_heading": style("box_heading", s.body_size, fonts.bold, c.heading),
        "body": style("body", s.body_size),
        "header": style("header", s.header_size, fonts.bold, c.heading),
        "number": style("number", s.number_size, fonts.bold, c.heading, TA_RIGHT),
        "exercise": style("exercise", s.body_size, fonts.bold),
        "heading": style("heading", s.heading_size, fonts.bold, c.heading, leading=s.heading_leading),
        "hint": style("hint", s.hint_size, colour=c.muted),
        "log_number": style("log_number", s.log_label_size, fonts.bold, c.heading, TA_RIGHT, s.small_leading),
        "log_title": style("log_title", s.log_label_size, leading=s.small_leading),
        "week": style("week", s.log_head_size, fonts.bold, c.heading, TA_CENTER, s.small_leading),
        "weekday": style("weekday", s.weekday_size, colour=c.text, align=TA_CENTER, leading=s.small_leading),
        "day": style("day", s.date_size, colour=c.muted, align=TA_CENTER, leading=s.small_leading),
        "footer": style("footer", s.footer_size, colour=c.muted),
        "footer_right": style("footer_right", s.footer_size, colour=c.muted, align=TA_RIGHT),
    }


class _Cover:
    """The cover's blocks for one text width."""

    def __init__(self, info: CoverInfo, rows: list[CoverRow], theme: Theme, labels: Labels,
                 page_size: tuple[float, float], fonts: FontSet, style: CoverStyle):
        self.info, self.rows, self.theme, self.labels, self.fonts, self.s = info, rows, theme, labels, fonts, style
        self.st = _styles(theme, fonts, style)
        self.page_w, self.page_h = page_size
        self.left = theme.margin
        self.width = self.page_w - 2 * theme.margin

    def label(self, text: str) -> str:
        return _label(text, self.fonts)

    def as_markup(self, text: str) -> str:
        """A dose label as markup, whether it comes as plain text (straight from Labels) or escaped."""
        return text if _MARKUP.search(text) else self.label(text)

    # the masthead: program name and client on the left, the clinic on the right
    def masthead(self) -> tuple[list[Placed], float]:
        s, st, info = self.s, self.st, self.info
        clinic = info.clinic
        clinic_w = self.width * s.clinic_share if clinic else 0.0
        left_w = self.width - clinic_w - (s.masthead_gutter if clinic else 0.0)
        rows = [(Paragraph(self.label(self.labels.client), st["info_label"]), Paragraph(info.client, st["client"]))]
        if info.clinician:
            rows.append((Paragraph(self.label(self.labels.clinician), st["info_label"]),
                         Paragraph(info.clinician, st["info"])))
        rows.append((Paragraph(self.label(self.labels.date), st["info_label"]), Paragraph(info.date, st["info"])))
        left = [Paragraph(self.label(self.labels.program), st["title"]), Spacer(0, s.title_gap),
                InfoGrid(rows, s.info_label_gap, s.info_row_gap, s.info_label_share)]
        top = self.page_h - self.theme.margin
        placed, bottom = stack_down(left, self.left, top, left_w)
        if clinic:
            right: list[Flowable] = []
            if clinic.logo is not None:
                right += [Logo(clinic.logo, min(s.logo_max_width, clinic_w), s.logo_height), Spacer(0, s.logo_gap)]
            right.append(Paragraph(clinic.name, st["clinic_name"]))
            for extra in (clinic.contacts, clinic.address):
                if extra:
                    extra = lines_at(extra, " · ", st["clinic"], clinic_w)
                    right += [Spacer(0, s.clinic_line_gap), Paragraph(extra, st["clinic"])]
            right_placed, right_bottom = stack_down(right, self.left + self.width - clinic_w, top, clinic_w)
            placed += right_placed
            bottom = min(bottom, right_bottom)
        rule = Rule(self.theme.colours.rule, s.rule_thickness, s.rule_gap, s.rule_gap)
        placed.append(Placed(rule, self.left, bottom, self.width))
        return placed, bottom - height_at(rule, self.width)

    def notes(self) -> list[Flowable]:
        if not self.info.notes:
            return []
        s, st, c = self.s, self.st, self.theme.colours
        heading = self.label(self.labels.notes)
        continued = self.label(f"{self.labels.notes} {self.labels.continued}")
        return [Box(Paragraph(heading, st["box_heading"]), [Paragraph(self.info.notes, st["body"])],
                    c.tips_fill, c.tips_edge, s.box_padding, s.box_radius, s.box_item_gap,
                    Paragraph(continued, st["box_heading"]))]

    def _dose_parts(self, row: CoverRow, width: float = 1e9) -> list[str]:
        """Each part as "Label value", the label muted and the value bold; the label stays whole and on
        the line of the value's first word when the two fit *width* (pt) together (a label glued to a
        word too long for the column would be cut with it), and a long value wraps between its words."""
        muted = self.theme.colours.muted
        out = []
        for label, value in row.dose:
            head = f'<font color="{muted}">{no_break(self.as_markup(label))}</font>'
            first = first_word(value)  # the value is markup: a fallback run's tag has a space in it
            glue = "&nbsp;" if line_width(f"{head}&nbsp;<b>{first}</b>", self.st["body"]) <= width else " "
            out.append(f"{head}{glue}<b>{value}</b>")
        return out

    def table(self) -> list[Flowable]:
        if not self.rows:
            return []
        s, st, c = self.s, self.st, self.theme.colours
        pad = s.cell_padding
        number_w = max(line_width(str(max(r.number for r in self.rows)), st["number"]),
                       line_width("#", st["header"])) + 2 * pad
        rest = self.width - number_w
        parts = [self._dose_parts(r) for r in self.rows]
        # as wide as the longest part with the gap after it (a line breaks after the gap, not before)
        longest = max((line_width(part + s.dose_separator.strip(), st["body"]) for p in parts for part in p),
                      default=0.0)
        dose_w = min(max(longest + 2 * pad + 1, rest * s.dose_min_share), rest * s.dose_max_share)
        exercise_w = rest * s.exercise_share
        notes_w = rest - exercise_w - dose_w
        # a word too wide for its column is hyphenated, never cut where a reader cannot tell
        inner = dose_w - 2 * pad
        doses = [s.dose_separator.join(self._dose_parts(r, inner)) for r in self.rows]
        code = self.labels.code  # the program's words; an exercise's title is in the exercise's language

        def cell(markup: str, style: ParagraphStyle, width: float, language: str | None) -> tuple[str, ParagraphStyle]:
            return narrow_cells([markup], style, width, style.fontSize, language)[0]

        dose_cells = [cell(dose, st["body"], inner, code) for dose in doses]
        title_cells = [cell(r.title, st["exercise"], exercise_w - 2 * pad, r.language or code) for r in self.rows]
        notes_cells = [cell(r.notes or "", st["body"], notes_w - 2 * pad, code) for r in self.rows]
        header = [Paragraph("#", ParagraphStyle("header_number", st["header"], alignment=TA_RIGHT))] + [
            Paragraph(self.label(text), st["header"])
            for text in (self.labels.exercise, self.labels.how_much, self.labels.notes)]
        data: list[list[Paragraph | str]] = [[*header]]  # a row: Paragraphs, "" for an empty cell
        for row, dose, title, notes in zip(self.rows, dose_cells, title_cells, notes_cells):
            data.append([Paragraph(str(row.number), st["number"]), Paragraph(*title),
                         Paragraph(*dose) if dose[0] else "", Paragraph(*notes) if row.notes else ""])
        table = Table(data, colWidths=[number_w, exercise_w, dose_w, notes_w], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), s.cell_padding_v),
            ("BOTTOMPADDING", (0, 0), (-1, -1), s.cell_padding_v),
            ("BACKGROUND", (0, 0), (-1, 0), HexColor(c.tips_fill)),
            ("LINEBELOW", (0, 0), (-1, 0), s.header_line, HexColor(c.rule)),
            ("LINEBELOW", (0, 1), (-1, -1), s.row_line, HexColor(c.tips_edge)),
        ]))
        return [table]

    def log_geometry(self) -> LogGeometry:
        s = self.s
        gaps = 24 * s.day_gap + 3 * s.week_gap
        box = min(s.box_max, max(s.box_min, (self.width - s.log_label_min - gaps) / 28))
        label_w = self.width - 28 * box - gaps
        number_w = line_width(str(max(r.number for r in self.rows)), self.st["log_number"])
        title_w = label_w - number_w - 2 * s.log_label_gap
        # a title that does not fit one line takes two (then is cut short): every row as tall as the tallest
        lines = max(min(s.log_title_lines, line_count(r.title, self.st["log_title"], title_w)) for r in self.rows)
        row_pitch = max(box, self.st["log_title"].leading * lines) + s.log_row_gap
        return LogGeometry(self.width, label_w, number_w, box, s.day_gap, s.week_gap, row_pitch)

    def _fitting(self, name: str, text: str, width: float) -> ParagraphStyle:
        """The style *name*, its size lowered (not under the floor) until *text* fits *width* on one line."""
        style = self.st[name]
        natural = line_width(text, style)
        if natural <= width:
            return style
        # a line's width is proportional to its type size: the largest size that fits, to a tenth of a point
        size = max(self.s.min_size, int(style.fontSize * width / natural * 10) / 10)
        return resized(style, size)

    def log(self) -> list[Flowable]:
        if not self.rows:
            return []
        s, st, labels = self.s, self.st, self.labels
        g = self.log_geometry()
        group = 7 * g.box + 6 * g.day_gap
        week_texts = [self.label(labels.week.format(number=n)) for n in range(1, 5)]
        week_style = self._fitting("week", max(week_texts, key=lambda t: line_width(t, st["week"])), group)
        weeks = [Paragraph(t, week_style) for t in week_texts]
        first = self.info.start.weekday()
        day_texts = [self.label(labels.weekdays[(first + i) % 7]) for i in range(7)]
        widest = max(day_texts, key=lambda t: line_width(t, st["weekday"]))
        day_style = self._fitting("weekday", widest, g.box + g.day_gap / 2)
        weekdays = [Paragraph(day_texts[i % 7], day_style) for i in range(28)]
        dates = []
        if s.log_dates:
            days = [self.info.start + datetime.timedelta(days=i) for i in range(28)]
            date_style = self._fitting("day", "28", g.box + g.day_gap / 2)
            if date_style.fontSize > day_style.fontSize:  # never louder than the weekday over it
                date_style = resized(date_style, day_style.fontSize)
            dates = [Paragraph(str(d.day), date_style) for d in days]
        title_w = g.label_w - g.number_w - s.log_label_gap - s.log_label_gap
        # a word wider than the label ("Kniestreckung") is hyphenated there, not cut
        titles = [narrow_cells([r.title], st["log_title"], title_w, st["log_title"].fontSize,
                               r.language or self.labels.code)[0] for r in self.rows]
        rows = [(Paragraph(str(r.number), st["log_number"]),
                 Paragraph(fit_line(title, style, title_w, lines=s.log_title_lines), style))
                for r, (title, style) in zip(self.rows, titles)]
        heading = Paragraph(self.label(labels.log), st["heading"])
        continued = Paragraph(self.label(f"{labels.log} {labels.continued}"), st["heading"])
        hint = Paragraph(self.label(labels.log_hint), st["hint"])
        return [TickLog(heading, hint, weeks, weekdays, dates, rows, g, self.theme.colours, s,
                        continued=continued)]

    def footer_height(self) -> float:
        return self.st["footer"].leading + self.s.footer_gap

    def footer(self, page: int, pages: int) -> list[Placed]:
        st = self.st
        half = self.width / 2
        left = Paragraph(f"{self.label(self.labels.program)} · {self.info.client}", st["footer"])
        right = Paragraph(self.label(self.labels.page_of.format(page=page, pages=pages)), st["footer_right"])
        top = self.theme.margin + max(height_at(left, half), height_at(right, half))
        return [Placed(left, self.left, top, half), Placed(right, self.left + half, top, half)]


def layout_cover(info: CoverInfo, rows: list[CoverRow], theme: Theme, labels: Labels,
                 page_size: tuple[float, float], fonts: FontSet, style: CoverStyle = CoverStyle()
                 ) -> list[list[Placed]]:
    """The cover's pages (usually one), each a list of placed flowables.

    *info*, *rows* and the clinic hold escaped Paragraph markup; *labels* are plain text in
    the cover's language and are escaped here.  When the cover takes more than one page,
    each page gets a footer naming the program and the client, and its page number.
    """
    pages = _pages(info, rows, theme, labels, page_size, fonts, style)
    if style.log_title_lines > 1:  # the log's titles on two lines only when that costs no page
        short = _pages(info, rows, theme, labels, page_size, fonts, replace(style, log_title_lines=1))
        if len(short) < len(pages):
            return short
    return pages


def _pages(info: CoverInfo, rows: list[CoverRow], theme: Theme, labels: Labels,
           page_size: tuple[float, float], fonts: FontSet, style: CoverStyle) -> list[list[Placed]]:
    cover = _Cover(info, list(rows), theme, labels, page_size, fonts, style)
    page_top = cover.page_h - theme.margin
    head, head_bottom = cover.masthead()
    items: list[Flowable] = []
    for block in (cover.notes(), cover.table(), cover.log()):
        if block:
            if items:
                items.append(Spacer(0, style.block_gap))
            items += block
    pages = flow_pages(items, head, head_bottom, page_top, theme.margin, cover.left, cover.width)
    if len(pages) > 1 and style.page_numbers:  # poured again, leaving room for a footer on each page
        bottom = theme.margin + cover.footer_height()
        pages = flow_pages(items, head, head_bottom, page_top, bottom, cover.left, cover.width)
        for number, page in enumerate(pages, 1):
            page += cover.footer(number, len(pages))
    return pages


# what callers import from here: the cover, its style and log, and the Notes page printed behind it
__all__ = ["ClinicBlock", "CoverInfo", "CoverRow", "CoverStyle", "TickLog", "layout_cover", "notes_page"]
