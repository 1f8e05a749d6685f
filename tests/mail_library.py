"""The small clinic the email tests send from: three exercises (one in Spanish), the sample
pictures, a clinic.yaml and the programs a test names."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXERCISE_FILES, REPO, SEED

EXERCISES = (SEED, "seated-knee-extension", "spanish-bridge")


def mail_project(tmp_path: Path, clinic: str | None, programs: dict[str, str],
                 exercises: tuple[str, ...] = EXERCISES) -> Path:
    """A project folder under *tmp_path* with *exercises*, the sample pictures, *clinic* as its
    clinic.yaml (None: none) and *programs* (name -> YAML) in programs/."""
    project = tmp_path / "clinic"
    (project / "content").mkdir(parents=True)
    (project / "programs").mkdir()
    shutil.copytree(REPO / "assets", project / "assets")
    for name in exercises:
        shutil.copy(EXERCISE_FILES[name], project / "content" / f"{name}.yaml")
    if clinic is not None:
        (project / "clinic.yaml").write_text(clinic, encoding="utf-8")
    for name, text in programs.items():
        (project / "programs" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return project
