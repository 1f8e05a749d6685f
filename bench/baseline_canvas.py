"""Baseline (a), the practical floor: the same handouts drawn on ReportLab's raw canvas.

Usage: python bench/baseline_canvas.py --json exercises.json --out DIR [--jobs N] [--limit N]

One Letter page per exercise (a second page only if the steps run past the bottom):
the title in Atkinson Hyperlegible Bold 20 pt, the numbered steps in Atkinson
Hyperlegible 11 pt wrapped by hand with ``simpleSplit`` (a hanging indent for the
numbers), and the first photo, if its file exists, 2.5 in wide in a right-hand column.
No layout engine, no Platypus, no validation, no caching, no picture preparation: the
photo is handed to ``drawImage`` as a file, and ReportLab embeds a JPEG file as it is
(no decoding, no downsampling), so the 5184 x 3456 photo goes in at full size.  The
fonts are registered once per process (embedded as subsets, as in every PDF here).
The PDF settings are our tool's (src/handouts/render.py): page compression on and
``rl_config.useA85 = 0`` (binary streams, no ASCII85 layer, which costs about a third of
the floor's time and a fifth of its size when left on).
Each worker writes its own PDF files; *N* processes via multiprocessing (fork).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import fontpkg
from reportlab import rl_config
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _exercises import Job, load_jobs, run_pool  # noqa: E402

rl_config.useA85 = 0     # as our tool sets it

FAMILY = "Atkinson Hyperlegible"
MARGIN = 0.75 * inch
PHOTO_WIDTH = 2.5 * inch
GUTTER = 0.25 * inch
TITLE_SIZE, TITLE_LEADING = 20, 24
BODY_SIZE, BODY_LEADING = 11, 14.5
STEP_GAP = 6            # extra space between steps
NUMBER_INDENT = 18      # hanging indent for "1."


def init() -> None:
    """Register the fonts once in this process."""
    if "Atkinson" in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont("Atkinson", str(fontpkg.path(FAMILY, weight=400, style="normal"))))
    pdfmetrics.registerFont(TTFont("Atkinson-Bold", str(fontpkg.path(FAMILY, weight=700, style="normal"))))


def render(job: Job) -> int:
    page_w, page_h = letter
    full_width = page_w - 2 * MARGIN
    c = Canvas(job.out, pagesize=letter, pageCompression=1)
    c.setTitle(job.name)

    y = page_h - MARGIN
    for line in simpleSplit(job.name, "Atkinson-Bold", TITLE_SIZE, full_width):
        y -= TITLE_LEADING
        c.setFont("Atkinson-Bold", TITLE_SIZE)
        c.drawString(MARGIN, y, line)
    y -= 0.15 * inch

    text_width = full_width
    photo_bottom = y
    if job.photo:
        iw, ih = ImageReader(job.photo).getSize()   # reads the JPEG header only
        height = PHOTO_WIDTH * ih / iw
        c.drawImage(job.photo, page_w - MARGIN - PHOTO_WIDTH, y - height, PHOTO_WIDTH, height)
        text_width = full_width - PHOTO_WIDTH - GUTTER
        photo_bottom = y - height

    for number, step in enumerate(job.steps, 1):
        lines = simpleSplit(step, "Atkinson", BODY_SIZE, text_width - NUMBER_INDENT)
        for i, line in enumerate(lines):
            y -= BODY_LEADING
            if y < MARGIN:          # ran off the page: carry on on a new one, full width
                c.showPage()
                y = page_h - MARGIN - BODY_LEADING
                photo_bottom = y
            c.setFont("Atkinson", BODY_SIZE)
            if i == 0:
                c.drawString(MARGIN, y, f"{number}.")
            c.drawString(MARGIN + NUMBER_INDENT, y, line)
            if y < photo_bottom and text_width != full_width:
                text_width = full_width   # below the photo: the next step may use the full width
        y -= STEP_GAP
    c.save()
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
    jobs = load_jobs(args.json, args.out, args.limit)
    sizes = run_pool(jobs, args.jobs, init, render)
    print(f"canvas: wrote {len(sizes)} PDFs, {sum(sizes)} bytes, in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
