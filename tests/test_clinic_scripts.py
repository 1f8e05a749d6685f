"""What clinics type prints right, through the real build (issue 13): mirrored brackets in
right-to-left text, one stand-in per grapheme cluster, text in a script no font prints
failing its exercise, glyph aliases drawn silently in Atkinson Hyperlegible, and the
characters drawn in a fallback font listed once in the summary instead of warned per field.

Right-to-left lines are read back from the PDF in visual order (left to right, as drawn),
folded with NFKC where Arabic's joined presentation forms were drawn.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pdfplumber
import pytest

from conftest import group_lines, reading_lines
from handouts.cli import main
from handouts.layout.markup import REPLACEMENT
from handouts.style.theme import DEFAULT_THEME, large_print
from test_hostile_text import build_one, glyph_problems, write

HEBREW = (
    'title: "הרמת רגל (שכיבה)"\n'                                  # 1
    "instructions:\n"                                               # 2
    '  - "הרם את הרגל (פעמיים ביום)"\n'                            # 3
    '  - "שני <ימין> «שמאל» [א]"\n'                                # 4
    '  - "תרגיל bird (dog) שני"\n'                                  # 5: N0: English in brackets keeps its own
    "tips:\n"
    '  - "נשום (לאט)"\n'
    "faq:\n"
    '  - question: "כמה פעמים (ביום)?"\n'
    '    answer: "פעמיים (בוקר וערב)"\n')

ARABIC = (
    'title: "تمرين الساق (سهل)"\n'
    'summary: "ارفع الساق (3 مجموعات) ببطء"\n'
    "instructions:\n"
    '  - "ارفع الساق (3 مجموعات)"\n'
    "tips:\n"
    '  - "تنفس (ببطء)"\n'
    "faq:\n"
    '  - question: "كم مرة (في اليوم)؟"\n'
    '    answer: "مرتين (صباحا ومساء)"\n')


def seen(text: str) -> str:
    """Drawn text as its letters (Arabic's joined forms folded back), spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def lines_of(pdf: Path, region: str) -> list[str]:
    return [seen(line.text) for line in reading_lines(pdf) if line.region == region]


def warned(report) -> list:
    """The report's warnings, not its notices (a fallback font used is one: nothing to fix)."""
    return [w for w in report.warnings if not w.notice]


def card_lines(path: Path, page: int) -> list[str]:
    """A card sheet's lines, by baseline (fonts of different heights share a line)."""
    with pdfplumber.open(path) as document:
        return [seen(line.text) for line in group_lines("card", document.pages[page].chars)]


# --- 2. brackets and other Bidi_Mirrored characters face inward in right-to-left runs ---------

def test_hebrew_brackets_in_title_steps_tips_and_cards_face_the_words_they_enclose(tmp_path):
    report, pdf = build_one(tmp_path, "hebrew", HEBREW)
    assert report.ok and warned(report) == []
    assert "(הביכש) לגר תמרה" in lines_of(pdf, "header")
    main_lines = lines_of(pdf, "main")
    assert "1. (םויב םיימעפ) לגרה תא םרה" in main_lines
    assert "2. [א] «לאמש» <ןימי> ינש" in main_lines, "angle brackets and guillemets mirror too"
    assert "3. ינש bird (dog) ליגרת" in main_lines, "brackets around English inside Hebrew stay as typed"
    assert "• (טאל) םושנ" in lines_of(pdf, "side")
    assert "?(םויב) םימעפ המכ" in card_lines(report.cards[0], 0)
    assert "(ברעו רקוב) םיימעפ" in card_lines(report.cards[0], 1)
    assert glyph_problems(pdf) == []


def test_arabic_brackets_in_summary_steps_tips_and_cards_face_the_words_they_enclose(tmp_path):
    report, pdf = build_one(tmp_path, "arabic", ARABIC)
    assert report.ok and warned(report) == []
    assert "(لهس) قاسلا نيرمت" in lines_of(pdf, "header")
    main_lines = lines_of(pdf, "main")
    assert "ءطبب (تاعومجم 3) قاسلا عفرا" in main_lines, "the summary, the number beside its opening bracket"
    assert "1. (تاعومجم 3) قاسلا عفرا" in main_lines
    assert "• (ءطبب) سفنت" in lines_of(pdf, "side")
    assert "؟(مويلا يف) ةرم مك" in card_lines(report.cards[0], 0)
    assert "(ءاسمو احابص) نيترم" in card_lines(report.cards[0], 1)


# --- 4. one stand-in per character a reader sees -----------------------------------------------

@pytest.mark.parametrize("typed, name", [
    ("\U0001F468\u200d\U0001F469\u200d\U0001F467\u200d\U0001F466", "U+1F468 MAN, a sequence of 7 code points"),
    ("\U0001F44D\U0001F3FD", "U+1F44D THUMBS UP SIGN, a sequence of 2 code points"),
    ("\U0001F1E9\U0001F1EA", "a sequence of 2 code points"),  # a flag: two regional indicators
], ids=["family", "skin-tone", "flag"])
def test_an_emoji_sequence_prints_as_one_stand_in_with_one_warning_naming_it_whole(tmp_path, typed, name):
    report, pdf = build_one(tmp_path, "emoji", f'title: Walk\ninstructions:\n  - "Walk together {typed} daily."\n')
    assert report.ok
    (warning,) = warned(report)
    assert (warning.line, warning.field) == (3, "instructions, step 1")
    assert f"'{typed}' (" in warning.message and name in warning.message
    assert f"1. Walk together {REPLACEMENT} daily." in lines_of(pdf, "main")


# --- 5. text no font can print fails its exercise -----------------------------------------------

@pytest.mark.parametrize("script, step", [
    ("Thai", "ยกขาขึ้นช้าๆ แล้วค้างไว้"),
    ("Devanagari", "धीरे धीरे पैर उठाएं"),
    ("Chinese", "慢慢抬起腿，保持五秒"),
])
def test_an_exercise_in_a_script_no_font_prints_fails_naming_line_field_and_script(tmp_path, capsys, script, step):
    write(tmp_path / "content", "foreign.yaml", f'title: Leg raise\ninstructions:\n  - "Lie down."\n  - "{step}"\n')
    write(tmp_path / "content", "good.yaml", 'title: Wall push\ninstructions:\n  - "Push the wall."\n')
    (tmp_path / "assets").mkdir()
    status = main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                   "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert f"foreign.yaml:4: instructions, step 2: {script} text cannot be printed: no font for this script" in [
        line.rpartition("/")[2] for line in err]
    assert (tmp_path / "out" / "handouts" / "good.pdf").is_file(), "the other exercises still build"
    assert not (tmp_path / "out" / "handouts" / "foreign.pdf").exists()


