"""The program page's form and ``programs/<name>.yaml``, each made from the other.

The file stays the source of truth (the command line reads, checks and builds it; a person may
edit it by hand), and the browser's form is a flat list of fields, a row of repeated names per
exercise.  So:

* :func:`form_from_fields` reads a POSTed form into a :class:`ProgramForm`;
* :func:`form_from_file` opens a program file *without* validating it: a file with mistakes
  still opens in the browser, to be fixed there;
* :func:`yaml_text` writes a form as a tidy program file (see :mod:`.program_yaml`);
* :func:`check` runs the command line's own validation on that very text and puts each message
  beside the form field it is about (:func:`form_key`);
* :func:`save` writes the file, refusing with :class:`ProgramChanged` when it changed since the
  page was opened: two front-desk browsers never lose each other's changes silently;
* :func:`new_program_name` names the file of a new client's program.

Dose fields: the page shows every part of an exercise's dose, filled in from the program file
or, where the file gives none, from the exercise's own dose.  A part left empty that the
exercise has is written ``null`` (printed as a line to write on, as the README says); one the
exercise has not is left out.  So a form opened from a file and saved unchanged means what the
file meant, provided both :func:`form_from_file` and :func:`yaml_text` are given the exercises'
doses.  Nothing here logs: the values are a client's health information.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from handouts.content.exercise import DOSE_PARTS
from handouts.content.encoding import decode_text
from handouts.content.load import MAX_FILE_BYTES, NotRegularFile, TooLarge, parse_yaml, read_file, read_regular
from handouts.content.program import PROGRAM_FIELDS, Program, Titles, validate_program
from handouts.errors import ContentError, HandoutsError, Problem, display_path
from handouts.web.program_yaml import dump_program, read_loose
from handouts.write import atomic_write_bytes

#: The most exercise rows read from a form or a file (the validator allows 20: more is reported,
#: not read without end), and the most characters of one field (the longest allowed is 1200).
MAX_ROWS = 50
MAX_CHARS = 5000
#: The form's fields for the program as a whole, as named in the form and in :class:`ProgramForm`.
TEXT_FIELDS = ("client", "first_name", "email", "clinician", "date", "language", "notes")

#: The :class:`ExerciseRow` of a dose: every part of DOSE_PARTS, in order, "" for none given.
Dose = tuple[tuple[str, str], ...]
#: The exercises' own doses by id: ``{"bridge": {"sets": "3", "reps": "10"}}`` (``dict(exercise.dose)``).
ExerciseDoses = Mapping[str, Mapping[str, str]]

_SURROGATES = re.compile(r"[\ud800-\udfff]")
#: Control characters but line break and tab (C0, DEL, C1): invisible, unprintable, and a terminal's escapes.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INTEGER = re.compile(r"0|[1-9][0-9]{0,8}")  # a count; longer digit strings stay text (and the validator says so)
#: A date with a time (``2026-11-25 10:30:00``, as YAML reads a timestamp): the form shows its date.
_DATE_AND_TIME = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[ Tt][0-9:. +\-Zz]*")
_TRUE = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"})  # YAML 1.1's true
_EXERCISE = re.compile(r"exercise (\d+)")
#: One save at a time compares a file's version and writes it: the server runs requests in threads.
_SAVING = threading.Lock()


class ProgramChanged(HandoutsError):
    """The program file changed (another browser saved it, or it was edited by hand) since the page
    was opened, or a new program's file exists already; *current* is its version now ("" for none)."""

    def __init__(self, current: str):
        self.current = current
        super().__init__("this program was changed since the page was opened (in another browser, or "
                         "by hand); open it again to see the changes, then make yours"
                         if current else "this program was removed since the page was opened")


class Fields(Protocol):
    """What a POSTed form is read through: Starlette's FormData, or any multi-dict like it."""

    def getlist(self, key: Any) -> list[Any]: ...

    def get(self, key: Any, default: Any = None) -> Any: ...


def _full_dose(dose: Iterable[tuple[str, str]]) -> Dose:
    given = dict(dose)
    return tuple((part, given.get(part, "")) for part in DOSE_PARTS)


