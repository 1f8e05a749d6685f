"""``handouts list``: the library as a table (or JSON), filtered and searched.

Run before the rest of the command line is even imported (see :func:`handouts.cli.main`), and
reading the library from its index (:mod:`handouts.build.library_index`), so that it answers in
a fraction of a second on a library of hundreds of exercises and never loads ReportLab.

Filters: ``--target``, ``--equipment``, ``--level``, ``--tag``, ``--language``; each may be given
more than once or as a comma list (``--target glutes,hamstrings``), and an exercise passes when
one of its values starts with one of the values typed, compared without accents or capitals
(``--target glute`` finds "glutes"); different filters must all pass.  ``--search`` ranks by
:mod:`handouts.content.search`'s rule.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from handouts.build.library_query import FILTERS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--search", "-s", metavar="WORDS",
                        help="words to find in the title, tags, targets, summary and steps (any accents or "
                             "capitals); best matches first")
    for option, _, values in FILTERS:
        parser.add_argument(f"--{option}", action="append", default=[], metavar="VALUE",
                            help=f"only these {values} (repeat it, or a comma list; a value's start will do)")
    parser.add_argument("--json", action="store_true", help="a JSON list of the exercises, for scripts")
    parser.add_argument("--content", type=Path, metavar="DIR",
                        help="content folder (default: content/ in this folder or the nearest above: the project)")
    parser.add_argument("--assets", type=Path, metavar="DIR", help="pictures folder (default: the project's assets/)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="output folder, where the index is kept (default: the project's output/)")


def parser() -> argparse.ArgumentParser:
    from handouts.cli.arguments import _Parser

    p = _Parser(prog="handouts list", description="List the exercise library, filtered and searched.")
    add_arguments(p)
    return p


def run(argv: list[str]) -> int:
    """``handouts list ARGS``: print the table or the JSON; 1 when a content file has errors (they go
    to stderr, one line each, and the rest is still listed), 2 for a usage mistake."""
    args = parser().parse_args(argv)
    try:
        return _list(args)
    except BrokenPipeError:  # `handouts list | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line, as the other commands say it (handouts.cli.main)
        if os.environ.get("HANDOUTS_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (set HANDOUTS_DEBUG=1 for details; please report it)",
              file=sys.stderr)
        return 70


def _list(args: argparse.Namespace) -> int:
    from handouts.build.project import project_folders
    from handouts.build.library_index import read_library
    from handouts.errors import HandoutsError, UsageError

    try:
        vars(args).update(project_folders(vars(args), ()))
        library = read_library(args.content, args.out)
        entries = _chosen(library, args)
    except HandoutsError as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        return 2 if isinstance(exc, UsageError) else 1
    rows = [_row(entry, library.house_language, Path(args.assets)) for entry in entries]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    elif rows:
        print(table(rows, _width()))
    for problem in library.errors:
        print(str(problem), file=sys.stderr)
    if not rows:
        print(_nothing_found(library, args), file=sys.stderr)
    if library.errors:
        files = len({p.path for p in library.errors})
        print(f"{files} content file{'' if files == 1 else 's'} with errors not listed (see above)", file=sys.stderr)
    return 1 if library.errors else 0


def _chosen(library: Any, args: argparse.Namespace) -> list[Any]:
    """The entries that pass every filter, ranked by the search when there is one, else by title."""
    from handouts.build.library_query import choose, typed_values
    from handouts.content.search import fold
    from handouts.errors import UsageError

    filters = {}
    for option, _, _ in FILTERS:
        given = getattr(args, option)
        filters[option] = typed_values(given)
        if given and not filters[option]:  # --target "": a mistake, never "no filter" in disguise
            raise UsageError(f"--{option.replace('_', '-')}: give a value (several: a comma list)")
    if args.search is not None and not fold(args.search).strip(" ,.;:-'\""):
        raise UsageError("--search: give the words to look for, such as --search \"hamstring stretch\"")
    return choose(library, filters, args.search)


def _row(entry: Any, house: str, assets: Path) -> dict[str, Any]:
    found = sum(1 for image in entry.images if (assets / image).is_file())
    return {"id": entry.id, "title": entry.title, "level": entry.level, "targets": list(entry.targets),
            "equipment": list(entry.equipment), "pictures": len(entry.images), "pictures_found": found,
            "faq": entry.faq, "language": entry.language or house, "tags": list(entry.tags),
            "category": entry.category, "file": entry.source}


def _nothing_found(library: Any, args: argparse.Namespace) -> str:
    """Why the list is empty, with the values a filter could have had when one matched nothing at all."""
    from handouts.build.library_query import passes, typed_values, values_of

    for option, attribute, values in FILTERS:
        typed = typed_values(getattr(args, option))
        if typed and not any(passes(e, attribute, typed, library.house_language) for e in library.entries):
            have = sorted({v for e in library.entries for v in values_of(e, attribute, library.house_language)})
            shown = ", ".join(have[:30]) + (", ..." if len(have) > 30 else "")
            return f"--{option} {','.join(getattr(args, option))}: no exercise has it; the library's {values}: " \
                   f"{shown or 'none'}"
    if args.search is not None:
        return f"--search '{args.search}': no exercise matches; try fewer or shorter words"
    return "no exercise matches every filter" if any(getattr(args, o) for o, _, _ in FILTERS) else \
        "no exercises in the library"


def _width() -> int | None:
    """The terminal's width (``COLUMNS`` first), or None when the list goes to a pipe or a file: a
    script or ``grep`` gets whole lines."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if not sys.stdout.isatty():
        return None
    try:
        return os.get_terminal_size(sys.stdout.fileno()).columns
    except OSError:
        return 80


