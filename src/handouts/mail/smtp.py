"""Delivery through the clinic's own mail server, one message per connection.

One connection per message keeps every message on its own: a recipient the server
refuses, or a connection dropped half-way, costs that message only.  A clinic sends a
handful at a time, so the extra handshakes cost nothing anyone would notice.  The TLS
context is Python's default: the server's certificate is verified against the system's
certificate authorities (``SSL_CERT_FILE`` names another bundle, as OpenSSL reads it).

Every failure becomes :class:`DeliveryError` with one clause saying what happened and,
where it helps, what to check; the password is never part of it.
"""

from __future__ import annotations

import base64
import smtplib
import socket
import ssl
from email.message import EmailMessage
from typing import Any

from handouts.content.clinic_email import SmtpSettings
from handouts.errors import HandoutsError


class DeliveryError(HandoutsError):
    """A message the server did not take.  *maybe_delivered*: it may have been, all the same
    (the server went quiet after the whole message was sent), so it must be checked, not resent."""

    def __init__(self, reason: str, maybe_delivered: bool = False, server_wide: bool = False):
        super().__init__(reason)
        self.reason, self.maybe_delivered = reason, maybe_delivered
        self.server_wide = server_wide  # the server, not this message: the next ones would fail alike


class InterruptedSending(KeyboardInterrupt):
    """Ctrl-C while a message was with the server; *maybe_delivered* once the whole of it was sent."""

    def __init__(self, maybe_delivered: bool):
        super().__init__()
        self.maybe_delivered = maybe_delivered


def _server_said(exc: smtplib.SMTPResponseException) -> str:
    said = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(said.split())}"[:200]


class _Stages:
    """How far a message got with the server, for what a failure means: a failure before the
    message's final "." went means it was not sent; after it, it may have been delivered."""

    def __init__(self) -> None:
        self.stage = "connect"


def _tracked(base: type[smtplib.SMTP], stages: _Stages) -> Any:
    class Tracked(base):  # type: ignore[valid-type,misc]
        def data(self, msg):  # type: ignore[no-untyped-def]
            stages.stage = "data command"
            return super().data(msg)

        def send(self, s):  # type: ignore[no-untyped-def]
            super().send(s)
            if stages.stage == "data command" and isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
                stages.stage = "data"  # the whole message is with the server: now it may deliver it

    return Tracked


