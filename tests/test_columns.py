"""columns.flow: pouring a handout's blocks into columns, the rules a reader notices when broken."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Spacer

from handouts.layout.columns import Column, flow
from handouts.style.fonts import fonts
from handouts.layout.handout_page import handout_styles as _styles
from handouts.style.theme import DEFAULT_THEME

STYLES = _styles(DEFAULT_THEME, fonts(), steps=3)
LEADING = STYLES["body"].leading
WIDTH = 200.0
TEXT = " ".join(["Keep the crossed ankle on the thigh, not on the knee cap."] * 3)  # about 8 lines at 200 pt


def lines_of(placed) -> list[int]:
    return [len(p.flowable.blPara.lines) for p in placed if isinstance(p.flowable, Paragraph)]


def columns(first_lines: float) -> list[Column]:
    """A first column with room for *first_lines* lines, then a tall second one."""
    return [Column(0, 1000, WIDTH, 1000 - first_lines * LEADING - 0.01), Column(300, 1000, WIDTH, 0)]


def test_a_paragraph_is_split_at_a_column_end():
    whole = Paragraph(TEXT, STYLES["body"]).wrap(WIDTH, 1e9)[1] / LEADING
    placed, over = flow([Paragraph(TEXT, STYLES["body"])], columns(3))
    assert over == 0
    assert lines_of(placed) == [3, round(whole) - 3]


def test_no_single_line_is_left_alone_at_the_top_of_the_next_column():
    whole = round(Paragraph(TEXT, STYLES["body"]).wrap(WIDTH, 1e9)[1] / LEADING)
    for style in ("body", "tip", "step"):
        placed, over = flow([Paragraph(TEXT, STYLES[style])], columns(whole - 1))
        assert over == 0
        assert 1 not in lines_of(placed)[1:], (style, lines_of(placed))  # a widow: moved with a line before it


def test_a_heading_never_ends_a_column():
    heading = Paragraph("Instructions", STYLES["heading"])
    items = [Paragraph("One line.", STYLES["body"]), heading, Paragraph(TEXT, STYLES["body"])]
    room = 1 + heading.wrap(WIDTH, 1e9)[1] / LEADING + 0.5  # the heading fits, but none of what it heads
    placed, _ = flow(items, columns(room))
    assert [p.x for p in placed if p.flowable is heading] == [300]


def test_a_gap_never_opens_a_column():
    items = [Paragraph("One line.", STYLES["body"]), Spacer(0, LEADING * 0.5), Paragraph(TEXT, STYLES["body"])]
    placed, _ = flow(items, columns(1.2))
    second = [p for p in placed if p.x == 300]
    assert second and second[0].top == 1000 and isinstance(second[0].flowable, Paragraph)


def test_what_does_not_fit_is_measured():
    placed, over = flow([Paragraph(TEXT, STYLES["body"])], [Column(0, 1000, WIDTH, 1000 - 2 * LEADING - 0.01)])
    whole = Paragraph(TEXT, STYLES["body"]).wrap(WIDTH, 1e9)[1]
    assert lines_of(placed) == [2]
    assert abs(over - (whole - 2 * LEADING)) < 0.5
