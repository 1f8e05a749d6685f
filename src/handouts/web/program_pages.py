"""The programs pages: every client's program, newest first, and the page that makes or changes one.

A program made here is ``programs/<name>.yaml``, the same file ``handouts program`` builds: the
form is turned into that YAML and checked by the command line's own validation before anything is
written (:mod:`handouts.web.program_form`), each message shown beside the field it concerns; the
save is atomic, and refused when the file changed since the page was opened (another front-desk
browser, an editor), so nobody's changes are lost without a word.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from handouts.errors import HandoutsError
from handouts.web.app import checked_form, files_changed, page
from handouts.web.desk import Desk, NotInProject
from handouts.web.editions import describe, program_pdf
from handouts.web.library_pages import pdf_response, preview_response

EDITIONS = {"print": "Print edition", "email": "Email edition"}
#: A program's dose fields, as the form labels them (content.exercise.DOSE_PARTS' order).
DOSE_LABELS = (("sets", "Sets"), ("reps", "Reps"), ("hold", "Hold"), ("rest", "Rest"),
               ("frequency", "How often"), ("side", "Side"))
#: Names of the programs pages themselves: a new program never takes one as its file name.
RESERVED = frozenset({"new", "save"}) | frozenset(  # and Windows' device names, which no file can have there
    ["con", "prn", "aux", "nul"] + [f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)])


def _titles(desk: Desk) -> dict[str, str]:
    from handouts.build.library_index import read_library

    return {e.id: e.title for e in read_library(desk.content_dir, desk.out_dir).entries}


def program_list(desk: Desk) -> list[dict[str, Any]]:
    """Every program file as the list shows it: name, client, date, number of exercises; newest first
    (by date, then by when the file was changed).  A file with mistakes is listed too, marked."""
    import yaml

    from handouts.build.gather import yaml_files

    found = []
    for path in yaml_files(desk.programs_dir):
        try:
            data = yaml.safe_load(path.read_bytes())
            changed = path.stat().st_mtime
        except (OSError, yaml.YAMLError, ValueError, RecursionError):  # a file with mistakes is still listed
            data, changed = None, 0.0
        data = data if isinstance(data, dict) else {}
        when = data.get("date")
        date = when.isoformat() if isinstance(when, (datetime.date, datetime.datetime)) else str(when or "")
        exercises = data.get("exercises")
        found.append({"name": path.stem, "client": str(data.get("client") or ""), "date": date[:10],
                      "exercises": len(exercises) if isinstance(exercises, list) else 0,
                      "readable": bool(data), "changed": changed})
    return sorted(found, key=lambda p: (p["date"], p["changed"]), reverse=True)


async def programs_page(request: Request) -> Response:
    programs = await run_in_threadpool(program_list, request.app.state.desk)
    search = request.query_params.get("q", "").strip()
    if search:
        from handouts.content.search import fold

        programs = [p for p in programs if fold(search) in fold(f"{p['client']} {p['name']} {p['date']}")]
    return page(request, "programs.html", {"programs": programs, "search": search})


def _form_context(desk: Desk, form: Any, checked: Any = None, **more: Any) -> dict[str, Any]:
    from handouts.style.labels import LANGUAGES

    titles = _titles(desk)
    return {"form": form, "titles": titles, "languages": list(LANGUAGES), "dose_parts": DOSE_LABELS,
            "errors": checked.by_field if checked else {}, "general": checked.general if checked else [],
            "is_new": not form.name, **more}


async def new_program_page(request: Request) -> Response:
    from handouts.content.program import today
    from handouts.web.program_form import ProgramForm

    form = ProgramForm(name="", version="", client="", first_name="", email="", clinician="",
                       date=today().isoformat(), language="", large_print=False, notes="", rows=())
    desk: Desk = request.app.state.desk
    return page(request, "program.html", await run_in_threadpool(_form_context, desk, form))


def _program_context(desk: Desk, name: str, saved: bool) -> dict[str, Any]:
    from handouts.web.program_form import form_from_file

    try:
        path = desk.program_file(name)
    except NotInProject:
        raise HTTPException(404) from None
    try:
        form = form_from_file(path, OwnDoses(desk))  # empty dose parts shown as the exercise's own
    except HandoutsError as exc:
        raise HTTPException(422, "This program file is not YAML a form can show: " + "; ".join(describe(exc))) \
            from None
    preview = Path(desk.out_dir) / "previews" / "programs" / f"{path.stem}.png"
    problems, file_warnings = _file_problems(desk, path, form)
    return _form_context(desk, form, problems, saved=saved, on_disk=True, file_warnings=file_warnings,
                         has_preview=preview.is_file(), editions=EDITIONS,
                         can_send=desk.mail_server() is not None)


def _file_problems(desk: Desk, path: Path, form: Any) -> tuple[Any, list[str]]:
    """What is wrong with the file as it is on disk (a hand edit, say), beside the fields; and, in
    general, what the form cannot show and a save would drop (a key of no field: ``colour:``)."""
    from handouts.build.library_index import content_names
    from handouts.content.program import load_program
    from handouts.errors import ContentError
    from handouts.web.program_form import Checked, sort_problems, check

    known = [p.stem for p in content_names(desk.content_dir)]
    try:
        _, warnings = load_program(path, known)
    except ContentError as exc:
        checked = Checked()
        sort_problems(exc.problems, checked.by_field, checked.general)
        return checked, [f"{w.field}: {w.message}" if w.field else w.message for w in exc.warnings]
    checked = check(form, path.stem, known)  # the file is good: only what printing it would refuse
    said = [f"{w.field}: {w.message}" if w.field else w.message for w in warnings]
    return (checked if checked.by_field or checked.general else None), said


async def program_page(request: Request) -> Response:
    context = await run_in_threadpool(_program_context, request.app.state.desk, request.path_params["name"],
                                      bool(request.query_params.get("saved")))
    return page(request, "program.html", context)


class OwnDoses(Mapping[str, Mapping[str, str]]):
    """Every exercise's own dose by id (what an empty dose field means), each read when first asked
    for: a program names a few exercises of a library of hundreds.  An exercise whose file has
    mistakes, or that is no file of the library, has none."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._read: dict[str, Mapping[str, str]] = {}

    def __getitem__(self, exercise_id: str) -> Mapping[str, str]:
        if exercise_id not in self._read:
            try:
                exercise, _ = self.desk.exercise(exercise_id)
            except NotInProject:
                raise KeyError(exercise_id) from None
            self._read[exercise_id] = dict(exercise.dose) if exercise is not None else {}
        return self._read[exercise_id]

    def __iter__(self) -> Iterator[str]:
        from handouts.build.library_index import content_names

        return iter(path.stem for path in content_names(self.desk.content_dir))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _save(desk: Desk, fields: Any) -> tuple[str | None, dict[str, Any], int]:
    """Check and save the POSTed program: (its name, {}, 200) or (None, the page's context, status)."""
    from handouts.build.library_index import content_names
    from handouts.web.desk import new_program_name
    from handouts.web.program_form import ProgramChanged, check, form_from_fields, save

    form = form_from_fields(fields)
    doses = OwnDoses(desk)
    known = [p.stem for p in content_names(desk.content_dir)]
    for _attempt in range(3):  # a new program whose name another desk took a moment ago: the next name
        if form.name:  # removed since the page was opened: save() says it changed, and the form is kept
            try:
                path = desk.program_file(form.name, must_exist=False)
            except NotInProject:
                raise HTTPException(404) from None
        else:
            name = new_program_name(form.client, lambda n: n in RESERVED or (desk.programs_dir / f"{n}.yaml").exists())
            path = desk.program_file(name, must_exist=False)
        checked = check(form, path.stem, known, titles=lambda: _titles(desk), shown_path=f"programs/{path.name}",
                        exercise_doses=doses)
        if not checked.ok:
            return None, _form_context(desk, form, checked), 422
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save(form, path, doses)
        except ProgramChanged:
            if form.name:
                return None, _form_context(desk, form, conflict=path.stem), 409
            continue
        except HandoutsError as exc:
            return None, _form_context(desk, form, failure=describe(exc)), 500
        except OSError as exc:  # the programs folder cannot be written, the disk is full
            return None, _form_context(desk, form, failure=[f"programs/{path.name}: cannot write: "
                                                            f"{exc.strerror or type(exc).__name__}"]), 500
        return path.stem, {}, 200
    return None, _form_context(desk, form, failure=["another program was being saved under the same name; "
                                                    "save again"]), 409