def _connect(smtp: SmtpSettings, stages: _Stages) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.security == "tls":
        return _tracked(smtplib.SMTP_SSL, stages)(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    server = _tracked(smtplib.SMTP, stages)(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.security == "starttls":
        stages.stage = "starttls"
        server.starttls(context=context)
    return server


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """Log in once, by the first of PLAIN, LOGIN and CRAM-MD5 the server offers: smtplib's own
    ``login`` tries each in turn, so a wrong password would count as two or three failures
    against the clinic's account.  PLAIN carries UTF-8 (RFC 4616); smtplib encodes a password as
    ASCII, so one with other letters goes by PLAIN, written here, or not at all."""
    server.ehlo_or_helo_if_needed()
    offered = server.esmtp_features.get("auth", "").upper().split()
    if not (password.isascii() and user.isascii()):
        if "PLAIN" not in offered:
            raise DeliveryError("the password has letters outside ASCII, which this server's login methods "
                                "cannot carry (it does not offer AUTH PLAIN)", server_wide=True)
        credentials = base64.b64encode(b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8"))
        code, said = server.docmd("AUTH", "PLAIN " + credentials.decode("ascii"))
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, said)
        return
    mechanism = next((m for m in ("PLAIN", "LOGIN", "CRAM-MD5") if m in offered), None)
    if mechanism is None:
        raise smtplib.SMTPException("No suitable authentication method found.")
    server.user, server.password = user, password
    server.auth(mechanism, getattr(server, "auth_" + mechanism.lower().replace("-", "_")), initial_response_ok=True)


def deliver(message: EmailMessage, smtp: SmtpSettings, password: str | None) -> None:
    """Send *message* (to its To: address) through *smtp*, logging in as its user with *password*.

    Raises DeliveryError saying why it was not sent.  A server that stops answering is given
    *smtp.timeout* seconds per reply; the connection is then closed without waiting for a goodbye.
    """
    where = f"{smtp.host}:{smtp.port}"
    stages = _Stages()
    server: smtplib.SMTP | None = None
    try:
        server = _connect(smtp, stages)
        if smtp.user:
            stages.stage = "login"
            _login(server, smtp.user, password or "")
        stages.stage = "envelope"
        server.send_message(message)
        stages.stage = "quit"
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):  # it took the message: a goodbye lost changes nothing
            pass
        server = None
    except DeliveryError:
        raise
    except BaseException as exc:  # Ctrl-C too: the socket is closed, not left waiting for a QUIT reply
        sent = stages.stage == "data"
        if isinstance(exc, Exception):
            raise _failure(exc, smtp, where, stages.stage, sent) from None
        if isinstance(exc, KeyboardInterrupt):
            raise InterruptedSending(sent) from None
        raise
    finally:
        if server is not None:
            server.close()


def _failure(exc: Exception, smtp: SmtpSettings, where: str, stage: str, sent: bool) -> DeliveryError:
    """The one clause that says what *exc*, raised at *stage*, means for the clinic."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError(f"the server refused the user name or password ({_server_said(exc)}); "
                             f"check user: in clinic.yaml and the password", server_wide=True)
    if isinstance(exc, smtplib.SMTPConnectError):
        return DeliveryError(f"{where} would not take a connection ({_server_said(exc)})", server_wide=True)
    if isinstance(exc, smtplib.SMTPSenderRefused) and exc.smtp_code == 530:
        return DeliveryError(f"the server wants a login or TLS first ({_server_said(exc)}); check security: and "
                             f"user: in clinic.yaml", server_wide=True)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        said = "; ".join(_server_said(smtplib.SMTPResponseException(code, msg))
                         for code, msg in exc.recipients.values())
        if all(400 <= code < 500 for code, _ in exc.recipients.values()):  # 4xx: a temporary refusal
            return DeliveryError(f"the server put the address off for now ({said}); send again later")
        return DeliveryError(f"the server refused the address ({said})")
    if isinstance(exc, (smtplib.SMTPSenderRefused, smtplib.SMTPDataError)) and exc.smtp_code == 552:
        return DeliveryError(f"the server refused the message as too large ({_server_said(exc)})")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return DeliveryError(f"the server refused the From address {exc.sender} ({_server_said(exc)}); "
                             f"check address: in clinic.yaml's email: block")
    if isinstance(exc, smtplib.SMTPDataError):
        return DeliveryError(f"the server refused the message ({_server_said(exc)})")
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return DeliveryError({
            "starttls": f"{where} does not offer STARTTLS; use security: tls (port 465) if it takes TLS from "
                        f"the start",
            "login": f"{where} offers no login (AUTH); leave out user: in clinic.yaml if it takes mail without",
        }.get(stage, f"{where} does not take addresses with letters outside ASCII (SMTPUTF8); ask the client "
                     f"for another address"))
    if isinstance(exc, ssl.SSLCertVerificationError):
        return DeliveryError(f"the certificate of {where} could not be trusted ({exc.verify_message}); "
                             f"nothing was sent to it", server_wide=True)
    if isinstance(exc, ssl.SSLError):
        return DeliveryError(f"TLS with {where} failed ({exc.reason or exc}); security: tls goes with port 465, "
                             f"starttls with 587", server_wide=True)
    if stage == "login" and isinstance(exc, smtplib.SMTPException) and "authentication method" in str(exc):
        return DeliveryError(f"{where} offers no login method this tool can use (it may want OAuth2, which "
                             f"is not supported; an app password may work)", server_wide=True)
    if isinstance(exc, (TimeoutError, socket.timeout)) or (
            isinstance(exc, smtplib.SMTPServerDisconnected) and "timed out" in str(exc)):
        if sent:  # smtplib turns a reply that never came into "closed" or a timeout
            return DeliveryError(f"{where} did not answer within {smtp.timeout:g} s after the whole message was "
                                 f"sent; it may have been delivered: ask before sending it again (--resend)",
                                 maybe_delivered=True)
        hint = " (port 465 takes TLS from the start: security: tls)" if (
            stage in ("connect", "starttls") and smtp.security == "starttls" and smtp.port == 465) else ""
        return DeliveryError(f"{where} did not answer within {smtp.timeout:g} s{hint}; nothing was sent",
                             server_wide=stage in ("connect", "starttls", "login"))
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        if sent:
            return DeliveryError(f"{where} closed the connection after the whole message was sent; it may have "
                                 f"been delivered: ask before sending it again (--resend)", maybe_delivered=True)
        return DeliveryError(f"{where} closed the connection; nothing was sent")
    if isinstance(exc, ConnectionRefusedError):
        return DeliveryError(f"{where} refused the connection (is the server running, and are host: and port: "
                             f"in clinic.yaml right?)", server_wide=True)
    if isinstance(exc, socket.gaierror) or (isinstance(exc, UnicodeError) and stage == "connect"):
        return DeliveryError(f"no mail server named {smtp.host} could be found (check host: in clinic.yaml, "
                             f"and the network)", server_wide=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        return DeliveryError(f"{where} answered {_server_said(exc)}")
    if isinstance(exc, smtplib.SMTPException):
        return DeliveryError(f"{where}: {exc}")
    if isinstance(exc, OSError):
        return DeliveryError(f"could not reach {where} ({exc.strerror or exc})", server_wide=stage == "connect")
    if isinstance(exc, UnicodeError):
        return DeliveryError(f"{where}: a user name or address with letters this server cannot take ({exc})")
    raise exc
