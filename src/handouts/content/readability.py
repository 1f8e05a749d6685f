"""How hard a text is to read: the published readability formula of each language, computed here.

Patient-education guidance asks for text a 6th to 8th grader reads (the AMA and NIH advice, in
US grades); each language has its own formula, calibrated on its own readers, so each is used
as published and its score is reported on its own scale:

====  ==========================================  =========  ================================
lang  formula                                     scale      source
====  ==========================================  =========  ================================
en    Flesch-Kincaid grade level                  grade      Kincaid, Fishburne, Rogers and
      0.39 W/S + 11.8 Syl/W - 15.59               (US)       Chissom 1975, Naval Technical
                                                             Training report RBR 8-75
es    Szigriszt-Pazos perspicuity, read on the    ease       Szigriszt Pazos 1993 (thesis,
      INFLESZ scale: 206.835 - 62.3 Syl/W - W/S   0-100      Univ. Complutense); scale: Barrio-
                                                             Cantalejo et al. 2008, An. Sist.
                                                             Sanit. Navar. 31(2):135-152
fr    Kandel-Moles (Flesch re-fitted to French):  ease       Kandel and Moles 1958, Cahiers
      207 - 1.015 W/S - 73.6 Syl/W                0-100      d'études de radio-télévision 19
de    Wiener Sachtextformel (the first):          grade      Bamberger and Vanecek 1984,
      0.1935 MS + 0.1672 SL + 0.1297 IW           (German    Lesen-Verstehen-Lernen-Schreiben
      - 0.0327 ES - 0.875                         school)
====  ==========================================  =========  ================================

W words, S sentences, Syl syllables; for the Wiener formula SL is words per sentence and MS, IW
and ES the percentages of words of three or more syllables, of more than six letters and of one
syllable.  A grade is a school year (higher is harder: 8 is an eighth grader); an ease score
runs the other way (higher is easier) and reads with Flesch's 1948 bands, which Kandel-Moles
keeps (60-70 "standard", an 8th-9th grader), or INFLESZ's for Spanish (55-65 "normal", the
lower secondary school; 55 the least a health text should score).

Syllables are counted by rule, not looked up, so the check runs offline and in CI: the
libraries that look words up (textstat's CMUdict) download their dictionary at run time, and
Pyphen's hyphenation points are not syllables (they leave "area", "idea", "every" and
"pelvis" one syllable short: 21 right of 28 common exercise words, against 27 by these rules).
The rules: a group of vowels is one syllable; English drops a silent final e, -es and -ed
(except -le, -les, -ted, -ded) and a silent e before -ment, -ly, -ful and -ness, and counts
the hiatus of "ia", "ua", "eo" and a final "ea" or "eate"; Spanish splits a group between two
strong vowels (a e o, or an accented i or u); French drops a final mute e or es.  Every word
has at least one.  A rule gets a word wrong now and then ("dangling" is two); one syllable
too many or too few in 100 words moves a Flesch-Kincaid grade by 0.12.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Abbreviations whose full stop does not end a sentence (lower case, without the stop).
_ABBREVIATIONS = frozenset({"e.g", "i.e", "etc", "approx", "min", "sec", "secs", "mins", "dr", "mr", "mrs", "ms",
                            "vs", "p. ej", "ej", "aprox", "p. ex", "env", "z.b", "bzw", "ca", "usw", "st", "no"})
_SENTENCE_END = re.compile(r"(?<=[.!?…;:])[\"'”’)\]]*\s+(?=[\"'“‘(¿¡]*[^\sa-z])|(?<=[.!?…])\s*\n")
_WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’\-](?=[^\W\d_]))*")
_VOWELS = {"en": "aeiouy", "es": "aeiouáéíóúü", "fr": "aeiouyàâäéèêëîïôöùûüœæ", "de": "aeiouyäöü"}


@dataclass(frozen=True)
class Counts:
    """What the formulas count in a text."""

    sentences: int
    words: int
    syllables: int
    polysyllables: int   # words of three or more syllables
    monosyllables: int   # words of one syllable
    long_words: int      # words of more than six letters


@dataclass(frozen=True)
class Grade:
    """A text's score by its language's formula: *scale* "grade" (a school year; lower is easier)
    or "ease" (0-100; higher is easier), and the band a reviewer reads it by."""

    formula: str
    scale: str
    score: float
    band: str

    def __str__(self) -> str:
        return f"{self.formula} {self.score:.1f}" if self.scale == "grade" else f"{self.formula} {self.score:.0f}"


def split_sentences(text: str) -> list[str]:
    """*text* as sentences: ended by . ! ? (or ; and : before a capital) and a space, or a line
    break after one; a known abbreviation (e.g., approx.) does not end one."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start:match.start()].rstrip(".!?…;:\"'”’)]").split()
        if before and before[-1].lower().lstrip("(") in _ABBREVIATIONS:
            continue
        pieces.append(text[start:match.start()])
        start = match.end()
    pieces.append(text[start:])
    return [p.strip() for p in pieces if words(p)]


