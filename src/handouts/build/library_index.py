"""The library at a glance: one small record per content file, kept in ``output/.cache/library-index.json``.

``handouts list`` must answer in well under half a second on an 868-exercise library, and
parsing and validating 868 YAML files takes seconds.  So what the list shows and searches
(title, level, targets, equipment, pictures, FAQ count, language, tags, and the folded words
of the title, summary and steps) is kept per content file under the SHA-256 of the bytes it
was read from.  A file whose bytes are unchanged is never parsed again; one that changed, or
is new, is read and validated as a build reads it, and the index is saved again.

The index is a cache, never a record: one that cannot be read, is of another version or shape,
or whose entries are not as this module writes them is thrown away and made again from the
content files (see :func:`load_index`).  Nothing here imports ReportLab, and a fresh index
does not even import YAML: the list stays quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Iterable, Sequence
from typing import Any

from handouts.content.search import Searchable, index_entry
from handouts.errors import Problem, display_path

#: The index's format: an index of another version is made again.
VERSION = 1
INDEX_NAME = "library-index.json"
#: What a content file is named (as :func:`handouts.build.gather.yaml_files` says; not imported,
#: as that module brings the whole build with it).
_SUFFIXES = (".yaml", ".yml")
#: The largest content file read (content.load's MAX_FILE_BYTES; a larger one goes the slow way,
#: which says so).
_QUICK_LIMIT = 256 * 1024


@dataclass(frozen=True)
class Entry:
    """One exercise as the list shows it; ``pictures`` is the number named, ``missing`` the
    number of those not found in ``assets/``."""

    id: str
    title: str
    level: str | None
    category: str | None
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    tags: tuple[str, ...]
    images: tuple[str, ...]
    faq: int
    language: str | None
    source: str                      # the content file, as shown (relative to the working folder)
    searchable: Searchable = field(repr=False, compare=False, default=Searchable((), (), ()))


@dataclass
class Library:
    """The entries of the files that validate, and the errors of those that do not, in file order."""

    entries: list[Entry]
    errors: list[Problem]
    house_language: str = "en"       # clinic.yaml's language:, for content that names none
    rebuilt: bool = False            # the index was missing or damaged and was made again
    parsed: int = 0                  # content files read and validated this time (0: all from the index)


def index_path(out_dir: Path) -> Path:
    return Path(out_dir) / ".cache" / INDEX_NAME


def load_index(path: Path) -> dict[str, Any] | None:
    """The saved index, or None when it is missing or damaged: a damaged index is made again, never
    half-trusted.  The file is a line of JSON holding the SHA-256 of what follows it, then the index
    as JSON; damage is a digest that differs (cut short, edited), text that is not JSON, another
    version, or records of another shape."""
    try:
        head, _, body = Path(path).read_bytes().partition(b"\n")
        if json.loads(head) != {"version": VERSION, "sha256": hashlib.sha256(body).hexdigest()}:
            return None
        data = json.loads(body)
    except (OSError, ValueError):
        return None
    if not (isinstance(data, dict) and isinstance(data.get("files"), dict)):
        return None
    if not all(isinstance(k, str) and _valid_record(v) for k, v in data["files"].items()):
        return None
    return data


def _valid_record(record: Any) -> bool:
    if not (isinstance(record, dict) and isinstance(record.get("digest"), str)):
        return False
    errors, entry = record.get("errors"), record.get("entry")
    if entry is None:
        return isinstance(errors, list) and bool(errors) and all(
            isinstance(e, list) and len(e) == 3 and isinstance(e[2], str) for e in errors)
    return (isinstance(entry, dict) and set(entry) == _ENTRY_KEYS and isinstance(entry["title"], str)
            and type(entry["faq"]) is int and all(entry[k] is None or isinstance(entry[k], str) for k in _TEXT_KEYS)
            and all(isinstance(entry[k], list) and all(isinstance(x, str) for x in entry[k]) for k in _LIST_KEYS))


_LIST_KEYS = ("targets", "equipment", "tags", "images", "title_words", "middle_words", "step_words")
_TEXT_KEYS = ("level", "category", "language")
_ENTRY_KEYS = {"title", "faq", *_TEXT_KEYS, *_LIST_KEYS}


def _quick_read(path: Path) -> bytes | None:
    """The bytes of a regular content file within the limit; None for anything else (a folder, a
    pipe, a broken link, a huge file), which the slow way reads and reports as the build does."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _QUICK_LIMIT:
            return None
        data = b""
        while len(data) <= _QUICK_LIMIT and (chunk := os.read(fd, _QUICK_LIMIT + 1 - len(data))):
            data += chunk
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) <= _QUICK_LIMIT else None