async def save_program(request: Request) -> Response:
    fields = await checked_form(request)
    desk: Desk = request.app.state.desk
    name, context, status = await run_in_threadpool(_save, desk, fields)
    if name is None:
        return page(request, "program.html", context, status=status)
    await files_changed(request)
    if fields.get("then") == "open":  # Save and open the PDF
        return RedirectResponse(f"/programs/{name}/program.pdf", status_code=303)
    return RedirectResponse(f"/programs/{name}?saved=1", status_code=303)


async def program_pdf_file(request: Request) -> Response:
    """``/programs/<name>/program.pdf?edition=print|email&download=1``, built when missing or stale."""
    edition = request.query_params.get("edition") or "print"
    if edition not in EDITIONS:
        raise HTTPException(404)
    name = request.path_params["name"]
    try:
        built = await run_in_threadpool(program_pdf, request.app.state.desk, name, edition)
    except NotInProject:
        raise HTTPException(404) from None
    except HandoutsError as exc:
        return page(request, "error.html", {"code": 422, "detail": "The program's PDF could not be made.",
                                            "problems": describe(exc)}, status=422)
    if built.path is None:
        problems = [str(p) for p in built.problems]
        return page(request, "error.html", {"code": 422, "detail": "The program's PDF could not be made.",
                                            "problems": problems}, status=422)
    suffix = "" if edition == "print" else "-email"
    return pdf_response(built.path, f"{name}{suffix}.pdf", bool(request.query_params.get("download")))


async def program_preview(request: Request) -> Response:
    return preview_response(request.app.state.desk, ("previews", "programs", f"{request.path_params['name']}.png"),
                            "no-store")


def _email_routes() -> list[Route]:
    from handouts.web.email_pages import ROUTES

    return ROUTES


ROUTES = [
    Route("/programs", programs_page, methods=["GET"]),
    Route("/programs/new", new_program_page, methods=["GET"]),
    Route("/programs/save", save_program, methods=["POST"]),
    Route("/programs/{name}", program_page, methods=["GET"]),
    Route("/programs/{name}/program.pdf", program_pdf_file, methods=["GET"]),
    Route("/previews/programs/{name}.png", program_preview, methods=["GET"]),
    *_email_routes(),
]
