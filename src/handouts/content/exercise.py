"""Validate raw content data into frozen dataclasses.

The schema is declared once, in :data:`FIELDS` (name, kind, required, limit), in the
manner of MkDocs' typed config: validation walks every field and every item before
answering, so a file with five mistakes gets five messages in one run.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from handouts.content.answers import Answer, kept_lines, read_answer, text_length
from handouts.content.keys import near_miss, slip_message, suggest
from handouts.errors import ContentError, Problem
from handouts.errors import shorten as _cut
from handouts.content.load import (CURLY_QUOTES, ITEM_WORDS, RawDocument, curly_quote_fix, field_name,
                                   quotes_named)


@dataclass(frozen=True)
class FaqItem:
    """One question (one paragraph, centred on the card's front) and its answer."""

    question: str
    answer: Answer

    @property
    def points(self) -> tuple[str, ...]:
        """The answer's points when it was written as a list, printed as bullets; () for text."""
        return self.answer if isinstance(self.answer, tuple) else ()


@dataclass(frozen=True)
class ImageRef:
    """A picture of the exercise: a path under assets/ and an optional caption."""

    file: str
    caption: str | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise, validated.  ``lines`` maps field names (``tips[2]``) to source lines."""

    id: str
    source: str
    title: str
    instructions: tuple[str, ...]
    summary: str | None = None
    description: tuple[str, ...] = ()
    images: tuple[ImageRef, ...] = ()  # from images:, or the single image:
    level: str | None = None
    category: str | None = None
    language: str | None = None         # en (default), es, fr, de: the printed labels
    video: str | None = None            # https://...: printed as a QR code with its short form
    dose: tuple[tuple[str, str], ...] = ()  # (part, value) for the parts set, in DOSE_PARTS order
    targets: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    caution: str | None = None
    faq: tuple[FaqItem, ...] = ()
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def image(self) -> str | None:
        """The first picture's path (the one a single-picture layout shows)."""
        return self.images[0].file if self.images else None

    def image_field(self, index: int) -> str:
        """The field name warnings about picture *index* are reported against."""
        return field_name(("images", index)) if "images" in self.lines else "image"

    def problem(self, field_key: str | None, message: str) -> Problem:
        """A Problem located at *field_key* (``tips, tip 3``) of this exercise's source file."""
        line, key = None, field_key or ""
        while key and line is None:
            line = self.lines.get(key)
            key = key.rpartition(", ")[0]  # the parent field: "faq, question 2" -> "faq"
        return Problem(self.source, line, field_key, message)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: str  # text | paragraphs | steps | words | image | images | url | dose | faq (a Validator method reads
    #            any other kind of that name: date, flag, program_items for programs)
    required: bool = False
    max_items: int = 0
    max_chars: int = 0
    doc: str = ""
    line_breaks: bool = False  # the text's line breaks are printed (a "|" block); else they are spaces


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "text", True, max_chars=150, doc="the exercise's name"),
    FieldSpec("summary", "text", max_chars=1500, doc="the short lead paragraph under the title"),
    FieldSpec("description", "paragraphs", max_items=20, max_chars=3000, doc="the fuller text"),
    FieldSpec("image", "image", doc="a PNG or JPEG under assets/"),
    FieldSpec("images", "images", max_items=2, max_chars=200, doc="two pictures side by side"),
    FieldSpec("level", "text", max_chars=40, doc="how demanding it is"),
    FieldSpec("category", "text", max_chars=40, doc="the kind of exercise"),
    FieldSpec("language", "text", max_chars=10, doc="the language the labels are printed in"),
    FieldSpec("video", "url", max_chars=500, doc="a web address of a video, printed as a QR code"),
    FieldSpec("dose", "dose", max_chars=40, doc="how much: sets, reps, hold, rest, frequency, side"),
    FieldSpec("targets", "words", max_items=20, max_chars=60, doc="what it works"),
    FieldSpec("equipment", "words", max_items=20, max_chars=60, doc="what it needs"),
    FieldSpec("tags", "words", max_items=30, max_chars=60, doc="for finding it"),
    FieldSpec("instructions", "steps", True, max_items=40, max_chars=1200, doc="numbered steps", line_breaks=True),
    FieldSpec("tips", "steps", max_items=30, max_chars=1200, doc="the tips box", line_breaks=True),
    FieldSpec("caution", "text", max_chars=1200, doc="a safety note"),
    # line_breaks: the answers' (a question is one paragraph, centred on its card)
    FieldSpec("faq", "faq", max_items=50, max_chars=2500, doc="questions and answers for the cards",
              line_breaks=True),
)
#: The parts of a dose, in the order they are printed; the ones not set get a line to write on.
DOSE_PARTS = ("sets", "reps", "hold", "rest", "frequency", "side")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
#: A number, or a range of numbers, with no unit after it: ``30``, ``2.5``, ``5-10``.
_BARE_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:\s*[-–]\s*\d+(?:[.,]\d+)?)?")




