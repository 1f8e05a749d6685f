"""A JPEG's camera metadata taken out without decoding it (handouts.render.jpeg_metadata).

Every picture here is made with Pillow; "the same pixels" is checked by decoding both files.
"""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import given, strategies as st
from PIL import Image, ImageCms

from handouts.render.jpeg_metadata import without_metadata

SECRETS = (b"SecretPhone", b"SecretXMP", b"SecretComment")


def noise(mode: str = "RGB", size: tuple[int, int] = (64, 48), seed: int = 3) -> Image.Image:
    bands = len(mode)
    return Image.frombytes(mode, size, random.Random(seed).randbytes(size[0] * size[1] * bands))


def with_gps() -> Image.Exif:
    """Exif as a phone writes it: the camera's make, the time, and where the photo was taken."""
    exif = Image.Exif()
    exif[0x010F] = "SecretPhone"  # Make
    exif[0x0132] = "2026:11:30 09:15:00"  # DateTime
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (51.0, 30.0, 12.5)  # GPSLatitudeRef, GPSLatitude
    return exif


def jpeg(img: Image.Image | None = None, **save) -> bytes:
    out = io.BytesIO()
    (img or noise()).save(out, "JPEG", quality=90, **save)
    return out.getvalue()


def tagged(img: Image.Image | None = None, **save) -> bytes:
    """A JPEG carrying every kind of metadata a phone or an editor writes, and an sRGB profile."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return jpeg(img, exif=with_gps().tobytes(), xmp=b"<x:xmpmeta>SecretXMP</x:xmpmeta>", comment=b"SecretComment",
                icc_profile=profile, **save)


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as img:
        return img.tobytes()


def test_a_jpeg_without_metadata_is_used_as_it_is():
    assert without_metadata(jpeg()) is None
    assert without_metadata(jpeg() + b"\r\n\0") is None  # padding after the end marker is no reason to copy


@pytest.mark.parametrize("save", [{}, {"progressive": True}, {"subsampling": 0}], ids=["baseline", "progressive",
                                                                                    "4:4:4"])
def test_exif_xmp_and_comments_are_dropped_and_the_pixels_and_colour_profile_kept(save):
    original = tagged(**save)
    assert all(secret in original for secret in SECRETS)
    clean = without_metadata(original)
    assert clean is not None and not any(secret in clean for secret in SECRETS)
    assert pixels(clean) == pixels(original)
    with Image.open(io.BytesIO(clean)) as img:
        assert img.info.get("icc_profile") == Image.open(io.BytesIO(original)).info["icc_profile"]
        assert not img.getexif() and "xmp" not in img.info and "comment" not in img.info
    assert without_metadata(clean) is None


def test_a_comment_between_the_scans_of_a_progressive_jpeg_is_dropped_too():
    original = jpeg(progressive=True)
    second_scan = original.index(b"\xff\xda", original.index(b"\xff\xda") + 2)
    planted = original[:second_scan] + b"\xff\xfe\x00\x0fSecretComment" + original[second_scan:]
    assert pixels(planted) == pixels(original)
    assert without_metadata(planted) == original


def test_a_cmyk_jpeg_keeps_adobes_colour_transform():
    original = tagged(noise("CMYK"))
    clean = without_metadata(original)
    assert clean is not None and b"Adobe" in clean and b"SecretPhone" not in clean
    assert pixels(clean) == pixels(original)


def test_what_follows_the_end_marker_is_dropped():
    """A phone's trailer (a second picture, a motion photo's video) is no part of the picture printed."""
    original = jpeg()
    assert without_metadata(original + jpeg(noise(seed=9))) == original


@pytest.mark.parametrize("damage", [
    lambda d: d[: len(d) // 2],                     # cut off in the scan
    lambda d: d[:30],                               # cut off in a segment
    lambda d: d[:2] + b"\xff\xe1\xff\xff" + d[2:],  # a length past the end
    lambda d: b"\x89PNG" + d[4:],                   # not a JPEG
], ids=["scan", "segment", "length", "not-jpeg"])
def test_a_jpeg_whose_segments_cannot_be_followed_is_a_value_error(damage):
    with pytest.raises(ValueError):
        without_metadata(damage(tagged()))


@given(st.binary(max_size=300), st.integers(min_value=0, max_value=2000))
def test_any_bytes_give_a_jpeg_none_or_a_value_error_never_another_exception(junk, cut):
    for data in (b"\xff\xd8" + junk, tagged()[:cut] + junk):
        try:
            result = without_metadata(data)
        except ValueError:
            continue
        assert result is None or result.startswith(b"\xff\xd8") and result.endswith(b"\xff\xd9")
