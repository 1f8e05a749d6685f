"""Read the built handouts back: what is on the page, where, in which font and size.

Every test here opens a real PDF written by ``handouts.build.run.build`` (see conftest.py).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader
from reportlab.lib.units import inch

from conftest import (
    EXERCISE_FILES, EXERCISE_IDS, SEED, baseline, column_boundary, exercise_data, normalise, page_objects,
    pdf_chars, pdf_words, reading_lines, reading_text, run_build, text_of, texts, words_pattern,
)
from handouts.style.fonts import fonts
from reading_order import fragments, list_items, matched, out_of_order, squashed

LONG = "long-shoulder-rehab"
THREE_STEP = "three-step-wall-push"
SPANISH = "spanish-bridge"
SYMBOLS = "symbols-ankle"
LETTER = (612.0, 792.0)
A4 = (595.27, 841.89)
SAFE_EDGE = 0.3 * inch
MARGIN = 0.5 * inch

per_exercise = pytest.mark.parametrize("exercise_id", EXERCISE_IDS)


def _warnings(report, exercise_id: str) -> list[str]:
    return [str(w) for w in report.warnings if Path(w.path).stem == exercise_id]


def _left_out(report, exercise_id: str) -> int:
    """How many description paragraphs the report says were left out (0 when it says nothing)."""
    found = [re.search(r"description: (\d+) of (\d+) paragraphs? left out", w) for w in _warnings(report, exercise_id)]
    found = [m for m in found if m]
    assert len(found) <= 1
    return int(found[0].group(1)) if found else 0


def _printed_fields(data: dict, shown_description: int) -> list[str]:
    return ([normalise(data["title"])] * 2 + texts(data, "summary") + texts(data, "description")[:shown_description]
            + texts(data, "instructions") + texts(data, "tips") + texts(data, "caution"))


def _font_dicts(reader: PdfReader):
    """Every font dictionary reachable from the first page's resources (and its form XObjects)."""
    seen, stack = set(), [reader.pages[0].get("/Resources")]
    while stack:
        resources = stack.pop()
        if resources is None:
            continue
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            if id(font) not in seen:
                seen.add(id(font))
                yield font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and "/FontFile2" in descriptor.get_object()


# --- the page --------------------------------------------------------------------------------

def test_every_exercise_is_built_without_errors(built_any):
    assert built_any.report.failed == []
    assert built_any.report.errors == []
    assert sorted(built_any.pdfs) == EXERCISE_IDS


@per_exercise
def test_handout_is_one_page_and_a_long_one_takes_the_back_of_the_sheet(built_any, exercise_id):
    path = built_any.pdfs[exercise_id]
    pages = 2 if exercise_id == LONG else 1
    assert len(PdfReader(path).pages) == pages
    assert page_objects(path)["pages"] == pages


@per_exercise
def test_letter_page_is_exactly_letter_size(built, exercise_id):
    box = PdfReader(built.pdfs[exercise_id]).pages[0].mediabox
    assert (float(box.left), float(box.bottom)) == (0.0, 0.0)
    assert (float(box.width), float(box.height)) == LETTER


@per_exercise
def test_a4_page_is_a4_size(built_a4, exercise_id):
    box = PdfReader(built_a4.pdfs[exercise_id]).pages[0].mediabox
    assert (float(box.left), float(box.bottom)) == (0.0, 0.0)
    assert float(box.width) == pytest.approx(A4[0], abs=0.5)
    assert float(box.height) == pytest.approx(A4[1], abs=0.5)


# --- the words -------------------------------------------------------------------------------

@per_exercise
def test_every_step_appears_whole_numbered_and_in_reading_order(built_any, exercise_id):
    steps = texts(exercise_data(exercise_id), "instructions")
    items = sorted(list_items(built_any.pdfs[exercise_id], r"\d+\.", bold=True), key=lambda i: int(i.marker[:-1]))
    assert [item.marker for item in items] == [f"{n}." for n in range(1, len(steps) + 1)]
    for item, step in zip(items, steps):
        assert squashed(item.text) == squashed(step), (item.marker, item.text, step)
    assert out_of_order(items) == []


