"""Read a content file into plain Python data that remembers its line numbers.

PyYAML's ``safe_load`` forgets where each value came from, and every message we print
must name the line.  So we compose the node tree ourselves and record, for each value,
the 1-based line it starts on, keyed by its path (``("faq", 2, "answer")``).
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from handouts.content.encoding import decode_text
from handouts.errors import ContentError, Problem, display_path
from handouts.errors import shorten as _cut

#: A content file larger than this is refused before parsing: real exercises are a few KB.
MAX_FILE_BYTES = 256 * 1024

#: Values in one file, aliases expanded: refuses "billion laughs" alias bombs quickly.
MAX_VALUES = 20_000
#: Content is a few levels deep; far deeper nesting is an attack or an accident.
MAX_DEPTH = 20

Key = tuple  # a path into the data: ("instructions", 3)


@dataclass(frozen=True)
class RawDocument:
    """One content file as data, plus where each value was written."""

    path: str  # as displayed in messages
    data: Any
    lines: dict[Key, int] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    typed: dict[Key, str] = field(default_factory=dict)  # numbers as they were written

    def line_of(self, key: Key) -> int | None:
        """The line of *key*, or of its nearest parent that has one."""
        key = tuple(key)
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return self.lines.get((), 1)


class _Builder:
    """Turns a composed YAML node tree into Python values and a line map."""

    def __init__(self, path: str):
        self.path = path
        self.lines: dict[Key, int] = {}
        self.problems: list[Problem] = []
        self._scalars = SafeConstructor()
        self._budget = MAX_VALUES
        self.typed: dict[Key, str] = {}

    def build(self, node: yaml.Node, key: Key = ()) -> Any:
        if len(key) > MAX_DEPTH:
            raise ContentError(Problem(self.path, node.start_mark.line + 1, None,
                                       f"values nested more than {MAX_DEPTH} levels deep"))
        self._budget -= 1
        if self._budget < 0:
            raise ContentError(Problem(self.path, node.start_mark.line + 1, None,
                                       f"more than {MAX_VALUES} values (YAML aliases expanding?)"))
        self.lines.setdefault(key, node.start_mark.line + 1)  # a mapping's value: its key's line
        if isinstance(node, yaml.MappingNode):
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 field_name(key), "a key must be a plain word"))
                    continue
                name = self._construct(key_node, key, "key")
                if name is None:
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 field_name(key), "'<<' merge keys are not supported"))
                    continue
                self.lines[key + (name,)] = key_node.start_mark.line + 1
                if name in result:
                    self.problems.append(Problem(self.path, key_node.start_mark.line + 1,
                                                 field_name(key + (name,)), "appears twice"))
                result[name] = self.build(value_node, key + (name,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, key + (i,)) for i, item in enumerate(node.value)]
        if node.tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool"):
            self.typed[key] = node.value  # "3.10" stays "3.10" when it is used as text
        return self._construct(node, key, "value")

    def _construct(self, node: yaml.Node, key: Key, what: str) -> Any:
        """A scalar's Python value; a value YAML cannot make (an impossible date, a tag on the
        wrong kind of word) is a problem on its line, never a crash."""
        try:
            value = self._scalars.construct_object(node)
            hash(value)  # keys must be hashable; values are checked by the model anyway
            return value
        except (yaml.YAMLError, ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            reason = getattr(exc, "problem", None) or str(exc).split("\n")[0] or type(exc).__name__
            self.problems.append(Problem(self.path, node.start_mark.line + 1, field_name(key) or None,
                                         f"cannot read {what}: {_cut(reason)}; put it in double quotes "
                                         f"if it is meant as text"))
            return None


#: How the items of each list are called in messages, counted from 1 as the handout counts.
ITEM_WORDS = {"instructions": "step", "tips": "tip", "faq": "question", "description": "paragraph",
              "targets": "target", "equipment": "item", "tags": "tag", "images": "picture",
              "exercises": "exercise", "answer": "point"}  # an answer written as a list: its bullet points


def field_name(key: Key) -> str:
    """``("faq", 2, "answer")`` -> ``faq, question 3, answer``: a field as messages name it."""
    parts: list[str] = []
    for i, part in enumerate(key):
        if isinstance(part, int):
            parent = key[i - 1] if i else ""
            parts.append(f"{ITEM_WORDS.get(parent, 'item')} {part + 1}")
        else:
            parts.append(_cut(str(part), 40))
    return ", ".join(parts)



#: Raw control characters (pasted from word processors) that YAML itself refuses to read.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")

#: PyYAML's wording -> what a person fixing the file needs to hear.
_PLAIN_SYNTAX = (
    ("found unexpected end of stream", "while scanning a quoted scalar",
     'this quote is never closed; add the closing " at the end of the text'),
    ("found character '\\t' that cannot start", "", "a tab is used to indent this line; indent with spaces instead"),
    ("expected <block end>", "", "this line is indented differently from the lines above it; line it up with them"),
    ("but found another document", "",
     "a second exercise starts here after '---'; put each exercise in its own file"),
)


#: Quotation marks a word processor types for '"': YAML takes them as ordinary characters.
CURLY_QUOTES = "“”„‟«»‘’‚‛"
_KEY = re.compile(r"^\s*(?:-\s+)?([\w-]+):(?:\s|$)")


def curly_quote_fix(line: str) -> tuple[str, str] | None:
    """The first curly quotation mark of a YAML *line* pasted from a word processor and the line
    fixed, its value in straight double quotes; None if it has none.  Guillemets are kept inside
    (« » are French text's own quotation marks, to be printed); the others become the quotes."""
    at = [i for i, c in enumerate(line) if c in CURLY_QUOTES]
    if not at:
        return None
    first, last = at[0], at[-1]
    inner = line[first:last + 1] if line[first] in "«»" else line[first + 1:last].strip()
    if first == last:  # one curly mark: quote the rest of the line
        inner = line[first:].rstrip()
    quoted = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return line[first], (line[:first] + quoted + ("" if first == last else line[last + 1:])).strip()


def quotes_named(mark: str) -> str:
    """``curly quotes (“)`` or ``guillemets («)``: the quotation marks a message is about."""
    return f"{'guillemets' if mark in '«»' else 'curly quotes'} ({mark})"


def _key_of(lines: list[str], at: int) -> str | None:
    """The key of line *at*, or of the nearest line above it indented less (a list item's list)."""
    indent = len(lines[at]) - len(lines[at].lstrip(" -"))
    for i in range(at, -1, -1):
        key = _KEY.match(lines[i])
        if key and (i == at or len(lines[i]) - len(lines[i].lstrip(" -")) < indent):
            return key.group(1)
    return None


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str = "") -> Problem:
    """A YAML syntax error in plain words, at the place the user must fix: on a line with curly
    quotes (the usual cause: a value pasted from a word processor, with ': ' inside), those."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    lines = text.split("\n")
    if mark and mark.line < len(lines) and (fix := curly_quote_fix(lines[mark.line])):
        return Problem(path, mark.line + 1, _key_of(lines, mark.line),
                       f"the text is in {quotes_named(fix[0])}, which YAML does not read as quotes; "
                       f"use straight ones: {_cut(fix[1], 80)}")
    what = _cut(problem or context or "not valid YAML", 100)
    for needle, context_needle, plain in _PLAIN_SYNTAX:
        if needle in problem and context_needle in context:
            what = plain
            if context_needle and exc.context_mark:  # point at where the unclosed thing opened
                mark = exc.context_mark
            break
    line = mark.line + 1 if mark else None
    col = f" (column {mark.column + 1})" if mark else ""
    return Problem(path, line, None, f"YAML syntax error{col}: {what}")


_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _deep_line(text: str) -> int | None:
    """The line where values first nest deeper than MAX_DEPTH: in [ and { brackets (quotes
    skipped), or in block style, counted by indentation and "- " and "? " markers."""
    depth, line, quote = 0, 1, ""
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif char in "]}":
            depth = max(0, depth - 1)
    indents: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        column, dashes = len(raw) - len(stripped), 0
        while stripped.startswith(("- ", "? ")) or stripped in ("-", "?"):
            dashes += 1
            stripped = stripped[2:].lstrip(" ")
        while indents and indents[-1] >= column:
            indents.pop()
        indents.append(column)
        if len(indents) + dashes > MAX_DEPTH:
            return number
    return None


def _strip_raw_controls(text: str) -> tuple[str, list[int]]:
    """Remove raw control characters YAML cannot read; return the text and their lines."""
    lines = sorted({text.count("\n", 0, m.start()) + 1 for m in _RAW_CONTROL.finditer(text)})
    return (_RAW_CONTROL.sub("", text), lines) if lines else (text, [])


def parse_yaml(text: str, path: str) -> RawDocument:
    """Parse YAML *text*; raise ContentError (with line and column) if it is not valid."""
    text, control_lines = _strip_raw_controls(text)
    fast_line = None
    try:
        try:  # libyaml is ~10x faster; its error messages differ, so errors are re-read in Python
            node = yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError as fast:
            mark = getattr(fast, "problem_mark", None) or getattr(fast, "context_mark", None)
            fast_line = mark.line + 1 if mark else None
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise ContentError(Problem(path, _deep_line(text) or fast_line, None,
                                   f"values nested more than {MAX_DEPTH} levels deep")) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
        raise ContentError(Problem(path, line, None, f"character U+{exc.character:04X} cannot be read; "
                                                     f"delete it") if isinstance(exc.character, int) else
                           Problem(path, line, None, "unreadable character; delete it")) from None
    except yaml.MarkedYAMLError as exc:
        raise ContentError(_syntax_problem(exc, path, text)) from None
    except yaml.YAMLError as exc:
        raise ContentError(Problem(path, None, None, f"YAML error: {str(exc).splitlines()[0]}")) from None
    if node is None:
        raise ContentError(Problem(path, 1, None, "the file is empty"))
    builder = _Builder(path)
    data = builder.build(node)
    if builder.problems:
        raise ContentError(builder.problems)
    warnings = []
    for line in control_lines:
        keys = [k for k, at in builder.lines.items() if at == line] or [()]
        key = max(keys, key=len)
        warnings.append(Problem(path, line, field_name(key) or None, "control characters removed"))
    return RawDocument(path=path, data=data, lines=builder.lines, warnings=tuple(warnings),
                       typed=builder.typed)


#: What :func:`not_a_file` calls a link that leads, through others or none, back to itself.
LINK_LOOP = "a link that leads back to itself"


def not_a_file(path: Path) -> str | None:
    """What stands at *path* when it is there but is no regular file to read: "a folder", "a broken
    link", "a link that leads back to itself" or "not a regular file" (a pipe would never end); None
    for a regular file or nothing at all."""
    path = Path(path)
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return LINK_LOOP
        return "a broken link" if os.path.islink(path) else None
    if stat.S_ISREG(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file"


class NotRegularFile(ValueError):
    """What :func:`read_regular` found is no regular file (a pipe, a device)."""


class TooLarge(ValueError):
    """What :func:`read_regular` found is larger than its limit; *size* in bytes."""

    def __init__(self, size: int):
        super().__init__(f"{size} bytes")
        self.size = size


def read_regular(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at *path* (at most *limit*) and its status from before the read.

    Every file the tool reads goes through here: opened without blocking (a pipe by a YAML or
    picture name never hangs a build), read only when it is a regular file (a link to
    /dev/zero never fills the memory), and to at most *limit* and one byte (a file growing
    meanwhile too).  Raises OSError when it cannot be opened or read (a folder: IsADirectoryError),
    NotRegularFile, or TooLarge with its size.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        st = os.fstat(fd)  # before the read: a change during it moves the time past this
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFile(str(path))
        data = file.read(limit + 1)
    if max(st.st_size, len(data)) > limit:
        raise TooLarge(max(st.st_size, len(data)))
    return data, st


def read_file(path: Path) -> bytes:
    """The bytes of one content (or program, or clinic) file, read once: the build hashes and
    parses these very bytes, so a file saved again meanwhile is never built in part under the
    digest of the whole.  At most MAX_FILE_BYTES (see :func:`read_regular`).

    Raises ContentError naming the file and why.
    """
    try:
        return read_regular(path, MAX_FILE_BYTES)[0]
    except OSError as exc:
        why = f"cannot read: {exc.strerror or exc}"
    except NotRegularFile:
        why = "is not a regular file (a pipe or a device?); give a YAML file"
    except TooLarge as exc:
        why = f"file is {-(-exc.size // 1024)} KB; the limit is {MAX_FILE_BYTES // 1024} KB"
    raise ContentError(Problem(display_path(path), None, None, why))


def parse_file(raw: bytes, shown: str) -> RawDocument:
    """Parse a content file's bytes (from :func:`read_file`); *shown* names it in every problem.

    The bytes are UTF-8, UTF-16 with its byte-order mark, or else Windows-1252, as
    :func:`handouts.content.encoding.decode_text` decides; a file read as Windows-1252 has that
    warning first in its ``warnings`` (and in a ContentError's), naming the value on its line.
    Raises ContentError with every problem found.
    """
    decoded = decode_text(raw, shown)
    try:
        doc = parse_yaml(decoded.text, shown)
    except ContentError as exc:
        exc.warnings[:0] = decoded.warnings  # the errors may be about letters it misread
        raise
    if not decoded.warnings:
        return doc
    warnings = tuple(Problem(w.path, w.line, _field_on(doc.lines, w.line), w.message) for w in decoded.warnings)
    return replace(doc, warnings=warnings + doc.warnings)


def _field_on(lines: dict[Key, int], line: int | None) -> str | None:
    """The field written on *line*, or that it continues (a block of lines): the deepest value
    starting there or, failing that, the last one starting above it."""
    above = [key for key, at in lines.items() if line is not None and at <= line]
    if not above:
        return None
    return field_name(max(above, key=lambda key: (lines[key], len(key)))) or None


def load_file(path: Path) -> RawDocument:
    """Read and parse one content file (see :func:`read_file` and :func:`parse_file`)."""
    return parse_file(read_file(path), display_path(path))
