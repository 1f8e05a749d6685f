"""Turn the plain-text exercise files clinics keep into content YAML files.

Clinics write exercises as plain text: a title line, paragraphs, then "Instructions",
"Tips & Tricks" and "Frequently Asked Questions" sections.  Retyping them into YAML
loses sentences and adds typos, so this module converts them once; after that the YAML
is the source and is edited by hand.  That is why the parser is *lossless* (every
non-blank line lands in exactly one field, or it is an error naming the line), why it
never guesses (FAQ lines simply alternate question/answer, whatever the language), and
why an existing content file is never overwritten without ``force``.  An answer can be a
list: "- " bullets right under a question (one not bulleted itself) are its points, printed
as bullets, up to the next line that is neither a bullet nor indented under one.
"""

from __future__ import annotations

import re
from pathlib import Path

from handouts.errors import Problem, SourceFormatError, display_path
from handouts.importers.common import (
    ImportResult,
    read_text,
    slugify,
    to_yaml,
    write_content,
)

#: Section headings, compared case-insensitively with an optional trailing ':'.
#: Add a translation here; nothing else needs to change.
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "instructions": ("instructions", "steps", "instrucciones", "pasos", "anleitung", "schritte", "übungsanleitung",
                     "consignes", "étapes"),
    "tips": ("tips & tricks", "tips and tricks", "tips", "consejos", "consejos y trucos", "tipps", "tipps und tricks",
             "tipps & tricks", "hinweise", "conseils", "conseils et astuces", "trucs et astuces"),
    "faq": ("frequently asked questions", "faq", "faqs", "preguntas frecuentes", "häufige fragen",
            "fragen und antworten", "questions fréquentes", "foire aux questions"),
}
_HEADING_OF = {name: section for section, names in SECTION_HEADINGS.items() for name in names}

#: "- ", "* ", "• ", "1. " or "1) " at the start of a (left-stripped) line.  An indented
#: line continues the bullet above it, unless it starts with one of these (a sub-bullet).
_BULLET = re.compile(r"(?:[-*•]|\d{1,3}[.)])(?:\s+|$)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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
    faq_lines: list[tuple[int, str | list[str]]] = []  # questions and answers in turn; an answer may be points
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
            point = _faq_point(faq_lines, number, line, raw, bullet_indent)
            if point == "empty":
                problem(number, "faq", "empty bullet")
            elif point and _BULLET.match(line):
                bullet_indent = _indent(raw)
            elif not point:
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
        problem(number, "faq", f"question {_quote(str(question))} has no answer line after it")
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


def _faq_point(faq_lines: list[tuple[int, str | list[str]]], number: int, line: str, raw: str,
               bullet_indent: int) -> str:
    """What line *number* of the FAQ section is to a list answer, taken into *faq_lines*: "point" (a bullet
    where the answer to a question not bulleted itself is due, a bullet after such a point, or a line
    indented under one, which continues it), "empty" (an empty bullet there), or "" (a question, or an
    answer of one line: a file that bullets its questions too keeps to one line each)."""
    marker = _BULLET.match(line)
    last = faq_lines[-1][1] if faq_lines else None
    if isinstance(last, list):  # a list answer is being read
        if marker is None and _indent(raw) <= bullet_indent:
            return ""  # the next question
        if marker is None:
            last[-1] = f"{last[-1]} {line}"
            return "point"
    elif marker is None or len(faq_lines) % 2 == 0 or _BULLET.match(str(last)):
        return ""
    text = line[marker.end():].strip()
    if not text:
        return "empty"
    if isinstance(last, list):
        last.append(text)
    else:
        faq_lines.append((number, [text]))
    return "point"


def parse_exercise_text(text: str, path: str) -> dict:
    """Parse one plain-text exercise into content data (title, summary, ..., faq).

    Pure: *path* is only used in messages.  Raises SourceFormatError listing every line
    it could not place, so a clinic fixes a file in one pass rather than one error a run.
    """
    return _parse(text, path)[0]


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
    warnings: list[Problem] = []  # a file read as Windows-1252: said whether it is written or not
    planned: list[tuple[Path, str]] = []
    claimed: dict[str, str] = {}  # file name -> "source:line" that claimed it
    for path in paths:
        shown = display_path(path)
        try:
            decoded = read_text(path, shown)
            warnings += decoded.warnings
            data, title_line = _parse(decoded.text, shown)
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
        return ImportResult(written=[], skipped=[], problems=problems, warnings=warnings)
    result = ImportResult(written=[], skipped=[], problems=[], warnings=warnings)
    for target, text in planned:
        write_content(target, text, force, result)
    return result
