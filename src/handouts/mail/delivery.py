"""``handouts email --send``: the drafts' messages through the clinic's server, each once.

Sending holds the output folder's email lock (two front-desk machines running ``--send`` at
once would otherwise both read the log, and both send).  Before anything is sent: the
server settings and the password are found and the sent log is checked writable (a problem
is one line, and nothing goes), and the messages already sent (this program to this
address, unchanged, per ``sent.jsonl``) are set aside unless ``--resend``.  The caller then
confirms the list; each message is sent on its own connection, recorded as soon as the
server has taken it, and reported at once.  A failure is one line naming the recipient;
the others still go.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handouts.build.lock import output_lock
from handouts.content.clinic import Clinic
from handouts.content.clinic_email import SmtpSettings
from handouts.errors import ContentError, OutputError, Problem
from handouts.mail.letters import Letter
from handouts.mail.password import smtp_password
from handouts.mail.sent_log import SENT_LOG, Sent, SentLog
from handouts.mail.smtp import DeliveryError, InterruptedSending, deliver


@dataclass
class Delivery:
    """What sending did: sent, set aside as sent before, failed (with why), and the log's warnings."""

    server: SmtpSettings
    to_send: list[Letter] = field(default_factory=list)
    already: list[tuple[Letter, Sent]] = field(default_factory=list)
    sent: list[Letter] = field(default_factory=list)
    failed: list[tuple[Letter, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unrecorded: tuple[Letter, OutputError] | None = None  # sent, not recorded: sending stopped there
    not_tried: list[Letter] = field(default_factory=list)  # after a failure of the server, not of a message


#: How long a second ``--send`` waits for one sending from the same output folder (s).
LOCK_WAIT_SECONDS = 600.0

#: What the caller is told as each message is done: the letter, and why it failed (None: sent).
Progress = Callable[[Letter, str | None], None]


def server_of(clinic: Clinic | None) -> SmtpSettings:
    """The clinic's SMTP settings.  Raises ContentError when clinic.yaml has none."""
    smtp = clinic.mail.smtp if clinic and clinic.mail else None
    if smtp is None:
        where = clinic.source if clinic else "clinic.yaml"
        line = clinic.lines.get("email") if clinic else None
        raise ContentError(Problem(where, line, "email", "no smtp: settings to send with (host:, port:, user:); "
                                                         "add them, or leave out --send to write drafts only"))
    return smtp


def send_letters(letters: list[Letter], clinic: Clinic | None, out_dir: Path, resend: bool,
                 confirm: Callable[[Delivery], bool], progress: Progress,
                 waiting: Callable[[str], None] | None = None) -> Delivery | None:
    """Send *letters* that were not sent before (all with *resend*) once *confirm* agrees; None
    when it did not.  *progress* hears of each message as it is done; *waiting* is told the pid
    of another sender this one waits for.

    Raises ContentError for missing settings or password, OutputError for a sent log that cannot
    be read or written, HandoutsError when another ``--send`` holds the lock for too long.
    """
    server = server_of(clinic)
    assert clinic is not None  # server_of found its settings
    email_dir = Path(out_dir) / "email"
    busy = "another 'handouts email --send' is sending from here"
    with output_lock(Path(out_dir), LOCK_WAIT_SECONDS, name="email-send.lock", busy=busy, waiting=waiting):
        log, warnings = SentLog.load(email_dir / SENT_LOG)
        delivery = Delivery(server, warnings=warnings)
        seen: set[tuple[str, str]] = set()
        for letter in letters:
            key = (letter.to.casefold(), letter.item)
            if key in seen:  # the same file named twice on the command line (jane.yaml and j*.yaml)
                continue
            seen.add(key)
            before = None if resend else log.sent_before(letter.to, letter.item, letter.sha256, letter.made_from)
            if before:
                delivery.already.append((letter, before))
            else:
                delivery.to_send.append(letter)
        if not delivery.to_send:
            return delivery
        password = smtp_password(server, clinic)
        log.check_writable()
        if not confirm(delivery):
            return None
        for number, letter in enumerate(delivery.to_send):
            try:
                deliver(letter.message, server, password)
            except InterruptedSending as exc:  # Ctrl-C: what may have gone is recorded, then stop
                if exc.maybe_delivered:
                    progress(letter, "interrupted after the whole message was sent; it may have been delivered")
                    _recorded(delivery, log, letter, confirmed=False)
                raise
            except DeliveryError as exc:
                delivery.failed.append((letter, exc.reason))
                progress(letter, exc.reason)
                if exc.maybe_delivered and not _recorded(delivery, log, letter, confirmed=False):
                    break
                if exc.server_wide:  # a wrong password tried for every client could lock the account
                    delivery.not_tried = delivery.to_send[number + 1:]
                    break
                continue
            delivery.sent.append(letter)
            progress(letter, None)
            if not _recorded(delivery, log, letter):
                break
    return delivery


def _recorded(delivery: Delivery, log: SentLog, letter: Letter, confirmed: bool = True) -> bool:
    """Record that *letter* went; False (and sending stops) when the log cannot be written after all."""
    try:
        log.record(_entry(letter, confirmed))
    except OutputError as exc:
        delivery.unrecorded = (letter, exc)
        return False
    return True


def _entry(letter: Letter, confirmed: bool = True) -> Sent:
    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    return Sent(when, letter.to, letter.item, letter.attachment.filename, letter.sha256,
                str(letter.message["Message-ID"]), confirmed, letter.made_from)
