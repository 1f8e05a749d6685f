"""Readable first: exercises written as clinics write them print at a size a 70-year-old can read,
in reading order, in normal and large print (issue 12).

The exercises are plain-text files in tests/data/clinic_text, imported as a clinic would
(tests/clinic_library.py); every check here reads the built PDFs back.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import fields
from pathlib import Path

import pdfplumber
import pyphen
import pytest
import yaml
from pypdf import PdfReader

from clinic_library import LIBRARY, LONG, build_library
from conftest import REPO, SEED
from reading_order import above_or_left_of_start, fragments, headings, list_items, matched, out_of_order
from handouts.build.run import BuildOptions, build
from handouts.layout.fit_text import HYPHENATION
from handouts.render.exercise import lay_out_cards
from handouts.content.exercise import validate
from handouts.content.load import load_file
from handouts.style.card_sizes import CARD_SIZES
from handouts.style.labels import labels_for
from handouts.style.theme import DEFAULT_THEME, Labels, large_print
from handouts.layout.card_sheet import make_sheet

pytestmark = pytest.mark.slow  # builds the library four ways: about 20 s on one core

LARGE = large_print(DEFAULT_THEME)
#: A French variant of the balance exercise, for the French labels and a French dose.
FRENCH = ("single-leg-balance-at-the-kitchen-counter", "equilibre-fr", {
    "language": "fr",
    "dose": {"sets": "3 séries", "reps": "10 répétitions", "hold": "30 secondes", "rest": "2 minutes",
             "frequency": "deux fois par jour", "side": "alternativement"}})
#: An English dose with the values large print used to cut ("30 sec|onds", "2 minu|tes", "alterna|ting").
ENGLISH = ("seated-ankle-pumps", "ankle-pumps-full-dose", {
    "dose": {"sets": "3", "reps": "20", "hold": "30 seconds", "rest": "2 minutes", "frequency": "every hour",
             "side": "alternating"}})


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("clinic")
    content, assets = build_library(root)
    for source, name, extra in (FRENCH, ENGLISH):
        data = yaml.safe_load((content / f"{source}.yaml").read_text(encoding="utf-8"))
        data.update(extra)
        (content / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    programs = root / "programs"
    programs.mkdir()
    for name, large in (("everyone", False), ("everyone-large", True)):
        listed = "".join(f"  - id: {i}\n    notes: Stop if it hurts.\n" for i in LIBRARY)
        (programs / f"{name}.yaml").write_text(f"client: Ada Lovelace\ndate: 2026-11-25\n"
                                               f"large_print: {str(large).lower()}\nexercises:\n{listed}",
                                               encoding="utf-8")
    return root, content, assets


BUILDS = {  # name -> (theme, paper)
    "normal": (DEFAULT_THEME, "letter"),
    "normal-a4": (DEFAULT_THEME, "a4"),
    "large": (LARGE, "letter"),
    "large-a4": (LARGE, "a4"),
}


@pytest.fixture(scope="module")
def builds(library):
    root, content, assets = library
    out = {}
    for name, (theme, paper) in BUILDS.items():
        report = build(BuildOptions(content_dir=content, assets_dir=assets, out_dir=root / name, theme=theme,
                                    paper=paper, programs=tuple(sorted((root / "programs").glob("*.yaml")))))
        assert report.errors == [], report.errors
        out[name] = report
    return out


def handout(library, build_name: str, exercise_id: str) -> Path:
    return library[0] / build_name / "handouts" / f"{exercise_id}.pdf"


def body_size(path: Path, page: int = 0) -> float:
    """The most common type size of a page: its body text."""
    with pdfplumber.open(path) as pdf:
        chars = [c for c in pdf.pages[page].chars if not c["text"].isspace()]
    return Counter(round(c["size"], 2) for c in chars).most_common(1)[0][0]


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


# --- type before pictures ----------------------------------------------------------------------

@pytest.mark.parametrize("build_name", ["normal", "normal-a4"])
@pytest.mark.parametrize("exercise_id", sorted(LIBRARY))
def test_body_type_is_12_pt_and_10_5_pt_for_the_two_long_ones(library, builds, build_name, exercise_id):
    path = handout(library, build_name, exercise_id)
    pages = page_count(path)
    for page in range(pages):
        assert body_size(path, page) >= (10.5 if exercise_id in LONG else 12)
    assert pages <= 2
    if exercise_id not in LONG:
        assert pages == 1
    warnings = [w for w in builds[build_name].warnings if Path(w.path).stem == exercise_id and not w.notice]
    if pages == 2:  # says how much shorter it would have to be for one side
        pattern = r"continues on page 2 \(the back of the sheet\)(?: at [\d.]+ pt)?: about \d+% too long for one side"
        assert any(re.search(pattern, w.message) for w in warnings), warnings


def _images(path: Path) -> list[tuple[float, float]]:
    with pdfplumber.open(path) as pdf:
        return [(round(i["width"], 1), round(i["height"], 1)) for i in pdf.pages[0].images]


def test_pictures_are_smaller_than_full_size_before_the_type_goes_below_12_pt(library, tmp_path):
    """The shoulder exercise with 5 steps and 10 tips keeps one page below 12 pt: its photos must already be smaller
    than the same photos printed whole (5 steps, 5 tips, at 12 pt)."""
    _, content, assets = library
    source = yaml.safe_load((content / "side-lying-shoulder-external-rotation.yaml").read_text(encoding="utf-8"))
    made = {}
    for name, steps, tips in (("roomy", 5, 5), ("crowded", 5, 10)):
        data = dict(source, instructions=source["instructions"][:steps], tips=source["tips"][:tips])
        path = tmp_path / f"{name}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        report = build(BuildOptions(files=(path,), assets_dir=assets, out_dir=tmp_path / "out"))
        (made[name],) = [p for p in report.written if p.parent.name == "handouts"]
    assert body_size(made["roomy"]) >= 12 and body_size(made["crowded"]) < 12
    assert page_count(made["crowded"]) == 1
    roomy, crowded = _images(made["roomy"]), _images(made["crowded"])
    assert len(roomy) == len(crowded) == 2
    assert all(c[0] < r[0] and c[1] < r[1] for r, c in zip(roomy, crowded))
    assert min(h for _, h in crowded) >= 1.6 * 72 - 1  # never below the floor that still shows the movement


# --- large print always works ------------------------------------------------------------------

@pytest.mark.parametrize("build_name", ["large", "large-a4"])
@pytest.mark.parametrize("exercise_id", sorted(LIBRARY))
def test_large_print_builds_every_exercise_with_whole_steps_starting_on_page_1(library, builds, build_name,
                                                                               exercise_id):
    path = handout(library, build_name, exercise_id)
    for page in range(page_count(path)):
        assert body_size(path, page) >= 16
    steps = list_items(path, r"\d+\.", bold=True)
    assert len(steps) == LIBRARY[exercise_id][0]
    assert all(len({line.page for line in step.lines}) == 1 for step in steps), "a step split across pages"
    assert min(step.page for step in steps) == 0, "the steps start on page 1"


def test_a_short_exercise_is_one_large_print_page(library, builds):
    assert page_count(handout(library, "large", "seated-ankle-pumps")) == 1


@pytest.mark.parametrize("program", ["everyone", "everyone-large"])
def test_no_exercise_fails_a_program_for_length(library, builds, program):
    path = library[0] / "normal" / "programs" / f"{program}.pdf"
    assert path.is_file()
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    for exercise_id in LIBRARY:
        title = yaml.safe_load((library[1] / f"{exercise_id}.yaml").read_text(encoding="utf-8"))["title"]
        assert title in text


# --- reading order -----------------------------------------------------------------------------

def _all_handouts(library):
    return [handout(library, b, e) for b in BUILDS for e in sorted(LIBRARY)]


def _check_list(path: Path, items, heading: str, continued: str) -> None:
    assert out_of_order(items) == [], path
    starts = {h.page: h for h in headings(path, heading) if not h.text.startswith(continued)}
    for h in headings(path, continued):
        assert h.page not in starts, f"{path.name}: '{continued}' on the page where the list starts"
        starts[h.page] = h
    for page in {i.page for i in items}:
        start = starts.get(page) or min((i for i in items if i.page == page), key=lambda i: (i.x0, i.top))
        assert above_or_left_of_start(start, items) == [], (path.name, page)


def test_every_list_reads_down_and_never_continues_above_or_left_of_its_start(library, builds):
    for path in _all_handouts(library):
        exercise_id = path.stem
        data = yaml.safe_load((library[1] / f"{exercise_id}.yaml").read_text(encoding="utf-8"))
        labels = labels_for(data.get("language"), DEFAULT_THEME.labels)
        steps = sorted(list_items(path, r"\d+\.", bold=True), key=lambda i: int(i.marker[:-1]))
        assert len(steps) == len(data["instructions"])
        _check_list(path, steps, labels.instructions, f"{labels.instructions} {labels.continued}")
        tips = matched(list_items(path, "•"), data["tips"])
        assert None not in tips, path
        _check_list(path, tips, labels.tips, f"{labels.tips} {labels.continued}")
        for word in (labels.instructions, labels.tips):  # a heading never ends a page
            for h in headings(path, word):
                below = [f for f in fragments(path) if f.page == h.page and f.top > h.top + 1]
                assert below, f"{path.name}: '{h.text}' alone at the foot of page {h.page + 1}"


# --- words whole, or hyphenated where the dictionary allows -------------------------------------

_EDGE = re.compile(r"^[^\w]+|[^\w\-…]+$")
#: The tick log's weekday letters, set so close that they are read back as one word ("MoTuWe").
_WEEKDAYS = re.compile("(?:" + "|".join(sorted({d.lower() for code in HYPHENATION
                                                 for d in labels_for(code, DEFAULT_THEME.labels).weekdays})) + ")+")


def _tokens(data: dict, labels: Labels) -> set[str]:
    texts: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    walk(data)
    walk([getattr(labels, f.name) for f in fields(labels)])
    return {_EDGE.sub("", w).lower() for t in texts for w in re.split(r"[\s/]+", t)} - {""}


def _hyphenated(word: str, later_rows: list[int], rows: dict[int, list[dict]], used: set[int], tokens: set[str],
                dictionary: list[pyphen.Pyphen], breaks: tuple[int, ...] = ()) -> list[int]:
    """The ids of the words on the next lines that finish *word* (which ends with a hyphen), each
    break at a point the dictionary allows (or after a hyphen typed in the text); [] when none do."""
    if not word.endswith("-") or not later_rows:
        return []
    # the next line of the same column: one of the next few rows (another column's line may come between)
    for candidate in [w for row in later_rows[:3] for w in rows[row]]:
        if id(candidate) in used:
            continue
        rest = _EDGE.sub("", candidate["text"]).lower()
        for joined, at in ((word[:-1] + rest, len(word) - 1), (word + rest, None)):  # None: a typed hyphen
            cut = breaks + ((at,) if at is not None else ())
            if joined in tokens and any(all(b in d.positions(joined) for b in cut) for d in dictionary):
                return [id(candidate)]
            if joined.endswith("-"):
                after = [row for row in later_rows if row > round(candidate["bottom"])]
                more = _hyphenated(joined, after, rows, used, tokens, dictionary, cut)
                if more:
                    return [id(candidate)] + more
    return []


def cut_words(path: Path, tokens: set[str], *languages: str) -> list[str]:
    """The words on *path*'s pages that are neither whole nor hyphenated at a point a dictionary allows."""
    dictionary = [pyphen.Pyphen(lang=HYPHENATION[language]) for language in languages]
    bad = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            rows: dict[int, list[dict]] = {}
            for w in words:
                rows.setdefault(round(w["bottom"]), []).append(w)
            order = sorted(rows)
            used: set[int] = set()
            for r, row in enumerate(order):
                for w in rows[row]:
                    word = _EDGE.sub("", w["text"]).lower()
                    if id(w) in used or not re.search(r"[^\W\d_]", word) or word in tokens or _WEEKDAYS.fullmatch(word):
                        continue
                    if word.endswith("…"):  # a label shortened on purpose, marked (the tick log's)
                        continue
                    pieces = _hyphenated(word, order[r + 1:], rows, used, tokens, dictionary)
                    if pieces:
                        used.update(pieces)
                        continue
                    bad.append(w["text"])
    return bad


