"""An exercise's YAML written from the editor's form (handouts.web.exercise_yaml): every test reads
the text back with the build's own reader (parse_yaml, then validate) and compares the lines of the
file before and after, rather than trusting the writer."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handouts.content.exercise import DOSE_PARTS, validate
from handouts.content.load import parse_yaml
from handouts.web.exercise_yaml import (
    FIELD_ORDER, HEADER, edited_exercise_text, exercise_data, new_exercise_text, tidy,
)

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "content").glob("*.yaml"))
LIBRARY = Path("/work/ref/lib/content")


def read_back(text: str) -> dict:
    """What the build reads from *text*: its data, a number as the text it was typed as."""
    doc = parse_yaml(text, "written.yaml")
    assert not doc.warnings, doc.warnings

    def walk(value, key):
        if isinstance(value, dict):
            return {k: walk(v, key + (k,)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key + (i,)) for i, v in enumerate(value)]
        if type(value) in (int, float):
            return doc.typed[key]
        return value

    return walk(doc.data, ())


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines only *before* has and the lines only *after* has (in order)."""
    gone, came = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            gone.append(line[2:])
        elif line.startswith("+ "):
            came.append(line[2:])
    return gone, came


HAND_WRITTEN = """\
# Wall sit, written by hand.
# Keep this comment: it says who checked it.
title: "Wall Sit"   # the name on the handout
summary: 'A strong, simple hold for the thighs.'
description:
  - First paragraph.
  - >
    A folded paragraph
    over two lines.
targets: [quads, glutes]
dose: {sets: 3, hold: 30 s}
instructions:
- Stand with your back against a wall.   # a comment on a step
- |
  Slide down slowly
  until your knees are bent.
- "Hold: keep breathing."

# the tips, checked by Dr Kim
tips:
    - Keep your heels under your knees.
    - Push through the heels.
caution: Stop if your knees hurt.
faq:
  - question: How long?   # asked most
    answer: Thirty seconds.
  # the second one is new
  - question: How often?
    answer:
      - Twice a day
      - "Morning: before breakfast"
author: Dr Kim   # not a field: kept
# the end
"""


def test_the_hand_written_file_reads_as_it_looks():
    data = exercise_data(HAND_WRITTEN)
    assert data["dose"] == {"sets": "3", "hold": "30 s"}  # the number as typed
    assert data["description"][1] == "A folded paragraph over two lines.\n"
    assert data["author"] == "Dr Kim"
    validate(parse_yaml(HAND_WRITTEN, "x.yaml"), "wall-sit")


def test_saving_unchanged_data_changes_no_byte():
    assert edited_exercise_text(HAND_WRITTEN, exercise_data(HAND_WRITTEN)) == HAND_WRITTEN


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_saving_a_sample_unchanged_changes_no_byte(path: Path):
    text = path.read_text(encoding="utf-8")
    assert edited_exercise_text(text, exercise_data(text)) == text


def test_one_step_edited_changes_that_line_only_and_keeps_its_comment():
    data = exercise_data(HAND_WRITTEN)
    data["instructions"][0] = "Stand tall with your back against a wall."
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert read_back(text) == data
    gone, came = changed_lines(HAND_WRITTEN, text)
    assert gone == ["- Stand with your back against a wall.   # a comment on a step"]
    assert len(came) == 1 and came[0].startswith("- Stand tall with your back against a wall.")
    assert came[0].endswith("# a comment on a step")


def test_every_comment_survives_an_edit_of_every_field():
    data = exercise_data(HAND_WRITTEN)
    data.update(title="Wall Sit, Easier", summary="A gentler hold.", targets=["quads"],
                dose={"sets": "2", "hold": "20 s"}, caution="Stop if it hurts.")
    data["description"][0] = "A new first paragraph."
    data["instructions"].append("Stand up slowly.")
    data["tips"][1] = "Push through both heels."
    data["faq"][0]["answer"] = "Twenty seconds."
    data["faq"][1]["answer"].append("Evening: after dinner")
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert read_back(text) == data
    for line in HAND_WRITTEN.splitlines():
        if "#" in line:
            comment = line[line.index("#"):]
            assert comment in text, comment
    assert text.startswith("# Wall sit, written by hand.\n# Keep this comment")
    assert 'title: "Wall Sit, Easier"' in text      # double quotes kept for the changed title
    assert "summary: 'A gentler hold.'" in text      # and single ones for the summary
    assert "targets: [quads]" in text                # a flow list stays a flow list