def words(text: str) -> list[str]:
    """The words of *text*: runs of letters, with an apostrophe or a hyphen inside ("figure-four",
    "don't" are one word each); numbers and symbols are not words, as in the formulas' counts."""
    return _WORD.findall(text)


def syllables(word: str, language: str = "en") -> int:
    """The syllables of *word* in *language* (en, es, fr, de), by the rules in the module's docstring; at least 1."""
    return sum(_syllables(part, language) for part in re.sub(r"['’]", "", word).split("-") if part) or 1


def _syllables(word: str, language: str) -> int:
    word = unicodedata.normalize("NFC", word.lower())
    vowels = _VOWELS.get(language, _VOWELS["en"])
    if language == "en":
        if len(word) <= 3:
            return 1
        extra = len(re.findall(r"[^ct]ia|[^aeiou]ua|eo(?!p)|ea$|eate$|iet|yi|ie(?=r$|st$)", word))
        extra -= len(re.findall(r"[^aeiouy]e(?:ment|ly|ful|ness)", word))  # movement, safely: a silent e inside
        word = re.sub(r"(?<=[^aeiouytd])ed$|(?<=[^aeiouyszxhgcl])es$|(?<![^aeiouy]l)(?<=[^aeiouy])e$",
                      "", word) or word
        if word.startswith("y"):
            word = word[1:]
    elif language == "es":
        word = re.sub(r"(?<=[qg])u(?=[eéií])", "", word)
        word = re.sub(r"y$", "i", word)  # muy, hay: a vowel at the end; a consonant elsewhere
        extra = len(re.findall(r"(?=[aeoáéóíú][aeoáéóíú])", word))
    elif language == "fr":
        if re.search(f"[{vowels}].*[^{vowels}]e?s?$", word):
            word = re.sub(r"(?<=[^aeiouyàâäéèêëîïôöùûü])es?$", "", word)
        extra = 0
    else:
        extra = 0
    groups = len(re.findall(f"[{vowels}]+", word))
    return max(1, groups + extra)


def count(sentences: list[str], language: str = "en") -> Counts:
    """The counts of *sentences* (each one sentence, as :func:`split_sentences` gives them)."""
    all_words = [w for s in sentences for w in words(s)]
    counts = [syllables(w, language) for w in all_words]
    return Counts(sentences=sum(1 for s in sentences if words(s)), words=len(all_words), syllables=sum(counts),
                  polysyllables=sum(1 for n in counts if n >= 3), monosyllables=sum(1 for n in counts if n == 1),
                  long_words=sum(1 for w in all_words if len(w.replace("-", "")) > 6))


#: Flesch's bands of reading ease (1948), which Kandel-Moles keeps: (at least, name).
FLESCH_BANDS = ((90, "very easy"), (80, "easy"), (70, "fairly easy"), (60, "standard"), (50, "fairly difficult"),
                (30, "difficult"), (-1e9, "very difficult"))
#: INFLESZ's bands for Szigriszt-Pazos (Barrio-Cantalejo et al. 2008).
INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"),
                 (-1e9, "muy difícil"))
#: The default pass mark of each formula: at most this grade, or at least this ease.
DEFAULT_TARGETS = {"Flesch-Kincaid": 8.0, "Wiener Sachtextformel": 8.0, "Kandel-Moles": 60.0, "INFLESZ": 55.0}


def _band(score: float, bands: tuple[tuple[float, str], ...]) -> str:
    return next(name for floor, name in bands if score >= floor)


def grade(counts: Counts, language: str = "en") -> Grade | None:
    """The score of *counts* by *language*'s formula (English's for a language without one); None
    for a text without words."""
    if not counts.words or not counts.sentences:
        return None
    wps = counts.words / counts.sentences
    spw = counts.syllables / counts.words
    if language == "es":
        score = 206.835 - 62.3 * spw - wps
        return Grade("INFLESZ", "ease", score, _band(score, INFLESZ_BANDS))
    if language == "fr":
        score = 207 - 1.015 * wps - 73.6 * spw
        return Grade("Kandel-Moles", "ease", score, _band(score, FLESCH_BANDS))
    if language == "de":
        def share(n: int) -> float:
            return 100 * n / counts.words
        score = (0.1935 * share(counts.polysyllables) + 0.1672 * wps + 0.1297 * share(counts.long_words)
                 - 0.0327 * share(counts.monosyllables) - 0.875)
        return Grade("Wiener Sachtextformel", "grade", score, f"Klasse {max(4, min(15, round(score)))}")
    score = 0.39 * wps + 11.8 * spw - 15.59
    band = f"US grade {max(0, round(score))}" if score < 12.5 else "college" if score < 16.5 else "graduate"
    return Grade("Flesch-Kincaid", "grade", score, band)


def too_hard(result: Grade, target: float) -> bool:
    """Whether *result* is past *target*: above it on a grade scale, below it on an ease scale."""
    return result.score > target if result.scale == "grade" else result.score < target
