"""The cover page of a client's program, drawn and read back from the PDF.

The layout is pure (model -> placed flowables); these tests draw its pages onto a
ReportLab canvas the way the renderer does, write the PDF under tmp_path (where the
conftest's qpdf check sees it) and read it back with pdfplumber: the client and the note
are printed, the table's rows in order with their dose, 28 boxes a row in the log under
weekdays that start on the program's first day, nothing in the 0.3 in safe edge, and a
long program continues on a second page with the table's header repeated and the log whole.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

import pdfplumber
import pytest
from PIL import Image, ImageDraw
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Paragraph

from handouts.layout.flowables import Picture, Placed
from handouts.style.fonts import fonts
from handouts.style.labels import LANGUAGES, format_date
from handouts.layout.fit_text import fit_line
from handouts.layout.cover import (ClinicBlock, CoverInfo, CoverRow, CoverStyle, TickLog,
                                   layout_cover)
from handouts.render.canvas import DocInfo, draw_placed, new_canvas
from handouts.layout.markup import to_markup
from handouts.style.print_sheet import SAFE_EDGE
from handouts.style.theme import DEFAULT_THEME, Labels, paper_size

START = datetime.date(2026, 11, 25)  # a Wednesday
EXERCISES = [
    ("Reclining lower trunk extensor stretch", (("sets", "2"), ("reps", "3"), ("hold", "30 s")),
     "Slowly, and stop if it hurts in the leg."),
    ("Wall push-up", (("sets", "3"), ("reps", "10")), None),
    ("Bridge", (("sets", "2"), ("reps", "12"), ("frequency", "Twice a day")), "Squeeze the buttocks at the top."),
    ("Calf raise on the stairs", (("sets", "3"), ("reps", "15"), ("side", "Both")), "Hold the rail."),
    ("Chin tuck", (("reps", "10"), ("hold", "5 s")), "Keep looking straight ahead; do not tip the head down."),
]
NOTE = ("Do these every day for four weeks. Start gently; a little discomfort is fine, but stop if the pain "
        "is sharp or spreads down a leg. Bring this sheet to your next visit.")


# --- building a cover the way a caller would: typed text escaped, labels translated ---------

def m(text: str) -> str:
    """Typed text as the caller passes it: escaped Paragraph markup."""
    return to_markup(text, fonts()).markup


def make_rows(exercises, labels: Labels = Labels()) -> list[CoverRow]:
    names = dict(labels.dose)
    return [CoverRow(i + 1, m(title), tuple((names[part], m(value)) for part, value in dose),
                     m(notes) if notes else None)
            for i, (title, dose, notes) in enumerate(exercises)]


@pytest.fixture
def logo(tmp_path) -> Picture:
    """A real small PNG, wider than high, with a transparent background."""
    img = Image.new("RGBA", (300, 120), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((5, 5, 115, 115), fill=(23, 54, 93, 255))
    draw.rectangle((130, 40, 295, 80), fill=(91, 127, 166, 255))
    path = tmp_path / "logo.png"
    img.save(path)
    return Picture("logo.png", 300, 120, ImageReader(str(path)))


def clinic(logo: Picture | None = None) -> ClinicBlock:
    return ClinicBlock(m("Riverside Physiotherapy"), m("555 0100 · hello@riverside.example · riverside.example"),
                       m("12 River Road, Springfield"), logo)


def info(clinic_block: ClinicBlock | None = None, start: datetime.date = START, **changes) -> CoverInfo:
    base = CoverInfo(client=m("Jane Doe"), date=m("November 25, 2026"), start=start, clinician=m("Dr. Sam Lee"),
                     notes=m(NOTE), clinic=clinic_block)
    return replace(base, **changes)


def lay_out(cover_info: CoverInfo, rows: list[CoverRow], labels: Labels = Labels(), paper: str = "letter",
            style: CoverStyle = CoverStyle(), size: tuple[float, float] | None = None) -> list[list[Placed]]:
    return layout_cover(cover_info, rows, DEFAULT_THEME, labels, size or paper_size(paper), fonts(), style)


def render(pages: list[list[Placed]], path: Path, size: tuple[float, float]) -> Path:
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, size, DocInfo(title="Home exercise program", subject="cover"))
    for placed in pages:
        draw_placed(canvas, placed)
        canvas.showPage()
    canvas.save()
    path.write_bytes(buffer.getvalue())
    return path


def build(tmp_path: Path, name: str = "cover", paper: str = "letter", size=None, **kwargs) -> Path:
    size = size or paper_size(paper)
    return render(lay_out(paper=paper, size=size, **kwargs), tmp_path / f"{name}.pdf", size)


def normalise(text: str) -> str:
    return " ".join(text.split())


def page_texts(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [normalise(page.extract_text()) for page in pdf.pages]


def words_pattern(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def tick_boxes(page) -> list[dict]:
    """The log's boxes: squares of at least 0.16 in (the table's and the bands' rects are not square)."""
    return [r for r in page.rects
            if abs(r["width"] - r["height"]) < 0.05 and 0.16 * inch - 0.05 <= r["width"] <= 0.4 * inch]


