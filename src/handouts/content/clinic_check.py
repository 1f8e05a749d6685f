"""The ``check:`` block of ``clinic.yaml``: the thresholds ``handouts check`` holds a library to.

Every key is optional; the defaults are the plain-language guidance for patient material::

    check:
      grade: 8              # at most this reading grade (Flesch-Kincaid, Wiener Sachtextformel)
      reading_ease: 60      # at least this reading ease (Kandel-Moles; INFLESZ when not given: 55)
      step_words: 25        # words in one step
      sentence_words: 20    # words in one sentence
      caution_tags: [post-op, pregnancy]   # tags that call for a caution: (default: CAUTION_TAGS)

Sources of the defaults: a grade of 8 or less (the AMA's and NIH's advice for patient
material is 6th-8th grade); 20 words a sentence and 25 a step (the US Federal Plain Language
Guidelines, 2011, "write short sentences"; CDC Clear Communication Index, 2019).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from handouts.content.exercise import Validator, describe
from handouts.errors import shorten

_KEYS = ("grade", "reading_ease", "step_words", "sentence_words", "caution_tags")
#: key -> (least, most) a value may be: a grade is a school year, an ease a 0-100 score.
_RANGES = {"grade": (1, 20), "reading_ease": (0, 100), "step_words": (5, 200), "sentence_words": (5, 200)}


@dataclass(frozen=True)
class CheckSettings:
    """What ``handouts check`` flags.  *reading_ease* None: each formula's own pass mark
    (see :data:`handouts.content.readability.DEFAULT_TARGETS`); *caution_tags* None: the built-in list."""

    grade: float = 8.0
    reading_ease: float | None = None
    step_words: int = 25
    sentence_words: int = 20
    caution_tags: tuple[str, ...] | None = None


def read_check_settings(v: Validator, value: Any, key: tuple = ("check",)) -> CheckSettings | None:
    """The ``check:`` mapping of a clinic profile, every problem reported on *v* with its line."""
    if not isinstance(value, dict):
        v.err(key, f"expected a mapping (grade:, step_words:, ...), got {describe(value)}")
        return None
    v.unknown_keys(value, key, _KEYS)
    out: dict[str, Any] = {}
    for name, (least, most) in _RANGES.items():
        given = value.get(name)
        if given is None:
            continue
        whole = name.endswith("_words")
        if isinstance(given, bool) or not isinstance(given, (int, float)) or (whole and not isinstance(given, int)):
            shown = shorten(str(given), 20) if isinstance(given, (str, int, float)) else describe(given)
            v.err(key + (name,), f"'{shown}' is not {'a whole number' if whole else 'a number'}; "
                                 f"give one from {least} to {most}")
        elif not least <= given <= most:
            v.err(key + (name,), f"{given} is out of range; give one from {least} to {most}")
        else:
            out[name] = given
    tags = value.get("caution_tags")
    if tags is not None:
        if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
            v.err(key + ("caution_tags",), f"expected a list of tags, got {describe(tags)}")
        else:
            out["caution_tags"] = tuple(t.strip().lower() for t in tags)
    return CheckSettings(**out)
