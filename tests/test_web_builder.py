"""The front desk's background build (handouts.web.builder): real spawned build processes over a
small project in a temporary folder, their PDFs read back, and the status the pages show.

To catch a build while it runs, a test holds the output folder's build lock itself: the build
then waits for it (as it waits for any other build there) and is "building" for as long as the
test likes, with no timing guessed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import pytest

import handouts.build.run
from conftest import EXERCISE_FILES, REPO, SEED, text_of
from handouts.build.lock import output_lock
from handouts.web.builder import Builder, build_library
from handouts.web.inputs_snapshot import snapshot
from handouts.web.desk import Desk

OTHERS = ("seated-knee-extension", "spanish-bridge")
BROKEN = "seated-knee-extension"
WAIT = 300.0  # s: how long a test waits for something that should happen, before failing


def make_project(tmp_path: Path) -> Path:
    """The sample project (its exercise, picture and program) and two test exercises, under *tmp_path*."""
    project = tmp_path / "clinic"
    (project / "content").mkdir(parents=True)
    shutil.copytree(REPO / "assets", project / "assets")
    shutil.copytree(REPO / "programs", project / "programs")
    for name in (SEED, *OTHERS):
        shutil.copy(EXERCISE_FILES[name], project / "content" / f"{name}.yaml")
    return project


def desk_of(project: Path) -> Desk:
    return Desk(project / "content", project / "assets", project / "output")


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)


@pytest.fixture
def builder(project) -> Iterator[Builder]:
    made = Builder(desk_of(project), poll_seconds=0.2, jobs=1)
    try:
        yield made
    finally:
        made.stop()


def wait_until(check: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT
    while not check():
        assert time.monotonic() < deadline, f"still not {what} after {WAIT:.0f} s"
        time.sleep(0.02)


@contextmanager
def build_held(project: Path) -> Iterator[None]:
    """The project's output folder locked as a build locks it: the background build waits."""
    with output_lock(project / "output"):
        yield


def build_processes() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "handouts-build"]


def break_title(project: Path) -> str:
    """Take the title out of one exercise (its first line); returns the file as it was."""
    path = project / "content" / f"{BROKEN}.yaml"
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first.startswith("title: ")
    path.write_text(rest, encoding="utf-8")
    return text


# --- the inputs watched ------------------------------------------------------------------------

def test_the_snapshot_changes_with_every_file_a_build_reads_and_no_other(project):
    desk = desk_of(project)
    before = snapshot(desk)
    assert ("content", -1, -1) not in before and f"content/{SEED}.yaml" in [name for name, _, _ in before]
    # not read by a build: hidden files, other suffixes in content/, folders two levels into assets/
    (project / "content" / f".{SEED}.yaml.swp").write_text("x", encoding="utf-8")
    (project / "content" / "notes.txt").write_text("x", encoding="utf-8")
    (project / "assets" / "a" / "b").mkdir(parents=True)
    (project / "assets" / "a" / "b" / "deep.png").write_bytes(b"x")
    assert snapshot(desk) == before
    for change in (lambda: (project / "assets" / "a" / "logo.png").write_bytes(b"x"),
                   lambda: (project / "clinic.yaml").write_text("name: Riverside\n", encoding="utf-8"),
                   lambda: (project / "programs" / "new.yml").write_text("client: A\n", encoding="utf-8"),
                   lambda: (project / "content" / f"{SEED}.yaml").write_text("title: Other\n", encoding="utf-8"),
                   lambda: (project / "content" / f"{SEED}.yaml").unlink(),
                   lambda: shutil.rmtree(project / "programs")):
        change()
        after = snapshot(desk)
        assert after != before
        before = after
    assert ("programs", -1, -1) in before


