"""Golden renders: a few handouts and card sheets rendered to pixels and compared with a stored picture.

The read-back tests check what is on the page; these catch what they cannot name: a
box drawn in the wrong place, a picture gone, spacing that drifted.  The comparison
allows the small anti-aliasing differences between renderer versions.
Regenerate after an intended layout change with ``HANDOUTS_REGEN=1 pytest tests/test_golden.py``
and look at the new PNGs before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from handouts.build.run import BuildOptions, build, build_programs
from handouts.content.clinic import Clinic
from handouts.style.theme import DEFAULT_THEME, large_print

pdfium = pytest.importorskip("pypdfium2")

REPO = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden"
SEED = REPO / "content" / "reclining-lower-trunk-extensor-stretch.yaml"
LONG = REPO / "tests" / "data" / "exercises" / "long-shoulder-rehab.yaml"
PROGRAM = REPO / "programs" / "example-client.yaml"
CLINIC = Clinic(source="clinic.yaml", name="Riverside Physiotherapy", phone="555 0100",
                email="hello@riverside.example", website="riverside.example",
                address="12 Mill Lane, Riverside RS1 2AB")
#: name -> (content file, paper, what to render: a handout or a page of the card file, build options)
CASES = {
    "seed-letter": (SEED, "letter", ("handout", 0), {}),
    "three-step-a4": (REPO / "tests" / "data" / "exercises" / "three-step-wall-push.yaml", "a4", ("handout", 0), {}),
    "long-letter": (LONG, "letter", ("handout", 0), {}),
    "cards-front-letter": (SEED, "letter", ("cards", 0), {}),
    "cards-back-letter": (SEED, "letter", ("cards", 1), {}),
    "cards-continued-back-a4": (LONG, "a4", ("cards", 1), {}),
    "cards-fold-index-letter": (SEED, "letter", ("cards", 0), {"card_size": "index", "fold": True}),
    "large-print-seed-page-1": (SEED, "letter", ("handout", 0), {"theme": large_print(DEFAULT_THEME)}),
    "large-print-seed-page-2": (SEED, "letter", ("handout", 1), {"theme": large_print(DEFAULT_THEME)}),
    "program-cover-a4": (PROGRAM, "a4", ("program", 0), {"clinic": CLINIC}),
    "program-handout-a4": (PROGRAM, "a4", ("program", 2), {"clinic": CLINIC}),
}
DPI = 50
#: Mean difference per pixel (0-255) and share of clearly different pixels tolerated.
MAX_MEAN_DIFF = 1.5
MAX_CHANGED_SHARE = 0.01


def render(pdf: Path, page_index: int = 0) -> Image.Image:
    page = pdfium.PdfDocument(str(pdf))[page_index]
    return page.render(scale=DPI / 72).to_pil().convert("L")


@pytest.mark.parametrize("case", sorted(CASES))
def test_render_matches_golden(case, tmp_path):
    source, paper, (kind, page_index), options = CASES[case]
    if kind == "program":
        report = build_programs(BuildOptions(content_dir=REPO / "content", assets_dir=REPO / "assets",
                                             out_dir=tmp_path, paper=paper, programs=(source,), program_only=True,
                                             **options))
    else:
        report = build(BuildOptions(files=(source,), assets_dir=REPO / "assets", out_dir=tmp_path, paper=paper,
                                    **options))
    assert report.ok, report.errors
    actual = render({"handout": report.written, "cards": report.cards, "program": report.programs}[kind][0],
                    page_index)
    golden_path = GOLDEN / f"{case}.png"
    if os.environ.get("HANDOUTS_REGEN") == "1" or not golden_path.exists():
        if os.environ.get("CI") and not golden_path.exists():
            pytest.fail(f"{golden_path} is missing; generate it with HANDOUTS_REGEN=1 and commit it")
        GOLDEN.mkdir(exist_ok=True)
        actual.save(golden_path, optimize=True)
        pytest.skip(f"regenerated {golden_path.name}")
    expected = Image.open(golden_path).convert("L")
    assert actual.size == expected.size
    diff = ImageChops.difference(actual, expected)
    changed = sum(diff.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (diff.width * diff.height)
    mean = ImageStat.Stat(diff).mean[0]
    if mean > MAX_MEAN_DIFF or changed > MAX_CHANGED_SHARE:
        actual.save(tmp_path / f"{case}-actual.png")
        diff.save(tmp_path / f"{case}-diff.png")
    assert mean <= MAX_MEAN_DIFF, f"mean pixel difference {mean:.2f}; see {tmp_path}"
    assert changed <= MAX_CHANGED_SHARE, f"{changed:.2%} of pixels differ; see {tmp_path}"
