"""Bold text keeps its fallback letters bold, read back from the PDFs of a real build.

Atkinson Hyperlegible lacks the Turkish "İ", Vietnamese "ầ", Hebrew and Arabic: they are set in
Inter, Heebo and Noto Sans Arabic, whose bold faces are static instances of their variable
fonts.  A small library (``handouts build`` on tmp_path, with a clinic and a program) carries
such letters in every kind of bold text that holds typed text: a handout's title, a card's
question, the clinic's name in the footer, and on a program's cover the client, the clinic and
the exercises' titles; and, as the control, in regular text beside them.  pdfplumber names each
character's font; every fallback letter in bold text must be drawn in a bold face.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import arabic_reshaper
import pdfplumber
import pytest
from bidi import get_display
from pypdf import PdfReader

from conftest import REPO
from handouts.cli import main
from test_hostile_text import glyph_problems

EPOCH = "1767225600"  # 2026-01-01 00:00 UTC

#: id -> (title, a FAQ question, the face its fallback letters are drawn in when bold)
EXERCISES = {
    "iliopsoas": ("İLİOPSOAS STRETCH", "Is İLİOPSOAS a hip flexor?", "Inter-Bold"),
    "cau-thang": ("Cầu thang", "Cầu thang có an toàn không?", "Inter-Bold"),
    "hebrew": ("מתיחת ירך", "מתיחת ירך?", "Heebo-Bold"),
    "arabic": ("تمرين الورك", "تمرين الورك؟", "NotoSansArabic-Bold"),
}
CLINIC = "Klinik İzmir"
CLIENT = "İpek Yılmaz"
SUMMARY = "Stretches the İliopsoas gently."   # regular text: its İ stays regular
ANSWER = "Yes, the İliopsoas is."
NOTE = "Sağ bacak İlk."                        # the program's note for an exercise, regular

FALLBACK_FACES = {"Inter", "Heebo", "NotoSansArabic"}


def make_library(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "programs").mkdir()
    for exercise_id, (title, question, _) in EXERCISES.items():
        (root / "content" / f"{exercise_id}.yaml").write_text(
            f'title: "{title}"\nsummary: "{SUMMARY}"\ninstructions:\n  - Kneel on one knee.\n'
            f'faq:\n  - question: "{question}"\n    answer: "{ANSWER}"\n', encoding="utf-8")
    (root / "clinic.yaml").write_text(f"name: {CLINIC}\nphone: 555 0100\n", encoding="utf-8")
    exercises = "".join(f"  - {i}\n" for i in EXERCISES).replace("  - iliopsoas\n",
                                                                   f"  - id: iliopsoas\n    notes: {NOTE}\n")
    (root / "programs" / "ipek.yaml").write_text(f"client: {CLIENT}\ndate: 2026-11-25\nexercises:\n{exercises}",
                                                 encoding="utf-8")
    return root


def build_args(root: Path, out: Path, jobs: int = 1) -> list[str]:
    return ["build", "--content", str(root / "content"), "--assets", str(root / "assets"), "--out", str(out),
            "--jobs", str(jobs)]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    root = make_library(tmp_path_factory.mktemp("bold"))
    assert main(build_args(root, root / "out")) == 0
    return root / "out"


# --- reading the characters back ------------------------------------------------------------------

def face(char: dict) -> str:
    """The font's PostScript name without the subset tag: ``Inter-Bold``."""
    return char["fontname"].split("+", 1)[-1]


def is_fallback(char: dict) -> bool:
    return face(char).split("-")[0] in FALLBACK_FACES


def seen(text: str) -> str:
    """*text* as it stands on the page, left to right: Arabic joined, right-to-left runs reversed."""
    return get_display(arabic_reshaper.reshape(text))


def page_chars(path: Path, page: int = 0) -> list[dict]:
    with pdfplumber.open(path) as pdf:
        return list(pdf.pages[page].chars)


def biggest(chars: list[dict]) -> list[dict]:
    """The characters set at the page's largest size (a handout's title, a card's question)."""
    size = max(c["size"] for c in chars)
    return [c for c in chars if c["size"] == size]


def occurrences(chars: list[dict], text: str) -> list[list[dict]]:
    """Every run of characters drawn one after another that spells *text* as seen."""
    shown, drawn = seen(text), "".join(c["text"] for c in chars)
    found, start = [], drawn.find(shown)
    while start >= 0:
        found.append(chars[start:start + len(shown)])
        start = drawn.find(shown, start + 1)
    return found


def assert_bold(chars: list[dict], bold_face: str) -> None:
    """Bold text: its letters are Atkinson Hyperlegible Bold, its fallback letters *bold_face*."""
    letters = [c for c in chars if not c["text"].isspace()]
    fallback = [c for c in letters if is_fallback(c)]
    assert fallback, "the text has fallback letters"
    assert {face(c) for c in fallback} == {bold_face}, [(c["text"], face(c)) for c in fallback]
    assert {face(c) for c in letters if not is_fallback(c)} <= {"AtkinsonHyperlegible-Bold"}


def assert_regular(chars: list[dict]) -> None:
    fallback = [c for c in chars if is_fallback(c)]
    assert fallback and all(face(c).endswith("-Regular") for c in fallback), [(c["text"], face(c)) for c in chars]


# --- the places bold text carries typed text ---------------------------------------------------------

