"""Pouring blocks down pages: a cover, or any page made of stacked blocks (no drawing, no I/O).

Unlike :func:`handouts.layout.columns.flow`, which fills a handout's columns on its one
or two pages, :func:`flow_pages` opens as many pages as the blocks need, divides a
table between its rows (its header row repeated) and keeps a ``keep_whole`` block
(the tick log) together on the next page unless it is taller than a page.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer, Table

from handouts.layout.flowables import Placed, height_at


def stack_down(flowables: list[Flowable], x: float, top: float, width: float) -> tuple[list[Placed], float]:
    """Place *flowables* one under another from *top*; return them and the bottom reached."""
    placed = []
    for f in flowables:
        h = height_at(f, width)
        if not isinstance(f, Spacer):
            placed.append(Placed(f, x, top, width))
        top -= h
    return placed, top


def flow_pages(items: list[Flowable], first: list[Placed], first_top: float, page_top: float, bottom: float,
          x: float, width: float) -> list[list[Placed]]:
    """Pour *items* down the pages, the first of which already holds *first* above *first_top*.

    A table or box that does not fit is divided between rows (the table's header row
    repeated); a flowable marked ``keep_whole`` moves to the next page instead, and is only
    divided when it is taller than a page of its own.  A gap never opens a page.
    """
    pages: list[list[Placed]] = [list(first)]
    y, fresh = first_top, not first
    page_room = page_top - bottom
    queue = list(items)
    while queue:
        f = queue.pop(0)
        if isinstance(f, Spacer):
            if not fresh:
                y -= f.height
            continue
        room = y - bottom
        h = height_at(f, width)
        if h <= room + 1e-6:
            pages[-1].append(Placed(f, x, y, width))
            y, fresh = y - h, False
            continue
        parts = divide(f, width, room, page_room) if fresh or not getattr(f, "keep_whole", False) else []
        if len(parts) > 1:
            parts[0].wrap(width, room)
            pages[-1].append(Placed(parts[0], x, y, width))
            queue[0:0] = parts[1:]
        elif fresh:  # cannot be divided, and a page of its own is not enough: it is cut at the foot
            pages[-1].append(Placed(f, x, y, width))
            y -= h
            continue
        else:
            queue.insert(0, f)
        pages.append([])
        y, fresh = page_top, True
    return pages


def divide(f: Flowable, width: float, room: float, page_room: float) -> list[Flowable]:
    """*f* split to fill *room*, or [] when it cannot be.

    A table row is only divided when it is taller than a whole page (a note of several
    hundred words), where moving it to the next page would not help.
    """
    if room <= 0:
        return []
    parts = f.split(width, room)
    if len(parts) < 2 and isinstance(f, Table) and not f.splitInRow:
        f.wrap(width, page_room)
        heights = f._rowHeights
        if len(heights) > 1 and heights[0] + heights[1] > page_room:
            f.splitInRow = 1
            parts = f.split(width, room)
    return parts
