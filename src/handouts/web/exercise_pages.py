"""The exercise editor: write a new exercise or change one in the browser, the file still the source of truth.

A form of every field (:mod:`handouts.web.exercise_form`), its lists changed by buttons that work
without JavaScript too (each is a submit button the server answers with the changed form; the
page's script does the same in place), a live preview drawn by the real layout
(:mod:`handouts.web.exercise_preview`), pictures by upload and an import from pasted text
(:mod:`handouts.web.exercise_file_pages`).  Saving is the content store's
(:func:`handouts.web.exercise_store.save_exercise`): the command line's validation first, each
message beside its field, nothing invalid written, an atomic write refused when the file changed
since the page was opened, and the file's comments and layout kept where nothing changed.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from handouts.errors import ContentError, HandoutsError
from handouts.web.app import MAX_FORM_BYTES, checked_form, page
from handouts.web.desk import NAME, Desk, NotInProject
from handouts.web.exercise_form import (PICTURE_SLOTS, ExerciseForm, apply_op, exercise_data, form_from_data,
                                        form_from_fields, messages_by_key)

#: The dose fields, as the form labels them (DOSE_PARTS' order), with an example each.
DOSE_LABELS = (("sets", "Sets", "3"), ("reps", "Reps", "10"), ("hold", "Hold", "5 s"), ("rest", "Rest", "30 s"),
               ("frequency", "How often", "twice a day"), ("side", "Side", "each side"))
#: The usual levels, offered first (the library's own follow).
LEVELS = ("beginner", "intermediate", "advanced", "expert")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch"}
#: Names of the editor's own pages: a new exercise never takes one as its file name.
RESERVED = frozenset({"new", "save", "preview", "upload", "import"})
#: The largest picture the page takes, and so the body its routes take (a form's worth more).
UPLOAD_BYTES = 25 * 1024 * 1024
PICTURE_BODIES = {"/exercises/save": UPLOAD_BYTES * PICTURE_SLOTS + MAX_FORM_BYTES,
                  "/exercises/upload": UPLOAD_BYTES + 64 * 1024}
PICTURE_SLOT_NAMES = ("Start position", "End position")


def _library(desk: Desk) -> Any:
    from handouts.build.library_index import read_library

    return read_library(desk.content_dir, desk.out_dir)


def suggestions(desk: Desk) -> dict[str, list[str]]:
    """The values the library has for the fields typed with suggestions: targets, equipment, tags,
    category and level."""
    from handouts.build.library_query import choices

    library = _library(desk)
    found = {name: choices(library, name) for name in ("targets", "equipment", "tags", "category", "level")}
    found["level"] = list(LEVELS) + [v for v in found["level"] if v.casefold() not in LEVELS]
    return found


def editor_context(desk: Desk, form: ExerciseForm, problems: Any = (), warnings: Any = (),
                   **more: Any) -> dict[str, Any]:
    """What exercise_edit.html shows: *form*, its messages beside their fields (*problems* and
    *warnings*: objects with ``field`` (dotted) and ``message``) and the library's suggestions."""
    from handouts.style.labels import LANGUAGES

    errors, general = messages_by_key(problems)
    said, said_generally = messages_by_key(warnings)
    return {"form": form, "errors": {**errors, **more.pop("errors", {})}, "general": general,
            "warnings": said, "general_warnings": said_generally, "suggestions": suggestions(desk),
            "languages": [(code, LANGUAGE_NAMES.get(code, code)) for code in LANGUAGES],
            "dose_parts": DOSE_LABELS, "slot_names": PICTURE_SLOT_NAMES, "upload_mb": UPLOAD_BYTES // 2**20,
            "has_build_preview": bool(form.opened) and (Path(desk.out_dir) / "previews" / f"{form.opened}.png")
            .is_file(), **more}


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def opened_file(desk: Desk, exercise_id: str) -> tuple[ExerciseForm, Any]:
    """The form of the content file of *exercise_id* and the file's data, both from the very bytes
    whose digest the form keeps.  Raises HTTPException 404 (no such exercise), 422 (not YAML)."""
    from handouts.content.encoding import decode_text
    from handouts.content.load import parse_yaml, read_file

    try:
        path = desk.exercise_file(exercise_id)
        raw = read_file(path)
        data = parse_yaml(decode_text(raw, f"content/{path.name}").text, f"content/{path.name}").data
    except NotInProject:
        raise HTTPException(404) from None
    except ContentError as exc:
        raise HTTPException(422, "This exercise's file is not YAML the form can show; correct it in a text "
                                 "editor first: " + "; ".join(str(p) for p in exc.problems)) from None
    return form_from_data(data, path.stem, _digest(raw)), data


def _checked(desk: Desk, form: ExerciseForm, original: Any) -> Any:
    from handouts.web.exercise_store import check_exercise

    return check_exercise(form.opened or form.exercise_id or "new-exercise", exercise_data(form, original),
                          Path(desk.assets_dir))


