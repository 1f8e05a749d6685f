"""The deck made a sheet at a time from kept card plans is the deck made all at once.

The deck (``outputs/deck.py``) no longer lays every card out in the build's parent and draws
them in one go: each card file's making keeps what fitting its cards decided
(``outputs/card_plans.py``), and the deck task sets each exercise's cards from that and draws
each sheet as it fills.  These tests make decks of several exercises (continued answers, a
list answer, a sentence split between cards, a long title; letter and A4, business, index and
A7 cards, duplex and fold-over) and prove, on the PDF bytes:

* the streamed deck, with the plans kept or with none kept, is byte for byte the deck made
  the old way: every card laid out and fitted in memory, then drawn, each page's stream left
  to ReportLab to compress at ``save``;
* the kept plans are used (the deck then fits nothing; and a plan changed on disk changes
  the deck), and a plan or a card count that is wrong makes the deck start again, not a wrong deck;
* it holds one sheet of cards (and one exercise's) at a time, not the library's;
* the build's process plans it without parsing anything, and the task it sends is light.
"""

from __future__ import annotations

import gc
import json
import pickle
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from hypothesis import given, settings as hsettings, strategies as st
from reportlab.pdfgen.canvas import Canvas

from conftest import EXERCISE_FILES
from handouts.build.gather import content_files
from handouts.content.clinic import Clinic
from handouts.layout import cards as layout_cards_module
from handouts.layout.answer_parts import Piece, blocks, pack, pieces
from handouts.layout.card_plan import CardPlan, chunks_from, cuts_of
from handouts.layout.card_sheet import make_sheet
from handouts.layout.cards import Card
from handouts.outputs import card_plans
from handouts.outputs.base import OutputSettings, Source, content_source
from handouts.outputs.card_file import CardFileTask
from handouts.outputs.deck import Deck, DeckTask
from handouts.render import cards as render_cards
from handouts.render.exercise import deck_pdf, in_language, lay_out_cards
from handouts.style.theme import DEFAULT_THEME

#: Exercises besides the test data's: a list answer, a sentence too long for one card (split at its
#: words), line breaks, a title that must be shortened on small cards, and one in Spanish.
EXTRA = {
    "zz-list-answer": """title: A very long exercise title that will not fit in the footer of a small card at all
instructions:
  - Stand tall.
faq:
  - question: What do I do each day of the week?
    answer:
      - Monday and Thursday both feet, three sets of ten slow repetitions, resting a minute between the sets.
      - Tuesday and Friday the weaker side only, two sets of fifteen, slower on the way down than on the way up.
      - Wednesday rest, or a gentle walk of twenty minutes if your knee allows it without pain the next morning.
      - Saturday and Sunday as Monday, or rest if the week was hard; write down how it went in your diary.
  - question: Why?
    answer: |
      Because it works.
      Line two stays a line.

      A new paragraph after a blank line.
""",
    "zz-endless-sentence": """title: Endless
language: es
instructions:
  - Stand tall.
faq:
  - question: ¿Y si no puedo?
    answer: """ + " ".join(["una palabra más y otra palabra más"] * 40) + """
""",
}

CONFIGS = [("letter", "business", "long"), ("a4", "index", "short"), ("letter", "a7", "fold"),
           ("a4", "business", "fold")]


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    for path in EXERCISE_FILES.values():
        shutil.copy(path, folder / path.name)
    for name, text in EXTRA.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


def settings_for(out_dir: Path, paper: str, size: str, flip: str) -> OutputSettings:
    """The build's settings for a sheet; A4 sheets carry a clinic's line, which each front page prints."""
    sheet = make_sheet(paper, size, "long" if flip == "fold" else flip, fold=flip == "fold")
    clinic = Clinic("clinic.yaml", "Riverside Physiotherapy", phone="01234 567890") if paper == "a4" else None
    return OutputSettings(out_dir, out_dir, paper, sheet, DEFAULT_THEME, clinic)


def sources_of(content: Path) -> list[Source]:
    """Fresh, unparsed sources, in content order."""
    return [content_source(path) for path in content_files(content)]