def test_an_unexpected_exception_in_a_build_is_one_internal_error_not_a_traceback(project, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(handouts.build.run, "build", broken)
    outcome = build_library(desk_of(project), jobs=1)
    assert not outcome.ok
    assert [str(p) for p in outcome.errors] == [": internal error: RuntimeError: boom"]


# --- builds in their own processes ---------------------------------------------------------------

def test_the_library_is_built_in_the_background_and_the_status_says_ready(project, builder):
    assert builder.status()["state"] == "starting"
    builder.start()
    assert builder.wait_idle(WAIT)
    status = builder.status()
    json.dumps(status)  # what the pages are sent
    assert (status["state"], status["generation"], status["problems"], status["failed"]) == ("ready", 1, [], 0)
    assert (status["done"], status["total"], status["queued"]) == (0, 0, False)
    assert status["made"] > 0 and "3 handouts" in status["built"]
    assert datetime.fromisoformat(status["finished"]).tzinfo is not None
    out = project / "output"
    for name in (SEED, *OTHERS):
        assert text_of(out / "handouts" / f"{name}.pdf")
    assert "Jane Doe" in text_of(out / "programs" / "example-client.pdf")
    assert "Seated Knee Extension" in text_of(out / "handouts" / f"{BROKEN}.pdf")


def test_stop_ends_a_running_build_and_the_builder_can_start_again(project, builder):
    with build_held(project):
        builder.start()
        wait_until(lambda: builder.status()["state"] == "building" and build_processes(), "building")
        [process] = build_processes()
        builder.stop()
        assert not build_processes()
        assert process.exitcode is not None
        status = builder.status()
        assert (status["state"], status["generation"]) == ("starting", 0)  # a stopped build is not a finished one
    builder.start()
    assert builder.wait_idle(WAIT)
    assert (builder.status()["state"], builder.status()["generation"]) == ("ready", 1)


@pytest.mark.slow
def test_a_broken_content_file_is_shown_with_its_file_line_and_field_and_the_rest_is_built(project, builder):
    builder.start()
    assert builder.wait_idle(WAIT)
    good = break_title(project)
    bridge = project / "content" / "spanish-bridge.yaml"
    bridge.write_text(bridge.read_text(encoding="utf-8").replace("title: ", "title: Puente nuevo ", 1),
                      encoding="utf-8")
    assert builder.wait_idle(WAIT)
    status = builder.status()
    assert (status["state"], status["failed"]) == ("failed", 1)
    [problem] = status["problems"]
    assert (problem["path"], problem["line"], problem["field"]) == (f"content/{BROKEN}.yaml", 1, "title")
    assert problem["text"].startswith(f"content/{BROKEN}.yaml:1: title: missing")
    assert "Puente nuevo" in text_of(project / "output" / "handouts" / "spanish-bridge.pdf")
    generation = status["generation"]

    (project / "content" / f"{BROKEN}.yaml").write_text(good, encoding="utf-8")
    assert builder.wait_idle(WAIT)
    status = builder.status()
    assert (status["state"], status["problems"], status["failed"]) == ("ready", [], 0)
    assert status["generation"] > generation
    assert "Seated Knee Extension" in text_of(project / "output" / "handouts" / f"{BROKEN}.pdf")


@pytest.mark.slow
def test_changes_while_a_build_runs_queue_exactly_one_more_build(project, builder):
    with build_held(project):
        builder.start()
        wait_until(lambda: builder.status()["state"] == "building", "building")
        break_title(project)
        for _ in range(3):
            builder.request()
        wait_until(lambda: builder.status()["queued"], "queued")
        status = builder.status()
        assert (status["state"], status["generation"], status["problems"]) == ("building", 0, [])
    assert builder.wait_idle(WAIT)
    status = builder.status()
    assert (status["state"], status["generation"]) == ("failed", 2)
    assert [p["path"] for p in status["problems"]] == [f"content/{BROKEN}.yaml"]


@pytest.mark.slow
def test_the_last_problems_stay_shown_while_the_next_build_runs(project, builder):
    break_title(project)
    builder.start()
    assert builder.wait_idle(WAIT)
    with build_held(project):
        (project / "content" / f"{BROKEN}.yaml").write_text(EXERCISE_FILES[BROKEN].read_text(encoding="utf-8"),
                                                            encoding="utf-8")
        wait_until(lambda: builder.status()["state"] == "building", "building")
        assert [p["field"] for p in builder.status()["problems"]] == ["title"]
    assert builder.wait_idle(WAIT)
    assert builder.status()["problems"] == []


@pytest.mark.slow
def test_clinic_yaml_with_mistakes_is_a_failed_build_naming_it(project, builder):
    clinic = project / "clinic.yaml"
    clinic.write_text("name: Riverside\npaper: tabloid\n", encoding="utf-8")
    builder.start()
    assert builder.wait_idle(WAIT)
    status = builder.status()
    assert status["state"] == "failed"
    assert [(p["path"], p["line"], p["field"]) for p in status["problems"]] == [("clinic.yaml", 2, "paper")]
    assert not (project / "output" / "handouts").exists()
    clinic.write_text("name: Riverside\npaper: a4\n", encoding="utf-8")
    assert builder.wait_idle(WAIT)
    assert (builder.status()["state"], builder.status()["problems"]) == ("ready", [])
    assert "Riverside" in text_of(project / "output" / "handouts" / f"{SEED}.pdf")


@pytest.mark.slow
def test_a_build_process_that_dies_is_an_internal_error_and_the_watcher_carries_on(project, builder):
    with build_held(project):
        builder.start()
        wait_until(lambda: build_processes(), "building")
        os.kill(build_processes()[0].pid, signal.SIGKILL)
        wait_until(lambda: builder.status()["generation"] == 1, "finished")
    status = builder.status()
    assert status["state"] == "failed"
    [problem] = status["problems"]
    assert problem["message"].startswith("internal error: the build process ended before it finished")
    assert "Traceback" not in json.dumps(status)
    builder.request()
    assert builder.wait_idle(WAIT)
    assert (builder.status()["state"], builder.status()["generation"]) == ("ready", 2)


@pytest.mark.slow
def test_a_build_with_a_pool_of_workers_in_the_spawned_process(project):
    builder = Builder(desk_of(project), poll_seconds=0.2, jobs=2)
    try:
        builder.start()
        assert builder.wait_idle(WAIT)
        assert (builder.status()["state"], builder.status()["problems"]) == ("ready", [])
    finally:
        builder.stop()
    for name in (SEED, "spanish-bridge"):  # the knee extension has no questions, so no cards
        assert text_of(project / "output" / "cards" / f"{name}.pdf")


@pytest.mark.slow
def test_the_page_after_a_save_says_the_pdfs_are_being_updated(project):
    """Not "All PDFs are up to date" until the watcher's next look: the save tells the build itself."""
    from web_library import client_for, form_fields, post_fields

    builder = Builder(desk_of(project), poll_seconds=3600, jobs=1)  # the watcher does not look again by itself
    builder.start()
    try:
        assert builder.wait_idle(WAIT)
        builder.stop()  # nothing is built after this: what the page says comes from the save's look alone
        client = client_for(project, builder=builder)
        assert "All PDFs are up to date." in client.get("/").text
        fields = form_fields(client.get(f"/exercises/{SEED}/edit").text, "exercise-form")
        fields = [(k, "Lower Trunk Stretch" if k == "title" else v) for k, v in fields]
        saved = post_fields(client, "/exercises/save", [*fields, ("op", "save")])
        assert saved.status_code == 200 and "Saved as content/" in saved.text, saved.text[:2000]
        assert "Updating the PDFs" in saved.text and "All PDFs are up to date." not in saved.text
        assert builder.status()["queued"]
    finally:
        builder.stop()
