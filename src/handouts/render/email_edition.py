"""The email edition: a program or a handout as one PDF to read on a screen, and print at home.

The print edition is made for the clinic's duplex printer: Notes pages on the backs, a duplex
preference, card sheets whose answers land behind their questions, and ReportLab's fixed
date.  A PDF sent by email is read on a phone or a laptop first, and printed, if at all, on
whatever printer the client has, often one-sided.  So the email edition has:

* the same cover and handout pages, one after another, with no Notes pages and no duplex
  preference;
* the cards on fold-over sheets (question and answer side by side), so that nothing needs
  double-sided printing; those pages ask to be printed at actual size, as cards are cut;
* bookmarks, shown when the file is opened: the cover, each exercise (by its title, as often
  as the program names it), and the cards;
* a real creation date: the day the program was given (its ``date:``), or for a handout the
  day it was made, at midnight UTC, or ``SOURCE_DATE_EPOCH`` when set; never the clock's
  time, so a program made again gives the same bytes (the mail stage records the digest of
  what it sent, and must not send the same program twice because it was rebuilt).
"""

from __future__ import annotations

import datetime
import io
import os
from dataclasses import replace
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from handouts.content.clinic import Clinic
from handouts.content.exercise import Exercise
from handouts.content.program import Program
from handouts.errors import Problem
from handouts.layout.branding import clinic_line
from handouts.layout.card_sheet import CardSheet
from handouts.layout.cards import Card
from handouts.render.canvas import DocInfo, draw_handout, draw_placed, new_canvas
from handouts.render.cards import draw_card_sheets
from handouts.render.exercise import author, clinic_context, handout_info, lay_out_cards, lay_out_handout
from handouts.render.program import ProgramResult, lay_out_program
from handouts.style.labels import labels_for
from handouts.style.theme import Labels, Theme


def edition_date(day: datetime.date) -> datetime.datetime:
    """When an email edition says it was made: ``SOURCE_DATE_EPOCH`` when set, else *day* at midnight UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(day, datetime.time(), datetime.timezone.utc)


def _bookmark(canvas: Canvas, key: str, title: str) -> None:
    """An outline entry for the page about to be drawn."""
    canvas.bookmarkPage(key)
    canvas.addOutlineEntry(title, key, level=0)


def _cards(canvas: Canvas, cards: list[Card], sheet: CardSheet, theme: Theme, clinic: Clinic | None,
           labels: Labels) -> None:
    """The fold-over card sheets, bookmarked; printed at actual size, or the cards come out the wrong size."""
    if not cards:
        return
    canvas.setViewerPreference("PrintScaling", "None")
    _bookmark(canvas, "cards", labels.outline_cards)
    draw_card_sheets(canvas, cards, sheet, theme, clinic_line(clinic), labels)


def email_program_pdf(program: Program, exercises: dict[str, Exercise], clinic: Clinic | None, assets_dir: Path,
                      out_dir: Path, paper: str, sheet: CardSheet, theme: Theme, language: str | None = None
                      ) -> tuple[bytes, ProgramResult]:
    """*program*'s email edition (b"" when the result has errors); *sheet* is a fold-over sheet.

    Its handout pages are the print edition's: an exercise too long for one side takes a second
    page at full size, as it would on the back of its sheet.
    """
    laid, result = lay_out_program(program, exercises, clinic, assets_dir, out_dir, paper, sheet, theme, language,
                                   back_is_free=True)
    if laid is None:
        return b"", result
    by = clinic.name if clinic else program.clinician or "handouts"
    info = DocInfo(title=laid.title, subject=f"{laid.title}, {laid.date}", author=by, lang=laid.labels.code,
                   created=edition_date(program.date))
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, laid.page_size, info)
    _bookmark(canvas, "cover", laid.labels.outline_cover)
    for placed in laid.cover:
        draw_placed(canvas, placed)
        canvas.showPage()
    for number, (title, layout) in enumerate(zip(laid.titles, laid.handouts), start=1):
        _bookmark(canvas, f"exercise-{number}", title)  # the same exercise twice: two entries, as on the cover
        draw_handout(canvas, layout)
    _cards(canvas, laid.cards, sheet, theme, clinic, laid.labels)
    canvas.showOutline()
    canvas.save()
    return buffer.getvalue(), result


def email_handout_pdf(ex: Exercise, clinic: Clinic | None, assets_dir: Path, out_dir: Path, paper: str,
                      sheet: CardSheet, theme: Theme, created: datetime.datetime) -> tuple[bytes, list[Problem]]:
    """*ex*'s email edition: its handout page(s), then its FAQ cards on fold-over *sheet*; and the warnings.

    Raises LayoutOverflowError (an exercise or a question too long) and UnprintableTextError as
    the print edition's handout and card file do.
    """
    context, _ = clinic_context(clinic, assets_dir, out_dir, theme)  # its warnings: once, by the command line
    layout, warnings = lay_out_handout(ex, assets_dir, out_dir, paper, theme, context)
    cards, card_warnings = lay_out_cards(ex, sheet, theme)
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, layout.page_size, replace(handout_info(ex, author(clinic)), created=created))
    _bookmark(canvas, "handout", ex.title)
    draw_handout(canvas, layout)
    _cards(canvas, cards, sheet, theme, clinic, labels_for(ex.language, theme.labels))
    canvas.showOutline()
    canvas.save()
    return buffer.getvalue(), warnings + [w for w in card_warnings if w not in warnings]
