"""Property-based tests: hostile text in, a one-page handout and sound cards out, or a clean error.

Whatever a content file holds, ``handouts`` must answer with a one-page handout (and
well-formed cards), or with messages of the form ``path:line: field: message`` that name
the file: never a traceback, a hang or a broken PDF.  Hypothesis generates the hostile
input: text from every Unicode category (controls, combining marks, right-to-left
scripts, emoji, zero-width and bidi-control characters, endless words, URLs), strings
that look like ReportLab markup or YAML syntax, and numbers, booleans, nulls, dates,
bytes, lists and mappings in places where text belongs.

The properties, cheapest first:

1. model: an arbitrary exercise-shaped mapping, dumped with ``yaml.safe_dump``, read by
   ``parse_yaml`` and checked by ``validate``, is an Exercise or a ContentError whose every
   problem is located in the file and readable (one line, bounded);
2. raw text: any text at all (mostly not YAML) through ``parse_yaml`` is a RawDocument or a
   ContentError, with bounded one-line messages; and any bytes in a file, through
   ``load_file``, are a document or problems naming that file;
3. layout and render: a valid exercise with hostile text in every field gives a one-page
   handout and an even number of card pages, both passing qpdf's check, with every ASCII
   word of the content printed; or a LayoutOverflowError naming the file;
4. escaping: text that looks like markup is printed as typed;
5. end to end: ``handouts build FILE`` on any of the above exits 0 with a one-page handout or
   1, and every line it prints names the file; never an internal error.

Everything is derandomized and database-less, so CI sees the same examples every run.
Exercises are made through the real path (YAML text -> parse_yaml -> validate), so their
line maps are the ones a user's file would have.

Bugs found by these properties are kept at the end of this file as plain tests with the
minimal input.  A bug not yet fixed is marked ``xfail(strict=True, reason=...)`` there and,
so that the properties go on looking for new bugs meanwhile, listed in :data:`KNOWN_BUGS`,
which the properties count as Hypothesis events instead of failing on.  When a fix lands,
the strict xfail fails the run: remove its marker and its KNOWN_BUGS entry together.

Run time: about 15 s for the whole file (most of it the render property's 60 examples).
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
import signal
import string
import threading
import unicodedata
from pathlib import Path

import pikepdf
import pytest
import yaml
from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from handouts.layout.card_sheet import make_sheet
from handouts.errors import ContentError, LayoutOverflowError, Problem, UnprintableTextError
from handouts.render.exercise import lay_out_cards, render_handout, card_info
from handouts.style.labels import LANGUAGES
from handouts.content.load import RawDocument, parse_yaml
from handouts.content.exercise import DOSE_PARTS, FIELDS, Exercise, validate
from handouts.content.program import DATE_RANGE
from handouts.render.cards import cards_pdf
from handouts.style.theme import DEFAULT_THEME, large_print

REPO = Path(__file__).resolve().parents[1]
ASSETS = REPO / "assets"
PICTURE = "reclining-lower-trunk-extensor-stretch.png"  # the one real picture in assets/
SOURCE = "x.yaml"
MAX_MESSAGE = 300
LIMITS = {spec.name: spec.max_chars for spec in FIELDS}

# Every example is derandomized, with no deadline and no database: conftest's profile.
#: Cheap properties (parsing and validation): many examples.
CHEAP = settings(max_examples=300)
#: Layout and render: each example lays out a page and a deck and reads both back.
#: The exercises are big by design (up to 40 steps of 1200 characters): that size is the
#: input under test, not a strategy to make cheaper (the profile has no too_slow check).
RENDER = settings(max_examples=60)
#: No single example may use more CPU than this: a hang is a failure, not a stuck CI job.
HANG_CPU_SECONDS = 30


@contextlib.contextmanager
def no_hang(cpu_seconds: float = HANG_CPU_SECONDS):
    """Fail (TimeoutError) once the code inside has used *cpu_seconds* of this process's CPU time.

    CPU time, not the wall clock (ITIMER_PROF: user + system time of this process): a busy
    machine stretches the wall clock, never this count, so only a loop that does not end
    (the hang this guards against) can reach it.  A no-op where setitimer is not available.
    """
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise TimeoutError(f"no answer after {cpu_seconds} s of CPU time: handouts hangs on this input")

    previous = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


# --- hostile text ------------------------------------------------------------------------------

ASCII_ALNUM = string.ascii_letters + string.digits

#: Strings that ReportLab's paragraph parser would obey if they reached it unescaped.
MARKUP = (
    "<b>", "</b>", "<b>x</b>", "<i>y</i>", "&amp;", "&", "&lt;", "&gt;", "&#60;", "&#x3c;", "&nbsp;",
    "&bogus;", "&#0;", '<img src="x">', '<img src="x"/>', "]]>", "<![CDATA[", '<font face="Inter">',
    "</font>", '<font color="red" size="40">', "<br/>", "<para>", "</para>", '<a href="javascript:x">',
    "<!-- c -->", "<?xml version='1.0'?>", "<super>2</super>", "<u>", "<strike>", "<seq/>",
    '<onDraw name="x"/>', '<span style="x">', "<bullet>", "< b >", "<", ">", "<>", "</>", "&&", "%s",
    "%(x)s", "{0}", "{number}", "\\", "\\n", "\\x00", "$x", "${x}",
)

#: What YAML reads specially, mostly at the start of a value.
YAML_SPECIAL = (
    "-", "- ", "--", "---", "...", ":", ": ", "::", "#", "# comment", " #", "&", "&anchor", "*", "*alias",
    "!", "!!str", "!!int", "!tag", "|", "|-", ">", ">+", "%", "%YAML 1.1", "@", "`", "``", "'", "''", '"',
    '""', "?", "? ", "{", "}", "{}", "[", "]", "[]", ",", "~", "null", "Null", "yes", "No", "on", "OFF",
    "y", "n", "true", "0x1F", "0o17", "017", "1_000", "1e3", "+.5", ".inf", "-.Inf", ".nan", "3.10",
    "12:30:00", "2001-12-14", "2001-02-30", "!!bool", "!!float", "!!map", "<<", "=", "\\t",
)

#: Single characters that break naive text handling.
SPECIAL_CHARS = (
    "\t", "\n", "\r", "\r\n", "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f", "\u00a0",
    "\u00ad", "\u034f", "\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u2028", "\u2029", "\u2060",
    "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u061c", "\u0301", "\u0336", "\u20e3", "\ufe0f", "\u2011", "\u2212", "\u2192", "\u21d2", "\u2713",
    "\ufb01", "\uff21", "\u2460", "\u1e9e", "\u0130", "\u0149", "\u00df", "\u03a3", "\u0416", "\u4e2d",
    "\u3000", "\ufffd", "\ufffe", "\uffff", "\ue000", "\U0010ffff", "\U0001d400", "\U000e0001",
    "\U0001F600", "\U0001F469\u200d\U0001F4BB", "\U0001F1FA\U0001F1F8", "\U0001F44D\U0001F3FD",
)

EMOJI = st.one_of(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
                  st.characters(min_codepoint=0x2600, max_codepoint=0x27BF))
ANY_CHAR = st.characters(exclude_categories=("Cs",))  # every category but lone surrogates
RTL = st.text(st.one_of(st.characters(min_codepoint=0x05D0, max_codepoint=0x05EA),   # Hebrew
                        st.characters(min_codepoint=0x0621, max_codepoint=0x064A),   # Arabic
                        st.characters(min_codepoint=0x0660, max_codepoint=0x0669),   # Arabic digits
                        st.sampled_from(" ()<>[]0123,.")), min_size=1, max_size=14)
ZALGO = st.builds(str.__add__, st.sampled_from("aeoqxAZ1"),
                  st.text(st.characters(categories=("Mn", "Me", "Mc")), min_size=1, max_size=8))
WORD = st.text(ASCII_ALNUM, min_size=1, max_size=12)
LONG_WORD = st.text(ASCII_ALNUM, min_size=40, max_size=400)  # wider than any column
URL = st.builds("https://{}.example.org/{}/{}?a=1&b=<c>#{}".format, WORD, WORD, LONG_WORD, WORD)

FRAGMENT = st.one_of(
    WORD, WORD, WORD, WORD,
    st.sampled_from(MARKUP), st.sampled_from(YAML_SPECIAL), st.sampled_from(SPECIAL_CHARS),
    st.text(ANY_CHAR, max_size=8), RTL, ZALGO, EMOJI, LONG_WORD, URL,
)
#: A web address as a phone opens it: http(s), then anything but whitespace and controls.
WEB_ADDRESS = st.builds("{}://{}.example.org/{}".format, st.sampled_from(("https", "http", "HTTPS")), WORD,
                        st.text(st.characters(exclude_categories=("Cs", "Cc", "Cf", "Zs", "Zl", "Zp")), max_size=60))
SEPARATOR = st.sampled_from((" ", " ", " ", " ", "", "", "  ", "\t", "\n", "\u00a0", " - ", ": ", " # "))


def hostile_text(max_fragments: int = 10, min_fragments: int = 1) -> st.SearchStrategy[str]:
    """Words and hostile fragments, run together or separated by assorted whitespace."""
    return st.lists(st.tuples(FRAGMENT, SEPARATOR), min_size=min_fragments, max_size=max_fragments).map(
        lambda parts: "".join(fragment + sep for fragment, sep in parts))


# --- what the validator keeps of a text, and what it names in messages ---------------------------

_VALIDATOR_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff]")


def cleaned(text: str) -> str:
    """*text* as validate() keeps it: controls removed, whitespace runs folded, NFC."""
    return unicodedata.normalize("NFC", " ".join(_VALIDATOR_CONTROL.sub("", text).split()))


_YAML_BREAKS = re.compile(r"[\x85\u2028\u2029]")


def _kept_length(text: str) -> int:
    """How long validate() keeps *text*, at most.  NEL, LS and PS are line breaks to YAML too:
    safe_dump may write them raw in a quoted scalar, which folds them into a space on reading."""
    return max(len(cleaned(text)), len(cleaned(_YAML_BREAKS.sub(" ", text))))


def clip(text: str, limit: int, anchor: str) -> str:
    """The longest start of *text* that validate() accepts within *limit* characters;
    *anchor* (a plain word) is put first so that it is never empty."""
    text = f"{anchor} {text}"
    if _kept_length(text) <= limit:
        return text
    low, high = len(anchor), len(text)  # text[:low] fits, text[:high] does not
    while high - low > 1:
        middle = (low + high) // 2
        if _kept_length(text[:middle]) <= limit:
            low = middle
        else:
            high = middle
    return text[:low]


ANCHOR = st.text(string.ascii_letters, min_size=4, max_size=10)


def field_text(limit: int, max_fragments: int = 10) -> st.SearchStrategy[str]:
    """Hostile text that validate() accepts for a field of at most *limit* characters."""
    return st.builds(clip, hostile_text(max_fragments), st.just(limit), ANCHOR)


# --- checking problems -------------------------------------------------------------------------

def _violations(problem: Problem, whole_file_ok: bool) -> list[str]:
    """What is wrong with *problem* as a message for a user (empty: nothing)."""
    found = []
    if problem.path != SOURCE:
        found.append("does not name the file")
    if problem.line is None:
        if not (whole_file_ok and problem.field is None):
            found.append("no line")
    elif not (isinstance(problem.line, int) and problem.line >= 1):
        found.append("bad line")
    message = problem.message
    if not isinstance(message, str) or not message.strip():
        found.append("empty message")
    elif len(message.splitlines()) != 1:
        found.append("several lines")
    elif any(unicodedata.category(c) == "Cc" for c in message):
        found.append("control characters")  # an ESC from a typed key reaches the terminal
    elif len(message) >= MAX_MESSAGE:
        found.append("too long")
    return found


#: (violation, what the message says, the strict xfail test that documents the bug): a
#: property counts these as events (``--hypothesis-show-statistics``) and goes on looking.
#: Remove an entry when its test is fixed and loses its xfail marker.
KNOWN_BUGS: tuple[tuple[str, str, str], ...] = ()


def check_problem(problem: Problem, *, whole_file_ok: bool = False) -> None:
    """A problem a user can act on: names x.yaml and a line (or is about the whole file, when
    *whole_file_ok*), and says what is wrong in one line of fewer than 300 characters."""
    assert isinstance(problem, Problem), problem
    for violation in _violations(problem, whole_file_ok):
        known = [test for kind, says, test in KNOWN_BUGS if kind == violation and says in problem.message]
        assert known, f"{violation}: {problem!r}"
        event(f"known bug: {known[0]}")
    printed = str(problem)  # what the CLI prints: the field is part of the line
    assert len(printed.splitlines()) == 1 and len(printed) < len(problem.path) + 80 + MAX_MESSAGE, printed[:500]


def check_content_error(exc: ContentError) -> None:
    assert exc.problems, "a ContentError without a problem"
    for problem in exc.problems + exc.warnings:
        check_problem(problem)


def parse_or_problem(text: str) -> RawDocument | None:
    """parse_yaml(text): the document, or None after checking the ContentError it raised."""
    try:
        with no_hang(10):
            return parse_yaml(text, SOURCE)
    except ContentError as exc:
        check_content_error(exc)
        event("parse: ContentError")
        return None


# --- property 1: model level -------------------------------------------------------------------

SCALAR = st.one_of(
    hostile_text(6), st.text(ANY_CHAR, max_size=30), st.integers(), st.floats(), st.booleans(), st.none(),
    st.dates(), st.binary(max_size=6), st.sampled_from(YAML_SPECIAL), st.sampled_from(MARKUP),
    st.builds(lambda n: "x" * n, st.integers(1000, 4000)),
)
FIELD_NAMES = tuple(spec.name for spec in FIELDS)
KEY = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(("titel", "instruction", "faqs", "tip", "Title",
                                                               "question", "answer", "file", "caption")),
                hostile_text(3), st.integers(), st.booleans(), st.none(), st.floats())
ANYTHING = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEY, inner, max_size=4),
                        max_leaves=10)


def _text_or_anything(limit: int) -> st.SearchStrategy:
    return st.one_of(field_text(limit), hostile_text(12), ANYTHING)


PICTURE_PATHS = st.one_of(st.sampled_from((PICTURE, "missing.png", "x.gif", "../secret.png", "/etc/x.jpg",
                                           "a/b.JPEG", " ", "", "photo.png ")), hostile_text(3), ANYTHING)


def _picture_item() -> st.SearchStrategy:
    entry = st.fixed_dictionaries({}, optional={"file": PICTURE_PATHS, "caption": _text_or_anything(120),
                                                "captoin": ANYTHING, "alt": hostile_text(2)})
    return st.one_of(PICTURE_PATHS, entry, ANYTHING)


def _faq_item() -> st.SearchStrategy:
    entry = st.fixed_dictionaries({}, optional={"question": _text_or_anything(200), "answer": _text_or_anything(600),
                                                "answr": ANYTHING, "Question": hostile_text(2)})
    return st.one_of(entry, entry, ANYTHING)


def _field_value(kind: str, limit: int) -> st.SearchStrategy:
    if kind == "text":
        return _text_or_anything(limit)
    if kind in ("paragraphs", "steps", "words"):
        return st.one_of(st.lists(_text_or_anything(limit), max_size=6), ANYTHING)
    if kind == "image":
        return PICTURE_PATHS
    if kind == "images":
        return st.one_of(st.lists(_picture_item(), max_size=3), ANYTHING)
    if kind == "faq":
        return st.one_of(st.lists(_faq_item(), max_size=4), ANYTHING)
    if kind == "url":
        return st.one_of(WEB_ADDRESS, URL, hostile_text(4), ANYTHING)
    if kind == "dose":
        return st.one_of(st.dictionaries(st.sampled_from(DOSE_PARTS + ("rep", "Sets")), _text_or_anything(limit),
                                         max_size=7), ANYTHING)
    return _text_or_anything(limit)  # a kind added since: hostile text and anything else


EXERCISE_FIELDS = st.fixed_dictionaries({}, optional={spec.name: _field_value(spec.kind, spec.max_chars)
                                                      for spec in FIELDS})


def _right_value(name: str, kind: str, limit: int) -> st.SearchStrategy:
    """A value of the right shape for a field (what a careful user types), hostile text and all."""
    text = field_text(min(limit, 300), 6)
    if name == "language":
        return st.sampled_from(sorted(LANGUAGES))
    if kind == "text":
        return text
    if kind == "url":
        return WEB_ADDRESS
    if kind == "dose":
        return st.dictionaries(st.sampled_from(DOSE_PARTS), field_text(limit, 3), min_size=1, max_size=6)
    if kind in ("paragraphs", "steps", "words"):
        return st.lists(field_text(min(limit, 300), 6), min_size=1, max_size=4)
    if kind == "image":
        return st.sampled_from((PICTURE, "missing.png", "b.JPG"))
    if kind == "images":
        return st.lists(st.one_of(st.sampled_from((PICTURE, "missing.jpeg")),
                                  st.fixed_dictionaries({"file": st.just(PICTURE)},
                                                        optional={"caption": field_text(120, 4)})),
                        min_size=1, max_size=2)
    if kind == "faq":
        answer = st.one_of(field_text(600, 6), st.lists(field_text(200, 4), min_size=1, max_size=4))  # text or points
        return st.lists(st.fixed_dictionaries({"question": field_text(200, 6), "answer": answer}),
                        min_size=1, max_size=3)
    return text  # a kind added since


RIGHT_VALUES = {spec.name: _right_value(spec.name, spec.kind, spec.max_chars) for spec in FIELDS
                if spec.name != "image"}
WRONG_VALUES = {spec.name: _field_value(spec.kind, spec.max_chars) for spec in FIELDS}


@st.composite
def nearly_right_exercise(draw) -> dict:
    """A right exercise with a few things wrong: a field of the wrong kind, a field left out, a key
    added (misspelt, unknown or hostile), in any order."""
    data = {"title": draw(RIGHT_VALUES["title"]), "instructions": draw(RIGHT_VALUES["instructions"])}
    for name in draw(st.lists(st.sampled_from(sorted(RIGHT_VALUES)), unique=True, max_size=5)):
        data[name] = draw(RIGHT_VALUES[name])
    for _ in range(draw(st.integers(0, 3))):
        action = draw(st.sampled_from(("wrong", "drop", "add")))
        if action == "wrong":
            name = draw(st.sampled_from(FIELD_NAMES))
            data[name] = draw(WRONG_VALUES[name])
        elif action == "drop" and data:
            del data[draw(st.sampled_from(sorted(data, key=repr)))]
        else:
            data[draw(KEY)] = draw(ANYTHING)
    if draw(st.booleans()):  # the fields in another order
        data = dict(draw(st.permutations(list(data.items()))))
    return data


EXERCISE_LIKE = st.one_of(
    nearly_right_exercise(),
    nearly_right_exercise(),
    st.builds(lambda fields, extra: {**fields, **extra}, EXERCISE_FIELDS, st.dictionaries(KEY, ANYTHING, max_size=3)),
    st.builds(lambda extra, fields: {**extra, **fields}, st.dictionaries(KEY, ANYTHING, max_size=3), EXERCISE_FIELDS),
    ANYTHING,
)


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.mark.slow
@CHEAP
@given(data=EXERCISE_LIKE)
@example(data={"title": "Wall push", "instructions": ["Stand.", "Push."]})
@example(data={"title": True, "instructions": "Stand.", "faq": [{"question": "Why?"}], "tpis": ["x"]})
@example(data={"title": "x" * 151, "instructions": [{"Stand": "up"}], "image": "../secret.png"})
@example(data=[{"title": "a list, not a mapping"}])
@example(data={None: 1, 3: [], 2.5: {}, False: "x", "title": None, "instructions": []})
def test_any_mapping_is_an_exercise_or_located_problems(data):
    text = dump(data)
    doc = parse_or_problem(text)
    if doc is None:
        return
    try:
        exercise, warnings = validate(doc, "x")
    except ContentError as exc:
        check_content_error(exc)
        event("validate: ContentError")
        return
    event("validate: Exercise")
    assert isinstance(exercise, Exercise)
    assert exercise.source == SOURCE and exercise.title and exercise.instructions
    for warning in warnings:
        check_problem(warning)


# --- property 1b: the other YAML inputs, programs and the clinic profile ------------------------

KNOWN_IDS = ("wall-push", "seated-knee-extension", "bridge")
PROGRAM_KEYS = ("client", "clinician", "date", "language", "notes", "exercises", "id", "dose", "sets", "reps",
                "side", "clinic", "exercise", "Client")
CLINIC_KEYS = ("name", "logo", "phone", "email", "website", "address", "paper", "language", "flip",
               "back_offset", "Name", "adress")
DATES = st.one_of(st.dates(), st.sampled_from(("2026-11-25", "2026-02-30", "25/11/2026", "today", "")))


def _mapping_of(keys) -> st.SearchStrategy:
    key = st.one_of(st.sampled_from(keys), KEY)
    value = st.recursive(st.one_of(SCALAR, DATES.map(str), st.sampled_from(KNOWN_IDS)),
                         lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                             st.sampled_from(keys), inner, max_size=4), max_leaves=12)
    return st.one_of(st.dictionaries(key, value, max_size=7), ANYTHING)


@st.composite
def nearly_right_program(draw) -> dict:
    item = st.one_of(st.sampled_from(KNOWN_IDS + ("wall-psh", "unknown")),
                     st.fixed_dictionaries({"id": st.sampled_from(KNOWN_IDS + ("bridg",))},
                                           optional={"dose": st.dictionaries(st.sampled_from(DOSE_PARTS + ("rep",)),
                                                                             st.one_of(SCALAR, WORD), max_size=4),
                                                     "notes": field_text(600, 3), "note": SCALAR}))
    data = {"client": draw(field_text(80, 3)), "exercises": draw(st.lists(item, max_size=5))}
    for name, value in draw(st.dictionaries(st.sampled_from(PROGRAM_KEYS), st.one_of(SCALAR, DATES, field_text(100, 2)),
                                            max_size=3)).items():
        data[name] = value
    return data


@pytest.mark.slow
@CHEAP
@given(data=st.one_of(nearly_right_program(), nearly_right_program(), _mapping_of(PROGRAM_KEYS)))
@example(data={"client": "Jane", "exercises": ["wall-push", {"id": "bridge", "dose": {"reps": None}}]})
@example(data={"client": "Jane", "date": "2026-02-30", "exercises": [{"id": "wall-psh"}]})
def test_any_mapping_is_a_program_or_located_problems(data):
    from handouts.content.program import Program, validate_program

    doc = parse_or_problem(dump(data))
    if doc is None:
        return
    try:
        program, warnings = validate_program(doc, "x", KNOWN_IDS)
    except ContentError as exc:
        check_content_error(exc)
        event("program: ContentError")
        return
    event("program: Program")
    assert isinstance(program, Program) and program.client and program.items
    assert all(item.exercise_id in KNOWN_IDS for item in program.items)
    for warning in warnings:
        check_problem(warning)


NEARLY_RIGHT_CLINIC = st.builds(
    lambda name, more: {"name": name, **more}, field_text(80, 3),
    st.fixed_dictionaries({}, optional={
        "phone": field_text(40, 2), "email": WORD, "website": WEB_ADDRESS, "address": field_text(160, 3),
        "logo": PICTURE_PATHS, "paper": st.sampled_from(("letter", "A4", "a5", "")),
        "language": st.sampled_from(("en", "ES", "xx")), "flip": st.sampled_from(("long", "short", "edge")),
        "back_offset": st.one_of(st.sampled_from(("1.5,-1", "1;2", "x", "20,0")),
                                 st.lists(st.floats(allow_nan=True), min_size=1, max_size=3)),
        "adress": SCALAR}))


@pytest.mark.slow
@CHEAP
@given(data=st.one_of(NEARLY_RIGHT_CLINIC, NEARLY_RIGHT_CLINIC, _mapping_of(CLINIC_KEYS)))
@example(data={"name": "Riverside", "paper": "A4", "back_offset": [1.5, -1], "flip": "short"})
@example(data={"name": "Riverside", "back_offset": "99,0"})
def test_any_mapping_is_a_clinic_or_located_problems(data):
    from handouts.content.clinic import Clinic, validate_clinic

    doc = parse_or_problem(dump(data))
    if doc is None:
        return
    try:
        clinic, warnings = validate_clinic(doc)
    except ContentError as exc:
        check_content_error(exc)
        event("clinic: ContentError")
        return
    event("clinic: Clinic")
    assert isinstance(clinic, Clinic) and clinic.name
    for warning in warnings:
        check_problem(warning)


# --- property 2: raw text level ----------------------------------------------------------------

_SEEDS = [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "data" / "exercises").glob("*.yaml"))]
_SEEDS.append((REPO / "content" / "reclining-lower-trunk-extensor-stretch.yaml").read_text(encoding="utf-8"))


@st.composite
def mangled_exercise(draw) -> str:
    """A real exercise file with hostile text spliced in, cut out or overwritten at random places."""
    text = draw(st.sampled_from(_SEEDS))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = min(len(text), start + draw(st.integers(0, 30)))
        insert = draw(st.one_of(FRAGMENT, SEPARATOR, st.sampled_from(YAML_SPECIAL), hostile_text(4)))
        text = text[:start] + insert + text[end:]
    return text


YAML_LINE = st.tuples(st.sampled_from(("", "", "  ", "    ", "- ", "  - ", "\t", "? ", ": ")),
                      st.one_of(st.sampled_from(FIELD_NAMES), hostile_text(2)),
                      st.sampled_from((": ", ":", ": |", ": >", " ", ": - ", ": [", ": {", ": &a ", ": *a ")),
                      hostile_text(4)).map("".join)
HUGE = st.builds(lambda prefix, n, char, suffix: prefix + char * n + suffix,
                 st.sampled_from(("title: ", 'title: "', "title: '", "- ", "", "title: *", "title: !",
                                  "title: &", "? ", "title: [", "x" * 20 + ": ")),
                 st.integers(2_000, 60_000), st.sampled_from(("x", "é", "\U0001F600", "<b>", " x", "[", "- ")),
                 st.sampled_from(("", "\n", '"', "'", "]", "\ninstructions: [a]")))
RAW_TEXT = st.one_of(
    st.text(ANY_CHAR, max_size=200),
    hostile_text(20),
    st.lists(YAML_LINE, max_size=8).map("\n".join),
    mangled_exercise(),
    HUGE,
)


@pytest.mark.slow
@CHEAP
@given(text=RAW_TEXT)
@example(text="")
@example(text="title: \"never closed\ninstructions: [a]\n")
@example(text="title: x\n\tinstructions: [a]\n")
@example(text="title: x\n---\ntitle: y\n")
@example(text="title: a\x00b\x1b\ninstructions: [a]\n")
@example(text="title: \uffff\n")
@example(text="title: 'x" + "y" * 100_000)
@example(text="&a [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
    f"&{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
    f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8)))
def test_any_text_is_a_document_or_a_clean_error(text):
    doc = parse_or_problem(text)
    if doc is None:
        return
    event("parse: RawDocument")
    assert isinstance(doc, RawDocument) and doc.path == SOURCE
    for warning in doc.warnings:
        check_problem(warning)
    # and whatever was read, validation answers with an Exercise or located problems
    try:
        validate(doc, "x")
    except ContentError as exc:
        check_content_error(exc)


# --- property 2b: any bytes in a file ----------------------------------------------------------

@pytest.fixture(scope="module")
def file_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("content")


BYTES = st.one_of(
    st.binary(max_size=400),
    RAW_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.tuples(mangled_exercise(), st.sampled_from(("utf-16", "utf-16-le", "latin-1", "cp1252", "utf-8-sig", "utf-32")))
    .map(lambda p: p[0].encode(p[1], "replace")),
    st.tuples(mangled_exercise(), st.binary(min_size=1, max_size=4), st.integers(0, 2000))
    .map(lambda p: p[0].encode()[:p[2]] + p[1] + p[0].encode()[p[2]:]),
)


@pytest.mark.slow
@settings(max_examples=150)
@given(raw=BYTES)
@example(raw=b"\xef\xbb\xbftitle: Wall push\ninstructions: [Stand]\n")
@example(raw=b"title: caf\xe9\ninstructions: [Stand]\n")
@example(raw=b"title: x\n" + b"# padding\n" * 30_000)
def test_any_file_is_read_or_refused_naming_it(raw, file_dir):
    """load_file on arbitrary bytes: a document, or problems that name the file as the user typed it."""
    from handouts.content.load import load_file

    path = file_dir / "x.yaml"
    path.write_bytes(raw)
    try:
        with no_hang(10):
            doc = load_file(path)
    except ContentError as exc:
        assert exc.problems
        for problem in exc.problems + exc.warnings:
            assert problem.path == str(path), problem
            # the file too big to read is the one problem about the whole file
            check_problem(Problem(SOURCE, problem.line, problem.field, problem.message),
                          whole_file_ok=problem.message.startswith("file is "))
        return
    assert doc.path == str(path)


# --- property 3: layout and render -------------------------------------------------------------

def _maybe(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


PICTURES = st.one_of(
    st.none(), st.none(),
    st.just({"image": PICTURE}),
    st.just({"image": "missing.png"}),
    st.builds(lambda a, b: {"images": [{"file": PICTURE, "caption": a}, {"file": PICTURE, "caption": b}]},
              field_text(120, 4), field_text(120, 4)),
    st.builds(lambda a: {"images": [{"file": PICTURE, "caption": a}, "missing.jpg"]}, field_text(120, 4)),
)


@st.composite
def valid_exercise_data(draw) -> dict:
    """An exercise that validate() accepts, with hostile text in every field."""
    data = {"title": draw(field_text(LIMITS["title"], 12))}
    optional = {
        "summary": _maybe(field_text(LIMITS["summary"], 20)),
        "description": _maybe(st.lists(field_text(600, 20), min_size=1, max_size=4)),
        "level": _maybe(field_text(LIMITS["level"], 3)),
        "category": _maybe(field_text(LIMITS["category"], 3)),
        "targets": _maybe(st.lists(field_text(LIMITS["targets"], 3), min_size=1, max_size=5)),
        "equipment": _maybe(st.lists(field_text(LIMITS["equipment"], 3), min_size=1, max_size=5)),
        "tags": _maybe(st.lists(field_text(LIMITS["tags"], 2), min_size=1, max_size=4)),
        "language": _maybe(st.sampled_from(sorted(LANGUAGES))),  # the labels, translated
    }
    if "video" in LIMITS:  # a web address, printed as a QR code
        optional["video"] = _maybe(WEB_ADDRESS)
    for name, strategy in optional.items():
        value = draw(strategy)
        if value is not None:
            data[name] = value
    data["instructions"] = draw(st.lists(field_text(LIMITS["instructions"], 30), min_size=1, max_size=40))
    tips = draw(_maybe(st.lists(field_text(LIMITS["tips"], 20), min_size=1, max_size=6)))
    if tips:
        data["tips"] = tips
    caution = draw(_maybe(field_text(LIMITS["caution"], 20)))
    if caution:
        data["caution"] = caution
    answer = st.one_of(field_text(600, 30), st.lists(field_text(300, 12), min_size=1, max_size=6))  # text or points
    faq = draw(st.lists(st.fixed_dictionaries({"question": field_text(200, 12), "answer": answer}), max_size=6))
    if faq:
        data["faq"] = faq
    data.update(draw(PICTURES) or {})
    return data


def exercise_from(data: dict) -> tuple[Exercise, list[Problem]]:
    """The exercise as a user's file would give it: YAML text -> parse_yaml -> validate."""
    text = dump(data)
    try:
        return validate(parse_yaml(text, SOURCE), "x")
    except ContentError as exc:  # the strategy promised valid content: a bug in one or the other
        raise AssertionError(f"valid content refused:\n{exc}\n--- YAML ---\n{text[:3000]}") from None