def box_rows(page) -> list[list[dict]]:
    """The boxes grouped by row, top to bottom, each row left to right."""
    rows: dict[float, list[dict]] = {}
    for box in tick_boxes(page):
        rows.setdefault(round(box["top"], 1), []).append(box)
    return [sorted(rows[top], key=lambda b: b["x0"]) for top in sorted(rows)]


def words(page) -> list[dict]:
    return page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)


def line_of(page, first_word: str, after: float = 0.0) -> list[dict]:
    """The words on the line that starts (at or below *after*) with *first_word*, left to right."""
    found = [w for w in words(page) if w["text"] == first_word and w["top"] >= after]
    assert found, first_word
    top = min(w["top"] for w in found)
    return sorted((w for w in words(page) if abs(w["top"] - top) < 1.0), key=lambda w: w["x0"])


# --- what the cover says -------------------------------------------------------------------------

def test_client_clinician_date_note_and_clinic_are_printed(tmp_path, logo):
    path = build(tmp_path, cover_info=info(clinic(logo)), rows=make_rows(EXERCISES))
    texts = page_texts(path)
    assert len(texts) == 1, "five exercises, a note and the log fit on one page"
    text = texts[0]
    for expected in ("Home exercise program", "For Jane Doe", "Clinician Dr. Sam Lee", "Date November 25, 2026",
                     "Riverside Physiotherapy", "12 River Road, Springfield", "hello@riverside.example",
                     "Four-week log", "Tick a box on each day you do the exercise."):
        assert re.search(words_pattern(expected), text), expected
    assert re.search(words_pattern(NOTE), text)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        top_words = [w["text"] for w in sorted(words(page), key=lambda w: (round(w["top"]), w["x0"]))][:3]
        assert top_words[:3] == ["Home", "exercise", "program"], "the program's name heads the page"
        title = next(w for w in words(page) if w["text"] == "Home")
        assert title["size"] >= 20


def test_the_client_block_is_aligned(tmp_path):
    """For / Clinician / Date labels share a left edge, and so do their values; each value sits on
    its label's baseline, the client's name larger and bold."""
    path = build(tmp_path, cover_info=info(), rows=make_rows(EXERCISES))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        firsts = {}  # the first character of each word, by word
        for label, value in (("For", "Jane"), ("Clinician", "Dr."), ("Date", "November")):
            word = {w["text"]: w for w in words(page)}
            firsts[label] = next(c for c in page.chars if abs(c["x0"] - word[label]["x0"]) < 0.01
                                 and abs(c["top"] - word[label]["top"]) < 0.01)
            firsts[value] = next(c for c in page.chars if abs(c["x0"] - word[value]["x0"]) < 0.01
                                 and abs(c["top"] - word[value]["top"]) < 0.01)
            assert firsts[label]["matrix"][5] == pytest.approx(firsts[value]["matrix"][5], abs=0.05), label
        assert len({round(firsts[k]["x0"], 2) for k in ("For", "Clinician", "Date")}) == 1
        assert len({round(firsts[k]["x0"], 2) for k in ("Jane", "Dr.", "November")}) == 1
        assert firsts["Jane"]["size"] > 12 and "Bold" in firsts["Jane"]["fontname"]
        assert firsts["Dr."]["size"] == pytest.approx(12.0)


