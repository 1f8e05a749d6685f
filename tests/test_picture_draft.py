"""A photo much larger than it prints is decoded reduced (Pillow's draft mode), never at full size.

Each test makes a 5184 x 3456 JPEG with Pillow (the size of the two largest photos of
free-exercise-db, which are progressive with full-resolution chroma) and prepares it as a
handout does.  What is decoded is read from Pillow itself (the size an image has once loaded),
and the memory it costs from the kernel (the peak resident memory of a fresh process), never
from a clock.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageFile

import handouts.render.pictures as pictures

REPO = Path(__file__).resolve().parents[1]
FULL = (5184, 3456)
TARGET = (720, 480)  # about what a Letter handout's side column needs at 200 dpi
TRAILER = b"SEFH" + b"\0" * 4000  # what some phones append after a JPEG's end (a motion photo's is larger)


def camera_jpeg(progressive: bool = False, chroma: int = 2, orientation: int = 1, trailer: bytes = b"") -> bytes:
    """A 5184 x 3456 JPEG (smooth, so quick to make), *chroma* as Pillow's ``subsampling``
    (0: 4:4:4, 2: 4:2:0), an EXIF orientation, and *trailer* bytes after its end."""
    shade = Image.linear_gradient("L").resize(FULL)
    img = Image.merge("RGB", (shade, shade.transpose(Image.Transpose.ROTATE_180), Image.new("L", FULL, 120)))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, progressive=progressive, subsampling=chroma, exif=exif)
    return out.getvalue() + trailer


@pytest.fixture
def decoded(monkeypatch) -> list[tuple[int, int]]:
    """The size of every image Pillow decodes from a file from now on (its size once loaded)."""
    sizes: list[tuple[int, int]] = []
    real = ImageFile.ImageFile.load

    def load(self):
        decoding = bool(self.tile)  # load() is called again by most methods: only the first one decodes
        pixels = real(self)
        if decoding:
            sizes.append(self.size)
        return pixels

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return sizes


@pytest.mark.parametrize("progressive", [True, False], ids=["progressive", "baseline"])
@pytest.mark.parametrize("trailer", [b"", TRAILER], ids=["ends-at-its-end", "phone-trailer"])
@pytest.mark.parametrize("orientation", [1, 6], ids=["upright", "turned-by-exif"])
def test_a_huge_jpeg_is_decoded_at_a_quarter_of_its_size(decoded, progressive, trailer, orientation):
    data = camera_jpeg(progressive, chroma=0, orientation=orientation, trailer=trailer)
    prepared, fmt, size = pictures._prepare(data, TARGET)
    assert prepared is not None and fmt == "JPEG"
    assert decoded == [(FULL[0] // 4, FULL[1] // 4)], "decoded by libjpeg at 1/4 scale, never at 5184 x 3456"
    expected = (720, 480) if orientation == 1 else (320, 480)
    assert size == expected and Image.open(io.BytesIO(prepared)).size == expected


def test_a_jpeg_cut_short_still_fails_to_load_in_draft_mode():
    """Draft mode is used whether or not the file ends with the JPEG end marker: one cut short is
    still "cannot be read", never a picture with a grey band."""
    data = camera_jpeg(progressive=True)
    with pytest.raises(OSError, match="truncated"):
        pictures._prepare(data[: len(data) * 2 // 3], TARGET)


# The child prepares the photo in a fresh process and prints how much its peak resident memory grew:
# VmHWM, the high-water mark of its own memory (ru_maxrss would not do: Linux carries it over from the
# parent through fork and exec, and the test process has just made a 5184 x 3456 picture).
CHILD = """
import sys
from pathlib import Path
import handouts.render.pictures as pictures

def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))

data = Path(sys.argv[1]).read_bytes()
before = peak()
pictures._prepare(data, (720, 480))
print(peak() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="VmHWM is a Linux figure")
@pytest.mark.parametrize("progressive, chroma, trailer, bound_mb", [
    # decoded in full, the RGB pixels alone would be 5184 x 3456 x 3 bytes = 54 MB (measured: +81 MB)
    (False, 2, TRAILER, 40),
    # a progressive JPEG's coefficients are held whole at any scale: 64 x 2 bytes per 8 x 8 block of
    # each component, 108 MB at 4:4:4; full-size pixels would come on top (measured: +108 MB, +171 MB)
    (True, 0, b"", 108 + 25),
], ids=["baseline-with-phone-trailer", "progressive-4:4:4"])
def test_the_peak_memory_of_preparing_a_huge_photo_stays_below_a_full_decode(tmp_path, progressive, chroma,
                                                                            trailer, bound_mb):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(camera_jpeg(progressive, chroma, trailer=trailer))
    child = subprocess.run([sys.executable, "-c", CHILD, str(photo)], capture_output=True, text=True, check=True,
                           env={"PYTHONPATH": str(REPO / "src"), "PATH": ""})
    grew_mb = int(child.stdout) / 2**20
    assert grew_mb < bound_mb, f"preparing it grew the peak memory by {grew_mb:.0f} MB"