@dataclass(frozen=True)
class ExerciseRow:
    """One exercise row of the form: its id, its dose (every part of DOSE_PARTS in order; given in
    any order and in part, it is completed with "") and its note.  "" is a field left empty."""

    exercise_id: str
    dose: Dose = field(default_factory=lambda: _full_dose(()))
    notes: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "dose", _full_dose(self.dose))

    def part(self, name: str) -> str:
        """The value of dose part *name* (``"sets"``), "" when empty."""
        return dict(self.dose).get(name, "")

    @property
    def empty(self) -> bool:
        return not (self.exercise_id or self.notes or any(value for _, value in self.dose))


@dataclass(frozen=True)
class ProgramForm:
    """The program page's fields as text ("" for empty).  *name*: the program's file name without
    .yaml ("" for a new program); *version*: the digest of the file as the page was opened ("" for
    a new one, see :func:`file_version`); *date*: as typed, ``2026-11-25`` when valid; *language*:
    "" for the clinic's."""

    name: str = ""
    version: str = ""
    client: str = ""
    first_name: str = ""
    email: str = ""
    clinician: str = ""
    date: str = ""
    language: str = ""
    large_print: bool = False
    notes: str = ""
    rows: tuple[ExerciseRow, ...] = ()


def _text(value: Any) -> str:
    """A form's value as text: at most MAX_CHARS, lone surrogates dropped (they cannot be written
    as UTF-8), line breaks as ``\\n``, stripped; "" for anything not text (an uploaded file)."""
    if not isinstance(value, str):
        return ""
    value = _SURROGATES.sub("", value[:MAX_CHARS])
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", value).strip()  # a NUL or an escape pasted from elsewhere: never printed


def _line(value: Any) -> str:
    """A one-line field's value (a name, an address): :func:`_text` with any line or paragraph
    separator, tab or zero-width space as one space (an <input> cannot hold them; a hand-made POST can)."""
    return " ".join(_text(value).replace("\u200b", " ").split())


def form_from_fields(fields: Fields) -> ProgramForm:
    """The form POSTed as *fields* (see the module's docstring for the names).  Row *i* is the
    *i*-th value of each ``ex_*`` name; a row missing some is completed with "", and rows with
    nothing in them are left out.  At most MAX_ROWS rows and MAX_CHARS characters a field."""
    columns = {name: [_text(v) for v in fields.getlist(name)[:MAX_ROWS]]
               for name in ("ex_id", "ex_notes", *(f"ex_{part}" for part in DOSE_PARTS))}
    count = max(len(column) for column in columns.values())

    def cell(name: str, i: int) -> str:
        return columns[name][i] if i < len(columns[name]) else ""

    rows = (ExerciseRow(cell("ex_id", i), tuple((p, cell(f"ex_{p}", i)) for p in DOSE_PARTS), cell("ex_notes", i))
            for i in range(count))
    return ProgramForm(name=_text(fields.get("name")), version=_text(fields.get("version"))[:200],
                       large_print=bool(_text(fields.get("large_print"))),
                       rows=tuple(row for row in rows if not row.empty),
                       **{name: _text(fields.get(name)) if name == "notes" else _line(fields.get(name))
                          for name in TEXT_FIELDS})


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_version(path: Path) -> str:
    """The version of the program file at *path*: the SHA-256 (hex) of its bytes, "" when there is
    none.  Raises ContentError when it cannot be read (a folder, too large, no permission)."""
    try:
        return _digest(read_regular(Path(path), MAX_FILE_BYTES)[0])
    except FileNotFoundError:
        return ""
    except (OSError, NotRegularFile, TooLarge):
        read_file(Path(path))  # raises ContentError saying why, in the command line's words
        raise


