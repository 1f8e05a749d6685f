"""Renaming an exercise: its file, the programs that name it, and the pictures stored under its id.

An exercise's id is its file's name, so a rename is a new file name, and every client program
naming the old id is changed to name the new one (:mod:`handouts.web.program_ids`: only the id's
characters change in each, comments and all else kept).  The pictures the editor stores for an
exercise live in ``assets/<id>/`` (:mod:`handouts.web.picture_upload`), so those the exercise
names there move to ``assets/<new id>/`` with it and its paths to them change; a picture there
that another exercise names too is copied instead, and a file there that it does not name is left
alone (it may be someone's).

Nothing is lost if it stops half-way (a full disk, a program that cannot be written): the new
files are written first (the pictures, the exercise, then every program at once), and a failure
there removes the ones this rename wrote; only then is the old exercise file removed, then the
pictures moved.  Stopped after the programs were written, the library holds the exercise twice,
once under each id, which a person can see and delete; never a program naming an id that is not
there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from handouts.build.gather import yaml_files
from handouts.errors import ContentError, HandoutsError, OutputError, display_path
from handouts.web.exercise_files import (IdTaken, checked_id, current, exercise_file, one_change_at_a_time,
                                         read_current, taken_by)
from handouts.web.exercise_yaml import edited_exercise_text, exercise_data
from handouts.web.program_ids import program_text, renamed_program_text
from handouts.write import atomic_create_bytes, atomic_write_all, output_path


@dataclass(frozen=True)
class Renamed:
    """A renamed exercise: its new file and that file's digest, the programs changed (their names),
    and the pictures moved or copied (old and new paths under assets/)."""

    path: Path
    digest: str
    programs: tuple[str, ...] = ()
    pictures: tuple[tuple[str, str], ...] = ()


class RenameRefused(HandoutsError):
    """A rename that cannot be done safely (a program that cannot be read, say); nothing was changed."""


def _picture_refs(data: Any) -> list[str]:
    """The picture paths exercise *data* names (``image:``, ``images:`` as paths or ``file:``)."""
    refs = [data.get("image")] if isinstance(data, dict) else []
    for item in data.get("images") or [] if isinstance(data, dict) else []:
        refs.append(item.get("file") if isinstance(item, dict) else item)
    return [ref.strip() for ref in refs if isinstance(ref, str) and ref.strip()]


def _with_refs(data: dict, moved: dict[str, str]) -> dict:
    """*data* with each picture path in *moved* replaced by where it went."""
    out = dict(data)
    if isinstance(out.get("image"), str):
        out["image"] = moved.get(out["image"].strip(), out["image"])
    if isinstance(out.get("images"), list):
        out["images"] = [{**item, "file": moved.get(item["file"].strip(), item["file"])}
                         if isinstance(item, dict) and isinstance(item.get("file"), str)
                         else moved.get(item.strip(), item) if isinstance(item, str) else item
                         for item in out["images"]]
    return out


def _named_elsewhere(content_dir: Path, this: Path, ref: str) -> bool:
    """Whether a content file other than *this* names the picture *ref* (by its path's text: a file that
    names it in a comment counts too, which only makes the picture copied instead of moved)."""
    for path in yaml_files(content_dir):
        if path.name == this.name:
            continue
        try:
            if ref in path.read_text(encoding="utf-8", errors="replace"):
                return True
        except OSError:
            return True
    return False


def _plan_pictures(content_dir: Path, assets_dir: Path, path: Path, data: Any, old: str, new: str
                   ) -> list[tuple[str, str, Path, Path, bool]]:
    """(old ref, new ref, source, target, move) for each picture the exercise names under assets/<old>/."""
    plan = []
    for ref in dict.fromkeys(_picture_refs(data)):
        parts = PurePosixPath(ref.replace("\\", "/")).parts
        if len(parts) < 2 or parts[0] != old or ".." in parts:
            continue
        try:
            source = output_path(Path(assets_dir), *parts)
            target = output_path(Path(assets_dir), new, *parts[1:])
        except OutputError:
            continue  # a link out of assets/: not followed, left as it is
        if not source.is_file():
            continue
        plan.append((ref, "/".join((new, *parts[1:])), source, target,
                     not _named_elsewhere(content_dir, path, ref)))
    return plan


@one_change_at_a_time
def rename_exercise(content_dir: Path, programs_dir: Path, assets_dir: Path, old_id: str, new_id: str,
                    opened_digest: str | None) -> Renamed:
    """Rename the exercise *old_id* to *new_id* (see the module's docstring).

    *opened_digest*: the file's digest when the page opened it (None: not checked).  Raises BadId,
    NotInProject (no exercise *old_id*), IdTaken (*new_id* is another exercise's, but for capitals),
    ChangedOnDisk, RenameRefused (a program naming it cannot be changed, or the file is a link),
    OutputError (a file cannot be written; nothing was changed then).
    """
    old, new = checked_id(old_id), checked_id(new_id)
    path = exercise_file(content_dir, old)
    text, digest = read_current(path) if opened_digest is None else current(path, opened_digest)
    if new == old:
        return Renamed(path, digest)
    other = taken_by(content_dir, new)
    if other is not None and not (other.exists() and other.samefile(path)):
        raise IdTaken(f"there is an exercise '{other.stem}' already; choose another id")
    if path.is_symlink():
        raise RenameRefused(f"{display_path(path)} is a link; rename the file it points to")
    try:
        data: Any = exercise_data(text, display_path(path))
    except ContentError:
        data = None  # not readable as an exercise: renamed as it is, its pictures left alone
    plan = _plan_pictures(content_dir, assets_dir, path, data, old, new) if data is not None else []
    programs = renamed_programs(programs_dir, old, new)
    written: list[Path] = []
    try:
        moved: dict[str, str] = {}
        for ref, new_ref, source, target, _ in plan:
            final, wrote = _copy_picture(source, target)
            if wrote:
                written.append(final)
            moved[ref] = "/".join(PurePosixPath(new_ref).parts[:-1] + (final.name,))
        new_text = edited_exercise_text(text, _with_refs(data, moved)) if moved else text
        new_path = path.with_name(new + path.suffix)
        raw = new_text.encode("utf-8")
        case_only = new_path.exists() and new_path.samefile(path)
        if case_only:  # the same file on a system that ignores capitals: renamed in place
            path.rename(new_path)
            if raw != text.encode("utf-8"):
                atomic_write_all([(new_path, raw)], durable=True, keep_mode=True)
        elif not atomic_create_bytes(new_path, raw):
            raise IdTaken(f"there is an exercise '{new}' already; choose another id")
        else:
            written.append(new_path)
            _copy_mode(path, new_path)
        atomic_write_all([(p, t.encode("utf-8")) for p, t in programs], durable=True, keep_mode=True)
    except BaseException:
        for done in written:
            done.unlink(missing_ok=True)
        raise
    if not case_only:
        path.unlink()
    for ref, _, source, _, move in plan:
        if move and ref in moved:
            source.unlink(missing_ok=True)
    _remove_if_empty(Path(assets_dir) / old)
    return Renamed(new_path, hashlib.sha256(raw).hexdigest(), tuple(p.stem for p, _ in programs),
                   tuple((ref, moved[ref]) for ref, *_ in plan if ref in moved))


def renamed_programs(programs_dir: Path, old: str, new: str) -> list[tuple[Path, str]]:
    """Each program file naming *old* with its text naming *new* instead.  Raises RenameRefused when one
    that may name it cannot be read or changed: a rename would leave it naming an id that is gone."""
    changed = []
    for path in yaml_files(programs_dir):
        try:
            renamed = renamed_program_text(program_text(path), old, new, display_path(path))
        except ContentError as exc:
            raise RenameRefused(f"{display_path(path)} cannot be read to change '{old}' in it "
                                f"({exc.problems[0].message if exc.problems else 'not valid YAML'}); "
                                f"fix it first") from None
        if renamed is not None:
            changed.append((path.resolve(), renamed))
    return changed


def _copy_picture(source: Path, target: Path) -> tuple[Path, bool]:
    """Copy the picture *source* to *target*, or to a numbered name beside it when a different file is
    there: where it is now, and whether this wrote it (False: the same bytes were there already)."""
    data = source.read_bytes()
    stem, suffix = target.stem, target.suffix
    for number in range(1, 1000):
        candidate = target if number == 1 else target.with_name(f"{stem}-{number}{suffix}")
        if candidate.is_file() and candidate.read_bytes() == data:
            return candidate, False
        if not candidate.exists() and atomic_create_bytes(candidate, data):
            return candidate, True
    raise OutputError(target.parent, f"has too many pictures named like {target.name}")


def _copy_mode(source: Path, target: Path) -> None:
    try:
        target.chmod(source.stat().st_mode & 0o7777)
    except OSError:
        pass


def _remove_if_empty(folder: Path) -> None:
    """Remove *folder* when it is an empty folder (its pictures moved out); else leave it."""
    try:
        if folder.is_dir() and not folder.is_symlink() and not any(folder.iterdir()):
            folder.rmdir()
    except OSError:
        pass
