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

from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from handouts.errors import ContentError, HandoutsError
from handouts.web.app import MAX_FORM_BYTES, checked_form, files_changed, page
from handouts.web.desk import Desk, NotInProject
from handouts.web.exercise_form import (PICTURE_SLOTS, ExerciseForm, apply_op, exercise_data, form_from_data,
                                        form_from_fields, messages_by_key)

#: The dose fields, as the form labels them (DOSE_PARTS' order).
DOSE_LABELS = (("sets", "Sets"), ("reps", "Reps"), ("hold", "Hold"), ("rest", "Rest"), ("frequency", "How often"),
               ("side", "Side"))
#: The usual levels, offered first (the library's own follow).
LEVELS = ("beginner", "intermediate", "advanced", "expert")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "fr": "Français", "de": "Deutsch"}
#: A name the editor's own page has (``/exercises/new``): a new exercise never takes it as its file name.
RESERVED = frozenset({"new"})
#: The largest picture the page takes (the build prints up to 100 MB, but a phone's photo is 2-8 MB and a
#: 45-megapixel camera's largest JPEG about 25 MB), and so the body its routes take (a form's worth more).
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


class Original:
    """The content file a form was opened from, as it is now: its *text* (for the save to edit) and
    *data* (what the form keeps of it where unchanged: see :func:`exercise_data`)."""

    def __init__(self, text: str | None = None, data: Any = None) -> None:
        self.text, self.data = text, data


def opened_file(desk: Desk, exercise_id: str) -> tuple[ExerciseForm, Original]:
    """The form of the content file of *exercise_id*, and the file, both from the very bytes whose
    digest the form keeps.  Raises HTTPException 404 (no such exercise), 422 (not YAML)."""
    from handouts.web.exercise_files import BadId, open_exercise
    from handouts.web.exercise_yaml import exercise_data as file_data

    try:
        opened = open_exercise(Path(desk.content_dir), exercise_id)
        data = file_data(opened.text, f"content/{opened.path.name}")
    except (BadId, NotInProject):
        raise HTTPException(404) from None
    except ContentError as exc:
        raise HTTPException(422, "This exercise's file is not YAML the form can show; correct it in a text "
                                 "editor first: " + "; ".join(str(p) for p in exc.problems)) from None
    return form_from_data(data, opened.path.stem, opened.digest), Original(opened.text, data)


def original_of(desk: Desk, form: ExerciseForm) -> Original:
    """The file *form* was opened from, as it is now (an empty Original for a new exercise, or one
    removed or broken since: the save says so)."""
    if not form.opened:
        return Original()
    try:
        return opened_file(desk, form.opened)[1]
    except HTTPException:
        return Original()


class Said:
    """A message about one field of the form (dotted, "" for none), as the store's FieldProblem."""

    def __init__(self, field: str | None, message: str) -> None:
        self.field, self.message = field, message


def checked(desk: Desk, form: ExerciseForm, original: Original) -> tuple[list[Any], list[Any]]:
    """The errors and warnings of *form* as it would be saved (the store's own check, on the text a
    save would write), and a new exercise's file name typed that cannot be had, under ``id``."""
    from handouts.web.exercise_store import check_exercise

    exercise_id, why = (form.opened, None) if form.opened else new_exercise_id(desk, form)
    found = check_exercise(exercise_id if exercise_id and not why else "exercise", exercise_data(form, original.data),
                           Path(desk.assets_dir), original.text)
    errors = list(found.errors) + ([Said("id", why)] if why and form.exercise_id else [])
    return errors, list(found.warnings)


async def new_exercise_page(request: Request) -> Response:
    desk: Desk = request.app.state.desk
    form = ExerciseForm()
    form.lists["instructions"] = [""]
    return page(request, "exercise_edit.html", await run_in_threadpool(editor_context, desk, form))


def _edit_context(desk: Desk, exercise_id: str, notice: str | None) -> dict[str, Any]:
    form, original = opened_file(desk, exercise_id)
    errors, warnings = checked(desk, form, original)
    return editor_context(desk, form, errors, warnings, notice=notice, on_disk=True)


async def edit_exercise_page(request: Request) -> Response:
    notice = {"1": "saved", "renamed": "renamed"}.get(request.query_params.get("done", ""))
    context = await run_in_threadpool(_edit_context, request.app.state.desk, request.path_params["exercise_id"],
                                      notice)
    return page(request, "exercise_edit.html", context)


