"""What an email edition holds (issue 16, part 1), read back from the PDFs ``--for email`` writes.

A program's email edition is the print edition's cover and handout pages, one after another,
with no Notes pages, then its cards on fold-over sheets; a handout's is its page(s) and its
cards, fold-over.  Neither asks for duplex.  Both open with their bookmarks shown (the cover,
each exercise as often as the program names it, the cards), say their title, author, subject
and language, and are dated the day the program was given (a handout: the day it was made),
or ``SOURCE_DATE_EPOCH``, so that making one again gives the same bytes.
"""

from __future__ import annotations

import datetime
import math
import re

import pytest

from email_library import (JANE_IDS, cli, faq, info, make_library, outline, page_texts, preferences, program_file,
                           title, catalog)
from conftest import SEED
from handouts.layout.card_sheet import make_sheet
from handouts.style.labels import LANGUAGES

EPOCH = "1767225600"  # 2026-01-01 00:00 UTC
FOLD_PER_SHEET = make_sheet("letter", "business", fold=True).per_sheet


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    return make_library(tmp_path_factory.mktemp("email-edition"))


@pytest.fixture(scope="module")
def email(lib):
    """``handouts build --for email`` of the whole library, with no SOURCE_DATE_EPOCH."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        before = datetime.datetime.now(datetime.timezone.utc).date()
        run = cli(lib, "build", "--for", "email")
        after = datetime.datetime.now(datetime.timezone.utc).date()
    assert run.code == 0, run.stderr
    return run, {before, after}


@pytest.fixture(scope="module")
def printed(lib):
    """The print edition of Jane's program, in a folder of its own, to compare pages with."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        run = cli(lib, "program", program_file(lib, "jane"), out="out-print")
    assert run.code == 0, run.stderr
    return run


@pytest.fixture(scope="module")
def epoch(lib):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        run = cli(lib, "build", "--for", "email", out="out-epoch")
    assert run.code == 0, run.stderr
    return run


BANNER = re.compile(r"^(?:For|Para) .+? · (?:Exercise|Ejercicio) (\d+) (?:of|de) \d+ · ")


def kinds(texts: list[str]) -> list[str]:
    """What each page is: cover, notes, exercise N (a second page too), fold, fronts or backs."""
    out: list[str] = []
    for text in texts:
        match = BANNER.match(text)
        if match:
            out.append(f"exercise {match[1]}")
        elif text.startswith("Notes "):
            out.append("notes")
        elif "fold-over cards" in text or "tarjetas para doblar" in text:
            out.append("fold")
        elif "fronts (questions)" in text or "backs (answers)" in text:
            out.append(text.split(": ")[1].split(" ")[0])
        elif not out:
            out.append("cover")
        else:  # a handout's second page: "(continued)"
            assert "(continued)" in text, text[:80]
            out.append(out[-1])
    return out


def questions(ids: list[str]) -> list[tuple[str, str]]:
    return [pair for exercise_id in dict.fromkeys(ids) for pair in faq(exercise_id)]


# --- a program -----------------------------------------------------------------------------------

def test_a_program_is_the_print_editions_cover_and_handouts_without_notes_then_fold_over_cards(email, printed):
    run, _ = email
    texts = page_texts(run.email_program("jane"))
    printed_texts = page_texts(printed.out / "programs" / "jane.pdf")
    assert "notes" in kinds(printed_texts)
    same = [text for text, kind in zip(printed_texts, kinds(printed_texts)) if kind not in ("notes", "fronts", "backs")]
    sheets = math.ceil(len(questions(JANE_IDS)) / FOLD_PER_SHEET)
    assert texts[:len(same)] == same and kinds(texts[len(same):]) == ["fold"] * sheets
    assert "notes" not in kinds(texts)


def test_a_program_asks_for_no_duplex_and_opens_with_its_bookmarks(email):
    run, _ = email
    path = run.email_program("jane")
    assert "/Duplex" not in preferences(path)
    assert preferences(path).get("/PrintScaling") == "/None"  # cards are cut: printed at actual size
    assert catalog(path)["/PageMode"] == "/UseOutlines"


def test_a_programs_outline_is_the_cover_each_exercise_in_order_and_the_cards(email):
    run, _ = email
    path = run.email_program("jane")
    page_kinds = kinds(page_texts(path))
    expected = [("Overview", 0)]
    expected += [(title(exercise_id), page_kinds.index(f"exercise {n}")) for n, exercise_id in enumerate(JANE_IDS, 1)]
    expected += [("Questions and answers", page_kinds.index("fold"))]
    assert outline(path) == expected
    assert [t for t, _ in expected].count(title(SEED)) == 2  # named twice, bookmarked twice


def test_a_programs_cards_are_fold_over_question_and_answer_on_one_page(email):
    run, _ = email
    texts = page_texts(run.email_program("jane"))
    folds = [set(text.split()) for text, kind in zip(texts, kinds(texts)) if kind == "fold"]
    for question, answer in questions(JANE_IDS):
        assert any(set(question.split()) | set(answer.split()[:6]) <= words for words in folds), question


def test_a_programs_metadata_names_the_client_the_clinic_and_the_language(email):
    run, _ = email
    found = info(run.email_program("jane"))
    assert found["/Title"] == "Home exercise program: Jane Doe"
    assert found["/Author"] == "Riverside Physiotherapy"
    assert found["/Subject"] == "Home exercise program: Jane Doe, November 25, 2026"
    assert catalog(run.email_program("jane"))["/Lang"] == "en"


