"""``handouts check [FILE...]``: what a reviewer of patient material would say, writing nothing.

The work is :mod:`handouts.build.check`; this module prints it: one line per finding
(``content/plank.yaml:12: instructions, step 3: 31 words; ...``) on standard output, the
files that cannot be read on standard error as ``build`` reports them, then a table of every
exercise (id, grade, words, pages at what size, findings) and a line of counts.

Exit status: 1 when a file has errors (the build would leave it out), else 0; with
``--strict``, also 1 when anything was found (for a clinic's own CI).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from typing import TYPE_CHECKING

from handouts.errors import display_path
from handouts.style.settings import LANGUAGE, PAPER, Origin, resolve

if TYPE_CHECKING:  # the check's modules (ReportLab among them) are imported when it runs: `--help` stays quick
    from handouts.build.check import CheckReport, ExerciseCheck


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="content files (default: every one in the project's content/)")
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default: the project's "
                                                                    "content/; clinic.yaml is read beside it)")
    parser.add_argument("--assets", type=Path, metavar="DIR", help="pictures folder (default: the project's assets/)")
    for setting in (PAPER, LANGUAGE):
        parser.add_argument(setting.option, default=None, metavar=setting.placeholder,
                            help=f"{setting.help}, as the handouts would be built (default: clinic.yaml's "
                                 f"{setting.key}:, or {setting.show(setting.default)})")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 when anything is found, not only for files with errors (for CI)")


def run_check(args: argparse.Namespace, warn, error) -> int:
    """Check the named files (or the whole library); print the findings and the table."""
    from handouts.build.check import check_files
    from handouts.build.gather import content_files
    from handouts.content.clinic import clinic_path, load_clinic
    from handouts.content.clinic_check import CheckSettings
    from handouts.style.theme import DEFAULT_THEME

    clinic, clinic_warnings = load_clinic(clinic_path(args.content))
    paper = resolve(PAPER, args.paper, clinic.paper if clinic else None)
    language = resolve(LANGUAGE, args.language, clinic.language if clinic else None)
    settings = clinic.check if clinic else CheckSettings()
    report = check_files(content_files(args.content, tuple(args.files)), settings, args.assets, paper.value,
                         DEFAULT_THEME, clinic, language.value if language.origin is not Origin.DEFAULT else None)
    for problem in clinic_warnings + report.warnings:
        warn(problem)
    for checked in report.checked:
        for finding in checked.findings:
            print(finding)
    for problem in report.errors:
        error(problem)
    if report.checked:
        print()
        print(table(report.checked))
    print(summary(report, args.content))
    if report.errors:
        return 1
    return 1 if args.strict and report.findings else 0


def _grade(checked: ExerciseCheck) -> str:
    return "-" if checked.grade is None else str(checked.grade).replace("Flesch-Kincaid", "FK").replace(
        "Wiener Sachtextformel", "WSTF")


def _page(checked: ExerciseCheck) -> str:
    return f"{checked.pages} at {checked.size:g} pt" if checked.pages < 3 else "too long"


def table(checked: list[ExerciseCheck]) -> str:
    """The exercises as a table, columns padded to their widest cell."""
    rows = [("id", "grade", "words", "page", "findings")]
    rows += [(c.id, _grade(c), str(c.words), _page(c), str(len(c.findings))) for c in checked]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    right = (False, False, True, False, True)
    return "\n".join("  ".join(cell.rjust(w) if r else cell.ljust(w) for cell, w, r in zip(row, widths, right))
                     .rstrip() for row in rows)


def summary(report: CheckReport, content: Path) -> str:
    from handouts.outputs.base import plural

    clean = sum(1 for c in report.checked if not c.findings)
    text = (f"checked {plural(len(report.checked), 'exercise')} in {display_path(content)}: "
            f"{plural(report.findings, 'finding')}, {clean} with none")
    return text + (f", {plural(len(report.errors), 'error')}" if report.errors else "")