def test_the_logo_is_drawn_at_the_top_right_its_aspect_kept(tmp_path, logo):
    path = build(tmp_path, cover_info=info(clinic(logo)), rows=make_rows(EXERCISES))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        (image,) = page.images
        width, height = image["x1"] - image["x0"], image["bottom"] - image["top"]
        assert height == pytest.approx(0.8 * inch, abs=0.5)
        assert width / height == pytest.approx(300 / 120, rel=0.01)
        assert image["x1"] == pytest.approx(page.width - DEFAULT_THEME.margin, abs=0.5)
        assert image["top"] == pytest.approx(DEFAULT_THEME.margin, abs=0.5)
        name = line_of(page, "Riverside")
        assert name[-1]["x1"] == pytest.approx(page.width - DEFAULT_THEME.margin, abs=1.0), "set flush right"
        assert name[0]["top"] > image["bottom"], "the clinic's name under its logo"


def test_contacts_break_only_between_parts(tmp_path, logo):
    path = build(tmp_path, cover_info=info(clinic(logo)), rows=make_rows(EXERCISES))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        lines = {}
        for w in words(page):
            if w["x0"] > page.width / 2 and w["top"] < 200:
                lines.setdefault(round(w["top"]), []).append(w["text"])
        joined = [" ".join(ws) for _, ws in sorted(lines.items())]
        contact_lines = [line for line in joined if "example" in line]
        assert contact_lines, joined
        assert all(not line.endswith("·") and not line.startswith("·") for line in contact_lines), contact_lines
        assert any(line.strip() == "riverside.example" or line.endswith("riverside.example") for line in contact_lines)


def test_table_rows_in_order_with_their_dose_and_notes(tmp_path):
    path = build(tmp_path, cover_info=info(), rows=make_rows(EXERCISES))
    text = page_texts(path)[0]
    assert re.search(r"#\s+Exercise\s+How much\s+Notes", text)
    positions = [text.index(title.split()[0] + " " + title.split()[1]) if " " in title else text.index(title)
                 for title, _, _ in EXERCISES]
    assert positions == sorted(positions)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        header = line_of(page, "#")
        columns = {w["text"]: w["x0"] for w in header}
        tops = {}
        for number, (title, _dose, _notes) in enumerate(EXERCISES, 1):
            first = title.split()[0]
            row = [w for w in words(page) if w["text"] == first and w["x0"] < columns["How"] and w["top"] < 600]
            assert row, title
            tops[number] = row[0]["top"]
            # the number at the row's left, on the title's line
            assert any(w["text"] == str(number) and abs(w["top"] - row[0]["top"]) < 2 and w["x1"] < columns["Exercise"]
                       for w in words(page))
        assert list(tops.values()) == sorted(tops.values())
        # each row's dose as "Label value", in the How much column, between its top and the next row's
        bounds = list(tops.values()) + [tops[len(EXERCISES)] + 60]
        for number, (title, dose, notes) in enumerate(EXERCISES, 1):
            cell = [w for w in words(page) if columns["How"] - 1 <= w["x0"] < columns["Notes"] - 1
                    and bounds[number - 1] - 1 <= w["top"] < bounds[number] - 1]
            cell_text = " ".join(w["text"] for w in sorted(cell, key=lambda w: (round(w["top"]), w["x0"])))
            names = dict(Labels().dose)
            for part, value in dose:
                assert f"{names[part]} {value}" in cell_text, (title, cell_text)
            values = [w for w in cell if w["text"] == dose[0][1].split()[0]]
            assert values and "Bold" in values[0]["fontname"], "the value stands out from its label"
            if notes:
                notes_cell = [w["text"] for w in words(page) if w["x0"] >= columns["Notes"] - 1
                              and bounds[number - 1] - 1 <= w["top"] < bounds[number] - 1]
                assert " ".join(notes_cell).startswith(" ".join(notes.split()[:3]))


# --- the log ---------------------------------------------------------------------------------------

def test_the_log_has_28_square_boxes_a_row_grouped_in_weeks(tmp_path):
    rows = make_rows(EXERCISES)
    path = build(tmp_path, cover_info=info(), rows=rows)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        grid = box_rows(page)
        assert len(grid) == len(rows)
        for row in grid:
            assert len(row) == 28
            assert all(box["width"] >= 0.16 * inch - 0.01 for box in row)
            gaps = [b["x0"] - a["x1"] for a, b in zip(row, row[1:])]
            week_gaps = [gaps[i] for i in (6, 13, 20)]
            day_gaps = [g for i, g in enumerate(gaps) if i not in (6, 13, 20)]
            assert min(week_gaps) > 2.5 * max(day_gaps), "weeks are visibly apart"
            assert max(day_gaps) - min(day_gaps) < 0.01
        # every row starts with its number and a short title, on the boxes' line
        for number, row in enumerate(grid, 1):
            middle = (row[0]["top"] + row[0]["bottom"]) / 2
            label = [w for w in words(page) if w["x1"] <= row[0]["x0"] and w["top"] < middle < w["bottom"]]
            assert label and label[0]["text"] == str(number), label
        assert "Tick a box" in page.extract_text()