def _record(path: Path, raw: bytes | None) -> dict[str, Any]:
    """A content file read and validated as a build reads it (imports the YAML reader)."""
    from handouts.content.exercise import validate
    from handouts.content.load import parse_file, read_file
    from handouts.errors import ContentError

    digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
    try:
        if raw is None:
            raw = read_file(path)  # raises ContentError saying why it cannot be read
            digest = hashlib.sha256(raw).hexdigest()
        exercise, _ = validate(parse_file(raw, display_path(path)), path.stem)
    except ContentError as exc:
        return record_of(digest, None, exc.problems)
    return record_of(digest, index_entry(exercise))


def record_of(digest: str, entry: dict[str, Any] | None, errors: Sequence[Problem] = ()) -> dict[str, Any]:
    """The index's record of a content file whose bytes have *digest*: the *entry* of the exercise
    they hold (:func:`handouts.content.search.index_entry`), or the *errors* that stop it ("" as the
    digest: a file never to be taken from the index)."""
    if entry is None:
        return {"digest": digest, "entry": None,
                "errors": [[p.line, p.field, p.message] for p in errors] or [[None, None, "cannot be read"]]}
    return {"digest": digest, "entry": entry}


def remember(content_dir: Path, out_dir: Path,
             read: Iterable[tuple[Path, str, dict[str, Any] | None, Sequence[Problem]]], whole: bool) -> None:
    """Bring the index up to date with what a build has just read and validated anyway: each
    (content file, digest of its bytes, its index entry or None, its errors); a *whole* build also drops
    the files that are gone.  Files the build did not parse keep their records (the list reads any
    it lacks, and drops those gone).  A build that parsed nothing leaves the index alone, so a build
    with nothing to do stays as quick.  Never raises: the index is a cache."""
    read = list(read)
    if not read:
        return
    where = index_path(out_dir)
    saved = load_index(where)
    files: dict[str, Any] = dict(saved["files"]) if saved else {}
    before = dict(files)
    try:
        folder = Path(content_dir).resolve()
        for path, digest, entry, errors in read:
            if Path(path).parent.resolve() == folder and digest:  # a file named from elsewhere is not listed
                files[Path(path).name] = record_of(digest, entry, errors)
    except OSError:
        return
    if whole:
        present = {path.name for path in content_names(content_dir)}
        files = {name: record for name, record in files.items() if name in present}
    if files != before or saved is None:
        _save(where, {"files": files, "clinic_digest": saved.get("clinic_digest") if saved else None,
                      "clinic_language": saved.get("clinic_language") if saved else None})


def _entry(path: Path, shown: str, record: dict[str, Any]) -> Entry:
    e = record["entry"]
    return Entry(id=path.stem, title=e["title"], level=e["level"], category=e["category"],
                 targets=tuple(e["targets"]), equipment=tuple(e["equipment"]), tags=tuple(e["tags"]),
                 images=tuple(e["images"]), faq=e["faq"],
                 language=e["language"], source=shown,
                 searchable=Searchable(tuple(e["title_words"]), tuple(e["middle_words"]), tuple(e["step_words"])))


