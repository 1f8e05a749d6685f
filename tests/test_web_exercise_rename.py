"""Renaming an exercise (handouts.web.exercise_rename, program_ids): the files on disk are read back
(programs by the build's own program reader, byte for byte against what they were), including after
a rename that fails half-way."""

from __future__ import annotations

import difflib
import shutil
import stat
from pathlib import Path

import pytest
import yaml

from handouts.content.exercise import validate
from handouts.content.load import load_file
from handouts.content.program import load_program
from handouts.errors import OutputError
from handouts.web import exercise_rename
from handouts.web.desk import NotInProject
from handouts.web.exercise_files import BadId, IdTaken, file_digest
from handouts.web.exercise_rename import RenameRefused, rename_exercise
from handouts.web.exercise_store import ChangedOnDisk
from handouts.web.program_ids import renamed_program_text

REPO = Path(__file__).resolve().parents[1]
PICTURE = (REPO / "assets" / "reclining-lower-trunk-extensor-stretch.png").read_bytes()
PLANK = """\
# Plank, by hand.
title: Plank   # the name
images:
  - file: plank/start.png   # lying down
    caption: Start
  - file: plank/end.png
instructions:
  - Lie face down.
"""
JANE = """\
# Jane's program: keep these notes.
client: Jane Doe
date: 2026-11-25          # the day she came
exercises:
  - id: plank    # first
    dose: {sets: 2, hold: 30 s}
  - bridge
  - id: "plank"
    notes: Again, at the end.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("content", "assets/plank", "programs"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "content" / "plank.yaml").write_text(PLANK, encoding="utf-8")
    (tmp_path / "content" / "plank.yaml").chmod(0o640)
    (tmp_path / "content" / "bridge.yaml").write_text("title: Bridge\ninstructions: [Lift.]\n", encoding="utf-8")
    (tmp_path / "assets" / "plank" / "start.png").write_bytes(PICTURE)
    (tmp_path / "assets" / "plank" / "end.png").write_bytes(PICTURE + b"end")
    (tmp_path / "assets" / "plank" / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "programs" / "jane.yaml").write_text(JANE, encoding="utf-8")
    (tmp_path / "programs" / "omar.yaml").write_text("client: Omar\nexercises: [bridge]\n", encoding="utf-8")
    return tmp_path


def rename(project: Path, old: str = "plank", new: str = "forearm-plank", digest: str | None = "current"):
    if digest == "current":
        digest = file_digest(project / "content" / f"{old}.yaml")
    return rename_exercise(project / "content", project / "programs", project / "assets", old, new, digest)


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rename_moves_the_file_its_pictures_and_the_programs_naming_it(project: Path):
    renamed = rename(project)
    content = project / "content"
    assert renamed.path == content / "forearm-plank.yaml" and not (content / "plank.yaml").exists()
    assert renamed.programs == ("jane",)
    assert renamed.pictures == (("plank/start.png", "forearm-plank/start.png"),
                                ("plank/end.png", "forearm-plank/end.png"))
    text = renamed.path.read_text(encoding="utf-8")
    assert text == PLANK.replace("plank/", "forearm-plank/")  # the comments and all else kept
    assert renamed.digest == file_digest(renamed.path)
    assert stat.S_IMODE(renamed.path.stat().st_mode) == 0o640
    exercise, _ = validate(load_file(renamed.path), "forearm-plank")
    assert [i.file for i in exercise.images] == ["forearm-plank/start.png", "forearm-plank/end.png"]
    assert tree(project / "assets") == {"forearm-plank/start.png": PICTURE, "forearm-plank/end.png": PICTURE + b"end",
                                        "plank/notes.txt": b"mine"}  # a file it does not name: left alone
    program, _ = load_program(project / "programs" / "jane.yaml", {"forearm-plank", "bridge"})
    assert [i.exercise_id for i in program.items] == ["forearm-plank", "bridge", "forearm-plank"]
    jane = (project / "programs" / "jane.yaml").read_text(encoding="utf-8")
    assert jane == JANE.replace("id: plank ", "id: forearm-plank ").replace('"plank"', '"forearm-plank"')
    assert (project / "programs" / "omar.yaml").read_text(encoding="utf-8") == "client: Omar\nexercises: [bridge]\n"


def test_an_emptied_picture_folder_goes(project: Path):
    (project / "assets" / "plank" / "notes.txt").unlink()
    rename(project)
    assert not (project / "assets" / "plank").exists()


def test_a_picture_another_exercise_names_is_copied_not_moved(project: Path):
    (project / "content" / "side-plank.yaml").write_text(
        "title: Side plank\nimage: plank/start.png\ninstructions: [Turn.]\n", encoding="utf-8")
    renamed = rename(project)
    assert (project / "assets" / "plank" / "start.png").read_bytes() == PICTURE
    assert (project / "assets" / "forearm-plank" / "start.png").read_bytes() == PICTURE
    assert not (project / "assets" / "plank" / "end.png").exists()
    assert len(renamed.pictures) == 2


def test_a_different_picture_already_at_the_new_place_is_kept_and_the_moved_one_numbered(project: Path):
    (project / "assets" / "forearm-plank").mkdir()
    (project / "assets" / "forearm-plank" / "start.png").write_bytes(b"someone else's")
    renamed = rename(project)
    assert (project / "assets" / "forearm-plank" / "start.png").read_bytes() == b"someone else's"
    assert (project / "assets" / "forearm-plank" / "start-2.png").read_bytes() == PICTURE
    assert ("plank/start.png", "forearm-plank/start-2.png") in renamed.pictures
    assert "file: forearm-plank/start-2.png   # lying down" in renamed.path.read_text(encoding="utf-8")


def test_a_rename_to_a_taken_id_changes_nothing(project: Path):
    before = tree(project)
    for taken in ("bridge", "Bridge", "BRIDGE"):
        with pytest.raises(IdTaken):
            rename(project, new=taken)
    assert tree(project) == before


def test_a_rename_of_a_file_changed_since_it_was_opened_changes_nothing(project: Path):
    before = tree(project)
    with pytest.raises(ChangedOnDisk):
        rename(project, digest="0" * 64)
    with pytest.raises(BadId):
        rename(project, new="../escape")
    with pytest.raises(NotInProject):
        rename(project, old="nothing", digest=None)
    assert tree(project) == before


def test_a_program_that_cannot_be_read_stops_the_rename_before_anything_changes(project: Path):
    (project / "programs" / "kim.yaml").write_text("client: Kim\nexercises: [plank\n", encoding="utf-8")
    before = tree(project)
    with pytest.raises(RenameRefused, match="kim.yaml"):
        rename(project)
    assert tree(project) == before


def test_a_rename_that_fails_half_way_leaves_the_library_as_it_was(project: Path, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OutputError("programs/jane.yaml", "cannot write: No space left on device")

    monkeypatch.setattr(exercise_rename, "atomic_write_all", full_disk)
    before = tree(project)
    with pytest.raises(OutputError):
        rename(project)
    assert tree(project) == before
    assert not (project / "assets" / "forearm-plank").exists() or not any((project / "assets" / "forearm-plank")
                                                                            .iterdir())


def test_renaming_to_the_same_id_changes_nothing(project: Path):
    before = tree(project)
    renamed = rename(project, new="plank")
    assert renamed.programs == () and tree(project) == before


def test_a_rename_of_a_file_the_editor_cannot_read_moves_it_as_it_is(project: Path):
    (project / "content" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    renamed = rename(project, old="broken", new="fixed")
    assert renamed.path.read_text(encoding="utf-8") == "title: [unclosed\n"


# ---------------------------------------------------------------- a program's text, its id changed


@pytest.mark.parametrize(("text", "expected"), [
    ("exercises: [plank, bridge]\n", "exercises: [forearm-plank, bridge]\n"),
    ("exercises:\n- plank  # c\n", "exercises:\n- forearm-plank  # c\n"),
    ("exercises:\n  - id: 'plank'\n", "exercises:\n  - id: 'forearm-plank'\n"),
    ("exercises:\n  - {id: plank, dose: {sets: 2}}\n", "exercises:\n  - {id: forearm-plank, dose: {sets: 2}}\n"),
    ("notes: plank\nexercises:\n  - id:   plank\n", "notes: plank\nexercises:\n  - id:   forearm-plank\n"),
    ("exercises:\n  - planks\n", None),
])
def test_only_the_ids_characters_change(text: str, expected: str | None):
    assert renamed_program_text(text, "plank", "forearm-plank") == expected


@pytest.mark.parametrize("new", ["007", "yes", "3.10", "null", "ελενη", "x.y"])
def test_a_new_id_yaml_would_read_as_something_else_is_quoted(new: str):
    text = renamed_program_text("client: A\nexercises: [plank]\n", "plank", new)
    assert yaml.safe_load(text)["exercises"] == [new]


def test_a_program_with_anchors_is_renamed_by_the_round_trip_and_keeps_its_comments():
    text = "client: A   # who\nexercises:\n  - id: &p plank   # here\n  - id: *p\n"
    out = renamed_program_text(text, "plank", "wall")
    assert [i["id"] for i in yaml.safe_load(out)["exercises"]] == ["wall", "wall"]
    assert "# who" in out and "# here" in out


def test_a_renamed_sample_program_differs_only_in_the_id(tmp_path: Path):
    sample = (REPO / "programs" / "example-client.yaml").read_text(encoding="utf-8")
    old = "reclining-lower-trunk-extensor-stretch"
    out = renamed_program_text(sample, old, "figure-four")
    changed = [line for line in difflib.ndiff(sample.splitlines(), out.splitlines()) if line[:1] in "+-"]
    assert changed == [f"-   - id: {old}    # a content file's name, without .yaml",
                       "+   - id: figure-four    # a content file's name, without .yaml"]
    shutil.copy(REPO / "programs" / "example-client.yaml", tmp_path / "p.yaml")
    (tmp_path / "p.yaml").write_text(out, encoding="utf-8")
    program, _ = load_program(tmp_path / "p.yaml", {"figure-four"})
    assert program.items[0].exercise_id == "figure-four" and program.items[0].notes
