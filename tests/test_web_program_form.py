"""The program page's form and its file (handouts.web.program_form): every test reads back what
was written (the YAML with PyYAML and with the command line's own reader and validator, the
saved file's bytes and mode) rather than trusting the writer."""

from __future__ import annotations

import dataclasses
import datetime
import os
import re
import stat
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.datastructures import FormData

from handouts.content.exercise import DOSE_PARTS
from handouts.content.load import parse_yaml
from handouts.content.program import load_program, validate_program
from handouts.errors import ContentError
from handouts.web.desk import NAME, new_program_name
from handouts.web.program_form import (
    MAX_CHARS, MAX_ROWS, ExerciseRow, ProgramChanged, ProgramForm, check, file_version, form_from_fields,
    form_from_file, form_key, save, yaml_text,
)
from handouts.web.program_yaml import HEADER, quoted

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "programs" / "example-client.yaml"
SEED = "reclining-lower-trunk-extensor-stretch"
KNOWN = ("bridge", "plank", "clamshell", SEED)
DOSES = {"bridge": {"sets": "3", "reps": "10"}, "plank": {"hold": "30 s"}}


def fields(*pairs: tuple[str, str]) -> FormData:
    return FormData(list(pairs))


def row(exercise_id: str, notes: str = "", **dose: str) -> ExerciseRow:
    return ExerciseRow(exercise_id, tuple(dose.items()), notes)


def form(**values) -> ProgramForm:
    values.setdefault("client", "Jane Doe")
    values.setdefault("rows", (row("bridge"),))
    return ProgramForm(**values)


# ---------------------------------------------------------------- the POSTed form


def test_a_posted_form_is_read_row_by_row_stripped():
    got = form_from_fields(fields(
        ("name", ""), ("version", ""), ("client", "  Jane Doe \n"), ("email", "jane@example.com"),
        ("date", "2026-11-25"), ("language", ""), ("large_print", "on"), ("notes", "one\r\ntwo"),
        ("ex_id", "bridge"), ("ex_sets", "2"), ("ex_reps", " 10 "), ("ex_notes", "slowly"),
        ("ex_id", "plank"), ("ex_sets", ""), ("ex_reps", ""), ("ex_notes", ""),
        ("ex_hold", "")))  # ragged: one hold for two rows, no rest, frequency or side at all
    assert (got.client, got.email, got.date, got.large_print, got.notes) == (
        "Jane Doe", "jane@example.com", "2026-11-25", True, "one\ntwo")
    assert [r.exercise_id for r in got.rows] == ["bridge", "plank"]
    assert got.rows[0].dose == (("sets", "2"), ("reps", "10"), ("hold", ""), ("rest", ""),
                                ("frequency", ""), ("side", ""))
    assert got.rows[0].notes == "slowly" and got.rows[1].part("sets") == ""
    assert not form_from_fields(fields(("client", "x"))).large_print


def test_empty_rows_are_dropped_and_a_row_with_anything_in_it_is_kept():
    got = form_from_fields(fields(("ex_id", ""), ("ex_id", ""), ("ex_id", "bridge"),
                                  ("ex_notes", ""), ("ex_notes", "no id yet")))
    assert [(r.exercise_id, r.notes) for r in got.rows] == [("", "no id yet"), ("bridge", "")]


def test_a_hostile_post_is_cut_to_size_and_never_crashes():
    pairs = [("ex_id", f"e{i}") for i in range(MAX_ROWS + 30)] + [("ex_sets", "1")] * (MAX_ROWS + 500)
    pairs += [("notes", "x" * (MAX_CHARS * 10)), ("client", "a\ud800b")]
    got = form_from_fields(FormData(pairs + [("clinician", object())]))  # an uploaded file, say
    assert len(got.rows) == MAX_ROWS and len(got.notes) == MAX_CHARS
    assert got.client == "ab" and got.clinician == ""
    assert form_from_fields(FormData([])) == ProgramForm()


# ---------------------------------------------------------------- opening a file