def weekday_row(page, week_word: str = "Week") -> list[str]:
    """The day names over the log's boxes (under *week_word*), left to right."""
    first_row = box_rows(page)[0]
    week = next(w for w in words(page) if w["text"] == week_word and w["top"] < first_row[0]["top"])
    names = [w for w in words(page) if week["bottom"] < w["top"] < first_row[0]["top"]
             and not w["text"].isdigit()]
    top = min(w["top"] for w in names)
    return [w["text"] for w in sorted((w for w in names if abs(w["top"] - top) < 1), key=lambda w: w["x0"])]


@pytest.mark.parametrize("start, first", [(datetime.date(2026, 11, 23), "Mo"), (datetime.date(2026, 11, 25), "We"),
                                          (datetime.date(2026, 11, 29), "Su")])
def test_weekdays_start_on_the_programs_first_day(tmp_path, start, first):
    path = build(tmp_path, cover_info=info(start=start), rows=make_rows(EXERCISES[:2]))
    days = list(Labels().weekdays)
    with pdfplumber.open(path) as pdf:
        row = weekday_row(pdf.pages[0])
    assert row[0] == first
    expected = [days[(start.weekday() + i) % 7] for i in range(7)] * 4
    assert row == expected
    # and the day of the month under each: 28 days from the start
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        first_box = box_rows(page)[0][0]
        numbers = [w for w in words(page) if w["text"].isdigit() and w["bottom"] < first_box["top"]
                   and first_box["top"] - w["bottom"] < 20 and w["x0"] >= first_box["x0"] - 3]
        numbers.sort(key=lambda w: w["x0"])
        assert [int(w["text"]) for w in numbers] == [(start + datetime.timedelta(days=i)).day for i in range(28)]


def test_each_weekday_is_centred_over_its_box(tmp_path):
    path = build(tmp_path, cover_info=info(), rows=make_rows(EXERCISES[:2]))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        boxes = box_rows(page)[0]
        first_box = boxes[0]
        names = [w for w in words(page) if w["text"] in Labels().weekdays and w["bottom"] < first_box["top"]]
        names.sort(key=lambda w: w["x0"])
        assert len(names) == 28
        for name, box in zip(names, boxes):
            assert (name["x0"] + name["x1"]) / 2 == pytest.approx((box["x0"] + box["x1"]) / 2, abs=0.6)


def log_label(page, row, pitch: float) -> list[dict]:
    """The words left of a row of boxes, within its row (*pitch* tall, centred on the boxes), in reading order."""
    middle = (row[0]["top"] + row[0]["bottom"]) / 2
    found = [w for w in words(page) if abs((w["top"] + w["bottom"]) / 2 - middle) < pitch / 2
             and w["x1"] <= row[0]["x0"]]
    return sorted(found, key=lambda w: (round(w["top"]), w["x0"]))


def test_a_long_title_takes_two_lines_in_the_log_then_is_cut_short(tmp_path):
    rows = make_rows([("A remarkably long exercise title that never fits beside the boxes, not even on two lines "
                       "of the narrow column", (("sets", "1"),), None),
                      ("Calf raise on the stairs", (("sets", "1"),), None)])
    path = build(tmp_path, cover_info=info(), rows=rows)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        first, second = box_rows(page)[:2]
        pitch = second[0]["top"] - first[0]["top"]
        label = log_label(page, first, pitch)
        assert label[-1]["text"].endswith("…")
        assert len({round(w["top"]) for w in label}) == 2, "two lines, then cut short"
        assert max(w["x1"] for w in label) < first[0]["x0"] - 2
        assert " ".join(w["text"] for w in label).startswith("1 A remarkably long")
        whole = " ".join(w["text"] for w in log_label(page, second, pitch))
        assert whole == "2 Calf raise on the stairs", "two lines hold it whole"


