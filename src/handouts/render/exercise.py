"""One exercise as bytes: its handout laid out with its pictures, and its FAQ cards.

Both the handout and card-file outputs and a client's program are made from these, so a
program's page is the very page the exercise's own handout prints (with the client's dose).
Nothing here writes: the build writes what the outputs return.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from handouts.layout.branding import clinic_block, clinic_line
from handouts.layout.card_sheet import CardSheet
from handouts.content.clinic import Clinic
from handouts.errors import Problem
from handouts.style.fonts import fonts
from handouts.style.labels import labels_for
from handouts.layout.card_plan import CardPlan
from handouts.layout.cards import Card, CardsLayout, layout_cards, plan_cards
from handouts.layout.handout import PageContext, layout_handout
from handouts.content.exercise import Exercise
from handouts.render.picture_cache import picture_cache
from handouts.render.pictures import load_logo, load_pictures
from handouts.render.reads import recording
from handouts.render.canvas import DocInfo, handout_pdf
from handouts.render.cards import cards_pdf
from handouts.style.theme import Theme, paper_size


def clinic_context(clinic: Clinic | None, assets_dir: Path, out_dir: Path, theme: Theme
                   ) -> tuple[PageContext, tuple[Problem, ...]]:
    """What every handout of a clinic carries (its footer, its language), and the clinic's own warnings.

    Made once per process and logo file, not once per exercise: each job of a build asks for it.
    *out_dir* is not used (prepared pictures are cached per user: see
    :mod:`handouts.render.picture_cache`), only accepted as every caller still gives it.
    """
    if clinic is None:
        return PageContext(), ()
    logo_stamp: tuple[int, int] | None = None  # a cache key: a new logo under the same name is prepared again
    if clinic.logo:
        try:
            stat = (Path(assets_dir) / clinic.logo).stat()
            logo_stamp = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            pass
    return _clinic_context(clinic, Path(assets_dir), theme, logo_stamp)


@lru_cache(maxsize=8)
def _clinic_context(clinic: Clinic, assets_dir: Path, theme: Theme, logo_stamp: tuple[int, int] | None
                    ) -> tuple[PageContext, tuple[Problem, ...]]:
    logo, problems = None, []
    if clinic.logo:
        with recording():  # read once per process, not per exercise: the logo's hash is in the build's settings
            logo, why = load_logo(clinic.logo, assets_dir, (theme.logo_max_width, theme.logo_height), theme,
                                  picture_cache())
        if why:
            problems.append(clinic.problem("logo", why))
    block, text = clinic_block(clinic, logo, fonts())
    problems += [clinic.problem(field_key, message) for field_key, message in text.notes]
    problems += [clinic.problem(field_key, message).as_notice(kind) for field_key, kind, message in text.notices]
    return PageContext(clinic=block, language=clinic.language), tuple(problems)


def in_language(ex: Exercise, language: str | None) -> Exercise:
    """Content that names no language is printed in the build's (``--language``, or the clinic's)."""
    if language and not ex.language:
        return replace(ex, language=language)
    return ex


def author(clinic: Clinic | None) -> str:
    """Who a PDF says made it (mail clients show it): the clinic, when there is a profile."""
    return clinic.name if clinic else "handouts"


def handout_info(ex: Exercise, by: str = "handouts") -> DocInfo:
    subject = f"Exercise handout: {ex.title}{f' ({ex.category})' if ex.category else ''}"
    return DocInfo(title=ex.title, subject=subject, author=by, keywords=tuple(ex.tags) + tuple(ex.targets),
                   lang=ex.language or "en")


def lay_out_handout(ex: Exercise, assets_dir: Path, out_dir: Path, paper: str, theme: Theme,
                    context: PageContext = PageContext()):
    """Load the pictures and lay out one exercise's handout; return the layout and the warnings
    (and the notices: what the layout did by design, marked ``Problem.notice``).  *out_dir* is not
    used (see :func:`clinic_context`)."""
    page_size = paper_size(paper)
    pictures, warnings = load_pictures(ex, assets_dir, theme, page_size, picture_cache())
    layout = layout_handout(ex, pictures, theme, page_size, fonts(), context)
    return layout, warnings + [ex.problem(field_key, message) for field_key, message in layout.notes] + [
        ex.problem(field_key, message).as_notice(kind) for field_key, kind, message in layout.notices]


def render_handout(ex: Exercise, assets_dir: Path, out_dir: Path, paper: str, theme: Theme,
                   context: PageContext = PageContext(), by: str = "handouts") -> tuple[bytes, list[Problem]]:
    """Lay out and render one exercise's handout; return the PDF and the warnings."""
    layout, warnings = lay_out_handout(ex, assets_dir, out_dir, paper, theme, context)
    return handout_pdf(layout, handout_info(ex, by)), warnings


