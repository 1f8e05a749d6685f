"""Incremental and parallel builds: what a rebuild redoes, what it leaves alone, and what it reports.

Every test starts from a small library in a temporary folder (the sample content and
assets plus the test exercises), either never built or just built once with
``handouts.build.run.build``; it changes one thing, builds again and checks exactly which
exercises were rebuilt, which files were touched on disk and what the report says.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader

import handouts.outputs.base
from conftest import REPO, SEED
from handouts.build.making import CHUNK_MOST, chunk_size
from handouts.build.library_index import load_index
from handouts.build.manifest import FORMAT
from handouts.build.run import BuildOptions, BuildReport, build
from handouts.cli import main
from handouts.errors import HandoutsError

#: The library's exercises in content order (file names sorted), and those with a FAQ.
EXERCISES = sorted([SEED] + [p.stem for p in (REPO / "tests" / "data" / "exercises").glob("*.yaml")])
WITHOUT_FAQ = "seated-knee-extension"
WITH_FAQ = [e for e in EXERCISES if e != WITHOUT_FAQ]
PICTURE = f"{SEED}.png"  # used by the seed exercise only


@dataclass(frozen=True)
class Library:
    """A content folder, an assets folder and an output folder, built with one set of options."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def assets(self) -> Path:
        return self.root / "assets"

    @property
    def out(self) -> Path:
        return self.root / "output"

    @property
    def deck(self) -> Path:
        return self.out / "deck.pdf"

    @property
    def manifest(self) -> Path:
        return self.out / ".cache" / "manifest.json"

    def source(self, exercise_id: str) -> Path:
        return self.content / f"{exercise_id}.yaml"

    def handout(self, exercise_id: str) -> Path:
        return self.out / "handouts" / f"{exercise_id}.pdf"

    def cards(self, exercise_id: str) -> Path:
        return self.out / "cards" / f"{exercise_id}.pdf"

    def options(self, **changes) -> BuildOptions:
        """As the front desk builds: with the previews, whose records are kept and removed with the rest."""
        return BuildOptions(content_dir=self.content, assets_dir=self.assets, out_dir=self.out,
                            **{"previews": True, **changes})

    def build(self, progress=None, **changes) -> BuildReport:
        return build(self.options(**changes), progress=progress)

    def pdfs(self, out: Path | None = None) -> dict[str, tuple[bytes, int]]:
        """Every PDF under the output folder: its bytes and modification time, by relative path."""
        out = out or self.out
        return {str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(out.rglob("*.pdf"))}

    def edit(self, exercise_id: str, old: str, new: str) -> None:
        path = self.source(exercise_id)
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path.name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ids(paths) -> list[str]:
    return [Path(p).stem for p in paths]


def deck_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def make_library(root: Path) -> Library:
    lib = Library(root)
    shutil.copytree(REPO / "content", lib.content)
    shutil.copytree(REPO / "assets", lib.assets)
    for path in (REPO / "tests" / "data" / "exercises").glob("*.yaml"):
        shutil.copy(path, lib.content)
    assert sorted(p.stem for p in lib.content.glob("*.yaml")) == EXERCISES
    return lib


@pytest.fixture
def library(tmp_path) -> Library:
    """A library that has never been built."""
    return make_library(tmp_path / "library")


@pytest.fixture(scope="module")
def _built_once(tmp_path_factory) -> tuple[Library, BuildReport, Path]:
    """One library built once, and a copy of it as it was then (copy2 keeps mtimes to the nanosecond)."""
    root = tmp_path_factory.mktemp("incremental")
    lib = make_library(root / "library")
    report = lib.build()
    assert report.ok and ids(report.written) == EXERCISES and report.deck == lib.deck
    shutil.copytree(lib.root, root / "snapshot")
    return lib, report, root / "snapshot"


@pytest.fixture
def built(_built_once) -> tuple[Library, BuildReport]:
    """The library just after one complete build, and that build's report.

    Restored from the snapshot before each test: one full build per test would make this file
    several times slower.
    """
    lib, report, snapshot = _built_once
    shutil.rmtree(lib.root)
    shutil.copytree(snapshot, lib.root)
    return lib, report


# --- nothing changed ---------------------------------------------------------------------------