# --- the page as printed ---------------------------------------------------------------------------

def all_marks(page) -> list[dict]:
    return list(page.chars) + list(page.rects) + list(page.lines) + list(page.curves) + list(page.images)


@pytest.mark.parametrize("paper", ["letter", "a4"])
@pytest.mark.parametrize("count", [5, 20])
def test_nothing_within_the_safe_edge_and_text_inside_the_margin(tmp_path, logo, paper, count):
    exercises = [(f"{t} {i + 1}", d, (n or "Slow and steady.") * (1 + i % 3))
                 for i, (t, d, n) in enumerate(EXERCISES * 4)][:count]
    path = build(tmp_path, paper=paper, cover_info=info(clinic(logo)), rows=make_rows(exercises))
    margin = DEFAULT_THEME.margin
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for mark in all_marks(page):
                assert mark["x0"] >= SAFE_EDGE and mark["top"] >= SAFE_EDGE, mark
                assert mark["x1"] <= page.width - SAFE_EDGE and mark["bottom"] <= page.height - SAFE_EDGE, mark
            for char in page.chars:
                assert margin - 0.5 <= char["x0"] and char["x1"] <= page.width - margin + 0.5, char["text"]
                assert margin - 0.5 <= char["top"] and char["bottom"] <= page.height - margin + 0.5, char["text"]


def test_type_is_large_enough(tmp_path, logo):
    path = build(tmp_path, cover_info=info(clinic(logo)), rows=make_rows(EXERCISES))
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        sizes = Counter(round(c["size"], 1) for c in page.chars)
        assert min(sizes) >= 9.0
        note = next(w for w in words(page) if w["text"] == "discomfort")
        assert note["size"] == pytest.approx(12.0)
        cell = next(w for w in words(page) if w["text"] == "buttocks")
        assert cell["size"] == pytest.approx(12.0)


def test_fonts_are_atkinson_and_embedded(tmp_path):
    path = build(tmp_path, cover_info=info(), rows=make_rows(EXERCISES))
    with pdfplumber.open(path) as pdf:
        names = {c["fontname"].split("+")[-1] for c in pdf.pages[0].chars}
        assert names <= {"AtkinsonHyperlegible-Regular", "AtkinsonHyperlegible-Bold"}, names
        assert all("+" in c["fontname"] for c in pdf.pages[0].chars), "subset-embedded"


def test_the_same_input_gives_the_same_bytes(tmp_path, logo):
    first = build(tmp_path, "one", cover_info=info(clinic(logo)), rows=make_rows(EXERCISES))
    second = build(tmp_path, "two", cover_info=info(clinic(logo)), rows=make_rows(EXERCISES))
    assert first.read_bytes() == second.read_bytes()


# --- languages --------------------------------------------------------------------------------------

def test_spanish_labels(tmp_path, logo):
    es = LANGUAGES["es"]
    cover = info(clinic(logo), client=m("María José Fernández"), date=m(format_date(START, es)),
                 clinician=m("Ana López"), notes=m("Haga estos ejercicios cada día."))
    path = build(tmp_path, paper="a4", cover_info=cover, rows=make_rows(EXERCISES, es), labels=es)
    (text,) = page_texts(path)
    for expected in ("Programa de ejercicios en casa", "Para María José Fernández", "Fisioterapeuta Ana López",
                     "Fecha 25 de noviembre de 2026", "Registro de cuatro semanas",
                     "Marque una casilla cada día que haga el ejercicio.", "Semana 1", "Semana 4",
                     "Series 2", "Repeticiones 10", "Mantener 30 s"):
        assert re.search(words_pattern(expected), text), expected
    assert re.search(r"#\s+Ejercicio\s+Cuánto\s+Notas", text)
    assert "Home exercise" not in text and "Week" not in text
    with pdfplumber.open(path) as pdf:
        row = weekday_row(pdf.pages[0], "Semana")
    assert row[:7] == ["Mi", "Ju", "Vi", "Sá", "Do", "Lu", "Ma"]


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_long_words_fit_the_table_header_and_the_dose_cells(tmp_path, language):
    """German 'Wiederholungen' is the longest dose label: each head stays on one line, and each
    part of the dose stays whole on one line inside its column."""
    labels = LANGUAGES[language]
    path = build(tmp_path, paper="a4", cover_info=info(), rows=make_rows(EXERCISES, labels), labels=labels)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        heads = [labels.exercise, labels.how_much, labels.notes]
        header = line_of(page, "#")
        header_text = " ".join(w["text"] for w in header)
        assert header_text == "# " + " ".join(heads), header_text
        assert page.extract_text().count(labels.how_much) >= 1
        starts = [next(w["x0"] for w in header if w["text"] == h.split()[0]) for h in heads]
        dose_left, notes_left = starts[1], starts[2]
        reps = dict(labels.dose)["reps"]
        found = [w for w in words(page) if w["text"] == reps and dose_left - 1 <= w["x0"] < notes_left]
        assert len(found) == len(EXERCISES)
        for w in found:  # the value on the same line as its label, before the Notes column
            value = [v for v in words(page) if abs(v["top"] - w["top"]) < 1 and v["x0"] > w["x1"]
                     and v["x0"] < notes_left]
            assert value and value[0]["text"].isdigit() and value[0]["x1"] < notes_left - 3


