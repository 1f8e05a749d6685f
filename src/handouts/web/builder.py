"""The front desk's background build: the library rebuilt when its files change, and what came of it.

A watcher thread looks at the build's inputs (the names, sizes and modification times of the
content, the assets, the programs and ``clinic.yaml``) every ``poll_seconds``; when they change it
runs the same whole-library incremental build as ``handouts build``, and the pages read
:meth:`Builder.status` to show its progress and every problem with its file, line and message.

The build never runs in the server's own process: the server is multi-threaded, and the build's
worker pool forks, which is unsafe with threads.  Each build runs in a child process *spawned*
afresh (which is then single-threaded and may fork its own pool); it sends its progress and a
small picklable :class:`Outcome` back over a pipe.  The child works in the project folder, so the
files its problems name read as the user sees them in the project (``content/plank.yaml``).
As with every spawned process, the child imports the server's main script again, under another
name: a script that starts a Builder must do so under ``if __name__ == "__main__":`` (``handouts``
and ``python -m handouts`` do).

Nothing here logs: problems name files, and what a build says about a program may name a client.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from handouts.errors import FONT_NOTICE, NOTICES, ContentError, HandoutsError, OutputError, Problem, shorten
from handouts.web.inputs_snapshot import Snapshot, snapshot

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from handouts.web.desk import Desk

#: What :meth:`Builder.status` says the build is doing: no build finished yet and none running;
#: one running; the last one finished without errors; the last one had errors (or could not run).
STATES = ("starting", "building", "ready", "failed")
#: How long a stopped build may take to record what it wrote before it is killed (s).
STOP_GRACE = 2.0
#: How often the watcher reads a running build's messages (s): also how soon it hears stop().
TICK = 0.05

# --- the build, in the child process --------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    """What one build came to, as the child sends it back (picklable, small: not the BuildReport).

    *made*: files written; *unchanged*: sources (exercises, programs) with every output up to
    date; *failed*: sources not built; *built*: what was made as the summary says it (``"3
    handouts"``); *notices*: the summary's lines on what the layout did by design.
    """

    made: int = 0
    unchanged: int = 0
    failed: int = 0
    built: tuple[str, ...] = ()
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.failed and not self.errors


def internal_error(what: str) -> Outcome:
    """A build that went wrong in a way no file of the user's explains: one problem, no traceback."""
    return Outcome(errors=(Problem("", None, None, f"internal error: {shorten(what, 300)}"),))


def build_library(desk: Desk, jobs: int, progress: Callable[[int, int], None] | None = None) -> Outcome:
    """Build the whole library and every program in programs/ as ``handouts build`` does, with *jobs*
    worker processes; *progress* is told (done, total) of each phase as the build goes.

    Never raises for what goes wrong (KeyboardInterrupt aside): clinic.yaml with mistakes, a
    folder that cannot be written or an unexpected exception are the outcome's errors.  Forks
    its worker pool when *jobs* > 1: call it only in a process with no other threads.
    """
    try:
        return _build(desk, jobs, progress)
    except ContentError as exc:  # clinic.yaml: no build can run until it is mended
        return Outcome(errors=tuple(exc.problems), warnings=tuple(exc.warnings))
    except OutputError as exc:
        return Outcome(errors=(exc.problem(),))
    except HandoutsError as exc:
        return Outcome(errors=tuple(Problem("", None, None, line) for line in str(exc).splitlines() if line))
    except Exception as exc:  # a bug: said in one line, the watcher carries on
        return internal_error(f"{type(exc).__name__}: {exc}")


def _build(desk: Desk, jobs: int, progress: Callable[[int, int], None] | None) -> Outcome:
    from handouts.build.gather import yaml_files
    from handouts.build.run import build
    from handouts.render.exercise import clinic_context

    clinic, warnings = desk.clinic()
    options = desk.options(jobs=jobs, programs=tuple(yaml_files(desk.programs_dir)), previews=True)
    if clinic:  # the logo's problems, as `handouts build` warns of them
        warnings = warnings + list(clinic_context(clinic, options.assets_dir, options.out_dir, options.theme)[1])
    report = build(options, progress)
    return Outcome(made=sum(len(files) for files in report.made.values()), unchanged=report.unchanged,
                   failed=len(report.failed), built=tuple(report.phrases()), errors=tuple(report.errors),
                   warnings=tuple(warnings + [p for p in report.warnings if not p.notice]),
                   notices=tuple(notice_lines([p for p in report.warnings if p.notice])))


def notice_lines(notices: list[Problem]) -> list[str]:
    """One line per kind of notice, counting files: ``"1 handout left out description paragraphs to fit the page"``."""
    from handouts.outputs.base import plural

    lines = []
    for kind, (noun, phrase) in NOTICES.items():
        files = {n.path for n in notices if n.notice == kind}
        if files:
            lines.append(f"{plural(len(files), noun)} {phrase}")
    fonts = {n.path for n in notices if n.notice == FONT_NOTICE}
    if fonts:
        lines.append(f"{plural(len(fonts), 'file')} printed some characters in a fallback font")
    return lines


def _interrupted(signum: int, frame: Any) -> None:
    """SIGTERM (stop()) ends the build as Ctrl-C ends `handouts build`: what was written is recorded."""
    raise KeyboardInterrupt


def _child(conn: Connection, desk: Desk, jobs: int) -> None:
    """The spawned build process: one build in the project folder, its messages sent on *conn*:
    ``("progress", done, total)`` as it goes, then ``("done", Outcome)``."""
    signal.signal(signal.SIGTERM, _interrupted)

    def send(*message: object) -> None:
        try:
            conn.send(message)
        except (OSError, EOFError):  # the server stopped listening: nobody to tell
            pass

    try:
        try:
            os.chdir(desk.project_dir)  # problems then name files as they are in the project
        except OSError as exc:
            outcome = Outcome(errors=(Problem(str(desk.project_dir), None, None,
                                              f"cannot be read ({exc.strerror or exc})"),))
        else:
            outcome = build_library(desk, jobs, lambda done, total: send("progress", done, total))
        send("done", outcome)
    except KeyboardInterrupt:
        pass
    finally:
        conn.close()


# --- the watcher, in the server's process ----------------------------------------------------------

def _problem(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line, "field": problem.field, "message": problem.message,
            "text": str(problem) if problem.path else problem.message}


class Builder:
    """The library's background build for the front desk: see the module's docstring.

    *poll_seconds*: how often the inputs are looked at (s); *jobs*: the build's worker
    processes (None: one per usable core).  Every method may be called from any thread.
    """

    def __init__(self, desk: Desk, poll_seconds: float = 1.0, jobs: int | None = None):
        # absolute, as the build runs in the project folder whatever the server's working folder
        self.desk = replace(desk, content_dir=Path(os.path.abspath(desk.content_dir)),
                            assets_dir=Path(os.path.abspath(desk.assets_dir)),
                            out_dir=Path(os.path.abspath(desk.out_dir)))
        self.poll_seconds, self.jobs = poll_seconds, jobs
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # told of every change of the state below
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._seen: Snapshot | None = None
        self._pending = False   # a build is asked for (coalesced: one, however often asked)
        self._running = False
        self._progress = (0, 0)
        self._generation = 0
        self._finished: str | None = None
        self._last: Outcome | None = None
        self._shown: tuple[list[dict[str, Any]], list[dict[str, Any]]] = ([], [])

    # --- asked by the server ------------------------------------------------------------------
    def start(self) -> None:
        """Start watching (a daemon thread), with a first build at once.  Does nothing if started."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stopping.clear()
        self.request()
        self._thread = threading.Thread(target=self._watch, name="handouts-builder", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop watching, and end a running build (it has :data:`STOP_GRACE` s to record what it
        wrote, then it is killed); returns when the watcher has ended, or after *timeout* s."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def request(self) -> None:
        """Ask for a build now (after the running one, if one is running)."""
        with self._changed:
            self._pending = True
            self._changed.notify_all()
        self._wake.set()

    def look(self) -> None:
        """Look at the inputs now (a page just changed them): the status says a build is coming."""
        self._notice(snapshot(self.desk))

    def status(self) -> dict[str, Any]:
        """What the build is doing and what the last finished one came to, ready for JSON::

            {"state": one of STATES, "done": int, "total": int (sources of the running build's
             phase; 0 and 0 when none runs),
             "queued": bool (another build will follow), "generation": int (finished builds),
             "finished": ISO 8601 local time or None, "made": int, "unchanged": int, "failed": int,
             "built": [str], "notices": [str],
             "problems": [{"path", "line", "field", "message", "text"}], "warnings": [same]}

        The counts and problems are the last finished build's, also while another one runs.
        """
        with self._lock:
            last = self._last or Outcome()
            state = "building" if self._running else "starting" if self._last is None else \
                "ready" if last.ok else "failed"
            return {"state": state, "done": self._progress[0], "total": self._progress[1], "queued": self._pending,
                    "generation": self._generation, "finished": self._finished,
                    "made": last.made, "unchanged": last.unchanged, "failed": last.failed,
                    "built": list(last.built), "notices": list(last.notices),
                    "problems": [dict(p) for p in self._shown[0]], "warnings": [dict(p) for p in self._shown[1]]}

    def wait_idle(self, timeout: float) -> bool:
        """Wait until the build has caught up with the inputs as they are now (a change not yet
        seen by the watcher is noticed here) and nothing runs or is queued; False after *timeout* s."""
        self._notice(snapshot(self.desk))
        with self._changed:
            return self._changed.wait_for(lambda: not self._running and not self._pending, timeout)

    # --- the watcher thread ---------------------------------------------------------------------
    def _notice(self, seen: Snapshot) -> None:
        with self._changed:
            if seen == self._seen:
                return
            self._seen, self._pending = seen, True
            self._changed.notify_all()
        self._wake.set()

    def _begin(self) -> bool:
        """Take the queued build, if any: it is running from now."""
        with self._changed:
            if not self._pending or self._stopping.is_set():
                return False
            self._pending, self._running, self._progress = False, True, (0, 0)
            self._changed.notify_all()
            return True

    def _watch(self) -> None:
        look = 0.0  # when to look at the inputs next (time.monotonic)
        while not self._stopping.is_set():
            try:
                if time.monotonic() >= look:
                    self._notice(snapshot(self.desk))
                    look = time.monotonic() + self.poll_seconds
                if self._begin():
                    look = self._run(look)
                else:
                    self._wake.wait(max(0.0, look - time.monotonic()))
                    self._wake.clear()
            except Exception as exc:  # never the watcher's end: said in the status, tried again later
                self._finish(internal_error(f"{type(exc).__name__}: {exc}"))
                self._stopping.wait(self.poll_seconds)
        with self._changed:
            self._running = False
            self._changed.notify_all()

    def _run(self, look: float) -> float:
        """One build in a spawned process, its messages read as they come; the inputs are still
        looked at (a change queues one more build).  Returns when to look at them next."""
        from handouts.build.pool import usable_cores

        context = multiprocessing.get_context("spawn")
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(writer, self.desk, self.jobs or usable_cores()),
                                  name="handouts-build")  # not a daemon: daemons may not start the build's pool
        outcome: Outcome | None = None
        try:
            try:
                process.start()
            finally:
                writer.close()  # the child's copy stays open: the pipe ends when the child does
            while outcome is None:
                if self._stopping.is_set():
                    _end(process)
                    return look
                if reader.poll(TICK):
                    try:
                        message = reader.recv()
                    except (EOFError, OSError):
                        break
                    if message[0] == "progress":
                        with self._changed:
                            self._progress = (int(message[1]), int(message[2]))
                            self._changed.notify_all()
                    elif message[0] == "done":
                        outcome = message[1]
                elif not process.is_alive() and not reader.poll():
                    break
                if time.monotonic() >= look:
                    self._notice(snapshot(self.desk))
                    look = time.monotonic() + self.poll_seconds
            process.join(STOP_GRACE)
        finally:
            reader.close()
            if process.pid is not None and process.is_alive():
                _end(process)
        if outcome is None:
            outcome = internal_error(f"the build process ended before it finished (exit code {process.exitcode})")
        self._finish(outcome)
        return look

    def _finish(self, outcome: Outcome) -> None:
        shown = ([_problem(p) for p in outcome.errors], [_problem(p) for p in outcome.warnings])
        with self._changed:
            self._last, self._shown = outcome, shown
            self._generation += 1
            self._finished = datetime.now().astimezone().isoformat(timespec="seconds")
            self._running, self._progress = False, (0, 0)
            self._changed.notify_all()


def _end(process: BaseProcess) -> None:
    """Stop a build process: SIGTERM (it records what it wrote), then SIGKILL after :data:`STOP_GRACE` s."""
    process.terminate()
    process.join(STOP_GRACE)
    if process.is_alive():
        process.kill()
        process.join()
