"""Pages as placed flowables, from content and style; no I/O."""