def test_second_build_with_nothing_changed_rebuilds_nothing(built):
    """Nothing written, every exercise counted unchanged, warnings replayed in the same order."""
    lib, first = built
    assert first.warnings, "the library should have warnings, or replaying them proves nothing"
    before = lib.pdfs()
    second = lib.build()
    assert second.ok
    assert second.unchanged == len(EXERCISES)
    assert second.written == [] and second.cards == [] and second.card_count == 0
    assert second.deck is None and second.removed == []
    assert second.warnings == first.warnings
    assert lib.pdfs() == before  # bytes and modification times of every handout, card file and the deck


def test_no_op_build_does_not_parse_any_content(built, monkeypatch):
    """Up-to-date exercises are not even read as YAML: a loader that raises is never called."""
    lib, first = built

    def no_parsing(raw, shown):
        raise AssertionError(f"{shown} was parsed although it is unchanged")

    monkeypatch.setattr(handouts.outputs.base, "parse_file", no_parsing)
    second = lib.build()
    assert second.ok and second.unchanged == len(EXERCISES) and second.written == []
    assert second.warnings == first.warnings


# --- what a change rebuilds --------------------------------------------------------------------

def test_editing_an_exercise_with_faq_rebuilds_it_and_the_deck(built):
    lib, _ = built
    before = lib.pdfs()
    lib.edit("three-step-wall-push", "How many should I do?", "How many times should I do it?")
    report = lib.build()
    assert report.ok
    assert ids(report.written) == ["three-step-wall-push"]
    assert ids(report.cards) == ["three-step-wall-push"]
    assert report.deck == lib.deck and report.unchanged == len(EXERCISES) - 1
    assert "How many times should I do it?" in deck_text(lib.deck)
    after = lib.pdfs()
    changed = sorted(k for k in after if after[k] != before[k])
    assert changed == ["cards/three-step-wall-push.pdf", "catalogue.pdf", "deck.pdf",
                       "handouts/three-step-wall-push.pdf"]  # the catalogue lists its title


def test_editing_an_exercise_without_faq_leaves_the_deck_alone(built):
    lib, _ = built
    deck_before = lib.pdfs()["deck.pdf"]
    lib.edit(WITHOUT_FAQ, "Repeat 10 times", "Repeat 12 times")
    report = lib.build()
    assert report.ok and ids(report.written) == [WITHOUT_FAQ] and report.cards == []
    assert report.deck is None
    assert lib.pdfs()["deck.pdf"] == deck_before


def test_touching_files_without_changing_their_bytes_rebuilds_nothing(built):
    """A newer modification time on a content file and on a picture is not a change."""
    lib, _ = built
    later = lib.source(SEED).stat().st_mtime + 60
    for path in (lib.source(SEED), lib.source(WITHOUT_FAQ), lib.assets / PICTURE):
        os.utime(path, (later, later))
    before = lib.pdfs()
    report = lib.build()
    assert report.unchanged == len(EXERCISES) and report.written == [] and report.deck is None
    assert lib.pdfs() == before


def test_changing_a_pictures_bytes_rebuilds_every_exercise_using_it(built):
    lib, _ = built
    # a second exercise using the same picture (rebuilt now: it is new)
    text = lib.source(WITHOUT_FAQ).read_text(encoding="utf-8")
    lib.source("zz-knee-with-picture").write_text(text + f"image: {PICTURE}\n", encoding="utf-8")
    assert ids(lib.build().written) == ["zz-knee-with-picture"]
    with Image.open(lib.assets / PICTURE) as img:
        ImageOps.mirror(img).save(lib.assets / PICTURE)
    report = lib.build()
    assert report.ok
    assert ids(report.written) == [SEED, "zz-knee-with-picture"]
    assert report.unchanged == len(EXERCISES) - 1


