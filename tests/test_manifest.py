"""The program version in the manifest: any change to the package's source rebuilds everything.

The manifest keeps what the last build made and skips what is unchanged; the options
fingerprint includes a hash of the package's own source (``_program_hash``), so a fix to
any module, without a version bump, makes every output stale.  Since the package is in
stage folders, "any module" must include the subfolders.  These tests copy the package to
a temporary folder, change it there, and ask a fresh Python running that copy for its
version, so they check what a user's next build would see, whatever way the hash is made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a Python process per version asked

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "handouts"
SETTINGS = {"paper": "letter", "cards": "3x5"}  # any settings: the same for every run

_ASK = """
import json, sys
from handouts.build import manifest
print(json.dumps({"file": manifest.__file__, "program": manifest._program_hash(),
                  "fingerprint": manifest.options_fingerprint(json.loads(sys.argv[1]))}))
"""


def _version(src: Path) -> tuple[str, str]:
    """(program hash, options fingerprint) of the package under *src*, as a new process sees it."""
    env = {**os.environ, "PYTHONPATH": str(src), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", _ASK, json.dumps(SETTINGS)], env=env, cwd=src,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert Path(answer["file"]).resolve().is_relative_to(src.resolve()), answer["file"]  # the copy, not the repo
    return answer["program"], answer["fingerprint"]


def _copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(PACKAGE, src / "handouts", ignore=shutil.ignore_patterns("__pycache__"))
    return src


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _version(_copy(tmp_path_factory.mktemp("baseline")))


def test_the_version_is_the_same_when_nothing_changed(tmp_path: Path, baseline: tuple[str, str]) -> None:
    src = _copy(tmp_path)
    (src / "handouts" / "layout" / "__pycache__").mkdir(exist_ok=True)  # bytecode is not source
    (src / "handouts" / "layout" / "__pycache__" / "markup.cpython-311.pyc").write_bytes(b"\0")
    assert _version(src) == baseline
    assert _version(src) == baseline


def _append(rel: str) -> Callable[[Path], None]:
    def edit(package: Path) -> None:
        with (package / rel).open("a", encoding="utf-8") as f:
            f.write("\n# a one-line fix\n")
    return edit


def _add(rel: str) -> Callable[[Path], None]:
    def edit(package: Path) -> None:
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text('"""A new module."""\n', encoding="utf-8")
    return edit


def _move(rel: str, to: str) -> Callable[[Path], None]:
    def edit(package: Path) -> None:
        (package / rel).rename(package / to)
    return edit


def _remove(rel: str) -> Callable[[Path], None]:
    return lambda package: (package / rel).unlink()


EDITS = {
    "a layout module changes": _append("layout/markup.py"),
    "a stage's __init__ changes": _append("render/__init__.py"),
    "a root module changes": _append("errors.py"),
    "a module is added to a stage folder": _add("outputs/new_kind.py"),
    "a module is added two folders down": _add("layout/deeper/x.py"),
    # (modules the manifest's own imports do not need, so the copy still runs)
    "a module moves to another stage, bytes unchanged": _move("importers/json_list.py", "content/json_list.py"),
    "a module is removed": _remove("importers/plain_text.py"),
}


@pytest.mark.parametrize("edit", list(EDITS.values()), ids=list(EDITS))
def test_the_version_changes_when_any_module_changes(tmp_path: Path, baseline: tuple[str, str],
                                                      edit: Callable[[Path], None]) -> None:
    src = _copy(tmp_path)
    edit(src / "handouts")
    program, fingerprint = _version(src)
    assert program != baseline[0], "the program hash missed the change: a rebuild would reuse stale files"
    assert fingerprint != baseline[1], "the options fingerprint missed the program's change"