@pytest.mark.parametrize("build_name", sorted(BUILDS))
def test_every_word_of_every_handout_is_whole_or_hyphenated_where_the_dictionary_allows(library, builds,
                                                                                        build_name):
    for path in (library[0] / build_name / "handouts").glob("*.pdf"):
        data = yaml.safe_load((library[1] / f"{path.stem}.yaml").read_text(encoding="utf-8"))
        language = data.get("language", "en")
        tokens = _tokens(data, labels_for(language, DEFAULT_THEME.labels))
        assert cut_words(path, tokens, language) == [], path.name


def test_the_dose_strip_values_that_used_to_be_cut_print_whole_or_hyphenated(library, builds):
    """'30 sec|onds', 'Repeticione|s', 'Wiederholun|gen', 'alternative|ment' in large print."""
    for exercise_id, expected in (("ankle-pumps-full-dose", ["seconds", "minutes", "alternating"]),
                                  ("puente-de-gluteos", ["repeticiones", "segundos", "alternando"]),
                                  ("kniebeuge-am-stuhl", ["wiederholungen", "sekunden", "abwechselnd"]),
                                  ("equilibre-fr", ["répétitions", "secondes", "alternativement"])):
        path = handout(library, "large", exercise_id)
        text = PdfReader(path).pages[0].extract_text().lower()
        for word in expected:
            assert word in text.replace("-\n", "").replace("\n", " ").replace("- ", ""), (exercise_id, word)


