"""Pictures on the handout: downsampled to print resolution, cached, deterministic, and never fatal.

Every test writes its own pictures with Pillow into a small library in tmp_path, builds it
with ``handouts.build.run.build`` and reads the handout back: the image XObjects with pypdf
(pixel size, filter, bytes) and where they are drawn with pdfplumber (points).
"""

from __future__ import annotations

import io
import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageDraw, ImageStat
from pypdf import PdfReader

import handouts.render.pictures
from handouts.render import picture_cache
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.style.theme import DEFAULT_THEME

LETTER_WIDTH = 612.0
MARGIN = DEFAULT_THEME.margin
STEPS = "instructions:\n  - Sit up straight on a firm chair.\n  - Straighten one knee slowly.\n"


# --- making pictures ---------------------------------------------------------------------------

def noise_jpeg(width: int, height: int, seed: int = 1, **save) -> bytes:
    """An RGB JPEG of random noise: the worst case for JPEG's size (seeded, so the same every run)."""
    img = Image.frombytes("RGB", (width, height), random.Random(seed).randbytes(width * height * 3))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def line_drawing(width: int, height: int) -> bytes:
    """Black lines on white: a PNG with two colours."""
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    for i in range(0, width, 40):
        draw.line((i, 0, width - i, height - 1), fill="black", width=3)
    draw.rectangle((10, 10, width - 11, height - 11), outline="black", width=4)
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def big_photo() -> bytes:
    """A 4000 x 2667 noisy photo (about 9 MB), made once for the module."""
    return noise_jpeg(4000, 2667)


# --- a library to build ------------------------------------------------------------------------

@dataclass(frozen=True)
class Library:
    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    def add_picture(self, name: str, data: bytes) -> Path:
        path = self.assets / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def add_exercise(self, exercise_id: str, pictures_yaml: str) -> Path:
        """An exercise short enough to print every picture at full size: title, *pictures_yaml*, two steps."""
        path = self.content / f"{exercise_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"title: Seated Knee Extension\n{pictures_yaml}{STEPS}", encoding="utf-8")
        return path

    def build(self, out: str = "output", **options) -> BuildReport:
        options.setdefault("catalogue", False)  # its thumbnails would be cached pictures too: these count a handout's
        return build(BuildOptions(content_dir=self.content, assets_dir=self.assets, out_dir=self.root / out,
                                  **options))

    def handout(self, exercise_id: str, out: str = "output") -> Path:
        return self.root / out / "handouts" / f"{exercise_id}.pdf"


@pytest.fixture
def library(tmp_path) -> Library:
    lib = Library(tmp_path / "library")
    lib.content.mkdir(parents=True)
    lib.assets.mkdir()
    return lib


# --- reading the handout back ------------------------------------------------------------------

@dataclass(frozen=True)
class Embedded:
    """One image XObject of the page and where it is drawn (points, top-down as pdfplumber gives them)."""

    width_px: int
    height_px: int
    filters: tuple[str, ...]
    data: bytes
    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def dpi(self) -> float:
        return self.width_px / ((self.x1 - self.x0) / 72)


def images_of(pdf: Path) -> list[Embedded]:
    """The page's images, left to right."""
    page = PdfReader(pdf).pages[0]
    xobjects = {}
    for name, ref in (page["/Resources"].get("/XObject") or {}).items():
        x = ref.get_object()
        if x["/Subtype"] == "/Image":
            xobjects[name.lstrip("/")] = x
    with pdfplumber.open(pdf) as doc:
        drawn = list(doc.pages[0].images)
    assert len(drawn) == len(xobjects)
    out = []
    for d in drawn:
        x = xobjects[d["name"]]
        filters = x["/Filter"]
        filters = tuple(filters) if isinstance(filters, list) else (filters,)
        out.append(Embedded(int(x["/Width"]), int(x["/Height"]), tuple(str(f) for f in filters), x._data,
                            float(d["x0"]), float(d["x1"]), float(d["top"]), float(d["bottom"])))
    return sorted(out, key=lambda e: e.x0)


def words_of(pdf: Path) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        return doc.pages[0].extract_words()


# --- downsampling ------------------------------------------------------------------------------