async def new_exercise_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    form = ExerciseForm()
    form.lists["instructions"] = [""]
    return page(request, "exercise_edit.html", await run_in_threadpool(editor_context, desk, form))


def _edit_context(desk: Desk, exercise_id: str, notice: str | None) -> dict[str, Any]:
    form, original = opened_file(desk, exercise_id)
    checked = _checked(desk, form, original)
    return editor_context(desk, form, checked.errors, checked.warnings, notice=notice, on_disk=True)


async def edit_exercise_page(request: Request) -> Response:
    notice = {"1": "saved", "renamed": "renamed"}.get(request.query_params.get("done", ""))
    context = await run_in_threadpool(_edit_context, request.app.state.desk, request.path_params["exercise_id"],
                                      notice)
    return page(request, "exercise_edit.html", context)


def new_exercise_id(desk: Desk, form: ExerciseForm) -> tuple[str, str | None]:
    """The file name of a new exercise: the one typed, else made from the title; and why it cannot
    be had (None when it can)."""
    from handouts.importers.common import slugify

    typed = form.exercise_id
    if not typed:
        try:
            typed = slugify(form.value("title"))
        except ValueError:
            return "", "give the exercise a title (or a file name) with letters or digits in it"
    return typed, name_problem(desk, typed)


def name_problem(desk: Desk, name: str) -> str | None:
    """Why *name* cannot be a new exercise's file name, or None."""
    if not NAME.fullmatch(name) or ".." in name:
        return "use letters, digits and - only (such as seated-knee-lift), at most 120"
    if name.lower() in RESERVED:
        return f"'{name}' is a name the front desk keeps for itself; choose another"
    if any((Path(desk.content_dir) / f"{name}{suffix}").exists() for suffix in (".yaml", ".yml")):
        return f"content/{name}.yaml exists already: choose another name, or open that exercise to change it"
    return None


def _original(desk: Desk, form: ExerciseForm) -> Any:
    """The opened file's data as it is now (its hand-written keys are kept), None for a new one."""
    if not form.opened:
        return None
    try:
        return opened_file(desk, form.opened)[1]
    except HTTPException:
        return None  # removed or broken since: the save says so


def picture_owner(desk: Desk, form: ExerciseForm) -> str:
    """The id whose folder under assets/ an uploaded picture goes in: the opened exercise's, or the
    name a new one will have (typed, or made from its title); "" when there is none yet."""
    if form.opened:
        try:
            return desk.exercise_file(form.opened).stem
        except NotInProject:
            return ""
    name = new_exercise_id(desk, form)[0]
    return name if NAME.fullmatch(name) and ".." not in name and name.lower() not in RESERVED else ""


def _uploads(desk: Desk, form: ExerciseForm, files: list[tuple[int, UploadFile, bytes]]) -> dict[str, list[str]]:
    """Pictures chosen in the form's file fields (a page without JavaScript uploads them with the
    form), stored and put in their slots; messages by the file field's key."""
    from handouts.web.picture_upload import UploadRefused, store_upload

    messages: dict[str, list[str]] = {}
    owner = picture_owner(desk, form)
    for slot, upload, data in files:
        if not owner:
            messages[f"images.{slot}.upload"] = ["give the exercise its title first: its pictures are kept in a "
                                                 "folder named after it"]
            continue
        try:
            stored = store_upload(Path(desk.assets_dir), owner, upload.filename or "picture", data)
        except UploadRefused as exc:
            messages[f"images.{slot}.upload"] = [str(exc)]
            continue
        form.pictures[slot] = (stored, form.pictures[slot][1])
    return messages


async def _files(fields: Any) -> list[tuple[int, UploadFile, bytes]]:
    found = []
    for slot in range(PICTURE_SLOTS):
        upload = fields.get(f"images.{slot}.upload")
        if isinstance(upload, UploadFile) and upload.filename:
            found.append((slot, upload, await upload.read(UPLOAD_BYTES + 1)))
    return found


def _post(desk: Desk, form: ExerciseForm, op: str, files: list[Any]) -> tuple[str | None, dict[str, Any], int]:
    """Answer the editor's POST: (the saved exercise's id, {}, 303), or (None, the page's context,
    status) for a page to show again: a list button's change, an upload, a preview, or a refused save."""
    upload_messages = _uploads(desk, form, files)
    if op.partition(":")[0] in ("add", "remove", "up", "down"):
        form, focus = apply_op(form, op)
        return None, editor_context(desk, form, errors=upload_messages, focus=focus), 200
    original = _original(desk, form)
    if op != "save" or upload_messages:
        checked = _checked(desk, form, original)
        context = editor_context(desk, form, checked.errors, checked.warnings, errors=upload_messages,
                                 focus="preview" if op == "preview" else None)
        if op == "preview":
            context["preview"] = preview_of(desk, form, original)
        return None, context, 422 if upload_messages else 200
    return _save(desk, form, original)


