"""The per-user cache of prepared pictures: outside output/, shared, checked, private, bounded, optional.

Every test builds a small project (one exercise with one photo larger than it prints, so it is
prepared and cached) with ``handouts.build.run.build``, with a cache folder of its own
($HANDOUTS_CACHE_DIR in tmp_path: ``own_picture_cache``), and reads the entries back as files.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from PIL import Image

import handouts.render.picture_cache as picture_cache
import handouts.render.pictures as pictures
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.errors import OutputError
from handouts.write import user_cache

STEPS = "instructions:\n  - Sit up straight on a firm chair.\n  - Straighten one knee slowly.\n"


def photo(width: int = 2400, height: int = 1600, shade: int = 0) -> bytes:
    """A smooth JPEG, quick to make at any size (*shade* makes another picture of the same size)."""
    red = Image.linear_gradient("L").resize((width, height))
    img = Image.merge("RGB", (red, red.transpose(Image.Transpose.ROTATE_180), Image.new("L", (width, height), shade)))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_project(root: Path, pictures_yaml: dict[str, bytes] | None = None) -> Path:
    """content/<id>.yaml for each (id: photo bytes), the photo in assets/<id>.jpg."""
    for exercise_id, data in (pictures_yaml or {"knee": photo()}).items():
        (root / "content").mkdir(parents=True, exist_ok=True)
        (root / "assets").mkdir(exist_ok=True)
        (root / "assets" / f"{exercise_id}.jpg").write_bytes(data)
        (root / "content" / f"{exercise_id}.yaml").write_text(
            f"title: Seated Knee Extension\nimage: {exercise_id}.jpg\n{STEPS}", encoding="utf-8")
    return root


def build_project(root: Path, **options) -> BuildReport:
    report = build(BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "output",
                                catalogue=False, **options))
    assert report.ok, report.errors
    return report


def handouts_of(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "output" / "handouts").glob("*.pdf"))}


@pytest.fixture
def counted(monkeypatch) -> list[tuple[int, int]]:
    """The targets of every picture prepared (not taken from the cache) from now on."""
    made: list[tuple[int, int]] = []
    real = pictures._prepare
    monkeypatch.setattr(pictures, "_prepare", lambda data, target: made.append(target) or real(data, target))
    return made


# --- where it is ---------------------------------------------------------------------------------

def test_the_cache_folder_is_the_users_and_the_variable_moves_it(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    assert user_cache("pictures", {"HANDOUTS_CACHE_DIR": "/srv/cache", "XDG_CACHE_HOME": "/x"}) == \
        Path("/srv/cache/pictures")
    assert user_cache("pictures", {"HANDOUTS_CACHE_DIR": "here"}) == tmp_path / "here" / "pictures"
    assert user_cache("pictures", {"XDG_CACHE_HOME": "/x"}) == Path("/x/handouts/pictures")
    monkeypatch.setattr(sys, "platform", "linux")
    assert user_cache("pictures", {"XDG_CACHE_HOME": "relative"}) == home / ".cache" / "handouts" / "pictures"
    assert user_cache("fonts", {"HANDOUTS_CACHE_DIR": ""}) == home / ".cache" / "handouts" / "fonts"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert user_cache("pictures", {}) == home / "Library" / "Caches" / "handouts" / "pictures"
    monkeypatch.setattr(sys, "platform", "win32")
    local = str(tmp_path / "AppData" / "Local")
    assert user_cache("pictures", {"LOCALAPPDATA": local}) == Path(local) / "handouts" / "Cache" / "pictures"


def test_the_cache_outlives_the_output_folder_and_serves_another_project(tmp_path, own_picture_cache, monkeypatch):
    root = make_project(tmp_path / "clinic")
    build_project(root)
    first = handouts_of(root)
    assert len(list(own_picture_cache.iterdir())) == 1
    shutil.rmtree(root / "output")
    shutil.copytree(root, tmp_path / "copy")
    monkeypatch.setattr(pictures, "_prepare", lambda *args: pytest.fail("prepared again although it is cached"))
    build_project(root)
    assert handouts_of(root) == first
    build_project(tmp_path / "copy")  # another project, the same photo: the same entry
    assert handouts_of(tmp_path / "copy") == first


def test_the_cache_is_private_whatever_the_umask(tmp_path, own_picture_cache):
    old = os.umask(0o022)
    try:
        build_project(make_project(tmp_path / "clinic"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(own_picture_cache.stat().st_mode) == 0o700
    assert [stat.S_IMODE(p.stat().st_mode) for p in own_picture_cache.iterdir()] == [0o600]
    os.chmod(own_picture_cache, 0o755)  # made open by hand: private again once the build writes there
    build_project(make_project(tmp_path / "other", {"hip": photo(shade=90)}))
    assert stat.S_IMODE(own_picture_cache.stat().st_mode) == 0o700


def test_an_entry_is_named_by_what_made_it_pillow_and_its_codecs_included(monkeypatch):
    key = "0" * 32
    name = picture_cache.entry_name(key)
    assert picture_cache.ENTRY.fullmatch(name) and name != picture_cache.entry_name("1" * 32)
    assert picture_cache.recipe().startswith("Pillow ") and "; jpeg " in picture_cache.recipe()
    monkeypatch.setattr(picture_cache, "recipe", lambda: "Pillow 99.0; jpeg 9; zlib 2")
    assert picture_cache.entry_name(key) != name, "another Pillow's entry is another file"


# --- damaged, linked, unwritable -----------------------------------------------------------------

def test_an_entry_that_is_a_link_is_not_followed_even_to_a_sound_entry(tmp_path, own_picture_cache):
    root = make_project(tmp_path / "clinic")
    build_project(root)
    first = handouts_of(root)
    (entry,) = own_picture_cache.iterdir()
    elsewhere = tmp_path / "elsewhere.picture"
    elsewhere.write_bytes(entry.read_bytes())
    entry.unlink()
    entry.symlink_to(elsewhere)
    build_project(root, incremental=False)
    assert handouts_of(root) == first
    assert not entry.is_symlink() and entry.read_bytes() == elsewhere.read_bytes(), "the link replaced by an entry"
    assert elsewhere.is_file(), "the link's target is not the cache's"


@pytest.mark.parametrize("block", ["a file where the folder goes", "every write refused", "a link as the folder"])
def test_an_unwritable_cache_still_builds_the_same_handout_and_says_nothing(tmp_path, monkeypatch, block, counted):
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "sound"))
    reference = make_project(tmp_path / "reference")
    build_project(reference)
    root = make_project(tmp_path / "clinic")
    blocked = tmp_path / "blocked"
    if block == "a file where the folder goes":
        blocked.write_text("a file, not a folder")
    elif block == "every write refused":
        def refuse(path, *args, **kwargs):
            raise OutputError(path, "cannot write: read-only file system")
        monkeypatch.setattr(picture_cache, "atomic_write_bytes", refuse)
    else:
        blocked.mkdir()
        (tmp_path / "somewhere").mkdir()
        (blocked / "pictures").symlink_to(tmp_path / "somewhere")
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(blocked))
    counted.clear()
    for incremental in (True, False):
        report = build_project(root, incremental=incremental)
        assert report.warnings == [] and report.errors == []
        assert handouts_of(root) == handouts_of(reference)
    assert len(counted) == 2, "prepared by each build, as nothing could be kept"
    if block == "a link as the folder":
        assert not any((tmp_path / "somewhere").iterdir()), "nothing written through the link"


# --- bounded -------------------------------------------------------------------------------------

def _entry(folder: Path, index: int, size: int, age: int) -> Path:
    """A sound entry of *size* bytes, last used *age* hours ago."""
    path = folder / f"{index:032x}.picture"
    path.write_bytes(picture_cache.sealed(bytes([index % 256]) * (size - 25)))
    when = 1_700_000_000 - age * 3600
    os.utime(path, (when, when))
    return path


def test_pruning_keeps_the_budget_and_removes_only_the_least_recently_used_of_its_own(tmp_path):
    folder = tmp_path / "pictures"
    folder.mkdir()
    entries = [_entry(folder, i, 1000, age=100 - i) for i in range(10)]  # entry 9 the most recently used
    theirs = tmp_path / "theirs.txt"
    theirs.write_text("someone's file")
    ancient = 1_000_000_000
    (folder / "notes.txt").write_bytes(b"x" * 50_000)  # not named as an entry: never counted or removed
    os.utime(folder / "notes.txt", (ancient, ancient))
    (folder / f"{'a' * 32}.picture").mkdir()  # a folder named like an entry: not removed
    link = folder / f"{'b' * 32}.picture"
    link.symlink_to(theirs)  # a link named like an entry: the link may go, never its target
    os.utime(link, (ancient, ancient), follow_symlinks=False)
    stale = folder / ".x.picture.1234.handouts.tmp"
    stale.write_bytes(b"half")
    os.utime(stale, (ancient, ancient))
    fresh = folder / ".y.picture.5678.handouts.tmp"
    fresh.write_bytes(b"being written now")

    each = picture_cache.disk_usage(entries[0].stat())  # a block of the file system: 4 KB on most
    budget = 4 * each + each // 2
    removed = picture_cache.prune(folder, budget)
    kept = sorted(p.name for p in folder.iterdir())
    assert removed == 7  # the link, then entries 0 to 5: 4 entries fit in 4.5
    assert kept == sorted([*(e.name for e in entries[6:]), "notes.txt", f"{'a' * 32}.picture", fresh.name])
    assert theirs.read_text() == "someone's file"
    assert picture_cache.prune(folder, budget) == 0, "within the budget: nothing more goes"


def test_a_build_prunes_only_when_it_added_to_the_cache_and_keeps_what_it_used(tmp_path, own_picture_cache,
                                                                               monkeypatch):
    root = make_project(tmp_path / "clinic", {"knee": photo(), "hip": photo(shade=90)})
    build_project(root)
    used = {p.name for p in own_picture_cache.iterdir()}
    assert len(used) == 2
    for entry in own_picture_cache.iterdir():  # both made long ago: older than the filler below
        os.utime(entry, (1_000_000_000, 1_000_000_000))
    filler = [_entry(own_picture_cache, 100 + i, 10_000, age=10) for i in range(5)]
    budget = sum(picture_cache.disk_usage(p.stat()) for p in own_picture_cache.iterdir()) + 1000
    monkeypatch.setattr(picture_cache, "BUDGET_BYTES", budget)
    pruned: list[Path] = []
    real_prune = picture_cache.prune
    monkeypatch.setattr(picture_cache, "prune", lambda folder, budget: pruned.append(folder) or
                        real_prune(folder, budget))

    build_project(root)  # nothing changed: nothing prepared, the cache not even listed
    assert pruned == []
    (root / "content" / "knee.yaml").write_text(
        f"title: Seated Knee Extension, Edited\nimage: knee.jpg\n{STEPS}", encoding="utf-8")
    build_project(root)  # the knee's entry read (so used now), nothing added: not pruned
    assert pruned == []
    make_project(root, {"ankle": photo(shade=180)})  # a third photo: its entry added, the budget passed
    build_project(root)
    assert pruned == [own_picture_cache]
    left = {p.name for p in own_picture_cache.iterdir()}
    assert sum(picture_cache.disk_usage(p.stat()) for p in own_picture_cache.iterdir()) <= budget
    assert len(used & left) == 1, "the least recently used went first: the hip's, last read long ago, " \
                                  "not the knee's, read by the edit's build"
    assert len(left - used - {p.name for p in filler}) == 1, "the ankle's, just added, kept"


def test_the_old_cache_under_the_output_folder_is_removed_and_nothing_else(tmp_path):
    root = make_project(tmp_path / "clinic")
    legacy = root / "output" / ".cache" / "pictures"
    legacy.mkdir(parents=True)
    (legacy / f"{'c' * 32}-{'d' * 16}.jpg").write_bytes(b"an old prepared photo")
    (legacy / f"{'e' * 32}.orig").write_bytes(b"")
    build_project(root)
    assert not legacy.exists()
    legacy.mkdir()
    (legacy / f"{'c' * 32}-{'d' * 16}.png").write_bytes(b"an old prepared drawing")
    (legacy / "mine.txt").write_text("not the cache's")
    build_project(root)
    assert [p.name for p in legacy.iterdir()] == ["mine.txt"]
