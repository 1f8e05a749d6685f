"""video: prints a QR code that a phone can read, and the address in short form beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REPO, SEED, reading_text
from handouts.build.run import BuildOptions, build

zxingcpp = pytest.importorskip("zxingcpp")
pdfium = pytest.importorskip("pypdfium2")

URL = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def build_with(tmp_path: Path, extra: str, name: str = SEED):
    content = tmp_path / "content"
    content.mkdir()
    text = (REPO / "content" / f"{SEED}.yaml").read_text(encoding="utf-8") + extra
    (content / f"{name}.yaml").write_text(text, encoding="utf-8")
    return build(BuildOptions(content_dir=content, assets_dir=REPO / "assets", out_dir=tmp_path / "out"))


def decoded(pdf: Path, dpi: int = 200) -> list[str]:
    image = pdfium.PdfDocument(str(pdf))[0].render(scale=dpi / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_the_qr_code_reads_back_as_the_address_and_the_short_form_is_printed(tmp_path):
    report = build_with(tmp_path, f"video: {URL}\n")
    assert report.ok, report.errors
    (pdf,) = report.written
    assert decoded(pdf) == [URL]
    side = reading_text(pdf, "side")
    assert "Watch the video" in side
    assert "youtube.com/watch?v=dQw4w9WgXcQ" in side.replace(" ", "")


def test_the_qr_code_still_reads_at_print_resolution_of_a_fax(tmp_path):
    report = build_with(tmp_path, f"video: {URL}\n")
    assert decoded(report.written[0], dpi=100) == [URL]


def test_no_video_no_qr_code(tmp_path):
    report = build_with(tmp_path, "")
    assert decoded(report.written[0]) == []


def test_the_label_follows_the_language(tmp_path):
    report = build_with(tmp_path, f"video: {URL}\nlanguage: es\n")
    assert "Vea el vídeo" in reading_text(report.written[0], "side")


@pytest.mark.parametrize("value", ["youtube.com/watch?v=x", "https://exa mple.org", "ftp://example.org/v"])
def test_an_address_that_is_not_a_web_address_is_a_located_error(tmp_path, value):
    report = build_with(tmp_path, f"video: {value}\n")
    assert not report.ok
    (problem,) = report.errors
    assert problem.field == "video" and problem.line is not None
    assert "is not a web address; write it whole, starting with https://" in problem.message
