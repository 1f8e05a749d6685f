"""The editor's files: pictures uploaded and shown, an exercise pasted as text, and an exercise
renamed or deleted.

A picture is checked and stored by :func:`handouts.web.picture_upload.store_upload` (the build's
rules: a PNG or JPEG by its bytes, its size, its pixels) under ``assets/<id>/``; the page shows it
from ``/pictures/<path under assets>``, which serves only a PNG or JPEG file inside ``assets/``.
A pasted text is read by ``handouts import``'s own reader and fills the form, to review before
saving.  A rename shows the programs it will change before it is made; a delete that programs
still use is refused, naming them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from handouts.errors import HandoutsError
from handouts.web.app import checked_form, files_changed, page
from handouts.web.desk import Desk, NotInProject
from handouts.web.exercise_form import ExerciseForm, clean, form_from_data
from handouts.web.exercise_pages import (UPLOAD_BYTES, editor_context, name_problem, opened_file, picture_owner,
                                         too_large)

#: What /pictures/ serves, by suffix.
PICTURE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
#: The most characters of pasted text read (a long exercise is a few thousand).
MAX_PASTE = 200_000


async def upload_api(request: Request) -> Response:
    """``POST /exercises/upload`` (``file``, and the form's ``id``/``title``/``opened`` naming whose
    picture it is): ``{"file": path under assets/, "url": where the page shows it}``, or 422 with
    ``{"error": why}``."""
    from handouts.web.picture_upload import UploadRefused, store_upload

    fields = await checked_form(request, max_files=1)
    upload = fields.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return JSONResponse({"error": "choose a picture to upload"}, status_code=422)
    data = await upload.read(UPLOAD_BYTES + 1)
    if len(data) > UPLOAD_BYTES:
        return JSONResponse({"error": too_large()}, status_code=422)
    desk: Desk = request.app.state.desk
    form = ExerciseForm(exercise_id=clean(fields.get("id"), True), opened=clean(fields.get("opened"), True),
                        text={"title": clean(fields.get("title"), True)})
    owner = picture_owner(desk, form)
    if not owner:
        return JSONResponse({"error": "give the exercise its title first: its pictures are kept in a folder "
                                      "named after it"}, status_code=422)
    try:
        stored = await run_in_threadpool(store_upload, Path(desk.assets_dir), owner, upload.filename, data)
    except UploadRefused as exc:
        return JSONResponse({"error": str(exc)}, status_code=422)
    return JSONResponse({"file": stored, "url": picture_url(stored)})


def picture_url(path: str) -> str:
    from urllib.parse import quote

    return "/pictures/" + quote(path)


def picture_file(desk: Desk, path: str) -> Path:
    """The picture *path* (relative to assets/, as an exercise names it) as a file of assets/.
    Raises NotInProject unless it is a PNG or JPEG by name, inside assets/ (links followed), there."""
    root = Path(desk.assets_dir).resolve()
    if not path or "\\" in path or "\0" in path or Path(path).suffix.lower() not in PICTURE_TYPES:
        raise NotInProject("not a picture")
    try:
        real = (root / path).resolve()
    except (OSError, RuntimeError):
        raise NotInProject("not a picture") from None
    if root not in real.parents or not real.is_file():
        raise NotInProject("not a picture of assets/")
    return real


def _shown_bytes(path: Path) -> bytes | None:
    """A JPEG's bytes without the camera's metadata (its GPS position too), for a browser that may be on
    another computer (the desk shared on the network); None: the file as it is (a PNG, or no metadata)."""
    from handouts.render.jpeg_metadata import without_metadata

    if path.suffix.lower() == ".png":
        return None
    try:
        return without_metadata(path.read_bytes())
    except (OSError, ValueError):  # not a JPEG that can be followed: shown as it is, as the build warns of it
        return None


async def picture(request: Request) -> Response:
    """``GET /pictures/<path>``: a picture of assets/, for the editor's slots."""
    try:
        path = picture_file(request.app.state.desk, request.path_params["path"])
    except NotInProject:
        raise HTTPException(404) from None
    kind, headers = PICTURE_TYPES[path.suffix.lower()], {"Cache-Control": "no-cache"}
    shown = await run_in_threadpool(_shown_bytes, path)
    if shown is not None:
        return Response(shown, media_type=kind, headers=headers)
    return FileResponse(path, media_type=kind, headers=headers)


def _imported(desk: Desk, text: str) -> dict[str, Any]:
    from handouts.web.exercise_paste import data_from_text
    from handouts.importers.common import slugify

    try:
        data, notes = data_from_text(text)
    except HandoutsError as exc:
        problems = getattr(exc, "problems", None)
        form = ExerciseForm()
        form.lists["instructions"] = [""]
        return editor_context(desk, form, pasted=text, paste_problems=[str(p) for p in problems] if problems
                              else [str(exc)])
    title = data.get("title") if isinstance(data, dict) else None
    try:
        suggested = slugify(str(title)) if title else ""
    except ValueError:
        suggested = ""
    from handouts.web.exercise_files import taken_by

    form = form_from_data(data, suggested if suggested and not name_problem(desk, suggested) else "", opened=False)
    if not form.lists.get("instructions"):
        form.lists["instructions"] = [""]
    same = taken_by(Path(desk.content_dir), suggested) if suggested else None
    if same is not None:  # the same exercise pasted twice makes a second copy (-2): say so before it is saved
        notes = (*notes, f"The library already has content/{same.name}, probably this exercise: saving this "
                         f"makes a second one. Open that one to change it instead.")
    return editor_context(desk, form, pasted=text, paste_notes=list(notes), imported=True)


