"""``output/email/sent.jsonl``: what was sent, to whom, and when; one JSON line per message.

A line is added only once the server has taken the message (or has gone quiet after the
whole message was sent: ``"confirmed": false``), in one ``write`` to a file opened for
appending and flushed to disk, so a message is recorded whole or not at all.  The file
is the client's health information (who was sent which program): owner-only, like
everything under ``output/email/``.  The same program (the digest of the very PDF
attached) is not sent to the same address again unless ``--resend`` says so.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import asdict, dataclass
from pathlib import Path

from handouts.content.load import NotRegularFile, TooLarge, read_regular
from handouts.errors import OutputError, Problem, display_path

SENT_LOG = "sent.jsonl"
_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Sent:
    time: str          # ISO 8601 with the time zone
    to: str            # the address (the display name is not kept: the program names the client)
    item: str          # the program or content file, as a path relative to the project
    attachment: str    # its file name
    sha256: str        # of the attachment's bytes
    message_id: str
    confirmed: bool = True
    made_from: str = ""  # a digest of the program's and its exercises' files (see letters.made_from)


class SentLog:
    def __init__(self, path: Path, entries: list[Sent]):
        self.path, self.entries = path, entries

    @classmethod
    def load(cls, path: Path) -> tuple["SentLog", list[Problem]]:
        """The log at *path* (empty when there is none), and a warning per line that is not an entry."""
        try:
            raw, _ = read_regular(path, _LIMIT)
        except FileNotFoundError:
            return cls(path, []), []
        except (OSError, NotRegularFile, TooLarge) as exc:
            why = getattr(exc, "strerror", None) or ("not a regular file" if isinstance(exc, NotRegularFile)
                                                     else str(exc))
            raise OutputError(display_path(path), f"cannot be read ({why}); it says what was sent already, so "
                                                  f"nothing is sent until it is fixed or removed") from None
        entries, warnings = [], []
        for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entries.append(Sent(**json.loads(line)))
            except (ValueError, TypeError):
                warnings.append(Problem(display_path(path), number, None, "not a record of a sent message; "
                                        "ignored (a message it recorded may be sent again)"))
        return cls(path, entries), warnings

    def sent_before(self, to: str, item: str, sha256: str, made_from: str) -> Sent | None:
        """The last time *item* went to *to* (addresses compared case-blind) as it is now: the very
        same attachment, or one made from the same files (a program with no date: of itself is
        dated the day it is made, so its PDF changes every day while the program does not)."""
        for entry in reversed(self.entries):
            if entry.to.casefold() == to.casefold() and entry.item == item and (
                    entry.sha256 == sha256 or (made_from and entry.made_from == made_from)):
                return entry
        return None

    def _open(self) -> int:
        descriptor = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise OSError(0, "not a regular file")
        return descriptor

    def check_writable(self) -> None:
        """Raise OutputError when no record could be added: checked before anything is sent, since a
        message sent and not recorded would be sent again."""
        existed = os.path.lexists(self.path)
        try:
            os.close(self._open())
            if not existed:  # made only to try: the first record makes it again
                os.unlink(self.path)
        except OSError as exc:
            raise OutputError(display_path(self.path), f"cannot be written ({exc.strerror or exc}); nothing is "
                                                       f"sent, as what is sent could not be recorded") from None

    def record(self, entry: Sent) -> None:
        """Append *entry* as one line, durably (after a line break, if a record was cut short before
        it).  Raises OutputError when it cannot be written."""
        line = (json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        try:
            descriptor = self._open()
            try:
                os.fchmod(descriptor, 0o600)
                size = os.fstat(descriptor).st_size
                if size and os.pread(descriptor, 1, size - 1) != b"\n":
                    line = b"\n" + line
                os.write(descriptor, line)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            raise OutputError(display_path(self.path), f"cannot be written ({exc.strerror or exc})") from None
        self.entries.append(entry)
