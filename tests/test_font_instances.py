"""style/font_instances.py: the fallback fonts' static bold instances, and the cache they are kept in.

The instances are read back with fontTools (weight class, static, names, advance widths, cmap);
the cache is tried empty, warm, damaged, unwritable, and written by several processes at once.
Every test has its own cache folder ($XDG_CACHE_HOME in tmp_path); none looks at a clock.
"""

from __future__ import annotations

import io
import multiprocessing
from pathlib import Path

import fontpkg
import pytest
from fontTools.ttLib import TTFont as Font

from handouts.errors import FontError, HandoutsError
from handouts.style import font_instances
from handouts.style.font_instances import BOLD_WEIGHT, bold_face, cache_folder, cache_key, make_bold
from handouts.style.fonts import fonts

#: fallback font's ReportLab name -> (fontpkg family, a character the coverage counts on it for)
FAMILIES = {
    "Inter": ("Inter", "İ"),          # U+0130, Turkish dotted capital I
    "Heebo": ("Heebo", "ש"),
    "NotoSansArabic": ("Noto Sans Arabic", "\ufee3"),  # initial meem, a presentation form the shaper emits
}


def source(name: str) -> Path:
    return fontpkg.path(FAMILIES[name][0])


def fallback(name: str):
    return next(f for f in fonts().fallbacks if f.name == name)


def cached_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def instances() -> dict[str, bytes]:
    """Each fallback font's bold instance, made once for the module (about 2 s in all)."""
    return {name: make_bold(source(name).read_bytes(), name) for name in FAMILIES}


# --- the instance is bold, static and complete --------------------------------------------------

@pytest.mark.parametrize("name", FAMILIES)
def test_the_instance_is_a_static_bold(instances, name):
    bold, regular = Font(io.BytesIO(instances[name])), Font(source(name))
    assert bold["OS/2"].usWeightClass == BOLD_WEIGHT == 700
    assert regular["OS/2"].usWeightClass == 400
    assert not {"fvar", "gvar", "HVAR", "MVAR", "avar"} & set(bold.keys()), "static: no variation left"
    assert bold["name"].getDebugName(6) == regular["name"].getDebugName(6).replace("-Regular", "-Bold")
    assert bold["head"].macStyle & 1 and bold["OS/2"].fsSelection & 0x20, "flagged bold (head, OS/2)"


@pytest.mark.parametrize("name", FAMILIES)
def test_the_instance_draws_heavier_glyphs(instances, name):
    """Bold letters are wider: the advance widths of the letters the coverage counts on differ."""
    bold, regular = Font(io.BytesIO(instances[name])), Font(source(name))
    char = FAMILIES[name][1]
    glyph_bold, glyph_regular = bold.getBestCmap()[ord(char)], regular.getBestCmap()[ord(char)]
    assert bold["hmtx"][glyph_bold][0] > regular["hmtx"][glyph_regular][0]
    changed = sum(bold["hmtx"][g][0] != regular["hmtx"][g][0] for g in regular.getGlyphOrder())
    assert changed > len(regular.getGlyphOrder()) / 2


@pytest.mark.parametrize("name", FAMILIES)
def test_the_instance_keeps_every_character_the_coverage_counts_on(instances, name):
    cmap = Font(io.BytesIO(instances[name])).getBestCmap()
    assert fallback(name).chars <= set(cmap)
    assert ord(FAMILIES[name][1]) in cmap


def test_arabic_keeps_its_presentation_forms(instances):
    """The shaper (arabic-reshaper) turns Arabic into Presentation Forms-A and -B: all still drawn."""
    cmap = Font(io.BytesIO(instances["NotoSansArabic"])).getBestCmap()
    forms = {c for c in fallback("NotoSansArabic").chars if 0xFB50 <= c <= 0xFDFF or 0xFE70 <= c <= 0xFEFF}
    assert len(forms) > 200 and forms <= set(cmap)


def test_the_same_font_gives_the_same_bytes():
    data = source("Heebo").read_bytes()
    assert make_bold(data, "Heebo") == make_bold(data, "Heebo")


def test_a_font_with_no_weight_axis_is_a_font_error():
    static = fontpkg.path("Atkinson Hyperlegible").read_bytes()
    with pytest.raises(FontError, match="^Atkinson: is not a variable font with a weight axis"):
        make_bold(static, "Atkinson")
    with pytest.raises(HandoutsError, match="^Junk: cannot make its bold instance"):
        make_bold(b"not a font at all", "Junk")


# --- where the cache is, and its key -------------------------------------------------------------

