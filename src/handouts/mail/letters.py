"""``handouts email``: a message per client, written as a draft, and sent when asked.

The attachments are the email editions the build makes (``output/email/programs/<name>.pdf``,
``output/email/handouts/<id>.pdf``: see :mod:`handouts.outputs.email_edition`), made or
found up to date by the same incremental build as everything else, so a program with
mistakes fails with the same located messages as ``handouts program`` and the others go on.
Each message is then written as ``output/email/<name>.eml`` (``handout-<id>.eml`` for one
exercise's handout).  Sending is :mod:`handouts.mail.delivery`.
"""

from __future__ import annotations

import datetime
import hashlib
import os
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from pathlib import Path

from handouts.build.gather import content_files, project_dir
from handouts.build.report import BuildReport
from handouts.build.run import BuildOptions, build
from handouts.content.addresses import check_address
from handouts.content.clinic import Clinic
from handouts.content.exercise import Exercise
from handouts.content.load import NotRegularFile, TooLarge, read_regular
from handouts.content.program import Program
from handouts.errors import ContentError, OutputError, Problem, display_path
from handouts.mail.body import Body, handout_body, message_date, program_body
from handouts.mail.message import Attachment, Sender, compose, draft_bytes
from handouts.outputs.base import content_source
from handouts.outputs.email_edition import ATTACHMENT_LIMIT_BYTES, EMAIL_FOLDER, MESSAGE_LIMIT_BYTES
from handouts.outputs.program import ProgramSource
from handouts.write import atomic_write_bytes, output_path


@dataclass
class Letter:
    """One message on its way: to whom, what it carries, where its draft is."""

    source: str                 # the program or content file, as shown
    item: str                   # the same, relative to the project: what the sent log names
    to: str
    to_name: str | None
    message: EmailMessage
    attachment: Attachment
    sha256: str                 # of the attachment
    draft: Path
    made_from: str = ""         # see made_from()


@dataclass
class EmailReport:
    """What ``handouts email`` found and did; the CLI prints it."""

    letters: list[Letter] = field(default_factory=list)
    builds: list[BuildReport] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)     # sources with no message (their errors say why)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.failed and all(b.ok for b in self.builds)


def sender_of(clinic: Clinic | None) -> Sender:
    """The From of the clinic's messages: its ``email:`` block, else its printed address (when it
    is one), else none (a draft's mail client puts the account's own)."""
    if clinic is None:
        return Sender(None)
    mail = clinic.mail
    if mail and mail.address:
        return Sender(mail.address, mail.from_name or clinic.name, mail.reply_to)
    address = check_address(clinic.email)[0] if clinic.email else None
    return Sender(address, clinic.name if address else None)


def _attachment(path: Path, name: str) -> tuple[Attachment, str] | int:
    """The PDF at *path*, attached as *name*, and its digest; or its size when it is over the limit
    (read no further than that).  Raises OSError or NotRegularFile when it cannot be read."""
    try:
        data, _ = read_regular(path, ATTACHMENT_LIMIT_BYTES)
    except TooLarge as exc:
        return exc.size
    return Attachment(name, data), hashlib.sha256(data).hexdigest()


def _too_large(source: str, size: int, what: str = "its PDF") -> Problem:
    return Problem(source, None, None, f"{what} is {size / 1048576:.1f} MB, more than most mail servers take "
                                       f"(a message of {MESSAGE_LIMIT_BYTES / 1048576:g} MB); not drafted: use "
                                       f"fewer or smaller pictures, or split the program")


