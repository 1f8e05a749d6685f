"""Which project a command works on: found from the files it is given, as git finds its repository.

A project is a folder holding ``content/``; with it come ``assets/``, ``clinic.yaml``,
``programs/`` and the build's ``output/``.  The folders used to be taken relative to the
working folder, so ``cd ~ && handouts build /clinic/content/x.yaml`` wrote ``~/output/``,
printed the handout without its picture or the clinic, and said it had succeeded; and a
build run from inside ``content/`` made ``content/output/``.  So a folder not given on the
command line (``--content``, ``--assets``, ``--out``) is now the project's:

* the project of the named files: the nearest folder at or above each file that holds a
  ``content/`` folder (a file in ``content/`` or ``programs/`` is in its parent's project,
  and so is any file further down the project's tree);
* files of two projects in one command are an error naming both, unless every folder is
  given (then no project is used);
* a file in no project, or no file at all, goes with the project of the working folder,
  found upward the same way (so ``handouts build`` works from inside ``content/``,
  ``programs/`` or ``assets/``);
* in no project at all, the folders are ``content``, ``assets`` and ``output`` in the working
  folder, as before.

``clinic.yaml`` and ``programs/`` stay where they always were, beside the content folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from handouts.errors import UsageError

#: What makes a folder a project: a folder of this name in it.
MARKER = "content"
#: Each folder option (as argparse names it) and its folder in a project.
FOLDERS = {"content": "content", "assets": "assets", "out": "output"}


def find_project(start: Path) -> Path | None:
    """The nearest folder at or above *start* (made absolute, links kept) holding ``content/``; None if none does."""
    here = Path(os.path.abspath(start))
    for folder in (here, *here.parents):
        if os.path.isdir(folder / MARKER):  # never raises: a folder it may not read is not one
            return folder
    return None


def project_of(files: Iterable[Path]) -> Path | None:
    """The one project *files* are in (those in none go with it), else the working folder's, else None.

    Raises UsageError naming two files that are in two projects.
    """
    found: dict[str, tuple[Path, Path]] = {}  # the project, links resolved -> (it as found, its first file)
    for file in files:
        project = find_project(Path(file).parent)
        if project is not None:
            found.setdefault(os.path.realpath(project), (project, Path(file)))
    if len(found) > 1:
        (one, first), (other, second) = list(found.values())[:2]
        raise UsageError(f"{first} is in the project {one} and {second} in {other}; "
                         f"build each project's files with a command of its own")
    if found:
        return next(iter(found.values()))[0]
    return find_project(Path.cwd())


def project_folders(given: Mapping[str, Any], files: Iterable[Path] = ()) -> dict[str, Path]:
    """Each folder option in *given* (``vars(args)``: content, assets, out; None when not typed) as
    typed, or else the project's (see the module's docstring).  A project that is the working
    folder gives the relative names, so messages read as before (``content/x.yaml``)."""
    typed = {name: given[name] for name in FOLDERS if name in given}
    if all(value is not None for value in typed.values()):
        return dict(typed)
    root = project_of(files)
    base = Path() if root is None or os.path.realpath(root) == os.path.realpath(Path.cwd()) else root
    return {name: value if value is not None else base / FOLDERS[name] for name, value in typed.items()}
