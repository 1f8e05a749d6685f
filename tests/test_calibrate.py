"""The duplex calibration sheet, read back from the PDF (pdfplumber for lines and text, pypdf for the catalog).

Besides checking what is drawn where, one test models a printer that lays the back page
down a few millimetres off: it reads the scales the way a person holding the sheet
against the light would, feeds that reading to make_sheet as --back-offset, and checks
that every back card then lands exactly behind its front under the same drift.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import pdfplumber
import pytest
from pypdf import PdfReader

from handouts.render.calibration import calibration_pdf
from handouts.layout.card_sheet import make_sheet
from handouts.cli import main
from handouts.style.theme import DEFAULT_THEME

MM = 72.0 / 25.4
SAFE = 0.3 * 72            # 21.6 pt
PAPER = {"letter": (612.0, 792.0), "a4": (210 * MM, 297 * MM)}
PAPERS = tuple(PAPER)
FLIPS = ("long", "short")
LABEL = re.compile(r"^[+-]?\d+$")
TOL = 0.01                 # pt; PDF coordinates are written with 4-5 decimals


@lru_cache(maxsize=None)
def calibration(paper: str = "letter", flip: str = "long", offset: tuple[float, float] = (0.0, 0.0)) -> bytes:
    return calibration_pdf(make_sheet(paper, flip=flip, back_offset_mm=offset), DEFAULT_THEME)


@lru_cache(maxsize=None)
def _pages(data: bytes) -> tuple[dict, ...]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return tuple({
            "width": float(p.width),
            "height": float(p.height),
            "lines": tuple(p.lines),
            "curves": tuple(p.curves),
            "chars": tuple(p.chars),
            "words": tuple(p.extract_words()),
            "text": " ".join(p.extract_text().split()),
        } for p in pdf.pages)


def pages(paper: str = "letter", flip: str = "long", offset=(0.0, 0.0)) -> tuple[dict, ...]:
    return _pages(calibration(paper, flip, tuple(offset)))


def verticals(page) -> list[dict]:
    return [ln for ln in page["lines"] if abs(ln["x0"] - ln["x1"]) < TOL]


def horizontals(page) -> list[dict]:
    return [ln for ln in page["lines"] if abs(ln["y0"] - ln["y1"]) < TOL]


def front_cross(page) -> tuple[dict, dict]:
    """The front page's one vertical and one horizontal line."""
    (v,), (h,) = verticals(page), horizontals(page)
    return v, h


def x_scale(page) -> dict[int, float]:
    """The back's lower scale: label value -> x of its long tick, checked against the printed labels."""
    cx, cy = page["width"] / 2, page["height"] / 2
    ticks = [ln for ln in verticals(page) if ln["y1"] < cy]
    assert len(ticks) == 21, "a tick per millimetre from -10 to +10"
    longest = max(ln["y1"] - ln["y0"] for ln in ticks)
    long_ticks = [ln["x0"] for ln in ticks if ln["y1"] - ln["y0"] > longest - TOL]
    labels = [w for w in page["words"] if LABEL.match(w["text"])
              and page["height"] - w["bottom"] < cy and abs((w["x0"] + w["x1"]) / 2 - cx) < 20 * MM]
    out = {}
    for w in labels:
        middle = (w["x0"] + w["x1"]) / 2
        tick = min(long_ticks, key=lambda x: abs(x - middle))
        assert abs(tick - middle) < 1.0, f"label {w['text']} is not under a long tick"
        out[int(w["text"])] = tick
    return out


def y_scale(page) -> dict[int, float]:
    """The back's right-hand scale: label value -> y of its long tick."""
    cx, cy = page["width"] / 2, page["height"] / 2
    ticks = [ln for ln in horizontals(page) if ln["x0"] > cx]
    assert len(ticks) == 21, "a tick per millimetre from -10 to +10"
    longest = max(ln["x1"] - ln["x0"] for ln in ticks)
    long_ticks = [ln["y0"] for ln in ticks if ln["x1"] - ln["x0"] > longest - TOL]
    labels = [w for w in page["words"] if LABEL.match(w["text"]) and w["x0"] > cx
              and abs(page["height"] - (w["top"] + w["bottom"]) / 2 - cy) < 20 * MM]
    out = {}
    for w in labels:
        middle = page["height"] - (w["top"] + w["bottom"]) / 2
        tick = min(long_ticks, key=lambda y: abs(y - middle))
        assert abs(tick - middle) < 1.5, f"label {w['text']} is not beside a long tick"
        out[int(w["text"])] = tick
    return out


def read_scale(scale: dict[int, float], position: float) -> float:
    """What a person reads where a line crosses the scale (linear between the -10 and +10 ticks)."""
    low, high = scale[-10], scale[10]
    return -10 + (position - low) * 20 / (high - low)


def ring(page) -> tuple[float, float, float]:
    """Centre x, centre y (from the bottom) and diameter of the back page's one circle."""
    (curve,) = page["curves"]
    width, height = curve["x1"] - curve["x0"], curve["y1"] - curve["y0"]
    assert width == pytest.approx(height, abs=TOL)
    return (curve["x0"] + curve["x1"]) / 2, (curve["y0"] + curve["y1"]) / 2, width


