"""The clinic as printed: a small block of logo, name and contacts (layout only, no I/O).

Handouts carry it in the footer, discreetly, so that a page found on a fridge months
later still says whom to call; a program's cover carries it at the top.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.platypus import Flowable

from handouts.layout.flowables import Picture, logo_width
from handouts.layout.markup import FieldText
from handouts.layout.paragraph import Paragraph


@dataclass(frozen=True)
class ClinicBlock:
    """What is printed of the clinic; every string is Paragraph markup, already escaped."""

    name: str
    contacts: str | None = None   # "555 0100 · hello@riverside.example · riverside.example"
    address: str | None = None
    logo: Picture | None = None


class LogoBeside(Flowable):
    """A logo at a fixed height with paragraphs beside it, top-aligned (a footer's or a masthead's clinic)."""

    def __init__(self, logo: Picture | None, logo_height: float, paragraphs: list[Paragraph], gap: float,
                 logo_max_width: float):
        super().__init__()
        self.logo, self.paragraphs, self.gap = logo, paragraphs, gap
        self.logo_width = logo_width(logo, logo_height, logo_max_width)
        self.logo_height = self.logo_width * logo.aspect if logo else 0.0

    def wrap(self, avail_width, avail_height):
        shift = self.logo_width + self.gap if self.logo else 0.0
        self.text_width = max(avail_width - shift, 36)
        text_h = sum(p.wrap(self.text_width, 1e9)[1] for p in self.paragraphs)
        self.width, self.height = avail_width, max(text_h, self.logo_height if self.logo else 0.0)
        return self.width, self.height

    def draw(self):
        x = 0.0
        if self.logo:
            self.canv.drawImage(self.logo.source, 0, self.height - self.logo_height, self.logo_width,
                                self.logo_height, mask="auto")
            x = self.logo_width + self.gap
        top = self.height
        for paragraph in self.paragraphs:
            h = paragraph.wrap(self.text_width, 1e9)[1]
            paragraph.drawOn(self.canv, x, top - h)
            top -= h


def clinic_block(clinic, logo: Picture | None, fonts) -> tuple[ClinicBlock, FieldText]:
    """The clinic's printed block from its profile (a :class:`handouts.content.clinic.Clinic`), and the
    text it was made with: its ``notes`` (warnings about characters: a stand-in) and ``notices``
    (a fallback font), per field."""
    text = FieldText(fonts, clinic.problem)  # a name no font prints would be [?] on every page: an error
    contacts = " · ".join(text(name, value) for name, value in
                          (("phone", clinic.phone), ("email", clinic.email), ("website", clinic.website)) if value)
    block = ClinicBlock(text("name", clinic.name), contacts or None,
                        text("address", clinic.address) if clinic.address else None, logo)
    return block, text


def clinic_line(clinic) -> str | None:
    """The clinic in one line of plain text (a card sheet's margin): name and phone, each a bidi
    isolate (U+2068 ... U+2069), so a Hebrew name does not carry the phone number into its
    right-to-left run ("0100 03-555")."""
    if clinic is None:
        return None
    return " · ".join(f"\u2068{v}\u2069" for v in (clinic.name, clinic.phone or clinic.website or clinic.email) if v)
