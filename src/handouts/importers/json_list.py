"""Reading a JSON file whose top level is a list, entry by entry, with the line of each.

An importer of a JSON library (free-exercise-db's ``exercises.json``) reports every
malformed entry with the line its ``{`` is on, and keeps importing the others; the
standard :mod:`json` module gives neither lines nor the keys an object had twice.
A file that is not valid JSON at all is one :class:`SourceFormatError`, in json's words.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from handouts.content.exercise import describe as describe_value
from handouts.content.encoding import decode_text
from handouts.errors import ContentError, Problem, SourceFormatError
from handouts.importers.common import read_text

_WS = re.compile(r"[ \t\n\r]*")  # JSON's whitespace


class _Object(dict):
    """A JSON object that remembers the keys it had more than once (json keeps the last)."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        counts = Counter(k for k, _ in pairs)
        obj.duplicates = tuple(sorted(k for k, n in counts.items() if n > 1))
    return obj


def duplicate_keys(value: Any) -> tuple[str, ...]:
    """The keys a JSON object read by :func:`read_list` had more than once, sorted."""
    return getattr(value, "duplicates", ())


def _skip_ws(text: str, pos: int) -> int:
    """Where the JSON whitespace from *pos* on ends (the pattern matches even none)."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


def describe(value: Any) -> str:
    """A wrong JSON value named by its kind, never printed whole, in JSON's words."""
    return describe_value(value, nothing="null", mapping="an object")


def _scan_list(text: str, pos: int, decoder: json.JSONDecoder) -> list[tuple[int | None, Any]]:
    """The items of the JSON list whose ``[`` is just before *pos*, each with its line.

    Raises ValueError (JSONDecodeError is one) on anything unexpected; the caller then
    lets :func:`json.loads` find and describe the error the standard way.
    """
    entries: list[tuple[int | None, Any]] = []
    line, counted = 1 + text.count("\n", 0, pos), pos
    pos = _skip_ws(text, pos)
    if text.startswith("]", pos):
        pos += 1
    else:
        while True:
            line, counted = line + text.count("\n", counted, pos), pos
            value, pos = decoder.raw_decode(text, pos)
            entries.append((line, value))
            pos = _skip_ws(text, pos)
            if text.startswith(",", pos):
                pos = _skip_ws(text, pos + 1)
            elif text.startswith("]", pos):
                pos += 1
                break
            else:
                raise ValueError("expected ',' or ']'")
    if _skip_ws(text, pos) != len(text):
        raise ValueError("extra data")
    return entries


def read_list(path: Path, shown: str, items: str) -> tuple[list[tuple[int | None, Any]], tuple[Problem, ...]]:
    """The file's top-level list as (line, entry) pairs, and the warnings reading the file gave
    (one if it was not UTF-8: see :func:`handouts.importers.common.read_text`); raise
    SourceFormatError if there is no list.

    *items* names what the list should hold, for the message when it is not a list.
    """
    decoded = read_text(path, shown)
    text = decoded.text
    decoder = json.JSONDecoder(object_pairs_hook=_object)
    start = _skip_ws(text, 0)
    try:
        if text.startswith("[", start):
            try:
                return _scan_list(text, start + 1, decoder), decoded.warnings
            except ValueError:
                pass  # json.loads below says what is wrong, in its own words
        data = decoder.decode(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(Problem(shown, exc.lineno, None,
                                        f"JSON syntax error (column {exc.colno}): {exc.msg}")) from None
    except RecursionError:
        raise SourceFormatError(Problem(shown, None, None, "JSON nested too deeply")) from None
    if not isinstance(data, list):
        raise SourceFormatError(Problem(shown, 1 + text.count("\n", 0, start), None,
                                        f"expected a list of {items} ([{{...}}, ...]), got {describe(data)}"))
    return [(None, entry) for entry in data], decoded.warnings  # pragma: no cover - if _scan_list disagrees with json


def first_item(path: Path) -> Any:
    """The first entry of the JSON list in *path*, parsed alone (cheap on a large file);
    None if the file cannot be read or does not start with a list of at least one entry."""
    try:
        text = decode_text(Path(path).read_bytes(), str(path)).text
        start = _skip_ws(text, 0)
        if not text.startswith("[", start):
            return None
        first, _ = json.JSONDecoder().raw_decode(text, _skip_ws(text, start + 1))
    except (OSError, ContentError, ValueError, RecursionError):
        return None
    return first
