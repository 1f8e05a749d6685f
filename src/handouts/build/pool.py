"""Worker processes for a build: forked once, sharing what every task of the build needs.

Fork (where the platform has it) lets every worker inherit the registered fonts and the
parsed content without pickling them; ``gc.freeze`` keeps the workers' garbage collector
off the inherited objects, so their memory pages stay shared.  A task then carries only
what differs between tasks: an exercise, or a program.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # imported by worker_pool: a build with nothing to make starts no process (issue 19, no-op)
    from concurrent.futures import ProcessPoolExecutor


_SHARED: tuple = ()


def _setup(*shared) -> None:
    global _SHARED
    _SHARED = shared
    # Ctrl-C reaches the whole process group: a worker finishes the chunk it is making (the build then
    # records those files) and is ended by the pool's shutdown, or with the build (_die_with_parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the build that forked it ends, however it ends (a kill
    -9 included): a worker left blocked on its task queue would sleep for ever under PID 1.
    (prctl PR_SET_PDEATHSIG; elsewhere the pool's own shutdown is all there is.)"""
    if not sys.platform.startswith("linux"):
        return
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the build's own handler (that raises KeyboardInterrupt)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
        if os.getppid() == 1:  # the build ended before the call: the signal it would have sent, now
            os.kill(os.getpid(), signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def shared() -> tuple:
    """In a worker: what the pool was made with."""
    return _SHARED


@contextmanager
def worker_pool(workers: int, common: tuple) -> Iterator[ProcessPoolExecutor]:
    """A pool of *workers* processes, each holding *common* (read back with :func:`shared`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    from handouts.style.fonts import fonts  # ReportLab: only a build with work to do (see handouts.outputs)

    fonts()  # registered once, before the fork, and inherited by every worker
    gc.freeze()  # the workers' garbage collector then leaves the inherited objects (and pages) alone
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_setup,
                                 initargs=common) as pool:
            yield pool
    finally:
        gc.unfreeze()
