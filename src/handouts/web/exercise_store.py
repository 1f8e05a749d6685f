"""Checking and saving an exercise from the browser's form, and deleting one: as the build checks, atomically.

The form's data is checked by the build's own reader and validator
(:func:`handouts.content.load.parse_yaml`, :func:`handouts.content.exercise.validate`) on the very
text that would be written, and each problem is given against the form's field, named with dots:
``title``, ``instructions.2`` (the third step), ``faq.1.answer``, ``images.0.file``, ``dose.hold``
(see :func:`dotted`).  Nothing with an error is written.  A save is atomic (a temporary file, flushed
to disk, renamed into place) and keeps the file's permissions; it is refused when the file changed
on disk since the page opened it (its digest, :func:`handouts.web.exercise_files.file_digest`), and a
new exercise is never written over a file that is there.

Deleting an exercise that programs name is refused with their names.  The file is not destroyed
but moved to ``.handouts/deleted/`` beside the content folder (the build never reads it there),
since it may be hours of someone's writing; its pictures are left where they are, as another
exercise or the clinic's logo may use them.  Renaming is in :mod:`handouts.web.exercise_rename` (and
named here, with the other functions the pages use).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from handouts.content.exercise import validate
from handouts.content.load import ITEM_WORDS, parse_yaml
from handouts.errors import ContentError, HandoutsError, OutputError, Problem, display_path
from handouts.web.exercise_files import (BadId, ChangedOnDisk, IdTaken, checked_id, current, exercise_file, file_digest,
                                         one_change_at_a_time, taken_by)
from handouts.web.exercise_rename import RenameRefused, Renamed, rename_exercise
from handouts.web.exercise_yaml import edited_exercise_text, new_exercise_text
from handouts.web.program_ids import programs_using
from handouts.write import atomic_create_bytes, atomic_write_all, keep_private

#: What the editor's pages use, all here (some are defined beside it and named here too).
__all__ = ["BadId", "ChangedOnDisk", "Checked", "FieldProblem", "IdTaken", "InUse", "RenameRefused", "Renamed",
           "SaveRefused", "Saved", "check_exercise", "check_text", "delete_exercise", "dotted", "file_digest",
           "form_field", "programs_using", "rename_exercise", "save_exercise"]
#: Where a deleted exercise's file is kept, under the project folder.
DELETED = (".handouts", "deleted")


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one field of the form: *field* dotted (``faq.1.answer``; "" for the whole exercise)."""

    field: str
    message: str


@dataclass(frozen=True)
class Checked:
    """What checking an exercise's data found: nothing is saved while there are *errors*."""

    errors: tuple[FieldProblem, ...] = ()
    warnings: tuple[FieldProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Saved:
    """A saved exercise: its file, the digest of what was written (to save again), its warnings."""

    path: Path
    digest: str
    warnings: tuple[FieldProblem, ...] = ()


class SaveRefused(HandoutsError):
    """Exercise data with errors: nothing was written.  *errors* are the form's field problems."""

    def __init__(self, errors: tuple[FieldProblem, ...]):
        self.errors = tuple(errors)
        first = errors[0] if errors else FieldProblem("", "has mistakes")
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"not saved: {first.field + ': ' if first.field else ''}{first.message}{more}")


class InUse(HandoutsError):
    """An exercise that programs name: deleting it would break them.  *programs*: their names."""

    def __init__(self, exercise_id: str, programs: tuple[str, ...]):
        self.programs = tuple(programs)
        super().__init__(f"'{exercise_id}' is in the program{'s' if len(programs) > 1 else ''} "
                         f"{', '.join(programs)}; take it out of {'them' if len(programs) > 1 else 'it'} first")


_NUMBERED = re.compile(r"(.+) (\d+)")


def dotted(field: str | None) -> str:
    """A field as the build's messages name it (``faq, question 2, answer``) as the form names it
    (``faq.1.answer``): items counted from 0, parts joined by dots; "" for None (the whole file)."""
    if not field:
        return ""
    parts: list[str] = []
    parent = ""
    for part in field.split(", "):
        numbered = _NUMBERED.fullmatch(part)
        if numbered and numbered[1] == ITEM_WORDS.get(parent, "item") and int(numbered[2]) > 0:
            parts.append(str(int(numbered[2]) - 1))
        else:
            parts.append(part)
            parent = part
    return ".".join(parts)


_PICTURE_ITEM = re.compile(r"images\.\d+")


def form_field(field: str | None) -> str:
    """The form's field a problem about *field* (as messages name it) goes beside: :func:`dotted`, and a
    problem with a picture of ``images:`` (given as a path or as ``file:``) beside its file's field."""
    name = dotted(field)
    return name + ".file" if _PICTURE_ITEM.fullmatch(name) else name


