"""The four-week tick log of a program's cover: a box for each day, one row per exercise.

A flowable of its own because it draws boxes, not text: the week names over each group
of seven, the weekday names (and the day of the month) starting on the program's first
day, then 28 boxes per exercise, wide gaps between the weeks and a faint band on every
other row so the eye stays on its row.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from handouts.layout.paragraph import Paragraph
from handouts.style.cover_style import CoverStyle


@dataclass(frozen=True)
class LogGeometry:
    """Where the parts of a log row go, worked out once for the text width."""

    width: float
    label_w: float     # the number and short title
    number_w: float    # the number, right-aligned in it
    box: float
    day_gap: float
    week_gap: float
    row_pitch: float   # one row of boxes and the gap under it

    def box_x(self, day: int) -> float:
        week, weekday = divmod(day, 7)
        return self.label_w + week * (7 * self.box + 6 * self.day_gap + self.week_gap) + weekday * (
            self.box + self.day_gap)

    def week_span(self, week: int) -> tuple[float, float]:
        left = self.box_x(week * 7)
        return left, left + 7 * self.box + 6 * self.day_gap


class TickLog(Flowable):
    """The four-week log: heading, hint, week and weekday rows, and 28 boxes per exercise.

    It is kept whole (``keep_whole``); only when it is taller than a page is it divided
    between rows, each part with the week and weekday rows over it.
    """

    keep_whole = True

    def __init__(self, heading: Paragraph | None, hint: Paragraph | None, weeks: list[Paragraph],
                 weekdays: list[Paragraph], dates: list[Paragraph], rows: list[tuple[Paragraph, Paragraph]],
                 geometry: LogGeometry, colours, style: CoverStyle, first_row: int = 0,
                 continued: Paragraph | None = None):
        super().__init__()
        self.heading, self.hint, self.weeks, self.weekdays, self.dates = heading, hint, weeks, weekdays, dates
        self.rows, self.g, self.colours, self.s = rows, geometry, colours, style
        self.first_row, self.continued = first_row, continued

    # heights of the parts, top to bottom
    def _intro_h(self) -> float:
        h = 0.0
        if self.heading:
            h += self.heading.wrap(self.g.width, 1e9)[1]
        if self.hint:
            h += self.s.hint_gap + self.hint.wrap(self.g.width, 1e9)[1]
        return h + (self.s.log_head_gap if h else 0.0)

    def _week_h(self) -> float:
        return self.weeks[0].style.leading + self.s.week_rule_gap + self.s.week_rule + self.s.head_row_gap

    def _weekday_h(self) -> float:
        h = self.weekdays[0].style.leading
        if self.dates:
            h += self.dates[0].style.leading
        return h + self.s.head_row_gap

    def _header_h(self) -> float:
        return self._intro_h() + self._week_h() + self._weekday_h()

    def wrap(self, avail_width, avail_height):
        self.width = self.g.width
        self.height = self._header_h() + len(self.rows) * self.g.row_pitch
        return self.width, self.height

    def split(self, avail_width, avail_height):
        fit = int((avail_height - self._header_h() + 1e-6) // self.g.row_pitch)
        if fit < 1 or fit >= len(self.rows):
            return []
        rest_heading = self.continued or self.heading
        return [TickLog(self.heading, self.hint, self.weeks, self.weekdays, self.dates, self.rows[:fit], self.g,
                        self.colours, self.s, self.first_row, self.continued),
                TickLog(rest_heading, None, self.weeks, self.weekdays, self.dates, self.rows[fit:], self.g,
                        self.colours, self.s, self.first_row + fit, self.continued)]

    def draw(self):
        canv, g, s, c = self.canv, self.g, self.s, self.colours
        top = self.height
        if self.heading:
            h = self.heading.wrap(g.width, 1e9)[1]
            self.heading.drawOn(canv, 0, top - h)
            top -= h
        if self.hint:
            top -= s.hint_gap
            h = self.hint.wrap(g.width, 1e9)[1]
            self.hint.drawOn(canv, 0, top - h)
            top -= h
        if self.heading or self.hint:
            top -= s.log_head_gap
        # Week 1 .. Week 4, each over its seven days with a line under it
        canv.saveState()
        canv.setStrokeColor(HexColor(c.rule))
        canv.setLineWidth(s.week_rule)
        for week, para in enumerate(self.weeks):
            left, right = g.week_span(week)
            _, h = para.wrap(right - left, 1e9)
            para.drawOn(canv, left, top - h)
            y = top - para.style.leading - s.week_rule_gap - s.week_rule / 2
            canv.line(left, y, right, y)
        canv.restoreState()
        top -= self._week_h()
        # the days of the week (and of the month) over each box
        for day in range(28):
            x = g.box_x(day) - g.day_gap / 2
            para = self.weekdays[day]
            _, h = para.wrap(g.box + g.day_gap, 1e9)
            para.drawOn(canv, x, top - h)
            if self.dates:
                para = self.dates[day]
                _, dh = para.wrap(g.box + g.day_gap, 1e9)
                para.drawOn(canv, x, top - self.weekdays[day].style.leading - dh)
        top -= self._weekday_h()
        # one row per exercise: a band on every other row, so the eye keeps to its row
        canv.saveState()
        for i, (number, title) in enumerate(self.rows):
            row_top = top - i * g.row_pitch
            middle = row_top - g.row_pitch / 2
            box_y = middle - g.box / 2
            if (self.first_row + i) % 2:
                canv.setFillColor(HexColor(c.tips_fill))
                canv.rect(0, row_top - g.row_pitch, g.width, g.row_pitch, stroke=0, fill=1)
            title_w = g.label_w - g.number_w - 2 * s.log_label_gap  # as fitted (cover.py): a gap before the boxes
            title.wrap(title_w, 1e9)
            size, leading = title.style.fontSize, title.style.leading
            # the text centred on the boxes: one line by its capitals (baseline 0.35 em under the
            # middle), two lines as a block
            lines = len(title.blPara.lines)
            first_baseline = middle - size * s.log_baseline_drop + (lines - 1) * leading / 2
            number.wrap(g.number_w, 1e9)
            number.drawOn(canv, 0, first_baseline + size - number.height)
            title.drawOn(canv, g.number_w + s.log_label_gap, first_baseline + size - title.height)
            canv.setFillColor(HexColor(s.box_fill))
            canv.setStrokeColor(HexColor(c.rule))
            canv.setLineWidth(s.box_line)
            for day in range(28):
                canv.rect(g.box_x(day), box_y, g.box, g.box, stroke=1, fill=1)
        canv.restoreState()


# --- the page ---------------------------------------------------------------------------------
