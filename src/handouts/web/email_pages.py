"""Emailing a program from its page: a draft to download (opened by the clinic's mail program, sent
from there), or sent through clinic.yaml's own mail server once the person at the desk confirms.

Both are ``handouts email``'s own work (:mod:`handouts.mail`): the same message, the same sent log
(a program is not sent twice unless asked), the same one-line reasons when a message fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from handouts.errors import HandoutsError
from handouts.web.app import checked_form, page
from handouts.web.desk import Desk, NotInProject
from handouts.web.editions import describe

EDITIONS = ("print", "email")


def _letters(desk: Desk, name: str, edition: str) -> tuple[Any, list[str]]:
    """The program's letter (with its draft written), or None and why not."""
    from handouts.mail.letters import make_letters

    try:
        path = desk.program_file(name)
    except NotInProject:
        raise HTTPException(404) from None
    try:
        report = make_letters(desk.options(), (path,), (), None, edition=edition)
    except HandoutsError as exc:
        return None, describe(exc)
    problems = [str(p) for b in report.builds for p in b.errors] + [str(p) for p in report.errors]
    if not report.letters:
        return None, problems or ["the program could not be made into a message"]
    return report.letters[0], problems


def _edition(value: Any) -> str:
    edition = str(value or "email")
    if edition not in EDITIONS:
        raise HTTPException(404)
    return edition


async def draft(request: Request) -> Response:
    """POST ``/programs/<name>/draft``: the message as an ``.eml`` file, which mail programs open as a
    message ready to send (``X-Unsent: 1``)."""
    form = await checked_form(request)
    letter, problems = await run_in_threadpool(_letters, request.app.state.desk, request.path_params["name"],
                                               _edition(form.get("edition")))
    if letter is None:
        return page(request, "error.html", {"code": 422, "detail": "No email draft was made.", "problems": problems},
                    status=422)
    return Response(Path(letter.draft).read_bytes(), media_type="message/rfc822",
                    headers={"Content-Disposition": attachment_header(Path(letter.draft).name),
                             "Cache-Control": "no-store"})


def attachment_header(name: str) -> str:
    """``Content-Disposition`` for a download named *name* in any script: an ASCII stand-in, and the
    name itself in UTF-8 (RFC 6266 with RFC 8187's ``filename*``), which every current browser uses."""
    from urllib.parse import quote

    plain = name.encode("ascii", "replace").decode("ascii").replace("?", "_").replace('"', "_").replace("\\", "_")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name)}"


async def send_page(request: Request) -> Response:
    """GET ``/programs/<name>/send``: who it goes to and through which server, and the Send button."""
    from handouts.web.program_form import form_from_file

    desk: Desk = request.app.state.desk
    try:
        form = form_from_file(desk.program_file(request.path_params["name"]), {})
    except NotInProject:
        raise HTTPException(404) from None
    except HandoutsError as exc:
        raise HTTPException(422, "; ".join(describe(exc))) from None
    return page(request, "send.html", {"form": form, "server": desk.mail_server(),
                                       "edition": _edition(request.query_params.get("edition"))})


def _send(desk: Desk, name: str, edition: str, resend: bool) -> dict[str, Any]:
    from handouts.mail.delivery import send_letters

    letter, problems = _letters(desk, name, edition)
    if letter is None:
        return {"problems": problems}
    try:
        delivery = send_letters([letter], desk.options().clinic, Path(desk.out_dir), resend,
                                confirm=lambda _: True, progress=lambda *_: None)
    except HandoutsError as exc:
        return {"problems": describe(exc)}
    assert delivery is not None  # confirm always agrees: the person pressed Send
    return {"sent": [d.to for d in delivery.sent], "failed": [(d.to, why) for d, why in delivery.failed],
            "already": [(d.to, sent.time[:16].replace("T", " ")) for d, sent in delivery.already],
            "problems": problems + [str(w) for w in delivery.warnings]}


async def send(request: Request) -> Response:
    form = await checked_form(request)
    result = await run_in_threadpool(_send, request.app.state.desk, request.path_params["name"],
                                     _edition(form.get("edition")), form.get("resend") == "on")
    failed = bool(result.get("failed") or (result.get("problems") and not result.get("sent")))
    return page(request, "sent.html", {"name": request.path_params["name"], **result},
                status=502 if failed else 200)


ROUTES = [
    Route("/programs/{name}/draft", draft, methods=["POST"]),
    Route("/programs/{name}/send", send_page, methods=["GET"]),
    Route("/programs/{name}/send", send, methods=["POST"]),
]
