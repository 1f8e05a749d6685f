"""Baseline (b), the fastest peer: the same handouts rendered by Typst through typst-py.

Usage: python bench/baseline_typst.py --json exercises.json --out DIR [--jobs N] [--limit N]

The template is ``bench/handout.typ``: the title in Atkinson Hyperlegible Bold 20 pt,
the numbered steps (``enum``) in 11 pt, the first photo 2.5 in wide in a right-hand
column when its file exists, US Letter; the exercise comes in ``sys.inputs`` as JSON.

Fastest legitimate use of typst-py (measured when this was written, typst-py 0.15.2 /
Typst 0.15.1, per handout in one process):

* one ``typst.Compiler`` per worker process, reused for every handout.  Each call of
  ``typst.compile()`` builds a new world and scans the fonts again: a handout without a
  photo took a median 2.0 ms with a reused compiler, 3.7 ms with ``typst.compile()``
  and the Atkinson folder only, 7.5 ms when the system fonts are scanned too;
* ``font_paths=[the Atkinson folder]`` and ``ignore_system_fonts=True``: nothing else to
  scan (Typst's own embedded fonts stay available as a fallback, as they would be);
* the template's bytes passed as ``input=`` on every call with ``root=`` the corpus
  folder, so the photos (``/exercises/<id>/0.jpg``) are inside the root.  (A compiler
  made from bytes and called again without ``input=`` fails on its second call with
  "file not found ... __typst_py_bytes__.typ" in typst-py 0.15.2, so the bytes go in
  every call; Typst's memoization still sees the same source every time;
* ``pdf_tags=False`` (= ``typst compile --no-pdf-tags``): ReportLab writes untagged
  PDFs, ours included, so this is like for like, and a little faster;
* ``output=`` the PDF path, so Typst writes the file itself.

Typst embeds a JPEG as it is, like ReportLab's canvas: no downsampling.  A reused
compiler keeps Typst's memoization caches, so each worker grows to about 230 MB over
the 868 handouts (typst-py exposes no way to evict them); that is Typst's cost, counted.
Each worker writes its own PDF files; *N* processes via multiprocessing (fork).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import fontpkg
import typst

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _exercises import Job, load_jobs, run_pool  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent / "handout.typ"
FONT_DIR = str(Path(fontpkg.path("Atkinson Hyperlegible", weight=400, style="normal")).parent)

_state: dict = {}


def configure(root: Path) -> None:
    _state["root"] = Path(root).resolve()
    _state["source"] = TEMPLATE.read_bytes()


def init() -> None:
    """One compiler per process, made on its first use in that process."""
    _state["compiler"] = typst.Compiler(_state["source"], root=str(_state["root"]),
                                        font_paths=[FONT_DIR], ignore_system_fonts=True)


def render(job: Job) -> int:
    photo = ""
    if job.photo:
        photo = "/" + Path(job.photo).relative_to(_state["root"]).as_posix()
    data = json.dumps({"name": job.name, "steps": list(job.steps), "photo": photo})
    _state["compiler"].compile(input=_state["source"], output=job.out, sys_inputs={"data": data},
                               pdf_tags=False)
    return Path(job.out).stat().st_size


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", type=Path, required=True, help="the corpus exercises.json")
    p.add_argument("--out", type=Path, required=True, help="folder for the PDFs")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--limit", type=int, default=None, help="only the first N exercises")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    configure(args.json.resolve().parent)
    jobs = load_jobs(args.json, args.out, args.limit)
    sizes = run_pool(jobs, args.jobs, init, render)
    print(f"typst: wrote {len(sizes)} PDFs, {sum(sizes)} bytes, in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
