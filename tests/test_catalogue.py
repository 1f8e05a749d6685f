"""The catalogue, ``output/catalogue.pdf``, read back: groups, order, index, bookmarks, links, pictures.

A small library in a temporary folder: exercises under three target areas (one spelt with
a capital, one whose title starts with an accent), one with no target, one with errors, and
one with a solid red photo, so the thumbnail can be found by its pixels.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader

from handouts.build.run import BuildOptions, build
from handouts.layout.catalogue import Entry, group_entries

EXERCISES = {
    "wall-squat": ("Wall Squat", ["quadriceps", "glutes"], None),
    "lunge": ("Lunge", ["Quadriceps"], None),
    "elan-step": ("Élan Step-Up", ["quadriceps"], None),
    "bridge": ("Bridge", ["glutes", "hamstrings"], "red.png"),
    "clam": ("Clam", ["glutes"], None),
    "curl": ("Hamstring Curl", ["hamstrings"], None),
    "breathing": ("Breathing", [], None),
}
ORDER = {"Glutes": ["bridge", "clam"], "Hamstrings": ["curl"],
         "Quadriceps": ["elan-step", "lunge", "wall-squat"], "Other": ["breathing"]}


def _write(root: Path, stem: str, title: str, targets: list[str], image: str | None) -> None:
    lines = [f"title: {title}", "level: beginner", "equipment: [mat]",
             f"targets: {json.dumps(targets)}", "instructions: [Stand tall., Breathe out slowly.]"]
    if image:
        lines.append(f"image: {image}")
    (root / "content" / f"{stem}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (600, 400), (220, 0, 0)).save(tmp_path / "assets" / "red.png")
    for stem, (title, targets, image) in EXERCISES.items():
        _write(tmp_path, stem, title, targets, image)
    (tmp_path / "content" / "broken.yaml").write_text("title: Broken\ntargets: [glutes]\n", encoding="utf-8")
    return tmp_path


def _build(root: Path, paper: str = "letter", language: str | None = None):
    return build(BuildOptions(root / "content", root / "assets", root / "output", paper=paper, language=language))


def _rows(reader: PdfReader) -> list[tuple[int, str]]:
    """(page index, id) of every entry link, in page order."""
    found = []
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and action["/S"] == "/GoToR":
                found.append((index, str(action["/F"])))
    return found


def test_every_exercise_is_in_its_group_in_order(library: Path) -> None:
    report = _build(library)
    assert [Path(f).name for f in report.failed] == ["broken.yaml"]
    reader = PdfReader(library / "output" / "catalogue.pdf")
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert [title for title, _ in outline] == ["Contents", *ORDER]
    starts = dict(outline)
    rows = _rows(reader)
    assert [href for _, href in rows] == [f"handouts/{i}.pdf" for ids in ORDER.values() for i in ids]
    bounds = [starts[name] for name in ORDER] + [len(reader.pages)]
    for (name, ids), start, end in zip(ORDER.items(), bounds, bounds[1:]):
        assert {href for page, href in rows if start <= page < end} == {f"handouts/{i}.pdf" for i in ids}
        text = reader.pages[start].extract_text()
        assert name in text.splitlines()[0]  # the page header names the group
    assert "broken" not in json.dumps([href for _, href in rows])  # its handout was not made: not listed


def test_links_are_relative_and_open_existing_handouts(library: Path) -> None:
    _build(library)
    out = library / "output"
    reader = PdfReader(out / "catalogue.pdf")
    for _, href in _rows(reader):
        assert not href.startswith("/") and ":" not in href
        assert (out / href).is_file()


def test_the_index_gives_each_groups_page_and_links_to_it(library: Path) -> None:
    _build(library)
    reader = PdfReader(library / "output" / "catalogue.pdf")
    index = reader.pages[0]
    with pdfplumber.open(library / "output" / "catalogue.pdf") as plumber:
        text = plumber.pages[0].extract_text()
    starts = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    for name, ids in ORDER.items():
        line = next(line for line in text.splitlines() if line.startswith(name))
        assert line.split()[-1] == str(starts[name] + 1), line  # printed page numbers count from 1
        assert f"{len(ids)} exercise" in line
    internal = [a.get_object() for a in index["/Annots"] if "/Dest" in a.get_object() or
                a.get_object().get("/A", {}).get("/S") == "/GoTo"]
    assert len(internal) == len(ORDER)
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def _pixels(image: Image.Image) -> list[tuple[int, int, int]]:
    data = image.tobytes()
    return list(zip(data[0::3], data[1::3], data[2::3]))


def test_a_picture_is_drawn_where_its_row_is(library: Path) -> None:
    _build(library)
    pdf = pdfium.PdfDocument(library / "output" / "catalogue.pdf")
    reader = PdfReader(library / "output" / "catalogue.pdf")
    page_index, = {page for page, href in _rows(reader) if href == "handouts/bridge.pdf"}
    image = pdf[page_index].render(scale=1).to_pil().convert("RGB")
    reds = sum(1 for r, g, b in _pixels(image) if r > 180 and g < 60 and b < 60)
    assert reds > 1000  # about 72 x 48 pt of red
    other = pdf[len(pdf) - 1].render(scale=1).to_pil().convert("RGB")  # "Other": no picture
    assert not any(r > 180 and g < 60 and b < 60 for r, g, b in _pixels(other))


@pytest.mark.parametrize(("paper", "size"), [("letter", (612, 792)), ("a4", (595.28, 841.89))])
def test_paper_and_language(library: Path, paper: str, size: tuple[float, float]) -> None:
    _build(library, paper, language="es")
    reader = PdfReader(library / "output" / "catalogue.pdf")
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=0.01)
    assert [item.title for item in reader.outline][0] == "Índice"
    assert [item.title for item in reader.outline][-1] == "Otros"
    assert "Catálogo de ejercicios" in reader.pages[0].extract_text()


def test_incremental_and_deterministic(library: Path) -> None:
    _build(library)
    catalogue = library / "output" / "catalogue.pdf"
    first, stamp = catalogue.read_bytes(), catalogue.stat().st_mtime_ns
    report = _build(library)
    assert "catalogue" not in report.made and catalogue.stat().st_mtime_ns == stamp
    _write(library, "clam", "Clamshell", ["glutes"], None)
    report = _build(library)
    assert report.made.get("catalogue") and report.made["handout"] == [(library / "output" / "handouts" /
                                                                       "clam.pdf").resolve()]
    assert "Clamshell" in PdfReader(catalogue).pages[1].extract_text()
    _write(library, "clam", "Clam", ["glutes"], None)
    _build(library)
    assert catalogue.read_bytes() == first  # the same library gives the same bytes


def test_a_new_picture_remakes_it(library: Path) -> None:
    _build(library)
    Image.new("RGB", (600, 400), (0, 0, 220)).save(library / "assets" / "red.png")
    assert _build(library).made.get("catalogue")


def test_a_build_of_some_files_leaves_it_alone(library: Path) -> None:
    _build(library)
    catalogue = library / "output" / "catalogue.pdf"
    stamp = catalogue.stat().st_mtime_ns
    _write(library, "clam", "Clamshell", ["glutes"], None)
    build(BuildOptions(library / "content", library / "assets", library / "output",
                       files=(library / "content" / "clam.yaml",), deck=False))
    assert catalogue.stat().st_mtime_ns == stamp


def test_grouping_folds_case_and_accents() -> None:
    entries = [Entry("a", "Zed", targets=("Lower Back",)), Entry("b", "Éclair", targets=("lower back",)),
               Entry("c", "Apple", targets=("abs",)), Entry("d", "None")]
    groups = group_entries(entries, "Other")
    assert [(g.name, [e.id for e in g.entries]) for g in groups] == [
        ("Abs", ["c"]), ("Lower Back", ["b", "a"]), ("Other", ["d"])]


def test_thumbnails_are_prepared_where_the_handouts_are_made_only_when_there_is_a_catalogue(library, monkeypatch):
    """Issue 19: the catalogue is one task after every handout; each handout's worker prepares its
    thumbnail into the picture cache beforehand, and the catalogue is the same bytes either way."""
    import handouts.render.catalogue as catalogue

    asked: list[str] = []
    real = catalogue.prepare_thumbnail
    monkeypatch.setattr(catalogue, "prepare_thumbnail", lambda file, assets: (asked.append(file), real(file, assets)))
    _build(library)  # broken.yaml has errors: no handout, and no row
    assert asked == ["red.png"]  # the one exercise with a picture
    warmed = (library / "output" / "catalogue.pdf").read_bytes()
    asked.clear()
    assert build(BuildOptions(library / "content", library / "assets", library / "output", incremental=False,
                              files=(library / "content" / "bridge.yaml",))).ok
    assert asked == []  # a build of some files makes no catalogue
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(library / "empty-cache"))
    monkeypatch.setattr(catalogue, "prepare_thumbnail", lambda file, assets: None)
    build(BuildOptions(library / "content", library / "assets", library / "output", incremental=False))
    assert (library / "output" / "catalogue.pdf").read_bytes() == warmed  # made from scratch, the same bytes