def test_a_big_photo_is_downsampled_to_about_200_dpi_as_jpeg(library, big_photo):
    library.add_picture("big.jpg", big_photo)
    library.add_exercise("photo", "image: big.jpg\n")
    report = library.build()
    assert report.ok and report.warnings == []
    pdf = library.handout("photo")
    assert pdf.stat().st_size < 250_000
    (image,) = images_of(pdf)
    assert image.filters == ("/DCTDecode",)
    assert 150 <= image.dpi <= 230, f"{image.width_px} px over {image.x1 - image.x0:.1f} pt"
    assert image.width_px / image.height_px == pytest.approx(4000 / 2667, rel=0.01)


def test_two_pictures_stand_side_by_side_with_their_captions_under_them(library):
    library.add_picture("start.jpg", noise_jpeg(1600, 1200, seed=2))
    library.add_picture("end.jpg", noise_jpeg(1500, 1000, seed=3))
    library.add_exercise("pair", "images:\n"
                                 "  - file: start.jpg\n    caption: Begin here\n"
                                 "  - file: end.jpg\n    caption: Finish there\n")
    report = library.build()
    assert report.ok and report.warnings == []
    pdf = library.handout("pair")
    left, right = images_of(pdf)
    assert left.top == pytest.approx(right.top, abs=1)
    assert left.x1 <= right.x0
    for image in (left, right):
        assert MARGIN - 0.5 <= image.x0 and image.x1 <= LETTER_WIDTH - MARGIN + 0.5
        assert image.filters == ("/DCTDecode",)
        assert 150 <= image.dpi <= 230
    # the words just under the pictures (above the steps): each caption, within its picture's width
    bottom = max(left.bottom, right.bottom)
    under = [w for w in words_of(pdf) if bottom <= w["top"] <= bottom + 20]
    assert " ".join(w["text"] for w in under) == "Begin here Finish there"
    for caption, image in (("Begin here", left), ("Finish there", right)):
        words = [w for w in under if image.x0 <= w["x0"] and w["x1"] <= image.x1]
        assert " ".join(w["text"] for w in words) == caption


@pytest.mark.parametrize("size, expected", [((400, 300), (400, 300)), ((600, 400), (600, 400)),
                                            ((800, 533), (490, 326))],
                         ids=["smaller-than-needed", "up-to-250-dpi", "larger-than-needed"])
def test_a_line_drawing_stays_png_and_is_never_enlarged(library, size, expected):
    """Letter's side column needs 490 px at 200 dpi: up to 250 dpi (612 px) a drawing keeps its
    size, a larger one shrinks to 200 dpi, and none is ever enlarged."""
    library.add_picture("drawing.png", line_drawing(*size))
    library.add_exercise("drawing", "image: drawing.png\n")
    assert library.build().ok
    (image,) = images_of(library.handout("drawing"))
    assert image.filters == ("/FlateDecode",)
    assert (image.width_px, image.height_px) == expected


def test_a_small_jpeg_that_already_fits_is_embedded_as_it_is(library):
    original = library.add_picture("small.jpg", noise_jpeg(300, 200, seed=4))
    library.add_exercise("small", "image: small.jpg\n")
    assert library.build().ok
    (image,) = images_of(library.handout("small"))
    assert (image.width_px, image.height_px) == (300, 200)
    assert image.data == original.read_bytes()


def test_a_photos_camera_metadata_never_reaches_the_pdf(library, big_photo):
    """A phone's Exif (its make, the time, the GPS position), XMP and comment were embedded in the
    emailed PDF with the photo: the photo that fits keeps its JPEG data and pixels, and loses them."""
    from test_jpeg_metadata import SECRETS, noise, pixels, tagged

    fits = library.add_picture("fits.jpg", tagged(noise(size=(300, 200))))
    library.add_picture("large.jpg", tagged(Image.open(io.BytesIO(big_photo))))  # downsampled: encoded again
    library.add_exercise("fits", "image: fits.jpg\n")
    library.add_exercise("large", "image: large.jpg\n")
    assert library.build().ok
    for name in ("fits", "large"):
        pdf = library.handout(name).read_bytes()
        (image,) = images_of(library.handout(name))
        assert not any(secret in image.data or secret in pdf for secret in SECRETS), name
    (image,) = images_of(library.handout("fits"))
    assert pixels(image.data) == pixels(fits.read_bytes()) and len(image.data) < len(fits.read_bytes())


