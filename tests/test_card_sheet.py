"""Card sheet geometry (make_sheet, CardSheet, parse_offset) checked against the spec's numbers.

Every expected position here is worked out from the paper and card sizes (PDF points,
72 per inch, origin bottom-left), not read from the module: a grid of abutting cards
centred on the sheet, Avery's published positions for the Letter business and index
sheets, and the rule that nothing comes within 0.3 in (21.6 pt) of the paper's edge.
"""

from __future__ import annotations

import io
import math

import pdfplumber
import pytest

from handouts.layout.card_sheet import Rect, make_sheet, parse_offset
from handouts.errors import UsageError
from handouts.style.settings import SettingError
from handouts.layout.cards import Card, Face
from handouts.render.canvas import DocInfo
from handouts.render.cards import cards_pdf
from handouts.style.theme import DEFAULT_THEME

INCH = 72.0
MM = 72.0 / 25.4
SAFE = 0.3 * INCH          # 21.6 pt: nothing is drawn closer to the paper's edge
EPS = 1e-6

PAPER = {"letter": (8.5 * INCH, 11 * INCH), "a4": (210 * MM, 297 * MM)}
SIZE = {"business": (3.5 * INCH, 2 * INCH), "index": (5 * INCH, 3 * INCH), "a7": (74 * MM, 105 * MM)}
# columns x rows of cards per sheet, duplex (the same on Letter and A4)
GRID = {"business": (2, 5), "index": (1, 3), "a7": (2, 2)}
# fold-over sheets: columns of question-answer pairs x rows, and the face as placed (w, h)
FOLD = {
    "business": (1, 5, (3.5 * INCH, 2 * INCH)),
    "index": (1, 2, (3 * INCH, 5 * INCH)),      # turned upright: 3 x 5 in faces
    "a7": (1, 2, (74 * MM, 105 * MM)),
}
PAPERS = tuple(PAPER)
SIZES = tuple(SIZE)
MODES = ("long", "short", "fold")
FLIPS = ("long", "short")
COMBOS = [(p, s, m) for p in PAPERS for s in SIZES for m in MODES]
DUPLEX_COMBOS = [(p, s, f) for p in PAPERS for s in SIZES for f in FLIPS]


def sheet_for(paper: str, size: str, mode: str, offset=(0.0, 0.0)):
    if mode == "fold":
        return make_sheet(paper, size, fold=True)
    return make_sheet(paper, size, flip=mode, back_offset_mm=offset)


# --- what the spec says the sheet should be ---------------------------------------------------

def expected_layout(paper: str, size: str, fold: bool):
    """(columns, rows, face_w, face_h, grid_x, grid_y, grid_w, grid_h) from the spec alone."""
    width, height = PAPER[paper]
    if fold:
        columns, rows, (face_w, face_h) = FOLD[size]
        grid_w = columns * 2 * face_w
    else:
        columns, rows = GRID[size]
        face_w, face_h = SIZE[size]
        grid_w = columns * face_w
    grid_h = rows * face_h
    return columns, rows, face_w, face_h, (width - grid_w) / 2, (height - grid_h) / 2, grid_w, grid_h


def max_offset_mm(paper: str, size: str, axis: int) -> float:
    """The largest back offset along *axis* (0 = X, 1 = Y): 10 mm, or less if the margin is tighter."""
    _, _, _, _, gx, gy, _, _ = expected_layout(paper, size, fold=False)
    margin = gx if axis == 0 else gy
    return min(10.0, (margin - SAFE) / MM)


# --- small geometry helpers -------------------------------------------------------------------

def rt(rect) -> tuple[float, float, float, float]:
    return (rect.x, rect.y, rect.width, rect.height)


def same(a, b, tol: float = 1e-6) -> bool:
    return all(abs(u - v) <= tol for u, v in zip(rt(a) if hasattr(a, "x") else a, rt(b) if hasattr(b, "x") else b))


def mirror(rect, paper: str, flip: str) -> tuple[float, float, float, float]:
    """Where a rect on one side of the sheet is seen from the other side after turning it over."""
    width, height = PAPER[paper]
    x, y, w, h = rt(rect)
    return (width - x - w, y, w, h) if flip == "long" else (x, height - y - h, w, h)


