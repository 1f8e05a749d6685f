"""A PDF's first page as a small PNG: what an email body, a web page or the catalogue shows of a handout.

The page is rasterised by PDFium (through pypdfium2, imported only here and only when a preview
is made: a build that makes none never loads it) from the very bytes the build wrote, so the
picture is the printed page, not a second drawing of it.  About 600 px wide fits an email body
(most are 600-640 px) and a column of a web page, and keeps the title and headings readable.

The PNG is reduced to a palette of at most 256 colours (Pillow's median cut, no dithering): a
handout is mostly near-black text on white with a photo or two, which that palette keeps
indistinguishable at this size, at about a third of the bytes of full colour (free-exercise-db's
handouts: 85 KB in RGB, 31 KB with the palette).  Pillow's faster octree palette is smaller
still, but bands the photos' skin and floors.  Median cut over all 465,000 pixels of a page
took 135 ms, two thirds of a cold build's CPU (issue 19's profile), so the palette is chosen on
the page reduced to a third of its size (box-averaged, so the text's anti-aliased greys are
there) and every pixel is then mapped to it: 16 ms, and side by side at 2x no different in the
photos or the text (looked at on free-exercise-db's Cable Judo Flip).  PNG ``optimize`` is off,
as it saves 1-2 % for three times the time of writing the file.  Deterministic: the same PDF gives the same
bytes, as PDFium renders the same way each time, the quantisation has no randomness, and the PNG
carries no time or other varying chunk (Pillow writes none unless asked).
"""

from __future__ import annotations

import io

#: The preview's width in pixels; its height keeps the page's proportions (776 px for US Letter,
#: 849 px for A4).
PREVIEW_WIDTH = 600
#: How much smaller the copy the palette is chosen on is, each way (see the module's docstring).
PALETTE_FROM = 3
#: The most colours a preview keeps (a PNG palette holds 256 at most).
PREVIEW_COLOURS = 256


class PreviewFailed(Exception):
    """PDFium could not open or draw the PDF (it is not the PDF the build wrote, or it is damaged)."""


def first_page_png(pdf: bytes, width: int = PREVIEW_WIDTH) -> bytes:
    """The first page of *pdf* as PNG bytes, *width* pixels wide (its height in proportion, rounded).

    Raises PreviewFailed, with PDFium's reason, when the bytes are not a PDF PDFium can draw.
    """
    import pypdfium2 as pdfium  # only a build that makes previews loads PDFium
    from PIL import Image

    try:
        document = pdfium.PdfDocument(pdf)
        try:
            if len(document) == 0:
                raise PreviewFailed("it has no pages")
            page = document[0]
            page_width, page_height = page.get_size()  # points, as the page's box says
            image = page.render(scale=width / page_width).to_pil().convert("RGB")
        finally:
            document.close()
    except pdfium.PdfiumError as exc:
        raise PreviewFailed(str(exc)) from None
    size = (width, max(1, round(width * page_height / page_width)))
    if image.width >= size[0] and image.height >= size[1]:
        image = image.crop((0, 0, *size))  # PDFium rounds the page's edges up: a pixel of white margin
    else:
        image = image.resize(size, Image.Resampling.LANCZOS)
    # the palette chosen on a copy a third the size, then every pixel mapped to it: see the module's docstring
    chosen = image.reduce(PALETTE_FROM).quantize(PREVIEW_COLOURS, method=Image.Quantize.MEDIANCUT,
                                                 dither=Image.Dither.NONE)
    palette = image.quantize(palette=chosen, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, "PNG", optimize=False)
    return out.getvalue()
