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
    cards_line, summary = out.strip().splitlines()
    assert cards_line == ("cards: 10 3.5 x 2 in business cards per Letter sheet, 2 across and 5 down; "
                          "print at actual size, double-sided, flip on long edge")
    assert summary.startswith("built 1 handout, 8 cards and the deck in output, ")
    assert "0 failed" in summary
    assert "Traceback" not in err


def test_build_reports_warnings_on_stderr(project, capsys):
    assert main(["build"]) == 0
    out, err = capsys.readouterr()
    assert "1 warning" in out
    warnings = err.strip().splitlines()
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: content/{SEED}.yaml:")
    assert "left out" in warnings[0]


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
    assert "unrecognized arguments: --no-such-option" in err
    assert not (project / "output").exists()


def test_unknown_paper_exits_2(project, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--paper", "legal"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'legal'" in capsys.readouterr().err


def test_broken_content_file_exits_1_and_others_still_build(project, capsys):
    (project / "content" / "broken.yaml").write_text("title: Broken\ninstructions: just one string\n")
    assert main(["build"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "content/broken.yaml:2: instructions: expected a list of steps, got text" in err
    assert "built 1 handout, 8 cards and the deck in output, 1 warning, 1 failed" in err
    assert (project / PDF).is_file()
    assert not (project / "output" / "handouts" / "broken.pdf").exists()


def test_module_runs_as_a_real_process(project):
    assert 'if __name__ == "__main__":' in (REPO / "src" / "handouts" / "cli.py").read_text()
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_DEBUG"}
    result = subprocess.run([sys.executable, "-m", "handouts.cli", "build", "--paper", "a4"], cwd=project,
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "built 1 handout, 8 cards and the deck in output, " in result.stdout
    assert float(PdfReader(project / PDF).pages[0].mediabox.height) == pytest.approx(841.89, abs=0.5)
