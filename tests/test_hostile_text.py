"""Hostile text through the real build: what a content file can throw at the tool.

Every test writes its content into tmp_path, builds it with ``handouts.build.run.build`` or the
CLI (``handouts.cli.main``), and reads the PDFs back: pdfplumber for what is on the page
and where, pypdfium2 for where a glyph's ink actually is, pypdf for the fonts' embedding.

* words that cannot be broken (a 300-character URL, a 120-letter word) wrap inside their
  column or card and nothing is lost;
* a character no font has is replaced visibly and reported with file, line, field and code
  point; every character that is drawn comes from an embedded font that has a glyph for it;
* control characters are stripped with a warning naming the line;
* combining characters: NFC where a precomposed letter exists, kept where none does;
* right-to-left text (Hebrew, Arabic) is printed in visual order, Arabic in its joined forms;
* a decompression-bomb picture, an oversized file, over-long fields and YAML that expands
  or nests without end are refused with one clear message, and the other files still build.
"""

from __future__ import annotations

import re
import struct
import unicodedata
import zlib
from functools import lru_cache
from pathlib import Path

import fontpkg
import pdfplumber
import pypdfium2
import pytest
from PIL import ImageFile
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFontFile

from conftest import REPO, column_boundary, page_objects, reading_lines
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.cli import main
from handouts.content import load
from handouts.content.load import MAX_FILE_BYTES
from handouts.layout.markup import REPLACEMENT
from handouts.style.fonts import GLYPH_ALIASES, fonts
from handouts.style.theme import DEFAULT_THEME

INCH = 72.0
MARGIN = 0.5 * INCH
GUTTER = DEFAULT_THEME.gutter
SLACK = 0.5  # a glyph box's side bearing may reach a fraction of a point past the text block

URL = "https://example.org/" + "a" * 280
WORD = ("Pneumonoultramicroscopicsilicovolcanoconiosis" * 3)[:120]
assert len(URL) == 300 and len(WORD) == 120 and " " not in URL + WORD

GOOD = "title: Wall Push\ninstructions:\n  - Stand an arm's length from a wall.\n  - Push back to the start.\n"


# --- building --------------------------------------------------------------------------------

def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def build_one(tmp_path: Path, name: str, text: str | bytes, **options) -> tuple[BuildReport, Path]:
    """Write content/<name>.yaml, build it, and return the report and the handout's path."""
    source = write(tmp_path / "content", f"{name}.yaml", text)
    (tmp_path / "assets").mkdir(exist_ok=True)
    report = build(BuildOptions(files=(source,), assets_dir=tmp_path / "assets", out_dir=tmp_path / "out",
                                deck=False, **options))
    return report, tmp_path / "out" / "handouts" / f"{name}.pdf"


def warnings_of(report: BuildReport) -> list[tuple[int | None, str | None, str]]:
    return [(w.line, w.field, w.message) for w in report.warnings]


def run_cli(args: list[str], capsys) -> tuple[int, list[str]]:
    """Run ``handouts`` with *args*; the exit status and the stderr lines without the summary."""
    status = main(args)
    out, err = capsys.readouterr()
    lines = [line for line in err.splitlines() if not line.startswith(("built ", "cards: "))]
    return status, lines


# --- counting the work done (the guards below check the work, never the clock) ----------------

#: A picture this large is never decoded by the spy below: a tool that regressed to decoding
#: a bomb fails at once (MemoryError) instead of eating the memory and the minutes.
SPY_MAX_PIXELS = 50_000_000


@pytest.fixture
def decoded(monkeypatch) -> list[tuple[int, int]]:
    """The size of every picture whose pixels are decoded while the test runs.

    PIL decodes a PNG's or a JPEG's pixels in ``ImageFile.load`` only (opening a picture
    reads its header); ``thumbnail``, ``convert`` and ReportLab's reader all go through it.
    """
    sizes: list[tuple[int, int]] = []
    real_load = ImageFile.ImageFile.load

    def spy(self):
        sizes.append(self.size)
        if self.size[0] * self.size[1] > SPY_MAX_PIXELS:
            raise MemoryError(f"the test refused to decode a {self.size[0]} x {self.size[1]} picture")
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", spy)
    return sizes


