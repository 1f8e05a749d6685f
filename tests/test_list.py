"""``handouts list`` (cli/listing.py) and the library index it reads (build/library_index.py):
each filter, the JSON, files in error listed on stderr while the rest list, and the index
reused, refreshed when a file changes and made again when damaged.  The corpus test (slow)
searches and filters the imported free-exercise-db library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from handouts.build import library_index
from handouts.build.library_index import index_path, read_library
from handouts.cli import main
from handouts.cli.listing import table

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "free-exercise-db"

EXERCISES = {
    "hamstring-stretch": "title: Hamstring Stretch\nlevel: beginner\ntargets: [hamstrings]\nequipment: [body only]\n"
                         "tags: [stretching]\nimages: [h.png]\ninstructions: [Lie on your back.]\n"
                         "faq: [{question: How long?, answer: 30 s.}, {question: Pain?, answer: Stop.}]\n",
    "butt-lift-bridge": "title: Butt Lift (Bridge)\nlevel: beginner\ntargets: [glutes, hamstrings]\n"
                        "equipment: [body only]\ninstructions: [Lift the hips and stretch the front.]\n",
    "kettlebell-swing": "title: Kettlebell Swing\nlevel: Intermediate\ntargets: [glutes]\nequipment: [kettlebells]\n"
                        "tags: [power]\ninstructions: [Swing.]\n",
    "elevacion": "title: Elevación de pelvis\nlanguage: es\nlevel: principiante\ntargets: [glúteos]\n"
                 "summary: Fortalece los GLÚTEOS.\ninstructions: [Túmbese boca arriba.]\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("COLUMNS", raising=False)  # to a pipe: whole lines
    (tmp_path / "content").mkdir()
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "h.png").write_bytes(b"not read by the list")
    for name, text in EXERCISES.items():
        (tmp_path / "content" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def run(project: Path, capsys, *args: str) -> tuple[int, str, str]:
    folders = ["--content", str(project / "content"), "--assets", str(project / "assets"),
               "--out", str(project / "output")]
    code = main(["list", *args, *folders])
    out, err = capsys.readouterr()
    return code, out, err


def ids(project: Path, capsys, *args: str) -> list[str]:
    code, out, err = run(project, capsys, "--json", *args)
    assert code == 0, err
    return [row["id"] for row in json.loads(out)]


def test_the_table_has_a_row_per_exercise_sorted_by_title(project, capsys):
    code, out, err = run(project, capsys)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "LEVEL", "TARGETS", "EQUIPMENT", "PICTURES", "FAQ", "LANG"]
    assert [line.split()[0] for line in lines[1:]] == ["butt-lift-bridge", "elevacion", "hamstring-stretch",
                                                       "kettlebell-swing"]
    row = lines[3].split("  ")
    assert [cell.strip() for cell in row if cell.strip()] == [
        "hamstring-stretch", "Hamstring Stretch", "beginner", "hamstrings", "body only", "yes", "2", "en"]


def test_the_table_fits_the_terminal_width():
    rows = [{"id": "a-very-long-identifier-of-an-exercise", "title": "A Very Long Title " * 4, "level": "beginner",
             "targets": ["hamstrings", "glutes", "lower back"], "equipment": ["body only"], "pictures": 2,
             "pictures_found": 1, "faq": 3, "language": "en"}]
    lines = table(rows, 120).splitlines()
    assert all(len(line) <= 120 for line in lines)
    assert "…" in lines[1] and lines[1].endswith("1 of 2    3    en")  # one of its two pictures is missing
    narrow = table(rows, 80).splitlines()  # the id whole; the least needed columns left out
    assert all(len(line) <= 80 for line in narrow), narrow
    assert narrow[1].startswith("a-very-long-identifier-of-an-exercise  ") and "LANG" not in narrow[0]
    assert table(rows, None).splitlines()[1].count("A Very Long Title") == 4  # to a pipe: whole


def test_search_ranks_the_title_first_and_ignores_accents_and_capitals(project, capsys):
    assert ids(project, capsys, "--search", "HAMSTRING stretch") == ["hamstring-stretch", "butt-lift-bridge"]
    assert ids(project, capsys, "--search", "gluteos elevacion") == ["elevacion"]
    assert ids(project, capsys, "--search", "túmbese") == ["elevacion"]  # a step


def test_each_filter(project, capsys):
    assert ids(project, capsys, "--target", "glutes") == ["butt-lift-bridge", "kettlebell-swing"]
    assert ids(project, capsys, "--target", "GLUTEOS") == ["elevacion"]
    assert ids(project, capsys, "--target", "glute", "--equipment", "body only") == ["butt-lift-bridge"]
    assert ids(project, capsys, "--equipment", "kettlebells,body only") == [
        "butt-lift-bridge", "hamstring-stretch", "kettlebell-swing"]
    assert ids(project, capsys, "--level", "intermediate") == ["kettlebell-swing"]
    assert ids(project, capsys, "--level", "beginner", "--level", "principiante") == [
        "butt-lift-bridge", "elevacion", "hamstring-stretch"]
    assert ids(project, capsys, "--tag", "stretching") == ["hamstring-stretch"]
    assert ids(project, capsys, "--language", "ES") == ["elevacion"]
    assert len(ids(project, capsys, "--language", "en")) == 3  # no language: the house's, English


def test_a_clinic_in_spanish_makes_content_without_a_language_spanish(project, capsys):
    (project / "clinic.yaml").write_text("name: Riverside\nlanguage: es\n", encoding="utf-8")
    assert len(ids(project, capsys, "--language", "es")) == 4


def test_a_filter_nothing_has_says_what_the_library_has(project, capsys):
    code, out, err = run(project, capsys, "--target", "glutez")
    assert (code, out) == (0, "")
    assert err.startswith("--target glutez: no exercise has it; the library's targets: glutes, glúteos, hamstrings")


def test_json_is_valid_and_complete(project, capsys):
    code, out, err = run(project, capsys, "--json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert set(rows) == set(EXERCISES)
    assert rows["hamstring-stretch"] == {
        "id": "hamstring-stretch", "title": "Hamstring Stretch", "level": "beginner", "targets": ["hamstrings"],
        "equipment": ["body only"], "pictures": 1, "pictures_found": 1, "faq": 2, "language": "en",
        "tags": ["stretching"], "category": None, "file": str(project / "content" / "hamstring-stretch.yaml")}
    assert rows["elevacion"]["title"] == "Elevación de pelvis" and rows["elevacion"]["pictures"] == 0


def test_files_in_error_are_listed_one_line_each_and_the_rest_still_list(project, capsys):
    (project / "content" / "broken.yaml").write_text("title: Broken\ninstructions: 7\nlevel: [x]\n", encoding="utf-8")
    (project / "content" / "folder.yaml").mkdir()
    code, out, err = run(project, capsys, "--json")
    assert code == 1
    assert len(json.loads(out)) == 4
    lines = err.splitlines()
    assert any(line.startswith(f"{project / 'content' / 'broken.yaml'}:2: instructions: ") for line in lines)
    assert any(line.startswith(f"{project / 'content' / 'folder.yaml'}: ") for line in lines)
    assert lines[-1] == "2 content files with errors not listed (see above)"
    assert run(project, capsys, "--json")[2] == err  # and again, from the index


def test_the_index_is_reused_and_only_a_changed_file_is_read_again(project):
    first = read_library(project / "content", project / "output")
    assert (first.rebuilt, first.parsed) == (True, 4)
    assert index_path(project / "output").is_file()
    again = read_library(project / "content", project / "output")
    assert (again.rebuilt, again.parsed) == (False, 0)
    assert [e.title for e in again.entries] == [e.title for e in first.entries]
    path = project / "content" / "kettlebell-swing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Kettlebell Swing", "Russian Swing"), encoding="utf-8")
    (project / "content" / "plank.yaml").write_text("title: Plank\ninstructions: [Hold.]\n", encoding="utf-8")
    (project / "content" / "elevacion.yaml").unlink()
    changed = read_library(project / "content", project / "output")
    assert (changed.rebuilt, changed.parsed) == (False, 2)
    assert sorted(e.title for e in changed.entries) == ["Butt Lift (Bridge)", "Hamstring Stretch", "Plank",
                                                        "Russian Swing"]


def test_a_build_keeps_the_index_up_to_date(project):
    from handouts.build.run import BuildOptions, build

    options = BuildOptions(content_dir=project / "content", assets_dir=project / "assets", out_dir=project / "output")
    build(options)
    assert (read_library(project / "content", project / "output").parsed) == 0  # all from the build
    path = project / "content" / "kettlebell-swing.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Kettlebell Swing", "Russian Swing"), encoding="utf-8")
    (project / "content" / "elevacion.yaml").unlink()
    build(options)
    library = read_library(project / "content", project / "output")
    assert library.parsed == 0 and "Russian Swing" in [e.title for e in library.entries]
    assert "elevacion.yaml" not in library_index.load_index(index_path(project / "output"))["files"]


@pytest.mark.parametrize("damage", [
    lambda b: b[: len(b) // 2],                                  # cut short
    lambda b: b.replace(b"Hamstring Stretch", b"Hamstring Strexch"),  # edited: the digest differs
    lambda b: b"{}",                                             # another shape
    lambda b: b"\x00\xff",                                       # not JSON at all
])
def test_a_damaged_index_is_made_again_never_trusted(project, capsys, damage):
    read_library(project / "content", project / "output")
    where = index_path(project / "output")
    where.write_bytes(damage(where.read_bytes()))
    library = read_library(project / "content", project / "output")
    assert (library.rebuilt, library.parsed) == (True, 4)
    assert "Hamstring Stretch" in [e.title for e in library.entries]
    assert library_index.load_index(where) is not None  # saved again, whole


def test_an_index_of_another_shape_under_a_right_digest_is_not_trusted(project):
    import hashlib

    read_library(project / "content", project / "output")
    where = index_path(project / "output")
    body = json.dumps({"files": {"plank.yaml": {"digest": "x", "entry": {"title": 3}}}}).encode()
    where.write_bytes(json.dumps({"version": library_index.VERSION,
                                  "sha256": hashlib.sha256(body).hexdigest()}).encode() + b"\n" + body)
    assert read_library(project / "content", project / "output").rebuilt


def test_listing_never_loads_reportlab(project):
    script = ("import sys; from handouts.cli import main; "
              f"code = main(['list', '--search', 'stretch', '--content', {str(project / 'content')!r}, "
              f"'--out', {str(project / 'output')!r}]); "
              "print(sorted({n.split('.')[0] for n in sys.modules} & {'reportlab', 'PIL', 'pypdf'}), code)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert result.stdout.strip().splitlines()[-1] == "[] 0"


@pytest.mark.slow
def test_the_imported_library_is_searched_and_filtered(tmp_path, capsys):
    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"corpus not available: {CORPUS}")
    from handouts.importers.free_exercise_db import import_exercise_db

    assert not import_exercise_db(CORPUS / "exercises.json", tmp_path / "content", tmp_path / "assets").problems
    found = ids(tmp_path, capsys, "--search", "hamstring stretch")
    titles = {row["id"]: row["title"] for row in json.loads(run(tmp_path, capsys, "--json")[1])}
    assert len(titles) > 800
    stretches = [key for key in found if "hamstring" in titles[key].lower() and "stretch" in titles[key].lower()]
    assert len(stretches) >= 4 and found[:len(stretches)] == stretches  # every hamstring stretch first
    rows = json.loads(run(tmp_path, capsys, "--json", "--target", "glutes", "--equipment", "body only")[1])
    every = json.loads(run(tmp_path, capsys, "--json")[1])
    expected = {r["id"] for r in every if "glutes" in r["targets"] and "body only" in r["equipment"]}
    assert {r["id"] for r in rows} == expected and len(expected) >= 10


@pytest.mark.parametrize("args", [["--target", ""], ["--target", ",,"], ["--tag", " "], ["--search", ""],
                                  ["--search", "   "]])
def test_an_empty_filter_or_search_is_a_usage_error_not_the_whole_library(project, capsys, args):
    code, out, err = run(project, capsys, *args)
    assert code == 2 and not out and len(err.strip().splitlines()) == 1, err
    assert "give" in err
