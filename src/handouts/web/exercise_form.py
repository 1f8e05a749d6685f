"""The exercise editor's form and an exercise's data, each made from the other.

The content file stays the source of truth; the browser's form is a flat list of named fields,
one per control, the items of a list numbered in their order on the page:

* ``title``, ``summary``, ``level``, ``category``, ``language``, ``video``, ``caution``: text;
* ``targets``, ``equipment``, ``tags``: the words, separated by commas (the page's tag inputs
  keep that field up to date; without JavaScript it is typed so);
* ``dose.sets`` ... ``dose.side``: a part of the dose each;
* ``description.0``, ``instructions.2``, ``tips.1``: a paragraph, step or tip each;
* ``faq.1.question``, ``faq.1.answer``: a question and its answer; an answer whose lines start
  with ``- `` is a list of points (printed as bullets), as a list answer is shown;
* ``images.0.file``, ``images.0.caption`` (start position), ``images.1.*`` (end position);
* ``id`` (the file name typed for a new exercise), ``opened`` (the id of the file opened, ""
  for a new one), ``digest`` (its digest as opened), ``picture_key`` (``image`` or ``images``:
  how the file gives its pictures, kept when it can be).

:func:`form_from_fields` reads a POST, :func:`form_from_data` an exercise's data (read loosely: a
file with mistakes opens, to be fixed here), :func:`exercise_data` turns a form into the data a
file holds, keeping every value the form did not change exactly as the file had it (a block's
closing line break, a folded line), so that saving an unchanged form changes nothing.
:func:`apply_op` is what the list buttons do when the page has no JavaScript, and
:func:`form_key` puts a validation message beside its field.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from handouts.content.answers import kept_lines
from handouts.content.exercise import DOSE_PARTS, FIELDS

#: One-line text fields and the text areas of one value, in the order of FIELDS.
TEXT_FIELDS = ("title", "summary", "level", "category", "language", "video", "caution")
#: Lists of text, one control per item.
LIST_FIELDS = ("description", "instructions", "tips")
#: Lists of short words, typed in one field separated by commas.
WORD_FIELDS = ("targets", "equipment", "tags")
#: The picture slots: the start and the end position (a handout prints two at most).
PICTURE_SLOTS = 2
#: The most items read of one list from a form or a file (the validator allows 50 questions at
#: most, 40 steps: a longer list is cut here and said so by the validator's count on saving).
MAX_ITEMS = 60
#: The most characters kept of one field: far above the longest the validator allows (3000, a
#: description paragraph), so a text too long is refused with its real length and comes back whole
#: in the form to be shortened (the request's size limit bounds what is sent).
MAX_CHARS = 200_000
#: The marks that start a point of a list answer in its text area.
POINT = re.compile(r"^\s*[-•]\s+")

_SURROGATES = re.compile(r"[\ud800-\udfff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # but line break and tab
_ITEM = re.compile(r"(description|instructions|tips)\.([0-9]{1,4})")
_FAQ = re.compile(r"faq\.([0-9]{1,4})\.(question|answer)")
_PICTURE = re.compile(r"images\.([0-9])\.(file|caption)")


class Fields(Protocol):
    """A POSTed form: Starlette's FormData, or any multi-dict like it."""

    def multi_items(self) -> list[tuple[str, Any]]: ...


def _empty_pictures() -> list[tuple[str, str]]:
    return [("", "")] * PICTURE_SLOTS


@dataclass
class ExerciseForm:
    """The editor's fields as text ("" for empty).  *text*: TEXT_FIELDS, WORD_FIELDS (the words
    joined by ", ") and ``dose.<part>``; *lists*: LIST_FIELDS' items; *faq*: (question, answer)
    pairs; *pictures*: PICTURE_SLOTS (file under assets/, caption) pairs."""

    exercise_id: str = ""
    opened: str = ""
    digest: str = ""
    picture_key: str = "image"
    text: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=lambda: {name: [] for name in LIST_FIELDS})
    faq: list[tuple[str, str]] = field(default_factory=list)
    pictures: list[tuple[str, str]] = field(default_factory=_empty_pictures)

    @property
    def is_new(self) -> bool:
        return not self.opened

    def value(self, name: str) -> str:
        return self.text.get(name, "")

    def copy(self) -> ExerciseForm:
        return dataclasses.replace(self, text=dict(self.text), lists={k: list(v) for k, v in self.lists.items()},
                                   faq=list(self.faq), pictures=list(self.pictures))


