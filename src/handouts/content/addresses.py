"""Email addresses as a client's program and the clinic's profile give them.

An address is checked for its syntax only (RFC 5322, and RFC 6531 for non-ASCII), by
email-validator, the library most Python mail code uses: whether the domain takes mail
is the mail server's business at sending time, and a build must work offline.  The
normalized form (the domain lower-cased and IDNA-checked) is what is used; what is shown
in an error is the text as typed.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from handouts.errors import shorten


def check_address(text: str) -> tuple[str | None, str | None]:
    """``(address, None)`` for a usable address (normalized), else ``(None, why)``, why being
    one clause for a located error: ``'jane@example' is not an email address: ...``."""
    try:
        found = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        reason = str(exc).rstrip(".")
        reason = reason[:1].lower() + reason[1:]
        return None, f"'{shorten(text, 60)}' is not an email address: {reason}"
    return found.normalized, None


def wire_address(address: str) -> str:
    """*address* as it goes in a header and to the server: its domain in ASCII (IDNA, ``xn--``)
    when the part before the @ is ASCII, so any server takes it; else as it is, which needs a
    server that offers SMTPUTF8 (RFC 6531)."""
    try:
        found = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return address
    return found.ascii_email or found.normalized