def test_the_sample_program_round_trips_and_validates_as_the_file_does(tmp_path):
    opened = form_from_file(SAMPLE, {})
    assert opened.name == "example-client" and opened.version == file_version(SAMPLE) != ""
    assert opened.client == "Jane Doe" and opened.rows[0].part("hold") == "30 s"
    checked = check(opened, "example-client", [SEED])
    assert checked.ok and not checked.by_field and not checked.general and not checked.warnings
    original, _ = load_program(SAMPLE, [SEED])
    assert dataclasses.replace(checked.program, source=original.source) == original

    saved = tmp_path / "example-client.yaml"
    save(dataclasses.replace(opened, version=""), saved, {})
    again, _ = load_program(saved, [SEED])  # the command line reads the saved file as it read the sample
    assert dataclasses.replace(again, source=original.source) == original
    assert form_from_file(saved, {}) == dataclasses.replace(opened, version=file_version(saved))
    assert saved.read_text(encoding="utf-8").startswith(HEADER)
    assert "    dose: {sets: 2, reps: 3, hold: 30 s, frequency: twice a day, side: both}\n" in saved.read_text()


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_file_with_mistakes_still_opens_with_what_was_written(tmp_path):
    path = write(tmp_path, "client: yes\nclient: Jo Ng\ndate: 2026-02-30\nemail: [a, b]\nlarge_print: yes\n"
                           "notes: 3.10\nexercises:\n  - bridge\n  - id: plank\n    dose: {sets: 3.10, reps: 007}\n"
                           "  - [not, an, item]\n  - id: clamshell\n    dose: 12\n    notes: {a: b}\n")
    got = form_from_file(path, {})
    assert (got.client, got.date, got.email, got.large_print, got.notes) == ("Jo Ng", "2026-02-30", "", True, "3.10")
    assert [r.exercise_id for r in got.rows] == ["bridge", "plank", "clamshell"]
    assert (got.rows[1].part("sets"), got.rows[1].part("reps")) == ("3.10", "007")
    assert got.rows[2].dose == ExerciseRow("clamshell").dose and got.rows[2].notes == ""
    checked = check(got, "p", KNOWN)  # the mistakes are the validator's to name, beside their fields
    assert "expected a date" in checked.by_field["date"][0] and "client" not in checked.by_field


@pytest.mark.parametrize("text", ["- a\n- b\n", "just words\n", "42\n", "# nothing but a comment\n", ""])
def test_a_file_that_is_no_mapping_opens_as_an_empty_form_with_its_version(tmp_path, text):
    path = write(tmp_path, text)
    assert form_from_file(path, DOSES) == ProgramForm(name="p", version=file_version(path))


def test_a_file_that_is_no_yaml_says_where(tmp_path):
    with pytest.raises(ContentError) as caught:
        form_from_file(write(tmp_path, 'client: Jo\nnotes: "never closed\n'), {})
    assert caught.value.problems[0].line == 2


def test_an_alias_bomb_is_refused(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 8)]
    with pytest.raises(ContentError, match="values"):
        form_from_file(write(tmp_path, "\n".join(lines) + "\nexercises: *a7\n"), {})


def test_dose_parts_the_file_leaves_out_are_the_exercises_own_and_cleared_ones_stay_empty(tmp_path):
    path = write(tmp_path, "client: Jo\nexercises:\n  - bridge\n  - id: bridge\n    dose: {sets: null, reps: 12}\n"
                           "  - id: plank\n    dose: {side: left}\n")
    got = form_from_file(path, DOSES)
    assert [(r.part("sets"), r.part("reps"), r.part("hold"), r.part("side")) for r in got.rows] == [
        ("3", "10", "", ""), ("", "12", "", ""), ("", "", "30 s", "left")]
    # saved unchanged, it means what the file meant: the same dose, the same part cleared
    before, _ = load_program(path, KNOWN)
    after = check(got, "p", KNOWN, exercise_doses=DOSES).program
    assert after is not None
    def printed(program):  # the dose each item prints: the exercise's own, this item's over it, cleared parts out
        return [(i.exercise_id, {k: v for k, v in {**DOSES.get(i.exercise_id, {}), **dict(i.dose)}.items()
                                 if k not in i.cleared}, set(i.cleared)) for i in program.items]

    assert printed(after) == printed(before) == [
        ("bridge", {"sets": "3", "reps": "10"}, set()), ("bridge", {"reps": "12"}, {"sets"}),
        ("plank", {"hold": "30 s", "side": "left"}, set())]
    assert after.items[0].dose == ()  # the exercise's own dose is inherited, not copied into the program
    assert before.items[1].cleared == after.items[1].cleared == ("sets",)


# ---------------------------------------------------------------- writing the file


