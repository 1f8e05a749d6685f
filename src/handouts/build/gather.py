"""Gathering: which files a build reads, read before anything is written.

Content files are read and hashed by :func:`handouts.outputs.base.content_source` (an unchanged
exercise is never parsed); program files
are read and checked against the ids the library has, so that a program naming an
exercise the library does not have is reported with the content's problems.
"""

from __future__ import annotations

import functools
from pathlib import Path

from handouts.errors import HandoutsError, display_path
from handouts.content.program import Titles
from handouts.outputs.program import ProgramSource

#: What a content or program file is named: YAML, either spelling.
YAML_SUFFIXES = (".yaml", ".yml")


def yaml_files(folder: Path) -> list[Path]:
    """Everything named like a YAML file directly in *folder*, sorted by name; none when the folder
    does not exist.  Hidden names (an editor's ``.#plank.yaml``) are left out; a folder, a pipe or
    a broken link with a YAML name is kept, so that the build says what is wrong with it."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in YAML_SUFFIXES and not p.name.startswith("."))


def content_files(content_dir: Path, named: tuple[Path, ...] = ()) -> list[Path]:
    """The content files to build: those *named*, or every one in *content_dir*.

    Raises HandoutsError when *content_dir* is not a folder (and no file is named).
    """
    if named:
        return list(named)
    if not Path(content_dir).is_dir():
        raise HandoutsError(f"{display_path(content_dir)}: no such folder (use --content DIR)")
    return yaml_files(content_dir)


def project_dir(content_dir: Path) -> Path:
    """The project folder: the one holding the content folder (and ``programs/``, ``clinic.yaml``)."""
    return Path(content_dir).resolve().parent


def programs_dir(content_dir: Path) -> Path:
    """Where programs live: ``programs/`` beside the content folder."""
    return project_dir(content_dir) / "programs"


def read_programs(paths: list[Path], known_ids: set[str], titles: Titles = None) -> list[ProgramSource]:
    """Every program file read and checked against the ids the library has, in the order given; an
    unknown id is matched against the library's *titles* too (read once, only if one is unknown)."""
    if callable(titles):
        titles = functools.cache(titles)  # read once for every program, and only if one names an unknown id
    return [ProgramSource.read(path, known_ids, titles) for path in paths]
