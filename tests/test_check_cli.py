"""``handouts check`` from the command line (issue 17): the findings as ``file:line: field: message``,
the table, the exit status (--strict), clinic.yaml's thresholds, and that it writes nothing and
needs no network."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, SEED
from handouts.cli import main

PLAIN = f"""title: Bridge
image: {SEED}.png
instructions:
  - Lie on your back with your knees bent.
  - Lift your hips off the floor.
  - Hold, then lower them slowly.
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copytree(REPO / "assets", tmp_path / "assets")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_the_sample_is_checked_line_by_line_with_a_table_and_nothing_is_written(project, capsys, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(project / "xdg"))
    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(project / "user-cache"))
    before = _files(project)
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    findings, table = out.split("\n\n")
    lines = findings.splitlines()
    assert lines[0].startswith(f"content/{SEED}.yaml:2: reading grade Flesch-Kincaid 8.5 (US grade 9); patient "
                               f"material should read at most 8")
    assert f"content/{SEED}.yaml:39: tips, tip 8: 'lumbar' is a clinical word; say 'lower back'" in lines
    assert all(line.startswith(f"content/{SEED}.yaml:") for line in lines)
    head, row, summary = table.splitlines()
    assert head.split() == ["id", "grade", "words", "page", "findings"]
    assert row.split() == [SEED, "FK", "8.5", "684", "1", "at", "12", "pt", str(len(lines))]
    assert summary == f"checked 1 exercise in content: {len(lines)} findings, 0 with none"
    assert _files(project) == before  # no output/, no picture cache, no cache under XDG_CACHE_HOME or ours


def test_strict_makes_a_finding_fail_and_a_clean_library_pass(project, capsys):
    assert main(["check", "--strict"]) == 1
    (project / "content" / "bridge.yaml").write_text(PLAIN, encoding="utf-8")
    assert main(["check", "--strict", "content/bridge.yaml"]) == 0
    out = capsys.readouterr().out
    assert out.endswith("checked 1 exercise in content: 0 findings, 1 with none\n")
    assert "bridge  FK " in out


def test_a_file_with_errors_exits_1_and_the_others_are_checked(project, capsys):
    (project / "content" / "broken.yaml").write_text("title: Broken\ninstructions: Lie down.\n", encoding="utf-8")
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert err == "content/broken.yaml:2: instructions: expected a list of steps, got text\n"
    assert out.endswith("checked 1 exercise in content: 9 findings, 0 with none, 1 error\n")


def test_picture_caution_and_fit_findings(project, capsys):
    text = PLAIN.replace(f"image: {SEED}.png\n", "tags: [post-op]\n")
    (project / "content" / "bridge.yaml").write_text(text, encoding="utf-8")
    tip = "Keep your feet flat on the floor and your knees over your ankles while you lift your hips, then lower"
    long = PLAIN + "tips:\n" + "".join(f"  - {tip} them slowly, tip {i}.\n" for i in range(30))
    (project / "content" / "long.yaml").write_text(long, encoding="utf-8")
    assert main(["check", "content/bridge.yaml", "content/long.yaml"]) == 0
    out = capsys.readouterr().out
    assert "content/bridge.yaml:1: no picture; a photo or drawing of the movement helps more than words " \
           "(image: in assets/)" in out
    assert "content/bridge.yaml:2: tags: tagged 'post-op' but has no caution:; say when to stop and what to " \
           "watch for" in out
    assert "content/long.yaml:1: continues on page 2 (the back of the sheet): about" in out
    assert [line.split()[4:7] for line in out.splitlines() if line.startswith(("bridge ", "long "))] == [
        ["1", "at", "14"], ["2", "at", "12"]]


def test_thresholds_from_clinic_yaml(project, capsys):
    (project / "content" / "bridge.yaml").write_text(PLAIN.replace("Lie on your back with your knees bent.",
                                                                   "Lie on your back with your knees bent and "
                                                                   "your feet flat on the floor."), encoding="utf-8")
    assert main(["check", "content/bridge.yaml"]) == 0
    assert "0 findings" in capsys.readouterr().out
    (project / "clinic.yaml").write_text("name: Riverside\ncheck:\n  step_words: 10\n  grade: 9\n", encoding="utf-8")
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "content/bridge.yaml:4: instructions, step 1: 15 words; plain-language guidance is at most 10 a step" in out
    assert "reading grade" not in out  # the sample's 8.5 is within 9


@pytest.mark.parametrize(("block", "message"), [
    ("  step_words: many\n", "clinic.yaml:3: check, step_words: 'many' is not a whole number; give one from 5 to 200"),
    ("  grade: 40\n", "clinic.yaml:3: check, grade: 40 is out of range; give one from 1 to 20"),
    ("  caution_tags: post-op\n", "clinic.yaml:3: check, caution_tags: expected a list of tags, got text"),
    ("  step_wrds: 20\n", "clinic.yaml:3: check: unknown key 'step_wrds': did you mean 'step_words'?"),
    ("  colour: red\n", "warning: clinic.yaml:3: check: unknown key 'colour' ignored"),
])
def test_a_mistake_in_the_check_block_is_located(project, capsys, block, message):
    (project / "clinic.yaml").write_text(f"name: Riverside\ncheck:\n{block}", encoding="utf-8")
    code = main(["check"])
    err = capsys.readouterr().err
    assert message in err
    assert code == (0 if message.startswith("warning") else 1)  # an unknown key is a warning, as elsewhere


def test_spanish_is_graded_on_the_inflesz_scale(project, capsys):
    (project / "content" / "puente.yaml").write_text(
        f"title: Puente\nlanguage: es\nimage: {SEED}.png\ninstructions:\n  - Túmbese boca arriba.\n"
        f"  - Doble las rodillas despacio.\n", encoding="utf-8")
    assert main(["check", "content/puente.yaml"]) == 0
    out = capsys.readouterr().out
    assert "content/puente.yaml:1: reading grade INFLESZ 52 (algo difícil); patient material should read at " \
           "least 55 (clinic.yaml check: reading_ease)" in out
    assert "puente  INFLESZ 52" in out


@pytest.mark.slow
def test_it_runs_with_the_network_off(project):
    """In a fresh process where opening any socket fails, as in CI without network."""
    script = ("import socket, sys\n"
              "def refuse(*a, **k):\n    raise OSError('network is off in this test')\n"
              "socket.socket.connect = socket.socket.connect_ex = socket.socket.sendto = refuse\n"
              "socket.create_connection = socket.getaddrinfo = refuse\n"
              "from handouts.cli import main\nsys.exit(main(['check']))\n")
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "XDG_CACHE_HOME": str(project / "xdg")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "reading grade Flesch-Kincaid 8.5" in result.stdout
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        cut_off = subprocess.run(["unshare", "-rn", sys.executable, "-m", "handouts", "check"],
                                 capture_output=True, text=True, env=env, cwd=project)
        assert cut_off.stdout == result.stdout