@per_exercise
def test_every_tip_appears_whole_and_in_reading_order(built_any, exercise_id):
    tips = texts(exercise_data(exercise_id), "tips")
    items = list_items(built_any.pdfs[exercise_id], "•")
    assert len(items) == len(tips)
    found = matched(items, tips)
    assert None not in found, [tip for tip, item in zip(tips, found) if item is None]
    assert out_of_order(found) == []


@per_exercise
def test_caution_appears_whole(built_any, exercise_id):
    caution = texts(exercise_data(exercise_id), "caution")
    text = reading_text(built_any.pdfs[exercise_id])
    for note in caution:
        assert re.search(words_pattern(note), text)
    heading = {"en": "Caution", "es": "Precaución"}[exercise_data(exercise_id).get("language", "en")]
    assert (heading in text) == bool(caution)


def test_spanish_content_gets_spanish_labels(built_any):
    """language: es prints the tool's own words in Spanish; the content is printed as written."""
    path = built_any.pdfs["spanish-bridge"]
    side, main = reading_text(path, "side"), reading_text(path, "main")
    assert "Consejos" in side and "Precaución" in side
    assert "Instrucciones" in main and "Instructions" not in main
    assert "Trabaja:" in reading_text(path, "header") and "Material:" in reading_text(path, "header")
    assert "Consulte a su fisioterapeuta si algo no está claro o le duele." in reading_text(path, "footer")


@per_exercise
def test_title_heads_the_page_and_summary_follows(built_any, exercise_id):
    data = exercise_data(exercise_id)
    path = built_any.pdfs[exercise_id]
    header = reading_text(path, "header")
    assert re.match(words_pattern(data["title"]), header)
    assert re.match(words_pattern(data["title"]), reading_text(path, "footer"))
    assert re.match(words_pattern(data["summary"]), reading_text(path, "main"))
    assert normalise(data["title"]) in text_of(path)


@per_exercise
def test_description_paragraphs_shown_are_what_the_report_says(built_any, exercise_id):
    paragraphs = texts(exercise_data(exercise_id), "description")
    text = reading_text(built_any.pdfs[exercise_id])
    left_out = _left_out(built_any.report, exercise_id)
    shown = len(paragraphs) - left_out
    for paragraph in paragraphs[:shown]:
        assert re.search(words_pattern(paragraph), text), f"paragraph claimed shown is missing: {paragraph!r}"
    for paragraph in paragraphs[shown:]:
        opening = " ".join(paragraph.split()[:8])
        assert not re.search(words_pattern(opening), text), f"paragraph reported left out is printed: {opening!r}"


def test_seed_notes_that_its_description_is_left_out_and_does_not_print_it(built):
    """Leaving out optional reading is what the layout is for: a notice for the summary, not a warning."""
    paragraphs = texts(exercise_data(SEED), "description")
    notices = [w for w in built.report.warnings if Path(w.path).stem == SEED and w.field == "description"]
    assert len(notices) == 1 and notices[0].notice == "description"
    assert f"{len(paragraphs)} of {len(paragraphs)} paragraphs left out" in notices[0].message
    text = reading_text(built.pdfs[SEED])
    for paragraph in paragraphs:
        assert " ".join(paragraph.split()[:6]) not in text


# --- where things are ------------------------------------------------------------------------

@per_exercise
def test_nothing_is_drawn_within_the_safe_edge(built_any, exercise_id):
    objects = page_objects(built_any.pdfs[exercise_id])
    width, height = objects["width"], objects["height"]
    drawn = [(kind, o) for kind in ("chars", "images", "rects", "lines", "curves") for o in objects[kind]]
    assert drawn
    for kind, o in drawn:
        assert o["x0"] >= SAFE_EDGE and o["x1"] <= width - SAFE_EDGE, (kind, o.get("text"), o["x0"], o["x1"])
        assert o["top"] >= SAFE_EDGE and o["bottom"] <= height - SAFE_EDGE, (kind, o.get("text"), o["top"])


@per_exercise
def test_every_char_is_inside_the_margins(built_any, exercise_id):
    objects = page_objects(built_any.pdfs[exercise_id])
    width, height = objects["width"], objects["height"]
    slack = 0.5  # a glyph box's font descent may reach a fraction of a point past the text block
    for c in objects["chars"]:
        assert MARGIN - slack <= c["x0"] and c["x1"] <= width - MARGIN + slack, (c["text"], c["x0"], c["x1"])
        assert MARGIN - slack <= c["top"] and c["bottom"] <= height - MARGIN + slack, (c["text"], c["top"])


