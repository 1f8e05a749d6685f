"""The editor's live preview: the handout's first page as it would print from the form as it is now.

Made as the build makes it (:class:`handouts.outputs.handout.HandoutTask`): the exercise read and
validated from the very text a save would write, in the house language, on the house paper with
the clinic's footer, laid out by the real layout and drawn by the real renderer; then its first
page rasterised as the build's preview PNG is (:func:`handouts.render.preview.first_page_png`).
Nothing is written into ``output/`` or ``content/``: the PDF and the PNG are bytes in memory (the
prepared pictures go to the user's picture cache, as a build's do).

What the page says beside the picture comes from the layout itself: the body's type size
(``HandoutLayout.body_size``: "Printed at 10.5 pt"), how many description paragraphs it left
out (its ``description`` notice, the one the build's summary counts), how many pages it takes,
and the warnings a build would give (a missing picture, a hold without a unit).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from handouts.errors import ContentError, HandoutsError, LayoutOverflowError, Problem, UnprintableTextError
from handouts.web.desk import Desk

#: One preview is drawn at a time: ReportLab keeps some state per process, and a desk's previews
#: are asked for one after another (the page cancels a stale one before asking again).
_DRAWING = threading.Lock()


@dataclass
class Preview:
    """What the preview shows.  *png*: the first page (None when the form cannot be printed yet:
    see *errors*); *facts*: lines such as ``Printed at 12 pt``; *warnings*: (field, message) a
    build would warn of; *errors*: (field, message) that stop the handout, the form's mistakes
    among them."""

    png: bytes | None = None
    facts: list[str] = field(default_factory=list)
    warnings: list[tuple[str | None, str]] = field(default_factory=list)
    errors: list[tuple[str | None, str]] = field(default_factory=list)


def _located(problems: list[Problem]) -> list[tuple[str | None, str]]:
    """*problems* by the form's dotted field (``faq.1.answer``), as the store names them."""
    from handouts.web.exercise_store import dotted

    return [(dotted(p.field) or None, p.message) for p in problems]


def exercise_of(exercise_id: str, data: dict[str, Any]) -> tuple[Any, list[Problem]]:
    """The exercise *data* is, read and validated from the text a new file of it would be (the
    same reading a build does), and its warnings.  Raises ContentError with its mistakes."""
    from handouts.content.exercise import validate
    from handouts.content.load import parse_yaml
    from handouts.web.exercise_yaml import new_exercise_text

    document = parse_yaml(new_exercise_text(data), f"content/{exercise_id}.yaml")
    return validate(document, exercise_id)


def make_preview(desk: Desk, exercise_id: str, data: dict[str, Any]) -> Preview:
    """The preview of *data* as the handout of *exercise_id* (a name the form gave, or a stand-in
    for a new exercise's).  Never raises for what the form holds: its mistakes are *errors*."""
    from handouts.render.canvas import handout_pdf
    from handouts.render.exercise import author, clinic_context, handout_info, in_language, lay_out_handout
    from handouts.render.preview import first_page_png

    preview = Preview()
    try:
        exercise, warnings = exercise_of(exercise_id, data)
    except ContentError as exc:
        preview.errors = _located(exc.problems)
        return preview
    except HandoutsError as exc:  # data no YAML reads back the same (the writer's safeguard: never seen)
        preview.errors = [(None, str(exc))]
        return preview
    try:
        options = desk.options()
    except HandoutsError as exc:  # clinic.yaml has mistakes: the build status says which
        preview.errors = [(None, f"clinic.yaml: {exc}")]
        return preview
    exercise = in_language(exercise, options.house_language())
    try:
        with _DRAWING:
            context, _ = clinic_context(options.clinic, options.assets_dir, options.out_dir, options.theme)
            layout, said = lay_out_handout(exercise, options.assets_dir, options.out_dir, options.paper,
                                           options.theme, context)
            pdf = handout_pdf(layout, handout_info(exercise, author(options.clinic)))
            preview.png = first_page_png(pdf)
    except (LayoutOverflowError, UnprintableTextError) as exc:
        preview.errors = _located(exc.problems)
        return preview
    preview.facts = facts(layout, len(exercise.description), options.theme.comfortable_size)
    preview.warnings = _located([p for p in warnings + said if p.notice is None])
    return preview


