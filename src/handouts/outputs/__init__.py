"""Stage 5: one module per kind of output, each behind the one Output interface."""
