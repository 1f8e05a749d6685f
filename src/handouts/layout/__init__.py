"""Stage 3: pages as placed flowables, from content and style; no I/O."""
