"""The settings a user chooses per library or per command, each declared once.

Paper, card size, duplex flip, back offset and language can be typed on the command line
(``--back-offset 1.5,-1``) or kept as a clinic's default in ``clinic.yaml``
(``back_offset: 1.5,-1``).  Each is a :class:`Setting`: its key (clinic.yaml's; the
option is derived from it), how its text is read, its choices, default, help and an
example.  The command line and clinic.yaml read a value with the same parser and say
what is wrong with the same words; only the prefix differs, so a :class:`SettingError`
carries the key and a message that names neither the option nor the key, and each origin
writes its own: ``--back-offset '1x': ...`` or ``clinic.yaml:3: back_offset: '1x': ...``.

No ReportLab here (content/ reads these): the paper sizes, languages and card sizes the
choices come from are looked up when first asked for, not when this module is imported.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

from handouts.errors import HandoutsError, shorten

T = TypeVar("T")

#: A back offset over this many millimetres is not printer drift but a wrong flip setting.
MAX_OFFSET_MM = 10.0
#: The edge a duplex printer turns the sheet on.
FLIPS: tuple[str, ...] = ("long", "short")


class Origin(Enum):
    """Where a setting's value came from: what a message about it must name."""

    COMMAND_LINE = "the command line"
    CLINIC = "clinic.yaml"
    DEFAULT = "the default"


@dataclass(frozen=True)
class Ref:
    """Another setting named inside a message, written the way the message's origin writes it:
    ``--flip`` on the command line, ``flip:`` in clinic.yaml."""

    key: str


class SettingError(HandoutsError):
    """A value a setting cannot take.  *message* names neither the option nor the key: the
    command line and clinic.yaml each put their own prefix in front (see :meth:`for_option`
    and :meth:`for_file`).  With ``example=True`` an example of a good value is appended."""

    def __init__(self, key: str, *message: str | Ref, example: bool = False) -> None:
        self.key = key
        self.message: tuple[str | Ref, ...] = message
        self.example = example
        super().__init__(f"{key}: {self.for_file()}")

    def for_option(self) -> str:
        """The command line's whole message: ``--back-offset '1x': give X,Y ..., e.g. --back-offset=1.5,-0.5``."""
        text = "".join(part if isinstance(part, str) else SETTINGS[part.key].option for part in self.message)
        if self.example:
            text += f", e.g. {SETTINGS[self.key].option}={SETTINGS[self.key].example}"
        return f"{SETTINGS[self.key].option} {text}"

    def for_file(self) -> str:
        """The message for clinic.yaml, to follow ``clinic.yaml:LINE: key: ``."""
        text = "".join(part if isinstance(part, str) else f"{part.key}:" for part in self.message)
        if self.example:
            text += f", e.g. {self.key}: {SETTINGS[self.key].example}"
        return text


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: read from text the same way wherever the text comes from."""

    key: str                         # clinic.yaml's key; the option is derived: back_offset -> --back-offset
    parse: Callable[[str], T]        # text -> value; raises SettingError(key, ...)
    show: Callable[[T], str]         # value -> text that parse reads back
    default: T
    help: str                        # what it is, for --help and the README (the default is added)
    example: str                     # a good value, for messages
    metavar: str | None = None       # --help's placeholder; default: the choices, {letter,a4}
    choices: Callable[[], Sequence[str]] | None = None  # looked up when asked: a size registered at run time counts

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def placeholder(self) -> str:
        if self.metavar:
            return self.metavar
        return "{" + ",".join(self.choices()) + "}" if self.choices else self.key.upper()


@dataclass(frozen=True)
class Resolved(Generic[T]):
    """A setting's value for one command, and where it came from."""

    setting: Setting[T]
    value: T
    origin: Origin

    @property
    def key(self) -> str:
        return self.setting.key


def resolve(setting: Setting[T], typed: str | None, in_file: T | None) -> Resolved[T]:
    """Command line over clinic.yaml over the default.  *typed* is the option's text (None:
    not given), parsed here, so a SettingError from it is the command line's; *in_file* is
    clinic.yaml's value, already read with the same parser when the clinic was loaded."""
    if typed is not None:
        return Resolved(setting, setting.parse(typed), Origin.COMMAND_LINE)
    if in_file is not None:
        return Resolved(setting, in_file, Origin.CLINIC)
    return Resolved(setting, setting.default, Origin.DEFAULT)


