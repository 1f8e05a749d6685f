"""Pictures: found only inside assets/, decoded once, and never fatal.

A missing, unreadable or out-of-bounds picture costs the handout its picture and the
user a warning naming the file; it never costs the handout.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError
from reportlab.lib.utils import ImageReader

from .flowables import Picture
from .model import Exercise
from .errors import Problem, display_path


def load_picture(ex: Exercise, assets_dir: Path) -> tuple[Picture | None, list[Problem]]:
    """The exercise's picture, or None and a warning saying why not."""
    if not ex.image:
        return None, []
    root = Path(assets_dir).resolve()
    shown = display_path(assets_dir)
    candidate = Path(ex.image)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None, [ex.problem("image", f"'{ex.image}' must be a path inside {shown}/; printed without it")]
    path = (root / candidate).resolve()
    if root not in path.parents:
        return None, [ex.problem("image", f"'{ex.image}' points outside {shown}/; printed without it")]
    if not path.is_file():
        return None, [ex.problem("image", f"{shown}/{ex.image} not found; printed without a picture")]
    try:
        with Image.open(path) as img:
            if img.format not in ("PNG", "JPEG"):
                return None, [ex.problem("image", f"{shown}/{ex.image} is {img.format}, not PNG or JPEG; "
                                                  f"printed without it")]
            img.load()
            width, height = img.size
        reader = ImageReader(str(path))  # JPEG data passes through unrecompressed
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as exc:
        return None, [ex.problem("image", f"{shown}/{ex.image} cannot be read ({_reason(exc)}); "
                                          f"printed without it")]
    return Picture(ex.image, width, height, reader), []


def _reason(exc: Exception) -> str:
    if isinstance(exc, Image.DecompressionBombError):
        return "too many pixels"
    if isinstance(exc, UnidentifiedImageError):
        return "not a picture"
    return str(exc).split(":")[0][:60]