@per_exercise
def test_no_two_lines_of_text_overlap(built_any, exercise_id):
    chars = sorted(pdf_chars(built_any.pdfs[exercise_id]), key=lambda c: c["top"])
    tolerance = 0.25
    for i, a in enumerate(chars):
        for b in chars[i + 1:]:
            if b["top"] >= a["bottom"] - tolerance:
                break
            if abs(baseline(a) - baseline(b)) < 0.5:
                continue  # the same line
            overlaps = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > tolerance
            assert not overlaps, f"{a['text']!r} at {a['x0']:.1f},{a['top']:.1f} overlaps " \
                                 f"{b['text']!r} at {b['x0']:.1f},{b['top']:.1f}"


@per_exercise
def test_columns_never_come_closer_than_the_gutter(built_any, exercise_id):
    """Two runs of text side by side on one line are two columns: the gutter stays between them."""
    gutter = 0.25 * inch
    by_line: dict[tuple[int, int], list] = {}
    for frag in fragments(built_any.pdfs[exercise_id]):
        by_line.setdefault((frag.page, round(frag.top)), []).append(frag)
    for line in by_line.values():
        line.sort(key=lambda f: f.x0)
        for left, right in zip(line, line[1:]):
            assert right.x0 - left.x1 >= gutter - 1, (left.text, right.text)


def test_seed_steps_are_set_at_40_to_75_characters(built):
    """About 65 characters in the main column, 45-55 in two columns across the page: within the
    40-75 a paragraph of a multi-column page reads well at (Bringhurst, The Elements of Typographic Style, 2.1.2)."""
    items = list_items(built.pdfs[SEED], r"\d+\.", bold=True)
    # the measure is that of full lines: a step's last line is only as long as its last words
    full = [line.text for item in items for line in item.lines[:-1]]
    full = [re.sub(r"^\d+\. ", "", text) for text in full]
    assert len(full) >= 5
    assert 40 <= statistics.median(len(t) for t in full) <= 75


# --- fonts and sizes -------------------------------------------------------------------------

@per_exercise
def test_every_font_in_the_pdf_is_embedded(built, exercise_id):
    fonts_in_pdf = list(_font_dicts(PdfReader(built.pdfs[exercise_id])))
    assert fonts_in_pdf
    not_embedded = [str(f.get("/BaseFont")) for f in fonts_in_pdf if not _embedded(f)]
    assert not_embedded == []


@per_exercise
def test_every_font_that_draws_text_is_embedded(built_any, exercise_id):
    path = built_any.pdfs[exercise_id]
    embedded = {str(f["/BaseFont"]).lstrip("/") for f in _font_dicts(PdfReader(path)) if _embedded(f)}
    used = {c["fontname"] for c in pdf_chars(path)}
    assert used and used <= embedded


@per_exercise
def test_body_text_is_atkinson_hyperlegible(built_any, exercise_id):
    chars = pdf_chars(built_any.pdfs[exercise_id])
    most_common = Counter(c["fontname"] for c in chars).most_common(1)[0][0]
    assert re.search(r"AtkinsonHyperlegible-Regular$", most_common)


@per_exercise
def test_only_characters_atkinson_lacks_are_drawn_in_another_font(built_any, exercise_id):
    font_set = fonts()
    for c in pdf_chars(built_any.pdfs[exercise_id]):
        if c["text"].isspace():
            continue
        in_atkinson = "Atkinson" in c["fontname"]
        assert in_atkinson == font_set.covers_primary(c["text"]), (c["text"], c["fontname"])


def test_arrows_are_drawn_in_inter(built_any):
    data = exercise_data(SYMBOLS)
    path = built_any.pdfs[SYMBOLS]
    shown = len(texts(data, "description")) - _left_out(built_any.report, SYMBOLS)
    expected = sum(field.count("→") for field in _printed_fields(data, shown))
    arrows = [c for c in pdf_chars(path) if c["text"] == "→"]
    assert expected >= 4
    assert len(arrows) == expected
    assert all("Inter" in c["fontname"] for c in arrows)
    assert "→" in text_of(path)
    assert any(c["text"] == "←" and "Inter" in c["fontname"] for c in pdf_chars(path))


