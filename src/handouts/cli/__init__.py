"""The command line.  The only module that prints or exits.

Every error the tool raises on purpose derives from HandoutsError and is printed as one
line; anything else is a bug, reported as such (still without a wall of traceback
unless HANDOUTS_DEBUG is set).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handouts.errors import ContentError, HandoutsError, Problem, UsageError, display_path
from handouts.cli.arguments import command_in, parser_for
from handouts.style.settings import (BACK_OFFSET, CARD_SIZE, FLIP, LANGUAGE, PAPER, Origin, Resolved, SettingError,
                                     resolve)

if TYPE_CHECKING:  # the build's modules (ReportLab) are imported by the commands that build: `list` stays quick
    from pathlib import Path

    from handouts.build.run import BuildOptions
    from handouts.content.clinic import Clinic
    from handouts.layout.card_sheet import CardSheet


def _warn(problem: Problem) -> None:
    print(f"warning: {problem}", file=sys.stderr)


def _error(problem: Problem | str) -> None:
    print(str(problem), file=sys.stderr)


@dataclass(frozen=True)
class CommandSettings:
    """A command's settings, resolved once: the command line over clinic.yaml over the default,
    each value with its origin, so that a value the card sheet cannot take is blamed on
    whoever gave it: ``--back-offset X 9 mm ...`` or ``clinic.yaml:7: back_offset: X 9 mm ...``."""

    paper: Resolved[str]
    card_size: Resolved[str]
    flip: Resolved[str]
    back_offset: Resolved[tuple[float, float]]
    clinic: Clinic | None
    language: Resolved[str] | None = None  # commands that print content (not calibrate)

    def blame(self, exc: SettingError) -> HandoutsError:
        """*exc* as its origin says it: a mistake in the clinic file (exit 1, like its others), or the option's."""
        resolved = getattr(self, exc.key, None)
        if self.clinic and isinstance(resolved, Resolved) and resolved.origin is Origin.CLINIC:
            return ContentError(self.clinic.problem(exc.key, exc.for_file()))
        return UsageError(exc.for_option())

    def check(self, make: Callable[[], CardSheet]) -> CardSheet:
        """``make()`` (a card sheet), with a setting it cannot take blamed on the setting's origin."""
        try:
            return make()
        except SettingError as exc:
            raise self.blame(exc) from None


def _settings(args: argparse.Namespace, clinic: Clinic | None) -> CommandSettings:
    """Resolve the command's settings.  With --fold the clinic's duplex settings (flip,
    back offset) do not apply; typed with --fold they are a mistake."""
    fold = getattr(args, "fold", False)
    email = getattr(args, "edition", "print") == "email"
    if email and (fold or args.flip is not None or args.back_offset is not None):
        raise UsageError("--for email always has fold-over cards; leave out --fold, --flip and --back-offset")
    if fold and (args.flip is not None or args.back_offset is not None):
        raise UsageError("--fold prints one-sided fold-over cards; leave out --flip and --back-offset")
    duplex = clinic if clinic and not (fold or email) else None
    try:
        return CommandSettings(
            paper=resolve(PAPER, args.paper, clinic.paper if clinic else None),
            card_size=resolve(CARD_SIZE, getattr(args, "card_size", None), clinic.card_size if clinic else None),
            flip=resolve(FLIP, args.flip, duplex.flip if duplex else None),
            back_offset=resolve(BACK_OFFSET, args.back_offset, duplex.back_offset_mm if duplex else None),
            clinic=clinic,
            language=resolve(LANGUAGE, args.language, clinic.language if clinic else None)
            if hasattr(args, "language") else None)
    except SettingError as exc:  # only typed text is parsed here: clinic.yaml's was read when it was loaded
        raise UsageError(exc.for_option()) from None


def _clinic(args: argparse.Namespace) -> tuple[CommandSettings, list[Problem]]:
    """clinic.yaml beside the content folder, and the command's settings with its defaults.

    A clinic file with errors stops the command before anything is written: every page would carry it.
    """
    from handouts.content.clinic import clinic_path, load_clinic

    clinic, warnings = load_clinic(clinic_path(args.content))
    return _settings(args, clinic), warnings


