"""What the last build made from what: so that a rebuild redoes only what changed.

An exercise is up to date when its content file has the same bytes, every picture it
named has the same size and modification time (or the same bytes, if only the time
moved), its output files are still there with the sizes written, and the build options
and the tool (its version and the hash of its own source) are the same.  Then it is
not even parsed: its warnings are replayed from here, so a rebuild reports exactly what
a full build would.  A client's program is up to date when its file, its date, the content
files of its exercises and their pictures are, and its PDF is intact.  The file lives in ``OUT/.cache/manifest.json`` and is replaced
atomically; a missing or unreadable manifest just means a full build.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from handouts import __version__
from handouts.errors import Problem
from handouts.write import atomic_write_text

FORMAT = 1


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _program_hash() -> str:
    """The package's own source: a code change without a version bump still rebuilds."""
    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + source.read_bytes())
    return digest.hexdigest()


def options_fingerprint(settings: dict) -> str:
    """A hash of everything besides the content that changes the output."""
    blob = json.dumps({"settings": settings, "program": _program_hash()}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass
class FileStamp:
    path: str
    size: int            # -1: the file did not exist
    mtime_ns: int
    sha256: str = ""

    @classmethod
    def of(cls, path: Path, with_hash: bool = True) -> "FileStamp":
        try:
            st = os.stat(path)
        except OSError:
            return cls(str(path), -1, 0)
        return cls(str(path), st.st_size, st.st_mtime_ns, file_hash(path) if with_hash else "")

    def still_valid(self) -> bool:
        try:
            st = os.stat(self.path)
        except OSError:
            return self.size == -1
        if self.size == -1 or st.st_size != self.size:
            return False
        if st.st_mtime_ns == self.mtime_ns:
            return True
        return bool(self.sha256) and file_hash(Path(self.path)) == self.sha256


@dataclass
class Entry:
    """One content file's last successful build."""

    content_sha256: str
    exercise_id: str
    pictures: list[FileStamp] = field(default_factory=list)
    outputs: list[FileStamp] = field(default_factory=list)   # sizes only
    warnings: list[list] = field(default_factory=list)       # Problem fields
    cards: int = 0

    def problems(self) -> list[Problem]:
        return [Problem(*w) for w in self.warnings]

    def up_to_date(self, content_sha256: str) -> bool:
        return (content_sha256 == self.content_sha256
                and all(stamp.still_valid() for stamp in self.pictures)
                and all(_output_intact(stamp) for stamp in self.outputs))


@dataclass
class ProgramEntry:
    """One program's last successful build: a digest of everything it was made from."""

    inputs: str                                              # see build._program_inputs
    output: FileStamp
    pictures: list[FileStamp] = field(default_factory=list)  # the pictures of its exercises
    warnings: list[list] = field(default_factory=list)

    def problems(self) -> list[Problem]:
        return [Problem(*w) for w in self.warnings]

    def up_to_date(self, inputs: str) -> bool:
        return (inputs == self.inputs and _output_intact(self.output)
                and all(stamp.still_valid() for stamp in self.pictures))


def _output_intact(stamp: FileStamp) -> bool:
    try:
        return os.stat(stamp.path).st_size == stamp.size
    except OSError:
        return False


@dataclass
class Manifest:
    options: str = ""
    entries: dict[str, Entry] = field(default_factory=dict)   # key: resolved content path
    deck_sources: list[list[str]] = field(default_factory=list)  # [content file, sha256] the deck was made from
    deck: FileStamp | None = None
    programs: dict[str, ProgramEntry] = field(default_factory=dict)  # key: resolved program path

    @classmethod
    def load(cls, path: Path, options: str) -> "Manifest":
        """The manifest at *path* if it was made with these *options*, else an empty one."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("options") != options:
                return cls(options)
            entries = {key: Entry(**{**value, "pictures": [FileStamp(**p) for p in value["pictures"]],
                                     "outputs": [FileStamp(**o) for o in value["outputs"]]})
                       for key, value in data["entries"].items()}
            deck = FileStamp(**data["deck"]) if data.get("deck") else None
            programs = {key: ProgramEntry(**{**value, "output": FileStamp(**value["output"]),
                                             "pictures": [FileStamp(**p) for p in value["pictures"]]})
                        for key, value in data.get("programs", {}).items()}
            return cls(options, entries, list(data.get("deck_sources", [])), deck, programs)
        except (OSError, ValueError, TypeError, KeyError, AttributeError):  # damaged: start afresh
            return cls(options)

    def save(self, path: Path) -> None:
        data = {"format": FORMAT, "options": self.options,
                "entries": {key: asdict(entry) for key, entry in sorted(self.entries.items())},
                "deck_sources": self.deck_sources, "deck": asdict(self.deck) if self.deck else None,
                "programs": {key: asdict(entry) for key, entry in sorted(self.programs.items())}}
        text = json.dumps(data, indent=0, sort_keys=True)
        try:
            if Path(path).read_text(encoding="utf-8") == text:
                return  # a build that changed nothing leaves the output folder untouched
        except (OSError, ValueError):
            pass
        atomic_write_text(path, text, durable=False)
