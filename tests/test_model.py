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
    ex, _ = check("title: 1984\ninstructions:\n  - two\n    lines  here\n")
    assert ex.title == "1984"
    assert ex.instructions == ("two lines here",)  # plain text over two lines: one line, as YAML reads it


def test_every_problem_is_reported_at_once_in_order():
    with pytest.raises(ContentError) as caught:
        check("title: [a]\ninstructions: do it\ntips: 3\nfaq:\n  - question: Why?\n")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:1: title: expected text, got a list",
        "x.yaml:2: instructions: expected a list of steps, got text",
        "x.yaml:3: tips: expected a list of tips, got a number",
        "x.yaml:5: faq, question 1: the answer is missing",
    ]


def test_a_misspelt_key_is_an_error_naming_the_key_it_looks_like():
    """A slip of a known key (issue 15 item 8) would print the handout without that field; it used to be a
    warning, and `tip:` left the tips box off a handout the build called a success."""
    with pytest.raises(ContentError) as caught:
        check("title: A\ninstructions: [one]\ntip: [x]\n")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:3: tip: unknown key 'tip': did you mean 'tips'? Correct the spelling; a misspelt key is not read"]


@pytest.mark.parametrize("typed, meant", [
    ("cautoin", "caution"), ("Caution", "caution"), ("CAUTION", "caution"), ("cautions", "caution"),
    ("Tips", "tips"), ("tipps", "tips"), ("instrutions", "instructions"), ("Instructions", "instructions"),
    ("titel", "title"), ("summery", "summary"), ("descripton", "description"), ("equiptment", "equipment"),
    ("langauge", "language"), ("FAQ", "faq"), ("faqs", "faq"), ("imagen", "image")])
def test_every_slip_of_a_known_key_is_an_error(typed, meant):
    title = "" if meant == "title" else "title: A\n"
    steps = "" if meant == "instructions" else "instructions: [one]\n"
    with pytest.raises(ContentError) as caught:
        check(f"{title}{steps}{typed}: x\n")
    (problem,) = caught.value.problems  # the slip alone: not also "title: missing"
    assert problem.field == typed and f"'{meant}'" in problem.message, problem


@pytest.mark.parametrize("key", ["author", "notes", "source", "reps", "steps", "warning", "id", "video_url"])
def test_an_unknown_key_that_is_no_slip_stays_a_warning(key):
    exercise, warnings = check(f"title: A\ninstructions: [one]\n{key}: x\n")
    assert [str(w).split(";")[0] for w in warnings] == [f"x.yaml:3: {key}: unknown key '{key}' ignored"]
    assert exercise.instructions == ("one",)


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


# --- line breaks and lists (issue 13, part 6) ---------------------------------------------------

LINES_AND_LISTS = """\
title: Balance
instructions:
  - |
    Lift one foot.
      Hold it   there.\x20\x20


    Put it down.
tips:
  - "One line\\nand another"
faq:
  - question: |
      Which
      days?
    answer: |

      Monday: both feet
      Wednesday: one foot
      Friday: rest
  - question: What do I need?
    answer:
      - A sturdy counter
      - |
        Shoes with grip,
        or bare feet
  - question: When do I stop?
    answer: >
      If you feel
      dizzy.


      Sit down.
"""


def test_blocks_keep_their_line_breaks_with_each_line_folded_and_one_blank_line_between_paragraphs():
    ex, warnings = check(LINES_AND_LISTS)
    assert warnings == []
    assert ex.instructions == ("Lift one foot.\nHold it there.\n\nPut it down.",)
    assert ex.tips == ("One line\nand another",)
    # no blank line before the first line, none after the last (the line break '|' ends with)
    assert ex.faq[0].answer == "Monday: both feet\nWednesday: one foot\nFriday: rest"
    assert ex.faq[2].answer == "If you feel dizzy.\n\nSit down."  # '>' joins lines as YAML defines; kept its breaks


def test_a_question_stays_one_line_and_a_list_answer_keeps_its_points():
    ex, _ = check(LINES_AND_LISTS)
    assert ex.faq[0].question == "Which days?"
    assert ex.faq[1].answer == ("A sturdy counter", "Shoes with grip,\nor bare feet")
    assert ex.faq[1].points == ex.faq[1].answer and ex.faq[0].points == ()


def test_a_line_break_counts_as_one_space_against_a_limit_and_a_list_counts_all_its_points():
    limit = next(spec.max_chars for spec in FIELDS if spec.name == "faq")
    blank_lines = "\\n\\n".join(["x" * 99] * 25)  # 2,500 characters with a space for each blank line
    ex, _ = check(f'title: A\ninstructions: [one]\nfaq:\n  - question: Q\n    answer: "{blank_lines}"\n')
    assert len(ex.faq[0].answer) > limit
    points = ["y" * 99] * 25  # 2,475 characters, and one between each two: 2,499
    ex, _ = check(f"title: A\ninstructions: [one]\nfaq:\n  - question: Q\n    answer: {points}\n")
    assert len(ex.faq[0].answer) == 25
    with pytest.raises(ContentError) as caught:
        check(f"title: A\ninstructions: [one]\nfaq:\n  - question: Q\n    answer: {points + ['zz']}\n")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:5: faq, question 1, answer: is 2502 characters long (its 26 points together); the limit is 2500"]


def test_every_bad_point_of_a_list_answer_is_reported_with_its_line():
    with pytest.raises(ContentError) as caught:
        check("title: A\ninstructions: [one]\nfaq:\n  - question: Q\n    answer:\n      - fine\n      -\n"
              "      - [a, b]\n      - Monday: both feet\n      - '   '\n  - question: R\n    answer: []\n")
    assert [str(p) for p in caught.value.problems] == [
        "x.yaml:7: faq, question 1, answer, point 2: is empty; write the point after its '- ', or remove the line",
        "x.yaml:8: faq, question 1, answer, point 3: expected text, got a list; an answer's points go one level "
        "deep, so make each of these a point of its own",
        "x.yaml:9: faq, question 1, answer, point 4: a point that contains ': ' must be put in double quotes",
        "x.yaml:10: faq, question 1, answer, point 5: is empty; write the point after its '- ', or remove the line",
        "x.yaml:12: faq, question 2, answer: is an empty list; write the answer, or its points each after a '- '",
    ]


def test_the_readmes_example_of_lines_and_a_list_validates_as_it_says():
    readme = (REPO / "README.md").read_text()
    example = re.search(r"```yaml\n(faq:\n  - question: Which days.*?)```", readme, re.S).group(1)
    ex, warnings = check("title: Balance\ninstructions: [Stand.]\n" + example)
    assert warnings == []
    assert ex.faq[0].answer == "Monday: both feet\nWednesday: one foot\nFriday: rest"
    assert ex.faq[1].points == ("A sturdy counter, or the back of a heavy chair", "Shoes: a good grip, or bare feet")