def make_letters(options: BuildOptions, programs: tuple[Path, ...], handouts: tuple[Path, ...],
                 to: str | None, edition: str = "email") -> EmailReport:
    """Build the email editions of *programs* and *handouts*, and write a draft for each one that
    has someone to go to (*to*, ``--to``, over a program's own ``email:``).  With *edition*
    "print", a program's message carries its print edition instead (for a client who prints it
    at home: Notes backs, the cards to cut out).

    Raises what :func:`handouts.build.run.build` raises for the whole command (a missing
    content folder, an output folder that cannot be written).
    """
    report = EmailReport()
    out, project = Path(options.out_dir), project_dir(options.content_dir)
    when = message_date()
    sender = sender_of(options.clinic)
    if programs:
        built = build(replace(options, edition=edition, programs=programs, program_only=True, deck=False,
                              anki=False, files=()))
        report.builds.append(built)
        library = {p.stem: p for p in content_files(options.content_dir)}  # the files the build read
        for path in programs:
            source = ProgramSource.read(path, set(library))
            if source.program is None or source.shown in built.failed:
                report.failed.append(source.shown)  # the build reported why
                continue
            address = to or source.program.email
            if not address:
                report.errors.append(Problem(source.shown, 1, "email", "no address to send it to: add email: with "
                                             "the client's address, or give --to"))
                report.failed.append(source.shown)
                continue
            exercises = _exercises(library, source.program)
            body = program_body(source.program, {k: e for k, (e, _) in exercises.items()}, options.clinic,
                                options.paper, options.house_language())
            pdf = output_path(out, *((EMAIL_FOLDER,) if edition == "email" else ()), "programs", f"{path.stem}.pdf")
            made = made_from(source.digest or "", *(d for _, d in exercises.values()))
            _add(report, source.shown, _relative(path, project), address,
                 None if to else source.program.client,  # --to: a carer, say, not the client
                 body, pdf, f"{path.stem}.pdf", output_path(out, EMAIL_FOLDER, _draft_name(path.stem, to)), sender,
                 when, made)
    if handouts:
        assert to, "a handout goes to --to"
        built = build(replace(options, edition="email", files=handouts, deck=False, anki=False, programs=(),
                              program_only=False))
        report.builds.append(built)
        for path in handouts:
            shown = display_path(path)
            content = content_source(path)
            exercise = content.exercise() if shown not in built.failed else None
            if exercise is None:
                report.failed.append(shown)
                continue
            pdf = output_path(out, EMAIL_FOLDER, "handouts", f"{path.stem}.pdf")
            _add(report, shown, _relative(path, project), to, None,
                 handout_body(exercise, options.clinic, options.house_language()), pdf, f"{path.stem}.pdf",
                 output_path(out, EMAIL_FOLDER, f"handout-{path.stem}.eml"), sender, when,
                 made_from(content.digest or ""))
    return report


def _draft_name(stem: str, to: str | None) -> str:
    """``jane.eml``; sent with --to elsewhere (a carer), ``jane--carer@example.com.eml``, so the
    client's own draft is not replaced by someone else's."""
    if to is None:
        return f"{stem}.eml"
    safe = "".join(c if c.isalnum() or c in "@.-_+" else "_" for c in to)
    return f"{stem}--{safe}.eml"


def made_from(*digests: str) -> str:
    """A digest of the files a message's PDF is made from (a program's and its exercises', or an
    exercise's): the sent log's test of "changed", besides the attachment's own digest."""
    return hashlib.sha256("\x1f".join(digests).encode("ascii")).hexdigest()


def _exercises(library: dict[str, Path], program: Program) -> dict[str, tuple[Exercise, str]]:
    """Each exercise *program* names (its file in *library*, id -> path), and the digest of its file."""
    found = {}
    for item in program.items:
        source = content_source(library[item.exercise_id])
        exercise = source.exercise()
        if exercise is None:  # changed since the build read it
            raise ContentError(program.problem("exercises", f"'{item.exercise_id}' could not be read again"))
        found[item.exercise_id] = (exercise, source.digest or "")
    return found


def _relative(path: Path, project: Path) -> str:
    return Path(os.path.relpath(Path(path).resolve(), project)).as_posix()


def _add(report: EmailReport, source: str, item: str, to: str, to_name: str | None, body: Body, pdf: Path,
         name: str, draft: Path, sender: Sender, when: datetime.datetime, made: str) -> None:
    """Compose the message and write its draft (owner-only); a problem on the way fails this one alone."""
    try:
        found = _attachment(pdf, name)
    except (OSError, NotRegularFile) as exc:
        report.errors.append(Problem(display_path(pdf), None, None, f"cannot be read ({exc}); build it again"))
        report.failed.append(source)
        return
    if isinstance(found, int):
        report.errors.append(_too_large(source, found))
        report.failed.append(source)
        return
    attachment, sha256 = found
    message = compose(body, to_name, to, sender, attachment, when)
    data = draft_bytes(message)
    if len(data) > MESSAGE_LIMIT_BYTES:
        report.errors.append(_too_large(source, len(data), "its message"))
        report.failed.append(source)
        return
    try:
        atomic_write_bytes(draft, data, durable=False, private=True)
    except OutputError as exc:
        report.errors.append(exc.problem())
        report.failed.append(source)
        return
    report.letters.append(Letter(source, item, to, to_name, message, attachment, sha256, draft, made))