def fronts(sheet) -> list:
    return [sheet.front(slot) for slot in range(sheet.per_sheet)]


def backs(sheet) -> list:
    return [sheet.back(slot) for slot in range(sheet.per_sheet)]


def rect_in_safe_area(rect, paper: str) -> bool:
    width, height = PAPER[paper]
    return (rect.x >= SAFE - EPS and rect.y >= SAFE - EPS
            and rect.x + rect.width <= width - SAFE + EPS and rect.y + rect.height <= height - SAFE + EPS)


def segment_in_safe_area(seg, paper: str) -> bool:
    width, height = PAPER[paper]
    x0, y0, x1, y1 = seg
    return (min(x0, x1) >= SAFE - EPS and max(x0, x1) <= width - SAFE + EPS
            and min(y0, y1) >= SAFE - EPS and max(y0, y1) <= height - SAFE + EPS)


def gap(seg, rect) -> float:
    """Shortest distance between an axis-aligned segment and a rect (0 if they touch or cross)."""
    x0, y0, x1, y1 = seg
    gx = max(0.0, rect.x - max(x0, x1), min(x0, x1) - (rect.x + rect.width))
    gy = max(0.0, rect.y - max(y0, y1), min(y0, y1) - (rect.y + rect.height))
    return math.hypot(gx, gy)


def rects_overlap(a, b) -> bool:
    return (a.x < b.x + b.width - EPS and b.x < a.x + a.width - EPS
            and a.y < b.y + b.height - EPS and b.y < a.y + a.height - EPS)


def vertical(seg) -> bool:
    return abs(seg[0] - seg[2]) < EPS


def horizontal(seg) -> bool:
    return abs(seg[1] - seg[3]) < EPS


# --- how many cards, and where ----------------------------------------------------------------

@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_cards_per_sheet_and_face_size(paper, size, mode):
    """Business 2 x 5, index 1 x 3, A7 2 x 2 on both papers; folded: business 1 x 5, index and A7 1 x 2."""
    sheet = sheet_for(paper, size, mode)
    columns, rows, face_w, face_h, *_ = expected_layout(paper, size, mode == "fold")
    assert (sheet.columns, sheet.rows, sheet.per_sheet) == (columns, rows, columns * rows)
    assert sheet.face_width == pytest.approx(face_w)
    assert sheet.face_height == pytest.approx(face_h)
    assert sheet.fold is (mode == "fold")
    assert sheet.paper == pytest.approx(PAPER[paper])


@pytest.mark.parametrize("paper", PAPERS)
def test_ten_business_cards_per_sheet(paper):
    """The default sheet: ten 3.5 x 2 in cards, 2 across and 5 down, on Letter and on A4."""
    sheet = make_sheet(paper)
    assert (sheet.columns, sheet.rows, sheet.per_sheet) == (2, 5, 10)
    assert (sheet.face_width, sheet.face_height) == pytest.approx((252.0, 144.0))


def test_business_on_letter_sits_on_avery_5371():
    """Top-left card 0.75 in from the left and 0.5 in from the top; the grid ends 0.75 / 0.5 in from the other edges."""
    sheet = make_sheet("letter", "business")
    top_left = sheet.front(0)
    assert top_left.x == pytest.approx(0.75 * INCH)
    assert 792 - (top_left.y + top_left.height) == pytest.approx(0.5 * INCH)
    bottom_right = sheet.front(9)
    assert 612 - (bottom_right.x + bottom_right.width) == pytest.approx(0.75 * INCH)
    assert bottom_right.y == pytest.approx(0.5 * INCH)


def test_index_on_letter_sits_on_avery_5388():
    """Three 5 x 3 in cards, 1.75 in from the left and 1 in from the top, stacked with no gap."""
    sheet = make_sheet("letter", "index")
    assert sheet.per_sheet == 3
    expected = [(1.75 * INCH, 11 * INCH - 1 * INCH - (row + 1) * 3 * INCH, 5 * INCH, 3 * INCH) for row in range(3)]
    for slot, rect in enumerate(expected):
        assert same(sheet.front(slot), rect), slot


