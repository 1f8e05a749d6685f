"""Checking, saving and deleting an exercise from the editor (handouts.web.exercise_store, exercise_files):
every test reads the files on disk back (with the build's own reader and validator), their modes and
what else is in the folder, rather than trusting what the functions return."""

from __future__ import annotations

import os
import shutil
import stat
import threading
import unicodedata
from pathlib import Path

import pytest
import yaml

from handouts.content.exercise import validate
from handouts.content.load import load_file
from handouts.errors import ContentError, HandoutsError, display_path
from handouts.web.desk import NotInProject
from handouts.web.exercise_files import (
    BadId, IdTaken, checked_id, file_digest, new_exercise_id, open_exercise, taken_by,
)
from handouts.web.exercise_store import (
    ChangedOnDisk, Checked, FieldProblem, InUse, SaveRefused, check_exercise, check_text, delete_exercise, dotted,
    form_field, save_exercise,
)
from handouts.web.exercise_yaml import exercise_data
from handouts.web.program_ids import programs_using
from handouts.write import file_mode

REPO = Path(__file__).resolve().parents[1]
SEED = "reclining-lower-trunk-extensor-stretch"
BRIDGE = {"title": "Bridge", "instructions": ["Lie on your back.", "Lift your hips.", "Lower slowly."],
          "tips": ["Squeeze your glutes.", "Keep your ribs down."], "caution": "Stop if your back hurts.",
          "faq": [{"question": "How high?", "answer": "Until hips and knees line up."},
                  {"question": "How often?", "answer": "Once a day."}]}
