"""Pictures: found only inside assets/, made fit for print and email, cached, and never fatal.

A picture finer than about 250 dpi at the largest size the layout can print it is
downsampled to 200 dpi (a 5184 x 3456 photo becomes about 720 x 480 pixels); one that is
coarser is embedded as it is.  Photos are kept as JPEG and line drawings as PNG, so a
handout with a photo stays in the low hundreds of KB.  The result is cached per user, outside
the output folder (:mod:`handouts.render.picture_cache`), by the source's content hash and the
target size, so no later build, of this project or another, decodes that photo again.

A missing, unreadable or out-of-bounds picture costs the handout its picture and the
user a warning naming the file; it never costs the handout.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import stat
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from handouts.errors import Problem, display_path, shorten
from handouts.layout.flowables import Picture
from handouts.render import picture_cache
from handouts.render.jpeg_metadata import without_metadata
from handouts.render.reads import FileStamp, note, read_stamped
from handouts.content.exercise import Exercise
from handouts.style.theme import Theme

#: Part of the name a JPEG has in the PDF (see NamedImage): bumping it changes the bytes of every PDF
#: with a JPEG, even one embedded as it is.  For a change of the preparation, bump PREPARATION
#: instead, which only names the cache's entries.
CACHE_VERSION = "2"
PREPARATION = "2"          # bump when _prepare changes its output for the same source and target
JPEG_QUALITY = 80
EXIF_ORIENTATION = 0x0112
PHOTO_COLOURS = 1 << 16    # a PNG with more distinct colours than this is a photo: stored as JPEG
MAX_PICTURE_BYTES = 100 * 1024 * 1024  # a 45-megapixel camera's largest JPEG: about 25 MB
OVERSIZE = 1.25            # up to 250 dpi a picture is embedded as it is; beyond, it is downsampled


class NamedImage(ImageReader):
    """An ImageReader that ReportLab names by our content key instead of by its decoded pixels.

    ``Canvas.drawImage`` calls ``getRGBData`` on every ImageReader just to name the image,
    which decodes a JPEG in full although its bytes go into the PDF as they are (JPEG
    pass-through).  For JPEGs the name comes from the content hash we already have; other
    formats are decoded as usual, since their pixels are what gets embedded.
    """

    def __init__(self, source, key: str):
        super().__init__(source)
        self._content_key = key

    def getRGBData(self):
        if getattr(self._image, "format", None) == "JPEG":
            self._dataA = None
            return self._content_key.encode()
        return super().getRGBData()


def largest_print_size(theme: Theme, page_size: tuple[float, float], count: int) -> tuple[float, float]:
    """The most room (points) a picture can get: the side column alone, or half the band for two."""
    width, height = page_size
    text_width = width - 2 * theme.margin
    body = height - 2 * theme.margin
    if count <= 1 and theme.single_column:
        return text_width * theme.corner_share, body * theme.picture_max_height
    if count <= 1:
        side = text_width - text_width * theme.main_column - theme.gutter
        return side, body * theme.picture_max_height
    return (text_width - theme.gutter) / 2, body * theme.band_max_height


def _target_pixels(box: tuple[float, float], dpi: float) -> tuple[int, int]:
    return math.ceil(box[0] / 72 * dpi), math.ceil(box[1] / 72 * dpi)


def _is_photo(img: Image.Image) -> bool:
    if img.format == "JPEG":
        return True
    sample = img.convert("RGB") if img.mode not in ("RGB", "L") else img
    return sample.getcolors(PHOTO_COLOURS) is None


def _needs_flattening(img: Image.Image) -> bool:
    """Whether *img* would not print as it looks on screen if embedded as it is: transparency (an
    alpha channel, a transparent palette index or colour, whose hidden pixels are often stored
    black) or more than 8 bits a channel (a 16-bit greyscale PNG prints almost white)."""
    return img.mode in ("RGBA", "LA", "PA", "RGBa", "La", "I", "I;16", "I;16B", "I;16L", "F") or \
        "transparency" in img.info


def _on_white(img: Image.Image) -> Image.Image:
    """*img* as it looks on white paper: transparency composited onto white, 16-bit levels to 8-bit."""
    if img.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        highest = img.getextrema()[1]  # one band: (lowest, highest)
        peak = 65535 if img.mode.startswith("I;16") or not isinstance(highest, (int, float)) or highest > 255 else 255
        img = img.convert("F").point(lambda v: v * 255 / peak).convert("L")
    if img.mode == "P" and "transparency" in img.info or img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or \
            "transparency" in img.info:
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", img.size, "white")
        flat.paste(rgba, mask=rgba.split()[-1])
        return flat.convert("L") if img.mode in ("LA", "La", "L") else flat
    return img


def _prepare(data: bytes, target: tuple[int, int]) -> tuple[bytes | None, str, tuple[int, int]]:
    """Downsample *data* to fit *target* pixels; (None, ...) when the original can be used as is.

    The decision is made from the header alone, so a photo that already fits (most of a
    library) is never decoded: its JPEG data goes into the PDF untouched, with no second
    generation of compression loss, and only the camera's metadata taken out
    (:mod:`handouts.render.jpeg_metadata`; then those bytes are returned, not None).

    A JPEG larger than it prints is decoded in draft mode: libjpeg scales it by 1/2, 1/4 or
    1/8 while decoding, to the smallest scale still at least *target*, so a 5184 x 3456 photo
    is decoded to 1296 x 864 and never held at full size (measured with ``ru_maxrss``, Pillow
    13 and libjpeg-turbo 3.0: +9 MB instead of +81 MB for a baseline JPEG).  So is one with
    bytes after its end (a phone's trailer: only its pass-through needs the end marker; one
    cut short fails to load at any scale).  A progressive JPEG still costs its whole-image
    coefficients while it is decoded, 128 bytes per 8 x 8 block of each component and at any
    scale, as every scan spans the whole image: about +55 MB for that photo with 4:2:0 chroma,
    +108 MB with 4:4:4 (+171 MB without draft mode).  That is paid once per photo and size:
    the result is kept in the user's picture cache (:mod:`handouts.render.picture_cache`).
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        img: Image.Image = Image.open(io.BytesIO(data))
        if img.format not in ("PNG", "JPEG", "MPO"):
            raise ValueError(f"is {img.format}, not PNG or JPEG")
        # MPO (CIPA DC-007): a JPEG with more pictures after it, as phones write a photo with its HDR
        # gain map or depth map; its first picture is the photo, and what follows is dropped
        source_format = "JPEG" if img.format == "MPO" else img.format
        orientation = img.getexif().get(EXIF_ORIENTATION, 1)
        width, height = img.size if orientation in (1, 2, 3, 4) else img.size[::-1]
        oversized = width > target[0] * OVERSIZE or height > target[1] * OVERSIZE
        complete = source_format != "JPEG" or data.rstrip(b"\0\r\n")[-2:] == b"\xff\xd9"
        flat = not _needs_flattening(img)
        if orientation == 1 and not oversized and complete and flat:  # fits and upright: the original's bytes
            if source_format == "PNG":  # ReportLab embeds a PNG's pixels, never its chunks; it decodes
                img.load()  # them while drawing, where a file cut short ended the build: so prove it here
                return None, source_format, img.size  # (once per picture and size: the answer is cached)
            try:  # a JPEG is embedded whole: its camera's metadata (GPS too) is taken out first
                return without_metadata(data), source_format, img.size
            except ValueError:
                pass  # segments that cannot be followed: decoded and encoded again, which drops them too
        if source_format == "JPEG" and oversized:
            img.draft("RGB", target)  # JPEG decodes straight to a smaller scale: much faster
        img.load()
    if orientation != 1:
        img = ImageOps.exif_transpose(img)
    img = _on_white(img)
    if oversized:
        img.thumbnail(target, Image.Resampling.LANCZOS)
    photo = source_format == "JPEG" or _is_photo(img)
    out = io.BytesIO()
    img.info.pop("comment", None)  # Pillow writes a JPEG's comment again (see jpeg_metadata); nothing else
    if photo:
        img.convert("RGB" if img.mode != "L" else "L").save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
        return out.getvalue(), "JPEG", img.size
    img.save(out, "PNG", optimize=True)
    return out.getvalue(), "PNG", img.size


