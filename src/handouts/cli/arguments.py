"""The command line's words: each command, its one-line help and its options (argparse).

Kept apart from :mod:`handouts.cli` so that ``handouts --help`` builds only the list of commands:
a command's options are added only when that command is run (see :func:`parser_for`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from handouts import __version__
from handouts.style.settings import BACK_OFFSET, CARD_SIZE, FLIP, LANGUAGE, PAPER, Setting


class _Parser(argparse.ArgumentParser):
    """argparse, with its mistakes said in one line (argparse prints its usage first)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see '{self.prog} --help')", file=sys.stderr)
        sys.exit(2)


def _setting_option(parser: argparse.ArgumentParser, setting: Setting[Any]) -> None:
    """The option of a declared setting.  It keeps the text as typed (None: not given); the
    setting's own parser reads it when the command resolves its settings (see _settings)."""
    default = setting.show(setting.default)
    parser.add_argument(setting.option, default=None, metavar=setting.placeholder,
                        help=f"{setting.help} (default: clinic.yaml's {setting.key}:, or {default})")


def _card_options(parser: argparse.ArgumentParser, cards: bool = True) -> None:
    if cards:
        _setting_option(parser, CARD_SIZE)
        parser.add_argument("--fold", action="store_true",
                            help="fold-over cards for printers without duplex: question and answer side by side")
    _setting_option(parser, FLIP)
    _setting_option(parser, BACK_OFFSET)


def _build_options(parser: argparse.ArgumentParser, cards: bool = True) -> None:
    """What build and program share: folders, paper, cards, large print."""
    parser.add_argument("--content", type=Path, metavar="DIR", help="content folder (default: content/ in the "
                        "nearest folder above the FILEs, or above this one, that has one: the project)")
    parser.add_argument("--assets", type=Path, metavar="DIR", help="pictures folder (default: the project's assets/)")
    parser.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the project's output/)")
    _setting_option(parser, PAPER)
    _setting_option(parser, LANGUAGE)
    parser.add_argument("--large-print", action="store_true",
                        help="body text 16-18 pt in one column for readers with low vision, on as many pages "
                             "as an exercise needs")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="list the files behind the summary's notes (description paragraphs left out, ...)")
    if cards:  # build and program (email always makes the email edition)
        parser.add_argument("--for", dest="edition", choices=("print", "email"), default="print",
                            help="print (default): for the clinic's printer; email: PDFs to send and read on a "
                                 "screen, in OUT/email/ (no Notes pages, bookmarks, the cards fold-over, owner-only)")
        _card_options(parser)
        parser.add_argument("--previews", action="store_true",
                            help="also draw each handout's and program's first page as a PNG in OUT/previews/ "
                                 "(the front desk's builds always do)")


def _build_arguments(b: argparse.ArgumentParser) -> None:
    b.add_argument("files", nargs="*", type=Path, metavar="FILE",
                   help="content files (default: all in --content, and every program in programs/)")
    _build_options(b)
    b.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="build in N processes (default: the number of cores)")
    b.add_argument("--rebuild", action="store_true",
                   help="rebuild everything, even what is up to date; pictures prepared before still come from "
                        "the picture cache (~/.cache/handouts/pictures, or $HANDOUTS_CACHE_DIR/pictures), "
                        "each checked as it is read")
    b.add_argument("--anki", action="store_true",
                   help="also write OUT/deck.apkg: every FAQ question as an Anki note, to study on a phone")


def _program_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="program files (programs/<name>.yaml)")
    _build_options(p)


def _calibrate_arguments(c: argparse.ArgumentParser) -> None:
    c.add_argument("--out", type=Path, metavar="DIR", help="output folder (default: the project's output/)")
    _setting_option(c, PAPER)
    c.add_argument("--content", type=Path, metavar="DIR",
                   help="content folder (clinic.yaml is read beside it; default: content/ in this folder or "
                        "the nearest above that has one: the project)")
    _card_options(c, cards=False)


def _email_arguments(e: argparse.ArgumentParser) -> None:
    from handouts.cli.email import add_arguments as email_arguments

    email_arguments(e)
    _build_options(e, cards=False)
    _setting_option(e, CARD_SIZE)


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    from handouts.cli.check import add_arguments

    add_arguments(parser)


def _list_arguments(parser: argparse.ArgumentParser) -> None:
    from handouts.cli.listing import add_arguments

    add_arguments(parser)


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    from handouts.cli.serve import add_arguments

    add_arguments(parser)


def _import_arguments(i: argparse.ArgumentParser) -> None:
    i.add_argument("files", nargs="+", type=Path, metavar="FILE", help="FILE.txt ..., or exercises.json")
    i.add_argument("--content", type=Path, metavar="DIR", help="content folder (default: content/ in this folder "
                                                               "or the nearest above that has one: the project)")
    i.add_argument("--assets", type=Path, metavar="DIR",
                   help="where the photos of an exercises.json go (default: the project's assets/)")
    i.add_argument("--force", action="store_true", help="overwrite content files that exist")


#: Each command: its one-line help (``handouts --help`` lists them) and what adds its options.
_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "build": ("build a one-page PDF handout for each exercise", _build_arguments),
    "program": ("build clients' programs: cover, handouts with their dose, and cards", _program_arguments),
    "calibrate": ("write a sheet that measures your printer's duplex drift", _calibrate_arguments),
    "email": ("email clients their programs (drafts to send, or --send through clinic.yaml's mail server)",
              _email_arguments),
    "check": ("read exercises as a reviewer of patient material would (reading grade, long steps, jargon, fit), "
              "writing nothing", _check_arguments),
    "list": ("list the exercise library as a table: search it, filter it, or --json", _list_arguments),
    "serve": ("the front desk in a browser: find exercises, make clients' programs, print and email them",
              _serve_arguments),
    "import": ("convert plain-text exercises, or a free-exercise-db exercises.json, into content YAML",
               _import_arguments),
}


def parser_for(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser.  Only *command*'s options are added (all commands' when None):
    ``handouts --help`` then lists the commands without importing what their options need (the
    paper sizes, the theme, the web server's settings), which is most of its time."""
    parser = _Parser(prog="handouts", description="Print-ready exercise handouts from YAML content.")
    parser.add_argument("--version", action="version", version=f"handouts {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (summary, add_arguments) in _COMMANDS.items():
        command_parser = sub.add_parser(name, help=summary)
        if command is None or command == name:
            add_arguments(command_parser)
    return parser


def command_in(argv: list[str]) -> str:
    """The command *argv* names ("" for none: ``--help``, ``--version``, a mistake): the top level
    has no option taking a value, so it is the first word that is no option."""
    return next((word for word in argv if not word.startswith("-")), "")


