"""Turn the plain-text exercise files clinics keep into content YAML files.

Clinics write exercises as plain text: a title line, paragraphs, then "Instructions",
"Tips & Tricks" and "Frequently Asked Questions" sections.  Retyping them into YAML
loses sentences and adds typos, so this module converts them once; after that the YAML
is the source and is edited by hand.  That is why the parser is *lossless* (every
non-blank line lands in exactly one field, or it is an error naming the line), why it
never guesses (FAQ lines simply alternate question/answer, whatever the language), and
why an existing content file is never overwritten without ``force``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handouts.errors import Problem, SourceFormatError, display_path
from handouts.write import write_new_text

#: Section headings, compared case-insensitively with an optional trailing ':'.
#: Add a translation here; nothing else needs to change.
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "instructions": ("instructions", "steps", "instrucciones", "pasos"),
    "tips": ("tips & tricks", "tips and tricks", "tips", "consejos", "consejos y trucos"),
    "faq": ("frequently asked questions", "faq", "faqs", "preguntas frecuentes"),
}
_HEADING_OF = {name: section for section, names in SECTION_HEADINGS.items() for name in names}

#: "- ", "* ", "• ", "1. " or "1) " at the start of a (left-stripped) line.  An indented
#: line continues the bullet above it, unless it starts with one of these (a sub-bullet).
_BULLET = re.compile(r"(?:[-*•]|\d{1,3}[.)])(?:\s+|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_MAX_SLUG = 80
#: Letters NFKD does not decompose into ASCII, so that "Straße" is "strasse", not "strae".
_ASCII_EXTRA = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O",
                              "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})


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


def _quote(text: str, limit: int = 60) -> str:
    """Offending text for a message: quoted, and cut so one bad line cannot flood the terminal."""
    text = text.strip()
    return f'"{text if len(text) <= limit else text[: limit - 1].rstrip() + "…"}"'


def _heading(line: str) -> str | None:
    """The section a heading line opens (``"Tips:"`` -> ``"tips"``), or None for other lines."""
    key = " ".join(line.strip().rstrip(":").split()).casefold()
    return _HEADING_OF.get(key)


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip())


def _parse(text: str, path: str) -> tuple[dict, int]:
    """Parse *text*; return the data and the title's line, or raise with every problem found."""
    lines = _LINE_BREAK.split(text.removeprefix("\ufeff"))
    if not any(line.strip() for line in lines):
        raise SourceFormatError(Problem(path, 1, "title", "the file is empty; the first line should be the title"))
    problems: list[Problem] = []
    title: str | None = None
    title_line = 1
    paragraphs: list[str] = []
    lists: dict[str, list[str]] = {"instructions": [], "tips": []}
    faq_lines: list[tuple[int, str]] = []
    opened: dict[str, tuple[int, str]] = {}  # section -> (line, heading as typed)
    section = "description"
    bullet_indent = 0  # indent of the current bullet's marker; deeper lines continue it
    last_line = 1

    def problem(number: int, field: str, message: str) -> None:
        problems.append(Problem(path, number, field, message))

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        last_line = number
        found = _heading(line)
        if title is None and not opened and found is None:
            title, title_line = line, number
            continue
        if found is not None:
            if title is None and not opened:
                problem(number, "title", f"expected the exercise title, got the section heading {_quote(line)}")
            if found in opened:
                problem(number, found, f"section {_quote(line)} appears twice (first at line {opened[found][0]})")
            else:
                opened[found] = (number, line)
            section, bullet_indent = found, 0
            continue
        if section == "description":
            if _BULLET.match(line):
                problem(number, "description",
                        f'{_quote(line)} looks like a step but no "Instructions" line comes before it')
            else:
                paragraphs.append(line)
        elif section == "faq":
            faq_lines.append((number, line))
        else:
            items = lists[section]
            marker = _BULLET.match(line)
            if items and marker is None and _indent(raw) > bullet_indent:
                items[-1] = f"{items[-1]} {line}"
            elif marker is None:
                problem(number, section, f'expected a "- " bullet, got {_quote(line)}')
            elif not line[marker.end():].strip():
                problem(number, section, "empty bullet")
            else:
                items.append(line[marker.end():].strip())
                bullet_indent = _indent(raw)

    if "instructions" not in opened:
        problem(last_line, "instructions", 'no "Instructions" section; add a line "Instructions" '
                                           'followed by "- " steps')
    elif not lists["instructions"] and not any(p.field == "instructions" for p in problems):
        number, heading = opened["instructions"]
        problem(number, "instructions", f"no steps after {_quote(heading)}")
    if len(faq_lines) % 2:
        number, question = faq_lines[-1]
        problem(number, "faq", f"question {_quote(question)} has no answer line after it")
    if problems:
        raise SourceFormatError(sorted(problems, key=lambda p: p.line or 0))

    data: dict = {"title": title}
    if paragraphs:
        data["summary"] = paragraphs[0]
    if paragraphs[1:]:
        data["description"] = paragraphs[1:]
    data["instructions"] = lists["instructions"]
    if lists["tips"]:
        data["tips"] = lists["tips"]
    if faq_lines:
        data["faq"] = [{"question": q, "answer": a}
                       for (_, q), (_, a) in zip(faq_lines[::2], faq_lines[1::2])]
    return data, title_line