def test_a_changed_field_keeps_its_list_indentation_and_the_others_theirs():
    data = exercise_data(HAND_WRITTEN)
    data["tips"].append("Breathe.")
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert "    - Breathe.\n" in text                 # tips are indented four
    assert "\n- Stand with your back" in text          # steps are not indented, untouched
    assert "  - question: How long?   # asked most\n" in text


def test_a_removed_field_goes_with_its_lines_and_leaves_the_comments_around_it():
    data = exercise_data(HAND_WRITTEN)
    del data["tips"], data["summary"]
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert read_back(text) == data
    gone, came = changed_lines(HAND_WRITTEN, text)
    assert came == []
    assert gone == ["summary: 'A strong, simple hold for the thighs.'", "tips:",
                    "    - Keep your heels under your knees.", "    - Push through the heels."]
    assert "# the tips, checked by Dr Kim" in text


def test_a_new_field_goes_in_its_documented_place():
    data = exercise_data(HAND_WRITTEN)
    data["level"] = "beginner"
    data["video"] = "https://example.com/wall-sit"
    data["equipment"] = ["a wall"]
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert read_back(text) == data
    keys = [k for k in yaml.safe_load(text)]
    # after the last field above it in the documented order (here the dose, which this file has after targets)
    assert keys == ["title", "summary", "description", "level", "video", "targets", "dose", "equipment",
                    "instructions", "tips", "caution", "faq", "author"]
    _, came = changed_lines(HAND_WRITTEN, text)
    assert came == ["level: beginner", "video: https://example.com/wall-sit", "equipment:", "  - a wall"]


def test_unknown_keys_are_kept_and_known_ones_removed_when_absent():
    data = exercise_data(HAND_WRITTEN)
    del data["author"], data["caution"]
    written = yaml.safe_load(edited_exercise_text(HAND_WRITTEN, data))
    assert written["author"] == "Dr Kim" and "caution" not in written


def test_a_slipped_key_opens_under_its_field_and_is_saved_right():
    text = "title: Plank\ninstructions: [Hold.]\ncautoin: Stop if your back sags.   # typed fast\n"
    data = exercise_data(text)
    assert data == {"title": "Plank", "instructions": ["Hold."], "caution": "Stop if your back sags."}
    saved = edited_exercise_text(text, data)
    assert read_back(saved) == data
    exercise, warnings = validate(parse_yaml(saved, "plank.yaml"), "plank")
    assert exercise.caution == "Stop if your back sags." and not warnings


def test_a_title_read_as_true_is_written_as_text():
    text = "title: yes\ninstructions: [Hold.]\n"
    data = exercise_data(text)
    data["title"] = "yes"  # the form shows the word; saved, it is the word
    saved = edited_exercise_text(text, data)
    assert validate(parse_yaml(saved, "x.yaml"), "x")[0].title == "yes"


@pytest.mark.parametrize(("value", "written"), [
    ("10", "reps: 10"), ("2.5", "reps: 2.5"), ("007", "reps: '007'"), ("3.10", "reps: '3.10'"),
    ("1:20", "reps: '1:20'"), ("yes", "reps: 'yes'"), ("null", "reps: 'null'"), ("- x", "reps: '- x'"),
    ("# x", "reps: '# x'"), ("a: b", "reps: 'a: b'"), ("0x10", "reps: '0x10'"), ("1_000", "reps: '1_000'"),
])
def test_dose_parts_are_plain_when_they_read_back_as_typed(value: str, written: str):
    data = {"title": "Bridge", "dose": {"reps": value}, "instructions": ["Lift."]}
    text = new_exercise_text(data)
    assert "  " + written in text.splitlines()
    assert read_back(text)["dose"] == {"reps": value}


