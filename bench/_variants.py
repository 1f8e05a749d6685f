"""The libraries the benchmark builds besides the imported one: with a FAQ, and ten times over.

Made from the folder ``handouts import`` wrote, before any timed phase (their making is not timed):

* the FAQ library: every content file as imported, with a three-question ``faq:`` appended,
  each question made from the exercise itself (its title and first three targets), so that
  the same library always gets the same FAQ and a build makes 3 cards per exercise, the
  card files and the deck.  The questions are those of ``/work/ref/lib`` (the reference
  library of issue 19), byte for byte, so the bench's 1x FAQ build is that library's;
* the 10x library: the FAQ library ten times over.  Copy 1 is the FAQ library itself (same
  file names, same text, its pictures hard-linked); copy k of 2..10 is ``<id>-copy-<k>.yaml``
  titled "<title> (<k>)", its FAQ made from that title, and its pictures are copies whose
  bytes differ from every other copy's: a JPEG comment ("handouts bench copy k") goes after
  the JFIF header, so the picture decodes to the same pixels but has its own SHA-256.  Why
  copies and not the same files: our tool's picture cache is keyed by the bytes, so ten
  references to one file would prepare each picture once and the 10x build would do a tenth
  of the picture work of a real library ten times the size (1,500 photos).  Only the pictures
  are copied per copy; content and pictures are read from disk like any library's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader and dumper where PyYAML has them (setting up is not timed, but is quicker)
    from yaml import CSafeDumper as Dumper
    from yaml import CSafeLoader as Loader
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as Loader  # type: ignore[assignment]

FAQ_QUESTIONS = 3
COPIES = 10


def faq_for(exercise: dict[str, Any]) -> list[dict[str, str]]:
    """Three questions and answers about *exercise* (its content as loaded from YAML), made from
    its title and targets alone: the same exercise always gets the same FAQ."""
    title = exercise["title"]
    targets = ", ".join((exercise.get("targets") or [])[:3]) or "several muscles"
    return [
        {"question": f"What does {title} work?",
         "answer": f"It mainly works the {targets}. Move slowly and stop if it hurts."},
        {"question": "How often should I do it?",
         "answer": "Follow the dose your clinician gave you; most people do it once a day."},
        {"question": f"What if {title} feels too hard?",
         "answer": "Do fewer repetitions or a smaller range, and tell your clinician at your next visit."},
    ]


def _dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=1000)


def content_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml")) if folder.is_dir() else []


def faq_library(content: Path, dest: Path) -> int:
    """Every content file of *content* into *dest* with its FAQ appended; returns how many."""
    dest.mkdir(parents=True, exist_ok=True)
    files = content_files(content)
    for path in files:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=Loader)
        (dest / path.name).write_text(text + _dump({"faq": faq_for(data)}), encoding="utf-8")
    return len(files)


def tagged_jpeg(data: bytes, tag: str) -> bytes | None:
    """*data* (a JPEG) with a comment segment holding *tag* after its SOI and APP0 (JFIF) segments,
    or None when *data* is not a JPEG.  The pixels are unchanged; the bytes are new."""
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    if data[2:4] == b"\xff\xe0":  # keep JFIF's APP0 first, where readers look for it
        at = 4 + int.from_bytes(data[4:6], "big")
    payload = tag.encode("ascii")
    return data[:at] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + data[at:]


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _image_file(item: Any) -> str:
    return item["file"] if isinstance(item, dict) else str(item)


def _with_file(item: Any, file: str) -> Any:
    return {**item, "file": file} if isinstance(item, dict) else file


def tenfold_library(faq_content: Path, assets: Path, dest_content: Path, dest_assets: Path,
                    copies: int = COPIES) -> tuple[int, int, int]:
    """The FAQ library *copies* times over, into *dest_content* and *dest_assets* (see the module).

    Returns (exercises, pictures written, pictures that could not be made distinct: not JPEG,
    so copied as they are and shared by the cache).
    """
    dest_content.mkdir(parents=True, exist_ok=True)
    exercises = pictures = shared = 0
    for path in content_files(faq_content):
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=Loader)
        images = list(data.get("images") or ([data["image"]] if data.get("image") else []))
        for item in images:
            source = assets / _image_file(item)
            if source.is_file():
                _link_or_copy(source, dest_assets / _image_file(item))
                pictures += 1
        (dest_content / path.name).write_text(text, encoding="utf-8")
        exercises += 1
        for k in range(2, copies + 1):
            copy = {key: value for key, value in data.items() if key not in ("faq", "image", "images")}
            copy["title"] = f"{data['title']} ({k})"
            moved = []
            for item in images:
                name = _image_file(item)
                source = assets / name
                new_name = f"{Path(name).parent.as_posix()}-copy-{k}/{Path(name).name}" if "/" in name \
                    else f"copy-{k}-{name}"
                if source.is_file():
                    data_bytes = source.read_bytes()
                    tagged = tagged_jpeg(data_bytes, f"handouts bench copy {k}")
                    shared += tagged is None
                    target = dest_assets / new_name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(tagged if tagged is not None else data_bytes)
                    pictures += 1
                moved.append(_with_file(item, new_name))
            if moved:
                copy["images"] = moved
            copy["faq"] = faq_for(copy)
            (dest_content / f"{path.stem}-copy-{k}{path.suffix}").write_text(_dump(copy), encoding="utf-8")
            exercises += 1
    return exercises, pictures, shared
