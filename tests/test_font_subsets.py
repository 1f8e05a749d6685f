"""Reused font subsets write the very bytes ReportLab writes without them, and are reused.

:mod:`handouts.style.font_subsets` keeps each subset of a font, its compressed streams and its
widths, made in one document, for the next documents of the process.  Here real builds (in this
process: ``jobs=1``; marked slow) of a small library are made with the caches off, then on twice
(the first fills them, and repeats subsets between its own documents; the second finds them all),
and every file must be byte-identical: handouts, card files, the deck, the catalogue and a program, on
Letter and A4, in large print and in the email edition, with text in Greek (a long run: two
subsets of Inter), Hebrew and Arabic set in the fallback fonts, bold ones among them.  The
counts prove the caches were used, so that a cache that is never hit cannot pass for one that works.
The quick tests at the end do the same on single handouts.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pypdf
import pytest

from conftest import EXERCISE_FILES, REPO
from handouts.build.run import BuildOptions, build
from handouts.content.clinic import load_clinic
from handouts.render.exercise import render_handout
from handouts.content.exercise import validate
from handouts.content.load import load_file
from handouts.style import font_subsets
from handouts.style.font_subsets import Counts, Recent, subset_caching
from handouts.style.fonts import fonts
from handouts.style.theme import DEFAULT_THEME, large_print

EPOCH = "1767225600"  # 2026-01-01 00:00 UTC
TABLES = {"subsets": font_subsets.SUBSETS, "streams": font_subsets.STREAMS, "widths": font_subsets.WIDTHS}



def many_letters(count: int = 200) -> str:
    """*count* Greek and Cyrillic letters that Atkinson Hyperlegible lacks and Inter draws, in words of ten.

    More than the 159 other characters than ASCII that a font's first subset holds (ReportLab gives
    them codes 1-31 and 128-255), so Inter needs a second subset in the document they are in."""
    font_set = fonts()
    letters = [chr(code) for code in range(0x0370, 0x0530) if chr(code).isalpha()
               and not font_set.covers_primary(chr(code)) and code in font_set.fallbacks[0].chars][:count]
    assert len(letters) == count
    return " ".join("".join(letters[i:i + 10]) for i in range(0, count, 10))


#: id -> (title, a step): fallback text in the bold title and in the regular steps
SCRIPTS = {
    "greek": ("Έκταση ισχίου", f"Read the letters aloud: {many_letters()}."),
    "hebrew": ("מתיחת ירך", "שכבו על הגב והרימו את הברך."),
    "arabic": ("تمرين الورك", "استلق على ظهرك وارفع الركبة."),
}
#: (paper, theme, edition) of each build compared
VARIANTS = {
    "letter": ("letter", DEFAULT_THEME, "print"),
    "a4": ("a4", DEFAULT_THEME, "print"),
    "a4-large-print": ("a4", large_print(DEFAULT_THEME), "print"),
    "letter-email": ("letter", DEFAULT_THEME, "email"),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Path:
    """The sample exercise, the test exercises and one exercise per script, a clinic and a program."""
    root = tmp_path_factory.mktemp("subsets")
    (root / "content").mkdir()
    (root / "programs").mkdir()
    shutil.copytree(REPO / "assets", root / "assets")
    for path in EXERCISE_FILES.values():
        shutil.copy(path, root / "content" / path.name)
    for exercise_id, (title, step) in SCRIPTS.items():
        (root / "content" / f"{exercise_id}.yaml").write_text(
            f'title: "{title}"\ninstructions:\n  - "{step}"\n  - Breathe out slowly.\n'
            f'faq:\n  - question: "{title}?"\n    answer: "{step}"\n', encoding="utf-8")
    (root / "clinic.yaml").write_text("name: Klinik Ωmega\nphone: 555 0100\n", encoding="utf-8")
    exercises = "".join(f"  - {i}\n" for i in ("greek", "hebrew", "arabic", "spanish-bridge", *EXERCISE_FILES))
    (root / "programs" / "client.yaml").write_text(
        f"client: Ελένη Δήμου\ndate: 2026-11-25\nexercises:\n{exercises}", encoding="utf-8")
    return root


def build_files(library: Path, out: Path, variant: str) -> dict[str, str]:
    """Build *library* into *out* as *variant* (everything again: not incremental); the SHA-256 of every
    file made, by its path under *out*."""
    paper, theme, edition = VARIANTS[variant]
    clinic, problems = load_clinic(library / "clinic.yaml")
    assert clinic is not None, problems
    report = build(BuildOptions(content_dir=library / "content", assets_dir=library / "assets", out_dir=out,
                                paper=paper, theme=theme, edition=edition, clinic=clinic, incremental=False,
                                programs=(library / "programs" / "client.yaml",)))
    assert not report.errors, report.errors
    files = {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(out.rglob("*")) if p.is_file() and ".cache" not in p.parts and p.suffix != ".json"}
    assert any(name.endswith(".pdf") for name in files), files
    return files


@dataclass(frozen=True)
class Compared:
    """One variant built three times into one folder (its pictures prepared once): the files' digests."""

    plain: dict[str, str]      # the caches off
    filling: dict[str, str]    # on, empty at the start
    filled: dict[str, str]     # on again, with what the first build kept
    counts: dict[str, Counts]  # each table's counts after the three builds
    off_counts: Counts         # the subsets' counts after the build with the caches off
    out: Path


