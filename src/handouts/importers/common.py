"""What every importer shares: its result, file names, the YAML it writes, and how it writes.

An importer reads some source (plain text, free-exercise-db's JSON), makes content
data, and writes it as ``<content>/<slug of title>.yaml`` in the YAML people edit by
hand, never over a file that exists without ``force``.  The reading differs; the
rest is here, so every importer names, writes and reports its files the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handouts.content.encoding import Decoded, decode_text
from handouts.content.load import NotRegularFile, TooLarge, read_regular
from handouts.errors import ContentError, Problem, SourceFormatError, display_path
from handouts.write import atomic_write_bytes, write_new_text

_MAX_SLUG = 80
#: The largest file an import reads: free-exercise-db's whole library is about 1 MB.
MAX_SOURCE_BYTES = 64 * 2**20
#: Letters NFKD does not decompose into ASCII, so that "Straße" is "strasse", not "strae".
_ASCII_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O",
                              "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})
#: Characters the content validator removes with a warning; an importer removes them once.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")
#: The end of a sentence: . ! or ? (and any closing quotes or brackets) before a space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s)")


@dataclass(frozen=True)
class ImportResult:
    """What an import did.

    ``written``: content files written.  ``skipped``: exercises or files left alone on
    purpose (a content file that exists, an exercise that cannot be imported).
    ``problems``: inputs that could not be used because they are malformed.
    ``warnings``: things written with something left out or changed, said once each.
    """

    written: list[Path]
    skipped: list[Problem]
    problems: list[Problem]
    warnings: list[Problem] = field(default_factory=list)


# ------------------------------------------------------------------ reading


def read_text(path: Path, shown: str) -> Decoded:
    """The file's text (its byte-order mark left out) and the warning reading it gave, if any.

    Read as content files are (:func:`handouts.content.encoding.decode_text`): UTF-8 with or
    without a byte-order mark, UTF-16 with one, else Windows-1252 with a warning naming the
    line.  A file that cannot be read, or is none of these, raises SourceFormatError with one
    located Problem, never a traceback.
    """
    try:  # without blocking (a pipe named on the command line), and capped (a link to /dev/zero)
        raw = read_regular(Path(path), MAX_SOURCE_BYTES)[0]
    except OSError as exc:
        raise SourceFormatError(Problem(shown, None, None, f"cannot read: {exc.strerror or exc}")) from None
    except NotRegularFile:
        raise SourceFormatError(Problem(shown, None, None, "is not a regular file (a pipe or a device?); "
                                                           "give a text or JSON file")) from None
    except TooLarge:
        raise SourceFormatError(Problem(shown, None, None, f"is over {MAX_SOURCE_BYTES // 2**20} MB; "
                                                           f"nothing to import is that large")) from None
    try:
        return decode_text(raw, shown)
    except ContentError as exc:
        raise SourceFormatError(exc.problems) from None


def clean_text(text: str) -> tuple[str, bool]:
    """*text* with whitespace runs folded and control characters removed; and whether any were."""
    folded = " ".join(text.split())
    cleaned = _CONTROL.sub("", folded)
    return unicodedata.normalize("NFC", " ".join(cleaned.split())), cleaned != folded


def split_at_sentences(text: str, limit: int) -> list[str]:
    """*text* in pieces of at most *limit* characters, cut after the last sentence end
    that fits (else at the last space, else anywhere)."""
    pieces = []
    while len(text) > limit:
        window = text[: limit + 1]
        ends = [m.end() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends else window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return pieces + [text] if text else pieces


# ------------------------------------------------------------------ writing


def slugify(title: str) -> str:
    """An ASCII file name stem for *title*: stable, portable, and readable in a listing."""
    text = unicodedata.normalize("NFKD", title.translate(_ASCII_EXTRA))
    slug = re.sub(r"[^a-z0-9]+", "-", text.encode("ascii", "ignore").decode("ascii").lower()).strip("-")
    if len(slug) > _MAX_SLUG:
        cut = slug[: _MAX_SLUG + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else slug[:_MAX_SLUG]).strip("-")
    if not slug:
        raise ValueError(f"{title!r} has no ASCII letters or digits to make a file name from")
    return slug


class _Dumper(yaml.SafeDumper):
    """Indents list items under their key, which is how people write YAML by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


def to_yaml(data: dict, source: str | None = None, from_text: tuple[str, ...] = ()) -> str:
    """*data* as hand-editable YAML that loads back to exactly *data*, under a comment naming the
    *source* it was imported from (if any) and the fields that source sets (*from_text*: a text
    imported again replaces those and keeps the rest).

    Block style, key order kept, non-ASCII kept as typed, and no line wrapping: PyYAML's
    folding of long plain scalars is what makes hand edits go wrong, so width is unbounded.
    """
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=float("inf"))
    if from_text:
        return (f"# Imported from {source} by handouts import; from the text: {', '.join(from_text)}.\n"
                f"# Edit freely: fields added here are kept when the text is imported again.\n" + body)
    header = f"# Imported from {source} by handouts import; edit freely.\n" if source else ""
    return header + body


def not_overwritten(target: Path) -> Problem:
    """The skip for a content file that exists and was left alone."""
    return Problem(display_path(target), None, None, "exists; not overwritten (use --force)")


def write_content(target: Path, text: str, force: bool, result: ImportResult) -> None:
    """Write *text* to *target* unless it exists (without *force*); record which in *result*."""
    if write_new_text(target, text, force=force):
        result.written.append(target)
    else:
        result.skipped.append(not_overwritten(target))


def copy_unless_different(target: Path, data: bytes, force: bool) -> bool:
    """Write *data* to *target* unless a different file is there (without *force*).

    Returns False only when such a file was kept; the same bytes count as copied.
    """
    if target.is_file() and not force:
        return target.read_bytes() == data
    atomic_write_bytes(target, data)
    return True
