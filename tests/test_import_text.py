"""Tests for the plain-text importer (handouts.importers.plain_text)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from handouts.errors import Problem, SourceFormatError
from handouts.importers.common import slugify, to_yaml
from handouts.importers.plain_text import import_text_files, parse_exercise_text
from handouts.importers.text_lines import HEADINGS

SEED_DIR = Path(__file__).resolve().parents[2] / "shared" / "seed"
SEED = SEED_DIR / "000_c82e5f65e6a2b3ad.txt"
CONTENT_FILE = Path(__file__).resolve().parents[1] / "content" / "reclining-lower-trunk-extensor-stretch.yaml"
ALL_HEADINGS = {h for by_lang in HEADINGS.values() for names in by_lang.values() for h in names}


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed file not available: {SEED}")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed(seed_text: str) -> dict:
    return parse_exercise_text(seed_text, "seed.txt")


def messages(text: str, path: str = "x.txt") -> list[str]:
    with pytest.raises(SourceFormatError) as info:
        parse_exercise_text(text, path)
    return [str(p) for p in info.value.problems]


MINIMAL = "Bridge\nA lead paragraph.\nInstructions\n- Lie down.\n- Lift.\n"

# ---------------------------------------------------------------- the seed


def test_seed_structure(seed: dict) -> None:
    assert list(seed) == ["title", "summary", "description", "instructions", "tips", "faq"]
    assert seed["title"] == "Reclining Lower Trunk Extensor Stretch"
    assert seed["summary"].startswith("Reclining Lower Trunk Extensor Stretch is a mat-based supine mobility drill")
    assert seed["summary"].endswith("after sitting, squatting, running, or deadlifting.")
    assert len(seed["description"]) == 4
    assert seed["description"][0].startswith("The setup matters because")
    assert seed["description"][3].startswith("The best results come from calm breathing")
    assert len(seed["instructions"]) == 9
    assert seed["instructions"][0] == ("Lie on your back on an exercise mat with both knees bent "
                                       "and both feet on the floor.")
    assert seed["instructions"][8] == ("Reset both feet on the floor before repeating if you need to "
                                       "re-establish the starting position.")
    assert len(seed["tips"]) == 8
    assert seed["tips"][5] == ("Short exhalations help the glute release; long breath holds usually "
                               "make the hip tighten up.")
    assert len(seed["faq"]) == 8
    assert seed["faq"][0] == {
        "question": "What does Reclining Lower Trunk Extensor Stretch target most?",
        "answer": "It mainly targets the glutes, deep hip rotators, and the relaxed tissues around "
                  "the lower trunk and low back.",
    }
    assert seed["faq"][7]["question"] == "Is this better before or after training?"
    assert list(seed["faq"][7]) == ["question", "answer"]


def test_seed_is_imported_losslessly(seed_text: str, seed: dict) -> None:
    """Every non-blank line lands in exactly one field (or is a section heading)."""
    values = [seed["title"], seed["summary"], *seed["description"], *seed["instructions"], *seed["tips"]]
    values += [part for pair in seed["faq"] for part in (pair["question"], pair["answer"])]
    lines = [line.strip() for line in seed_text.splitlines() if line.strip()]
    headings = [line for line in lines if line.rstrip(":").casefold() in ALL_HEADINGS]
    assert headings == ["Instructions", "Tips & Tricks", "Frequently Asked Questions"]
    content = [line.removeprefix("- ") for line in lines if line not in headings]
    assert Counter(content) == Counter(values)


def test_seed_round_trips_through_yaml(seed: dict) -> None:
    text = to_yaml(seed, source="seed.txt")
    assert text.startswith("# Imported from seed.txt by handouts import; edit freely.\n")
    loaded = yaml.safe_load(text)
    assert loaded == seed
    assert list(loaded) == list(seed)
    # Long paragraphs stay on one line, so a hand edit cannot disturb a wrapped line.
    assert f"summary: {seed['summary']}\n" in text
    assert f"  - {seed['instructions'][0]}\n" in text


def test_seed_content_file_matches_import(seed: dict) -> None:
    loaded = yaml.safe_load(CONTENT_FILE.read_text(encoding="utf-8"))
    assert {key: loaded[key] for key in seed} == seed
    assert list(loaded) == ["title", "summary", "description", "image", "targets", "equipment", "tags",
                            "instructions", "tips", "faq"]
    assert loaded["image"] == "reclining-lower-trunk-extensor-stretch.png"
    assert loaded["targets"] == ["glutes", "deep hip rotators", "lower back"]
    assert loaded["equipment"] == ["exercise mat"]
    assert loaded["tags"] == ["mobility", "stretch", "lower back", "hip"]


# ---------------------------------------------------------------- YAML output

NASTY = [
    "key: value", "a: b: c", "# not a comment", "text # with hash", "- not a bullet", "-", "* star",
    "'single' quoted", '"double" quoted', "it's", "&anchor", "*alias", "<b>bold</b> & <i>x</i>",
    "emoji 💪🏽 and ✓", "trailing spaces   ", "   leading spaces", "tab\tinside", "yes", "No", "null",
    "~", "true", "123", "1e3", "0o17", "0x1F", "12:30", "2024-01-01", "@at", "`tick", "%pct", "!tag",
    "|", ">", "? q", "[a, b]", "{a: b}", "a, b", "", " ", "line\nbreak", "crlf\r\nhere",
    "unicode sep\u2028x", "¿Cuántas repeticiones?", "中文 テキスト", "x " * 300, "---", "...",
    "=", "<<", "ends with colon:", "back\\slash", "%YAML 1.2",
]


def test_nasty_strings_round_trip() -> None:
    data = {
        "title": "Título: <b>#1</b> & \"más\"  ",
        "summary": NASTY[0],
        "description": NASTY,
        "instructions": list(reversed(NASTY)),
        "faq": [{"question": q, "answer": a} for q, a in zip(NASTY, reversed(NASTY))],
    }
    text = to_yaml(data)
    assert yaml.safe_load(text) == data
    assert "💪🏽" in text and "¿Cuántas" in text  # kept as typed, not escaped
    assert "Imported" not in text


def test_to_yaml_is_block_style_and_keeps_order() -> None:
    data = {"title": "Z", "summary": "A", "instructions": ["one", "two"], "faq": [{"question": "q?", "answer": "a."}]}
    assert to_yaml(data) == (
        "title: Z\n"
        "summary: A\n"
        "instructions:\n"
        "  - one\n"
        "  - two\n"
        "faq:\n"
        "  - question: q?\n"
        "    answer: a.\n"
    )


# ---------------------------------------------------------------- slugify


@pytest.mark.parametrize("title, slug", [
    ("Reclining Lower Trunk Extensor Stretch", "reclining-lower-trunk-extensor-stretch"),
    ("Estiramiento de cadera (supino)", "estiramiento-de-cadera-supino"),
    ("  ¿Puente de glúteos?  ", "puente-de-gluteos"),
    ("Straße & Übung #2", "strasse-ubung-2"),
    ("90/90 Hip Switch", "90-90-hip-switch"),
    ("Ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_at_a_word_boundary() -> None:
    slug = slugify("word " * 30)
    assert slug == "-".join(["word"] * 16)  # 79 characters; a 17th word would pass 80
    assert len(slug) <= 80
    assert slugify("x" * 100) == "x" * 80


@pytest.mark.parametrize("title", ["", "   ", "???", "髋部拉伸"])
def test_slugify_refuses_titles_without_ascii(title: str) -> None:
    with pytest.raises(ValueError):
        slugify(title)


# ---------------------------------------------------------------- tolerance


def test_tolerant_input() -> None:
    text = (
        "\ufeff  Bridge  \r\n\r\n"
        "Lead.\r\n\r\n"
        "More.\r\n"
        "STEPS:\r\n"
        "* Lie down\r\n"
        "  with knees bent.\r\n"
        "\r\n"
        "• Lift\r\n"
        "1. Hold\r\n"
        "\t2) Lower\r\n"
        "tips\r\n"
        "  - Breathe\r\n"
        "  - Go slowly\r\n"
        "      and evenly.\r\n"
        "FAQ:\r\n"
        "How many?\r\n"
        "\r\n"
        "    Ten.\r\n"
    )
    assert parse_exercise_text(text, "x.txt") == {
        "title": "Bridge",
        "summary": "Lead.",
        "description": ["More."],
        "instructions": ["Lie down with knees bent.", "Lift", "Hold", "Lower"],
        "tips": ["Breathe", "Go slowly and evenly."],
        "faq": [{"question": "How many?", "answer": "Ten."}],
    }


def test_optional_sections_are_omitted() -> None:
    assert parse_exercise_text(MINIMAL, "x.txt") == {
        "title": "Bridge", "summary": "A lead paragraph.", "instructions": ["Lie down.", "Lift."]}
    assert parse_exercise_text("Bridge\nSteps\n- Lie down.\nTips\n", "x.txt") == {
        "title": "Bridge", "instructions": ["Lie down."]}


def test_sections_in_any_order() -> None:
    text = "Bridge\nFAQ\nQ\nA\nTips\n- T\nInstructions\n- S\n"
    assert list(parse_exercise_text(text, "x.txt")) == ["title", "instructions", "tips", "faq"]


def test_bullets_under_a_question_are_a_list_answer_and_the_next_plain_line_the_next_question(tmp_path) -> None:
    text = MINIMAL + (
        "Frequently Asked Questions\n"
        "Which days should I practise?\n"
        "- Monday: both feet\n"
        "* Wednesday: one foot,\n"
        "    if you feel steady\n"
        "\n"
        "• Friday: rest\n"
        "Does it hurt?\n"
        "No.\n")
    data = parse_exercise_text(text, "x.txt")
    assert data["faq"] == [
        {"question": "Which days should I practise?",
         "answer": ["Monday: both feet", "Wednesday: one foot, if you feel steady", "Friday: rest"]},
        {"question": "Does it hurt?", "answer": "No."}]
    # written as a YAML list that reads back as the same points, and builds as bullets
    assert yaml.safe_load(to_yaml(data)) == data
    source = tmp_path / "plan.txt"
    source.write_text(text, encoding="utf-8")
    result = import_text_files([source], tmp_path / "content")
    assert result.problems == [] and len(result.written) == 1
    from handouts.content.exercise import validate
    from handouts.content.load import load_file

    exercise, warnings = validate(load_file(result.written[0]), "bridge")
    assert warnings == [] and exercise.faq[0].points == tuple(data["faq"][0]["answer"])


def test_a_file_that_bullets_its_questions_and_answers_reads_them_without_the_bullets() -> None:
    text = MINIMAL + "FAQ\n- How many?\n- Ten.\n- Does it hurt?\n- No.\n"
    assert parse_exercise_text(text, "x.txt")["faq"] == [
        {"question": "How many?", "answer": "Ten."}, {"question": "Does it hurt?", "answer": "No."}]


def test_an_empty_bullet_in_a_list_answer_names_its_line() -> None:
    assert messages(MINIMAL + "FAQ\nWhich days?\n- Monday\n-\nDoes it hurt?\nNo.\n") == [
        "x.txt:9: faq: empty bullet"]


# ---------------------------------------------------------------- malformed input


def test_question_without_answer() -> None:
    text = MINIMAL + "Frequently Asked Questions\n¿Cuántas?\nDiez.\n\nIs it safe?\n"
    assert messages(text) == ['x.txt:10: faq: question "Is it safe?" has no answer after it']


def test_missing_title() -> None:
    assert messages("Instructions\n- Lie down.\n") == [
        'x.txt:1: title: expected the exercise title, got the section heading "Instructions"']


def test_empty_file() -> None:
    assert messages("\ufeff\n  \r\n") == ["x.txt:1: title: the file is empty; the first line should be the title"]


def test_missing_instructions_section() -> None:
    assert messages("Bridge\nLead.\n\nTips\n- Breathe\n\n") == [
        'x.txt:5: instructions: no "Instructions" section; add a line "Instructions" followed by "- " steps']


def test_instructions_without_steps() -> None:
    assert messages("Bridge\nLead.\nSteps:\nTips\n- Breathe\n") == ['x.txt:3: instructions: no steps after "Steps:"']


def test_all_problems_reported_at_once() -> None:
    text = ("Bridge\nPicture: a.png\nPicture: b.png\nPicture: c.png\nDose: walk a bit\nInstructions\n- Lift\n-\n"
            "Language: Klingon\nFAQ\nQ?\n")
    assert messages(text) == [
        "x.txt:4: images: a handout prints two pictures at most; remove one",
        "x.txt:5: dose: Dose cannot read 'walk a bit'; write it like "
        "'3 sets of 10, hold 5 s, rest 30 s, twice a day, each side'",
        "x.txt:8: instructions: empty bullet",
        'x.txt:9: language: "Klingon" is not a language the labels are printed in; give en, es, fr or de',
        'x.txt:11: faq: question "Q?" has no answer after it',
    ]


# ---------------------------------------------------------------- import_text_files


def test_import_writes_then_refuses_to_overwrite_without_force(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "bridge.txt"
    source.write_text(MINIMAL, encoding="utf-8")
    content = tmp_path / "content"  # does not exist yet

    first = import_text_files([source], content)
    target = content / "bridge.yaml"
    assert (first.written, first.skipped, first.problems) == ([target], [], [])
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Imported from bridge.txt by handouts import; from the text: title, summary, "
                           "instructions.\n")
    assert yaml.safe_load(text) == parse_exercise_text(MINIMAL, "bridge.txt")

    target.write_text("title: Edited by hand\n", encoding="utf-8")
    second = import_text_files([source], content)
    assert second.written == [] and second.problems == []
    assert [str(p) for p in second.skipped] == ["content/bridge.yaml: exists; not overwritten (use --force)"]
    assert target.read_text(encoding="utf-8") == "title: Edited by hand\n"

    third = import_text_files([source], content, force=True)
    assert (third.written, third.skipped, third.problems) == ([target], [], [])
    assert target.read_text(encoding="utf-8") == text


def test_import_spanish_file(tmp_path: Path) -> None:
    source = tmp_path / "puente.txt"
    source.write_text(
        "Puente de glúteos (supino)\n\n"
        "Un ejercicio básico para los glúteos: sencillo y seguro.\n\n"
        "Instrucciones:\n"
        "1. Túmbate boca arriba con las rodillas dobladas.\n"
        "2. Eleva la cadera\n"
        "   hasta alinear rodillas y hombros.\n"
        "Consejos\n"
        "- Aprieta los glúteos arriba.\n"
        "Preguntas frecuentes\n"
        "¿Cuántas repeticiones?\n"
        "Entre 10 y 15, #sin prisa.\n"
        "¿Duele la espalda?\n"
        "No debería: si duele, reduce el rango.\n",
        encoding="utf-8",
    )
    result = import_text_files([source], tmp_path / "content")
    target = tmp_path / "content" / "puente-de-gluteos-supino.yaml"
    assert (result.written, result.skipped, result.problems) == ([target], [], [])
    text = target.read_text(encoding="utf-8")
    assert "¿Cuántas repeticiones?" in text
    assert yaml.safe_load(text) == {
        "title": "Puente de glúteos (supino)",
        "language": "es",  # told from the headings: the labels print in Spanish
        "summary": "Un ejercicio básico para los glúteos: sencillo y seguro.",
        "instructions": ["Túmbate boca arriba con las rodillas dobladas.",
                         "Eleva la cadera hasta alinear rodillas y hombros."],
        "tips": ["Aprieta los glúteos arriba."],
        "faq": [
            {"question": "¿Cuántas repeticiones?", "answer": "Entre 10 y 15, #sin prisa."},
            {"question": "¿Duele la espalda?", "answer": "No debería: si duele, reduce el rango."},
        ],
    }


def test_import_reports_each_bad_file_and_writes_the_others(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    good = tmp_path / "good.txt"
    good.write_text(MINIMAL, encoding="utf-8")
    twin = tmp_path / "twin.txt"
    twin.write_text("\n" + MINIMAL.replace("Bridge", "BRIDGE!"), encoding="utf-8")
    unbulleted = tmp_path / "unbulleted.txt"
    unbulleted.write_text("Bridge 2\nInstructions\nLie down\n", encoding="utf-8")
    mac = tmp_path / "mac.txt"  # ç is 0x8D in Mac Roman, a byte Windows-1252 does not define
    mac.write_bytes("Pont\nConsignes\n- Allongez-vous, façon grenouille\n".encode("mac_roman"))
    broken = tmp_path / "broken.txt"
    broken.write_text("Bridge 3\nLead.\nTips\n- Breathe\n", encoding="utf-8")
    chinese = tmp_path / "cn.txt"
    chinese.write_text("髋部拉伸\n步骤\nInstructions\n- 躺下\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"

    result = import_text_files([good, twin, unbulleted, mac, broken, chinese, missing, tmp_path],
                               tmp_path / "content")
    assert [p.name for p in result.written] == ["bridge.yaml", "bridge-2.yaml"]
    assert yaml.safe_load((tmp_path / "content" / "bridge-2.yaml").read_text(encoding="utf-8"))["instructions"] == [
        "Lie down"]
    assert [str(p) for p in result.problems] == [
        "twin.txt:2: title: gives the same file name bridge.yaml as good.txt:1; make the titles differ",
        "mac.txt:3: not UTF-8, nor Windows-1252, which has no character 0x8D (a Mac or DOS file?); "
        "save the file as UTF-8",
        'broken.txt:4: instructions: no "Instructions" section; add a line "Instructions" followed by "- " steps',
        'cn.txt:1: title: cannot make a file name from "髋部拉伸": it has no ASCII letters or digits',
        "missing.txt: cannot read: No such file or directory",
        ".: cannot read: Is a directory",
    ]
    assert result.failed == ["twin.txt", "mac.txt", "broken.txt", "cn.txt", "missing.txt", "."]
    assert all(isinstance(p, Problem) for p in result.problems)
