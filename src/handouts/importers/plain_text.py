"""Turn the plain-text exercise files clinics keep into content YAML files, and keep them in step.

Clinics write exercises as plain text (see :mod:`handouts.importers.text_reader` for what
is read where).  Each file is imported on its own: one with a mistake is reported with
every problem and its line, and the others are still written.  The text can stay the
master copy: importing it again with ``force`` rewrites the fields the text sets and keeps
every field it does not (a picture, a dose or tags added in the YAML).  Which fields came
from the text is recorded in the YAML's first comment, so a section deleted from the text
is deleted from the YAML too, while a field added by hand is never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handouts.errors import Problem, SourceFormatError, display_path
from handouts.importers.common import ImportResult, not_overwritten, read_text, slugify, to_yaml
from handouts.importers.text_reader import FIELD_ORDER, Reading, read_exercise_text
from handouts.write import atomic_write_text, write_new_text

#: The fields the plain-text format could always set: what an older import's YAML took from its text.
TEXT_FIELDS = ("title", "summary", "description", "instructions", "tips", "faq")
_HEADER = re.compile(r"^# Imported from (?P<source>.+?) by handouts import(?:; from the text: (?P<fields>[a-z, ]+))?")


def parse_exercise_text(text: str, path: str) -> dict:
    """Parse one plain-text exercise into content data (title, summary, ..., faq), in the content
    format's order.  Pure: *path* is only used in messages.  Raises SourceFormatError listing every
    line it could not place."""
    return read_exercise_text(text, path).data


@dataclass
class _Planned:
    source: str         # the text file, as shown
    target: Path        # the content file
    reading: Reading


@dataclass(frozen=True)
class TextImport(ImportResult):
    """An :class:`ImportResult` that also says, for each content file imported again, which fields
    changed and which were kept from the YAML (``{path: (changed, kept)}``), and which input files
    were not imported (as shown)."""

    updated: dict[Path, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)


def _merged(target: Path, reading: Reading) -> tuple[dict, tuple[str, ...], tuple[str, ...]] | None:
    """The content file at *target* with the text's fields laid over it, the fields that changed
    and those kept; None when it cannot be read as a mapping (it is then replaced whole)."""
    try:
        text = target.read_text(encoding="utf-8")
        old = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(old, dict):
        return None
    header = _HEADER.match(text)
    before = tuple(f.strip() for f in header["fields"].split(",")) if header and header["fields"] else TEXT_FIELDS
    merged = {k: v for k, v in old.items() if k not in before}  # kept: what the text never set
    merged.update(reading.data)
    if "image" in reading.data:
        merged.pop("images", None)  # the text's pictures replace the YAML's
    if "images" in reading.data:
        merged.pop("image", None)
    order = {name: i for i, name in enumerate(FIELD_ORDER)}
    merged = dict(sorted(merged.items(), key=lambda kv: order.get(str(kv[0]), len(order))))
    changed = tuple(k for k in merged if k in reading.data and old.get(k) != merged[k]) + \
        tuple(k for k in old if k in before and k not in merged)
    kept = tuple(str(k) for k in merged if k not in reading.data)
    return merged, changed, kept


def import_text_files(paths: list[Path], content_dir: Path, force: bool = False) -> TextImport:
    """Convert each text file in *paths* to ``<content_dir>/<slug of title>.yaml``, each on its own.

    A file with problems is reported (every problem, with its line) and not written; the others
    are.  An existing content file is skipped unless *force*; with it, the text's fields are laid
    over it and the rest kept (see the module's docstring).  Two inputs that would land on one
    file: the second is a problem.  An unwritable *content_dir* raises OutputError.
    """
    content_dir = Path(content_dir)
    result = TextImport(written=[], skipped=[], problems=[])
    claimed: dict[str, str] = {}  # file name -> "source:line" that claimed it
    planned: list[_Planned] = []
    for path in paths:
        shown = display_path(path)
        try:
            decoded = read_text(path, shown)
            result.warnings.extend(decoded.warnings)  # read as Windows-1252: said whether it is written or not
            reading = read_exercise_text(decoded.text, shown)
        except SourceFormatError as exc:
            result.problems.extend(exc.problems)
            result.failed.append(shown)
            continue
        title = reading.data["title"]
        try:
            name = f"{slugify(title)}.yaml"
        except ValueError:
            result.problems.append(Problem(shown, reading.title_line, "title", f"cannot make a file name from "
                                           f'"{title}": it has no ASCII letters or digits'))
            result.failed.append(shown)
            continue
        if name in claimed:
            result.problems.append(Problem(shown, reading.title_line, "title", f"gives the same file name {name} "
                                           f"as {claimed[name]}; make the titles differ"))
            result.failed.append(shown)
            continue
        claimed[name] = f"{shown}:{reading.title_line}"
        planned.append(_Planned(Path(path).name, content_dir / name, reading))
    for item in planned:
        _write(item, force, result)
    return result


def _write(item: _Planned, force: bool, result: TextImport) -> None:
    target, reading = item.target, item.reading
    if target.exists() and force and (merged := _merged(target, reading)) is not None:
        data, changed, kept = merged
        atomic_write_text(target, to_yaml(data, item.source, reading.mentioned))
        result.updated[target] = (changed, kept)
        result.written.append(target)
    elif write_new_text(target, to_yaml(reading.data, item.source, reading.mentioned), force=force):
        result.written.append(target)
    else:
        result.skipped.append(not_overwritten(target))
