"""Gather and validate everything, then make every output; incremental and atomic."""
