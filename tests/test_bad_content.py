"""The bad-content corpus: every ``tests/data/bad/<case>.yaml`` through the real CLI.

Each case's ``<case>.expected`` holds the expected exit status (first line ``# exit: N``)
and then the exact lines ``handouts build`` prints to stderr for that file alone, without
the final summary line.  Cases listed in ``KNOWN_ISSUES.txt`` expect the message we think
is right, not the one printed today, and are strict xfails.  ``HANDOUTS_REGEN=1`` rewrites
the ``.expected`` files from the actual output (known issues excepted).
See ``tests/data/bad/README.md``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from handouts.cli import main

REPO = Path(__file__).resolve().parents[1]
BAD = REPO / "tests" / "data" / "bad"
CASES = sorted(BAD.glob("*.yaml"))
REGEN = os.environ.get("HANDOUTS_REGEN") == "1"
SUMMARY = re.compile(r"^built \d+ handouts?(?:, | and )\d+ cards?(?: and the deck)? in .+, "
                     r"\d+ warnings?, \d+ failed \(\d+\.\d s\)$")
EXIT_LINE = re.compile(r"^# exit: (\d+)$")

GOOD_EXERCISE = """\
title: Wall Push
summary: A gentle push against a wall for the chest and shoulders.
instructions:
  - Stand an arm's length from a wall with your hands flat on it.
  - Bend your elbows and bring your chest towards the wall.
  - Push back to the start.