def test_a_program_is_dated_the_day_it_was_given(email):
    run, _ = email
    found = info(run.email_program("jane"))
    assert found["/CreationDate"] == found["/ModDate"] == "D:20261125000000+00'00'"
    assert info(run.email_program("rosa"))["/CreationDate"] == "D:20260301000000+00'00'"


def test_source_date_epoch_dates_every_email_edition(epoch):
    for path in [epoch.email_program("jane"), epoch.email_program("rosa"), epoch.email_handout(SEED)]:
        assert info(path)["/CreationDate"] == info(path)["/ModDate"] == "D:20260101000000+00'00'", path.name


def test_a_spanish_program_has_spanish_bookmarks_and_language(email):
    run, _ = email
    path = run.email_program("rosa")
    assert [t for t, _ in outline(path)] == ["Resumen", title("spanish-bridge"), title("three-step-wall-push"),
                                              "Preguntas y respuestas"]
    assert catalog(path)["/Lang"] == "es"
    assert info(path)["/Title"] == "Programa de ejercicios en casa: Rosa Díaz"


def test_without_a_clinic_the_clinician_is_the_author(tmp_path):
    root = make_library(tmp_path, clinic=None)
    run = cli(root, "program", program_file(root, "jane"), "--for", "email")
    assert run.code == 0, run.stderr
    assert info(run.email_program("jane"))["/Author"] == "Alex Kim, PT"


def test_the_cards_follow_the_card_size(lib, tmp_path):
    run = cli(lib, "program", program_file(lib, "jane"), "--for", "email", "--card-size", "index",
              out=str(tmp_path / "out"))
    assert run.code == 0, run.stderr
    per_sheet = make_sheet("letter", "index", fold=True).per_sheet
    assert kinds(page_texts(run.email_program("jane"))).count("fold") == math.ceil(len(questions(JANE_IDS)) / per_sheet)


# --- a handout ----------------------------------------------------------------------------------

def test_a_handout_is_its_page_then_its_cards_fold_over(lib, email):
    run, _ = email
    texts = page_texts(run.email_handout(SEED))
    printed = cli(lib, "build", str(lib / "content" / f"{SEED}.yaml"), out="out-print-handout")
    assert texts[0] == page_texts(printed.out / "handouts" / f"{SEED}.pdf")[0]
    assert kinds(texts[1:]) == ["fold"] * math.ceil(len(faq(SEED)) / FOLD_PER_SHEET)
    folds = [set(text.split()) for text in texts[1:]]
    for question, answer in faq(SEED):
        assert any(set(question.split()) | set(answer.split()[:6]) <= words for words in folds), question


@pytest.mark.parametrize(("exercise_id", "cards", "lang"), [(SEED, "Questions and answers", "en"),
                                                           ("spanish-bridge", "Preguntas y respuestas", "es"),
                                                           ("symbols-ankle", "Questions and answers", "en")])
def test_a_handouts_outline_metadata_and_date(email, exercise_id, cards, lang):
    run, days = email
    path = run.email_handout(exercise_id)
    assert outline(path) == [(title(exercise_id), 0), (cards, 1)]
    assert catalog(path)["/PageMode"] == "/UseOutlines" and catalog(path)["/Lang"] == lang
    assert "/Duplex" not in preferences(path)
    found = info(path)
    assert (found["/Title"], found["/Author"]) == (title(exercise_id), "Riverside Physiotherapy")
    assert found["/Subject"].startswith(f"Exercise handout: {title(exercise_id)}")
    made = {f"D:{day:%Y%m%d}000000+00'00'" for day in days}  # the day it was made, at midnight UTC
    assert found["/CreationDate"] in made and found["/ModDate"] == found["/CreationDate"]


def test_a_handout_without_questions_is_its_page_alone(email):
    run, _ = email
    path = run.email_handout("seated-knee-extension")
    assert len(page_texts(path)) == 1
    assert outline(path) == [(title("seated-knee-extension"), 0)]
    assert preferences(path) == {"/DisplayDocTitle": True}


def test_a_two_page_large_print_handout_asks_for_no_duplex(lib, tmp_path):
    content = str(lib / "content" / "symbols-ankle.yaml")
    email = cli(lib, "build", content, "--large-print", "--for", "email", out=str(tmp_path / "email"))
    printed = cli(lib, "build", content, "--large-print", out=str(tmp_path / "print"))
    assert email.code == printed.code == 0, email.stderr + printed.stderr
    assert preferences(printed.out / "handouts" / "symbols-ankle.pdf")["/Duplex"] == "/DuplexFlipLongEdge"
    path = email.email_handout("symbols-ankle")
    assert "/Duplex" not in preferences(path)
    assert outline(path) == [(title("symbols-ankle"), 0), ("Questions and answers", 2)]


# --- the words -----------------------------------------------------------------------------------

@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_the_bookmarks_are_translated(language):
    labels, english = LANGUAGES[language], LANGUAGES["en"]
    assert labels.outline_cover and labels.outline_cover != english.outline_cover
    assert labels.outline_cards and labels.outline_cards != english.outline_cards
