"""layout/paragraph.py: fallback-font runs set bold take the fallback font's bold face.

ReportLab's parser takes ``<font face="Inter">`` as the regular whatever surrounds it (checked
here first, so the test notices the day it no longer does); the Paragraph every layout module
uses names the bold face instead, wherever the run is bold: by the style's font or by ``<b>``.
"""

from __future__ import annotations

import ast
import io
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph as ReportLabParagraph

from handouts.layout.paragraph import Paragraph, bold_fallback_runs, is_bold
from handouts.style.fonts import Fallback, fonts

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "handouts"

BOLD = ParagraphStyle("bold", fontName="Atkinson-Bold", fontSize=12)
REGULAR = ParagraphStyle("regular", fontName="Atkinson", fontSize=12)


class Faces:
    """A FontSet's two answers, counting the bold faces asked for (asking makes one)."""

    def __init__(self) -> None:
        self.fallbacks = (Fallback("Inter", "Inter", frozenset(), ""), Fallback("Heebo", "Heebo", frozenset(), ""))
        self.asked: list[str] = []

    def bold_of(self, name: str) -> str | None:
        self.asked.append(name)
        return f"{name}-Bold"


def runs(markup: str, bold: bool) -> tuple[str, list[str]]:
    faces = Faces()
    return bold_fallback_runs(markup, bold, faces), faces.asked  # type: ignore[arg-type]


def fonts_of(paragraph: ReportLabParagraph) -> list[tuple[str, str]]:
    return [(frag.text, frag.fontName) for frag in paragraph.frags]


def test_reportlab_sets_a_font_run_regular_even_in_bold_text():
    """Why the module exists: the family table alone (Inter bold = Inter-Bold) is not enough."""
    fonts().bold_of("Inter")  # the family table maps Inter's bold to Inter-Bold
    assert fonts_of(ReportLabParagraph('C<font face="Inter">ầ</font>u', BOLD)) == [
        ("C", "Atkinson-Bold"), ("ầ", "Inter"), ("u", "Atkinson-Bold")]


def test_a_run_in_a_bold_style_is_set_in_the_bold_face():
    fonts_set = fonts()
    assert fonts_of(Paragraph('C<font face="Inter">ầ</font>u', BOLD)) == [
        ("C", "Atkinson-Bold"), ("ầ", "Inter-Bold"), ("u", "Atkinson-Bold")]
    assert fonts_of(Paragraph('<font face="Heebo">אב</font> <font face="NotoSansArabic">\ufee3</font>', BOLD)) == [
        ("אב", "Heebo-Bold"), (" ", "Atkinson-Bold"), ("\ufee3", "NotoSansArabic-Bold")]
    assert fonts_set.bold_of("Atkinson") is None, "only fallback fonts have a made bold face"


def test_a_run_in_regular_text_stays_regular_and_makes_no_bold_face():
    assert runs('C<font face="Inter">ầ</font>u', False) == ('C<font face="Inter">ầ</font>u', [])
    assert fonts_of(Paragraph('C<font face="Inter">ầ</font>u', REGULAR)) == [
        ("C", "Atkinson"), ("ầ", "Inter"), ("u", "Atkinson")]


def test_b_makes_a_run_bold_until_it_closes():
    markup = 'For <b>Ay<font face="Inter">ş</font>e</b> · <font face="Inter">İ</font>'
    assert runs(markup, False) == (
        'For <b>Ay<font face="Inter-Bold">ş</font>e</b> · <font face="Inter">İ</font>', ["Inter"])
    assert fonts_of(Paragraph(markup, REGULAR))[1:4] == [("Ay", "Atkinson-Bold"), ("ş", "Inter-Bold"),
                                                          ("e", "Atkinson-Bold")]


def test_what_keeps_or_changes_the_weight():
    # a colour, a line break: the weight is kept
    assert runs('<font color="#666">x</font><br/><font face="Heebo">א</font>', True)[0] == \
        '<font color="#666">x</font><br/><font face="Heebo-Bold">א</font>'
    # a face that is not a fallback sets the weight as its font is: Atkinson is the regular
    assert runs('<font face="Atkinson"><font face="Inter">İ</font></font><font face="Inter">İ</font>', True)[0] == \
        '<font face="Atkinson"><font face="Inter">İ</font></font><font face="Inter-Bold">İ</font>'
    assert runs('<font face="Atkinson-Bold"><font face="Inter">İ</font></font>', False)[0] == \
        '<font face="Atkinson-Bold"><font face="Inter-Bold">İ</font></font>'
    # escaped text that looks like a tag is text
    assert runs('&lt;b&gt;<font face="Inter">İ</font>', False)[0] == '&lt;b&gt;<font face="Inter">İ</font>'


def test_is_bold_reads_reportlabs_family_table():
    fonts()
    assert is_bold("Atkinson-Bold") and not is_bold("Atkinson") and not is_bold("no-such-font")


def drawn_fonts(*paragraphs: ReportLabParagraph) -> set[str]:
    """The fonts the PDF names for the characters of *paragraphs*, drawn one under another."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 1000), invariant=1)
    y = 980.0
    for paragraph in paragraphs:
        _, height = paragraph.wrap(100, 1000)
        y -= height
        paragraph.drawOn(canvas, 10, y)
    canvas.save()
    with pdfplumber.open(io.BytesIO(buffer.getvalue())) as pdf:
        return {char["fontname"].split("+")[-1] for char in pdf.pages[0].chars if not char["text"].isspace()}


def test_paragraphs_split_across_frames_keep_the_bold_face():
    para = Paragraph(" ".join(['<font face="Inter">İ</font>LIOPSOAS'] * 20), BOLD)
    para.wrap(100, 1000)
    first, rest = para.split(100, 40)
    assert type(first) is type(rest) is Paragraph
    assert drawn_fonts(first) == drawn_fonts(rest) == {"AtkinsonHyperlegible-Bold", "Inter-Bold"}


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_package_makes_its_paragraphs_with_this_class(path):
    """A module that made ReportLab's own Paragraph would print its bold fallback letters regular again."""
    if path == PACKAGE / "layout" / "paragraph.py":
        return
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reportlab.platypus"):
            assert "Paragraph" not in {alias.name for alias in node.names}, \
                f"{path.relative_to(PACKAGE)}:{node.lineno}: import Paragraph from handouts.layout.paragraph"
