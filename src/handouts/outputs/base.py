"""The one seam every output goes through: what it is made from, where it goes, how it is made.

An output kind (handouts, card files, the deck, programs, the calibration sheet, the Anki
deck) only *plans*: for the library in front of it, it lists the files it would write,
each with a digest of everything that file is made from and a way to make its bytes.
Everything else is done once, by the build, for every kind alike: skipping what is up to
date, running the rest in worker processes, writing atomically, removing what is gone,
the manifest, and the summary line.

A plan costs no parsing: a digest is taken from file bytes, and an exercise is parsed
only when one of its outputs must really be made, and then in the worker process that makes
it (:class:`ExerciseTask`), which sends back what the parent must know (:class:`SourceRead`).
"""

from __future__ import annotations

import hashlib
import os
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, ClassVar, Protocol

from handouts.content.clinic import Clinic
from handouts.content.exercise import Exercise, validate
from handouts.content.load import not_a_file, parse_file, read_file
from handouts.content.search import index_entry
from handouts.errors import ContentError, Problem, display_path
from handouts.layout.card_sheet import CardSheet
from handouts.render.reads import FileStamp
from handouts.style.theme import Theme


@dataclass(frozen=True)
class OutputSettings:
    """What every output of one build is made with; handed to each worker process once."""

    assets_dir: Path
    out_dir: Path
    paper: str
    sheet: CardSheet
    theme: Theme
    clinic: Clinic | None = None
    language: str | None = None   # for content that names none: --language, or the clinic's
    thumbnails: bool = False      # this build makes the catalogue: each handout's worker prepares its thumbnail


@dataclass(frozen=True)
class Made:
    """What making one output gave.

    *data* is the file's bytes, or None when there is nothing left to print (an exercise
    whose FAQ was removed): the build then removes the file.  *count* is what it holds,
    for the summary (cards in a card file).  *reads* are the stamps of the files read while
    making it besides the content files (its pictures, as read: see
    :mod:`handouts.render.reads`), so that a replaced picture rebuilds the output.  *private*: it
    holds a client's health information (a program: name, notes), so it is written readable by
    its owner only.  *read*: what validating its content file in the worker found (see
    :class:`ExerciseTask`), for the parent's records; its errors stop the file as *errors* do.
    *keep*: made in a worker that found it must be left as it is (as :class:`Planned`'s *prepare*
    returning None: the deck, while every file with questions has mistakes).
    """

    data: bytes | None
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    count: int = 0
    reads: tuple[FileStamp, ...] = ()
    private: bool = False
    read: SourceRead | None = None
    keep: bool = False  # with data None: leave the file as it is for now (its record stays, stale)

    @property
    def failed(self) -> bool:
        return bool(self.errors or (self.read and self.read.errors))


@dataclass(frozen=True)
class SourceRead:
    """What reading and validating a content file found, sent from the worker that did it to the
    build's parent: the file's own *warnings* and *errors*, and its library-index *entry*
    (:func:`handouts.content.search.index_entry`; None when it has errors)."""

    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    entry: dict[str, Any] | None


class Task(Protocol):
    """The picklable half of a planned output: runs in a worker process, returns its bytes."""

    def make(self, settings: OutputSettings) -> Made: ...


@dataclass
class SourceFile:
    """A file the build reads (a content file, a program): what the engine knows of any of them."""

    path: Path
    key: str                     # its absolute path: the manifest names sources by it
    shown: str                   # as the user would type it, for messages
    digest: str | None = None    # SHA-256 of its bytes; None when it cannot be read
    parsed: bool = False         # read and validated (its warnings and errors are known)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return self.path.stem