def test_a_new_file_is_tidy_in_the_documented_order():
    data = {"faq": [{"answer": "No.", "question": "Does it hurt?"}], "instructions": ["Lie down.", "Lift."],
            "title": "Bridge", "tags": ["glutes"], "dose": {"reps": "10", "sets": "2"}, "caution": "",
            "tips": [], "summary": None}
    text = new_exercise_text(data)
    assert text.startswith(HEADER)
    assert text[len(HEADER):] == ("title: Bridge\n"
                                  "dose:\n  sets: 2\n  reps: 10\n"
                                  "tags:\n  - glutes\n"
                                  "instructions:\n  - Lie down.\n  - Lift.\n"
                                  "faq:\n  - question: Does it hurt?\n    answer: No.\n")
    assert [k for k in yaml.safe_load(text)] == [f for f in FIELD_ORDER if f in yaml.safe_load(text)]


def test_a_step_of_several_lines_is_written_as_a_block():
    text = new_exercise_text({"title": "Bridge", "instructions": ["Lie down:\n  knees bent\nfeet flat"]})
    assert "  - |-\n    Lie down:\n      knees bent\n    feet flat\n" in text
    assert read_back(text)["instructions"] == ["Lie down:\n  knees bent\nfeet flat"]


def test_crlf_files_stay_crlf():
    text = HAND_WRITTEN.replace("\n", "\r\n")
    data = exercise_data(text)
    data["caution"] = "Stop now."
    saved = edited_exercise_text(text, data)
    assert "\r\n" in saved and "\n" not in saved.replace("\r\n", "")
    assert read_back(saved) == data


def test_a_file_without_a_last_line_break_is_edited():
    text = "title: Plank   # hi\ninstructions: [Hold.]"
    data = exercise_data(text)
    data["instructions"] = ["Hold.", "Breathe."]
    saved = edited_exercise_text(text, data)
    assert saved.startswith("title: Plank   # hi\n") and read_back(saved) == data


def test_a_file_with_anchors_is_edited_whole_and_reads_back():
    text = "title: &t Plank   # a name\nsummary: *t\ninstructions:\n  - Hold.\n"
    data = exercise_data(text)
    data["instructions"] = ["Hold longer."]
    saved = edited_exercise_text(text, data)
    assert read_back(saved) == data and "# a name" in saved


def test_a_flow_mapping_file_is_edited_whole():
    text = "{title: Plank, instructions: [Hold.]}\n"
    data = exercise_data(text)
    data["tips"] = ["Breathe."]
    assert read_back(edited_exercise_text(text, data)) == data


@pytest.mark.parametrize("original", ["", "not: [closed", "- a list\n", "just text\n"])
def test_an_original_that_is_no_mapping_is_replaced_by_a_new_file(original: str):
    data = {"title": "Plank", "instructions": ["Hold."]}
    assert edited_exercise_text(original, data) == new_exercise_text(data)


def test_tidy_refuses_values_the_form_cannot_send():
    with pytest.raises(TypeError):
        tidy({"title": object()})
    assert tidy({"title": "A", "tips": ["", "x"], "dose": {"sets": 2, "reps": None}}) == \
        {"title": "A", "tips": ["", "x"], "dose": {"sets": "2"}}


# ---------------------------------------------------------------- the whole library, unchanged and edited


def library_files(every: int = 1) -> list[Path]:
    if not LIBRARY.is_dir():
        pytest.skip(f"the imported library is not here: {LIBRARY}")
    return sorted(LIBRARY.glob("*.yaml"))[::every]


@pytest.mark.slow
def test_every_library_file_saved_unchanged_is_the_same_bytes():
    for path in library_files():
        text = path.read_text(encoding="utf-8")
        assert edited_exercise_text(text, exercise_data(text)) == text, path.name


@pytest.mark.slow
def test_library_files_with_one_step_edited_change_that_step_only():
    for path in library_files(every=17):
        text = path.read_text(encoding="utf-8")
        data = exercise_data(text)
        data["instructions"][-1] = "A step: edited in the browser, with 'quotes' and # a hash."
        saved = edited_exercise_text(text, data)
        assert read_back(saved) == data, path.name
        gone, came = changed_lines(text, saved)
        assert len(gone) == 1 and len(came) == 1, (path.name, gone, came)