@pytest.mark.parametrize("exercise_id", [SEED, THREE_STEP, SPANISH, SYMBOLS])
def test_body_text_is_at_least_12_pt(built_any, exercise_id):
    sizes = Counter(round(c["size"], 2) for c in pdf_chars(built_any.pdfs[exercise_id]) if not c["text"].isspace())
    assert sizes.most_common(1)[0][0] >= 12
    assert not any("printed at" in w for w in _warnings(built_any.report, exercise_id))


def test_long_exercise_takes_the_back_of_the_sheet_at_12_pt_and_says_how_much_to_cut(built_any):
    """16 steps and 14 tips: not below 10.5 pt on one side, so the back of the sheet, at full size."""
    found = [re.search(r"continues on page 2 \(the back of the sheet\): about (\d+)% too long for one side",
                       w) for w in _warnings(built_any.report, LONG)]
    assert len([m for m in found if m]) == 1
    assert not any("printed at" in w for w in _warnings(built_any.report, LONG))
    path = built_any.pdfs[LONG]
    sizes = Counter(round(c["size"], 2) for c in pdf_chars(path) if not c["text"].isspace())
    assert sizes.most_common(1)[0][0] >= 12
    assert "Page 2 of 2" in normalise(PdfReader(path).pages[1].extract_text())


# --- printed as typed ------------------------------------------------------------------------

@pytest.mark.parametrize("typed", ["&", "°", "½", "×", "≥", "≤", "±", "…", "—", "–", "“write”", "‘alphabet drill’",
                                   "is > 5", "stays < 3", "non‑stop"])
def test_symbols_print_as_typed(built, typed):
    assert typed in reading_text(built.pdfs[SYMBOLS])


def test_markup_typed_in_text_prints_literally(tmp_path):
    # symbols-ankle keeps its markup-like strings in the FAQ, which the handout does not print;
    # the same exercise with its questions and answers added as tips puts them on the page
    data = dict(exercise_data(SYMBOLS))
    data["tips"] = list(data["tips"]) + [text for item in data["faq"] for text in item.values()]
    source = tmp_path / "symbols-as-tips.yaml"
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = run_build([source], tmp_path / "out")
    assert result.report.failed == []
    path = result.pdfs["symbols-as-tips"]
    text = " ".join(normalise(page.extract_text()) for page in PdfReader(path).pages)
    for typed in ("<b>not bold</b>", "&amp;", '<img src="x.png">', "R&D", "°", "½", "×"):
        assert typed in text
    fonts_of = {w["text"].rstrip(",."): w["fontname"] for w in pdf_words(path)}
    assert fonts_of["<b>not"].endswith("-Regular") and fonts_of["bold</b>"].endswith("-Regular")


# --- pictures --------------------------------------------------------------------------------

@per_exercise
def test_pictures_are_exactly_those_named(built_any, exercise_id):
    images = page_objects(built_any.pdfs[exercise_id])["images"]
    assert len(images) == (1 if exercise_data(exercise_id).get("image") else 0)


def test_seed_has_one_picture_in_the_side_column(built_any):
    objects = page_objects(built_any.pdfs[SEED])
    assert len(objects["images"]) == 1
    image = objects["images"][0]
    assert image["x0"] >= column_boundary(objects["width"])
    assert image["width"] > 1 * inch and image["height"] > 1 * inch


def test_three_step_has_no_picture(built_any):
    assert page_objects(built_any.pdfs[THREE_STEP])["images"] == ()


# --- the file --------------------------------------------------------------------------------

@per_exercise
def test_same_exercise_builds_to_identical_bytes(tmp_path, exercise_id):
    first = run_build([EXERCISE_FILES[exercise_id]], tmp_path / "one")
    second = run_build([EXERCISE_FILES[exercise_id]], tmp_path / "two")
    assert first.pdfs[exercise_id] != second.pdfs[exercise_id]
    assert first.pdfs[exercise_id].read_bytes() == second.pdfs[exercise_id].read_bytes()


