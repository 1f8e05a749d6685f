"""An FAQ answer as written: text whose line breaks are kept, or a list of points.

A clinician writes a schedule as a YAML block (``answer: |`` and a line a day) or as a list
(``- Monday: both feet``), and means it to print that way: the lines as lines, the points as
bullets.  Steps and tips written as blocks keep their line breaks the same way
(:func:`kept_lines`), through :meth:`handouts.content.exercise.Validator.text`.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from handouts.errors import shorten

if TYPE_CHECKING:  # the validator reads answers through this module: no import at run time
    from handouts.content.exercise import FieldSpec, Validator

#: An answer: text, its line breaks kept (``"\n"``; a blank line, ``"\n\n"``, starts a new
#: paragraph), or the points of a YAML list in order, each such a text, printed as bullets.
Answer = str | tuple[str, ...]


def kept_lines(value: str) -> str:
    """*value* with its line breaks kept and the whitespace within each line folded: one blank line
    kept between paragraphs however many were typed, none at the start or the end (the line break
    a YAML ``|`` block ends with).  YAML has already joined the lines of a ``>`` block and of plain
    text that runs over several lines, as it defines them; what is left are the breaks meant."""
    out: list[str] = []
    for line in value.split("\n"):
        line = " ".join(line.split())
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def text_length(text: str) -> int:
    """How long *text* counts against a limit: a line break, or a blank line, as one space, so that
    how it is set out never decides whether it is too long."""
    return len(" ".join(text.split()))


def read_answer(v: Validator, value: Any, key: tuple, spec: FieldSpec) -> Answer | None:
    """The answer at *key*: text with its line breaks kept, or a list of points one level deep, each
    such a text; None after reporting what is wrong to *v*.  A list's limit counts all its points,
    one space between two: together they fill the cards as one text would."""
    if isinstance(value, dict):  # "Monday: both feet" on lines of their own, under "answer:"
        head, tail = next(iter(value.items()), ("Monday", "rest"))
        line = shorten(f"{head}: {tail}" if tail is not None else f"{head}:", 40)
        v.err(key, f"expected text or a list, got a mapping; to print lines such as '{line}' as written, "
                   f"put '|' after 'answer:' and the lines under it")
        return None
    if not isinstance(value, list):
        return v.text(value, key, spec, lines=spec.line_breaks)
    if not value:
        v.err(key, "is an empty list; write the answer, or its points each after a '- '")
        return None
    points: list[str | None] = []
    for i, item in enumerate(value):
        k = key + (i,)
        if item is None or (isinstance(item, str) and not item.strip()):
            v.err(k, "is empty; write the point after its '- ', or remove the line")
            points.append(None)
        elif isinstance(item, list):
            v.err(k, "expected text, got a list; an answer's points go one level deep, "
                     "so make each of these a point of its own")
            points.append(None)
        elif isinstance(item, dict) and len(item) > 1:  # "- Monday: both\n  Friday: rest" is read so
            v.err(k, "a point that contains ': ' must be put in double quotes")
            points.append(None)
        else:  # one "key: value" is reported by text() the same way, with the fix for curly quotes
            points.append(v.text(item, k, dataclasses.replace(spec, max_chars=0), lines=spec.line_breaks))
    written = [p for p in points if p is not None]
    if len(written) < len(points):
        return None
    length = sum(map(text_length, written)) + len(written) - 1
    if spec.max_chars and length > spec.max_chars:
        v.err(key, f"is {length} characters long (its {len(written)} points together); "
                   f"the limit is {spec.max_chars}")
        return None
    return tuple(written)