def test_a_missing_picture_that_appears_rebuilds_the_exercise(built):
    """The warning is replayed while the picture is missing; once it is there, the handout is redone."""
    lib, _ = built
    lib.source("zz-later").write_text("title: Later\nimage: later.png\ninstructions:\n  - Sit.\n", encoding="utf-8")
    first = lib.build()
    missing = [w for w in first.warnings if "later.png not found" in w.message]
    assert len(missing) == 1 and ids(first.written) == ["zz-later"]
    again = lib.build()
    assert again.written == [] and [w for w in again.warnings if "later.png" in w.message] == missing
    shutil.copy(lib.assets / PICTURE, lib.assets / "later.png")
    report = lib.build()
    assert ids(report.written) == ["zz-later"]
    assert not [w for w in report.warnings if "later.png" in w.message]


@pytest.mark.parametrize("folder", ["handouts", "cards"])
def test_deleting_an_output_pdf_rebuilds_that_exercise(built, folder):
    lib, _ = built
    target = lib.out / folder / "spanish-bridge.pdf"
    data = target.read_bytes()
    target.unlink()
    report = lib.build()
    made = {"handouts": report.written, "cards": report.cards}
    assert report.ok and ids(made[folder]) == ["spanish-bridge"]
    assert all(paths == [] for kind, paths in made.items() if kind != folder)  # just the file that was lost
    assert report.unchanged == len(EXERCISES) - 1
    assert target.read_bytes() == data


def test_deleting_the_deck_rebuilds_just_the_deck(built):
    lib, _ = built
    before = lib.pdfs()
    lib.deck.unlink()
    report = lib.build()
    assert report.ok and report.written == [] and report.cards == []
    assert report.unchanged == len(EXERCISES)
    assert report.deck == lib.deck
    after = lib.pdfs()
    assert after["deck.pdf"][0] == before["deck.pdf"][0]
    assert {k: v for k, v in after.items() if k != "deck.pdf"} == {k: v for k, v in before.items() if k != "deck.pdf"}


@pytest.mark.parametrize("changes", [{"paper": "a4"}, {"incremental": False}], ids=["paper", "not-incremental"])
def test_other_options_rebuild_everything(built, changes):
    lib, _ = built
    report = lib.build(**changes)
    assert report.ok and ids(report.written) == EXERCISES and ids(report.cards) == WITH_FAQ
    assert report.unchanged == 0 and report.deck == lib.deck


def test_a_card_option_rebuilds_the_cards_not_the_handouts(built):
    lib, _ = built
    before = lib.pdfs()
    report = lib.build(card_size="index")
    assert report.ok and report.written == [] and ids(report.cards) == WITH_FAQ and report.deck == lib.deck
    after = lib.pdfs()
    assert {k: v for k, v in after.items() if k.startswith("handouts/")} == {
        k: v for k, v in before.items() if k.startswith("handouts/")}


def _reshaped(text: str, change) -> str:
    """The manifest *text* with *change* made to its first record (valid JSON, of another shape)."""
    data = json.loads(text)
    change(next(iter(data["records"].values())))
    return json.dumps(data)