COMMENTED = """\
# Plank: checked by Dr Kim, 2026.
title: Plank   # the name
instructions:
  - Lie face down.   # start here
  - Lift onto your forearms and toes.
caution: Stop if your back sags.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name in ("content", "assets", "programs"):
        (tmp_path / name).mkdir()
    return tmp_path


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def built_from(path: Path):
    """The exercise the build reads from *path*, and its warnings (ContentError when it would not build)."""
    return validate(load_file(path), path.stem)


# ---------------------------------------------------------------- field names as the form has them


@pytest.mark.parametrize(("message_field", "form_field"), [
    (None, ""), ("title", "title"), ("instructions, step 3", "instructions.2"), ("tips, tip 1", "tips.0"),
    ("faq, question 2, answer", "faq.1.answer"), ("faq, question 1, answer, point 2", "faq.0.answer.1"),
    ("images, picture 1, file", "images.0.file"), ("images, picture 2, caption", "images.1.caption"),
    ("dose, hold", "dose.hold"), ("description, paragraph 4", "description.3"), ("targets, target 2", "targets.1"),
    ("cautoin", "cautoin"), ("dose, step 1", "dose.step 1"),
])
def test_a_messages_field_is_named_as_the_form_names_it(message_field, form_field):
    assert dotted(message_field) == form_field


def test_each_problem_is_given_against_its_field():
    data = {"title": "  ", "instructions": ["Stand.", "   ", "x" * 1300],
            "faq": [{"question": "Why?", "answer": "So."}, {"question": "When?", "answer": "y" * 2600}],
            "dose": {"hold": "30", "sets": "2"}, "cautoin": "Careful.", "images": [{"file": "nowhere/x.png"}],
            "level": "beginner", "language": "xx", "video": "not a web address"}
    checked = check_exercise("bridge", data, REPO / "assets")
    errors = {p.field for p in checked.errors}
    assert errors == {"title", "instructions.1", "instructions.2", "faq.1.answer", "cautoin", "language", "video"}
    warnings = {p.field: p.message for p in checked.warnings}
    assert set(warnings) == {"dose.hold"}  # pictures are looked for once it has no errors, as the build does
    assert "no unit" in warnings["dose.hold"]
    assert not checked.ok
    fixed = check_exercise("bridge", {"title": "Bridge", "instructions": ["Stand."], "dose": {"hold": "30"},
                                      "images": [{"file": "nowhere/x.png"}, "drawing.gif"]}, REPO / "assets")
    assert [p.field for p in fixed.warnings] == ["images.1.file", "dose.hold", "images.0.file"]


def test_the_check_is_the_builds_on_the_file_written(tmp_path: Path):
    data = {"title": "Bridge", "instructions": ["Stand.", ""], "tip": ["typo'd key"], "author": "Kim",
            "dose": {"reps": "10", "hold": "30"}}
    checked = check_exercise("bridge", data, tmp_path)
    path = tmp_path / "bridge.yaml"
    from handouts.web.exercise_yaml import new_exercise_text

    path.write_text(new_exercise_text(data), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        built_from(path)
    assert [(form_field(p.field), p.message) for p in info.value.problems] == \
        [(p.field, p.message) for p in checked.errors]
    assert [(form_field(p.field), p.message) for p in info.value.warnings] == \
        [(p.field, p.message) for p in checked.warnings]


def test_a_valid_exercise_checks_clean_and_its_pictures_are_found(tmp_path: Path):
    (tmp_path / "bridge").mkdir()
    shutil.copy(REPO / "assets" / f"{SEED}.png", tmp_path / "bridge" / "start.png")
    data = {**BRIDGE, "images": [{"file": "bridge/start.png", "caption": "Start"}]}
    assert check_exercise("bridge", data, tmp_path) == Checked()
    assert check_exercise("bridge", {**BRIDGE, "image": "gone.png"}, tmp_path).warnings == \
        (FieldProblem("image", f"{display_path(tmp_path)}/gone.png not found; printed without it"),)


def test_a_bad_id_is_an_error_on_the_id_field(tmp_path: Path):
    checked = check_exercise("../clinic", BRIDGE, tmp_path)
    assert [p.field for p in checked.errors] == ["id"]


def test_an_edit_is_checked_on_the_text_it_would_write(tmp_path: Path):
    original = COMMENTED + "author: Dr Kim\n"
    data = exercise_data(original)
    del data["author"]  # the form never shows it: kept, and warned about as the build does
    checked = check_exercise("plank", data, tmp_path, original=original)
    assert checked.errors == () and [p.field for p in checked.warnings] == ["author"]


# ---------------------------------------------------------------- ids


@pytest.mark.parametrize("bad", ["", "  ", "../clinic", "a/b", "a\\b", ".hidden", "-dash", "a..b", "con", "NUL.txt",
                                 "com1", "plank.", "plank.yaml", "plank.YML", "a\x00b", "a\nb", "a b", "x" * 121,
                                 "é" * 101, "~user", "a:b"])
def test_ids_that_cannot_be_file_names_are_refused(bad: str):
    with pytest.raises(BadId):
        checked_id(bad)


@pytest.mark.parametrize("good", ["plank", "wall-sit_2", "Plank.v2", "ελενη", "日本語", "x" * 120, "007"])
def test_ids_of_letters_and_digits_are_file_names(good: str):
    assert checked_id(good) == good


def test_an_id_in_decomposed_form_is_composed():
    assert checked_id(unicodedata.normalize("NFD", "café")) == "café"


def test_a_new_id_comes_from_the_title_and_is_numbered_when_taken(project: Path):
    content = project / "content"
    (content / "wall-sit.yaml").write_text("title: x\n", encoding="utf-8")
    (content / "Wall-Sit-2.YML").write_text("title: x\n", encoding="utf-8")
    assert new_exercise_id("Wall Sit", content) == "wall-sit-3"
    assert new_exercise_id("Straße (Easy)", content) == "strasse-easy"
    assert new_exercise_id("Ελένη", content) == "ελενη"
    assert new_exercise_id("!!!", content) == "exercise"
    assert taken_by(content, "WALL-SIT") == content / "wall-sit.yaml"


# ---------------------------------------------------------------- saving a new exercise


def test_a_new_exercise_is_saved_where_the_build_reads_it(project: Path):
    content = project / "content"
    saved = save_exercise(content, project / "assets", "bridge", BRIDGE, None)
    assert saved.path == content / "bridge.yaml"
    assert saved.digest == file_digest(saved.path)
    exercise, warnings = built_from(saved.path)
    assert exercise.instructions == tuple(BRIDGE["instructions"]) and exercise.caution == BRIDGE["caution"]
    assert [f.answer for f in exercise.faq] == ["Until hips and knees line up.", "Once a day."]
    assert stat.S_IMODE(saved.path.stat().st_mode) == file_mode()
    assert files_in(content) == ["bridge.yaml"]  # no temporary file left


@pytest.mark.parametrize("existing", ["bridge.yaml", "bridge.yml", "Bridge.yaml"])
def test_a_new_exercise_never_replaces_a_file(project: Path, existing: str):
    content = project / "content"
    (content / existing).write_text("title: Mine\n", encoding="utf-8")
    with pytest.raises(IdTaken):
        save_exercise(content, project / "assets", "bridge", BRIDGE, None)
    assert (content / existing).read_text(encoding="utf-8") == "title: Mine\n"
    assert files_in(content) == [existing]


def test_two_windows_saving_the_same_new_exercise_write_it_once(project: Path):
    content = project / "content"
    results: list[tuple[str, object]] = []
    barrier = threading.Barrier(8)

    def save(title: str) -> None:
        barrier.wait()
        try:
            results.append((title, save_exercise(content, project / "assets", "bridge", {**BRIDGE, "title": title},
                                                 None)))
        except IdTaken as exc:
            results.append((title, exc))

    threads = [threading.Thread(target=save, args=(f"Bridge {i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [title for title, result in results if not isinstance(result, IdTaken)]
    assert len(saved) == 1 and len(results) == 8
    assert built_from(content / "bridge.yaml")[0].title == saved[0]
    assert files_in(content) == ["bridge.yaml"]


def test_invalid_data_is_refused_with_its_fields_and_nothing_is_written(project: Path):
    content = project / "content"
    with pytest.raises(SaveRefused) as info:
        save_exercise(content, project / "assets", "bridge", {"title": "Bridge", "instructions": ["ok", ""]}, None)
    assert [p.field for p in info.value.errors] == ["instructions.1"]
    assert "instructions.1: is empty" in str(info.value)
    assert files_in(content) == []


# ---------------------------------------------------------------- saving an edit


def write(path: Path, text: str, mode: int | None = None) -> str:
    path.write_text(text, encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    return file_digest(path)


def test_an_edit_keeps_the_files_comments_and_mode(project: Path):
    content = project / "content"
    write(content / "plank.yaml", COMMENTED, 0o640)
    opened = open_exercise(content, "plank")
    data = exercise_data(opened.text)
    data["instructions"][1] = "Lift onto your forearms and toes; hold."
    saved = save_exercise(content, project / "assets", "plank", data, opened.digest)
    text = saved.path.read_text(encoding="utf-8")
    assert text == COMMENTED.replace("toes.", "toes; hold.")
    assert stat.S_IMODE(saved.path.stat().st_mode) == 0o640
    assert built_from(saved.path)[0].instructions[1] == "Lift onto your forearms and toes; hold."
    assert files_in(content) == ["plank.yaml"]


def test_an_edit_of_a_file_changed_on_disk_is_refused(project: Path):
    content = project / "content"
    opened = write(content / "plank.yaml", COMMENTED)
    write(content / "plank.yaml", COMMENTED + "tips: [Breathe.]\n")  # someone else saved meanwhile
    data = exercise_data(COMMENTED)
    with pytest.raises(ChangedOnDisk, match="changed since you opened it"):
        save_exercise(content, project / "assets", "plank", data, opened)
    assert "Breathe." in (content / "plank.yaml").read_text(encoding="utf-8")
    os.unlink(content / "plank.yaml")
    with pytest.raises(NotInProject):
        save_exercise(content, project / "assets", "plank", data, opened)


def test_two_tabs_saving_the_same_file_at_once_never_undo_each_other(project: Path, monkeypatch):
    """The second save waits for the first and then finds the file changed; without the library's
    write lock both passed the "changed on disk" check before either wrote, and the last one won."""
    import handouts.web.exercise_store as store

    content = project / "content"
    opened = write(content / "plank.yaml", COMMENTED)
    first_checking, second_started = threading.Event(), threading.Event()
    real_check = store.check_text

    def slow_first_check(*args, **kwargs):
        if not first_checking.is_set():
            first_checking.set()
            second_started.wait(timeout=5)  # the other tab's save is under way meanwhile
        return real_check(*args, **kwargs)

    monkeypatch.setattr(store, "check_text", slow_first_check)
    results: dict[str, object] = {}

    def save(tip: str) -> None:
        data = {**exercise_data(COMMENTED), "tips": [tip]}
        try:
            results[tip] = save_exercise(content, project / "assets", "plank", data, opened)
        except ChangedOnDisk as exc:
            results[tip] = exc

    first = threading.Thread(target=save, args=("From the first tab.",))
    first.start()
    assert first_checking.wait(timeout=5)
    second = threading.Thread(target=save, args=("From the second tab.",))
    second.start()
    second_started.set()
    first.join()
    second.join()
    assert isinstance(results["From the second tab."], ChangedOnDisk)
    assert not isinstance(results["From the first tab."], ChangedOnDisk)
    assert "From the first tab." in (content / "plank.yaml").read_text(encoding="utf-8")


def test_an_edit_with_errors_leaves_the_file_as_it_was(project: Path):
    content = project / "content"
    opened = write(content / "plank.yaml", COMMENTED)
    with pytest.raises(SaveRefused) as info:
        save_exercise(content, project / "assets", "plank", {"title": "Plank"}, opened)
    assert [p.field for p in info.value.errors] == ["instructions"]
    assert (content / "plank.yaml").read_text(encoding="utf-8") == COMMENTED


def test_saving_unchanged_data_does_not_touch_the_file(project: Path):
    content = project / "content"
    opened = write(content / "plank.yaml", COMMENTED)
    before = (content / "plank.yaml").stat()
    saved = save_exercise(content, project / "assets", "plank", exercise_data(COMMENTED), opened)
    after = (content / "plank.yaml").stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns) and saved.digest == opened


def test_an_edit_through_a_link_in_the_folder_writes_the_file_it_names(project: Path):
    content = project / "content"
    opened = write(content / "plank-original.yaml", COMMENTED)
    (content / "plank.yaml").symlink_to("plank-original.yaml")
    data = {**exercise_data(COMMENTED), "caution": "Stop if it hurts."}
    save_exercise(content, project / "assets", "plank", data, opened)
    assert (content / "plank.yaml").is_symlink()
    assert "caution: Stop if it hurts." in (content / "plank-original.yaml").read_text(encoding="utf-8")


def test_a_link_out_of_the_content_folder_is_not_an_exercise(project: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text(COMMENTED, encoding="utf-8")
    (project / "content" / "plank.yaml").symlink_to(outside)
    with pytest.raises(NotInProject):
        open_exercise(project / "content", "plank")
    with pytest.raises(NotInProject):
        save_exercise(project / "content", project / "assets", "plank", BRIDGE, file_digest(outside))
    assert outside.read_text(encoding="utf-8") == COMMENTED


def test_an_edit_of_a_windows_1252_file_is_saved_as_utf8(project: Path):
    content = project / "content"
    (content / "extension.yaml").write_bytes("title: Extensión\ninstructions: [Stand.]\n".encode("cp1252"))
    opened = open_exercise(content, "extension")
    assert opened.warnings and exercise_data(opened.text)["title"] == "Extensión"
    data = {**exercise_data(opened.text), "tips": ["Despacio."]}
    save_exercise(content, project / "assets", "extension", data, opened.digest)
    assert (content / "extension.yaml").read_text(encoding="utf-8").startswith("title: Extensión\n")


# ---------------------------------------------------------------- programs naming it, and deleting


PROGRAM = """\
# Jane's program.
client: Jane Doe
exercises:
  - id: plank   # start with this
    dose: {sets: 2}
  - bridge
