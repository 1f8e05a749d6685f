"""``handouts check``: each exercise read as a reviewer of patient material reads it, writing nothing.

Per exercise: the reading grade and the plain-language findings of
:mod:`handouts.build.plain_language`, a missing picture, a missing caution on an exercise
tagged as needing one (clinic.yaml's ``check: caution_tags``), and whether it fits one page at
12 pt, found by laying it out as the build would (the same layout, the clinic's footer and
paper) with the pictures prepared in memory: no picture cache, no manifest, no ``output/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from handouts.build.plain_language import review_text
from handouts.content.clinic import Clinic
from handouts.content.clinic_check import CheckSettings
from handouts.content.exercise import Exercise, validate
from handouts.content.load import load_file
from handouts.content.readability import Grade
from handouts.errors import ContentError, HandoutsError, Problem, display_path
from handouts.layout.branding import clinic_block
from handouts.layout.handout import PageContext, layout_handout
from handouts.render.pictures import load_logo, load_pictures
from handouts.style.fonts import fonts
from handouts.style.plain_words import CAUTION_TAGS
from handouts.style.theme import Theme, paper_size


@dataclass
class ExerciseCheck:
    """One exercise, checked: *grade* None when it has no words to grade; *pages* and *size*
    (pt) as the handout would print; *findings* each a located one-line Problem."""

    id: str
    source: str
    grade: Grade | None = None
    words: int = 0
    pages: int = 1
    size: float = 12.0
    findings: list[Problem] = field(default_factory=list)


@dataclass
class CheckReport:
    """What ``handouts check`` found: the exercises checked, and the files that could not be read
    (their errors, as ``build`` reports them)."""

    checked: list[ExerciseCheck] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def findings(self) -> int:
        return sum(len(c.findings) for c in self.checked)


def page_context(clinic: Clinic | None, assets_dir: Path, theme: Theme) -> PageContext:
    """The clinic's footer as a handout carries it (its height decides the fit), its logo read
    without the picture cache: the check writes nothing."""
    if clinic is None:
        return PageContext()
    logo = load_logo(clinic.logo, assets_dir, (theme.logo_max_width, theme.logo_height), theme)[0] \
        if clinic.logo else None
    return PageContext(clinic=clinic_block(clinic, logo, fonts())[0], language=clinic.language)


def check_exercise(ex: Exercise, settings: CheckSettings, assets_dir: Path, paper: str, theme: Theme,
                   context: PageContext = PageContext()) -> ExerciseCheck:
    """Check one validated exercise (see the module's docstring); pure but for reading its pictures."""
    review = review_text(ex, settings)
    found = ExerciseCheck(ex.id, ex.source, review.grade, review.words)
    title_line = ex.lines.get("title")
    if review.grade is not None and review.findings and review.findings[0].field is None:
        first = review.findings.pop(0)  # the grade: said of the whole exercise, at its title
        found.findings.append(Problem(first.path, title_line, None, first.message))
    if not ex.images:
        found.findings.append(Problem(ex.source, title_line, None, "no picture; a photo or drawing of the movement "
                                                                   "helps more than words (image: in assets/)"))
    tags = settings.caution_tags if settings.caution_tags is not None else CAUTION_TAGS
    needing = [t for t in ex.tags if t.lower() in tags]
    if needing and not ex.caution:
        found.findings.append(ex.problem("tags", f"tagged '{needing[0]}' but has no caution:; say when to stop "
                                                 f"and what to watch for"))
    page = paper_size(paper)
    pictures, picture_warnings = load_pictures(ex, assets_dir, theme, page)  # no cache_dir: nothing written
    found.findings += picture_warnings
    try:
        layout = layout_handout(ex, pictures, theme, page, fonts(), context)
    except HandoutsError as exc:  # too long even for both sides: the build refuses it
        found.findings += getattr(exc, "problems", [Problem(ex.source, title_line, None, str(exc))])
        found.pages = 3
    else:
        found.pages, found.size = len(layout.pages), layout.body_size
        found.findings += [ex.problem(key, message) if key else Problem(ex.source, title_line, None, message)
                           for key, message in layout.notes]  # the fit: said of the whole exercise, at its title
    found.findings += review.findings
    found.findings.sort(key=lambda p: p.line or 0)  # in the file's order, as an editor shows it
    return found


def check_files(paths: list[Path], settings: CheckSettings, assets_dir: Path, paper: str, theme: Theme,
                clinic: Clinic | None = None, language: str | None = None) -> CheckReport:
    """Read, validate and check each content file in *paths* (in order); a file with errors is
    reported, not checked.  *language*: that of content naming none (the build's)."""
    report = CheckReport()
    context = page_context(clinic, assets_dir, theme)
    for path in paths:
        try:
            ex, warnings = validate(load_file(path), Path(path).stem)
        except ContentError as exc:
            report.errors += exc.problems
            report.warnings += exc.warnings
            continue
        except HandoutsError as exc:
            report.errors.append(Problem(display_path(path), None, None, str(exc)))
            continue
        report.warnings += warnings
        if language and not ex.language:
            ex = replace(ex, language=language)
        report.checked.append(check_exercise(ex, settings, assets_dir, paper, theme, context))
    return report