def seen_from_back(x: float, y: float, paper: str, flip: str) -> tuple[float, float]:
    """Where a point of the front page shows through when the turned sheet is held up, back page facing you."""
    width, height = PAPER[paper]
    return (width - x, y) if flip == "long" else (x, height - y)


def mirrored(rect, paper: str, flip: str) -> tuple[float, float, float, float]:
    """A rect of the back page as seen from the front side: mirrored across the flip edge."""
    width, height = PAPER[paper]
    if flip == "long":
        return (width - rect.x - rect.width, rect.y, rect.width, rect.height)
    return (rect.x, height - rect.y - rect.height, rect.width, rect.height)


# --- the document -----------------------------------------------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
def test_two_pages_the_size_of_the_paper(paper, flip):
    reader = PdfReader(io.BytesIO(calibration(paper, flip)))
    assert len(reader.pages) == 2
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx(PAPER[paper], abs=0.01)


@pytest.mark.parametrize("flip,duplex", [("long", "/DuplexFlipLongEdge"), ("short", "/DuplexFlipShortEdge")])
def test_viewer_preferences_ask_for_actual_size_and_the_flip(flip, duplex):
    """/PrintScaling /None so nothing is scaled, and /Duplex on the edge the sheet was made for."""
    prefs = PdfReader(io.BytesIO(calibration("letter", flip))).trailer["/Root"]["/ViewerPreferences"]
    assert prefs["/PrintScaling"] == "/None"
    assert prefs["/Duplex"] == duplex


def test_same_bytes_every_time():
    sheet = make_sheet("a4", flip="short", back_offset_mm=(1.5, -2))
    assert calibration_pdf(sheet, DEFAULT_THEME) == calibration_pdf(sheet, DEFAULT_THEME)


# --- the front: a cross through the centre ----------------------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
def test_front_cross_through_the_page_centre(paper, flip):
    front = pages(paper, flip)[0]
    cx, cy = front["width"] / 2, front["height"] / 2
    v, h = front_cross(front)
    assert v["x0"] == pytest.approx(cx, abs=TOL) and v["y0"] < cy < v["y1"]
    assert h["y0"] == pytest.approx(cy, abs=TOL) and h["x0"] < cx < h["x1"]
    # turned over either edge, the cross shows through at the centre of the back page
    assert seen_from_back(v["x0"], h["y0"], paper, flip) == pytest.approx((cx, cy), abs=TOL)


@pytest.mark.parametrize("flip", FLIPS)
def test_front_says_how_to_print_and_what_to_enter(flip):
    """The front names the flip edge, the --back-offset option, and the offset this sheet was printed with."""
    text = pages("letter", flip, (1.5, -2))[0]["text"]
    assert f"flip on {flip} edge" in text
    assert f"--flip {flip}" in text
    assert "--back-offset=X,Y" in text
    assert "--back-offset=1.5,-2" in text


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
def test_text_keeps_the_safe_edge(paper, flip):
    """Every character on both pages stays at least 0.3 in (21.6 pt) from the paper's edge."""
    for page in pages(paper, flip, (2.0, 3.0)):
        assert page["chars"]
        for c in page["chars"]:
            assert c["x0"] >= SAFE and c["x1"] <= page["width"] - SAFE, c["text"]
            assert c["top"] >= SAFE and c["bottom"] <= page["height"] - SAFE, c["text"]


# --- the back: scales without the offset, ring with it ----------------------------------------

OFFSETS = [(0.0, 0.0), (1.5, -2.0), (-4.0, 5.0)]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_back_x_scale_reads_mm_from_the_centre(paper, flip, offset):
    """The lower scale's labels -10, -5, 0, +5, +10 sit at centre x + value mm, whatever the offset."""
    back = pages(paper, flip, offset)[1]
    scale = x_scale(back)
    assert sorted(scale) == [-10, -5, 0, 5, 10]
    assert {w["text"] for w in back["words"] if w["text"] in ("+5", "+10", "-5", "-10")} == {"+5", "+10", "-5", "-10"}
    for value, x in scale.items():
        assert x == pytest.approx(back["width"] / 2 + value * MM, abs=TOL), value


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_back_y_scale_reads_mm_from_the_centre(paper, flip, offset):
    """The right-hand scale's labels sit at centre y + value mm (up is +), whatever the offset."""
    back = pages(paper, flip, offset)[1]
    scale = y_scale(back)
    assert sorted(scale) == [-10, -5, 0, 5, 10]
    for value, y in scale.items():
        assert y == pytest.approx(back["height"] / 2 + value * MM, abs=TOL), value


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_ring_sits_at_the_centre_moved_by_the_offset(paper, flip, offset):
    """The ring is drawn with the current offset: x right, y up, in millimetres."""
    back = pages(paper, flip, offset)[1]
    x, y, diameter = ring(back)
    assert diameter > 2 * MM
    assert x == pytest.approx(back["width"] / 2 + offset[0] * MM, abs=TOL)
    assert y == pytest.approx(back["height"] / 2 + offset[1] * MM, abs=TOL)