def phone_mpo(size: tuple[int, int]) -> bytes:
    """A photo as phones write one (MPO: a red JPEG, then a blue picture after it, its gain or depth map)."""
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, "MPO", save_all=True, append_images=[Image.new("RGB", size, "blue")])
    return out.getvalue()


@pytest.mark.parametrize("size", [(300, 200), (4000, 2667)], ids=["fits", "downsampled"])
def test_a_phones_mpo_photo_prints_its_first_picture_alone(library, size):
    """Pillow calls such a .jpg MPO, and it was left out as "not PNG or JPEG"."""
    library.add_picture("phone.jpg", phone_mpo(size))
    library.add_exercise("phone", "image: phone.jpg\n")
    report = library.build()
    assert report.ok and not report.warnings, report.warnings
    (image,) = images_of(library.handout("phone"))
    assert image.filters == ("/DCTDecode",) and image.data.count(b"\xff\xd8") == 1
    with Image.open(io.BytesIO(image.data)) as printed:
        assert printed.format == "JPEG"
        red, green, blue = ImageStat.Stat(printed.convert("RGB")).mean
        assert red > 240 and green < 15 and blue < 15


def test_a_photo_turned_by_exif_is_embedded_upright(library):
    """Orientation 6 (turn 90° clockwise to view): 600 x 400 stored pixels print as a 400 x 600 portrait."""
    exif = Image.Exif()
    exif[0x0112] = 6
    library.add_picture("turned.jpg", noise_jpeg(600, 400, seed=5, exif=exif))
    library.add_exercise("turned", "image: turned.jpg\n")
    assert library.build().ok
    (image,) = images_of(library.handout("turned"))
    assert (image.width_px, image.height_px) == (400, 600)
    assert image.bottom - image.top > image.x1 - image.x0


# --- the cache ---------------------------------------------------------------------------------

def test_a_prepared_picture_is_cached_and_reused_until_the_paper_changes(library, big_photo, own_picture_cache,
                                                                         monkeypatch):
    """Reused by a build that makes the handout again (its text edited) and by --rebuild (an entry
    cannot be stale: it is named by what made it, and checked as it is read); made anew for another
    paper size."""
    library.add_picture("big.jpg", big_photo)
    library.add_exercise("photo", "image: big.jpg\n")
    assert library.build().ok
    pdf = library.handout("photo")
    first = pdf.read_bytes()
    (cached,) = own_picture_cache.iterdir()
    (image,) = images_of(pdf)
    with Image.open(cached) as img:  # the entry: the prepared JPEG, then its seal (which JPEG readers ignore)
        assert img.format == "JPEG" and img.size == (image.width_px, image.height_px)
    cached_bytes = cached.read_bytes()

    def not_again(*args):
        raise AssertionError("the picture was prepared again although it is cached")

    real = handouts.render.pictures._prepare
    monkeypatch.setattr(handouts.render.pictures, "_prepare", not_again)
    source = library.root / "content" / "photo.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("title: ", "title: Edited "), encoding="utf-8")
    report = library.build()
    assert report.ok and [p.name for p in report.written] == ["photo.pdf"]
    assert pdf.read_bytes() != first
    assert [(i.width_px, i.height_px) for i in images_of(pdf)] == [(image.width_px, image.height_px)]
    edited = pdf.read_bytes()
    report = library.build(incremental=False)  # --rebuild
    assert report.ok and [p.name for p in report.written] == ["photo.pdf"]
    assert pdf.read_bytes() == edited and [p.read_bytes() for p in own_picture_cache.iterdir()] == [cached_bytes]

    prepared = []
    monkeypatch.setattr(handouts.render.pictures, "_prepare", lambda data, target: prepared.append(target) or
                        real(data, target))
    assert library.build(paper="a4").ok
    assert len(prepared) == 1 and prepared[0] != (image.width_px, image.height_px)
    assert len(list(own_picture_cache.iterdir())) == 2


