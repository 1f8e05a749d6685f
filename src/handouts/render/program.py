"""One client's program as one PDF: a cover, a handout per exercise, then the FAQ cards.

The cover lists the exercises with this client's dose and notes and ends with a
four-week tick log; each handout carries the client's name, the program's date and the
dose prescribed here (over the exercise's default); the cards are the program's
exercises' cards, imposed as for the deck.

One PDF has one duplex setting.  Card sheets need double-sided printing, and so does
a two-page large-print handout, so a program asks for duplex (the flip of the card
sheet), and every part that is one page long (the cover, an ordinary handout) gets a
Notes page on its back: each handout stays a sheet of its own that can be handed out
alone, and each card sheet's backs land behind their fronts.  With ``--fold`` the cards
print one-sided, and so does the whole program, with no Notes pages.

The pages are laid out once (:func:`lay_out_program`) and drawn here for print; the email
edition draws the same layout for a screen (:mod:`handouts.render.email_edition`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.sax.saxutils import escape

from handouts.layout.branding import clinic_line
from handouts.layout.card_sheet import CardSheet
from handouts.content.clinic import Clinic
from handouts.errors import LayoutOverflowError, Problem, UnprintableTextError
from handouts.content.clinic import house_language
from handouts.render.exercise import clinic_context, in_language, lay_out_cards, lay_out_handout
from handouts.style.fonts import fonts
from handouts.style.labels import format_date, labels_for, labels_for_paper
from handouts.layout.cards import Card
from handouts.layout.cover import CoverInfo, CoverRow, CoverStyle, layout_cover, notes_page
from handouts.layout.flowables import Placed
from handouts.layout.handout import HandoutLayout
from handouts.content.exercise import Exercise
from handouts.content.program import Program
from handouts.render.canvas import DocInfo, draw_handout, draw_placed, new_canvas
from handouts.render.cards import draw_card_sheets, print_preferences
from handouts.layout.markup import FieldText
from handouts.style.theme import LARGE_PRINT_MAX_PAGES, Labels, Theme, paper_size


@dataclass
class ProgramResult:
    """What rendering a program found: its own warnings and errors, and its exercises' (reported by their build)."""

    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    exercise_warnings: list[Problem] = field(default_factory=list)  # the exercises' own (pictures, fonts)


def _unprintable(program: Program, key: str, exercise_id: str, exc: UnprintableTextError) -> Problem:
    """The program's error for an exercise it names that is written in a script no font prints."""
    (why,) = exc.problems
    return program.problem(key, f"exercise '{exercise_id}': {why.message} ({why.path}:{why.line}: {why.field})")


def _labels(program: Program, language: str | None, theme: Theme, paper: str) -> Labels:
    return labels_for_paper(labels_for(program.language or language, theme.labels), paper)


def _dose_cells(dose: tuple[tuple[str, str], ...], labels: Labels, text: FieldText, key: str
                ) -> tuple[tuple[str, str], ...]:
    names = dict(labels.dose)
    return tuple((escape(names[part]), text(f"{key}, dose, {part}", value)) for part, value in dose)


@dataclass
class ProgramLayout:
    """A program laid out, for an edition to draw: the print edition (Notes backs, card sheets for
    duplex) or the email edition (:mod:`handouts.render.email_edition`: bookmarks, fold-over cards)."""

    page_size: tuple[float, float]
    labels: Labels
    cover: list[list[Placed]]
    handouts: list[HandoutLayout]
    titles: list[str]   # each handout's exercise title as typed: the email edition's bookmarks
    cards: list[Card]
    title: str          # the document's: "Home exercise program: Jane Doe"
    date: str           # the program's date as its labels write it, plain text
    footer: str         # a Notes page's small print (markup)


def render_program(program: Program, exercises: dict[str, Exercise], clinic: Clinic | None, assets_dir: Path,
                   out_dir: Path, paper: str, sheet: CardSheet, theme: Theme, language: str | None = None
                   ) -> tuple[bytes, ProgramResult]:
    """Lay out and render *program* for print as one PDF's bytes (b"" when the result has errors);
    every exercise it names is in *exercises*, validated.

    *language* is the build's, for what names none (default: the clinic's); the program's own wins.
    """
    laid, result = lay_out_program(program, exercises, clinic, assets_dir, out_dir, paper, sheet, theme, language,
                                   back_is_free=not sheet.fold)
    if laid is None:
        return b"", result
    labels, page_size = laid.labels, laid.page_size
    buffer = io.BytesIO()
    by = ", ".join(p for p in (program.clinician, clinic.name if clinic else None) if p) or "handouts"
    canvas = new_canvas(buffer, page_size, DocInfo(title=laid.title, author=by, lang=labels.code,
                                                   subject=f"{laid.title}, {laid.date}; "
                                                           f"cards: {sheet.how_to_print}"))
    print_preferences(canvas, sheet)
    duplex = not sheet.fold

    def part(drawn: int) -> None:
        """After a part of *drawn* pages: a Notes page on the back of its last sheet, when it has one."""
        if duplex and drawn % 2:
            draw_placed(canvas, notes_page(labels, theme, page_size, laid.footer, fonts()))
            canvas.showPage()

    for placed in laid.cover:
        draw_placed(canvas, placed)
        canvas.showPage()
    part(len(laid.cover))
    for layout in laid.handouts:
        draw_handout(canvas, layout)
        part(len(layout.pages))
    if laid.cards:
        draw_card_sheets(canvas, laid.cards, sheet, theme, clinic_line(clinic), labels)
    canvas.save()
    return buffer.getvalue(), result


