"""A small library for the email edition's tests, the commands run on it, and readers of what they write.

The library is the test exercises (one with no questions, one in Spanish, one whose title has
an arrow), the sample picture, a clinic and two programs: Jane's names one exercise twice and
one that takes two pages in a program; Rosa's is in Spanish.  The readers take the PDFs apart
with pypdf (metadata, outline, viewer preferences) and pdfplumber (each page's text).
"""

from __future__ import annotations

import io
import shutil
import stat
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pypdf
import yaml

from conftest import EXERCISE_FILES, REPO, SEED, normalise
from handouts.cli import main

EXERCISES = (SEED, "three-step-wall-push", "seated-knee-extension", "spanish-bridge", "symbols-ankle")
CLINIC = "name: Riverside Physiotherapy\nphone: 555 0100\n"

JANE = f"""\
client: Jane Doe
clinician: Alex Kim, PT
date: 2026-11-25
notes: Start gently.
exercises:
  - id: {SEED}
    dose: {{sets: 2, reps: 3, hold: 30 s}}
    notes: Keep the sacrum heavy on the mat.
  - three-step-wall-push
  - {SEED}
  - symbols-ankle
  - seated-knee-extension
"""
JANE_IDS = [SEED, "three-step-wall-push", SEED, "symbols-ankle", "seated-knee-extension"]

ROSA = """\
client: Rosa Díaz
clinician: Ana Gómez
date: 2026-03-01
language: es
exercises:
  - spanish-bridge
  - three-step-wall-push
"""
PROGRAMS = {"jane": JANE, "rosa": ROSA}


def make_library(root: Path, clinic: str | None = CLINIC, programs: dict[str, str] | None = None) -> Path:
    """content/ (the exercises), assets/, clinic.yaml (unless None) and programs/ under *root*."""
    (root / "content").mkdir(parents=True)
    for exercise_id in EXERCISES:
        shutil.copy(EXERCISE_FILES[exercise_id], root / "content")
    shutil.copytree(REPO / "assets", root / "assets")
    if clinic is not None:
        (root / "clinic.yaml").write_text(clinic, encoding="utf-8")
    (root / "programs").mkdir()
    for name, text in (PROGRAMS if programs is None else programs).items():
        (root / "programs" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    out: Path

    def email_program(self, name: str) -> Path:
        return self.out / "email" / "programs" / f"{name}.pdf"

    def email_handout(self, exercise_id: str) -> Path:
        return self.out / "email" / "handouts" / f"{exercise_id}.pdf"

    @property
    def summary(self) -> str:
        return (self.stdout + self.stderr).strip().splitlines()[-1]


def cli(root: Path, command: str, *args: str, out: str = "out") -> Run:
    """``handouts COMMAND ARGS`` on the library at *root* (in this process, one job), its output captured."""
    stdout, stderr = io.StringIO(), io.StringIO()
    argv = [command, *args, "--content", str(root / "content"), "--assets", str(root / "assets"),
            "--out", str(root / out)] + (["--jobs", "1"] if command == "build" else [])
    with redirect_stdout(stdout), redirect_stderr(stderr):
        code = main(argv)
    return Run(code, stdout.getvalue(), stderr.getvalue(), root / out)


def program_file(root: Path, name: str) -> str:
    return str(root / "programs" / f"{name}.yaml")


# --- reading the PDFs ---------------------------------------------------------------------------

def info(path: Path) -> dict:
    """The document information dictionary, as written (dates as the strings in the file)."""
    return {str(k): str(v) for k, v in pypdf.PdfReader(path).trailer["/Info"].get_object().items()}


def catalog(path: Path) -> dict:
    return dict(pypdf.PdfReader(path).trailer["/Root"])


def preferences(path: Path) -> dict:
    return dict(catalog(path).get("/ViewerPreferences", {}))


def outline(path: Path) -> list[tuple[str, int]]:
    """(title, page index) of each top-level outline entry, in order."""
    reader = pypdf.PdfReader(path)
    return [(entry.title, reader.get_destination_page_number(entry)) for entry in reader.outline]


def page_texts(path: Path) -> list[str]:
    """Each page's text, whitespace collapsed."""
    with pdfplumber.open(path) as pdf:
        return [normalise((page.extract_text() or "").replace("\xa0", " ")) for page in pdf.pages]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def exercise(exercise_id: str) -> dict:
    return yaml.safe_load(EXERCISE_FILES[exercise_id].read_text(encoding="utf-8"))


def title(exercise_id: str) -> str:
    return exercise(exercise_id)["title"]


def faq(exercise_id: str) -> list[tuple[str, str]]:
    """(question, answer) of each of an exercise's questions, whitespace collapsed (an answer's list joined)."""
    def text(value) -> str:
        return normalise(" ".join(value) if isinstance(value, list) else value)

    return [(text(q["question"]), text(q["answer"])) for q in exercise(exercise_id).get("faq") or []]
