"""`handouts import` sends each file to the importer its content calls for: free-exercise-db's
JSON, any other JSON (one error saying what it holds), or a plain-text exercise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from handouts.cli import main
from handouts.importers.sources import sort_sources

READS = "handouts imports free-exercise-db's JSON and plain-text exercises"
NOT_DB = "not a free-exercise-db exercises.json"

#: The shape of exercemus' exercises.json (MIT; its README gives the schema): an object of lists.
EXERCEMUS = {
    "categories": ["strength", "stretching"],
    "equipment": ["none", "foam roll"],
    "exercises": [{"category": "stretching", "equipment": ["none"], "name": "Hamstring Stretch",
                   "instructions": ["Lie on your back.", "Lift one leg."],
                   "primary_muscles": ["hamstrings"], "secondary_muscles": []}],
    "muscle_groups": {"legs": ["hamstrings"]},
    "muscles": ["hamstrings"],
}
#: The shape of an answer of wger's web API: a page of results.
WGER = {"count": 1, "next": None, "previous": None,
        "results": [{"id": 9, "uuid": "x", "category": 10, "muscles": [1], "equipment": [3]}]}

CASES = {
    "exercemus.json": (json.dumps(EXERCEMUS, indent=2), 1,
                       f'{NOT_DB} (it is an object with the keys "categories", "equipment", "exercises", '
                       f'"muscle_groups", "muscles", not a list of exercises); {READS}'),
    "wger.json": (json.dumps(WGER), 1,
                  f'{NOT_DB} (it is an object with the keys "count", "next", "previous", "results", not a list '
                  f'of exercises); {READS}'),
    "steps.json": ('[\n  {"id": 1, "title": "Bridge", "steps": ["Lift."]}\n]\n', 2,
                   f'{NOT_DB} (its first entry has no "name" or "instructions": its keys are "id", "title", '
                   f'"steps"); {READS}'),
    "unnamed.json": ('\n\n[{"title": "Bridge", "instructions": ["Lift."]}]', 3,
                     f'{NOT_DB} (its first entry has no "name": its keys are "title", "instructions"); {READS}'),
    "many-keys.json": (json.dumps([{f"key{i}": i for i in range(8)}]), 1,
                       f'{NOT_DB} (its first entry has no "name" or "instructions": its keys are "key0", "key1", '
                       f'"key2", "key3", "key4", "key5" and 2 more); {READS}'),
    "empty.json": ("[]", 1, f"{NOT_DB} (it is an empty list); {READS}"),
    "names.json": ('["Bridge", "Plank"]', 1, f"{NOT_DB} (its first entry is text, not an exercise object); {READS}"),
    "empty-entry.json": ("[{}]", 1, f"{NOT_DB} (its first entry is an empty object, not an exercise object); {READS}"),
    "nulls.json": ("[null, null]", 1, f"{NOT_DB} (its first entry is null, not an exercise object); {READS}"),
    "number.json": ("42", 1, f"{NOT_DB} (it is a number, not a list of exercises); {READS}"),
    "broken.json": ('{"exercises": [\n  {"name": "Bridge",}\n]}', 2,
                    "JSON syntax error (column 21): Expecting property name enclosed in double quotes"),
    "not-json-at-all.json": ("Bridge\nInstructions\n- Lift.\n", 1, "JSON syntax error (column 1): Expecting value"),
    "exercemus.txt": (json.dumps(EXERCEMUS), 1,  # not named .json: JSON by its content
                      f'{NOT_DB} (it is an object with the keys "categories", "equipment", "exercises", '
                      f'"muscle_groups", "muscles", not a list of exercises); {READS}'),
    "cut-short.txt": ('[{"name": "Bridge", "steps": [', 1,
                      "JSON syntax error (column 31): Expecting value"),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", CASES)
def test_a_json_file_that_is_not_free_exercise_db_is_one_error_saying_what_it_holds(name: str, folder: Path,
                                                                                     capsys) -> None:
    text, line, message = CASES[name]
    (folder / name).write_text(text, encoding="utf-8")
    assert main(["import", name]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"{name}:{line}: {message}"
    assert not any("Instructions" in said for said in err)  # never read as a text exercise
    assert not (folder / "content").exists()


def test_other_json_fails_alone_and_the_text_beside_it_is_imported(folder: Path, capsys) -> None:
    (folder / "exercemus.json").write_text(json.dumps(EXERCEMUS), encoding="utf-8")
    (folder / "bridge.txt").write_text("Bridge\nLift the hips.\n\nInstructions\n- Lie down.\n", encoding="utf-8")
    assert main(["import", "exercemus.json", "bridge.txt"]) == 1
    out, err = capsys.readouterr()
    assert "wrote content/bridge.yaml" in out
    assert err.splitlines()[0].startswith(f"exercemus.json:1: {NOT_DB} (it is an object")


@pytest.mark.parametrize("title", ["[Draft] Bridge", "[2] Bridge", "{Clinic} Bridge", "[ Bridge ]"])
def test_a_text_whose_title_starts_with_a_bracket_is_still_a_text(title: str, folder: Path, capsys) -> None:
    (folder / "notes.txt").write_text(f"{title}\nLift the hips.\n\nInstructions\n- Lie down.\n", encoding="utf-8")
    assert main(["import", "notes.txt"]) == 0
    (written,) = (folder / "content").iterdir()
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["title"] == title


def test_free_exercise_db_json_under_another_name_is_imported_as_such(folder: Path, capsys) -> None:
    entry = {"id": "Bridge", "name": "Bridge", "instructions": ["Lie down.", "Lift the hips."], "images": []}
    (folder / "library.txt").write_text(json.dumps([entry]), encoding="utf-8")
    assert main(["import", "library.txt"]) == 0
    data = yaml.safe_load((folder / "content" / "bridge.yaml").read_text(encoding="utf-8"))
    assert data["instructions"] == ["Lie down.", "Lift the hips."]


def test_sort_sources_keeps_the_order_given_and_leaves_unreadable_files_to_the_text_importer(folder: Path) -> None:
    (folder / "db.json").write_text('[{"name": "x", "instructions": []}]', encoding="utf-8")
    (folder / "other.json").write_text("{}", encoding="utf-8")
    (folder / "a.txt").write_text("A\nInstructions\n- a\n", encoding="utf-8")
    paths = [Path("a.txt"), Path("other.json"), Path("missing.json"), Path("db.json"), Path(".")]
    sources = sort_sources(paths)
    assert sources.databases == [Path("db.json")]
    assert sources.texts == [Path("a.txt"), Path("missing.json"), Path(".")]
    assert [str(p) for p in sources.problems] == [f"other.json:1: {NOT_DB} (it is an empty object, not a list of "
                                                  f"exercises); {READS}"]