def test_the_cache_folder_follows_xdg(tmp_path, monkeypatch):
    assert cache_folder({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "handouts" / "fonts"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    home_cache = tmp_path / "home" / ".cache" / "handouts" / "fonts"
    assert cache_folder({}) == home_cache
    assert cache_folder({"XDG_CACHE_HOME": ""}) == home_cache
    assert cache_folder({"XDG_CACHE_HOME": "relative/cache"}) == home_cache, "the spec: a relative path is ignored"
    assert cache_folder({"HANDOUTS_CACHE_DIR": str(tmp_path / "mine"), "XDG_CACHE_HOME": str(tmp_path)}) == \
        tmp_path / "mine" / "fonts", "the tool's own variable moves every cache of the tool"


def test_the_key_changes_with_the_font_fonttools_and_the_recipe(monkeypatch):
    import fontTools

    data = source("Heebo").read_bytes()
    key = cache_key(data)
    assert len(key) == 16 and key == cache_key(data)
    assert cache_key(data + b"\0") != key, "a new font package"
    monkeypatch.setattr(fontTools, "version", "99.0.0")
    assert cache_key(data) != key, "a new fontTools"
    monkeypatch.undo()
    monkeypatch.setattr(font_instances, "RECIPE", font_instances.RECIPE + "; v2")
    assert cache_key(data) != key, "a new recipe"


# --- the cache at work ---------------------------------------------------------------------------

def heebo(folder: Path | None):
    f = fallback("Heebo")
    return bold_face("Heebo-Bold", source("Heebo"), "Heebo", f.chars, folder)


def test_a_cold_cache_gets_one_file_named_by_its_key_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("HANDOUTS_CACHE_DIR")  # set for the test run by conftest: it would come first
    (tmp_path / "someone-else").mkdir()
    (tmp_path / "someone-else" / "data").write_text("theirs")
    font = heebo(cache_folder())
    key = cache_key(source("Heebo").read_bytes())
    assert cached_files(tmp_path) == sorted([f"Heebo-Bold-{key}.ttf", "data"])
    assert (tmp_path / "someone-else" / "data").read_text() == "theirs"
    assert font.face.name == b"Heebo-Bold"
    assert Font(tmp_path / "handouts" / "fonts" / f"Heebo-Bold-{key}.ttf")["OS/2"].usWeightClass == 700


def test_a_warm_cache_is_read_not_made_again(tmp_path, monkeypatch):
    folder = tmp_path / "fonts"
    made = heebo(folder)
    monkeypatch.setattr(font_instances, "make_bold", lambda *a: pytest.fail("made again, not read from the cache"))
    read = heebo(folder)
    assert read.face.charToGlyph == made.face.charToGlyph
    assert read.face.name == b"Heebo-Bold"


@pytest.mark.parametrize("damage", ["truncated", "a byte changed", "empty", "not a font", "another font"])
def test_a_damaged_cache_file_is_made_again(tmp_path, damage):
    folder = tmp_path / "fonts"
    good = heebo(folder)
    (path,) = folder.iterdir()
    sound = path.read_bytes()
    path.write_bytes({
        "truncated": sound[: len(sound) // 2],
        "a byte changed": sound[:5000] + bytes([sound[5000] ^ 0xFF]) + sound[5001:],
        "empty": b"",
        "not a font": b"<html>proxy error</html>",
        "another font": fontpkg.path("Atkinson Hyperlegible", weight=700).read_bytes(),  # sound, but no Hebrew
    }[damage])
    font = heebo(folder)
    assert font.face.charToGlyph == good.face.charToGlyph
    assert path.read_bytes() == sound, "the damaged file was replaced by a sound one"


def test_an_instance_without_a_character_it_must_draw_is_not_used(tmp_path):
    with pytest.raises(FontError, match="^Heebo: its bold instance is not usable: .* lacks 1 characters, U\\+10FFFD"):
        bold_face("Heebo-Bold", source("Heebo"), "Heebo", {0x10FFFD}, tmp_path / "fonts")


def test_an_unwritable_cache_keeps_the_instance_in_memory(tmp_path):
    (tmp_path / "blocked").write_text("a file where the cache folder's parent should be")
    folder = tmp_path / "blocked" / "handouts" / "fonts"
    font = heebo(folder)
    assert font.face.name == b"Heebo-Bold" and ord("ש") in font.face.charToGlyph
    assert cached_files(tmp_path) == ["blocked"]


def test_no_cache_folder_at_all_keeps_the_instance_in_memory(tmp_path):
    assert ord("ש") in heebo(None).face.charToGlyph


def _make_in_a_process(folder: str) -> bytes:
    font = heebo(Path(folder))
    return bytes(font.face.name)


@pytest.mark.slow
def test_build_workers_making_the_same_instance_at_once_leave_one_sound_file(tmp_path):
    folder = tmp_path / "fonts"
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        names = pool.map(_make_in_a_process, [str(folder)] * 4)
    assert names == [b"Heebo-Bold"] * 4
    (path,) = folder.iterdir()  # one instance, no temporary file left over
    assert path.read_bytes() == make_bold(source("Heebo").read_bytes(), "Heebo")
