"""The catalogue: ``catalogue.pdf``, the whole library by body area, each entry linked to its handout.

Made by a whole-library build after the handouts, from the exercises whose handout this
build made or kept (so every link has a file to open; an exercise with errors is left out
until it is fixed).  It is up to date while those exercises' content files, the thumbnails'
pictures (stamped as read) and the settings it uses are unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from handouts.outputs.base import Library, Made, Output, OutputSettings, Planned, Prepared, Source, digest
from handouts.render.catalogue import Row, render_catalogue
from handouts.render.picture_cache import picture_cache
from handouts.render.reads import recording

TARGET = "catalogue.pdf"


@dataclass(frozen=True)
class CatalogueTask:
    rows: tuple[Row, ...]

    def make(self, settings: OutputSettings) -> Made:
        if not self.rows:
            return Made(None)
        s = settings
        with recording() as reads:
            pdf, _ = render_catalogue(list(self.rows), s.assets_dir, s.paper, s.theme, s.clinic, s.language,
                                          picture_cache())
        return Made(pdf, count=len(self.rows), reads=tuple(reads.values()))


def with_handouts(library: Library) -> list[Source]:
    """The exercises whose handout this build made or kept, in content order."""
    return [s for s in library.exercises if library.count(f"handouts/{s.stem}.pdf")]


def _rows(sources: list[Source]) -> Prepared:
    rows = []
    for source in sources:
        exercise = source.exercise()
        if exercise is not None:
            rows.append(Row.of(exercise))
    return CatalogueTask(tuple(rows))


class Catalogue(Output):
    kind = "catalogue"
    settings_used = ("paper", "theme", "assets", "clinic", "language", "source_date_epoch")  # the handouts'
    emptied = "no handouts to list any more"

    def plan(self, library: Library) -> list[Planned]:
        sources = with_handouts(library)
        if not sources and library.failed():
            return []  # leave the last one until the exercises are fixed
        inputs = digest(*(f"{s.stem}:{s.digest}" for s in sources))  # ids, not paths: a moved project is up to date
        return [Planned(self.kind, TARGET, None, inputs, lambda: _rows(sources))]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return "the catalogue" if built else None
