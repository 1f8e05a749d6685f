"""Run one command as a fresh child and measure it: wall time, CPU time, peak memory.

Usage: python bench/_measure.py RESULT.json STDOUT STDERR SAMPLE_MS -- COMMAND...

Started once per measured phase by bench_build.py, so every number is that phase's
alone (RUSAGE_CHILDREN accumulates over a process's lifetime, hence a fresh wrapper):

* seconds: time.perf_counter() from just before starting COMMAND to its exit, so
  the Python start-up and imports of COMMAND count, as they do for a user;
* cpu_seconds: user + system time of COMMAND and every descendant it waited for
  (getrusage(RUSAGE_CHILDREN) after the wait);
* maxrss_kb: the kernel's high-water mark of the largest single process in the tree
  (RUSAGE_CHILDREN's ru_maxrss: Linux folds a reaped child's peak, and its own
  reaped children's, into its parent's).  Exact, but per process, not a sum;
* tree_peak_kb: the largest sum over the whole process tree (COMMAND and all its
  descendants, e.g. the worker processes) of PSS, sampled every SAMPLE_MS ms
  (/proc/PID/smaps_rollup; RSS where that is missing).  PSS counts pages shared
  between processes (forked workers, libraries) once in total, so this is what the
  tree really occupies; sampling can miss a spike shorter than the interval.
  SAMPLE_MS 0 turns sampling off (then tree_peak_kb is null).

This wrapper makes itself a child subreaper (Linux prctl), so a descendant whose parent
exits first is re-parented here and is still reaped and counted, not lost to init.
"""

from __future__ import annotations

import ctypes
import json
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def _subreaper() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _children_of(pid: int) -> list[int]:
    """Every descendant of *pid*, from /proc (threads' children files)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            tids = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    kids = [int(k) for k in f.read().split()]
            except OSError:
                continue
            found.extend(kids)
            todo.extend(kids)
    return found


def _memory_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    except OSError:
        return 0


def main() -> int:
    result_path, out_path, err_path, sample_ms, sep, *command = sys.argv[1:]
    assert sep == "--" and command, __doc__
    sample = int(sample_ms) / 1000
    _subreaper()
    me = os.getpid()
    peak = 0
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        while True:
            if sample:
                total = sum(_memory_kb(pid) for pid in _children_of(me))
                peak = max(peak, total)
            try:
                rc = proc.wait(timeout=sample or None)
                break
            except subprocess.TimeoutExpired:
                continue
        seconds = time.perf_counter() - start
    # Reap any descendant that outlived COMMAND (re-parented here), so that it counts.
    stray, deadline = 0, time.monotonic() + 30
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid:
            stray += 1
        elif time.monotonic() > deadline:
            break
        else:
            time.sleep(0.01)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(result_path, "w") as f:
        json.dump({"rc": rc, "seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime,
                   "maxrss_kb": usage.ru_maxrss, "tree_peak_kb": peak if sample else None,
                   "stray_processes": stray, "command": command}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
