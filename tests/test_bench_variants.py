"""The benchmark's made-up libraries (bench/_variants.py) are what the bench says they are.

bench_build.py times a build of the library with a FAQ and of ten copies of it; its figures
mean something only if every exercise there is valid content with its FAQ (so the build
really makes 3 cards each), every copy has its own id and title, and every copy's photo has
bytes of its own that decode to the same picture (so no cache can share work between copies
that a real library ten times the size would not share).
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import pytest
from PIL import Image

from handouts.content.exercise import validate
from handouts.content.load import load_file

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from _variants import COPIES, FAQ_QUESTIONS, faq_library, tagged_jpeg, tenfold_library  # noqa: E402


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_tagged_jpeg_has_new_bytes_and_the_same_pixels():
    data = _jpeg((200, 40, 10))
    tagged = tagged_jpeg(data, "handouts bench copy 2")
    assert tagged is not None and tagged != data
    with Image.open(io.BytesIO(data)) as a, Image.open(io.BytesIO(tagged)) as b:
        assert a.size == b.size and a.tobytes() == b.convert(a.mode).tobytes()
        assert b.info.get("comment") == b"handouts bench copy 2"
        assert b.info.get("jfif") == a.info.get("jfif")  # the JFIF header is still first
    assert tagged.endswith(b"\xff\xd9")  # still complete: our tool embeds it as it is


def test_what_is_not_a_jpeg_is_not_tagged():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, "PNG")
    assert tagged_jpeg(out.getvalue(), "x") is None


@pytest.fixture
def library(tmp_path):
    content, assets = tmp_path / "content", tmp_path / "assets"
    content.mkdir()
    (assets / "bridge").mkdir(parents=True)
    (assets / "bridge" / "0.jpg").write_bytes(_jpeg((10, 120, 200)))
    (assets / "bridge" / "1.jpg").write_bytes(_jpeg((10, 200, 120)))
    (content / "bridge.yaml").write_text(
        "title: Bridge\nlevel: beginner\ntargets:\n  - glutes\n  - hamstrings\nimages:\n  - bridge/0.jpg\n"
        "  - bridge/1.jpg\ninstructions:\n  - Lie on your back.\n  - Lift your hips.\n", encoding="utf-8")
    (content / "neck-turn.yaml").write_text(
        "title: Neck Turn\ninstructions:\n  - Turn your head slowly.\n", encoding="utf-8")
    return content, assets


def _load(path: Path):
    exercise, _ = validate(load_file(path), path.stem)
    return exercise


def test_the_faq_library_is_valid_content_with_three_questions_each(library, tmp_path):
    content, _ = library
    assert faq_library(content, tmp_path / "faq") == 2
    for path in sorted((tmp_path / "faq").iterdir()):
        before, after = _load(content / path.name), _load(path)
        assert len(after.faq) == FAQ_QUESTIONS
        assert after.title == before.title and after.instructions == before.instructions
        assert before.title in after.faq[0].question
    # made from the exercise alone: the same library gets the same FAQ
    faq_library(content, tmp_path / "again")
    assert [p.read_bytes() for p in sorted((tmp_path / "faq").iterdir())] == \
        [p.read_bytes() for p in sorted((tmp_path / "again").iterdir())]


def test_ten_copies_have_their_own_ids_titles_and_photo_bytes(library, tmp_path):
    content, assets = library
    faq_library(content, tmp_path / "faq")
    made, pictures, shared = tenfold_library(tmp_path / "faq", assets, tmp_path / "c10", tmp_path / "a10")
    assert (made, pictures, shared) == (2 * COPIES, 2 * COPIES, 0)
    exercises = [_load(p) for p in sorted((tmp_path / "c10").iterdir())]
    assert len({e.id for e in exercises}) == len({e.title for e in exercises}) == 2 * COPIES
    assert all(len(e.faq) == FAQ_QUESTIONS for e in exercises)
    bridges = [e for e in exercises if e.title.startswith("Bridge")]
    photos = [tmp_path / "a10" / ref.file for e in bridges for ref in e.images]
    assert len(photos) == 2 * COPIES and all(p.is_file() for p in photos)
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in photos}) == 2 * COPIES
    # copy 1 is the FAQ library itself, its photos the very files
    assert (tmp_path / "c10" / "bridge.yaml").read_bytes() == (tmp_path / "faq" / "bridge.yaml").read_bytes()
    assert (tmp_path / "a10" / "bridge" / "0.jpg").read_bytes() == (assets / "bridge" / "0.jpg").read_bytes()
    with Image.open(photos[-1]) as copy, Image.open(assets / "bridge" / photos[-1].name) as original:
        assert copy.tobytes() == original.tobytes()
