"""The project the front desk serves: its folders, its clinic, and the build options a page asks for.

Every name that comes from a browser (an exercise's id, a program's name) is turned into a path
here and nowhere else, and only after it has been checked to be a plain file name inside the
folder it belongs to: ``../clinic``, ``a/b``, ``.hidden`` and names with control characters are
refused, and so is a name whose file is a link pointing out of the folder.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from handouts.errors import HandoutsError, shorten

if TYPE_CHECKING:  # ReportLab and the build are imported by the pages that build, not at start-up
    from handouts.build.run import BuildOptions
    from handouts.content.clinic import Clinic
    from handouts.content.clinic_email import SmtpSettings
    from handouts.content.exercise import Exercise
    from handouts.errors import Problem

#: An exercise id or a program name as a browser may send it: a file name without its suffix, of
#: letters (any script), digits, ``-``, ``_`` and ``.`` inside, at most 120 characters.
NAME = re.compile(r"[^\W_][\w.-]{0,119}", re.UNICODE)
#: Print sizes a page offers, and the paper sizes (ReportLab's names as the build takes them).
PRINT_SIZES = ("normal", "large")
PAPERS = ("letter", "a4")
#: A program name made from a client's name is at most this long, leaving room for ``-2``; and at
#: most this many bytes in UTF-8 (a file name is at most 255 bytes: CJK letters take 3 or 4).
_NAME_CHARS = 100
_NAME_BYTES = 200


class NotInProject(HandoutsError):
    """A name from the browser that is not a file of the project's (a 404, never a path outside)."""


@dataclass(frozen=True)
class Desk:
    """The project's folders, as ``handouts build`` finds them (see :mod:`handouts.build.project`)."""

    content_dir: Path
    assets_dir: Path
    out_dir: Path

    @property
    def project_dir(self) -> Path:
        return Path(self.content_dir).resolve().parent

    @property
    def programs_dir(self) -> Path:
        return self.project_dir / "programs"

    @property
    def private_dir(self) -> Path:
        """``.handouts/``: the front desk's password hash and session key, owner-only."""
        return self.project_dir / ".handouts"

    def clinic(self) -> tuple[Clinic | None, list[Problem]]:
        """clinic.yaml as a build reads it.  Raises ContentError when it has mistakes."""
        from handouts.content.clinic import clinic_path, load_clinic

        return load_clinic(clinic_path(self.content_dir))

    def options(self, paper: str | None = None, large_print: bool = False, **more: object) -> BuildOptions:
        """Build options for this project as ``handouts build`` would make them with ``--paper PAPER``
        (None: clinic.yaml's, else Letter) and ``--large-print``; *more* as BuildOptions fields.

        Raises ContentError when clinic.yaml has mistakes (every page would carry them).
        """
        from handouts.build.run import BuildOptions
        from handouts.style.settings import BACK_OFFSET, CARD_SIZE, FLIP, PAPER, resolve
        from handouts.style.theme import DEFAULT_THEME
        from handouts.style.theme import large_print as large

        clinic, _ = self.clinic()
        options = BuildOptions(
            content_dir=Path(self.content_dir), assets_dir=Path(self.assets_dir), out_dir=Path(self.out_dir),
            paper=resolve(PAPER, paper, clinic.paper if clinic else None).value,
            card_size=resolve(CARD_SIZE, None, clinic.card_size if clinic else None).value,
            flip=resolve(FLIP, None, clinic.flip if clinic else None).value,
            back_offset_mm=resolve(BACK_OFFSET, None, clinic.back_offset_mm if clinic else None).value,
            theme=large(DEFAULT_THEME) if large_print else DEFAULT_THEME, clinic=clinic, jobs=1)
        return replace(options, **more)  # type: ignore[arg-type]

    def house_paper(self) -> str:
        """The paper a plain ``handouts build`` prints on: clinic.yaml's, else Letter."""
        from handouts.style.settings import PAPER, resolve

        try:
            clinic, _ = self.clinic()
        except HandoutsError:
            clinic = None
        return resolve(PAPER, None, clinic.paper if clinic else None).value

    def mail_server(self) -> SmtpSettings | None:
        """clinic.yaml's mail server (``email: smtp:``); None when it has none, or has mistakes (its
        pages then offer drafts only, and the build status says what is wrong)."""
        try:
            clinic, _ = self.clinic()
        except HandoutsError:
            return None
        return clinic.mail.smtp if clinic and clinic.mail and clinic.mail.smtp else None

    def exercise(self, exercise_id: str) -> tuple[Exercise | None, list[Problem]]:
        """The exercise of an id from the browser, read and validated now as a build reads it, or None
        and the problems of its file.  Raises NotInProject."""
        from handouts.outputs.base import content_source

        source = content_source(self.exercise_file(exercise_id))
        exercise = source.exercise()
        return exercise, list(source.errors)

    def exercise_file(self, exercise_id: str) -> Path:
        """``content/<id>.yaml`` (or ``.yml``) for an id from the browser.  Raises NotInProject."""
        for suffix in (".yaml", ".yml"):
            try:
                return _inside(Path(self.content_dir), exercise_id, suffix, must_exist=True)
            except NotInProject:
                continue
        raise NotInProject(f"no exercise '{shorten(exercise_id, 60)}'")

    def program_file(self, name: str, must_exist: bool = True) -> Path:
        """``programs/<name>.yaml`` for a name from the browser.  Raises NotInProject."""
        return _inside(self.programs_dir, name, ".yaml", must_exist=must_exist)

    def output_file(self, *parts: str) -> Path:
        """A file the build wrote under the output folder, by the parts of its path (each checked as
        a name, the last with its suffix).  Raises NotInProject when it is not there."""
        *folders, last = parts
        stem, dot, suffix = last.rpartition(".")
        folder = Path(self.out_dir)
        for name in folders:
            folder = _inside(folder, name, "", must_exist=True)
        return _inside(folder, stem, dot + suffix, must_exist=True)


