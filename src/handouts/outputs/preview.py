"""Previews: ``previews/<id>.png``, a handout's first page, and ``previews/programs/<name>.png``, a program's cover.

A preview is made from the PDF the build wrote, in a phase after the PDFs: its one input is
that PDF's digest (as the engine made or kept it), so it is made again exactly when its PDF's
bytes change, and is up to date whatever else changed that left the PDF the same.  Rendering
the exercise a second time would cost as much as the handout and could draw a page the PDF
does not hold; the worker reads the file instead, and checks it is the file whose digest was
planned (the bytes of one build, not what an editor or another program put there meanwhile).

A PDF this build did not make or keep (its exercise has errors) leaves its preview as it is,
beside the PDF as it is.  A program's preview shows the client's name on its cover, so it is
written owner-only, in an owner-only folder, as the program is.  The email edition makes none:
an email's previews are the print edition's pages.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import ClassVar

from handouts.errors import Problem, display_path
from handouts.outputs.base import Library, Made, Output, OutputSettings, Planned, Prepared, SourceFile, digest
from handouts.outputs.program import Programs


@dataclass(frozen=True)
class PreviewTask:
    """Rasterise the first page of the PDF at *pdf* (under the output folder) whose SHA-256 is *sha256*."""

    pdf: str
    sha256: str
    private: bool = False

    def make(self, settings: OutputSettings) -> Made:
        from handouts.render.preview import PREVIEW_WIDTH, PreviewFailed, first_page_png  # PDFium: only to draw one

        path = Path(settings.out_dir) / PurePosixPath(self.pdf)
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return Made(None, errors=(Problem(shown, None, None, f"cannot read it for its preview: "
                                                                 f"{exc.strerror or exc}"),))
        if hashlib.sha256(data).hexdigest() != self.sha256:
            return Made(None, errors=(Problem(shown, None, None, "changed while the build ran, so it has no "
                                                                 "preview; build again"),))
        try:
            png = first_page_png(data, PREVIEW_WIDTH)
        except PreviewFailed as exc:
            return Made(None, errors=(Problem(shown, None, None, f"cannot draw its preview: {exc}"),))
        return Made(png, count=1, private=self.private)


def _planned(kind: str, library: Library, pairs: Sequence[tuple[SourceFile, str]], folder: str,
             private: bool) -> list[Planned]:
    """One preview per (source, PDF target) in *pairs*, ``<folder>/<stem>.png``, from the PDF's bytes.

    Sources that would write the same PDF (``jane.yaml`` and ``jane.yml``) have failed already, each
    naming the others: the preview is planned once, for the first, and left as it is.
    """
    planned, seen = [], set()
    for source, pdf in pairs:
        if pdf in seen:
            continue
        seen.add(pdf)
        sha256 = library.written(pdf)

        def prepare(pdf: str = pdf, sha256: str | None = sha256) -> Prepared:
            return None if sha256 is None else PreviewTask(pdf, sha256, private)  # None: left as it is

        planned.append(Planned(kind, f"{folder}/{PurePosixPath(pdf).stem}.png", source.key,
                               digest(kind, sha256) if sha256 else None, prepare))
    return planned


class HandoutPreviews(Output):
    kind = "handout-preview"
    gone = "its content file is gone"
    derived = True
    settings_used = ()  # what it is made from is all in its PDF's digest
    folder: ClassVar[str] = "previews"

    def plan(self, library: Library) -> list[Planned]:
        return _planned(self.kind, library, [(s, f"handouts/{s.stem}.pdf") for s in library.exercises],
                        self.folder, private=False)

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return None  # a handout's picture, not a thing of its own to count in the summary


class ProgramPreviews(Output):
    kind = "program-preview"
    gone = "its program file is gone"
    derived = True
    settings_used = ()
    folder: ClassVar[str] = "previews/programs"
    private_folder = folder
    private_parents = False  # previews/ holds the handouts' previews, for anyone

    def __init__(self, programs: Programs):
        self.programs = programs

    def plan(self, library: Library) -> list[Planned]:
        pairs = [(s, f"{self.programs.folder}/{s.path.stem}.pdf") for s in self.programs.sources]
        return _planned(self.kind, library, pairs, self.folder, private=True)

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return None
