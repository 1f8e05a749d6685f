"""The PDFs a page offers, built on demand by the same incremental build as ``handouts build``.

A handout in the house paper and normal print is the one ``handouts build`` keeps in ``output/``;
any other paper or print size is built into ``output/.desk/<paper>-<size>/``, a build folder of its
own (its own manifest, so incremental too), so that asking for A4 large print never replaces the
clinic's everyday files.  Builds run in the calling thread with one process (the server has threads:
it never forks), and wait for any other build of the same folder (the build's own lock).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import HandoutsError, Problem
from handouts.web.desk import PAPERS, PRINT_SIZES, Desk

#: What an exercise's page offers: kind -> (output folder, what the PDF holds).
KINDS = {"handout": "handouts", "cards": "cards"}


@dataclass
class Built:
    """A PDF a page asked for: its path, or the problems that kept it from being made."""

    path: Path | None
    problems: list[Problem] = field(default_factory=list)


def variant_dir(desk: Desk, paper: str, size: str) -> Path:
    """The output folder of *paper* and *size*: the project's own for the house paper in normal print."""
    if paper == desk.house_paper() and size == "normal":
        return Path(desk.out_dir)
    return Path(desk.out_dir) / ".desk" / f"{paper}-{size}"


def exercise_pdf(desk: Desk, exercise_id: str, kind: str, paper: str, size: str) -> Built:
    """The handout or card file of *exercise_id* on *paper* in *size* print, built when missing or stale.

    *kind*: a key of :data:`KINDS`; *paper*: one of PAPERS; *size*: one of PRINT_SIZES.
    Raises NotInProject for an id that is no exercise, ValueError for another kind, paper or size,
    HandoutsError for what stops a build as a whole (clinic.yaml with mistakes, an output folder
    that cannot be written).
    """
    if kind not in KINDS or paper not in PAPERS or size not in PRINT_SIZES:
        raise ValueError(f"no {kind} on {paper} in {size} print")
    from handouts.build.run import build

    source = desk.exercise_file(exercise_id)
    out = variant_dir(desk, paper, size)
    options = desk.options(paper=paper, large_print=size == "large", out_dir=out, files=(source,), deck=False,
                           catalogue=False, previews=out == Path(desk.out_dir))  # the pages show the house paper's
    report = build(options)
    target = out / KINDS[kind] / f"{source.stem}.pdf"
    problems = report.errors + [w for w in report.warnings if w.notice is None]
    if report.failed:  # never the last good PDF of a file that has mistakes now: it is not what the file says
        return Built(None, report.errors or [Problem(str(source.name), None, None, "it has mistakes")])
    if not target.is_file():
        if not problems:
            problems = [Problem(str(source.name), None, None, "no questions to print as cards" if kind == "cards"
                                else "the handout was not made")]
        return Built(None, problems)
    return Built(target, problems)


def program_pdf(desk: Desk, name: str, edition: str = "print") -> Built:
    """``output/programs/<name>.pdf`` (or the email edition's), built when missing or stale.
    Raises NotInProject for a name that is no program, HandoutsError as :func:`exercise_pdf`."""
    from handouts.build.run import build_programs
    from handouts.outputs.email_edition import EMAIL_FOLDER

    path = desk.program_file(name)
    report = build_programs(desk.options(programs=(path,), edition=edition, previews=True))
    folder = Path(desk.out_dir) / (EMAIL_FOLDER if edition == "email" else "") / "programs"
    target = folder / f"{path.stem}.pdf"
    if report.errors or not target.is_file():
        return Built(None, report.errors or [Problem(f"programs/{path.name}", None, None, "the program was not made")])
    return Built(target, [w for w in report.warnings if w.notice is None])


def describe(exc: HandoutsError) -> list[str]:
    """A build's stopping error as lines for a page (a ContentError carries several)."""
    problems = getattr(exc, "problems", None)
    return [str(p) for p in problems] if problems else [str(exc)]
