"""The build's engine: every planned file of every output kind, skipped or made the same way.

For each phase of kinds (handouts and card files; then what is made from the whole library,
the deck; then programs), the engine asks each kind for its plan, skips each file whose
record in the manifest is up to date (replaying its warnings), prepares the rest in this
process (cheaply: no content file is parsed here), makes them in ``jobs`` worker processes
that parse and validate their own content files and write their own files atomically, and
records what each file was made from.  A
whole-library build then removes the files it made earlier from sources that are gone;
it never removes a file it did not write (one whose bytes are not the bytes it wrote).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from handouts.build.making import STOP_WAIT_SECONDS, Outcome, chunk_size, execute, make_chunk
from handouts.build.manifest import Manifest, Record
from handouts.build.pool import usable_cores, worker_pool
from handouts.build.report import BuildReport, Removal
from handouts.errors import OutputError, Problem
from handouts.outputs.base import Output, Planned, OutputSettings, Source, SourceFile, Task, same_id
from handouts.write import keep_private, output_path, remove_output


# The manifest is saved during a build after at least SAVE_EVERY files and SAVE_SECONDS seconds (a
# save of 868 exercises' records is ~1 MB of JSON, ~0.1 s of the parent's time): a killed build
# loses at most a few seconds of records, and a short build saves once, at its end.
SAVE_EVERY = 200
SAVE_SECONDS = 3.0


class _Progress:
    """Counts sources, not files: an exercise is done when its handout and its cards are."""

    def __init__(self, planned: list[Planned], report: Callable[[int, int], None] | None):
        self.left: dict[object, int] = {}
        for item in planned:
            unit = item.source or item.target
            self.left[unit] = self.left.get(unit, 0) + 1
        if all(item.source is None for item in planned):
            report = None  # the library's own files (the deck): no bar for one file
        self.total, self.done, self.report = len(self.left), 0, report
        self.quiet: dict[object, bool] = {}

    def one_done(self, item: Planned, quietly: bool = False) -> None:
        """One file of *item*'s source done; *quietly* for a file skipped as up to date (counted, not shown)."""
        unit = item.source or item.target
        self.left[unit] -= 1
        self.quiet[unit] = quietly and self.quiet.get(unit, True)  # quiet only if every file of it was skipped
        if not self.left[unit]:
            self.done += 1
            if self.report and not self.quiet[unit]:
                self.report(self.done, self.total)


@dataclass
class _Problems:
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