def clean(value: Any, one_line: bool = False) -> str:
    """A form's value as text: at most MAX_CHARS, lone surrogates and control characters dropped,
    line breaks as ``\\n``, stripped; with *one_line* every run of white space one space; "" for
    anything not text (an uploaded file)."""
    if not isinstance(value, str):
        return ""
    value = _SURROGATES.sub("", value[:MAX_CHARS]).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROLS.sub("", value).strip()
    return " ".join(value.split()) if one_line else value


def form_from_fields(fields: Fields) -> ExerciseForm:
    """The form POSTed as *fields* (see the module's docstring for the names).  Items are put in
    the order of their numbers; empty items, questions with neither question nor answer, and
    more than MAX_ITEMS items a list are left out."""
    given: dict[str, str] = {}
    items: dict[str, dict[int, str]] = {name: {} for name in LIST_FIELDS}
    faq: dict[int, dict[str, str]] = {}
    pictures = _empty_pictures()
    for name, raw in fields.multi_items():
        if not isinstance(raw, str):
            continue
        if found := _ITEM.fullmatch(name):
            items[found.group(1)][int(found.group(2))] = clean(raw)
        elif found := _FAQ.fullmatch(name):
            faq.setdefault(int(found.group(1)), {})[found.group(2)] = clean(raw)
        elif (found := _PICTURE.fullmatch(name)) and int(found.group(1)) < PICTURE_SLOTS:
            slot = int(found.group(1))
            file, caption = pictures[slot]
            value = clean(raw, one_line=True)
            pictures[slot] = (value, caption) if found.group(2) == "file" else (file, value)
        elif name not in given:
            given[name] = raw
    text = {name: clean(given.get(name), one_line=name not in ("summary", "caution"))
            for name in (*TEXT_FIELDS, *WORD_FIELDS, *(f"dose.{part}" for part in DOSE_PARTS))}
    lists = {name: [items[name][i] for i in sorted(items[name]) if items[name][i]][:MAX_ITEMS] for name in LIST_FIELDS}
    pairs = [(faq[i].get("question", ""), faq[i].get("answer", "")) for i in sorted(faq)]
    key = clean(given.get("picture_key"), one_line=True)
    return ExerciseForm(exercise_id=clean(given.get("id"), one_line=True)[:200],
                        opened=clean(given.get("opened"), one_line=True)[:200],
                        digest=clean(given.get("digest"), one_line=True)[:100],
                        picture_key=key if key in ("image", "images") else "image",
                        text={k: v for k, v in text.items() if v}, lists=lists,
                        faq=[pair for pair in pairs if pair[0] or pair[1]][:MAX_ITEMS], pictures=pictures)


# ------------------------------------------------------------------ from a file's data


def _as_text(value: Any) -> str:
    """A value of the file as the form shows it: text and numbers as written, a list's items one
    a line, a mapping of one ``key: value`` (a step with an unquoted ``: ``) as that line."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    if isinstance(value, list):
        return "\n".join(_as_text(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(f"{k}: {_as_text(v)}" if v is not None else f"{k}:" for k, v in value.items())
    return str(value)


def answer_text(answer: Any) -> str:
    """An answer as its text area shows it: a list's points each on a line after ``- ``."""
    if isinstance(answer, list):
        return "\n".join("- " + _as_text(point).replace("\n", "\n  ") for point in answer)
    return _as_text(answer)