def prepare_picture(path: Path, target: tuple[int, int], cache_dir: Path | None) -> tuple[object, tuple[int, int]]:
    """An ImageReader for *path* at most *target* pixels, and its pixel size.

    The file is read once (:func:`handouts.render.reads.read_stamped`, which stamps those
    bytes for the manifest), and what is embedded comes from those bytes or from the cache
    entry made from them, never from the file again.  Always an ImageReader, never a file
    name: ReportLab names an image after its content only then, so the PDF does not depend
    on where the cache or the assets folder is.  *cache_dir*: the picture cache
    (:func:`handouts.render.picture_cache.picture_cache`), or None to keep nothing.  Raises one
    of PICTURE_ERRORS.
    """
    data, _ = read_stamped(path, MAX_PICTURE_BYTES)
    found, size, _, key = _cached_or_prepared(data, target, cache_dir)
    return NamedImage(io.BytesIO(found), key), size


#: What preparing a picture raises for a file that is not a usable picture (see :func:`picture_for_screen`).
PICTURE_ERRORS = (OSError, UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
                  ValueError, SyntaxError)


def picture_for_screen(path: Path, longest_px: int, cache_dir: Path | None = None) -> tuple[bytes, str]:
    """A picture's bytes for a screen, at most about *longest_px* pixels on its longest side.

    The original bytes when they already fit and are upright, else downsampled and turned
    upright (JPEG for a photo, PNG for a drawing), by the same rules as for print, and kept in
    the same cache (*cache_dir*, or None).  Returns (bytes, "JPEG" or "PNG"); raises one of
    PICTURE_ERRORS when the file is not a PNG or JPEG that can be read (a decompression bomb
    included).  The bytes read are stamped (see :mod:`handouts.render.reads`).
    """
    data, _ = read_stamped(Path(path), MAX_PICTURE_BYTES)
    found, _, fmt, _ = _cached_or_prepared(data, (longest_px, longest_px), cache_dir)
    return found, fmt


