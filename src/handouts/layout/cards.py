"""An exercise's FAQ as pocket cards, question on the front, answer on the back (no I/O).

The cards of one exercise share one type size on each side, so a deck reads evenly: the
questions are set at the largest size at which the longest fits, the answers at the
largest size that needs no more cards than the readable floor would (9 pt on business
cards, 10 pt on index and A7 cards).  An answer that does not fit one card at that size
continues on the next, split at sentence ends (at words, for one endless sentence); the
question is repeated on each further card, marked as continued.  An answer's line breaks
are printed, a blank line parts paragraphs, and an answer written as a list is printed as
bullet points with a hanging indent (:mod:`handouts.layout.answer_parts`).

Text is centred on the card both ways: questions line by line, answers as a block of
left-aligned lines (ragged centred lines are hard to read in a paragraph), its paragraphs
or points all starting at one left edge.  Where the text is too tall to be centred clear
of the footer, it is centred in the room above it.

Fitting (trying sizes, packing answers) is more than half of what laying cards out costs
(measured on the 868-exercise FAQ library, one process: 3.8 s for every card, fitting 2.2 s;
setting the same cards from their plans, 1.5 s);
what it decides is a :class:`~handouts.layout.card_plan.CardPlan`, from which
:func:`layout_cards` sets the very same cards without fitting them again (the deck does,
with the plans its card files' making kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics

from handouts.content.exercise import Exercise
from handouts.content.load import field_name
from handouts.errors import LayoutOverflowError
from handouts.layout.answer_parts import Block, Piece, pack, pieces
from handouts.layout.answer_parts import blocks as answer_blocks
from handouts.layout.card_plan import CardPlan, chunks_from, cuts_of
from handouts.layout.fit_text import narrow_cells
from handouts.layout.flowables import Placed
from handouts.layout.markup import FieldText
from handouts.layout.paragraph import Paragraph
from handouts.style.card_sizes import CardStyle
from handouts.style.fonts import FontSet
from handouts.style.labels import labels_for
from handouts.style.theme import Theme

_PLACEHOLDER_NUMBER = "88/88"  # as wide as any real card number, for fitting before numbering


@dataclass(frozen=True)
class Face:
    """One side of a card: text placed relative to the card's bottom-left corner."""

    placed: tuple[Placed, ...]
    size: float  # the type size of the question or answer on it


@dataclass(frozen=True)
class Card:
    exercise_id: str
    question: int   # index into the exercise's FAQ
    part: int       # 1 for a question's first card, 2.. for cards that continue its answer
    parts: int
    number: int     # k of n, counted over the exercise's cards
    total: int
    front: Face
    back: Face


@dataclass
class CardsLayout:
    cards: list[Card]
    notes: list[tuple[str | None, str]] = field(default_factory=list)  # (field, warning)
    notices: list[tuple[str | None, str, str]] = field(default_factory=list)  # (field, kind, message): by design
    plan: CardPlan | None = None  # what fitting decided, to set the same cards again without fitting


