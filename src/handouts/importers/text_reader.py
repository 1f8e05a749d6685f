"""Read a clinic's plain-text exercise, as typed, into content fields: every line lands somewhere.

The shapes of the text (headings, bullets, key lines) are named in
:mod:`handouts.importers.text_lines`; this module decides what goes where:

* the first line is the title; prose before any heading is the summary (its first paragraph)
  and the description; an "Aim"/"Purpose" paragraph is the summary when nothing came before;
* "Starting position" items are the first steps; "Instructions" items the steps; "Tips" the
  tips; "Caution"/"Precautions"/"Warning" (before or after the steps, once or twice) the
  caution, which is never optional on the page; "Equipment" the equipment;
* in the FAQ, a question is a line ending in "?" (with the lines of the same sentence before
  it) or starting "Q:"; its answer is every line up to the next question or heading;
* key lines ("Picture: bridge.png", "Dose: 3 sets of 10", "Level:", "Targets:", "Video:",
  "Language:") set what only YAML could set, so the text can stay the master copy.

Paragraphs: a file saved with hard line breaks (see :func:`text_lines.hard_wrapped`) has its
lines joined and its blank lines between paragraphs; otherwise each line is a paragraph, as
Word saves it, and a line that stops mid-sentence is joined to the next.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from handouts.errors import Problem, SourceFormatError
from handouts.importers.text_dose import parse_dose
from handouts.importers.text_lines import (ANSWER_PREFIX, LANGUAGES_OF, QUESTION_PREFIX, SENTENCE_END, Line, bullet,
                                           hard_wrapped, heading, join, key, lines_of, near_heading)

#: The order fields are written in: the content format's documented order.
FIELD_ORDER = ("title", "summary", "description", "image", "images", "level", "category", "language", "video",
               "dose", "targets", "equipment", "tags", "instructions", "tips", "caution", "faq")
#: What "Language:" may say, besides a code.
LANGUAGE_NAMES = {"english": "en", "inglés": "en", "anglais": "en", "englisch": "en",
                  "spanish": "es", "español": "es", "espagnol": "es", "spanisch": "es", "castellano": "es",
                  "french": "fr", "francés": "fr", "français": "fr", "französisch": "fr",
                  "german": "de", "alemán": "de", "allemand": "de", "deutsch": "de"}
_LIST_SECTIONS = ("instructions", "tips", "starting", "equipment")


@dataclass
class Reading:
    """What a text file says: *data* in FIELD_ORDER, and the title's line."""

    data: dict
    title_line: int

    @property
    def mentioned(self) -> tuple[str, ...]:
        """The fields the text sets, in FIELD_ORDER."""
        return tuple(self.data)


def _quote(text: str, limit: int = 60) -> str:
    text = text.strip()
    return f'"{text if len(text) <= limit else text[: limit - 1].rstrip() + "…"}"'


def _ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END.search(text))


