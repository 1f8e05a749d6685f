"""The look of a handout as data: paper, type sizes, colours, spacing and labels.

Layout code reads every size, colour and gap from a :class:`Theme`, never from a
constant of its own, so a clinic's house style (or large print) is a different
Theme, not a code change.  Sizes that follow the body size are given as ratios,
because the fitting loop shrinks the body size and everything scales with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from handouts.style.units import A4, LETTER, inch, type_sizes

from handouts.errors import UsageError
from handouts.style.card_sizes import CardStyle, card_size

PAPERS = {"letter": LETTER, "a4": A4}


def paper_size(name: str) -> tuple[float, float]:
    try:
        return PAPERS[name.lower()]
    except KeyError:
        raise UsageError(f"unknown paper '{name}'; choose one of: {', '.join(PAPERS)}") from None


def paper_label(name: str) -> str:
    """How people write the paper's name: Letter, A4."""
    return {"letter": "Letter", "a4": "A4"}.get(name.lower(), name)


@dataclass(frozen=True)
class Colours:
    text: str = "#111111"          # 18:1 on white
    muted: str = "#3d4650"         # meta line and footer: 9.6:1 on white
    heading: str = "#17365d"       # 11.6:1 on white
    rule: str = "#5b7fa6"
    step_number: str = "#17365d"
    tips_fill: str = "#eaf1f8"
    tips_edge: str = "#b7cbe0"
    caution_fill: str = "#fff3e0"
    caution_edge: str = "#e0a35a"
    caution_heading: str = "#7a3e00"  # 8.6:1 on its fill


@dataclass(frozen=True)
class Labels:
    code: str = "en"                # the language these labels are in
    instructions: str = "Instructions"
    tips: str = "Tips"
    caution: str = "Caution"
    targets: str = "Targets"
    equipment: str = "Equipment"
    level: str = "Level"
    video: str = "Watch the video"
    dose: tuple[tuple[str, str], ...] = (("sets", "Sets"), ("reps", "Reps"), ("hold", "Hold"), ("rest", "Rest"),
                                         ("frequency", "How often"), ("side", "Side"))
    continued: str = "(continued)"
    more_about: str = "More about this exercise"  # over the description paragraphs printed after the tips
    footer_note: str = "Ask your clinician if anything is unclear or painful."
    card_continues: str = "continued on card {number}"
    print_duplex: str = "Print at actual size (100%), double-sided, flip on {edge} edge."
    edges: tuple[tuple[str, str], ...] = (("long", "long"), ("short", "short"))  # the {edge} above
    print_fold: str = "Print at actual size (100%), one-sided. Cut on the marks, fold on the dashed line."
    sheet_fronts: str = "Sheet {sheet} of {sheets}: fronts (questions)"
    sheet_backs: str = "Sheet {sheet} of {sheets}: backs (answers)"
    sheet_fold: str = "Sheet {sheet} of {sheets}: fold-over cards"
    page_of: str = "Page {page} of {pages}"
    # a client's program: its cover page, and the line on each of its handouts
    program: str = "Home exercise program"
    client: str = "For"
    clinician: str = "Clinician"
    date: str = "Date"
    exercise: str = "Exercise"
    how_much: str = "How much"
    notes: str = "Notes"
    note: str = "Note"
    exercise_of: str = "Exercise {number} of {count}"
    log: str = "Four-week log"
    log_hint: str = "Tick a box on each day you do the exercise."
    week: str = "Week {number}"
    weekdays: tuple[str, ...] = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
    months: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July", "August",
                               "September", "October", "November", "December")
    date_format: str = "{month} {day}, {year}"      # how dates are written; A4 English: day first
    # the bookmarks of an email edition (a PDF read on a screen): a program's cover, and the cards
    outline_cover: str = "Overview"
    outline_cards: str = "Questions and answers"