class _CardFaces:
    """Styles and measures for one card size."""

    def __init__(self, face_size: tuple[float, float], style: CardStyle, theme: Theme, text: FieldText,
                 language: str | None = None):
        self.language = language
        self.width, self.height = face_size
        self.style, self.theme, self.text = style, theme, text
        fonts: FontSet = text.fonts
        colours = theme.colours
        self.inner_width = self.width - 2 * style.padding
        footer_leading = style.footer_size * style.footer_leading
        self.footer_band = style.footer_band  # footer line plus a gap above it
        self.body_bottom = style.padding + self.footer_band
        self.body_top = self.height - style.padding
        self.footer = ParagraphStyle("card_footer", fontName=fonts.regular, fontSize=style.footer_size,
                                     leading=footer_leading, textColor=HexColor(colours.muted))
        self.footer_right = ParagraphStyle("card_number", self.footer, alignment=TA_RIGHT)
        self.note = ParagraphStyle("card_note", self.footer, alignment=TA_CENTER)
        self._titles: dict[tuple[str, float], Paragraph] = {}  # (title, room) -> its footer paragraph
        self._question = ParagraphStyle("question", fontName=fonts.bold, textColor=HexColor(colours.heading),
                                        alignment=TA_CENTER)
        self._answer = ParagraphStyle("answer", fontName=fonts.regular, textColor=HexColor(colours.text),
                                      alignment=TA_LEFT)
        self._point = ParagraphStyle("point", self._answer, bulletFontName=fonts.regular, bulletIndent=0,
                                     bulletColor=HexColor(colours.text))

    def _set(self, markup: str, base: ParagraphStyle, size: float, bullet: str | None = None,
             **indents: float) -> Paragraph:
        """*markup* at *size*, broken between words; a word wider than the card (a long compound,
        an address) is hyphenated with the language's dictionary rather than cut."""
        style = ParagraphStyle(base.name, base, fontSize=size, leading=size * self.style.leading, **indents)
        ((markup, style),) = narrow_cells([markup], style, self.inner_width, size, self.language)
        return Paragraph(markup, style, bulletText=bullet)

    def question(self, markup: str, size: float) -> Paragraph:
        return self._set(markup, self._question, size)

    def answer(self, markup: str, size: float, block: Block | None = None) -> Paragraph:
        """One paragraph of an answer; a point of a list hangs from its bullet (the bullet's
        room is kept for the rest of a point continued from the card before)."""
        if block is None or not block.point:
            return self._set(markup, self._answer, size)
        para = self._set(markup, self._point, size, "•" if block.bullet else None,
                         leftIndent=size * self.style.point_indent, bulletFontSize=size)
        para.in_list = True  # the points of a list sit closer together than paragraphs (gap())
        return para

    def note_line(self, text: str) -> Paragraph:
        return Paragraph(self.text("", text), self.note)

    def gap(self, before: Paragraph, para: Paragraph) -> float:
        """The space above *para*, under *before* (pt): less between two points of a list."""
        both_points = getattr(before, "in_list", False) and getattr(para, "in_list", False)
        return para.style.fontSize * (self.style.point_gap if both_points else self.style.paragraph_gap)

    def body_height(self, paras: list[Paragraph]) -> float:
        return self._stacked(paras, [p.wrap(self.inner_width, 1e9)[1] for p in paras])

    def _stacked(self, paras: list[Paragraph], heights: list[float]) -> float:
        """The height of *paras* one under the other, given each one's (pt)."""
        return sum(heights) + sum(self.gap(a, b) for a, b in zip(paras, paras[1:])) if heights else 0.0

    def fits(self, paras: list[Paragraph]) -> bool:
        return self.body_height(paras) <= self.body_top - self.body_bottom + 1e-6

    def place_body(self, paras: list[Paragraph], block: Sequence[Paragraph] = ()) -> list[Placed]:
        """Centre *paras* on the card (or in the room above the footer if they are too tall).

        The paragraphs of *block* (an answer's) are set as one left-aligned block as wide as
        its longest line, centred across the card; the others are full-width, centred line by line.
        """
        heights = [p.wrap(self.inner_width, 1e9)[1] for p in paras]  # each broken once, at the card's width
        total = self._stacked(paras, heights)
        room_top, room_bottom = self.body_top, self.body_bottom
        first, last = paras[0].style, paras[-1].style
        # centre the ink (first line's cap height down to the last baseline), not the line boxes,
        # whose leading and descender room would leave the text looking low on the card
        ink_above = first.fontSize * (1 - _cap_height(first.fontName))  # box top -> cap top
        ink_below = last.leading - last.fontSize                         # last baseline -> box bottom
        top = self.height / 2 + (total + ink_above - ink_below) / 2
        top = max(min(top, room_top), room_bottom + total)
        if top > room_top + 1e-6:  # too tall to clear the footer when centred: centre in the room
            top = room_top
        block_width = self.inner_width
        if block:  # the widest line of any of its paragraphs, its hanging indent included
            widest = max(max(p.getActualLineWidths0() or [self.inner_width]) for p in block)
            block_width = min(self.inner_width, widest + self.style.block_slack)
        placed = []
        for i, para in enumerate(paras):
            x, width, height = self.style.padding, self.inner_width, heights[i]
            if any(para is b for b in block):
                width = block_width
                x += (self.inner_width - width) / 2
            placed.append(Placed(para, x, top, width))
            top -= height + (self.gap(para, paras[i + 1]) if i + 1 < len(paras) else 0)
        return placed

    def footer_items(self, title: str, number: str) -> list[Placed]:
        """Title (shortened to fit) at the left, the card number at the right, on one line."""
        right = Paragraph(self.text("", number), self.footer_right)
        right.wrap(self.inner_width, 1e9)
        number_width = max(right.getActualLineWidths0())
        room = self.inner_width - number_width - self.style.footer_size
        left = self._titles.get((title, room))
        if left is None:  # the same for most cards of an exercise (its numbers are as wide): set once
            left = Paragraph(self.text("title", _shorten(title, lambda t: self._one_line(t, room))), self.footer)
            self._titles[(title, room)] = left
        top = self.style.padding + self.footer.leading
        return [Placed(left, self.style.padding, top, room), Placed(right, self.style.padding, top, self.inner_width)]

    def _one_line(self, text: str, width: float) -> bool:
        para = Paragraph(self.text("title", text), self.footer)
        para.wrap(width, 1e9)
        return len(para.blPara.lines) <= 1 and max(para.getActualLineWidths0() or [0]) <= width


