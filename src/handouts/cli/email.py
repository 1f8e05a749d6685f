"""``handouts email``: drafts for clients, and ``--send`` through the clinic's server.

The work is :mod:`handouts.mail`; this module reads the options, asks before sending, and
says what happened: a line per draft and per message, a failure as one line naming the
recipient, and an exit status of 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from handouts.content.addresses import check_address
from handouts.errors import Problem, UsageError, display_path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="program files (programs/<name>.yaml), or content files with --to")
    parser.add_argument("--to", metavar="ADDRESS", help="send to this address (a content file's handout; for one "
                                                        "program, instead of its email:)")
    parser.add_argument("--send", action="store_true", help="send through clinic.yaml's smtp: server (asks first)")
    parser.add_argument("--yes", action="store_true", help="with --send: do not ask")
    parser.add_argument("--resend", action="store_true",
                        help="with --send: send even what was sent to the same address before")
    parser.set_defaults(fold=False, flip=None, back_offset=None, edition="email")  # its cards always fold


def _size(data: bytes) -> str:
    return f"{len(data) / 1024:.0f} KB" if len(data) < 1048576 else f"{len(data) / 1048576:.1f} MB"


def _who(letter: Any) -> str:
    return f"{letter.to_name} <{letter.to}>" if letter.to_name else letter.to


def _ask(delivery: Any, yes: bool) -> bool:
    server = delivery.server
    print(f"send {len(delivery.to_send)} {'message' if len(delivery.to_send) == 1 else 'messages'} through "
          f"{server.host}:{server.port} ({server.security}):")
    for letter in delivery.to_send:
        print(f"  {_who(letter)}: {letter.attachment.filename} ({_size(letter.attachment.data)})")
    if yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("--send asks before sending; with no one to answer, add --yes")
    try:
        answer = input("Send? [y/N] ")
    except EOFError:
        answer = ""
    if answer.strip().lower() not in ("y", "yes"):
        print("nothing sent; the drafts are ready")
        return False
    return True


def run_email(args: argparse.Namespace, options_of: Callable[..., Any], warn: Callable[[Problem], None],
              error: Callable[[Problem | str], None]) -> int:
    from handouts.mail.delivery import plan, send
    from handouts.mail.letters import EMAIL_FOLDER, make_letters

    if (args.yes or args.resend) and not args.send:
        raise UsageError("--yes and --resend go with --send")
    content = Path(args.content).resolve()
    handouts = tuple(f for f in args.files if f.resolve().parent == content)
    programs = tuple(f for f in args.files if f.resolve().parent != content)
    to = None
    if args.to is not None:
        to, why = check_address(args.to)
        if why:
            raise UsageError(f"--to: {why}")
        if len(args.files) > 1:
            raise UsageError("--to sends one file; name one program or content file with it")
    elif handouts:
        raise UsageError(f"{display_path(handouts[0])} is a content file: give the address to send its handout "
                         f"to with --to ADDRESS")
    options, clinic_warnings = options_of(args)
    report = make_letters(options, programs, handouts, to)
    for problem in clinic_warnings + [w for b in report.builds for w in b.warnings if not w.notice]:
        warn(problem)
    for problem in [e for b in report.builds for e in b.errors] + report.errors:
        error(problem)
    for letter in report.letters:
        print(f"draft {display_path(letter.draft)}: to {_who(letter)}, {letter.attachment.filename} "
              f"({_size(letter.attachment.data)})")
    failed = len(report.failed)
    if args.send and report.letters:
        delivery, log = plan(report.letters, options.clinic, Path(options.out_dir) / EMAIL_FOLDER, args.resend)
        for problem in delivery.warnings:
            warn(problem)
        for letter, sent in delivery.already:
            print(f"not sent again: {_who(letter)} was sent this {letter.attachment.filename} on "
                  f"{sent.time[:16].replace('T', ' ')}{'' if sent.confirmed else ' (not confirmed)'} "
                  f"(--resend to send it again)")
        if not send(delivery, log, options.clinic, lambda d: _ask(d, args.yes)):
            return 1
        for letter in delivery.sent:
            print(f"sent to {_who(letter)}: {letter.attachment.filename}")
        for letter, reason in delivery.failed:
            error(f"{_who(letter)}: not sent: {reason}")
        failed += len(delivery.failed)
        summary = (f"{len(delivery.sent)} sent, {len(delivery.already)} sent before, {failed} failed "
                   f"(drafts in {display_path(Path(options.out_dir) / EMAIL_FOLDER)})")
    else:
        drafts = len(report.letters)
        summary = (f"{drafts} {'draft' if drafts == 1 else 'drafts'} in "
                   f"{display_path(Path(options.out_dir) / EMAIL_FOLDER)}, {failed} failed"
                   + ("; open one in your mail program to send it, or use --send" if drafts else ""))
    ok = report.ok and failed == 0
    print(summary, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1
