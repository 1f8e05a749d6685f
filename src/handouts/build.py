"""The build: gather and validate every content file, then lay out and write each exercise.

Nothing is written until every file has been read and validated; a file with errors
fails alone and the others are still built; every problem ends up in the report, and
the CLI decides what to print and which exit status to give.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .card_sheet import CardSheet, make_sheet
from .errors import ContentError, HandoutsError, LayoutOverflowError, Problem, display_path
from .fonts import fonts
from .layout_cards import Card, layout_cards
from .layout_handout import layout_handout
from .load import load_file
from .model import Exercise, validate
from .pictures import load_pictures
from .render import DocInfo, handout_pdf
from .render_cards import cards_pdf
from .theme import DEFAULT_THEME, Theme, paper_size
from .write import atomic_write_bytes, output_path, remove_output

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class BuildOptions:
    content_dir: Path = Path("content")
    assets_dir: Path = Path("assets")
    out_dir: Path = Path("output")
    paper: str = "letter"
    files: tuple[Path, ...] = ()  # empty: every content file in content_dir
    theme: Theme = DEFAULT_THEME
    card_size: str = "business"
    flip: str = "long"
    fold: bool = False
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    deck: bool = True             # also write OUT/deck.pdf with every card of the build

    def card_sheet(self) -> CardSheet:
        return make_sheet(self.paper, self.card_size, self.flip, self.fold, self.back_offset_mm)


@dataclass
class BuildReport:
    written: list[Path] = field(default_factory=list)  # handouts
    cards: list[Path] = field(default_factory=list)    # one card file per exercise with a FAQ
    card_count: int = 0
    deck: Path | None = None
    removed: list[Path] = field(default_factory=list)  # card files (or the deck) with no questions left
    failed: list[str] = field(default_factory=list)  # display paths of files not built
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def content_files(options: BuildOptions) -> list[Path]:
    """The files to build: those named, or every content file in the content folder, sorted."""
    if options.files:
        return list(options.files)
    folder = Path(options.content_dir)
    if not folder.is_dir():
        raise HandoutsError(f"{display_path(folder)}: no such folder (use --content DIR)")
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in CONTENT_SUFFIXES and p.is_file())


def gather(paths: list[Path], report: BuildReport) -> list[Exercise]:
    """Load and validate every file; record problems; return the exercises that are valid."""
    exercises: list[Exercise] = []
    seen: dict[str, str] = {}
    for path in paths:
        shown = display_path(path)
        if not path.is_file():
            report.errors.append(Problem(shown, None, None, "no such file"))
            report.failed.append(shown)
            continue
        try:
            exercise, warnings = validate(load_file(path), path.stem)
        except ContentError as exc:
            report.warnings += exc.warnings
            report.errors += exc.problems
            report.failed.append(shown)
            continue
        report.warnings += warnings
        if exercise.id in seen:
            report.errors.append(Problem(shown, None, None, f"same id '{exercise.id}' as {seen[exercise.id]}; "
                                                            f"rename one of them"))
            report.failed.append(shown)
            continue
        seen[exercise.id] = shown
        exercises.append(exercise)
    return exercises


def build_handout(ex: Exercise, options: BuildOptions) -> tuple[bytes, list[Problem]]:
    """Lay out and render one exercise's handout; return the PDF and the warnings."""
    page_size = paper_size(options.paper)
    pictures, warnings = load_pictures(ex, options.assets_dir, options.theme, page_size,
                                       Path(options.out_dir) / ".cache" / "pictures")
    layout = layout_handout(ex, pictures, options.theme, page_size, fonts())
    warnings += [ex.problem(field_key, message) for field_key, message in layout.notes]
    info = DocInfo(title=ex.title, subject=f"Exercise handout: {ex.title}"
                                           f"{f' ({ex.category})' if ex.category else ''}",
                   keywords=tuple(ex.tags) + tuple(ex.targets))
    return handout_pdf(layout, info), warnings


def build_cards(ex: Exercise, sheet: CardSheet, theme: Theme) -> tuple[list[Card], list[Problem]]:
    """Lay out one exercise's FAQ cards for *sheet*; return them and the warnings."""
    if not ex.faq:
        return [], []
    layout = layout_cards(ex, (sheet.face_width, sheet.face_height), theme.card_style(sheet.size.name),
                          theme, fonts(), sheet.size.label)
    return layout.cards, [ex.problem(field_key, message) for field_key, message in layout.notes]


def _card_info(title: str, sheet: CardSheet, keywords: tuple[str, ...] = ()) -> DocInfo:
    how = "fold-over, print one-sided" if sheet.fold else f"print double-sided, flip on {sheet.flip} edge"
    return DocInfo(title=title, subject=f"FAQ cards: {sheet.describe()}; {how}", keywords=keywords)


def _unique(problems: list[Problem]) -> list[Problem]:
    """Drop repeats: the handout and the cards both report a character the title lacks."""
    return list(dict.fromkeys(problems))


def build(options: BuildOptions) -> BuildReport:
    """Build every handout and card file, then the deck; never raises for a problem in one exercise."""
    started = time.perf_counter()
    report = BuildReport()
    paper_size(options.paper)  # an unknown paper or an impossible card sheet is a usage error
    sheet = options.card_sheet()  # before any work
    exercises = gather(content_files(options), report)
    deck: list[Card] = []
    for ex in exercises:
        try:
            pdf, warnings = build_handout(ex, options)
            cards, card_warnings = build_cards(ex, sheet, options.theme)
        except LayoutOverflowError as exc:
            report.errors += exc.problems
            report.failed.append(ex.source)
            continue
        target = output_path(options.out_dir, "handouts", f"{ex.id}.pdf")
        atomic_write_bytes(target, pdf)
        report.warnings += _unique(warnings + card_warnings)
        report.written.append(target)
        cards_target = output_path(options.out_dir, "cards", f"{ex.id}.pdf")
        if cards:
            atomic_write_bytes(cards_target, cards_pdf(cards, sheet, options.theme,
                                                       _card_info(f"FAQ cards: {ex.title}", sheet, ex.tags)))
            report.cards.append(cards_target)
            report.card_count += len(cards)
            deck += cards
        elif remove_output(cards_target):
            report.removed.append(cards_target)
    if options.deck and not deck and not report.failed:
        if remove_output(output_path(options.out_dir, "deck.pdf")):
            report.removed.append(output_path(options.out_dir, "deck.pdf"))
    if options.deck and deck:
        report.deck = output_path(options.out_dir, "deck.pdf")
        exercises_in_deck = len({card.exercise_id for card in deck})
        atomic_write_bytes(report.deck, cards_pdf(deck, sheet, options.theme, _card_info(
            f"FAQ card deck: {len(deck)} cards from {exercises_in_deck} exercises", sheet)))
    report.seconds = time.perf_counter() - started
    return report
