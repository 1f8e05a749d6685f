"""The lines of a clinic's text file, each told for what it is: heading, key line, bullet or text.

Clinics type exercise notes in a word processor and save them as text, so the same thing
comes in many shapes: "Tips & Tricks", "Tips:", "HINTS" and "Consejos y trucos" open one
section; "-", "•", "·", Word's private-use bullet U+F0B7, "–", "*", "o" and "1." each start
a list item.  This module names those shapes (in English, Spanish, French and German) and
nothing else: what goes where is :mod:`handouts.importers.plain_text`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handouts.content.keys import near_miss

#: Section headings by the field they fill, each with the languages it is a word of.  Compared
#: case-insensitively, with any trailing ":" and spaces folded.  "aim" fills the summary (a
#: leaflet's "Aim" paragraph is its lead), "starting" the first steps (where the client starts
#: is part of doing it), "description" the optional reading, "caution" the safety box.
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "instructions": {
        "en": ("instructions", "steps", "how to do it", "how to do this exercise", "method", "exercise"),
        "es": ("instrucciones", "pasos", "cómo hacerlo", "ejecución"),
        "fr": ("instructions", "consignes", "étapes", "comment faire", "déroulement"),
        "de": ("anleitung", "schritte", "übungsanleitung", "durchführung", "ausführung"),
    },
    "tips": {
        "en": ("tips", "tips & tricks", "tips and tricks", "hints", "hints and tips", "helpful hints"),
        "es": ("consejos", "consejos y trucos", "trucos"),
        "fr": ("conseils", "astuces", "conseils et astuces", "trucs et astuces"),
        "de": ("tipps", "tipps und tricks", "tipps & tricks", "hinweise"),
    },
    "faq": {
        "en": ("faq", "faqs", "frequently asked questions", "questions", "questions and answers", "q&a",
               "common questions"),
        "es": ("preguntas frecuentes", "preguntas", "preguntas y respuestas"),
        "fr": ("questions fréquentes", "foire aux questions", "questions-réponses", "questions et réponses",
               "questions"),
        "de": ("häufige fragen", "fragen", "fragen und antworten"),
    },
    "caution": {
        "en": ("caution", "cautions", "precautions", "warning", "warnings", "safety", "contraindications",
               "important", "red flags", "safety advice", "safety information", "when to stop"),
        "es": ("precaución", "precauciones", "advertencia", "advertencias", "seguridad", "contraindicaciones",
               "importante"),
        "fr": ("attention", "précautions", "avertissement", "sécurité", "contre-indications", "mise en garde",
               "important"),
        "de": ("vorsicht", "achtung", "warnung", "sicherheit", "gegenanzeigen", "kontraindikationen",
               "sicherheitshinweise", "wichtig"),
    },
    "aim": {
        "en": ("aim", "purpose", "goal", "objective", "why do this exercise"),
        "es": ("objetivo", "propósito", "finalidad"),
        "fr": ("but", "objectif"),
        "de": ("ziel", "zweck"),
    },
    "starting": {
        "en": ("starting position", "start position", "setup", "set up", "getting ready"),
        "es": ("posición inicial", "posición de partida"),
        "fr": ("position de départ", "position initiale"),
        "de": ("ausgangsstellung", "ausgangsposition"),
    },
    "equipment": {
        "en": ("equipment", "you will need", "what you need"),
        "es": ("material", "equipo"),
        "fr": ("matériel",),
        "de": ("material", "ausrüstung", "hilfsmittel"),
    },
    "description": {
        "en": ("description", "about", "about this exercise", "background"),
        "es": ("descripción",),
        "fr": ("description",),
        "de": ("beschreibung",),
    },
}

#: Key lines ("Picture: bridge.png"): what only YAML could say, said in the text.  Some are
#: headings too ("Equipment" alone opens a list); with a value on the line they are keys.
KEYS: dict[str, dict[str, tuple[str, ...]]] = {
    "picture": {"en": ("picture", "image", "photo"), "es": ("imagen", "foto"), "fr": ("image", "photo"),
                "de": ("bild", "foto")},
    "video": {"en": ("video",), "es": ("vídeo", "video"), "fr": ("vidéo",), "de": ("video",)},
    "dose": {"en": ("dose", "dosage"), "es": ("dosis",), "fr": ("dosage", "posologie"), "de": ("dosierung",)},
    "level": {"en": ("level",), "es": ("nivel",), "fr": ("niveau",), "de": ("stufe", "niveau")},
    "targets": {"en": ("targets", "target", "target areas", "muscles", "works"), "es": ("músculos",),
                "fr": ("muscles", "zones ciblées"), "de": ("muskeln", "zielbereiche")},
    "equipment": {"en": ("equipment", "you will need", "what you need"), "es": ("material", "equipo"),
                  "fr": ("matériel",), "de": ("material", "ausrüstung", "hilfsmittel")},
    "language": {"en": ("language",), "es": ("idioma",), "fr": ("langue",), "de": ("sprache",)},
}

_HEADING_OF = {name: (field, lang) for field, by_lang in HEADINGS.items()
               for lang, names in by_lang.items() for name in names}
_KEY_OF = {name: (field, lang) for field, by_lang in KEYS.items() for lang, names in by_lang.items()
           for name in names}
#: Which languages a heading or key word belongs to ("instructions": English and French).
LANGUAGES_OF: dict[str, set[str]] = {}
for _table in (HEADINGS, KEYS):
    for _by_lang in _table.values():
        for _lang, _names in _by_lang.items():
            for _name in _names:
                LANGUAGES_OF.setdefault(_name, set()).add(_lang)

#: A list item's marker: "-", "•", "·", U+F0B7 (Word's symbol-font bullet in text exports), "–", "—",
#: "*", "o" and "▪" followed by a space or tab; "1.", "1)", "(1)", "Step 1:" (and its translations).
_BULLET = re.compile(r"(?:[-•·\uf0b7\u2013\u2014*▪►✓]|(?-i:o(?=[ \t]+[A-ZÁÉÍÓÚÄÖÜÀÈ¿¡])))[ \t]+|[•·\uf0b7](?=\S)|"
                     r"(?:\(?\d{1,3}[.)](?:[ \t]+|$))|"
                     r"(?:(?:step|paso|étape|schritt)[ \t]*\d{1,3}[ \t]*[:.)-][ \t]*)|[-•·\uf0b7*\u2013\u2014]$",
                     re.IGNORECASE)
#: "Q:" or "A:" (and Spanish/French/German "P:", "R:", "F:") in front of a question or answer.
QUESTION_PREFIX = re.compile(r"^(?:q|p|f|question|pregunta|frage)[ \t]*[:.][ \t]*", re.IGNORECASE)
ANSWER_PREFIX = re.compile(r"^(?:a|r|answer|respuesta|réponse|antwort)[ \t]*[:.][ \t]*", re.IGNORECASE)
#: The end of a sentence at the end of a line (closing quotes and brackets after it allowed).
SENTENCE_END = re.compile(r"[.!?:;…][\"'”’»)\]]*$")


@dataclass(frozen=True)
class Line:
    """One non-blank line: its number (1-based), its text (stripped) and its indent (columns)."""

    number: int
    text: str
    indent: int
    after_blank: bool  # a blank line (or the start of the file) comes right before it


def _words(text: str) -> str:
    """A heading's words as compared: case folded, spaces folded, and the marks around it left out
    ("⚠ CAUTION!", "Caution -", "** Tips **")."""
    text = _AROUND.sub("", text.strip())
    return " ".join(text.split()).casefold()


#: What may stand around a heading's words: symbols and punctuation before, and ":", "!", "-" after.
_AROUND = re.compile(r"^[\W_]+|[\s:!.*_\-\u2013\u2014]+$")


def heading(text: str) -> tuple[str, str | None, str] | None:
    """The section a heading line opens, the text after its colon if any, and the heading's words:
    ``"Tips:"`` -> ("tips", None, "tips"); ``"Caution: do not..."`` -> ("caution", "do not...",
    "caution").  None for any other line (a heading is a line of its own words, or those and a colon)."""
    words = _words(text)
    if words in _HEADING_OF:
        return _HEADING_OF[words][0], None, words
    name, colon, rest = text.partition(":")
    words = _words(name)
    if colon and rest.strip() and words in _HEADING_OF:
        return _HEADING_OF[words][0], rest.strip(), words
    return None


def key(text: str) -> tuple[str, str, str] | None:
    """A key line's field, value and key words (``"Dose: 3 sets of 10"`` -> ("dose", "3 sets of 10",
    "dose")), or None."""
    name, colon, rest = text.partition(":")
    words = _words(name)
    if not (colon and rest.strip()) or words not in _KEY_OF:
        return None
    field = _KEY_OF[words][0]
    if field == "video" and not rest.strip().lower().startswith(("http://", "https://", "www.")):
        return None  # "Video: watch it twice" is a sentence, not an address
    return field, rest.strip(), words


def bullet(text: str) -> tuple[str, str] | None:
    """A list item's (marker, text), or None: ``"1.\\tLie down"`` -> ("1.", "Lie down").  A line that
    is only a marker gives an empty text (an empty bullet)."""
    match = _BULLET.match(text)
    if match is None:
        return None
    return match.group(0).strip(), text[match.end():].strip()


def lines_of(text: str) -> list[Line]:
    """The non-blank lines of *text*, numbered from 1, with whether a blank line comes before each."""
    found: list[Line] = []
    blank = True
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1):
        expanded = raw.expandtabs(4)
        if not expanded.strip():
            blank = True
            continue
        found.append(Line(number, raw.strip(), len(expanded) - len(expanded.lstrip()), blank))
        blank = False
    return found


def hard_wrapped(prose: list[Line]) -> bool:
    """Whether the prose lines of a file were wrapped at a fixed width (saved "with line breaks"):
    then the lines of one paragraph are joined and a blank line separates paragraphs.  Otherwise
    each line is a paragraph (Word's plain text puts a whole paragraph on one line).

    The rule: some line stops mid-sentence, most lines of two or more words end within 20
    characters of the longest, and the longest is at most 100 characters (text exports wrap at
    60-80).  Short one-line paragraphs of similar length, each ending its sentence, stay apart.
    """
    lengths = [len(line.text) for line in prose if " " in line.text]
    if len(lengths) < 2 or max(lengths) > 100:
        return False
    if all(SENTENCE_END.search(line.text) for line in prose):  # every line ends a sentence: a line a paragraph
        return False
    widest = max(lengths)
    return sum(length >= widest - 20 for length in lengths) * 2 >= len(lengths)


def join(texts: list[str]) -> str:
    """Lines of one paragraph joined with single spaces (a word hyphenated at a line end stays split)."""
    return " ".join(" ".join(text.split()) for text in texts)


def near_heading(text: str) -> str | None:
    """The heading a short line is a slip of ("Cautoin", "Instrutions"), or None: such a line is an
    error, since read as a step or a paragraph a misspelt "Caution" would put safety text where a
    reader may skip it (the content format's rule for keys, :func:`handouts.content.keys.near_miss`)."""
    words = _words(text)
    if not words or len(words.split()) > 3 or heading(text) or key(text):
        return None
    return near_miss(words, list(_HEADING_OF))
