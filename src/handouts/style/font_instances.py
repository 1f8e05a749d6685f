"""Static bold instances of the variable fallback fonts, made once and kept in the user's cache folder.

Inter, Heebo and Noto Sans Arabic come as variable fonts, and ReportLab draws only a variable
font's default outlines: the regular.  So a Turkish "İ" or a Vietnamese "ầ" in a bold title
printed thin among Atkinson Hyperlegible Bold's letters.  fontTools' instancer makes the static
bold (``wght`` 700, OS/2 usWeightClass 700 as the OpenType spec names Bold, which is Atkinson
Hyperlegible Bold's weight too) from the variable font; this module does that the first time a
bold face is asked for and keeps the result:

* in ``$XDG_CACHE_HOME/handouts/fonts/`` (``~/.cache/handouts/fonts/`` when it is unset or not
  an absolute path, as the XDG Base Directory spec says; ``$HANDOUTS_CACHE_DIR/fonts/`` when
  that is set), one file per font, named
  ``Inter-Bold-<key>.ttf``: the key is a digest of the variable font's bytes, the fontTools
  version and :data:`RECIPE`, so a new font package, a new fontTools or a new recipe makes a new
  file and an old one is never read by mistake (old files are left: nothing else is touched);
* written through a temporary file and a rename (:func:`handouts.write.atomic_write_bytes`), so
  build workers that start at once and make the same instance each replace the file whole;
* checked when read (ReportLab's checksums of the whole file and of every table, and the
  characters it must draw), so a damaged or truncated file is made again, never a crash;
* kept in memory only when the folder cannot be written (a read-only home): the build is as
  good, only the next one pays the time again.

Instancing also drops GSUB, GPOS and GDEF: ReportLab draws glyphs by their cmap entry and
shapes nothing (Arabic arrives as presentation forms, each in the cmap), and instancing those
tables' variations was four fifths of the time (Inter: about 6 s with them, 1 s without).
The bytes are deterministic (the source's ``head`` timestamps are kept), so a build makes the
same PDF from a fresh instance as from a cached one.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Collection, Mapping
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFont

from handouts.errors import FontError, OutputError
from handouts.style.font_subsets import CachingTTFont
from handouts.write import atomic_write_bytes, remove_stale_temporaries, user_cache

#: usWeightClass of Bold (OpenType OS/2 table); the ``wght`` axis is in the same units.
BOLD_WEIGHT = 700
#: What is done to the variable font; change it (and so every cache key) when the making changes.
RECIPE = f"wght={BOLD_WEIGHT}; other axes at their defaults; GSUB GPOS GDEF dropped; names from STAT; v1"
#: Tables ReportLab never reads (it shapes nothing): dropped before instancing, which they would slow.
UNUSED_TABLES = ("GSUB", "GPOS", "GDEF")


def cache_folder(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Where the instances are kept: ``fonts`` in the tool's per-user cache (``$HANDOUTS_CACHE_DIR/fonts``,
    else ``$XDG_CACHE_HOME/handouts/fonts``, else ``~/.cache/handouts/fonts``: see
    :func:`handouts.write.user_cache`); None when there is no home folder to put it in."""
    return user_cache("fonts", environ)


def cache_key(source: bytes) -> str:
    """16 hex digits naming the instance made from *source* by this fontTools and :data:`RECIPE`."""
    import fontTools  # the package's __init__ only: cheap, unlike the instancer

    digest = hashlib.sha256(source)
    digest.update(f"\0fontTools {fontTools.version}\0{RECIPE}".encode())
    return digest.hexdigest()[:16]


def make_bold(source: bytes, label: str) -> bytes:
    """The static bold instance of the variable font *source* (the bytes of a .ttf), as a .ttf.

    Raises FontError naming *label* when fontTools cannot make it (not a variable font, no
    weight axis, a damaged file).
    """
    from fontTools.ttLib import TTFont as Font  # only paid for the first time an instance is made
    from fontTools.varLib import instancer

    try:
        font = Font(io.BytesIO(source), recalcTimestamp=False)  # keep head.modified: same bytes every time
        if "fvar" not in font or not any(axis.axisTag == "wght" for axis in font["fvar"].axes):
            raise FontError(label, "is not a variable font with a weight axis, so it has no bold to make")
        for tag in UNUSED_TABLES:
            if tag in font:
                del font[tag]
        # every axis pinned (None: its default), so the result is static: no fvar, gvar, HVAR, MVAR left
        location: dict[str, float | None] = {axis.axisTag: None for axis in font["fvar"].axes}
        location["wght"] = BOLD_WEIGHT
        bold = instancer.instantiateVariableFont(font, location, updateFontNames=True)
        out = io.BytesIO()
        bold.save(out)
    except FontError:
        raise
    except Exception as exc:  # fontTools raises many kinds (KeyError, AssertionError, its own) on a bad font
        raise FontError(label, f"cannot make its bold instance: {exc}") from exc
    return out.getvalue()


def bold_face(name: str, source: Path, label: str, must_draw: Collection[int],
              folder: Path | None = None) -> TTFont:
    """ReportLab font *name*: the bold instance of the variable font at *source*, from the cache when a
    sound one is there, else made now (and cached when the folder can be written).

    *must_draw* are the code points the regular face is counted on for: an instance without one of
    them is not used.  *folder* is the cache folder (default :func:`cache_folder`).  Not registered:
    the caller does that.
    """
    data = source.read_bytes()
    folder = cache_folder() if folder is None else folder
    cached = folder / f"{name}-{cache_key(data)}.ttf" if folder is not None else None
    if cached is not None and cached.is_file():
        try:
            return _checked(CachingTTFont(name, str(cached), validate=1), must_draw)
        except Exception:  # damaged in any way (ReportLab's TTFError, struct.error, IndexError...): make it again
            pass
    made = make_bold(data, label)
    if cached is not None:
        try:
            atomic_write_bytes(cached, made, durable=False)  # a file lost to a power cut is made again
            remove_stale_temporaries(cached.parent)  # a killed build's half-written instance
        except OutputError:
            pass  # a read-only cache: this build keeps the instance in memory
    try:
        return _checked(CachingTTFont(name, io.BytesIO(made), validate=1), must_draw)
    except Exception as exc:
        raise FontError(label, f"its bold instance is not usable: {exc}") from exc


def _checked(font: TTFont, must_draw: Collection[int]) -> TTFont:
    missing = set(must_draw).difference(font.face.charToGlyph)
    if missing:
        raise ValueError(f"the bold instance lacks {len(missing)} characters, U+{min(missing):04X} first")
    return font
