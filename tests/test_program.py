"""programs/<name>.yaml: read and checked against the library, every problem located."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from handouts.errors import ContentError
from handouts.content.exercise import Exercise
from handouts.content.program import ProgramItem, load_program, today

KNOWN = ["reclining-lower-trunk-extensor-stretch", "three-step-wall-push", "seated-knee-extension",
         "spanish-bridge", "long-shoulder-rehab"]


def read(tmp_path: Path, text: str, known=KNOWN, **kw):
    path = tmp_path / "jane.yaml"
    path.write_text(text, encoding="utf-8")
    return load_program(path, known, **kw)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ContentError) as info:
        read(tmp_path, text)
    return [str(p).split("jane.yaml", 1)[1] for p in info.value.problems]


def test_the_issue_example_reads_as_written(tmp_path):
    program, warnings = read(tmp_path, """\
client: Jane Doe
clinician: Alex Kim, PT
date: 2026-11-25          # optional, defaults to today
notes: Start gently and stop if the pain increases.
exercises:
  - id: reclining-lower-trunk-extensor-stretch
    dose: {sets: 2, reps: 3, hold: 30 s, frequency: twice a day, side: both}
    notes: Keep the sacrum heavy on the mat.
""")
    assert warnings == []
    assert (program.id, program.client, program.clinician) == ("jane", "Jane Doe", "Alex Kim, PT")
    assert program.date == datetime.date(2026, 11, 25)
    assert program.notes == "Start gently and stop if the pain increases."
    (item,) = program.items
    assert item.exercise_id == "reclining-lower-trunk-extensor-stretch"
    assert item.dose == (("sets", "2"), ("reps", "3"), ("hold", "30 s"), ("frequency", "twice a day"),
                         ("side", "both"))
    assert item.notes == "Keep the sacrum heavy on the mat."


def test_an_exercise_may_be_named_by_its_id_alone(tmp_path):
    program, _ = read(tmp_path, "client: Jane\nexercises:\n  - three-step-wall-push\n  - id: spanish-bridge\n")
    assert [i.exercise_id for i in program.items] == ["three-step-wall-push", "spanish-bridge"]


def test_the_date_defaults_to_today_or_to_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    program, _ = read(tmp_path, "client: Jane\nexercises: [three-step-wall-push]\n")
    assert program.date == datetime.date.today()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00 UTC
    assert today() == datetime.date(2026, 1, 1)
    program, _ = read(tmp_path, "client: Jane\nexercises: [three-step-wall-push]\n")
    assert program.date == datetime.date(2026, 1, 1)


def test_a_quoted_date_is_read_and_a_wrong_one_is_an_error(tmp_path):
    program, _ = read(tmp_path, 'client: Jane\ndate: "2026-03-04"\nexercises: [three-step-wall-push]\n')
    assert program.date == datetime.date(2026, 3, 4)
    assert problems(tmp_path, "client: Jane\ndate: 4 March\nexercises: [three-step-wall-push]\n") == [
        ":2: date: expected a date written as 2026-11-25, got '4 March'"]


@pytest.mark.parametrize("typed", ["9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01"])
def test_a_date_no_program_is_given_on_is_a_located_error_not_a_crash(tmp_path, typed):
    assert problems(tmp_path, f"client: Jane\ndate: {typed}\nexercises: [three-step-wall-push]\n") == [
        f":2: date: {typed} is not a date a program is given on; give one from 1900 to 2999"]


def test_the_last_date_allowed_still_prints_its_four_week_log(tmp_path):
    program, _ = read(tmp_path, "client: Jane\ndate: 2999-12-31\nexercises: [three-step-wall-push]\n")
    assert program.date == datetime.date(2999, 12, 31)
    assert program.date + datetime.timedelta(days=27) < datetime.date.max


def test_an_unknown_id_suggests_the_nearest_ids(tmp_path):
    assert problems(tmp_path, """\
client: Jane
exercises:
  - id: reclining-lower-trunk-stretch
  - id: wall-push
  - id: hamstring-curl
