"""The library pages: every exercise, searched and filtered as you type, and each exercise's own page
with its handout's preview, its cards, and its PDFs in either print size on either paper.

The search is ``handouts list``'s (:mod:`handouts.build.library_query`), over the same index, so the
page answers in milliseconds on a library of hundreds of exercises; previews are the build's PNGs,
loaded by the browser only as they scroll into view.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from handouts.errors import HandoutsError
from handouts.web.app import page
from handouts.web.desk import PAPERS, PRINT_SIZES, Desk, NotInProject
from handouts.web.editions import describe, exercise_pdf

#: The library page's filters: form field, Entry attribute, label.
PAGE_FILTERS = (("target", "targets", "Target"), ("equipment", "equipment", "Equipment"),
                ("level", "level", "Level"), ("language", "language", "Language"))
#: Exercises the program page's search box offers at once.
SUGGESTIONS = 12


def _library(desk: Desk) -> Any:
    from handouts.build.library_index import read_library

    return read_library(desk.content_dir, desk.out_dir)


def found(request: Request) -> tuple[Any, list[Any], dict[str, str], str]:
    """The library, the entries the query asks for, the filters chosen, and the search typed."""
    from handouts.build.library_query import choose, typed_values

    library = _library(request.app.state.desk)
    chosen = {name: request.query_params.get(name, "").strip() for name, _, _ in PAGE_FILTERS}
    search = request.query_params.get("q", "").strip()
    entries = choose(library, {name: typed_values([value]) for name, value in chosen.items() if value},
                     search or None)
    return library, entries, chosen, search


def _deleted(request: Request) -> str:
    """The exercise the editor just deleted (``?deleted=<id>``), when it is a name and no such file is
    there now: a link cannot make the page announce a deletion that did not happen."""
    from handouts.web.desk import NAME

    name = request.query_params.get("deleted", "")
    try:
        request.app.state.desk.exercise_file(name)
    except NotInProject:
        return name if NAME.fullmatch(name) else ""
    return ""


async def library_page(request: Request) -> Response:
    from handouts.build.library_query import choices

    library, entries, chosen, search = await run_in_threadpool(found, request)
    context = {"entries": entries, "chosen": chosen, "search": search, "total": len(library.entries),
               "house_language": library.house_language, "errors": library.errors,
               "filters": [(name, label, choices(library, attribute)) for name, attribute, label in PAGE_FILTERS],
               "deleted": _deleted(request)}
    if request.query_params.get("partial"):  # the list alone, for the search box's live update
        return page(request, "library_results.html", context)
    return page(request, "library.html", context)


def _exercise(desk: Desk, exercise_id: str) -> tuple[Any, list[str]]:
    try:
        exercise, errors = desk.exercise(exercise_id)
    except NotInProject:
        raise HTTPException(404) from None
    return exercise, [str(p) for p in errors]


async def exercise_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    exercise_id = request.path_params["exercise_id"]
    exercise, errors = await run_in_threadpool(_exercise, desk, exercise_id)
    preview = desk.out_dir / "previews" / f"{exercise_id}.png"
    return page(request, "exercise.html", {
        "exercise": exercise, "exercise_id": exercise_id, "errors": errors, "has_preview": preview.is_file(),
        "papers": PAPERS, "sizes": PRINT_SIZES, "house_paper": desk.house_paper()},
        status=200 if exercise else 422)


async def exercise_pdf_file(request: Request) -> Response:
    """``/exercises/<id>/handout.pdf`` or ``cards.pdf``, ``?paper=a4&size=large&download=1``."""
    desk: Desk = request.app.state.desk
    kind = request.path_params["kind"]
    paper = request.query_params.get("paper") or desk.house_paper()
    size = request.query_params.get("size") or "normal"
    if kind not in ("handout", "cards") or paper not in PAPERS or size not in PRINT_SIZES:
        raise HTTPException(404)
    try:
        built = await run_in_threadpool(exercise_pdf, desk, request.path_params["exercise_id"], kind, paper, size)
    except NotInProject:
        raise HTTPException(404) from None
    except HandoutsError as exc:
        return page(request, "error.html", {"code": 422, "detail": "The PDF could not be made.",
                                            "problems": describe(exc)}, status=422)
    if built.path is None:
        return page(request, "error.html", {"code": 422, "detail": "The PDF could not be made.",
                                            "problems": [str(p) for p in built.problems]}, status=422)
    return pdf_response(built.path, f"{request.path_params['exercise_id']}-{kind}-{paper}"
                        f"{'-large' if size == 'large' else ''}.pdf", bool(request.query_params.get("download")))


def pdf_response(path: Any, name: str, download: bool) -> Response:
    """The PDF at *path*: shown in the browser's own viewer (where Print is one click), or downloaded."""
    return FileResponse(path, media_type="application/pdf", filename=name,
                        content_disposition_type="attachment" if download else "inline",
                        headers={"Cache-Control": "no-store"})


async def preview_png(request: Request) -> Response:
    return preview_response(request.app.state.desk, ("previews", f"{request.path_params['exercise_id']}.png"),
                            "no-cache")


def preview_response(desk: Desk, parts: tuple[str, ...], cache: str) -> Response:
    """The build's preview PNG at OUT/*parts*, or the stand-in picture while none is made yet.
    *cache*: the Cache-Control (``no-store`` for a program's, which shows the client's name)."""
    try:
        path = desk.output_file(*parts)
    except NotInProject:
        return RedirectResponse("/static/no-preview.svg", status_code=307)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": cache})


async def search_api(request: Request) -> Response:
    """``/api/exercises?q=words``: the best matches as ``[{"id", "title", "level"}]`` (the program page's
    search box), at most :data:`SUGGESTIONS`."""
    from handouts.build.library_query import choose

    search = request.query_params.get("q", "").strip()
    library = await run_in_threadpool(_library, request.app.state.desk)
    entries = choose(library, {}, search or None)[:SUGGESTIONS] if search else []
    return JSONResponse([{"id": e.id, "title": e.title, "level": e.level} for e in entries])


async def exercise_api(request: Request) -> Response:
    """``/api/exercises/<id>``: its title and its own dose (what a program's dose fields start from)."""
    exercise, errors = await run_in_threadpool(_exercise, request.app.state.desk, request.path_params["exercise_id"])
    if exercise is None:
        return JSONResponse({"error": errors[0] if errors else "it has mistakes"}, status_code=422)
    return JSONResponse({"id": request.path_params["exercise_id"], "title": exercise.title,
                         "dose": dict(exercise.dose)})


ROUTES = [
    Route("/", library_page, methods=["GET"]),
    Route("/exercises/{exercise_id}", exercise_page, methods=["GET"]),
    Route("/exercises/{exercise_id}/{kind}.pdf", exercise_pdf_file, methods=["GET"]),
    Route("/previews/{exercise_id}.png", preview_png, methods=["GET"]),
    Route("/api/exercises", search_api, methods=["GET"]),
    Route("/api/exercises/{exercise_id}", exercise_api, methods=["GET"]),
]