@dataclass
class Source(SourceFile):
    """A content file on its way through the build, parsed at most once, and only when needed.

    *raw* holds the bytes the digest was taken from (see :func:`content_source`): the
    exercise is parsed from them, never from the file again, so what is built is what the
    manifest records, even when an editor saves the file while the build runs.
    """

    value: Exercise | None = None
    raw: bytes | None = None
    unreadable: tuple[Problem, ...] = ()  # why the file could not be read (raw is None then)
    entry: dict[str, Any] | None = None   # its library-index entry, once validated without errors

    def exercise(self) -> Exercise | None:
        """The validated exercise (parsed now if it was not yet, here), or None when it has errors.

        A file validated in a worker (:meth:`take`) has its warnings and errors here but not its
        exercise: asked for it, this process parses it too (the same bytes, the same result)."""
        if self.value is None and not (self.parsed and self.errors):
            self.value, self.warnings, self.errors = self.parse()
            self.parsed = True
        return None if self.errors else self.value

    def parse(self) -> tuple[Exercise | None, list[Problem], list[Problem]]:
        """(exercise or None, warnings, errors) from this file's bytes, parsed and validated now and kept
        nowhere (:meth:`exercise` keeps them; the deck, holding one exercise at a time, does not)."""
        if self.raw is None:
            return None, [], list(self.unreadable) or [Problem(self.shown, None, None, "no such file")]
        try:
            exercise, warnings = validate(parse_file(self.raw, display_path(self.path)), self.path.stem)
        except ContentError as exc:
            return None, list(exc.warnings), list(exc.problems)
        return exercise, warnings, []

    def read(self) -> SourceRead:
        """What validating this file found (it is validated now if it was not yet, here or in a worker)."""
        if not (self.parsed and (self.errors or self.entry is not None)):
            exercise = self.exercise()
            if exercise is not None:
                self.entry = index_entry(exercise)
        return SourceRead(tuple(self.warnings), tuple(self.errors), self.entry)

    def take(self, read: SourceRead) -> None:
        """Record what a worker found validating this file (its exercise stays there).  The index
        entry's words are interned: unpickled, each exercise's are strings of their own, and a
        library's share most of them (at 10x free-exercise-db, 1.1 million strings of a few
        thousand words held by the parent until the index is written)."""
        entry = read.entry
        if entry is not None:
            entry = {key: [sys.intern(word) for word in value] if key.endswith("_words") else value
                     for key, value in entry.items()}
        self.parsed, self.warnings, self.errors, self.entry = True, list(read.warnings), list(read.errors), entry

    def __getstate__(self) -> dict[str, Any]:
        """Sent to a worker without its exercise when it has one: the worker's copy parses the same
        bytes if it needs it (:meth:`exercise` does, as its value is None), which costs less than
        pickling the exercise both ways.  What validating it found stays (``parsed``, the warnings,
        the index entry): the catalogue's worker makes its rows from the entries, and parsing the
        868 files again there was a fifth of its time."""
        state = dict(self.__dict__)
        state["value"] = None
        return state


def content_source(path: Path) -> Source:
    """A content file, read (once) and hashed, not parsed yet: its digest is None when it cannot be
    read (its problems then say why, when it is parsed), or when it is no regular file."""
    shown = str(Path(_shown_folder(os.path.dirname(path) or ".", os.getcwd())) / os.path.basename(path))
    source = Source(path, os.path.abspath(path), shown)
    why = why_not_a_file(path, "content file")
    if why:
        source.unreadable = (Problem(shown, None, None, why),)
        return source
    try:
        source.raw = read_file(path)
    except ContentError as exc:
        source.unreadable = tuple(exc.problems)
    else:
        source.digest = hashlib.sha256(source.raw).hexdigest()
    return source


@lru_cache(maxsize=16)
def _shown_folder(folder: str, cwd: str) -> str:
    """*folder* as :func:`display_path` shows it, worked out once per folder and working folder: every
    content file of a build is in one or two folders, and resolving each one's cost a no-op build
    0.1 s of its 0.4 (measured on the 868-exercise library).  The file itself is shown by its own
    name, not a link's target."""
    return display_path(folder)


def why_not_a_file(path: Path, kind: str) -> str | None:
    """Why *path* cannot be read as a *kind* ("content file", "program file") because of what stands
    there instead ("is a folder, not a content file", "no such file"); None for a regular file."""
    what = not_a_file(path)
    if what is None:
        return None if os.path.lexists(path) else "no such file"
    if what == "a broken link":
        return "is a broken link: it points to a file that does not exist"
    if what == "not a regular file":
        return "is not a regular file (a pipe or a device?); give a YAML file"
    return f"is {what}, not a {kind}"


Prepared = Task | Sequence[Problem] | None