class _Reader:
    def __init__(self, text: str, path: str):
        self.path, self.lines = path, lines_of(text)
        self.problems: list[Problem] = []
        self.sections: dict[str, list[Line]] = {}
        self.keys: dict[str, list[tuple[int, str]]] = {}
        self.words: list[str] = []  # the heading and key words, for telling the language
        self.opened: dict[str, Line] = {}  # section -> the line that first opened it, in the file's order

    @property
    def first_heading(self) -> int | None:
        """The line of the file's first heading, if it has one."""
        return next((line.number for line in self.opened.values()), None)

    def problem(self, line: int | None, field_name: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, field_name, message))

    # --- sorting the lines into sections ---------------------------------------------------
    def sort(self) -> tuple[str, int]:
        if not self.lines:
            raise SourceFormatError(Problem(self.path, 1, "title", "the file is empty; the first line should be "
                                                                   "the title"))
        first = self.lines[0]
        untitled = bool(heading(first.text) or key(first.text))
        if untitled:
            self.problem(first.number, "title", f"expected the exercise title, got the section heading "
                                               f"{_quote(first.text)}")
        section = "description"
        for line in self.lines[0 if untitled else 1:]:
            found_key = key(line.text)
            found = None if found_key else heading(line.text)
            if found_key:
                name, value, words = found_key
                self.keys.setdefault(name, []).append((line.number, value))
                self.words.append(words)
                self.sections.setdefault(section, []).append(Line(line.number, "", 0, True))  # ends a paragraph
                continue
            if found is None and (meant := near_heading(line.text)) is not None:
                self.problem(line.number, None, f"{_quote(line.text)} looks like the heading \"{meant}\" misspelt; "
                                                f"correct it, or it would be read as text")
            if found is None and section != "faq" and QUESTION_PREFIX.match(line.text):
                found = ("faq", None, "")  # "Q:" with no FAQ heading before it: the questions start here
                self.sections.setdefault("faq", [])
            if found:
                section, inline, words = found
                if words:
                    self.words.append(words)
                    self.opened.setdefault(section, line)
                else:  # the "Q:" line itself is the first question
                    self.sections[section].append(line)
                    continue
                bucket = self.sections.setdefault(section, [])
                if inline:
                    bucket.append(Line(line.number, inline, 0, True))
                elif bucket:
                    bucket.append(Line(line.number, "", 0, True))  # a section opened again: a new paragraph
                continue
            self.sections.setdefault(section, []).append(line)
        return first.text, first.number

    # --- prose and lists -----------------------------------------------------------------
    def paragraphs(self, lines: list[Line], wrapped: bool) -> list[tuple[int, str]]:
        """(line, paragraph) of prose *lines*: bullets are paragraphs of their own (marked "•")."""
        found: list[tuple[int, list[str]]] = []
        previous: Line | None = None
        for line in lines:
            if not line.text:  # a key line or heading between: the paragraph ends
                previous = None
                continue
            marked = bullet(line.text)
            text = f"• {marked[1]}" if marked and marked[1] else line.text
            joins = previous is not None and not marked and not line.after_blank and \
                (wrapped or not _ends_sentence(previous.text))
            if joins and found:
                found[-1][1].append(text)
            else:
                found.append((line.number, [text]))
            previous = line
        return [(number, join(texts)) for number, texts in found]

    def items(self, section: str, lines: list[Line], wrapped: bool) -> list[tuple[int, str]]:
        """(line, item) of a list section: a bullet starts an item, a line after it continues it
        (or, unwrapped, starts one when the item ended its sentence), a line after a blank starts one."""
        found: list[tuple[int, list[str]]] = []
        marker_indent = -1
        previous: Line | None = None
        for line in lines:
            if not line.text:
                previous = None
                continue
            marked = bullet(line.text)
            if marked is not None:
                if not marked[1]:
                    self.problem(line.number, section, "empty bullet")
                else:
                    found.append((line.number, [marked[1]]))
                    marker_indent = line.indent
            elif found and previous is not None and not line.after_blank and \
                    (wrapped or line.indent > marker_indent or not _ends_sentence(previous.text)):
                found[-1][1].append(line.text)
            else:
                found.append((line.number, [line.text]))
                marker_indent = line.indent
            previous = line
        return [(number, join(texts)) for number, texts in found]

    # --- the FAQ -----------------------------------------------------------------------------
    def faq(self, lines: list[Line], wrapped: bool) -> list[dict]:
        lines = [line for line in lines if line.text]
        if not any(line.text.endswith("?") or QUESTION_PREFIX.match(line.text) for line in lines):
            return self._alternating(lines)  # no question marks at all: lines alternate, as the format once said
        pairs: list[tuple[list[Line], list[Line]]] = []
        for line in lines:
            asked = QUESTION_PREFIX.match(line.text)
            answer_open = pairs and pairs[-1][1]
            if asked or (line.text.endswith("?") and (not pairs or answer_open)):
                question = [Line(line.number, line.text[asked.end():] if asked else line.text, line.indent,
                                 line.after_blank)]
                if not asked and pairs and not line.after_blank:  # the same sentence's first lines: the question's
                    answer = pairs[-1][1]
                    while answer and not _ends_sentence(answer[-1].text) and not bullet(answer[-1].text) \
                            and question[0].text[:1].islower():
                        moved = answer.pop()
                        question.insert(0, moved)
                        if moved.after_blank:
                            break
                pairs.append((question, []))
            elif not pairs:
                pairs.append(([line], []))  # a question not ending in "?": its answer follows
            elif not pairs[-1][1] and not pairs[-1][0][-1].text.endswith("?") and not ANSWER_PREFIX.match(line.text) \
                    and not line.after_blank:
                pairs[-1][0].append(line)  # the question goes on to its "?"
            else:
                pairs[-1][1].append(line)
        out = []
        for question, answer in pairs:
            marked = bullet(question[0].text)  # a file that bullets its questions and answers too
            text = join([marked[1] if marked else question[0].text] + [line.text for line in question[1:]])
            if not answer:
                self.problem(question[0].number, "faq", f"question {_quote(text)} has no answer after it")
                continue
            out.append({"question": text, "answer": self._answer(answer, wrapped)})
        return out

    def _alternating(self, lines: list[Line]) -> list[dict]:
        if len(lines) % 2:
            self.problem(lines[-1].number, "faq", f"question {_quote(lines[-1].text)} has no answer line after it")
        return [{"question": q.text, "answer": a.text} for q, a in zip(lines[::2], lines[1::2])]

    def _answer(self, lines: list[Line], wrapped: bool) -> str | list[str]:
        first = lines[0]
        lines = [Line(first.number, ANSWER_PREFIX.sub("", first.text, count=1), first.indent, first.after_blank),
                 *lines[1:]]
        if bullet(lines[0].text):
            points = [text for _, text in self.items("faq", lines, wrapped)]
            return points[0] if len(points) == 1 else points  # one bulleted line: a plain answer
        parts = self.paragraphs(lines, wrapped)
        return "\n".join(text for _, text in parts)

    # --- key lines ---------------------------------------------------------------------------
    def key_values(self, data: dict) -> None:
        for name, given in self.keys.items():
            if name != "picture" and len(given) > 1:
                self.problem(given[1][0], name, f"given twice (first at line {given[0][0]})")
            number, value = given[0]
            if name == "picture":
                self._pictures(data, given)
            elif name == "dose":
                try:
                    data["dose"] = parse_dose(value)
                except ValueError as exc:
                    self.problem(number, "dose", f"Dose {exc}")
            elif name in ("targets", "equipment"):
                data[name] = [word.strip() for word in value.replace(";", ",").split(",") if word.strip()]
            elif name == "language":
                code = LANGUAGE_NAMES.get(value.casefold(), value.casefold())
                if code not in ("en", "es", "fr", "de"):
                    self.problem(number, "language", f"{_quote(value)} is not a language the labels are printed "
                                                     f"in; give en, es, fr or de")
                data["language"] = code
            else:
                data[name] = value

    def _pictures(self, data: dict, given: list[tuple[int, str]]) -> None:
        if len(given) > 2:
            self.problem(given[2][0], "images", "a handout prints two pictures at most; remove one")
        refs = []
        for _, value in given[:2]:
            file, _, caption = value.partition("(")
            ref = file.strip() if not caption else {"file": file.strip(), "caption": caption.rstrip(")").strip()}
            refs.append(ref)
        if len(refs) == 1 and isinstance(refs[0], str):
            data["image"] = refs[0]
        else:
            data["images"] = refs

    def language(self) -> str | None:
        """The language the headings are written in, when they say one clearly (English: None)."""
        votes = Counter(lang for words in self.words for lang in LANGUAGES_OF.get(words, ()))
        if not votes:
            return None
        best = max(votes.values())
        leaders = [lang for lang, n in votes.items() if n == best]
        return None if "en" in leaders or len(leaders) > 1 else leaders[0]