def test_a_few_stray_letters_of_such_a_script_keep_their_stand_in_and_warning(tmp_path):
    report, pdf = build_one(tmp_path, "stray", 'title: Leg raise\ninstructions:\n  - "Say ย to start."\n')
    assert report.ok
    (warning,) = warned(report)
    assert "U+0E22 THAI CHARACTER YO YAK" in warning.message and "stand-in" in warning.message
    assert f"1. Say {REPLACEMENT} to start." in lines_of(pdf, "main")


def test_a_faq_in_a_script_no_font_prints_fails_the_cards_too(tmp_path):
    report, _ = build_one(tmp_path, "faq", 'title: Leg raise\ninstructions:\n  - "Lie down."\n'
                                           'faq:\n  - question: "ยกขาขึ้นกี่ครั้ง"\n    answer: "Ten."\n')
    assert not report.ok
    assert {(e.line, e.field, e.message) for e in report.errors} == {
        (5, "faq, question 1, question", "Thai text cannot be printed: no font for this script")}


# --- 8. characters Atkinson has under another code point; the fallback fonts in the summary --------

PLAIN = (
    "title: Heel raises\n"
    "instructions:\n"
    '  - "Stand with your feet hip\u2011width apart \u2192 hold a chair."\n'
    '  - "Rise for 2\u20113 seconds, walk 10\u202fkm, 5\u20126 sets."\n'
    "tips:\n"
    '  - "Keep the knees soft \u2192 never locked."\n')


def test_a_plain_clinic_exercise_with_no_break_hyphens_and_an_arrow_gives_no_warning(tmp_path, capsys):
    write(tmp_path / "content", "heel-raises.yaml", PLAIN)
    (tmp_path / "assets").mkdir()
    status = main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                   "--out", str(tmp_path / "out")])
    out, err = capsys.readouterr()
    assert status == 0 and "warning" not in err
    assert "0 warnings" in out
    (listed,) = [line for line in out.splitlines() if line.startswith("printed in a fallback font")]
    assert listed == ("printed in a fallback font, as Atkinson Hyperlegible lacks them: "
                      "'→' (U+2192 RIGHTWARDS ARROW) in Inter (1 file; --verbose lists them)")
    pdf = tmp_path / "out" / "handouts" / "heel-raises.pdf"
    with pdfplumber.open(pdf) as document:
        chars = document.pages[0].chars
    fonts = {c["text"]: c["fontname"].split("+")[-1] for c in chars if c["text"] in "\u2011\u2012\u2192"}
    assert fonts == {"\u2011": "AtkinsonHyperlegible-Regular", "\u2012": "AtkinsonHyperlegible-Regular",
                     "\u2192": "Inter-Regular"}, "the PDF's text keeps what was typed"
    assert glyph_problems(pdf) == []


