"""Previews: each handout's first page and each program's cover as a ~600 px PNG, made from the PDF the build wrote.

Read back as pictures (Pillow) and checked against the PDF (pdfplumber finds where the title
is; the preview must have its ink there); made again exactly when the PDF's bytes change.
"""

from __future__ import annotations

import os
import shutil
import stat
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from handouts.build.run import BuildOptions, build
from handouts.render.preview import PREVIEW_WIDTH, first_page_png

REPO = Path(__file__).resolve().parents[1]
SAMPLE = "reclining-lower-trunk-extensor-stretch"
OTHER = "seated-knee-extension"


@dataclass
class Project:
    root: Path

    @property
    def out(self) -> Path:
        return self.root / "output"

    def source(self, exercise_id: str) -> Path:
        return self.root / "content" / f"{exercise_id}.yaml"

    def preview(self, exercise_id: str) -> Path:
        return self.out / "previews" / f"{exercise_id}.png"

    def program_preview(self, name: str = "example-client") -> Path:
        return self.out / "previews" / "programs" / f"{name}.png"

    def build(self, **changes):
        options = BuildOptions(content_dir=self.root / "content", assets_dir=self.root / "assets", out_dir=self.out,
                               programs=(self.root / "programs" / "example-client.yaml",),
                               **{"previews": True, **changes})
        report = build(options)
        assert report.ok, report.errors
        return report


@pytest.fixture
def project(tmp_path) -> Project:
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    shutil.copytree(REPO / "programs", tmp_path / "programs")
    (tmp_path / "content").mkdir()
    shutil.copy(REPO / "content" / f"{SAMPLE}.yaml", tmp_path / "content")
    shutil.copy(REPO / "tests" / "data" / "exercises" / f"{OTHER}.yaml", tmp_path / "content")
    return Project(tmp_path)


