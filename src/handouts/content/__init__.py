"""Stage 1: the files as typed, read and validated into frozen dataclasses (no ReportLab)."""
