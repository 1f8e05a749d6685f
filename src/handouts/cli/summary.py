"""The summary a build ends with: warnings, errors, removals, the notes on what the layout did
by design (once per kind, ``--verbose`` listing the files), and the one line of counts."""

from __future__ import annotations

import argparse
import sys

from handouts.errors import FONT_NOTICE, NOTICES, Problem, display_path, fonts_noticed
from handouts.outputs.base import plural


def _notices(notices: list[Problem], verbose: bool) -> list[str]:
    """The summary's lines for what the layout did by design: one per kind, counting files
    (``--verbose``: each file's own line under its count)."""
    lines = []
    for kind, (noun, phrase) in NOTICES.items():
        found = [n for n in notices if n.notice == kind]
        files = list(dict.fromkeys(n.path for n in found))
        if not files:
            continue
        lines.append(f"{plural(len(files), noun)} {phrase}" + ("" if verbose else " (--verbose lists them)"))
        if verbose:
            lines += [f"  {n}" for n in dict.fromkeys(found)]
    found = [n for n in notices if n.notice == FONT_NOTICE]
    if found:  # by design (Atkinson Hyperlegible covers Latin only), so listed once, by font
        # here, not above: the fonts bring ReportLab, which a build with nothing to make never loads
        from handouts.layout.markup import describe_chars
        from handouts.style.fonts import PRIMARY_FAMILY

        in_files = plural(len(dict.fromkeys(n.path for n in found)), "file")
        listed = "; ".join(f"{describe_chars(chars)} in {font}" for font, chars in fonts_noticed(found).items())
        lines.append(f"printed in a fallback font, as {PRIMARY_FAMILY} lacks them: {listed} "
                     f"({in_files}{'' if verbose else '; --verbose lists them'})")
        if verbose:
            lines += [f"  {Problem(n.path, n.line, n.field, f'{describe_chars(chars)} in {font}')}"
                      for n in dict.fromkeys(found) for font, chars in fonts_noticed([n]).items()]
    return lines


def print_summary(args: argparse.Namespace, options, report) -> int:
    notices = [p for p in report.warnings if p.notice]
    warnings = [p for p in report.warnings if not p.notice]
    for problem in warnings:
        print(f"warning: {problem}", file=sys.stderr)
    for problem in report.errors:
        print(str(problem), file=sys.stderr)
    for removal in report.removed:
        print(f"removed {display_path(removal.path)}: {removal.why}")
    made = report.phrases() or ["nothing"]
    unchanged = f"{report.unchanged} unchanged, " if report.unchanged else ""
    listed = f"{', '.join(made[:-1])} and {made[-1]}" if len(made) > 1 else made[0]
    summary = (f"built {listed} in {display_path(args.out)}, {unchanged}"
               f"{plural(len(warnings), 'warning')}, {len(report.failed)} failed "
               f"({report.seconds:.1f} s)")
    stream = sys.stderr if report.failed else sys.stdout
    if report.card_count or report.programs:
        sheet = options.card_sheet()
        print(f"cards: {sheet.describe()}; {sheet.how_to_print}", file=stream)
    if report.programs and len(report.programs) <= 20:
        for path in report.programs:
            print(f"program: {display_path(path)}", file=stream)
    for line in _notices(notices, getattr(args, "verbose", False)):
        print(line, file=stream)
    print(summary, file=stream)
    return 0 if report.ok else 1
