"""The theme's colours keep printed text readable: WCAG contrast of at least 7:1."""

from __future__ import annotations

import pytest

from handouts.style.theme import DEFAULT_THEME, Theme, paper_size
from handouts.errors import UsageError


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


C = DEFAULT_THEME.colours
PAIRS = {
    "body on paper": (C.text, "#ffffff"),
    "muted on paper": (C.muted, "#ffffff"),
    "heading on paper": (C.heading, "#ffffff"),
    "body in tips box": (C.text, C.tips_fill),
    "heading in tips box": (C.heading, C.tips_fill),
    "body in caution box": (C.text, C.caution_fill),
    "caution heading in its box": (C.caution_heading, C.caution_fill),
}


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_text_contrast_is_at_least_7_to_1(pair):
    assert contrast(*PAIRS[pair]) >= 7.0


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_trial_sizes_run_from_body_size_down_to_the_floor():
    assert DEFAULT_THEME.trial_sizes()[0] == 12.0
    assert DEFAULT_THEME.trial_sizes()[-1] == 10.5
    assert Theme(body_size=10, min_body_size=9, size_step=0.5).trial_sizes() == [10.0, 9.5, 9.0]


def test_title_never_smaller_than_its_floor():
    assert DEFAULT_THEME.with_body_size(9).title_size == DEFAULT_THEME.min_title_size


def test_unknown_paper_is_a_usage_error():
    assert paper_size("A4") == paper_size("a4")
    with pytest.raises(UsageError, match="unknown paper 'tabloid'"):
        paper_size("tabloid")