@pytest.fixture(scope="module", params=VARIANTS)
def compared(request, library, tmp_path_factory) -> Compared:
    out = tmp_path_factory.mktemp(request.param)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        font_subsets.clear()
        with subset_caching(False):
            plain = build_files(library, out, request.param)
        off_counts = replace(font_subsets.SUBSETS.counts)
        with subset_caching(True):
            filling = build_files(library, out, request.param)
            filled = build_files(library, out, request.param)
    counts = {name: replace(table.counts) for name, table in TABLES.items()}
    return Compared(plain, filling, filled, counts, off_counts, out)


@pytest.mark.slow
def test_the_same_bytes_with_the_caches_on_and_off(compared):
    assert compared.filling == compared.plain
    assert compared.filled == compared.plain


@pytest.mark.slow
def test_the_builds_used_the_caches(compared):
    assert compared.off_counts == Counts()  # off is off
    for name, counts in compared.counts.items():
        assert counts.misses > 0 and counts.hits > counts.misses, (name, counts)


@pytest.mark.slow
def test_the_builds_embed_fallback_fonts_in_more_than_one_subset(compared):
    """What the comparison covers: Inter (bold and regular), Heebo and Noto Sans Arabic, and a second
    subset of Inter for the Greek and Cyrillic letters that do not fit in the first."""
    program = next(compared.out.rglob("client.pdf"))
    fonts = {str(font.get_object()["/BaseFont"])
             for page in pypdf.PdfReader(program).pages
             for font in page["/Resources"]["/Font"].values()}
    assert {"/AAAAAA+Inter-Regular", "/AAAAAB+Inter-Regular", "/AAAAAA+Inter-Bold", "/AAAAAA+Heebo-Regular",
            "/AAAAAA+Heebo-Bold", "/AAAAAA+NotoSansArabic-Regular", "/AAAAAA+NotoSansArabic-Bold"} <= fonts, fonts


def render(exercise: str, out: Path) -> bytes:
    """One exercise's Letter handout, its pictures prepared under *out*."""
    path = EXERCISE_FILES[exercise]
    ex, _ = validate(load_file(path), path.stem)
    pdf, _ = render_handout(ex, REPO / "assets", out, "letter", DEFAULT_THEME)
    return pdf


def test_a_second_document_reuses_the_subsets_of_the_first(tmp_path):
    font_subsets.clear()
    first = render("three-step-wall-push", tmp_path)
    made = {name: table.counts.misses for name, table in TABLES.items()}
    assert made["subsets"] >= 2 and made["streams"] == 2 * made["subsets"] and made["widths"] >= 2, made
    assert render("three-step-wall-push", tmp_path) == first
    assert font_subsets.SUBSETS.counts.misses == made["subsets"]  # nothing made again...
    assert font_subsets.SUBSETS.counts.hits == made["subsets"]    # ...every subset reused
    assert font_subsets.STREAMS.counts.hits == made["streams"]
    assert font_subsets.WIDTHS.counts.hits == made["widths"]


def test_handouts_in_turn_are_the_same_with_the_caches_off_on_and_on_an_unknown_reportlab(tmp_path, monkeypatch):
    """Different subsets (ASCII alone; with accents, arrows and Greek in the fallback font) one after
    the other, each made and then reused: each document gets its own, as without the caches."""
    order = ["three-step-wall-push", "symbols-ankle", "spanish-bridge", "three-step-wall-push", "symbols-ankle"]
    with subset_caching(False):
        plain = [render(exercise, tmp_path) for exercise in order]
    assert len(set(plain)) == 3
    font_subsets.clear()
    first = [render(exercise, tmp_path) for exercise in order[:3]]
    made = replace(font_subsets.SUBSETS.counts)
    again = [render(exercise, tmp_path) for exercise in order[3:]]
    assert first + again == plain
    assert made.misses > 2  # a subset for each font of each document
    assert font_subsets.SUBSETS.counts.misses == made.misses  # the last two documents' were all reused
    assert font_subsets.SUBSETS.counts.hits >= made.hits + 4
    font_subsets.clear()
    monkeypatch.setattr(font_subsets, "REPORTLAB_FITS", False)
    assert [render(exercise, tmp_path) for exercise in order] == plain
    assert font_subsets.SUBSETS.counts == font_subsets.STREAMS.counts == font_subsets.WIDTHS.counts == Counts()


def test_the_installed_reportlab_is_one_the_caches_know():
    assert font_subsets.REPORTLAB_FITS


def test_recent_keeps_the_last_used_entries_and_counts():
    recent = Recent(2)
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or key.upper()

    assert [recent.get(k, make(k)) for k in ("a", "b", "a", "c", "b", "a")] == ["A", "B", "A", "C", "B", "A"]
    # "b" was the least recently used when "c" came; then "a" was, when "b" came back
    assert made == ["a", "b", "c", "b", "a"]
    assert len(recent) == 2
    assert (recent.counts.hits, recent.counts.misses) == (1, 5)
