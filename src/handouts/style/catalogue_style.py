"""The look and the words of the library catalogue (``output/catalogue.pdf``), as data.

The catalogue is printed in the build's language (``--language``, or the clinic's): it
lists the whole library, whose exercises may be in several languages, as the deck does.
Its other words (Level, Equipment, "Page 1 of 9") are the handout labels of
:mod:`handouts.style.labels`, so a clinic's house wording of those applies here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from handouts.style.units import inch


@dataclass(frozen=True)
class CatalogueStyle:
    """Every type size (pt), gap (pt) and box of the catalogue; its colours are the theme's.

    A row is read at arm's length to pick an exercise, not to do it: its title is the body
    size of a handout, the rest a little smaller but never under 9 pt (the handout's footer).
    The thumbnail is big enough to tell a squat from a lunge, small enough that 868 rows
    with 150 photos stay a few megabytes (it is embedded at *thumb_dpi*).
    """

    title_size: float = 26.0         # the catalogue's title on its first page
    group_size: float = 20.0         # a group's name where it starts
    heading_size: float = 15.0       # "Contents"
    entry_size: float = 12.0         # an exercise's title (bold), and an index line
    meta_size: float = 10.0          # level, equipment, other targets
    id_size: float = 9.0             # the exercise's id, as a program file names it
    header_size: float = 10.5        # the group in the page header
    footer_size: float = 9.0
    leading: float = 1.22            # x size
    thumb_width: float = 1.0 * inch
    thumb_height: float = 0.68 * inch
    thumb_dpi: float = 150.0         # the thumbnail's pixels per inch as printed
    thumb_gap: float = 12.0          # between the thumbnail and the text
    row_padding: float = 6.0         # above and below a row's content
    title_lines: int = 2             # a longer title is cut with "…" (the handout has it whole)
    index_row: float = 22.0          # the height of an index line
    index_count_width: float = 1.4 * inch  # the index's column of counts, before the page numbers
    index_page_width: float = 0.6 * inch   # ... and of page numbers, at the right
    header_gap: float = 8.0          # under the header's rule, above the body
    footer_gap: float = 8.0          # above the footer's rule, under the body
    group_gap: float = 10.0          # under a group's name where it starts



@dataclass(frozen=True)
class CatalogueWords:
    title: str          # the catalogue's own title, on its first page and in every page header
    contents: str       # the heading over the index of target areas (and its bookmark)
    other: str          # the group of exercises that name no target
    one: str            # "1 exercise"
    many: str           # "{count} exercises"
    also: str           # before an exercise's other targets on its row
    how_to: str         # under the title: what clicking an entry does

    def count(self, n: int) -> str:
        return self.one if n == 1 else self.many.format(count=n)


WORDS: dict[str, CatalogueWords] = {
    "en": CatalogueWords(
        title="Exercise catalogue", contents="Contents", other="Other", one="1 exercise", many="{count} exercises",
        also="Also", how_to="Grouped by the body area each exercise works most. Click an exercise to open its "
                            "handout (the handouts folder must sit beside this file)."),
    "es": CatalogueWords(
        title="Catálogo de ejercicios", contents="Índice", other="Otros", one="1 ejercicio",
        many="{count} ejercicios", also="También",
        how_to="Agrupados por la zona del cuerpo que más trabaja cada ejercicio. Haga clic en un ejercicio para "
               "abrir su hoja (la carpeta handouts debe estar junto a este archivo)."),
    "fr": CatalogueWords(
        title="Catalogue d'exercices", contents="Sommaire", other="Autres", one="1 exercice",
        many="{count} exercices", also="Aussi",
        how_to="Regroupés selon la zone du corps que chaque exercice sollicite le plus. Cliquez sur un exercice "
               "pour ouvrir sa fiche (le dossier handouts doit être à côté de ce fichier)."),
    "de": CatalogueWords(
        title="Übungskatalog", contents="Inhalt", other="Sonstige", one="1 Übung", many="{count} Übungen",
        also="Auch",
        how_to="Nach der Körperregion geordnet, die jede Übung am meisten trainiert. Klicken Sie auf eine Übung, "
               "um ihr Merkblatt zu öffnen (der Ordner handouts muss neben dieser Datei liegen)."),
}


def catalogue_words(language: str | None) -> CatalogueWords:
    """The words for *language* (English for none, or one without a translation)."""
    return WORDS.get(language or "en", WORDS["en"])
