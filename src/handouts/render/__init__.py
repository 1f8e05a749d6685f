"""Bytes out: pictures prepared, layouts drawn onto a canvas, PDFs."""
