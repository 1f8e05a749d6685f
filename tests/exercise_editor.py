"""What the exercise editor's tests share: a hand-written exercise with comments, pictures made in
memory (a photo, a decompression bomb), and the editor's form as a browser posts it."""

from __future__ import annotations

import io
import re
import struct
import zlib

#: A hand-written exercise: comments, a flow list, a block step, a key the form has no field for.
HAND_WRITTEN = """\
# Wall sit: written by hand at the clinic.
title: Wall Sit   # keep it short
summary: Lean on a wall and sit as if on a chair.
targets: [quadriceps, glutes]
instructions:
  - Stand with your back flat against a wall.   # the start
  - Slide down until your knees are bent.
  - |
    Hold the position.
    Breathe normally.
tips:
  - Keep your knees over your ankles.
caution: Stop if your knees hurt.
author: Kim   # not a field: kept
"""


def png(width: int = 40, height: int = 30, colour: tuple[int, int, int] = (200, 60, 40)) -> bytes:
    """A small RGB PNG, made by Pillow."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg(width: int = 64, height: int = 48) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 200)).save(out, "JPEG", quality=80)
    return out.getvalue()


def bomb(side: int = 20_000) -> bytes:
    """A PNG a few hundred bytes long whose header says *side* x *side* pixels (400 million at the
    default: more than Pillow's decompression-bomb limit): a 1x1 PNG with its IHDR rewritten."""
    data = bytearray(png(1, 1))
    start = data.index(b"IHDR")
    data[start + 4:start + 12] = struct.pack(">II", side, side)
    data[start + 17:start + 21] = struct.pack(">I", zlib.crc32(bytes(data[start:start + 17])))
    return bytes(data)


def editor_fields(html: str) -> list[tuple[str, str]]:
    """What a browser posts for the page's exercise form as it is (see web_library.form_fields),
    the list templates left out, without the buttons."""
    from web_library import form_fields

    return form_fields(html, "exercise-form")


def message_beside(html: str, key: str) -> list[str]:
    """The messages the page shows under the control of the form key *key* (``instructions.1``)."""
    found = re.search(r'id="f-' + re.escape(key) + r'".*?(?=<div class="field|<li class="item|</li>|</section>)',
                      html, re.S)
    return re.findall(r'<p class="message"[^>]*>([^<]*)</p>', found.group(0)) if found else []