@dataclass(frozen=True)
class Planned:
    """One file an output kind would write.

    *target* is its path under the output folder (``handouts/plank.pdf``); *source* the key
    of the content or program file it is made from, or None for a file made from the whole
    library (the deck); *inputs* a digest of everything it is made from besides the build's
    settings (None: it cannot tell, so it is always made).  *prepare*, called in the build's
    own process only when the file must be made, returns the task; or the problems that stop
    it (an exercise with errors); or None to leave the file as it is for now (the deck, while
    the only files with questions have mistakes).
    """

    kind: str
    target: str
    source: str | None
    inputs: str | None
    prepare: Callable[[], Prepared]


class Library(Protocol):
    """What a kind plans from: the build's sources and what the earlier kinds made."""

    @property
    def settings(self) -> OutputSettings: ...

    @property
    def exercises(self) -> Sequence[Source]: ...

    def count(self, target: str) -> int:
        """What the output at *target* holds, as this build made or kept it (0: none)."""
        ...

    def written(self, target: str) -> str | None:
        """The SHA-256 of the file at *target* as this build made or kept it (None: it made or kept none,
        as when its source has errors): what a file made from another output's bytes (a preview) is made from."""
        ...

    def failed(self) -> bool:
        """Whether any source or output of this build has failed so far."""
        ...


class Output(ABC):
    """One kind of output.  Subclasses declare their words and plan their files."""

    kind: ClassVar[str]           # "handout": names it in the manifest
    reads_library: ClassVar[bool] = True  # made from the content files (the calibration sheet is not)
    settings_used: ClassVar[tuple[str, ...] | None] = None  # the build settings it depends on (None: all)
    gone: ClassVar[str] = "what it was made from is gone"  # why a whole build removes an old file
    emptied: ClassVar[str] = "nothing to print any more"   # why a file is removed when made empty
    private_folder: ClassVar[str | None] = None  # a folder it writes in ("email/programs"), kept owner-only
    private_parents: ClassVar[bool] = True  # and the folders above it too ("email"); False: those stay as they are
    # made from another output's file (a preview, from its PDF), not from its source's bytes: its record
    # keeps none of the source's warnings, which that file's own record says again when it is skipped
    derived: ClassVar[bool] = False

    @abstractmethod
    def plan(self, library: Library) -> list[Planned]:
        """The files this kind would write for *library*, in the order they are reported."""

    @abstractmethod
    def phrase(self, built: int, count: int, planned: int) -> str | None:
        """How the summary line says what was made (``"6 handouts"``), or None to say nothing."""


@dataclass(frozen=True)
class ExerciseTask:
    """A file made from one content file, which is parsed and validated by the worker that makes it.

    Parsing and validating 868 files costs the parent 0.6 s of serial work before the workers
    can start (issue 19's profile); here each worker validates its own.  The handout and the card
    file of one exercise travel together (one pickled :class:`Source`), so it is parsed once.
    *make_task* makes the real task from the exercise (a task class: picklable).
    """

    source: Source
    make_task: Callable[[Exercise], Task]

    def make(self, settings: OutputSettings) -> Made:
        read = self.source.read()
        exercise = self.source.exercise()
        if exercise is None:
            return Made(None, read=read)
        return replace(self.make_task(exercise).make(settings), read=read)


def per_exercise(kind: str, folder: str, library: Library, task: Callable[[Exercise], Task]) -> list[Planned]:
    """One file per content file, ``<folder>/<id>.pdf``, made from that file's bytes alone.

    Planned from the digest, without parsing; the exercise is parsed only if the file must
    be made, by the worker that makes it; one with errors makes nothing (its own errors say why).
    An unreadable file (no digest) is not sent anywhere: its problems are known here.
    """
    def prepare(source: Source) -> Prepared:
        if source.raw is None:
            source.exercise()
            return ()
        return ExerciseTask(source, task)

    return [Planned(kind, f"{folder}/{s.stem}.pdf", s.key, digest(s.digest) if s.digest else None, partial(prepare, s))
            for s in library.exercises]


def same_id(shown: str, others: list[str], target: Path) -> Problem:
    """The error of a source (*shown*) that would write the file *target* as the sources *others*
    would (``jane.yaml`` and ``jane.yml``): none of them is built, since whichever won, someone
    would print another's PDF."""
    return Problem(shown, None, None, f"same id '{target.stem}' as {' and '.join(others)}: each would be "
                                      f"{display_path(target)}, so none is built; rename all but one")


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes (raises OSError when it cannot be read)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digest(*parts: str) -> str:
    """A SHA-256 of *parts*, for an output's inputs."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
