"""The front desk's web application: Starlette, its pages rendered by Jinja2 with autoescaping.

What every page shares lives here: the session (a signed cookie), the sign-in a server reachable
from other machines requires, the form token every POST must carry, the request log (method, route
and status: never the path as typed, which can hold a client's name, nor the query), and error pages
that say what went wrong in a sentence, never with a traceback.  The pages themselves are in
:mod:`handouts.web.library_pages`, :mod:`handouts.web.exercise_pages` and
:mod:`handouts.web.program_pages`.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from handouts.web.desk import Desk
from handouts.web.safety import (LOCAL_HOSTS, LoginLimiter, check_password, form_token, password_fingerprint,
                                 same_origin, session_key, token_matches)

HERE = Path(__file__).parent
LOG = logging.getLogger("handouts.web")
#: A form body larger than this is refused (a program's form is a few KB; the exercise form of issue 20 more).
MAX_FORM_BYTES = 1024 * 1024
#: A Host header that names this machine: 127.0.0.1, localhost or [::1], with a port or without.
LOCAL_HOST_HEADER = re.compile("(" + "|".join(re.escape(f"[{h}]" if ":" in h else h) for h in sorted(LOCAL_HOSTS))
                               + r")(:[0-9]{1,5})?")
#: Where a browser may go without signing in.
OPEN_PATHS = ("/login", "/static/")


@dataclass
class Settings:
    """How this server was started: whether it asks for the password, whether it is served over TLS."""

    require_password: bool = False
    https: bool = False
    builder: Any = None          # a handouts.web.builder.Builder, or None (the tests' apps)
    limiter: LoginLimiter = field(default_factory=LoginLimiter)
    #: The sessions signed in since this server started: signing out, or a restart, ends a session
    #: however the cookie was kept (the cookie alone is signed, not remembered).
    sessions: set[str] = field(default_factory=set)

    def signed_in(self, session: Any, private_dir: Path) -> bool:
        """Whether *session* (the cookie's data) was signed in here, with the password that is set now."""
        return session.get("signed_in") in self.sessions and \
            session.get("password") == password_fingerprint(private_dir)


def templates() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.tests["iso_date"] = _iso_date  # a value <input type=date> keeps (it empties any other)
    return Jinja2Templates(env=env)


def _iso_date(value: object) -> bool:
    import datetime

    try:
        return isinstance(value, str) and datetime.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def page(request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200) -> Response:
    """The template *name* with what every page shows: the form token, the build status, where we are."""
    app = request.app
    signed_in = app.state.settings.signed_in(request.session, app.state.desk.private_dir)
    shown = signed_in or not app.state.settings.require_password  # the status names files: clients' names
    full = {"csrf_token": form_token(request.session), "path": request.url.path, "signed_in": signed_in,
            "require_password": app.state.settings.require_password,
            "status": status_of(request) if shown else {"state": "off", "problems": [], "warnings": []},
            **(context or {})}
    return app.state.templates.TemplateResponse(request, name, full, status_code=status)


def status_of(request: Request) -> dict[str, Any]:
    """The background build's status; the programs that only wait for an exercise with mistakes are
    set apart as ``waiting`` (their names), so one broken exercise is one problem, not one per program."""
    from handouts.outputs.program import WAITING

    builder = request.app.state.settings.builder
    status: dict[str, Any] = builder.status() if builder is not None else {"state": "off", "problems": [],
                                                                            "warnings": []}
    problems: list[dict[str, Any]] = status.get("problems") or []
    waiting = [p for p in problems if str(p.get("path", "")).startswith("programs/") and WAITING in p["message"]]
    return {**status, "problems": [p for p in problems if p not in waiting],
            "waiting": sorted({str(p["path"]) for p in waiting})}


async def files_changed(request: Request) -> None:
    """Tell the background build that this request changed the project's files (a save, a rename, a
    delete), so the status on the next page already says the PDFs are being updated."""
    builder = request.app.state.settings.builder
    if builder is not None:
        await run_in_threadpool(builder.look)  # a look at every input file's time and size


async def checked_form(request: Request, max_files: int = 0) -> FormData:
    """The POSTed form, once its token matches this session's and it comes from this site; with
    *max_files*, up to that many files in it (a picture's route: see :class:`BodyLimit`).
    Raises HTTPException 403 (a forged or stale form), 413 (too large), 400 (too many parts)."""
    if not same_origin(request.headers.get("origin"), request.headers.get("host")):
        raise HTTPException(403, "That form came from another site, so it was not taken.")
    form = await request.form(max_files=max_files, max_fields=1000, max_part_size=MAX_FORM_BYTES)
    given = form.get("csrf_token") or request.headers.get("x-csrf-token")
    if not token_matches(request.session, given):
        raise HTTPException(403, "That form was out of date (the page was open before the server restarted, "
                                 "or in another session). Nothing was changed: go back, reload the page "
                                 "and try again.")
    return form


def local_path(target: str | None) -> str:
    """*target* when it is a path on this site (``/programs``), else ``/``: never a redirect elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


async def login_page(request: Request) -> Response:
    return page(request, "login.html", {"next": local_path(request.query_params.get("next"))})


async def login(request: Request) -> Response:
    form = await checked_form(request)
    settings: Settings = request.app.state.settings
    client = request.client.host if request.client else "unknown"
    target = local_path(str(form.get("next") or "/"))
    wait = settings.limiter.wait_seconds(client)
    if wait:
        minutes = max(1, round(wait / 60))
        return page(request, "login.html", {"next": target, "error": f"Too many wrong passwords. Try again in "
                                            f"{minutes} minute{'s' if minutes != 1 else ''}."}, status=429)
    private = request.app.state.desk.private_dir
    if not await run_in_threadpool(check_password, private, str(form.get("password") or "")):  # Argon2: ~0.2 s
        settings.limiter.failed(client)
        return page(request, "login.html", {"next": target, "error": "That password is not the one set for this "
                                            "front desk."}, status=401)
    settings.limiter.succeeded(client)
    request.session.clear()  # a new session on signing in: nothing from before carries over
    session = secrets.token_urlsafe(16)
    settings.sessions.add(session)
    request.session.update(signed_in=session, password=password_fingerprint(private))
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    await checked_form(request)
    request.app.state.settings.sessions.discard(request.session.get("signed_in"))  # a copy of the cookie is void
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


async def status_json(request: Request) -> Response:
    return JSONResponse(status_of(request), headers={"Cache-Control": "no-store"})


async def status_part(request: Request) -> Response:
    """The status line alone, for the pages' poll (see static/desk.js)."""
    return page(request, "status.html")


async def error_page(request: Request, exc: Exception) -> Response:
    return _error_page(request, exc)


def _error_page(request: Request, exc: Exception) -> Response:
    code = exc.status_code if isinstance(exc, HTTPException) else 500
    detail = exc.detail if isinstance(exc, HTTPException) and code != 404 else None
    if code == 404:
        detail = "There is no such page here. The exercise or program may have been renamed or removed."
    if code == 500:
        LOG.error("internal error: %s", type(exc).__name__)  # the type only: a message may quote client data
        detail = (f"Something went wrong on the server ({type(exc).__name__}). Nothing was half-written; "
                  "the server is still running. If it happens again, please report it.")
    if request.url.path.startswith("/api/") or request.url.path.endswith(".json"):
        return JSONResponse({"error": detail}, status_code=code)
    try:
        response = page(request, "error.html", {"code": code, "detail": detail}, status=code)
        if code == 500:  # answered outside SecurityHeaders
            response.headers.update({k.decode(): v.decode() for k, v in SecurityHeaders.HEADERS})
            response.headers["cache-control"] = "no-store"
        return response
    except Exception:  # noqa: BLE001 - the error page itself failed: plain text, never a traceback
        return Response(str(detail), status_code=code, media_type="text/plain; charset=utf-8")


class BodyLimit:
    """Refuses a request body over :data:`MAX_FORM_BYTES` as it arrives (413), however it is sent
    (a Content-Length, or chunks with none), before anything of it is kept.  *larger*: the paths
    that take a picture, and the most bytes each may send instead."""

    def __init__(self, app: ASGIApp, larger: Mapping[str, int] | None = None) -> None:
        self.app, self.larger = app, dict(larger or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.larger.get(scope["path"], MAX_FORM_BYTES) if scope.get("method") == "POST" else MAX_FORM_BYTES
        length = dict(scope.get("headers") or []).get(b"content-length", b"")
        if length.isdigit() and int(length) > limit:
            return await _too_large(scope, receive, send)
        received = [0]

        async def counted() -> Message:
            message = await receive()
            received[0] += len(message.get("body", b""))
            if received[0] > limit:
                raise HTTPException(413, "That form is too large to take.")
            return message

        await self.app(scope, counted, send)


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    await Response("That form is too large to take.", status_code=413,
                   media_type="text/plain; charset=utf-8")(scope, receive, send)


class SignIn:
    """Sends a browser that has not signed in to /login (only when the server asks for a password)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.settings.require_password:
            return await self.app(scope, receive, send)
        request = Request(scope)
        path = request.url.path
        if path in OPEN_PATHS or path.startswith(tuple(p for p in OPEN_PATHS if p.endswith("/"))) or \
                self.settings.signed_in(request.session, scope["app"].state.desk.private_dir):
            return await self.app(scope, receive, send)
        if path.startswith("/api/") or path.endswith(".json") or request.method != "GET":
            response: Response = JSONResponse({"error": "sign in first"}, status_code=401)
        else:
            response = RedirectResponse(f"/login?next={quote(path)}", status_code=303)
        await response(scope, receive, send)


class LocalHostOnly:
    """A desk without a password answers only requests addressed to this machine by name
    (``Host: 127.0.0.1:8000``, ``localhost``, ``[::1]``): a web page elsewhere that points a name
    of its own at 127.0.0.1 (DNS rebinding) would otherwise read the clients' programs."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if not self.settings.require_password and not _local_host(scope):
            response = Response("This front desk answers only at 127.0.0.1 or localhost.", status_code=421,
                                media_type="text/plain; charset=utf-8")
            return await response(scope, receive, send)
        if _cross_site_fetch(scope):
            response = Response("Another site's page cannot use this front desk.", status_code=403,
                                media_type="text/plain; charset=utf-8")
            return await response(scope, receive, send)
        await self.app(scope, receive, send)


def _cross_site_fetch(scope: Scope) -> bool:
    """A request another site's page made in the background (an image, a prefetch, a script, a fetch):
    refused, so that a page elsewhere cannot learn which programs exist or start builds.  Following a
    link to the desk (a navigation) is still let in, as is every request of a browser that does not
    send Fetch Metadata (its Origin and the form token still guard every change)."""
    headers = dict(scope.get("headers") or [])
    return headers.get(b"sec-fetch-site") == b"cross-site" and headers.get(b"sec-fetch-mode") != b"navigate"


def _local_host(scope: Scope) -> bool:
    host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").lower()
    return LOCAL_HOST_HEADER.fullmatch(host) is not None


class RequestLog:
    """One log line per request: method, the route's pattern (``/programs/{name}``), status and time.
    Never the path as typed nor the query: a program's name or a search can be a client's name."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started, status = time.perf_counter(), [0]

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            route = scope.get("route")
            pattern = getattr(route, "path", None) or ("/static/..." if scope["path"].startswith("/static/")
                                                       else "(not routed)")
            code = status[0] or 500  # no response started: an exception, answered by the error page outside
            LOG.info("%s %s %d %.0f ms", scope["method"], pattern, code, (time.perf_counter() - started) * 1000)


class SecurityHeaders:
    """Headers that keep pages from being framed by other sites or loading anything from elsewhere."""

    HEADERS = [(b"content-security-policy", b"default-src 'self'; img-src 'self' data:; object-src 'self'; "
                                            b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
               (b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin")]

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = scope["type"] == "http" and scope["path"].startswith("/static/")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", [])) + self.HEADERS
                if not static and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))  # pages with clients' names: not kept
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending if scope["type"] == "http" else send)


class FrontDesk(Starlette):
    """Starlette, whose error middleware answers an unexpected error with the error page and then
    raises it again for the server to log; uvicorn would log its traceback, which can quote what a
    client typed.  The page has been sent and the type logged (see :func:`_error_page`): it ends here."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except Exception:  # noqa: BLE001 - answered and logged (by type) already
            pass


def make_app(desk: Desk, settings: Settings | None = None) -> Starlette:
    """The front desk for *desk*'s project.  *settings*: password, TLS and the background build."""
    from handouts.web import exercise_pages, library_pages, program_pages

    settings = settings or Settings()
    routes = [Route("/login", login_page, methods=["GET"]), Route("/login", login, methods=["POST"]),
              Route("/logout", logout, methods=["POST"]), Route("/status.json", status_json),
              Route("/status", status_part),
              *exercise_pages.ROUTES, *library_pages.ROUTES, *program_pages.ROUTES,
              Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]
    middleware = [Middleware(RequestLog), Middleware(SecurityHeaders),
                  Middleware(BodyLimit, larger=exercise_pages.PICTURE_BODIES),
                  Middleware(SessionMiddleware, secret_key=session_key(desk.private_dir),
                             session_cookie="handouts_session", same_site="strict", https_only=settings.https,
                             max_age=12 * 3600),
                  Middleware(LocalHostOnly, settings=settings), Middleware(SignIn, settings=settings)]
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[Response]]] = {
        HTTPException: error_page, Exception: error_page}
    app = FrontDesk(routes=routes, middleware=middleware, exception_handlers=handlers)
    app.state.desk, app.state.settings, app.state.templates = desk, settings, templates()
    return app
