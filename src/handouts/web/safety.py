"""What keeps the front desk safe: its password, its session key, forged forms and guessed passwords.

- The password is stored as an Argon2id hash (argon2-cffi's defaults, RFC 9106's second recommended
  option) in ``.handouts/password``, owner-only, never in clinic.yaml.
- Sessions are signed cookies (Starlette's SessionMiddleware, itsdangerous); the key is 32 random bytes
  in ``.handouts/session-key``, made on first use, so signing in survives a restart of the server.
- Every form carries a per-session token (the synchronizer token pattern, OWASP's CSRF cheat sheet) and a
  request whose ``Origin`` is another site's is refused whatever it carries.
- Sign-in is rate limited per client address: :data:`MAX_FAILURES` wrong passwords within
  :data:`FAILURE_WINDOW_SECONDS` lock that address out until the oldest of them is that old.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

from handouts.errors import HandoutsError

PASSWORD_FILE = "password"
SESSION_KEY_FILE = "session-key"
#: A password shorter than this is refused when set: NIST SP 800-63B's minimum for a memorised secret.
MIN_PASSWORD_CHARS = 8
MAX_FAILURES = 5
FAILURE_WINDOW_SECONDS = 15 * 60
#: Hosts a browser on this machine reaches the server by: no password is needed there.
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class PasswordError(HandoutsError):
    """No password set for a server other machines can reach, or one too short to set."""


def _write_private(path: Path, data: bytes) -> None:
    """*data* in *path*, owner-only (0600 in a 0700 folder, the file so from its first byte), replacing
    what was there.  Raises OutputError."""
    from handouts.write import atomic_write_bytes, keep_private

    keep_private(path.parent.parent, path.parent.name)
    atomic_write_bytes(path, data, durable=True, private=True)


def set_password(private_dir: Path, password: str) -> None:
    """Store *password*'s Argon2id hash in ``private_dir/password``.  Raises PasswordError when it is
    shorter than :data:`MIN_PASSWORD_CHARS`."""
    from argon2 import PasswordHasher

    if len(password.strip()) < MIN_PASSWORD_CHARS:
        raise PasswordError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")
    _write_private(Path(private_dir) / PASSWORD_FILE, PasswordHasher().hash(password).encode("ascii"))
    _write_private(Path(private_dir) / SESSION_KEY_FILE, secrets.token_hex(32).encode("ascii"))  # every cookie void


def password_fingerprint(private_dir: Path) -> str:
    """A digest of the stored hash ("" when none): a session signed in under another password is void."""
    import hashlib

    try:
        return hashlib.sha256((Path(private_dir) / PASSWORD_FILE).read_bytes()).hexdigest()[:32]
    except OSError:
        return ""


def has_password(private_dir: Path) -> bool:
    return (Path(private_dir) / PASSWORD_FILE).is_file()


def check_password(private_dir: Path, password: str) -> bool:
    """Whether *password* is the one set (False when none is set or the stored hash is damaged)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import Argon2Error, InvalidHashError

    try:
        stored = (Path(private_dir) / PASSWORD_FILE).read_text("ascii").strip()
        return PasswordHasher().verify(stored, password)
    except (OSError, UnicodeError, Argon2Error, InvalidHashError):
        return False


def session_key(private_dir: Path) -> str:
    """The key that signs session cookies: read from ``private_dir/session-key``, made there when absent."""
    path = Path(private_dir) / SESSION_KEY_FILE
    try:
        key = path.read_text("ascii").strip()
        if len(key) >= 32:
            return key
    except (OSError, UnicodeError):
        pass
    key = secrets.token_hex(32)
    _write_private(path, key.encode("ascii"))
    return key


def form_token(session: dict) -> str:
    """This session's form token, made on first use: every form carries it as ``csrf_token``."""
    token = session.get("csrf")
    if not isinstance(token, str) or len(token) < 32:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def token_matches(session: dict, given: object) -> bool:
    expected = session.get("csrf")
    return isinstance(expected, str) and isinstance(given, str) and hmac.compare_digest(expected, given)


def same_origin(origin: str | None, host: str | None) -> bool:
    """Whether a request's ``Origin`` header (None when the browser sent none) names the server's own
    host (the ``Host`` header, with its port)."""
    if origin is None:
        return True  # a browser sends Origin with every cross-site POST; the token still has to match
    parts = urlsplit(origin)
    return bool(host) and parts.netloc.lower() == (host or "").lower()


def is_local(host: str) -> bool:
    return host in LOCAL_HOSTS


class LoginLimiter:
    """Wrong passwords counted per client address (thread-safe, in memory: a restart forgets them)."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = FAILURE_WINDOW_SECONDS,
                 clock=time.monotonic) -> None:
        self.max_failures, self.window, self.clock = max_failures, window, clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, client: str) -> int:
        """How long *client* must wait before trying again (0: it may try now)."""
        with self._lock:
            failures = self._recent(client)
            if len(failures) < self.max_failures:
                return 0
            return max(1, int(failures[0] + self.window - self.clock()) + 1)

    def failed(self, client: str) -> None:
        with self._lock:
            self._recent(client).append(self.clock())

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= self.clock() - self.window:
            failures.popleft()
        return failures
