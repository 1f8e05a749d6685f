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

import smtplib
import socket
import ssl
from email.message import EmailMessage

from handouts.content.clinic_email import SmtpSettings
from handouts.errors import HandoutsError


class DeliveryError(HandoutsError):
    """A message the server did not take.  *maybe_delivered*: it may have been, all the same
    (the server went quiet after the whole message was sent), so it must be checked, not resent."""

    def __init__(self, reason: str, maybe_delivered: bool = False):
        super().__init__(reason)
        self.reason, self.maybe_delivered = reason, maybe_delivered


def _server_said(exc: smtplib.SMTPResponseException) -> str:
    said = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(said.split())}"[:200]


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if smtp.security == "tls":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    server = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
    if smtp.security == "starttls":
        server.starttls(context=context)
    return server


def deliver(message: EmailMessage, smtp: SmtpSettings, password: str | None) -> None:
    """Send *message* (to its To: address) through *smtp*, logging in as its user with *password*.

    Raises DeliveryError saying why it was not sent.
    """
    where = f"{smtp.host}:{smtp.port}"
    sending = False
    try:
        with _connect(smtp) as server:
            if smtp.user:
                server.login(smtp.user, password or "")
            sending = True
            server.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise DeliveryError(f"the server refused the user name or password ({_server_said(exc)}); "
                            f"check user: in clinic.yaml and the password") from None
    except smtplib.SMTPRecipientsRefused as exc:
        said = "; ".join(_server_said(smtplib.SMTPResponseException(code, msg))
                         for code, msg in exc.recipients.values())
        raise DeliveryError(f"the server refused the address ({said})") from None
    except smtplib.SMTPSenderRefused as exc:
        raise DeliveryError(f"the server refused the From address {exc.sender} ({_server_said(exc)}); "
                            f"check address: in clinic.yaml's email: block") from None
    except smtplib.SMTPDataError as exc:
        raise DeliveryError(f"the server refused the message ({_server_said(exc)})") from None
    except smtplib.SMTPNotSupportedError:
        if sending:  # send_message's one reason: an address with non-ASCII letters before the @
            raise DeliveryError(f"{where} does not take addresses with letters outside ASCII (SMTPUTF8); "
                                f"ask the client for another address") from None
        raise DeliveryError(f"{where} does not offer STARTTLS; use security: tls (port 465) if it takes TLS "
                            f"from the start") from None
    except ssl.SSLCertVerificationError as exc:
        raise DeliveryError(f"the certificate of {where} could not be trusted ({exc.verify_message}); "
                            f"nothing was sent to it") from None
    except ssl.SSLError as exc:
        raise DeliveryError(f"TLS with {where} failed ({exc.reason or exc}); security: tls goes with port 465, "
                            f"starttls with 587") from None
    except (TimeoutError, socket.timeout):
        raise _timeout(smtp, where, sending) from None
    except smtplib.SMTPServerDisconnected as exc:
        if "timed out" in str(exc):  # smtplib turns a reply that never came into this
            raise _timeout(smtp, where, sending) from None
        raise DeliveryError(f"{where} closed the connection"
                            + ("; the message may have been delivered: ask before sending it again (--resend)"
                               if sending else ""), maybe_delivered=sending) from None
    except ConnectionRefusedError:
        raise DeliveryError(f"{where} refused the connection (is the server running, and are host: and port: "
                            f"in clinic.yaml right?)") from None
    except socket.gaierror:
        raise DeliveryError(f"no mail server named {smtp.host} could be found (check host: in clinic.yaml, "
                            f"and the network)") from None
    except smtplib.SMTPException as exc:
        raise DeliveryError(f"{where}: {exc}") from None
    except OSError as exc:
        raise DeliveryError(f"could not reach {where} ({exc.strerror or exc})") from None


def _timeout(smtp: SmtpSettings, where: str, sending: bool) -> DeliveryError:
    if sending:
        return DeliveryError(f"{where} did not answer within {smtp.timeout:g} s while the message was sent; "
                             f"it may have been delivered: ask before sending it again (--resend)",
                             maybe_delivered=True)
    return DeliveryError(f"{where} did not answer within {smtp.timeout:g} s")