# --- the parsers ------------------------------------------------------------------------------

def _choice(key: str, what: str, choices: Callable[[], Sequence[str]]) -> Callable[[str], str]:
    """A parser for one of *choices*, any case, surrounding spaces ignored."""

    def parse(text: str) -> str:
        code = text.strip().lower()
        names = choices()
        if code not in names:
            raise SettingError(key, f"'{shorten(text, 20)}' is not {what}; choose one of {', '.join(names)}")
        return code

    return parse


def check_offset(offset_mm: tuple[float, float]) -> None:
    """Refuse an offset beyond printer drift: it is a wrong flip setting, not something to shift away."""
    for axis, value in zip("XY", offset_mm):
        if abs(value) > MAX_OFFSET_MM:
            raise SettingError("back_offset", f"{axis} {value:g} mm is more than printer drift (at most "
                                              f"{MAX_OFFSET_MM:g} mm each way); check the printer's flip setting "
                                              "against ", Ref("flip"), " long|short")


_MILLIMETRES = re.compile(r"\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(?:mm)?\s*", re.ASCII)  # "1.5", "-2 mm"


def parse_offset(text: str) -> tuple[float, float]:
    """``"1.5,-2"`` (millimetres; ``;`` and a ``mm`` suffix allowed) -> (1.5, -2.0), within printer drift."""
    parts = text.replace(";", ",").split(",")
    x = y = math.nan
    if len(parts) == 2 and all(_MILLIMETRES.fullmatch(p) for p in parts):
        x, y = (float(p.strip().removesuffix("mm")) for p in parts)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise SettingError("back_offset", f"'{shorten(text, 20)}': give X,Y in millimetres", example=True)
    check_offset((x, y))
    return x, y


def show_offset(offset_mm: tuple[float, float]) -> str:
    return f"{offset_mm[0]:g},{offset_mm[1]:g}"


def _papers() -> tuple[str, ...]:
    from handouts.style.theme import PAPERS

    return tuple(PAPERS)


def _languages() -> tuple[str, ...]:
    from handouts.style.labels import LANGUAGES

    return tuple(LANGUAGES)


def _card_sizes() -> tuple[str, ...]:
    from handouts.style.card_sizes import CARD_SIZES

    return tuple(CARD_SIZES)


def _flips() -> tuple[str, ...]:
    return FLIPS


def _same(text: str) -> str:
    return text


# --- the declarations -------------------------------------------------------------------------

PAPER: Setting[str] = Setting(
    "paper", _choice("paper", "a paper size", _papers), _same, "letter",
    "paper size", "a4", choices=_papers)
CARD_SIZE: Setting[str] = Setting(
    "card_size", _choice("card_size", "a card size", _card_sizes), _same, "business",
    "FAQ card size: business 3.5 x 2 in (10 per sheet), index 3 x 5 in, a7 74 x 105 mm", "index",
    choices=_card_sizes)
FLIP: Setting[str] = Setting(
    "flip", _choice("flip", "a flip edge", _flips), _same, "long",
    "the edge your printer turns the sheet on when printing double-sided", "short", choices=_flips)
BACK_OFFSET: Setting[tuple[float, float]] = Setting(
    "back_offset", parse_offset, show_offset, (0.0, 0.0),
    "shift the backs X,Y mm (right, up) to cancel printer drift, as measured with the calibration sheet",
    "1.5,-0.5",
    metavar="X,Y")
LANGUAGE: Setting[str] = Setting(
    "language", _choice("language", "a language the labels are translated into", _languages), _same, "en",
    "the language of the labels of content that names none", "es", choices=_languages)

#: Every setting by key, in the order --help and clinic.yaml list them.
SETTINGS: dict[str, Setting[Any]] = {s.key: s for s in (PAPER, CARD_SIZE, FLIP, BACK_OFFSET, LANGUAGE)}