def ink(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """The share of *box*'s pixels (left, top, right, bottom) darker than mid-grey."""
    histogram = image.convert("L").crop(tuple(round(v) for v in box)).histogram()
    return sum(histogram[:128]) / max(sum(histogram), 1)


def png_chunks(data: bytes) -> list[bytes]:
    chunks, at = [], 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.append(kind)
        at += 12 + length
    return chunks


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_preview_per_handout_and_program_600_px_wide_in_the_page_s_proportions(project, paper):
    project.build(paper=paper)
    for png, pdf in [(project.preview(SAMPLE), project.out / "handouts" / f"{SAMPLE}.pdf"),
                     (project.preview(OTHER), project.out / "handouts" / f"{OTHER}.pdf"),
                     (project.program_preview(), project.out / "programs" / "example-client.pdf")]:
        with pdfplumber.open(pdf) as document:
            page = document.pages[0]
            width, height = float(page.width), float(page.height)
        with Image.open(png) as image:
            assert image.format == "PNG" and image.width == PREVIEW_WIDTH
            assert abs(image.height - PREVIEW_WIDTH * height / width) <= 1, (png, image.size)
        assert png.stat().st_size < 150_000, png  # fit for an email body
    assert sorted(p.name for p in (project.out / "previews").glob("*.png")) == [f"{SAMPLE}.png", f"{OTHER}.png"]


def test_the_title_s_ink_is_where_the_title_is(project):
    project.build()
    pdf = project.out / "handouts" / f"{SAMPLE}.pdf"
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        biggest = max(c["size"] for c in page.chars)
        title = [c for c in page.chars if c["size"] == biggest]
        scale = PREVIEW_WIDTH / float(page.width)
    box = (min(c["x0"] for c in title) * scale, min(c["top"] for c in title) * scale,
           max(c["x1"] for c in title) * scale, max(c["bottom"] for c in title) * scale)
    with Image.open(project.preview(SAMPLE)) as image:
        assert ink(image, box) > 0.15  # bold letters fill a good share of their line
        above = (box[0], 0, box[2], box[1] - 4)  # the top margin, above the title: blank paper
        assert ink(image, above) == 0
        below_footer = (0, image.height - 12, image.width, image.height)
        assert ink(image, below_footer) == 0


def test_remade_when_the_pdf_changes_and_not_otherwise(project):
    project.build()
    preview = project.preview(SAMPLE)
    before, stamp = preview.read_bytes(), preview.stat().st_mtime_ns
    report = project.build()
    assert preview.stat().st_mtime_ns == stamp and report.unchanged == 3
    # a comment changes the content file, so the handout is made again, to the same bytes: the preview stays
    source = project.source(SAMPLE)
    source.write_text(source.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    report = project.build()
    assert report.written == [project.out / "handouts" / f"{SAMPLE}.pdf"]
    assert preview.stat().st_mtime_ns == stamp
    # a new title: a new page, a new preview
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: Reclining Lower Trunk Extensor Stretch", "title: Knees To One Side"),
                      encoding="utf-8")
    project.build()
    assert preview.read_bytes() != before
    # a preview deleted is made again alone, the same bytes as before
    made = preview.read_bytes()
    preview.unlink()
    report = project.build()
    assert report.written == [] and preview.read_bytes() == made


def test_removed_when_its_content_file_goes(project):
    project.build()
    project.source(OTHER).unlink()
    report = project.build()
    assert project.preview(OTHER) in report.removed_orphans and not project.preview(OTHER).exists()
    assert project.preview(SAMPLE).exists()


def test_a_named_file_build_makes_its_preview_and_removes_none(project):
    project.build()
    project.source(OTHER).unlink()
    options = dict(files=(project.source(SAMPLE),), deck=False)
    project.build(**options)
    assert project.preview(OTHER).exists()  # only a whole build removes what is gone


def test_program_previews_are_owner_only(project):
    project.build()
    mode = lambda p: stat.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(project.program_preview()) == 0o600
    assert mode(project.out / "previews" / "programs") == 0o700
    assert mode(project.out / "previews") & 0o055  # the handouts' previews: for a web page, anyone reads them
    assert mode(project.preview(SAMPLE)) & 0o044


def test_the_same_pdf_gives_the_same_png_with_no_time_in_it(project):
    project.build()
    first = {p: p.read_bytes() for p in sorted((project.out / "previews").rglob("*.png"))}
    shutil.rmtree(project.out)
    project.build(incremental=False)
    assert {p: p.read_bytes() for p in sorted((project.out / "previews").rglob("*.png"))} == first
    for data in first.values():
        assert png_chunks(data) == [b"IHDR", b"PLTE", b"IDAT", b"IEND"] or \
            set(png_chunks(data)) <= {b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND"}
    pdf = (project.out / "handouts" / f"{SAMPLE}.pdf").read_bytes()
    assert first_page_png(pdf) == first_page_png(pdf)


def test_the_email_edition_makes_none(project):
    project.build(edition="email")
    assert not (project.out / "previews").exists()


def test_handouts_program_makes_the_program_s_preview(project):
    from handouts.build.run import build_programs
    options = BuildOptions(content_dir=project.root / "content", assets_dir=project.root / "assets",
                           out_dir=project.out, programs=(project.root / "programs" / "example-client.yaml",),
                           previews=True)
    assert build_programs(options).ok
    assert project.program_preview().exists() and not (project.out / "handouts").exists()
    assert not project.preview(SAMPLE).exists()


def test_a_build_that_asks_for_none_makes_none_and_leaves_those_made_before(project):
    """Issue 19: drawing the previews was half of a cold build's CPU, and only the front desk shows
    them, so a plain build makes none.  One that asks for none after one that made them (the front
    desk's) leaves them where they are: the next front-desk build brings them up to date."""
    project.build(previews=False)
    assert (project.out / "handouts" / f"{SAMPLE}.pdf").exists() and not (project.out / "previews").exists()
    project.build()
    made = {p: p.read_bytes() for p in sorted((project.out / "previews").rglob("*.png"))}
    assert len(made) == 3  # two handouts' and the program's
    project.build(previews=False, incremental=False)
    assert {p: p.read_bytes() for p in sorted((project.out / "previews").rglob("*.png"))} == made


def test_the_command_line_draws_them_when_asked(project, monkeypatch, capsys):
    from handouts.cli import main

    monkeypatch.chdir(project.root)
    assert main(["build", "--jobs", "1"]) == 0
    assert not (project.root / "output" / "previews").exists()
    assert main(["build", "--jobs", "1", "--previews"]) == 0
    assert (project.root / "output" / "previews" / f"{SAMPLE}.png").read_bytes().startswith(b"\x89PNG")
    assert (project.root / "output" / "previews" / "programs" / "example-client.png").exists()
    capsys.readouterr()
    assert main(["build", "--for", "email", "--previews"]) == 2
    assert "--for email makes no previews" in capsys.readouterr().err


def test_pdfium_is_loaded_only_to_make_a_preview():
    code = "import sys, handouts.build.run, handouts.cli; print('pypdfium2' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.strip() == "False"


def test_a_plain_build_removes_the_previews_of_what_is_gone(project):
    """A front-desk build drew them; a plain build (no previews) after the exercise or the program was
    deleted removes them all the same: a program's preview shows its client's name."""
    project.build()
    assert project.preview(OTHER).exists() and project.program_preview().exists()
    (project.root / "content" / f"{OTHER}.yaml").unlink()
    (project.root / "programs" / "example-client.yaml").unlink()
    report = build(BuildOptions(content_dir=project.root / "content", assets_dir=project.root / "assets",
                                out_dir=project.out, programs=()))
    assert report.ok
    assert not project.preview(OTHER).exists() and not project.program_preview().exists()
    assert project.preview(SAMPLE).exists()  # its exercise is still there: left as it is
    assert {(r.path.name, r.why) for r in report.removed} >= {(f"{OTHER}.png", "its content file is gone"),
                                                              ("example-client.png", "its program file is gone")}
