"""What the manifest records is what the build read: files saved while a build runs, a moved project.

Each race is made deterministic by driving the build's own steps: a hook at a seam of
the build (after the library is gathered, after a handout is rendered) changes a file on
disk at exactly the moment an editor or a file copy might, then the build goes on.  The
next build must then either be up to date with what is on disk, or make the file again:
never report "unchanged" over a PDF made from other bytes.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

import handouts.build.run
import handouts.outputs.anki
import handouts.outputs.handout
import handouts.outputs.program
import handouts.render.exercise
import handouts.render.program
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.render.reads import NO_TIME, RACY_NS, FileStamp, read_stamped, recording

STEPS = ["Stand an arm's length from a wall.", "Put both hands flat on the wall.", "Bend your elbows slowly.",
         "Push back until your arms are straight.", "Rest for a breath, then repeat."]
EXERCISE = ("title: Wall Push\nimage: wall.png\ninstructions:\n" + "".join(f"  - {s}\n" for s in STEPS)
            + "faq:\n  - question: How far from the wall?\n    answer: About an arm's length.\n")
RED, BLUE = (200, 30, 30), (30, 60, 200)


def _picture(path: Path, colour: tuple[int, int, int]) -> None:
    Image.new("RGB", (600, 400), colour).save(path, "PNG")


def _project(root: Path) -> Path:
    """A project folder: one exercise with a red picture and a FAQ, and one client's program."""
    for folder in ("content", "assets", "programs"):
        (root / folder).mkdir(parents=True)
    (root / "content" / "wall-push.yaml").write_text(EXERCISE, encoding="utf-8")
    _picture(root / "assets" / "wall.png", RED)
    (root / "programs" / "jane.yaml").write_text("client: Jane Doe\ndate: 2026-11-25\nexercises: [wall-push]\n",
                                                 encoding="utf-8")
    return root


def _build(root: Path, **changes) -> BuildReport:
    options = BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output",
                           programs=(root / "programs" / "jane.yaml",), anki=True, **changes)
    report = build(options)
    assert report.ok, report.errors
    return report