def facts(layout: Any, paragraphs: int, comfortable: float) -> list[str]:
    """What the page beside the picture says of *layout* (a HandoutLayout of an exercise with
    *paragraphs* description paragraphs): its type size, the paragraphs left out, its pages."""
    size = f"Printed at {layout.body_size:g} pt"
    said = [size + (f" (smaller than the comfortable {comfortable:g} pt: shorten it to print larger)"
                    if layout.body_size < comfortable else "")]
    left_out = paragraphs - layout.description_shown
    if left_out > 0:
        said.append(f"{left_out} of {paragraphs} description paragraph{'s' if paragraphs != 1 else ''} "
                    "left out to fit the page")
    if len(layout.pages) > 1:
        said.append(f"Continues on page 2 ({len(layout.pages)} pages in all; this is page 1)")
    if layout.picture_share < 1:
        said.append(f"Pictures printed at {round(layout.picture_share * 100)}% of their full size to fit")
    return said


def preview_of(desk: Desk, form: Any, original: Any) -> dict[str, Any]:
    """The preview of the editor's *form* (an ExerciseForm; *original*: the file it was opened from)
    as the page and its script show it: the PNG as a data: address (the pages' policy lets pictures
    come from this site and from data: only), the facts, and the problems named as the page names
    the fields (``Step 3: is empty``)."""
    import base64

    from handouts.web.exercise_form import exercise_data
    from handouts.web.exercise_pages import new_exercise_id

    exercise_id = form.opened or new_exercise_id(desk, form)[0] or "exercise"
    made = make_preview(desk, exercise_id, exercise_data(form, original.data))
    return {"png": "data:image/png;base64," + base64.b64encode(made.png).decode("ascii") if made.png else None,
            "facts": made.facts,
            "warnings": [f"{field_label(f)}: {m}" if f else m for f, m in made.warnings],
            "problems": [f"{field_label(f)}: {m}" if f else m for f, m in made.errors]}


#: How the page names the items of a list (``instructions.2`` is "Step 3"), and the lists and fields.
ITEM_LABELS = {"instructions": "Step", "tips": "Tip", "description": "Paragraph", "faq": "Question",
               "images": "Picture"}
FIELD_LABELS = {"instructions": "Steps", "tips": "Tips", "description": "Description", "faq": "Questions",
                "images": "Pictures", "image": "Picture", "video": "Video address", "language": "Language",
                "dose": "Dose"}


def field_label(key: str | None) -> str:
    """A dotted field as the page names it: ``instructions.2`` -> ``Step 3``, ``faq.0.answer`` ->
    ``Question 1, answer``, ``instructions`` -> ``Steps``, ``dose.hold`` -> ``Dose, hold``."""
    parts = (key or "").split(".")
    if len(parts) > 1 and parts[0] in ITEM_LABELS and parts[1].isdigit():
        return f"{ITEM_LABELS[parts[0]]} {int(parts[1]) + 1}" + (f", {parts[2]}" if len(parts) > 2 else "")
    return ", ".join([FIELD_LABELS.get(parts[0], parts[0].capitalize()), *parts[1:]])


async def preview_api(request: Any) -> Any:
    """``POST /exercises/preview``: the editor's form as it is now, answered with its preview as JSON
    (see :func:`preview_of`)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import JSONResponse

    from handouts.web.app import checked_form
    from handouts.web.exercise_form import form_from_fields
    from handouts.web.exercise_pages import original_of

    fields = await checked_form(request, max_files=2)
    form = form_from_fields(fields)
    desk: Desk = request.app.state.desk
    made = await run_in_threadpool(lambda: preview_of(desk, form, original_of(desk, form)))
    return JSONResponse(made, headers={"Cache-Control": "no-store"})