class Engine:
    """One build's run over its phases; it is the :class:`handouts.outputs.base.Library` kinds plan from."""

    def __init__(self, settings: OutputSettings, exercises: list[Source], programs: Sequence[SourceFile],
                 manifest: Manifest, fingerprint: Callable[[Output], str], jobs: int = 1,
                 progress: Callable[[int, int], None] | None = None,
                 checkpoint: Callable[[Manifest], None] | None = None, rebuild: bool = False):
        """*rebuild* (``--rebuild``): every planned file is made again, none skipped as up to date; the
        records of the files not planned this time are kept all the same (a named file rebuilt must
        not make the next build forget the rest of the library, or what it may remove)."""
        self._settings, self._exercises, self._programs = settings, exercises, programs
        self._rebuild = rebuild
        self._by_key: dict[str, SourceFile] = {s.key: s for s in exercises}
        self._by_key.update((s.key, s) for s in programs)
        self.old, self.new = manifest, Manifest(dict(manifest.records))
        self.fingerprint, self.jobs, self.progress = fingerprint, jobs, progress
        self.report = BuildReport()
        self._progress = _Progress([], None)
        self._counts: dict[str, int] = {}
        self._digests: dict[str, str] = {}   # target -> SHA-256 of the file this build made or kept there
        self._problems: dict[str | None, _Problems] = {}
        self._touched: dict[str, None] = {}   # sources with a planned file, in order
        self._fresh: set[str] = set()         # sources with a file made (or tried) this build
        self._failed: dict[str, None] = {}
        self._targets: dict[str, str] = {}    # target -> the source shown for it
        self._kinds: dict[str, Output] = {}
        self.checkpoint = checkpoint          # saves the manifest as it stands (see _execute)
        self._since_saved, self._saved_at = 0, time.monotonic()

    # --- the Library the kinds plan from --------------------------------------------------
    @property
    def settings(self) -> OutputSettings:
        return self._settings

    @property
    def exercises(self) -> Sequence[Source]:
        return self._exercises

    def count(self, target: str) -> int:
        return self._counts.get(target, 0)

    def written(self, target: str) -> str | None:
        return self._digests.get(target)

    def failed(self) -> bool:
        return bool(self._failed) or any(s.errors for s in self._exercises if s.parsed)

    # --- running -------------------------------------------------------------------------
    def run(self, kinds: Sequence[Output]) -> None:
        """Plan, skip and make every file of *kinds* (one phase).

        Raises OutputError when a kind's private folder cannot be made owner-only (a file in its place).
        """
        self.report.kinds += kinds
        for kind in kinds:  # before anything is written there (an email edition's folders: see outputs.base)
            if kind.private_folder:
                keep_private(self._settings.out_dir, *kind.private_folder.split("/"), parents=kind.private_parents)
        by_kind = {kind.kind: kind for kind in kinds}
        self._kinds.update(by_kind)
        planned = [p for kind in kinds for p in kind.plan(self)]
        first: dict[str, int] = {}  # a source's files together: it is done (for progress) as soon as it can be
        for i, item in enumerate(planned):
            first.setdefault(item.source or item.target, i)
        planned.sort(key=lambda item: first[item.source or item.target])
        self._progress = _Progress(planned, self.progress)
        claims: dict[str, dict[str, None]] = {}  # target -> every source (as shown) that would write it
        for item in planned:
            shown = self._shown(item)
            self._targets.setdefault(item.target, shown)
            claims.setdefault(item.target, {})[shown] = None
        todo: list[tuple[Planned, Task]] = []
        for item in planned:
            self.report.planned[item.kind] = self.report.planned.get(item.kind, 0) + 1
            if item.source:
                self._touched.setdefault(item.source)
            if len(claims[item.target]) > 1:
                self._collided(item, list(claims[item.target]))
                self._progress.one_done(item)
                continue
            record = self.old.records.get(item.target)
            fingerprint = self.fingerprint(by_kind[item.kind])
            if item.inputs and record and record.kind == item.kind and not self._rebuild \
                    and record.up_to_date(item.inputs, fingerprint):
                if not record.output.ctime_ns and record.output.size >= 0:  # an older manifest's: quick from now on
                    self.new.records[item.target] = replace(record, output=record.output.restamped())
                self._counts[item.target] = record.count
                if record.output.size != -1:
                    self._digests[item.target] = record.output.sha256
                self._of(item.source).warnings += record.problems()
                self._progress.one_done(item, quietly=True)
                continue
            if item.source:
                self._fresh.add(item.source)
            prepared = item.prepare()
            if prepared is None:  # left as it is for now: its record stays, stale, so it is tried again
                self._progress.one_done(item)
                continue
            if isinstance(prepared, Sequence):  # it cannot be made: these problems (or its source's) say why
                self._of(item.source).errors += prepared
                self._fail(item.source or item.target)
                self._progress.one_done(item)
                continue
            todo.append((item, prepared))
        self._execute(todo)

    def _shown(self, item: Planned) -> str:
        source = self._source(item.source)
        return source.shown if source else item.target

    def _collided(self, item: Planned, claimants: list[str]) -> None:
        """Two sources that would write the same file: each fails (see :func:`outputs.base.same_id`)."""
        shown = self._shown(item)
        problem = same_id(shown, [other for other in claimants if other != shown],
                          Path(self._settings.out_dir) / item.target)
        if problem not in self._of(item.source).errors:
            self._of(item.source).errors.append(problem)
        self._fail(item.source or item.target)

    def _execute(self, todo: list[tuple[Planned, Task]]) -> None:
        """Make each source's files together, in this process or in a pool of workers, and record
        each as it comes: the manifest is saved every SAVE_EVERY files, so a build killed outright
        (no Ctrl-C, no chance to save at the end) still leaves a record of what it wrote."""
        out_dir = self._settings.out_dir
        batches: dict[str, list[int]] = {}
        for i, (item, _) in enumerate(todo):
            batches.setdefault(item.source or item.target, []).append(i)
        jobs, members_of = [], []
        for members in batches.values():
            try:  # a link out of the output folder where a file goes: that source fails alone
                jobs.append([(output_path(out_dir, *todo[i][0].target.split("/")), todo[i][1]) for i in members])
            except OutputError as exc:
                item = todo[members[0]][0]
                self._of(item.source).errors.append(exc.problem())
                self._fail(item.source or item.target)
                for i in members:
                    self._progress.one_done(todo[i][0])
                continue
            members_of.append(members)

        def attach(index: int, results: list[Outcome]) -> None:
            for i, (target, _), outcome in zip(members_of[index], jobs[index], results):
                item = todo[i][0]
                if outcome.read is not None and (source := self._source(item.source)) is not None:
                    assert isinstance(source, Source)
                    source.take(outcome.read)
                self._record(item, target, outcome)
                self._progress.one_done(item)
                self._since_saved += 1
            if self.checkpoint and self._since_saved >= SAVE_EVERY and \
                    time.monotonic() - self._saved_at >= SAVE_SECONDS:
                self._since_saved, self._saved_at = 0, time.monotonic()
                self.checkpoint(self.new)

        if self.jobs <= 1 or len(jobs) <= 1:
            for index, batch in enumerate(jobs):
                attach(index, execute(batch, self._settings))
            return
        workers = min(self.jobs, len(jobs), usable_cores())
        size = chunk_size(len(jobs), workers)
        numbered = list(enumerate(jobs))
        from concurrent.futures import as_completed  # here: a no-op build imports no process pool

        with worker_pool(workers, (self._settings,)) as pool:
            pending = {pool.submit(make_chunk, numbered[i:i + size]) for i in range(0, len(numbered), size)}
            attached: set[object] = set()
            try:
                for future in as_completed(pending):
                    for index, results in future.result():
                        attach(index, results)
                    attached.add(future)
            except BaseException:  # Ctrl-C, SIGTERM: what has not started is cancelled; what was made is recorded
                for future in pending:
                    future.cancel()
                for future in pending - attached:  # the chunks under way finish writing their files: record them,
                    if future.cancelled():         # or a file of an exercise deleted later would never be removed
                        continue
                    try:
                        for index, results in future.result(timeout=STOP_WAIT_SECONDS):
                            attach(index, results)
                    except BaseException:  # a worker killed with the build, or too slow: made again next time
                        continue
                raise

    def _new_record(self, item: Planned, outcome: Outcome) -> Record:
        source = self._source(item.source)
        # replayed with the file's own when it is skipped (not by a file made from another: see Output.derived)
        own = list(source.warnings) if source and not self._kinds[item.kind].derived else []
        warnings = list(dict.fromkeys(own + outcome.warnings))
        assert outcome.output is not None
        return Record(item.kind, item.source, item.inputs or "", self.fingerprint(self._kinds[item.kind]),
                      outcome.output, outcome.reads,
                      [[w.path, w.line, w.field, w.message, w.notice] for w in warnings], outcome.count)

    def _record(self, item: Planned, path: Path, outcome: Outcome) -> None:
        """Count and record one made file at *path* (its target under the output folder)."""
        problems = self._of(item.source)
        problems.warnings += outcome.warnings
        if outcome.kept:
            return
        if outcome.errors or outcome.blocked or (outcome.read and outcome.read.errors):
            problems.errors += outcome.errors  # a content file's own errors are its Source's (see attach)
            self._fail(item.source or item.target)
            return
        self._counts[item.target] = outcome.count
        if outcome.written and outcome.output is not None:
            self._digests[item.target] = outcome.output.sha256
        if outcome.written:
            self.report.made.setdefault(item.kind, []).append(path)
            self.report.counts[item.kind] = self.report.counts.get(item.kind, 0) + outcome.count
        if outcome.removed:
            self.report.removed.append(Removal(path, self._kinds[item.kind].emptied))
        self.new.records[item.target] = self._new_record(item, outcome)

    def library_read(self) -> bool:
        """Whether any exercise of the library is usable (up to date or read without errors): a library
        where none is (``--content programs``, a typo) must not make the build remove every handout."""
        return any(not s.errors for s in self._exercises)  # its own errors: a file written badly was still read

    def anything_gone(self) -> bool:
        """Whether a whole-library build would remove a file made from a source that is gone."""
        kinds = {kind.kind for kind in self.report.kinds}
        return any(r.kind in kinds and r.source is not None and t not in self._targets
                   for t, r in self.new.records.items())

    def remove_gone(self, followers: Mapping[str, str] | None = None) -> None:
        """A whole-library build: remove the files made from sources that are gone (only files it wrote).

        *followers*: kinds this build does not make whose files go with their source all the same
        (kind -> why, for the summary): the previews a front-desk build made, one of a deleted
        program showing its client's name."""
        kinds: dict[str, str] = {kind.kind: kind.gone for kind in self.report.kinds}
        rank = {name: i for i, name in enumerate(kinds)}  # reported kind by kind, as planned
        following = {kind: why for kind, why in (followers or {}).items() if kind not in kinds}
        for target, record in sorted(self.new.records.items(), key=lambda kv: (rank.get(kv[1].kind, -1), kv[0])):
            if record.source is None:
                continue
            if record.kind in following:
                if record.source in self._by_key:
                    continue
            elif record.kind not in kinds or target in self._targets:
                continue
            try:
                path = output_path(self._settings.out_dir, *target.split("/"))
            except OutputError:  # a link put where it was: not the build's to remove
                del self.new.records[target]
                continue
            if record.written_by_us() and remove_output(path):
                self.report.removed.append(Removal(path, kinds.get(record.kind) or following[record.kind], orphan=True))
            del self.new.records[target]

    # --- the report ------------------------------------------------------------------------
    def finish(self) -> BuildReport:
        """Every source's problems in content order (exercises, then programs), and the counts."""
        report = self.report
        sources: list[SourceFile] = [*self._exercises, *self._programs]
        for source in sources:
            reported = source.key in self._touched or source.parsed
            if not reported:
                continue
            extra = self._problems.get(source.key, _Problems())
            report.warnings += list(dict.fromkeys([*source.warnings, *extra.warnings]))
            report.errors += list(dict.fromkeys([*source.errors, *extra.errors]))
            if source.key not in self._touched:
                continue
            if source.errors or source.key in self._failed:
                report.failed.append(source.shown)
            elif source.key not in self._fresh:
                report.unchanged += 1
        library = self._problems.get(None, _Problems())
        report.warnings += library.warnings
        report.errors += library.errors
        report.failed += [key for key in self._failed if key not in self._by_key]
        order = {target: i for i, target in enumerate(self._targets)}
        for kind in report.kinds:  # in the order planned, whatever order the workers finished in
            report.made.get(kind.kind, []).sort(key=lambda p: order.get(self._target_of(p), 0))
        return report

    def _target_of(self, path: Path) -> str:
        return path.relative_to(Path(self._settings.out_dir).resolve()).as_posix()

    def _source(self, key: str | None) -> SourceFile | None:
        return None if key is None else self._by_key.get(key)

    def _of(self, key: str | None) -> _Problems:
        return self._problems.setdefault(key, _Problems())

    def _fail(self, key: str) -> None:
        self._failed.setdefault(key)
