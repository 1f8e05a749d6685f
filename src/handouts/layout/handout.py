"""Lay one exercise out as a handout: one page when it fits, the back of the sheet when not (no I/O).

The page is a header (title, targets, equipment, dose), the body and a footer; where the
body's blocks go is :mod:`handouts.layout.handout_frames`.  Fitting is arithmetic on
measured heights (``wrap``), not trial renders, and gives up what matters least first,
because the reader is the point (a clinician hands this page to a 70-year-old):

1. the pictures shrink, in steps, to a floor that still shows the movement (about
   1.6 in tall), but only while that prints more description paragraphs;
2. description paragraphs (optional reading) are left out, last first;
3. only then does the body type go below its size (12 pt; large print 18), with the
   pictures below their full size, down to the floor (10.5 pt; large print 16);
4. past the floor the exercise continues on the back of the sheet (page 2 of 2), and
   in large print on as many pages as it needs; a normal-print handout that two sides
   at 10.5 pt cannot hold is refused, saying how much too long it is.

In a program printed double-sided the back of a one-page handout is a Notes page, so
there a long exercise takes the back at full size (step 4 before step 3).

A short exercise uses its page: when more than a third of the body is left empty,
its type grows (up to 14 pt; large print 20) and then its pictures (up to 1.5 times).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from handouts.content.exercise import Exercise
from handouts.content.load import field_name
from handouts.errors import LayoutOverflowError
from handouts.layout.columns import stack, total_height
from handouts.layout.flowables import Picture, Placed, height_at
from handouts.layout.handout_frames import Frame, arrangements, lowest, make_frame
from handouts.layout.handout_page import HandoutPage, PageContext
from handouts.layout.markup import FieldText
from handouts.style.fonts import FontSet
from handouts.style.labels import as_markup, labels_for
from handouts.style.theme import Theme

__all__ = ["HandoutLayout", "PageContext", "layout_handout"]


@dataclass
class HandoutLayout:
    page_size: tuple[float, float]
    pages: list[list[Placed]]
    body_size: float
    description_shown: int
    picture_width: float | None      # pt: the widest picture as printed
    picture_share: float = 1.0       # of the pictures' full size (over 1 when a short exercise's grew)
    notes: list[tuple[str | None, str]] = field(default_factory=list)  # (field, warning): for a person to act on
    fit_notes: list[str] = field(default_factory=list)  # the warnings about fitting: the size, the pages
    notices: list[tuple[str | None, str, str]] = field(default_factory=list)  # (field, kind, message): by design


@dataclass
class _Fit:
    pages: int
    size: float
    share: float
    shown: int                # description paragraphs printed before the steps
    later: int                # ... and after everything else (on a later page)
    placed: list[Placed]      # the body
    frame: Frame
    page: HandoutPage
    blank: float              # share of page 1's body left empty under the lowest block


class _Fitter:
    """The trials of one exercise: its blocks at each body size, made once and measured many times."""

    def __init__(self, ex: Exercise, pictures: list[Picture], theme: Theme, page_size: tuple[float, float],
                 text: FieldText, context: PageContext):
        self.ex, self.pictures, self.theme, self.page_size = ex, pictures, theme, page_size
        self.text, self.context = text, context
        self._pages: dict[float, HandoutPage] = {}
        self._footers: dict[tuple[int, int], float] = {}  # (pages, page): the footer does not follow the body size
        self.closest = float("inf")  # at the floor on one page: the overflow, as pages' worth of body height
        self.over_pages = float("inf")  # the fewest pages the last failed trials need, by their overflow

    def page(self, size: float) -> HandoutPage:
        if size not in self._pages:
            self._pages[size] = HandoutPage(self.ex, self.text, self.theme.with_body_size(size), self.page_size,
                                            self.context)
        return self._pages[size]

    def frame(self, page: HandoutPage, share: float, pages: int) -> Frame:
        for number in range(1, pages + 1):
            if (pages, number) not in self._footers:
                self._footers[pages, number] = page.footer_height(pages, number)
        footers = [self._footers[pages, number] for number in range(1, pages + 1)]
        return make_frame(page, self.pictures, share, pages, footers)

    @cached_property
    def shares(self) -> list[float]:
        """1.0, then smaller shares of the pictures' full size, down to the floor height (none without pictures).

        Measured once: every page count's search tries the same shares."""
        if not self.pictures:
            return [1.0]
        row = self.frame(self.page(self.theme.body_size), 1.0, 1).pictures
        full_h = 0.0
        if row:
            row.wrap(row.max_width, 1e9)
            full_h = row.picture_h
        floor = min(1.0, self.theme.picture_min_height / full_h) if full_h else 1.0
        shares, share = [1.0], 1.0
        while share - self.theme.picture_shrink_step > floor + 1e-9:
            share = round(share - self.theme.picture_shrink_step, 2)
            shares.append(share)
        return shares + ([round(floor, 3)] if floor < 1.0 - 1e-9 else [])

    def fit(self, pages: int, size: float, share: float, at_least: int = 0) -> _Fit | None:
        """The first arrangement that holds the whole exercise (its description as far as it fits), or None."""
        page = self.page(size)
        frame = self.frame(page, share, pages)
        for name, placed, overflow in arrangements(page, frame, 0):
            if overflow:
                if pages == 1:
                    self.closest = min(self.closest, 1 + overflow / frame.capacity)
                last = frame.full[-1]  # a lower bound: as if every later page were full of it, in two columns
                self.over_pages = min(self.over_pages, pages + overflow / (2 * (last.top - last.bottom)))
                continue
            steps_page = _steps_page(placed)
            shown = 0
            for count in range(1, len(self.ex.description) + 1):
                ((_, trial, overflow),) = arrangements(page, frame, count, only=name)
                # a paragraph never pushes a step on to another page
                if overflow or _steps_page(trial) != steps_page:
                    break
                shown, placed = count, trial
            if shown < at_least:
                return None
            later = 0
            for count in range(1, len(self.ex.description) - shown + 1) if pages > 1 else ():
                ((_, trial, overflow),) = arrangements(page, frame, shown, only=name, later=count)
                if overflow or _steps_page(trial) != _steps_page(placed):
                    break
                later, placed = count, trial
            bottom = lowest(placed, 0)
            blank = 0.0 if pages > 1 else ((bottom if bottom is not None else frame.body_top) - frame.body_bottom) / (
                frame.body_top - frame.body_bottom)
            return _Fit(pages, size, share, shown, later, placed, frame, page, blank)
        return None

    def search(self, pages: int, sizes: list[float] | None = None) -> _Fit | None:
        """The best fit on *pages* pages, giving up pictures, then description, then type size
        (down through *sizes*, by default the theme's from its body size to its floor)."""
        sizes, shares = sizes or self.theme.trial_sizes(), self.shares
        first = self.fit(pages, sizes[0], shares[0])
        if first is None and not self.fit(pages, sizes[-1], shares[-1]):  # not even at the smallest
            return None
        comfortable: list[_Fit] = []
        for share in shares:  # the pictures shrink only while that prints more of the description
            found = first if share == shares[0] else self.fit(pages, sizes[0], share)
            if found:
                comfortable.append(found)
                if found.shown == len(self.ex.description):
                    break
        if comfortable:
            return max(comfortable, key=lambda f: (f.shown, f.share))
        for size in sizes[1:]:
            for share in shares[1:] or shares:
                found = self.fit(pages, size, share)
                if found:
                    return found
        return None

    def grow(self, fit: _Fit) -> _Fit:
        """A short exercise's type, then its pictures, as large as still fits the page (nothing left out).

        The largest is tried first (most short exercises take it), then the rest by halving.
        """
        best = self._largest(self.theme.growth_sizes(), lambda size: self.fit(1, size, 1.0, at_least=fit.shown))
        best = best or fit
        if self.pictures:
            steps, share = [], 1.0
            while share + self.theme.picture_shrink_step <= self.theme.picture_grow + 1e-9:
                share = round(share + self.theme.picture_shrink_step, 2)
                steps.append(share)
            grown = best
            best = self._largest(steps, lambda share: self.fit(1, grown.size, share, at_least=fit.shown)) or best
        return best

    def fill_back(self, fit: _Fit) -> _Fit:
        """Large print on 3, 5 ... pages: the last sheet's back would be blank, so the description
        paragraphs left out are printed there, after everything else, as far as they fit."""
        left = len(self.ex.description) - fit.shown - fit.later
        if not (self.theme.single_column and fit.pages > 1 and fit.pages % 2 and left):
            return fit
        frame = self.frame(fit.page, fit.share, fit.pages + 1)
        best = fit
        for count in range(fit.later + 1, fit.later + left + 1):
            ((_, placed, overflow),) = arrangements(fit.page, frame, fit.shown, only="single", later=count)
            if overflow or _steps_page(placed) != _steps_page(fit.placed):
                break
            best = _Fit(fit.pages + 1, fit.size, fit.share, fit.shown, count, placed, frame, fit.page, 0.0)
        return best

    @staticmethod
    def _largest(values: list[float], fit_at) -> _Fit | None:
        """The fit at the largest of *values* (ascending) that fits, taking fitting as monotonic."""
        if not values:
            return None
        top = fit_at(values[-1])
        if top is not None:
            return top
        low, high, best = 0, len(values) - 1, None  # values[high] does not fit
        while low < high:
            middle = (low + high) // 2
            found = fit_at(values[middle])
            if found is not None:
                best, low = found, middle + 1
            else:
                high = middle
        return best