def old_deck(content: Path, settings: OutputSettings) -> bytes:
    """The deck made as before: every card fitted and laid out in memory, then drawn in one go, every
    page's stream compressed by ReportLab at save (not as it ends)."""
    cards: list[Card] = []
    for source in sources_of(content):
        exercise = source.exercise()
        assert exercise is not None, source.errors
        cards += lay_out_cards(in_language(exercise, settings.language), settings.sheet, settings.theme)[0]
    exercises = len({card.exercise_id for card in cards})
    original = render_cards.end_page
    render_cards.end_page = lambda canvas: canvas.showPage()  # type: ignore[assignment]
    try:
        return deck_pdf(cards, len(cards), exercises, settings.sheet, settings.theme, settings.clinic,
                        settings.language)
    finally:
        render_cards.end_page = original


def make_card_files(content: Path, settings: OutputSettings) -> dict[str, int]:
    """What the card-file workers do: each exercise's cards laid out (their plans kept); the card counts."""
    counts = {}
    for source in sources_of(content):
        exercise = source.exercise()
        assert exercise is not None
        counts[source.stem] = CardFileTask(exercise).make(settings).count
    return counts


def task_for(content: Path, counts: dict[str, int] | None) -> DeckTask:
    sources = sources_of(content)
    if counts is None:
        return DeckTask(tuple(sources))
    with_cards = [s for s in sources if counts[s.stem]]
    return DeckTask(tuple(with_cards), tuple(counts[s.stem] for s in with_cards))


@dataclass
class FitCount:
    calls: int = 0
    refuse: bool = False


@pytest.fixture
def fits(monkeypatch) -> FitCount:
    """Counts how often card fitting runs (and with ``refuse`` makes it fail)."""
    count = FitCount()
    real = layout_cards_module._fit

    def counted(*args, **kwargs):
        count.calls += 1
        if count.refuse:
            raise AssertionError("the cards were fitted again")
        return real(*args, **kwargs)

    monkeypatch.setattr(layout_cards_module, "_fit", counted)
    return count


@pytest.fixture(scope="module")
def reference(content, tmp_path_factory) -> dict[tuple[str, str, str], bytes]:
    return {config: old_deck(content, settings_for(tmp_path_factory.mktemp("ref"), *config)) for config in CONFIGS}


@pytest.mark.parametrize("config", CONFIGS, ids="-".join)
def test_the_streamed_deck_is_the_deck_made_all_at_once(config, content, reference, tmp_path, fits):
    settings = settings_for(tmp_path, *config)
    counts = make_card_files(content, settings)
    with_faq = sum(1 for n in counts.values() if n)
    assert fits.calls == with_faq  # each exercise's cards fitted once, by its card file
    made = task_for(content, counts).make(settings)
    assert made.data == reference[config]
    assert made.count == sum(counts.values()) > settings.sheet.per_sheet  # more than one sheet
    assert fits.calls == with_faq  # and not again for the deck


@pytest.mark.parametrize("config", CONFIGS, ids="-".join)
def test_with_no_plan_kept_the_deck_fits_each_exercise_once_and_is_the_same(config, content, reference, tmp_path,
                                                                              fits):
    settings = settings_for(tmp_path, *config)
    counts = make_card_files(content, settings_for(tmp_path / "elsewhere", *config))  # kept in another folder
    fits.calls = 0
    assert task_for(content, counts).make(settings).data == reference[config]
    assert fits.calls == sum(1 for n in counts.values() if n)
    assert task_for(content, None).make(settings).data == reference[config]  # no counts: counted first
    assert len(list((tmp_path / ".cache" / "cards").glob("*.json"))) == fits.calls  # kept for the next build


def test_kept_plans_are_used(content, reference, tmp_path, fits):
    config = CONFIGS[0]
    settings = settings_for(tmp_path, *config)
    counts = make_card_files(content, settings)
    fits.refuse = True  # the deck must not fit anything: every plan was kept by its card file
    assert task_for(content, counts).make(settings).data == reference[config]
    assert task_for(content, None).make(settings).data == reference[config]

    # a plan changed on disk (still well formed, the same number of cards) changes the deck: it is read
    path = tmp_path / ".cache" / "cards" / "spanish-bridge.json"
    record = json.loads(path.read_text())
    record["question_size"] = 9
    path.write_text(json.dumps(record))
    assert task_for(content, counts).make(settings).data != reference[config]

    shutil.rmtree(tmp_path / ".cache")  # and with none kept, the same deck cannot be made without fitting
    with pytest.raises(AssertionError, match="fitted again"):
        task_for(content, counts).make(settings)


