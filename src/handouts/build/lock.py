"""One build at a time in an output folder.

Two builds writing one output folder at once (two quick saves with a build-on-save hook, or
``--paper a4`` and a plain build a second apart) each record what they wrote in the manifest,
and the last to save wins: a manifest that disagrees with the PDFs, trusted by every later
build.  So a build holds an exclusive lock on ``OUT/.cache/build.lock`` from before it reads
the library until its manifest is saved; a second build waits for it (then reads the library
as the first left it), and gives up with one line after :data:`WAIT_SECONDS`.  The lock is
the kernel's (``flock``): a build killed outright releases it with its last process, so a
stale lock file never blocks anyone.  The file holds the holder's pid, for the message.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from handouts.errors import HandoutsError, OutputError, display_path
from handouts.write import file_mode

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not serialised
    fcntl = None  # type: ignore[assignment]

#: How long a build waits for another one writing the same output folder (s).
WAIT_SECONDS = 600.0


@contextmanager
def output_lock(out_dir: Path, wait: float = WAIT_SECONDS, poll: float = 0.1, name: str = "build.lock",
                busy: str = "another build is writing here",
                waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's build lock (or the lock *name*, which *busy* says is held) for the
    ``with`` block, waiting up to *wait* seconds for its holder to finish; *waiting*, if given, is
    told the holder's pid once, when the wait begins.  Raises HandoutsError naming the other
    holder's pid when it does not finish in time."""
    path = Path(out_dir) / ".cache" / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # an output folder that cannot be written is said, in one line, by the build itself
        yield
        return
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0),
                     file_mode(private=True))
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise OSError(0, "not a regular file")
    except OSError as exc:  # a folder, a link or a pipe in its place: building unlocked could race another build
        raise OutputError(path, f"cannot be used as the build's lock ({exc.strerror or exc}); remove it") from None
    try:
        if fcntl is not None:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
                    if waiting is not None:
                        waiting(holder)
                        waiting = None
                    if time.monotonic() >= deadline:
                        raise HandoutsError(f"{display_path(out_dir)}: {busy} (pid {holder}) and has not "
                                            f"finished in {wait:.0f} s; run this one again when it has") from None
                    time.sleep(poll)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)  # and with it the lock