def describe(value: Any, nothing: str = "nothing", mapping: str = "a mapping") -> str:
    """How a wrong value is named in messages: by its kind, never printed whole.

    *nothing* and *mapping* are what the file's format calls those (JSON: "null", "an object")."""
    if value is None:
        return nothing
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return mapping
    return "a date" if hasattr(value, "year") else type(value).__name__


class Validator:
    """Checks raw values field by field, collecting every error and warning (content, clinic, programs)."""

    def __init__(self, doc: RawDocument, owner: str = "exercise"):
        self.doc, self.owner = doc, owner
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def err(self, key: tuple, message: str, at: tuple | None = None) -> None:
        """An error about field *key*, on the line of *at* (default: the field's own line)."""
        line = self.doc.line_of(key if at is None else at)
        self.errors.append(Problem(self.doc.path, line, field_name(key), message))

    def warn(self, key: tuple, message: str, at: tuple | None = None) -> None:
        """A warning about field *key*, on the line of *at* (default: the field's own line)."""
        line = self.doc.line_of(key if at is None else at)
        self.warnings.append(Problem(self.doc.path, line, field_name(key), message))

    def read_fields(self, data: dict, specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
        """Every field of *specs* found in *data*, checked by its kind; unknown keys are reported (see unknown_keys)."""
        slips = self.unknown_keys(data, (), tuple(spec.name for spec in specs))
        values: dict[str, Any] = {}
        for spec in specs:
            key = (spec.name,)
            if spec.name not in data or data[spec.name] is None:
                if spec.required and spec.name not in slips:  # "did you mean 'title'?" says it already
                    self.err(key, f"{'is empty' if spec.name in data else 'missing'} "
                                  f"(every {self.owner} needs {spec.doc})")
                continue
            raw = data[spec.name]
            if spec.kind == "text":
                values[spec.name] = self.text(raw, key, spec)
            elif spec.kind in ("paragraphs", "steps", "words"):
                what = {"paragraphs": "paragraphs", "words": "short words"}.get(
                    spec.kind, "steps" if spec.name == "instructions" else "tips")
                values[spec.name] = self.texts(raw, key, spec, what)
            elif spec.kind == "image":
                values[spec.name] = self.image(raw, key)
            else:  # images, url, dose, faq: a method of that name
                values[spec.name] = getattr(self, spec.kind)(raw, key, spec)
        return values

    def choice(self, values: dict[str, Any], name: str, choices, what: str) -> None:
        """Lower-case *values[name]* and check it is one of *choices*."""
        if values.get(name) is None:
            return
        code = values[name].strip().lower()
        if code not in choices:
            self.err((name,), f"'{_cut(values[name], 20)}' is not {what}; choose one of {', '.join(choices)}")
        values[name] = code

    def text(self, value: Any, key: tuple, spec: FieldSpec, what: str = "text", lines: bool = False) -> str | None:
        """Text: strings and numbers (as typed); whitespace runs folded.  With *lines*, its line
        breaks are kept as YAML gives them (see :func:`kept_lines`); else it is one paragraph.
        The limit counts a line break, or a blank line, as the one space it would otherwise be."""
        if isinstance(value, bool):
            typed = self.doc.typed.get(key, str(value).lower())
            self.err(key, f'{typed} was read as true/false, not as text; put it in double quotes: "{typed}"')
            return None
        if isinstance(value, (int, float)):
            value = self.doc.typed.get(key, str(value))
        if isinstance(value, dict) and len(value) == 1 and isinstance(key[-1], int):
            item = ITEM_WORDS.get(key[-2], "item") if len(key) > 1 else "item"
            ((head, tail),) = value.items()
            typed = f"{head}: {tail}" if tail is not None else f"{head}:"
            fix = curly_quote_fix(f"- {typed}") if typed[:1] in CURLY_QUOTES else None
            if fix:  # pasted from a word processor: YAML reads no quote there
                self.err(key, f"the {item} is in {quotes_named(fix[0])}, which YAML does not read as quotes; "
                              f"use straight ones: {_cut(fix[1], 64)}")
            else:
                self.err(key, f"a {item} that contains ': ' must be put in double quotes")
            return None
        if not isinstance(value, str):
            self.err(key, f"expected {what}, got {describe(value)}")
            return None
        if _CONTROL.search(value):
            self.warn(key, "control characters removed")
            value = _CONTROL.sub("", value)
        value = unicodedata.normalize("NFC", kept_lines(value) if lines else " ".join(value.split()))
        if not value:
            self.err(key, "is empty")
            return None
        if spec.max_chars and text_length(value) > spec.max_chars:
            self.err(key, f"is {text_length(value)} characters long; the limit is {spec.max_chars}")
            return None
        return value

    def items(self, value: Any, key: tuple, spec: FieldSpec, what: str) -> list[tuple[tuple, Any]]:
        """The items of a list field, with their keys; a wrong type is one error."""
        if not isinstance(value, list):
            self.err(key, f"expected a list of {what}, got {describe(value)}")
            return []
        if spec.required and not value:
            self.err(key, f"needs at least one {ITEM_WORDS.get(spec.name, 'item')}")
        if spec.max_items and len(value) > spec.max_items:
            self.err(key, f"has {len(value)} items; the limit is {spec.max_items}")
            return []
        return [(key + (i,), item) for i, item in enumerate(value)]

    def texts(self, value: Any, key: tuple, spec: FieldSpec, what: str) -> tuple[str, ...]:
        out = [self.text(item, k, spec, lines=spec.line_breaks) for k, item in self.items(value, key, spec, what)]
        return tuple(t for t in out if t is not None)

    def image(self, value: Any, key: tuple) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.err(key, f"expected a picture's path under assets/, got {describe(value)}")
            return None
        value = value.strip()
        if not value.lower().endswith(_IMAGE_SUFFIXES):
            self.warn(key, f"'{_cut(value)}' is not a PNG or JPEG file; printed without a picture")
            return None
        return value

    def url(self, value: Any, key: tuple, spec: FieldSpec) -> str | None:
        """A web address a phone can open from a QR code: http(s), no spaces."""
        text = self.text(value, key, spec, "a web address")
        if text is None:
            return None
        if not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", text, flags=re.IGNORECASE):
            self.err(key, f"'{_cut(text, 60)}' is not a web address; write it whole, starting with https://")
            return None
        return text

    def address(self, value: Any, key: tuple, spec: FieldSpec) -> str | None:
        """An email address (a client's, the clinic's), normalized; see :mod:`handouts.content.addresses`."""
        from handouts.content.addresses import check_address

        text = self.text(value, key, spec, "an email address")
        if text is None:
            return None
        address, why = check_address(text)
        if why:
            self.err(key, why)
        return address

    def dose(self, value: Any, key: tuple, spec: FieldSpec) -> tuple[tuple[str, str], ...]:
        """``{sets: 2, reps: 10, hold: 30 s}``: each part a number or a few words.  A hold that is a
        bare number (``hold: 30``) is a warning: seconds or minutes, the client cannot tell."""
        if not isinstance(value, dict):
            self.err(key, f"expected parts like 'sets: 2' and 'reps: 10', got {describe(value)}")
            return ()
        self.unknown_keys(value, key, DOSE_PARTS)
        parts = []
        for part in DOSE_PARTS:
            if value.get(part) is not None:
                text = self.text(value[part], key + (part,), spec)
                if text is not None:
                    parts.append((part, text))
                if part == "hold" and text and _BARE_NUMBER.fullmatch(text):
                    self.warn(key + (part,), f"'{text}' has no unit; write '{text} s' if that is seconds, "
                                             f"so the client knows how long to hold")
        return tuple(parts)

    def unknown_keys(self, item: dict, key: tuple, known: tuple[str, ...]) -> set[str]:
        """Report each key of the mapping *item* (at *key*; () for the file's top level) that is not
        *known*: an error when it is a slip of a known key (``cautoin``), which would leave that field
        out of the page (see :mod:`handouts.content.keys`), else a warning.  The known keys slipped."""
        slips = set()
        for extra in (name for name in item if name not in known):  # in the file's order
            typed, meant = _cut(str(extra), 40), near_miss(extra, known)
            if meant is None:
                self.warn(key or (extra,), f"unknown key '{typed}' ignored{suggest(extra, known)}", at=key + (extra,))
                continue
            slips.add(meant)
            self.err(key or (extra,), slip_message(typed, meant), at=key + (extra,))
        return slips

    def images(self, value: Any, key: tuple, spec: FieldSpec) -> tuple[ImageRef, ...]:
        """A list of pictures, each a path or a mapping with ``file:`` and ``caption:``."""
        out = []
        for k, item in self.items(value, key, spec, "pictures"):
            if isinstance(item, str):
                file = self.image(item, k)
                if file:
                    out.append(ImageRef(file))
                continue
            if not isinstance(item, dict):
                self.err(k, f"expected a picture's path or 'file:' and 'caption:', got {describe(item)}")
                continue
            slips = self.unknown_keys(item, k, ("file", "caption"))
            if "file" not in item:
                if "file" not in slips:
                    self.err(k, "the file is missing (file: picture.jpg)")
                continue
            file = self.image(item["file"], k + ("file",))
            caption = self.text(item["caption"], k + ("caption",), FieldSpec("caption", "text", max_chars=120)) \
                if item.get("caption") is not None else None
            if file:
                out.append(ImageRef(file, caption))
        return tuple(out)

    def faq(self, value: Any, key: tuple, spec: FieldSpec) -> tuple[FaqItem, ...]:
        out = []
        asked: dict[str, tuple] = {}  # a question -> where it was first asked
        for k, item in self.items(value, key, spec, "questions and answers"):
            if not isinstance(item, dict):
                self.err(k, f"expected 'question:' and 'answer:', got {describe(item)}")
                continue
            slips = self.unknown_keys(item, k, ("question", "answer"))
            parts: list[Any] = []
            for name in ("question", "answer"):
                if name not in item:
                    if name not in slips:
                        self.err(k, f"the {name} is missing")
                    continue
                parts.append(self.text(item[name], k + (name,), spec) if name == "question" else
                             read_answer(self, item[name], k + (name,), spec))
            if len(parts) == 2:
                question, answer = parts
                if question is not None and answer is not None:
                    if question in asked:  # two cards with one question; the Anki deck keeps only the first
                        self.warn(k + ("question",), f"the same question as {field_name(asked[question])}; "
                                                     f"merge the two answers or remove one")
                    asked.setdefault(question, k)
                    out.append(FaqItem(question, answer))
        return tuple(out)


def validate(doc: RawDocument, exercise_id: str) -> tuple[Exercise, list[Problem]]:
    """Check every field of *doc*; return the exercise and its warnings or raise ContentError."""
    v = Validator(doc)
    data = doc.data
    if not isinstance(data, dict):
        raise ContentError(Problem(doc.path, doc.line_of(()), None,
                                   f"expected a mapping of fields (title:, instructions:, ...), got {describe(data)}"))
    v.warnings += list(doc.warnings)
    values = v.read_fields(data, FIELDS)
    from handouts.style.labels import LANGUAGES

    v.choice(values, "language", LANGUAGES, "a language the labels are translated into")
    if data.get("image") is not None and data.get("images") is not None:
        v.err(("images",), "give either image: (one picture) or images: (a list), not both")
    single = values.pop("image", None)
    if single:
        values["images"] = (ImageRef(single),)
    if v.errors:
        raise ContentError(v.errors, v.warnings)
    lines = {field_name(k): line for k, line in doc.lines.items() if k}
    exercise = Exercise(id=exercise_id, source=doc.path, lines=lines,
                        **{k: val for k, val in values.items() if val is not None})
    return exercise, v.warnings
