"""The files as typed, read and validated into frozen dataclasses (no ReportLab)."""
