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