def _options(args: argparse.Namespace, **more) -> tuple[BuildOptions, list[Problem]]:
    from handouts.build.run import BuildOptions
    from handouts.style.theme import DEFAULT_THEME, large_print

    if getattr(args, "previews", False) and args.edition == "email":
        raise UsageError("--for email makes no previews; leave out --previews")
    settings, warnings = _clinic(args)
    clinic = settings.clinic
    theme = large_print(DEFAULT_THEME) if args.large_print else DEFAULT_THEME
    options = BuildOptions(content_dir=args.content, assets_dir=args.assets, out_dir=args.out,
                           paper=settings.paper.value, card_size=settings.card_size.value,
                           flip=settings.flip.value, fold=args.fold, theme=theme,
                           back_offset_mm=settings.back_offset.value, clinic=clinic,
                           language=settings.language.value if settings.language and
                           settings.language.origin is not Origin.DEFAULT else None, edition=args.edition,
                           previews=getattr(args, "previews", False), **more)
    settings.check(options.card_sheet)
    if clinic:
        from handouts.render.exercise import clinic_context

        warnings += clinic_context(clinic, args.assets, args.out, theme)[1]
    return options, warnings


def _waiting_for(out_dir: Path) -> Callable[[str], None]:
    """What a build says, once, when another one is writing its output folder and it waits for it
    (up to :data:`handouts.build.lock.WAIT_SECONDS`): a wait with nothing said looks like a hang."""
    def say(pid: str) -> None:
        print(f"waiting for another build writing {display_path(out_dir)} (pid {pid}) to finish ...",
              file=sys.stderr, flush=True)
    return say


def cmd_build(args: argparse.Namespace) -> int:
    from handouts.build.gather import programs_dir, yaml_files
    from handouts.build.pool import usable_cores
    from handouts.build.run import build
    from handouts.cli.progress import ProgressBar
    from handouts.cli.summary import print_summary as _summary

    if args.jobs < 1:
        raise UsageError(f"--jobs {args.jobs}: give at least 1 process")
    if args.anki and args.files:
        raise UsageError("--anki makes the deck of the whole library; leave out the FILEs (or --anki)")
    if args.anki and args.edition == "email":
        raise UsageError("--for email makes no Anki deck; leave out --anki (or build it with the print edition)")
    if args.jobs > (cores := usable_cores()):  # more processes than cores only queue for them, and cost memory
        print(f"--jobs {args.jobs}: {cores} {'process' if cores == 1 else 'processes'}, one per core of this machine")
    programs = () if args.files else tuple(yaml_files(programs_dir(args.content)))
    options, clinic_warnings = _options(args, files=tuple(args.files), deck=not args.files, jobs=args.jobs,
                                        incremental=not args.rebuild, programs=programs,
                                        anki=args.anki)
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        report = build(options, progress=bar, waiting=_waiting_for(options.out_dir))
    finally:
        if bar:
            bar.close()
    report.warnings[:0] = clinic_warnings
    return _summary(args, options, report)


def cmd_program(args: argparse.Namespace) -> int:
    from handouts.build.run import build_programs
    from handouts.cli.summary import print_summary as _summary

    options, clinic_warnings = _options(args, programs=tuple(args.files), program_only=True, deck=False)
    report = build_programs(options, waiting=_waiting_for(options.out_dir))
    report.warnings[:0] = clinic_warnings
    return _summary(args, options, report)


def cmd_email(args: argparse.Namespace) -> int:
    from handouts.cli.email import run_email

    return run_email(args, _options, _warn, _error)


def cmd_check(args: argparse.Namespace) -> int:
    from handouts.cli.check import run_check

    return run_check(args, _warn, _error)


def cmd_serve(args: argparse.Namespace) -> int:
    from handouts.cli.serve import run_serve

    return run_serve(args)


def cmd_calibrate(args: argparse.Namespace) -> int:
    from handouts.build.run import BuildOptions, build
    from handouts.style.theme import DEFAULT_THEME
    from handouts.outputs.calibration import Calibration

    settings = _clinic(args)[0]
    options = BuildOptions(content_dir=args.content, out_dir=args.out, paper=settings.paper.value,
                           flip=settings.flip.value, back_offset_mm=settings.back_offset.value, theme=DEFAULT_THEME)
    sheet = settings.check(options.card_sheet)
    report = build(options, kinds=[[Calibration()]])
    target = display_path(args.out / "calibration.pdf")
    said = "wrote" if report.made.get("calibration") else "up to date:"
    print(f"{said} {target}: print both pages at actual size, double-sided, flip on "
          f"{sheet.flip} edge, then read X and Y as the sheet says")
    return 0


