"""Pouring flowables into columns: the arithmetic every page layout of a handout rests on.

A column is a rectangle on a page; :func:`flow` fills columns in order, splitting a
paragraph or a box at a column's end, never opening a column with a gap and never
ending one with a heading, and says how much did not fit.  A block marked
``keep_whole`` (a numbered step) is never split: it moves to the next column whole,
and is only divided when it is taller than a column of its own.  No drawing happens here.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable, Spacer

from handouts.layout.flowables import Placed, height_at


def total_height(flowables: list[Flowable], width: float) -> float:
    return sum(height_at(f, width) for f in flowables)


def spaced(blocks: list[list[Flowable]], gap: float) -> list[Flowable]:
    """Join non-empty blocks with a gap between them."""
    out: list[Flowable] = []
    for block in (b for b in blocks if b):
        if out:
            out.append(Spacer(0, gap))
        out += block
    return out


@dataclass(frozen=True)
class Column:
    x: float
    top: float
    width: float
    bottom: float
    page: int = 0


def keeps_whole(flowable: Flowable) -> bool:
    """Whether *flowable* is marked never to be split (a step: a reader loses its thread across a break)."""
    return bool(getattr(flowable, "keep_whole", False))


def fits_after(following: list[Flowable], width: float, room: float) -> bool:
    """Whether the start of the next real flowable fits in *room* (to keep a heading with it)."""
    for flowable in following:
        h = height_at(flowable, width)
        if not isinstance(flowable, Spacer):
            return h <= room or (not keeps_whole(flowable) and len(flowable.split(width, room)) > 1)
        room -= h
    return True


def keeps_with_next(flowable: Flowable) -> bool:
    """A heading's style says keepWithNext; a Paragraph answers only through getKeepWithNext()."""
    get = getattr(flowable, "getKeepWithNext", None)
    return bool(get() if get else getattr(flowable, "keepWithNext", False))


def flow(items: list[Flowable], columns: list[Column]) -> tuple[list[Placed], float]:
    """Pour *items* into *columns* in order, splitting a paragraph or box at a column's end.

    Returns what was placed and the height of what did not fit (0.0 when everything did).
    A gap never opens a column, a heading never ends one, and a ``keep_whole`` block is
    split only when it opens a column and still does not fit.
    """
    placed, rest = flow_rest(items, columns)
    return placed, total_height(rest, columns[-1].width) if columns else total_height(rest, 1e9)


def flow_rest(items: list[Flowable], columns: list[Column]) -> tuple[list[Placed], list[Flowable]]:
    """:func:`flow`, returning what did not fit (to pour into columns further on) instead of its height."""
    placed: list[Placed] = []
    queue = list(items)
    for col in columns:
        y, opened = col.top, False
        while queue:
            f = queue[0]
            if not opened and isinstance(f, Spacer):
                queue.pop(0)
                continue
            room = y - col.bottom
            h = height_at(f, col.width)  # a paragraph already broken at this width is not broken again
            keep = keeps_with_next(f) and len(queue) > 1
            if h <= room + 1e-6 and not (keep and not fits_after(queue[1:], col.width, room - h)):
                placed.append(Placed(f, col.x, y, col.width, col.page))
                y, opened = y - h, True
                queue.pop(0)
                continue
            parts = [] if keep or (opened and keeps_whole(f)) else f.split(col.width, room)
            if len(parts) > 1:
                parts[0].wrap(col.width, room)
                placed.append(Placed(parts[0], col.x, y, col.width, col.page))
                queue[0:1] = parts[1:]
            break
    return placed, queue


def stack(flowables: list[Flowable], x: float, top: float, width: float, page: int = 0) -> list[Placed]:
    """Place *flowables* one under another from *top*."""
    placed = []
    for f in flowables:
        placed.append(Placed(f, x, top, width, page))
        top -= height_at(f, width)
    return placed
