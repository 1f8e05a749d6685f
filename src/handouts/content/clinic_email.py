"""The ``email:`` block of ``clinic.yaml``: who the clinic's email comes from, what it says,
and the clinic's own mail server.

``email:`` was, and may stay, the clinic's address printed on every page.  Given as a
mapping it also configures ``handouts email``::

    email:
      address: front-desk@riverside.example   # printed on every page, and the From address
      from_name: Riverside Physiotherapy       # default: the clinic's name
      reply_to: alex.kim@riverside.example
      subject: "Your exercise program from {clinic}"    # or one per language: {en: ..., es: ...}
      message: {en: "Dear {first_name}, ...", es: "..."}
      smtp: {host: smtp.example.com, port: 587, security: starttls, user: front-desk@riverside.example,
             password_env: HANDOUTS_SMTP_PASSWORD}

The password is never read from a file: ``password_env`` names the environment variable
that holds it (or the system keyring has it); see :mod:`handouts.mail.password`.  A
subject or message may use the placeholders of :data:`PLACEHOLDERS`; any other ``{name}``
is an error here, not a message that says "{fist_name}" to a client.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Any

from handouts.content.exercise import FieldSpec, Validator, describe
from handouts.errors import shorten
from handouts.style.labels import LANGUAGES

#: What a subject or message may name, each filled in per message.
PLACEHOLDERS = {
    "first_name": "the client's first name",
    "client": "the client's name as the program gives it",
    "clinician": "the clinician the program names (else the clinic)",
    "clinic": "the clinic's name",
    "date": "the program's date, written in its language",
}
SECURITY = ("starttls", "tls", "none")
#: Ports by security, as RFC 8314 (implicit TLS, 465) and RFC 6409 (submission, 587) assign them.
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
DEFAULT_PASSWORD_ENV = "HANDOUTS_SMTP_PASSWORD"
#: In capitals, as environment variables are named by convention: a password ("Summer2024", an app
#: password's sixteen letters) typed here by mistake is refused, and never printed back as "a name".
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]*")
#: A host name (RFC 1123 labels), an IPv4 address, or a bracketed IPv6 one; never "host:port".
_HOST = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.?"
                   r"|\[[0-9A-Fa-f:.]+\]")

_BLOCK_KEYS = ("address", "from_name", "reply_to", "subject", "message", "smtp")
_SMTP_KEYS = ("host", "port", "security", "user", "password_env", "timeout")


@dataclass(frozen=True)
class SmtpSettings:
    """The clinic's own mail server (the only place ``--send`` connects to)."""

    host: str
    port: int
    security: str = "starttls"       # one of SECURITY
    user: str | None = None          # None: the server takes mail without logging in
    password_env: str = DEFAULT_PASSWORD_ENV
    timeout: float = 30.0            # seconds a server may take to answer before the message is given up


@dataclass(frozen=True)
class MailSettings:
    """What the clinic's messages say and who they come from.  *subject* and *message* are
    ``((language or "", template), ...)``: "" applies to every language not named."""

    address: str | None = None
    from_name: str | None = None
    reply_to: str | None = None
    subject: tuple[tuple[str, str], ...] = ()
    message: tuple[tuple[str, str], ...] = ()
    smtp: SmtpSettings | None = None

    def template(self, which: str, language: str) -> str | None:
        """The clinic's *which* ("subject" or "message") for *language*, or None (the built-in words)."""
        given = dict(getattr(self, which))
        return given.get(language, given.get(""))


def read_mail_settings(v: Validator, value: Any, key: tuple = ("email",)) -> MailSettings | None:
    """The ``email:`` mapping of a clinic profile, every problem reported on *v* with its line."""
    if not isinstance(value, dict):
        v.err(key, f"expected an address or a mapping (address:, smtp:, ...), got {describe(value)}")
        return None
    no_password(v, value, key)
    v.unknown_keys({k: val for k, val in value.items() if not is_password(k)}, key, _BLOCK_KEYS)
    out: dict[str, Any] = {}
    for name in ("address", "reply_to"):
        if value.get(name) is not None:
            out[name] = v.address(value[name], key + (name,), FieldSpec(name, "address", max_chars=254))
    if value.get("from_name") is not None:
        out["from_name"] = v.text(value["from_name"], key + ("from_name",), FieldSpec("from_name", "text",
                                                                                        max_chars=80))
    out["subject"] = _templates(v, value.get("subject"), key + ("subject",), 150, lines=False)
    out["message"] = _templates(v, value.get("message"), key + ("message",), 2000, lines=True)
    if value.get("smtp") is not None:
        out["smtp"] = _smtp(v, value["smtp"], key + ("smtp",))
        if out["smtp"] and not out.get("address"):
            v.err(key, "has smtp: but no address: to send from (address: front-desk@your-clinic.example)")
    return MailSettings(**{k: val for k, val in out.items() if val is not None})