@pytest.mark.parametrize("damage", [
    lambda data: b"",
    lambda data: data[: len(data) // 2],
    lambda data: data[:200] + b"\0" * 200 + data[400:],
    lambda data: line_drawing(50, 40),  # another good picture under its name
    lambda data: picture_cache.sealed(b"<html>not a picture</html>"),  # sealed, yet no picture
], ids=["emptied", "cut-short", "overwritten-inside", "another-picture", "sealed-no-picture"])
@pytest.mark.parametrize("picture", ["big.jpg", "drawing.png"])
def test_a_damaged_cached_picture_is_prepared_again_not_trusted(library, big_photo, picture, damage,
                                                                own_picture_cache):
    library.add_picture("big.jpg", big_photo)
    library.add_picture("drawing.png", line_drawing(2400, 1800))  # large enough to be prepared and cached
    library.add_exercise("photo", f"image: {picture}\n")
    assert library.build().ok
    first = library.handout("photo").read_bytes()
    (cached,) = own_picture_cache.iterdir()
    sound = cached.read_bytes()
    cached.write_bytes(damage(sound))
    report = library.build(incremental=False)
    assert report.ok and report.warnings == [], "the user's good picture is not 'not a picture'"
    assert library.handout("photo").read_bytes() == first, "the same handout as from a sound cache"
    assert cached.read_bytes() == sound, "the damaged entry was replaced by a sound one"


def test_the_handout_does_not_depend_on_where_the_cache_or_the_assets_are(library, big_photo, tmp_path,
                                                                          monkeypatch):
    """Built into two output folders (the second from the cache the first filled), and from a copy
    of the library elsewhere with a cache of its own: the same bytes."""
    library.add_picture("big.jpg", big_photo)
    library.add_picture("drawing.png", line_drawing(400, 300))
    library.add_exercise("photo", "image: big.jpg\n")
    library.add_exercise("pair", "images:\n  - big.jpg\n  - file: drawing.png\n    caption: The end\n")
    copy = Library(tmp_path / "elsewhere" / "copy")
    shutil.copytree(library.root, copy.root)
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache-a"))
    assert library.build("out-a").ok and library.build("out-b").ok
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "elsewhere" / "cache-b"))
    assert copy.build("out-c").ok
    for exercise_id in ("photo", "pair"):
        a = library.handout(exercise_id, "out-a").read_bytes()
        assert library.handout(exercise_id, "out-b").read_bytes() == a
        assert copy.handout(exercise_id, "out-c").read_bytes() == a


# --- pictures that cannot be used --------------------------------------------------------------

def _text_named_jpg(lib: Library) -> None:
    lib.add_picture("words.jpg", b"this is a text file\n")


def _truncated_jpeg(lib: Library) -> None:
    lib.add_picture("cut.jpg", noise_jpeg(300, 200)[:6000])


