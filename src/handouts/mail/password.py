"""The SMTP password: from the environment, or the system keyring; never from a file.

``clinic.yaml`` names the environment variable (``password_env``, default
``HANDOUTS_SMTP_PASSWORD``).  When it is not set and the optional ``keyring`` package is
installed (``pip install 'handouts[keyring]'``), the password stored under the service
``handouts:<host>`` and the user name is used (``keyring set handouts:smtp.example.com
front-desk@clinic.example``).  The password is handed to the SMTP login and to nothing
else: no message, draft, log or error ever holds it.
"""

from __future__ import annotations

import os

from handouts.content.clinic import Clinic
from handouts.content.clinic_email import SmtpSettings
from handouts.errors import ContentError


def keyring_service(smtp: SmtpSettings) -> str:
    return f"handouts:{smtp.host}"


def _from_keyring(smtp: SmtpSettings) -> str | None:
    if not smtp.user:
        return None
    try:
        import keyring  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    try:
        found = keyring.get_password(keyring_service(smtp), smtp.user)
    except Exception:  # no usable backend (a server with no keyring daemon): as if nothing were stored
        return None
    return found if isinstance(found, str) and found else None


def smtp_password(smtp: SmtpSettings, clinic: Clinic) -> str | None:
    """The password for *smtp*'s user (None when the server takes mail without logging in).

    Raises ContentError, located at clinic.yaml's ``user:``, when there is none to be found.
    """
    if not smtp.user:
        return None
    found = os.environ.get(smtp.password_env) or _from_keyring(smtp)
    if found:
        return found
    raise ContentError(clinic.problem(
        "email, smtp, user", f"no password for {smtp.user}: set the environment variable {smtp.password_env}, "
                             f"or store it in the system keyring as service '{keyring_service(smtp)}'"))