def form_from_data(data: Any, exercise_id: str = "", digest: str = "", opened: bool = True) -> ExerciseForm:
    """The form of an exercise's *data* (the file as YAML reads it, or an import's), read but not
    validated: a value of an unexpected kind is shown as text, for the validator to say what is
    wrong with it on saving; data that is no mapping is an empty form.  *opened*: *exercise_id*
    names a file that exists (False: a new exercise's suggested id)."""
    form = ExerciseForm(exercise_id=exercise_id, opened=exercise_id if opened else "", digest=digest)
    if not isinstance(data, dict):
        return form
    for name in TEXT_FIELDS:
        if data.get(name) is not None:
            form.text[name] = _as_text(data[name])
    for name in WORD_FIELDS:
        value = data.get(name)
        words = value if isinstance(value, list) else [value] if value is not None else []
        if words:
            form.text[name] = ", ".join(_as_text(word) for word in words)
    dose = data.get("dose")
    for part in DOSE_PARTS:
        if isinstance(dose, dict) and dose.get(part) is not None:
            form.text[f"dose.{part}"] = _as_text(dose[part])
    for name in LIST_FIELDS:
        value = data.get(name)
        values = value if isinstance(value, list) else [value] if value is not None else []
        form.lists[name] = [_as_text(item) for item in values[:MAX_ITEMS]]
    faq = data.get("faq")
    for item in faq[:MAX_ITEMS] if isinstance(faq, list) else ():
        if isinstance(item, dict):
            form.faq.append((_as_text(item.get("question")), answer_text(item.get("answer"))))
        elif item is not None:
            form.faq.append((_as_text(item), ""))
    form.picture_key = "images" if "images" in data else "image"
    given = data.get("images") if "images" in data else [data.get("image")] if data.get("image") else []
    pictures = [(_as_text(p.get("file")), _as_text(p.get("caption"))) if isinstance(p, dict) else (_as_text(p), "")
                for p in (given if isinstance(given, list) else [given])]
    form.pictures = (pictures + _empty_pictures())[:PICTURE_SLOTS]
    return form


# ------------------------------------------------------------------ to a file's data


def _points(answer: str) -> list[str] | None:
    """The points of an answer typed as a list (its first line starts with ``- ``; a line that does
    not continues the point above it), or None for an answer that is text."""
    lines = answer.split("\n")
    if not POINT.match(lines[0]):
        return None
    points: list[list[str]] = []
    for line in lines:
        if POINT.match(line):
            points.append([POINT.sub("", line)])
        elif line.strip():
            points[-1].append(line.strip())
    return ["\n".join(point).strip() for point in points if "".join(point).strip()]


def _words(text: str) -> list[str]:
    return [word for word in (w.strip() for w in re.split(r"[,\n]", text)) if word]


def _same(new: str, old: Any) -> bool:
    """Whether the form's text *new* says what the file's scalar *old* says (its spaces and a
    block's closing line break aside)."""
    if old is None or isinstance(old, (bool, list, dict)):
        return False
    return kept_lines(str(old)) == kept_lines(new)


def keep_unchanged(new: Any, old: Any) -> Any:
    """*new*, with every part of it that means what the same part of *old* means replaced by
    *old*'s own value: saving a form unchanged gives the file's values back, type and all."""
    if isinstance(new, str) and _same(new, old):
        return old
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        kept = [keep_unchanged(n, o) for n, o in zip(new, old)]
        return old if all(k is o for k, o in zip(kept, old)) else kept
    if isinstance(new, dict) and isinstance(old, dict) and set(new) == set(old):
        kept_map = {key: keep_unchanged(new[key], old[key]) for key in old}  # the file's order of keys
        return old if all(kept_map[k] is old[k] for k in old) else kept_map
    if isinstance(new, str) and isinstance(old, dict) and set(old) == {"file"} and _same(new, old["file"]):
        return old  # a picture written "file: x.png" without a caption
    return new