async def import_page(request: Request) -> Response:
    """``POST /exercises/import``: the pasted text (``text``) read into a new exercise's form."""
    fields = await checked_form(request)
    text = str(fields.get("text") or "")[:MAX_PASTE]
    context = await run_in_threadpool(_imported, request.app.state.desk, text)
    return page(request, "exercise_edit.html", context, status=422 if context.get("paste_problems") else 200)


# ------------------------------------------------------------------ rename and delete


def _programs_shown(desk: Desk, names: Any) -> list[dict[str, Any]]:
    """The programs named *names* (file names) as the programs list shows them: the front desk knows
    a program by its client ("Jane Doe"), the file name ("jane-doe") only beside it."""
    from handouts.web.program_pages import program_list

    wanted = set(names)
    return sorted((p for p in program_list(desk) if p["name"] in wanted),
                  key=lambda p: (p["client"].casefold() or p["name"], p["name"]))


def _file_context(desk: Desk, exercise_id: str, fields: Any, action: str) -> dict[str, Any]:
    from handouts.web.program_ids import programs_using

    form, _ = opened_file(desk, exercise_id)
    title = form.value("title") or exercise_id
    users = _programs_shown(desk, programs_using(desk.programs_dir, exercise_id))
    return {"action": action, "exercise_id": exercise_id, "title": title, "programs": users,
            "digest": clean(fields.get("digest"), True) or form.digest, "new_id": clean(fields.get("new_id"), True)}


def _rename(desk: Desk, exercise_id: str, fields: Any) -> tuple[str | None, dict[str, Any], int]:
    from handouts.web.exercise_rename import rename_exercise, renamed_programs

    context = _file_context(desk, exercise_id, fields, "rename")
    new_id = context["new_id"]
    why = "give the new file name" if not new_id else name_problem(desk, new_id)
    if why:
        return None, {**context, "error": why}, 422
    if not fields.get("confirm"):
        try:  # a program that cannot be changed refuses the rename: said before the button, not after
            renamed_programs(desk.programs_dir, exercise_id, new_id)
        except HandoutsError as exc:
            return None, {**context, "error": str(exc), "blocked": True}, 409
        return None, context, 200
    try:
        rename_exercise(Path(desk.content_dir), desk.programs_dir, Path(desk.assets_dir), exercise_id, new_id,
                        context["digest"])
    except HandoutsError as exc:
        return None, {**context, "error": str(exc)}, 409
    return new_id, {}, 303


def _delete(desk: Desk, exercise_id: str, fields: Any) -> tuple[bool, dict[str, Any], int]:
    from handouts.web.exercise_store import delete_exercise

    context = _file_context(desk, exercise_id, fields, "delete")
    if context["programs"] or not fields.get("confirm"):
        return False, context, 409 if context["programs"] else 200
    try:
        delete_exercise(Path(desk.content_dir), desk.programs_dir, exercise_id, context["digest"])
    except HandoutsError as exc:
        users = _programs_shown(desk, getattr(exc, "programs", ()))
        return False, {**context, "error": str(exc), "programs": users}, 409
    return True, {}, 303


async def rename_page(request: Request) -> Response:
    """``POST /exercises/<id>/rename`` (``new_id``, ``digest``): the programs it will change, to
    confirm; with ``confirm``, renamed."""
    fields = await checked_form(request)
    done, context, status = await run_in_threadpool(_rename, request.app.state.desk,
                                                    request.path_params["exercise_id"], fields)
    if done:
        await files_changed(request)
        return RedirectResponse(f"/exercises/{done}/edit?done=renamed", status_code=303)
    return page(request, "exercise_file.html", context, status=status)


async def delete_page(request: Request) -> Response:
    """``POST /exercises/<id>/delete`` (``digest``): what it would do, to confirm (refused while
    programs use it); with ``confirm``, deleted."""
    fields = await checked_form(request)
    exercise_id = request.path_params["exercise_id"]
    done, context, status = await run_in_threadpool(_delete, request.app.state.desk, exercise_id, fields)
    if done:
        await files_changed(request)
        return RedirectResponse(f"/?deleted={exercise_id}", status_code=303)
    return page(request, "exercise_file.html", context, status=status)


ROUTES = [
    Route("/exercises/upload", upload_api, methods=["POST"]),
    Route("/exercises/import", import_page, methods=["POST"]),
    Route("/exercises/{exercise_id}/rename", rename_page, methods=["POST"]),
    Route("/exercises/{exercise_id}/delete", delete_page, methods=["POST"]),
    Route("/pictures/{path:path}", picture, methods=["GET"]),
]
