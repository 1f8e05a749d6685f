"""A program file's YAML, read loosely and written tidily, for the program page (see :mod:`.program_form`).

Reading: the page must open a program file that has mistakes in it (a date that is no date, a
key written twice, ``client: yes``), so that they can be fixed in the browser.  The command
line's reader refuses such files, and PyYAML's ``safe_load`` turns ``3.10`` into ``3.1`` and
fails on ``2026-02-30``; so :func:`read_loose` keeps every scalar as the text it was written
as (only ``null`` becomes None), the last of a key written twice, and nothing more.

Writing: :func:`dump_program` writes the file as a person would, in the order given: plain
scalars where YAML reads them back as the same text, double quotes where it would not
(``'007'``, ``yes``, ``a: b``, ``# x``), a literal block for notes of several lines, and the
dose of an exercise on one line as a flow mapping (``{sets: 2, hold: 30 s}``).  Every
scalar's form is checked by reading it back, and the whole file is too, with both of PyYAML's
safe loaders (Python's and libyaml's differ at the edges): should the two ever differ, every
text is written in double quotes instead, which is exact by construction.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import yaml

from handouts.content.load import MAX_VALUES, parse_yaml
from handouts.errors import ContentError, Problem

#: The comment a saved program starts with.
HEADER = ("# A client's program, saved by `handouts serve`.  It may be edited by hand as well\n"
          "# (see the README); saved again from the browser, it is written anew without comments.\n")

#: PyYAML's safe loaders, in Python and in C (libyaml): the command line reads with either, and they
#: differ at the edges (libyaml reads ``{k: 0?}`` and ``{k: 0<tab>0}``, Python refuses them).
_LOADERS: tuple[Any, ...] = (yaml.SafeLoader,) + ((yaml.CSafeLoader,) if hasattr(yaml, "CSafeLoader") else ())
#: Raw control characters YAML refuses to read; the command line's reader drops them too.
_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")
#: Characters written as they are inside double quotes: YAML's printable ones, less line
#: breaks (folded inside quotes), the byte-order mark, and surrogates.
_AS_IS = re.compile(r"[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
#: How deep :func:`read_loose` looks: a program's values are at most four levels down
#: (exercises, an item, its dose, a part); anything deeper is read as nothing.
_DEPTH = 4


def read_loose(text: str, shown: str) -> Any:
    """The data of a program file's *text* with every scalar as the text written (``null``: None):
    dicts, lists and str.  A key written twice: its last value.  At most :data:`MAX_VALUES` values,
    aliases expanded.  Raises ContentError (in the command line's words, with the line) when the
    text is no YAML at all, or is an alias bomb."""
    text = _RAW_CONTROL.sub("", text)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except (yaml.YAMLError, RecursionError):
        parse_yaml(text, shown)  # raises ContentError saying what is wrong, and where
        raise ContentError(Problem(shown, None, None, "not valid YAML")) from None
    if node is None:
        return None
    budget = [MAX_VALUES]

    def value(node: yaml.Node, depth: int) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise ContentError(Problem(shown, node.start_mark.line + 1, None,
                                       f"more than {MAX_VALUES} values (YAML aliases expanding?)"))
        if depth > _DEPTH:
            return None
        if isinstance(node, yaml.MappingNode):
            return {key.value: value(item, depth + 1) for key, item in node.value
                    if isinstance(key, yaml.ScalarNode)}
        if isinstance(node, yaml.SequenceNode):
            return [value(item, depth + 1) for item in node.value]
        return None if node.tag == "tag:yaml.org,2002:null" else str(node.value)

    return value(node, 0)


def quoted(text: str) -> str:
    """*text* as a YAML double-quoted scalar, read back exactly whatever it holds: quotes,
    backslashes and every character YAML would not keep as it is are escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif _AS_IS.fullmatch(char):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    return '"' + "".join(out) + '"'


def _reads_back(text: str, expected: Any) -> bool:
    """Whether every safe loader reads *text* as *expected*."""
    try:
        return all(yaml.load(text, Loader=loader) == expected for loader in _LOADERS)
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError):  # 2026-02-30: no date
        return False


def _literal(text: str, indent: int) -> str:
    """*text* of several lines as a literal block (``|-``), its lines indented by *indent*."""
    return "|-\n" + "\n".join(" " * indent + line if line else "" for line in text.split("\n"))


def scalar(value: Any, indent: int = 2, flow: bool = False, plain: bool = True) -> str:
    """*value* (None, bool, int, a date, str) as written after ``key: ``; a literal block's lines are
    indented by *indent* (two more than the key).  In a *flow* mapping, text is on one line.
    Text goes plain when YAML reads it back as the same text, else in a literal block (text of
    several lines, not *flow*), else in double quotes; *plain* False: in double quotes always."""
    if value is None:
        return "null" if flow else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, datetime.date)):
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
    text = str(value)
    if plain and text and "\n" not in text and text == text.strip():
        if _reads_back("{k: " + text + "}" if flow else "k: " + text, {"k": text}):
            return text
    if plain and not flow and "\n" in text and _reads_back("k: " + _literal(text, 2), {"k": text}):
        return _literal(text, indent)
    return quoted(text)


def _line(key: str, written: str) -> str:
    return f"{key}: {written}" if written else f"{key}:"


def _emit(data: dict[str, Any], plain: bool) -> str:
    lines = []
    for key, value in data.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            for item in value:
                for i, (name, part) in enumerate(item.items()):
                    lead = "  - " if i == 0 else "    "
                    if isinstance(part, dict):
                        flow = ", ".join(f"{k}: {scalar(v, flow=True, plain=plain)}" for k, v in part.items())
                        lines.append(f"{lead}{name}: {{{flow}}}")
                    else:
                        lines.append(lead + _line(name, scalar(part, 6, plain=plain)))
        else:
            lines.append(_line(key, scalar(value, 2, plain=plain)))
    return "\n".join(lines) + "\n"


def dump_program(data: dict[str, Any]) -> str:
    """A program's *data* as the text of its file, :data:`HEADER` first, the keys in the order given.

    *data* maps top-level keys to None, bool, int, a date or str, or to a list of items (mappings of
    such values, or of a mapping of them: a dose, written on one line).  What the text reads back
    as (by either of PyYAML's safe loaders) equals *data*, checked here (see the module's docstring)."""
    text = HEADER + _emit(data, plain=True)
    if not _reads_back(text, data):
        text = HEADER + _emit(data, plain=False)
    return text
