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


def _ask(delivery: Any, yes: bool, warn: Callable[[Problem], None]) -> bool:
    for problem in delivery.warnings:  # a damaged log: said before anyone answers
        warn(problem)
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


def _unique(files: list[Path]) -> list[Path]:
    """*files* in order, each once (``jane.yaml`` and ``j*.yaml`` name it twice: it is sent once)."""
    seen: dict[str, Path] = {}
    for file in files:
        seen.setdefault(str(file.resolve()), file)
    return list(seen.values())


def run_email(args: argparse.Namespace, options_of: Callable[..., Any], warn: Callable[[Problem], None],
              error: Callable[[Problem | str], None]) -> int:
    from handouts.mail.delivery import send_letters
    from handouts.mail.letters import make_letters

    if (args.yes or args.resend) and not args.send:
        raise UsageError("--yes and --resend go with --send")
    files = _unique(args.files)
    content = Path(args.content).resolve()
    handouts = tuple(f for f in files if f.resolve().parent == content)
    programs = tuple(f for f in files if f.resolve().parent != content)
    to = None
    if args.to is not None:
        from handouts.content.addresses import check_address  # email-validator: only when an address is typed

        to, why = check_address(args.to)
        if why:
            raise UsageError(f"--to: {why}")
        if len(files) > 1:
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
    drafts = display_path(Path(options.out_dir) / "email")
    failed = len(report.failed)
    if not (args.send and report.letters):
        count = len(report.letters)
        ok = report.ok and failed == 0
        print(f"{count} {'draft' if count == 1 else 'drafts'} in {drafts}, {failed} failed"
              + ("; open one in your mail program to send it, or use --send" if count else ""),
              file=sys.stdout if ok else sys.stderr)
        return 0 if ok else 1

    def said(letter: Any, why: str | None) -> None:  # as each message is done, not at the end
        if why is None:
            print(f"sent to {_who(letter)}: {letter.attachment.filename}", flush=True)
        else:
            error(f"{_who(letter)}: not sent: {why}")

    try:
        delivery = send_letters(report.letters, options.clinic, Path(options.out_dir), args.resend,
                                lambda d: _ask(d, args.yes, warn), said,
                                lambda pid: print(f"waiting for another 'handouts email --send' (pid {pid}) to "
                                                  f"finish ...", flush=True))
    except KeyboardInterrupt:
        error(f"interrupted; what was sent is recorded in {drafts}/sent.jsonl, and a run again sends the rest")
        return 130
    if delivery is None:
        return 1
    if not delivery.to_send:  # nothing was asked, so the log's warnings were not said yet
        for problem in delivery.warnings:
            warn(problem)
    for letter, sent in delivery.already:
        print(f"not sent again: {_who(letter)} was sent this {letter.attachment.filename} on "
              f"{sent.time[:16].replace('T', ' ')}{'' if sent.confirmed else ' (not confirmed)'} "
              f"(--resend to send it again)")
    for letter in delivery.not_tried:
        error(f"{_who(letter)}: not sent: not tried after the server's failure above")
    if delivery.unrecorded:
        letter, unwritten = delivery.unrecorded
        error(f"{_who(letter)}: sent, but not recorded ({unwritten}), so a run again would send it again; "
              f"sending stopped")
    failed += len(delivery.failed) + len(delivery.not_tried)
    unsent = len(delivery.to_send) - len(delivery.sent) - len(delivery.failed) - len(delivery.not_tried)
    ok = report.ok and failed == 0 and not unsent and not delivery.unrecorded
    print(f"{len(delivery.sent)} sent, {len(delivery.already)} sent before, {failed} failed"
          + (f", {unsent} not tried" if unsent else "") + f" (drafts in {drafts})",
          file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1
