"""The project is found from the file (issue 15 item 7), as git finds its repository.

``cd ~ && handouts build /clinic/content/x.yaml`` used to write ``~/output/``, print the handout
without its picture ("not found") or the clinic, and exit 0; a build run inside ``content/``
made ``content/output/``.  These tests run the real command line from another folder and
from inside the project's folders, and read the PDFs back: the picture is embedded, the
clinic's name is on the page, and the output is the project's ``output/``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pypdf
import pytest

from conftest import REPO, SEED
from handouts.build.project import find_project, project_folders, project_of
from handouts.cli import main
from handouts.errors import UsageError

CLINIC_NAME = "Riverside Physiotherapy"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A clinic's project as a user has it: content/, assets/, programs/ and clinic.yaml."""
    root = tmp_path / "clinic"
    (root / "content").mkdir(parents=True)
    shutil.copy(REPO / "content" / f"{SEED}.yaml", root / "content")
    shutil.copytree(REPO / "assets", root / "assets")
    (root / "programs").mkdir()
    shutil.copy(REPO / "programs" / "example-client.yaml", root / "programs" / "jane.yaml")
    (root / "clinic.yaml").write_text(f"name: {CLINIC_NAME}\nphone: 555 0100\n", encoding="utf-8")
    return root


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A working folder in no project (no content/ in it or above it)."""
    folder = tmp_path / "home"
    folder.mkdir()
    assert find_project(folder) is None
    return folder


def page_text(pdf: Path) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def pictures(pdf: Path) -> int:
    return sum(len(page.images) for page in pypdf.PdfReader(pdf).pages)


def assert_the_projects_handout(project: Path, err: str) -> None:
    """The handout is in the project's output/, with its picture and the clinic, and nothing was said."""
    pdf = project / "output" / "handouts" / f"{SEED}.pdf"
    assert pictures(pdf) == 1, "the picture from the project's assets/"
    assert CLINIC_NAME in page_text(pdf), "the clinic from the project's clinic.yaml"
    assert "not found" not in err and "warning" not in err, err


