"""What fitting each exercise's cards decided, kept for the deck: ``OUT/.cache/cards/<id>.json``.

A card file is made in a worker process, which fits the exercise's FAQ on cards (most of what
laying cards out costs: :mod:`handouts.layout.card_plan`).  The deck, made later in another
process, prints the same cards; rather than fitting them all again, it reads back what each
card file's making decided and sets the cards at once.  A record holds the plan (two type
sizes and the cuts between cards; about 250 bytes in all), a SHA-256 of the exercise it was fitted
for (:func:`exercise_key`), and the key of everything else fitting depends on
(:func:`settings_key`): the card sheet, the theme, the build's language, the program's own
source and ReportLab's version.  A record whose keys differ is not used, and the deck fits
those cards itself.

One record per exercise id, replaced when its card file is made again, so the folder holds
one small file per exercise with cards.  The cache is never a source of truth: a record that
is missing, damaged or of another format only costs the deck time.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from handouts import program_digest
from handouts.content.exercise import Exercise
from handouts.errors import OutputError
from handouts.layout.card_plan import CardPlan
from handouts.outputs.base import OutputSettings
from handouts.write import atomic_write_bytes, output_path

#: The records' format: a record of another format is not read.
FORMAT = 1
#: A record larger than this is not read (one exercise's is about 250 bytes).
MAX_BYTES = 64 * 1024


def plans_folder(out_dir: Path) -> Path:
    return Path(out_dir) / ".cache" / "cards"


@lru_cache(maxsize=1)
def _program() -> str:
    """The package's own source (the manifest's :func:`handouts.program_digest`) and ReportLab's version:
    a change to how cards are fitted is a new key."""
    from reportlab import Version as reportlab_version  # here, not above: see handouts.outputs

    return hashlib.sha256(f"{program_digest()} reportlab {reportlab_version}".encode()).hexdigest()


def settings_key(settings: OutputSettings) -> str:
    """A SHA-256 of everything besides the exercise that fitting its cards depends on."""
    return _settings_key(repr(settings.sheet), repr(settings.theme), settings.language)


@lru_cache(maxsize=8)
def _settings_key(sheet: str, theme: str, language: str | None) -> str:
    blob = json.dumps({"format": FORMAT, "program": _program(), "sheet": sheet, "theme": theme, "language": language})
    return hashlib.sha256(blob.encode()).hexdigest()


def exercise_key(ex: Exercise) -> str:
    """A SHA-256 of everything *ex* says (in the language it is printed in), but not where it was read
    from: a project read from another folder, or its file renamed, keeps its plans."""
    said = tuple((f.name, getattr(ex, f.name)) for f in fields(ex) if f.repr and f.name != "source")
    return hashlib.sha256(repr(said).encode()).hexdigest()


def _path(settings: OutputSettings, exercise_id: str) -> Path:
    return output_path(settings.out_dir, ".cache", "cards", f"{exercise_id}.json")


def store(settings: OutputSettings, ex: Exercise, plan: CardPlan) -> None:
    """Keep *plan*, fitted for *ex* (as printed: in the build's language) under *settings*; a record
    that cannot be written (a full disk, a read-only folder) is left out: it only costs the deck time."""
    record = {"format": FORMAT, "exercise": exercise_key(ex), "settings": settings_key(settings),
              "question_size": plan.question_size, "answer_size": plan.answer_size,
              "cuts": [[list(cut) for cut in cuts] for cuts in plan.cuts]}
    data = json.dumps(record).encode()
    try:
        path = _path(settings, ex.id)
        if _read(path) != data:  # making a file costs this machine 0.2-0.5 ms; reading one, 0.02
            atomic_write_bytes(path, data, durable=False)
    except (OutputError, OSError):
        pass


def load(settings: OutputSettings, ex: Exercise) -> CardPlan | None:
    """The plan kept for *ex* (as printed) under *settings*, or None: none kept, or kept for what
    its file said before, or under other settings, or damaged."""
    try:
        data = _read(_path(settings, ex.id))
        record = json.loads(data) if data is not None else None
    except (OutputError, ValueError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT \
            or record.get("settings") != settings_key(settings) or record.get("exercise") != exercise_key(ex):
        return None
    return _plan(record)


def _read(path: Path) -> bytes | None:
    """The bytes of the record at *path*, or None (none there, unreadable, or too large to be one)."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError:
        return None
    return data if len(data) <= MAX_BYTES else None


def _plan(record: dict[str, Any]) -> CardPlan | None:
    """The plan a record holds, or None when it is not of the expected shape."""
    q_size: Any = record.get("question_size")
    a_size: Any = record.get("answer_size")
    cuts: Any = record.get("cuts")
    if not (_size(q_size) and _size(a_size) and isinstance(cuts, list)
            and all(isinstance(item, list) and all(_cut(cut) for cut in item) for item in cuts)):
        return None
    return CardPlan(q_size, a_size, tuple(tuple((cut[0], cut[1]) for cut in item) for item in cuts))


def _size(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


def _cut(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and \
        all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in value)
