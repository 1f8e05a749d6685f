"""The exercise editor's form and an exercise's data, each made from the other: the POSTed fields read
in the order of their numbers, a file's data shown loosely, saved unchanged to the very same values,
the list buttons of a page without JavaScript, and messages put beside their fields."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import FormData

from handouts.web.exercise_form import (ExerciseForm, apply_op, exercise_data, form_from_data, form_from_fields,
                                        form_key, keep_unchanged, messages_by_key)


def fields(*pairs: tuple[str, str]) -> FormData:
    return FormData(list(pairs))


def test_fields_are_read_in_the_order_of_their_numbers_and_empty_items_are_left_out():
    form = form_from_fields(fields(
        ("title", "  Wall   sit \r\n"), ("instructions.2", "Third"), ("instructions.0", "First"),
        ("instructions.1", "  "), ("instructions.10", "Last"), ("tips.0", "One\r\ntwo lines"),
        ("faq.1.question", "Second?"), ("faq.1.answer", "Yes."), ("faq.0.question", "First?"),
        ("faq.0.answer", "No."), ("faq.2.question", ""), ("faq.2.answer", ""),
        ("images.1.file", "wall/end.jpg"), ("images.1.caption", "At the end"), ("images.7.file", "x.png"),
        ("dose.sets", "3"), ("targets", "quads, glutes,, "), ("opened", ""), ("digest", ""),
        ("picture_key", "nonsense"), ("summary", "A line\nand another")))
    assert form.value("title") == "Wall sit"
    assert form.lists["instructions"] == ["First", "Third", "Last"]
    assert form.lists["tips"] == ["One\ntwo lines"]
    assert form.faq == [("First?", "No."), ("Second?", "Yes.")]
    assert form.pictures == [("", ""), ("wall/end.jpg", "At the end")]
    assert form.picture_key == "image" and form.is_new
    data = exercise_data(form)
    assert list(data) == ["title", "summary", "images", "dose", "targets", "instructions", "tips", "faq"]
    assert data["targets"] == ["quads", "glutes"]
    assert data["images"] == [{"file": "wall/end.jpg", "caption": "At the end"}]
    assert data["dose"] == {"sets": "3"}
    assert data["faq"][0] == {"question": "First?", "answer": "No."}


def test_control_characters_and_lone_surrogates_never_reach_the_data():
    form = form_from_fields(fields(("title", "Bad\x00 \x1b[31mtitle\ud800"), ("instructions.0", "Step\x07 one")))
    assert form.value("title") == "Bad [31mtitle"
    assert form.lists["instructions"] == ["Step one"]


def test_a_list_answer_is_shown_with_dashes_and_read_back_as_a_list():
    data = {"title": "T", "instructions": ["Go"],
            "faq": [{"question": "What do I need?", "answer": ["A chair", "A wall\nnearby"]},
                    {"question": "When?", "answer": "Monday: both\nFriday: rest"}]}
    form = form_from_data(data, "t", "digest")
    assert form.faq[0][1] == "- A chair\n- A wall\n  nearby"
    assert form.faq[1][1] == "Monday: both\nFriday: rest"
    assert exercise_data(form)["faq"] == data["faq"]


@pytest.mark.parametrize("given, key, expected", [
    ({"image": "a.png"}, "image", "a.png"),
    ({"images": ["a/0.jpg", "a/1.jpg"]}, "images", ["a/0.jpg", "a/1.jpg"]),
    ({"images": [{"file": "a.jpg", "caption": "Start"}, "b.jpg"]}, "images",
     [{"file": "a.jpg", "caption": "Start"}, "b.jpg"]),
    ({"images": ["only.png"]}, "images", ["only.png"]),  # images: kept, though one picture could be image:
])
def test_pictures_are_written_as_the_file_gave_them(given, key, expected):
    form = form_from_data({"title": "T", **given}, "t")
    assert form.picture_key == ("images" if "images" in given else "image")
    assert exercise_data(form)[key] == expected


def test_a_new_exercise_with_one_picture_uses_image_and_a_caption_makes_it_images():
    form = ExerciseForm(pictures=[("x/start.jpg", ""), ("", "")])
    assert exercise_data(form) == {"image": "x/start.jpg"}
    form.pictures[0] = ("x/start.jpg", "Sit tall")
    assert exercise_data(form) == {"images": [{"file": "x/start.jpg", "caption": "Sit tall"}]}
    form.pictures[0] = ("", "A caption without a picture")  # the validator says the file is missing
    assert exercise_data(form) == {"images": [{"caption": "A caption without a picture"}]}


HAND_WRITTEN = """\
title: Wall Sit   # the classic
summary: >
  Lean on a wall
  and sit.
instructions:
  - Stand with your back to a wall.
  - |
    Slide down.
    Keep your knees over your ankles.
dose: {sets: 2, hold: 30 s}
targets: [quads, glutes]
faq:
  - question: Does it hurt?
    answer:
      - It should not.
      - Stop if it does.