def test_a_content_file_named_from_another_folder_is_built_with_its_project(project, home, monkeypatch, capsys):
    monkeypatch.chdir(home)
    assert main(["build", str(project / "content" / f"{SEED}.yaml"), "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert_the_projects_handout(project, err)
    assert (project / "output" / "cards" / f"{SEED}.pdf").is_file()
    assert f"in {project / 'output'}, 0 warnings, 0 failed" in out
    assert list(home.iterdir()) == [], "nothing written where the command was typed"


def test_a_relative_path_from_a_neighbouring_folder_finds_the_project_too(project, home, monkeypatch, capsys):
    monkeypatch.chdir(home)
    assert main(["build", os.path.join("..", "clinic", "content", f"{SEED}.yaml"), "--jobs", "1"]) == 0
    assert_the_projects_handout(project, capsys.readouterr().err)
    assert not (home / "output").exists()


def test_a_program_named_from_another_folder_is_built_with_its_project(project, home, monkeypatch, capsys):
    monkeypatch.chdir(home)
    assert main(["program", str(project / "programs" / "jane.yaml")]) == 0
    err = capsys.readouterr().err
    pdf = project / "output" / "programs" / "jane.pdf"
    assert pictures(pdf) >= 1, "the exercise's picture, from the project's assets/"
    text = page_text(pdf)
    assert CLINIC_NAME in text and "Jane Doe" in text
    assert "warning" not in err, err
    assert not (home / "output").exists()


@pytest.mark.parametrize("inside", ["content", "programs", "assets"])
def test_a_build_from_inside_a_projects_folder_builds_the_project(project, monkeypatch, capsys, inside):
    monkeypatch.chdir(project / inside)
    assert main(["build", "--jobs", "1"]) == 0
    assert_the_projects_handout(project, capsys.readouterr().err)
    assert (project / "output" / "deck.pdf").is_file()
    assert (project / "output" / "programs" / "jane.pdf").is_file(), "the project's programs/ too"
    assert not (project / inside / "output").exists()
    assert sorted(p.name for p in (project / "content").iterdir()) == [f"{SEED}.yaml"]


def test_a_file_named_from_inside_content_never_makes_content_output(project, monkeypatch, capsys):
    monkeypatch.chdir(project / "content")
    assert main(["build", f"{SEED}.yaml", "--jobs", "1"]) == 0
    out, err = capsys.readouterr()
    assert_the_projects_handout(project, err)
    assert not (project / "content" / "output").exists()
    assert f"{SEED}.yaml" not in err


def test_the_output_is_one_wherever_the_command_is_typed(project, home, monkeypatch, capsys):
    """Built from the project, then by path from elsewhere: the same output/, so nothing is made twice."""
    monkeypatch.chdir(project)
    assert main(["build", "--jobs", "1"]) == 0
    capsys.readouterr()
    monkeypatch.chdir(home)
    assert main(["build", str(project / "content" / f"{SEED}.yaml"), "--jobs", "1"]) == 0
    assert "built 0 handouts and 0 cards in " in capsys.readouterr().out


def test_out_typed_on_the_command_line_still_wins(project, home, monkeypatch, capsys):
    monkeypatch.chdir(home)
    assert main(["build", str(project / "content" / f"{SEED}.yaml"), "--out", "mine", "--jobs", "1"]) == 0
    pdf = home / "mine" / "handouts" / f"{SEED}.pdf"
    assert pictures(pdf) == 1 and CLINIC_NAME in page_text(pdf), "assets and clinic still the project's"
    assert not (project / "output").exists()


def test_assets_typed_on_the_command_line_still_win(project, home, monkeypatch, capsys):
    (home / "pictures").mkdir()
    monkeypatch.chdir(home)
    assert main(["build", str(project / "content" / f"{SEED}.yaml"), "--assets", "pictures", "--jobs", "1"]) == 0
    assert "not found; printed without a picture" in capsys.readouterr().err
    assert pictures(project / "output" / "handouts" / f"{SEED}.pdf") == 0


def test_files_of_two_projects_are_one_error_naming_both(project, tmp_path, home, monkeypatch, capsys):
    other = tmp_path / "other-clinic"
    shutil.copytree(project / "content", other / "content")
    monkeypatch.chdir(home)
    first, second = project / "content" / f"{SEED}.yaml", other / "content" / f"{SEED}.yaml"
    assert main(["build", str(first), str(second)]) == 2
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"{first} is in the project {project} and {second} in {other}; "
                                f"build each project's files with a command of its own"]
    assert not (project / "output").exists() and not (other / "output").exists()


def test_files_of_two_projects_with_every_folder_typed_are_no_error(project, tmp_path, home, monkeypatch):
    other = tmp_path / "other-clinic"
    shutil.copytree(project / "content", other / "content")
    (other / "content" / f"{SEED}.yaml").rename(other / "content" / "copy.yaml")
    monkeypatch.chdir(home)
    assert main(["build", str(project / "content" / f"{SEED}.yaml"), str(other / "content" / "copy.yaml"),
                 "--content", str(project / "content"), "--assets", str(project / "assets"), "--out", "both",
                 "--jobs", "1"]) == 0
    assert sorted(p.name for p in (home / "both" / "handouts").iterdir()) == ["copy.pdf", f"{SEED}.pdf"]


def test_a_file_in_no_project_goes_with_the_working_folders_project(project, home, monkeypatch, capsys):
    loose = home / "downloaded.yaml"
    shutil.copy(project / "content" / f"{SEED}.yaml", loose)
    monkeypatch.chdir(project / "programs")
    assert main(["build", str(loose), "--jobs", "1"]) == 0
    pdf = project / "output" / "handouts" / "downloaded.pdf"
    assert pictures(pdf) == 1 and CLINIC_NAME in page_text(pdf)
    assert not (home / "output").exists()


def test_a_file_in_no_project_from_a_folder_in_no_project_is_built_as_before(home, tmp_path, monkeypatch, capsys):
    """Nothing to find: content/, assets/ and output/ of the working folder, as the tool always did."""
    loose = tmp_path / "loose" / "wall.yaml"
    loose.parent.mkdir()
    loose.write_text("title: Wall Push\ninstructions: [Push.]\n", encoding="utf-8")
    monkeypatch.chdir(home)
    assert main(["build", str(loose), "--jobs", "1"]) == 0
    assert (home / "output" / "handouts" / "wall.pdf").is_file()


def test_calibrate_and_import_from_inside_content_use_the_project(project, monkeypatch, capsys):
    monkeypatch.chdir(project / "content")
    assert main(["calibrate"]) == 0
    assert (project / "output" / "calibration.pdf").is_file()
    note = project / "notes.txt"
    note.write_text("Wall Push\n\nA push against the wall.\n\nInstructions\n- Stand facing a wall.\n- Push.\n",
                    encoding="utf-8")
    assert main(["import", str(note)]) == 0
    assert (project / "content" / "wall-push.yaml").is_file()
    assert not (project / "content" / "output").exists() and not (project / "content" / "content").exists()


# --- the rules, on folders alone ----------------------------------------------------------------

def test_the_nearest_folder_holding_content_is_the_project(tmp_path, monkeypatch):
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "sub"
    (outer / "content").mkdir(parents=True)
    (inner / "content" / "deeper").mkdir(parents=True)
    assert find_project(inner / "content" / "deeper") == inner
    assert find_project(outer / "content") == outer
    assert find_project(outer / "drafts" / "not-yet-made") == outer
    assert find_project(tmp_path) is None


def test_one_project_reached_by_two_paths_is_one_project(tmp_path, monkeypatch):
    (tmp_path / "clinic" / "content").mkdir(parents=True)
    (tmp_path / "link").symlink_to(tmp_path / "clinic")
    monkeypatch.chdir(tmp_path)
    assert project_of([Path("clinic/content/a.yaml"), Path("link/content/b.yaml")]) == tmp_path / "clinic"


def test_folders_typed_are_kept_and_the_project_working_folder_gives_relative_names(tmp_path, monkeypatch):
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    assert project_folders({"content": None, "assets": Path("pics"), "out": None, "jobs": 2}) == {
        "content": Path("content"), "assets": Path("pics"), "out": Path("output")}
    monkeypatch.chdir(tmp_path / "content")
    assert project_folders({"content": None, "out": None}) == {
        "content": tmp_path / "content", "out": tmp_path / "output"}


def test_two_projects_raise_a_usage_error(tmp_path):
    for name in ("a", "b"):
        (tmp_path / name / "content").mkdir(parents=True)
    with pytest.raises(UsageError):
        project_of([tmp_path / "a" / "content" / "x.yaml", tmp_path / "b" / "content" / "y.yaml"])
