"""Which importer reads each file given to ``handouts import``, decided by what is in it.

* free-exercise-db's ``exercises.json`` (a JSON list whose first entry has ``"name"`` and
  ``"instructions"``: :func:`~handouts.importers.free_exercise_db.looks_like_exercise_db`),
  whatever the file is called, goes to :mod:`handouts.importers.free_exercise_db`;
* any other JSON is one located error saying what handouts expected and what the file holds
  (another library's format, say exercemus' object of lists, or wger's API answer), never
  read as a plain-text exercise and told to add an "Instructions" line;
* everything else, a file that cannot be read included, goes to the plain-text importer,
  which reads it (and says why it cannot).

A file is JSON when it is named ``.json``, or when its text starts as only JSON does
(``[{``, ``[[``, ``["``, ``[]``, ``{"`` or ``{}``, spaces allowed between), or when it
starts with ``[`` or ``{`` and parses as JSON whole.  So a plain-text exercise whose title
starts with a bracket ("[Draft] Bridge", "[2] Knee bend") is still read as text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handouts.errors import Problem, SourceFormatError, display_path
from handouts.errors import shorten
from handouts.importers.common import read_text
from handouts.importers.free_exercise_db import looks_like_exercise_db
from handouts.importers.json_list import describe

#: Text that can only be the start of JSON, never of a plain-text exercise's title.
_JSON_START = re.compile(r'\s*(?:\[\s*[\[{"\]]|\{\s*["}])')
#: What the error says handouts does read, after saying what the file is not.
READS = "handouts imports free-exercise-db's JSON and plain-text exercises"
_SHOWN_KEYS = 6


@dataclass
class Sources:
    """The files of one ``handouts import``, sorted by importer, in the order given.

    ``databases``: free-exercise-db files; ``texts``: for the plain-text importer;
    ``problems``: one per other JSON file, which nothing imports.
    """

    databases: list[Path] = field(default_factory=list)
    texts: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def sort_sources(paths: list[Path]) -> Sources:
    """*paths* sorted by the importer that reads each (see the module's docstring).

    Reads each file at most twice (free-exercise-db's first entry, then the other JSON whole);
    raises nothing: a file that cannot be read is left to the plain-text importer to report.
    """
    sources = Sources()
    for path in paths:
        if looks_like_exercise_db(path):
            sources.databases.append(path)
        elif problem := other_json(Path(path)):
            sources.problems.append(problem)
        else:
            sources.texts.append(path)
    return sources


def _keys(obj: dict[Any, Any]) -> str:
    """``"id", "title", "steps"`` (and how many more): an object's keys as a message lists them."""
    keys = [f'"{shorten(str(key), 30)}"' for key in obj]
    more = f" and {len(keys) - _SHOWN_KEYS} more" if len(keys) > _SHOWN_KEYS else ""
    return ", ".join(keys[:_SHOWN_KEYS]) + more


def _kind(value: Any) -> str:
    """A JSON value as a message names it: ``an object with the keys "a", "b"``, ``text``."""
    if isinstance(value, dict):
        return f"an object with the keys {_keys(value)}" if value else "an empty object"
    return describe(value)


def _found(data: Any, text: str) -> tuple[int, str] | None:
    """What JSON *data* (parsed from *text*) holds instead of free-exercise-db's list of
    exercises, and the line to point at: its first entry's, or the top's; None if it is that."""
    start = len(text) - len(text.lstrip())
    top = 1 + text.count("\n", 0, start)
    if not isinstance(data, list):
        return top, f"it is {_kind(data)}, not a list of exercises"
    if not data:
        return top, "it is an empty list"
    line = 1 + text.count("\n", 0, len(text) - len(text[start + 1:].lstrip()))  # where the first entry starts
    first = data[0]
    if not isinstance(first, dict) or not first:
        return line, f"its first entry is {_kind(first)}, not an exercise object"
    missing = " or ".join(f'"{key}"' for key in ("name", "instructions") if key not in first)
    if not missing:
        return None
    return line, f"its first entry has no {missing}: its keys are {_keys(first)}"


def other_json(path: Path) -> Problem | None:
    """Why *path*, a JSON file that is not free-exercise-db's, cannot be imported: one Problem
    naming the file, the line (of its first entry, of a syntax error) and what it holds:

    ``x.json:2: not a free-exercise-db exercises.json (its first entry has no "name" or
    "instructions": its keys are "id", "title", "steps"); handouts imports ...``

    None when *path* is not JSON (by the module docstring's rule) or cannot be read.  Call it
    on a file :func:`looks_like_exercise_db` turned down: a free-exercise-db entry has both keys.
    """
    shown = display_path(path)
    try:
        text = read_text(path, shown).text
    except SourceFormatError:
        return None
    named_json = path.suffix.lower() == ".json"
    if not (named_json or text.lstrip().startswith(("[", "{"))):
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if named_json or _JSON_START.match(text):
            return Problem(shown, exc.lineno, None, f"JSON syntax error (column {exc.colno}): {exc.msg}")
        return None  # "[Draft] Bridge": a title in brackets
    except RecursionError:
        return Problem(shown, None, None, "JSON nested too deeply")
    found = _found(data, text)
    if found is None:
        return None
    line, what = found
    return Problem(shown, line, None, f"not a free-exercise-db exercises.json ({what}); {READS}")