cautoin: Never mind   # a slip the store reads as caution
author: Kim
"""


def test_a_form_opened_from_a_file_and_saved_unchanged_gives_the_files_values_back():
    original = yaml.safe_load(HAND_WRITTEN)
    original["dose"]["sets"] = "2"  # the store gives numbers as the text typed
    form = form_from_data(original, "wall-sit", "abc")
    assert form.value("summary") == "Lean on a wall and sit."
    assert form.lists["instructions"][1] == "Slide down.\nKeep your knees over your ankles."
    again = form_from_fields(FormData(list(_posted(form))))
    data = exercise_data(again, original)
    for name in ("title", "summary", "instructions", "dose", "targets", "faq"):
        assert data[name] is original[name], name  # the very values: the store leaves their bytes alone
    assert "author" not in data and "cautoin" not in data  # the store keeps keys of no field


def _posted(form: ExerciseForm) -> list[tuple[str, str]]:
    """What the page posts for *form* (as exercise_edit.html names its controls)."""
    out = [("opened", form.opened), ("digest", form.digest), ("picture_key", form.picture_key)]
    out += list(form.text.items())
    for name, items in form.lists.items():
        out += [(f"{name}.{i}", value) for i, value in enumerate(items)]
    for i, (question, answer) in enumerate(form.faq):
        out += [(f"faq.{i}.question", question), (f"faq.{i}.answer", answer)]
    for i, (file, caption) in enumerate(form.pictures):
        out += [(f"images.{i}.file", file), (f"images.{i}.caption", caption)]
    return out


def test_a_changed_step_is_new_and_its_neighbours_stay_the_files():
    original = {"title": "T", "instructions": ["One", "Two\n", "Three"]}
    form = form_from_data(original, "t")
    form.lists["instructions"][0] = "One, changed"
    data = exercise_data(form, original)
    assert data["instructions"] == ["One, changed", "Two\n", "Three"]
    assert data["instructions"][1] is original["instructions"][1]


def test_keep_unchanged_compares_meaning_not_spacing():
    assert keep_unchanged("a b", "a  b\n") == "a  b\n"
    assert keep_unchanged("a\nb", "a b") == "a\nb"  # a line break is meant: not the same text
    assert keep_unchanged("3", 3) == 3
    assert keep_unchanged("x.png", {"file": "x.png"}) == {"file": "x.png"}
    assert keep_unchanged(["a"], ["a", "b"]) == ["a"]


def test_a_file_of_unexpected_shapes_still_opens_as_text_to_correct():
    form = form_from_data({"title": ["Two", "titles"], "instructions": "One step, not a list",
                           "targets": "quads", "faq": ["not a pair"], "dose": "lots", "tips": [{"Hold": "5 s"}]},
                          "odd")
    assert form.value("title") == "Two\ntitles"
    assert form.lists["instructions"] == ["One step, not a list"]
    assert form.value("targets") == "quads"
    assert form.faq == [("not a pair", "")]
    assert form.lists["tips"] == ["Hold: 5 s"]
    assert form_from_data(["no", "mapping"], "x").value("title") == ""


def test_the_list_buttons_without_javascript():
    form = form_from_data({"title": "T", "instructions": ["a", "b", "c"],
                           "faq": [{"question": "q1", "answer": "a1"}, {"question": "q2", "answer": "a2"}]}, "t")
    moved, focus = apply_op(form, "up:instructions.2")
    assert moved.lists["instructions"] == ["a", "c", "b"] and focus == "instructions.1"
    assert form.lists["instructions"] == ["a", "b", "c"]  # a copy was changed
    moved, focus = apply_op(form, "down:faq.0")
    assert [q for q, _ in moved.faq] == ["q2", "q1"] and focus == "faq.1.question"
    assert apply_op(form, "up:instructions.0")[0].lists["instructions"] == ["a", "b", "c"]
    removed, focus = apply_op(form, "remove:instructions.2")
    assert removed.lists["instructions"] == ["a", "b"] and focus == "instructions.1"
    added, focus = apply_op(form, "add:tips")
    assert added.lists["tips"] == [""] and focus == "tips.0"
    added, focus = apply_op(form, "add:faq")
    assert added.faq[-1] == ("", "") and focus == "faq.2.question"
    cleared, focus = apply_op(form_from_data({"image": "a.png"}, "t"), "remove:images.0")
    assert cleared.pictures[0] == ("", "") and focus == "images.0.upload"
    for nonsense in ("remove:instructions.9", "up:title", "explode:tips.0", "remove:images.5", "add:instructions.0"):
        assert apply_op(form, nonsense)[1] is None, nonsense


@pytest.mark.parametrize("field, key", [
    ("title", "title"), ("instructions.2", "instructions.2"), ("instructions", "instructions"),
    ("faq.1.answer", "faq.1.answer"), ("faq.1.answer.3", "faq.1.answer"), ("faq.0", "faq.0"),
    ("image", "images.0.file"), ("images.1.caption", "images.1.caption"), ("images.1", "images.1"),
    ("dose.hold", "dose.hold"), ("dose.colour", "dose"), ("targets.3", "targets"), ("author", None), ("", None),
])
def test_each_message_goes_beside_its_field(field, key):
    assert form_key(field) == key


def test_messages_of_no_field_are_listed_with_their_field():
    class P:
        def __init__(self, field, message):
            self.field, self.message = field, message

    by_key, general = messages_by_key([P("title", "missing"), P("author", "unknown key"), P("", "empty file")])
    assert by_key == {"title": ["missing"]} and general == ["author: unknown key", "empty file"]


text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40).map(str.strip)


@settings(deadline=None, max_examples=150)
@given(title=text, steps=st.lists(text.filter(bool), max_size=5), words=st.lists(
    text.filter(lambda w: w and "," not in w and "\n" not in w), max_size=4),
       answer=st.lists(text.filter(lambda p: p and "\n" not in p and not p.startswith(("-", "•"))), max_size=3))
def test_data_shown_in_the_form_and_posted_back_is_the_same_data(title, steps, words, answer):
    title = " ".join(title.split())
    data = {k: v for k, v in {"title": title, "instructions": steps, "targets": words}.items() if v}
    if answer:
        data["faq"] = [{"question": "Q?", "answer": answer}]
    form = form_from_data(data, "x")
    back = exercise_data(form_from_fields(FormData(_posted(form))), data)
    assert back == data