def _cap_height(font_name: str) -> float:
    """Cap height as a share of the type size (Atkinson Hyperlegible: about 0.67)."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    return getattr(face, "capHeight", 700) / 1000


def _shorten(text: str, fits) -> str:
    """*text* cut at a word boundary, with an ellipsis, until ``fits(text)``."""
    if fits(text):
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        candidate = " ".join(words).rstrip(",;:-–—") + "…"
        if fits(candidate):
            return candidate
    word = words[0] if words else ""
    while len(word) > 1 and not fits(word + "…"):
        word = word[:-1]
    return word + "…"


def _overflow(ex: Exercise, key: str, what: str, card_label: str, excess: float, floor: float) -> LayoutOverflowError:
    percent = max(1, round((excess - 1) * 100))
    problem = ex.problem(key, f"does not fit on a {card_label} even at {floor:g} pt (about {percent}% too long); "
                              f"shorten the {what} or use a larger --card-size")
    return LayoutOverflowError(problem, excess)


class _Setter:
    """One exercise's cards being set: its text, its words, the faces' styles and measures."""

    def __init__(self, ex: Exercise, face_size: tuple[float, float], style: CardStyle, theme: Theme,
                 fonts: FontSet):
        self.ex, self.style = ex, style
        self.text = FieldText(fonts, ex.problem)
        self.labels = labels_for(ex.language, theme.labels)
        self.faces = _CardFaces(face_size, style, theme, self.text, self.labels.code)

    def answer_paras(self, qi: int, chunk: list[Piece], size: float) -> list[Paragraph]:
        """What a card prints of question *qi*'s answer: *chunk*, its consecutive pieces, at *size*."""
        listed = bool(self.ex.faq[qi].points)
        return [self.faces.answer(self.text(field_name(("faq", qi, "answer") + ((block.index,) if listed else ())),
                                            block.text), size, block)
                for block in answer_blocks(chunk, listed)]


def plan_cards(ex: Exercise, face_size: tuple[float, float], style: CardStyle, theme: Theme,
               fonts: FontSet, card_label: str = "card") -> CardPlan:
    """What fitting *ex*'s FAQ on cards decides (:mod:`handouts.layout.card_plan`), without setting
    the cards; raises as :func:`layout_cards` does."""
    return _fit(_Setter(ex, face_size, style, theme, fonts), card_label)


