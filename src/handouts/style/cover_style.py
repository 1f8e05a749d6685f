"""The look of a program's cover as data: every type size, gap and proportion, in one place.

The defaults are for reading at arm's length with poor eyesight: body text at 12 pt,
nothing under 9 pt.  A large-print cover is ``CoverStyle().scaled(1.34)`` (the theme's
``cover_scale``): lengths grow, ratios and the tick boxes stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from handouts.style.units import inch


#: Fields of CoverStyle that are ratios or counts, not lengths: ``scaled`` leaves them alone.
_UNSCALED = frozenset({"leading", "heading_leading", "clinic_share", "info_label_share", "exercise_share",
                       "dose_min_share", "dose_max_share", "min_size", "log_dates", "page_numbers", "box_fill",
                       "dose_separator",
                       # 28 boxes across the page leave no room to grow, and larger print must not
                       # take it from them: the titles beside them take two lines instead
                       "box_min", "box_max", "day_gap", "week_gap", "log_title_lines", "log_label_min",
                       "small_leading", "log_baseline_drop"})


@dataclass(frozen=True)
class CoverStyle:
    """Every type size (pt), gap (pt) and proportion of the cover.

    The defaults are for reading at arm's length with poor eyesight: body text at 12 pt,
    nothing under 9 pt.  ``scaled(1.25)`` gives a large-print cover.
    """

    # type
    body_size: float = 12.0          # table cells and the note
    leading: float = 1.27            # x size: line height of the cover's text
    heading_leading: float = 1.15    # x size: the page heading and the log's heading
    small_leading: float = 1.2       # x size: the log's labels, week names, weekdays and dates
    title_size: float = 26.0         # the program's name, the page heading
    client_size: float = 16.0        # the client's name
    info_size: float = 12.0          # the For / Clinician / Date labels, clinician and date
    clinic_name_size: float = 12.5
    clinic_size: float = 10.5        # the clinic's contacts and address
    header_size: float = 11.5        # the table's column heads
    number_size: float = 12.0        # the exercise's number in the table
    heading_size: float = 15.0       # the log's heading
    hint_size: float = 11.5
    log_label_size: float = 11.0     # number and short title at the start of each log row
    log_head_size: float = 10.5      # "Week 1" over each week
    weekday_size: float = 10.0       # the days of the week over the boxes
    date_size: float = 9.0           # the day of the month under each weekday
    footer_size: float = 9.5
    min_size: float = 9.0            # the floor for anything shrunk to fit
    # masthead
    logo_height: float = 0.8 * inch
    logo_max_width: float = 2.2 * inch
    clinic_share: float = 0.40       # share of the text width for the clinic, top right
    masthead_gutter: float = 0.3 * inch
    title_gap: float = 12.0          # under the page heading
    info_label_gap: float = 14.0     # between "Clinician" and its value
    info_row_gap: float = 4.0
    info_label_share: float = 0.45   # at most, of the block's width, for the labels
    logo_gap: float = 8.0            # under the logo
    clinic_line_gap: float = 1.5
    rule_thickness: float = 1.2
    rule_gap: float = 14.0           # above and below the masthead's rule
    # blocks
    block_gap: float = 20.0          # between the note, the table and the log
    box_padding: float = 10.0        # inside the note's box
    box_radius: float = 5.0
    box_item_gap: float = 4.0
    # table
    cell_padding: float = 6.0        # left and right of each cell
    cell_padding_v: float = 6.0      # above and below
    exercise_share: float = 0.30     # the Exercise column's share of what the # column leaves
    dose_min_share: float = 0.22     # How much: as wide as its longest line, within these shares
    dose_max_share: float = 0.34
    dose_separator: str = "&nbsp;&nbsp; "  # between parts: a wide gap a line breaks after, never before
    header_line: float = 1.0
    row_line: float = 0.6
    # log
    hint_gap: float = 3.0            # between the log's heading and its hint
    log_head_gap: float = 10.0       # between the hint and the grid
    box_min: float = 0.16 * inch     # a tick box is never smaller than this ...
    box_max: float = 0.20 * inch     # ... nor larger
    box_line: float = 0.8
    box_fill: str = "#ffffff"        # the paper's own white, over the band of every other row
    day_gap: float = 3.0             # between the days of a week
    week_gap: float = 10.0           # between weeks (visibly more)
    log_label_min: float = 1.3 * inch  # the number and short title before the boxes
    log_label_gap: float = 5.0       # between the number and the title
    log_row_gap: float = 7.0         # between rows of boxes
    log_baseline_drop: float = 0.35  # x label size: a one-line label's baseline under the boxes' middle
    log_title_lines: int = 2         # a long title takes up to this many lines, when the cover keeps its pages
    week_rule: float = 0.8           # the line under each "Week n" ...
    week_rule_gap: float = 2.0       # ... this far under its text
    head_row_gap: float = 3.0        # under the week names, and under the days over the boxes
    log_dates: bool = True           # the day of the month under each weekday
    # footer (only on covers of more than one page)
    page_numbers: bool = True
    footer_gap: float = 10.0

    def scaled(self, factor: float) -> "CoverStyle":
        """Every type size and length times *factor* (a large-print cover), ratios as they are."""
        return replace(self, **{f.name: getattr(self, f.name) * factor for f in fields(self)
                                if f.name not in _UNSCALED})
