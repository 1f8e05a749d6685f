"""Outputs land whole or not at all, and only inside the output folder."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from handouts.errors import OutputError
from handouts.write import atomic_write_bytes, output_path, write_new_text


def test_output_path_stays_inside_the_output_folder(tmp_path):
    assert output_path(tmp_path, "handouts", "a.pdf") == (tmp_path / "handouts" / "a.pdf").resolve()
    with pytest.raises(OutputError, match="refusing to write outside"):
        output_path(tmp_path, "handouts", "../../etc.pdf")


def test_atomic_write_replaces_whole_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "deep" / "x.bin"
    atomic_write_bytes(target, b"first")
    atomic_write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == ["x.bin"]


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "x.bin"
    atomic_write_bytes(target, b"old and complete")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old and complete"
    assert os.listdir(tmp_path) == ["x.bin"]


def test_write_new_text_never_overwrites_without_force(tmp_path):
    target = tmp_path / "a.yaml"
    assert write_new_text(target, "one") is True
    assert write_new_text(target, "two") is False
    assert target.read_text() == "one"
    assert write_new_text(target, "three", force=True) is True
    assert target.read_text() == "three"


def test_unwritable_folder_is_an_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write_bytes(blocker / "sub" / "x.pdf", b"data")


# --- permissions: the umask is respected, a client's program is the owner's alone -----------------

def _build_with_umask(root: Path, umask: int) -> Path:
    """A real `handouts build` of one exercise and one program, in a process with *umask*."""
    import subprocess
    import sys

    (root / "content").mkdir()
    (root / "content" / "walk.yaml").write_text("title: Walk\ninstructions:\n  - Walk.\n", encoding="utf-8")
    (root / "programs").mkdir()
    (root / "programs" / "jane.yaml").write_text("client: Jane\nnotes: knee pain\nexercises: [walk]\n",
                                                 encoding="utf-8")
    (root / "assets").mkdir()
    subprocess.run([sys.executable, "-m", "handouts", "build", "--content", str(root / "content"),
                    "--assets", str(root / "assets"), "--out", str(root / "out")],
                   check=True, capture_output=True, preexec_fn=lambda: os.umask(umask))
    return root / "out"


@pytest.mark.parametrize("umask, shared", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_written_follow_the_umask_and_a_program_is_readable_by_its_owner_only(tmp_path, umask, shared):
    out = _build_with_umask(tmp_path, umask)
    mode = {path.relative_to(out).as_posix(): stat.S_IMODE(path.stat().st_mode)
            for path in out.rglob("*") if path.is_file()}
    assert mode["handouts/walk.pdf"] == shared
    assert mode["programs/jane.pdf"] == 0o600 & ~umask, "a client's name and notes: health information"
    assert mode[".cache/manifest.json"] == 0o600 & ~umask, "its warnings may quote a program"


def test_a_file_name_of_250_bytes_is_written_its_temporary_name_kept_short(tmp_path):
    name = "é" * 120 + ".txt"  # 244 bytes in UTF-8: legal; with a temporary's extra bytes it would not be
    atomic_write_bytes(tmp_path / name, b"notes")
    assert (tmp_path / name).read_bytes() == b"notes" and [p.name for p in tmp_path.iterdir()] == [name]


def test_stale_temporaries_are_only_the_tools_own_and_never_followed(tmp_path):
    import time

    from handouts.write import TEMPORARY_SUFFIX, remove_stale_temporaries

    ours = tmp_path / f".plank.pdf.abc123{TEMPORARY_SUFFIX}"
    theirs = tmp_path / ".thesis-draft.tmp"
    target = tmp_path / "precious.txt"
    link = tmp_path / f".link{TEMPORARY_SUFFIX}"
    for path in (ours, theirs, target):
        path.write_bytes(b"x")
    link.symlink_to(target)
    for path in (ours, theirs, target):
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    os.utime(link, (time.time() - 3600, time.time() - 3600), follow_symlinks=False)
    assert remove_stale_temporaries(tmp_path) == 1
    assert not ours.exists() and theirs.exists() and link.is_symlink() and target.read_bytes() == b"x"


@pytest.mark.parametrize("umask", [0o022, 0o000, 0o077])
def test_keep_private_makes_each_folder_owner_only_new_or_not(tmp_path, umask):
    from handouts.write import keep_private

    out = tmp_path / "out"
    (out / "email").mkdir(parents=True)
    for folder in (out, out / "email"):  # made by someone else, or an older version
        os.chmod(folder, 0o755)
    old = os.umask(umask)
    try:
        assert keep_private(out, "email", "programs") == (out / "email" / "programs").resolve()
    finally:
        os.umask(old)
    modes = [stat.S_IMODE(folder.stat().st_mode) for folder in (out, out / "email", out / "email" / "programs")]
    assert modes == [0o755, 0o700, 0o700]  # the output folder itself is left as it is


def test_keep_private_refuses_a_file_in_place_of_a_folder_and_a_link_out_of_the_output_folder(tmp_path):
    from handouts.write import keep_private

    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir(mode=0o755)
    (out / "email").write_bytes(b"x")
    with pytest.raises(OutputError, match="email: cannot write: it is a file, not a folder"):
        keep_private(out, "email", "programs")
    (out / "email").unlink()
    (out / "email").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="is a link to .*outside"):
        keep_private(out, "email", "programs")
    assert stat.S_IMODE(elsewhere.stat().st_mode) == 0o755 and not (elsewhere / "programs").exists()


# ---------------------------------------------------------------- a file of someone's, saved again; a new file


def test_keep_mode_keeps_an_existing_files_permissions(tmp_path: Path):
    from handouts.write import atomic_write_all, file_mode

    mine, new = tmp_path / "mine.yaml", tmp_path / "new.yaml"
    mine.write_text("a", encoding="utf-8")
    mine.chmod(0o604)
    atomic_write_all([(mine, b"b"), (new, b"c")], durable=True, keep_mode=True)
    assert (mine.read_bytes(), stat.S_IMODE(mine.stat().st_mode)) == (b"b", 0o604)
    assert stat.S_IMODE(new.stat().st_mode) == file_mode()


@pytest.mark.parametrize("hard_links", [True, False])
def test_atomic_create_never_replaces_what_is_there(tmp_path: Path, monkeypatch, hard_links: bool):
    import errno

    from handouts.write import atomic_create_bytes

    if not hard_links:  # a file system without them (FAT, some shares): checked, then renamed
        def no_link(*args):
            raise OSError(errno.EPERM, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
    target = tmp_path / "sub" / "plank.yaml"
    assert atomic_create_bytes(target, b"first") is True
    assert atomic_create_bytes(target, b"second") is False
    assert target.read_bytes() == b"first"
    (tmp_path / "sub" / "dangling.yaml").symlink_to(tmp_path / "nowhere")
    assert atomic_create_bytes(tmp_path / "sub" / "dangling.yaml", b"x") is False
    assert not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["dangling.yaml", "plank.yaml"]