@pytest.fixture
def yaml_values(monkeypatch) -> dict[str, list[int]]:
    """Per file (as messages name it): the nesting depth of every value the loader made.

    Its length is the values made, aliases expanded (each is one call of the loader's
    builder); its max the deepest nesting the builder recursed to.  A loader that lost its
    limits stops here, past ten times the value budget, instead of running for minutes.
    """
    values: dict[str, list[int]] = {}
    real_build = load._Builder.build

    def spy(self, node, key=()):
        made = values.setdefault(self.path, [])
        made.append(len(key))
        if len(made) > 10 * load.MAX_VALUES:
            raise AssertionError(f"{self.path}: the loader made more than {10 * load.MAX_VALUES} values")
        return real_build(self, node, key)

    monkeypatch.setattr(load._Builder, "build", spy)
    return values


# --- reading the PDFs --------------------------------------------------------------------------

@lru_cache(maxsize=None)
def font_cmaps() -> dict[str, dict[int, int]]:
    """Every installed font package's faces by PostScript name: code point -> glyph id.

    Read from the font files themselves, not from the tool's own idea of what they cover.
    """
    cmaps = {}
    for family in fontpkg.families():
        for file in fontpkg.family(family).files:
            face = TTFontFile(str(file.path))
            cmaps[face.name.decode() if isinstance(face.name, bytes) else face.name] = face.charToGlyph
    for fallback in fonts().fallbacks:  # the variable fonts' bold instances, as the build reads them
        face = pdfmetrics.getFont(fonts().bold_of(fallback.name)).face
        cmaps[face.name.decode() if isinstance(face.name, bytes) else face.name] = face.charToGlyph
    return cmaps


def glyph_problems(path: Path) -> list[str]:
    """Characters drawn without a glyph: in a font that is not embedded, not one of the installed
    fonts, or that has no glyph (only .notdef, an empty box) for the character."""
    problems = []
    for number, page in enumerate(PdfReader(path).pages, start=1):
        stack = [page.get("/Resources")]  # the page's resources and those of its form XObjects
        while stack:
            resources = stack.pop()
            resources = resources.get_object() if resources is not None else {}
            for font in (resources.get("/Font") or {}).values():
                font = font.get_object()
                drawn = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
                descriptor = drawn.get("/FontDescriptor")
                if descriptor is None or not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object()):
                    problems.append(f"page {number}: font {font.get('/BaseFont')} is not embedded")
            stack += [x.get_object().get("/Resources") for x in (resources.get("/XObject") or {}).values()
                      if x.get_object().get("/Subtype") == "/Form"]
    cmaps = font_cmaps()
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            for char in page.chars:
                base = char["fontname"].split("+", 1)[-1]
                if base not in cmaps:
                    problems.append(f"page {number}: {char['text']!r} in {base}, not an installed font")
                    continue
                for c in char["text"]:  # an aliased character is drawn with the glyph of the one it equals
                    if not cmaps[base].get(ord(c)) and not cmaps[base].get(GLYPH_ALIASES.get(ord(c), -1)):
                        problems.append(f"page {number}: {c!r} (U+{ord(c):04X}) has no glyph in {base}")
    return problems


def body_chars(path: Path) -> list[dict]:
    """The handout's chars between the rule under the header and the rule over the footer."""
    objects = page_objects(path)
    rules = sorted(objects["lines"], key=lambda ln: ln["top"])
    top, bottom = rules[0]["top"], rules[-1]["top"]
    return [c for c in objects["chars"] if top < (c["top"] + c["bottom"]) / 2 < bottom]