def _templates(v: Validator, value: Any, key: tuple, limit: int, lines: bool) -> tuple[tuple[str, str], ...]:
    """One template for every language, or one per language code."""
    if value is None:
        return ()
    spec = FieldSpec(key[-1], "text", max_chars=limit)
    pairs = value.items() if isinstance(value, dict) else [("", value)]
    out = []
    for language, text in pairs:
        where = key + (language,) if language else key
        if language and language not in LANGUAGES:
            v.err(where, f"'{shorten(str(language), 20)}' is not a language the labels are translated into; "
                         f"choose one of {', '.join(LANGUAGES)}")
            continue
        checked = v.text(text, where, spec, lines=lines)
        if checked is not None and _placeholders_ok(v, checked, where):
            out.append((str(language), checked))
    return tuple(out)


def _placeholders_ok(v: Validator, text: str, key: tuple) -> bool:
    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        v.err(key, f"has a '{{' or '}}' that opens or closes no placeholder; write '{{{{' or '}}}}' for the "
                   f"character itself, or use {known}")
        return False
    unknown = [name for name, _, _ in fields if name not in PLACEHOLDERS]
    if unknown:
        v.err(key, f"unknown placeholder {{{shorten(unknown[0], 30)}}}; use {known}")
        return False
    formatted = [name for name, spec, conversion in fields if spec or conversion]
    if formatted:  # {date:%d.%m.%Y}: the date is written as the program's language writes it
        v.err(key, f"{{{formatted[0]}}} takes no format or conversion here (':...' or '!...'); write it as "
                   f"{{{formatted[0]}}}")
        return False
    return True


def is_password(name: Any) -> bool:
    """Whether a key names a secret: ``password``, ``smtp_password``, ``app_password``, ``token``, ..."""
    if not isinstance(name, str) or name == "password_env":
        return False
    key = name.strip().lower()
    return key in ("pass", "pwd") or any(word in key for word in ("password", "passwd", "secret", "token"))


def no_password(v: Validator, value: dict, key: tuple = ()) -> None:
    """A password in the file (under any of its usual names) is an error of its own, never an
    unknown key that is ignored and left there for anyone who can read the file."""
    for name in value:
        if is_password(name):
            v.err(key + (name,), "a password is never kept in clinic.yaml: remove it, and put it in the "
                                 f"environment variable password_env names ({DEFAULT_PASSWORD_ENV} by default)")


def _smtp(v: Validator, value: Any, key: tuple) -> SmtpSettings | None:
    if not isinstance(value, dict):
        v.err(key, f"expected host:, port:, security: and user:, got {describe(value)}")
        return None
    no_password(v, value, key)
    v.unknown_keys({k: val for k, val in value.items() if not is_password(k)}, key, _SMTP_KEYS)
    host = v.text(value.get("host"), key + ("host",), FieldSpec("host", "text", max_chars=253)) \
        if value.get("host") is not None else None
    if host is None and value.get("host") is None:
        v.err(key, "host: is missing (the clinic's mail server, such as smtp.your-provider.example)")
    if host is not None and not _HOST.fullmatch(host):  # not echoed: smtp://user:password@host happens
        v.err(key + ("host",), "is not a server's name: give the name alone, such as smtp.example.com, and the "
                               "port as port:")
        host = None
    security = str(value.get("security", "starttls")).strip().lower()
    if security not in SECURITY:
        v.err(key + ("security",), f"'{shorten(security, 20)}' is not one of {', '.join(SECURITY)} "
                                   f"(starttls: port 587; tls: port 465)")
        security = "starttls"
    port = _number(v, value.get("port", DEFAULT_PORTS[security]), key + ("port",), 1, 65535, int)
    timeout = _number(v, value.get("timeout", 30), key + ("timeout",), 1, 600, float)
    user = v.text(value["user"], key + ("user",), FieldSpec("user", "text", max_chars=254)) \
        if value.get("user") is not None else None
    password_env = str(value.get("password_env", DEFAULT_PASSWORD_ENV))
    if not _ENV_NAME.fullmatch(password_env):  # not echoed: the password itself is the likely slip
        v.err(key + ("password_env",), f"is not an environment variable's name (capitals, digits and _, such as "
                                       f"{DEFAULT_PASSWORD_ENV}); the password itself never goes in this file")
    if user and security == "none":
        v.err(key + ("security",), "none would send the password unencrypted; use starttls or tls with user:")
    if host is None or port is None or timeout is None:
        return None
    return SmtpSettings(host, int(port), security, user, password_env, float(timeout))


def _number(v: Validator, value: Any, key: tuple, low: float, high: float, kind: type) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        v.err(key, f"expected a {'whole ' if kind is int else ''}number, got {describe(value)}")
        return None
    if not low <= value <= high:
        v.err(key, f"{value} is out of range; give {low:g} to {high:g}")
        return None
    return value