def lay_out_cards(ex: Exercise, sheet: CardSheet, theme: Theme) -> tuple[list[Card], list[Problem]]:
    """Lay out one exercise's FAQ cards for *sheet*; return them and the warnings."""
    layout, warnings = card_layout(ex, sheet, theme)
    return layout.cards, warnings


def card_layout(ex: Exercise, sheet: CardSheet, theme: Theme, plan: CardPlan | None = None
                ) -> tuple[CardsLayout, list[Problem]]:
    """One exercise's FAQ cards for *sheet*, with what fitting them decided (``layout.plan``, None
    without a FAQ), and the warnings.  Given *plan* (made for this exercise and these settings:
    :mod:`handouts.layout.card_plan`), they are set without fitting them again; ValueError when
    *plan* does not fit *ex*.  Raises LayoutOverflowError and UnprintableTextError as
    :func:`handouts.layout.cards.layout_cards` does."""
    if not ex.faq:
        return CardsLayout([]), []
    layout = layout_cards(ex, (sheet.face_width, sheet.face_height), theme.card_style(sheet.size.name),
                          theme, fonts(), sheet.size.label, plan)
    return layout, [ex.problem(field_key, message) for field_key, message in layout.notes] + [
        ex.problem(field_key, message).as_notice(kind) for field_key, kind, message in layout.notices]


def card_plan(ex: Exercise, sheet: CardSheet, theme: Theme) -> CardPlan | None:
    """What fitting one exercise's FAQ on *sheet*'s cards decides, without setting the cards (None
    without a FAQ).  Raises LayoutOverflowError and UnprintableTextError as :func:`card_layout` does."""
    if not ex.faq:
        return None
    return plan_cards(ex, (sheet.face_width, sheet.face_height), theme.card_style(sheet.size.name), theme, fonts(),
                      sheet.size.label)


def card_info(title: str, sheet: CardSheet, keywords: tuple[str, ...] = (), by: str = "handouts",
              lang: str | None = None) -> DocInfo:
    return DocInfo(title=title, subject=f"FAQ cards: {sheet.describe()}; {sheet.how_to_print}", author=by,
                   keywords=keywords, lang=lang or "en")


def card_file_pdf(ex: Exercise, cards: list[Card], sheet: CardSheet, theme: Theme, clinic: Clinic | None) -> bytes:
    """One exercise's FAQ cards imposed on *sheet*, as a PDF in the exercise's language."""
    info = card_info(f"FAQ cards: {ex.title}", sheet, ex.tags, author(clinic), ex.language)
    return cards_pdf(cards, sheet, theme, info, clinic_line(clinic), labels_for(ex.language, theme.labels))


def deck_pdf(cards: Iterable[Card], count: int, exercises: int, sheet: CardSheet, theme: Theme,
             clinic: Clinic | None, language: str | None = None) -> bytes:
    """Every card of the library on as few sheets as possible, in the build's language.

    *cards* (*count* of them, from *exercises* exercises: the title says so, and each sheet its
    number of the whole) may be a generator: the sheets are drawn as its cards come, one
    sheet's cards held at a time.  Raises ValueError when it yields other than *count* cards.
    """
    info = card_info(f"FAQ card deck: {count} cards from {exercises} exercises", sheet, by=author(clinic),
                     lang=language)
    return cards_pdf(cards, sheet, theme, info, clinic_line(clinic), labels_for(language, theme.labels), count)