def test_verbose_lists_each_field_a_fallback_font_printed_once(tmp_path, capsys):
    write(tmp_path / "content", "heel-raises.yaml", PLAIN)
    write(tmp_path / "content", "hebrew.yaml", HEBREW)
    (tmp_path / "assets").mkdir()
    main(["build", "--verbose", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
          "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out.splitlines()
    start = next(i for i, line in enumerate(out) if line.startswith("printed in a fallback font"))
    assert out[start].endswith("Hebrew letters in Heebo; '→' (U+2192 RIGHTWARDS ARROW) in Inter (2 files)")
    listed = [line.strip().rpartition("/")[2] for line in out[start + 1:] if line.startswith("  ")]
    assert "heel-raises.yaml:3: instructions, step 1: '→' (U+2192 RIGHTWARDS ARROW) in Inter" in listed
    assert "hebrew.yaml:1: title: Hebrew letters in Heebo" in listed
    assert len(listed) == len(set(listed))


def test_a_program_fails_naming_its_thai_exercise_or_client_while_the_others_build(tmp_path, capsys):
    write(tmp_path / "content", "thai.yaml", 'title: Leg raise\ninstructions:\n  - "ยกขาขึ้นช้าๆ"\n')
    write(tmp_path / "content", "heel-raises.yaml", PLAIN)
    write(tmp_path / "programs", "sam.yaml", "client: Sam\nexercises: [heel-raises, thai]\n")
    write(tmp_path / "programs", "somchai.yaml", "client: สมชาย ใจดี\nexercises: [heel-raises]\n")
    write(tmp_path / "programs", "lee.yaml", "client: Lee\nexercises: [heel-raises]\n")
    (tmp_path / "assets").mkdir()
    status = main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                   "--out", str(tmp_path / "out")])
    err = [line.replace(str(tmp_path) + "/", "") for line in capsys.readouterr().err.splitlines()]
    assert status == 1
    assert ("programs/sam.yaml:2: exercises, exercise 2: exercise 'thai': Thai text cannot be printed: "
            "no font for this script (content/thai.yaml:3: instructions, step 1)") in err
    assert "programs/somchai.yaml:1: client: Thai text cannot be printed: no font for this script" in err
    assert sorted(p.name for p in (tmp_path / "out" / "programs").iterdir()) == ["lee.pdf"]


def test_a_program_cover_lists_a_dose_whose_first_word_is_set_in_a_fallback_font(tmp_path, capsys):
    write(tmp_path / "content", "hold.yaml", 'title: Wall sit\ninstructions:\n  - "Sit against the wall."\n'
                                             'dose:\n  hold: "→ 60 s"\n  frequency: "два раза в день"\n')
    write(tmp_path / "programs", "anna.yaml", "client: Anna\nexercises: [hold]\n")
    (tmp_path / "assets").mkdir()
    status = main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                   "--out", str(tmp_path / "out")])
    assert status == 0, capsys.readouterr().err
    with pdfplumber.open(tmp_path / "out" / "programs" / "anna.pdf") as document:
        cover = " ".join(document.pages[0].extract_text().split())
    assert "→ 60 s" in cover and "два раза в день" in cover


@pytest.mark.parametrize("word, scripts", [("नमस्ते", "Devanagari"), ("日本です", "Chinese and Japanese")])
def test_one_word_of_four_letters_no_font_prints_is_enough_to_fail(tmp_path, word, scripts):
    report, _ = build_one(tmp_path, "word", f'title: Greeting\ninstructions:\n  - "Say {word} to start."\n')
    assert [(e.line, e.message.split(":")[0]) for e in report.errors] == [(3, f"{scripts} text cannot be printed")]


def test_a_clinic_name_no_font_prints_stops_the_build_before_anything_is_written(tmp_path, capsys):
    write(tmp_path / "content", "heel-raises.yaml", PLAIN)
    write(tmp_path, "clinic.yaml", 'name: "คลินิกกายภาพ Bangkok"\n')
    (tmp_path / "assets").mkdir()
    status = main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                   "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.splitlines()
    assert status == 1
    assert [line.rpartition("/")[2] for line in err] == [
        "clinic.yaml:1: name: Thai text cannot be printed: no font for this script"]
    assert not (tmp_path / "out" / "handouts").exists()


