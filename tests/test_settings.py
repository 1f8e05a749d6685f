"""The settings declared once (style/settings.py), read from the command line and clinic.yaml.

Each setting parses the same text the same way wherever it comes from, and a value it
cannot take is reported against its origin: ``--key ...`` for what was typed,
``clinic.yaml:LINE: key: ...`` for the clinic's default.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEED
from handouts.cli import _settings, main
from handouts.cli.arguments import parser_for
from handouts.content.clinic import CLINIC_FIELDS, Clinic, clinic_path, load_clinic
from handouts.errors import ContentError, HandoutsError
from handouts.style.settings import (BACK_OFFSET, CARD_SIZE, FLIP, LANGUAGE, PAPER, SETTINGS, Origin, SettingError,
                                     resolve)

GOOD: dict[str, list[tuple[str, object]]] = {
    "paper": [("letter", "letter"), ("A4", "a4"), (" a4 ", "a4")],
    "card_size": [("business", "business"), ("Index", "index"), ("a7", "a7")],
    "flip": [("long", "long"), ("SHORT", "short")],
    "back_offset": [("1.5,-2", (1.5, -2.0)), ("1.5mm, 2mm", (1.5, 2.0)), ("-10;10", (-10.0, 10.0)),
                    ("0,0", (0.0, 0.0))],
    "language": [("en", "en"), ("ES", "es"), ("de", "de")],
}
#: (key, bad text, the message both origins share, after their own prefix)
BAD: list[tuple[str, str, str]] = [
    ("paper", "legal", "'legal' is not a paper size; choose one of letter, a4"),
    ("card_size", "postcard", "'postcard' is not a card size; choose one of business, index, a7"),
    ("flip", "sideways", "'sideways' is not a flip edge; choose one of long, short"),
    ("back_offset", "1x", "'1x': give X,Y in millimetres, e.g. {example}"),
    ("back_offset", "nan,0", "'nan,0': give X,Y in millimetres, e.g. {example}"),
    ("back_offset", "0,12", "Y 12 mm is more than printer drift (at most 10 mm each way); "
                            "check the printer's flip setting against {flip} long|short"),
    ("language", "klingon", "'klingon' is not a language the labels are translated into; choose one of "),
]


def test_every_setting_is_declared_once_with_the_key_clinic_yaml_uses():
    assert list(SETTINGS) == ["paper", "card_size", "flip", "back_offset", "language"]
    assert [s.option for s in SETTINGS.values()] == ["--paper", "--card-size", "--flip", "--back-offset",
                                                     "--language"]
    clinic_keys = {spec.name for spec in CLINIC_FIELDS}
    assert set(SETTINGS) <= clinic_keys
    for setting in SETTINGS.values():
        assert setting.parse(setting.show(setting.default)) == setting.default
        assert setting.parse(setting.example) is not None
        assert setting.help and "default" not in setting.help  # the CLI adds the default its own way
        if setting.choices:
            assert setting.show(setting.default) in setting.choices()


def test_the_choices_come_from_the_registries():
    from handouts.style.card_sizes import CARD_SIZES
    from handouts.style.labels import LANGUAGES
    from handouts.style.theme import PAPERS

    assert PAPER.choices and tuple(PAPER.choices()) == tuple(PAPERS)
    assert CARD_SIZE.choices and tuple(CARD_SIZE.choices()) == tuple(CARD_SIZES)
    assert LANGUAGE.choices and tuple(LANGUAGE.choices()) == tuple(LANGUAGES)
    assert FLIP.choices and tuple(FLIP.choices()) == ("long", "short")


def test_settings_import_no_reportlab():
    """content/ reads the settings: importing them must not pull in ReportLab (the choices are looked up later)."""
    code = ("import sys, handouts.style.settings; "
            "sys.exit(sorted(m for m in sys.modules if m.startswith('reportlab')) != [])")
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


@pytest.mark.parametrize("key,text,expected", [(k, t, v) for k, goods in GOOD.items() for t, v in goods])
def test_each_setting_parses_good_values(key, text, expected):
    assert SETTINGS[key].parse(text) == expected


@pytest.mark.parametrize("key,text,message", BAD)
def test_each_setting_refuses_bad_values_without_naming_itself(key, text, message):
    with pytest.raises(SettingError) as info:
        SETTINGS[key].parse(text)
    exc = info.value
    assert isinstance(exc, HandoutsError) and exc.key == key
    setting = SETTINGS[key]
    on_line = message.format(example=f"{setting.option}={setting.example}", flip="--flip")
    in_file = message.format(example=f"{key}: {setting.example}", flip="flip:")
    assert exc.for_option().startswith(f"{setting.option} {on_line}")
    assert exc.for_file().startswith(in_file)
    assert setting.option not in exc.for_file() and f"{key}:" not in "".join(
        p for p in exc.message if isinstance(p, str))


# --- from each origin, end to end --------------------------------------------------------------

def library(tmp_path: Path, clinic: str | None = None) -> Path:
    root = tmp_path / "lib"
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copy(REPO / "content" / f"{SEED}.yaml", root / "content")
    if clinic is not None:
        (root / "clinic.yaml").write_text("name: Riverside\n" + clinic, encoding="utf-8")
    return root


def build(root: Path, *args: str) -> int:
    return main(["build", "--content", str(root / "content"), "--assets", str(root / "assets"),
                 "--out", str(root / "out"), "--jobs", "1", *args])


def one_line(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = err.strip().splitlines()
    return line


@pytest.mark.parametrize("key,text,message", [bad for bad in BAD if bad[0] != "language"])
def test_a_bad_value_typed_names_the_option(tmp_path, capsys, key, text, message):
    root = library(tmp_path)
    setting = SETTINGS[key]
    assert build(root, f"{setting.option}={text}") == 2
    expected = message.format(example=f"{setting.option}={setting.example}", flip="--flip")
    assert one_line(capsys).startswith(f"{setting.option} {expected}")
    assert not (root / "out").exists()


@pytest.mark.parametrize("key,text,message", BAD)
def test_a_bad_value_in_clinic_yaml_names_the_file_line_and_key(tmp_path, capsys, key, text, message):
    root = library(tmp_path, f"phone: 555\n{key}: '{text}'\n")
    assert build(root) == 1
    expected = message.format(example=f"{key}: {SETTINGS[key].example}", flip="flip:")
    line = one_line(capsys)
    assert f"clinic.yaml:3: {key}: {expected}" in line
    assert SETTINGS[key].option not in line
    assert not (root / "out").exists()


def test_an_offset_the_sheet_cannot_take_is_blamed_on_the_clinic_file(tmp_path, capsys):
    root = library(tmp_path, "back_offset: 9,0\n")
    assert build(root, "--paper", "a4") == 1  # a mistake in clinic.yaml, like its others (a typed one: 2)
    assert one_line(capsys).endswith("clinic.yaml:2: back_offset: X 9 mm would move the backs within 0.3 in of "
                                     "the paper's edge; this sheet allows at most 8.5 mm")
    assert not (root / "out").exists()


def test_an_offset_the_sheet_cannot_take_is_blamed_on_the_option(tmp_path, capsys):
    root = library(tmp_path, "paper: a4\n")  # the paper from the clinic, the offset typed: the offset is blamed
    assert build(root, "--back-offset", "9,0") == 2
    assert one_line(capsys) == ("--back-offset X 9 mm would move the backs within 0.3 in of the paper's edge; "
                                "this sheet allows at most 8.5 mm")


def test_calibrate_blames_the_clinic_file_too(tmp_path, capsys):
    root = library(tmp_path, "paper: a4\nback_offset: [-9, 0]\n")
    code = main(["calibrate", "--content", str(root / "content"), "--out", str(root / "out")])
    assert code == 1
    assert one_line(capsys).endswith("clinic.yaml:3: back_offset: X -9 mm would move the backs within 0.3 in of "
                                     "the paper's edge; this sheet allows at most 8.5 mm")
    assert main(["calibrate", "--content", str(root / "content"), "--out", str(root / "out"),
                 "--back-offset", "-8,0"]) == 0


def test_a_clinic_with_every_setting_is_read(tmp_path):
    root = library(tmp_path, "paper: A4\ncard_size: Index\nflip: short\nback_offset: 1,-1\nlanguage: fr\n")
    clinic, warnings = load_clinic(clinic_path(root / "content"))
    assert warnings == [] and clinic is not None
    assert (clinic.paper, clinic.card_size, clinic.flip, clinic.back_offset_mm, clinic.language) == (
        "a4", "index", "short", (1.0, -1.0), "fr")


def test_every_bad_setting_in_clinic_yaml_is_reported_at_once(tmp_path):
    root = library(tmp_path, "paper: legal\ncard_size: huge\nflip: up\nback_offset: x\nlanguage: xx\n")
    with pytest.raises(ContentError) as info:
        load_clinic(clinic_path(root / "content"))
    assert [(p.line, p.field) for p in info.value.problems] == [
        (2, "paper"), (3, "card_size"), (4, "flip"), (5, "back_offset"), (6, "language")]


# --- the command line ------------------------------------------------------------------------

@pytest.mark.parametrize("command,keys", [("build", ["paper", "card_size", "flip", "back_offset", "language"]),
                                          ("program", ["paper", "card_size", "flip", "back_offset", "language"]),
                                          ("calibrate", ["paper", "flip", "back_offset"])])
def test_help_lists_every_declared_setting_with_its_help(capsys, command, keys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for key in keys:
        setting = SETTINGS[key]
        assert f"{setting.option} {setting.placeholder}" in text
        assert " ".join(setting.help.split()) in text
        assert f"(default: clinic.yaml's {key}:, or {setting.show(setting.default)})" in text


def test_the_command_line_offers_every_setting(capsys):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    text = capsys.readouterr().out
    assert [s.key for s in SETTINGS.values() if s.option not in text] == []


def _labels_line(root: Path) -> str:
    """The handout's second line: what it targets, in the labels' language ("Targets:", "Trabaja:")."""
    import pdfplumber

    with pdfplumber.open(root / "out" / "handouts" / f"{SEED}.pdf") as pdf:
        return pdf.pages[0].extract_text().splitlines()[1]


@pytest.mark.parametrize("clinic,args,first_word", [
    (None, [], "Targets:"), (None, ["--language", "es"], "Trabaja:"), ("language: es\n", [], "Trabaja:"),
    ("language: es\n", ["--language", "fr"], "Cible:"), ("language: es\n", ["--language", "en"], "Targets:")])
def test_language_from_the_command_line_over_clinic_yaml(tmp_path, capsys, clinic, args, first_word):
    root = library(tmp_path, clinic)
    assert build(root, *args) == 0, capsys.readouterr().err
    assert _labels_line(root).startswith(first_word)


def _resolved(argv: list[str], clinic: Clinic | None):
    return _settings(parser_for().parse_args(argv), clinic)


CLINIC = Clinic(source="clinic.yaml", name="Riverside", paper="a4", card_size="index", flip="short",
                back_offset_mm=(1.0, -1.0), lines={"paper": 2, "card_size": 3, "flip": 4, "back_offset": 5})


def test_precedence_command_line_over_clinic_over_default():
    default = _resolved(["build"], None)
    assert [(r.value, r.origin) for r in (default.paper, default.card_size, default.flip, default.back_offset)] == [
        ("letter", Origin.DEFAULT), ("business", Origin.DEFAULT), ("long", Origin.DEFAULT),
        ((0.0, 0.0), Origin.DEFAULT)]
    clinic = _resolved(["build"], CLINIC)
    assert [(r.value, r.origin) for r in (clinic.paper, clinic.card_size, clinic.flip, clinic.back_offset)] == [
        ("a4", Origin.CLINIC), ("index", Origin.CLINIC), ("short", Origin.CLINIC), ((1.0, -1.0), Origin.CLINIC)]
    typed = _resolved(["build", "--paper", "LETTER", "--card-size", "a7", "--flip", "long",
                       "--back-offset=-2,0"], CLINIC)
    assert [(r.value, r.origin) for r in (typed.paper, typed.card_size, typed.flip, typed.back_offset)] == [
        ("letter", Origin.COMMAND_LINE), ("a7", Origin.COMMAND_LINE), ("long", Origin.COMMAND_LINE),
        ((-2.0, 0.0), Origin.COMMAND_LINE)]
    mixed = _resolved(["build", "--flip", "long"], CLINIC)
    assert (mixed.flip.origin, mixed.back_offset.origin, mixed.paper.origin) == (
        Origin.COMMAND_LINE, Origin.CLINIC, Origin.CLINIC)


def test_fold_ignores_the_clinics_duplex_settings_but_not_its_paper_or_card_size():
    folded = _resolved(["build", "--fold"], CLINIC)
    assert (folded.flip.value, folded.flip.origin) == ("long", Origin.DEFAULT)
    assert (folded.back_offset.value, folded.back_offset.origin) == ((0.0, 0.0), Origin.DEFAULT)
    assert (folded.paper.value, folded.card_size.value) == ("a4", "index")


def test_resolve_parses_only_what_was_typed():
    assert resolve(BACK_OFFSET, None, (2.0, 0.0)).origin is Origin.CLINIC
    with pytest.raises(SettingError):
        resolve(BACK_OFFSET, "x", (2.0, 0.0))


def test_the_clinic_card_size_reaches_the_card_sheets_and_the_option_overrides_it(tmp_path, capsys):
    root = library(tmp_path, "card_size: index\n")
    assert build(root) == 0
    assert "cards: 3 3 x 5 in index cards per Letter sheet, 1 across and 3 down; " in capsys.readouterr().out
    assert build(root, "--card-size", "business") == 0
    assert "cards: 10 3.5 x 2 in business cards per Letter sheet" in capsys.readouterr().out
