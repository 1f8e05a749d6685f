"""clinic.yaml: the clinic printed discreetly on every handout and card sheet, and its defaults."""

from __future__ import annotations

import shutil
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from PIL import Image

from conftest import REPO, SEED, EXERCISE_FILES
from dataclasses import replace

from handouts.layout.card_sheet import make_sheet
from handouts.content.clinic import clinic_path, load_clinic
from handouts.render.exercise import lay_out_cards, card_info
from handouts.style.labels import LANGUAGES
from handouts.render.cards import cards_pdf
from handouts.style.theme import DEFAULT_THEME
from handouts.cli import main
from handouts.errors import ContentError

CLINIC = """\
name: Riverside Physiotherapy
logo: logo.png
phone: 555 0100
email: hello@riverside.example
website: riverside.example
address: 12 Mill Lane, Riverside RS1 2AB
"""


def library(tmp_path: Path, clinic: str | None = CLINIC, exercises=(SEED, "spanish-bridge", "seated-knee-extension")
            ) -> Path:
    """A library folder: content/, assets/ (with a logo), clinic.yaml."""
    root = tmp_path / "lib"
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "assets", root / "assets")
    for exercise_id in exercises:
        shutil.copy(EXERCISE_FILES[exercise_id], root / "content")
    logo = Image.new("RGB", (300, 100), "white")
    logo.paste((23, 54, 93), (0, 0, 100, 100))
    logo.save(root / "assets" / "logo.png")
    if clinic is not None:
        (root / "clinic.yaml").write_text(clinic, encoding="utf-8")
    return root


def run(root: Path, *args: str, capsys=None) -> int:
    return main(["build", "--content", str(root / "content"), "--assets", str(root / "assets"),
                 "--out", str(root / "out"), "--jobs", "1", *args])


def footer_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        return " ".join(page.crop((0, page.height - 80, page.width, page.height)).extract_text().split())


def test_the_clinic_is_read_with_every_field(tmp_path):
    root = library(tmp_path, CLINIC + "paper: A4\nlanguage: es\nflip: short\nback_offset: [1.5, -1]\n")
    clinic, warnings = load_clinic(clinic_path(root / "content"))
    assert warnings == []
    assert (clinic.name, clinic.logo, clinic.paper, clinic.language, clinic.flip) == (
        "Riverside Physiotherapy", "logo.png", "a4", "es", "short")
    assert clinic.back_offset_mm == (1.5, -1.0)
    assert clinic.contacts == ("555 0100", "hello@riverside.example", "riverside.example")


def test_no_clinic_file_changes_nothing(tmp_path):
    assert load_clinic(tmp_path / "clinic.yaml") == (None, [])


