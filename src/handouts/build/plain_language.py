"""What a reviewer of patient material reads an exercise for: its reading grade and the
plain-language rules a simple rule can catch.  Text only; the page's fit is :mod:`handouts.build.check`.

**What is graded:** the text printed on the handout, as a patient reads it there: the summary,
the description paragraphs, the steps, the tips and the caution.  Not the FAQ: its
questions and answers are read one card at a time, and their short answers ("Yes.") would
make the handout's grade look easier than the page reads.  Each step and tip is at least one
sentence of its own, ended by its full stop or not.

**The rules**, each a finding located at its field:

* a sentence longer than ``sentence_words`` (the two longest per exercise, with their counts);
* a step longer than ``step_words``;
* the passive voice (en, es): a form of "be"/"ser" followed, next or after one adverb (-ly,
  -mente), by a past participle: an -ed/-en (-ado/-ido) word or an irregular one.  It misses
  the Spanish "se" passive and flags "is bent" where "bent" is an adjective;
* jargon: the clinical words of :data:`handouts.style.plain_words.JARGON`, with the plain word;
* a step that does not start with what to do: plain-language guides put the action first
  ("Lift your leg", not "Your leg is lifted").  Whether a word is a verb cannot be told
  without a dictionary, so the rule flags a step that starts with an article, a possessive
  or a pronoun (:data:`~handouts.style.plain_words.NOT_A_VERB`) and trusts any other first
  word: "Slowly lift" and "If it hurts, stop" pass, and so would "Knees bent".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from handouts.content.clinic_check import CheckSettings
from handouts.content.exercise import Exercise
from handouts.content.load import field_name
from handouts.content.readability import DEFAULT_TARGETS, Grade, count, grade, split_sentences, too_hard, words
from handouts.errors import Problem, shorten
from handouts.style.plain_words import (BE_FORMS, IRREGULAR_PARTICIPLES, JARGON, NOT_A_VERB, NOT_PARTICIPLES,
                                        PARTICIPLE_ENDINGS)


@dataclass(frozen=True)
class Passage:
    """One field's text as the check reads it: ``instructions, step 3`` and its sentences."""

    field: str
    sentences: tuple[str, ...]
    step: bool = False


@dataclass(frozen=True)
class TextReview:
    """An exercise's text, reviewed: its grade (None: no words), words and findings."""

    grade: Grade | None
    words: int
    findings: list[Problem]


def passages(ex: Exercise) -> list[Passage]:
    """The graded text of *ex*, field by field, in the order the handout prints it."""
    fields: list[tuple[tuple, str, bool]] = []
    if ex.summary:
        fields.append((("summary",), ex.summary, False))
    fields += [(("description", i), text, False) for i, text in enumerate(ex.description)]
    fields += [(("instructions", i), text, True) for i, text in enumerate(ex.instructions)]
    fields += [(("tips", i), text, False) for i, text in enumerate(ex.tips)]
    if ex.caution:
        fields.append((("caution",), ex.caution, False))
    return [Passage(field_name(key), tuple(split_sentences(text)), step) for key, text, step in fields]


def review_text(ex: Exercise, settings: CheckSettings) -> TextReview:
    """Grade *ex*'s text and find what the plain-language rules catch (see the module's docstring)."""
    language = ex.language or "en"
    parts = passages(ex)
    result = grade(count([s for p in parts for s in p.sentences], language), language)
    findings: list[Problem] = []
    if result is not None:
        target = settings.grade if result.scale == "grade" else (
            settings.reading_ease if settings.reading_ease is not None else DEFAULT_TARGETS[result.formula])
        if too_hard(result, target):
            goal = f"at most {target:g}" if result.scale == "grade" else f"at least {target:g}"
            findings.append(ex.problem(None, f"reading grade {result} ({result.band}); patient material should "
                                             f"read {goal} (clinic.yaml check: "
                                             f"{'grade' if result.scale == 'grade' else 'reading_ease'})"))
    findings += _long_sentences(ex, parts, settings.sentence_words)
    for part in parts:
        text = " ".join(part.sentences)
        if part.step:
            n = len(words(text))
            if n > settings.step_words:
                findings.append(ex.problem(part.field, f"{n} words; plain-language guidance is at most "
                                                       f"{settings.step_words} a step (split it in two)"))
            first = _first_word(text)
            if first and first.lower() in NOT_A_VERB.get(language, NOT_A_VERB["en"]):
                findings.append(ex.problem(part.field, f"starts with '{first}', not with what to do; start a step "
                                                       f"with its verb ('Lift your leg', not 'Your leg lifts')"))
        for phrase in _passive(text, language):
            findings.append(ex.problem(part.field, f"passive voice '{phrase}'; say who does it ('you ...')"))
        for word, plain in _jargon(text, language):
            findings.append(ex.problem(part.field, f"'{word}' is a clinical word; say '{plain}'"))
    return TextReview(result, sum(len(words(s)) for p in parts for s in p.sentences), findings)


def _long_sentences(ex: Exercise, parts: list[Passage], limit: int) -> list[Problem]:
    """The two longest sentences over *limit* words, longest first (a step over the step limit is
    reported as a step, not again as a sentence)."""
    found = [(len(words(s)), i, part, s) for i, part in enumerate(parts) for s in part.sentences
             if len(words(s)) > limit and not (part.step and len(part.sentences) == 1)]
    found.sort(key=lambda item: (-item[0], item[1]))
    return [ex.problem(part.field, f"a sentence of {n} words, '{shorten(s, 50)}'; plain-language guidance is at "
                                   f"most {limit}") for n, _, part, s in found[:2]]


def _first_word(text: str) -> str | None:
    found = words(text)
    return found[0] if found else None


def _passive(text: str, language: str) -> Iterator[str]:
    """Each ``be + participle`` in *text* ("is held", "was slowly lowered"; "es realizado")."""
    be, endings = BE_FORMS.get(language), PARTICIPLE_ENDINGS.get(language)
    if not be or not endings:
        return
    found = words(text)
    for i, word in enumerate(found[:-1]):
        if word.lower() not in be:
            continue
        after = found[i + 1: i + 3]
        if len(after) == 2 and after[0].lower().endswith(("ly", "mente")):
            after = after[1:]
        else:
            after = after[:1]
        participle = after[0].lower()
        if participle in NOT_PARTICIPLES:
            continue
        if participle in IRREGULAR_PARTICIPLES and language == "en" or (
                len(participle) > 4 and participle.endswith(endings)):
            yield " ".join(found[i: found.index(after[0], i + 1) + 1])


def _jargon(text: str, language: str) -> Iterator[tuple[str, str]]:
    """Each clinical word or phrase of *language*'s list in *text*, as written, with its plain words."""
    for term, plain in JARGON.get(language, {}).items():
        match = re.search(rf"(?<![^\W\d_]){re.escape(term)}(?![^\W\d_])", text, re.IGNORECASE)
        if match:
            yield match.group(0), plain
