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
from dataclasses import asdict, dataclass
from pathlib import Path

from handouts.content.load import read_regular
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
        except OSError as exc:
            raise OutputError(display_path(path), f"cannot be read ({getattr(exc, 'strerror', None) or exc}); "
                                                  f"it says what was sent already, so nothing is sent") from None
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

    def sent_before(self, to: str, item: str, sha256: str) -> Sent | None:
        """The last time this very attachment of *item* went to *to* (addresses compared case-blind)."""
        for entry in reversed(self.entries):
            if entry.to.casefold() == to.casefold() and entry.item == item and entry.sha256 == sha256:
                return entry
        return None

    def record(self, entry: Sent) -> None:
        """Append *entry* as one line, durably.  Raises OutputError when it cannot be written."""
        line = (json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        try:
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0),
                                 0o600)
            try:
                os.fchmod(descriptor, 0o600)
                os.write(descriptor, line)
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
        except OSError as exc:
            raise OutputError(display_path(self.path), f"cannot be written ({exc.strerror or exc})") from None
        self.entries.append(entry)
