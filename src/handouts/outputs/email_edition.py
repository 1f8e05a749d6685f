"""The email edition (``--for email``): ``email/handouts/<id>.pdf`` and ``email/programs/<name>.pdf``.

What differs from the print edition is in :mod:`handouts.render.email_edition`; here are the
two kinds that make its files.  They are the only kinds of an email build: no card files and
no decks, since each file carries its own cards, fold-over.  They live beside the print
edition's files in the same output folder, under their own names and kinds, so that neither
edition's build makes the other's look out of date, and a whole build of one removes only
its own files whose source is gone.

Every file of the edition is written readable by its owner only, in owner-only folders: it is
made to be attached to a message to a client (a program names one), not to be left where
other accounts can read it.  One larger than :data:`ATTACHMENT_LIMIT_BYTES` is still written,
with a warning: most mail servers would refuse it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from handouts.content.exercise import Exercise
from handouts.errors import LayoutOverflowError, Problem, UnprintableTextError
from handouts.layout.card_sheet import CardSheet, make_sheet
from handouts.outputs.base import Library, Made, Output, OutputSettings, Planned, per_exercise, plural
from handouts.outputs.program import Programs, ProgramTask
from handouts.render.reads import recording
from handouts.style.theme import Theme

if TYPE_CHECKING:
    from handouts.render.program import ProgramResult

#: The largest message most mail servers accept (Gmail, Outlook.com and most others take 20-25 MB,
#: but many clinics' and clients' servers still stop at 10).
MESSAGE_LIMIT_BYTES = 10 * 1024 * 1024
#: The largest PDF that fits in such a message: base64 carries 57 bytes in a line of 78 (RFC 2045,
#: 76 characters and CRLF), and the message's text takes some room.  A larger edition gets a warning.
ATTACHMENT_LIMIT_BYTES = MESSAGE_LIMIT_BYTES * 57 // 78 - 64 * 1024

#: Where the edition's files go, under the output folder.
EMAIL_FOLDER = "email"

#: What an email edition is made with: not the flip, the fold or the back offset (its cards are
#: always fold-over, on the paper and in the size of the build).
EMAIL_SETTINGS = ("paper", "card_size", "theme", "assets", "clinic", "language", "source_date_epoch")


def email_sheet(sheet: CardSheet) -> CardSheet:
    """The fold-over sheet of *sheet*'s paper and card size: nothing in an email edition needs duplex."""
    return sheet if sheet.fold else make_sheet(sheet.paper_name, sheet.size.name, fold=True)


def too_large(data: bytes | None, problem: Callable[[str], Problem], advice: str) -> tuple[Problem, ...]:
    """The warning for an edition over :data:`ATTACHMENT_LIMIT_BYTES` (none for one under it): *problem*
    makes it, naming the file it is made from; it says the size and *advice* (what to do)."""
    if data is None or len(data) <= ATTACHMENT_LIMIT_BYTES:
        return ()
    mb, limit = len(data) / 2 ** 20, ATTACHMENT_LIMIT_BYTES / 2 ** 20
    return (problem(f"its email edition is {mb:.1f} MB, and most mail servers refuse attachments over "
                    f"{limit:.1f} MB (a message of {MESSAGE_LIMIT_BYTES / 2 ** 20:g} MB once encoded); {advice}"),)


@dataclass(frozen=True)
class EmailHandoutTask:
    """One exercise's email edition, dated the day it is made: a handout has no date of its own."""

    exercise: Exercise

    def make(self, settings: OutputSettings) -> Made:
        # here, not above: see handouts.outputs
        from handouts.render.email_edition import edition_date, email_handout_pdf
        from handouts.render.exercise import in_language

        s = settings
        ex = in_language(self.exercise, s.language)
        built = datetime.datetime.now(datetime.timezone.utc).date()  # a rebuild the same day: the same bytes
        try:
            with recording() as reads:  # the pictures' stamps, from the bytes embedded
                pdf, warnings = email_handout_pdf(ex, s.clinic, s.assets_dir, s.out_dir, s.paper,
                                                  email_sheet(s.sheet), s.theme, edition_date(built))
        except (LayoutOverflowError, UnprintableTextError) as exc:
            return Made(None, errors=tuple(exc.problems))
        warnings += too_large(pdf, partial(ex.problem, None), "give it fewer or smaller pictures")
        return Made(pdf, tuple(warnings), count=1, reads=tuple(reads.values()), private=True)


class EmailHandouts(Output):
    kind = "email-handout"
    gone = "its content file is gone"
    settings_used = EMAIL_SETTINGS
    folder: ClassVar[str] = f"{EMAIL_FOLDER}/handouts"
    private_folder = folder

    def plan(self, library: Library) -> list[Planned]:
        return per_exercise(self.kind, self.folder, library, EmailHandoutTask)

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return f"{plural(built, 'handout')} for email"


@dataclass(frozen=True)
class EmailProgramTask(ProgramTask):
    """A program's email edition: made as the print edition is (its theme, its errors), drawn for a screen."""

    def make(self, settings: OutputSettings) -> Made:
        made = super().make(settings)
        return replace(made, warnings=made.warnings + too_large(
            made.data, partial(self.program.problem, None),
            "give its exercises fewer or smaller pictures, or split the program in two"))

    def render(self, settings: OutputSettings, theme: Theme) -> tuple[bytes, ProgramResult]:
        from handouts.render.email_edition import email_program_pdf  # here, not above: see handouts.outputs

        s = settings
        return email_program_pdf(self.program, self.exercises, s.clinic, s.assets_dir, s.out_dir, s.paper,
                                 email_sheet(s.sheet), theme, s.language)


class EmailPrograms(Programs):
    kind = "email-program"
    settings_used = EMAIL_SETTINGS
    folder: ClassVar[str] = f"{EMAIL_FOLDER}/programs"
    private_folder = folder
    task: ClassVar[type[ProgramTask]] = EmailProgramTask

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return f"{plural(built, 'program')} for email" if planned else None