@dataclass(frozen=True)
class Theme:
    """Everything the handout layout needs to know about the look."""

    # the page
    margin: float = 0.5 * inch       # pt: all four sides; inside the 0.3 in office lasers lose
    main_column: float = 0.64        # share of the text width for the main column (about 65 characters)
    gutter: float = 0.25 * inch      # pt: between the columns, and between two pictures in a band
    # type sizes: the body size is fitted, the rest follow it as ratios or stay fixed
    body_size: float = 12.0          # pt: the body size, before a short exercise grows or a long one shrinks
    min_body_size: float = 10.5      # pt: the floor; under it an exercise continues on the back of the sheet
    comfortable_size: float = 12.0   # pt: below this, the build warns
    grow_body_size: float = 14.0     # pt: a short exercise's type grows up to this to use the page
    size_step: float = 0.5           # pt: how much the body shrinks (or grows) per try
    blank_target: float = 1 / 3      # share of the body height: more left empty under a short exercise grows it
    leading: float = 1.27            # x type size: line height of body text
    title_ratio: float = 2.0         # x body size: the title ...
    min_title_size: float = 18.0     # pt: ... never below this
    title_leading: float = 1.15      # x title size: large type needs less line space
    summary_ratio: float = 1.1       # x body size: the summary, a little larger than the steps
    heading_ratio: float = 1.2       # x body size: "Instructions", box headings in a Notes page
    heading_leading: float = 1.2     # x heading size
    meta_size: float = 11.0          # pt: targets, equipment, level, the video's address, a program's banner
    meta_leading: float = 1.3        # x meta size: the meta line wraps with room between its parts
    footer_size: float = 9.0         # pt: the footer; also the smallest caption
    footer_leading: float = 1.25     # x footer size
    caption_ratio: float = 0.85      # x body size: a picture's caption, never under footer_size
    caption_leading: float = 1.2     # x caption size
    step_number_space: float = 0.6   # x body size: room after the widest step number ("12.") in the indent
    tip_indent: float = 0.9          # x body size: the tips' hanging indent, room for the bullet
    tip_bullet_shrink: float = 1.2   # the tips' bullet is the body size divided by this (10 pt at 12)
    dose_label_ratio: float = 0.9    # x meta size: "Sets", "Reps" over the dose values
    dose_label_leading: float = 1.1  # x meta size (not the label's): the labels sit tight on their values
    dose_value_ratio: float = 1.2    # x body size: the dose values, bold, seen first
    dose_value_leading: float = 1.15  # x dose value size
    # gaps: most are multiples of the paragraph gap, so they shrink with the body size
    paragraph_gap: float = 0.55      # x body size: between paragraphs; the unit of the gaps below
    section_gap: float = 1.0         # x body size: kept for house styles; no layout reads it today
    step_gap: float = 0.4            # x body size: between steps, and between the items of a box
    banner_gap: float = 0.6          # x paragraph gap: under a program's banner line
    meta_gap: float = 3              # pt: between the title and the meta line (fixed: the meta size is too)
    note_gap: float = 0.8            # x paragraph gap: above a program's note under the dose
    dose_gap: float = 0.8            # x paragraph gap: above the dose strip
    dose_padding: float = 0.6        # x body size: inside the dose strip's cells
    dose_per_row: int = 0            # cells in a row of the dose strip (0: all of them in one row)
    header_rule: float = 1.2         # pt: the rule under the header (and under a second page's)
    header_rule_above: float = 0.9   # x paragraph gap: above that rule ...
    header_rule_below: float = 1.6   # x paragraph gap: ... and under it, before the body
    continued_rule_above: float = 0.6  # x paragraph gap: a second page's shorter header: above its rule ...
    continued_rule_below: float = 1.4  # x paragraph gap: ... and under it
    steps_gap: float = 0.5           # x paragraph gap: above "Instructions"
    steps_heading_gap: float = 0.7   # x paragraph gap: between "Instructions" and the first step
    block_gap: float = 1.4           # x paragraph gap: between the blocks of a column, and under a band of pictures
    main_tips_gap: float = 1.6       # x paragraph gap: above the tips when they follow the steps
    footer_rule: float = 0.6         # pt: the thin rule over the footer ...
    footer_rule_below: float = 4     # pt: ... and the room under it
    box_padding: float = 0.75        # x body size: inside the tips and caution boxes
    box_radius: float = 5.0          # pt: their corners, and the dose strip's
    writing_line_gap: float = 2.2    # x body size: the ruled lines of a Notes page
    writing_line: float = 0.5        # pt: those lines' width, faint enough to write over
    writing_foot_gap: float = 0.5    # x writing line gap: the last line keeps this far above the footer
    # the footer's two parts: the note at the right takes what it needs for one line, within these
    footer_note_min_share: float = 0.3   # share of the text width, at least ...
    footer_note_max_share: float = 0.45  # ... and at most, so the clinic keeps room
    footer_note_slack: float = 2         # pt: added to the note's measured width, so it stays on one line
    footer_title_share: float = 0.5      # share of the text width for the title, when there is no clinic
    # pictures
    picture_max_height: float = 0.34  # share of the body height the picture may take
    picture_min_height: float = 1.6 * inch  # pt: pictures shrink to fit down to this height, which still
                                            # shows the movement (measured on the sample at 100 %)
    picture_shrink_step: float = 0.1  # share of the full size: how much pictures shrink (or grow) per try
    picture_grow: float = 1.5         # x the full size: a short exercise's pictures grow up to this
    band_max_height: float = 0.30     # two pictures side by side: share of the body height they may take
    picture_dpi: float = 200.0        # dots per inch: pictures are downsampled to this at their largest printed size
    video_address_chars: int = 44     # characters: the video's address beside its QR code is cut short to this
    # large print
    max_pages: int = 2                # an exercise too long for one side continues on the back of the sheet
    single_column: bool = False       # large print: one wide column, a picture at its top right
    corner_share: float = 0.42        # ... taking this share of the width, the text beside it
    corner_max_share: float = 0.5     # ... and at most this share when a short exercise's picture grows
    cover_scale: float = 1.0          # x the cover's own sizes: a program cover's type and gaps
    # the clinic
    logo_height: float = 22.0         # pt: the clinic's logo in the footer
    logo_max_width: float = 1.4 * inch  # pt: a wide logo is scaled down to this
    colours: Colours = field(default_factory=Colours)  # every colour, by what it marks
    labels: Labels = field(default_factory=Labels)     # every word the layout prints itself
    # a house style's own type for a card size, by name; a size not named here keeps the style it
    # was declared with (handouts.style.card_sizes)
    card_styles: tuple[tuple[str, CardStyle], ...] = ()

    def card_style(self, size_name: str) -> CardStyle:
        return dict(self.card_styles).get(size_name) or card_size(size_name).style

    def with_body_size(self, size: float) -> Theme:
        return replace(self, body_size=size)

    @property
    def title_size(self) -> float:
        return max(self.min_title_size, self.body_size * self.title_ratio)

    def trial_sizes(self) -> list[float]:
        """Body sizes to try, largest first, down to the floor."""
        return type_sizes(self.body_size, self.min_body_size, -self.size_step)

    def growth_sizes(self) -> list[float]:
        """Body sizes a short exercise may grow to, smallest first, up to grow_body_size."""
        return type_sizes(self.body_size + self.size_step, self.grow_body_size, self.size_step)


DEFAULT_THEME = Theme()

#: Large print takes the pages an exercise needs; this only bounds the search (16 pt on 24
#: Letter pages is about 12,000 words, far past any handout).
LARGE_PRINT_MAX_PAGES = 24


def large_print(theme: Theme) -> Theme:
    """*theme* for readers with low vision: body text 18 pt, never under 16 (20 on a short exercise),
    in one column of about 60 characters, over as many pages as the exercise needs."""
    return replace(theme, body_size=18.0, min_body_size=16.0, comfortable_size=16.0, grow_body_size=20.0,
                   title_ratio=1.6, min_title_size=26.0, meta_size=15.0, footer_size=12.0, leading=1.2,
                   max_pages=LARGE_PRINT_MAX_PAGES, dose_per_row=3,
                   single_column=True, picture_max_height=0.35, band_max_height=0.36, logo_height=28.0,
                   cover_scale=1.34)