def parse_exercise_text(text: str, path: str) -> dict:
    """Parse one plain-text exercise into content data (title, summary, ..., faq).

    Pure: *path* is only used in messages.  Raises SourceFormatError listing every line
    it could not place, so a clinic fixes a file in one pass rather than one error a run.
    """
    return _parse(text, path)[0]


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

    def increase_indent(self, flow: bool = False, indentless: bool = False):  # noqa: D102
        return super().increase_indent(flow, False)


def to_yaml(data: dict, source: str | None = None) -> str:
    """*data* as hand-editable YAML that loads back to exactly *data*.

    Block style, key order kept, non-ASCII kept as typed, and no line wrapping: PyYAML's
    folding of long plain scalars is what makes hand edits go wrong, so width is unbounded.
    """
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=float("inf"))
    header = f"# Imported from {source} by handouts import; edit freely.\n" if source else ""
    return header + body


def _read_text(path: Path, shown: str) -> str:
    """The file's text; unreadable or non-UTF-8 files become a Problem, never a traceback."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise SourceFormatError(Problem(shown, None, None, f"cannot read: {exc.strerror or exc}")) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SourceFormatError(Problem(shown, line, None, "not UTF-8 text; save the file as UTF-8")) from None


def import_text_files(paths: list[Path], content_dir: Path, force: bool = False) -> ImportResult:
    """Convert each text file in *paths* to ``<content_dir>/<slug of title>.yaml``.

    All inputs are read and parsed before anything is written, and if any of them has a
    problem nothing is written: a batch lands whole or not at all, so fixing one file and
    re-running does not meet a wall of "exists" skips.  Existing files are skipped unless
    *force*; two inputs that would land on the same file are a problem, not an overwrite.
    An unwritable *content_dir* raises OutputError (from :mod:`handouts.write`).
    """
    content_dir = Path(content_dir)
    problems: list[Problem] = []
    planned: list[tuple[Path, str]] = []
    claimed: dict[str, str] = {}  # file name -> "source:line" that claimed it
    for path in paths:
        shown = display_path(path)
        try:
            data, title_line = _parse(_read_text(path, shown), shown)
        except SourceFormatError as exc:
            problems.extend(exc.problems)
            continue
        try:
            name = f"{slugify(data['title'])}.yaml"
        except ValueError:
            problems.append(Problem(shown, title_line, "title", f"cannot make a file name from "
                                    f"{_quote(data['title'])}: it has no ASCII letters or digits"))
            continue
        if name in claimed:
            problems.append(Problem(shown, title_line, "title", f"gives the same file name {name} "
                                    f"as {claimed[name]}; make the titles differ"))
            continue
        claimed[name] = f"{shown}:{title_line}"
        planned.append((content_dir / name, to_yaml(data, source=Path(path).name)))
    if problems:
        return ImportResult(written=[], skipped=[], problems=problems)
    written: list[Path] = []
    skipped: list[Problem] = []
    for target, text in planned:
        if write_new_text(target, text, force=force):
            written.append(target)
        else:
            skipped.append(Problem(display_path(target), None, None, "exists; not overwritten (use --force)"))
    return ImportResult(written=written, skipped=skipped, problems=[])
