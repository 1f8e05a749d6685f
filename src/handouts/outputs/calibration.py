"""The calibration sheet: ``calibration.pdf``, two pages that measure a printer's duplex drift."""

from __future__ import annotations

from dataclasses import dataclass

from handouts.outputs.base import Library, Made, Output, Planned, OutputSettings, digest


@dataclass(frozen=True)
class CalibrationTask:
    def make(self, settings: OutputSettings) -> Made:
        from handouts.render.calibration import calibration_pdf  # here, not above: see handouts.outputs

        return Made(calibration_pdf(settings.sheet, settings.theme), count=1)


class Calibration(Output):
    kind = "calibration"
    reads_library = False
    settings_used = ("paper", "flip", "back_offset_mm", "theme", "source_date_epoch")

    def plan(self, library: Library) -> list[Planned]:
        # made from the settings alone (paper, flip, back offset: in the fingerprint)
        return [Planned(self.kind, "calibration.pdf", None, digest("calibration"), lambda: CalibrationTask())]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return "the calibration sheet" if built else None
