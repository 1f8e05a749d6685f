"""The card layout, before any PDF: sizes, splitting, centring, footers, escaping, errors.

The read-back tests (test_cards_pdf.py) prove where the cards land on paper; these
prove the decisions the layout makes for one card face, with exact numbers.
"""

from __future__ import annotations

import re

import pytest
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics

from handouts.layout.card_sheet import CARD_SIZES
from handouts.errors import LayoutOverflowError
from handouts.style.fonts import fonts
from handouts.layout.answer_parts import blocks, pack, pieces
from handouts.layout.cards import _shorten, layout_cards
from handouts.content.load import parse_yaml
from handouts.content.exercise import validate
from handouts.style.theme import DEFAULT_THEME

LONG_ANSWER = " ".join(
    f"Sentence {i} explains one more detail about how the exercise should feel on a good day." for i in range(14))


def exercise(faq: list[tuple[str, str]], title: str = "Wall Push-Up", language: str = "en"):
    lines = [f"title: {title!r}", f"language: {language}", "instructions:", "  - Push.", "faq:"]
    for q, a in faq:
        lines += [f"  - question: {q!r}", f"    answer: {a!r}"]
    ex, _ = validate(parse_yaml("\n".join(lines) + "\n", "x.yaml"), "x")
    return ex


def cards_for(ex, size: str = "business"):
    card = CARD_SIZES[size]
    return layout_cards(ex, (card.width, card.height), DEFAULT_THEME.card_style(size), DEFAULT_THEME, fonts(),
                        card.label)


