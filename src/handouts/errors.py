"""One exception tree for the whole tool, and the one shape every message takes.

Every problem a user can cause is reported as ``path:line: field: what is wrong``
so that an editor can jump to it.  Only the CLI prints these and chooses the exit
status; every other module raises (errors) or returns (warnings) them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import os
from functools import lru_cache
from pathlib import Path


def shorten(text: str, limit: int = 60, keep_end: bool = False) -> str:
    """*text* on one line and at most *limit* characters: messages never print a value whole,
    and a line break or escape character typed in a key or a path cannot break the line."""
    if any(c < " " or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029" for c in text):
        text = "".join(c.encode("unicode_escape").decode("ascii")
                       if c < " " or "\x7f" <= c <= "\x9f" or c in "\u2028\u2029" else c for c in text)
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):] if keep_end else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """A located message about the user's input: an error, a warning, or (with *notice*) what the
    layout did by design, which is counted in the summary instead of printed as a warning."""

    path: str
    line: int | None
    field: str | None
    message: str
    notice: str | None = None  # a kind of NOTICES: not a warning, nothing for a person to fix

    def as_notice(self, kind: str) -> Problem:
        return Problem(self.path, self.line, self.field, self.message, kind)

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        return shorten(text, 10_000)  # always one line, whatever was typed


#: What the layout does by design, reported once in the build's summary as "<count> <noun>s <phrase>"
#: (``--verbose`` lists the files): kind -> (noun, phrase).
NOTICES: dict[str, tuple[str, str]] = {
    "description": ("handout", "left out description paragraphs to fit the page"),
    "pictures": ("handout", "printed pictures smaller to fit the page"),
    "pages": ("large-print handout", "took more than one sheet"),
}


#: The notice for characters drawn in a fallback font: not a warning (nobody need change them), but
#: listed once in the build's summary, by font (see :func:`fonts_noticed`).
FONT_NOTICE = "fonts"


def font_notice(font: str, chars: str) -> str:
    """A fallback-font notice's message: ``printed in Inter: →≈``."""
    return f"printed in {font}: {chars}"


def fonts_noticed(notices: Iterable[Problem]) -> dict[str, str]:
    """The characters each fallback font printed, from the :data:`FONT_NOTICE` notices: ``{"Inter": "→≈"}``."""
    found: dict[str, dict[str, None]] = {}
    for notice in notices:
        if notice.notice == FONT_NOTICE and notice.message.startswith("printed in "):
            font, _, chars = notice.message[len("printed in "):].partition(": ")
            found.setdefault(font, {}).update(dict.fromkeys(chars))
    return {font: "".join(chars) for font, chars in found.items()}


def display_path(path: str | Path) -> str:
    """The path as the user would type it: relative to the working folder when inside it."""
    p = Path(path)
    try:
        try:
            where = p.resolve()
        except (OSError, RuntimeError):  # a loop of links (RuntimeError before Python 3.13): by its own name
            where = p.parent.resolve() / p.name
        return str(where.relative_to(_resolved(os.getcwd())))
    except (ValueError, OSError, RuntimeError):
        return str(p)


@lru_cache(maxsize=8)
def _resolved(folder: str) -> Path:
    return Path(folder).resolve()


class HandoutsError(Exception):
    """Root of every error the tool raises on purpose; the CLI prints it without a traceback."""


class ContentError(HandoutsError):
    """One or more problems in one input file; carries all of them, not just the first."""

    def __init__(self, problems: list[Problem] | Problem, warnings: Iterable[Problem] = ()):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        self.warnings = list(warnings)  # found in the same file; still worth showing
        super().__init__("\n".join(str(p) for p in self.problems))


class LayoutOverflowError(HandoutsError):
    """An exercise does not fit on one page even at the smallest type and picture we allow."""

    def __init__(self, problem: Problem, overflow_ratio: float):
        self.problems = [problem]
        self.overflow_ratio = overflow_ratio
        super().__init__(str(problem))


class UnprintableTextError(HandoutsError):
    """Text in a script no font here draws (Thai, say): printed, it would be rows of stand-ins."""

    def __init__(self, problem: Problem):
        self.problems = [problem]
        super().__init__(str(problem))


class SourceFormatError(ContentError):
    """A plain-text exercise file that the importer cannot understand."""


class OutputError(HandoutsError):
    """An output file or folder that cannot be written: ``output/deck.pdf: cannot write: Permission denied``."""

    def __init__(self, path: str | Path, message: str):
        self.path, self.message = (path if isinstance(path, str) else display_path(path)), message
        super().__init__(f"{self.path}: {message}")

    def problem(self) -> Problem:
        return Problem(self.path, None, None, self.message)


class UsageError(HandoutsError):
    """Command-line arguments that do not make sense together."""


class FontError(HandoutsError):
    """A font the tool ships with that cannot be used: ``Inter: cannot make its bold instance: ...``.

    Not the user's doing (the fonts come with the install), so it names the font, not a file of theirs.
    """

    def __init__(self, font: str, message: str):
        self.font, self.message = font, message
        super().__init__(f"{font}: {message}")