@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_handouts_title_prints_its_fallback_letters_bold(out, exercise_id):
    title, _, bold_face = EXERCISES[exercise_id]
    chars = biggest(page_chars(out / "handouts" / f"{exercise_id}.pdf"))
    assert "".join(c["text"] for c in chars) == seen(title)
    assert_bold(chars, bold_face)


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_a_cards_question_prints_its_fallback_letters_bold(out, exercise_id):
    _, question, bold_face = EXERCISES[exercise_id]
    front = biggest(page_chars(out / "cards" / f"{exercise_id}.pdf", 0))
    assert "".join(c["text"] for c in front) == seen(question)
    assert_bold(front, bold_face)
    (answer,) = occurrences(page_chars(out / "cards" / f"{exercise_id}.pdf", 1), ANSWER)
    assert_regular(answer)


def test_the_deck_prints_the_same_questions_bold(out):
    chars = page_chars(out / "deck.pdf", 0)
    for _, question, bold_face in EXERCISES.values():
        (found,) = occurrences(chars, question)
        assert_bold(found, bold_face)


def test_the_clinics_name_in_a_handouts_footer_is_bold_and_the_summary_regular(out):
    chars = page_chars(out / "handouts" / "iliopsoas.pdf")
    (name,) = occurrences(chars, CLINIC)
    assert_bold(name, "Inter-Bold")
    (summary,) = occurrences(chars, SUMMARY)
    assert_regular(summary)


def test_a_programs_cover_prints_the_client_clinic_and_titles_bold(out):
    chars = page_chars(out / "programs" / "ipek.pdf", 0)
    (client,) = occurrences(chars, CLIENT)
    assert_bold(client, "Inter-Bold")
    (clinic,) = occurrences(chars, CLINIC)
    assert_bold(clinic, "Inter-Bold")
    for title, _, bold_face in EXERCISES.values():
        in_table, *in_log = occurrences(chars, title)  # the exercises' table, bold; the tick log, regular
        assert_bold(in_table, bold_face)
        for found in in_log + occurrences(chars, "İLİOPSOAS")[1:]:  # the log's title may wrap
            assert_regular(found)
    (note,) = occurrences(chars, NOTE)
    assert_regular(note)


def test_a_programs_handout_pages_name_the_client_bold(out):
    chars = page_chars(out / "programs" / "ipek.pdf", 2)  # the cover, its back, then the first handout
    (banner,) = occurrences(chars, CLIENT)
    assert_bold(banner, "Inter-Bold")


def test_every_fallback_letter_has_its_glyph_in_an_embedded_subset_font(out):
    pdfs = sorted(out.rglob("*.pdf"))
    assert {p.name for p in pdfs} >= {"iliopsoas.pdf", "hebrew.pdf", "arabic.pdf", "deck.pdf", "ipek.pdf"}
    bold_faces = set()
    for pdf in pdfs:
        # every glyph drawn, the card sheets' small print ("Klinik İzmir") included; a program's
        # pages list an unused Helvetica in their resources (older than the bold faces), not drawn
        assert [p for p in glyph_problems(pdf) if "/Helvetica is not embedded" not in p] == [], pdf
        for page in PdfReader(pdf).pages:
            for font in page["/Resources"]["/Font"].values():
                name = str(font.get_object()["/BaseFont"]).lstrip("/")
                tag, _, base = name.partition("+")
                if base.split("-")[0] in FALLBACK_FACES:
                    assert len(tag) == 6 and tag.isupper(), f"{name}: a subset font carries a six-letter tag"
                    drawn = font.get_object()
                    drawn = drawn["/DescendantFonts"][0].get_object() if drawn["/Subtype"] == "/Type0" else drawn
                    embedded = drawn["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
                    assert len(embedded) < 30_000, f"{name}: the letters used, not the whole font (46-224 KB)"
                    bold_faces.update([base] if base.endswith("-Bold") else [])
    assert bold_faces == {"Inter-Bold", "Heebo-Bold", "NotoSansArabic-Bold"}


# --- the same bytes, however the bold faces were come by --------------------------------------------

@pytest.mark.slow
def test_a_cold_a_warm_and_an_unwritable_font_cache_make_identical_pdfs(tmp_path):
    """Real processes, as a user runs them, two workers each: the first makes the bold instances
    (both workers at once, into an empty cache), the second reads them, the third cannot keep them."""
    root = make_library(tmp_path / "library")
    (tmp_path / "blocked").write_text("a file where the cache folder should be")
    outputs = []
    for run, cache in (("cold", tmp_path / "cache"), ("warm", tmp_path / "cache"),
                       ("unwritable", tmp_path / "blocked" / "cache")):
        env = {**{k: v for k, v in os.environ.items() if k != "HANDOUTS_CACHE_DIR"},  # so XDG_CACHE_HOME counts
               "SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(cache)}
        subprocess.run([sys.executable, "-m", "handouts", *build_args(root, tmp_path / run, jobs=2)],
                       env=env, check=True, capture_output=True, cwd=REPO)
        outputs.append({p.relative_to(tmp_path / run): p.read_bytes() for p in sorted((tmp_path / run).rglob("*.pdf"))})
    assert len(outputs[0]) == 11  # 4 handouts, 4 card files, the deck, the catalogue, the program
    assert outputs[0] == outputs[1] == outputs[2]
    made = sorted(p.name for p in (tmp_path / "cache" / "handouts" / "fonts").iterdir())
    assert [name.rsplit("-", 1)[0] for name in made] == ["Heebo-Bold", "Inter-Bold", "NotoSansArabic-Bold"], made
    assert all(name.endswith(".ttf") for name in made), "no temporary file left over"