def test_the_file_is_tidy_in_field_order_with_empty_fields_left_out():
    text = yaml_text(ProgramForm(client="Jo", notes="Go slow", date="2026-11-25", email="jo@example.com",
                                 large_print=True, language="fr",
                                 rows=(row("bridge", "Both feet", sets="", reps="12", side="left"),
                                       row("clamshell"))), DOSES)
    assert text == HEADER + (
        "client: Jo\nemail: jo@example.com\ndate: 2026-11-25\nlanguage: fr\nnotes: Go slow\nlarge_print: true\n"
        "exercises:\n  - id: bridge\n    dose: {sets: null, reps: 12, side: left}\n    notes: Both feet\n"
        "  - id: clamshell\n")
    assert "large_print" not in yaml_text(ProgramForm(client="Jo"), {})


def test_a_dose_part_left_empty_is_cleared_only_where_the_exercise_has_it():
    checked = check(form(rows=(row("bridge", sets="", reps="", rest="", side="007"),
                               row("plank", hold="", frequency="daily"))), "p", KNOWN, exercise_doses=DOSES)
    assert checked.ok, checked
    bridge, plank = checked.program.items
    assert bridge.cleared == ("sets", "reps") and bridge.dose == (("side", "007"),)
    assert plank.cleared == ("hold",) and plank.dose == (("frequency", "daily"),)
    data = yaml.safe_load(yaml_text(form(rows=(row("bridge", sets="2", side="007"),)), DOSES))
    assert data["exercises"][0]["dose"] == {"sets": 2, "reps": None, "side": "007"}


LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])
TRICKY = ["yes", "no", "null", "on", "off", "~", "007", "1.5", "1e3", "0x1f", "2026-11-25", "a: b", "a:b", "# x",
          "a #x", "- x", "-", "'q'", '"q"', "{a}", "[b]", "a, b", "a,b", "!tag", "&a", "*a", "|", "> x", "@x",
          "`x", "%x", "? x", "  lead", "trail ", "two\nlines", "blank\n\nline", "\tx", "x\t", "é ñ 李",
          "\x85", "\u2028", "\ufeff", "\x00\x07", "a\\b", "\\n", "<b>&amp;</b>", "=", ":", "- - -", "...", "---"]
texts = st.one_of(st.sampled_from(TRICKY), st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
                  st.lists(st.sampled_from(TRICKY + ["x", " ", "\n", ":", "#", "'", '"']), max_size=6).map("".join))
rows = st.builds(lambda i, parts, notes: ExerciseRow(i, tuple(zip(DOSE_PARTS, parts)), notes),
                 st.one_of(st.sampled_from(["bridge", "plank", ""]), texts),
                 st.lists(texts, min_size=6, max_size=6), texts)
forms = st.builds(ProgramForm, client=texts, first_name=texts, email=texts, clinician=texts, date=texts,
                  language=texts, large_print=st.booleans(), notes=texts, rows=st.lists(rows, max_size=3).map(tuple))


@settings(max_examples=300)
@given(forms, st.sampled_from(LOADERS))
def test_every_text_reads_back_exactly_as_typed(got, loader):
    text = yaml_text(got, DOSES)
    parse_yaml(text, "p.yaml")  # the command line's reader reads it too
    data = yaml.load(text, Loader=loader)
    for name in ("client", "first_name", "email", "clinician", "language", "notes"):
        assert data.get(name) == (getattr(got, name) or None)
    date = data.get("date")
    assert (date.isoformat() if isinstance(date, datetime.date) else date) == (got.date or None)
    assert data.get("large_print") is (True if got.large_print else None)
    assert len(data.get("exercises") or []) == len(got.rows)
    for item, expected in zip(data.get("exercises") or [], got.rows):
        assert item["id"] == (expected.exercise_id or None) and item.get("notes") == (expected.notes or None)
        own, dose = DOSES.get(expected.exercise_id, {}), item.get("dose") or {}
        for part, value in expected.dose:
            if value:  # digits as a number, written as typed ('007' stays text)
                assert dose[part] == (int(value) if re.fullmatch("0|[1-9][0-9]*", value) else value)
            elif part in own:
                assert dose[part] is None  # cleared: a line to write on
            else:
                assert part not in dose


@given(texts, st.sampled_from(LOADERS))
def test_double_quoted_text_reads_back_exactly(text, loader):
    """The writer's fallback, should a plain or block scalar ever read back otherwise."""
    assert yaml.load(f"k: {quoted(text)}", Loader=loader) == {"k": text}
    assert yaml.load(f"{{k: {quoted(text)}}}", Loader=loader) == {"k": text}