# --- escaping -------------------------------------------------------------------------------------

def test_markup_looking_text_prints_literally(tmp_path):
    typed = "<b>R&D</b>"
    cover = info(ClinicBlock(m("Smith & <i>Sons</i>"), m("a&amp;b · <br/>")), client=m(typed),
                 clinician=m("Dr. <font color='red'>Lee</font>"), notes=m("Rest 1 < 2 & 3 > 2."))
    rows = make_rows([("<i>Bridge</i> & hold", (("reps", "<10>"),), "Use a <chair> & a wall.")])
    labels = replace(Labels(), program="Rise & Shine <program>", log="Log & ticks", week="Wk & {number}",
                     weekdays=("M&", "T<", "W>", "T", "F", "S", "S"))
    path = build(tmp_path, cover_info=cover, rows=rows, labels=labels)
    (text,) = page_texts(path)
    for expected in ("<b>R&D</b>", "Smith & <i>Sons</i>", "a&amp;b · <br/>", "Dr. <font color='red'>Lee</font>",
                     "Rest 1 < 2 & 3 > 2.", "<i>Bridge</i> & hold", "Reps <10>", "Use a <chair> & a wall.",
                     "Rise & Shine <program>", "Log & ticks", "Wk & 1"):
        assert re.search(words_pattern(expected), text), expected
    with pdfplumber.open(path) as pdf:
        assert weekday_row(pdf.pages[0], "Wk")[:3] == ["W>", "T", "F"]  # 2026-11-25 is a Wednesday


def testfit_line_cuts_between_characters_and_closes_what_it_opened():
    style = ParagraphStyle("t", fontName=fonts().regular, fontSize=11, leading=13)
    text = m("Stretch & hold ← then →, Ωmega band &c. for a long while")
    assert "<font" in text and "&amp;" in text
    for width in (20, 40, 60, 80, 120, 160):
        cut = fit_line(text, style, width)
        p = Paragraph(cut, style)  # well-formed: ReportLab would raise on a broken tag or entity
        p.wrap(1e6, 1e6)
        assert max(p.getActualLineWidths0()) <= width + 0.01
        assert cut.count("<font") == cut.count("</font>")
        assert re.sub(r"<[^>]+>", "", cut).endswith("…")
        assert not re.search(r"&[a-z]*…", cut), "never inside an entity"
    assert fit_line(m("Bridge"), style, 100) == "Bridge"
    assert fit_line(m("Calf raise on the stairs"), style, 80).endswith("on…"), "at a word's end when it can"


# --- a long program ----------------------------------------------------------------------------------