def squeezed(chars) -> str:
    """The chars' text in reading order (top to bottom, left to right) with all whitespace removed."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: (round(c["matrix"][5], 1) * -1, c["x0"])):
        if rows and abs(rows[-1][0]["matrix"][5] - char["matrix"][5]) < 0.5:
            rows[-1].append(char)
        else:
            rows.append([char])
    return "".join(c["text"] for row in rows for c in sorted(row, key=lambda c: c["x0"]) if not c["text"].isspace())


def line_texts(path: Path, region: str) -> list[str]:
    return [line.text for line in reading_lines(path) if line.region == region]


def ink_boxes(path: Path) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Each character of the first page with the tight box of its glyph's ink (pdfium), in drawing order."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        text = document[0].get_textpage()
        return [(text.get_text_range(i, 1), text.get_charbox(i)) for i in range(text.count_chars())]
    finally:
        document.close()


# --- 1. words that cannot be broken ---------------------------------------------------------

@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_long_url_and_a_long_word_in_a_step_wrap_inside_the_main_column(tmp_path, paper):
    report, pdf = build_one(tmp_path, "long-words", (
        "title: Long Words\n"
        "instructions:\n"
        "  - Sit tall on a firm chair.\n"
        f"  - Open {URL} and say {WORD} before you start.\n"
        "tips:\n"
        "  - Keep your feet flat.\n"), paper=paper)
    assert report.ok and warnings_of(report) == []
    objects = page_objects(pdf)
    assert objects["pages"] == 1
    width, height = objects["width"], objects["height"]
    boundary = column_boundary(width)
    for c in objects["chars"]:
        assert MARGIN - SLACK <= c["x0"] and c["x1"] <= width - MARGIN + SLACK, (c["text"], c["x0"], c["x1"])
        assert MARGIN - SLACK <= c["top"] and c["bottom"] <= height - MARGIN + SLACK, (c["text"], c["top"])
    main = [c for c in body_chars(pdf) if c["x0"] < boundary]
    side = [c for c in body_chars(pdf) if c["x0"] >= boundary]
    for c in main:  # left of the gutter: no char of the step reaches into the side column
        assert c["x1"] <= boundary - GUTTER / 2 + SLACK, (c["text"], c["x0"], c["x1"])
    for c in side:
        assert c["x0"] >= boundary + GUTTER / 2 - SLACK, (c["text"], c["x0"], c["x1"])
    # the long word breaks at the dictionary's points, each with a printed hyphen (the address has none)
    assert f"Open{URL}andsay{WORD}beforeyoustart." in squeezed(main).replace("-", ""), \
        "every character of the step, in order"
    assert squeezed(side) == "Tips•Keepyourfeetflat."
    step_lines = [t for t in line_texts(pdf, "main") if "a" * 20 in t or WORD[:20] in t or WORD[-20:] in t]
    assert len(step_lines) >= 5, "the URL and the word are broken over several lines"


def test_a_long_url_in_a_tip_wraps_inside_the_side_column(tmp_path):
    report, pdf = build_one(tmp_path, "long-tip", (
        "title: Long Tip\n"
        "instructions:\n"
        "  - Sit tall on a firm chair.\n"
        "tips:\n"
        f"  - See {URL} for a video.\n"))
    assert report.ok and warnings_of(report) == []
    objects = page_objects(pdf)
    boundary = column_boundary(objects["width"])
    side = [c for c in body_chars(pdf) if c["x0"] >= boundary]
    box = max(objects["curves"] + objects["rects"], key=lambda o: o["x1"] - o["x0"] if o["x0"] >= boundary else 0)
    for c in side:
        assert c["x0"] >= boundary + GUTTER / 2 - SLACK and c["x1"] <= objects["width"] - MARGIN + SLACK, c["text"]
        assert box["x0"] < c["x0"] and c["x1"] < box["x1"], f"{c['text']!r} at {c['x0']:.1f}-{c['x1']:.1f} " \
                                                            f"leaves the tips box {box['x0']:.1f}-{box['x1']:.1f}"
    assert f"See{URL}foravideo." in squeezed(side)
    assert "aaa" not in squeezed(c for c in body_chars(pdf) if c["x0"] < boundary), "none of the URL in the main column"


# Letter business cards, flip on the long edge: a 2 x 5 grid of 3.5 x 2 in cards, 0.75 in from the
# left and 0.5 in from the top; a back page is the front page mirrored left to right.
CARD_W, CARD_H, GRID_X, GRID_TOP = 3.5 * INCH, 2 * INCH, 0.75 * INCH, 0.5 * INCH
CARD_PADDING = DEFAULT_THEME.card_style("business").padding
PADDING_SLACK = 1.0  # pdfplumber boxes a char by the font's descent, not its ink (see test_cards_pdf.py)


def card_rect(slot: int, back: bool, page_width: float = 612.0) -> tuple[float, float, float, float]:
    row, column = divmod(slot, 2)
    x0, top = GRID_X + column * CARD_W, GRID_TOP + row * CARD_H
    if back:
        x0 = page_width - x0 - CARD_W
    return x0, top, x0 + CARD_W, top + CARD_H


def test_a_long_url_as_a_faq_answer_stays_inside_its_business_card(tmp_path):
    report, _ = build_one(tmp_path, "long-answer", (
        "title: Long Answer\n"
        "instructions:\n"
        "  - Sit tall on a firm chair.\n"
        "faq:\n"
        "  - question: Where is the video?\n"
        f"    answer: {URL}\n"
        f"  - question: What is {WORD}?\n"
        "    answer: A long word.\n"))
    assert report.ok and warnings_of(report) == []
    (cards,) = report.cards
    with pdfplumber.open(cards) as document:
        pages = [(float(p.width), tuple(p.chars)) for p in document.pages]
    assert len(pages) == 2, "two cards: one sheet, fronts and backs"
    on_card: dict[tuple[int, bool], list[dict]] = {}
    for index, (width, chars) in enumerate(pages):
        back = index == 1
        rects = [card_rect(slot, back, width) for slot in range(10)]
        for c in chars:
            if c["text"].isspace():
                continue
            x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
            holders = [s for s, (x0, top, x1, bottom) in enumerate(rects) if x0 <= x <= x1 and top <= y <= bottom]
            if not holders:  # the printing note in the margin: clear of every card
                assert all(c["x1"] <= x0 or c["x0"] >= x1 or c["bottom"] <= top or c["top"] >= bottom
                           for x0, top, x1, bottom in rects), f"{c['text']!r} reaches into a card"
                continue
            (slot,) = holders
            x0, top, x1, bottom = rects[slot]
            inside = (x0 + CARD_PADDING - PADDING_SLACK <= c["x0"] and c["x1"] <= x1 - CARD_PADDING + PADDING_SLACK
                      and top + CARD_PADDING - PADDING_SLACK <= c["top"]
                      and c["bottom"] <= bottom - CARD_PADDING + PADDING_SLACK)
            assert inside, f"page {index + 1}: {c['text']!r} at ({c['x0']:.1f}, {c['top']:.1f}) leaves card {slot + 1}"
            on_card.setdefault((slot, back), []).append(c)
    assert sorted(on_card) == [(0, False), (0, True), (1, False), (1, True)]
    assert squeezed(on_card[0, True]).startswith(URL), "the whole URL on the back of card 1"
    # a word wider than the card is hyphenated at the dictionary's points, with the hyphen printed
    assert f"Whatis{WORD}?" in squeezed(on_card[1, False]).replace("-", "")
    assert squeezed(on_card[1, False]).count("-") >= 2


COMPOUND = "Oberschenkelmuskulaturdehnungsübungsanleitung"


def test_a_compound_too_wide_for_the_card_just_before_a_line_break_is_hyphenated_with_the_hyphen_printed(
        tmp_path):
    """ReportLab forgets the soft hyphens of a word a <br/> follows directly; the line break typed after
    the compound must not turn its dictionary hyphenation into a cut with no hyphen."""
    report, _ = build_one(tmp_path, "kompositum", (
        "title: Dehnung\nlanguage: de\ninstructions:\n  - Stehen Sie aufrecht.\nfaq:\n"
        f"  - question: Wann?\n    answer: |\n      Montag: {COMPOUND}\n      Mittwoch: Pause\n"), card_size="a7")
    assert report.ok and warnings_of(report) == []
    (cards,) = report.cards
    with pdfplumber.open(cards) as document:
        back = [line.strip() for line in document.pages[1].extract_text().splitlines()]
    at = next(i for i, line in enumerate(back) if line.startswith("Montag:"))
    first, rest = back[at].removeprefix("Montag:").strip(), back[at + 1]
    assert first.endswith("-") and len(first) > 5, back  # broken at a dictionary point, the hyphen printed
    assert first[:-1] + rest == COMPOUND and back[at + 2] == "Mittwoch: Pause", back


# --- 2. characters no font has ---------------------------------------------------------------

def test_an_emoji_is_replaced_by_a_visible_stand_in_and_reported(tmp_path):
    report, pdf = build_one(tmp_path, "emoji", (
        "title: Emoji\n"
        "instructions:\n"
        "  - Sit tall on a firm chair.\n"
        "  - Breathe out \U0001F600 slowly.\n"
        "faq:\n"
        "  - question: How do I feel?\n"
        "    answer: Smile \U0001F600 and relax.\n"))
    assert report.ok
    warnings = report.warnings
    assert [(Path(w.path).name, w.line, w.field) for w in warnings] == [
        ("emoji.yaml", 4, "instructions, step 2"), ("emoji.yaml", 7, "faq, question 1, answer")]
    for w in warnings:
        assert "U+1F600" in w.message and "GRINNING FACE" in w.message, w.message
    assert f"2. Breathe out {REPLACEMENT} slowly." in line_texts(pdf, "main")
    with pdfplumber.open(report.cards[0]) as cards:
        answers = cards.pages[1].extract_text()
    assert f"Smile {REPLACEMENT} and relax." in answers
    for path in (pdf, report.cards[0]):
        with pdfplumber.open(path) as document:
            assert not any("\U0001F600" in c["text"] for p in document.pages for c in p.chars)
        assert glyph_problems(path) == []


# --- 3. control characters --------------------------------------------------------------------

def test_control_characters_are_stripped_with_a_warning_naming_each_line(tmp_path):
    text = (
        "title: Control Characters\n"                       # 1
        "instructions:\n"                                   # 2
        '  - "Ring the bell\\a now."\n'                     # 3: escaped BEL
        '  - "Press Escape\\e to stop."\n'                  # 4: escaped ESC
        "  - Zero\u200bwidth space.\n"                      # 5: raw zero-width space
        "  - Byte\ufefforder mark.\n"                       # 6: raw byte order mark inside text
        "  - Raw nul\x00 here.\n"                           # 7: raw NUL, which YAML cannot read
        "tips:\n"                                           # 8
        "  - Raw bell\x07 and raw escape\x1b too.\n"        # 9: raw BEL and ESC
    )
    report, pdf = build_one(tmp_path, "control", text)
    assert report.ok and report.errors == []
    assert sorted(warnings_of(report)) == [
        (3, "instructions, step 1", "control characters removed"),
        (4, "instructions, step 2", "control characters removed"),
        (5, "instructions, step 3", "control characters removed"),
        (6, "instructions, step 4", "control characters removed"),
        (7, "instructions, step 5", "control characters removed"),
        (9, "tips, tip 1", "control characters removed"),
    ], "one warning per line, naming it"
    main = " ".join(line_texts(pdf, "main"))
    for printed in ("1. Ring the bell now.", "2. Press Escape to stop.", "3. Zerowidth space.",
                    "4. Byteorder mark.", "5. Raw nul here."):
        assert printed in main
    assert "Raw bell and raw escape too." in " ".join(line_texts(pdf, "side"))
    controls = {"\x00", "\x07", "\x1b", "\u200b", "\ufeff"}
    assert not [c["text"] for c in page_objects(pdf)["chars"] if set(c["text"]) & controls]
    assert glyph_problems(pdf) == []


# --- 4. combining characters ------------------------------------------------------------------

def test_a_decomposed_accent_is_printed_as_the_precomposed_letter(tmp_path):
    report, pdf = build_one(tmp_path, "decomposed", (
        "title: Cafe\u0301 Stretch\n"
        "instructions:\n"
        '  - "Sit in the cafe\\u0301 chair."\n'))
    assert report.ok and warnings_of(report) == []
    chars = [c["text"] for c in page_objects(pdf)["chars"]]
    assert "\u0301" not in chars
    assert chars.count("\u00e9") == 3  # the title, the step and the footer's title
    assert "1. Sit in the café chair." in line_texts(pdf, "main")
    assert glyph_problems(pdf) == []


MARKS = {
    "n\u0308": "a mark Atkinson Hyperlegible has, on a letter with no precomposed form",
    "x\u0323": "a mark only the fallback font Inter has",
}


@pytest.mark.parametrize("typed", list(MARKS), ids=["n-diaeresis", "x-dot-below"])
def test_a_letter_and_a_combining_mark_with_no_precomposed_form_are_both_kept(tmp_path, typed):
    report, pdf = build_one(tmp_path, "marks", (
        "title: Marks\n"
        "instructions:\n"
        f'  - "The letter {typed} stays."\n'))
    assert report.ok
    assert unicodedata.normalize("NFC", typed) == typed, "there is no precomposed form"
    drawn = "".join(c["text"] for c in page_objects(pdf)["chars"])
    assert f"letter {typed} stays" in drawn, "the base letter, then its mark"
    assert glyph_problems(pdf) == []


@pytest.mark.xfail(strict=True, reason="ReportLab does no mark positioning: a combining mark with no "
                                       "precomposed form is drawn after its letter, beside it, not over it")
@pytest.mark.parametrize("typed", list(MARKS), ids=["n-diaeresis", "x-dot-below"])
def test_a_combining_mark_is_drawn_over_its_letter(tmp_path, typed):
    report, pdf = build_one(tmp_path, "marks", (
        "title: Marks\n"
        "instructions:\n"
        f'  - "The letter {typed} stays."\n'))
    assert report.ok
    boxes = ink_boxes(pdf)
    at = next(i for i, (text, _) in enumerate(boxes) if text == typed[1])
    (base, (base_left, _, base_right, _)), (_, (mark_left, _, mark_right, _)) = boxes[at - 1], boxes[at]
    assert base == typed[0]
    assert base_left - SLACK <= (mark_left + mark_right) / 2 <= base_right + SLACK, (
        f"the mark's ink ({mark_left:.1f} to {mark_right:.1f} pt) is not over its letter's "
        f"({base_left:.1f} to {base_right:.1f} pt)")


NO_FONT_MARK = "\u1ab0"  # COMBINING DOUBLED CIRCUMFLEX ACCENT: in none of the fonts


def test_a_combining_mark_no_font_has_is_reported_not_dropped_silently(tmp_path):
    report, pdf = build_one(tmp_path, "lost-mark", (
        "title: Lost Mark\n"
        "instructions:\n"
        f'  - "The letter q{NO_FONT_MARK} stays."\n'))
    assert report.ok
    (warning,) = report.warnings
    assert (warning.line, warning.field) == (3, "instructions, step 1")
    assert "U+1AB0" in warning.message
    assert "The letter q" in " ".join(line_texts(pdf, "main")), "the base letter is still printed"
    assert glyph_problems(pdf) == []


def test_the_warning_for_a_left_out_mark_does_not_claim_a_stand_in(tmp_path):
    report, pdf = build_one(tmp_path, "lost-mark", (
        "title: Lost Mark\n"
        "instructions:\n"
        f'  - "The letter q{NO_FONT_MARK} stays."\n'))
    (warning,) = report.warnings
    assert "1. The letter q stays." in line_texts(pdf, "main"), "nothing stands in for the mark"
    assert "stand-in" not in warning.message, warning.message


# --- 5. right-to-left text --------------------------------------------------------------------
# pdfplumber reads a line left to right as it is seen: a right-to-left run comes out reversed.

HEBREW = "שלום עולם"
ARABIC = "مرحبا بالعالم"
#: "مرحبا بالعالم" as seen: right to left, each letter in its joined form (Arabic Presentation Forms-B)
ARABIC_SEEN = ("\ufee2\ufedf\ufe8e\ufecc\ufedf\ufe8e\ufe91"  # بالعالم: final meem ... initial beh
               " \ufe8e\ufe92\ufea3\ufeae\ufee3")            # مرحبا: final alef ... initial meem


def rtl_handout(tmp_path: Path, *tips: str) -> tuple[BuildReport, Path]:
    return build_one(tmp_path, "rtl", "title: Right To Left\ninstructions:\n  - Sit tall on a firm chair.\ntips:\n"
                     + "".join(f'  - "{tip}"\n' for tip in tips))


def tip_lines(pdf: Path) -> list[tuple[str, tuple]]:
    return [(line.text, line.chars) for line in reading_lines(pdf) if line.region == "side" and line.text != "Tips"]


def test_a_hebrew_tip_is_printed_in_visual_order_from_an_embedded_font(tmp_path):
    report, pdf = rtl_handout(tmp_path, HEBREW)
    assert report.ok
    ((text, chars),) = tip_lines(pdf)
    assert text == "• " + HEBREW[::-1], "a purely right-to-left run is seen reversed"
    assert REPLACEMENT not in text
    assert {c["fontname"].split("+")[-1] for c in chars if "\u0590" <= c["text"] <= "\u05ff"} == {"Heebo-Regular"}
    assert glyph_problems(pdf) == []


def test_hebrew_inside_an_english_tip_keeps_the_english_order(tmp_path):
    report, pdf = rtl_handout(tmp_path, f"Say {HEBREW} to the group.")
    assert report.ok
    text = " ".join(line for line, _ in tip_lines(pdf))  # a short exercise's type grows: it may wrap
    assert text == f"• Say {HEBREW[::-1]} to the group."
    assert glyph_problems(pdf) == []


def test_an_arabic_tip_is_printed_joined_and_in_visual_order(tmp_path):
    report, pdf = rtl_handout(tmp_path, ARABIC)
    assert report.ok
    ((text, chars),) = tip_lines(pdf)
    assert text == "• " + ARABIC_SEEN
    assert unicodedata.normalize("NFKC", ARABIC_SEEN) == ARABIC[::-1], "the same letters, as typed"
    assert REPLACEMENT not in text
    assert {c["fontname"].split("+")[-1] for c in chars
            if unicodedata.bidirectional(c["text"]) == "AL"} == {"NotoSansArabic-Regular"}
    assert glyph_problems(pdf) == []


HEBREW_LONG = "אחת שתיים שלוש ארבע חמש שש שבע שמונה תשע עשר אחת עשרה שתים עשרה שלוש עשרה"


def test_a_hebrew_tip_that_wraps_reads_from_its_first_line(tmp_path):
    report, pdf = rtl_handout(tmp_path, HEBREW_LONG)
    assert report.ok and [w for w in report.warnings if not w.notice] == []
    lines = [(text.removeprefix("• "), chars) for text, chars in tip_lines(pdf)]
    assert len(lines) >= 2, "the tip wraps"
    logical = [text[::-1] for text, _ in lines]  # each line read right to left
    assert " ".join(logical) == HEBREW_LONG, logical


HEBREW_LINES = ("שלום לכם", "מה שלומכם היום")


def test_a_hebrew_tip_and_answer_of_two_lines_print_each_line_in_visual_order(tmp_path):
    block = "".join(f"      {line}\n" for line in HEBREW_LINES)
    report, pdf = build_one(tmp_path, "rtl-lines", "title: Right To Left\ninstructions:\n  - Sit tall.\ntips:\n"
                            f"  - |\n{block}faq:\n  - question: Why?\n    answer: |\n{block}")
    assert report.ok
    assert [text.removeprefix("• ") for text, _ in tip_lines(pdf)] == [line[::-1] for line in HEBREW_LINES]
    (cards,) = report.cards
    with pdfplumber.open(cards) as document:
        back = [line.strip() for line in document.pages[1].extract_text().splitlines()]
    at = back.index(HEBREW_LINES[0][::-1])
    assert back[at + 1] == HEBREW_LINES[1][::-1], back


# --- 6. pictures that would eat the memory -----------------------------------------------------

def png_of(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of *width* x *height* black pixels, made without holding them."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte, then the packed pixels
    packer = zlib.compressobj(9)
    rows = 1000
    body = b"".join(packer.compress(row * min(rows, height - done)) for done in range(0, height, rows))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body + packer.flush())
            + chunk(b"IEND", b""))


def test_a_decompression_bomb_picture_is_refused_undecoded_and_the_handout_printed(tmp_path, decoded):
    bomb = png_of(30_000, 30_000)  # 900 million pixels in about 100 KB
    assert len(bomb) < 200_000
    write(tmp_path / "assets", "bomb.png", bomb)
    report, pdf = build_one(tmp_path, "bomb", (
        "title: Bomb\n"
        "image: bomb.png\n"
        "instructions:\n"
        "  - Sit tall on a firm chair.\n"))
    assert decoded == [], "the bomb's pixels were decoded; its header alone must refuse it"
    assert report.ok and report.errors == []
    (warning,) = report.warnings
    assert (warning.line, warning.field) == (2, "image")
    assert "bomb.png" in warning.message and "too many pixels" in warning.message
    assert page_objects(pdf)["pages"] == 1
    assert page_objects(pdf)["images"] == ()
    assert "1. Sit tall on a firm chair." in line_texts(pdf, "main")


# --- 7. limits ---------------------------------------------------------------------------------

def padded_to(size: int) -> str:
    """A valid exercise of exactly *size* bytes (a long comment at the end)."""
    filler = size - len(GOOD.encode()) - 2
    return GOOD + "#" + "x" * filler + "\n"


TITLE_150 = ("Seated Knee March " * 9)[:149] + "s"
STEP_1200 = ("Lift one knee slowly and lower it again. " * 30)[:1200]
assert len(TITLE_150) == 150 and len(STEP_1200) == 1200 and not TITLE_150.endswith(" ")


@pytest.mark.parametrize("name, content, expected", [
    ("too-big", padded_to(300 * 1024), "too-big.yaml: file is 300 KB; the limit is 256 KB"),
    ("title-151", f"title: {TITLE_150}X\ninstructions:\n  - Sit.\n",
     "title-151.yaml:1: title: is 151 characters long; the limit is 150"),
    ("step-1201", f"title: Step\ninstructions:\n  - Sit.\n  - {STEP_1200}.\n",
     "step-1201.yaml:4: instructions, step 2: is 1201 characters long; the limit is 1200"),
], ids=["file-300-KB", "title-151", "step-1201"])
def test_one_over_a_limit_is_one_clear_message_naming_the_limit(tmp_path, monkeypatch, capsys, name, content,
                                                                expected):
    write(tmp_path, f"{name}.yaml", content)
    write(tmp_path, "good.yaml", GOOD)
    monkeypatch.chdir(tmp_path)
    status, lines = run_cli(["build", f"{name}.yaml", "good.yaml", "--out", "out", "--jobs", "1"], capsys)
    assert (status, lines) == (1, [expected])
    assert sorted(p.name for p in (tmp_path / "out" / "handouts").iterdir()) == ["good.pdf"]


@pytest.mark.parametrize("name, content", [
    ("file-256-KB", padded_to(MAX_FILE_BYTES)),
    ("title-150", f"title: {TITLE_150}\ninstructions:\n  - Sit.\n"),
    # 151 code points, 150 characters: the decomposed é counts once, as it is printed
    ("title-150-nfc", f"title: {TITLE_150[:-1]}e\u0301\ninstructions:\n  - Sit.\n"),
    ("step-1200", f"title: Step\ninstructions:\n  - Sit.\n  - {STEP_1200}\n"),
])
def test_exactly_at_a_limit_is_built(tmp_path, name, content):
    report, pdf = build_one(tmp_path, name, content)
    assert report.ok and report.errors == [], [str(e) for e in report.errors]
    assert page_objects(pdf)["pages"] == 1


def test_a_file_just_over_the_size_limit_is_reported_as_bigger_than_the_limit(tmp_path, monkeypatch, capsys):
    write(tmp_path, "just-over.yaml", padded_to(MAX_FILE_BYTES + 1))
    monkeypatch.chdir(tmp_path)
    status, lines = run_cli(["build", "just-over.yaml", "--out", "out"], capsys)
    assert status == 1 and len(lines) == 1
    match = re.fullmatch(r"just-over\.yaml: file is ([\d.]+) (\w+); the limit is ([\d.]+) \2", lines[0])
    size, limit = match.group(1, 3)
    assert float(size) > float(limit), lines[0]


# --- 8. YAML that expands or nests without end --------------------------------------------------

def test_an_alias_bomb_is_refused_within_the_value_budget_in_one_line_and_the_other_files_still_build(
        tmp_path, monkeypatch, capsys, yaml_values):
    content = tmp_path / "content"
    write(content, "alias-bomb.yaml", (REPO / "tests" / "data" / "bad" / "alias-bomb.yaml").read_text())
    write(content, "wall-push.yaml", GOOD)
    monkeypatch.chdir(tmp_path)
    # in this process (--jobs 1), where yaml_values counts: a worker parses the files it builds
    status, lines = run_cli(["build", "--content", "content", "--out", "out", "--jobs", "1"], capsys)
    # 9 ** 9 values once expanded: the loader stops at its budget, not after expanding them
    assert len(yaml_values["content/alias-bomb.yaml"]) == load.MAX_VALUES + 1
    assert status == 1
    assert lines == ["content/alias-bomb.yaml:4: more than 20000 values (YAML aliases expanding?)"]
    assert sorted(p.name for p in (tmp_path / "out" / "handouts").iterdir()) == ["wall-push.pdf"]


DEEP = 3000


@pytest.mark.parametrize("nested, lines_ok", [
    (f"extra: {'[' * DEEP}{']' * DEEP}\n", [4]),
    (f"extra: {'{a: ' * DEEP}1{'}' * DEEP}\n", [4]),
    ("extra:\n" + "".join(f"{'  ' * depth}a:\n" for depth in range(1, 200)), range(5, 204)),  # where it gets too deep
    (f"extra:\n  {'- ' * DEEP}x\n", [5]),
], ids=["flow-lists", "flow-mappings", "indented-mappings", "block-lists-on-one-line"])
def test_deeply_nested_yaml_is_refused_in_one_line_and_the_other_files_still_build(tmp_path, monkeypatch, capsys,
                                                                                   nested, lines_ok, yaml_values):
    content = tmp_path / "content"
    write(content, "deep.yaml", f"title: Deep\ninstructions:\n  - Sit.\n{nested}")
    write(content, "wall-push.yaml", GOOD)
    monkeypatch.chdir(tmp_path)
    status, lines = run_cli(["build", "--content", "content", "--out", "out"], capsys)
    # the loader recursed no deeper than its limit, and made a handful of values on the way
    # (none when the YAML parser itself gives up first)
    made = yaml_values.get("content/deep.yaml", [])
    assert max(made, default=0) <= load.MAX_DEPTH + 1, f"the loader recursed {max(made)} levels deep"
    assert len(made) <= 2 * load.MAX_DEPTH, f"the loader made {len(made)} values"
    assert "internal error" not in " ".join(lines)
    assert status == 1 and len(lines) == 1, lines
    match = re.fullmatch(r"content/deep\.yaml:(\d+): .*nested.*", lines[0])
    assert match and int(match.group(1)) in lines_ok, lines[0]
    assert sorted(p.name for p in (tmp_path / "out" / "handouts").iterdir()) == ["wall-push.pdf"]
