"""The catalogue: ``catalogue.pdf``, the whole library by body area, each entry linked to its handout.

Made by a whole-library build after the handouts, from the exercises whose handout this
build made or kept (so every link has a file to open; an exercise with errors is left out
until it is fixed).  It is up to date while those exercises' content files, the thumbnails'
pictures (stamped as read) and the settings it uses are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handouts.outputs.base import Library, Made, Output, OutputSettings, Planned, Source, digest
from handouts.render.reads import recording

if TYPE_CHECKING:
    from handouts.render.catalogue import Row

TARGET = "catalogue.pdf"


#: What a row shows of an index entry (see :meth:`handouts.render.catalogue.Row.of_entry`).
ROW_FIELDS = ("title", "level", "equipment", "targets", "language", "images")


@dataclass(frozen=True)
class CatalogueTask:
    """The catalogue, made in a worker from *listed*: for each exercise the fields of its index entry
    a row shows, when a worker of this build validated it (a cold build: all of them), else its
    Source, parsed there.  Only those fields travel: sending every Source whole (its bytes and all
    its index words) was 100 MB pickled and unpickled at 10x the library (issue 19)."""

    listed: tuple[tuple[str, dict[str, Any]] | Source, ...]

    def make(self, settings: OutputSettings) -> Made:
        from handouts.render.catalogue import Row, render_catalogue  # here, not above: see handouts.outputs
        from handouts.render.picture_cache import picture_cache

        rows = [Row.of_entry(*item) if isinstance(item, tuple) else _row(item) for item in self.listed]
        found = [row for row in rows if row is not None]
        if not found:
            return Made(None)
        s = settings
        with recording() as reads:
            pdf, _ = render_catalogue(found, s.assets_dir, s.paper, s.theme, s.clinic, s.language,
                                      picture_cache())
        return Made(pdf, count=len(found), reads=tuple(reads.values()))


def _row(source: Source) -> Row | None:
    """What the catalogue shows of *source* (None when it has errors), from its index entry."""
    from handouts.render.catalogue import Row

    entry = source.read().entry
    return None if entry is None else Row.of_entry(source.stem, entry)


def _listed(source: Source) -> tuple[str, dict[str, Any]] | Source | None:
    """What the catalogue's worker is sent of *source*: the fields of its entry, or the Source to
    parse there when no worker of this build validated it, or None when it has errors."""
    if source.parsed and source.errors:
        return None
    if source.parsed and source.entry is not None:
        return source.stem, {field: source.entry[field] for field in ROW_FIELDS}
    return source


def with_handouts(library: Library) -> list[Source]:
    """The exercises whose handout this build made or kept, in content order."""
    return [s for s in library.exercises if library.count(f"handouts/{s.stem}.pdf")]


class Catalogue(Output):
    kind = "catalogue"
    settings_used = ("paper", "theme", "assets", "clinic", "language", "source_date_epoch")  # the handouts'
    emptied = "no handouts to list any more"

    def plan(self, library: Library) -> list[Planned]:
        sources = with_handouts(library)
        if not sources and library.failed():
            return []  # leave the last one until the exercises are fixed
        inputs = digest(*(f"{s.stem}:{s.digest}" for s in sources))  # ids, not paths: a moved project is up to date
        return [Planned(self.kind, TARGET, None, inputs,
                        lambda: CatalogueTask(tuple(item for item in map(_listed, sources) if item is not None)))]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return "the catalogue" if built else None
