"""What the front desk's background build watches: every input file's name, time and size.

A whole-library build reads the YAML files in ``content/`` and ``programs/``, the pictures in
``assets/`` and ``clinic.yaml``; a change to any of them (a file saved, added, removed, made
readable) changes this snapshot, and the watcher (:mod:`handouts.web.builder`) then builds.
Comparing names, modification times and sizes is what ``make`` does, and costs a ``stat`` per
file: about 10 ms for the 868 exercises and 300 photos of free-exercise-db (measured).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from handouts.web.desk import Desk

#: The build's inputs as last seen: (name in the project, mtime_ns, size) per file, sorted; a
#: folder that cannot be read is one entry with -1, -1.
Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(desk: Desk) -> Snapshot:
    """The names, modification times (ns) and sizes of everything a whole-library build reads:
    the YAML files in content/ and programs/, the files in assets/ and in its sub-folders (one
    level), and clinic.yaml.  Hidden names (an editor's ``.plank.yaml.swp``) are left out.

    Never raises: a folder or file that cannot be read is an entry of its own, so that it
    appearing, going or becoming readable is a change too.
    """
    from handouts.build.gather import YAML_SUFFIXES

    found: list[tuple[str, int, int]] = []

    def scan(folder: Path, shown: str, yaml_only: bool, depth: int) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            found.append((shown, -1, -1))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            name = f"{shown}/{entry.name}"
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if depth > 0:
                    scan(Path(entry.path), name, yaml_only, depth - 1)
            elif not yaml_only or os.path.splitext(entry.name)[1].lower() in YAML_SUFFIXES:
                found.append((name, *_stamp(entry.path)))

    scan(Path(desk.content_dir), "content", True, 0)
    scan(desk.programs_dir, "programs", True, 0)
    scan(Path(desk.assets_dir), "assets", False, 1)
    found.append(("clinic.yaml", *_stamp(desk.project_dir / "clinic.yaml")))
    return tuple(sorted(found))


def _stamp(path: str | Path) -> tuple[int, int]:
    try:
        info = os.stat(path)
    except OSError:  # gone, a broken link: seen as such
        return -1, -1
    return info.st_mtime_ns, info.st_size