def layout_cards(ex: Exercise, face_size: tuple[float, float], style: CardStyle, theme: Theme,
                 fonts: FontSet, card_label: str = "card", plan: CardPlan | None = None) -> CardsLayout:
    """Every card of *ex*'s FAQ; raise LayoutOverflowError if a question cannot fit one card face,
    UnprintableTextError if it is written in a script no font draws.

    Given *plan* (what fitting these cards decided before, for this exercise, face size, style,
    theme and fonts: :func:`plan_cards`), the cards are set at its sizes and cuts without
    fitting them again: the same cards, for a fraction of the work.  Raises ValueError when
    *plan* does not fit *ex* (another number of questions, cuts past an answer's end).
    """
    setter = _Setter(ex, face_size, style, theme, fonts)
    text, labels, faces = setter.text, setter.labels, setter.faces
    if plan is None:
        plan = _fit(setter, card_label)
    elif len(plan.cuts) != len(ex.faq):
        raise ValueError(f"a plan for {len(plan.cuts)} questions, not {len(ex.faq)}")
    q_size, a_size = plan.question_size, plan.answer_size
    planned = [chunks_from(pieces(item.answer), cuts) for item, cuts in zip(ex.faq, plan.cuts)]

    total = plan.count
    cards: list[Card] = []
    for qi, chunks in enumerate(planned):
        item = ex.faq[qi]
        q_key = field_name(("faq", qi, "question"))
        for part, chunk in enumerate(chunks, start=1):
            number = len(cards) + 1
            footer = faces.footer_items(ex.title, f"{number}/{total}")
            question = faces.question(text(q_key, item.question), q_size)
            front = [question] + ([faces.note_line(labels.continued)] if part > 1 else [])
            answer = setter.answer_paras(qi, chunk, a_size)
            back = list(answer)
            if part > 1:
                back.insert(0, faces.note_line(labels.continued))
            if part < len(chunks):
                back.append(faces.note_line(labels.card_continues.format(number=f"{number + 1}/{total}")))
            cards.append(Card(ex.id, qi, part, len(chunks), number, total,
                              Face(tuple(faces.place_body(front) + footer), q_size),
                              Face(tuple(faces.place_body(back, block=answer) + footer), a_size)))
    return CardsLayout(cards, list(text.notes), list(text.notices), plan)


def _fit(setter: _Setter, card_label: str) -> CardPlan:
    """The type sizes and the cuts of the exercise's cards: see the module."""
    ex, faces, text, labels, style, answer_paras = (setter.ex, setter.faces, setter.text, setter.labels,
                                                    setter.style, setter.answer_paras)
    room = faces.body_top - faces.body_bottom
    notes = [faces.note_line(labels.continued),
             faces.note_line(labels.card_continues.format(number=_PLACEHOLDER_NUMBER))]

    def chunks_at(qi: int, size: float) -> list[list[Piece]]:
        """Question *qi*'s answer at *size*: whole when it fits one card, else packed over as few as it needs."""
        whole = pieces(ex.faq[qi].answer)
        if faces.fits(answer_paras(qi, whole, size)):
            return [whole]
        return pack(whole, lambda chunk: faces.fits([notes[0], *answer_paras(qi, chunk, size), notes[1]]))

    # every answer of the exercise at one size: the largest that needs no more cards than the floor does
    answer_sizes = style.sizes(style.answer_size)
    fewest = sum(len(chunks_at(qi, answer_sizes[-1])) for qi in range(len(ex.faq)))
    a_size = answer_sizes[-1]
    for size in answer_sizes:
        if sum(len(chunks_at(qi, size)) for qi in range(len(ex.faq))) <= fewest:
            a_size = size
            break
    answer_chunks = [chunks_at(qi, a_size) for qi in range(len(ex.faq))]

    def question_paras(qi: int, s: float) -> list[Paragraph]:
        return [faces.question(text(field_name(("faq", qi, "question")), ex.faq[qi].question), s)] + (
            [faces.note_line(labels.continued)] if len(answer_chunks[qi]) > 1 else [])

    # every question at one size too: the largest at which the longest fits
    q_size = style.question_size
    for qi in range(len(ex.faq)):
        fitting = next((s for s in style.sizes(q_size) if faces.fits(question_paras(qi, s))), None)
        if fitting is None:
            excess = faces.body_height(question_paras(qi, style.min_size)) / room
            raise _overflow(ex, field_name(("faq", qi, "question")), "question", card_label, excess, style.min_size)
        q_size = fitting
    cuts = tuple(cuts_of(pieces(item.answer), chunks) for item, chunks in zip(ex.faq, answer_chunks))
    return CardPlan(q_size, a_size, cuts)
