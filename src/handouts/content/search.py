"""Finding an exercise by the words a clinician types: ``handouts list --search`` and the
suggestions for a program's unknown id.

Titles and file names differ ("Butt Lift (Bridge)" is ``butt-lift-bridge``), and people type
without accents or capitals, so text is compared *folded*: Unicode NFKD with the combining
marks dropped, then casefolded (``Élévation`` and ``elevation`` are one word, ``Straße`` is
``strasse``).  A typed word matches a word of the text that starts with it, so ``hamstring``
finds "Hamstrings" and ``stretch`` finds "Stretching".

The ranking rule (the README's "Finding an exercise" says it to users):

1. an exercise is listed when every typed word matches it somewhere; when none matches every
   word, the exercises matching the most words are listed;
2. each word counts where it matches best: in the title (3), in the tags, targets or summary
   (2), or only in the steps or description (1); more points rank first, so title matches come
   above tag and summary matches, which come above step matches;
3. ties go to the title holding more of the typed words as whole words ("bridge" ranks
   "Glute Bridge" above "London Bridges"), then to a title holding the typed words in the
   order typed, then to the shorter title, then alphabetically by title.

Pure functions of text: nothing here reads files or imports ReportLab.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from handouts.content.exercise import Exercise

#: How much a typed word is worth by where it matches (rule 2 above).
TITLE, TAGS, STEPS = 3, 2, 1

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """*text* for comparing: NFKD, combining marks dropped, casefolded (``"Élan"`` -> ``"elan"``)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words(text: str) -> list[str]:
    """The folded words of *text*: runs of letters and digits (``"Butt-Lift (Bridge)"`` ->
    ``["butt", "lift", "bridge"]``)."""
    return _WORD.findall(fold(text).replace("_", " "))


def index_entry(exercise: Exercise) -> dict[str, Any]:
    """What ``handouts list``, the front desk and the catalogue know of *exercise* without parsing
    its file again: its headline fields and its folded words by tier (JSON-able, a few hundred
    bytes).  Made where the file is validated (a build's worker) and kept in the library index."""
    return {
        "title": exercise.title, "level": exercise.level, "category": exercise.category,
        "language": exercise.language, "faq": len(exercise.faq),
        "targets": list(exercise.targets), "equipment": list(exercise.equipment), "tags": list(exercise.tags),
        "images": [image.file for image in exercise.images],
        "title_words": words(exercise.title),
        "middle_words": sorted({w for text in (*exercise.tags, *exercise.targets, exercise.category or "",
                                                exercise.summary or "") for w in words(text)}),
        "step_words": sorted({w for text in (*exercise.instructions, *exercise.description) for w in words(text)}),
    }


@dataclass(frozen=True)
class Searchable:
    """An exercise's text as the search reads it, folded into words once: ``title`` words in order,
    the ``middle`` tier (tags, targets, category, summary) and the ``steps`` tier (steps,
    description), each of those two sorted and without repeats (so a prefix is found by bisection)."""

    title: tuple[str, ...]
    middle: tuple[str, ...]
    steps: tuple[str, ...]

    @classmethod
    def of(cls, title: str, middle: Iterable[str] = (), steps: Iterable[str] = ()) -> "Searchable":
        return cls(tuple(words(title)), tuple(sorted({w for text in middle for w in words(text)})),
                   tuple(sorted({w for text in steps for w in words(text)})))


def _matches(typed: str, found: Sequence[str], ordered: bool = True) -> bool:
    """Whether a word of *found* starts with *typed*; *found* sorted unless *ordered* is off."""
    if not ordered:
        return any(word.startswith(typed) for word in found)
    at = bisect_left(found, typed)
    return at < len(found) and found[at].startswith(typed)


def _in_order(typed: Sequence[str], title: Sequence[str]) -> bool:
    """Whether the typed words match consecutive words of the title, in the order typed."""
    n = len(typed)
    return any(all(title[i + k].startswith(typed[k]) for k in range(n)) for i in range(len(title) - n + 1))


@dataclass(frozen=True, order=True)
class Score:
    """How well an exercise matches a query; a greater score ranks first (rule 1, 2, 3)."""

    matched: int        # typed words found anywhere
    points: int         # each word's best tier, summed
    whole: int          # typed words that are whole words of the title
    in_order: bool      # the title has the typed words together, in the order typed
    shortness: int      # minus the title's length in words


def score(query: Sequence[str], entry: Searchable) -> Score:
    """The score of *entry* for the folded *query* words (see :func:`words`)."""
    matched = points = 0
    for typed in query:
        tier = (TITLE if _matches(typed, entry.title, False) else TAGS if _matches(typed, entry.middle)
                else STEPS if _matches(typed, entry.steps) else 0)
        matched += tier > 0
        points += tier
    whole = sum(typed in entry.title for typed in query)
    return Score(matched, points, whole, bool(query) and _in_order(query, entry.title), -len(entry.title))


def rank(query: str, entries: Mapping[str, Searchable], titles: Mapping[str, str]) -> list[str]:
    """The ids of *entries* that *query* finds, best first, by the module's rule.

    *titles* (id -> title as written) breaks the last ties alphabetically.  An empty query
    (no letters or digits) finds nothing.
    """
    typed = list(dict.fromkeys(words(query)))
    if not typed:
        return []
    scored = {key: score(typed, entry) for key, entry in entries.items()}
    best = max((s.matched for s in scored.values()), default=0)
    if best == 0:
        return []
    found = [key for key, s in scored.items() if s.matched == best]
    return sorted(found, key=lambda key: (_descending(scored[key]), fold(titles.get(key, key)), key))


def _descending(s: Score) -> tuple[int, int, int, int, int]:
    return (-s.matched, -s.points, -s.whole, -int(s.in_order), -s.shortness)


def by_title(typed_id: str, titles: Mapping[str, str], limit: int = 3) -> list[str]:
    """The ids whose titles hold every word of *typed_id* (``butt-lift`` finds ``butt-lift-bridge``,
    "Butt Lift (Bridge)"), best first by :func:`rank`'s rule; at most *limit*."""
    typed = words(typed_id)
    if not typed:
        return []
    entries = {key: Searchable(tuple(words(title)), (), ()) for key, title in titles.items()}
    found = [key for key in rank(typed_id, entries, titles) if score(typed, entries[key]).matched == len(typed)]
    return found[:limit]