""") == [
        ":3: exercises, exercise 1, id: no exercise 'reclining-lower-trunk-stretch' in the library; did you "
        "mean 'reclining-lower-trunk-extensor-stretch'?",
        ":4: exercises, exercise 2, id: no exercise 'wall-push' in the library; did you mean "
        "'three-step-wall-push'?",
        ":5: exercises, exercise 3, id: no exercise 'hamstring-curl' in the library (an id is a content "
        "file's name without .yaml)"]


def test_several_close_ids_are_all_offered(tmp_path):
    with pytest.raises(ContentError) as info:
        read(tmp_path, "client: Jane\nexercises: [knee-extension]\n",
             known=["seated-knee-extension", "standing-knee-extension", "knee-extensions", "plank"])
    message = str(info.value.problems[0])
    assert "did you mean 'knee-extensions', " in message and " or " in message and "plank" not in message


def test_every_mistake_is_reported_at_once(tmp_path):
    assert problems(tmp_path, """\
clinician: 3
exercises:
  - id: spanish-bridge
    dose: {sets: [2]}
  - notes: no id here
  - 7
language: xx
""") == [
        ":1: client: missing (every program needs the client's name)",
        ":4: exercises, exercise 1, dose, sets: expected text, got a list",
        ":5: exercises, exercise 2: the id is missing (id: the content file's name without .yaml)",
        ":6: exercises, exercise 3: expected 'id:' (and 'dose:', 'notes:'), got a number",
        ":7: language: 'xx' is not a language the labels are translated into; choose one of en, es, fr, de"]


def test_misspelt_keys_are_errors_naming_the_key(tmp_path):
    """A misspelt key would leave the clinician or the client's note off the program (issue 15 item 8)."""
    assert problems(tmp_path, "client: Jane\nclinican: Bo\nexercises:\n  - id: spanish-bridge\n    note: x\n"
                              "  - ID: three-step-wall-push\n") == [
        ":2: clinican: unknown key 'clinican': did you mean 'clinician'? Correct the spelling; "
        "a misspelt key is not read",
        ":5: exercises, exercise 1: unknown key 'note': did you mean 'notes'? Correct the spelling; "
        "a misspelt key is not read",
        ":6: exercises, exercise 2: unknown key 'ID': write it in lower case as 'id'; "
        "a key written otherwise is not read"]  # and not also "the id is missing"


def test_unknown_keys_that_are_no_slips_are_warnings(tmp_path):
    program, warnings = read(tmp_path, "client: Jane\ntherapist: Bo\nexercises:\n  - id: spanish-bridge\n    why: x\n")
    assert [str(w).split("jane.yaml", 1)[1] for w in warnings] == [
        ":2: therapist: unknown key 'therapist' ignored",
        ":5: exercises, exercise 1: unknown key 'why' ignored"]
    assert program.clinician is None


def test_no_exercises_is_an_error(tmp_path):
    assert problems(tmp_path, "client: Jane\nexercises: []\n") == [
        ":2: exercises: needs at least one exercise"]


def test_the_program_dose_goes_over_the_exercise_default_part_by_part():
    ex = Exercise(id="x", source="x.yaml", title="X", instructions=("Go.",),
                  dose=(("sets", "3"), ("reps", "10"), ("side", "both")))
    item = ProgramItem("x", dose=(("reps", "5"), ("hold", "30 s")), cleared=("side",))
    assert item.dose_for(ex) == (("sets", "3"), ("reps", "5"), ("hold", "30 s"))


def test_a_part_set_to_nothing_clears_the_default(tmp_path):
    program, _ = read(tmp_path, "client: Jane\nexercises:\n  - id: spanish-bridge\n    dose: {side: null, reps: 8}\n")
    assert program.items[0].cleared == ("side",)
    assert program.items[0].dose == (("reps", "8"),)


def test_the_readme_documents_every_program_field():
    from handouts.content.program import PROGRAM_FIELDS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Client programs", 1)[1].split("\n## ", 1)[0]
    for spec in PROGRAM_FIELDS:
        assert f"\n{spec.name}:" in section or f"  - {spec.name}" in section, spec.name
    for key in ("id:", "dose:", "notes:"):
        assert key in section


def test_large_print_is_a_true_or_false_for_this_client(tmp_path):
    program, _ = read(tmp_path, "client: Jane\nlarge_print: true\nexercises: [spanish-bridge]\n")
    assert program.large_print is True
    program, _ = read(tmp_path, "client: Jane\nexercises: [spanish-bridge]\n")
    assert program.large_print is False
    assert problems(tmp_path, "client: Jane\nlarge_print: yes please\nexercises: [spanish-bridge]\n") == [
        ":2: large_print: expected true or false, got text"]
