"""One module per kind of output, each behind the one Output interface."""
