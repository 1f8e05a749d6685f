"""Stamps of the files a build reads besides its content (pictures), taken from the very bytes read.

The manifest skips an output while every file it was made from is as stamped.  A stamp
taken after the output is made describes whatever is on disk by then: a picture replaced
while the build ran would be recorded as embedded, and every later build would keep the
old photo.  So a picture is read once, through :func:`read_stamped`, and its stamp (size
and modification time from before the read, SHA-256 of the bytes read) is what the
manifest records.  A file modified too recently for its time to be trusted (one tick of
the file system's clock can hide a second change of the same size) is stamped with no time
at all, so the next build compares its bytes: the rule git calls "racily clean".

A task collects the stamps of what it read with :func:`recording`; the code that reads a
picture calls :func:`note`.  No argument has to be threaded through every renderer, and a
read outside a recording (a preview) notes nothing.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from handouts.content.load import NotRegularFile, TooLarge, read_regular

#: A file modified less than this before it was read (ns) is stamped with no time (see above): two
#: seconds covers the coarsest clocks of the file systems a clinic uses (FAT's is two seconds).
RACY_NS = 2_000_000_000
#: The modification time of a stamp that must be checked by its bytes: no file has it.
NO_TIME = -1


@dataclass
class FileStamp:
    """What a file was when a build used it: *size* in bytes (-1: absent, or no regular file),
    modification time in ns (NO_TIME: compare the bytes) and SHA-256 of its bytes; for a file
    the build wrote, its inode change time in ns too (0: not known; see :meth:`unchanged`)."""

    path: str
    size: int
    mtime_ns: int
    sha256: str = ""
    ctime_ns: int = 0

    @classmethod
    def written(cls, path: Path, data: bytes | None) -> "FileStamp":
        """The stamp of a file just written with *data* (its hash from the bytes in hand), or of its absence."""
        if data is None:
            return cls.absent(path)
        st = os.stat(path)
        return cls(str(path), st.st_size, st.st_mtime_ns, hashlib.sha256(data).hexdigest(), st.st_ctime_ns)

    @classmethod
    def absent(cls, path: Path) -> "FileStamp":
        """The stamp of a file not there (or no regular file: a folder by its name): made without it."""
        return cls(str(path), -1, 0)

    def unchanged(self) -> bool:
        """A file the build wrote is still as written: the same size, modification and change times,
        or else the same bytes; or still absent.

        The change time (ctime) is what makes the quick answer safe: a program can put a file's
        modification time back after overwriting a few bytes, but not its change time, which the
        kernel sets on every write, rename or utime().  Checking the bytes of every output of an
        868-exercise library (about 300 MB with previews) made a build with nothing to do take
        0.3 s of its 0.38 s (issue 19); a stamp without a change time (an older manifest's) is
        checked by its bytes, as before.
        """
        if self.size >= 0 and self.ctime_ns:
            try:
                st = os.stat(self.path)
            except OSError:
                return False
            if stat.S_ISREG(st.st_mode) and (st.st_size, st.st_mtime_ns, st.st_ctime_ns) == \
                    (self.size, self.mtime_ns, self.ctime_ns):
                return True
        return self.still_valid(by_bytes=True)

    def restamped(self) -> "FileStamp":
        """This stamp with the file's times as they are now (for a file just found :meth:`unchanged`)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return self
        return FileStamp(self.path, self.size, st.st_mtime_ns, self.sha256, st.st_ctime_ns)

    def still_valid(self, by_bytes: bool = False) -> bool:
        """The file is as stamped: the same size and time, or the same bytes (only the time moved); or still
        absent.  *by_bytes*: the same bytes, whatever the time says (an output: a few bytes overwritten
        with the time put back must not pass for the file written)."""
        try:
            st = os.stat(self.path)
        except OSError:
            return self.size == -1
        if not stat.S_ISREG(st.st_mode):
            return self.size == -1
        if self.size < 0 or st.st_size != self.size:
            return False
        if st.st_mtime_ns == self.mtime_ns and not by_bytes:
            return True
        try:
            return bool(self.sha256) and hashlib.sha256(Path(self.path).read_bytes()).hexdigest() == self.sha256
        except OSError:
            return False


def read_stamped(path: Path, limit: int) -> tuple[bytes, FileStamp]:
    """The bytes of the regular file at *path* and their stamp; the stamp is noted (see :func:`note`).

    Read by :func:`handouts.content.load.read_regular`: without blocking, to at most *limit*
    bytes.  Raises OSError when it cannot be read, ValueError (saying why, after "is") when it is
    no regular file or larger than *limit*; either way its absence is noted: the output is made
    without it.
    """
    try:
        data, before = read_regular(path, limit)
    except NotRegularFile:
        note(FileStamp.absent(path))
        raise ValueError("is not a regular file (a pipe or a device?)") from None
    except TooLarge:
        note(FileStamp.absent(path))
        raise ValueError(f"is over {limit // (1024 * 1024)} MB, too large for a picture") from None
    except OSError:
        note(FileStamp.absent(path))
        raise
    racy = time.time_ns() - before.st_mtime_ns < RACY_NS
    stamp = FileStamp(str(path), len(data), NO_TIME if racy or len(data) != before.st_size else before.st_mtime_ns,
                      hashlib.sha256(data).hexdigest())
    note(stamp)
    return data, stamp


_recorded: ContextVar[dict[str, FileStamp] | None] = ContextVar("handouts_reads", default=None)


@contextmanager
def recording() -> Iterator[dict[str, FileStamp]]:
    """Collect the stamps noted inside the ``with`` block: path -> its stamp.  A file read twice with
    different bytes (replaced between the reads: an output may embed both) gets a stamp no file
    matches (size -2), so the next build makes the output again."""
    reads: dict[str, FileStamp] = {}
    token = _recorded.set(reads)
    try:
        yield reads
    finally:
        _recorded.reset(token)


def note(stamp: FileStamp) -> None:
    """Record *stamp* in the recording under way, if any."""
    reads = _recorded.get()
    if reads is None:
        return
    earlier = reads.get(stamp.path)
    if earlier is not None and (earlier.size, earlier.sha256) != (stamp.size, stamp.sha256):
        stamp = FileStamp(stamp.path, -2, 0)  # read twice, two contents (replaced between): never up to date
    reads[stamp.path] = stamp
