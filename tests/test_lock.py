"""One build at a time in an output folder (build/lock.py): a second one waits, or says who holds it."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from conftest import REPO
from handouts.build.lock import output_lock
from handouts.build.run import BuildOptions, build
from handouts.errors import HandoutsError


def _library(root: Path) -> BuildOptions:
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "assets", root / "assets")
    return BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / "out")


def test_a_build_waits_for_the_one_writing_its_output_folder_then_reads_the_library_as_it_left_it(
        tmp_path, monkeypatch):
    import handouts.build.lock as lock

    options = _library(tmp_path)
    waiting = threading.Event()
    real_sleep = lock.time.sleep

    def sleep(seconds: float) -> None:  # called only when the lock is held by someone else
        waiting.set()
        real_sleep(seconds)

    monkeypatch.setattr(lock.time, "sleep", sleep)
    reports = []
    worker = threading.Thread(target=lambda: reports.append(build(options)))
    with output_lock(options.out_dir):
        worker.start()
        assert waiting.wait(timeout=120), "the second build found the folder held, and waits"
        (tmp_path / "content" / "later.yaml").write_text("title: Written Meanwhile\ninstructions:\n  - Sit.\n",
                                                         encoding="utf-8")
    worker.join(timeout=120)
    (report,) = reports
    assert report.ok and "later.pdf" in [p.name for p in report.written], "it read the library after waiting"


def test_a_build_that_cannot_wait_any_longer_names_the_pid_holding_the_folder(tmp_path):
    with output_lock(tmp_path / "out"):
        with pytest.raises(HandoutsError) as caught:
            with output_lock(tmp_path / "out", wait=0):
                pass
    assert f"another build is writing here (pid {os.getpid()})" in str(caught.value)
    with output_lock(tmp_path / "out", wait=0):  # released: the next one gets it at once
        pass


def test_the_command_says_once_that_it_waits_for_the_other_build(tmp_path):
    """A build waiting in silence for up to ten minutes looks hung: it says what it waits for."""
    import subprocess
    import sys

    options = _library(tmp_path)
    with output_lock(options.out_dir):
        process = subprocess.Popen([sys.executable, "-m", "handouts", "build", "--out", "out", "--jobs", "1"],
                                   cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        guard = threading.Timer(120, process.kill)  # a build that never said it would hang the test otherwise
        guard.start()
        try:
            said = process.stderr.readline() if process.stderr else ""
        finally:
            guard.cancel()
        assert said == f"waiting for another build writing out (pid {os.getpid()}) to finish ...\n"
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0 and "waiting" not in err, err
    assert "built 1 handout" in out