def test_notes_of_several_lines_are_a_literal_block():
    text = yaml_text(form(notes="First line.\n\n  - indented: yes", rows=(row("plank", "a\nb"),)), {})
    assert "notes: |-\n  First line.\n\n    - indented: yes\n" in text
    assert "    notes: |-\n      a\n      b\n" in text


# ---------------------------------------------------------------- checking: messages beside their fields


@pytest.mark.parametrize("changes, key, words", [
    ({"rows": (row("bridge"), row("brige"))}, "ex-1", "did you mean 'bridge'"),
    ({"rows": (row(""),)}, "ex-0", "the id is missing"),
    ({"date": "25/11/2026"}, "date", "expected a date"),
    ({"date": "2026-02-30"}, "date", "expected a date"),
    ({"date": "0999-01-01"}, "date", "not a date a program is given on"),
    ({"email": "jane@"}, "email", ""),
    ({"client": ""}, "client", "missing"),
    ({"language": "xx"}, "language", "is not a language"),
    ({"rows": (row("bridge", sets="x" * 41),)}, "ex-0-sets", "the limit is 40"),
    ({"rows": (row("plank"), row("bridge", notes="n" * 601))}, "ex-1-notes", "the limit is 600"),
    ({"notes": "n" * 1201}, "notes", "the limit is 1200"),
    ({"rows": ()}, "exercises", "at least one exercise"),
    ({"rows": (row("plank"),) * 21}, "exercises", "the limit is 20"),
])
def test_each_error_is_shown_beside_its_field(changes, key, words):
    checked = check(form(**changes), "p", KNOWN, exercise_doses=DOSES)
    assert checked.program is None and not checked.general
    assert list(checked.by_field) == [key] and words in checked.by_field[key][0]
    assert "p.yaml" not in checked.by_field[key][0]  # the message alone, no path or line


def test_warnings_are_shown_beside_their_field_and_do_not_stop_the_program():
    checked = check(form(rows=(row("bridge", hold="30"),)), "p", KNOWN)
    assert checked.ok and checked.by_field == {} and "has no unit" in checked.warnings["ex-0-hold"][0]


def test_a_program_too_large_for_its_file_is_a_general_error():
    checked = check(form(rows=tuple(row("plank", notes="ñ" * MAX_CHARS) for _ in range(MAX_ROWS))), "p", KNOWN)
    assert checked.program is None and "KB" in checked.general[0]


@pytest.mark.parametrize("written, key", [
    ("client", "client"), ("exercises", "exercises"), ("exercises, exercise 3", "ex-2"),
    ("exercises, exercise 3, id", "ex-2"), ("exercises, exercise 3, dose", "ex-2"),
    ("exercises, exercise 3, dose, sets", "ex-2-sets"), ("exercises, exercise 12, notes", "ex-11-notes"),
    ("exercises, exercise 1, dose, sest", "ex-0"), ("cleint", None), (None, None), ("", None),
])
def test_form_keys_from_the_fields_messages_name(written, key):
    assert form_key(written) == key


def test_markup_in_notes_is_kept_verbatim():
    markup = '<script>alert("x")</script> & <b>bold</b> {{ x }} \'q\''
    got = form(notes=markup, client="<i>Jo</i>", rows=(row("bridge", markup),))
    assert yaml.safe_load(yaml_text(got, {}))["notes"] == markup
    program = check(got, "p", KNOWN).program
    assert program is not None
    assert (program.notes, program.client, program.items[0].notes) == (markup, "<i>Jo</i>", markup)


# ---------------------------------------------------------------- saving


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_program_is_written_owner_only_and_its_version_returned(tmp_path, umask_022):
    path = tmp_path / "programs" / "jane-doe.yaml"
    version = save(form(), path, DOSES)
    assert version == file_version(path) and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_program(path, KNOWN)[0].client == "Jane Doe"
    with pytest.raises(ProgramChanged):  # a second new program of the same name
        save(form(client="Other"), path, DOSES)
    assert load_program(path, KNOWN)[0].client == "Jane Doe"