@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_grid_is_centred_and_cards_abut(paper, size, mode):
    """The grid has equal margins left/right and top/bottom, and the cards fill it without gaps."""
    sheet = sheet_for(paper, size, mode)
    columns, rows, face_w, face_h, gx, gy, gw, gh = expected_layout(paper, size, mode == "fold")
    width, height = PAPER[paper]
    assert same(sheet.grid, (gx, gy, gw, gh))
    assert gx == pytest.approx(width - gx - gw) and gy == pytest.approx(height - gy - gh)
    faces = fronts(sheet) + (backs(sheet) if mode == "fold" else [])
    area = sum(r.width * r.height for r in faces)
    assert area == pytest.approx(gw * gh)  # together the faces cover the grid exactly...
    for i, a in enumerate(faces):          # ...and never overlap, so they abut
        assert a.x >= gx - EPS and a.y >= gy - EPS
        assert a.x + a.width <= gx + gw + EPS and a.y + a.height <= gy + gh + EPS
        for b in faces[i + 1:]:
            assert not rects_overlap(a, b)


@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_front_slots_in_reading_order(paper, size, mode):
    """Slot k is row k // columns from the top, column k % columns from the left."""
    sheet = sheet_for(paper, size, mode)
    columns, rows, face_w, face_h, gx, gy, gw, gh = expected_layout(paper, size, mode == "fold")
    slot_w = face_w * (2 if mode == "fold" else 1)
    for slot in range(columns * rows):
        row, column = divmod(slot, columns)
        expected = (gx + column * slot_w, gy + gh - (row + 1) * face_h, face_w, face_h)
        assert same(sheet.front(slot), expected), slot


def test_letter_business_fronts_and_backs_by_hand():
    """Worked numbers: slot 0 at (54, 612); flipped on the long edge its back is at (306, 612),
    on the short edge at (54, 36)."""
    long_sheet, short_sheet = make_sheet("letter", flip="long"), make_sheet("letter", flip="short")
    assert same(long_sheet.front(0), (54, 612, 252, 144))
    assert same(long_sheet.front(1), (306, 612, 252, 144))
    assert same(long_sheet.front(2), (54, 468, 252, 144))
    assert same(long_sheet.front(9), (306, 36, 252, 144))
    assert same(long_sheet.back(0), (306, 612, 252, 144))
    assert same(short_sheet.back(0), (54, 36, 252, 144))
    assert same(short_sheet.back(9), (306, 612, 252, 144))


@pytest.mark.parametrize("paper,size,flip", DUPLEX_COMBOS)
def test_back_mirrors_the_front_across_the_flip_edge(paper, size, flip):
    """Long flip: x' = W - x - w at the same y; short flip: y' = H - y - h at the same x."""
    sheet = make_sheet(paper, size, flip=flip)
    for slot in range(sheet.per_sheet):
        front, back = sheet.front(slot), sheet.back(slot)
        assert same(back, mirror(front, paper, flip)), slot
        if flip == "long":
            assert back.y == pytest.approx(front.y)
        else:
            assert back.x == pytest.approx(front.x)


@pytest.mark.parametrize("paper,size,flip", DUPLEX_COMBOS)
def test_back_mapping_is_an_involution(paper, size, flip):
    """The back of slot s sits where some slot t's front is; the back of t is then s's front again."""
    sheet = make_sheet(paper, size, flip=flip)
    for s in range(sheet.per_sheet):
        matches = [t for t in range(sheet.per_sheet) if same(sheet.front(t), sheet.back(s))]
        assert len(matches) == 1, f"back of slot {s} is not on a front slot"
        assert same(sheet.back(matches[0]), sheet.front(s))


@pytest.mark.parametrize("paper,size", [(p, s) for p in PAPERS for s in SIZES])
def test_fold_answer_is_right_beside_its_question(paper, size):
    """On a fold sheet the answer face is immediately right of the question, same row, same page."""
    sheet = make_sheet(paper, size, fold=True)
    for slot in range(sheet.per_sheet):
        front, back = sheet.front(slot), sheet.back(slot)
        assert same(back, (front.x + front.width, front.y, front.width, front.height)), slot
    assert sheet.fold_xs() == pytest.approx([f.x + f.width for f in fronts(sheet)][:sheet.columns])


