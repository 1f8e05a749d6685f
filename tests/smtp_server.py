"""A real SMTP server on 127.0.0.1 for the email tests: aiosmtpd, with STARTTLS on a
throw-away certificate (trustme) and LOGIN/PLAIN authentication.

The client trusts the certificate the way a clinic's machine trusts its provider's:
through OpenSSL's ``SSL_CERT_FILE``, which the fixture points at the throw-away CA.
Recipients whose name says so misbehave on purpose: ``refused@`` is refused at RCPT,
``slow@`` is answered only after the client's timeout (once the whole message was sent).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, message_from_string, policy
from email.message import EmailMessage
from pathlib import Path

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "front-desk@riverside.example", "s3cret-Pa55-never-shown"
UTF8_PASSWORD = "pässwörd-ñ-never-shown"  # also taken: RFC 4616's PLAIN carries UTF-8
SLOW_SECONDS = 4.0


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        if self.data.isascii():
            return message_from_bytes(self.data, policy=policy.default)  # type: ignore[return-value]
        # an SMTPUTF8 message's headers are UTF-8 (RFC 6532), which the bytes parser does not decode
        return message_from_string(self.data.decode("utf-8"), policy=policy.default)  # type: ignore[return-value]


@dataclass
class Handler:
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("stall@"):  # silent before the message is sent: it cannot have been delivered
            await asyncio.sleep(SLOW_SECONDS)
        if address.startswith("refused@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if any(r.startswith("slow@") for r in envelope.rcpt_tos):
            await asyncio.sleep(SLOW_SECONDS)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class MailServer:
    host: str
    port: int
    handler: Handler
    ca_file: Path

    def clinic_block(self, timeout: float = 10, security: str = "starttls", port: int | None = None) -> str:
        return (f"email:\n  address: {USER}\n  from_name: Riverside Physiotherapy\n"
                f"  reply_to: alex.kim@riverside.example\n"
                f"  smtp:\n    host: {self.host}\n    port: {port or self.port}\n    security: {security}\n"
                f"    user: {USER}\n    password_env: RIVERSIDE_SMTP_PASSWORD\n    timeout: {timeout}\n")


def start(tmp: Path) -> tuple[MailServer, Controller]:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    ca_file = tmp / "test-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    handler = Handler()

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == USER
              and auth_data.password.decode() in (PASSWORD, UTF8_PASSWORD))
        handler.logins.append(auth_data.login.decode() if isinstance(auth_data, LoginPassword) else "?")
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535 itself

    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticate, auth_require_tls=True, ready_timeout=10)
    controller.start()
    return MailServer("127.0.0.1", port, handler, ca_file), controller


class ScriptedServer:
    """A bare SMTP server on a socket that answers every command with 250 until it meets *stall_at*
    (a command's first word, such as ``DATA``), and from then on says nothing: a server that hangs
    at one precise stage, which aiosmtpd's hooks cannot reach (it calls them after the message)."""

    def __init__(self, stall_at: str):
        import threading

        self.stall_at, self.lines = stall_at.upper(), []
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            while True:
                connection, _ = self.listener.accept()
                with connection:
                    file = connection.makefile("rwb")
                    file.write(b"220 scripted ESMTP\r\n")
                    file.flush()
                    for raw in file:
                        line = raw.decode("ascii", "replace").strip()
                        self.lines.append(line)
                        verb = line.split(" ")[0].upper()
                        if verb == self.stall_at:
                            file.read()  # silent until the client gives up and closes
                            break
                        file.write(b"221 bye\r\n" if verb == "QUIT" else
                                   b"250-scripted\r\n250 8BITMIME\r\n" if verb == "EHLO" else b"250 ok\r\n")
                        file.flush()
        except OSError:
            return

    def close(self) -> None:
        self.listener.close()