def lay_out_program(program: Program, exercises: dict[str, Exercise], clinic: Clinic | None, assets_dir: Path,
                    out_dir: Path, paper: str, sheet: CardSheet, theme: Theme, language: str | None,
                    back_is_free: bool) -> tuple[ProgramLayout | None, ProgramResult]:
    """The cover, a handout per item and the cards of *program* (None when the result has errors).

    *back_is_free*: a handout too long for one side takes a second page at full size rather than
    shrinking its type (printed double-sided, that page is the back a Notes page would have had).
    """
    result = ProgramResult()
    page_size = paper_size(paper)
    language = house_language(language, clinic)
    labels = _labels(program, language, theme, paper)
    text = FieldText(fonts(), program.problem)
    quiet = FieldText(fonts())  # the exercises' own text: its warnings come from their own build
    context, _ = clinic_context(clinic, assets_dir, out_dir, theme)  # the clinic's warnings: once, by the build
    client = text("client", program.client)
    for_client = f"{escape(labels.client)} <b>{client}</b>"
    date = escape(format_date(program.date, labels))
    count = len(program.items)
    handouts, titles, rows, cards = [], [], [], []
    seen_cards: set[str] = set()
    for i, item in enumerate(program.items):
        key = program.item_field(i)
        ex = in_language(exercises[item.exercise_id], language)
        ex = replace(ex, dose=item.dose_for(ex))
        note = text(f"{key}, notes", item.notes) if item.notes else None  # the cover's cell
        page_note = f"<b>{escape(labels.note)}:</b> {note}" if note else None  # in the program's language
        banner = " · ".join([for_client,
                             escape(labels.exercise_of.format(number=i + 1, count=count)), date])
        page_context = replace(context, banner=banner, client=for_client, note=page_note, dose_lines=True,
                               back_is_free=back_is_free)
        try:
            layout, warnings = lay_out_handout(ex, assets_dir, out_dir, paper, theme, page_context)
        except UnprintableTextError as exc:  # the exercise's own build says so too; here, where it is named
            result.errors.append(_unprintable(program, key, item.exercise_id, exc))
            continue
        except LayoutOverflowError:  # one exercise never fails a client's program for length: more pages
            layout, warnings = lay_out_handout(ex, assets_dir, out_dir, paper, replace(
                theme, max_pages=LARGE_PRINT_MAX_PAGES, min_body_size=theme.body_size), page_context)
            result.warnings.append(program.problem(key, f"'{item.exercise_id}' takes {len(layout.pages)} pages "
                                                        f"here; shorten its steps or tips to fit two"))
        result.warnings += [program.problem(key, f"'{item.exercise_id}' {message}") for message in layout.fit_notes]
        fit = set(layout.fit_notes)
        result.exercise_warnings += [w for w in warnings if w.message not in fit and w not in result.exercise_warnings]
        handouts.append(layout)
        titles.append(ex.title)
        rows.append(CoverRow(i + 1, quiet("title", ex.title), _dose_cells(ex.dose, labels, quiet, key), note,
                             ex.language))
        if ex.id not in seen_cards:  # the same exercise twice (each side, say): its cards once
            seen_cards.add(ex.id)
            try:
                cards += lay_out_cards(ex, sheet, theme)[0]
            except UnprintableTextError as exc:
                result.errors.append(_unprintable(program, key, item.exercise_id, exc))
    info = CoverInfo(client=client, date=date, start=program.date,
                     clinician=text("clinician", program.clinician) if program.clinician else None,
                     notes=text("notes", program.notes) if program.notes else None,
                     clinic=context.clinic)
    result.warnings += [program.problem(k, m) for k, m in text.notes]
    result.warnings += [program.problem(k, m).as_notice(kind) for k, kind, m in text.notices]
    if result.errors:
        return None, result
    cover = layout_cover(info, rows, theme, labels, page_size, fonts(), CoverStyle().scaled(theme.cover_scale))
    return ProgramLayout(page_size, labels, cover, handouts, titles, cards, f"{labels.program}: {program.client}",
                         format_date(program.date, labels), f"{escape(labels.program)} · {client} · {date}"), result
