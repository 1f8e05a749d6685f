"""What the last builds made from what: so that a rebuild redoes only what changed.

One record per file written, whatever its kind (see :mod:`handouts.outputs.base`). A file is
up to date when the digest of its inputs is the same (for a handout: its content file's
bytes), the settings and the tool that made it are the same (the fingerprint: the options
and the hash of the package's own source), every other file it read (its pictures) has the
same size and modification time (or the same bytes, if only the time moved), and the file
itself is still there with the bytes written (its digest, compared on every build). Then its
exercise is not even parsed: the warnings are replayed from here, so a rebuild reports
exactly what a full build would. Each record keeps its own fingerprint, so ``handouts
calibrate`` or a build with other options does not make every other file look stale. The
file lives in ``OUT/.cache/manifest.json`` and is replaced atomically; a missing or
unreadable manifest just means a full build.  Its paths are relative (see :class:`Anchors`):
a project folder moved or renamed is not built again.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from handouts import program_digest
from handouts.errors import Problem
from handouts.content.load import read_regular
from handouts.render.reads import FileStamp
from handouts.write import atomic_write_text

FORMAT = 4  # 4: paths relative to the output and project folders
#: A manifest larger than this is not read (868 exercises' records are about 1 MB).
MAX_BYTES = 256 * 1024 * 1024


#: The package's own source (see :func:`handouts.program_digest`): a code change still rebuilds.
_program_hash = program_digest


def options_fingerprint(settings: dict) -> str:
    """A hash of everything besides the content that changes the output."""
    blob = json.dumps({"settings": settings, "program": _program_hash()}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class Record:
    """One output file's last making."""

    kind: str                     # the output kind that made it ("handout")
    source: str | None            # the content or program file it was made from (its path), or None
    inputs: str                   # the digest of what it was made from (see outputs.base.Planned)
    settings: str                 # the options fingerprint it was made under
    output: FileStamp             # size -1: made empty, so absent on purpose
    reads: list[FileStamp] = field(default_factory=list)   # pictures and other files read
    warnings: list[list] = field(default_factory=list)     # Problem fields (notices too)
    count: int = 0

    def problems(self) -> list[Problem]:
        return [Problem(*w) for w in self.warnings]

    def up_to_date(self, inputs: str, settings: str) -> bool:
        return (inputs == self.inputs and settings == self.settings and self.output.unchanged()
                and all(stamp.still_valid() for stamp in self.reads))

    def written_by_us(self) -> bool:
        """The file is there with the bytes a build wrote: safe to remove when its source is gone."""
        return self.output.size != -1 and self.output.still_valid(by_bytes=True)


def _is(value: object, *kinds: type) -> bool:
    """*value* is one of *kinds* (an int is never a bool here, as JSON's true is no size; a string never
    holds a NUL, which no path has)."""
    return isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds) \
        and not (isinstance(value, str) and "\0" in value)


def _valid_stamp(value: object) -> bool:
    """A FileStamp's fields; ``ctime_ns`` only on an output's stamp, and not in an older manifest's."""
    return (isinstance(value, dict) and set(value) - {"ctime_ns"} == {"path", "size", "mtime_ns", "sha256"}
            and _is(value["path"], str) and _is(value["size"], int) and _is(value["mtime_ns"], int)
            and _is(value["sha256"], str) and _is(value.get("ctime_ns", 0), int))


def _valid_warning(value: object) -> bool:
    """A Problem's fields: path, line, field, message, notice."""
    return (isinstance(value, list) and len(value) == 5 and _is(value[0], str)
            and (value[1] is None or _is(value[1], int)) and (value[2] is None or _is(value[2], str))
            and _is(value[3], str) and (value[4] is None or _is(value[4], str)))


def _valid_record(value: object) -> bool:
    """Every field of a :class:`Record`, of its type: a manifest edited by hand or damaged on disk
    (valid JSON of another shape) is not half-trusted."""
    return (isinstance(value, dict) and set(value) == {"kind", "source", "inputs", "settings", "output", "reads",
                                                       "warnings", "count"}
            and _is(value["kind"], str) and (value["source"] is None or _is(value["source"], str))
            and _is(value["inputs"], str) and _is(value["settings"], str) and _valid_stamp(value["output"])
            and isinstance(value["reads"], list) and all(map(_valid_stamp, value["reads"]))
            and isinstance(value["warnings"], list) and all(map(_valid_warning, value["warnings"]))
            and _is(value["count"], int))


