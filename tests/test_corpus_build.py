"""The real library nobody here wrote: free-exercise-db, imported and built.

A third of the exercises with photos (two per handout; one pair is 5184 x 3456) and the longest
ones (24 steps and 3,200 characters; a single step of 744) must come out as one page,
small enough to email.  Skips cleanly when ../shared is not beside the repository.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.build.run import BuildOptions, build
from handouts.importers.free_exercise_db import import_exercise_db
from handouts.importers.plain_text import slugify

pytestmark = pytest.mark.slow  # imports and builds part of a real library

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "free-exercise-db"
MAX_BYTES = 250_000


@pytest.fixture(scope="module")
def corpus_build(tmp_path_factory):
    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"corpus not available: {CORPUS}")
    root = tmp_path_factory.mktemp("corpus")
    entries = json.loads((CORPUS / "exercises.json").read_text(encoding="utf-8"))
    result = import_exercise_db(CORPUS / "exercises.json", root / "content", root / "assets")
    assert not result.problems
    by_slug = {p.stem: p for p in result.written}
    with_photos = [e for e in entries if (CORPUS / "exercises" / e["images"][0]).is_file() and e["instructions"]]
    longest = sorted((e for e in entries if e["instructions"]),
                     key=lambda e: sum(map(len, e["instructions"])), reverse=True)[:10]
    longest_step = max((e for e in entries if e["instructions"]), key=lambda e: max(map(len, e["instructions"])))
    judo = [e for e in entries if e["id"] == "Cable_Judo_Flip"]
    # every third exercise with photos keeps the run short; the whole library is bench/'s job
    chosen = {slugify(e["name"]) for e in with_photos[::3] + judo + longest + [longest_step]}
    files = tuple(sorted(by_slug[slug] for slug in chosen))
    report = build(BuildOptions(files=files, assets_dir=root / "assets", out_dir=root / "out", jobs=2))
    return entries, files, report


def test_every_chosen_exercise_builds(corpus_build):
    _, files, report = corpus_build
    assert report.ok, report.errors[:3]
    assert len(report.written) == len(files) >= 50


def test_every_handout_is_one_page_and_small_enough_to_email(corpus_build):
    _, _, report = corpus_build
    for pdf in report.written:
        assert len(PdfReader(pdf).pages) == 1, pdf.name
        assert pdf.stat().st_size < MAX_BYTES, (pdf.name, pdf.stat().st_size)


def test_the_biggest_photo_is_downsampled(corpus_build):
    _, _, report = corpus_build
    (judo,) = [p for p in report.written if p.stem == "cable-judo-flip"]
    images = [image for image in PdfReader(judo).pages[0].images]
    assert len(images) == 2
    for image in images:
        assert image.image.width <= 800  # 5184 px wide at source; about 200 dpi at 3.6 in


def test_the_longest_exercise_fits_with_both_photos(corpus_build):
    entries, _, report = corpus_build
    longest = max((e for e in entries if e["instructions"]), key=lambda e: sum(map(len, e["instructions"])))
    assert len(longest["instructions"]) == 24
    (pdf,) = [p for p in report.written if p.stem == slugify(longest["name"])]
    text = PdfReader(pdf).pages[0].extract_text()
    assert "24." in text and longest["instructions"][-1].split()[0] in text


def test_a_slice_of_the_library_with_questions_is_the_same_bytes_however_it_is_built(tmp_path, monkeypatch):
    """Issue 19: no speed-up changes a byte.  A slice of the real library with a FAQ on each
    exercise is built the plain way (one process, the font subsets made afresh for every
    document, an empty picture cache) and the fast way (workers validating chunks of files
    themselves, the subsets and their streams reused, the pictures taken from the cache the
    first build filled); every file (handouts, card files, the deck, the catalogue) is compared."""
    from handouts.style.font_subsets import subset_caching

    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"corpus not available: {CORPUS}")
    entries = json.loads((CORPUS / "exercises.json").read_text(encoding="utf-8"))
    chosen = [e for e in entries if (CORPUS / "exercises" / e["images"][0]).is_file() and e["instructions"]][:24]
    sliced = tmp_path / "slice.json"
    sliced.write_text(json.dumps(chosen), encoding="utf-8")
    for entry in chosen:  # the photos, where the import looks for them
        for image in entry["images"]:
            target = tmp_path / "exercises" / image
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((CORPUS / "exercises" / image).read_bytes())
    result = import_exercise_db(sliced, tmp_path / "content", tmp_path / "assets")
    assert not result.problems and len(result.written) == 24
    for path in result.written:
        title = path.read_text(encoding="utf-8").split("title:", 1)[1].splitlines()[0].strip()
        with path.open("a", encoding="utf-8") as out:
            out.write("faq:\n  - question: What does it work?\n    answer: The muscles named above.\n"
                      f"  - question: How often?\n    answer: As your clinician said ({title}).\n")

    def built(out: str, jobs: int) -> dict[str, bytes]:
        report = build(BuildOptions(tmp_path / "content", tmp_path / "assets", tmp_path / out, jobs=jobs))
        assert report.ok, report.errors[:3]
        return {p.relative_to(tmp_path / out).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / out).rglob("*.pdf"))}

    monkeypatch.setenv("HANDOUTS_CACHE_DIR", str(tmp_path / "cache"))  # empty: the plain build prepares all
    with subset_caching(False):
        plain = built("plain", jobs=1)
    assert any((tmp_path / "cache" / "pictures").iterdir()), "the plain build filled the picture cache"
    fast = built("fast", jobs=2)
    assert len(plain) == 24 + 24 + 2 and "deck.pdf" in plain and "catalogue.pdf" in plain
    assert fast == plain