LONG_NOTE = ("Keep the movement slow and steady, breathe out as you push, and rest a minute between sets if you "
             "need to. Stop and call us if the pain spreads or you feel dizzy.")


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_twenty_exercises_continue_with_the_header_repeated_and_the_log_whole(tmp_path, logo, paper):
    exercises = [(f"{EXERCISES[i % 5][0]} {i + 1}", EXERCISES[i % 5][1], LONG_NOTE * (1 + i % 2)) for i in range(20)]
    path = build(tmp_path, paper=paper, cover_info=info(clinic(logo)), rows=make_rows(exercises))
    texts = page_texts(path)
    assert len(texts) >= 2
    with pdfplumber.open(path) as pdf:
        table_pages = []
        log_pages = []
        seen_numbers = []
        for index, page in enumerate(pdf.pages):
            text = normalise(page.extract_text())
            if re.search(r"#\s+Exercise\s+How much\s+Notes", text):
                table_pages.append(index)
                header = line_of(page, "#")
                # the numbers in the table's first column, in order, under its header
                numbers = [w for w in words(page) if w["text"].isdigit() and w["x1"] < header[1]["x0"]
                           and w["top"] > header[0]["bottom"] and not tick_boxes(page)]
                if not tick_boxes(page):
                    seen_numbers += [int(w["text"]) for w in sorted(numbers, key=lambda w: w["top"])]
            if tick_boxes(page):
                log_pages.append(index)
            assert f"Page {index + 1} of {len(pdf.pages)}" in text
            assert "Jane Doe" in text
        assert len(table_pages) >= 2, "the header is repeated on the table's next page"
        assert table_pages == list(range(len(table_pages)))
        assert len(log_pages) == 1, "the log is kept whole on one page"
        log_page = pdf.pages[log_pages[0]]
        grid = box_rows(log_page)
        assert len(grid) == 20 and all(len(row) == 28 for row in grid)
        text = normalise(log_page.extract_text())
        assert "Four-week log" in text and "Week 1" in text
        heading = next(w for w in words(log_page) if w["text"] == "Four-week")
        assert heading["bottom"] < grid[0][0]["top"]
        # the Exercise column, read down each page: every title once, in order
        column = []
        for index in table_pages:
            page = pdf.pages[index]
            header = line_of(page, "#")
            left = header[1]["x0"] - 1
            right = next(w["x0"] for w in header if w["text"] == "How") - 1
            column.append(page.crop((left, header[0]["bottom"], right, page.height)).extract_text())
    assert seen_numbers == list(range(1, 21)), "every exercise once in the table, in order"
    column_text = normalise(" ".join(column))
    positions = [re.search(words_pattern(title), column_text).start() for title, _, _ in exercises]
    assert positions == sorted(positions)


def test_one_page_has_no_footer(tmp_path):
    (text,) = page_texts(build(tmp_path, cover_info=info(), rows=make_rows(EXERCISES)))
    assert "Page 1" not in text


def test_a_log_taller_than_a_page_is_divided_between_rows_with_its_header_repeated(tmp_path):
    size = (paper_size("letter")[0], 5.5 * inch)  # half-letter landscape height: 20 rows cannot fit
    exercises = [(f"Exercise {i + 1}", (("reps", "10"),), None) for i in range(20)]
    path = build(tmp_path, size=size, cover_info=info(notes=None), rows=make_rows(exercises))
    with pdfplumber.open(path) as pdf:
        counted = 0
        log_pages = [p for p in pdf.pages if tick_boxes(p)]
        assert len(log_pages) >= 2
        for page in log_pages:
            grid = box_rows(page)
            assert all(len(row) == 28 for row in grid)
            counted += len(grid)
            first_box = grid[0][0]
            assert any(w["text"] == "Week" and w["bottom"] < first_box["top"] for w in words(page)), \
                "every part of the log has its header"
            for mark in all_marks(page):
                assert mark["bottom"] <= page.height - SAFE_EDGE
        assert counted == 20
        assert "(continued)" in normalise(log_pages[1].extract_text())


# --- variants ---------------------------------------------------------------------------------------

def test_without_a_logo_and_without_a_clinic(tmp_path):
    no_logo = build(tmp_path, "no-logo", cover_info=info(clinic(None)), rows=make_rows(EXERCISES))
    none = build(tmp_path, "no-clinic", cover_info=info(None, clinician=None, notes=None), rows=make_rows(EXERCISES))
    with pdfplumber.open(no_logo) as pdf:
        page = pdf.pages[0]
        assert not page.images
        assert "Riverside Physiotherapy" in normalise(page.extract_text())
        name = line_of(page, "Riverside")
        assert name[0]["top"] < 80, "the clinic's name moves up to the top when there is no logo"
    with pdfplumber.open(none) as pdf:
        page = pdf.pages[0]
        text = normalise(page.extract_text())
        assert "Riverside" not in text and "Clinician" not in text and "Notes Do these" not in text
        assert re.search(r"For\s+Jane Doe\s+Date\s+November 25, 2026", text)
        assert len(box_rows(page)) == len(EXERCISES)


