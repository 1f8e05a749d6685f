"""A client's program PDF, built through the command line and read back (issue 6, part 7).

Each scenario is built once per module with ``handouts build`` or ``handouts program`` into
a library made under tmp: the test exercises, one of them given a dose and a video, a
clinic with a logo, and a few programs.  The PDFs are read back with pdfplumber and pypdf:
the order of the pages, the cover's masthead, table and tick log, the line over each
handout and the dose prescribed on it, the QR code (with zxing-cpp), the labels of a
Spanish program and of Spanish content, large print's type size, and what a mistake in a
program does to the output folder.
"""

from __future__ import annotations

import io
import math
import re
import shutil
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pypdf
import pytest
import yaml
from PIL import Image

from conftest import EXERCISE_FILES, REPO, SEED, group_lines, normalise
from handouts.cli import main

zxingcpp = pytest.importorskip("zxingcpp")
pdfium = pytest.importorskip("pypdfium2")

VIDEO = "https://example.org/watch?v=abc123"
EPOCH = "1767225600"  # 2026-01-01 00:00 UTC, a Thursday
SEED_TITLE = "Reclining Lower Trunk Extensor Stretch"

CLINIC = """\
name: Riverside Physiotherapy
logo: logo.png
phone: 555 0100
"""

#: Five items: a full dose with a note; a dose laid over the exercise's own (reps changed,
#: side cleared); an id alone with no dose anywhere; the first exercise again (its cards
#: once); Spanish content in an English program.
JANE = f"""\
client: Jane Doe
clinician: Alex Kim, PT
date: 2026-11-25
notes: Start gently and stop if the pain increases.
exercises:
  - id: {SEED}
    dose: {{sets: 2, reps: 3, hold: 30 s, frequency: twice a day, side: both}}
    notes: Keep the sacrum heavy on the mat.
  - id: knee-video
    dose: {{reps: 5, side: null}}
    notes: Right leg first.
  - three-step-wall-push
  - id: {SEED}
    dose: {{hold: 45 s}}
    notes: In the evening, hold a little longer.
  - spanish-bridge
"""
JANE_IDS = [SEED, "knee-video", "three-step-wall-push", SEED, "spanish-bridge"]
#: knee-video: seated-knee-extension with a dose of its own and a video
KNEE_VIDEO = f"dose: {{sets: 3, reps: 10, side: both}}\nvideo: {VIDEO}\n"

ROSA = """\
client: Rosa Díaz
clinician: Ana Gómez
date: 2026-11-25
language: es
notes: Empiece despacio.
exercises:
  - id: spanish-bridge
    dose: {sets: 2, reps: 10}
    notes: Apriete los glúteos arriba.
  - id: three-step-wall-push
    notes: Despacio.
"""

UNDATED = "client: Sam Lee\nexercises: [three-step-wall-push]\n"

#: Large print: symbols-ankle and spanish-bridge take two pages, the wall push one.
LARGE = """\
client: Jane Doe
date: 2026-11-25
exercises:
  - id: symbols-ankle
    notes: Slowly.
  - three-step-wall-push
  - spanish-bridge
"""

DOSE_EN = ("Sets", "Reps", "Hold", "Rest", "How often", "Side")
DOSE_ES = ("Series", "Repeticiones", "Mantener", "Descanso", "Frecuencia", "Lado")


# --- building ----------------------------------------------------------------------------------