def _inside(folder: Path, name: str, suffix: str, must_exist: bool) -> Path:
    """*folder*/*name**suffix*, refused unless *name* is a plain name (:data:`NAME`) and the file,
    links followed, is inside *folder* (and exists, with *must_exist*)."""
    if not isinstance(name, str) or not NAME.fullmatch(name) or ".." in name:
        raise NotInProject(f"'{shorten(str(name), 60)}' is not a name of this project's")
    path = Path(folder) / f"{name}{suffix}"
    try:
        real, root = path.resolve(), Path(folder).resolve()
    except (OSError, RuntimeError):
        raise NotInProject(f"'{shorten(name, 60)}' cannot be read") from None
    if real.parent != root and root not in real.parents:
        raise NotInProject(f"'{shorten(name, 60)}' is not inside {root.name}/")
    if must_exist and not path.exists():
        raise NotInProject(f"no '{shorten(name, 60)}{suffix}' in {root.name}/")
    return path


def new_program_name(client: str, taken: Callable[[str], bool]) -> str:
    """A file name for a new program of *client*: the name's words in lower case, accents dropped
    (``Begoña Núñez`` -> ``begona-nunez``), letters of any script kept (``Ελένη`` -> ``ελενη``),
    ``client`` when none is left; then ``-2``, ``-3``... while *taken(name)*.  Always a name
    :data:`handouts.web.desk.NAME` accepts."""
    decomposed = unicodedata.normalize("NFKD", client).lower()  # after NFKD: a styled capital (𝐀) is "a" too
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")))
    base = "-".join(re.findall(r"[^\W_]+", bare))[:_NAME_CHARS].rstrip("-") or "client"
    while len(base.encode("utf-8")) > _NAME_BYTES:  # a file name is at most 255 bytes: CJK letters take 3 or 4
        base = base[:-1].rstrip("-") or "client"
    name, number = base, 1
    while taken(name):
        number += 1
        name = f"{base}-{number}"
    return name