# ---------------------------------------------------------------- hostile text, every time exact

HOSTILE = st.sampled_from([
    "yes", "no", "on", "off", "Yes", "NO", "y", "n", "true", "null", "~", "007", "3.10", "1:20", "0x1F", "1_000",
    "1e3", ".inf", "-.5", "2024-01-01", "- x", "-", "# x", "a # b", "a: b", "a:b", "? x", "'q'", '"q"', "&a", "*a",
    "!tag", "%x", "@x", "`x", "|", "> x", "[a]", "{a: b}", "a, b", "a\nb", "a\n\nb", "  lead", "trail  ", "\tx",
    "line\n  indented", "ends with\n", "ü é ß", "日本語", "🙂 👍🏽", "שלום", "a\u2028b", "a\x85b", "\ufeffx",
    "x\x01y", "<b>bold</b>", "100%", "a\\b", "C:\\path", "=", "<<", "...", "---", "a ---", "#", ":",
])
TEXT = st.one_of(HOSTILE, st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
                 st.lists(HOSTILE, min_size=2, max_size=4).map(" ".join))
ANSWER = st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=3))
DATA = st.fixed_dictionaries(
    {"title": TEXT, "instructions": st.lists(TEXT, min_size=1, max_size=4)},
    optional={"summary": TEXT, "tips": st.lists(TEXT, min_size=1, max_size=3), "caution": TEXT,
              "targets": st.lists(TEXT, min_size=1, max_size=3), "level": TEXT,
              "dose": st.dictionaries(st.sampled_from(DOSE_PARTS), TEXT, min_size=1),
              "faq": st.lists(st.fixed_dictionaries({"question": TEXT, "answer": ANSWER}), min_size=1, max_size=3),
              "images": st.lists(st.fixed_dictionaries({"file": TEXT}, optional={"caption": TEXT}), max_size=2,
                                 min_size=1)})


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA)
def test_a_new_file_reads_back_as_exactly_the_data(data: dict):
    data = tidy(data)
    assert read_back(new_exercise_text(data)) == data


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DATA)
def test_an_edited_file_reads_back_as_exactly_the_data_and_keeps_the_rest(data: dict):
    data = tidy(data)
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert read_back(text) == {**data, "author": "Dr Kim"}
    assert text.startswith("# Wall sit, written by hand.\n# Keep this comment: it says who checked it.\n")
    assert "author: Dr Kim   # not a field: kept\n# the end\n" in text


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.integers(min_value=0, max_value=2))
def test_one_hostile_step_changes_one_step_only(step: str, index: int):
    data = exercise_data(HAND_WRITTEN)
    data["instructions"][index] = step
    text = edited_exercise_text(HAND_WRITTEN, data)
    assert read_back(text) == data
    before, after = HAND_WRITTEN.split("instructions:")[0], text.split("instructions:")[0]
    assert before == after  # every field above the steps, byte for byte
    assert text.split("# the tips, checked by Dr Kim")[1] == HAND_WRITTEN.split("# the tips, checked by Dr Kim")[1]


def test_when_no_way_of_keeping_the_file_reads_back_it_is_written_anew_exactly(monkeypatch):
    from handouts.web import exercise_yaml

    monkeypatch.setattr(exercise_yaml, "_spliced", lambda *args: None)
    monkeypatch.setattr(exercise_yaml, "_whole", lambda *args: "title: wrong\n")
    original = "title: Plank\nwhen: 2026-01-05\nchecked: yes\ninstructions: [Hold.]\n"
    data = {"title": "Plank", "instructions": ["Hold.", "Breathe."]}
    text = edited_exercise_text(original, data)
    assert text.startswith(HEADER)
    written = yaml.safe_load(text)
    assert written["instructions"] == ["Hold.", "Breathe."] and written["checked"] is True
    assert str(written["when"]) == "2026-01-05"
