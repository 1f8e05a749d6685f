"""The card-size registry: a size is one declaration, checked when it is made, and works end to end.

A size added at run time (a 6 x 4 in postcard) reaches the card sheet, the card layout,
the rendered PDF and `handouts build --card-size`, with nothing else to edit; a size
that cannot print (larger than the paper, or a broken type style) is refused where it
is declared, in words that say why.
"""

from __future__ import annotations

import io
import shutil

import pytest
from conftest import REPO
from pypdf import PdfReader
from reportlab.lib.units import inch, mm

from handouts.cli import main
from handouts.content.exercise import validate
from handouts.content.load import parse_yaml
from handouts.errors import HandoutsError
from handouts.layout.card_sheet import make_sheet
from handouts.layout.cards import layout_cards
from handouts.render.canvas import DocInfo
from handouts.render.cards import cards_pdf
from handouts.style.card_sizes import CARD_SIZES, CardSize, CardStyle, card_size, register, unregister
from handouts.style.fonts import fonts
from handouts.style.print_sheet import SAFE_EDGE
from handouts.style.theme import DEFAULT_THEME

POSTCARD_STYLE = CardStyle(question_size=20, answer_size=16, min_size=10, footer_size=9, padding=0.25 * inch)


@pytest.fixture
def postcard():
    size = register(CardSize("postcard", 6 * inch, 4 * inch, "6 x 4 in postcard card", POSTCARD_STYLE))
    try:
        yield size
    finally:
        unregister("postcard")


def exercise(count: int = 4):
    lines = ["title: 'Wall Push-Up'", "instructions:", "  - Push.", "faq:"]
    for i in range(count):
        lines += [f"  - question: 'Question {i + 1}?'", f"    answer: 'Answer {i + 1}, in a sentence or two.'"]
    ex, _ = validate(parse_yaml("\n".join(lines) + "\n", "x.yaml"), "x")
    return ex


def test_the_built_in_sizes_are_declared_with_their_styles():
    assert list(CARD_SIZES) == ["business", "index", "a7"]
    assert card_size("Business").style.min_size == 9
    assert DEFAULT_THEME.card_style("index") is CARD_SIZES["index"].style


def test_a_size_registered_at_run_time_makes_a_sheet_cards_and_a_pdf(postcard):
    sheet = make_sheet("letter", "postcard")
    assert (sheet.columns, sheet.rows) == (1, 2)
    assert sheet.describe() == "2 6 x 4 in postcard cards per Letter sheet, 1 across and 2 down"
    assert DEFAULT_THEME.card_style("postcard") is POSTCARD_STYLE
    layout = layout_cards(exercise(), (sheet.face_width, sheet.face_height), DEFAULT_THEME.card_style("postcard"),
                          DEFAULT_THEME, fonts(), postcard.label)
    assert len(layout.cards) == 4
    assert {card.front.size for card in layout.cards} == {POSTCARD_STYLE.question_size}
    pdf = cards_pdf(layout.cards, sheet, DEFAULT_THEME, DocInfo(title="Postcards", subject=sheet.describe()))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 4  # 4 cards, 2 a sheet: two sheets of fronts and backs
    assert "Question 3?" in reader.pages[2].extract_text()


def test_a_registered_size_folds_on_a4_when_it_fits(postcard):
    with pytest.raises(HandoutsError, match="folded 6 x 4 in postcard card"):
        make_sheet("a4", "postcard", fold=True)  # 12 in opened out: wider than A4 either way
    small = register(CardSize("playing", 2.5 * inch, 3.5 * inch, "2.5 x 3.5 in playing card",
                              CardStyle(question_size=11, answer_size=10, min_size=7, footer_size=7,
                                        padding=0.15 * inch)))
    try:
        sheet = make_sheet("a4", "playing", fold=True)
        assert sheet.per_sheet >= 2
    finally:
        unregister(small.name)


def test_handouts_build_takes_a_registered_size(postcard, tmp_path, monkeypatch, capsys):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--card-size", "postcard"]) == 0
    out = capsys.readouterr().out
    assert "cards: 2 6 x 4 in postcard cards per Letter sheet, 1 across and 2 down" in out
    deck = PdfReader(tmp_path / "output" / "deck.pdf")
    assert len(deck.pages) >= 2 and len(deck.pages) % 2 == 0
    assert float(deck.pages[0].mediabox.width) == pytest.approx(612.0)


def test_a_size_bigger_than_the_paper_is_refused_when_declared():
    with pytest.raises(ValueError) as caught:
        CardSize("poster", 11 * inch, 17 * inch, "11 x 17 in poster card", POSTCARD_STYLE)
    message = str(caught.value)
    assert "card size 'poster'" in message
    assert "does not fit on Letter paper" in message and "safe edge" in message
    assert "poster" not in CARD_SIZES


def test_a_size_that_fits_letter_but_not_a4_is_refused():
    # 7.5 in across fits Letter's printable width (with marks) but not A4's, and folded it
    # opens out wider still, either way up
    assert 595.28 - 2 * (SAFE_EDGE + 9) < 540 < 612 - 2 * (SAFE_EDGE + 9)
    with pytest.raises(ValueError, match="does not fit on A4 paper"):
        CardSize("wide", 540, 300, "7.5 in wide card", POSTCARD_STYLE)


def test_a_style_with_no_room_for_text_is_refused():
    with pytest.raises(ValueError, match="padding"):
        CardSize("tiny", 30 * mm, 20 * mm, "tiny card", POSTCARD_STYLE)
    with pytest.raises(ValueError, match="under the floor"):
        CardStyle(question_size=6, answer_size=11, min_size=7, footer_size=7, padding=10)


def test_a_name_is_declared_once():
    with pytest.raises(ValueError, match="already declared"):
        register(CardSize("business", 3.5 * inch, 2 * inch, "3.5 x 2 in business card", POSTCARD_STYLE))
    with pytest.raises(ValueError, match="built in"):
        unregister("business")
