"""Render the first page of a PDF to a PNG, to look at a layout or to refresh docs/handout.png.

Usage: python tools/render_preview.py OUTPUT.pdf PICTURE.png [--dpi 110]
Needs pypdfium2 (installed with the test extras).
"""

from __future__ import annotations

import argparse

import pypdfium2 as pdfium


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf")
    parser.add_argument("png")
    parser.add_argument("--dpi", type=float, default=110)
    args = parser.parse_args()
    page = pdfium.PdfDocument(args.pdf)[0]
    page.render(scale=args.dpi / 72).to_pil().save(args.png, optimize=True)


if __name__ == "__main__":
    main()
