"""words_fit keeps its answers (issue 19): a kept answer is the one working it out again gives."""

from __future__ import annotations

import pytest
from reportlab.lib.styles import ParagraphStyle

from handouts.layout import fit_text
from handouts.layout.fit_text import words_fit
from handouts.layout.paragraph import Paragraph
from handouts.style.fonts import fonts


def _worked_out(markup: str, style: ParagraphStyle, width: float) -> bool:
    para = Paragraph(markup, style)
    para.wrap(width, 1e9)
    return max(para.getActualLineWidths0() or [0.0]) <= width + style.fontSize * 0.3


@pytest.fixture(autouse=True)
def empty():
    fit_text._words_fit.clear()
    yield
    fit_text._words_fit.clear()


def test_a_kept_answer_is_the_one_worked_out_for_that_size_and_width():
    regular = fonts().regular
    word = "Sternocleidomastoid"
    for size in (8, 10, 12, 14, 18):
        for width in (60.0, 90.0, 140.0):
            style = ParagraphStyle(f"try-{size}", fontName=regular, fontSize=size, splitLongWords=0)
            expected = _worked_out(word, style, width)
            assert words_fit(word, style, width) is expected
            assert words_fit(word, ParagraphStyle("again", style), width) is expected  # kept: same answer
    answers = {(size, width): words_fit(word, ParagraphStyle("x", fontName=regular, fontSize=size,
                                                              splitLongWords=0), width)
               for size in (8, 18) for width in (60.0, 140.0)}
    assert answers[(8, 140.0)] and not answers[(18, 60.0)]  # the key tells sizes and widths apart


def test_styles_that_differ_in_what_is_set_do_not_share_an_answer():
    """The same word at the same size and width: it fits in the regular face, not in the bold."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "Sternocleidomastoid"
    light = ParagraphStyle("a", fontName=fonts().regular, fontSize=16, splitLongWords=0)
    heavy = ParagraphStyle("a", light, fontName=fonts().bold)
    width = stringWidth(text, light.fontName, 16) + 1
    assert stringWidth(text, heavy.fontName, 16) > width + 0.3 * 16  # so the bold sticks out
    assert words_fit(text, light, width) is True
    assert words_fit(text, heavy, width) is False
    assert words_fit(text, light, width) is True


def test_what_is_kept_is_bounded(monkeypatch):
    monkeypatch.setattr(fit_text, "WORDS_FIT_KEPT", 5)
    style = ParagraphStyle("s", fontName=fonts().regular, fontSize=10)
    for n in range(12):
        words_fit(f"word{n}", style, 100.0)
    assert len(fit_text._words_fit) == 5
    assert next(iter(fit_text._words_fit))[0] == "word7"  # the oldest went first
