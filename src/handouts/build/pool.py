"""Worker processes for a build: forked once, sharing what every task of the build needs.

Fork (where the platform has it) lets every worker inherit the registered fonts and the
parsed content without pickling them; ``gc.freeze`` keeps the workers' garbage collector
off the inherited objects, so their memory pages stay shared.  A task then carries only
what differs between tasks: an exercise, or a program.
"""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator

from handouts.style.fonts import fonts

_SHARED: tuple = ()


def _setup(*shared) -> None:
    global _SHARED
    _SHARED = shared


def shared() -> tuple:
    """In a worker: what the pool was made with."""
    return _SHARED


@contextmanager
def worker_pool(workers: int, common: tuple) -> Iterator[ProcessPoolExecutor]:
    """A pool of *workers* processes, each holding *common* (read back with :func:`shared`)."""
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    fonts()  # registered once, before the fork, and inherited by every worker
    gc.freeze()  # the workers' garbage collector then leaves the inherited objects (and pages) alone
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_setup,
                                 initargs=common) as pool:
            yield pool
    finally:
        gc.unfreeze()
