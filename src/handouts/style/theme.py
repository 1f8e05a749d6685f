"""The look of a handout as data: paper, type sizes, colours, spacing and labels.

Layout code reads every size, colour and gap from a :class:`Theme`, never from a
constant of its own, so a clinic's house style (or large print) is a different
Theme, not a code change.  Sizes that follow the body size are given as ratios,
because the fitting loop shrinks the body size and everything scales with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch

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


@dataclass(frozen=True)
class Theme:
    """Everything the handout layout needs to know about the look."""

    margin: float = 0.5 * inch
    body_size: float = 12.0          # the default and the largest body size
    min_body_size: float = 9.0       # the readable floor the fitting loop stops at
    comfortable_size: float = 12.0   # below this, the build warns
    size_step: float = 0.5
    leading: float = 1.27            # line height as a multiple of the type size
    title_ratio: float = 2.0         # title size / body size ...
    min_title_size: float = 18.0     # ... never below this
    summary_ratio: float = 1.1
    heading_ratio: float = 1.2
    meta_size: float = 11.0
    footer_size: float = 9.0
    main_column: float = 0.64        # share of the text width for the main column
    gutter: float = 0.25 * inch
    paragraph_gap: float = 0.55      # gaps as multiples of the body size
    section_gap: float = 1.0
    step_gap: float = 0.4
    box_padding: float = 0.75
    box_radius: float = 5.0
    picture_max_height: float = 0.34  # share of the body height the picture may take
    picture_min_width: float = 0.55   # share of the side column the picture shrinks to
    band_max_height: float = 0.30     # two pictures side by side: share of the body height they may take
    picture_dpi: float = 200.0        # pictures are downsampled to this at their largest printed size
    max_pages: int = 1                # large print may take a second page: one sheet, printed both sides
    single_column: bool = False       # large print: one wide column, a picture at its top right
    corner_share: float = 0.42        # ... taking this share of the width, the text beside it
    writing_line_gap: float = 2.2     # the ruled lines of a Notes page, as a multiple of the body size
    cover_scale: float = 1.0          # a program cover's type and gaps, as a multiple of its own
    logo_height: float = 22.0         # the clinic's logo in the footer
    logo_max_width: float = 1.4 * inch
    colours: Colours = field(default_factory=Colours)
    labels: Labels = field(default_factory=Labels)
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
        sizes, size = [], self.body_size
        while size >= self.min_body_size - 1e-9:
            sizes.append(round(size, 2))
            size -= self.size_step
        return sizes


DEFAULT_THEME = Theme()


def large_print(theme: Theme) -> Theme:
    """*theme* for readers with low vision: body text 18 pt, never under 16, in one column of
    about 60 characters; a handout that needs it takes a second page (the back of the sheet)."""
    return replace(theme, body_size=18.0, min_body_size=16.0, comfortable_size=16.0, title_ratio=1.6,
                   min_title_size=26.0, meta_size=15.0, footer_size=12.0, leading=1.2, max_pages=2,
                   single_column=True, picture_max_height=0.35, band_max_height=0.36, logo_height=28.0,
                   cover_scale=1.34)
