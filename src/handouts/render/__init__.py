"""Stage 4: bytes out: pictures prepared, layouts drawn onto a canvas, PDFs."""
