"""Stage 5: the command line.  The only module that prints or exits.

Every error the tool raises on purpose derives from HandoutsError and is printed as one
line; anything else is a bug, reported as such (still without a wall of traceback
unless HANDOUTS_DEBUG is set).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__
from .build import BuildOptions, build
from .errors import HandoutsError, Problem, display_path
from .theme import PAPERS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handouts", description="Print-ready exercise handouts from YAML content.")
    parser.add_argument("--version", action="version", version=f"handouts {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    b = sub.add_parser("build", help="build a one-page PDF handout for each exercise")
    b.add_argument("files", nargs="*", type=Path, metavar="FILE", help="content files (default: all in --content)")
    b.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder")
    b.add_argument("--assets", type=Path, default=Path("assets"), metavar="DIR", help="pictures folder")
    b.add_argument("--out", type=Path, default=Path("output"), metavar="DIR", help="output folder")
    b.add_argument("--paper", choices=sorted(PAPERS), default="letter", help="paper size (default: letter)")

    i = sub.add_parser("import", help="convert plain-text exercises into content YAML")
    i.add_argument("files", nargs="+", type=Path, metavar="FILE.txt")
    i.add_argument("--content", type=Path, default=Path("content"), metavar="DIR", help="content folder")
    i.add_argument("--force", action="store_true", help="overwrite content files that exist")
    return parser


def _warn(problem: Problem) -> None:
    print(f"warning: {problem}", file=sys.stderr)


def _error(problem: Problem | str) -> None:
    print(str(problem), file=sys.stderr)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def cmd_build(args: argparse.Namespace) -> int:
    options = BuildOptions(content_dir=args.content, assets_dir=args.assets, out_dir=args.out,
                           paper=args.paper, files=tuple(args.files))
    report = build(options)
    for problem in report.warnings:
        _warn(problem)
    for problem in report.errors:
        _error(problem)
    where = display_path(Path(args.out) / "handouts")
    summary = (f"built {_plural(len(report.written), 'handout')} in {where}, "
               f"{_plural(len(report.warnings), 'warning')}, {len(report.failed)} failed "
               f"({report.seconds:.1f} s)")
    print(summary, file=sys.stderr if report.failed else sys.stdout)
    return 0 if report.ok else 1


def cmd_import(args: argparse.Namespace) -> int:
    from .import_text import import_text_files

    result = import_text_files(list(args.files), args.content, force=args.force)
    for path in result.written:
        print(f"wrote {display_path(path)}")
    for problem in result.skipped:
        _warn(problem)
    for problem in result.problems:
        _error(problem)
    print(f"imported {_plural(len(result.written), 'exercise')}, {len(result.skipped)} skipped, "
          f"{len(result.problems)} failed", file=sys.stderr if result.problems else sys.stdout)
    return 1 if result.problems else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return {"build": cmd_build, "import": cmd_import}[args.command](args)
    except HandoutsError as exc:
        for line in str(exc).splitlines():
            _error(line)
        return 2 if exc.__class__.__name__ == "UsageError" else 1
    except KeyboardInterrupt:
        _error("interrupted; files already written are complete, run the build again to finish")
        return 130
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("HANDOUTS_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set HANDOUTS_DEBUG=1 for details; please report it)")
        return 70


if __name__ == "__main__":
    sys.exit(main())