def _truncated_manifest(text: str) -> str:
    return text[: len(text) // 2]


@pytest.mark.parametrize("damage", [
    lambda text: "",
    _truncated_manifest,
    lambda text: "\0" * 200,
    lambda text: "this is not JSON {",
    lambda text: text.replace('"inputs"', '"inputs_hash"'),
    lambda text: "null",
    lambda text: "[]",
    lambda text: text.replace('"records": {', '"records": 5, "was": {', 1),
    lambda text: _reshaped(text, lambda r: r.update(warnings=[[["a list"], 1, None, "x", None]])),
    lambda text: _reshaped(text, lambda r: r["output"].update(path=None)),
    lambda text: _reshaped(text, lambda r: r.update(source=["an", "id", "that", "is", "a", "list"])),
    lambda text: _reshaped(text, lambda r: r.update(count=True)),
    lambda text: _reshaped(text, lambda r: r.update(reads=[{"path": "x"}])),
    lambda text: f'{{"format": {FORMAT}, "records": ' + "[" * 100_000 + "]" * 100_000 + "}",
], ids=["empty", "truncated", "nul-bytes", "not-json", "record-field-renamed", "json-null", "json-list",
        "records-a-number", "warning-a-list", "path-null", "source-a-list", "count-a-bool", "read-half-a-stamp",
        "nested-deep"])
def test_a_damaged_manifest_means_a_full_build_and_one_warning(built, damage):
    lib, _ = built
    lib.manifest.write_text(damage(lib.manifest.read_text(encoding="utf-8")), encoding="utf-8")
    report = lib.build()
    assert report.ok and ids(report.written) == EXERCISES and report.unchanged == 0
    said = [w for w in report.warnings if w.path.endswith("manifest.json")]
    assert len(said) == 1 and "every file was made again" in said[0].message
    assert lib.build().warnings == [w for w in report.warnings if w not in said], "the next build is quiet again"
    records = json.loads(lib.manifest.read_text(encoding="utf-8"))["records"]
    assert {k for k in records if k.startswith("handouts/")} == {f"handouts/{e}.pdf" for e in EXERCISES}
    assert {records[f"handouts/{e}.pdf"]["source"] for e in EXERCISES} == {f"content/{e}.yaml" for e in EXERCISES}


# --- partial builds, removed and broken files --------------------------------------------------

def test_a_partial_build_keeps_what_it_knows_about_the_other_files(built):
    """Building one named file (as `handouts build FILE` does, without a deck) forgets nothing."""
    lib, _ = built
    lib.edit(WITHOUT_FAQ, "Repeat 10 times", "Repeat 12 times")
    partial = lib.build(files=(lib.source(WITHOUT_FAQ),), deck=False)
    assert partial.ok and ids(partial.written) == [WITHOUT_FAQ] and partial.unchanged == 0
    full = lib.build()
    assert full.ok and full.written == [] and full.unchanged == len(EXERCISES)


def test_a_faq_edited_in_a_partial_build_reaches_the_deck_on_the_next_full_build(built):
    lib, _ = built
    lib.edit("three-step-wall-push", "How many should I do?", "How many times should I do it?")
    lib.build(files=(lib.source("three-step-wall-push"),), deck=False)
    lib.build()
    assert "How many times should I do it?" in deck_text(lib.deck)


def test_a_removed_content_file_is_forgotten(built):
    lib, _ = built
    lib.source("three-step-wall-push").unlink()
    report = lib.build()
    assert report.ok and report.failed == [] and report.written == []
    assert report.unchanged == len(EXERCISES) - 1
    assert not [p for p in report.errors + report.warnings if "three-step-wall-push" in p.path]
    assert report.deck == lib.deck  # rebuilt without its questions
    assert "How many should I do?" not in deck_text(lib.deck)
    # nobody can print an exercise the library no longer has: its handout, cards and preview are gone too
    assert report.removed_orphans == [lib.handout("three-step-wall-push"), lib.cards("three-step-wall-push"),
                                      lib.out / "previews" / "three-step-wall-push.png"]
    assert not lib.handout("three-step-wall-push").exists() and not lib.cards("three-step-wall-push").exists()
    again = lib.build()
    assert again.unchanged == len(EXERCISES) - 1 and again.removed_orphans == []


def test_a_build_of_named_files_removes_nothing(built):
    lib, _ = built
    lib.source("three-step-wall-push").unlink()
    report = lib.build(files=(lib.source(SEED),), deck=False)
    assert report.removed_orphans == [] and lib.handout("three-step-wall-push").exists()


def test_a_file_that_fails_validation_is_reported_on_every_build_until_fixed(built):
    lib, _ = built
    broken = lib.content / "broken.yaml"
    broken.write_text("title: Broken\ninstructions: just one string\n", encoding="utf-8")
    first = lib.build()
    assert [str(e) for e in first.errors] == [f"{broken}:2: instructions: expected a list of steps, got text"]
    assert len(first.failed) == 1 and first.unchanged == len(EXERCISES)
    second = lib.build()
    assert second.errors == first.errors and second.failed == first.failed
    assert second.unchanged == len(EXERCISES)
    broken.write_text("title: Broken\ninstructions:\n  - just one step\n", encoding="utf-8")
    fixed = lib.build()
    assert fixed.ok and ids(fixed.written) == ["broken"] and lib.handout("broken").is_file()


# --- parallel builds and progress --------------------------------------------------------------

def test_two_jobs_write_the_same_bytes_as_one_in_content_order(library):
    serial = library.build(jobs=1)
    parallel_out = library.root / "parallel"
    parallel = build(BuildOptions(content_dir=library.content, assets_dir=library.assets, out_dir=parallel_out,
                                  jobs=2))
    assert parallel.ok
    assert ids(parallel.written) == EXERCISES and ids(parallel.cards) == WITH_FAQ
    assert parallel.warnings == serial.warnings
    one = {k: data for k, (data, _) in library.pdfs().items()}
    two = {k: data for k, (data, _) in library.pdfs(parallel_out).items()}
    assert sorted(one) == sorted([f"handouts/{e}.pdf" for e in EXERCISES] + [f"cards/{e}.pdf" for e in WITH_FAQ]
                                 + ["deck.pdf", "catalogue.pdf"])
    assert two == one


def test_workers_parse_and_validate_their_own_files_and_the_parent_learns_what_they_found(library, monkeypatch):
    """Issue 19: the parent parsed and validated every content file before the workers could
    start (0.6 s of serial work on 868 files).  Now each worker validates the files it builds
    and sends back their warnings, errors and index entries; the report says the same as a
    build in one process, and ``handouts list`` still finds what the workers read."""
    broken = library.content / "broken.yaml"
    broken.write_text("title: Broken\ninstructions: just one string\n", encoding="utf-8")
    serial = library.build(jobs=1)
    parsed_here: list[str] = []
    real_parse = handouts.outputs.base.parse_file

    def parse_file(raw, shown):
        parsed_here.append(shown)  # a forked worker appends to its own copy of this list
        return real_parse(raw, shown)

    monkeypatch.setattr(handouts.outputs.base, "parse_file", parse_file)
    parallel = build(replace(library.options(jobs=2), out_dir=library.root / "parallel", deck=False))
    assert parsed_here == [], "the parent parsed content files the workers build"
    assert parallel.warnings == serial.warnings and parallel.warnings
    assert parallel.errors == serial.errors and [e.field for e in parallel.errors] == ["instructions"]
    assert parallel.failed == serial.failed and len(parallel.failed) == 1
    index = load_index(library.root / "parallel" / ".cache" / "library-index.json")
    assert index is not None
    entries = index["files"]
    assert sorted(entries) == sorted([f"{e}.yaml" for e in EXERCISES] + ["broken.yaml"])
    assert entries["broken.yaml"]["entry"] is None and entries[f"{SEED}.yaml"]["entry"]["faq"] == 8


def test_a_worker_is_sent_sources_in_chunks_that_still_even_out():
    """Issue 19 measured -12 % CPU with batches of 8-32 sources per message to a worker."""
    assert chunk_size(868, 2) == CHUNK_MOST == 32
    assert chunk_size(100, 2) == 6   # at least eight messages per worker
    assert chunk_size(5, 2) == 1
    assert chunk_size(1, 8) == 1


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_counts_every_exercise_up_to_the_total(library, jobs):
    calls = []
    assert library.build(progress=lambda done, total: calls.append((done, total)), jobs=jobs).ok
    n = len(EXERCISES)
    sweep = [(i, n) for i in range(1, n + 1)]
    assert calls == sweep + sweep  # the handouts and cards, then their previews (made from the PDFs)


def test_progress_starts_from_the_unchanged_count(built):
    lib, _ = built
    lib.edit("spanish-bridge", "Puente de glúteos", "Puente de glúteos sencillo")
    lib.edit(WITHOUT_FAQ, "Repeat 10 times", "Repeat 12 times")
    calls = []
    report = lib.build(progress=lambda done, total: calls.append((done, total)))
    assert report.unchanged == len(EXERCISES) - 2
    sweep = [(len(EXERCISES) - 1, len(EXERCISES)), (len(EXERCISES), len(EXERCISES))]
    assert calls == sweep + sweep  # the handouts and cards, then their previews


# --- interruption ------------------------------------------------------------------------------

def _stop_after(count: int):
    def progress(done, total):
        if done == count:
            raise KeyboardInterrupt

    return progress


def test_an_interrupted_build_leaves_complete_pdfs_and_the_next_build_finishes_the_job(library):
    with pytest.raises(KeyboardInterrupt):
        library.build(progress=_stop_after(2), jobs=1)
    done, not_done = EXERCISES[:2], EXERCISES[2:]
    for exercise_id in done:
        reader = PdfReader(library.handout(exercise_id))
        assert len(reader.pages) in (1, 2)  # a long exercise takes the back of the sheet
        assert reader.pages[0].extract_text()
    assert not any(library.handout(e).exists() for e in not_done)
    assert not library.deck.exists()
    assert not [p for p in library.out.rglob(".*.tmp")]
    report = library.build()
    # the two done were stopped before their previews were made: those are made now
    assert report.ok and report.unchanged == 0 and ids(report.written) == not_done
    assert report.deck == library.deck
    assert all((library.out / "previews" / f"{e}.png").exists() for e in EXERCISES)


def test_an_interrupted_build_does_not_leave_a_stale_deck(built):
    lib, _ = built
    lib.edit("long-shoulder-rehab", "How hard should this exercise feel?", "How hard should it feel?")
    lib.edit(WITHOUT_FAQ, "Repeat 10 times", "Repeat 12 times")
    with pytest.raises(KeyboardInterrupt):
        lib.build(progress=_stop_after(len(EXERCISES) - 1))  # after the first of the two
    report = lib.build()
    assert ids(report.written) == [WITHOUT_FAQ]
    assert "How hard should it feel?" in deck_text(lib.deck)


# --- from the command line ---------------------------------------------------------------------

@pytest.fixture
def project(library, monkeypatch) -> Library:
    monkeypatch.chdir(library.root)
    return library


def _summary(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_cli_second_run_says_how_many_are_unchanged(project, capsys):
    assert main(["build", "--jobs", "2"]) == 0
    first = _summary(capsys.readouterr().out)
    assert first.startswith("built 6 handouts, ") and "the deck" in first and "unchanged" not in first
    assert main(["build", "--jobs", "2"]) == 0
    out, err = capsys.readouterr()
    second = _summary(out)
    assert second.startswith("built 0 handouts and 0 cards in output, 6 unchanged, ")
    assert "0 failed" in second
    assert "\r[" not in err  # no progress bar into a pipe or a file


def test_cli_rebuild_rebuilds_everything(project, capsys):
    assert main(["build", "--jobs", "1"]) == 0
    capsys.readouterr()
    assert main(["build", "--jobs", "1", "--rebuild"]) == 0
    out, err = capsys.readouterr()
    summary = _summary(out)
    assert summary.startswith("built 6 handouts, ") and "the deck" in summary and "unchanged" not in summary
    assert "\r[" not in err


@pytest.mark.parametrize("jobs", ["0", "-1"])
def test_cli_jobs_below_one_exits_2_with_one_line(project, capsys, jobs):
    assert main(["build", "--jobs", jobs]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().splitlines() == [f"--jobs {jobs}: give at least 1 process"]
    assert not project.out.exists()


def test_cli_jobs_above_the_cores_runs_one_process_per_core_and_says_so(project, capsys, monkeypatch):
    """--jobs 1000 forked a process per exercise (868 on the corpus, 3 GB, four times slower)."""
    import handouts.build.engine
    from handouts.build.pool import usable_cores

    pools: list[int] = []
    real = handouts.build.engine.worker_pool

    def counted(workers, common):
        pools.append(workers)
        return real(workers, common)

    monkeypatch.setattr(handouts.build.engine, "worker_pool", counted)
    assert main(["build", "--jobs", "1000"]) == 0
    out = capsys.readouterr().out
    cores = usable_cores()
    assert f"--jobs 1000: {cores} process" in out and "one per core" in out
    assert pools and max(pools) <= min(cores, len(EXERCISES))


def test_cli_draws_the_progress_bar_only_on_a_terminal(project, monkeypatch):
    """The counterpart of the checks above: on a terminal, the bar is drawn and reaches 6/6."""

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["build", "--jobs", "1"]) == 0
    drawn = terminal.getvalue()
    assert "\r[" in drawn and f"] {len(EXERCISES)}/{len(EXERCISES)}" in drawn


# --- what a careless or hostile user does to the output folder ---------------------------------

def test_an_output_replaced_by_a_file_of_the_same_size_is_made_again(built):
    lib, _ = built
    target = lib.handout("spanish-bridge")
    data = target.read_bytes()
    target.write_bytes(b"A" * len(data))  # same size, other bytes, a new modification time
    report = lib.build()
    assert report.ok and ids(report.written) == ["spanish-bridge"] and target.read_bytes() == data


def test_an_output_with_a_few_bytes_overwritten_and_its_time_put_back_is_made_again(built):
    lib, _ = built
    target = lib.handout("spanish-bridge")
    data, stat = target.read_bytes(), target.stat()
    with target.open("r+b") as fh:  # 200 bytes in the middle, the size unchanged
        fh.seek(len(data) // 2)
        fh.write(b"\0" * 200)
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the time as it was
    report = lib.build()
    assert report.ok and ids(report.written) == ["spanish-bridge"] and target.read_bytes() == data


def test_a_handout_and_its_cards_are_written_all_or_nothing(built):
    lib, _ = built
    lib.edit("three-step-wall-push", "How many should I do?", "How many should I do today?")
    handouts = lib.out / "handouts"
    shutil.rmtree(handouts)
    handouts.write_text("a file where the handouts folder should be", encoding="utf-8")
    cards = lib.cards("three-step-wall-push")
    before = cards.read_bytes()
    report = lib.build()
    assert not report.ok and "three-step-wall-push" in " ".join(report.failed)
    assert any("is a file, not a folder" in str(p) for p in report.errors)
    assert cards.read_bytes() == before  # not the new cards beside no handout
    assert not [p for p in lib.out.rglob(".*.tmp")]


def test_a_folder_where_one_pdf_goes_fails_that_exercise_alone(library):
    """One output that cannot be written stops nothing else: the others are built, its error is one
    line naming the path, and the summary counts it failed (it stopped the whole build)."""
    (library.out / "handouts" / "spanish-bridge.pdf").mkdir(parents=True)
    report = library.build()
    assert ids(report.written) == [e for e in EXERCISES if e != "spanish-bridge"]
    (error,) = report.errors
    assert error.path.endswith("handouts/spanish-bridge.pdf") and "\n" not in str(error)
    assert error.message == f"cannot write: {error.path} is a folder"
    assert len(report.failed) == 1 and "spanish-bridge" in report.failed[0]


def test_a_changed_source_date_epoch_makes_every_pdf_again(built, monkeypatch):
    lib, _ = built
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # the date each PDF says it was made
    report = lib.build()
    assert report.ok and ids(report.written) == EXERCISES and report.deck == lib.deck


def test_the_manifest_is_saved_as_the_build_goes(library, monkeypatch):
    """A build killed outright still leaves a record of what it wrote (saved every SAVE_EVERY files)."""
    import handouts.build.engine
    from handouts.build.manifest import Manifest

    saved: list[int] = []
    real_save = Manifest.save

    def counting_save(self, path, anchors):
        saved.append(len(self.records))
        real_save(self, path, anchors)

    monkeypatch.setattr(handouts.build.engine, "SAVE_EVERY", 4)
    monkeypatch.setattr(handouts.build.engine, "SAVE_SECONDS", 0.0)
    monkeypatch.setattr(Manifest, "save", counting_save)
    library.build(jobs=1)
    assert len(saved) >= 3 and saved[0] < saved[-1]  # during the build, then at its end


def test_a_manifest_that_cannot_be_saved_is_one_warning(library):
    (library.out / ".cache").mkdir(parents=True)
    (library.out / ".cache" / "manifest.json").mkdir()  # something in the way
    report = library.build()
    assert report.ok and ids(report.written) == EXERCISES
    (warning,) = [w for w in report.warnings if "manifest.json" in w.path]
    assert "the next build cannot tell what is up to date" in warning.message


def test_the_last_program_removed_takes_its_pdf_with_it(library):
    programs = library.root / "programs"
    programs.mkdir()
    (programs / "ann.yaml").write_text("client: Ann\nexercises: [spanish-bridge]\n", encoding="utf-8")
    first = library.build(programs=(programs / "ann.yaml",))
    assert first.ok and [p.name for p in first.programs] == ["ann.pdf"]
    (programs / "ann.yaml").unlink()
    report = library.build()  # no program files left at all
    assert [(r.path.name, r.why) for r in report.removed] == [("ann.pdf", "its program file is gone"),
                                                              ("ann.png", "its program file is gone")]
    assert not (library.out / "programs" / "ann.pdf").exists()
    assert not (library.out / "previews" / "programs" / "ann.png").exists()


@pytest.mark.parametrize("make,message", [
    (lambda p: p.mkdir(), "is a folder, not a content file"),
    (lambda p: p.symlink_to(p.parent / "nowhere.yaml"), "is a broken link: it points to a file that does not exist"),
    (lambda p: os.mkfifo(p), "is not a regular file (a pipe or a device?); give a YAML file"),
    (lambda p: p.symlink_to(p), "is a link that leads back to itself, not a content file"),
], ids=["folder", "broken-link", "pipe", "link-loop"])
def test_a_content_name_that_is_no_file_is_one_line_and_the_others_build(library, make, message):
    odd = library.content / "odd.yaml"
    make(odd)
    report = library.build()
    assert [(Path(p.path).name, p.message) for p in report.errors] == [("odd.yaml", message)]
    assert ids(report.written) == EXERCISES and len(report.failed) == 1


def test_an_empty_content_folder_is_an_error_not_an_empty_library(built):
    lib, _ = built
    empty = lib.root / "empty"
    empty.mkdir()
    with pytest.raises(HandoutsError, match="no content files"):
        build(BuildOptions(content_dir=empty, assets_dir=lib.assets, out_dir=lib.out))
    assert len(ids(lib.out.glob("handouts/*.pdf"))) == len(EXERCISES)  # nothing removed


def test_a_folder_named_like_a_picture_is_a_warning_not_a_crash(tmp_path):
    """assets/dir.png is a folder: the handout is printed without it, recorded, and not remade next time."""
    (tmp_path / "content").mkdir()
    (tmp_path / "assets" / "dir.png").mkdir(parents=True)
    (tmp_path / "content" / "d.yaml").write_text("title: Dir Pic\nimage: dir.png\ninstructions:\n  - Sit.\n")
    options = BuildOptions(content_dir=tmp_path / "content", assets_dir=tmp_path / "assets", out_dir=tmp_path / "out")
    first = build(options)
    assert first.errors == [] and [p.stem for p in first.written] == ["d"]
    assert any("dir.png is a folder, not a picture" in w.message for w in first.warnings)
    again = build(options)
    assert again.written == [] and again.unchanged == 1


def test_a_source_sent_to_another_worker_keeps_what_validating_it_found(library, monkeypatch):
    """Issue 19: the catalogue's worker makes its rows from the index entries the handouts' workers
    sent back.  A Source pickled after that keeps them: it parsed all 868 files again there (a
    fifth of the catalogue's time) when pickling marked every file as not yet validated."""
    import pickle

    from handouts.outputs.base import content_source

    source = content_source(library.source(SEED))
    found = source.read()
    assert found.entry is not None and source.value is not None
    worker = content_source(library.source(SEED))
    worker.take(found)

    def no_parsing(raw, shown):
        raise AssertionError("parsed again")

    monkeypatch.setattr(handouts.outputs.base, "parse_file", no_parsing)
    copy = pickle.loads(pickle.dumps(worker))
    assert copy.read() == found and copy.value is None  # the entry, without the exercise
    monkeypatch.undo()
    again = pickle.loads(pickle.dumps(source))  # sent with its exercise: parsed there when asked for it
    assert again.value is None and again.exercise() is not None and again.read() == found


def test_rebuilding_named_files_keeps_the_record_of_the_rest(built):
    """``handouts build --rebuild FILE`` made the named file again and forgot every other file's
    record: the next build made the whole library again, and the files of an exercise deleted
    after it were never removed (found by a fresh user's trial of issue 19)."""
    lib, _ = built
    report = lib.build(files=(lib.source(SEED),), incremental=False, deck=False)
    assert report.ok and ids(report.written) == [SEED]
    again = lib.build()
    assert again.written == [] and again.unchanged == len(EXERCISES)
    lib.source("three-step-wall-push").unlink()
    gone = lib.build()
    assert lib.handout("three-step-wall-push") in gone.removed_orphans
    assert not lib.handout("three-step-wall-push").exists()