def _truncated_png_with_exif(lib: Library) -> None:
    """Pillow reads such a PNG's header without its pixels (its Exif is found up front): the build
    passed it on as fitting, and ReportLab's decoding it while drawing ended the whole build."""
    exif = Image.Exif()
    exif[0x010F] = "Phone"
    out = io.BytesIO()
    Image.linear_gradient("L").resize((600, 400)).convert("RGB").save(out, "PNG", exif=exif.tobytes())
    lib.add_picture("cut.png", out.getvalue()[: len(out.getvalue()) * 6 // 10])


def _gif_named_png(lib: Library) -> None:
    out = io.BytesIO()
    Image.new("P", (40, 30)).save(out, "GIF")
    lib.add_picture("really-a-gif.png", out.getvalue())


def _picture_outside_assets(lib: Library) -> None:
    (lib.root / "outside.png").write_bytes(line_drawing(40, 30))


def _symlink_out_of_assets(lib: Library) -> None:
    _picture_outside_assets(lib)
    os.symlink(lib.root / "outside.png", lib.assets / "link.png")


def _fifo(lib: Library) -> None:
    os.mkfifo(lib.assets / "pipe.png")  # read, it would hang the build for ever


def _device(lib: Library) -> None:
    (lib.assets / "inside").mkdir()
    os.symlink("/dev/zero", lib.assets / "inside" / "zero.png")  # read, it would fill the memory


def _loop(lib: Library) -> None:
    os.symlink("loop-b.png", lib.assets / "loop-a.png")
    os.symlink("loop-a.png", lib.assets / "loop-b.png")


def _folder(lib: Library) -> None:
    (lib.assets / "folder.png").mkdir()


@pytest.mark.parametrize("picture, setup, message", [
    ("pipe.png", _fifo, "assets/pipe.png is not a regular file (a pipe or a device?), not a picture; printed"),
    ("inside/zero.png", _device, "'inside/zero.png' points outside"),
    ("loop-a.png", _loop, "assets/loop-a.png is a link that leads back to itself; printed without it"),
    ("folder.png", _folder, "assets/folder.png is a folder, not a picture; printed without it"),
    ("nope.jpg", None, "assets/nope.jpg not found; printed without a picture"),
    ("words.jpg", _text_named_jpg, "assets/words.jpg cannot be read (not a picture); printed without it"),
    ("cut.jpg", _truncated_jpeg, "assets/cut.jpg cannot be read (the file is cut short: copy or save it again)"),
    ("cut.png", _truncated_png_with_exif, "assets/cut.png cannot be read (the file is cut short: copy or save"),
    ("really-a-gif.png", _gif_named_png, "assets/really-a-gif.png is GIF, not PNG or JPEG; printed without it"),
    ("../outside.png", _picture_outside_assets, "'../outside.png' must be a path inside"),
    ("{root}/outside.png", _picture_outside_assets, "/outside.png' must be a path inside"),
    ("link.png", _symlink_out_of_assets, "'link.png' points outside"),
], ids=["fifo", "device", "link-loop", "folder",
        "missing", "text-file", "truncated-jpeg", "truncated-png-with-exif", "gif-named-png", "dot-dot", "absolute",
        "symlink-out"])
def test_a_picture_that_cannot_be_used_is_a_warning_naming_it(library, picture, setup, message):
    """The build is still ok and the handout is printed, without a picture."""
    if setup:
        setup(library)
    picture = picture.format(root=library.root)
    library.add_exercise("broken-picture", f"image: {picture}\n")
    report = library.build()
    assert report.ok and report.errors == []
    (warning,) = report.warnings
    assert (warning.line, warning.field) == (2, "image")
    assert message in warning.message
    assert picture.rpartition("/")[2] in warning.message
    pdf = library.handout("broken-picture")
    assert len(PdfReader(pdf).pages) == 1 and images_of(pdf) == []
    assert "Straighten" in " ".join(w["text"] for w in words_of(pdf))


def test_of_two_pictures_one_missing_the_other_is_still_shown(library):
    library.add_picture("drawing.png", line_drawing(400, 300))
    library.add_exercise("pair", "images:\n  - nope.jpg\n  - drawing.png\n")
    report = library.build()
    assert report.ok
    (warning,) = report.warnings
    assert (warning.line, warning.field) == (3, "images, picture 1") and "nope.jpg not found" in warning.message
    (image,) = images_of(library.handout("pair"))
    assert (image.width_px, image.height_px) == (400, 300)


def test_of_two_pictures_one_missing_the_other_is_still_about_200_dpi(library, big_photo):
    library.add_picture("big.jpg", big_photo)
    library.add_exercise("pair", "images:\n  - nope.jpg\n  - big.jpg\n")
    assert library.build().ok
    (image,) = images_of(library.handout("pair"))
    assert 150 <= image.dpi <= 230


# --- validation --------------------------------------------------------------------------------

@pytest.mark.parametrize("pictures_yaml, line, field, message", [
    ("image: a.png\nimages:\n  - b.png\n", 3, "images",
     "give either image: (one picture) or images: (a list), not both"),
    ("images:\n  - a.png\n  - b.png\n  - c.png\n", 2, "images", "has 3 items; the limit is 2"),
    ("images:\n  - 42\n", 3, "images, picture 1",
     "expected a picture's path or 'file:' and 'caption:', got a number"),
    ("images:\n  - a.png\n  - caption: The end\n", 4, "images, picture 2", "the file is missing (file: picture.jpg)"),
], ids=["image-and-images", "three-pictures", "a-number", "no-file"])
def test_a_wrong_picture_list_is_an_error_with_line_and_field(library, pictures_yaml, line, field, message):
    library.add_exercise("wrong", pictures_yaml)
    report = library.build()
    assert not report.ok and len(report.failed) == 1
    assert [(e.line, e.field, e.message) for e in report.errors] == [(line, field, message)]
    assert not library.handout("wrong").exists()


def test_a_misspelt_key_in_a_picture_is_an_error_naming_the_key(library):
    library.add_picture("drawing.png", line_drawing(400, 300))
    library.add_exercise("typo", "images:\n  - file: drawing.png\n    captoin: The end\n  - fiel: drawing.png\n")
    report = library.build()
    assert not report.ok and len(report.failed) == 1
    assert [(e.line, e.field, e.message) for e in report.errors] == [
        (4, "images, picture 1", "unknown key 'captoin': did you mean 'caption'? Correct the spelling; "
                                 "a misspelt key is not read"),
        (5, "images, picture 2", "unknown key 'fiel': did you mean 'file'? Correct the spelling; "
                                 "a misspelt key is not read")]  # not also "the file is missing"
    assert not library.handout("typo").exists()


def test_an_unknown_key_in_a_picture_that_is_no_slip_is_a_warning(library):
    library.add_picture("drawing.png", line_drawing(400, 300))
    library.add_exercise("other", "images:\n  - file: drawing.png\n    alt: A person lying down\n")
    report = library.build()
    assert report.ok
    assert [(w.line, w.field, w.message) for w in report.warnings] == [
        (4, "images, picture 1", "unknown key 'alt' ignored")]
    assert len(images_of(library.handout("other"))) == 1


# --- every picture mode prints as it looks on screen, on white paper (issue 13, part 1) --------

def _line_drawing(mode: str) -> Image.Image:
    """A 400 x 300 stick figure whose background is transparent, its hidden pixels stored black
    (as design tools export drawings), or (16-bit grey) a figure on white."""
    if mode == "I;16":
        grey = Image.new("I;16", (400, 300), 65535)
        draw = ImageDraw.Draw(grey)
        draw.ellipse((150, 40, 210, 100), fill=3000)
        draw.line((180, 100, 180, 280), fill=3000, width=12)
        return grey
    rgba = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(rgba)
    draw.ellipse((150, 40, 210, 100), fill=(20, 40, 120, 255))
    draw.line((180, 100, 180, 280), fill=(20, 40, 120, 255), width=12)
    if mode == "LA":
        return rgba.convert("LA")
    if mode == "P":
        palette = rgba.convert("RGB").quantize(4)
        palette.info["transparency"] = palette.getpixel((0, 0))
        return palette
    return rgba


@pytest.mark.parametrize("large", [False, True], ids=["normal", "large-print"])
@pytest.mark.parametrize("mode", ["RGBA", "LA", "P", "I;16"])
def test_a_transparent_or_16_bit_drawing_prints_on_white_not_black(tmp_path, mode, large):
    pdfium = pytest.importorskip("pypdfium2")
    from handouts.style.theme import large_print

    content, assets = tmp_path / "content", tmp_path / "assets"
    content.mkdir()
    assets.mkdir()
    picture = _line_drawing(mode)
    picture.save(assets / "drawing.png",
                 **({"transparency": picture.info["transparency"]} if "transparency" in picture.info else {}))
    (content / "drawing.yaml").write_text("title: Drawing\nimage: drawing.png\ninstructions:\n  - Stand tall.\n")
    report = build(BuildOptions(content_dir=content, assets_dir=assets, out_dir=tmp_path / "out",
                                theme=large_print(DEFAULT_THEME) if large else DEFAULT_THEME))
    assert report.errors == [] and [w for w in report.warnings if not w.notice] == []
    (pdf,) = report.written
    with pdfplumber.open(pdf) as document:
        box = document.pages[0].images[0]
    scale = 2.0
    page = pdfium.PdfDocument(str(pdf))[0].render(scale=scale).to_pil().convert("L")
    area = page.crop(tuple(round(v * scale) for v in (box["x0"], box["top"], box["x1"], box["bottom"])))
    width, height = area.size
    corner = area.crop((0, 0, width // 5, height // 5))  # transparent (or white) in the drawing
    assert ImageStat.Stat(corner).mean[0] > 240, "the background printed dark"
    assert area.getextrema()[0] < 100, "the figure itself is printed"