def make_library(root: Path, exercises=(SEED, "three-step-wall-push", "seated-knee-extension", "spanish-bridge",
                                        "symbols-ankle"), clinic: str | None = CLINIC,
                 programs: dict[str, str] | None = None) -> Path:
    """content/ (the exercises, and knee-video), assets/ with a logo, clinic.yaml, programs/."""
    content = root / "content"
    content.mkdir(parents=True)
    for exercise_id in exercises:
        shutil.copy(EXERCISE_FILES[exercise_id], content)
    text = EXERCISE_FILES["seated-knee-extension"].read_text(encoding="utf-8")
    (content / "knee-video.yaml").write_text(text + KNEE_VIDEO, encoding="utf-8")
    shutil.copytree(REPO / "assets", root / "assets")
    logo = Image.new("RGB", (300, 100), "white")
    logo.paste((23, 54, 93), (0, 0, 100, 100))
    logo.save(root / "assets" / "logo.png")
    if clinic is not None:
        (root / "clinic.yaml").write_text(clinic, encoding="utf-8")
    (root / "programs").mkdir()
    for name, program in (programs or {}).items():
        (root / "programs" / f"{name}.yaml").write_text(program, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    out_dir: Path

    def program(self, name: str) -> Path:
        return self.out_dir / "programs" / f"{name}.pdf"


def cli(root: Path, command: str, *args: str, out: str = "out") -> Run:
    """``handouts COMMAND ARGS --content --assets --out`` on the library at *root*, its output captured."""
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = [command, *args, "--content", str(root / "content"), "--assets", str(root / "assets"),
            "--out", str(root / out)] + (["--jobs", "1"] if command == "build" else [])
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(argv)
    return Run(code, stdout.getvalue(), stderr.getvalue(), root / out)


def program_file(root: Path, name: str) -> str:
    return str(root / "programs" / f"{name}.yaml")


@pytest.fixture(scope="module")
def lib(tmp_path_factory) -> Path:
    return make_library(tmp_path_factory.mktemp("programs"),
                        programs={"jane": JANE, "rosa": ROSA, "undated": UNDATED})


def _built(run: Run, *names: str) -> Run:
    assert run.code == 0, run.stderr
    for name in names:
        assert run.program(name).is_file(), run.stdout + run.stderr
    return run


@pytest.fixture(scope="module")
def letter(lib) -> Run:
    """``handouts build``: the whole library and every program, on Letter, at SOURCE_DATE_EPOCH."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        return _built(cli(lib, "build"), "jane", "rosa", "undated")


@pytest.fixture(scope="module")
def a4(lib) -> Run:
    return _built(cli(lib, "program", program_file(lib, "jane"), "--paper", "a4", out="out-a4"), "jane")


@pytest.fixture(scope="module")
def fold(lib) -> Run:
    return _built(cli(lib, "program", program_file(lib, "jane"), "--fold", out="out-fold"), "jane")


@pytest.fixture(scope="module")
def large(lib) -> Run:
    (lib / "programs" / "large.yaml").write_text(LARGE, encoding="utf-8")
    try:
        return _built(cli(lib, "program", program_file(lib, "large"), "--large-print", out="out-large"), "large")
    finally:  # the other builds of this library do not see it
        (lib / "programs" / "large.yaml").unlink()


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    width: float
    height: float
    chars: tuple
    words: tuple
    rects: tuple
    lines: tuple   # the drawn lines (rules, lines to write on)
    images: tuple
    text: str      # pdfplumber's text, whitespace collapsed

    def text_lines(self, chars=None) -> list[tuple[float, str]]:
        return text_lines(self.chars if chars is None else chars)

    def line_texts(self, chars=None) -> list[str]:
        return [text for _, text in self.text_lines(chars)]


def text_lines(chars) -> list[tuple[float, str]]:
    """(top, text) of each line: chars sharing a baseline, left to right, a visible gap read as a space."""
    return [(line.top, normalise(line.text.replace("\xa0", " "))) for line in group_lines("", list(chars))]


@lru_cache(maxsize=None)
def _pages(path: str, stamp: tuple) -> tuple[Page, ...]:
    with pdfplumber.open(path) as pdf:
        return tuple(Page(float(p.width), float(p.height), tuple(p.chars),
                          tuple(p.extract_words(extra_attrs=["fontname", "size"])), tuple(p.rects),
                          tuple(p.lines), tuple(p.images), normalise((p.extract_text() or "").replace("\xa0", " ")))
                     for p in pdf.pages)


def pages(path: Path) -> tuple[Page, ...]:
    stat = Path(path).stat()
    return _pages(str(path), (stat.st_mtime_ns, stat.st_size))


def preferences(path: Path) -> dict:
    return dict(pypdf.PdfReader(path).trailer["/Root"].get("/ViewerPreferences", {}))


BANNER = re.compile(r"(?:For|Para) .+? · (?:Exercise|Ejercicio) (\d+) (?:of|de) (\d+) · ")


def kind(page: Page, footer: str) -> str:
    """What a page is: cover, notes, exercise N, fronts, backs or fold."""
    if page.text in (f"Notes {footer}", f"Notas {footer}"):
        return "notes"
    first = page.line_texts()[0]
    match = BANNER.match(first)
    if match:
        return f"exercise {match[1]}"
    if first.endswith(("(continued)", "(continuación)")):  # a large-print handout's second page
        return "continued"
    for marker, name in (("fronts (questions)", "fronts"), ("backs (answers)", "backs"),
                         ("fold-over cards", "fold"), ("anversos (preguntas)", "fronts"),
                         ("reversos (respuestas)", "backs"), ("tarjetas para doblar", "fold")):
        if marker in page.text:
            return name
    if first.startswith(("Home exercise", "Programa de ejercicios")):  # the title may wrap
        return "cover"
    return f"? {first}"


def kinds(path: Path, footer: str) -> list[str]:
    """Each page's kind; a second page of a handout is named after the handout it continues."""
    out: list[str] = []
    for page in pages(path):
        found = kind(page, footer)
        out.append(out[-1] if found == "continued" and out else found)
    return out


def faq_count(exercise_id: str) -> int:
    source = EXERCISE_FILES.get(exercise_id, EXERCISE_FILES["seated-knee-extension"])
    return len(yaml.safe_load(source.read_text(encoding="utf-8")).get("faq") or [])


def title_of(exercise_id: str) -> str:
    source = EXERCISE_FILES.get(exercise_id, EXERCISE_FILES["seated-knee-extension"])
    return normalise(yaml.safe_load(source.read_text(encoding="utf-8"))["title"])


def card_sheets(ids: list[str], per_sheet: int) -> int:
    """Sheets for the cards of *ids*, each exercise's cards once however often it is listed."""
    return math.ceil(sum(faq_count(i) for i in dict.fromkeys(ids)) / per_sheet)


#: Too long for one side at 12 pt with a program's dose and note: in a program printed double-sided
#: it takes the back of its sheet at full size (which would otherwise be a Notes page).
TWO_SIDED = {SEED}


def duplex_sequence(ids: list[str], per_sheet: int = 10) -> list[str]:
    """Cover and Notes, each one-page handout and Notes (a two-page one on its own sheet), then fronts
    and backs of each card sheet."""
    out = ["cover", "notes"]
    for k, exercise_id in enumerate(ids, start=1):
        out += [f"exercise {k}", f"exercise {k}" if exercise_id in TWO_SIDED else "notes"]
    return out + ["fronts", "backs"] * card_sheets(ids, per_sheet)


def jane_footer(date: str = "November 25, 2026") -> str:
    return f"Home exercise program · Jane Doe · {date}"


def handout_page(path: Path, footer: str, number: int) -> Page:
    """The first page of the program's handout of exercise *number* (1-based).

    A large-print second page carries the client in its footer ("For Jane Doe · Page 2 of 2").
    """
    found = [page for page in pages(path) if kind(page, footer) == f"exercise {number}"]
    assert found, f"no page for exercise {number}"
    return found[0]


def cover_page(path: Path) -> Page:
    return pages(path)[0]


# --- the cover's parts ---------------------------------------------------------------------------

def cover_table(page: Page) -> list[tuple[str, str, str, str]]:
    """(number, exercise, how much, notes) of each row of the cover's table, in print order."""
    header_top = next(top for top, text in page.text_lines() if text == "# Exercise How much Notes"
                      or text == "# Ejercicio Cuánto Notas")
    header = [w for w in page.words if abs(w["top"] - header_top) < 3]
    exercise_x = header[1]["x0"]
    how_x = header[2]["x0"]
    notes_x = header[-1]["x0"]
    log_top = min(w["top"] for w in page.words if w["text"] in ("Four-week", "Registro"))
    body = [c for c in page.chars if header_top + 5 < c["top"] < log_top]
    numbers = [(top, text) for top, text in text_lines([c for c in body if c["x1"] < exercise_x - 1])]
    rows = []
    for i, (top, number) in enumerate(numbers):
        bottom = numbers[i + 1][0] - 2 if i + 1 < len(numbers) else log_top
        chars = [c for c in body if top - 2 <= c["top"] < bottom]

        def cell(left, right, chars=chars):
            return " ".join(text for _, text in text_lines([c for c in chars if left - 1 <= c["x0"] < right - 1]))

        rows.append((number, cell(exercise_x, how_x), cell(how_x, notes_x), cell(notes_x, page.width)))
    return rows


def log_region(page: Page) -> tuple[float, list[tuple[float, str]]]:
    """The top of the tick log's heading and the lines of text under it."""
    top = min(w["top"] for w in page.words if w["text"] in ("Four-week", "Registro"))
    return top, page.text_lines([c for c in page.chars if c["top"] >= top - 1])


def log_boxes(page: Page) -> dict[float, list[dict]]:
    """The tick boxes under the log's heading, by row (their top)."""
    top, _ = log_region(page)
    boxes = [r for r in page.rects if r["top"] > top and abs(r["width"] - r["height"]) < 0.5
             and 8 < r["width"] < 20]
    rows: dict[float, list[dict]] = {}
    for box in boxes:
        rows.setdefault(round(box["top"], 1), []).append(box)
    return dict(sorted(rows.items()))


def log_labels(page: Page) -> list[str]:
    """The text before each row of boxes (its number and short title), each line given to the nearest row."""
    rows = log_boxes(page)
    first_box = min(b["x0"] for boxes in rows.values() for b in boxes)
    size = next(iter(rows.values()))[0]["height"]
    middles = [top + size / 2 for top in rows]
    pitch = (middles[-1] - middles[0]) / max(1, len(middles) - 1) if len(middles) > 1 else 2 * size
    chars = [c for c in page.chars if c["x1"] < first_box and c["top"] > middles[0] - pitch / 2 - 2]
    labels: list[list[str]] = [[] for _ in rows]
    for top, text in text_lines(chars):
        bottom = max(c["bottom"] for c in chars if abs(c["top"] - top) < 1)
        nearest = min(range(len(middles)), key=lambda i: abs(middles[i] - (top + bottom) / 2))
        labels[nearest].append(text)
    return [" ".join(parts) for parts in labels]


def weekday_row(page: Page) -> str:
    """The weekday names over the boxes, run together ("WeThFr...")."""
    _, lines = log_region(page)
    names = {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "Lu", "Ma", "Mi", "Ju", "Vi", "Sá", "Do"}
    for _, text in lines:
        squeezed = text.replace(" ", "")
        if len(squeezed) == 56 and all(squeezed[i:i + 2] in names for i in range(0, 56, 2)):
            return squeezed
    raise AssertionError(f"no row of 28 weekday names in the log: {lines}")


def date_row(page: Page) -> list[str]:
    _, lines = log_region(page)
    for _, text in lines:
        if len(text.split()) == 28 and all(t.isdigit() for t in text.split()):
            return text.split()
    raise AssertionError(f"no row of 28 days of the month in the log: {lines}")


# --- the handout's parts -------------------------------------------------------------------------

def dose_strip(page: Page, labels=DOSE_EN) -> dict[str, str | None]:
    """Each dose label of the strip under the title: its value, "" for a line to write on, None for neither.

    The strip may have two rows of cells (large print): each is read like the first."""
    first = labels[0]
    label_word = next(w for w in page.words if w["text"] == first and w["top"] < page.height / 3)
    out = _dose_row(page, label_word["top"])
    while len(out) < len(labels):
        below = [w for w in page.words if w["text"] == labels[len(out)].split()[0] and label_word["top"] < w["top"]
                 < page.height / 2.5 and abs(w["x0"] - label_word["x0"]) < 2]
        assert below, (labels, out)
        label_word = below[0]
        out.update(_dose_row(page, label_word["top"]))
    assert tuple(out) == tuple(labels), out
    return out


def _dose_row(page: Page, label_top: float) -> dict[str, str | None]:
    """The labels level with *label_top* and what is under each."""
    row = [c for c in page.chars if abs(c["top"] - label_top) < 1.5]
    # the labels: runs of characters split at gaps wider than a word space
    runs: list[list[dict]] = []
    for char in sorted(row, key=lambda c: c["x0"]):
        if runs and char["x0"] - runs[-1][-1]["x1"] < 8:
            runs[-1].append(char)
        else:
            runs.append([char])
    cells = [(run[0]["x0"], normalise("".join(c["text"] for c in run))) for run in runs]
    label_bottom = max(c["bottom"] for c in row)
    out: dict[str, str | None] = {}
    for i, (x, name) in enumerate(cells):
        right = cells[i + 1][0] if i + 1 < len(cells) else page.width
        value = [c for c in page.chars if x - 1 <= c["x0"] < right - 1 and label_bottom < c["top"] < label_bottom + 30]
        line = [ln for ln in page.lines if abs(ln["x0"] - x) < 2 and label_bottom < ln["top"] < label_bottom + 35
                and ln["width"] < right - x]
        if value:
            out[name] = " ".join(text for _, text in text_lines(value))
        else:
            out[name] = "" if line else None
    return out


def title_line(page: Page) -> tuple[float, str]:
    """The exercise's title: the largest type on the page."""
    largest = max(round(c["size"], 1) for c in page.chars)
    lines = text_lines([c for c in page.chars if round(c["size"], 1) == largest])
    return lines[0][0], " ".join(text for _, text in lines)


def qr_codes(path: Path, index: int, dpi: int = 200) -> list[str]:
    image = pdfium.PdfDocument(str(path))[index].render(scale=dpi / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


# === the page sequence ==========================================================================

def test_the_pages_come_cover_handouts_in_order_then_card_sheets_each_one_page_part_backed_by_notes(letter):
    pdf = letter.program("jane")
    expected = duplex_sequence(JANE_IDS)
    # SEED is listed twice: its 8 cards once, with the wall push's 2 and the bridge's 4: two sheets
    assert card_sheets(JANE_IDS, 10) == 2
    assert kinds(pdf, jane_footer()) == expected
    assert len(pypdf.PdfReader(pdf).pages) == len(expected) == 16


def test_each_handout_page_is_the_exercise_named_in_program_order(letter):
    pdf = letter.program("jane")
    titles = [title_line(handout_page(pdf, jane_footer(), k))[1] for k in range(1, 6)]
    assert titles == [title_of(i) for i in JANE_IDS]


def test_an_exercise_listed_twice_gives_its_cards_once(letter):
    pdf = letter.program("jane")
    footer = jane_footer()
    fronts = " ".join(p.text for p in pages(pdf) if kind(p, footer) == "fronts")
    backs = " ".join(p.text for p in pages(pdf) if kind(p, footer) == "backs")
    numbers = re.findall(r"\b(\d+)/(\d+)\b", fronts)
    assert len(numbers) == sum(faq_count(i) for i in dict.fromkeys(JANE_IDS)) == 14
    assert Counter(total for _, total in numbers) == {"8": 8, "2": 2, "4": 4}
    assert len(re.findall(r"\b\d+/\d+\b", backs)) == 14
    assert fronts.count("Can beginners perform this exercise?") == 1
    # in program order: the stretch's questions, then the wall push's, then the bridge's
    assert fronts.index("Can beginners") < fronts.index("How can I make it harder?") < fronts.index("¿Cuántas")


def test_the_duplex_program_asks_for_long_edge_duplex_at_actual_size_on_letter(letter):
    pdf = letter.program("jane")
    prefs = preferences(pdf)
    assert prefs["/Duplex"] == "/DuplexFlipLongEdge"
    assert prefs["/PrintScaling"] == "/None"
    assert {(round(p.width, 1), round(p.height, 1)) for p in pages(pdf)} == {(612.0, 792.0)}
    assert pypdf.PdfReader(pdf).metadata.title == "Home exercise program: Jane Doe"


def test_the_a4_program_has_every_page_a4_and_the_day_first(a4):
    pdf = a4.program("jane")
    footer = jane_footer("25 November 2026")
    assert kinds(pdf, footer) == duplex_sequence(JANE_IDS)  # A4 sheets also hold 10 business cards
    assert {(round(p.width, 1), round(p.height, 1)) for p in pages(pdf)} == {(595.3, 841.9)}
    assert "Date 25 November 2026" in cover_page(pdf).line_texts()
    assert handout_page(pdf, footer, 3).line_texts()[0] == "For Jane Doe · Exercise 3 of 5 · 25 November 2026"


def test_fold_prints_one_sided_with_no_notes_pages(fold):
    pdf = fold.program("jane")
    expected = ["cover"] + [f"exercise {k}" for k in range(1, 6)] + ["fold"] * card_sheets(JANE_IDS, 5)
    assert kinds(pdf, jane_footer()) == expected
    assert len(expected) == 9
    prefs = preferences(pdf)
    assert prefs["/Duplex"] == "/Simplex"
    assert prefs["/PrintScaling"] == "/None"
    assert {(round(p.width, 1), round(p.height, 1)) for p in pages(pdf)} == {(612.0, 792.0)}


def test_the_notes_page_is_ruled_for_writing_and_names_the_program(letter):
    notes = pages(letter.program("jane"))[1]
    assert notes.line_texts() == ["Notes", jane_footer()]
    ruled = [ln for ln in notes.lines if ln["width"] > notes.width / 2]
    assert len(ruled) >= 15


# === the cover ==================================================================================

def test_the_cover_names_the_program_client_clinician_date_and_clinic(letter):
    cover = cover_page(letter.program("jane"))
    lines = cover.line_texts()
    assert lines[0] == "Home exercise program" == title_line(cover)[1]  # the largest type on the page
    left = cover.line_texts([c for c in cover.chars if c["x1"] < cover.width * 0.55])
    assert "For Jane Doe" in left and "Clinician Alex Kim, PT" in left and "Date November 25, 2026" in left
    right = cover.line_texts([c for c in cover.chars if c["x0"] > cover.width * 0.55
                              and c["top"] < cover.height / 4])
    assert right[:2] == ["Riverside Physiotherapy", "555 0100"]
    (logo,) = cover.images
    assert logo["top"] < cover.height / 4 and logo["x0"] > cover.width / 2


def test_the_cover_carries_the_program_note(letter):
    cover = cover_page(letter.program("jane"))
    lines = cover.line_texts()
    assert lines[lines.index("Notes") + 1] == "Start gently and stop if the pain increases."


def test_the_cover_table_has_a_row_per_exercise_with_its_dose_and_note(letter):
    rows = cover_table(cover_page(letter.program("jane")))
    assert rows == [
        ("1", SEED_TITLE, "Sets 2 Reps 3 Hold 30 s How often twice a day Side both",
         "Keep the sacrum heavy on the mat."),
        ("2", "Seated Knee Extension", "Sets 3 Reps 5", "Right leg first."),  # its own sets, reps 5, no side
        ("3", "Wall Push-Up", "", ""),
        ("4", SEED_TITLE, "Hold 45 s", "In the evening, hold a little longer."),
        ("5", "Puente de glúteos", "", ""),
    ]


def test_the_tick_log_starts_on_the_program_day_with_28_boxes_a_row(letter):
    cover = cover_page(letter.program("jane"))
    _, lines = log_region(cover)
    assert [text for _, text in lines[:2]] == ["Four-week log", "Tick a box on each day you do the exercise."]
    assert lines[2][1] == "Week 1 Week 2 Week 3 Week 4"
    assert weekday_row(cover) == "WeThFrSaSuMoTu" * 4  # 2026-11-25 is a Wednesday
    assert date_row(cover) == [str(d) for d in [*range(25, 31), *range(1, 23)]]
    rows = log_boxes(cover)
    assert [len(boxes) for boxes in rows.values()] == [28] * len(JANE_IDS)
    # each row starts with the exercise's number and the start of its title (on one line or two)
    assert [label.split(" ", 1)[0] for label in log_labels(cover)] == ["1", "2", "3", "4", "5"]
    for label, exercise_id in zip(log_labels(cover), JANE_IDS):
        start = label.split(" ", 1)[1].rstrip("…").rstrip(".")
        assert title_of(exercise_id).startswith(start) and len(start) >= 5, label


def test_without_a_date_the_cover_shows_the_day_of_source_date_epoch(letter):
    pdf = letter.program("undated")
    cover = cover_page(pdf)
    left = cover.line_texts([c for c in cover.chars if c["x1"] < cover.width * 0.55])
    assert "Date January 1, 2026" in left
    assert weekday_row(cover) == "ThFrSaSuMoTuWe" * 4  # 2026-01-01 is a Thursday
    assert date_row(cover) == [str(d) for d in range(1, 29)]
    assert pages(pdf)[2].line_texts()[0] == "For Sam Lee · Exercise 1 of 1 · January 1, 2026"


# === each exercise's page =======================================================================

JANE_DOSES = [
    {"Sets": "2", "Reps": "3", "Hold": "30 s", "Rest": "", "How often": "twice a day", "Side": "both"},
    # the exercise's own sets 3 kept, its reps 10 replaced by 5, its side 'both' cleared to a line
    {"Sets": "3", "Reps": "5", "Hold": "", "Rest": "", "How often": "", "Side": ""},
    {label: "" for label in DOSE_EN},   # no dose anywhere: the strip, all lines to write on
    {"Sets": "", "Reps": "", "Hold": "45 s", "Rest": "", "How often": "", "Side": ""},
]
JANE_NOTES = ["Keep the sacrum heavy on the mat.", "Right leg first.", None,
              "In the evening, hold a little longer.", None]


@pytest.mark.parametrize("number", range(1, 6))
def test_each_handout_carries_the_client_the_number_and_the_date_above_the_title(letter, number):
    page = handout_page(letter.program("jane"), jane_footer(), number)
    banner_top, banner = page.text_lines()[0]
    assert banner == f"For Jane Doe · Exercise {number} of 5 · November 25, 2026"
    title_top, title = title_line(page)
    assert title == title_of(JANE_IDS[number - 1])
    assert banner_top < title_top
    assert page.text_lines()[1][1] == title


@pytest.mark.parametrize("number", range(1, 5))
def test_each_handout_prints_the_dose_prescribed_in_the_program(letter, number):
    page = handout_page(letter.program("jane"), jane_footer(), number)
    assert dose_strip(page) == JANE_DOSES[number - 1]


def test_a_cleared_part_is_not_printed_with_the_exercise_default(letter):
    page = handout_page(letter.program("jane"), jane_footer(), 2)
    title_top, _ = title_line(page)
    note_top = next(top for top, text in page.text_lines() if text.startswith("Note:"))
    header = " ".join(text for top, text in page.text_lines() if title_top < top < note_top)
    assert "both" not in header and "10" not in header  # knee-video's own side and reps


@pytest.mark.parametrize("number", range(1, 6))
def test_the_program_note_is_printed_under_the_dose(letter, number):
    page = handout_page(letter.program("jane"), jane_footer(), number)
    notes = [(top, text) for top, text in page.text_lines() if text.startswith(("Note:", "Nota:"))]
    if JANE_NOTES[number - 1] is None:
        assert notes == []
        return
    ((top, text),) = notes
    assert text == f"Note: {JANE_NOTES[number - 1]}"
    first = DOSE_EN[0]
    strip_top = next(w["top"] for w in page.words if w["text"] == first)
    assert top > strip_top
    instructions = next(w["top"] for w in page.words if w["text"] == "Instructions")
    assert top < instructions


def test_the_video_qr_code_reads_back_as_the_address(letter):
    pdf = letter.program("jane")
    knee = handout_page(pdf, jane_footer(), 2)
    assert qr_codes(pdf, pages(pdf).index(knee)) == [VIDEO]
    side = knee.line_texts([c for c in knee.chars if c["x0"] > knee.width * 0.6])
    assert "Watch the video" in side
    assert "example.org/watch?v=abc123" in "".join(side)  # the address in short form, beside the code
    push = handout_page(pdf, jane_footer(), 3)
    assert qr_codes(pdf, pages(pdf).index(push)) == []  # no video, no code


def test_the_handouts_carry_the_clinic_in_their_footer(letter):
    page = handout_page(letter.program("jane"), jane_footer(), 3)
    footer = page.line_texts([c for c in page.chars if c["top"] > page.height - 80])
    assert any("Riverside Physiotherapy" in line and "555 0100" in line for line in footer)


# === Spanish ====================================================================================

ROSA_FOOTER = "Programa de ejercicios en casa · Rosa Díaz · 25 de noviembre de 2026"


def test_a_spanish_program_has_a_spanish_cover(letter):
    pdf = letter.program("rosa")
    assert kinds(pdf, ROSA_FOOTER) == duplex_sequence(["spanish-bridge", "three-step-wall-push"])
    cover = cover_page(pdf)
    lines = cover.line_texts()
    assert title_line(cover)[1] == "Programa de ejercicios en casa"
    left = cover.line_texts([c for c in cover.chars if c["x1"] < cover.width * 0.55])
    assert {"Para Rosa Díaz", "Fisioterapeuta Ana Gómez", "Fecha 25 de noviembre de 2026"} <= set(left)
    assert lines[lines.index("Notas") + 1] == "Empiece despacio."
    assert cover_table(cover) == [
        ("1", "Puente de glúteos", "Series 2 Repeticiones 10", "Apriete los glúteos arriba."),
        ("2", "Wall Push-Up", "", "Despacio.")]
    _, log = log_region(cover)
    assert log[0][1] == "Registro de cuatro semanas"
    assert weekday_row(cover) == "MiJuViSáDoLuMa" * 4
    assert pages(pdf)[1].line_texts() == ["Notas", ROSA_FOOTER]


def test_spanish_content_prints_spanish_labels_and_english_content_keeps_english_ones(letter):
    pdf = letter.program("rosa")
    bridge = handout_page(pdf, ROSA_FOOTER, 1)
    push = handout_page(pdf, ROSA_FOOTER, 2)
    assert bridge.line_texts()[0] == "Para Rosa Díaz · Ejercicio 1 de 2 · 25 de noviembre de 2026"
    assert push.line_texts()[0] == "Para Rosa Díaz · Ejercicio 2 de 2 · 25 de noviembre de 2026"
    assert "Instrucciones" in bridge.line_texts() and "Instructions" not in bridge.line_texts()
    assert "Instructions" in push.line_texts() and "Instrucciones" not in push.line_texts()
    assert dose_strip(bridge, DOSE_ES) == {"Series": "2", "Repeticiones": "10", "Mantener": "", "Descanso": "",
                                           "Frecuencia": "", "Lado": ""}
    assert dose_strip(push, DOSE_EN) == {label: "" for label in DOSE_EN}
    assert "Nota: Apriete los glúteos arriba." in bridge.line_texts()
    # the clinician's note is part of the program, so it is labelled in the program's language
    assert "Nota: Despacio." in push.line_texts() and "Note: Despacio." not in push.line_texts()
    # in the English program too, the Spanish content keeps its own labels
    jane_bridge = handout_page(letter.program("jane"), jane_footer(), 5)
    assert "Instrucciones" in jane_bridge.line_texts()
    assert dose_strip(jane_bridge, DOSE_ES) == {label: "" for label in DOSE_ES}


def test_the_clinic_language_is_the_cover_language_of_a_program_that_names_none(tmp_path):
    root = make_library(tmp_path, exercises=("three-step-wall-push",), clinic=CLINIC + "language: es\n",
                        programs={"bo": "client: Bo\ndate: 2026-11-25\nexercises: [three-step-wall-push]\n"})
    run = _built(cli(root, "program", program_file(root, "bo")), "bo")
    cover = cover_page(run.program("bo"))
    assert title_line(cover)[1] == "Programa de ejercicios en casa"
    assert "Fecha 25 de noviembre de 2026" in cover.line_texts()


def test_without_a_clinic_the_cover_has_no_clinic_block(tmp_path):
    root = make_library(tmp_path, exercises=("three-step-wall-push",), clinic=None, programs={"sam": UNDATED})
    cover = cover_page(_built(cli(root, "program", program_file(root, "sam")), "sam").program("sam"))
    assert "Riverside" not in cover.text and cover.images == ()
    assert cover.line_texts()[0] == "Home exercise program"  # the whole width: on one line


# === large print ================================================================================

LARGE_FOOTER = jane_footer()


def test_large_print_two_page_handouts_fill_their_sheet_and_one_page_ones_get_notes(large):
    pdf = large.program("large")
    assert kinds(pdf, LARGE_FOOTER) == ["cover", "notes", "exercise 1", "exercise 1", "exercise 2", "notes",
                                        "exercise 3", "exercise 3"] + ["fronts", "backs"] * card_sheets(
        ["symbols-ankle", "three-step-wall-push", "spanish-bridge"], 10)
    assert preferences(pdf)["/Duplex"] == "/DuplexFlipLongEdge"
    assert {(round(p.width, 1), round(p.height, 1)) for p in pages(pdf)} == {(612.0, 792.0)}


def test_large_print_pages_say_which_page_of_two_they_are(large):
    texts = [p.text for p in pages(large.program("large"))]
    assert "Page 1 of 2" in texts[2] and "Page 2 of 2" in texts[3] and "(continued)" in texts[3]
    assert "Page 1 of" not in texts[4]
    assert "Página 1 de 2" in texts[6] and "Página 2 de 2" in texts[7] and "(continuación)" in texts[7]


def test_large_print_handout_body_text_is_16_pt_or_more(large):
    pdf = large.program("large")
    handouts = [p for p, k in zip(pages(pdf), kinds(pdf, LARGE_FOOTER)) if k.startswith("exercise")]
    assert len(handouts) == 5
    for page in handouts:
        sizes = Counter(round(c["size"], 1) for c in page.chars if c["top"] < page.height - 100 and c["text"].strip())
        assert sizes.most_common(1)[0][0] >= 16, sizes


def test_large_print_the_dose_and_note_are_still_printed(large):
    page = handout_page(large.program("large"), LARGE_FOOTER, 1)
    assert dose_strip(page) == {label: "" for label in DOSE_EN}
    assert "Note: Slowly." in page.line_texts()


def log_day_sizes(page: Page) -> tuple[float, float]:
    """The type of the weekday names over the tick boxes, and the boxes' size."""
    rows = log_boxes(page)
    week_rule = max(w["bottom"] for w in page.words if w["text"] == "Week")
    first_box = min(b["x0"] for boxes in rows.values() for b in boxes)
    names = [c for c in page.chars if week_rule < c["top"] < min(rows) and c["x0"] > first_box - 5
             and c["text"].isalpha()]
    assert len(names) == 56
    return min(c["size"] for c in names), min(b["width"] for boxes in rows.values() for b in boxes)


def test_the_large_print_cover_log_is_not_smaller_than_the_ordinary_one(letter, large):
    ordinary_type, ordinary_box = log_day_sizes(cover_page(letter.program("jane")))
    large_type, large_box = log_day_sizes(cover_page(large.program("large")))
    assert large_type >= ordinary_type - 0.05
    assert large_box >= ordinary_box - 0.05


def test_the_sample_program_builds_in_large_print(tmp_path):
    root = tmp_path
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copytree(REPO / "programs", root / "programs")
    run = cli(root, "program", program_file(root, "example-client"), "--large-print")
    assert run.code == 0, run.stderr
    assert run.program("example-client").is_file()


# === determinism ================================================================================

def test_building_twice_gives_the_same_bytes(lib, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first = _built(cli(lib, "program", program_file(lib, "jane"), out=str(tmp_path / "one")), "jane")
    second = _built(cli(lib, "program", program_file(lib, "jane"), out=str(tmp_path / "two")), "jane")
    assert first.program("jane").read_bytes() == second.program("jane").read_bytes()


def test_the_program_command_and_the_build_command_write_the_same_pdf(lib, letter, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    alone = _built(cli(lib, "program", program_file(lib, "jane"), out=str(tmp_path / "alone")), "jane")
    assert alone.program("jane").read_bytes() == letter.program("jane").read_bytes()


# === mistakes ===================================================================================

TYPO_GOOD = "client: Jane Doe\ndate: 2026-11-25\nexercises:\n  - seated-knee-extension\n  - id: three-step-wall-push\n"
TYPO_BAD = "client: Jane Doe\ndate: 2026-11-25\nexercises:\n  - seated-knee-extension\n  - id: wall-push\n"
BROKEN = "title: Broken\nsummary: No steps.\n"


@pytest.fixture(scope="module")
def failing(tmp_path_factory):
    """A library built once with a good typo.yaml, then again with its id misspelt, an exercise with
    errors named by another program, an exercise too long for a program's page, and two good programs."""
    root = make_library(tmp_path_factory.mktemp("failing"),
                        exercises=("three-step-wall-push", "seated-knee-extension", "long-shoulder-rehab"),
                        programs={"typo": TYPO_GOOD, "good": "client: Al\ndate: 2026-11-25\nexercises: [knee-video]\n"})
    first = _built(cli(root, "build"), "typo", "good")
    old = first.program("typo").read_bytes()
    (root / "programs" / "typo.yaml").write_text(TYPO_BAD, encoding="utf-8")
    (root / "content" / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (root / "programs" / "uses-broken.yaml").write_text(
        "client: Bo\ndate: 2026-11-25\nexercises:\n  - three-step-wall-push\n  - broken\n", encoding="utf-8")
    (root / "programs" / "too-long.yaml").write_text(
        "client: Cy\ndate: 2026-11-25\nexercises:\n  - id: long-shoulder-rehab\n"
        "    notes: Only with the lightest band for the first two weeks, and stop at the first twinge.\n",
        encoding="utf-8")
    (root / "programs" / "fresh.yaml").write_text(
        "client: Di\ndate: 2026-11-25\nexercises: [three-step-wall-push]\n", encoding="utf-8")
    second = cli(root, "build")
    return root, old, second


def test_an_unknown_id_is_one_located_line_with_the_nearest_id(failing):
    root, _, run = failing
    assert run.code == 1
    lines = [ln for ln in run.stderr.splitlines() if "typo.yaml" in ln]
    assert lines == [f"{root / 'programs' / 'typo.yaml'}:5: exercises, exercise 2, id: no exercise 'wall-push' "
                     f"in the library; did you mean 'three-step-wall-push'?"]


def test_a_program_with_a_mistake_leaves_its_older_pdf_as_it_was(failing):
    root, old, run = failing
    assert run.code == 1
    assert (run.out_dir / "programs" / "typo.pdf").read_bytes() == old


def test_a_program_naming_an_exercise_with_errors_is_not_built_and_says_so(failing):
    root, _, run = failing
    assert not run.program("uses-broken").exists()
    lines = [ln for ln in run.stderr.splitlines() if "uses-broken.yaml" in ln]
    assert lines == [f"{root / 'programs' / 'uses-broken.yaml'}:5: exercises, exercise 2, id: exercise 'broken' "
                     f"has errors (reported above); the program is built when it is fixed"]
    assert any(ln.startswith(f"{root / 'content' / 'broken.yaml'}:") for ln in run.stderr.splitlines())


def test_an_exercise_too_long_for_one_side_never_fails_its_program(failing):
    """16 steps and 14 tips with a client's dose and note: the back of the sheet, not a failed program."""
    root, _, run = failing
    assert run.program("too-long").is_file()
    assert not [ln for ln in run.stderr.splitlines() if "too-long.yaml" in ln]
    assert kinds(run.program("too-long"), "Home exercise program · Cy · November 25, 2026")[:4] == [
        "cover", "notes", "exercise 1", "exercise 1"]


def test_the_good_programs_of_a_failing_build_are_still_built(failing):
    root, _, run = failing
    assert run.program("fresh").is_file() and run.program("good").is_file()
    assert kinds(run.program("fresh"), "Home exercise program · Di · November 25, 2026") == [
        "cover", "notes", "exercise 1", "notes", "fronts", "backs"]
    summary = run.stderr.splitlines()[-1]
    # fresh.yaml is built; good.yaml, unchanged since the first build, is not built again
    assert "and 2 programs in" in summary and "3 failed" in summary  # broken.yaml and two programs
    assert "5 unchanged" in summary  # the three exercises, knee-video and good.yaml


def test_the_program_command_writes_no_pdf_for_a_program_with_a_mistake(tmp_path):
    root = make_library(tmp_path, exercises=("three-step-wall-push", "seated-knee-extension"),
                        programs={"typo": TYPO_BAD})
    run = cli(root, "program", program_file(root, "typo"))
    assert run.code == 1
    assert run.stderr.splitlines()[0].endswith("typo.yaml:5: exercises, exercise 2, id: no exercise 'wall-push' in "
                                               "the library; did you mean 'three-step-wall-push'?")
    assert not (run.out_dir / "programs").exists() or not list((run.out_dir / "programs").iterdir())


def test_a_deleted_program_loses_its_pdf_on_a_whole_build_only(tmp_path):
    root = make_library(tmp_path, exercises=("three-step-wall-push",),
                        programs={"stays": UNDATED, "goes": UNDATED.replace("Sam Lee", "Ann Roe")})
    first = _built(cli(root, "build"), "stays", "goes")
    (root / "programs" / "goes.yaml").unlink()
    named = cli(root, "build", str(root / "content" / "three-step-wall-push.yaml"))
    assert named.code == 0, named.stderr
    assert first.program("goes").is_file()  # a build of named files leaves the programs alone
    whole = cli(root, "build")
    assert whole.code == 0, whole.stderr
    assert not first.program("goes").exists() and first.program("stays").is_file()
    assert f"removed {first.program('goes')}: its program file is gone" in whole.stdout


def test_a_build_of_named_files_builds_no_programs(tmp_path):
    root = make_library(tmp_path, exercises=("three-step-wall-push",), programs={"sam": UNDATED})
    run = cli(root, "build", str(root / "content" / "three-step-wall-push.yaml"))
    assert run.code == 0, run.stderr
    assert (run.out_dir / "handouts" / "three-step-wall-push.pdf").is_file()
    assert not (run.out_dir / "programs").exists()
    assert "program" not in run.stdout


# === warnings of a programs-only build ============================================================

def test_the_program_command_warns_of_a_missing_picture(tmp_path):
    root = make_library(tmp_path, exercises=(SEED,), programs={"sam": f"client: Sam\nexercises: [{SEED}]\n"})
    (root / "assets" / f"{SEED}.png").unlink()
    run = _built(cli(root, "program", program_file(root, "sam")), "sam")
    assert f"{SEED}.png not found" in run.stderr


def test_the_program_command_lists_fallback_fonts_once_in_its_summary(tmp_path):
    root = make_library(tmp_path, exercises=("symbols-ankle",),
                        programs={"sam": "client: Sam\nexercises: [symbols-ankle]\n"})
    run = _built(cli(root, "program", program_file(root, "sam")), "sam")
    assert "Inter" not in run.stderr  # nothing for anyone to fix: not a warning
    listed = [line for line in run.stdout.splitlines() if line.startswith("printed in a fallback font")]
    assert len(listed) == 1 and "'→' (U+2192 RIGHTWARDS ARROW)" in listed[0] and "in Inter" in listed[0]


# === incremental: a program is rebuilt only when what it is made from changed =====================

def built_programs(run: Run) -> list[str]:
    """The programs a build wrote, by name, from its "program: ..." lines."""
    return sorted(Path(line.split("program: ", 1)[1]).stem for line in (run.stdout + run.stderr).splitlines()
                  if line.startswith("program: "))


@pytest.fixture
def steady(tmp_path, monkeypatch):
    """A library with two programs, built once, a day's date fixed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_library(tmp_path, exercises=(SEED, "three-step-wall-push", "spanish-bridge"), programs={
        "ann": f"client: Ann\nexercises: [{SEED}]\n",   # no date: the day of SOURCE_DATE_EPOCH
        "ben": "client: Ben\ndate: 2026-11-25\nexercises: [three-step-wall-push]\n"})
    first = cli(root, "build")
    assert first.code == 0 and built_programs(first) == ["ann", "ben"], first.stderr
    return root


def test_a_build_with_nothing_changed_rebuilds_no_program(steady):
    before = {name: (steady / "out" / "programs" / f"{name}.pdf").stat().st_mtime_ns for name in ("ann", "ben")}
    again = cli(steady, "build")
    assert again.code == 0 and built_programs(again) == []
    assert "built 0 handouts, 0 cards in" not in again.stdout
    assert "6 unchanged" in again.stdout  # four exercises (knee-video too) and two programs
    after = {name: (steady / "out" / "programs" / f"{name}.pdf").stat().st_mtime_ns for name in ("ann", "ben")}
    assert after == before


@pytest.mark.parametrize("change, rebuilt", [
    ("the program file", ["ben"]),
    ("an exercise it names", ["ben"]),
    ("an exercise it does not name", []),
    ("a picture of its exercise", ["ann"]),
    ("its PDF, deleted", ["ben"]),
    ("the day, for a program without a date", ["ann", "ben"]),  # SOURCE_DATE_EPOCH: every PDF's creation date
    ("the paper", ["ann", "ben"]),
])
def test_a_program_is_rebuilt_when_what_it_is_made_from_changes(steady, monkeypatch, change, rebuilt):
    args: list[str] = []
    if change == "the program file":
        path = steady / "programs" / "ben.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "notes: Two sets only.\n", encoding="utf-8")
    elif change == "an exercise it names":
        path = steady / "content" / "three-step-wall-push.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Stand", "Stand up", 1), encoding="utf-8")
    elif change == "an exercise it does not name":
        path = steady / "content" / "spanish-bridge.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    elif change == "a picture of its exercise":
        picture = steady / "assets" / f"{SEED}.png"
        Image.open(picture).convert("L").convert("RGB").save(picture)
    elif change == "its PDF, deleted":
        (steady / "out" / "programs" / "ben.pdf").unlink()
    elif change == "the day, for a program without a date":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400))
    elif change == "the paper":
        args = ["--paper", "a4"]
    run = cli(steady, "build", *args)
    assert run.code == 0, run.stderr
    assert built_programs(run) == rebuilt
    assert all((steady / "out" / "programs" / f"{name}.pdf").is_file() for name in ("ann", "ben"))


def test_an_unchanged_program_repeats_its_warnings(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_library(tmp_path, exercises=(SEED,), programs={
        "ann": f"client: Ann\ndate: 2026-11-25\nexercises: [{SEED}]\nnotez: x\n"})
    first, second = cli(root, "build"), cli(root, "build")
    warned = [[ln for ln in run.stderr.splitlines() if "ann.yaml" in ln] for run in (first, second)]
    assert warned[0] and warned[0] == warned[1]
    assert built_programs(second) == []


def test_a_build_of_named_files_keeps_the_record_of_the_programs(steady):
    assert cli(steady, "build", str(steady / "content" / "spanish-bridge.yaml")).code == 0
    assert built_programs(cli(steady, "build")) == []


def test_a_large_print_program_names_the_clinic_on_its_first_page_and_the_client_on_the_others(tmp_path):
    """The clinic is printed on the first page of a two-page handout; the second, the back of the
    same sheet, names the exercise and the client in one footer line, leaving the body its room."""
    root = make_library(tmp_path, exercises=(SEED,), programs={
        "jo": f"client: Jo\ndate: 2026-11-25\nexercises:\n  - id: {SEED}\n"
              "    dose: {sets: 2, reps: 3, hold: 30 s, frequency: twice a day, side: both}\n"
              "    notes: Keep the sacrum heavy on the mat.\n"})
    run = _built(cli(root, "program", program_file(root, "jo"), "--large-print"), "jo")
    handout = [p for p in pages(run.program("jo"))[2:] if re.search(r"Page \d+ of \d+", p.text)]
    count = len(handout)
    assert count >= 2
    assert f"Page 1 of {count}" in handout[0].text and "Riverside Physiotherapy" in handout[0].text
    for number, page in enumerate(handout[1:], start=2):
        assert page.line_texts()[-1].endswith(f"For Jo · Page {number} of {count}")
        assert "Riverside" not in page.text and "Reclining Lower Trunk Extensor Stretch" in page.line_texts()[-2]


@pytest.mark.slow
def test_programs_built_in_parallel_are_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    programs = {f"p{n}": f"client: Client {n}\nexercises: [{SEED}, three-step-wall-push]\n" for n in range(4)}
    root = make_library(tmp_path, exercises=(SEED, "three-step-wall-push"), programs=programs)
    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(["build", "--content", str(root / "content"), "--assets", str(root / "assets"),
                     "--out", str(root / "parallel"), "--jobs", "2"])
    assert code == 0, stderr.getvalue()
    serial = cli(root, "build", out="serial")
    assert serial.code == 0
    for name in programs:
        assert (root / "parallel" / "programs" / f"{name}.pdf").read_bytes() == serial.program(name).read_bytes()


# --- line breaks and lists in answers (issue 13, part 6) ---------------------------------------

LINES = REPO / "tests" / "data" / "line-breaks" / "standing-balance-week.yaml"


@pytest.mark.parametrize("fold_cards", [False, True], ids=["duplex", "fold"])
def test_a_programs_cards_print_an_answers_lines_and_a_list_as_bullets(tmp_path, fold_cards):
    root = make_library(tmp_path / "lib", exercises=(), clinic=None,
                        programs={"maria": f"client: Maria\nexercises:\n  - {LINES.stem}\n"})
    shutil.copy(LINES, root / "content")
    run = _built(cli(root, "program", program_file(root, "maria"), *(["--fold"] if fold_cards else [])), "maria")
    assert "warning" not in run.stderr, run.stderr
    lines = [text for page in pages(run.program("maria")) for half in (0, 1)  # a column of cards at a time
             for text in page.line_texts([c for c in page.chars if (c["x0"] >= page.width / 2) == half])]
    at = lines.index("Monday: both feet")
    assert lines[at:at + 3] == ["Monday: both feet", "Wednesday: one foot", "Friday: rest"]
    bulleted = [text for text in lines if text.startswith("• ")]
    assert "• Shoes with a good grip, or bare feet" in bulleted and "• Water & a towel, within reach" in bulleted
    assert len([t for t in bulleted if t.startswith("• Week ")]) == 8


def test_a_program_dated_9999_and_another_programs_mistake_are_both_reported(tmp_path):
    root = make_library(tmp_path, exercises=(SEED,), programs={
        "far": f"client: Far\ndate: 9999-12-31\nexercises: [{SEED}]\n",
        "typo": "client: Typo\nexercises: [no-such-exercise]\n"})
    run = cli(root, "build")
    assert run.code == 1
    assert "far.yaml:2: date: 9999-12-31 is not a date a program is given on" in run.stderr
    assert "typo.yaml:" in run.stderr and "internal error" not in run.stderr
