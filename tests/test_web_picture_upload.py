"""Pictures uploaded in the exercise editor (handouts.web.picture_upload): what is refused, with what
message, and where what is stored lands, read back from the disk (and by the build's picture code)."""

from __future__ import annotations

import io
import stat
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from handouts.errors import HandoutsError, OutputError
from handouts.render import pictures
from handouts.web.exercise_store import check_exercise
from handouts.web.picture_upload import UploadRefused, picture_kind, store_upload, stored_name
from handouts.write import file_mode

REPO = Path(__file__).resolve().parents[1]
SAMPLE_PNG = (REPO / "assets" / "reclining-lower-trunk-extensor-stretch.png").read_bytes()


def picture(kind: str, size: tuple[int, int] = (40, 30), mode: str = "RGB", **options) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "teal").save(out, kind, **options)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header declares *width* x *height* pixels (a decompression bomb's header)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + \
        chunk(b"IEND", b"")


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------- what is refused


@pytest.mark.parametrize(("data", "message"), [
    (b"", "the file is empty"),
    (b"%PDF-1.7\n1 0 obj\n", "not a picture that can be read"),
    (b"title: Plank\n", "not a picture that can be read"),
    (b"MZ\x90\x00" + bytes(200), "not a picture that can be read"),
    (picture("GIF"), "it is a GIF picture; give a PNG or a JPEG"),
    (picture("BMP"), "it is a BMP picture"),
    (picture("WEBP"), "it is a WEBP picture"),
    (picture("TIFF"), "it is a TIFF picture"),
    (picture("PNG")[:-30], "the file is cut short: copy or save it again"),  # cut off in its pixels
    (picture("JPEG", (400, 300))[:300], "the file is cut short"),            # a JPEG cut off
    (png_declaring(100_000, 100_000), "too many pixels to print"),         # Pillow's error: 2x its limit
    (png_declaring(10_000, 10_000), "too many pixels to print"),           # Pillow's warning, an error here
])
def test_what_the_build_would_not_print_is_refused_with_a_reason(tmp_path: Path, data: bytes, message: str):
    with pytest.raises(UploadRefused, match=message.replace("(", r"\(")) as info:
        store_upload(tmp_path, "plank", "upload.png", data)
    assert "\n" not in str(info.value) and isinstance(info.value, HandoutsError)
    assert files_under(tmp_path) == []


def test_a_bomb_is_refused_before_its_pixels_are_decoded():
    # 10^10 pixels would take 30 GB decoded: refused from the header alone, as the build refuses it
    with pytest.raises(UploadRefused, match=f"more than {Image.MAX_IMAGE_PIXELS:,}"):
        picture_kind(png_declaring(100_000, 100_000))


def test_a_picture_over_the_builds_size_limit_is_refused(tmp_path: Path, monkeypatch):
    data = picture("PNG")
    monkeypatch.setattr(pictures, "MAX_PICTURE_BYTES", len(data) - 1)
    with pytest.raises(UploadRefused, match="a picture may be at most"):
        store_upload(tmp_path, "plank", "x.png", data)
    monkeypatch.setattr(pictures, "MAX_PICTURE_BYTES", len(data))
    assert store_upload(tmp_path, "plank", "x.png", data) == "plank/x.png"


@pytest.mark.parametrize("bad_id", ["../x", "", "a/b", ".hidden", "con"])
def test_an_exercise_id_that_is_no_folder_name_is_refused(tmp_path: Path, bad_id: str):
    with pytest.raises(UploadRefused):
        store_upload(tmp_path, bad_id, "x.png", picture("PNG"))
    assert files_under(tmp_path) == []


# ---------------------------------------------------------------- where it goes


@pytest.mark.parametrize(("sent", "stored"), [
    ("start.png", "start.png"), ("Start Position.PNG", "start-position.png"), ("../../x.png", "x.png"),
    ("/etc/passwd.png", "passwd.png"), ("C:\\Users\\kim\\Desktop\\bridge.png", "bridge.png"),
    ("..\\..\\evil.png", "evil.png"), ("a\x00b.png", "a-b.png"), ("", "picture.png"), ("..", "picture.png"),
    ("/", "picture.png"), (".png", "png.png"), ("Café Größe.png", "café-größe.png"), ("日本.png", "日本.png"),
    ("con.png", "picture.png"), ("x" * 300 + ".png", "x" * 80 + ".png"), ("a\nb\r.png", "a-b.png"),
    ("photo.jpg", "photo.png"),  # told by its bytes: a PNG sent as .jpg
    ("<script>.png", "script.png"), ("%2e%2e%2fx.png", "2e-2e-2fx.png"), ("my_photo.png", "my-photo.png"),
])
def test_a_sent_name_becomes_a_plain_name_inside_the_exercises_folder(tmp_path: Path, sent: str, stored: str):
    assets = tmp_path / "assets"
    ref = store_upload(assets, "plank", sent, picture("PNG"))
    assert ref == f"plank/{stored}"
    assert files_under(tmp_path) == [f"assets/plank/{stored}"]
    assert (assets / ref).read_bytes() == picture("PNG")


def test_a_jpeg_is_stored_as_a_jpeg_and_the_build_prints_both(tmp_path: Path):
    photo = picture("JPEG", (640, 480), quality=90)
    drawing = picture("PNG", (100, 100), mode="RGBA")  # transparency: allowed, the build prints it on white
    assert store_upload(tmp_path, "bridge", "Start.jpeg", photo) == "bridge/start.jpg"
    assert store_upload(tmp_path, "bridge", "end.png", drawing) == "bridge/end.png"
    assert stat.S_IMODE((tmp_path / "bridge" / "start.jpg").stat().st_mode) == file_mode()
    data = {"title": "Bridge", "instructions": ["Lift."],
            "images": [{"file": "bridge/start.jpg", "caption": "Start"}, {"file": "bridge/end.png"}]}
    assert check_exercise("bridge", data, tmp_path).warnings == ()
    for name in ("start.jpg", "end.png"):
        shown, kind = pictures.picture_for_screen(tmp_path / "bridge" / name, 64)
        assert kind in ("JPEG", "PNG") and Image.open(io.BytesIO(shown)).size[0] <= 64


def test_a_phones_mpo_photo_is_taken_as_the_jpeg_it_is(tmp_path: Path):
    """A phone's .jpg with its HDR or depth map after the photo (Pillow: MPO) was refused as "a MPO picture"."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48))])
    assert picture_kind(out.getvalue()) == ("JPEG", (64, 48))
    assert store_upload(tmp_path, "bridge", "IMG_0412.JPG", out.getvalue()) == "bridge/img-0412.jpg"
    assert check_exercise("bridge", {"title": "Bridge", "instructions": ["Lift."], "image": "bridge/img-0412.jpg"},
                          tmp_path).warnings == ()


def test_the_sample_picture_is_accepted_as_it_is(tmp_path: Path):
    assert picture_kind(SAMPLE_PNG)[0] == "PNG"
    ref = store_upload(tmp_path, "reclining", "sample.png", SAMPLE_PNG)
    assert (tmp_path / ref).read_bytes() == SAMPLE_PNG


def test_a_different_picture_of_the_same_name_is_numbered_and_the_same_one_reused(tmp_path: Path):
    first, second = picture("PNG", (10, 10)), picture("PNG", (20, 20))
    assert store_upload(tmp_path, "plank", "start.png", first) == "plank/start.png"
    assert store_upload(tmp_path, "plank", "start.png", second) == "plank/start-2.png"
    assert store_upload(tmp_path, "plank", "START.png", first) == "plank/start.png"  # the same bytes again
    assert store_upload(tmp_path, "plank", "start.png", second) == "plank/start-2.png"
    assert (tmp_path / "plank" / "start.png").read_bytes() == first
    assert (tmp_path / "plank" / "start-2.png").read_bytes() == second
    assert files_under(tmp_path) == ["plank/start-2.png", "plank/start.png"]


def test_a_link_planted_in_the_assets_folder_is_never_written_through(tmp_path: Path, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "victim.png").write_bytes(b"keep me")
    (tmp_path / "plank").mkdir()
    (tmp_path / "plank" / "start.png").symlink_to(outside / "victim.png")
    with pytest.raises(OutputError):
        store_upload(tmp_path, "plank", "start.png", picture("PNG"))
    (tmp_path / "bridge").symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputError):
        store_upload(tmp_path, "bridge", "x.png", picture("PNG"))
    assert (outside / "victim.png").read_bytes() == b"keep me"
    assert sorted(p.name for p in outside.iterdir()) == ["victim.png"]


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_the_stored_name_says_the_kind_found(kind: str):
    assert stored_name("photo.gif", kind) == "photo" + (".png" if kind == "PNG" else ".jpg")