def content_names(content_dir: Path) -> list[Path]:
    """The content files of *content_dir*, as a build finds them (YAML names, hidden ones left out)."""
    try:
        names = os.listdir(content_dir)
    except OSError:
        return []
    return [Path(content_dir) / n for n in sorted(names)
            if n.lower().endswith(_SUFFIXES) and not n.startswith(".")]


def read_library(content_dir: Path, out_dir: Path, save: bool = True) -> Library:
    """Every content file of *content_dir* as the list shows it, from the index in *out_dir* where the
    file's bytes are unchanged, read and validated where not; the index saved again when anything
    changed (unless *save* is off, or the output folder cannot be written: the index is a cache).

    Raises HandoutsError when *content_dir* is not a folder.
    """
    from handouts.errors import HandoutsError

    if not Path(content_dir).is_dir():
        raise HandoutsError(f"{display_path(content_dir)}: no such folder (use --content DIR)")
    where = index_path(out_dir)
    saved = load_index(where)
    old: dict[str, Any] = saved["files"] if saved else {}
    files: dict[str, Any] = {}
    library = Library([], [], rebuilt=saved is None)
    folder = display_path(content_dir)  # once: each file is shown as folder/name (as a build shows it)
    for path in content_names(content_dir):
        raw = _quick_read(path)
        digest = hashlib.sha256(raw).hexdigest() if raw is not None else None
        record = old.get(path.name)
        if digest is None or record is None or record["digest"] != digest:
            record = _record(path, raw)
            library.parsed += 1
        if record["digest"]:
            files[path.name] = record
        if record["entry"] is None:
            shown = str(Path(folder) / path.name)
            library.errors += [Problem(shown, line if isinstance(line, int) else None,
                                       where_ if isinstance(where_, str) else None, message)
                               for line, where_, message in record["errors"]]
        else:
            library.entries.append(_entry(path, str(Path(folder) / path.name), record))
    library.house_language, clinic_digest = _house_language(Path(content_dir), saved)
    if save and (saved is None or files != old or clinic_digest != saved.get("clinic_digest")):
        _save(where, {"files": files, "clinic_digest": clinic_digest, "clinic_language": library.house_language})
    return library


def _house_language(content_dir: Path, saved: dict[str, Any] | None) -> tuple[str, str]:
    """clinic.yaml's ``language:`` (beside the content folder), else English; from the index while
    clinic.yaml's bytes are unchanged.  A clinic file with mistakes counts as English here: the list
    only shows it, and a build says what is wrong with it.  Returns the language and clinic.yaml's digest."""
    path = content_dir.resolve().parent / "clinic.yaml"
    raw = _quick_read(path) if path.exists() else None
    digest = hashlib.sha256(raw).hexdigest() if raw is not None else ""
    if saved and saved.get("clinic_digest") == digest and isinstance(saved.get("clinic_language"), str):
        return str(saved["clinic_language"]), digest
    if raw is None:
        return "en", digest
    try:
        import yaml

        data = yaml.safe_load(raw)
    except Exception:  # noqa: BLE001 - any damage: English, and the build reports it
        return "en", digest
    language = data.get("language") if isinstance(data, dict) else None
    return (language.strip().lower() if isinstance(language, str) and language.strip() else "en"), digest


def _save(path: Path, data: dict[str, Any]) -> None:
    from handouts.errors import OutputError
    from handouts.write import atomic_write_bytes

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        head = json.dumps({"version": VERSION, "sha256": hashlib.sha256(body).hexdigest()}).encode("ascii")
        atomic_write_bytes(path, head + b"\n" + body, durable=False)
    except (OSError, OutputError):  # a cache: the next list reads the files again
        pass


def library_titles(content_dir: Path, out_dir: Path) -> dict[str, str]:
    """Each exercise's title by id, from the index (brought up to date): for suggesting an exercise
    by its title when a program names an unknown id.  {} when the content folder cannot be read."""
    from handouts.errors import HandoutsError

    try:
        return {entry.id: entry.title for entry in read_library(content_dir, out_dir).entries}
    except HandoutsError:
        return {}
