"""Making a source's files, in a worker or in the build's own process: what the engine sends
(a chunk of sources, each with its tasks) and what comes back (an :class:`Outcome` per file).

Each source's files are made together and written atomically, all or nothing; the worker
sends back plain values only (warnings, errors, stamps), never an exercise.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from handouts.build.pool import shared
from handouts.errors import OutputError, Problem, display_path, shorten
from handouts.outputs.base import OutputSettings, SourceRead, Task
from handouts.render.reads import FileStamp
from handouts.write import atomic_write_all, remove_output


@dataclass
class Outcome:
    """What making one file did (returned by a worker: plain, picklable values)."""

    warnings: list[Problem]
    errors: list[Problem]
    count: int = 0
    written: bool = False
    removed: bool = False
    output: FileStamp | None = None
    reads: list[FileStamp] = field(default_factory=list)
    blocked: bool = False  # made, but not written: another file of its source has errors
    read: SourceRead | None = None  # what validating its content file in the worker found
    kept: bool = False  # left as it is (Made.keep): not written, not recorded


def execute(batch: Sequence[tuple[Path, Task]], settings: OutputSettings) -> list[Outcome]:
    """Make the files of one source (an exercise's handout and cards) and write them atomically.

    All or nothing: when one of them has errors, none is written, as a content file with a
    mistake is skipped whole (a question too long for a card keeps the old handout too).  A
    file made empty is removed.
    """
    try:
        made = [task.make(settings) for _, task in batch]
    except Exception as exc:  # a bug met by one source: its files are not made, and the rest of the build goes on
        if os.environ.get("HANDOUTS_DEBUG"):
            raise
        return [Outcome([], [_internal_error(batch, exc)] if i == 0 else [], blocked=i > 0) for i in range(len(batch))]
    if any(m.failed for m in made):  # the files from the last good build stay; their records say they are stale
        return [Outcome(list(m.warnings), list(m.errors), blocked=not m.failed, read=m.read) for m in made]
    if all(m.keep and m.data is None for m in made):
        return [Outcome(list(m.warnings), [], kept=True) for m in made]
    written = [(target, m.data) for (target, _), m in zip(batch, made) if m.data is not None]
    try:
        # all of the source's files, or none (a folder in the way, a full disk)
        atomic_write_all(written, private=any(m.private for m in made))
        removed = [m.data is None and remove_output(target) for (target, _), m in zip(batch, made)]
    except OutputError as exc:
        return [Outcome(list(m.warnings), [exc.problem()] if i == 0 else [], blocked=i > 0, read=m.read)
                for i, m in enumerate(made)]
    return [Outcome(list(m.warnings), [], m.count, m.data is not None, was_removed,
                    FileStamp.written(target, m.data), list(m.reads), read=m.read)
            for (target, _), m, was_removed in zip(batch, made, removed)]


def _internal_error(batch: Sequence[tuple[Path, Task]], exc: Exception) -> Problem:
    """The error of a source whose files could not be made because of a bug: named by its content
    file when it has one (else by the first file it makes), in one line, as the command line says a bug."""
    target, task = batch[0]
    source = getattr(task, "source", None)
    shown = getattr(source, "shown", None) or display_path(target)
    return Problem(str(shown), None, None, f"internal error while making {target.name}: {type(exc).__name__}: "
                                           f"{shorten(str(exc), 160)} (set HANDOUTS_DEBUG=1 for details; please "
                                           f"report it); the rest was built")


def make_chunk(chunk: Sequence[tuple[int, Sequence[tuple[Path, Task]]]]) -> list[tuple[int, list[Outcome]]]:
    """A worker's share: several sources' batches, each made (and written) on its own."""
    settings = shared()[0]
    return [(index, execute(batch, settings)) for index, batch in chunk]


#: How many sources a worker is sent at once, at most: sending each alone costs each one a round
#: trip through the pool's queues and pickling (issue 19 measured -12 % CPU for batches of 8-32).
CHUNK_MOST = 32
#: How long a stopped build waits for the chunks its workers are making (a chunk takes about half a
#: second): a file they write is then recorded, not left unknown to every later build.
STOP_WAIT_SECONDS = 30.0


def chunk_size(sources: int, workers: int) -> int:
    """Sources per message to a worker: up to CHUNK_MOST, but at least eight messages per worker, so
    that the last ones still even out between the workers, the progress bar still moves, and a build
    stopped midway has recorded most of what its workers wrote (a chunk is recorded when it comes back)."""
    return max(1, min(CHUNK_MOST, sources // (workers * 8)))
