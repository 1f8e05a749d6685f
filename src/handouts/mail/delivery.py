"""``handouts email --send``: the drafts' messages through the clinic's server, each once.

Before anything is sent: the server settings and the password are found (a missing one
is one line, and nothing goes), and the messages already sent (this very attachment to
this address, per ``sent.jsonl``) are set aside unless ``--resend``.  The caller then
confirms the list; each message is sent on its own connection and recorded as soon as
the server has taken it.  A failure is one line naming the recipient; the others still go.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from handouts.content.clinic import Clinic
from handouts.content.clinic_email import SmtpSettings
from handouts.errors import ContentError, Problem
from handouts.mail.letters import Letter
from handouts.mail.password import smtp_password
from handouts.mail.sent_log import SENT_LOG, Sent, SentLog
from handouts.mail.smtp import DeliveryError, deliver


@dataclass
class Delivery:
    """What sending did: sent, set aside as sent before, failed (with why), and the log's warnings."""

    server: SmtpSettings
    to_send: list[Letter] = field(default_factory=list)
    already: list[tuple[Letter, Sent]] = field(default_factory=list)
    sent: list[Letter] = field(default_factory=list)
    failed: list[tuple[Letter, str]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def server_of(clinic: Clinic | None) -> SmtpSettings:
    """The clinic's SMTP settings.  Raises ContentError when clinic.yaml has none."""
    smtp = clinic.mail.smtp if clinic and clinic.mail else None
    if smtp is None:
        where = clinic.source if clinic else "clinic.yaml"
        line = clinic.lines.get("email") if clinic else None
        raise ContentError(Problem(where, line, "email", "no smtp: settings to send with (host:, port:, user:); "
                                                         "add them, or leave out --send to write drafts only"))
    return smtp


def plan(letters: list[Letter], clinic: Clinic | None, email_dir: Path, resend: bool) -> tuple[Delivery, SentLog]:
    """What would be sent.  Raises ContentError for missing settings, OutputError for an unreadable log."""
    delivery = Delivery(server_of(clinic))
    log, delivery.warnings = SentLog.load(email_dir / SENT_LOG)
    for letter in letters:
        before = None if resend else log.sent_before(letter.to, letter.item, letter.sha256)
        if before:
            delivery.already.append((letter, before))
        else:
            delivery.to_send.append(letter)
    return delivery, log


def send(delivery: Delivery, log: SentLog, clinic: Clinic, confirm: Callable[[Delivery], bool]) -> bool:
    """Send what *delivery* plans once *confirm* says so; False when it did not.

    Raises ContentError when there is no password for the server's user (before anything goes).
    """
    if not delivery.to_send:
        return True
    password = smtp_password(delivery.server, clinic)
    if not confirm(delivery):
        return False
    for letter in delivery.to_send:
        try:
            deliver(letter.message, delivery.server, password)
        except DeliveryError as exc:
            delivery.failed.append((letter, exc.reason))
            if exc.maybe_delivered:  # not sent again by the next run without --resend
                log.record(_entry(letter, confirmed=False))
            continue
        log.record(_entry(letter))
        delivery.sent.append(letter)
    return True


def _entry(letter: Letter, confirmed: bool = True) -> Sent:
    when = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
    return Sent(when, letter.to, letter.item, letter.attachment.filename, letter.sha256,
                str(letter.message["Message-ID"]), confirmed)
