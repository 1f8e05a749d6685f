"""The text of a message: its subject, and its body as plain text and as HTML.

Both bodies come from one context and two Jinja2 templates (``templates/letter.*``); the
HTML one is autoescaped, so a client's name or a note holding ``<`` or ``&`` is shown as
typed, never as markup.  The HTML part stands on its own for a screen-reader user
(WCAG 2.2, 1.3.1 "Info and Relationships"): the language is set, the headings nest, the
exercises and each one's steps are ordered lists, and it loads nothing from the network
(no remote images, no tracking).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from handouts.content.clinic import Clinic
from handouts.content.exercise import Exercise
from handouts.content.program import Program
from handouts.style.email_words import HONORIFICS, EmailWords, email_words
from handouts.style.labels import format_date, labels_for, labels_for_paper
from handouts.style.theme import Labels


@dataclass(frozen=True)
class Body:
    """A message's words: *subject* one line, *text* and *html* the two alternatives, in *language*."""

    subject: str
    text: str
    html: str
    language: str


@lru_cache(maxsize=1)
def _templates() -> Environment:
    env = Environment(loader=PackageLoader("handouts.mail", "templates"), undefined=StrictUndefined,
                      autoescape=select_autoescape(["html"]), keep_trailing_newline=True)
    env.filters["lines"] = _lines
    return env


def _lines(text: str) -> Markup:
    """Escaped text whose line breaks (a step written as a "|" block) are kept as <br>."""
    return Markup("<br>\n").join(escape(line) for line in str(text).split("\n"))


def first_name(program: Program) -> str:
    """The name a message greets: the program's ``first_name:``, else the first word of the client's
    name ("Jane" of "Jane Doe", of "Doe, Jane" too), else the whole name when that word is a title
    or an initial ("Dr. J. Doe"), which a greeting must not cut."""
    if program.first_name:
        return program.first_name
    name = program.client
    family, _, given = name.partition(",")
    if given.strip() and len(family.split()) == 1:  # "Doe, Jane": family name first ("Jane Doe, PhD" is not)
        name = given
    words = name.split()
    if not words or words[0].rstrip(".").casefold() in HONORIFICS or words[0].endswith(".") \
            or len(words[0]) == 1:  # "Dr Jane Doe", "J. Doe": the whole name, never "Dear Dr,"
        return program.client
    return words[0].rstrip(",")


def _exercise(number: int, ex: Exercise, dose: tuple[tuple[str, str], ...], note: str | None,
              labels: Labels) -> dict[str, Any]:
    names = dict(labels.dose)
    return {"number": number, "title": ex.title, "dose": dose, "note": note, "steps": ex.instructions,
            "tips": ex.tips, "caution": ex.caution,
            "dose_line": "; ".join(f"{names[part]}: {value}" for part, value in dose)}


def _signature(clinic: Clinic | None, clinician: str | None) -> list[str]:
    lines = [clinician] if clinician else []
    if clinic:
        lines += [clinic.name, *clinic.contacts] + ([clinic.address] if clinic.address else [])
    return lines


def _render(context: dict[str, Any]) -> tuple[str, str]:
    env = _templates()
    return env.get_template("letter.txt").render(context), env.get_template("letter.html").render(context)


def _paragraphs(message: str) -> list[str]:
    return [p.strip() for p in message.replace("\r\n", "\n").split("\n\n") if p.strip()]


def program_body(program: Program, exercises: dict[str, Exercise], clinic: Clinic | None, paper: str,
                 language: str | None) -> Body:
    """The message that carries *program* (every exercise it names in *exercises*), in the program's
    language (else *language*, the build's).  The clinic's ``email:`` subject and message are used
    when given for that language; the placeholders were checked when clinic.yaml was read."""
    lang = program.language or language or "en"
    words: EmailWords = email_words(lang)
    labels = labels_for_paper(labels_for(lang, Labels()), paper)
    values = {"first_name": first_name(program), "client": program.client,
              "clinician": program.clinician or (clinic.name if clinic else ""),
              "clinic": clinic.name if clinic else (program.clinician or ""),
              "date": format_date(program.date, labels)}
    mail = clinic.mail if clinic else None
    subject = (mail and mail.template("subject", lang)) or words.subject
    message = (mail and mail.template("message", lang)) or words.message
    items = []
    for number, item in enumerate(program.items, start=1):
        ex = exercises[item.exercise_id]
        items.append(_exercise(number, ex, item.dose_for(ex), item.notes, labels))
    subject_line = " ".join(subject.format(**values).split())
    context = {"lang": lang, "subject": subject_line, "heading": labels.program, "words": words,
               "message": _paragraphs(message.format(**values)), "note": program.notes, "exercises": items,
               "signature": _signature(clinic, program.clinician)}
    text, html = _render(context)
    return Body(subject_line, text, html, lang)


def handout_body(ex: Exercise, clinic: Clinic | None, language: str | None) -> Body:
    """The message that carries one exercise's handout, in its language (else the build's)."""
    lang = ex.language or language or "en"
    words = email_words(lang)
    labels = labels_for(lang, Labels())
    subject = " ".join(words.handout_subject.format(title=ex.title).split())
    context = {"lang": lang, "subject": subject, "heading": ex.title, "words": words,
               "message": _paragraphs(words.handout_message), "note": None,
               "exercises": [_exercise(1, ex, ex.dose, None, labels)], "signature": _signature(clinic, None)}
    text, html = _render(context)
    return Body(subject, text, html, lang)


def message_date(now: datetime.datetime | None = None) -> datetime.datetime:
    """When a message is dated: now, in the machine's time zone."""
    return (now or datetime.datetime.now()).astimezone()
