"""The clinic profile: ``clinic.yaml`` beside ``content/``, read once per build.

It names the clinic and how to reach it (printed small in every handout's footer, on
card sheets' margins and on a program's cover), and holds the clinic's defaults: paper,
card size, language, and the printer's duplex flip and back offset, which would otherwise
have to be typed on every build.  Those are the settings of :mod:`handouts.style.settings`,
read here with the same parsers and the same words as on the command line.  Without the
file nothing changes: no branding, built-in defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from handouts.content.clinic_check import CheckSettings, read_check_settings
from handouts.content.clinic_email import MailSettings, is_password, no_password, read_mail_settings
from handouts.content.exercise import FieldSpec, Validator, describe
from handouts.content.load import RawDocument, field_name, load_file, not_a_file
from handouts.errors import ContentError, Problem, display_path
from handouts.style.settings import SETTINGS, SettingError

CLINIC_FILE = "clinic.yaml"

CLINIC_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "text", True, max_chars=80, doc="the clinic's name"),
    FieldSpec("logo", "image", doc="a PNG or JPEG under assets/"),
    FieldSpec("phone", "text", max_chars=40, doc="a phone number"),
    FieldSpec("email", "text", max_chars=80, doc="an email address, or the email: block (see clinic_email)"),
    FieldSpec("website", "text", max_chars=80, doc="a web address"),
    FieldSpec("address", "text", max_chars=160, doc="a postal address on one line"),
    # the clinic's defaults for the settings the command line may override
    *(FieldSpec(setting.key, "text", max_chars=20, doc=setting.help) for setting in SETTINGS.values()),
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
    check: CheckSettings = CheckSettings()  # the check: block: what `handouts check` flags
    paper: str | None = None
    card_size: str | None = None
    language: str | None = None
    flip: str | None = None
    back_offset_mm: tuple[float, float] | None = None
    mail: MailSettings | None = None  # the email: block: who sends the clinic's email, and how
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
    path = Path(path)
    what = not_a_file(path)
    if what:  # a folder, a pipe or a broken link where the profile should be: say so
        raise ContentError(Problem(display_path(path), None, None, f"is {what}; the clinic profile must be a "
                                                                   f"YAML file (or remove it)"))
    if not path.is_file():
        return None, []
    return validate_clinic(load_file(path))


def validate_clinic(doc: RawDocument) -> tuple[Clinic, list[Problem]]:
    """Check a clinic profile's data; raise ContentError with every problem in it."""
    v = Validator(doc, owner="clinic profile")
    if not isinstance(doc.data, dict):
        raise ContentError(Problem(doc.path, doc.line_of(()), None,
                                   f"expected a mapping of fields (name:, phone:, ...), got {describe(doc.data)}"))
    v.warnings += list(doc.warnings)
    data = dict(doc.data)
    offset = data.get("back_offset")
    if isinstance(offset, list) and all(isinstance(n, (int, float, str)) for n in offset):
        data["back_offset"] = ",".join(str(n) for n in offset)  # [1.5, -1] as well as 1.5,-1 (and the same checks)
    mail = None
    no_password(v, data)  # at the top level too: never left in the file as an ignored key
    data = {k: val for k, val in data.items() if not is_password(k)}
    if isinstance(data.get("email"), dict):  # the email: block; its address: is the one printed
        mail = read_mail_settings(v, data["email"])
        data["email"] = mail.address if mail else None
    given = data.pop("check", None)  # an empty check: block is no block, not an unknown key
    check = read_check_settings(v, given) if given is not None else None
    values = v.read_fields(data, CLINIC_FIELDS)
    values["mail"] = mail
    values["check"] = check
    for setting in SETTINGS.values():
        text = values.get(setting.key)
        if text is None:
            continue
        try:
            values[setting.key] = setting.parse(text)
        except SettingError as exc:
            v.err((exc.key,), exc.for_file())
            values[setting.key] = None
    values["back_offset_mm"] = values.pop("back_offset", None)
    if v.errors:
        raise ContentError(v.errors, v.warnings)
    lines = {field_name(k): line for k, line in doc.lines.items() if k}
    return Clinic(source=doc.path, lines=lines, **{k: val for k, val in values.items() if val is not None}), \
        v.warnings


def house_language(language: str | None, clinic: Clinic | None) -> str | None:
    """The language of content that names none: *language* (``--language``), else the clinic's, else None (English)."""
    return language or (clinic.language if clinic else None)
