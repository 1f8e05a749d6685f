"""Baseline (c), the same-work peer: our handout, drawn by Typst from our content files.

Usage: python bench/baseline_typst_same.py --content DIR --assets DIR --out DIR [--jobs N] [--no-fit]

Where baseline (b) (``baseline_typst.py``) draws less than our handout (the title, the steps,
the first photo), this one draws what ``handouts build`` draws on a library without a
clinic.yaml, from the same input: the template ``bench/handout_same.typ`` reads each content
YAML itself (Typst's ``yaml()``) and sets

* the title and the meta line (targets, equipment, level, labels in bold, as ours);
* the rule under the header; both photos side by side in a band (one alone in the side
  column), from the same files, which Typst embeds as they are: the same JPEG bytes as ours
  for every photo our tool does not downsample (all but the two 5184 x 3456 ones of
  Cable_Judo_Flip, which ours downsamples to 200 dpi and Typst embeds whole, 0.9 MB each);
* "Instructions" and the numbered steps (bold numbers) in the main column;
* the footer: a thin rule, the title on the left, "Ask your clinician ..." on the right;
* the same fitting rules as ours, in Typst: a short exercise's type grows (to 14 pt) and
  then its pictures, a long one's steps go in two columns and its type shrinks (to 10.5 pt),
  by measuring trial layouts, largest first; past that a second page.  With ``--no-fit``
  every handout is set at 12 pt with the pictures at their cap, in one layout (the same
  content, less work: about half the CPU time per handout when measured in one process).

The two columns are balanced by measure (half the steps' height plus a line), as ours are.
What it does NOT do that ours does: validate the content (field names, lengths, reading
level notes), keep each step whole in two columns (Typst may break a step between them),
shrink the pictures of a long exercise, check that
every character has a glyph (fallback fonts), downsample oversized photos, write previews,
the catalogue or a manifest for incremental rebuilds.  The sizes and gaps are the theme's,
set by hand (a page of ours and of this one were compared rendered side by side), so lines
may break a word earlier or later than ours.

How it runs (see baseline_typst.py for why this is typst-py's fastest use): one
``typst.Compiler`` per worker process, reused; ``font_paths=[the Atkinson folder]``,
``ignore_system_fonts=True``; the template's bytes as ``input=`` on every call; ``pdf_tags=False``;
the compile root is the folder holding both --content and --assets, the file and the
pictures folder passed in ``sys.inputs``.  *N* processes via multiprocessing (fork).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import fontpkg
import typst

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _exercises import run_pool  # noqa: E402

TEMPLATE = Path(__file__).resolve().parent / "handout_same.typ"
FONT_DIR = str(Path(fontpkg.path("Atkinson Hyperlegible", weight=400, style="normal")).parent)

_state: dict = {}


@dataclass(frozen=True)
class Job:
    file: str      # the content YAML, from the compile root: "/content/<id>.yaml"
    out: str       # the PDF to write


def configure(root: Path, assets: Path, fit: bool = True) -> None:
    _state["root"] = root
    _state["fit"] = "yes" if fit else "no"
    _state["assets"] = "/" + assets.relative_to(root).as_posix().strip("/") + "/"
    _state["source"] = TEMPLATE.read_bytes()


def init() -> None:
    """One compiler per process, made on its first use in that process."""
    _state["compiler"] = typst.Compiler(_state["source"], root=str(_state["root"]),
                                        font_paths=[FONT_DIR], ignore_system_fonts=True)


def render(job: Job) -> int:
    _state["compiler"].compile(input=_state["source"], output=job.out, pdf_tags=False,
                               sys_inputs={"file": job.file, "assets": _state["assets"], "fit": _state["fit"]})
    return Path(job.out).stat().st_size


def jobs_for(content: Path, root: Path, out: Path) -> list[Job]:
    files = sorted(p for p in content.iterdir() if p.suffix in (".yaml", ".yml"))
    return [Job("/" + p.relative_to(root).as_posix(), str(out / f"{p.stem}.pdf")) for p in files]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--content", type=Path, required=True, help="the content folder our build reads")
    p.add_argument("--assets", type=Path, required=True, help="the pictures folder our build reads")
    p.add_argument("--out", type=Path, required=True, help="folder for the PDFs")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--no-fit", action="store_true", help="no fitting: 12 pt, one layout per handout")
    args = p.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    content, assets = args.content.resolve(), args.assets.resolve()
    root = Path(os.path.commonpath([content, assets]))
    configure(root, assets, fit=not args.no_fit)
    jobs = jobs_for(content, root, args.out.resolve())
    sizes = run_pool(jobs, args.jobs, init, render)
    print(f"typst (same {'content' if args.no_fit else 'work'}): wrote {len(sizes)} PDFs, {sum(sizes)} bytes, "
          f"in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
