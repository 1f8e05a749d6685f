"""Checks made before any command does any work: what would otherwise fail deep inside a build.

Each raises UsageError with one line saying what to change; the command line calls them first.
"""

from __future__ import annotations

import os
from pathlib import Path

from handouts.content.load import LINK_LOOP, not_a_file
from handouts.errors import UsageError, shorten

#: The first second of the year 10000: a date cannot hold it.
_YEAR_10000 = 253402300800


def check_source_date_epoch() -> None:
    """``SOURCE_DATE_EPOCH`` (reproducible builds: the time every output says it was made) must be
    whole seconds since 1970 that a date can hold (the reproducible-builds.org specification)."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None:
        return
    if not (value.isascii() and value.isdigit() and int(value) < _YEAR_10000):
        raise UsageError(f"SOURCE_DATE_EPOCH '{shorten(value, 20)}': give the time as whole seconds since "
                         f"1970-01-01 UTC (e.g. SOURCE_DATE_EPOCH=1700000000), or unset it")


def check_folders(folders: dict[str, Path | None]) -> None:
    """No folder option (``{"--out": Path("x")}``) is a loop of links (x linking to itself): every
    later step would stumble on it in its own way (a path that cannot be resolved)."""
    for option, folder in folders.items():
        if folder is not None and not_a_file(folder) == LINK_LOOP:
            raise UsageError(f"{option} {folder}: is {LINK_LOOP} (a loop of links); give a folder")