def test_fold_faces_as_placed():
    """Folded index cards turn upright (3 x 5 in faces, 1 x 2); business stay 3.5 x 2 (1 x 5);
    A7 stays portrait (1 x 2)."""
    index = make_sheet("letter", "index", fold=True)
    assert (index.columns, index.rows) == (1, 2)
    assert (index.face_width, index.face_height) == pytest.approx((3 * INCH, 5 * INCH))
    assert (index.front(0).width, index.front(0).height) == pytest.approx((3 * INCH, 5 * INCH))
    business = make_sheet("letter", "business", fold=True)
    assert (business.columns, business.rows) == (1, 5)
    assert (business.face_width, business.face_height) == pytest.approx((252.0, 144.0))
    a7 = make_sheet("a4", "a7", fold=True)
    assert (a7.columns, a7.rows) == (1, 2)
    assert (a7.face_width, a7.face_height) == pytest.approx((74 * MM, 105 * MM))


@pytest.mark.parametrize("mode,expected", [("long", "DuplexFlipLongEdge"), ("short", "DuplexFlipShortEdge"),
                                           ("fold", "Simplex")])
def test_duplex_preference(mode, expected):
    """The viewer preference asks for the flip edge the backs were imposed for, or simplex when folded."""
    assert sheet_for("letter", "business", mode).duplex_preference == expected


# --- the 0.3 in safe edge ---------------------------------------------------------------------

@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_nothing_within_the_safe_edge(paper, size, mode):
    """Cards, crop marks (front and back), fold marks and both note boxes stay 0.3 in from every edge."""
    sheet = sheet_for(paper, size, mode)
    for rect in fronts(sheet) + backs(sheet):
        assert rect_in_safe_area(rect, paper), rect
    marks = sheet.crop_marks() + sheet.crop_marks(back=True) + sheet.fold_marks()
    assert marks
    for seg in marks:
        assert segment_in_safe_area(seg, paper), seg
    for top in (True, False):
        box = sheet.note_box(top=top)
        assert box.width > 0 and box.height > 0, box
        assert rect_in_safe_area(box, paper), box


MAX_OFFSET_CASES = []
for _paper, _size, _flip in DUPLEX_COMBOS:
    for _axis in (0, 1):
        for _sign in (1, -1):
            _limit = max_offset_mm(_paper, _size, _axis)
            _offset = (_sign * _limit, 0.0) if _axis == 0 else (0.0, _sign * _limit)
            _id = f"{_paper}-{_size}-{_flip}-{'+-'[_sign < 0]}{'XY'[_axis]}"
            MAX_OFFSET_CASES.append(pytest.param(_paper, _size, _flip, _offset, _limit < 10.0, id=_id))


@pytest.mark.parametrize("paper,size,flip,offset,_edge_bound", MAX_OFFSET_CASES)
def test_backs_stay_clear_at_the_largest_offset(paper, size, flip, offset, _edge_bound):
    """At the largest accepted offset in each direction the back cards still keep 0.3 in; fronts don't move."""
    sheet = make_sheet(paper, size, flip=flip, back_offset_mm=offset)
    plain = make_sheet(paper, size, flip=flip)
    for slot in range(sheet.per_sheet):
        assert rect_in_safe_area(sheet.back(slot), paper), slot
        assert same(sheet.front(slot), plain.front(slot))


@pytest.mark.parametrize("paper,size,flip,offset,_edge_bound", MAX_OFFSET_CASES)
def test_back_crop_marks_stay_clear_at_the_largest_offset(paper, size, flip, offset, _edge_bound):
    """Back crop marks moved by the largest offset stay 0.3 in from the edge and at least 2 pt off the back cards."""
    sheet = make_sheet(paper, size, flip=flip, back_offset_mm=offset)
    cards = backs(sheet)
    for seg in sheet.crop_marks(back=True):
        assert segment_in_safe_area(seg, paper), seg
        assert min(gap(seg, card) for card in cards) >= 2.0, seg