"""


def known_issues() -> dict[str, str]:
    """``case: reason`` lines of KNOWN_ISSUES.txt (blank lines and ``#`` comments skipped)."""
    issues = {}
    for line in (BAD / "KNOWN_ISSUES.txt").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            case, _, reason = line.partition(":")
            issues[case.strip()] = reason.strip()
    return issues


KNOWN = known_issues()


def read_expected(path: Path) -> tuple[int, list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    match = EXIT_LINE.match(lines[0]) if lines else None
    assert match, f"{path.name}: the first line must be '# exit: N'"
    return int(match.group(1)), lines[1:]


def run_cli(path: Path, out_dir: Path, monkeypatch, capsys) -> tuple[int, list[str], str]:
    """Build *path* alone with the real CLI from the repo root; return status, stderr lines
    without the summary line, and the raw stderr."""
    monkeypatch.chdir(REPO)
    status = main(["build", str(path.relative_to(REPO)), "--out", str(out_dir)])
    out, err = capsys.readouterr()
    lines = err.splitlines()
    summaries = [line for line in out.splitlines() + lines if SUMMARY.match(line)]
    assert len(summaries) == 1, f"expected one summary line, got stdout={out!r} stderr={err!r}"
    if lines and SUMMARY.match(lines[-1]):
        lines = lines[:-1]
    return status, lines, err


def case_param(path: Path):
    marks = []
    if path.stem in KNOWN and not REGEN:
        marks.append(pytest.mark.xfail(strict=True, reason=KNOWN[path.stem]))
    return pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", [case_param(p) for p in CASES])
def test_messages_match_expected(path, tmp_path, monkeypatch, capsys):
    """Exactly the expected stderr lines and exit status; a PDF only when the status is 0."""
    status, lines, _ = run_cli(path, tmp_path, monkeypatch, capsys)
    expected_path = path.with_suffix(".expected")
    if REGEN:
        if path.stem in KNOWN:
            pytest.skip("known issue: its .expected holds the proposed message; edit it by hand")
        expected_path.write_text("".join(f"{line}\n" for line in [f"# exit: {status}", *lines]),
                                 encoding="utf-8")
        pytest.skip(f"regenerated {expected_path.name}")
    assert expected_path.exists(), f"{expected_path.name} is missing; create it with HANDOUTS_REGEN=1"
    expected_status, expected_lines = read_expected(expected_path)
    assert lines == expected_lines
    assert status == expected_status
    pdf = tmp_path / "handouts" / f"{path.stem}.pdf"
    assert pdf.exists() == (status == 0), "a PDF is written exactly when the file has no errors"


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_no_traceback_and_no_internal_error(path, tmp_path, monkeypatch, capsys):
    """Never a traceback, never an internal error: bad content is 0 (warnings) or 1 (errors)."""
    status, _, err = run_cli(path, tmp_path, monkeypatch, capsys)
    assert "Traceback" not in err
    assert "internal error" not in err
    assert status in (0, 1)


def test_corpus_is_complete_and_known_issues_name_real_cases():
    stems = {p.stem for p in CASES}
    assert len(stems) >= 30
    assert set(KNOWN) <= stems, f"KNOWN_ISSUES.txt names no such case: {sorted(set(KNOWN) - stems)}"
    assert all(KNOWN.values()), "every known issue needs a reason"
    orphans = sorted(p.name for p in BAD.glob("*.expected") if p.stem not in stems)
    assert not orphans, f".expected files without a .yaml: {orphans}"
    located = re.compile(r"^(warning: )?tests/data/bad/(?P<case>[^/:]+)\.yaml:\d+: \S.*$")
    for path in CASES:
        status, lines = read_expected(path.with_suffix(".expected"))
        assert status in (0, 1), path.name
        assert status == 0 or lines, f"{path.stem}: exit 1 but no message expected"
        for line in lines:
            match = located.match(line)
            assert match and match["case"] == path.stem, f"{path.stem}: not 'path:line: ...': {line!r}"


@pytest.mark.parametrize("case, title", [
    ("title-number", "1984"),
    ("title-decimal-number", "3.10"),
])
def test_a_number_as_title_is_printed_as_typed(case, title, tmp_path, monkeypatch, capsys):
    pypdf = pytest.importorskip("pypdf")
    status, lines, _ = run_cli(BAD / f"{case}.yaml", tmp_path, monkeypatch, capsys)
    assert (status, lines) == (0, [])
    reader = pypdf.PdfReader(tmp_path / "handouts" / f"{case}.pdf")
    assert reader.metadata.title == title
    assert reader.pages[0].extract_text().startswith(title)


def test_good_file_is_built_while_two_bad_files_are_reported(tmp_path, monkeypatch, capsys):
    good = tmp_path / "drafts" / "wall-push.yaml"  # in no project (no content/ above it): built with the repo's
    good.parent.mkdir()
    good.write_text(GOOD_EXERCISE, encoding="utf-8")
    out = tmp_path / "out"
    bad = [BAD / "instructions-as-text.yaml", BAD / "several-errors.yaml"]
    monkeypatch.chdir(REPO)
    status = main(["build", str(bad[0].relative_to(REPO)), str(good), str(bad[1].relative_to(REPO)),
                   "--out", str(out)])
    _, err = capsys.readouterr()
    assert status == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    assert re.fullmatch(r"built 1 handout and \d+ cards in .+, 0 warnings, 2 failed \(\d+\.\d s\)", lines[-1])
    assert lines[:-1] == read_expected(bad[0].with_suffix(".expected"))[1] + \
        read_expected(bad[1].with_suffix(".expected"))[1]
    assert sorted(p.name for p in (out / "handouts").iterdir()) == ["wall-push.pdf"]
    assert (out / "handouts" / "wall-push.pdf").read_bytes().startswith(b"%PDF-")


def test_bad_file_leaves_the_earlier_pdf_of_the_same_exercise_untouched(tmp_path, monkeypatch, capsys):
    source = tmp_path / "wall-push.yaml"
    source.write_text(GOOD_EXERCISE, encoding="utf-8")
    out = tmp_path / "out"
    monkeypatch.chdir(REPO)
    assert main(["build", str(source), "--out", str(out)]) == 0
    pdf = out / "handouts" / "wall-push.pdf"
    before = (pdf.read_bytes(), pdf.stat().st_mtime_ns, pdf.stat().st_ino)
    assert len(before[0]) > 1000
    capsys.readouterr()

    source.write_text("title: Wall Push\ninstructions: Push against the wall.\n", encoding="utf-8")
    assert main(["build", str(source), "--out", str(out)]) == 1
    _, err = capsys.readouterr()
    assert f"{source}:2: instructions: expected a list of steps, got text" in err.splitlines()
    assert (pdf.read_bytes(), pdf.stat().st_mtime_ns, pdf.stat().st_ino) == before
    assert sorted(p.name for p in pdf.parent.iterdir()) == ["wall-push.pdf"], "no temporary files left"
