"""The clinic profile: ``clinic.yaml`` beside ``content/``, read once per build.

It names the clinic and how to reach it (printed small in every handout's footer, on
card sheets' margins and on a program's cover), and holds the clinic's defaults: paper,
language, and the printer's duplex flip and back offset, which would otherwise have to
be typed on every build.  Without the file nothing changes: no branding, built-in defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from handouts.layout.card_sheet import FLIPS, MAX_OFFSET_MM, parse_offset
from handouts.errors import ContentError, Problem, UsageError
from handouts.content.load import RawDocument, field_name, load_file
from handouts.content.exercise import FieldSpec, Validator, describe
from handouts.style.theme import PAPERS

CLINIC_FILE = "clinic.yaml"

CLINIC_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "text", True, max_chars=80, doc="the clinic's name"),
    FieldSpec("logo", "image", doc="a PNG or JPEG under assets/"),
    FieldSpec("phone", "text", max_chars=40, doc="a phone number"),
    FieldSpec("email", "text", max_chars=80, doc="an email address"),
    FieldSpec("website", "text", max_chars=80, doc="a web address"),
    FieldSpec("address", "text", max_chars=160, doc="a postal address on one line"),
    FieldSpec("paper", "text", max_chars=10, doc="the default paper: letter or a4"),
    FieldSpec("language", "text", max_chars=10, doc="the default language of content without language:"),
    FieldSpec("flip", "text", max_chars=10, doc="the edge the printer flips on: long or short"),
    FieldSpec("back_offset", "text", max_chars=20, doc="the printer's back offset in mm, X,Y"),
)


@dataclass(frozen=True)
class Clinic:
    """Who hands the paper over, and how that clinic prints."""

    source: str
    name: str
    logo: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    address: str | None = None
    paper: str | None = None
    language: str | None = None
    flip: str | None = None
    back_offset_mm: tuple[float, float] | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def contacts(self) -> tuple[str, ...]:
        """Phone, email and website, the ones given, in that order (the address goes on its own line)."""
        return tuple(v for v in (self.phone, self.email, self.website) if v)

    def problem(self, field_key: str | None, message: str) -> Problem:
        return Problem(self.source, self.lines.get(field_key or "", None), field_key, message)


def clinic_path(content_dir: Path) -> Path:
    """Where the profile lives: at the library's root, beside the content folder."""
    return Path(content_dir).resolve().parent / CLINIC_FILE


def load_clinic(path: Path) -> tuple[Clinic | None, list[Problem]]:
    """The clinic at *path* and its warnings; (None, []) when there is no such file.

    Raises ContentError, with every problem in the file, when it cannot be used.
    """
    if not Path(path).is_file():
        return None, []
    return validate_clinic(load_file(Path(path)))


def validate_clinic(doc: RawDocument) -> tuple[Clinic, list[Problem]]:
    """Check a clinic profile's data; raise ContentError with every problem in it."""
    v = Validator(doc, owner="clinic profile")
    if not isinstance(doc.data, dict):
        raise ContentError(Problem(doc.path, doc.line_of(()), None,
                                   f"expected a mapping of fields (name:, phone:, ...), got {describe(doc.data)}"))
    v.warnings += list(doc.warnings)
    data = dict(doc.data)
    offset = data.get("back_offset")
    if isinstance(offset, list) and len(offset) == 2 and all(isinstance(n, (int, float)) for n in offset):
        data["back_offset"] = f"{offset[0]},{offset[1]}"  # [1.5, -1] as well as 1.5,-1
    values = v.read_fields(data, CLINIC_FIELDS)
    from handouts.style.labels import LANGUAGES

    v.choice(values, "paper", PAPERS, "a paper size")
    v.choice(values, "language", LANGUAGES, "a language the labels are translated into")
    v.choice(values, "flip", FLIPS, "a flip edge")
    offset = values.pop("back_offset", None)
    if offset is not None:
        try:
            values["back_offset_mm"] = parse_offset(offset)
            if max(abs(v) for v in values["back_offset_mm"]) > MAX_OFFSET_MM:
                v.err(("back_offset",), f"'{offset}' is more than printer drift (at most {MAX_OFFSET_MM:g} mm "
                                        f"each way); check the printer's flip setting against flip: long|short")
        except UsageError as exc:
            v.err(("back_offset",), str(exc).replace("--back-offset ", "", 1).replace(
                "e.g. --back-offset=1.5,-0.5", "e.g. back_offset: 1.5,-0.5"))
    if v.errors:
        raise ContentError(v.errors, v.warnings)
    lines = {field_name(k): line for k, line in doc.lines.items() if k}
    return Clinic(source=doc.path, lines=lines, **{k: val for k, val in values.items() if val is not None}), \
        v.warnings