def test_back_crop_marks_below_the_maximum_offset():
    """Not only at the exact maximum: business on Letter, backs 5 mm up (the limit is 5.08 mm).

    The back grid's top is then 756 + 14.17 = 770.17 pt, 0.23 pt under the 770.4 pt safe line,
    so there is no room for a mark above it; a mark that is drawn must stay under 770.4 pt and
    2 pt clear of the cards.
    """
    sheet = make_sheet("letter", flip="long", back_offset_mm=(0, 5))
    cards = backs(sheet)
    for seg in sheet.crop_marks(back=True):
        assert segment_in_safe_area(seg, "letter"), seg
        assert min(gap(seg, card) for card in cards) >= 2.0, seg


# --- crop marks and fold marks ----------------------------------------------------------------

@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_every_cut_line_has_its_marks(paper, size, mode):
    """Each vertical cut gets a mark above and below the grid, each horizontal cut one left and right; nothing else."""
    sheet = sheet_for(paper, size, mode)
    columns, rows, face_w, face_h, gx, gy, gw, gh = expected_layout(paper, size, mode == "fold")
    slot_w = face_w * (2 if mode == "fold" else 1)
    cut_xs = [gx + c * slot_w for c in range(columns + 1)]
    cut_ys = [gy + r * face_h for r in range(rows + 1)]
    for back in (False, True):
        marks = sheet.crop_marks(back=back)
        for x in cut_xs:
            on_line = [s for s in marks if vertical(s) and abs(s[0] - x) < EPS]
            assert any(min(s[1], s[3]) > gy + gh for s in on_line), ("above", x, back)
            assert any(max(s[1], s[3]) < gy for s in on_line), ("below", x, back)
        for y in cut_ys:
            on_line = [s for s in marks if horizontal(s) and abs(s[1] - y) < EPS]
            assert any(max(s[0], s[2]) < gx for s in on_line), ("left", y, back)
            assert any(min(s[0], s[2]) > gx + gw for s in on_line), ("right", y, back)
        assert len(marks) == 2 * (len(cut_xs) + len(cut_ys))


@pytest.mark.parametrize("paper,size", [(p, s) for p in PAPERS for s in SIZES])
def test_fold_line_gets_fold_marks_not_crop_marks(paper, size):
    """A fold sheet marks each fold line above and below the grid with fold marks, and never with a crop mark."""
    sheet = make_sheet(paper, size, fold=True)
    columns, rows, face_w, face_h, gx, gy, gw, gh = expected_layout(paper, size, True)
    fold_xs = [gx + c * 2 * face_w + face_w for c in range(columns)]
    folds = sheet.fold_marks()
    assert len(folds) == 2 * len(fold_xs)
    for x in fold_xs:
        on_line = [s for s in folds if vertical(s) and abs(s[0] - x) < EPS]
        assert any(min(s[1], s[3]) > gy + gh for s in on_line)
        assert any(max(s[1], s[3]) < gy for s in on_line)
        assert not [s for s in sheet.crop_marks() if vertical(s) and abs(s[0] - x) < 1.0]


def test_duplex_sheet_has_no_fold_marks():
    assert make_sheet("letter", "business", flip="long").fold_marks() == []
    assert make_sheet("letter", "business", flip="long").fold_xs() == []


@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_marks_never_touch_a_card(paper, size, mode):
    """Every crop and fold mark starts at least 2 pt outside the cards on its page."""
    sheet = sheet_for(paper, size, mode)
    front_page = fronts(sheet) + (backs(sheet) if mode == "fold" else [])
    for seg in sheet.crop_marks() + sheet.fold_marks():
        assert min(gap(seg, r) for r in front_page) >= 2.0, seg
    if mode != "fold":
        for seg in sheet.crop_marks(back=True):
            assert min(gap(seg, r) for r in backs(sheet)) >= 2.0, seg


@pytest.mark.parametrize("paper,size,mode", COMBOS)
def test_note_boxes_clear_of_cards_and_marks(paper, size, mode):
    """The printing-note boxes above and below the grid overlap no card and cross no crop or fold mark."""
    sheet = sheet_for(paper, size, mode)
    faces = fronts(sheet) + (backs(sheet) if mode == "fold" else [])
    for top in (True, False):
        box = sheet.note_box(top=top)
        assert not any(rects_overlap(box, face) for face in faces), top
        for seg in sheet.crop_marks() + sheet.fold_marks():
            assert gap(seg, box) > 0, (top, seg)


