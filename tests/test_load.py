"""Loading keeps the line of every value, so every message can name it."""

from __future__ import annotations

import pytest

from handouts.errors import ContentError
from handouts.content.load import load_file, parse_yaml

TEXT = """\
title: Plank
instructions:
  - Lie face down.
  - Lift onto forearms and toes.
faq:
  - question: How long?
    answer: Ten seconds to start.
"""


def test_lines_are_recorded_for_every_value():
    doc = parse_yaml(TEXT, "plank.yaml")
    assert doc.data["instructions"][1] == "Lift onto forearms and toes."
    assert doc.line_of(("title",)) == 1
    assert doc.line_of(("instructions", 1)) == 4
    assert doc.line_of(("faq", 0, "answer")) == 7


def test_line_of_a_missing_key_falls_back_to_its_parent():
    doc = parse_yaml(TEXT, "plank.yaml")
    assert doc.line_of(("faq", 0, "nope")) == 6


def test_syntax_error_names_line_and_column():
    with pytest.raises(ContentError) as caught:
        parse_yaml('title: "Plank\ninstructions: []\n', "bad.yaml")
    (problem,) = caught.value.problems
    assert str(problem) == ('bad.yaml:1: YAML syntax error (column 8): this quote is never closed; '
                            'add the closing " at the end of the text')


def test_empty_file_is_an_error():
    with pytest.raises(ContentError, match=r"^e.yaml:1: the file is empty$"):
        parse_yaml("  \n# only a comment\n", "e.yaml")


def test_alias_bomb_is_refused():
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    with pytest.raises(ContentError, match="more than 20000 values"):
        parse_yaml("\n".join(lines), "bomb.yaml")


def test_non_utf8_file_is_read_as_windows_1252_naming_the_line_and_field(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"title: ok\nsummary: caf\xe9\n")
    doc = load_file(path)
    assert doc.data["summary"] == "café"
    assert [str(w).split("latin1.yaml", 1)[1] for w in doc.warnings] == [
        ':2: summary: not UTF-8: read as Windows-1252 (western European): "café"; check the accented letters, '
        "and save the file as UTF-8"]


def test_a_file_neither_utf8_nor_windows_1252_names_the_line(tmp_path):
    path = tmp_path / "mac.yaml"
    path.write_bytes(b"title: ok\nsummary: gar\x8don\n")  # Mac Roman's c cedilla
    with pytest.raises(ContentError, match=r"mac.yaml:2: not UTF-8, nor Windows-1252, which has no character 0x8D"):
        load_file(path)