def form_from_file(path: Path, exercise_doses: ExerciseDoses) -> ProgramForm:
    """The form of the program file at *path*, read but not validated (see :mod:`.program_yaml`), its
    version that of the very bytes read.  A value of the wrong kind is left empty, an exercise
    given as its id alone is a row, a file that is no mapping is an empty form; dose parts the
    file does not give are those of the exercise's own dose (*exercise_doses*).  Raises
    ContentError when the file cannot be read or is no YAML (with the line)."""
    path = Path(path)
    raw = read_file(path)
    shown = display_path(path)
    data = read_loose(decode_text(raw, shown).text, shown)
    form = ProgramForm(name=path.stem, version=_digest(raw))
    if not isinstance(data, dict):
        return form

    def text(value: Any) -> str:
        return value.strip() if isinstance(value, str) else ""

    rows = []
    items = data.get("exercises")
    for item in items[:MAX_ROWS] if isinstance(items, list) else ():
        item = {"id": item} if isinstance(item, str) else item
        if not isinstance(item, dict):
            continue
        exercise_id = text(item.get("id"))
        given = item.get("dose")
        given = given if isinstance(given, dict) else {}
        own = exercise_doses.get(exercise_id) or {}
        dose = tuple((part, text(given[part]) if part in given else str(own.get(part) or ""))
                     for part in DOSE_PARTS)
        rows.append(ExerciseRow(exercise_id, dose, text(item.get("notes"))))
    fields = {name: text(data.get(name)) for name in TEXT_FIELDS}
    if dated := _DATE_AND_TIME.fullmatch(fields["date"]):
        fields["date"] = dated.group(1)  # a timestamp's day: what the program is dated by
    fields["language"] = fields["language"].lower()  # as the validator reads it: ES is es
    return ProgramForm(name=form.name, version=form.version, large_print=data.get("large_print") in _TRUE,
                       rows=tuple(rows), **fields)


def _date(text: str) -> datetime.date | str:
    """A date typed as ``2026-11-25`` as a date (written plain, as YAML dates are); else the text."""
    try:
        date = datetime.date.fromisoformat(text)
    except ValueError:
        return text
    return date if date.isoformat() == text else text


def program_data(form: ProgramForm, exercise_doses: ExerciseDoses) -> dict[str, Any]:
    """The values *form*'s program file holds, in PROGRAM_FIELDS' order, as YAML reads them back:
    empty fields left out, ``large_print`` only when true, dose parts of digits as numbers, and a
    dose part left empty as None when the exercise's own dose (*exercise_doses*) has it."""
    data: dict[str, Any] = {}
    for spec in PROGRAM_FIELDS:
        if spec.name == "large_print":
            if form.large_print:
                data["large_print"] = True
        elif spec.name == "exercises":
            if form.rows:
                data["exercises"] = [_item(row, exercise_doses.get(row.exercise_id) or {}) for row in form.rows]
        elif value := getattr(form, spec.name):
            data[spec.name] = _date(value) if spec.name == "date" else value
    return data


def _item(row: ExerciseRow, own: Mapping[str, str]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": row.exercise_id or None}  # none: "the id is missing"
    dose: dict[str, Any] = {}
    for part, value in row.dose:
        if value:
            if value == str(own.get(part, "")):  # the exercise's own: inherited, so a change to it reaches here
                continue
            dose[part] = int(value) if _INTEGER.fullmatch(value) else value
        elif part in own:
            dose[part] = None
    if dose:
        item["dose"] = dose
    if row.notes:
        item["notes"] = row.notes
    return item


def yaml_text(form: ProgramForm, exercise_doses: ExerciseDoses) -> str:
    """*form* as the text of its program file (see :func:`program_data` and
    :func:`handouts.web.program_yaml.dump_program`): every text reads back exactly as typed."""
    return dump_program(program_data(form, exercise_doses))


@dataclass
class Checked:
    """What :func:`check` found.  *program*: the program as a build reads it, None when there are
    errors.  *by_field*: error messages by form key (see :func:`form_key`), *general*: those of no
    field; *warnings*: warning messages by form key, those of no field under ""."""

    program: Program | None = None
    by_field: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)
    warnings: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.program is not None


def form_key(problem_field: str | None) -> str | None:
    """The form's key for a Problem's *field* as :func:`handouts.content.load.field_name` writes it:
    ``client``; ``exercises`` (the list as a whole); ``ex-2`` (row 2 from 0: the exercise as a whole,
    its id, its dose as a whole); ``ex-2-sets``, ``ex-2-notes``.  None for no field, or one the form
    has none for (an unknown key written by hand)."""
    if not problem_field:
        return None
    top, *rest = problem_field.split(", ")
    if top != "exercises":
        return top if top in TEXT_FIELDS or top == "large_print" else None
    if not rest or not (row := _EXERCISE.fullmatch(rest[0])):
        return "exercises"
    key = f"ex-{int(row.group(1)) - 1}"
    inner = rest[1:]
    if inner[:1] == ["notes"]:
        return f"{key}-notes"
    if inner[:1] == ["dose"] and len(inner) > 1 and inner[1] in DOSE_PARTS:
        return f"{key}-{inner[1]}"
    return key


