"""Unknown keys: a slip of a known key is an error, any other unknown key a warning.

A key the schema does not know is ignored, and so is everything under it.  When it is a
word of its own (``note:`` on a picture) a warning is enough.  When it is a known key typed
a little wrong (``cautoin:``, ``Tips:``, ``instrutions:``) the writer meant that field, and
ignoring it would print a handout without its caution box or tips while the build reports
success; so a slip is an error for its file, which is then not built, as the issue asked:
safety text must never be optional.  The same rule serves content files, programs and
``clinic.yaml``, which all read their keys through :class:`handouts.content.exercise.Validator`.

A slip is the same key but for case, ``-`` or a space for ``_`` (``Tips``, ``card-size``), or
one edit away (a letter added, left out, changed, or two neighbouring letters swapped) from a
known key of up to five letters (``tip``, ``rep``, ``answr``), two from a longer one
(``cautoin`` is one swap, ``instrutions`` one letter left out, ``descripton``, ``equiptment``).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

#: Known keys of up to this many letters allow one edit; longer ones two.
SHORT_KEY = 5


def _folded(name: str) -> str:
    return name.casefold().replace("-", "_").replace(" ", "_")


def edit_distance(a: str, b: str) -> int:
    """Edits that turn *a* into *b*: a letter inserted, deleted or changed, or two neighbours swapped,
    each counting one (the optimal string alignment distance)."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        above, row = row, [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
        before = above
    return row[-1]


def near_miss(name: Any, known: Iterable[str]) -> str | None:
    """The known key *name* is a slip of (see the module's docstring), or None when it is none's.

    The nearest wins; of two as near, the one declared first."""
    if not isinstance(name, str):
        return None
    typed = _folded(name)
    best: tuple[int, str] | None = None
    for key in known:
        distance = edit_distance(typed, _folded(key))
        allowed = 1 if len(key) <= SHORT_KEY else 2
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, key)
    return best[1] if best else None


def slip_message(typed: str, meant: str) -> str:
    """What an error about the slip *typed* (as shown, perhaps cut) of the known key *meant* says."""
    if _folded(typed) == _folded(meant):  # Tips, CAUTION, card-size: only the way it is written
        how = " in lower case" if typed.lower() == meant else ""
        return f"unknown key '{typed}': write it{how} as '{meant}'; a key written otherwise is not read"
    return f"unknown key '{typed}': did you mean '{meant}'? Correct the spelling; a misspelt key is not read"


def suggest(name: Any, known: Iterable[str]) -> str:
    """``"; did you mean 'tips'?"`` for an unknown key that looks like a known one, else ``""``."""
    close = difflib.get_close_matches(str(name), list(known), n=1, cutoff=0.7)  # not 'author' for 'caution'
    return f"; did you mean '{close[0]}'?" if close else ""