def _colours(pdf: Path) -> list[tuple[int, ...]]:
    """The colour at the middle of every picture in *pdf*, page by page."""
    found = []
    for page in PdfReader(pdf).pages:
        for image in page.images:
            picture = image.image.convert("RGB")
            found.append(picture.getpixel((picture.width // 2, picture.height // 2)))
    return found


def _text(pdf: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages)


def _new_photo_after(monkeypatch, module, seam: str, root: Path) -> None:
    """Make *module*.*seam* drop a new (blue) photo into assets/ right after it returns: the build's
    seam where a clinician's copy lands between the picture being read and the build recording it."""
    real = getattr(module, seam)

    def then_replaced(*args, **kwargs):
        made = real(*args, **kwargs)
        _picture(root / "assets" / "wall.png", BLUE)
        return made

    monkeypatch.setattr(module, seam, then_replaced)


def _close(colour: tuple[int, ...], to: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(colour, to))


# --- a picture replaced while the build runs (issue 14, item 1) --------------------------------

@pytest.mark.parametrize("module, seam, output", [
    (handouts.render.exercise, "render_handout", "handouts/wall-push.pdf"),
    (handouts.render.program, "render_program", "programs/jane.pdf"),
], ids=["handout", "program"])
def test_a_picture_replaced_just_after_it_was_embedded_is_embedded_again_by_the_next_build(
        tmp_path, monkeypatch, module, seam, output):
    """The stamp is of the bytes embedded, not of the file found after the PDF was made: the next
    build sees the new picture and makes the PDF again with it (it used to say "unchanged" forever)."""
    root = _project(tmp_path)
    _new_photo_after(monkeypatch, module, seam, root)
    _build(root)
    pdf = root / "output" / output
    assert all(_close(c, RED) for c in _colours(pdf)) and _colours(pdf)
    monkeypatch.undo()

    again = _build(root)
    assert pdf in [*again.written, *again.programs]
    assert all(_close(c, BLUE) for c in _colours(pdf)) and _colours(pdf)
    assert _build(root).unchanged == 2  # then up to date: the exercise and the program


def test_a_picture_replaced_just_after_the_anki_deck_took_it_is_taken_again(tmp_path, monkeypatch):
    root = _project(tmp_path)
    _new_photo_after(monkeypatch, handouts.outputs.anki, "picture_for_screen", root)
    _build(root)
    monkeypatch.undo()
    deck = root / "output" / "deck.apkg"

    def media_colour() -> tuple[int, ...]:
        with zipfile.ZipFile(deck) as package:
            with Image.open(io.BytesIO(package.read("0"))) as picture:
                return picture.convert("RGB").getpixel((10, 10))

    assert _close(media_colour(), RED)
    _build(root)
    assert _close(media_colour(), BLUE)


def test_a_picture_that_appears_just_after_it_was_found_missing_is_used_by_the_next_build(tmp_path, monkeypatch):
    """Its absence is stamped when it is looked for, not after the handout is made."""
    root = _project(tmp_path)
    (root / "assets" / "wall.png").unlink()
    _new_photo_after(monkeypatch, handouts.render.exercise, "render_handout", root)
    first = build(BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output"))
    assert any("not found" in w.message for w in first.warnings)
    monkeypatch.undo()
    pdf = root / "output" / "handouts" / "wall-push.pdf"
    assert _colours(pdf) == []
    _build(root)
    assert [_close(c, BLUE) for c in _colours(pdf)] == [True]


# --- a content or program file saved while the build runs (item 2) -----------------------------

def test_a_content_file_saved_in_two_steps_during_a_build_is_built_whole_and_then_up_to_date(tmp_path, monkeypatch):
    """An editor that truncates and writes a file in two steps: between the library being read and
    the exercise being parsed, the file holds its first half only.  The build makes the handout
    from the bytes it read and hashed (all five steps), so "unchanged" next time is true."""
    root = _project(tmp_path)
    source = root / "content" / "wall-push.yaml"
    whole = source.read_text(encoding="utf-8")
    half = whole[:whole.index(f"  - {STEPS[2]}")]  # a file that parses: steps 3-5 not written yet
    real = handouts.build.run.read_programs

    def gathered_then_half_saved(*args, **kwargs):
        source.write_text(half, encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(handouts.build.run, "read_programs", gathered_then_half_saved)
    _build(root)
    monkeypatch.undo()
    source.write_text(whole, encoding="utf-8")  # the editor's second step
    handout = root / "output" / "handouts" / "wall-push.pdf"
    assert all(step in _text(handout) for step in STEPS)

    again = _build(root)
    assert again.unchanged == 2 and again.written == []
    assert all(step in _text(handout) for step in STEPS)


def test_a_program_saved_again_just_after_it_was_read_is_made_again_by_the_next_build(tmp_path, monkeypatch):
    """The program's digest is of the bytes parsed: a save right after the read is seen next time."""
    root = _project(tmp_path)
    program = root / "programs" / "jane.yaml"
    real = handouts.outputs.program.read_file

    def read_then_saved(path):
        raw = real(path)
        if Path(path) == program:
            program.write_text(program.read_text(encoding="utf-8").replace("Jane Doe", "Joan Doe"), encoding="utf-8")
        return raw

    monkeypatch.setattr(handouts.outputs.program, "read_file", read_then_saved)
    _build(root)
    monkeypatch.undo()
    pdf = root / "output" / "programs" / "jane.pdf"
    assert "Jane Doe" in _text(pdf)
    again = _build(root)
    assert again.programs == [pdf] and "Joan Doe" in _text(pdf) and "Jane Doe" not in _text(pdf)


# --- a moved project (item 17) -----------------------------------------------------------------

def test_a_project_moved_or_renamed_is_up_to_date_and_its_manifest_names_no_absolute_path(tmp_path):
    root = _project(tmp_path / "clinic")
    _build(root)
    manifest = (root / "output" / ".cache" / "manifest.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in manifest
    records = json.loads(manifest)["records"]
    assert records["handouts/wall-push.pdf"]["source"] == "content/wall-push.yaml"
    assert [r["path"] for r in records["handouts/wall-push.pdf"]["reads"]] == ["assets/wall.png"]
    assert records["programs/jane.pdf"]["output"]["path"] == "programs/jane.pdf"
    before = {p: p.read_bytes() for p in (root / "output").rglob("*.pdf")}

    moved = tmp_path / "moved" / "clinic-2027"
    moved.parent.mkdir()
    shutil.move(root, moved)
    report = _build(moved)
    assert report.unchanged == 2 and not any(report.made.values()) and report.removed == []
    assert {p.relative_to(moved): p.read_bytes() for p in (moved / "output").rglob("*.pdf")} == \
        {p.relative_to(root): data for p, data in before.items()}

    _picture(moved / "assets" / "wall.png", BLUE)  # and what it read is still checked where it is now
    assert [p.name for p in _build(moved).written] == ["wall-push.pdf"]


# --- the stamps themselves ---------------------------------------------------------------------

def test_a_file_changed_within_the_racy_window_is_stamped_to_be_compared_by_its_bytes(tmp_path):
    """A picture written just now may change again within one tick of the file system's clock at the
    same size: its stamp carries no time, so the next build compares bytes; an older one's time is kept."""
    picture = tmp_path / "p.png"
    _picture(picture, RED)
    _, fresh = read_stamped(picture, 10**6)
    assert fresh.mtime_ns == NO_TIME and fresh.size == picture.stat().st_size
    assert fresh.still_valid()
    same_size = bytearray(picture.read_bytes())
    same_size[-20] ^= 0xFF
    picture.write_bytes(bytes(same_size))
    assert not fresh.still_valid(), "same size, new bytes: compared by bytes, so seen"

    old = time.time_ns() - 10 * RACY_NS
    os.utime(picture, ns=(old, old))
    _, settled = read_stamped(picture, 10**6)
    assert settled.mtime_ns == old and settled.still_valid()


def test_reading_a_picture_notes_its_stamp_and_a_refused_one_is_noted_absent(tmp_path):
    picture, pipe, big = tmp_path / "p.png", tmp_path / "pipe.png", tmp_path / "big.png"
    _picture(picture, RED)
    os.mkfifo(pipe)
    big.write_bytes(b"\x89PNG" + b"\0" * 100)
    with recording() as reads:
        data, stamp = read_stamped(picture, 10**6)
        with pytest.raises(ValueError, match="not a regular file"):
            read_stamped(pipe, 10**6)  # opened without blocking: it returns at once
        with pytest.raises(ValueError, match="too large"):
            read_stamped(big, 50)
        with pytest.raises(OSError):
            read_stamped(tmp_path / "missing.png", 10**6)
    assert data == picture.read_bytes() and reads[str(picture)] == stamp
    assert [reads[str(p)] for p in (pipe, big, tmp_path / "missing.png")] == \
        [FileStamp.absent(p) for p in (pipe, big, tmp_path / "missing.png")]
    read_stamped(picture, 10**6)  # outside a recording: noted nowhere, and no error


def test_rebuild_takes_pictures_from_the_cache_and_removes_nothing_of_it(tmp_path, monkeypatch, own_picture_cache):
    """--rebuild makes every file again, but a cached picture is named by what made it and checked as
    it is read, so it is used as it is; and nothing in the cache (shared by every project) goes."""
    root = _project(tmp_path)
    _build(root)
    (own_picture_cache / "notes.txt").write_text("mine", encoding="utf-8")  # not the cache's: left alone
    before = {p.name: p.read_bytes() for p in own_picture_cache.iterdir()}
    made = {p: p.read_bytes() for p in (root / "output").rglob("*.pdf")}
    import handouts.render.pictures as pictures
    monkeypatch.setattr(pictures, "_prepare", lambda *args: pytest.fail("prepared again although it is cached"))
    report = _build(root, incremental=False)
    assert report.unchanged == 0
    assert {p.name: p.read_bytes() for p in own_picture_cache.iterdir()} == before
    assert {p: p.read_bytes() for p in (root / "output").rglob("*.pdf")} == made


def test_a_picture_that_cannot_be_read_is_a_warning_and_the_build_is_recorded(tmp_path, monkeypatch):
    """Permission denied on opening it (root reads everything, so the refusal is made here): a
    warning naming the picture, the handout printed without it, the manifest saved (it was an
    internal error that saved nothing); and a next build tries the picture again."""
    root = _project(tmp_path)
    picture = root / "assets" / "wall.png"
    real_open = os.open

    def refusing(path, flags, *args, **kwargs):
        if os.fspath(path) == str(picture.resolve()):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    report = build(BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output"))
    assert report.ok
    (warning,) = [w for w in report.warnings if "wall.png" in w.message]
    assert "cannot be read (permission denied)" in warning.message and "printed without it" in warning.message
    assert (root / "output" / ".cache" / "manifest.json").is_file()
    monkeypatch.undo()
    again = _build(root)
    assert [p.name for p in again.written] == ["wall-push.pdf"]
    assert [_close(c, RED) for c in _colours(root / "output" / "handouts" / "wall-push.pdf")] == [True]


def test_a_picture_replaced_between_two_reads_in_one_handout_is_made_again(tmp_path, monkeypatch):
    """`images: [wall.png, wall.png]`, the file replaced between the two reads: the PDF holds both
    photos, so no stamp of one of them describes it; the next build makes it again."""
    root = _project(tmp_path)
    source = root / "content" / "wall-push.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("image: wall.png", "images: [wall.png, wall.png]"),
                      encoding="utf-8")
    import handouts.render.pictures as pictures
    real = pictures.read_stamped
    calls: list[int] = []

    def read_then_replace(*args, **kwargs):
        made = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            _picture(root / "assets" / "wall.png", BLUE)
        return made

    monkeypatch.setattr(pictures, "read_stamped", read_then_replace)
    _build(root)
    monkeypatch.undo()
    pdf = root / "output" / "handouts" / "wall-push.pdf"
    assert sorted(_close(c, BLUE) for c in _colours(pdf)) == [False, True]  # one of each
    again = _build(root)
    assert pdf in again.written and all(_close(c, BLUE) for c in _colours(pdf))
    assert _build(root).unchanged == 2


@pytest.mark.parametrize("make", [lambda p: os.mkfifo(p), lambda p: p.symlink_to("/dev/zero")],
                         ids=["pipe", "link-to-dev-zero"])
def test_a_special_file_in_the_picture_cache_is_replaced_not_read(tmp_path, make, own_picture_cache):
    """Read, a pipe would hang the build and /dev/zero fill the memory."""
    root = _project(tmp_path)
    _build(root)
    cache = own_picture_cache
    for entry in list(cache.iterdir()):
        entry.unlink()
        make(entry)
    source = root / "content" / "wall-push.yaml"
    source.write_text(source.read_text(encoding="utf-8").replace("Wall Push", "Wall Push Up"), encoding="utf-8")
    report = _build(root)
    assert [p.name for p in report.written] == ["wall-push.pdf"]
    assert [_close(c, RED) for c in _colours(root / "output" / "handouts" / "wall-push.pdf")] == [True]
    assert all(p.is_file() and not p.is_symlink() for p in cache.iterdir()), "each replaced by a sound entry"


@pytest.mark.parametrize("damage", [
    lambda p: p.write_bytes(b'{"format": 4, "records": {"a\xe9": 1}}'),
    lambda p: p.write_text(p.read_text(encoding="utf-8").replace('"content/wall-push.yaml"',
                                                                 '"content/wall\\u0000push.yaml"'), encoding="utf-8"),
    lambda p: p.write_text(p.read_text(encoding="utf-8").replace('"handouts/wall-push.pdf": {',
                                                                 '"../../etc/x.pdf": {'), encoding="utf-8"),
    lambda p: (p.unlink(), os.mkfifo(p)),
], ids=["not-utf8", "nul-in-a-path", "key-out-of-the-folder", "pipe"])
def test_a_manifest_damaged_in_any_way_means_a_full_build_and_one_warning(tmp_path, damage):
    root = _project(tmp_path)
    _build(root)
    damage(root / "output" / ".cache" / "manifest.json")
    report = _build(root)
    assert [p.name for p in report.written] == ["wall-push.pdf"]
    assert [w.message.split(",")[0] for w in report.warnings if "manifest.json" in w.path] == [
        "damaged (not as a build wrote it)"]


def test_a_content_folder_where_nothing_can_be_read_removes_no_output(tmp_path):
    """`--content programs` (a typo): every file fails, and the handouts stay."""
    root = _project(tmp_path)
    _build(root)
    report = build(BuildOptions(content_dir=root / "programs", assets_dir=root / "assets", out_dir=root / "output"))
    assert not report.ok and report.removed == []
    assert "so no output was removed" in report.errors[-1].message
    assert (root / "output" / "handouts" / "wall-push.pdf").is_file()


def test_a_link_where_a_pdf_goes_fails_that_exercise_alone_and_its_target_is_untouched(tmp_path):
    root = _project(tmp_path)
    (root / "content" / "other.yaml").write_text("title: Other\ninstructions: [Sit.]\n", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("mine", encoding="utf-8")
    (root / "output" / "handouts").mkdir(parents=True)
    (root / "output" / "handouts" / "wall-push.pdf").symlink_to(victim)
    report = build(BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output"))
    assert [p.name for p in report.written] == ["other.pdf"]
    (error,) = report.errors
    assert error.path.endswith("handouts/wall-push.pdf") and "is a link to" in error.message
    assert victim.read_text(encoding="utf-8") == "mine"
    (root / "output" / "handouts" / "wall-push.pdf").unlink()  # the session's PDF check would read its target


def test_a_lock_file_that_is_no_file_is_one_line_not_an_unlocked_build(tmp_path):
    from handouts.errors import OutputError

    root = _project(tmp_path)
    (root / "output" / ".cache" / "build.lock").mkdir(parents=True)
    with pytest.raises(OutputError, match="cannot be used as the build's lock"):
        _build(root)
