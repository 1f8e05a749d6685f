"""Making a source's files (build/making.py): one source that meets a bug costs only its own files."""

from __future__ import annotations

import shutil
from pathlib import Path

import handouts.render.exercise
from conftest import EXERCISE_FILES, REPO, SEED
from handouts.build.run import BuildOptions, build

BROKEN = "seated-knee-extension"


def test_a_bug_met_by_one_exercise_is_its_error_and_the_rest_is_built(tmp_path: Path, monkeypatch):
    """A picture that failed only while drawing ended the whole build with "internal error" and exit 70,
    the deck, the catalogue and the programs unwritten (a fresh user's trial, with a cut-short PNG)."""
    content = tmp_path / "content"
    content.mkdir()
    for name in (SEED, BROKEN, "spanish-bridge"):
        shutil.copy(EXERCISE_FILES[name], content / f"{name}.yaml")
    real = handouts.render.exercise.render_handout

    def render_handout(exercise, *args, **kwargs):
        if exercise.id == BROKEN:
            raise OSError("image file is truncated")
        return real(exercise, *args, **kwargs)

    monkeypatch.setattr(handouts.render.exercise, "render_handout", render_handout)
    options = BuildOptions(content_dir=content, assets_dir=REPO / "assets", out_dir=tmp_path / "out", jobs=1)
    report = build(options)
    (error,) = report.errors
    assert Path(error.path).name == f"{BROKEN}.yaml"
    assert error.message.startswith("internal error while making seated-knee-extension.pdf: OSError: image file "
                                    "is truncated (set HANDOUTS_DEBUG=1")
    handouts_made = sorted(p.name for p in (tmp_path / "out" / "handouts").glob("*.pdf"))
    assert handouts_made == [f"{SEED}.pdf", "spanish-bridge.pdf"]
    assert (tmp_path / "out" / "catalogue.pdf").exists()
    monkeypatch.setattr(handouts.render.exercise, "render_handout", real)
    again = build(options)
    assert again.ok and [p.name for p in again.written if p.name == f"{BROKEN}.pdf"]
