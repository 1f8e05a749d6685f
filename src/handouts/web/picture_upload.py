"""A picture uploaded in the exercise editor: checked by the build's rules, stored under ``assets/<id>/``.

The build prints a PNG or a JPEG of at most :data:`handouts.render.pictures.MAX_PICTURE_BYTES`
whose pixels Pillow agrees to decode (its decompression-bomb limit, ``Image.MAX_IMAGE_PIXELS``,
about 89 million, taken as an error as the build takes it), and leaves any other picture out with a
warning.  An upload is held to the same rules, and refused with a sentence saying which one it
breaks, so that what was uploaded is what prints.  Transparency is allowed: the build prints it on
white, as the picture looks on the page.  The kind is told by the bytes, never by the name, and the
stored file's suffix says the kind found (a PNG sent as ``photo.jpg`` is stored as ``photo.png``).

The name the browser sends is only a hint: its last part (after any ``/`` or ``\\``), its letters
and digits kept (any script), everything else a ``-``; so no name can reach outside
``assets/<id>/``, and a link planted there is never written through.  A different picture of the
same name is never replaced (the new one is numbered: ``bridge-2.jpg``); the same picture uploaded
again is the same file.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from pathlib import Path

from PIL import Image

from handouts.errors import HandoutsError, OutputError, shorten
from handouts.web.exercise_files import BadId, checked_id
from handouts.write import atomic_create_bytes, output_path

#: The longest stem a stored picture gets (characters), and in bytes of UTF-8 (a file name is at most 255).
_MAX_STEM = 80
_MAX_STEM_BYTES = 150
#: Names Windows keeps for devices: never a stored picture's stem.
_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)
_SUFFIX = {"PNG": ".png", "JPEG": ".jpg"}
#: The longest side a JPEG is decoded at to prove it can be (libjpeg scales while it decodes: cheap).
_PROOF_PIXELS = 256


class UploadRefused(HandoutsError):
    """An upload that is not stored; the message says why in a sentence."""


def picture_kind(data: bytes) -> tuple[str, tuple[int, int]]:
    """("PNG" or "JPEG", (width, height)) of the picture *data*, decoded to prove the build can print it.
    Raises UploadRefused saying why not (see the module's docstring)."""
    from handouts.render.pictures import CUT_SHORT, MAX_PICTURE_BYTES, PICTURE_ERRORS, cut_short

    if not data:
        raise UploadRefused("the file is empty")
    if len(data) > MAX_PICTURE_BYTES:
        raise UploadRefused(f"the file is {-(-len(data) // 2**20)} MB; a picture may be at most "
                            f"{MAX_PICTURE_BYTES // 2**20} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                kind, size = "JPEG" if img.format == "MPO" else img.format, img.size  # MPO: see render.pictures
                if kind not in _SUFFIX:
                    raise UploadRefused(f"it is a {kind} picture; give a PNG or a JPEG (a photo or a drawing)")
                if kind == "JPEG":
                    img.draft("RGB", (_PROOF_PIXELS, _PROOF_PIXELS))
                img.load()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadRefused(f"it has too many pixels to print (more than {Image.MAX_IMAGE_PIXELS:,}); "
                            f"make it smaller first") from None
    except PICTURE_ERRORS as exc:
        if cut_short(exc):
            raise UploadRefused(CUT_SHORT) from None
        raise UploadRefused("it is not a picture that can be read; give a PNG or a JPEG") from None
    return str(kind), size


def stored_name(filename: str, kind: str) -> str:
    """A safe file name for an upload sent as *filename* of the kind *kind* (see the module's docstring)."""
    last = re.split(r"[\\/]", filename or "")[-1]
    stem = last.rsplit(".", 1)[0] if "." in last.lstrip(".") else last
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFC", stem).lower())
    stem = "-".join(words)[:_MAX_STEM].strip("-")
    while len(stem.encode("utf-8")) > _MAX_STEM_BYTES:
        stem = stem[:-1].rstrip("-")
    if not stem or _DEVICES.fullmatch(stem):
        stem = "picture"
    return stem + _SUFFIX[kind]


def store_upload(assets_dir: Path, exercise_id: str, filename: str, data: bytes) -> str:
    """Check the uploaded picture *data* (sent as *filename*) and store it under
    ``<assets_dir>/<exercise_id>/``; return its path relative to *assets_dir* (``wall-sit/start.jpg``,
    with ``/``), as an exercise's ``image:`` or ``images:`` names it.

    The same bytes stored there under that name already: that file's path (nothing written).
    Raises UploadRefused (not a PNG or JPEG, too large, too many pixels, unreadable, an id that can be
    no folder's name), or OutputError when it cannot be written (``assets/<id>`` a link out of it)."""
    try:
        folder_name = checked_id(exercise_id)
    except BadId as exc:
        raise UploadRefused(str(exc)) from None
    kind, _ = picture_kind(data)
    name = stored_name(filename, kind)
    folder = output_path(Path(assets_dir), folder_name)
    stem, suffix = name[: -len(_SUFFIX[kind])], _SUFFIX[kind]
    for number in range(1, 1000):
        candidate = f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}"
        target = output_path(Path(assets_dir), folder_name, candidate)  # a link planted there: refused
        if target.is_file() and _same_bytes(target, data):
            return f"{folder_name}/{candidate}"
        if target.exists() or target.is_symlink():
            continue
        if atomic_create_bytes(folder / candidate, data):
            return f"{folder_name}/{candidate}"
    raise OutputError(folder, f"has too many pictures named like {shorten(name, 60)}; give the picture another name")


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