def _steps_page(placed: list[Placed]) -> tuple[int, ...]:
    """The page each step is on, in order."""
    return tuple(p.page for p in placed if getattr(p.flowable, "step_index", None) is not None)


def layout_handout(ex: Exercise, pictures: list[Picture], theme: Theme, page_size: tuple[float, float],
                   fonts: FontSet, context: PageContext = PageContext()) -> HandoutLayout:
    """Lay *ex* out on pages of *page_size* (pt): one when it fits, more as the module says.

    One picture goes at the top of the side column (large print: the top right corner);
    two go side by side in a band across the page under the header, where each is large
    enough to show a start and an end position.  Raises LayoutOverflowError when a
    normal-print handout does not fit on two pages at the floor size, and UnprintableTextError
    when it is written in a script no font draws.
    """
    text = FieldText(fonts, ex.problem)
    theme = replace(theme, labels=as_markup(labels_for(ex.language or context.language, theme.labels)))
    # captions as markup, each reported against its own item of images: (a missing picture
    # before it shifts the list, so the item is found by file, not by position)
    index = {ref.file: i for i, ref in enumerate(ex.images)}
    pictures = [replace(p, caption=text(field_name(("images", index.get(p.name, 0), "caption")), p.caption))
                if p.caption else p for p in pictures]
    fitter = _Fitter(ex, pictures, theme, page_size, text, context)
    fit = None
    if context.back_is_free and theme.max_pages > 1:  # the back at full size, before smaller type on the front
        fit = fitter.search(1, [theme.body_size]) or fitter.search(2, [theme.body_size])
    pages = 1
    while fit is None and pages <= theme.max_pages:
        fit = fitter.search(pages)
        # what did not fit says how many pages it needs at least: the counts below that are skipped
        pages = max(pages + 1, int(min(fitter.over_pages, theme.max_pages + 1)))
    if fit is None:
        raise LayoutOverflowError(
            ex.problem(None, f"does not fit on {theme.max_pages} pages even at {theme.min_body_size:g} pt with "
                             f"the pictures at their smallest: about {_percent(fitter.closest)}% too long for one; "
                             f"shorten the steps or tips, or split the exercise"), fitter.closest - 1)
    one_side_over = fitter.closest  # measured at the floor on one page, before the grown trials
    if fit.pages == 1 and fit.size == theme.body_size and fit.share == 1.0 and fit.blank > theme.blank_target:
        fit = fitter.grow(fit)
    fit = fitter.fill_back(fit)
    return _place(fit, text, one_side_over)


