"""Tests for the free-exercise-db importer (handouts.importers.free_exercise_db)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from handouts.errors import Problem, display_path
from handouts.importers.free_exercise_db import import_exercise_db, looks_like_exercise_db
from handouts.importers.plain_text import ImportResult
from handouts.content.load import load_file
from handouts.content.exercise import Exercise, ImageRef, validate

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "free-exercise-db"

LONG_STEP = " ".join(f"Sentence {i} of a very long step, which goes on and on about the movement." for i in range(30))


def jpeg(color: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buf, "JPEG")
    return buf.getvalue()


def exercise(id: str, name: str, **fields) -> dict:
    """One entry as free-exercise-db writes it (key order and all), with *fields* replaced."""
    entry = {"name": name, "force": "pull", "level": "beginner", "mechanic": "compound",
             "equipment": "body only", "primaryMuscles": ["abdominals"], "secondaryMuscles": [],
             "instructions": ["Lie down.", "Sit up."], "category": "strength",
             "images": [f"{id}/0.jpg", f"{id}/1.jpg"], "id": id}
    entry.update(fields)
    return entry


def write_db(root: Path, entries: list, photos: dict[str, tuple[int, ...]] | None = None) -> Path:
    """``root/exercises.json`` (indented as upstream's) and ``root/exercises/<id>/<n>.jpg``
    for each id in *photos* (the numbers given; default both of every dict entry)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "exercises.json"
    path.write_text(json.dumps(entries, indent=2, ensure_ascii=False), encoding="utf-8")
    if photos is None:
        photos = {e["id"]: (0, 1) for e in entries if isinstance(e, dict) and "id" in e}
    for n, (ident, numbers) in enumerate(photos.items()):
        for number in numbers:
            target = root / "exercises" / ident / f"{number}.jpg"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(jpeg((40 * n % 256, 80 * number, 120)))
    return path


def line_of(path: Path, needle: str) -> int:
    """The line of the ``{`` that opens the entry containing *needle*."""
    text = path.read_text(encoding="utf-8")
    return text.count("\n", 0, text.rindex("{", 0, text.index(needle))) + 1


def load_valid(path: Path) -> Exercise:
    exercise, warnings = validate(load_file(path), path.stem)
    assert warnings == []
    return exercise


# ------------------------------------------------------------------ the fixture library


FULL = exercise(
    "3_4_Sit-Up", "3/4  Sit-Up",
    primaryMuscles=["abdominals", "hip flexors"], secondaryMuscles=["obliques", "abdominals", "hip flexors"],
    level="intermediate", category="olympic weightlifting", force="push", mechanic="isolation",
    equipment="exercise ball",
    instructions=["Lie down on the floor  and secure\nyour feet.", "Go only ¾ of the way: slowly.",
                  "Repeat.\n"])
NULLS = exercise("Bodyweight_Squat", "Bodyweight Squat", equipment=None, force=None, mechanic=None,
                 primaryMuscles=["quadriceps"], secondaryMuscles=[])
TWIN_A = exercise("Wall_Sit", "Wall Sit")
TWIN_B = exercise("Wall_Sit_Against_Door", "Wall-Sit")  # same slug as "Wall Sit"
NO_PHOTOS = exercise("Zercher_Squats", "Zercher Squats")
ONE_PHOTO = exercise("Yoke_Walk", "Yoke Walk")
NO_STEPS = exercise("Iron_Cross", "Iron Cross", instructions=[])
NO_NAME = exercise("Nameless", "  ")
EDGY = exercise("Long_Step", "Long Step",
                instructions=["", LONG_STEP, "Breathe\x07 out."], extra="kept?", equipment="")
NO_ID = {"name": "No Id", "instructions": ["Do it."]}
NOT_AN_OBJECT = "Side_Bridge"
ENTRIES = [FULL, NULLS, TWIN_A, TWIN_B, NO_ID, NO_PHOTOS, ONE_PHOTO, NO_STEPS, NOT_AN_OBJECT, NO_NAME, EDGY]
PHOTOS = {e["id"]: (0, 1) for e in (FULL, NULLS, TWIN_A, TWIN_B, EDGY)} | {"Yoke_Walk": (0,)}


@pytest.fixture
def library(tmp_path: Path, monkeypatch) -> tuple[Path, ImportResult]:
    db = write_db(tmp_path / "db", ENTRIES, PHOTOS)
    monkeypatch.chdir(db.parent)  # messages name "exercises.json", as a user in that folder sees them
    return db, import_exercise_db(db, tmp_path / "content", tmp_path / "assets")


def test_every_field_is_mapped(library, tmp_path: Path) -> None:
    db, result = library
    target = tmp_path / "content" / "3-4-sit-up.yaml"
    assert target in result.written
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ("# Imported from free-exercise-db (exercises.json, id 3_4_Sit-Up) "
                                    "by handouts import; edit freely.")
    ex = load_valid(target)
    assert ex.title == "3/4 Sit-Up"
    assert ex.instructions == ("Lie down on the floor and secure your feet.", "Go only ¾ of the way: slowly.",
                               "Repeat.")
    assert ex.level == "intermediate"
    assert ex.category == "olympic weightlifting"
    assert ex.targets == ("abdominals", "hip flexors", "obliques")  # primary first, each once
    assert ex.equipment == ("exercise ball",)
    assert ex.tags == ("push", "isolation")
    assert ex.images == (ImageRef("3-4-sit-up/0.jpg"), ImageRef("3-4-sit-up/1.jpg"))  # no invented captions
    for number in (0, 1):
        copied = tmp_path / "assets" / "3-4-sit-up" / f"{number}.jpg"
        assert copied.read_bytes() == (db.parent / "exercises" / "3_4_Sit-Up" / f"{number}.jpg").read_bytes()
    # the YAML lists fields in the model's order
    keys = [line.split(":")[0] for line in text.splitlines()[1:] if re.match(r"\w", line)]
    assert keys == ["title", "images", "level", "category", "targets", "equipment", "tags", "instructions"]


def test_nulls_are_left_out(library, tmp_path: Path) -> None:
    ex = load_valid(tmp_path / "content" / "bodyweight-squat.yaml")
    assert (ex.equipment, ex.tags, ex.targets) == ((), (), ("quadriceps",))
    text = (tmp_path / "content" / "bodyweight-squat.yaml").read_text()
    assert "equipment" not in text and "tags" not in text and "null" not in text


def test_same_slug_uses_the_id_for_the_second(library, tmp_path: Path) -> None:
    db, result = library
    first, second = tmp_path / "content" / "wall-sit.yaml", tmp_path / "content" / "wall-sit-against-door.yaml"
    assert load_valid(first).title == "Wall Sit"
    assert load_valid(second).title == "Wall-Sit"
    assert load_valid(second).images[0].file == "wall-sit-against-door/0.jpg"
    assert (tmp_path / "assets" / "wall-sit-against-door" / "1.jpg").is_file()
    assert Problem("exercises.json", line_of(db, '"Wall_Sit_Against_Door"'), "Wall_Sit_Against_Door",
                   "name gives the same file name wall-sit.yaml as exercise Wall_Sit; "
                   "written as wall-sit-against-door.yaml") in result.warnings


def test_missing_photos_are_one_warning_per_exercise(library, tmp_path: Path) -> None:
    db, result = library
    photo_warnings = [w for w in result.warnings if "not found" in w.message]
    assert photo_warnings == [
        Problem("exercises.json", line_of(db, '"Zercher_Squats"'), "Zercher_Squats",
                "photos not found: exercises/Zercher_Squats/0.jpg, exercises/Zercher_Squats/1.jpg; "
                "imported without them"),
        Problem("exercises.json", line_of(db, '"Yoke_Walk"'), "Yoke_Walk",
                "photo not found: exercises/Yoke_Walk/1.jpg; imported without it"),
    ]
    assert str(photo_warnings[1]) == (f"exercises.json:{line_of(db, 'Yoke_Walk')}: Yoke_Walk: photo not found: "
                                      "exercises/Yoke_Walk/1.jpg; imported without it")
    assert load_valid(tmp_path / "content" / "zercher-squats.yaml").images == ()
    assert load_valid(tmp_path / "content" / "yoke-walk.yaml").images == (ImageRef("yoke-walk/0.jpg"),)
    assert not (tmp_path / "assets" / "zercher-squats").exists()


def test_entries_that_cannot_be_imported_are_skipped_by_id(library, tmp_path: Path) -> None:
    db, result = library
    assert result.skipped == [
        Problem("exercises.json", line_of(db, '"Iron_Cross"'), "Iron_Cross", "no instructions; not imported"),
        Problem("exercises.json", line_of(db, '"Nameless"'), "Nameless", "no name; not imported"),
    ]
    assert not (tmp_path / "content" / "iron-cross.yaml").exists()


def test_bad_entries_are_problems_and_the_others_still_import(library, tmp_path: Path) -> None:
    db, result = library
    text = db.read_text()
    assert result.problems == [
        Problem("exercises.json", line_of(db, '"No Id"'), "entry 5, id", "missing"),
        Problem("exercises.json", text.count("\n", 0, text.index('"Side_Bridge"')) + 1, "entry 9",
                "expected an exercise object ({...}), got text"),
    ]
    assert sorted(p.name for p in result.written) == sorted(
        f"{s}.yaml" for s in ("3-4-sit-up", "bodyweight-squat", "wall-sit", "wall-sit-against-door",
                              "zercher-squats", "yoke-walk", "long-step"))
    assert sorted((tmp_path / "content").iterdir()) == sorted(result.written)


def test_limits_and_leftovers_are_warned_never_invalid(library, tmp_path: Path) -> None:
    db, result = library
    line = line_of(db, '"Long_Step"')
    mine = [w.message for w in result.warnings if w.field == "Long_Step"]
    assert all(w.line == line for w in result.warnings if w.field == "Long_Step")
    assert mine == [
        "unknown key 'extra' not imported",
        "step 1 is empty; left out",
        f"step 2 is {len(LONG_STEP)} characters long (the limit is 1200); split into 2 steps at sentence ends",
        "step 3: control characters removed",
        "equipment: an empty item left out",
    ]
    ex = load_valid(tmp_path / "content" / "long-step.yaml")
    assert len(ex.instructions) == 3
    assert all(len(step) <= 1200 for step in ex.instructions)
    assert ex.instructions[0].endswith("movement.")
    assert " ".join(ex.instructions[:2]) == LONG_STEP
    assert ex.instructions[2] == "Breathe out."
    assert ex.equipment == ()


def test_round_trip_every_written_file_validates(library) -> None:
    _, result = library
    assert len(result.written) == 7
    for path in result.written:
        assert load_valid(path).title


def test_re_import_skips_existing_files_and_force_overwrites(library, tmp_path: Path) -> None:
    db, first = library
    target = tmp_path / "content" / "3-4-sit-up.yaml"
    target.write_text("title: edited by hand\ninstructions: [keep me]\n")
    again = import_exercise_db(db, tmp_path / "content", tmp_path / "assets")
    assert again.written == []
    assert Problem(display_path(target), None, None, "exists; not overwritten (use --force)") in again.skipped
    assert len(again.skipped) == len(first.written) + len(first.skipped)
    assert again.warnings == []  # photos of skipped exercises are not looked at
    assert target.read_text() == "title: edited by hand\ninstructions: [keep me]\n"
    forced = import_exercise_db(db, tmp_path / "content", tmp_path / "assets", force=True)
    assert forced.written == first.written
    assert load_valid(target).title == "3/4 Sit-Up"


def test_existing_different_photo_is_not_overwritten(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = write_db(tmp_path, [FULL])
    assets = tmp_path / "assets"
    (assets / "3-4-sit-up").mkdir(parents=True)
    same, mine = assets / "3-4-sit-up" / "0.jpg", assets / "3-4-sit-up" / "1.jpg"
    same.write_bytes((tmp_path / "exercises" / "3_4_Sit-Up" / "0.jpg").read_bytes())
    mine.write_bytes(jpeg((255, 0, 0)))
    hand_made = mine.read_bytes()
    result = import_exercise_db(db, tmp_path / "content", assets)
    assert result.written == [tmp_path / "content" / "3-4-sit-up.yaml"]
    assert result.warnings == [Problem("exercises.json", line_of(db, '"3_4_Sit-Up"'), "3_4_Sit-Up",
                                       "assets/3-4-sit-up/1.jpg exists and differs from "
                                       "exercises/3_4_Sit-Up/1.jpg; not overwritten (use --force)")]
    assert mine.read_bytes() == hand_made
    assert len(load_valid(result.written[0]).images) == 2  # the picture that is there is still used
    forced = import_exercise_db(db, tmp_path / "content", assets, force=True)
    assert forced.warnings == []
    assert mine.read_bytes() == (tmp_path / "exercises" / "3_4_Sit-Up" / "1.jpg").read_bytes()


@pytest.mark.parametrize("photo", ["link-out", "fifo", "folder"])
def test_a_photo_that_is_a_link_out_of_the_library_or_no_regular_file_is_not_copied(
        tmp_path: Path, monkeypatch, photo: str) -> None:
    import os

    monkeypatch.chdir(tmp_path)
    db = write_db(tmp_path, [FULL])
    secret = tmp_path / "secret.jpg"  # outside the downloaded library, as /etc/shadow would be
    secret.write_bytes(jpeg((9, 9, 9)))
    evil = tmp_path / "exercises" / "3_4_Sit-Up" / "1.jpg"
    evil.unlink()
    if photo == "link-out":
        evil.symlink_to(secret)
    elif photo == "fifo":
        os.mkfifo(evil)  # read, it would hang the import
    else:
        evil.mkdir()
    result = import_exercise_db(db, tmp_path / "content", tmp_path / "assets")
    assert result.written == [tmp_path / "content" / "3-4-sit-up.yaml"]
    assert [w.message for w in result.warnings] == [
        "photo '3_4_Sit-Up/1.jpg' is a link out of the library or not a regular file; not imported"]
    assert sorted(p.name for p in (tmp_path / "assets" / "3-4-sit-up").iterdir()) == ["0.jpg"]


def test_invalid_json_imports_nothing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = write_db(tmp_path, [FULL, NULLS])
    text = db.read_text()
    db.write_text(text.replace('"Bodyweight Squat",', '"Bodyweight Squat"'))  # a missing comma
    result = import_exercise_db(db, tmp_path / "content", tmp_path / "assets")
    line = text.count("\n", 0, text.index('"Bodyweight Squat"')) + 2
    assert result == ImportResult(written=[], skipped=[], problems=[
        Problem("exercises.json", line, None, "JSON syntax error (column 5): Expecting ',' delimiter")])
    assert not (tmp_path / "content").exists() and not (tmp_path / "assets").exists()


@pytest.mark.parametrize("text, line, message", [
    ('{"name": "x", "instructions": []}', 1, "expected a list of exercises ([{...}, ...]), got an object"),
    ('\n\n  "just text"', 3, "expected a list of exercises ([{...}, ...]), got text"),
    ('[\n  {"id": "a"}\n  {"id": "b"}\n]', 3, "JSON syntax error (column 3): Expecting ',' delimiter"),
    ('[1] [2]', 1, "JSON syntax error (column 5): Extra data"),
    ("", 1, "JSON syntax error (column 1): Expecting value"),
])
def test_not_a_list_of_exercises(tmp_path: Path, monkeypatch, text: str, line: int, message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exercises.json").write_text(text)
    result = import_exercise_db(tmp_path / "exercises.json", tmp_path / "content", tmp_path / "assets")
    assert result == ImportResult(written=[], skipped=[], problems=[Problem("exercises.json", line, None, message)])


def test_wrong_types_and_duplicate_keys_are_problems(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "exercises.json"
    db.write_text('[\n{"id": "A", "name": 3, "instructions": "Do it.", "images": [1]},\n'
                  '{"id": "B", "name": "B", "name": "Bee", "instructions": ["x"]},\n'
                  '{"id": "", "name": "C", "instructions": ["x"]},\n'
                  '{"id": "D", "name": "D", "instructions": ["x"]}\n]')
    result = import_exercise_db(db, tmp_path / "content", tmp_path / "assets")
    assert [str(p) for p in result.problems] == [
        "exercises.json:2: entry 1 (A), name: expected text or null, got a number",
        "exercises.json:2: entry 1 (A), instructions: expected a list of text, got text",
        "exercises.json:2: entry 1 (A), images: item 1: expected text, got a number",
        "exercises.json:3: entry 2 (B), name: appears twice in this entry",
        "exercises.json:4: entry 3, id: expected the exercise's id (text), got empty text",
    ]
    assert result.written == [tmp_path / "content" / "d.yaml"]


def test_too_many_steps_is_skipped(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = write_db(tmp_path, [exercise("Many", "Many", instructions=[f"Step {i}." for i in range(41)])], {})
    result = import_exercise_db(db, tmp_path / "content", tmp_path / "assets")
    assert [str(p) for p in result.skipped] == [
        "exercises.json:2: Many: 41 steps (the limit is 40); split it into two exercises; not imported"]
    assert result.written == []


def test_looks_like_exercise_db(tmp_path: Path) -> None:
    db = write_db(tmp_path / "db", [NULLS], {})
    assert looks_like_exercise_db(db)
    cases = {
        "object.json": '{"name": "x", "instructions": []}',
        "empty.json": "[]",
        "numbers.json": "[1, 2]",
        "other.json": '[{"name": "x", "steps": []}]',
        "broken.json": '[{"name": "x", "instructions": [',
        "mac.json": '[{"name": "gar\x8don", "instructions": []}]',  # neither UTF-8 nor Windows-1252
    }
    for name, text in cases.items():
        (tmp_path / name).write_bytes(text.encode("latin-1" if "mac" in name else "utf-8"))
        assert not looks_like_exercise_db(tmp_path / name), name
    # the content decides, not the name; and JSON is read in the encodings text files are
    (tmp_path / "list.txt").write_text(db.read_text())
    (tmp_path / "latin1.json").write_bytes('[{"name": "caf\xe9", "instructions": []}]'.encode("latin-1"))
    assert looks_like_exercise_db(tmp_path / "list.txt") and looks_like_exercise_db(tmp_path / "latin1.json")
    (tmp_path / "bom.json").write_text('\ufeff [ {"instructions": [], "name": "x"}, oops', encoding="utf-8")
    assert looks_like_exercise_db(tmp_path / "bom.json")  # routed here; the importer then reports "oops"
    assert not looks_like_exercise_db(tmp_path / "missing.json")
    assert not looks_like_exercise_db(tmp_path)


# ------------------------------------------------------------------ the real library


@dataclass
class ImportWork:
    """What one import did, counted by spies (its speed is bench/bench_build.py's import phase)."""

    json_values: int = 0     # values decoded at the top level of the JSON list (raw_decode calls)
    pictures_opened: int = 0  # photos opened as pictures (PIL) rather than copied as bytes


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[list[dict], Path, ImportResult, ImportWork]:
    """The whole of free-exercise-db imported once (about a second) for the tests below."""
    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"free-exercise-db not available: {CORPUS}")
    out = tmp_path_factory.mktemp("corpus")
    work = ImportWork()
    real_raw_decode, real_open = json.JSONDecoder.raw_decode, Image.open

    def raw_decode(self, *args, **kwargs):
        work.json_values += 1
        return real_raw_decode(self, *args, **kwargs)

    def open_picture(*args, **kwargs):
        work.pictures_opened += 1
        return real_open(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json.JSONDecoder, "raw_decode", raw_decode)
        patch.setattr(Image, "open", open_picture)
        result = import_exercise_db(CORPUS / "exercises.json", out / "content", out / "assets")
    entries = json.loads((CORPUS / "exercises.json").read_text(encoding="utf-8"))
    return entries, out, result, work


@pytest.mark.slow
def test_corpus_counts(corpus) -> None:
    entries, out, result, work = corpus
    assert len(entries) == 873
    no_steps = {e["id"] for e in entries if not e["instructions"]}
    assert no_steps == {"Iron_Cross", "One-Arm_Kettlebell_Swings", "Push_Press", "Side_Bridge", "Side_Jackknife"}
    assert result.problems == []
    assert len(result.written) == 873 - 5 == len(list((out / "content").iterdir()))
    assert {p.field for p in result.skipped} == no_steps
    assert all(p.message == "no instructions; not imported" for p in result.skipped)
    # the work, not the clock: the file read in one pass, each entry decoded once (no second
    # parse to find lines), and the photos copied as bytes, never opened or decoded
    assert work.json_values == len(entries)
    assert work.pictures_opened == 0


@pytest.mark.slow
def test_corpus_photos(corpus) -> None:
    entries, out, result, _ = corpus
    with_photos = {e["id"] for e in entries if (CORPUS / "exercises" / e["id"]).is_dir()}
    assert len(with_photos) == 150 and {e["id"] for e in entries[:150]} == with_photos
    assert len(list((out / "assets").iterdir())) == 150
    assert len([p for p in (out / "assets").rglob("*") if p.is_file()]) == 300
    photo_warnings = [w for w in result.warnings if "photos not found" in w.message]
    # 723 exercises have no photos here; the 5 without instructions are not imported at all
    assert len(photo_warnings) == 723 - 5 == len({w.field for w in photo_warnings})
    assert {w.field for w in photo_warnings} | {p.field for p in result.skipped} == \
        {e["id"] for e in entries} - with_photos
    first, db = entries[150]["id"], CORPUS / "exercises.json"
    assert str(photo_warnings[0]) == (f"{display_path(db)}:{line_of(db, first)}: "
                                      f"{first}: photos not found: exercises/{first}/0.jpg, "
                                      f"exercises/{first}/1.jpg; imported without them")
    # the rest: the two empty steps in the data, said once each
    others = [str(w).split(": ", 1)[1] for w in result.warnings if w not in photo_warnings]
    assert others == ["Barbell_Squat_To_A_Bench: step 2 is empty; left out", "Clean: step 2 is empty; left out"]


@pytest.mark.slow
def test_corpus_every_file_validates(corpus) -> None:
    entries, out, result, _ = corpus
    by_title = {" ".join(e["name"].split()): e for e in entries}
    pictures = 0
    for path in result.written:
        ex = load_valid(path)
        e = by_title[ex.title]
        assert ex.level == e["level"] and ex.category == e["category"]
        assert ex.equipment == ((e["equipment"],) if e["equipment"] else ())
        assert ex.tags == tuple(t for t in (e["force"], e["mechanic"]) if t)
        assert ex.targets == tuple(dict.fromkeys(e["primaryMuscles"] + e["secondaryMuscles"]))
        assert ex.instructions == tuple(" ".join(s.split()) for s in e["instructions"] if s.strip())
        for image in ex.images:
            assert (out / "assets" / image.file).is_file()
            assert image.caption is None
        pictures += len(ex.images)
    assert pictures == 300