def plain(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def face_texts(face) -> list[str]:
    return [plain(p.flowable.text) for p in face.placed]


def test_short_question_and_answer_make_one_card_at_the_largest_size():
    layout = cards_for(exercise([("How many?", "Ten, twice a day.")]))
    assert len(layout.cards) == 1
    card = layout.cards[0]
    style = DEFAULT_THEME.card_style("business")
    assert (card.front.size, card.back.size) == (style.question_size, style.answer_size)
    assert (card.number, card.total, card.part, card.parts) == (1, 1, 1, 1)
    assert face_texts(card.front) == ["How many?", "Wall Push-Up", "1/1"]
    assert face_texts(card.back) == ["Ten, twice a day.", "Wall Push-Up", "1/1"]


def test_a_longer_answer_shrinks_but_stays_on_one_card_above_the_floor():
    medium = " ".join(LONG_ANSWER.split()[:70])
    card = cards_for(exercise([("Q?", medium)])).cards
    assert len(card) == 1
    style = DEFAULT_THEME.card_style("business")
    assert style.min_size <= card[0].back.size < style.answer_size


@pytest.mark.parametrize("size", list(CARD_SIZES))
def test_every_face_keeps_its_text_inside_the_padding(size):
    layout = cards_for(exercise([("How many?", "Ten."), ("Why?", LONG_ANSWER)]), size)
    card = CARD_SIZES[size]
    pad = DEFAULT_THEME.card_style(size).padding
    for c in layout.cards:
        for face in (c.front, c.back):
            for p in face.placed:
                _, height = p.flowable.wrap(p.width, 1e9)
                assert p.x >= pad - 0.01 and p.x + p.width <= card.width - pad + 0.01
                assert p.top <= card.height - pad + 0.01 and p.top - height >= pad - 0.01


def test_an_answer_too_long_for_one_card_continues_at_one_size_without_losing_a_word():
    layout = cards_for(exercise([("Why?", LONG_ANSWER)]))
    cards = layout.cards
    count = len(cards)
    assert count >= 2
    assert [c.part for c in cards] == list(range(1, count + 1)) and {c.parts for c in cards} == {count}
    assert len({c.back.size for c in cards}) == 1  # one size on every card
    assert cards[0].back.size >= 9  # it continues rather than going below 9 pt on a business card
    texts_ = [face_texts(c.back) for c in cards]
    assert texts_[0][1] == f"continued on card 2/{count}"
    assert texts_[1][0] == "(continued)"
    assert " ".join([texts_[0][0]] + [t[1] for t in texts_[1:]]) == LONG_ANSWER
    # the chunks break at a sentence end
    assert texts_[0][0].endswith(".")
    assert face_texts(cards[1].front)[:2] == ["Why?", "(continued)"]


def test_an_answer_that_needs_two_business_cards_fits_one_index_card():
    answer = ". ".join(LONG_ANSWER.split(". ")[:8]) + "."
    assert len(cards_for(exercise([("Why?", answer)])).cards) == 2
    assert len(cards_for(exercise([("Why?", answer)]), "index").cards) == 1


def test_cards_are_numbered_across_the_exercise():
    layout = cards_for(exercise([("A?", "a."), ("B?", LONG_ANSWER), ("C?", "c.")]))
    total = len(layout.cards)
    parts = total - 2
    assert [(c.question, c.part, c.number, c.total) for c in layout.cards] == (
        [(0, 1, 1, total)] + [(1, k, k + 1, total) for k in range(1, parts + 1)] + [(2, 1, total, total)])
    assert face_texts(layout.cards[-1].back)[-1] == f"{total}/{total}"


def test_the_cards_of_one_exercise_share_one_size_on_each_side():
    """A long answer does not set its card smaller than the others: every answer at one size, every question at one."""
    layout = cards_for(exercise([("A?", "a."), ("How long until I feel a difference?", LONG_ANSWER[:500]),
                                 ("C?", "Short.")]))
    assert len({c.back.size for c in layout.cards}) == 1
    assert len({c.front.size for c in layout.cards}) == 1


def test_short_text_is_centred_on_the_card_both_ways():
    card = cards_for(exercise([("How many?", "Ten.")])).cards[0]
    business = CARD_SIZES["business"]
    question = card.front.placed[0]
    size = question.flowable.style.fontSize
    # optical centre: from the baseline (one type size under the line's top) up to the cap height
    cap = pdfmetrics.getFont(question.flowable.style.fontName).face.capHeight / 1000
    baseline = question.top - size
    assert baseline + cap * size / 2 == pytest.approx(business.height / 2, abs=0.01)
    assert question.x + question.width / 2 == pytest.approx(business.width / 2, abs=0.01)
    answer = card.back.placed[0]
    # the answer is a block of left-aligned lines, as wide as its text, centred across the card
    assert answer.width < business.width / 3
    assert answer.x + answer.width / 2 == pytest.approx(business.width / 2, abs=0.01)


def test_a_long_title_is_shortened_in_the_footer_with_an_ellipsis():
    title = "Banded Shoulder External Rotation With Towel Roll And A Very Long Name Indeed For Cards"
    card = cards_for(exercise([("Q?", "A.")], title=title)).cards[0]
    footer = face_texts(card.front)[1]
    assert footer.endswith("…") and title.startswith(footer[:-1])
    assert len(footer) < len(title)


def test_shorten_keeps_whole_words_and_falls_back_to_cutting_one():
    assert _shorten("one two three", lambda t: len(t) <= 20) == "one two three"
    assert _shorten("one two three", lambda t: len(t) <= 9) == "one two…"
    assert _shorten("abcdefghij", lambda t: len(t) <= 5) == "abcd…"


def chunk_text(chunk) -> str:
    return "\n\n".join(block.text for block in blocks(chunk, listed=False))


def test_pack_splits_an_endless_sentence_at_words_and_keeps_every_word():
    words = [f"word{i}" for i in range(50)]
    chunks = pack(pieces(" ".join(words)), lambda chunk: len(chunk_text(chunk)) <= 60)
    assert all(len(chunk_text(c)) <= 60 for c in chunks)
    assert " ".join(map(chunk_text, chunks)).split() == words


def test_markup_in_questions_and_answers_prints_as_typed():
    card = cards_for(exercise([("Is <b>R&D</b> ok?", 'Use <img src="x.png"/> & rest.')])).cards[0]
    assert "&lt;b&gt;R&amp;D&lt;/b&gt;" in card.front.placed[0].flowable.text
    assert face_texts(card.front)[0] == "Is <b>R&D</b> ok?"
    assert face_texts(card.back)[0] == 'Use <img src="x.png"/> & rest.'


def test_characters_from_the_fallback_font_are_noticed_against_their_field_not_warned():
    layout = cards_for(exercise([("Knee → toe?", "Yes.")]))
    assert ("faq, question 1, question", "fonts", "printed in Inter: →") in layout.notices
    assert not layout.notes


def test_a_question_too_long_for_any_card_face_is_an_error_naming_the_field():
    question = "Why " + "does it feel stiff in the morning and sore after a long walk " * 20 + "?"
    with pytest.raises(LayoutOverflowError) as info:
        cards_for(exercise([("Fine?", "Yes."), (question, "Because.")]))
    problem = info.value.problems[0]
    assert problem.field == "faq, question 2, question"
    assert "does not fit on a 3.5 x 2 in business card even at 9 pt" in problem.message
    assert "--card-size" in problem.message


def test_answers_continue_before_going_below_9_pt_on_business_cards_and_10_on_index_and_a7():
    style = DEFAULT_THEME.card_style("business")
    assert style.min_size == 9 and style.footer_size >= 7
    assert DEFAULT_THEME.card_style("index").min_size == DEFAULT_THEME.card_style("a7").min_size == 10
    assert DEFAULT_THEME.card_style("business").padding >= 0.12 * inch  # room for drift and miscut


def test_continuation_notes_follow_the_content_language():
    cards = cards_for(exercise([("¿Por qué?", LONG_ANSWER)], language="es")).cards
    assert face_texts(cards[0].back)[1] == f"continúa en la tarjeta 2/{len(cards)}"
    assert face_texts(cards[1].back)[0] == "(continuación)"
    assert face_texts(cards[1].front)[:2] == ["¿Por qué?", "(continuación)"]


# --- line breaks and lists (issue 13, part 6) ---------------------------------------------------

def dumped(faq: list[tuple[str, str | list[str]]], language: str = "en"):
    """An exercise with *faq*, written as YAML by PyYAML: line breaks and lists as a file would hold them."""
    import yaml

    data = {"title": "Balance", "language": language, "instructions": ["Stand."],
            "faq": [{"question": q, "answer": a} for q, a in faq]}
    ex, _ = validate(parse_yaml(yaml.safe_dump(data, allow_unicode=True), "x.yaml"), "x")
    return ex


def answer_placed(card):
    """The answer's paragraphs on a back, in order (notes and footer left out)."""
    return [p for p in card.back.placed if p.flowable.style.name.startswith(("answer", "point"))]


def test_lines_of_an_answer_too_long_for_one_card_are_split_between_lines_and_keep_their_breaks():
    lines = [f"Day {i}: walk for {i + 5} minutes, then rest for a while" for i in range(1, 15)]
    cards = cards_for(dumped([("What is the plan?", "\n".join(lines))])).cards
    assert len(cards) >= 2
    texts_ = [answer_placed(c)[0].flowable.text for c in cards]
    assert all(not t.startswith("<br/>") and not t.endswith("<br/>") for t in texts_)
    assert "<br/>".join(texts_).split("<br/>") == lines  # every line whole, each on a line of its own


def test_a_point_too_long_for_one_card_continues_without_a_second_bullet_at_the_same_indent():
    long_point = " ".join(f"Sentence {i} says one more thing about standing tall." for i in range(20))
    cards = cards_for(dumped([("What matters?", ["Short first point.", long_point, "Last point."])])).cards
    paras = [(p.flowable.bulletText, plain(p.flowable.text)) for c in cards for p in answer_placed(c)]
    assert [bullet for bullet, _ in paras].count("•") == 3
    assert None in [bullet for bullet, _ in paras], "the long point went on to another card"
    for c in cards:  # on each card, a continued point hangs where the others do
        assert len({(round(p.x, 2), p.flowable.style.leftIndent) for p in answer_placed(c)}) == 1
    assert " ".join(t for _, t in paras) == f"Short first point. {long_point} Last point."


def test_markup_typed_in_a_point_prints_as_typed():
    card = cards_for(dumped([("Safe?", ['<b>Not bold</b> & <br/> "x"', "a\nb"])])).cards[0]
    first, second = answer_placed(card)
    assert "&lt;b&gt;Not bold&lt;/b&gt; &amp; &lt;br/&gt;" in first.flowable.text
    assert plain(first.flowable.text) == '<b>Not bold</b> & <br/> "x"'
    assert second.flowable.text == "a<br/>b"  # the only <br/> is the one for the line break typed


def test_a_word_too_wide_for_the_card_is_hyphenated_without_breaking_the_line_breaks():
    word = "Oberschenkelmuskulaturdehnungsübungsanleitung"
    card = cards_for(dumped([("Wie?", f"Montag: {word}\nMittwoch: Pause")], language="de"), "a7").cards[0]
    (answer,) = answer_placed(card)
    assert answer.flowable.text.count("<br/>") == 1
    assert "\u00ad" in answer.flowable.text.split("<br/>")[0]  # hyphenation points in the compound
    assert answer.flowable.text.split("<br/>")[1] == "Mittwoch: Pause"


def test_a_list_that_fits_one_card_only_at_a_smaller_size_is_shrunk_not_split():
    points = [f"Week {i}: one more small change to the practice" for i in range(1, 7)]
    style = DEFAULT_THEME.card_style("business")
    cards = cards_for(dumped([("How does it build up?", points)])).cards
    assert len(cards) == 1 and style.min_size <= cards[0].back.size < style.answer_size
    assert [plain(p.flowable.text) for p in answer_placed(cards[0])] == points


def test_an_answer_held_as_points_is_set_as_bullets_hanging_from_one_edge_and_lines_as_lines():
    """The layout's side of the model: points and line breaks as the content holds them."""
    import dataclasses

    from handouts.content.exercise import FaqItem

    ex = dataclasses.replace(exercise([("Q?", "A.")]), faq=(
        FaqItem("What do I need?", ("A sturdy chair", "Shoes with a good grip, or bare feet on a clear floor")),
        FaqItem("Which days?", "Monday: both feet\nFriday: rest\n\nRest on the other days.")))
    points, lines = (c.back for c in cards_for(ex).cards)
    paras = [p for p in points.placed if p.flowable.style.name.startswith("point")]
    assert [(p.flowable.bulletText, plain(p.flowable.text)) for p in paras] == [
        ("•", "A sturdy chair"), ("•", "Shoes with a good grip, or bare feet on a clear floor")]
    assert len({(p.x, p.width, p.flowable.style.leftIndent) for p in paras}) == 1  # one block, one hanging indent
    assert paras[0].flowable.style.leftIndent >= points.size
    answer = [p for p in lines.placed if p.flowable.style.name.startswith("answer")]
    assert [p.flowable.text for p in answer] == ["Monday: both feet<br/>Friday: rest", "Rest on the other days."]
    assert answer[0].x == answer[1].x  # a blank line starts a paragraph of the same block