def test_mistakes_in_the_clinic_are_located(tmp_path):
    path = tmp_path / "clinic.yaml"
    path.write_text("phone: 555\npaper: A5\nback_offset: 1.5;x\nfax: 556\nflip: sideways\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_clinic(path)
    shown = [str(p).split("clinic.yaml", 1)[1] for p in info.value.problems]
    assert shown == [":1: name: missing (every clinic profile needs the clinic's name)",
                     ":2: paper: 'A5' is not a paper size; choose one of letter, a4",
                     ":5: flip: 'sideways' is not a flip edge; choose one of long, short",
                     ":3: back_offset: '1.5;x': give X,Y in millimetres, e.g. back_offset: 1.5,-0.5"]
    assert [str(w).split("clinic.yaml", 1)[1] for w in info.value.warnings] == [":4: fax: unknown key 'fax' ignored"]


def test_a_bad_clinic_file_stops_the_build_before_anything_is_written(tmp_path, capsys):
    root = library(tmp_path, "name: [Riverside]\n")
    assert run(root) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.endswith("clinic.yaml:1: name: expected text, got a list")
    assert not (root / "out").exists()


def test_every_handout_carries_the_clinic_in_its_footer(tmp_path):
    root = library(tmp_path)
    assert run(root) == 0
    for pdf in sorted((root / "out" / "handouts").glob("*.pdf")):
        footer = footer_text(pdf)
        assert "Riverside Physiotherapy" in footer and "555 0100" in footer, pdf.name
        assert "hello@riverside.example" in footer and "12 Mill Lane" in footer, pdf.name
        with pdfplumber.open(pdf) as doc:
            page = doc.pages[0]
            logos = [im for im in page.images if im["top"] > page.height - 80]
            assert len(logos) == 1 and logos[0]["x0"] >= 21.6 and logos[0]["bottom"] <= page.height - 21.6
            # discreet: the clinic is small print, far below the body size
            sizes = {round(c["size"]) for c in page.chars if c["top"] > page.height - 80}
            assert max(sizes) <= 9


def test_without_a_clinic_the_footer_names_the_exercise(tmp_path):
    root = library(tmp_path, clinic=None)
    assert run(root) == 0
    assert "Reclining Lower Trunk Extensor Stretch" in footer_text(root / "out" / "handouts" / f"{SEED}.pdf")


def test_card_sheets_and_the_deck_carry_the_clinic_in_the_margin(tmp_path):
    root = library(tmp_path)
    assert run(root) == 0
    for pdf in [root / "out" / "deck.pdf", root / "out" / "cards" / f"{SEED}.pdf"]:
        with pdfplumber.open(pdf) as doc:
            front = doc.pages[0]
            top = front.crop((0, 0, front.width, 60)).extract_text()
            assert "Riverside Physiotherapy · 555 0100" in top
            assert "Riverside" not in (doc.pages[1].extract_text() or "")  # backs: answers only


def test_the_clinic_language_applies_to_content_that_names_none(tmp_path):
    root = library(tmp_path, CLINIC + "language: de\n")
    assert run(root) == 0
    knee = pypdf.PdfReader(root / "out" / "handouts" / "seated-knee-extension.pdf").pages[0].extract_text()
    assert "Anleitung" in knee and "Instructions" not in knee
    bridge = pypdf.PdfReader(root / "out" / "handouts" / "spanish-bridge.pdf").pages[0].extract_text()
    assert "Instrucciones" in bridge  # its own language: es


def test_the_clinic_paper_and_printer_settings_are_defaults_the_command_line_overrides(tmp_path):
    root = library(tmp_path, CLINIC + "paper: a4\nflip: short\nback_offset: 1,-0.5\n")
    assert run(root) == 0
    deck = pypdf.PdfReader(root / "out" / "deck.pdf")
    assert [round(float(v)) for v in deck.pages[0].mediabox[2:]] == [595, 842]
    assert deck.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert run(root, "--paper", "letter", "--flip", "long") == 0
    deck = pypdf.PdfReader(root / "out" / "deck.pdf")
    assert [round(float(v)) for v in deck.pages[0].mediabox[2:]] == [612, 792]
    assert deck.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipLongEdge"


def test_the_clinic_back_offset_moves_the_backs(tmp_path):
    plain = library(tmp_path / "a", CLINIC)
    offset = library(tmp_path / "b", CLINIC + "back_offset: 2,0\n")
    assert run(plain) == 0 and run(offset) == 0

    def first_back_x(root):
        with pdfplumber.open(root / "out" / "deck.pdf") as doc:
            return min(c["x0"] for c in doc.pages[1].chars if c["size"] > 6)

    moved = first_back_x(offset) - first_back_x(plain)
    assert moved == pytest.approx(2 * 72 / 25.4, abs=0.05)


def test_a_missing_logo_is_one_warning_and_the_clinic_still_prints(tmp_path, capsys):
    root = library(tmp_path, CLINIC.replace("logo.png", "gone.png"))
    assert run(root) == 0
    err = capsys.readouterr()
    (line,) = [ln for ln in (err.err + err.out).splitlines() if "gone.png" in ln]
    assert line.startswith("warning: ") and "clinic.yaml:2: logo: " in line
    assert line.endswith("assets/gone.png not found; printed without the logo")
    assert "Riverside Physiotherapy" in footer_text(root / "out" / "handouts" / f"{SEED}.pdf")


def test_a_changed_clinic_rebuilds_everything(tmp_path, capsys):
    root = library(tmp_path)
    assert run(root) == 0
    assert run(root) == 0
    assert "3 unchanged" in capsys.readouterr().out
    (root / "clinic.yaml").write_text(CLINIC.replace("555 0100", "555 0199"), encoding="utf-8")
    assert run(root) == 0
    assert "unchanged" not in capsys.readouterr().out
    assert "555 0199" in footer_text(root / "out" / "handouts" / f"{SEED}.pdf")
    logo = Image.new("RGB", (300, 100), "red")
    logo.save(root / "assets" / "logo.png")
    assert run(root) == 0
    assert "unchanged" not in capsys.readouterr().out


def test_the_readme_documents_every_clinic_field():
    from handouts.content.clinic import CLINIC_FIELDS

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The clinic: `clinic.yaml`", 1)[1].split("\n## ", 1)[0]
    for spec in CLINIC_FIELDS:
        assert f"\n{spec.name}:" in section, spec.name


def test_an_offset_beyond_printer_drift_is_the_clinic_files_mistake(tmp_path, capsys):
    root = library(tmp_path, CLINIC + "back_offset: 12,0\n")
    assert run(root) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.endswith("clinic.yaml:7: back_offset: X 12 mm is more than printer drift (at most 10 mm each way); "
                         "check the printer's flip setting against flip: long|short")
    assert not (root / "out").exists()


def test_an_offset_this_sheet_cannot_take_names_the_clinic_file(tmp_path, capsys):
    root = library(tmp_path, CLINIC + "back_offset: 9,0\n")
    assert run(root, "--paper", "a4") == 1  # the clinic file's mistake on this paper: the same offset works on Letter
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.endswith("clinic.yaml:7: back_offset: X 9 mm would move the backs within 0.3 in of the paper's "
                         "edge; this sheet allows at most 8.5 mm")
    assert run(root) == 0


def test_the_pdfs_name_the_clinic_as_their_author(tmp_path):
    """Mail clients and viewers show a PDF's author: with a clinic profile, it is the clinic."""
    root = library(tmp_path)
    (root / "programs").mkdir()
    (root / "programs" / "jo.yaml").write_text(f"client: Jo\nclinician: Alex Kim, PT\nexercises: [{SEED}]\n",
                                               encoding="utf-8")
    assert run(root) == 0
    out = root / "out"
    for pdf in (out / "handouts" / f"{SEED}.pdf", out / "cards" / f"{SEED}.pdf", out / "deck.pdf"):
        assert pypdf.PdfReader(pdf).metadata.author == "Riverside Physiotherapy", pdf.name
    program = pypdf.PdfReader(out / "programs" / "jo.pdf").metadata
    assert program.author == "Alex Kim, PT, Riverside Physiotherapy"
    assert program.title == "Home exercise program: Jo"
    plain = library(tmp_path / "plain", clinic=None)
    assert run(plain) == 0
    assert pypdf.PdfReader(plain / "out" / "handouts" / f"{SEED}.pdf").metadata.author == "handouts"


def test_a_bad_clinic_file_reports_its_warnings_too(tmp_path, capsys):
    root = library(tmp_path, "name: Riverside\npaper: A5\nfax: 555\n")
    assert run(root) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert [line.split("clinic.yaml", 1)[1] for line in lines] == [
        ":3: fax: unknown key 'fax' ignored",
        ":2: paper: 'A5' is not a paper size; choose one of letter, a4"]
    assert lines[0].startswith("warning: ")


def test_a_misspelt_key_in_the_clinic_stops_the_build(tmp_path, capsys):
    """The same rule as content (issue 15 item 8): 'phon:' would leave the phone off every page."""
    root = library(tmp_path, "name: Riverside\nphon: 555\n")
    assert run(root) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.split("clinic.yaml", 1)[1] == (":2: phon: unknown key 'phon': did you mean 'phone'? "
                                               "Correct the spelling; a misspelt key is not read")
    assert not (root / "out").exists()


def test_each_pdf_declares_its_language_for_screen_readers(tmp_path):
    root = library(tmp_path, CLINIC + "language: de\n")
    (root / "programs").mkdir()
    (root / "programs" / "jo.yaml").write_text(f"client: Jo\nlanguage: es\nexercises: [{SEED}]\n", encoding="utf-8")
    assert run(root) == 0
    out = root / "out"

    def lang(pdf: Path) -> str:
        return str(pypdf.PdfReader(pdf).trailer["/Root"]["/Lang"])

    assert lang(out / "handouts" / "spanish-bridge.pdf") == "es"          # its own language
    assert lang(out / "handouts" / "seated-knee-extension.pdf") == "de"   # none: the clinic's
    assert lang(out / "cards" / "spanish-bridge.pdf") == "es"
    assert lang(out / "deck.pdf") == "de"
    assert lang(out / "programs" / "jo.pdf") == "es"


def test_card_sheets_say_how_to_print_them_in_their_language(tmp_path):
    """A card file in its exercise's language; the deck, which may mix languages, in the clinic's."""
    root = library(tmp_path, CLINIC + "language: de\nflip: short\n")
    assert run(root) == 0

    def margins(pdf: Path) -> list[str]:
        with pdfplumber.open(pdf) as doc:
            return [" ".join((page.extract_text() or "").split()) for page in doc.pages[:2]]

    front, back = margins(root / "out" / "cards" / "spanish-bridge.pdf")
    assert "Hoja 1 de 1: anversos (preguntas)" in front
    assert "Imprima a tamaño real (100 %), a doble cara, volteando por el borde corto." in front
    assert "Hoja 1 de 1: reversos (respuestas)" in back
    front, _ = margins(root / "out" / "deck.pdf")
    assert "Blatt 1 von 2: Vorderseiten (Fragen)" in front
    assert "beidseitig drucken, an der kurzen Kante wenden." in front
    seed_front, _ = margins(root / "out" / "cards" / f"{SEED}.pdf")  # no language: the clinic's
    assert "Vorderseiten (Fragen)" in seed_front


@pytest.mark.parametrize("language", sorted(LANGUAGES))
@pytest.mark.parametrize("paper, size", [("letter", "business"), ("a4", "business"), ("letter", "index"),
                                         ("a4", "a7")])
@pytest.mark.parametrize("mode", ["long", "short", "fold"])
def test_every_language_says_how_to_print_on_every_sheet(language, paper, size, mode, tmp_path):
    """A margin note that does not fit is left out rather than run into the crop marks: every
    translation must fit every sheet, or a clinic would lose the one line that says how to print."""
    labels = LANGUAGES[language]
    sheet = make_sheet(paper, size, "long" if mode == "fold" else mode, fold=mode == "fold")
    ex = replace(_seed(), language=language)
    cards, _ = lay_out_cards(ex, sheet, DEFAULT_THEME)
    pdf = tmp_path / "cards.pdf"
    pdf.write_bytes(cards_pdf(cards, sheet, DEFAULT_THEME, card_info("x", sheet), "Riverside Physiotherapy · 555 0100",
                              labels))
    with pdfplumber.open(pdf) as doc:
        text = " ".join((doc.pages[0].extract_text() or "").split())
    expected = labels.print_fold if mode == "fold" else labels.print_duplex.format(edge=dict(labels.edges)[mode])
    assert expected in text
    sheets = -(-len(cards) // sheet.per_sheet)
    heading = (labels.sheet_fold if mode == "fold" else labels.sheet_fronts).format(sheet=1, sheets=sheets)
    assert heading in text


def _seed():
    from handouts.content.load import load_file
    from handouts.content.exercise import validate

    return validate(load_file(EXERCISE_FILES[SEED]), SEED)[0]


@pytest.mark.parametrize("make,what", [(lambda p: p.mkdir(), "a folder"),
                                       (lambda p: p.symlink_to(p.parent / "gone.yaml"), "a broken link"),
                                       (lambda p: p.symlink_to(p), "a link that leads back to itself")],
                         ids=["folder", "broken-link", "link-loop"])
def test_a_clinic_yaml_that_is_no_file_stops_the_build_in_one_line(tmp_path, capsys, make, what):
    root = library(tmp_path, clinic=None)
    make(root / "clinic.yaml")
    assert run(root) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.endswith(f"clinic.yaml: is {what}; the clinic profile must be a YAML file (or remove it)")
    assert not (root / "out").exists()