def _join_offset(argv: list[str]) -> list[str]:
    """``--back-offset -1,2`` -> ``--back-offset=-1,2``: argparse takes "-1,2" for an option."""
    out, i = [], 0
    while i < len(argv):
        if argv[i] == "--back-offset" and i + 1 < len(argv):
            out.append(f"--back-offset={argv[i + 1]}")
            i += 2
        else:
            out.append(argv[i])
            i += 1
    return out


def cmd_import(args: argparse.Namespace) -> int:
    from handouts.outputs.base import plural
    from handouts.importers.free_exercise_db import import_exercise_db
    from handouts.importers.plain_text import ImportResult, TextImport, import_text_files
    from handouts.importers.sources import sort_sources

    sources = sort_sources(args.files)  # another library's JSON: an error, not a text without "Instructions"
    results: list[ImportResult] = [ImportResult(written=[], skipped=[], problems=sources.problems)]
    results += [import_exercise_db(path, args.content, args.assets, force=args.force) for path in sources.databases]
    if sources.texts:
        results.append(import_text_files(sources.texts, args.content, force=args.force))
    written = [path for r in results for path in r.written]
    skipped = [p for r in results for p in r.skipped]
    problems = [p for r in results for p in r.problems]
    updated = {path: change for r in results if isinstance(r, TextImport) for path, change in r.updated.items()}
    if len(written) <= 20:
        for path in written:
            if path in updated:
                changed, kept = updated[path]
                print(f"updated {display_path(path)}: {', '.join(changed) or 'nothing'} changed"
                      + (f"; kept {', '.join(kept)} from the YAML" if kept else ""))
            else:
                print(f"wrote {display_path(path)}")
    for problem in [w for r in results for w in r.warnings] + skipped:
        _warn(problem)
    for problem in problems:
        _error(problem)
    where = f" in {display_path(args.content)}" if len(written) > 20 else ""
    failed = sum(len(r.failed) if isinstance(r, TextImport) else len({(p.path, p.line) for p in r.problems})
                 for r in results)  # text files; a library's entries (each problem names its entry's line)
    print(f"imported {plural(len(written), 'exercise')}{where}, {len(skipped)} skipped, {failed} failed",
          file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


class _Terminated(KeyboardInterrupt):
    """SIGTERM (a service stopping, ``kill``): it ends a build as Ctrl-C does (what was written is
    recorded), with the exit status a shell gives a process ended by it, 128 + 15."""


def _terminated(signum: int, frame: Any) -> None:
    raise _Terminated


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["list"]:  # quick: without the build's modules (see cli/listing.py)
        from handouts.cli.listing import run

        return run(argv[1:])
    # --help and --version end here, before YAML is imported
    args = parser_for(command_in(argv)).parse_args(_join_offset(argv))
    from handouts.build.preflight import check_folders, check_source_date_epoch
    from handouts.build.project import project_folders

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminated)
    try:
        check_source_date_epoch()  # then the folders not typed: the project's of the files, or the working folder's
        named = args.files if args.command in ("build", "program", "email", "check") else ()
        vars(args).update(project_folders(vars(args), named))
        check_folders({f"--{name}": getattr(args, name, None) for name in ("content", "assets", "out")})
        return {"build": cmd_build, "program": cmd_program, "import": cmd_import,
                "calibrate": cmd_calibrate, "email": cmd_email, "check": cmd_check,
                "serve": cmd_serve}[args.command](args)
    except SettingError as exc:  # not blamed on clinic.yaml by the command: the option's
        _error(exc.for_option())
        return 2
    except HandoutsError as exc:
        for warning in getattr(exc, "warnings", ()):  # found in the same file (clinic.yaml): still worth saying
            _warn(warning)
        for line in str(exc).splitlines():
            _error(line)
        return 2 if isinstance(exc, UsageError) else 1
    except KeyboardInterrupt as exc:
        _error("interrupted; files already written are complete, run the build again to finish")
        return 143 if isinstance(exc, _Terminated) else 130
    except Exception as exc:  # a bug: say so in one line unless asked for the traceback
        if os.environ.get("HANDOUTS_DEBUG"):
            raise
        _error(f"internal error: {type(exc).__name__}: {exc} (set HANDOUTS_DEBUG=1 for details; please report it)")
        return 70