def new_exercise_id(desk: Desk, form: ExerciseForm) -> tuple[str, str | None]:
    """The file name of a new exercise: the one typed, else one made from the title that no file has
    (``bridge``, ``bridge-2``...); and why it cannot be had (None when it can)."""
    from handouts.web.exercise_files import new_exercise_id as from_title

    if form.exercise_id:
        return form.exercise_id, name_problem(desk, form.exercise_id)
    if not form.value("title"):
        return "", "give the exercise a title first (its file is named after it)"
    return from_title(form.value("title"), Path(desk.content_dir)), None


def name_problem(desk: Desk, name: str) -> str | None:
    """Why *name* cannot be a new exercise's file name, or None."""
    from handouts.web.exercise_files import BadId, checked_id, taken_by

    try:
        name = checked_id(name)
    except BadId as exc:
        return str(exc)
    if name.casefold() in RESERVED:
        return f"'{name}' is a name the front desk keeps for its own page; choose another"
    other = taken_by(Path(desk.content_dir), name)
    if other is not None:
        return f"there is an exercise '{other.stem}' already (content/{other.name}); choose another name"
    return None


def too_large() -> str:
    return f"the file is over {UPLOAD_BYTES // 2**20} MB, the most a picture uploaded here may be; " \
           "make it smaller first"


def picture_owner(desk: Desk, form: ExerciseForm) -> str:
    """The id whose folder under assets/ an uploaded picture goes in: the opened exercise's, or the
    name a new one will have (typed, or made from its title); "" when there is none yet."""
    if form.opened:
        try:
            return desk.exercise_file(form.opened).stem
        except NotInProject:
            return ""
    name, why = new_exercise_id(desk, form)
    return "" if why and not (form.exercise_id and "already" in why) else name


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
        if len(data) > UPLOAD_BYTES:
            messages[f"images.{slot}.upload"] = [too_large()]
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
    from handouts.web.exercise_preview import preview_of

    upload_messages = _uploads(desk, form, files)
    if op.partition(":")[0] in ("add", "remove", "up", "down"):
        form, focus = apply_op(form, op)
        return None, editor_context(desk, form, errors=upload_messages, focus=focus), 200
    original = original_of(desk, form)
    if op != "save" or upload_messages:
        errors, warnings = checked(desk, form, original)
        context = editor_context(desk, form, errors, warnings, errors=upload_messages,
                                 focus="preview" if op == "preview" else None)
        if op == "preview":
            context["preview"] = preview_of(desk, form, original)
        return None, context, 422 if upload_messages else 200
    return _save(desk, form, original)


def _save(desk: Desk, form: ExerciseForm, original: Original) -> tuple[str | None, dict[str, Any], int]:
    from handouts.web.exercise_store import ChangedOnDisk, SaveRefused, save_exercise

    exercise_id, why = (form.opened, None) if form.opened else new_exercise_id(desk, form)
    errors, warnings = checked(desk, form, original)
    if why or errors:  # the id, or what the store would refuse: said beside the fields, nothing written
        return None, editor_context(desk, form, errors, warnings), 422
    try:
        save_exercise(Path(desk.content_dir), Path(desk.assets_dir), exercise_id,
                      exercise_data(form, original.data), form.digest if form.opened else None)
    except SaveRefused as exc:
        return None, editor_context(desk, form, exc.errors, warnings), 422
    except (ChangedOnDisk, NotInProject):
        return None, editor_context(desk, form, conflict="changed" if original.text is not None else "removed"), 409
    except HandoutsError as exc:  # an id taken a moment ago, a folder that cannot be written
        return None, editor_context(desk, form, failure=str(exc)), 409
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
    await files_changed(request)
    return RedirectResponse(f"/exercises/{saved}/edit?done=1", status_code=303)


def _routes() -> list[Route]:
    from handouts.web.exercise_file_pages import ROUTES
    from handouts.web.exercise_preview import preview_api

    return [Route("/exercises/preview", preview_api, methods=["POST"]), *ROUTES]


ROUTES = [
    Route("/exercises/new", new_exercise_page, methods=["GET"]),
    Route("/exercises/save", save_page, methods=["POST"]),
    Route("/exercises/{exercise_id}/edit", edit_exercise_page, methods=["GET"]),
    *_routes(),
]