"""


@pytest.mark.parametrize(("program", "named"), [
    (PROGRAM, True), ("client: A\nexercises: [plank]\n", True), ("client: A\nexercises:\n  - id: ' plank '\n", True),
    ('client: A\nexercises:\n  - id: "plank"\n', True), ("client: A\ndate: 2026-02-30\nexercises: [plank]\n", True),
    ("client: A\nexercises: [plank-side, planks, a-plank]\n", False),
    ("client: A\nnotes: plank\nexercises: []\n", False),
    ("client: A\nexercises: [plank\n", True), ("client: [unclosed\nexercises: [planks]\n", False),
])
def test_programs_naming_an_exercise_are_found(project: Path, program: str, named: bool):
    (project / "programs" / "jane.yaml").write_text(program, encoding="utf-8")
    assert programs_using(project / "programs", "plank") == (("jane",) if named else ())


def test_a_delete_that_programs_need_is_refused_with_their_names(project: Path):
    content, programs = project / "content", project / "programs"
    opened = write(content / "plank.yaml", COMMENTED)
    (programs / "jane.yaml").write_text(PROGRAM, encoding="utf-8")
    (programs / "omar.yml").write_text("client: Omar\nexercises: [plank]\n", encoding="utf-8")
    (programs / "zoe.yaml").write_text("client: Zoe\nexercises: [bridge]\n", encoding="utf-8")
    with pytest.raises(InUse) as info:
        delete_exercise(content, programs, "plank", opened)
    assert info.value.programs == ("jane", "omar")
    assert "jane, omar" in str(info.value)
    assert (content / "plank.yaml").read_text(encoding="utf-8") == COMMENTED


def test_a_delete_keeps_the_file_aside_and_leaves_pictures_alone(project: Path):
    content = project / "content"
    opened = write(content / "plank.yaml", COMMENTED + "image: plank/start.png\n", 0o640)
    (project / "assets" / "plank").mkdir()
    (project / "assets" / "plank" / "start.png").write_bytes(b"picture")
    kept = delete_exercise(content, project / "programs", "plank", opened)
    assert files_in(content) == []
    assert kept.parent == project / ".handouts" / "deleted" and kept.name.startswith("plank.")
    assert kept.read_text(encoding="utf-8") == COMMENTED + "image: plank/start.png\n"
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert (project / "assets" / "plank" / "start.png").read_bytes() == b"picture"
    with pytest.raises(NotInProject):
        open_exercise(content, "plank")


def test_a_delete_of_a_file_changed_since_it_was_opened_is_refused(project: Path):
    content = project / "content"
    opened = write(content / "plank.yaml", COMMENTED)
    write(content / "plank.yaml", COMMENTED + "tips: [Breathe.]\n")
    with pytest.raises(ChangedOnDisk):
        delete_exercise(content, project / "programs", "plank", opened)
    assert (content / "plank.yaml").exists()


def test_every_refusal_is_a_handouts_error_of_one_line(project: Path):
    content = project / "content"
    write(content / "plank.yaml", COMMENTED)
    (project / "programs" / "jane.yaml").write_text(PROGRAM, encoding="utf-8")
    attempts = [lambda: checked_id("../x"), lambda: save_exercise(content, project, "plank", BRIDGE, None),
                lambda: save_exercise(content, project, "plank", BRIDGE, "0" * 64),
                lambda: save_exercise(content, project, "new", {"title": "x"}, None),
                lambda: delete_exercise(content, project / "programs", "plank", None),
                lambda: open_exercise(content, "nothing")]
    for attempt in attempts:
        with pytest.raises(HandoutsError) as info:
            attempt()
        assert "\n" not in str(info.value) and str(info.value)


def test_yaml_written_by_a_save_is_what_pyyaml_reads_too(project: Path):
    saved = save_exercise(project / "content", project / "assets", "odd", {
        "title": "yes", "instructions": ["007", "3.10", "- dash", "# hash", "a: b"], "dose": {"reps": "10"}}, None)
    assert yaml.safe_load(saved.path.read_text(encoding="utf-8"))["instructions"] == \
        ["007", "3.10", "- dash", "# hash", "a: b"]
    assert built_from(saved.path)[0].title == "yes"


def test_check_text_names_a_broken_file_at_its_line(tmp_path: Path):
    checked = check_text("title: [unclosed\n", "x", tmp_path)
    assert checked.errors and checked.errors[0].field == ""