#: The table's columns: heading, and how a row says it.
_COLUMNS = (
    ("ID", lambda r: r["id"]),
    ("TITLE", lambda r: r["title"]),
    ("LEVEL", lambda r: r["level"] or "-"),
    ("TARGETS", lambda r: ", ".join(r["targets"]) or "-"),
    ("EQUIPMENT", lambda r: ", ".join(r["equipment"]) or "-"),
    ("PICTURES", lambda r: ("no" if not r["pictures"] else "yes" if r["pictures_found"] == r["pictures"]
                            else f"{r['pictures_found']} of {r['pictures']}")),
    ("FAQ", lambda r: str(r["faq"])),
    ("LANG", lambda r: r["language"]),
)


#: Who gives up room first when a line is too wide, and down to how many characters: the
#: targets and equipment, then the title, then the level, then the title again.  The id never: it
#: is what a program file names, and two ids cut to "seated-…" cannot be told apart; a line too
#: wide even then wraps rather than lose it.
_GIVE_UP: tuple[dict[int, int], ...] = ({3: 14, 4: 10}, {1: 24}, {3: 7, 4: 9, 2: 5}, {1: 12})


#: Columns left out, in this order, of a table still too wide: the language, the FAQ count, the pictures.
_DROPPED = (7, 6, 5)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def table(rows: list[dict[str, Any]], width: int | None) -> str:
    """*rows* as aligned columns under a heading line, two spaces apart; with a *width*, the
    shortenable columns (title, targets, equipment, level) give up room as :data:`_GIVE_UP` says
    until each line fits, then the columns of :data:`_DROPPED` are left out, the least needed
    first; a shortened cell ends in "…", and the id is always whole.  A line never ends in spaces."""
    cells = [[show(row) for _, show in _COLUMNS] for row in rows]
    widths = [max([len(heading)] + [len(line[i]) for line in cells]) for i, (heading, _) in enumerate(_COLUMNS)]
    shown = list(range(len(_COLUMNS)))
    if width is not None:
        over = sum(widths) + 2 * (len(widths) - 1) - width
        for stage in _GIVE_UP:
            while over > 0:
                widest = max(stage, key=lambda i: widths[i] - stage[i])
                if widths[widest] <= stage[widest]:
                    break
                widths[widest] -= 1
                over -= 1
        for column in _DROPPED:
            if over <= 0:
                break
            shown.remove(column)
            over -= widths[column] + 2
    lines = [[heading for heading, _ in _COLUMNS]] + cells
    return "\n".join("  ".join(_cut(line[i], widths[i]).ljust(widths[i]) for i in shown).rstrip() for line in lines)