# --- a printer that drifts --------------------------------------------------------------------

DRIFTS = [(0.0, 0.0), (1.5, -2.0), (-3.2, 0.7), (4.5, 4.0), (-0.4, -4.6)]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("flip", FLIPS)
@pytest.mark.parametrize("drift", DRIFTS)
@pytest.mark.parametrize("printed_with", [(0.0, 0.0), (1.0, -1.0)])
def test_reading_the_sheet_gives_the_offset_that_cancels_the_drift(paper, flip, drift, printed_with):
    """Simulated printer: the back page lands (ddx, ddy) mm off, as seen looking at the back.

    The front's lines then cross the back's scales at -ddx and -ddy (whatever offset the
    sheet itself was printed with), and cards built with that reading as --back-offset have
    every back exactly behind its front under the same drift.
    """
    ddx, ddy = drift[0] * MM, drift[1] * MM
    front, back = pages(paper, flip, printed_with)
    v, h = front_cross(front)

    # the front's vertical line, seen through the sheet, in the back page's own coordinates
    line_x = seen_from_back(v["x0"], 0, paper, flip)[0] - ddx
    span = sorted(seen_from_back(0, y, paper, flip)[1] - ddy for y in (v["y0"], v["y1"]))
    scale_y = min(ln["y0"] for ln in verticals(back) if ln["y1"] < back["height"] / 2)
    assert span[0] < scale_y < span[1], "the vertical line must cross the lower scale"
    reading_x = read_scale(x_scale(back), line_x)

    line_y = seen_from_back(0, h["y0"], paper, flip)[1] - ddy
    span = sorted(seen_from_back(x, 0, paper, flip)[0] - ddx for x in (h["x0"], h["x1"]))
    scale_x = min(ln["x0"] for ln in horizontals(back) if ln["x0"] > back["width"] / 2)
    assert span[0] < scale_x < span[1], "the horizontal line must cross the right-hand scale"
    reading_y = read_scale(y_scale(back), line_y)

    assert (reading_x, reading_y) == pytest.approx((-drift[0], -drift[1]), abs=0.005)

    sheet = make_sheet(paper, flip=flip, back_offset_mm=(reading_x, reading_y))
    for slot in range(sheet.per_sheet):
        landed = sheet.back(slot).moved(ddx, ddy)
        front_rect = sheet.front(slot)
        assert mirrored(landed, paper, flip) == pytest.approx(
            (front_rect.x, front_rect.y, front_rect.width, front_rect.height), abs=0.02), slot


@pytest.mark.parametrize("flip", FLIPS)
@pytest.mark.parametrize("drift", [(2.0, -1.5), (-3.0, 4.0)])
def test_ring_centres_on_the_cross_only_when_the_offset_is_right(flip, drift):
    """Printed with --back-offset = -drift, the ring lands on the cross; printed with 0,0 it misses by the drift."""
    ddx, ddy = drift[0] * MM, drift[1] * MM
    right = (-drift[0], -drift[1])
    for offset, miss in ((right, (0.0, 0.0)), ((0.0, 0.0), (ddx, ddy))):
        front, back = pages("letter", flip, offset)
        v, h = front_cross(front)
        cross = seen_from_back(v["x0"], h["y0"], "letter", flip)
        x, y, _ = ring(back)
        assert (x + ddx - cross[0], y + ddy - cross[1]) == pytest.approx(miss, abs=TOL), offset


# --- the command line -------------------------------------------------------------------------

def test_cli_writes_the_calibration_sheet(tmp_path, capsys):
    """'handouts calibrate' with a negative offset as its own argument writes an A4, short-edge sheet."""
    out = tmp_path / "out"
    code = main(["calibrate", "--out", str(out), "--paper", "a4", "--flip", "short", "--back-offset", "-1.5,2"])
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    target = out / "calibration.pdf"
    assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == ["calibration.pdf"]  # .cache: the manifest
    assert "calibration.pdf" in stdout and "flip on short edge" in stdout
    reader = PdfReader(target)
    assert len(reader.pages) == 2
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(PAPER["a4"], abs=0.01)
    assert reader.trailer["/Root"]["/ViewerPreferences"]["/Duplex"] == "/DuplexFlipShortEdge"
    assert target.read_bytes() == calibration("a4", "short", (-1.5, 2.0))
    front, back = _pages(target.read_bytes())
    assert "--back-offset=-1.5,2" in front["text"]
    x, y, _ = ring(back)
    assert (x, y) == pytest.approx((back["width"] / 2 - 1.5 * MM, back["height"] / 2 + 2 * MM), abs=TOL)


@pytest.mark.parametrize("offset", ["99,0", "0,-11", "1,2,3"])
def test_cli_refuses_a_bad_offset_with_one_line(tmp_path, capsys, offset):
    """Exit status 2, one line on stderr naming --back-offset, and no file written."""
    out = tmp_path / "out"
    code = main(["calibrate", "--back-offset", offset, "--out", str(out)])
    stdout, stderr = capsys.readouterr()
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "--back-offset" in lines[0]
    assert "Traceback" not in stderr and stdout == ""
    assert not out.exists() or not any(out.rglob("*"))
