"""A plain-text exercise pasted into the editor (handouts.web.exercise_paste): the same reader as
``handouts import``, so the form it fills is what importing the file would write."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from handouts.content.exercise import validate
from handouts.content.load import MAX_FILE_BYTES, parse_yaml
from handouts.errors import SourceFormatError
from handouts.importers.plain_text import import_text_files
from handouts.web.exercise_paste import SHOWN, data_from_text
from handouts.web.exercise_store import check_exercise
from handouts.web.exercise_yaml import new_exercise_text

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_c82e5f65e6a2b3ad.txt"
BRIDGE = """Bridge
A strong back and glutes.

Instructions
- Lie on your back, knees bent.
- Lift your hips.

Tips
- Squeeze your glutes.

Caution
Stop if your back hurts.

FAQ
How high?
Until your hips and knees line up.
"""


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed file not available: {SEED}")
    return SEED.read_text(encoding="utf-8")


def test_the_seed_fills_the_form_as_importing_it_writes_the_file(seed_text: str, tmp_path: Path):
    data, notes = data_from_text(seed_text)
    result = import_text_files([SEED], tmp_path)
    (written,) = result.written
    assert data == yaml.safe_load(written.read_text(encoding="utf-8"))
    assert notes == ("Filled from the text: Title, Summary, Description, Steps, Tips, Questions for the cards.",)
    assert check_exercise(written.stem, data, tmp_path).errors == ()
    exercise, _ = validate(parse_yaml(new_exercise_text(data), "x.yaml"), written.stem)
    assert exercise.title == "Reclining Lower Trunk Extensor Stretch" and len(exercise.faq) == 8


def test_a_pasted_exercise_is_read_field_by_field():
    data, _ = data_from_text(BRIDGE)
    assert data == {"title": "Bridge", "summary": "A strong back and glutes.",
                    "instructions": ["Lie on your back, knees bent.", "Lift your hips."],
                    "tips": ["Squeeze your glutes."], "caution": "Stop if your back hurts.",
                    "faq": [{"question": "How high?", "answer": "Until your hips and knees line up."}]}


def test_a_browsers_line_breaks_read_the_same():
    assert data_from_text(BRIDGE.replace("\n", "\r\n")) == data_from_text(BRIDGE)
    assert data_from_text(BRIDGE.replace("\n", "\r")) == data_from_text(BRIDGE)


def test_a_text_that_is_no_exercise_is_refused_with_its_lines():
    with pytest.raises(SourceFormatError) as info:
        data_from_text("Bridge\nJust a paragraph.\n")
    assert [(p.path, p.field) for p in info.value.problems] == [(SHOWN, "instructions")]
    assert info.value.problems[0].line == 2
    with pytest.raises(SourceFormatError) as info:
        data_from_text(BRIDGE + "Why?\n")
    assert any("has no answer" in p.message for p in info.value.problems)


@pytest.mark.parametrize("text", ["", "   \n\n", "x" * (MAX_FILE_BYTES + 1)])
def test_empty_and_huge_pastes_are_refused(text: str):
    with pytest.raises(SourceFormatError):
        data_from_text(text)