def _save(desk: Desk, form: ExerciseForm, original: Any) -> tuple[str | None, dict[str, Any], int]:
    from handouts.web.exercise_store import ChangedOnDisk, SaveRefused, save_exercise

    exercise_id, why = (form.opened, None) if form.opened else new_exercise_id(desk, form)
    if why:
        checked = _checked(desk, form, original)
        return None, editor_context(desk, form, checked.errors, checked.warnings, errors={"id": [why]}), 422
    if form.opened:
        try:
            desk.exercise_file(exercise_id)
        except NotInProject:
            return None, editor_context(desk, form, conflict="removed"), 409
    try:
        save_exercise(Path(desk.content_dir), Path(desk.assets_dir), exercise_id, exercise_data(form, original),
                      form.digest or None)
    except SaveRefused as exc:
        checked = _checked(desk, form, original)
        problems = list(getattr(exc, "errors", ())) or list(checked.errors)
        return None, editor_context(desk, form, problems, checked.warnings), 422
    except ChangedOnDisk:
        return None, editor_context(desk, form, conflict="changed"), 409
    except HandoutsError as exc:
        return None, editor_context(desk, form, failure=str(exc)), 500
    except OSError as exc:
        return None, editor_context(desk, form, failure=f"content/{exercise_id}.yaml cannot be written: "
                                                        f"{exc.strerror or type(exc).__name__}"), 500
    return exercise_id, {}, 303


async def save_page(request: Request) -> Response:
    """``POST /exercises/save``: the editor's form, with the button pressed as ``op``."""
    fields = await checked_form(request, max_files=PICTURE_SLOTS)
    form = form_from_fields(fields)
    op = str(fields.get("op") or "save")
    files = await _files(fields)
    saved, context, status = await run_in_threadpool(_post, request.app.state.desk, form, op, files)
    if saved is None:
        return page(request, "exercise_edit.html", context, status=status)
    return RedirectResponse(f"/exercises/{saved}/edit?done=1", status_code=303)


def preview_of(desk: Desk, form: ExerciseForm, original: Any) -> dict[str, Any]:
    """The preview of *form* as the page and the script show it: the PNG as a data: address (the
    page's policy lets images come from there and from this site only)."""
    from handouts.web.exercise_preview import make_preview

    exercise_id = form.opened or new_exercise_id(desk, form)[0] or "new-exercise"
    made = make_preview(desk, exercise_id, exercise_data(form, original))
    by_key, general = messages_by_key(_Said(f, m) for f, m in made.errors)
    return {"png": "data:image/png;base64," + base64.b64encode(made.png).decode("ascii") if made.png else None,
            "facts": made.facts, "errors": by_key, "general": general,
            "warnings": [f"{_field_label(f)}: {m}" if f else m for f, m in made.warnings],
            "problems": [f"{_field_label(f)}: {m}" if f else m for f, m in made.errors]}


class _Said:
    def __init__(self, field: str | None, message: str) -> None:
        self.field, self.message = field, message


def _field_label(dotted: str | None) -> str:
    """A dotted field as the page names it: ``instructions.2`` -> ``Step 3``."""
    words = {"instructions": "Step", "tips": "Tip", "description": "Paragraph", "faq": "Question",
             "images": "Picture"}
    parts = (dotted or "").split(".")
    if len(parts) > 1 and parts[0] in words and parts[1].isdigit():
        rest = " ".join(parts[2:3])
        return f"{words[parts[0]]} {int(parts[1]) + 1}" + (f", {rest}" if rest else "")
    return {"dose": "Dose", "image": "Picture"}.get(parts[0], parts[0].replace("_", " ").capitalize()) + \
        (f", {parts[1]}" if parts[0] == "dose" and len(parts) > 1 else "")


async def preview_api(request: Request) -> Response:
    """``POST /exercises/preview``: the form as it is now, answered with the preview as JSON
    (``png``: a data: address or null, ``facts``, ``warnings``, ``problems``, ``errors`` by field)."""
    fields = await checked_form(request, max_files=PICTURE_SLOTS)
    form = form_from_fields(fields)
    desk: Desk = request.app.state.desk
    made = await run_in_threadpool(lambda: preview_of(desk, form, _original(desk, form)))
    return JSONResponse(made, headers={"Cache-Control": "no-store"})


def _routes() -> list[Route]:
    from handouts.web.exercise_file_pages import ROUTES

    return ROUTES


ROUTES = [
    Route("/exercises/new", new_exercise_page, methods=["GET"]),
    Route("/exercises/save", save_page, methods=["POST"]),
    Route("/exercises/preview", preview_api, methods=["POST"]),
    Route("/exercises/{exercise_id}/edit", edit_exercise_page, methods=["GET"]),
    *_routes(),
]