def _percent(ratio: float) -> int:
    return max(1, round((ratio - 1) * 100))


def _place(fit: _Fit, text: FieldText, one_side_over: float) -> HandoutLayout:
    page, frame, pages = fit.page, fit.frame, fit.pages
    theme, ex = page.theme, page.ex
    width, height = page.page_size
    left = theme.margin
    body = list(fit.placed)
    band_top = height - theme.margin - total_height(page.header(), page.text_width)
    if frame.band:
        body.insert(0, Placed(frame.band, left, band_top, page.text_width))
    if frame.corner:
        corner_w = frame.corner.max_width
        body.insert(0, Placed(frame.corner, left + page.text_width - corner_w, band_top, corner_w))
    out: list[list[Placed]] = []
    for number in range(pages):
        header = page.header() if number == 0 else page.header_continued()
        placed = stack(header, left, height - theme.margin, page.text_width, number)
        placed += [p for p in body if p.page == number]
        footer_left, footer_right, share_left = page.footer_texts(number + 1, pages)
        left_w, right_w = page.text_width * share_left, page.text_width * (1 - share_left)
        text_h = max(height_at(footer_left, left_w), height_at(footer_right, right_w))
        placed += stack(page.footer(), left, theme.margin + text_h + total_height(page.footer(), page.text_width),
                        page.text_width, number)
        placed.append(Placed(footer_left, left, theme.margin + text_h, left_w, number))
        placed.append(Placed(footer_right, left + left_w, theme.margin + text_h, right_w, number))
        out.append(placed)
    warnings: list[str] = []
    where = "one page" if pages == 1 else f"{pages} pages"
    at = f" at {fit.size:g} pt" if fit.size < theme.comfortable_size else ""
    if pages > 1 and not theme.single_column and not page.context.back_is_free:  # one warning, saying it all
        warnings.append(f"continues on page 2 (the back of the sheet){at}: about {_percent(one_side_over)}% too "
                        f"long for one side at {theme.min_body_size:g} pt; shorten the steps or tips to fit one")
    elif fit.size < theme.comfortable_size:
        warnings.append(f"printed at {fit.size:g} pt to fit on {where} ({theme.comfortable_size:g} pt is "
                        f"comfortable to read); consider shortening it")
    notices: list[tuple[str | None, str, str]] = []
    row = frame.pictures
    if fit.share < 1 and row is not None:
        many = len(row.pictures) > 1
        notices.append(("images" if many else ex.image_field(0), "pictures",
                        f"{'pictures' if many else 'picture'} printed at {round(fit.share * 100)}% of "
                        f"{'their' if many else 'its'} full size to fit on {where}"))
    if fit.shown + fit.later < len(ex.description):
        left_out = len(ex.description) - fit.shown - fit.later
        notices.append(("description", "description",
                        f"{left_out} of {len(ex.description)} paragraph{'s' if len(ex.description) > 1 else ''} "
                        f"left out to fit on {where} (they are optional reading)"))
    if pages > 2 and theme.single_column:
        notices.append((None, "pages", f"large print takes {pages} pages ({(pages + 1) // 2} sheets)"))
    return HandoutLayout(page.page_size, out, fit.size, fit.shown + fit.later, row.draw_w if row else None, fit.share,
                         list(text.notes) + [(None, message) for message in warnings], warnings,
                         notices + text.notices)
