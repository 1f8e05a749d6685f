"""handouts: print-ready exercise handouts and FAQ cards from YAML content."""

__version__ = "0.1.0"