def _cached_or_prepared(data: bytes, target: tuple[int, int], cache_dir: Path | None
                        ) -> tuple[bytes, tuple[int, int], str, str]:
    """The bytes to embed for the picture *data* at most *target* pixels (the original, or it
    prepared), their pixel size and format ("JPEG" or "PNG"), and their key: from the cache when
    it has them, else prepared now (see :func:`_prepare`) and kept there."""
    # the name ReportLab gives a JPEG in the PDF (see NamedImage): changing how it is made changes every PDF
    key = hashlib.sha256(data + f"|{target[0]}x{target[1]}|{CACHE_VERSION}".encode()).hexdigest()[:32]
    entry = f"{key}|{PREPARATION}"
    if (cached := picture_cache.lookup(cache_dir, entry)) is not None:
        found = cached or data  # empty: the original was fine as it was
        try:
            with Image.open(io.BytesIO(found)) as img:
                if img.format in ("JPEG", "PNG"):
                    return found, img.size, img.format, key
        except PICTURE_ERRORS:  # sealed, yet no picture (written so by hand?): prepared again, never trusted
            pass
    prepared, fmt, size = _prepare(data, target)
    picture_cache.store(cache_dir, entry, prepared or b"")
    return (data if prepared is None else prepared), size, fmt, key


def asset_place(file: str, root: Path, shown: str) -> Path:
    """Where *file* names inside the assets folder *root* (resolved; there or not); ValueError
    saying why it is no place inside it (an absolute path, "..", a link out, a loop of links)."""
    name = shorten(file, 100, keep_end=True)
    candidate = Path(file)
    if candidate.is_absolute() or ".." in candidate.parts:
        raise ValueError(f"'{name}' must be a path inside {shown}/")
    try:
        path = (root / candidate).resolve()
    except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13)
        raise ValueError(f"{shown}/{name} is a link that leads back to itself") from None
    if root not in path.parents:
        raise ValueError(f"'{name}' points outside {shown}/")
    return path


def asset_path(file: str, root: Path, shown: str) -> Path:
    """The existing file *file* names inside the assets folder *root*; ValueError saying why not."""
    name = shorten(file, 100, keep_end=True)
    path = asset_place(file, root, shown)
    try:
        mode = path.stat().st_mode
    except OSError:
        raise ValueError(f"{shown}/{name} not found") from None
    if not stat.S_ISREG(mode):  # a pipe would hang the build, a device fill the memory
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe or a device?)"
        raise ValueError(f"{shown}/{name} is {what}, not a picture")
    if not os.access(path, os.R_OK):
        raise ValueError(f"{shown}/{name} cannot be read (permission denied)")
    return path


