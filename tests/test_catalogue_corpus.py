"""The catalogue of the whole free-exercise-db library (868 exercises, 150 with photos): under 10 MB.

Skips cleanly when the corpus is not beside the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.build.run import BuildOptions, build
from handouts.importers.free_exercise_db import import_exercise_db

pytestmark = pytest.mark.slow  # imports and builds a real library of 868 exercises

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "free-exercise-db"
MAX_BYTES = 10 * 1024 * 1024


def test_the_whole_librarys_catalogue_stays_under_10_mb(tmp_path: Path) -> None:
    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"corpus not available: {CORPUS}")
    result = import_exercise_db(CORPUS / "exercises.json", tmp_path / "content", tmp_path / "assets")
    assert not result.problems
    report = build(BuildOptions(tmp_path / "content", tmp_path / "assets", tmp_path / "output", deck=False, jobs=2))
    catalogue = tmp_path / "output" / "catalogue.pdf"
    assert catalogue.stat().st_size < MAX_BYTES
    reader = PdfReader(catalogue)
    links = [a.get_object()["/A"]["/F"] for page in reader.pages for a in page.get("/Annots") or []
             if a.get_object().get("/A", {}).get("/S") == "/GoToR"]
    assert len(links) == len(set(links)) == len(report.made["handout"]) == len(result.written)
    assert all((tmp_path / "output" / link).is_file() for link in links)
    images = sum(len(page.images) for page in reader.pages)
    assert images >= 140  # the exercises with photos show them
