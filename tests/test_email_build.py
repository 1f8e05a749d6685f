"""The email edition as the build makes it (issue 16, part 1): which files, where, for whom, and when again.

``--for email`` writes only ``OUT/email/handouts/<id>.pdf`` and ``OUT/email/programs/<name>.pdf``,
owner-only in owner-only folders, beside the print edition without making it look out of date
(and the other way round); it skips what is up to date, gives the same bytes when made again,
removes its own files whose source is gone, warns about a file most mail servers would refuse,
and refuses the options that make no sense for it.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from email_library import EXERCISES, cli, make_library, mode, program_file
from handouts.build.run import BuildOptions, build, build_programs
from handouts.cli import main
from handouts.errors import UsageError
from handouts.outputs import email_edition
from handouts.write import TEMPORARY_SUFFIX

EMAIL_FILES = sorted([f"email/handouts/{e}.pdf" for e in EXERCISES] + ["email/programs/jane.pdf",
                                                                       "email/programs/rosa.pdf"])


def files(out: Path) -> list[str]:
    """Every file under *out* but the build's own cache, relative."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts)


def contents(out: Path, names: list[str]) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in names}


@pytest.fixture
def lib(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return make_library(tmp_path)


def test_an_email_build_writes_the_email_edition_alone_and_says_so(lib):
    run = cli(lib, "build", "--for", "email")
    assert run.code == 0, run.stderr
    assert files(run.out) == EMAIL_FILES  # no handouts/, cards/, deck, programs/, Anki deck
    assert run.summary.startswith(f"built 5 handouts for email and 2 programs for email in {run.out}, 0 warnings")
    assert "cards:" not in run.stdout  # the print edition's line on how to print its card sheets


def test_the_email_edition_and_its_folders_are_owner_only(lib):
    (lib / "out" / "email").mkdir(parents=True)
    os.chmod(lib / "out" / "email", 0o755)  # there before: made owner-only all the same
    old = os.umask(0o022)
    try:
        run = cli(lib, "build", "--for", "email")
    finally:
        os.umask(old)
    assert run.code == 0, run.stderr
    for folder in ("email", "email/handouts", "email/programs"):
        assert mode(run.out / folder) == 0o700, folder
    assert {name: mode(run.out / name) for name in EMAIL_FILES} == {name: 0o600 for name in EMAIL_FILES}


def test_a_file_where_the_email_folder_goes_is_one_line(lib):
    (lib / "out").mkdir()
    (lib / "out" / "email").write_text("not a folder", encoding="utf-8")
    run = cli(lib, "build", "--for", "email")
    assert run.code == 1
    assert run.stderr.strip().splitlines() == [f"{run.out / 'email'}: cannot write: it is a file, not a folder"]


def test_the_print_and_email_editions_live_side_by_side_each_up_to_date(lib):
    email = cli(lib, "build", "--for", "email")
    printed = cli(lib, "build")
    assert email.code == printed.code == 0, email.stderr + printed.stderr
    assert "handouts/spanish-bridge.pdf" in files(lib / "out") and "deck.pdf" in files(lib / "out")
    made = contents(lib / "out", files(lib / "out"))
    again = cli(lib, "build", "--for", "email")
    assert again.summary.startswith("built 0 handouts for email and 0 programs for email in ")
    assert " 7 unchanged, " in again.summary
    again = cli(lib, "build")
    assert again.summary.startswith("built 0 handouts, 0 cards and 0 programs in ")
    assert " 7 unchanged, " in again.summary
    assert contents(lib / "out", files(lib / "out")) == made


def test_an_email_edition_made_again_is_the_same_bytes(lib, tmp_path):
    first = cli(lib, "build", "--for", "email")
    made = contents(first.out, EMAIL_FILES)
    assert cli(lib, "build", "--for", "email").summary.startswith("built 0 handouts for email and 0 programs")
    rebuilt = cli(lib, "build", "--for", "email", "--rebuild")
    assert rebuilt.summary.startswith("built 5 handouts for email and 2 programs for email in ")
    assert contents(first.out, EMAIL_FILES) == made  # the sending code's digest of an attachment holds
    alone = cli(lib, "program", program_file(lib, "jane"), "--for", "email", out=str(tmp_path / "alone"))
    assert files(alone.out) == ["email/programs/jane.pdf"]
    assert (alone.out / "email/programs/jane.pdf").read_bytes() == made["email/programs/jane.pdf"]


def test_a_changed_program_remakes_its_email_edition_alone(lib):
    cli(lib, "build", "--for", "email")
    path = lib / "programs" / "rosa.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "notes: Despacio.\n", encoding="utf-8")
    run = cli(lib, "build", "--for", "email")
    assert run.summary.startswith("built 0 handouts for email and 1 program for email in ")


def test_an_email_build_removes_its_own_files_whose_source_is_gone_and_leaves_the_print_editions(lib):
    cli(lib, "build")
    cli(lib, "build", "--for", "email")
    (lib / "programs" / "rosa.yaml").unlink()
    (lib / "content" / "spanish-bridge.yaml").unlink()
    run = cli(lib, "build", "--for", "email")
    assert run.code == 0, run.stderr
    out = lib / "out"
    assert sorted(line for line in run.stdout.splitlines() if line.startswith("removed")) == [
        f"removed {out / 'email/handouts/spanish-bridge.pdf'}: its content file is gone",
        f"removed {out / 'email/programs/rosa.pdf'}: its program file is gone"]
    for name in ("handouts/spanish-bridge.pdf", "cards/spanish-bridge.pdf", "programs/rosa.pdf"):
        assert (out / name).is_file(), "the print build's to remove"
    run = cli(lib, "build")
    assert not (out / "programs/rosa.pdf").exists() and not (out / "handouts/spanish-bridge.pdf").exists()
    records = json.loads((out / ".cache" / "manifest.json").read_text(encoding="utf-8"))["records"]
    assert "email/programs/rosa.pdf" not in records and "email/programs/jane.pdf" in records


def test_a_killed_builds_temporaries_in_the_email_folders_are_removed(lib):
    cli(lib, "build", "--for", "email")
    left = [lib / "out" / "email" / folder / f".x.pdf.abc123{TEMPORARY_SUFFIX}" for folder in ("handouts", "programs")]
    for path in left:
        path.write_bytes(b"half")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    cli(lib, "build", "--for", "email")
    assert not any(path.exists() for path in left)


def test_an_edition_over_the_attachment_limit_is_written_with_a_warning(lib, monkeypatch):
    monkeypatch.setattr(email_edition, "ATTACHMENT_LIMIT_BYTES", 1000)
    run = cli(lib, "build", "--for", "email")  # one job: in this process, where the limit is patched
    assert run.code == 0, run.stderr
    assert files(run.out) == EMAIL_FILES
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 7
    jane = next(line for line in warnings if "programs/jane.yaml: " in line)
    size = (run.out / "email/programs/jane.pdf").stat().st_size / 2 ** 20
    assert jane == (f"warning: {lib / 'programs' / 'jane.yaml'}: its email edition is {size:.1f} MB, and most mail "
                    f"servers refuse attachments over {1000 / 2 ** 20:.1f} MB (a message of 10 MB once encoded); "
                    f"give its exercises fewer or smaller pictures, or split the program in two")
    seed = next(line for line in warnings if f"content/{EXERCISES[0]}.yaml: " in line)
    assert seed.endswith("; give it fewer or smaller pictures") and " MB, and most mail servers refuse " in seed
    again = cli(lib, "build", "--for", "email")  # up to date: its warnings are said again
    assert sorted(line for line in again.stderr.splitlines() if line.startswith("warning: ")) == sorted(warnings)


def test_the_clinics_duplex_settings_do_not_apply_to_the_email_edition(lib):
    (lib / "clinic.yaml").write_text("name: Riverside\nflip: short\nback_offset: 1.5,-1\n", encoding="utf-8")
    run = cli(lib, "build", "--for", "email")
    assert run.code == 0, run.stderr
    assert files(run.out) == EMAIL_FILES


@pytest.mark.parametrize(("command", "options", "message"), [
    ("build", ["--anki"], "--for email makes no Anki deck; leave out --anki (or build it with the print edition)"),
    ("build", ["--fold"], "--for email always has fold-over cards; leave out --fold, --flip and --back-offset"),
    ("build", ["--flip", "long"], "--for email always has fold-over cards; leave out --fold, --flip and --back-offset"),
    ("build", ["--back-offset", "1,-1"],
     "--for email always has fold-over cards; leave out --fold, --flip and --back-offset"),
    ("program", ["--fold"], "--for email always has fold-over cards; leave out --fold, --flip and --back-offset"),
])
def test_options_the_email_edition_cannot_take_are_a_usage_error(lib, command, options, message):
    files_ = [program_file(lib, "jane")] if command == "program" else []
    run = cli(lib, command, *files_, "--for", "email", *options)
    assert (run.code, run.stderr.strip().splitlines(), run.stdout) == (2, [message], "")
    assert not (lib / "out").exists()


def test_an_unknown_edition_is_refused(lib, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["build", "--for", "fax", "--content", str(lib / "content")])
    assert exit_.value.code == 2 and "argument --for: invalid choice: 'fax'" in capsys.readouterr().err
    with pytest.raises(UsageError, match="edition 'fax': choose one of print, email"):
        build(BuildOptions(content_dir=lib / "content", assets_dir=lib / "assets", out_dir=lib / "out",
                           edition="fax"))


def test_the_email_program_of_the_build_api(lib):
    """What the sending code calls: one program's email edition, and where it went."""
    report = build_programs(BuildOptions(content_dir=lib / "content", assets_dir=lib / "assets", out_dir=lib / "out",
                                         programs=(lib / "programs" / "jane.yaml",), edition="email"))
    assert report.ok and report.made == {"email-program": [(lib / "out/email/programs/jane.pdf").resolve()]}
    assert files(lib / "out") == ["email/programs/jane.pdf"]


# --- the size of a real program --------------------------------------------------------------------

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "free-exercise-db"
#: Six exercises of free-exercise-db with two photos each (850 x 567), a stretching program.
SIX = ("90-90-hamstring", "ankle-circles", "all-fours-quad-stretch", "butt-lift-bridge",
       "calf-stretch-hands-against-wall", "cat-stretch")


@pytest.mark.slow
def test_a_six_exercise_program_with_two_photos_each_is_under_2_mb(tmp_path, monkeypatch):
    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"corpus not available: {CORPUS}")
    from handouts.importers.free_exercise_db import import_exercise_db

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    entries = [e for e in json.loads((CORPUS / "exercises.json").read_text(encoding="utf-8"))
               if e["id"] in ("90_90_Hamstring", "Ankle_Circles", "All_Fours_Quad_Stretch", "Butt_Lift_Bridge",
                              "Calf_Stretch_Hands_Against_Wall", "Cat_Stretch")]
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "exercises.json").write_text(json.dumps(entries), encoding="utf-8")
    for folder in {Path(image).parent for e in entries for image in e["images"]}:  # their photos, not all 300
        shutil.copytree(CORPUS / "exercises" / folder, tmp_path / "corpus" / "exercises" / folder)
    assert not import_exercise_db(tmp_path / "corpus" / "exercises.json", tmp_path / "content",
                                  tmp_path / "assets").problems
    (tmp_path / "programs").mkdir()
    (tmp_path / "programs" / "sam.yaml").write_text(
        "client: Sam Lee\ndate: 2026-11-25\nexercises: [" + ", ".join(SIX) + "]\n", encoding="utf-8")
    run = cli(tmp_path, "program", program_file(tmp_path, "sam"), "--for", "email")
    assert run.code == 0, run.stderr
    path = run.email_program("sam")
    assert sum(len(page.images) for page in PdfReader(path).pages) == 12
    assert path.stat().st_size < 2 * 2 ** 20, path.stat().st_size
