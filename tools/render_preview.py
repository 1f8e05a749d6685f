"""Render a page of a PDF to a PNG, to look at a layout or to refresh the pictures in docs/.

Usage: python tools/render_preview.py OUTPUT.pdf PICTURE.png [--dpi 110] [--pages 0,2]
(--pages: these pages, counted from 0, side by side on a grey ground)
Needs pypdfium2 (installed with the package: previews are made with it).
"""

from __future__ import annotations

import argparse

import pypdfium2 as pdfium
from PIL import Image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf")
    parser.add_argument("png")
    parser.add_argument("--dpi", type=float, default=110)
    parser.add_argument("--pages", default="0", help="pages to show side by side, counted from 0")
    args = parser.parse_args()
    document = pdfium.PdfDocument(args.pdf)
    images = [document[int(n)].render(scale=args.dpi / 72).to_pil() for n in args.pages.split(",")]
    gap = 12
    sheet = Image.new("RGB", (sum(i.width for i in images) + gap * (len(images) + 1),
                              max(i.height for i in images) + 2 * gap), "#8a8f96")
    x = gap
    for image in images:
        sheet.paste(image, (x, gap))
        x += image.width + gap
    (images[0] if len(images) == 1 else sheet).save(args.png, optimize=True)


if __name__ == "__main__":
    main()
