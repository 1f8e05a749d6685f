"""An exercise's content file found by its id, read, and fingerprinted, for the exercise editor.

An exercise's id is its file's name without ``.yaml`` (or ``.yml``), as the build takes it
(:func:`handouts.build.gather.yaml_files`), and the name of its PDF.  So an id typed in the
browser must be a plain file name on every system the project may be copied to: the front desk's
:data:`handouts.web.desk.NAME` (letters of any script, digits, ``-``, ``_`` and ``.`` inside), in
Unicode's composed form (macOS decomposes ``é``: one id must not become two files), not ending in
a dot (Windows drops it), not a device name of Windows (``con``, ``nul``, ``com1``), without
``.yaml`` typed on, and at most 200 bytes (a file name is at most 255).  An id differing from
another only in capitals names the same file on macOS and Windows, so it is taken too.
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from handouts.build.gather import YAML_SUFFIXES, yaml_files
from handouts.content.encoding import decode_text
from handouts.content.load import read_file
from handouts.errors import ContentError, HandoutsError, Problem, display_path, shorten
from handouts.web.desk import NAME, NotInProject

#: Names Windows keeps for devices, with any suffix: a file ``con.yaml`` cannot be made there.
_DEVICES = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)
#: The most bytes an id may take in UTF-8: with ``.yaml`` and a temporary file's additions, within 255.
MAX_ID_BYTES = 200


#: Held while a page changes the library (a save, a rename, a delete).  The server runs them in
#: threads; two tabs saving the same file at once would both pass the "changed since the page
#: opened it" check before either wrote, and the second would silently undo the first.  Held, the
#: second finds the file changed.  (An editor outside the server is caught by that check alone.)
_LIBRARY_WRITES = threading.Lock()
_P = ParamSpec("_P")
_R = TypeVar("_R")


def one_change_at_a_time(change: Callable[_P, _R]) -> Callable[_P, _R]:
    """*change* (a function that changes the library's files) run under the library's write lock."""

    @functools.wraps(change)
    def locked(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _LIBRARY_WRITES:
            return change(*args, **kwargs)

    return locked


class BadId(HandoutsError):
    """An id that cannot be an exercise's file name; the message says why, in plain words."""


class IdTaken(HandoutsError):
    """An id that another exercise's file already has (or has but for capitals)."""


class ChangedOnDisk(HandoutsError):
    """The exercise's file was changed (or removed) since the page opened it: saving would lose that."""


def checked_id(exercise_id: str) -> str:
    """*exercise_id* as a file name stem, in Unicode's composed form (NFC); BadId saying why it is not one
    (see the module's docstring)."""
    if not isinstance(exercise_id, str) or not exercise_id.strip():
        raise BadId("give the exercise an id: its file's name, such as wall-sit")
    shown = shorten(exercise_id, 60)
    name = unicodedata.normalize("NFC", exercise_id)
    if name.lower().endswith(YAML_SUFFIXES):
        raise BadId(f"'{shown}': give the id without .yaml")
    if not NAME.fullmatch(name) or ".." in name:
        raise BadId(f"'{shown}' cannot be a file name; use letters, digits and - or _ (such as wall-sit)")
    if name.endswith("."):
        raise BadId(f"'{shown}' ends with a dot, which Windows drops from a file name")
    if _DEVICES.fullmatch(name):
        raise BadId(f"'{shown}' is a name Windows keeps for a device; choose another")
    if len(name.encode("utf-8")) > MAX_ID_BYTES:
        raise BadId(f"'{shown}' is too long for a file name; at most {MAX_ID_BYTES} bytes")
    return name


def file_digest(path: Path) -> str:
    """The SHA-256 (hex) of the file's bytes; "" when there is no file (or it cannot be read).  What a page
    keeps from when it opened a file, to tell on saving whether the file changed on disk meanwhile."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return ""


def exercise_file(content_dir: Path, exercise_id: str) -> Path:
    """The content file of *exercise_id* (``<id>.yaml``, else ``<id>.yml``), a link followed only within
    *content_dir*.  Raises BadId for an id that is no file name, NotInProject when there is no such file."""
    name = checked_id(exercise_id)
    root = Path(content_dir).resolve()
    for suffix in YAML_SUFFIXES:
        path = Path(content_dir) / f"{name}{suffix}"
        if not path.exists():
            continue
        try:
            real = path.resolve()
        except (OSError, RuntimeError):
            raise NotInProject(f"'{shorten(name, 60)}' cannot be read") from None
        if real.parent != root and root not in real.parents:
            raise NotInProject(f"'{shorten(name, 60)}' is a link out of {root.name}/")
        return path
    raise NotInProject(f"no exercise '{shorten(name, 60)}'")


def taken_by(content_dir: Path, exercise_id: str) -> Path | None:
    """The content file that has *exercise_id* (or has it but for capitals, or in another Unicode
    form), if any; None when the id is free."""
    wanted = _folded(exercise_id)
    return next((path for path in yaml_files(content_dir) if _folded(path.stem) == wanted), None)


def _folded(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def new_exercise_id(title: str, content_dir: Path) -> str:
    """An id for a new exercise called *title* that no file has yet: as ``handouts import`` names files
    (:func:`handouts.importers.common.slugify`: ``Wall Sit (Easy)`` -> ``wall-sit-easy``), or the
    title's words in lower case when it has no ASCII letters (``Ελένη``), ``exercise`` when it has no
    letters at all; then ``-2``, ``-3``... while taken."""
    from handouts.importers.common import slugify
    from handouts.web.desk import new_program_name

    try:
        base = slugify(title)
    except ValueError:
        base = new_program_name(title, lambda name: False)
        if base == "client" and "client" not in title.casefold():
            base = "exercise"
    try:
        base = checked_id(base)
    except BadId:
        base = "exercise"
    name, number = base, 1
    while taken_by(content_dir, name) is not None:
        number += 1
        name = f"{base}-{number}"
    return name


@dataclass(frozen=True)
class Opened:
    """A content file as the editor opens it: its *text* (decoded as the build decodes it) and the
    *digest* of its bytes, to be given back when it is saved (see :func:`file_digest`)."""

    path: Path
    text: str
    digest: str
    warnings: tuple[Problem, ...] = ()  # read as Windows-1252, say


def open_exercise(content_dir: Path, exercise_id: str) -> Opened:
    """Read *exercise_id*'s content file as the build does (at most 256 KB, a regular file; UTF-8,
    UTF-16 or Windows-1252).  Raises BadId, NotInProject, or ContentError naming the file and why."""
    path = exercise_file(content_dir, exercise_id)
    raw = read_file(path)
    decoded = decode_text(raw, display_path(path))
    return Opened(path, decoded.text, hashlib.sha256(raw).hexdigest(), tuple(decoded.warnings))


def read_current(path: Path) -> tuple[str, str]:
    """The text and digest of the content file at *path* now (see :func:`open_exercise`)."""
    raw = read_file(path)
    return decode_text(raw, display_path(path)).text, hashlib.sha256(raw).hexdigest()


def current(path: Path, opened_digest: str) -> tuple[str, str]:
    """The text and digest of the content file at *path*, which the page opened when its digest was
    *opened_digest*.  Raises ChangedOnDisk when it has changed or gone since."""
    try:
        text, digest = read_current(path)
    except ContentError:
        text, digest = "", ""
    if digest != opened_digest:
        what = "changed" if path.exists() else "removed"
        raise ChangedOnDisk(f"{display_path(path)} was {what} since you opened it; "
                            f"open it again (your changes are still on the page)")
    return text, digest
