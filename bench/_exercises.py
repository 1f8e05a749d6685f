"""The exercises every benchmark phase works on, read straight from the corpus JSON.

Shared by the two baselines so that they draw exactly the handouts our tool builds:
the first *limit* entries of ``exercises.json`` (all when no limit), minus those without
instructions (``handouts import`` skips those: 868 of the 873 remain).  The photo is the
first entry of ``images``, resolved under the ``exercises/`` folder beside the JSON, and
only when the file exists (the staged corpus has photos for the first 150 only).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Job:
    id: str
    name: str
    steps: tuple[str, ...]
    photo: str | None      # absolute path of the first photo, if the file exists
    out: str               # the PDF to write


def load_jobs(corpus_json: Path, out_dir: Path, limit: int | None = None) -> list[Job]:
    data = json.loads(Path(corpus_json).read_text(encoding="utf-8"))
    if limit is not None:
        data = data[:limit]
    images = Path(corpus_json).resolve().parent / "exercises"
    jobs = []
    for ex in data:
        steps = tuple(s.strip() for s in ex.get("instructions") or () if s.strip())
        if not steps:
            continue
        photo = None
        if ex.get("images"):
            candidate = images / ex["images"][0]
            if candidate.is_file():
                photo = str(candidate)
        jobs.append(Job(ex["id"], ex["name"], steps, photo, str(Path(out_dir) / f"{ex['id']}.pdf")))
    return jobs


def run_pool(jobs: list[Job], processes: int, initializer, render) -> list[int]:
    """Render every job in *processes* worker processes (in this one when 1); sizes written."""
    if processes <= 1:
        initializer()
        return [render(job) for job in jobs]
    from multiprocessing import get_context

    # fork, as Linux's default: the workers start without importing anything again.
    with get_context("fork").Pool(processes, initializer=initializer) as pool:
        sizes = list(pool.imap_unordered(render, jobs, chunksize=4))
        pool.close()
        pool.join()
    return sizes