def sort_problems(problems: Iterable[Problem], by_field: dict[str, list[str]], general: list[str] | None) -> None:
    """Each of *problems*' messages under its form key in *by_field*; those of no form key in
    *general*, or under "" in *by_field* when *general* is None (named by their field, if any)."""
    for problem in problems:
        key = form_key(problem.field)
        if key is not None:
            by_field.setdefault(key, []).append(problem.message)
            continue
        message = f"{problem.field}: {problem.message}" if problem.field else problem.message
        (general if general is not None else by_field.setdefault("", [])).append(message)


def check(form: ProgramForm, program_id: str, known_ids: Iterable[str], titles: Titles = None,
          shown_path: str | None = None, exercise_doses: ExerciseDoses | None = None) -> Checked:
    """Check *form* as ``handouts check`` checks its file: :func:`yaml_text` (with *exercise_doses*),
    read by :func:`handouts.content.load.parse_yaml` and validated by
    :func:`handouts.content.program.validate_program` against *known_ids* (*titles* for the
    "did you mean" of an unknown id).  Messages are the Problems' own, without path or line;
    *shown_path* (default ``programs/<program_id>.yaml``) is the path they are made with."""
    text = yaml_text(form, exercise_doses or {})
    checked = Checked()
    if not program_data(form, exercise_doses or {}):  # nothing typed at all: say what a program needs
        checked.by_field = {"client": ["missing: give the client's name"],
                            "exercises": ["missing: add at least one exercise"]}
        return checked
    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        checked.general.append(f"the program's file would be {-(-size // 1024)} KB; "
                               f"the limit is {MAX_FILE_BYTES // 1024} KB: shorten its notes")
    try:
        doc = parse_yaml(text, shown_path or f"programs/{program_id}.yaml")
        program, warnings = validate_program(doc, program_id, known_ids, titles=titles)
    except ContentError as exc:
        sort_problems(exc.problems, checked.by_field, checked.general)
        sort_problems(exc.warnings, checked.warnings, None)
        return checked
    sort_problems(warnings, checked.warnings, None)
    _printable(form, checked)
    if not checked.general and not checked.by_field:
        checked.program = program
    return checked


def _printable(form: ProgramForm, checked: Checked) -> None:
    """A name or note in a script no font here draws is refused now, as the build would refuse it."""
    from handouts.layout.markup import unprintable_scripts
    from handouts.style.fonts import fonts

    texts = {key: getattr(form, key) for key in ("client", "clinician", "notes")}
    texts.update({f"ex-{i}-notes": row.notes for i, row in enumerate(form.rows)})
    for key, text in texts.items():
        scripts = unprintable_scripts([text], fonts()) if text else []
        if scripts:
            these = "this script" if len(scripts) == 1 else "these scripts"
            checked.by_field.setdefault(key, []).append(
                f"{' and '.join(scripts)} text cannot be printed: no font for {these}")


def save(form: ProgramForm, path: Path, exercise_doses: ExerciseDoses) -> str:
    """Write *form* (see :func:`yaml_text`) to the program file *path* atomically, readable by the
    owner alone (a client's health information), and return its new version.

    Raises ProgramChanged, writing nothing, when the file's version is not *form.version*: saved
    meanwhile from another browser, edited by hand, removed, or (a new program: version "") there
    already.  The comparison and the write are one step for every thread of this process.
    Raises OutputError when it cannot be written, ContentError when the file there cannot be read.
    """
    data = yaml_text(form, exercise_doses).encode("utf-8")
    with _SAVING:
        current = file_version(path)
        if current != form.version:
            raise ProgramChanged(current)
        atomic_write_bytes(Path(path), data, durable=True, private=True)
    return _digest(data)
