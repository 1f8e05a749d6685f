"""--large-print: body text at 16 pt or more, one column, and a second page (the back of the
sheet) only when the exercise needs it, numbered "Page 1 of 2"."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pdfplumber
import pypdf

from reading_order import list_items
import pytest

from conftest import EXERCISE_FILES, REPO, SEED, exercise_data, normalise
from handouts.build.run import BuildOptions, build
from handouts.style.theme import DEFAULT_THEME, large_print

LARGE = large_print(DEFAULT_THEME)
IDS = [SEED, "spanish-bridge", "symbols-ankle", "three-step-wall-push", "seated-knee-extension"]


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    out = tmp_path_factory.mktemp("large")
    report = build(BuildOptions(files=tuple(EXERCISE_FILES[i] for i in IDS), assets_dir=REPO / "assets",
                                out_dir=out, theme=LARGE))
    assert not report.errors, report.errors
    return {Path(p).stem: Path(p) for p in report.written}, report


def body_sizes(pdf: Path) -> Counter:
    """Characters per type size, on every page, without the footer's small print."""
    sizes: Counter = Counter()
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for char in page.chars:
                if char["top"] < page.height - 100 and char["text"].strip():
                    sizes[round(char["size"], 1)] += 1
    return sizes


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_body_text_is_16_pt_or_more(large, exercise_id):
    pdfs, _ = large
    sizes = body_sizes(pdfs[exercise_id])
    most_used = sizes.most_common(1)[0][0]
    assert most_used >= 16
    body = sum(n for size, n in sizes.items() if size >= 16)
    assert body / sum(sizes.values()) > 0.85, sizes
    assert min(sizes) >= 13, sizes  # the smallest: the dose strip's labels and the meta line


def test_short_exercises_stay_one_page_and_long_ones_take_two(large):
    pdfs, _ = large
    pages = {i: len(pypdf.PdfReader(pdfs[i]).pages) for i in IDS}
    assert pages["three-step-wall-push"] == 1 and pages["seated-knee-extension"] == 1
    assert pages[SEED] == 2 and pages["symbols-ankle"] == 2


def test_two_pages_say_page_1_of_2_and_ask_for_duplex(large):
    pdfs, _ = large
    reader = pypdf.PdfReader(pdfs["symbols-ankle"])
    texts = [normalise(page.extract_text()) for page in reader.pages]
    assert "Page 1 of 2" in texts[0] and "Page 2 of 2" in texts[1]
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"
    assert "(continued)" in texts[1]
    one = pypdf.PdfReader(pdfs["three-step-wall-push"])
    assert "Page 1 of" not in one.pages[0].extract_text()
    assert "/Duplex" not in one.trailer["/Root"].get("/ViewerPreferences", {})


def test_every_step_and_tip_is_printed_in_order_across_the_pages(large):
    pdfs, _ = large
    for exercise_id in (SEED, "symbols-ankle"):
        text = normalise(" ".join(p.extract_text() for p in pypdf.PdfReader(pdfs[exercise_id]).pages))
        data = exercise_data(exercise_id)
        at = 0
        for item in data["instructions"] + (data.get("tips") or []):
            words = normalise(item).split()
            found = text.find(" ".join(words[-3:]), at)
            assert found >= 0, item
            at = found


def test_one_column_of_comfortable_measure(large):
    pdfs, _ = large
    with pdfplumber.open(pdfs[SEED]) as doc:
        page = doc.pages[0]
        body = [w for w in page.extract_words(extra_attrs=["size"]) if 15.5 < w["size"] < 19]
        lefts = Counter(round(w["x0"]) for w in body)
        assert lefts.most_common(1)[0][0] <= 66  # lines start at the left margin (after step numbers)
        lines: dict[float, list] = {}
        for w in body:
            lines.setdefault(round(w["top"]), []).append(w)
        longest = max(len(" ".join(x["text"] for x in ws)) for ws in lines.values())
        assert 50 <= longest <= 80  # about 60-70 characters a line: one column, never two


def test_the_same_input_gives_the_same_bytes(large, tmp_path):
    pdfs, _ = large
    report = build(BuildOptions(files=(EXERCISE_FILES["symbols-ankle"],), assets_dir=REPO / "assets",
                                out_dir=tmp_path, theme=LARGE))
    assert report.written[0].read_bytes() == pdfs["symbols-ankle"].read_bytes()


def test_large_print_takes_the_pages_a_long_exercise_needs(tmp_path):
    """16 steps, 14 tips and 8 paragraphs: never refused, on as many pages as it needs, each step whole."""
    report = build(BuildOptions(files=(EXERCISE_FILES["long-shoulder-rehab"],), assets_dir=REPO / "assets",
                                out_dir=tmp_path, theme=LARGE))
    assert report.errors == [] and not [w for w in report.warnings if not w.notice]
    (pdf,) = report.written
    pages = len(pypdf.PdfReader(pdf).pages)
    assert pages > 2
    assert [w.notice for w in report.warnings if w.notice == "pages"] == ["pages"]
    numbers = [i for i in list_items(pdf, r"\d+\.", bold=True)]
    assert sorted(int(i.marker[:-1]) for i in numbers) == list(range(1, 17))
    assert all(len({line.page for line in item.lines}) == 1 for item in numbers)  # no step split across pages


def test_the_cli_flag(tmp_path, capsys):
    from handouts.cli import main

    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(EXERCISE_FILES["symbols-ankle"], content)
    assert main(["build", "--large-print", "--content", str(content), "--out", str(tmp_path / "out"),
                 "--assets", str(REPO / "assets")]) == 0
    assert len(pypdf.PdfReader(tmp_path / "out" / "handouts" / "symbols-ankle.pdf").pages) == 2


def test_a_program_can_ask_for_large_print_for_its_client(tmp_path):
    """``large_print: true`` in a program: that client's pages are large print on any build."""
    from handouts.cli import main

    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(EXERCISE_FILES["three-step-wall-push"], content)
    programs = tmp_path / "programs"
    programs.mkdir()
    (programs / "ada.yaml").write_text("client: Ada\nlarge_print: true\nexercises: [three-step-wall-push]\n",
                                       encoding="utf-8")
    (programs / "bo.yaml").write_text("client: Bo\nexercises: [three-step-wall-push]\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--out", str(tmp_path / "out"),
                 "--assets", str(REPO / "assets")]) == 0

    def handout_body_size(name: str) -> float:
        with pdfplumber.open(tmp_path / "out" / "programs" / f"{name}.pdf") as doc:
            page = doc.pages[2]  # cover, its Notes page, then the handout
            sizes = Counter(round(c["size"], 1) for c in page.chars if c["top"] < page.height - 100)
            return sizes.most_common(1)[0][0]

    assert handout_body_size("ada") >= 16
    assert 12 <= handout_body_size("bo") <= 14  # a short exercise's type grows to use the page
    with pdfplumber.open(tmp_path / "out" / "handouts" / "three-step-wall-push.pdf") as doc:
        assert 12 <= Counter(round(c["size"], 1) for c in doc.pages[0].chars).most_common(1)[0][0] <= 14