@pytest.mark.parametrize("size", sorted(CARD_SIZES))
def test_every_card_face_has_whole_words_one_size_a_side_and_no_answer_below_the_floor(library, tmp_path, size):
    _, content, assets = library
    floor = {"business": 9, "index": 10, "a7": 10}[size]
    for path in sorted(content.glob("*.yaml")):
        report = build(BuildOptions(files=(path,), assets_dir=assets, out_dir=tmp_path / size, card_size=size))
        assert report.errors == []
        ex, _ = validate(load_file(path), path.stem)
        cards, _ = lay_out_cards(ex, make_sheet("letter", size), DEFAULT_THEME)
        assert len({c.front.size for c in cards}) == 1 and len({c.back.size for c in cards}) == 1, path.stem
        assert min(c.back.size for c in cards) >= floor
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        language = data.get("language", "en")
        tokens = _tokens(data, labels_for(language, DEFAULT_THEME.labels)) | {"cut", "fold"}
        pdf = tmp_path / size / "cards" / f"{path.stem}.pdf"
        assert cut_words(pdf, tokens, language) == [], (size, path.stem)


@pytest.mark.parametrize("build_name", ["normal", "large"])
def test_every_word_of_a_program_cover_and_its_pages_is_whole_or_hyphenated(library, builds, build_name):
    """The cover's narrow "How much" cells and the tick log's labels as much as the handouts."""
    tokens: set[str] = set()
    for path in library[1].glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        tokens |= _tokens(data, labels_for(data.get("language"), DEFAULT_THEME.labels))
    tokens |= {"ada", "lovelace", "stop", "it", "if", "hurts"}
    for program in ("everyone", "everyone-large"):
        path = library[0] / build_name / "programs" / f"{program}.pdf"
        assert cut_words(path, tokens, "en", "es", "de", "fr") == [], (build_name, program)


# --- the sample ---------------------------------------------------------------------------------

def test_the_sample_program_prints_the_seed_at_12_pt(tmp_path):
    report = build(BuildOptions(content_dir=REPO / "content", assets_dir=REPO / "assets", out_dir=tmp_path,
                                programs=tuple((REPO / "programs").glob("*.yaml"))))
    assert [w for w in report.warnings if not w.notice] == []
    (program,) = report.programs
    assert body_size(program, 2) == 12  # the cover, its Notes page, then the seed's handout
    assert PdfReader(program).pages[2].extract_text().count(SEED) == 0  # (the id is never printed)