def test_a_plan_from_another_exercise_or_settings_is_not_used(content, tmp_path, fits):
    settings = settings_for(tmp_path, *CONFIGS[0])
    exercise = content_source(EXERCISE_FILES["spanish-bridge"]).exercise()
    assert exercise is not None
    card_plans.store(settings, exercise, CardPlan(9, 9, ((),) * len(exercise.faq)))
    assert card_plans.load(settings, exercise) == CardPlan(9, 9, ((),) * len(exercise.faq))
    assert card_plans.load(settings, replace(exercise, title=exercise.title + "!")) is None
    assert card_plans.load(settings, replace(exercise, language="fr")) is None
    assert card_plans.load(settings_for(tmp_path, *CONFIGS[1]), exercise) is None
    assert card_plans.load(replace(settings, language="fr"), exercise) is None
    (tmp_path / ".cache" / "cards" / "spanish-bridge.json").write_text("{not json")
    assert card_plans.load(settings, exercise) is None


@pytest.mark.parametrize("wrong", ["count", "questions", "cuts", "damaged"])
def test_a_wrong_count_or_plan_makes_the_deck_start_again_not_a_wrong_deck(wrong, content, reference, tmp_path):
    config = CONFIGS[0]
    settings = settings_for(tmp_path, *config)
    counts = make_card_files(content, settings)
    exercise = content_source(EXERCISE_FILES["long-shoulder-rehab"]).exercise()
    assert exercise is not None
    path = tmp_path / ".cache" / "cards" / "long-shoulder-rehab.json"
    if wrong == "count":
        counts["long-shoulder-rehab"] += 1
    elif wrong == "questions":  # one card per question, but for fewer questions than it has
        card_plans.store(settings, exercise, CardPlan(12, 11, ((),) * counts["long-shoulder-rehab"]))
    elif wrong == "cuts":  # as many cards, but cut past an answer's end
        plan = card_plans.load(settings, exercise)
        assert plan is not None and any(plan.cuts)
        bad = tuple(tuple((99 + i, 0) for i in range(len(cuts))) for cuts in plan.cuts)
        card_plans.store(settings, exercise, CardPlan(plan.question_size, plan.answer_size, bad))
    else:
        path.write_bytes(b"\x00" * 100)
    assert task_for(content, counts).make(settings).data == reference[config]
    assert task_for(content, None).make(settings).data == reference[config]


