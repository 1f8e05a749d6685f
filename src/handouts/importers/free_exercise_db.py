"""Turn a free-exercise-db ``exercises.json`` into content YAML files, one per exercise.

free-exercise-db (https://github.com/yuhonas/free-exercise-db, public domain) is a JSON
list of exercise objects (``id``, ``name``, ``instructions``, ``level``, ``category``,
``equipment``, ``force``, ``mechanic``, ``primaryMuscles``, ``secondaryMuscles``,
``images``) with its photos under ``exercises/<id>/0.jpg`` beside the JSON file.  Each
exercise becomes ``<content>/<slug of name>.yaml`` and its photos are copied to
``<assets>/<slug>/0.jpg`` and ``1.jpg``.

The rules are those of the text importer, adapted to a library of hundreds of entries:

* nothing is dropped silently: every field is mapped, and whatever cannot be carried
  over (a missing photo, an empty step, an unknown key) is one warning naming the id;
* one malformed entry is reported (with its index, id and line) and the others are
  still imported, but a file that is not valid JSON imports nothing;
* a content file that exists is never overwritten without ``force``, nor is a photo
  whose bytes differ from the one being copied;
* every file written loads and validates with :mod:`handouts.content.load` and
  :mod:`handouts.content.exercise`: content over the model's limits is split (a long step, at a
  sentence end) or left out with a warning, never written as an invalid file.

Entries are read in order in one pass; a file's lines are counted as it is parsed, so
every message about an entry names the line its ``{`` is on.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from handouts.content.exercise import FIELDS
from handouts.errors import Problem, SourceFormatError, display_path
from handouts.importers.common import (
    ImportResult,
    clean_text,
    copy_unless_different,
    not_overwritten,
    slugify,
    split_at_sentences,
    to_yaml,
    write_content,
)
from handouts.importers.json_list import describe, duplicate_keys, first_item, read_list
from handouts.write import output_path

_LIMITS = {spec.name: spec for spec in FIELDS}
MAX_STEPS = _LIMITS["instructions"].max_items  # 40
MAX_STEP_CHARS = _LIMITS["instructions"].max_chars  # 1200
MAX_TITLE_CHARS = _LIMITS["title"].max_chars
MAX_PICTURES = _LIMITS["images"].max_items  # 2
MAX_PICTURE_PATH = _LIMITS["images"].max_chars

#: The keys of one free-exercise-db exercise (its schema.json), in the order we map them.
KNOWN_KEYS = ("id", "name", "level", "category", "primaryMuscles", "secondaryMuscles", "equipment",
              "force", "mechanic", "instructions", "images")
#: Photos are listed relative to this folder beside the JSON file.
PHOTO_DIR = "exercises"

_SAFE_NAME = re.compile(r"[A-Za-z0-9_.-]{1,60}")
_PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png")


def _cut(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def looks_like_exercise_db(path: Path) -> bool:
    """Whether *path* is a file whose top level is a JSON list of objects with ``"name"`` and
    ``"instructions"`` (free-exercise-db's format), whatever its name: the content decides.
    Only the first entry is parsed, so this is cheap enough to call on every argument."""
    path = Path(path)
    if not path.is_file():
        return False
    first = first_item(path)
    return isinstance(first, dict) and "name" in first and "instructions" in first


# ------------------------------------------------------------------ one exercise


@dataclass
class _Entry:
    """One exercise as it is converted: its messages are collected here, then reported."""

    shown: str
    index: int  # 1-based, as messages count
    line: int | None
    raw: dict
    id: str = ""
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(Problem(self.shown, self.line, self.id, message))

    def error(self, key: str | None, message: str) -> None:
        where = f"entry {self.index}" + (f" ({self.id})" if self.id else "")
        self.errors.append(Problem(self.shown, self.line, f"{where}, {key}" if key else where, message))

    def skip(self, message: str) -> Problem:
        return Problem(self.shown, self.line, self.id, f"{message}; not imported")


def _check_types(entry: _Entry) -> None:
    """Every known key has the type the schema gives it (null allowed where it means 'none')."""
    raw = entry.raw
    for key in ("name", "level", "category", "equipment", "force", "mechanic"):
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            entry.error(key, f"expected text or null, got {describe(value)}")
    for key in ("instructions", "primaryMuscles", "secondaryMuscles", "images"):
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, list):
            entry.error(key, f"expected a list of text, got {describe(value)}")
            continue
        for i, item in enumerate(value, start=1):
            if not isinstance(item, str):
                entry.error(key, f"item {i}: expected text, got {describe(item)}")


def _text(entry: _Entry, value: str, what: str) -> str:
    text, removed = clean_text(value)
    if removed:
        entry.warn(f"{what}: control characters removed")
    return text


def _short(entry: _Entry, key: str, spec_name: str) -> str | None:
    """A one-line text field (level, category): folded; empty or too long is left out, with a warning."""
    value = entry.raw.get(key)
    if value is None:
        return None
    text = _text(entry, value, key)
    limit = _LIMITS[spec_name].max_chars
    if not text:
        entry.warn(f"{key} is empty; left out")
        return None
    if len(text) > limit:
        entry.warn(f"{key} '{_cut(text)}' is {len(text)} characters long (the limit is {limit}); left out")
        return None
    return text


def _words(entry: _Entry, values: list[tuple[str, str]], spec_name: str) -> list[str]:
    """(key, value) pairs as a deduplicated list within the model's item and length limits."""
    spec = _LIMITS[spec_name]
    out: list[str] = []
    for key, value in values:
        text = _text(entry, value, key)
        if not text:
            entry.warn(f"{key}: an empty item left out")
        elif len(text) > spec.max_chars:
            entry.warn(f"{key}: '{_cut(text)}' is {len(text)} characters long "
                       f"(the limit is {spec.max_chars}); left out")
        elif text not in out:
            out.append(text)
    if len(out) > spec.max_items:
        entry.warn(f"{spec_name}: {len(out)} items, the limit is {spec.max_items}; "
                   f"left out: {', '.join(out[spec.max_items:])}")
        out = out[: spec.max_items]
    return out


def _steps(entry: _Entry) -> list[str]:
    steps: list[str] = []
    for number, value in enumerate(entry.raw.get("instructions") or (), start=1):
        text = _text(entry, value, f"step {number}")
        if not text:
            entry.warn(f"step {number} is empty; left out")
            continue
        pieces = split_at_sentences(text, MAX_STEP_CHARS)
        if len(pieces) > 1:
            entry.warn(f"step {number} is {len(text)} characters long (the limit is {MAX_STEP_CHARS}); "
                       f"split into {len(pieces)} steps at sentence ends")
        steps.extend(pieces)
    return steps


def _convert(entry: _Entry) -> dict[str, Any] | str:
    """The content data of *entry* (no pictures yet), or why it cannot be imported."""
    raw = entry.raw
    for key in raw:
        if key not in KNOWN_KEYS:
            entry.warn(f"unknown key '{_cut(str(key))}' not imported")
    title = _text(entry, raw.get("name") or "", "name")
    if not title:
        return "no name"
    if len(title) > MAX_TITLE_CHARS:
        return f"name is {len(title)} characters long (the limit is {MAX_TITLE_CHARS})"
    steps = _steps(entry)
    if not steps:
        return "no instructions"
    if len(steps) > MAX_STEPS:
        return f"{len(steps)} steps (the limit is {MAX_STEPS}); split it into two exercises"
    data: dict[str, Any] = {"title": title}
    for key in ("level", "category"):
        value = _short(entry, key, key)
        if value is not None:
            data[key] = value
    muscles = [(key, m) for key in ("primaryMuscles", "secondaryMuscles") for m in raw.get(key) or ()]
    lists = {
        "targets": muscles,
        "equipment": [("equipment", raw["equipment"])] if raw.get("equipment") is not None else [],
        "tags": [(key, raw[key]) for key in ("force", "mechanic") if raw.get(key) is not None],
    }
    for name, values in lists.items():
        words = _words(entry, values, name)
        if words:
            data[name] = words
    data["instructions"] = steps
    return data


# ------------------------------------------------------------------ pictures


def _inside_and_regular(source: Path, root: Path) -> bool:
    """*source* is a regular file whose real path is inside *root* (links within the library are fine)."""
    try:
        real = source.resolve(strict=True)
        return root.resolve() in real.parents and stat.S_ISREG(real.stat().st_mode)
    except (OSError, RuntimeError):  # a loop of links, a file gone meanwhile
        return False


def _pictures(entry: _Entry, slug: str, photo_root: Path, assets_dir: Path, force: bool) -> list[str]:
    """Copy the entry's photos to ``<assets>/<slug>/``; return their paths relative to assets.

    Photos that are not there are one warning for the exercise; a different file
    already in assets is kept (without *force*) and still listed.
    """
    listed = list(entry.raw.get("images") or ())
    if len(listed) > MAX_PICTURES:
        entry.warn(f"{len(listed)} photos listed, a handout shows {MAX_PICTURES}; not imported: "
                   f"{', '.join(listed[MAX_PICTURES:])}")
        listed = listed[:MAX_PICTURES]
    out: list[str] = []
    missing: list[str] = []
    for number, image in enumerate(listed):
        rel = PurePosixPath(image.replace("\\", "/"))
        if rel.is_absolute() or not rel.parts or ".." in rel.parts:
            entry.warn(f"photo '{_cut(image, 80)}' is not inside {PHOTO_DIR}/; not imported")
            continue
        if rel.suffix.lower() not in _PICTURE_SUFFIXES:
            entry.warn(f"photo '{_cut(image, 80)}' is not a JPEG or PNG; not imported")
            continue
        source = photo_root.joinpath(*rel.parts)
        if not source.exists():
            missing.append(f"{PHOTO_DIR}/{rel}")
            continue
        if not _inside_and_regular(source, photo_root):  # a link to /etc/shadow in a downloaded library
            entry.warn(f"photo '{_cut(image, 80)}' is a link out of the library or not a regular file; "
                       f"not imported")
            continue
        name = rel.name if _SAFE_NAME.fullmatch(rel.name) else f"{number}{rel.suffix.lower()}"
        if f"{slug}/{name}" in out:
            name = f"{number}{rel.suffix.lower()}"
        ref = f"{slug}/{name}"
        if ref in out or len(ref) > MAX_PICTURE_PATH:
            entry.warn(f"photo '{_cut(image, 80)}' cannot be given a file name of its own; not imported")
            continue
        data = source.read_bytes()
        target = output_path(assets_dir, slug, name)
        if not copy_unless_different(target, data, force):
            entry.warn(f"{display_path(target)} exists and differs from {PHOTO_DIR}/{rel}; "
                       "not overwritten (use --force)")
        out.append(ref)
    if missing:
        entry.warn(f"photos not found: {', '.join(missing)}; imported without them" if len(missing) > 1
                   else f"photo not found: {missing[0]}; imported without it")
    return out


# ------------------------------------------------------------------ the library


def _file_name(entry: _Entry, title: str, claimed: dict[str, str]) -> str:
    """The content file's stem: the name's slug, else the id's, never one already claimed."""
    try:
        slug = slugify(title)
    except ValueError:
        slug = None
    if slug is not None and slug not in claimed:
        return slug
    try:
        fallback = slugify(entry.id)
    except ValueError:
        fallback = f"entry-{entry.index}"
    base, n = fallback, 1
    while fallback in claimed:
        n += 1
        fallback = f"{base}-{n}"
    if slug is None:
        entry.warn(f"name has no ASCII letters or digits for a file name; written as {fallback}.yaml")
    else:
        entry.warn(f"name gives the same file name {slug}.yaml as exercise {claimed[slug]}; "
                   f"written as {fallback}.yaml")
    return fallback


def import_exercise_db(path: Path, content_dir: Path, assets_dir: Path, force: bool = False) -> ImportResult:
    """Import every exercise of free-exercise-db's *path* (``exercises.json``).

    Writes ``<content_dir>/<slug>.yaml`` per exercise and copies its photos (looked up
    in ``exercises/`` beside *path*) to ``<assets_dir>/<slug>/``.  Returns the content
    files written; ``skipped``: exercises not imported (no instructions, a content file
    that exists without *force*); ``problems``: malformed entries (the others are still
    imported) or, for a file that is not valid JSON, the one syntax error (and nothing
    is written); ``warnings``: what was imported with something left out or changed.
    An unwritable folder raises OutputError (from :mod:`handouts.write`).
    """
    path, content_dir, assets_dir = Path(path), Path(content_dir), Path(assets_dir)
    shown = display_path(path)
    try:
        entries, read_warnings = read_list(path, shown, "exercises")
    except SourceFormatError as exc:
        return ImportResult(written=[], skipped=[], problems=exc.problems)
    photo_root = path.parent / PHOTO_DIR
    result = ImportResult(written=[], skipped=[], problems=[], warnings=list(read_warnings))
    if not entries:
        result.warnings.append(Problem(shown, None, None, "the list is empty; nothing to import"))
    claimed: dict[str, str] = {}  # file stem -> the id that has it
    first_line: dict[str, int | None] = {}  # id -> the line it first appears on
    for index, (line, raw) in enumerate(entries, start=1):
        entry = _Entry(shown, index, line, raw if isinstance(raw, dict) else {})
        if not isinstance(raw, dict):
            entry.error(None, f"expected an exercise object ({{...}}), got {describe(raw)}")
            result.problems.extend(entry.errors)
            continue
        ident = raw.get("id")
        entry.id = clean_text(ident)[0] if isinstance(ident, str) else ""
        if not entry.id:
            got = "empty text" if isinstance(ident, str) else describe(ident)
            entry.error("id", "missing" if ident is None else f"expected the exercise's id (text), got {got}")
        for key in duplicate_keys(raw):
            entry.error(_cut(key), "appears twice in this entry")
        _check_types(entry)
        if entry.errors:
            result.problems.extend(entry.errors)
            continue
        if entry.id in first_line:
            where = f"line {first_line[entry.id]}" if first_line[entry.id] else "an earlier entry"
            entry.warn(f"this id is used twice (first at {where})")
        first_line.setdefault(entry.id, line)

        data = _convert(entry)
        if isinstance(data, str):  # why not; what else was wrong with it does not matter now
            result.skipped.append(entry.skip(data))
            continue
        slug = _file_name(entry, data["title"], claimed)
        claimed[slug] = entry.id
        target = output_path(content_dir, f"{slug}.yaml")
        if target.exists() and not force:  # left alone: photos too
            result.skipped.append(not_overwritten(target))
            continue
        images = _pictures(entry, slug, photo_root, assets_dir, force)
        if images:  # right after the title, where the model's FIELDS put it
            data = {"title": data.pop("title"), "images": images, **data}
        source = f"free-exercise-db ({path.name}, id {entry.id})"
        write_content(target, to_yaml(data, source=source), force, result)  # skips one made since the check
        result.warnings.extend(entry.warnings)
    return result