def _field_problems(problems: list[Problem]) -> tuple[FieldProblem, ...]:
    return tuple(FieldProblem(form_field(p.field), p.message) for p in problems)


def check_text(text: str, exercise_id: str, assets_dir: Path, shown: str = "exercise") -> Checked:
    """Check a content file's *text* as the build does: read, validated, and each picture found under
    *assets_dir* (a missing picture is a warning, as in the build: the handout is printed without it)."""
    try:
        exercise, warnings = validate(parse_yaml(text, shown), exercise_id)
    except ContentError as exc:
        return Checked(_field_problems(exc.problems), _field_problems(exc.warnings))
    from handouts.render.pictures import asset_path  # ReportLab: loaded when a picture is checked

    root, where = Path(assets_dir).resolve(), display_path(assets_dir)
    pictures = []
    for index, ref in enumerate(exercise.images):
        try:
            asset_path(ref.file, root, where)
        except ValueError as exc:
            pictures.append(FieldProblem(form_field(exercise.image_field(index)), f"{exc}; printed without it"))
    return Checked((), _field_problems(warnings) + tuple(pictures))


def check_exercise(exercise_id: str, data: dict, assets_dir: Path, original: str | None = None) -> Checked:
    """Check the exercise *data* (see :mod:`handouts.web.exercise_yaml`) as it would be saved: the id
    (an error on ``id`` when it can be no file name), then the text that would be written (*original*:
    the file it edits; None: a new file) as the build checks it (see :func:`check_text`)."""
    try:
        exercise_id = checked_id(exercise_id)
    except BadId as exc:
        return Checked((FieldProblem("id", str(exc)),))
    text = new_exercise_text(data) if original is None else edited_exercise_text(original, data)
    return check_text(text, exercise_id, assets_dir)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@one_change_at_a_time
def save_exercise(content_dir: Path, assets_dir: Path, exercise_id: str, data: dict,
                  opened_digest: str | None) -> Saved:
    """Save the exercise *data* as ``<content_dir>/<exercise_id>.yaml``.

    *opened_digest* None: a new exercise, refused with IdTaken when the id (but for capitals) is
    taken.  Otherwise the digest of the file when the page opened it: the file is edited (see
    :func:`handouts.web.exercise_yaml.edited_exercise_text`), refused with ChangedOnDisk when it
    changed meanwhile.  Raises BadId for an id that can be no file name, SaveRefused with the
    form's field problems when the data has errors (nothing is written), OutputError when the
    file cannot be written, NotInProject when it is a link out of *content_dir*.
    """
    name = checked_id(exercise_id)
    if opened_digest is None:
        other = taken_by(content_dir, name)
        if other is not None:
            raise IdTaken(f"there is an exercise '{other.stem}' already; choose another id")
        path, text = Path(content_dir) / f"{name}.yaml", new_exercise_text(data)
    else:
        path = exercise_file(content_dir, name)
        original, _ = current(path, opened_digest)
        text = edited_exercise_text(original, data)
    checked = check_text(text, name, assets_dir, display_path(path))
    if checked.errors:
        raise SaveRefused(checked.errors)
    raw = text.encode("utf-8")
    if opened_digest is None:
        if not atomic_create_bytes(path, raw):
            raise IdTaken(f"there is an exercise '{name}' already; choose another id")
    elif _digest(raw) != opened_digest:
        atomic_write_all([(path.resolve(), raw)], durable=True, keep_mode=True)  # through a link in the folder
    return Saved(path, _digest(raw), checked.warnings)


@one_change_at_a_time
def delete_exercise(content_dir: Path, programs_dir: Path, exercise_id: str, opened_digest: str | None) -> Path:
    """Take the exercise *exercise_id* out of the library: its file is moved to ``.handouts/deleted/``
    beside *content_dir* (named ``<id>.<UTC time>.yaml``), which is returned; its pictures are left alone.

    Raises InUse naming the programs (in *programs_dir*) that name it, ChangedOnDisk when the file
    changed since the page opened it (*opened_digest*; None: not checked), BadId, NotInProject when
    there is no such exercise, OutputError when it cannot be moved.
    """
    name = checked_id(exercise_id)
    path = exercise_file(content_dir, name)
    if opened_digest is not None:
        current(path, opened_digest)
    users = programs_using(programs_dir, name)
    if users:
        raise InUse(name, users)
    bin_dir = keep_private(Path(content_dir).resolve().parent, *DELETED)
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    kept = bin_dir / f"{name}.{stamp}{path.suffix}"
    try:
        if path.is_symlink():  # a link in the folder: the link goes, the file it names stays
            path.unlink()
            return path
        try:
            os.replace(path, kept)
        except OSError:  # another file system: copied, then removed
            shutil.copy2(path, kept)
            path.unlink()
    except OSError as exc:
        raise OutputError(path, f"cannot delete: {exc.strerror or exc}") from None
    return kept