def test_two_pages_opened_on_one_version_the_second_save_is_refused(tmp_path):
    path = tmp_path / "jane-doe.yaml"
    save(form(), path, {})
    first = form_from_file(path, {})
    second = dataclasses.replace(first, notes="from the second browser")
    new = save(dataclasses.replace(first, notes="from the first browser"), path, {})
    with pytest.raises(ProgramChanged) as caught:
        save(second, path, {})
    assert caught.value.current == new and "changed since" in str(caught.value)
    assert "first browser" in path.read_text() and "Jane" not in str(caught.value)
    assert save(dataclasses.replace(second, version=new), path, {}) == file_version(path)  # opened again


def test_a_file_edited_by_hand_or_removed_meanwhile_is_not_overwritten(tmp_path):
    path = tmp_path / "p.yaml"
    save(form(), path, {})
    opened = form_from_file(path, {})
    path.write_text(path.read_text() + "# a note by hand\n")
    with pytest.raises(ProgramChanged):
        save(opened, path, {})
    assert path.read_text().endswith("# a note by hand\n")
    path.unlink()
    with pytest.raises(ProgramChanged, match="removed"):
        save(opened, path, {})
    assert not path.exists()


def test_saves_at_once_from_many_threads_on_one_version_only_one_wins(tmp_path):
    path = tmp_path / "p.yaml"
    save(form(), path, {})
    opened = form_from_file(path, {})
    outcomes: list[str] = []
    start = threading.Barrier(8)

    def one(i: int) -> None:
        start.wait()
        try:
            save(dataclasses.replace(opened, notes=f"browser {i}"), path, {})
            outcomes.append(f"browser {i}")
        except ProgramChanged:
            outcomes.append("refused")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o != "refused"]
    assert len(outcomes) == 8 and len(winners) == 1
    assert yaml.safe_load(path.read_text())["notes"] == winners[0]


def test_file_versions(tmp_path):
    assert file_version(tmp_path / "none.yaml") == ""
    with pytest.raises(ContentError):
        file_version(tmp_path)


# ---------------------------------------------------------------- naming a new program


@pytest.mark.parametrize("client, name", [
    ("Begoña Núñez", "begona-nunez"), ("Jane  O'Brien-Smith", "jane-o-brien-smith"), ("Ελένη Παππά", "ελενη-παππα"),
    ("李小龍", "李小龍"), ("Zoë_Ünal", "zoe-unal"), ("...", "client"), ("", "client"), ("İlkay", "ilkay"),
])
def test_a_new_program_is_named_from_the_client(client, name):
    assert new_program_name(client, lambda _: False) == name


def test_a_taken_name_gets_a_number():
    taken = {"jane-doe", "jane-doe-2"}
    assert new_program_name("Jane Doe", taken.__contains__) == "jane-doe-3"
    assert new_program_name("Jane Doe", set().__contains__) == "jane-doe"


@given(st.text(max_size=300), st.integers(0, 3))
def test_a_new_name_is_always_one_the_desk_accepts(client, taken):
    tried: list[str] = []
    name = new_program_name(client, lambda n: tried.append(n) or len(tried) <= taken)
    assert len(tried) == taken + 1 and len(set(tried)) == len(tried)
    assert NAME.fullmatch(name) and ".." not in name


def test_the_validator_reads_a_form_as_the_file_says(tmp_path):
    """check() and the saved file agree: the program check() returns is the one the file loads as."""
    got = form(date="2026-11-25", rows=(row("bridge", "Slowly", sets="", reps="8"), row("plank", hold="45 s")))
    path = tmp_path / "p.yaml"
    save(got, path, DOSES)
    from_file, _ = load_program(path, KNOWN)
    checked = check(got, "p", KNOWN, exercise_doses=DOSES, shown_path=str(path))
    assert checked.program is not None
    assert dataclasses.replace(checked.program, source=from_file.source) == from_file
    assert validate_program(parse_yaml(path.read_text(), "p"), "p", KNOWN)[0].items == from_file.items


def test_one_line_fields_take_no_line_breaks_or_invisible_spaces_from_a_hand_made_post():
    from starlette.datastructures import FormData

    from handouts.web.program_form import form_from_fields

    form = form_from_fields(FormData([("client", "Jane\nDoe\u2028\u200bX\tY"), ("notes", "One.\nTwo.")]))
    assert form.client == "Jane Doe X Y" and form.notes == "One.\nTwo."


def test_a_styled_capital_makes_a_lower_case_name():
    assert new_program_name("𝐉𝐀𝐍𝐄 Doe", lambda n: False) == "jane-doe"
