"""Files in the encodings Word and Notepad save, as real bytes: read right, the guess said, the rest refused.

UTF-8 with or without a byte-order mark and UTF-16 (LE and BE) with one are read as they are;
a file that is not UTF-8 is read as Windows-1252 with a warning naming its line; a file that
is none of these is one located error.  Each is tried as a content file built to a PDF whose
text is read back, and as a plain-text exercise given to ``handouts import``.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pypdf
import pytest
import yaml

from handouts.cli import main
from handouts.content.encoding import decode_text
from handouts.errors import ContentError

#: Every letter a western European clinic's notes need, and Word's typography: curly quotes
#: (0x93 0x94 in Windows-1252) and an en dash (0x96).
LETTERS = ("Extensión", "Siéntate", "Mañana", "pingüino", "“tranquilo”", "– despacio –")

CONTENT = """\
title: Extensión de rodilla
summary: Para la rodilla, sin dolor y con calma.
instructions:
  - Siéntate al borde de la silla, con la espalda recta.
  - Estira la pierna – despacio – y aguanta 5 s.
  - Mañana y tarde, como un pingüino “tranquilo”.
"""
NOTES = CONTENT.replace("title: ", "").replace("summary: ", "").replace("instructions:\n", "\nInstrucciones\n") \
    .replace("  - ", "- ")
SLUG = "extension-de-rodilla"
WARNING = ('not UTF-8: read as Windows-1252 (western European): "Extensión"; check the accented letters, '
           "and save the file as UTF-8")


def windows(text: str) -> str:
    return text.replace("\n", "\r\n")  # Notepad's and Word's line ends


#: How each encoding is saved, as Word ("Plain Text") and Notepad write it.
ENCODINGS = {
    "windows-1252": lambda text: windows(text).encode("cp1252"),
    "utf-16-le-bom": lambda text: codecs.BOM_UTF16_LE + windows(text).encode("utf-16-le"),
    "utf-16-be-bom": lambda text: codecs.BOM_UTF16_BE + windows(text).encode("utf-16-be"),
    "utf-8-bom": lambda text: codecs.BOM_UTF8 + windows(text).encode("utf-8"),
    "utf-8": lambda text: text.encode("utf-8"),
}

#: Files that are none of them: (bytes, line, message).
UNREADABLE = {
    "mac-roman": ("Marche assise\nConsignes\n- Asseyez-vous, façon grenouille.\n".encode("mac_roman"), 3,
                  "not UTF-8, nor Windows-1252, which has no character 0x8D (a Mac or DOS file?); "
                  "save the file as UTF-8"),
    "dos-850": ("Genou\nConsignes\n- Élevez le genou.\n".encode("cp850"), 3,
                "not UTF-8, nor Windows-1252, which has no character 0x90 (a Mac or DOS file?); "
                "save the file as UTF-8"),
    "word-document": (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xdf\xa4\xd2lZ\x01", 1,
                      "not a text file (it has NUL bytes: a Word document, a picture, or UTF-16 without its "
                      "byte-order mark?); save it as plain text, UTF-8"),
    "utf-16-without-bom": ("Flexión\nInstrucciones\n- Dobla.\n".encode("utf-16-le"), 1,
                           "not a text file (it has NUL bytes: a Word document, a picture, or UTF-16 without its "
                           "byte-order mark?); save it as plain text, UTF-8"),
    "utf-32": (codecs.BOM_UTF32_LE + "Flexión\n".encode("utf-32-le"), 1,
               "UTF-32 text, which handouts does not read; save the file as UTF-8"),
    "utf-16-cut-short": (codecs.BOM_UTF16_LE + "Flexión\nInstrucciones\n- Dobla.\n".encode("utf-16-le")[:-1], 3,
                         "not valid UTF-16 LE text, though it starts with its byte-order mark (it ends in half a "
                         "character); save the file as UTF-8"),
    "utf-16-broken-surrogate": (codecs.BOM_UTF16_BE + "Flexión\n".encode("utf-16-be") + b"\xdc\x00\x00a", 2,
                                "not valid UTF-16 BE text, though it starts with its byte-order mark (a character "
                                "here is broken); save the file as UTF-8"),
    "utf-8-bom-then-windows-1252": (codecs.BOM_UTF8 + "Flexión\nDobla la rodilla\n".encode("utf-8")
                                    + "- Mañana\n".encode("cp1252"), 3,
                                    "not UTF-8 on this line, though the file starts with UTF-8's byte-order mark; "
                                    "save the file as UTF-8 again"),
}


def pdf_text(path: Path) -> str:
    with path.open("rb") as file:
        return " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(file).pages).split())


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """An empty clinic folder, the working folder, as the messages name paths from it."""
    for folder in ("content", "assets"):
        (tmp_path / folder).mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def build(*files: str) -> int:
    return main(["build", *files, "--jobs", "1"])


def warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning: ")]


# ------------------------------------------------------------------ the rule


def test_the_windows_1252_file_holds_the_bytes_word_writes() -> None:
    raw = ENCODINGS["windows-1252"](CONTENT)
    for byte in (b"\xf3", b"\xe9", b"\xf1", b"\xfc", b"\x93", b"\x94", b"\x96", b"\r\n"):  # ó é ñ ü “ ” –
        assert byte in raw


@pytest.mark.parametrize("name", ENCODINGS)
def test_each_encoding_reads_to_the_same_text(name: str) -> None:
    decoded = decode_text(ENCODINGS[name](CONTENT), "x.yaml")
    assert decoded.text.replace("\r\n", "\n") == CONTENT  # the byte-order mark left out
    assert [str(w) for w in decoded.warnings] == ([f"x.yaml:1: {WARNING}"] if name == "windows-1252" else [])
    assert decoded.encoding == {"windows-1252": "Windows-1252", "utf-16-le-bom": "UTF-16 LE",
                                "utf-16-be-bom": "UTF-16 BE"}.get(name, "UTF-8")


def test_the_warning_names_the_first_line_that_is_not_utf8_and_the_word_read_there() -> None:
    raw = "title: Knee\nsummary: A gentle bend.\ninstructions:\n  - Sit: then “lift”.\n  - Lower.\n".encode("cp1252")
    (warning,) = decode_text(raw, "x.yaml").warnings
    assert (warning.line, warning.field) == (4, None)
    assert '"“lift”"' in warning.message


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_the_five_bytes_windows_1252_leaves_undefined_are_an_error_not_latin1(byte: int) -> None:
    raw = b"title: ok\nsummary: caf\xe9 " + bytes([byte]) + b"\n"
    with pytest.raises(ContentError) as info:
        decode_text(raw, "x.yaml")
    assert str(info.value) == (f"x.yaml:2: not UTF-8, nor Windows-1252, which has no character 0x{byte:02X} "
                               f"(a Mac or DOS file?); save the file as UTF-8")


def test_every_other_high_byte_is_read_as_windows_1252() -> None:
    high = bytes(b for b in range(0x80, 0x100) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D))
    decoded = decode_text(b"x: " + high, "x.yaml")
    assert decoded.text == "x: " + high.decode("cp1252") and len(decoded.warnings) == 1
    assert "€" in decoded.text and "Ÿ" in decoded.text  # 0x80 and 0x9F: not the C1 controls of Latin-1


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_file_in_no_encoding_read_here_is_one_located_error(name: str) -> None:
    raw, line, message = UNREADABLE[name]
    with pytest.raises(ContentError) as info:
        decode_text(raw, "x.txt")
    assert [str(p) for p in info.value.problems] == [f"x.txt:{line}: {message}"]


# ------------------------------------------------------------------ content files, built to PDFs


@pytest.mark.parametrize("name", ENCODINGS)
def test_a_content_file_in_each_encoding_prints_its_letters(name: str, project: Path, capsys) -> None:
    path = project / "content" / f"{SLUG}.yaml"
    path.write_bytes(ENCODINGS[name](CONTENT))
    assert build(f"content/{SLUG}.yaml") == 0
    said = warnings(capsys.readouterr().err)
    expected = [f"warning: content/{SLUG}.yaml:1: title: {WARNING}"] if name == "windows-1252" else []
    assert said == expected
    text = pdf_text(project / "output" / "handouts" / f"{SLUG}.pdf")
    for letters in LETTERS:
        assert letters in text, (letters, text)


def test_a_windows_1252_content_file_warns_on_every_build_until_it_is_saved_as_utf8(project: Path, capsys) -> None:
    path = project / "content" / f"{SLUG}.yaml"
    path.write_bytes(ENCODINGS["windows-1252"](CONTENT))
    assert build(f"content/{SLUG}.yaml") == 0
    capsys.readouterr()
    assert build(f"content/{SLUG}.yaml") == 0  # unchanged: skipped, and its warning said again
    out, err = capsys.readouterr()
    assert warnings(err) == [f"warning: content/{SLUG}.yaml:1: title: {WARNING}"] and "unchanged" in out
    path.write_bytes(CONTENT.encode("utf-8"))  # saved as UTF-8: the same text, other bytes, so built again
    assert build(f"content/{SLUG}.yaml") == 0
    out, err = capsys.readouterr()
    assert warnings(err) == [] and "unchanged" not in out


def test_a_warning_inside_a_list_names_the_step(project: Path, capsys) -> None:
    text = CONTENT.replace("Extensión", "Extension").replace("Siéntate", "Sientate")
    (project / "content" / f"{SLUG}.yaml").write_bytes(text.encode("cp1252"))
    assert build(f"content/{SLUG}.yaml") == 0
    assert warnings(capsys.readouterr().err) == [
        f'warning: content/{SLUG}.yaml:5: instructions, step 2: not UTF-8: read as Windows-1252 (western '
        f'European): "–"; check the accented letters, and save the file as UTF-8']


def test_errors_in_a_windows_1252_file_come_with_its_warning(project: Path, capsys) -> None:
    (project / "content" / f"{SLUG}.yaml").write_bytes(b"title: Extensi\xf3n\ninstructions: Stand\n")
    assert build(f"content/{SLUG}.yaml") == 1
    err = capsys.readouterr().err.splitlines()
    assert f"warning: content/{SLUG}.yaml:1: title: {WARNING}" in err
    assert f"content/{SLUG}.yaml:2: instructions: expected a list of steps, got text" in err


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_content_file_in_no_encoding_read_here_fails_alone(name: str, project: Path, capsys) -> None:
    raw, line, message = UNREADABLE[name]
    (project / "content" / "bad.yaml").write_bytes(raw)
    (project / "content" / "good.yaml").write_text("title: Good\ninstructions: [Stand.]\n", encoding="utf-8")
    assert build("content/bad.yaml", "content/good.yaml") == 1
    err = capsys.readouterr().err
    assert f"content/bad.yaml:{line}: {message}" in err.splitlines() and "Traceback" not in err
    assert sorted(p.name for p in (project / "output" / "handouts").iterdir()) == ["good.pdf"]


def test_clinic_and_program_files_in_windows_1252_are_read_with_their_warnings(project: Path, capsys) -> None:
    (project / "content" / f"{SLUG}.yaml").write_bytes(ENCODINGS["utf-8"](CONTENT))
    (project / "clinic.yaml").write_bytes(windows("name: Fisioterapia Núñez\n").encode("cp1252"))
    (project / "programs").mkdir()
    program = f"client: José Pérez\nexercises:\n  - id: {SLUG}\n"
    (project / "programs" / "jose.yaml").write_bytes(windows(program).encode("cp1252"))
    assert build() == 0
    said = warnings(capsys.readouterr().err)
    assert said == [
        'warning: clinic.yaml:1: name: not UTF-8: read as Windows-1252 (western European): "Núñez"; '
        "check the accented letters, and save the file as UTF-8",
        'warning: programs/jose.yaml:1: client: not UTF-8: read as Windows-1252 (western European): "José"; '
        "check the accented letters, and save the file as UTF-8"]
    assert "José Pérez" in pdf_text(project / "output" / "programs" / "jose.pdf")
    assert "Fisioterapia Núñez" in pdf_text(project / "output" / "handouts" / f"{SLUG}.pdf")


# ------------------------------------------------------------------ plain-text exercises, imported


@pytest.mark.parametrize("name", ENCODINGS)
def test_a_text_file_in_each_encoding_imports_its_letters(name: str, project: Path, capsys) -> None:
    (project / "notes.txt").write_bytes(ENCODINGS[name](NOTES))
    assert main(["import", "notes.txt"]) == 0
    said = warnings(capsys.readouterr().err)
    assert said == ([f"warning: notes.txt:1: {WARNING}"] if name == "windows-1252" else [])
    written = project / "content" / f"{SLUG}.yaml"
    data = yaml.safe_load(written.read_bytes().decode("utf-8"))  # always written as UTF-8
    assert data["title"] == "Extensión de rodilla"
    assert data["instructions"] == ["Siéntate al borde de la silla, con la espalda recta.",
                                    "Estira la pierna – despacio – y aguanta 5 s.",
                                    "Mañana y tarde, como un pingüino “tranquilo”."]
    assert build(f"content/{SLUG}.yaml") == 0
    assert warnings(capsys.readouterr().err) == []
    text = pdf_text(project / "output" / "handouts" / f"{SLUG}.pdf")
    for letters in LETTERS:
        assert letters in text, (letters, text)


@pytest.mark.parametrize("name", UNREADABLE)
def test_a_text_file_in_no_encoding_read_here_is_one_error(name: str, project: Path, capsys) -> None:
    raw, line, message = UNREADABLE[name]
    (project / "notes.txt").write_bytes(raw)
    assert main(["import", "notes.txt"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"notes.txt:{line}: {message}" and "Traceback" not in "\n".join(err)
    assert list((project / "content").iterdir()) == []


def test_a_free_exercise_db_json_in_windows_1252_is_imported_with_the_warning(project: Path, capsys) -> None:
    entry = {"id": "Rodilla", "name": "Extensión de rodilla", "instructions": ["Siéntate – despacio."]}
    (project / "exercises.json").write_bytes(windows(json.dumps([entry], ensure_ascii=False, indent=1))
                                             .encode("cp1252"))
    assert main(["import", "exercises.json"]) == 0
    said = warnings(capsys.readouterr().err)
    assert said == [f"warning: exercises.json:4: {WARNING}"]
    data = yaml.safe_load((project / "content" / f"{SLUG}.yaml").read_text(encoding="utf-8"))
    assert (data["title"], data["instructions"]) == ("Extensión de rodilla", ["Siéntate – despacio."])
