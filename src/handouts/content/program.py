"""A client's program: ``programs/<name>.yaml`` read and checked against the library.

A program names a client, the clinician, a date, a few exercises by id (the content
file's name) with the dose prescribed for this client and a note for each.  It is
checked as completely as content is: every unknown id is reported, with the nearest
ids the library does have (by spelling, and by title: ``butt-lift`` offers ``butt-lift-bridge``,
"Butt Lift (Bridge)"), before anything is written.
"""

from __future__ import annotations

import datetime
import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

from handouts.errors import ContentError, Problem
from handouts.errors import shorten as _cut
from handouts.content.load import RawDocument, field_name, load_file
from handouts.content.exercise import DOSE_PARTS, Exercise, FieldSpec, Validator, describe
from handouts.content.search import by_title

#: The library's titles by id, or a way to read them only when an unknown id needs them (reading
#: every title of a large library costs more than checking a program).
Titles = Mapping[str, str] | Callable[[], Mapping[str, str]] | None

PROGRAM_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("client", "text", True, max_chars=80, doc="the client's name"),
    FieldSpec("first_name", "text", max_chars=40, doc="how an email greets the client (default: from client:)"),
    FieldSpec("email", "address", max_chars=254, doc="the client's email address (handouts email)"),
    FieldSpec("clinician", "text", max_chars=80, doc="who prescribed it"),
    FieldSpec("date", "date", doc="the date it was given"),
    FieldSpec("language", "text", max_chars=10, doc="the language of the cover page"),
    FieldSpec("notes", "text", max_chars=1200, doc="a note for the client"),
    FieldSpec("large_print", "flag", doc="true: this client's program is always in large print"),
    FieldSpec("exercises", "program_items", True, max_items=20, max_chars=600, doc="at least one exercise"),
)
_ITEM_KEYS = ("id", "dose", "notes")


@dataclass(frozen=True)
class ProgramItem:
    """One prescribed exercise: its id, the dose for this client over the exercise's own, a note."""

    exercise_id: str
    dose: tuple[tuple[str, str], ...] = ()   # parts given here, in DOSE_PARTS order
    cleared: tuple[str, ...] = ()            # parts set to nothing here: printed as a line to write on
    notes: str | None = None

    def dose_for(self, exercise: Exercise) -> tuple[tuple[str, str], ...]:
        """The exercise's default dose with this item's parts put over it."""
        merged = {**dict(exercise.dose), **dict(self.dose)}
        return tuple((part, merged[part]) for part in DOSE_PARTS if part in merged and part not in self.cleared)


@dataclass(frozen=True)
class Program:
    id: str                 # the file's name without .yaml: the PDF's name
    source: str
    client: str
    date: datetime.date
    items: tuple[ProgramItem, ...]
    clinician: str | None = None
    email: str | None = None    # the client's address: `handouts email` sends the program there
    first_name: str | None = None  # how an email greets the client, when the name's first word will not do
    language: str | None = None
    notes: str | None = None
    large_print: bool = False   # a reader with low vision: large print whatever the build's options
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def problem(self, field_key: str | None, message: str) -> Problem:
        line, key = None, field_key or ""
        while key and line is None:
            line = self.lines.get(key)
            key = key.rpartition(", ")[0]
        return Problem(self.source, line, field_key, message)

    def item_field(self, index: int, name: str | None = None) -> str:
        return field_name(("exercises", index) + ((name,) if name else ()))


#: The dates a program may carry: a typo (20026, 9999-12-31) is caught, and the four-week log
#: that runs on from the date stays within what dates can hold.
DATE_RANGE = (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))


def today() -> datetime.date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when set, so that a reproducible build stays reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).date()
    return datetime.date.today()


