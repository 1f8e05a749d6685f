"""The front desk's test projects and clients: a small library, a program, the real app over HTTP."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from starlette.testclient import TestClient

from conftest import EXERCISE_FILES, REPO, SEED

EXERCISES = (SEED, "seated-knee-extension", "spanish-bridge")
PROGRAM = """client: Jane Doe
email: jane.doe@example.com
clinician: Alex Kim, PT
date: 2026-11-25
exercises:
  - id: reclining-lower-trunk-extensor-stretch
    dose: {sets: 2, reps: 3, hold: 30 s}
"""


def desk_project(tmp_path: Path, programs: dict[str, str] | None = None, clinic: str | None = None,
                 exercises: tuple[str, ...] = EXERCISES) -> Path:
    """A project under *tmp_path*: *exercises*, the sample pictures, *programs* (name -> YAML), *clinic*."""
    project = tmp_path / "clinic"
    (project / "content").mkdir(parents=True)
    (project / "programs").mkdir()
    shutil.copytree(REPO / "assets", project / "assets")
    for name in exercises:
        shutil.copy(EXERCISE_FILES[name], project / "content" / f"{name}.yaml")
    for name, text in (programs if programs is not None else {"jane-doe": PROGRAM}).items():
        (project / "programs" / f"{name}.yaml").write_text(text, encoding="utf-8")
    if clinic is not None:
        (project / "clinic.yaml").write_text(clinic, encoding="utf-8")
    return project


def desk_of(project: Path):
    from handouts.web.desk import Desk

    return Desk(project / "content", project / "assets", project / "output")


def client_for(project: Path, **settings) -> TestClient:
    """The real app for *project* (no background build unless *settings* give one)."""
    from handouts.web.app import Settings, make_app

    return TestClient(make_app(desk_of(project), Settings(**settings)), raise_server_exceptions=False,
                      base_url="http://127.0.0.1:8000")


def token_of(html: str) -> str:
    """The form token a page carries (every page has it on <body data-csrf>)."""
    found = re.search(r'data-csrf="([^"]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)