def test_no_exercises_gives_a_cover_without_table_or_log(tmp_path):
    pages = lay_out(info(), [])
    assert len(pages) == 1
    path = render(pages, tmp_path / "empty.pdf", paper_size("letter"))
    (text,) = page_texts(path)
    assert "Jane Doe" in text and "Four-week log" not in text and "How much" not in text


def test_large_print_is_a_matter_of_numbers(tmp_path, logo):
    large = CoverStyle().scaled(1.25)
    assert large.body_size == 15 and large.title_size == CoverStyle().title_size * 1.25
    assert large.min_size == CoverStyle().min_size and large.box_min == CoverStyle().box_min
    path = build(tmp_path, cover_info=info(clinic(logo)), rows=make_rows(EXERCISES), style=large)
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            assert min(c["size"] for c in page.chars) >= 9.0
            for mark in all_marks(page):
                assert SAFE_EDGE <= mark["x0"] and mark["x1"] <= page.width - SAFE_EDGE
                assert SAFE_EDGE <= mark["top"] and mark["bottom"] <= page.height - SAFE_EDGE
        note = next(w for p in pdf.pages for w in words(p) if w["text"] == "discomfort")
        assert note["size"] == pytest.approx(15.0)
        grids = [row for p in pdf.pages for row in box_rows(p)]
        assert len(grids) == len(EXERCISES) and all(len(row) == 28 for row in grids)


def test_layout_is_pure_data(logo):
    """Pages of placed flowables inside the margins; laying out twice gives the same positions."""
    first = lay_out(info(clinic(logo)), make_rows(EXERCISES))
    second = lay_out(info(clinic(logo)), make_rows(EXERCISES))
    assert [[(p.x, p.top, p.width, type(p.flowable).__name__) for p in page] for page in first] == \
        [[(p.x, p.top, p.width, type(p.flowable).__name__) for p in page] for page in second]
    width, height = paper_size("letter")
    margin = DEFAULT_THEME.margin
    for page in first:
        for placed in page:
            assert placed.x >= margin - 1e-6 and placed.x + placed.width <= width - margin + 1e-6
            assert placed.top <= height - margin + 1e-6
    assert sum(isinstance(p.flowable, TickLog) for page in first for p in page) == 1


def test_a_note_longer_than_a_page_is_divided_inside_its_row(tmp_path):
    """Far beyond what a program file allows, but the cover must still print all of it on paper."""
    rows = make_rows([("Huge", (("reps", "10"),), "A very long note. " * 300), ("Small", (("reps", "5"),), None)])
    path = build(tmp_path, cover_info=info(), rows=rows)
    margin = DEFAULT_THEME.margin
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 3
        total = 0
        for page in pdf.pages:
            for char in page.chars:
                assert margin - 0.5 <= char["top"] and char["bottom"] <= page.height - margin + 0.5
            total += normalise(page.extract_text()).split().count("very")  # a sentence may span pages
        assert total == 300
        assert len([p for p in pdf.pages if tick_boxes(p)]) == 1


@pytest.mark.parametrize("label", ["Sets & reps <x>", escape("Sets & reps <x>")])
def test_a_dose_label_prints_the_same_plain_or_escaped(tmp_path, label):
    rows = [CoverRow(1, m("Bridge"), ((label, m("2 × 10")),))]
    (text,) = page_texts(build(tmp_path, cover_info=info(), rows=rows))
    assert "Sets & reps <x> 2 × 10" in text


def test_fit_line_cuts_a_right_to_left_line_at_its_visual_left_keeping_its_start():
    from handouts.layout.markup import to_markup
    from handouts.layout.right_to_left import RTL_LINE

    style = ParagraphStyle("t", fontName="Atkinson", fontSize=10, leading=12)
    markup = to_markup("אחת שתיים שלוש ארבע חמש שש שבע שמונה", fonts()).markup
    assert markup.startswith(RTL_LINE)
    cut = fit_line(markup, style, 90)
    assert cut.startswith(RTL_LINE + "…") and cut.count("<font") == cut.count("</font>")
    shown = re.sub(r"<[^>]*>", "", cut)[1:]
    assert "אחת"[::-1] in shown and "שמונה"[::-1] not in shown, "the start (on the right) is kept"
