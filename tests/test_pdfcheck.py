"""The structural checker itself (tests/pdfcheck.py): sound files pass, damaged files do not.

conftest.py runs the checker on every PDF the other tests write; these tests show that it
would notice: a truncated file, a broken cross-reference table, a stream whose length is
wrong, and a defect that only strict pypdf complains about (through its logger).
"""

from __future__ import annotations

import io
import re

import pytest
from reportlab.pdfgen import canvas

import pdfcheck


@pytest.fixture(scope="module")
def sound() -> bytes:
    """A one-page PDF with a line of text, its content stream uncompressed (easy to damage)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(100, 100, "Breathe out slowly")
    page.save()
    return out.getvalue()


def _xref_offsets(data: bytes) -> tuple[int, list[bytes]]:
    start = data.rindex(b"\nxref\n") + 1
    return start, data[start:].split(b"\n")


def test_a_sound_pdf_has_no_problems(sound):
    assert pdfcheck.check_bytes(sound) == []


@pytest.mark.not_pdfs("writes a truncated PDF on purpose")
def test_a_truncated_file_is_reported_by_both_readers(sound, tmp_path):
    path = tmp_path / "truncated.pdf"
    path.write_bytes(sound[: len(sound) // 2])
    problems = pdfcheck.check_pdf(path)
    assert any(p.startswith("qpdf: ") for p in problems), problems
    assert any(p.startswith("pypdf: cannot read") for p in problems), problems
    assert not any("BytesIO" in p for p in problems), "qpdf's name for the in-memory file is replaced"


def test_a_missing_file_and_a_file_that_is_not_a_pdf_are_problems(tmp_path):
    assert pdfcheck.check_pdf(tmp_path / "missing.pdf")[0].startswith("cannot read the file")
    assert pdfcheck.check_bytes(b"") == ["does not start with %PDF-"]
    assert pdfcheck.check_bytes(b"<html>not a pdf</html>") == ["does not start with %PDF-"]


def test_a_wrong_startxref_is_reported(sound):
    at = sound.rindex(b"startxref\n")
    offset = int(sound[at + 10:].split()[0])
    damaged = sound[:at] + b"startxref\n%d\n%%%%EOF\n" % (offset + 3)
    problems = pdfcheck.check_bytes(damaged)
    assert any("qpdf: WARNING" in p and "xref" in p for p in problems), problems
    assert any(p.startswith("pypdf: cannot read") for p in problems), problems


def test_a_stream_length_that_is_wrong_is_reported(sound):
    length = re.search(rb"/Length (\d+)", sound)
    damaged = sound.replace(length.group(0), b"/Length %d" % (int(length.group(1)) + 5), 1)
    problems = pdfcheck.check_bytes(damaged)
    assert any("qpdf: WARNING" in p and "endstream" in p for p in problems), problems
    assert any(p.startswith("pypdf: page 1") for p in problems), problems


def test_a_warning_only_pypdf_logs_is_a_problem(sound):
    # an xref entry one byte early: qpdf skips the whitespace silently, strict pypdf logs it
    start, lines = _xref_offsets(sound)
    entry = 3  # "xref", "0 N", the free entry, then object 1
    lines[entry] = b"%010d" % (int(lines[entry][:10]) - 1) + lines[entry][10:]
    problems = pdfcheck.check_bytes(sound[:start] + b"\n".join(lines))
    assert problems and all(p.startswith("pypdf log: ") for p in problems), problems


def test_identical_bytes_are_checked_once(sound):
    pdfcheck.check_bytes(sound)
    before = dict(pdfcheck.stats)
    assert pdfcheck.check_bytes(bytes(sound)) == []
    assert pdfcheck.stats["checked"] == before["checked"]
    assert pdfcheck.stats["files"] == before["files"] + 1