def load_logo(file: str, assets_dir: Path, logo_box: tuple[float, float], theme: Theme,
              cache_dir: Path | None = None) -> tuple[Picture | None, str | None]:
    """The clinic's logo, prepared for *logo_box* (points), or None and why it cannot be used."""
    root, shown = Path(assets_dir).resolve(), display_path(assets_dir)
    try:
        path = asset_path(file, root, shown)
    except ValueError as exc:
        return None, f"{exc}; printed without the logo"
    try:
        source, (w, h) = prepare_picture(path, _target_pixels(logo_box, theme.picture_dpi * 1.5), cache_dir)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            ValueError, SyntaxError) as exc:
        return None, f"{shown}/{shorten(file, 100, keep_end=True)} {_reason(exc)}; printed without the logo"
    return Picture(file, w, h, source), None


def load_pictures(ex: Exercise, assets_dir: Path, theme: Theme, page_size: tuple[float, float],
                  cache_dir: Path | None = None) -> tuple[list[Picture], list[Problem]]:
    """The exercise's pictures that can be used, and a warning for each that cannot."""
    problems: list[Problem] = []
    root = Path(assets_dir).resolve()
    shown = display_path(assets_dir)
    found: list[tuple[int, Path]] = []
    for index, ref in enumerate(ex.images):
        place: Path | None = None
        try:
            place = asset_place(ref.file, root, shown)  # "..", a link out: never read, nothing to stamp
            found.append((index, asset_path(ref.file, root, shown)))
        except ValueError as exc:
            if place is not None:  # not there (yet), a folder, unreadable: made without it; adding it makes it again
                note(FileStamp.absent(place))
            problems.append(ex.problem(ex.image_field(index), f"{exc}; printed without "
                                       f"{'a picture' if len(ex.images) == 1 and 'not found' in str(exc) else 'it'}"))

    def prepare_all(count: int) -> list[tuple[int, object, tuple[int, int]]]:
        """Each found picture prepared for a layout of *count* pictures; a warning for each that fails."""
        target = _target_pixels(largest_print_size(theme, page_size, count), theme.picture_dpi)
        prepared = []
        for index, path in found:
            try:
                prepared.append((index, *prepare_picture(path, target, cache_dir)))
            except PICTURE_ERRORS as exc:
                name = shorten(ex.images[index].file, 100, keep_end=True)
                problems.append(ex.problem(ex.image_field(index),
                                           f"{shown}/{name} {_reason(exc)}; printed without it"))
        return prepared

    prepared = prepare_all(len(found))
    if len(found) > 1 and len(prepared) == 1:  # the one left prints alone, in the side column: its size
        found = [(index, path) for index, path in found if index == prepared[0][0]]
        prepared = prepare_all(1)
    pictures = [Picture(ex.images[i].file, w, h, source, ex.images[i].caption) for i, source, (w, h) in prepared]
    return pictures, problems


#: What is said of a picture file cut short (a copy or a sync that did not finish).
CUT_SHORT = "the file is cut short: copy or save it again"


def cut_short(exc: Exception) -> bool:
    """Whether *exc*, raised while reading a picture, says the file is cut short (in Pillow's words)."""
    return isinstance(exc, (OSError, SyntaxError)) and \
        any(word in str(exc).lower() for word in ("truncated", "broken data stream"))


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValueError) and str(exc).startswith("is "):
        return str(exc)
    if isinstance(exc, (Image.DecompressionBombError, Image.DecompressionBombWarning)):
        return "cannot be read (too many pixels)"
    if isinstance(exc, UnidentifiedImageError):
        return "cannot be read (not a picture)"
    if cut_short(exc):
        return f"cannot be read ({CUT_SHORT})"
    if isinstance(exc, OSError) and exc.strerror:  # "permission denied", as asset_path says it
        return f"cannot be read ({exc.strerror[:1].lower()}{exc.strerror[1:60]})"
    return f"cannot be read ({str(exc).split(':')[0][:60]})"
