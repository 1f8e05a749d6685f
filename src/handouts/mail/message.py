"""One MIME message: the body's two alternatives and the PDF, addressed as RFC 5322 says.

Built with the standard library's :class:`email.message.EmailMessage`, which encodes
non-ASCII display names, subjects and file names (RFC 2047 and 2231) and folds long
header lines.  Lines end in CRLF, as on the wire and in the ``.eml`` files Outlook,
Apple Mail and Thunderbird write.  A draft carries ``X-Unsent: 1``, which Outlook reads as
"open this as a message to send", not as one received.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from handouts.content.addresses import wire_address
from handouts.mail.body import Body

@dataclass(frozen=True)
class Sender:
    """Who the clinic's messages come from."""

    address: str | None            # None: a draft the mail client fills in the From of
    name: str | None = None
    reply_to: str | None = None


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes


def _address(name: str | None, address: str) -> Address:
    user, _, domain = address.rpartition("@")
    return Address(display_name=name or "", username=user, domain=domain)


def compose(body: Body, recipient_name: str | None, recipient: str, sender: Sender, attachment: Attachment,
            when: datetime.datetime) -> EmailMessage:
    """The message of *body* to *recipient*, with *attachment* (a PDF), dated *when*.

    Raises ValueError for an address the standard library cannot put in a header (never one
    email-validator passed).
    """
    to = wire_address(recipient)
    # an address with a non-ASCII name part stays as typed (RFC 6532): the standard library would
    # otherwise write encoded words into it, which no server can deliver
    message = EmailMessage(policy=policy.SMTP if to.isascii() else policy.SMTPUTF8)
    if sender.address:
        message["From"] = _address(sender.name, sender.address)
    message["To"] = _address(recipient_name, to)
    if sender.reply_to:
        message["Reply-To"] = _address(sender.name, sender.reply_to)
    message["Subject"] = body.subject
    message["Date"] = format_datetime(when)
    domain = sender.address.rpartition("@")[2] if sender.address else "handouts.invalid"
    message["Message-ID"] = make_msgid(domain=domain)  # the sender's domain, never this machine's name
    # quoted-printable: plain ASCII on the wire, readable in the file, for any server (no 8BITMIME needed)
    message.set_content(body.text, cte="quoted-printable")
    message.add_alternative(body.html, subtype="html", cte="quoted-printable")
    message.add_attachment(attachment.data, maintype="application", subtype="pdf", filename=attachment.filename)
    message["Content-Language"] = body.language  # after the parts: making them moves Content-* headers down
    return message


def draft_bytes(message: EmailMessage) -> bytes:
    """*message* as an ``.eml`` draft: the same message, marked unsent for Outlook."""
    draft = copy.deepcopy(message)
    draft["X-Unsent"] = "1"
    return draft.as_bytes()