def read_exercise_text(text: str, path: str) -> Reading:
    """Read one plain-text exercise.  Pure: *path* names the file in messages.

    Raises SourceFormatError listing every problem (each with its line), so a clinic fixes a
    file in one pass.
    """
    reader = _Reader(text, path)
    title, title_line = reader.sort()
    sections = reader.sections
    prose = [line for name in ("description", "aim", "caution") for line in sections.get(name, []) if line.text]
    wrapped = hard_wrapped(prose + [line for line in sections.get("faq", []) if line.text])
    data: dict = {"title": title}
    description = reader.paragraphs(sections.get("description", []), wrapped)
    aim = reader.paragraphs(sections.get("aim", []), wrapped)
    lead = description[:1] if description and (reader.first_heading is None or
                                                description[0][0] < reader.first_heading) else aim[:1]
    rest = sorted(p for p in description + aim if p not in lead)
    if lead:
        data["summary"] = lead[0][1]
    if rest:
        data["description"] = [text for _, text in rest]
    reader.key_values(data)
    listed = [text for _, text in reader.items("equipment", sections.get("equipment", []), wrapped)]
    if listed:  # each item whole: "a chair with arms, about knee height"
        data["equipment"] = data.get("equipment", []) + listed
    steps = reader.items("instructions", sections.get("starting", []), wrapped) + \
        reader.items("instructions", sections.get("instructions", []), wrapped)
    if not steps and "instructions" in reader.opened:
        opened = reader.opened["instructions"]
        reader.problem(opened.number, "instructions", f"no steps after {_quote(opened.text)}")
    elif not steps:
        reader.problem(reader.lines[-1].number, "instructions", 'no "Instructions" section; add a line '
                                                                '"Instructions" followed by "- " steps')
    data["instructions"] = [text for _, text in steps]
    tips = reader.items("tips", sections.get("tips", []), wrapped)
    if tips:
        data["tips"] = [text for _, text in tips]
    caution = reader.paragraphs(sections.get("caution", []), wrapped)
    if caution:
        data["caution"] = " ".join(text for _, text in caution)
    if sections.get("faq"):
        faq = reader.faq(sections["faq"], wrapped)
        if faq:
            data["faq"] = faq
    if "language" not in data and (spoken := reader.language()):
        data["language"] = spoken
    if reader.problems:
        raise SourceFormatError(sorted(reader.problems, key=lambda p: p.line or 0))
    ordered = {name: data[name] for name in FIELD_ORDER if name in data}
    return Reading(ordered, title_line)

