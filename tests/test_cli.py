"""`handouts build` from the command line: exit statuses, messages and the files it writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import REPO, SEED
from handouts.cli import main

PDF = f"output/handouts/{SEED}.pdf"


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_exits_0_and_writes_the_seed_handout(project, capsys):
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    pdf = project / PDF
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert len(PdfReader(pdf).pages) == 1
    assert sorted(p.name for p in pdf.parent.iterdir()) == [f"{SEED}.pdf"]
    cards_line, notice, summary = out.strip().splitlines()
    assert cards_line == ("cards: 10 3.5 x 2 in business cards per Letter sheet, 2 across and 5 down; "
                          "print at actual size, double-sided, flip on long edge")
    assert notice == "1 handout left out description paragraphs to fit the page (--verbose lists them)"
    assert summary.startswith("built 1 handout, 8 cards, the deck and the catalogue in output, 0 warnings, 0 failed")
    assert "Traceback" not in err


def test_the_sample_builds_with_no_warning_and_says_once_what_the_layout_left_out(project, capsys):
    """Leaving out optional description paragraphs is the layout's job: counted in the summary, not a warning."""
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "0 warnings" in out
    assert out.count("left out description paragraphs") == 1


def test_verbose_lists_the_files_behind_the_summary(project, capsys):
    assert main(["build", "--verbose"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    at = lines.index("1 handout left out description paragraphs to fit the page")
    assert lines[at + 1].startswith(f"  content/{SEED}.yaml:")
    assert "description: 4 of 4 paragraphs left out" in lines[at + 1]


def test_a_warning_is_still_a_warning(project, capsys):
    """A picture that is missing asks a person to act: it stays a warning, on stderr."""
    path = project / "content" / f"{SEED}.yaml"
    path.write_text(path.read_text().replace("image: reclining-lower-trunk-extensor-stretch.png",
                                              "image: no-such-picture.png"))
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert "1 warning" in out
    (warning,) = err.strip().splitlines()
    assert warning.startswith(f"warning: content/{SEED}.yaml:") and "no-such-picture.png" in warning


def test_build_letter_by_default(project, capsys):
    assert main(["build"]) == 0
    box = PdfReader(project / PDF).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


def test_build_paper_a4_makes_an_a4_page(project, capsys):
    assert main(["build", "--paper", "a4"]) == 0
    box = PdfReader(project / PDF).pages[0].mediabox
    assert float(box.width) == pytest.approx(595.27, abs=0.5)
    assert float(box.height) == pytest.approx(841.89, abs=0.5)


def test_build_named_file_and_out_folder(project, capsys):
    assert main(["build", f"content/{SEED}.yaml", "--out", "elsewhere"]) == 0
    assert (project / "elsewhere" / "handouts" / f"{SEED}.pdf").is_file()
    assert not (project / "output").exists()
    # a named file is a partial build: its cards, but not a deck that would replace the library's
    assert "built 1 handout and 8 cards in elsewhere, " in capsys.readouterr().out
    assert (project / "elsewhere" / "cards" / f"{SEED}.pdf").is_file()
    assert not (project / "elsewhere" / "deck.pdf").exists()


def test_missing_content_folder_exits_1_with_one_line(project, capsys):
    assert main(["build", "--content", "no-such-folder"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert "no-such-folder" in lines[0] and "no such folder" in lines[0]
    assert not (project / "output").exists()


def test_default_content_folder_missing_exits_1(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 1
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == ["content: no such folder (use --content DIR)"]


def test_unknown_option_exits_2(project, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--no-such-option"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err == "handouts: unrecognized arguments: --no-such-option (see 'handouts --help')\n"  # one line
    assert not (project / "output").exists()


@pytest.mark.parametrize("argv,start,command", [
    (["build", "--jobs", "abc"], "handouts build: argument --jobs: invalid int value: 'abc'", "handouts build"),
    (["build", "--paper"], "handouts build: argument --paper: expected one argument", "handouts build"),
    (["nonsense"], "handouts: argument COMMAND: invalid choice: ", "handouts"),  # quoting differs by Python version
])
def test_a_mistyped_command_line_is_one_line(project, capsys, argv, start, command):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(start) and err.endswith(f" (see '{command} --help')\n") and len(err.splitlines()) == 1


@pytest.mark.parametrize("value", ["abc", "1e10", "-1", "99999999999999999999", "١٢٣"])
def test_a_source_date_epoch_that_is_no_time_is_one_line_before_any_work(project, capsys, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["build"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("SOURCE_DATE_EPOCH '") and "whole seconds since 1970-01-01 UTC" in err
    assert len(err.splitlines()) == 1 and not (project / "output").exists()


def test_unknown_paper_exits_2(project, capsys):
    assert main(["build", "--paper", "legal"]) == 2
    assert capsys.readouterr().err == "--paper 'legal' is not a paper size; choose one of letter, a4\n"
    assert not (project / "output").exists()


def test_broken_content_file_exits_1_and_others_still_build(project, capsys):
    (project / "content" / "broken.yaml").write_text("title: Broken\ninstructions: just one string\n")
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "content/broken.yaml:2: instructions: expected a list of steps, got text" in err
    assert "built 1 handout, 8 cards, the deck and the catalogue in output, 0 warnings, 1 failed" in err
    assert (project / PDF).is_file()
    assert not (project / "output" / "handouts" / "broken.pdf").exists()


def test_module_runs_as_a_real_process(project):
    assert 'if __name__ == "__main__":' in (REPO / "src" / "handouts" / "cli" / "__main__.py").read_text()
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_DEBUG"}
    result = subprocess.run([sys.executable, "-m", "handouts.cli", "build", "--paper", "a4"], cwd=project,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "built 1 handout, 8 cards, the deck and the catalogue in output, " in result.stdout
    assert float(PdfReader(project / PDF).pages[0].mediabox.height) == pytest.approx(841.89, abs=0.5)


# --- cards ------------------------------------------------------------------------------------

CARDS = f"output/cards/{SEED}.pdf"


def _preferences(path) -> dict:
    prefs = PdfReader(path).trailer["/Root"]["/ViewerPreferences"]
    return {str(k): str(v) for k, v in prefs.items()}


def test_build_writes_cards_and_the_deck_with_print_preferences(project, capsys):
    assert main(["build"]) == 0
    for path in (project / CARDS, project / "output" / "deck.pdf"):
        reader = PdfReader(path)
        assert len(reader.pages) == 2  # 8 cards: one sheet of fronts and its backs
        prefs = _preferences(path)
        assert prefs["/PrintScaling"] == "/None" and prefs["/Duplex"] == "/DuplexFlipLongEdge"


def test_card_size_flip_and_paper_reach_the_card_sheets(project, capsys):
    assert main(["build", "--card-size", "index", "--flip", "short", "--paper", "a4"]) == 0
    out = capsys.readouterr().out
    assert "cards: 3 3 x 5 in index cards per A4 sheet, 1 across and 3 down; " \
           "print at actual size, double-sided, flip on short edge" in out
    reader = PdfReader(project / CARDS)
    assert len(reader.pages) == 6  # 8 cards, 3 a sheet: 3 sheets of fronts and backs
    assert float(reader.pages[0].mediabox.height) == pytest.approx(841.89, abs=0.5)
    assert _preferences(project / CARDS)["/Duplex"] == "/DuplexFlipShortEdge"


def test_fold_prints_one_sided(project, capsys):
    assert main(["build", "--fold"]) == 0
    assert "print at actual size, one-sided, and fold" in capsys.readouterr().out
    assert len(PdfReader(project / CARDS).pages) == 2  # 5 folded cards a sheet
    assert _preferences(project / CARDS)["/Duplex"] == "/Simplex"


@pytest.mark.parametrize("args, message", [
    (["--fold", "--flip", "short"], "--fold prints one-sided fold-over cards; leave out --flip and --back-offset"),
    (["--back-offset", "1x"], "--back-offset '1x': give X,Y in millimetres, e.g. --back-offset=1.5,-0.5"),
    (["--back-offset", "0,7"], "--back-offset Y 7 mm would move the backs within 0.3 in of the paper's edge; "
                               "this sheet allows at most 5.1 mm"),
])
def test_impossible_card_options_exit_2_with_one_line_before_writing(project, capsys, args, message):
    assert main(["build", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == message
    assert not (project / "output").exists()


@pytest.mark.parametrize("args", [["--back-offset", "-1.5,2"], ["--back-offset=-1.5,2"]])
def test_a_negative_back_offset_needs_no_equals_sign(project, capsys, args):
    assert main(["build", *args]) == 0
    assert (project / CARDS).is_file()


def test_back_offset_moves_the_backs_not_the_fronts(project, capsys):
    assert main(["build", "--out", "plain"]) == 0
    assert main(["build", "--out", "moved", "--back-offset", "2,-1"]) == 0
    plain, moved = PdfReader(project / "plain" / "deck.pdf"), PdfReader(project / "moved" / "deck.pdf")
    assert plain.pages[0].extract_text() == moved.pages[0].extract_text()
    assert plain.pages[0].get_contents().get_data() == moved.pages[0].get_contents().get_data()
    assert plain.pages[1].get_contents().get_data() != moved.pages[1].get_contents().get_data()


def test_an_exercise_that_loses_its_faq_loses_its_stale_card_file(project, capsys):
    assert main(["build"]) == 0
    source = project / "content" / f"{SEED}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text[: text.index("\nfaq:")] + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["build"]) == 0
    out = capsys.readouterr().out
    assert f"removed output/cards/{SEED}.pdf: no questions to print any more" in out
    assert "removed output/deck.pdf: no questions to print any more" in out  # it was the only exercise
    assert "built 1 handout, 0 cards and the catalogue in output" in out
    assert not (project / CARDS).exists() and not (project / "output" / "deck.pdf").exists()


def test_an_output_folder_that_cannot_be_written_is_one_line_before_any_work(project, capsys):
    (project / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["build", "--out", "taken/output"]) == 1
    err = capsys.readouterr().err
    assert err == "taken/output: cannot write: taken is a file, not a folder\n"
    assert (project / "taken").read_text(encoding="utf-8") == "a file, not a folder"


@pytest.mark.parametrize("option", ["--out", "--content", "--assets"])
def test_a_folder_option_that_is_a_loop_of_links_is_one_usage_line(project, capsys, option):
    (project / "loop").symlink_to(project / "loop")
    assert main(["build", option, "loop"]) == 2
    assert capsys.readouterr().err == f"{option} loop: is a link that leads back to itself (a loop of links); " \
                                      f"give a folder\n"


@pytest.mark.parametrize("command, kind", [("build", "content file"), ("program", "program file")])
def test_a_file_named_through_a_loop_of_links_or_a_pipe_is_one_line_not_a_hang(project, capsys, command, kind):
    (project / "loop").symlink_to(project / "loop")
    os.mkfifo(project / "pipe.yaml")  # read, it would wait for a writer for ever
    assert main([command, "loop/x.yaml", "pipe.yaml"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[:2] == [f"loop/x.yaml: is a link that leads back to itself, not a {kind}",
                       "pipe.yaml: is not a regular file (a pipe or a device?); give a YAML file"]
    assert "2 failed" in err[-1]


def test_a_program_in_a_loop_of_links_fails_alone(project, capsys):
    (project / "programs").mkdir()
    (project / "programs" / "loop.yaml").symlink_to(project / "programs" / "loop.yaml")
    assert main(["build"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0] == "programs/loop.yaml: is a link that leads back to itself, not a program file"
    assert err[-1].startswith("built 1 handout") and "1 failed" in err[-1]


@pytest.mark.parametrize("out", [".", "content", "assets", "programs", ".."])
def test_an_output_folder_that_is_or_holds_the_library_is_refused_before_anything_is_written(project, capsys, out):
    before = sorted(project.rglob("*"))
    assert main(["build", "--out", out]) == 2
    err = capsys.readouterr().err
    assert f"--out {out}: that folder is or holds the" in err and "give it one of its own" in err
    assert sorted(project.rglob("*")) == before
    assert not (project.parent / "handouts").exists()


@pytest.mark.parametrize("argv", [["--help"], ["build", "--help"], ["serve", "--help"], ["check", "--help"]])
def test_help_loads_none_of_the_heavy_libraries(argv):
    """``handouts --help`` answers in about a tenth of a second (bench: farm-bench) because it imports
    no PDF, picture, YAML, web or mail library; this keeps it so."""
    heavy = {"reportlab", "PIL", "yaml", "starlette", "uvicorn", "email_validator", "pypdfium2", "jinja2"}
    script = ("import sys\nfrom handouts.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
              "print(sorted({n.split('.')[0] for n in sys.modules} & %r))" % (argv, heavy))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_list_of_commands_loads_no_commands_options():
    """Issue 19: ``handouts --help`` under 0.1 s.  The list of commands needs none of their options,
    whose help names the paper sizes (the theme), the mail and web settings: it imports none of them."""
    modules = {"handouts.style.theme", "handouts.cli.email", "handouts.cli.serve", "handouts.cli.listing",
               "handouts.cli.check", "handouts.content.search"}
    script = ("import sys\nfrom handouts.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(set(sys.modules) & %r))" % modules)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO / "src")})
    assert "build" in result.stdout and "import" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_each_command_still_has_all_its_options(capsys):
    """Only the command run gets its options: each one's --help still lists them all."""
    for command, option in [("build", "--anki"), ("program", "--large-print"), ("calibrate", "--back-offset"),
                            ("email", "--send"), ("check", "--content"), ("serve", "--port"),
                            ("import", "--force")]:
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert option in capsys.readouterr().out, command


def test_a_build_with_nothing_to_make_loads_no_pdf_or_picture_library(tmp_path):
    """Issue 19: a no-op build under 0.2 s.  Planning needs no renderer, so a build that finds
    everything up to date never imports ReportLab, Pillow, PDFium or genanki (handouts.outputs
    says why each kind imports its renderer inside its task)."""
    for folder in ("content", "assets", "programs"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    heavy = {"reportlab", "PIL", "pypdfium2", "genanki", "fontTools", "starlette", "jinja2"}
    script = ("import sys\nfrom handouts.cli import main\ntry:\n    main(['build', '--jobs', '2'])\n"
              "except SystemExit:\n    pass\nprint(sorted({n.split('.')[0] for n in sys.modules} & %r))" % heavy)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=tmp_path, env=env)
    assert "built 1 handout" in first.stdout and first.stdout.strip().splitlines()[-1] != "[]"
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           cwd=tmp_path, env=env)
    assert "built 0 handouts" in again.stdout, again.stdout
    assert again.stdout.strip().splitlines()[-1] == "[]", again.stdout