def test_a_hebrew_clinic_name_on_a_card_sheet_keeps_the_phone_number_whole_after_it(tmp_path):
    write(tmp_path, "clinic.yaml", 'name: "מרפאת (הצפון) פיזיו"\nphone: "03-555 0100"\n')
    write(tmp_path / "content", "faq.yaml", 'title: Walk\ninstructions:\n  - "Walk."\n'
                                            'faq:\n  - question: "How far?"\n    answer: "A mile."\n')
    (tmp_path / "assets").mkdir()
    assert main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                 "--out", str(tmp_path / "out")]) == 0
    header = card_lines(tmp_path / "out" / "cards" / "faq.pdf", 0)[0]
    assert header.endswith("ויזיפ (ןופצה) תאפרמ · 03-555 0100"), header


# --- right-to-left lines that wrap read from the top -------------------------------------------------

def test_each_line_of_a_hebrew_answer_wraps_in_reading_order_on_its_card(tmp_path):
    first = "אחת שתיים שלוש ארבע חמש שש שבע שמונה תשע עשר אחת עשרה"
    second = "שתים עשרה שלוש עשרה ארבע עשרה חמש עשרה שש עשרה שבע עשרה"
    report, _ = build_one(tmp_path, "rtl", 'title: Count\ninstructions:\n  - "Count."\nfaq:\n'
                                           f'  - question: "כמה?"\n    answer: |\n      {first}\n      {second}\n')
    assert report.ok and warned(report) == []
    lines = [line for line in card_lines(report.cards[0], 1) if any("\u05d0" <= c <= "\u05ea" for c in line)]
    assert len(lines) > 2, "each line wraps"
    read = [line[::-1] for line in lines]  # each printed line read right to left, top to bottom
    assert " ".join(read) == f"{first} {second}", read
    breaks = [i for i in range(1, len(read)) if " ".join(read[:i]) == first]
    assert breaks, "the second line starts a printed line of its own"


def test_a_long_hebrew_title_in_the_tick_log_keeps_its_start_and_reads_from_the_top(tmp_path, capsys):
    title = "הרמת רגל ישרה בשכיבה על הגב עם גומייה (מתקדם)"
    write(tmp_path / "content", "raise.yaml", f'title: "{title}"\ninstructions:\n  - "הרם את הרגל."\n')
    write(tmp_path / "programs", "dana.yaml", "client: Dana\nexercises: [raise]\n")
    (tmp_path / "assets").mkdir()
    assert main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                 "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    with pdfplumber.open(tmp_path / "out" / "programs" / "dana.pdf") as document:
        page = document.pages[0]
        # the weekday row: it starts on the program's first day (today), and pdfplumber runs some of its
        # narrow names together ("SuMo"), so it is found by its first word made of day names
        log_top = next(w["bottom"] for w in page.extract_words()
                       if re.fullmatch(r"(?:Mo|Tu|We|Th|Fr|Sa|Su)+", w["text"]))
        boxes = min(r["x0"] for r in page.rects if r["top"] > log_top)
        label = [c for c in page.chars if c["top"] > log_top and c["x1"] < boxes]
    lines = [seen(line.text) for line in group_lines("log", label)]
    read = " ".join(line[::-1] for line in lines).replace("1 ", "", 1).strip()  # right to left, top down
    assert read.startswith("הרמת רגל ישרה") and read.endswith("..."), read  # NFKC: the ellipsis as three dots
    assert max(c["x1"] for c in label) < boxes - 2, "a gap before the boxes"


def test_a_hebrew_paragraph_too_long_for_one_column_is_split_not_a_crash(tmp_path):
    words = "אחת שתיים שלוש ארבע חמש שש שבע שמונה תשע עשר ".split()
    long = " ".join(words[i % len(words)] for i in range(330))  # about 1,800 characters
    report, pdf = build_one(tmp_path, "long", f'title: "ארוך"\ninstructions:\n  - "{long[:280]}"\n'
                                              f'description:\n  - "{long}"\n', theme=large_print(DEFAULT_THEME))
    assert report.ok, report.errors
    assert pdf.is_file()


def test_a_short_hebrew_title_in_the_tick_log_is_printed_whole(tmp_path, capsys):
    write(tmp_path / "content", "bridge.yaml", 'title: "גשר"\ninstructions:\n  - "הרם את האגן."\n')
    write(tmp_path / "programs", "dana.yaml", "client: Dana\nexercises: [bridge]\n")
    (tmp_path / "assets").mkdir()
    assert main(["build", "--content", str(tmp_path / "content"), "--assets", str(tmp_path / "assets"),
                 "--out", str(tmp_path / "out")]) == 0, capsys.readouterr().err
    with pdfplumber.open(tmp_path / "out" / "programs" / "dana.pdf") as document:
        text = document.pages[0].extract_text()
    log = text.split("Four-week log")[1]
    assert "רשג" in log and "…" not in log, "the title whole, as seen (right to left)"
