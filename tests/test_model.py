"""Validation turns good content into frozen exercises and bad content into located messages."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from handouts.errors import ContentError
from handouts.content.load import load_file, parse_yaml
from handouts.content.exercise import FIELDS, validate

REPO = Path(__file__).resolve().parents[1]


def check(text: str):
    return validate(parse_yaml(text, "x.yaml"), "x")


def test_seed_content_validates_completely():
    ex, warnings = validate(load_file(REPO / "content" / "reclining-lower-trunk-extensor-stretch.yaml"), "seed")
    assert warnings == []
    assert (len(ex.description), len(ex.instructions), len(ex.tips), len(ex.faq)) == (4, 9, 8, 8)
    assert ex.image == "reclining-lower-trunk-extensor-stretch.png"
    assert ex.targets == ("glutes", "deep hip rotators", "lower back")


def test_exercise_is_frozen():
    ex, _ = check("title: A\ninstructions: [one]\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.title = "B"


def test_whitespace_is_folded_and_numbers_are_text():
    ex, _ = check("title: 1984\ninstructions:\n  - |\n    two\n    lines  here\n")
    assert ex.title == "1984"
    assert ex.instructions == ("two lines here",)


def test_every_problem_is_reported_at_once_in_order():
    with pytest.raises(ContentError) as caught:
        check("title: [a]\ninstructions: do it\ntips: 3\nfaq:\n  - question: Why?\n")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:1: title: expected text, got a list",
        "x.yaml:2: instructions: expected a list of steps, got text",
        "x.yaml:3: tips: expected a list of tips, got a number",
        "x.yaml:5: faq, question 1: the answer is missing",
    ]


def test_unknown_key_warns_with_a_suggestion():
    _, warnings = check("title: A\ninstructions: [one]\ntip: [x]\n")
    assert [str(w) for w in warnings] == ["x.yaml:3: tip: unknown key 'tip' ignored; did you mean 'tips'?"]


def test_readme_documents_every_field_and_its_example_is_valid():
    readme = (REPO / "README.md").read_text()
    for spec in FIELDS:
        assert f"| `{spec.name}` |" in readme
    example = re.search(r"```yaml\n(title: Seated.*?)```", readme, re.S).group(1)
    ex, warnings = check(example)
    assert warnings == [] and ex.title == "Seated Hamstring Stretch" and len(ex.faq) == 2


def test_language_selects_known_labels_and_names_the_choices():
    ex, _ = check("title: Puente\nlanguage: ES\ninstructions:\n  - Suba.\n")
    assert ex.language == "es"
    with pytest.raises(ContentError) as info:
        check("title: Bridge\nlanguage: klingon\ninstructions:\n  - Lift.\n")
    assert [str(p) for p in info.value.problems] == [
        "x.yaml:2: language: 'klingon' is not a language the labels are translated into; "
        "choose one of en, es, fr, de"]