# --- the back offset --------------------------------------------------------------------------

@pytest.mark.parametrize("paper,size,flip", DUPLEX_COMBOS)
@pytest.mark.parametrize("offset", [(1.5, -2.0), (-3.0, 0.5)])
def test_back_offset_moves_the_backs_and_their_marks_only(paper, size, flip, offset):
    """Every back card and back crop mark moves by (dx mm, dy mm); the fronts and front marks stay put."""
    dx, dy = offset[0] * MM, offset[1] * MM
    moved, plain = make_sheet(paper, size, flip=flip, back_offset_mm=offset), make_sheet(paper, size, flip=flip)
    assert moved.back_offset == pytest.approx((dx, dy))
    for slot in range(plain.per_sheet):
        assert same(moved.front(slot), plain.front(slot))
        assert same(moved.back(slot), plain.back(slot).moved(dx, dy))
    flat_marks = [c for seg in plain.crop_marks() for c in seg]
    assert [c for seg in moved.crop_marks() for c in seg] == pytest.approx(flat_marks)
    grid = plain.grid
    back_grid = grid.moved(dx, dy)
    back_marks = moved.crop_marks(back=True)
    assert len(back_marks) == len(plain.crop_marks(back=True))
    xs, ys = plain.cut_lines()
    assert sorted({round(s[0], 6) for s in back_marks if vertical(s)}) == pytest.approx(sorted(x + dx for x in xs))
    assert sorted({round(s[1], 6) for s in back_marks if horizontal(s)}) == pytest.approx(sorted(y + dy for y in ys))
    for seg in back_marks:
        assert segment_in_safe_area(seg, paper), seg
        # the end nearest the cards keeps the front's distance from the (moved) grid
        assert gap(seg, back_grid) == pytest.approx(min(gap(f, grid) for f in plain.crop_marks()))


def _blank_cards(count: int) -> list[Card]:
    face = Face(placed=(), size=10.0)
    return [Card("x", i, 1, 1, i + 1, count, face, face) for i in range(count)]


@pytest.mark.parametrize("offset", [
    pytest.param((0.0, 0.0), id="none"),
    pytest.param((-3.0, 0.0), id="left"),
    pytest.param((0.0, -3.0), id="down"),
    pytest.param((3.0, 0.0), id="right"),
    pytest.param((0.0, 3.0), id="up"),
    pytest.param((0.0, 5.0), id="up-most"),
])
def test_back_page_note_clear_of_the_moved_backs(offset):
    """Rendered read-back: on the back page the note's text crosses no crop mark and overlaps no back card."""
    sheet = make_sheet("letter", "business", flip="long", back_offset_mm=offset)
    pdf = cards_pdf(_blank_cards(sheet.per_sheet), sheet, DEFAULT_THEME, DocInfo("t", "s"))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 2
        page = doc.pages[1]
        chars = list(page.chars)
        lines = list(page.lines)
    assert "backs" in "".join(c["text"] for c in chars)
    assert lines
    for c in chars:
        box = Rect(c["x0"], c["y0"], c["x1"] - c["x0"], c["y1"] - c["y0"])
        for slot in range(sheet.per_sheet):
            assert not rects_overlap(box, sheet.back(slot)), (c["text"], slot)
        for ln in lines:
            assert gap((ln["x0"], ln["y0"], ln["x1"], ln["y1"]), box) > 0, (c["text"], ln["x0"], ln["y0"])


# --- describe() -------------------------------------------------------------------------------

@pytest.mark.parametrize("args,expected", [
    (("letter", "business", "long"), "10 3.5 x 2 in business cards per Letter sheet, 2 across and 5 down"),
    (("a4", "index", "short"), "3 3 x 5 in index cards per A4 sheet, 1 across and 3 down"),
    (("a4", "a7", "long"), "4 A7 cards (74 x 105 mm) per A4 sheet, 2 across and 2 down"),
    (("letter", "business", "fold"), "5 folded 3.5 x 2 in business cards per Letter sheet, 1 across and 5 down"),
])
def test_describe(args, expected):
    """One plain sentence: how many cards of which size on which paper, and how they are arranged."""
    assert sheet_for(*args).describe() == expected