def test_source_date_epoch_sets_a_repeatable_creation_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = run_build([EXERCISE_FILES[THREE_STEP]], tmp_path / "one").pdfs[THREE_STEP]
    second = run_build([EXERCISE_FILES[THREE_STEP]], tmp_path / "two").pdfs[THREE_STEP]
    dates = [str(PdfReader(p).metadata["/CreationDate"]) for p in (first, second)]
    assert dates[0].startswith("D:20231114")
    assert dates[0] == dates[1]
    assert first.read_bytes() == second.read_bytes()


def test_creation_date_is_fixed_without_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = run_build([EXERCISE_FILES[THREE_STEP]], tmp_path).pdfs[THREE_STEP]
    assert not str(PdfReader(path).metadata["/CreationDate"]).startswith("D:20231114")


@per_exercise
def test_metadata_names_the_exercise(built, exercise_id):
    metadata = PdfReader(built.pdfs[exercise_id]).metadata
    assert metadata["/Title"] == normalise(exercise_data(exercise_id)["title"])
    assert str(metadata["/Author"]).strip()
    assert str(metadata["/Subject"]).strip()


# --- too long --------------------------------------------------------------------------------

def test_exercise_too_long_for_a_page_fails_alone(tmp_path):
    sentence = "Move slowly and keep your back flat on the mat while you breathe out through the mouth. "
    long_text = (sentence * 8)[:600].strip()
    assert len(long_text) >= 590
    source = tmp_path / "far-too-long.yaml"
    source.write_text(yaml.safe_dump({
        "title": "Far Too Long",
        "instructions": [f"Step {i}. {long_text}"[:600] for i in range(40)],
        "tips": [f"Tip {i}. {long_text}"[:600] for i in range(30)],
    }), encoding="utf-8")
    result = run_build([source, EXERCISE_FILES[THREE_STEP]], tmp_path / "out")
    assert len(result.report.failed) == 1 and "far-too-long" in result.report.failed[0]
    messages = [str(p) for p in result.report.errors]
    assert len(messages) == 1
    assert "does not fit on 2 pages" in messages[0]
    assert re.search(r"about \d+% too long", messages[0])
    assert int(re.search(r"(\d+)% too long", messages[0]).group(1)) > 0
    assert not (tmp_path / "out" / "handouts" / "far-too-long.pdf").exists()
    assert sorted(p.name for p in (tmp_path / "out" / "handouts").iterdir()) == [f"{THREE_STEP}.pdf"]
    assert list(result.pdfs) == [THREE_STEP]


# --- line breaks typed in steps and tips (issue 13, part 6) -----------------------------------

LINES = Path(__file__).parent / "data" / "line-breaks" / "standing-balance-week.yaml"


def _text_x(line) -> float:
    """Where a list item's text starts: after its number or bullet, if the line has one."""
    chars = [c for c in line.chars if c["text"].strip()]
    marked = re.match(r"(\d+\.|•)", line.text)
    return chars[len(marked.group(1))]["x0"] if marked else chars[0]["x0"]


@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_step_and_a_tip_written_as_blocks_keep_their_line_breaks_under_their_text(tmp_path, paper):
    result = run_build([LINES], tmp_path / "out", paper)
    assert result.report.ok and result.report.warnings == []
    lines = reading_lines(result.pdfs[LINES.stem])
    for region, first, second in (
            ("main", "2. Lift one foot just off the floor and hold for 10 seconds.",
             "Put it down, then lift the other foot."),
            ("side", "• Look at a fixed point ahead of you.", "Keep breathing slowly.")):
        texts_ = [line for line in lines if line.region == region]
        start = next(i for i, line in enumerate(texts_) if first.startswith(line.text))
        end = next(i for i, line in enumerate(texts_) if i > start and second.startswith(line.text))
        # the first line typed, wrapped or not, then the second from the start of a line of its own
        assert normalise(" ".join(line.text for line in texts_[start:end])) == first
        assert normalise(" ".join(line.text for line in texts_[end:])).startswith(second)
        # the line typed after the break starts a line, under the text, not under the number or bullet
        assert texts_[end].chars[0]["x0"] == pytest.approx(_text_x(texts_[start]), abs=0.01)