class _ProgramValidator(Validator):
    def __init__(self, doc, known_ids: Iterable[str], titles: Titles = None):
        super().__init__(doc, owner="program")
        self.known = sorted(known_ids)
        self._titles = titles

    def titles(self) -> Mapping[str, str]:
        """The library's titles by id (read once, when first asked for); {} when none were given."""
        if callable(self._titles):
            self._titles = self._titles()
        return self._titles or {}

    def flag(self, value: Any, key: tuple, spec: FieldSpec) -> bool | None:
        if isinstance(value, bool):
            return value
        self.err(key, f"expected true or false, got {describe(value)}")
        return None

    def date(self, value: Any, key: tuple, spec: FieldSpec) -> datetime.date | None:
        """The date a program was given, within :data:`DATE_RANGE` (its four-week log runs on from it)."""
        found: datetime.date | None = None
        if isinstance(value, datetime.datetime):
            found = value.date()
        elif isinstance(value, datetime.date):
            found = value
        elif isinstance(value, str):
            try:
                found = datetime.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if found is None:
            got = repr(_cut(value, 30)) if isinstance(value, str) else describe(value)
            self.err(key, f"expected a date written as 2026-11-25, got {got}")
            return None
        first, last = DATE_RANGE
        if not first <= found <= last:
            self.err(key, f"{found.isoformat()} is not a date a program is given on; "
                          f"give one from {first.year} to {last.year}")
            return None
        return found

    def program_items(self, value: Any, key: tuple, spec: FieldSpec) -> tuple[ProgramItem, ...]:
        out = []
        for k, item in self.items(value, key, spec, "exercises"):
            if isinstance(item, str):
                item = {"id": item}
                line = self.doc.lines.get(k)
                if line is not None:
                    self.doc.lines.setdefault(k + ("id",), line)
            if not isinstance(item, dict):
                self.err(k, f"expected 'id:' (and 'dose:', 'notes:'), got {describe(item)}")
                continue
            slips = self.unknown_keys(item, k, _ITEM_KEYS)
            if item.get("id") is None:
                if "id" not in slips:  # "did you mean 'id'?" says it already
                    self.err(k, "the id is missing (id: the content file's name without .yaml)")
                continue
            exercise_id = self.text(item["id"], k + ("id",), FieldSpec("id", "text", max_chars=200))
            if exercise_id is not None and exercise_id not in self.known:
                self.err(k + ("id",), f"no exercise '{_cut(exercise_id, 60)}' in the library"
                                      f"{_nearest(exercise_id, self.known, self.titles())}")
                exercise_id = None
            dose: tuple[tuple[str, str], ...] = ()
            cleared: tuple[str, ...] = ()
            if item.get("dose") is not None:
                raw = item["dose"]
                dose = self.dose(raw, k + ("dose",), FieldSpec("dose", "dose", max_chars=40))
                if isinstance(raw, dict):
                    cleared = tuple(p for p in DOSE_PARTS if p in raw and raw[p] in (None, ""))
            notes = self.text(item["notes"], k + ("notes",), spec) if item.get("notes") is not None else None
            if exercise_id is not None:
                out.append(ProgramItem(exercise_id, dose, cleared, notes))
        return tuple(out)


def _nearest(name: str, known: list[str], titles: Mapping[str, str] | None = None) -> str:
    """"; did you mean 'a' or 'b'?" from the ids most like *name*: those whose titles hold every word
    of it (see :func:`handouts.content.search.by_title`), then by spelling, then by shared words; at most 3."""
    known_set = set(known)
    close = [k for k in by_title(name, {k: t for k, t in (titles or {}).items() if k in known_set})]
    close += [k for k in difflib.get_close_matches(name, known, n=3, cutoff=0.6) if k not in close]
    if not close:
        words = set(name.lower().replace("_", "-").split("-")) - {""}
        scored = sorted(((len(words & set(k.lower().replace("_", "-").split("-"))), k) for k in known),
                        key=lambda pair: (-pair[0], pair[1]))
        close = [k for score, k in scored[:3] if score]
    close = close[:3]
    if not close:
        return " (an id is a content file's name without .yaml)"
    quoted = [f"'{_cut(c, 60)}'" for c in close]
    return "; did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"


def load_program(path: Path, known_ids: Iterable[str], default_date: datetime.date | None = None,
                 titles: Titles = None) -> tuple[Program, list[Problem]]:
    """Read and check one program file; raise ContentError with every problem in it."""
    return validate_program(load_file(Path(path)), Path(path).stem, known_ids, default_date, titles)


def validate_program(doc: RawDocument, program_id: str, known_ids: Iterable[str],
                     default_date: datetime.date | None = None, titles: Titles = None
                     ) -> tuple[Program, list[Problem]]:
    """Check a program's data against the library's ids; raise ContentError with every problem.
    *titles* (id -> title, or a function giving them) lets an unknown id be matched to titles too."""
    if not isinstance(doc.data, dict):
        raise ContentError(Problem(doc.path, doc.line_of(()), None, "expected a mapping of fields "
                                   f"(client:, exercises:, ...), got {describe(doc.data)}"))
    v = _ProgramValidator(doc, known_ids, titles)
    v.warnings += list(doc.warnings)
    values = v.read_fields(doc.data, PROGRAM_FIELDS)
    from handouts.style.labels import LANGUAGES

    v.choice(values, "language", LANGUAGES, "a language the labels are translated into")
    if v.errors:
        raise ContentError(v.errors, v.warnings)
    lines = {field_name(k): line for k, line in doc.lines.items() if k}
    values["date"] = values.get("date") or default_date or today()
    program = Program(id=program_id, source=doc.path, lines=lines, items=values.pop("exercises"),
                      **{k: val for k, val in values.items() if val is not None})
    return program, v.warnings