# --- validation -------------------------------------------------------------------------------

def usage_error(**kwargs) -> str:
    with pytest.raises(UsageError) as info:
        make_sheet(**kwargs)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message
    return message


def setting_error(key: str, **kwargs) -> str:
    """make_sheet's refusal of one setting, as the command line says it (``--key ...``)."""
    with pytest.raises(SettingError) as info:
        make_sheet(**kwargs)
    assert info.value.key == key
    message = info.value.for_option()
    assert "\n" not in message and message.strip() == message
    return message


def test_unknown_card_size_names_it_and_the_choices():
    message = usage_error(size="postcard")
    assert "card size" in message and "'postcard'" in message
    assert all(name in message for name in ("business", "index", "a7"))


def test_unknown_flip_names_it_and_the_choices():
    message = setting_error("flip", flip="sideways")
    assert "flip" in message and "'sideways'" in message
    assert "long" in message and "short" in message


def test_unknown_paper_names_it_and_the_choices():
    message = usage_error(paper="legal")
    assert "paper" in message and "'legal'" in message
    assert "letter" in message and "a4" in message


def test_back_offset_with_fold_is_refused():
    message = setting_error("back_offset", fold=True, back_offset_mm=(1.0, 0.0))
    assert "--back-offset" in message and "fold" in message


@pytest.mark.parametrize("offset,value", [((10.5, 0.0), "10.5"), ((0.0, -12.0), "-12")])
def test_offset_beyond_10_mm_is_not_drift(offset, value):
    """Over 10 mm is a wrong flip setting, not drift: the message says so and names the value."""
    message = setting_error("back_offset", paper="letter", size="index", back_offset_mm=offset)
    assert "--back-offset" in message and value in message
    assert "drift" in message and "flip" in message and "10 mm" in message


@pytest.mark.parametrize("paper,size,offset,axis,allowed", [
    ("letter", "business", (0.0, 6.0), "Y", "5.1 mm"),     # 0.5 in - 0.3 in = 14.4 pt = 5.08 mm
    ("letter", "business", (0.0, -5.5), "Y", "5.1 mm"),
    ("a4", "business", (-9.0, 0.0), "X", "8.5 mm"),        # (210 mm - 7 in) / 2 - 0.3 in = 8.48 mm
])
def test_offset_beyond_the_safe_edge_says_the_maximum(paper, size, offset, axis, allowed):
    message = setting_error("back_offset", paper=paper, size=size, back_offset_mm=offset)
    assert "--back-offset" in message and f"{axis} " in message
    assert "0.3 in" in message and f"at most {allowed}" in message
    assert f"{offset[0] if axis == 'X' else offset[1]:g}" in message


@pytest.mark.parametrize("paper,size,offset", [
    ("letter", "business", (0.0, 5.0)),
    ("letter", "business", (10.0, -5.0)),
    ("letter", "index", (-10.0, 10.0)),
    ("a4", "business", (8.4, 10.0)),
])
def test_offsets_within_the_limits_are_accepted(paper, size, offset):
    sheet = make_sheet(paper, size, back_offset_mm=offset)
    assert sheet.back_offset == pytest.approx((offset[0] * MM, offset[1] * MM))


# --- parse_offset -----------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("1.5,-2", (1.5, -2.0)),
    ("1.5, -2", (1.5, -2.0)),
    ("1.5mm,2mm", (1.5, 2.0)),
    ("0,0", (0.0, 0.0)),
    ("-0.5,3", (-0.5, 3.0)),
])
def test_parse_offset(text, expected):
    assert parse_offset(text) == expected


@pytest.mark.parametrize("text", ["1", "a,b", "1,2,3", "", "nan,0", "0,nan", "inf,0", "0,-inf"])
def test_parse_offset_refuses(text):
    """A one-line message that names the option and what was typed, with an example."""
    with pytest.raises(SettingError) as info:
        parse_offset(text)
    message = info.value.for_option()
    assert "\n" not in message
    assert "--back-offset" in message and f"'{text}'" in message
    assert "X,Y" in message and "millimetres" in message