def exercise_data(form: ExerciseForm, original: Any = None) -> dict[str, Any]:
    """The data *form*'s content file holds (see :mod:`handouts.web.exercise_yaml`), in FIELDS' order,
    empty fields left out, uncaptioned pictures as plain paths (one alone as ``image:`` unless the
    file gave ``images:``).  With *original* (the file's data as opened), every value the form left
    as it was is the file's own (:func:`keep_unchanged`), so that saving it changes nothing there.
    Keys the form has no field for (a hand-written ``author:``) are the store's to keep."""
    values: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        if form.value(name):
            values[name] = form.value(name)
    for name in WORD_FIELDS:
        if words := _words(form.value(name)):
            values[name] = words
    dose = {part: v for part in DOSE_PARTS if (v := form.value(f"dose.{part}"))}
    if dose:
        values["dose"] = dose
    for name in LIST_FIELDS:
        if form.lists.get(name):
            values[name] = list(form.lists[name])
    if form.faq:
        # a question or answer left empty is left out: the validator says "the answer is missing"
        values["faq"] = [{k: v for k, v in (("question", q), ("answer", _points(a) or a)) if v} for q, a in form.faq]
    pictures = [(file, caption) for file, caption in form.pictures if file or caption]
    if len(pictures) == 1 and not pictures[0][1] and form.picture_key == "image":
        values["image"] = pictures[0][0]
    elif pictures:
        values["images"] = [file if not caption else {k: v for k, v in (("file", file), ("caption", caption)) if v}
                            for file, caption in pictures]
    data = {spec.name: values[spec.name] for spec in FIELDS if spec.name in values}
    if isinstance(original, dict):
        data = {name: keep_unchanged(value, original.get(name)) for name, value in data.items()}
    return data


# ------------------------------------------------------------------ the list buttons, and messages


def apply_op(form: ExerciseForm, op: str) -> tuple[ExerciseForm, str | None]:
    """What a list button does, for a page without JavaScript (with it, the page does the same
    itself): ``add:tips``, ``remove:tips.2``, ``up:faq.1``, ``down:instructions.0``, and
    ``remove:images.1`` (a picture slot emptied).  Returns the changed copy and the key of the
    control to put the focus on (None: an unknown op, the form unchanged)."""
    verb, _, target = op.partition(":")
    name, _, number = target.partition(".")
    form = form.copy()
    if name == "images" and verb == "remove" and number.isdigit() and int(number) < PICTURE_SLOTS:
        form.pictures[int(number)] = ("", "")
        return form, f"images.{number}.upload"
    items: list[Any] | None = form.faq if name == "faq" else form.lists.get(name)
    if items is None:
        return form, None
    blank: Any = ("", "") if name == "faq" else ""
    suffix = ".question" if name == "faq" else ""
    if verb == "add" and not number:
        if len(items) < MAX_ITEMS:
            items.append(blank)
        return form, f"{name}.{len(items) - 1}{suffix}"
    if not number.isdigit() or int(number) >= len(items):
        return form, None
    at = int(number)
    if verb == "remove":
        del items[at]
        return form, f"{name}.{min(at, len(items) - 1)}{suffix}" if items else f"add-{name}"
    step = {"up": -1, "down": 1}.get(verb)
    if step is None:
        return form, None
    other = at + step
    if 0 <= other < len(items):
        items[at], items[other] = items[other], items[at]
        at = other
    return form, f"{name}.{at}{suffix}"


def form_key(problem_field: str | None) -> str | None:
    """The form's key for a validation message's dotted *field* (``instructions.2``,
    ``faq.1.answer.0``, ``image``, ``dose.hold``): the control it is shown beside, or None for
    one the form has none for (a key written by hand that it does not show)."""
    if not problem_field:
        return None
    parts = problem_field.split(".")
    top = parts[0]
    if top == "id":  # a new exercise's file name
        return top
    if top == "image":
        return "images.0.file"
    if top in TEXT_FIELDS or top in WORD_FIELDS:
        return top
    if top == "dose":
        return f"dose.{parts[1]}" if len(parts) > 1 and parts[1] in DOSE_PARTS else "dose"
    if top in LIST_FIELDS:
        return ".".join(parts[:2])
    if top == "faq":
        return ".".join(parts[:3])
    if top == "images":
        return ".".join(parts[:3]) if len(parts) < 3 or parts[2] in ("file", "caption") else ".".join(parts[:2])
    return None


def messages_by_key(problems: Iterable[Any]) -> tuple[dict[str, list[str]], list[str]]:
    """Each problem's message (objects with ``field`` and ``message``) under its :func:`form_key`,
    and those of no key, named by their field, as a list for the top of the page."""
    by_key: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        key = form_key(problem.field)
        if key is None:
            general.append(f"{problem.field}: {problem.message}" if problem.field else problem.message)
        else:
            by_key.setdefault(key, []).append(problem.message)
    return by_key, general