def test_the_deck_holds_one_sheet_of_cards_at_a_time(content, tmp_path, monkeypatch):
    """A library of 48 exercises: while a sheet is drawn, no more cards are alive than that sheet's and
    the current exercise's (all at once, every card of the library was)."""
    library = tmp_path / "library"
    library.mkdir()
    for copy in range(6):
        for path in sorted(content.glob("*.yaml")):
            text = path.read_text(encoding="utf-8").replace("title: ", f"title: {copy} ", 1)
            (library / f"{path.stem}-{copy}.yaml").write_text(text, encoding="utf-8")
    settings = settings_for(tmp_path / "out", *CONFIGS[0])
    counts = make_card_files(library, settings)
    alive: list[int] = []
    real = render_cards.draw_sheet

    def counting(canvas, group, *args, **kwargs):
        gc.collect()
        alive.append(sum(1 for o in gc.get_objects() if isinstance(o, Card)))
        return real(canvas, group, *args, **kwargs)

    monkeypatch.setattr(render_cards, "draw_sheet", counting)
    made = task_for(library, counts).make(settings)
    most_of_one = max(counts.values())
    assert made.count == sum(counts.values()) > 5 * (settings.sheet.per_sheet + most_of_one)
    assert len(alive) == -(-made.count // settings.sheet.per_sheet)
    assert max(alive) <= settings.sheet.per_sheet + most_of_one


def test_each_page_is_compressed_as_it_ends(content, tmp_path, monkeypatch):
    settings = settings_for(tmp_path, *CONFIGS[0])
    pages_held: list[list[object]] = []
    real_save = Canvas.save

    def save(canvas):
        pages_held.append([getattr(page, "stream", None) for page in canvas._doc.Pages.pages])
        return real_save(canvas)

    monkeypatch.setattr(Canvas, "save", save)
    assert task_for(content, None).make(settings).data
    (streams,) = pages_held
    assert streams and all(stream is None for stream in streams)  # no page's text left for save to compress


def test_the_build_plans_the_deck_without_parsing_and_sends_a_light_task(content, tmp_path):
    settings = settings_for(tmp_path, *CONFIGS[0])
    counts = make_card_files(content, settings)
    sources = sources_of(content)

    class Library:
        exercises: Sequence[Source] = sources

        def __init__(self) -> None:
            self.settings = settings

        def count(self, target: str) -> int:
            return counts[Path(target).stem]

        def written(self, target: str) -> str | None:
            return None

        def failed(self) -> bool:
            return False

    (planned,) = Deck().plan(Library())
    task = planned.prepare()
    assert isinstance(task, DeckTask)
    assert not any(s.parsed or s.value for s in sources)
    sent = pickle.dumps(task)
    assert len(sent) < sum(len(s.raw or b"") for s in sources) + 1000 * len(sources)  # the files' bytes, little more
    received = pickle.loads(sent)
    made = received.make(settings)
    assert made.count == sum(counts.values())
    assert not any(s.parsed or s.value for s in received.sources)  # nothing parsed kept for the whole deck


def test_a_generator_that_gives_another_number_of_cards_is_refused(content, tmp_path):
    settings = settings_for(tmp_path, *CONFIGS[0])
    source = content_source(EXERCISE_FILES["long-shoulder-rehab"])
    exercise = source.exercise()
    assert exercise is not None
    cards = lay_out_cards(exercise, settings.sheet, settings.theme)[0]
    with pytest.raises(ValueError, match="sheets"):
        deck_pdf(iter(cards), len(cards) + settings.sheet.per_sheet, 1, settings.sheet, settings.theme, None)


# --- cuts: what pack made, as a few numbers, and back -------------------------------------------------

SENTENCE = st.lists(st.text(alphabet="abcdefgh", min_size=1, max_size=9), min_size=1, max_size=14).map(
    lambda words: " ".join(words) + ".")
ANSWER = st.one_of(
    st.lists(st.lists(SENTENCE, min_size=1, max_size=5).map(" ".join), min_size=1, max_size=4).map("\n\n".join),
    st.lists(st.lists(SENTENCE, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=4).map(tuple))


def _fits(budget: int):
    return lambda chunk: sum(len(p.text) + 1 for p in chunk) <= budget


@hsettings(deadline=None, max_examples=300)
@given(answer=ANSWER, budget=st.integers(min_value=3, max_value=120))
def test_cuts_give_back_what_each_card_printed(answer, budget):
    whole = pieces(answer)
    chunks = pack(whole, _fits(budget))
    listed = isinstance(answer, tuple)
    cuts = cuts_of(whole, chunks)
    assert len(cuts) == len(chunks) - 1
    again = chunks_from(whole, cuts)
    assert [blocks(c, listed) for c in again] == [blocks(c, listed) for c in chunks]


def test_cuts_that_do_not_fit_the_answer_are_refused():
    whole = pieces("One two three. Four five.")
    assert chunks_from(whole, [(1, 0)]) == [[whole[0]], [whole[1]]]
    assert chunks_from(whole, [(0, 2)]) == [[Piece(0, "", "One two")], [Piece(0, " ", "three."), whole[1]]]
    for cuts in ([(2, 0)], [(1, 0), (1, 0)], [(0, 3)], [(0, 0)], [(1, 2)]):
        with pytest.raises(ValueError):
            chunks_from(whole, cuts)
    with pytest.raises(ValueError):
        cuts_of(whole, [[whole[0]]])


@pytest.mark.parametrize("counted", [False, True])
def test_a_question_too_long_for_a_card_is_an_error_of_the_deck_not_a_crash(counted, tmp_path):
    """Its card file would have failed, so the build never asks this; if asked, the deck says why."""
    folder = tmp_path / "content"
    folder.mkdir()
    question = " ".join(["Why does this question go on and on?"] * 30)
    (folder / "long-question.yaml").write_text(
        f"title: Long\ninstructions:\n  - Stand.\nfaq:\n  - question: {question}\n    answer: Because.\n",
        encoding="utf-8")
    settings = settings_for(tmp_path / "out", *CONFIGS[0])
    task = task_for(folder, {"long-question": 1} if counted else None)
    made = task.make(settings)
    assert made.data is None
    assert [p.field for p in made.errors] == ["faq, question 1, question"]
    assert "does not fit" in made.errors[0].message
