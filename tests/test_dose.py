"""dose: is printed first, under the title; the parts not prescribed get a line to write on."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SEED, page_objects, reading_text
from handouts.build.run import BuildOptions, build
from handouts.errors import ContentError
from handouts.content.load import parse_yaml
from handouts.content.exercise import validate


def check(text: str):
    return validate(parse_yaml(text, "x.yaml"), "x")


def test_parts_are_kept_in_print_order_as_typed():
    ex, warnings = check("title: Bridge\ninstructions: [Lift.]\ndose:\n  side: both\n  reps: 10\n  hold: 30 s\n")
    assert ex.dose == (("reps", "10"), ("hold", "30 s"), ("side", "both"))
    assert warnings == []


def test_a_misspelt_part_is_an_error_naming_the_part():
    with pytest.raises(ContentError) as info:
        check("title: Bridge\ninstructions: [Lift.]\ndose:\n  rep: 10\n")
    assert [str(p) for p in info.value.problems] == [
        "x.yaml:4: dose: unknown key 'rep': did you mean 'reps'? Correct the spelling; a misspelt key is not read"]


def test_an_unknown_part_that_is_no_slip_is_a_warning():
    ex, warnings = check("title: Bridge\ninstructions: [Lift.]\ndose:\n  tempo: slow\n  reps: 10\n")
    assert [str(w) for w in warnings] == ["x.yaml:4: dose: unknown key 'tempo' ignored"]
    assert ex.dose == (("reps", "10"),)


@pytest.mark.parametrize("hold", ["30", "'30'", "2.5", "5-10"])
def test_a_hold_without_a_unit_is_a_warning_suggesting_seconds(hold):
    ex, warnings = check(f"title: Bridge\ninstructions: [Lift.]\ndose:\n  reps: 10\n  hold: {hold}\n")
    shown = hold.strip("'")
    assert [str(w) for w in warnings] == [f"x.yaml:5: dose, hold: '{shown}' has no unit; write '{shown} s' if that "
                                          f"is seconds, so the client knows how long to hold"]
    assert ex.dose == (("reps", "10"), ("hold", shown))  # printed as typed: the warning asks, it does not guess


@pytest.mark.parametrize("hold", ["30 s", "30s", "30 seconds", "1 min", "5 breaths", "as long as is comfortable"])
def test_a_hold_with_a_unit_is_no_warning(hold):
    assert check(f"title: Bridge\ninstructions: [Lift.]\ndose:\n  hold: {hold}\n")[1] == []


def test_a_programs_hold_without_a_unit_is_a_warning_too(tmp_path):
    from handouts.content.program import load_program

    path = tmp_path / "jo.yaml"
    path.write_text("client: Jo\nexercises:\n  - id: bridge\n    dose: {hold: 30}\n", encoding="utf-8")
    program, warnings = load_program(path, ["bridge"])
    assert [(w.line, w.field, w.message.split(";")[0]) for w in warnings] == [
        (4, "exercises, exercise 1, dose, hold", "'30' has no unit")]


def test_a_dose_that_is_not_a_mapping_is_an_error():
    with pytest.raises(ContentError) as info:
        check("title: Bridge\ninstructions: [Lift.]\ndose: 3 x 10\n")
    assert [str(p) for p in info.value.problems] == [
        "x.yaml:3: dose: expected parts like 'sets: 2' and 'reps: 10', got text"]


def build_with(tmp_path: Path, extra: str):
    content = tmp_path / "content"
    content.mkdir()
    text = (REPO / "content" / f"{SEED}.yaml").read_text(encoding="utf-8") + extra
    (content / f"{SEED}.yaml").write_text(text, encoding="utf-8")
    report = build(BuildOptions(content_dir=content, assets_dir=REPO / "assets", out_dir=tmp_path / "out"))
    assert report.ok, report.errors
    return report.written[0]


def test_the_dose_strip_sits_under_the_title_with_lines_for_what_is_not_set(tmp_path):
    pdf = build_with(tmp_path, "dose:\n  sets: 2\n  reps: 3\n  hold: 30 s\n  frequency: twice a day\n")
    header = reading_text(pdf, "header")
    for word in ("Sets", "Reps", "Hold", "Rest", "How often", "Side", "twice a day", "30 s"):
        assert word in header, word
    objects = page_objects(pdf)
    title_bottom = min(c["bottom"] for c in objects["chars"] if c["size"] >= 20)
    value = next(c for c in objects["chars"] if c["text"] == "2" and c["size"] > 12)
    assert value["top"] > title_bottom  # under the title ...
    assert value["top"] < objects["height"] / 5  # ... and at the top of the page, where it is seen first
    write_lines = [ln for ln in objects["lines"] if ln["top"] < objects["height"] / 5 and ln["width"] < 100]
    assert len(write_lines) == 2  # Rest and Side: nothing prescribed, a line to write on


def test_no_dose_no_strip(tmp_path):
    assert "Sets" not in reading_text(build_with(tmp_path, ""), "header")


def test_the_dose_labels_follow_the_language(tmp_path):
    pdf = build_with(tmp_path, "language: es\ndose:\n  sets: 2\n  side: ambos lados\n")
    header = reading_text(pdf, "header")
    assert "Series" in header and "Repeticiones" in header and "Frecuencia" in header
