"""Stage 6: gather and validate everything, then make every output; incremental and atomic."""