def _valid_key(key: object) -> bool:
    """A record's key: a file's path under the output folder, relative and going nowhere above it."""
    return isinstance(key, str) and _is(key, str) and bool(key) and not key.startswith("/") \
        and ".." not in key.split("/")


def _stored_stamp(stamp: FileStamp, anchor: str) -> dict:
    stored = {"path": os.path.relpath(stamp.path, anchor), "size": stamp.size, "mtime_ns": stamp.mtime_ns,
              "sha256": stamp.sha256}
    if stamp.ctime_ns:
        stored["ctime_ns"] = stamp.ctime_ns
    return stored


@dataclass(frozen=True)
class Anchors:
    """Where the manifest's paths start, so that a project moved or renamed as a whole is still up to
    date: an output's path from the output folder (*out_dir*), and a file read (its source, its
    pictures) from the *project* folder, the one holding ``content/``.  Both absolute; on disk the
    paths are relative (``../x`` for a file outside), in memory absolute again."""

    out_dir: str
    project: str

    def stored(self, record: Record) -> dict:
        """*record* as saved: its paths relative (built field by field: ``dataclasses.asdict`` deep-copies
        every value, a third of the time of saving 2,600 records)."""
        return {"kind": record.kind,
                "source": None if record.source is None else os.path.relpath(record.source, self.project),
                "inputs": record.inputs, "settings": record.settings,
                "output": _stored_stamp(record.output, self.out_dir),
                "reads": [_stored_stamp(stamp, self.project) for stamp in record.reads],
                "warnings": record.warnings, "count": record.count}

    def record(self, value: dict) -> Record:
        """A saved record (of a valid shape: see :func:`_valid_record`) with its paths absolute again."""
        def absolute(anchor: str, path: str) -> str:
            return os.path.normpath(os.path.join(anchor, path))  # relpath's inverse, lexically as it was made

        output = FileStamp(**{**value["output"], "path": absolute(self.out_dir, value["output"]["path"])})
        reads = [FileStamp(**{**stamp, "path": absolute(self.project, stamp["path"])}) for stamp in value["reads"]]
        source = None if value["source"] is None else absolute(self.project, value["source"])
        return Record(**{**value, "output": output, "reads": reads, "source": source})


@dataclass
class Manifest:
    records: dict[str, Record] = field(default_factory=dict)   # key: the file's path under the output folder
    damaged: bool = False  # there was one, of this format, but not of a manifest's shape: started afresh

    @classmethod
    def load(cls, path: Path, anchors: Anchors) -> "Manifest":
        """The manifest at *path*, or an empty one when it is missing or of another format (an older
        version's), or damaged (then marked so: the build says it makes everything again)."""
        try:
            raw = read_regular(Path(path), MAX_BYTES)[0]  # a pipe there never hangs the build
        except (FileNotFoundError, IsADirectoryError):  # none; or a folder in its way, which saving says
            return cls()
        except (OSError, ValueError):  # unreadable, no regular file, far too big: start over, and say so
            return cls(damaged=True)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested deeper than the parser goes
            return cls(damaged=True)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            return cls(damaged=not isinstance(data, dict) or "format" not in data)
        records = data.get("records")
        if not isinstance(records, dict) or not all(_valid_key(k) and _valid_record(v) for k, v in records.items()):
            return cls(damaged=True)
        return cls({key: anchors.record(value) for key, value in records.items()})

    def save(self, path: Path, anchors: Anchors) -> None:
        """Write the manifest to *path* atomically, its paths relative to *anchors*; nothing is written
        when the file already says the same."""
        records = {key: anchors.stored(record) for key, record in sorted(self.records.items())}
        text = json.dumps({"format": FORMAT, "records": records}, indent=0, sort_keys=True)
        try:
            if read_regular(Path(path), MAX_BYTES)[0] == text.encode("utf-8"):
                return  # a build that changed nothing leaves the output folder untouched
        except (OSError, ValueError):  # not there, or a pipe in its place: replaced by the rename
            pass
        atomic_write_text(path, text, durable=False, private=True)  # its warnings may quote a program