SHEET = make_sheet("letter")


def pdf_soundness(data: bytes) -> list[str]:
    """qpdf's structural check (as ``qpdf --check``): empty when the file is sound."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check
        return [str(problem) for problem in check()]


def pdf_pages_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data), strict=True)
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def squash(text: str) -> str:
    return "".join(text.split())


#: The words whose printing is checked: runs of ASCII letters and digits of four or more.
TOKEN_RE = re.compile(r"[A-Za-z0-9]{4,}")
#: The bidi algorithm may put a number and the letters touching it on different sides of
#: right-to-left text ("\u05d0 00A0" is shown as "00 \u05d0A0", as it must be), but it keeps
#: each run of letters, and each run of digits, together.
RUN_RE = re.compile(r"[A-Za-z]{4,}|[0-9]{4,}")


def _in_pieces(word: str, hay: str) -> bool:
    """*word* in *hay* whole, or in up to four pieces, each found.

    An endless word is broken over lines, and a line can end a column, a box (the next
    part opens with "Tips (continued)") or a card, so a word may be printed in pieces with
    other text between them.  The first and last pieces can be as short as one character
    (where the word was cut); a piece in between must have at least three.
    """
    if word in hay:
        return True
    rest, pieces = word, []
    while rest and len(pieces) < 4:
        size = next((n for n in range(len(rest), 0, -1) if rest[:n] in hay), 0)
        if not size:
            return False
        pieces.append(rest[:size])
        rest = rest[size:]
    return not rest and all(len(piece) >= 3 for piece in pieces[1:-1])


def printed(token: str, hay: str) -> bool:
    """Whether *token* (or, where the bidi algorithm split it, each of its runs) is in *hay*."""
    unhyphenated = hay.replace("-", "")  # a word too wide for its column breaks at printed hyphens

    def found(word: str) -> bool:
        # a bidi override (U+202E) in right-to-left text legitimately shows a Latin word reversed
        return any(_in_pieces(w, h) for w in (word, word[::-1]) for h in (hay, unhyphenated))

    return found(token) or all(found(run) for run in RUN_RE.findall(token))


def handout_texts(ex: Exercise, shown_description: int) -> list[tuple[str, str]]:
    """(field, text) for everything the handout prints."""
    out = [("title", ex.title)]
    out += [("summary", ex.summary)] if ex.summary else []
    out += [(f"description {i + 1}", t) for i, t in enumerate(ex.description[:shown_description])]
    out += [(f"target {i + 1}", t) for i, t in enumerate(ex.targets)]
    out += [(f"equipment {i + 1}", t) for i, t in enumerate(ex.equipment)]
    out += [("level", ex.level)] if ex.level else []
    out += [(f"step {i + 1}", t) for i, t in enumerate(ex.instructions)]
    out += [(f"tip {i + 1}", t) for i, t in enumerate(ex.tips)]
    out += [("caution", ex.caution)] if ex.caution else []
    out += [(f"caption {i + 1}", ref.caption) for i, ref in enumerate(ex.images)
            if ref.caption and ref.file == PICTURE]  # a missing picture's caption is not printed
    return out


def _description_shown(ex: Exercise, warnings: list[Problem]) -> int:
    for w in warnings:
        found = re.match(r"(\d+) of (\d+) paragraphs? left out", w.message)
        if w.field == "description" and found:
            return len(ex.description) - int(found.group(1))
    return len(ex.description)


def _missing_words(fields: list[tuple[str, str]], hay: str) -> list[tuple[str, str]]:
    return [(name, word) for name, text in fields for word in TOKEN_RE.findall(text) if not printed(word, hay)]


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")  # the pictures' cache; no PDF is written here


def render(ex: Exercise, out: Path):
    """(handout PDF or the overflow error, its warnings, (cards, deck PDF) or the overflow error)."""
    with no_hang():
        try:
            handout, warnings = render_handout(ex, ASSETS, out, "letter", DEFAULT_THEME)
        except (LayoutOverflowError, UnprintableTextError) as exc:
            handout, warnings = exc, []
        try:
            cards, card_warnings = lay_out_cards(ex, SHEET, DEFAULT_THEME)
            deck = cards_pdf(cards, SHEET, DEFAULT_THEME, card_info(f"FAQ cards: {ex.title}", SHEET, ex.tags)) \
                if cards else None
            cards_result = (cards, deck)
        except (LayoutOverflowError, UnprintableTextError) as exc:
            cards_result, card_warnings = exc, []
    return handout, warnings + card_warnings, cards_result


def check_unprintable(exc: UnprintableTextError) -> None:
    """Text in a script no font prints: one located line naming the script(s)."""
    (problem,) = exc.problems
    check_problem(problem)
    assert problem.field and problem.message.endswith(("no font for this script", "no font for these scripts"))


def check_overflow(exc: LayoutOverflowError) -> None:
    assert len(exc.problems) == 1
    problem = exc.problems[0]
    check_problem(problem, whole_file_ok=True)  # a handout too long is about the whole exercise
    assert str(exc).startswith(SOURCE), str(exc)
    assert exc.overflow_ratio > 0


@pytest.mark.slow
@RENDER
@given(data=valid_exercise_data())
@example(data={"title": "Wall push", "instructions": ["Stand facing a wall.", "Push away."],
               "faq": [{"question": "How many?", "answer": "Ten."}]})
@example(data={"title": "x" * 150, "instructions": ["y" * 1200] * 40, "tips": ["z" * 1200] * 6})
@example(data={"title": clip("0000\x850 " + "0" * 200, 150, "AAAA"), "instructions": ["AAAA 0"]})  # NEL: a line break
@example(data={"title": "Long question", "instructions": ["Stand."],  # too long for any card: overflow
               "faq": [{"question": "Why " * 600, "answer": "Because."}]})
@example(data={"title": "AAAA 0 ", "description": ["AAAA \u0840 \u1a00 "],  # letters of scripts no font prints
               "instructions": ["AAAA \u0149 \u0800 "]})
@example(data={"title": "\u202eabcdefgh \u05d0\u05d1 ijkl",
               "instructions": ["\u0645\u0631\u062d\u0628\u0627 <b>bold</b>"],
               "faq": [{"question": "q" * 200, "answer": "A" * 600}]})
def test_hostile_exercise_prints_on_one_page_or_says_why(data, out_dir):
    ex, warnings = exercise_from(data)
    for warning in warnings:
        check_problem(warning)
    handout, layout_warnings, cards_result = render(ex, out_dir)
    for warning in layout_warnings:
        check_problem(warning, whole_file_ok=True)  # "printed at 8 pt to fit" is about the whole page

    if isinstance(handout, UnprintableTextError):
        event("handout: a script no font prints")
        check_unprintable(handout)
    elif isinstance(handout, LayoutOverflowError):
        event("handout: too long")
        check_overflow(handout)
    else:
        event("handout: printed")
        assert handout.startswith(b"%PDF-")
        pages, text = pdf_pages_text(handout)
        assert pages in (1, 2), f"the handout has {pages} pages"  # the back of the sheet, when long
        assert pdf_soundness(handout) == []
        assert PdfReader(io.BytesIO(handout)).metadata.title == ex.title
        missing = _missing_words(handout_texts(ex, _description_shown(ex, layout_warnings)), squash(text))
        assert not missing, f"words not on the handout: {missing[:10]}"

    if isinstance(cards_result, UnprintableTextError):
        event("cards: a script no font prints")
        check_unprintable(cards_result)
        return
    if isinstance(cards_result, LayoutOverflowError):
        event("cards: a question too long")
        check_overflow(cards_result)
        assert "faq" in (cards_result.problems[0].field or ""), cards_result.problems[0]
        return
    cards, deck = cards_result
    if not ex.faq:
        assert cards == [] and deck is None
        return
    event("cards: printed")
    assert {card.question for card in cards} == set(range(len(ex.faq)))
    pages, text = pdf_pages_text(deck)
    assert pages % 2 == 0 and pages == 2 * -(-len(cards) // SHEET.per_sheet), (pages, len(cards))
    assert pdf_soundness(deck) == []
    faq_texts = [(f"faq {i + 1} {part}", " ".join(item.points) if part == "answer" and item.points
                  else getattr(item, part)) for i, item in enumerate(ex.faq) for part in ("question", "answer")]
    missing = _missing_words(faq_texts, squash(text))
    assert not missing, f"words not on the cards: {missing[:10]}"


# --- property 3b: a client's program, whatever its text ----------------------------------------

_LIBRARY = {p.stem: p for p in [REPO / "content" / "reclining-lower-trunk-extensor-stretch.yaml"]
            + sorted((REPO / "tests" / "data" / "exercises").glob("*.yaml")) if p.stem != "long-shoulder-rehab"}


@functools.lru_cache(maxsize=None)
def _library_exercise(exercise_id: str) -> Exercise:
    return validate(parse_yaml(_LIBRARY[exercise_id].read_text(encoding="utf-8"), SOURCE), exercise_id)[0]


PROGRAM_ITEM = st.fixed_dictionaries(
    {"id": st.sampled_from(sorted(_LIBRARY))},
    optional={"dose": st.dictionaries(st.sampled_from(DOSE_PARTS), st.one_of(field_text(40, 2), st.none()),
                                      max_size=6),
              "notes": field_text(600, 6)})


@st.composite
def hostile_program(draw) -> dict:
    data = {"client": draw(field_text(80, 3)), "exercises": draw(st.lists(PROGRAM_ITEM, min_size=1, max_size=7))}
    for name, strategy in (("clinician", field_text(80, 3)), ("notes", field_text(1200, 10)),
                           ("language", st.sampled_from(sorted(LANGUAGES))), ("large_print", st.booleans()),
                           ("date", st.dates(*DATE_RANGE))):  # outside it: a located error (test_program.py)
        if draw(st.booleans()):
            data[name] = draw(strategy)
    return data


HOSTILE_CLINIC = st.one_of(st.none(), st.builds(
    lambda name, more: {"name": name, **more}, field_text(80, 3),
    st.fixed_dictionaries({}, optional={"phone": field_text(40, 2), "email": field_text(80, 2),
                                        "website": field_text(80, 2), "address": field_text(160, 4),
                                        "logo": st.just(PICTURE), "language": st.sampled_from(sorted(LANGUAGES))})))


@pytest.mark.slow
@settings(RENDER, max_examples=30)  # each example lays out a cover and up to 7 handouts
@given(data=hostile_program(), clinic_data=HOSTILE_CLINIC, fold=st.booleans())
@example(data={"client": "Jane Doe", "exercises": [{"id": "three-step-wall-push"}]}, clinic_data=None, fold=False)
@example(data={"client": "<b>R&D</b> " + "x" * 69, "notes": "\u05d0\u05d1 " * 200, "large_print": True,
               "exercises": [{"id": "spanish-bridge", "notes": "y" * 600, "dose": {"reps": "z" * 40}}] * 7},
         clinic_data={"name": "\U0001f600 " * 20, "address": "w" * 160, "logo": PICTURE}, fold=True)
def test_any_program_prints_or_says_why(data, clinic_data, fold, out_dir):
    from handouts.content.clinic import validate_clinic
    from handouts.content.program import validate_program
    from handouts.render.program import render_program

    program, warnings = validate_program(parse_or_fail(dump(data)), "x", _LIBRARY)
    clinic = validate_clinic(parse_or_fail(dump(clinic_data)))[0] if clinic_data else None
    exercises = {item.exercise_id: _library_exercise(item.exercise_id) for item in program.items}
    sheet = make_sheet("letter", fold=fold)
    theme = large_print(DEFAULT_THEME) if program.large_print else DEFAULT_THEME
    with no_hang():
        pdf, result = render_program(program, exercises, clinic, ASSETS, out_dir, "letter", sheet, theme)
    for problem in warnings + result.warnings + result.errors:
        check_problem(problem, whole_file_ok=True)
    if result.errors:
        event("program: an exercise does not fit its page")
        assert pdf == b"" and all("does not fit" in p.message for p in result.errors)
        return
    event("program: printed")
    assert pdf_soundness(pdf) == []
    pages, text = pdf_pages_text(pdf)
    assert fold or pages % 2 == 0, f"a duplex program of {pages} pages: a sheet would lose its back"
    missing = _missing_words([("client", program.client)] + [(f"notes {i}", item.notes or "")
                                                            for i, item in enumerate(program.items)], squash(text))
    assert not missing, f"words not in the program: {missing[:10]}"


def parse_or_fail(text: str) -> RawDocument:
    doc = parse_or_problem(text)
    assert doc is not None, "the strategy's YAML did not parse"
    return doc


# --- property 4: markup-looking text is printed as typed ---------------------------------------

PRINTABLE = string.ascii_letters + string.digits + string.punctuation + " "
LITERAL = st.one_of(st.sampled_from(MARKUP), st.text(PRINTABLE, min_size=1, max_size=20))


def _literal_text(max_chars: int = 70) -> st.SearchStrategy[str]:
    """ASCII text with markup-looking strings in it, short enough to stay on one or two lines."""
    return st.builds(lambda a, parts, b: f"{a} {' '.join(parts)} {b}"[:max_chars].strip() or a,
                     ANCHOR, st.lists(LITERAL, min_size=1, max_size=3), ANCHOR)


@pytest.mark.slow
@settings(max_examples=30)
@given(title=_literal_text(60), step=_literal_text(), tip=_literal_text(), caution=_literal_text(),
       question=_literal_text(60), answer=_literal_text(), points=st.lists(_literal_text(), min_size=1, max_size=3))
@example(title="Press <b>x</b> now", step='Look at <img src="x"> and &amp; then ]]>',
         tip='<font face="Inter">tip</font>', caution="&nbsp;&lt;careful&gt; <br/>",
         question="Why <i>not</i>?", answer="Because <a href=\"javascript:x\">this</a> & that",
         points=["<b>bold</b> & <br/>", "<bullet>x</bullet>\n</li><li>"])
def test_markup_is_printed_as_typed(title, step, tip, caution, question, answer, points, out_dir):
    data = {"title": title, "instructions": [step], "tips": [tip], "caution": caution,
            "faq": [{"question": question, "answer": answer}, {"question": "Points?", "answer": points}]}
    ex, _ = exercise_from(data)
    handout, _, cards_result = render(ex, out_dir)
    assert not isinstance(handout, LayoutOverflowError), handout
    assert not isinstance(cards_result, LayoutOverflowError), cards_result
    handout_text = squash(pdf_pages_text(handout)[1])
    cards_text = squash(pdf_pages_text(cards_result[1])[1])
    for name, typed in (("title", ex.title), ("step", ex.instructions[0]), ("tip", ex.tips[0]),
                        ("caution", ex.caution)):
        assert squash(typed) in handout_text, f"{name} {typed!r} not printed as typed"
    for name, typed in (("question", ex.faq[0].question), ("answer", ex.faq[0].answer), *(
            (f"point {i + 1}", point) for i, point in enumerate(ex.faq[1].points))):
        assert squash(typed) in cards_text, f"{name} {typed!r} not printed as typed"


# --- property 5: the command line, end to end --------------------------------------------------

CLI_INPUT = st.one_of(
    nearly_right_exercise().map(dump),
    valid_exercise_data().map(dump),
    mangled_exercise(),
    RAW_TEXT,
)


@pytest.mark.slow
@settings(max_examples=40)  # big exercises, as RENDER
@given(text=CLI_INPUT)
@example(text=_SEEDS[0])
@example(text="title: [unclosed\n")
def test_cli_builds_or_names_the_file(text, file_dir):
    """``handouts build FILE``: exit 0 with a one-page handout, or exit 1; either way every line
    on stderr names the file (or is the summary), and nothing is an internal error."""
    from handouts.cli import main

    path = file_dir / "x.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    out = file_dir / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with no_hang(), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["build", str(path), "--out", str(out), "--jobs", "1", "--rebuild"])
    lines = stderr.getvalue().splitlines()
    assert status in (0, 1), (status, lines)
    assert not any("Traceback" in line or "internal error" in line for line in lines), lines
    shown = str(path)
    for line in lines:
        assert (line.startswith((f"{shown}:", f"warning: {shown}:")) or line.startswith(("built ", "cards: "))
                or re.match(r"\d+ (large-print )?handouts? ", line)), line  # the summary's notes
        assert len(line) < len(shown) + 100 + MAX_MESSAGE, line[:500]
    handout = out / "handouts" / "x.pdf"
    if status == 0:
        event("cli: built")
        assert pdf_pages_text(handout.read_bytes())[0] in (1, 2)  # the back of the sheet, when long
    else:
        event("cli: refused")
        assert any(line.startswith(f"{shown}:") for line in lines), lines
        handout.unlink(missing_ok=True)  # a file refused now leaves no handout from an earlier example


# --- bugs found by the properties, with their minimal inputs ------------------------------------

def _parse_and_validate(text: str):
    return validate(parse_yaml(text, SOURCE), "x")


def _assert_clean_content_error(text: str) -> ContentError:
    """parse + validate *text* raises ContentError, every problem of which is clean (no known bug excused)."""
    with pytest.raises(ContentError) as info:
        _parse_and_validate(text)
    for problem in info.value.problems + info.value.warnings:
        assert not _violations(problem, whole_file_ok=False), problem
    return info.value


def _valid(extra: str) -> str:
    """A valid exercise with *extra* lines after its two required fields (lines 1 and 2)."""
    return "title: Wall push\ninstructions: [Stand facing a wall]\n" + extra


# Each test below was a bug the properties found; the minimal input is kept as a regression test.


@pytest.mark.parametrize("text, line", [
    pytest.param(_valid("level: 2001-02-30\n"), 3, id="impossible-date"),
    pytest.param(_valid("level: 2001-12-14 25:00:00\n"), 3, id="impossible-time"),
    pytest.param(_valid("level: !!int hard\n"), 3, id="int-tag-on-a-word"),
    pytest.param(_valid("level: !!float hard\n"), 3, id="float-tag-on-a-word"),
    pytest.param(_valid("level: !!bool hard\n"), 3, id="bool-tag-on-a-word"),
    pytest.param(_valid("level: !!timestamp hard\n"), 3, id="timestamp-tag-on-a-word"),
    pytest.param(_valid("2001-02-30: x\n"), 3, id="impossible-date-as-key"),
    pytest.param(_valid("!!binary x: 1\n"), 3, id="bad-binary-key"),
    pytest.param(_valid("!!map x: 1\n"), 3, id="map-tag-on-a-key"),
    pytest.param(_valid("!!set x: 1\n"), 3, id="set-tag-on-a-key"),
])
def test_value_that_cannot_be_constructed_is_a_clean_error(text, line):
    """Found as crashes of parse_yaml (fixed in 53b5efb): _Builder.build guarded
    SafeConstructor.construct_object only with ``except yaml.YAMLError`` for values and not at
    all for keys, and SafeConstructor raises ValueError (impossible date or time, !!int/!!float
    on a word), KeyError (!!bool), AttributeError (!!timestamp), ConstructorError for a key (a
    YAMLError, not a ContentError), or returns a dict/set for a collection tag on a key
    (``name in result`` then raised TypeError)."""
    exc = _assert_clean_content_error(text)
    assert [p.line for p in exc.problems] == [line], exc.problems


@pytest.mark.parametrize("text", [
    pytest.param(_valid("level: " + "[" * 600 + "]" * 600 + "\n"), id="flow-600"),
    pytest.param(_valid("level: " + "[" * 1000 + "]" * 1000 + "\n"), id="flow-1000"),
    pytest.param(_valid("level: " + "[" * 50_000 + "]" * 50_000 + "\n"), id="flow-50000"),
    pytest.param("- " * 1000 + "x\n", id="block-sequences-1000"),
    pytest.param("title: x\ninstructions:\n" + "".join(" " * (i + 1) + "a:\n" for i in range(1000)),
                 id="indented-mappings-1000"),
])
def test_deeply_nested_yaml_is_a_located_error(text):
    """Found as a RecursionError from 500 levels of [ (a 1 KB file): libyaml read them, then
    _Builder.build recursed (fixed in 9daa79e, load.MAX_DEPTH).  From 1000 levels libyaml
    refuses the file and the pure-Python loader's composer recurses; for block nesting
    (``- - - ...``, indentation) that error then had no line (fixed in 53b5efb)."""
    exc = _assert_clean_content_error(text)
    assert all(p.line for p in exc.problems), exc.problems


@pytest.mark.parametrize("text", [
    pytest.param("? " * 1000 + "x\n", id="complex-keys"),
    pytest.param("? " + "- " * 1000 + "x\n", id="sequences-in-a-complex-key"),
    pytest.param(_valid("? " * 1000 + "x\n"), id="after-the-fields"),
])
def test_deep_nesting_through_complex_keys_is_located(text):
    """Found by property 2 (raw text) after the fixes of 9daa79e and 53b5efb; fixed since."""
    exc = _assert_clean_content_error(text)
    assert all(p.line for p in exc.problems), exc.problems


@pytest.mark.parametrize("text", [
    pytest.param(_valid("level: *" + "a" * 300 + "\n"), id="undefined-alias"),
    pytest.param(_valid("level: !" + "a" * 300 + " x\n"), id="unknown-tag"),
])
def test_long_alias_or_tag_name_gives_a_short_message(text):
    """Found as 3000-character messages (fixed in 53b5efb): PyYAML's problem was quoted whole,
    with the alias or tag name as typed in it."""
    _assert_clean_content_error(text)


@pytest.mark.parametrize("text", [
    pytest.param(_valid('"a\\nb": 1\n'), id="line-break"),
    pytest.param(_valid('"a\\rb": 1\n'), id="carriage-return"),
    pytest.param(_valid('"a\\e[31mb": 1\n'), id="escape"),
    pytest.param(_valid('faq: [{question: Why, answer: Because, "a\\nb": 1}]\n'), id="in-a-question"),
    pytest.param(_valid('images: [{file: a.png, "a\\nb": 1}]\n'), id="in-a-picture"),
    pytest.param(_valid('image: "a\\nb"\n'), id="picture-path-line-break"),
    pytest.param(_valid('image: "a\\rb"\n'), id="picture-path-carriage-return"),
    pytest.param(_valid('images: ["a\\e[2Jb"]\n'), id="picture-path-escape"),
])
def test_typed_key_or_path_is_quoted_on_one_line(text):
    """Found as warnings over several lines, or with a terminal escape in them (fixed in
    53b5efb): the unknown key (cut to 40 characters) and the picture path were quoted raw."""
    _, warnings = _parse_and_validate(text)
    assert warnings
    for warning in warnings:
        check_problem(warning)


def test_unacceptable_character_is_located():
    """Found as 'x.yaml: YAML error: unacceptable character #xffff' with no line (fixed in
    53b5efb): a ReaderError has the character's position, not a line."""
    exc = _assert_clean_content_error(_valid('level: "\uffff"\n'))
    assert [p.line for p in exc.problems] == [3], exc.problems


@pytest.mark.parametrize("text", [
    pytest.param(_valid("k" * 500 + ": 1\n"), id="long-unknown-key"),
    pytest.param(_valid('"a\\nb": 1\n"a\\nb": 2\n'), id="duplicate-key-with-a-line-break"),
    pytest.param(_valid("k" * 500 + ": 1\n" + "k" * 500 + ": 2\n"), id="long-duplicate-key"),
])
def test_printed_line_naming_a_key_is_one_short_line(text):
    """Found as printed lines as long as the key, or over several lines (fixed in 53b5efb):
    the field name was the key as typed (``field_name`` -> ``str(key)``), never cut."""
    try:
        _, problems = _parse_and_validate(text)
    except ContentError as exc:
        problems = exc.problems + exc.warnings
    assert problems
    for problem in problems:
        check_problem(problem)


def test_character_warning_is_short(out_dir):
    """Found as a 351-character warning (fixed in 53b5efb): characters were named with their
    full Unicode names, up to 88 characters each, four of them."""
    ex, _ = exercise_from({"title": "Box \U0001fba8\U0001fba9\U0001fbaa\U0001fbab\U0001fbac",
                           "instructions": ["Stand."]})
    handout, warnings, _ = render(ex, out_dir)
    assert not isinstance(handout, LayoutOverflowError)
    assert warnings
    for warning in warnings:
        check_problem(warning, whole_file_ok=True)
