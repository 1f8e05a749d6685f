"""The library filtered and searched: what ``handouts list`` prints and the front desk's library page shows.

One rule for both, so an exercise found at the terminal is found in the browser.  A filter passes
an exercise when one of its values starts with one of the values typed, compared without accents
or capitals (``glute`` finds "glutes"); different filters must all pass.  A search ranks by
:mod:`handouts.content.search`'s rule; without one the order is by title.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from handouts.content.search import fold, rank

if TYPE_CHECKING:  # `handouts --help` reads FILTERS: the index's module is not needed for that
    from handouts.build.library_index import Entry, Library

#: Each filter: its name (the option, the form field), the Entry attribute it reads, what the library calls its values.
FILTERS = (("target", "targets", "targets"), ("equipment", "equipment", "kinds of equipment"),
           ("level", "level", "levels"), ("tag", "tags", "tags"), ("language", "language", "languages"))


def typed_values(values: Iterable[str]) -> list[str]:
    """What was typed for a filter, folded, with comma lists split: ``["Glutes,hams"]`` -> ``["glutes", "hams"]``."""
    return [fold(v).strip() for value in values for v in value.split(",") if v.strip()]


def values_of(entry: Entry, attribute: str, house_language: str) -> list[str]:
    """An entry's values for a filter's attribute (the house language for content that names none)."""
    value = getattr(entry, attribute)
    if attribute == "language":
        value = value or house_language
    return [value] if isinstance(value, str) else list(value or ())


def passes(entry: Entry, attribute: str, typed: Sequence[str], house_language: str) -> bool:
    return any(fold(value).startswith(t) for value in values_of(entry, attribute, house_language) for t in typed)


def choose(library: Library, filters: Mapping[str, Sequence[str]], search: str | None = None) -> list[Entry]:
    """The entries that pass every filter in *filters* (name -> folded values, see :func:`typed_values`;
    an empty list is no filter), ranked by *search* when given, else by title."""
    entries = list(library.entries)
    for name, attribute, _ in FILTERS:
        typed = filters.get(name) or ()
        if typed:
            entries = [e for e in entries if passes(e, attribute, typed, library.house_language)]
    if search is not None:
        by_id = {e.id: e for e in entries}
        return [by_id[key] for key in rank(search, {e.id: e.searchable for e in entries},
                                           {e.id: e.title for e in entries})]
    return sorted(entries, key=lambda e: (fold(e.title), e.id))


def choices(library: Library, attribute: str) -> list[str]:
    """Every value the library has for a filter's attribute, sorted without accents or capitals."""
    found = {v for e in library.entries for v in values_of(e, attribute, library.house_language) if v}
    return sorted(found, key=lambda v: (fold(v), v))
