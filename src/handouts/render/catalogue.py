"""The library catalogue as PDF bytes: thumbnails prepared, pages laid out and drawn, links and bookmarks set.

**Links to the handouts.**  Each row is a link to ``handouts/<id>.pdf`` by a *remote go-to*
action (``/S /GoToR /F (handouts/<id>.pdf)``, ReportLab's ``linkURL(kind="GoToR")``), the
PDF's own way to open another PDF (ISO 32000-1, 12.6.4.3).  A relative file specification
is resolved against the folder of the document that holds it (7.11.2), so the links work
wherever the output folder is copied, as long as ``handouts/`` stays beside the catalogue.
Acrobat Reader, Preview, SumatraPDF, Okular, Evince and pdf.js's viewer open it; Firefox's
built-in viewer refuses to follow any link to a local file (mozilla/pdf.js#17278), and so
does Chrome's.  The alternatives were worse: a ``/URI`` action with a relative address is
not a URI (12.6.4.7 wants one that is absolute, or a ``/Base`` in the catalog, which would
be an absolute path that breaks when the folder is copied) and Acrobat asks before it opens
one; a ``/Launch`` action makes every viewer warn that a program may be started.

Thumbnails are prepared by :func:`handouts.render.pictures.prepare_picture` (the same cache
and the same rules as a handout's pictures, at ``thumb_dpi``), and stamped for the manifest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handouts.content.clinic import Clinic
from handouts.errors import display_path
from handouts.layout.branding import clinic_line
from handouts.layout.catalogue import CatalogueLayout, CatalogueText, Entry, group_entries, layout_catalogue
from handouts.layout.flowables import Picture
from handouts.render.canvas import DocInfo, draw_placed, new_canvas
from handouts.render.exercise import author
from handouts.render.pictures import PICTURE_ERRORS, asset_path, asset_place, prepare_picture
from handouts.render.reads import FileStamp, note
from handouts.style.catalogue_style import CatalogueStyle, catalogue_words
from handouts.style.fonts import fonts
from handouts.style.labels import labels_for, labels_for_paper
from handouts.style.theme import Theme, paper_size


@dataclass(frozen=True)
class Row:
    """What the catalogue shows of one exercise (picklable: a build worker makes the catalogue)."""

    id: str
    title: str
    level: str | None
    equipment: tuple[str, ...]
    targets: tuple[str, ...]
    language: str | None
    picture: str | None   # its first picture, a path under assets/

    @classmethod
    def of_entry(cls, exercise_id: str, entry: dict[str, Any]) -> "Row":
        """The row of an exercise from its library-index entry (:func:`handouts.content.search.index_entry`),
        which the build's workers send back: the catalogue never parses a file to list it."""
        images = entry["images"]
        return cls(exercise_id, entry["title"], entry["level"], tuple(entry["equipment"]), tuple(entry["targets"]),
                   entry["language"], images[0] if images else None)


def thumbnail(file: str, assets_dir: Path, style: CatalogueStyle, cache_dir: Path | None) -> Picture | None:
    """The picture *file* (under *assets_dir*) prepared for a thumbnail, or None when it cannot be used.

    No warning: the exercise's handout already says what is wrong with its picture.  A picture not
    there is stamped absent, so adding it makes the catalogue again.
    """
    root = Path(assets_dir).resolve()
    shown = display_path(assets_dir)
    try:
        place = asset_place(file, root, shown)
    except ValueError:
        return None
    try:
        path = asset_path(file, root, shown)
    except ValueError:
        note(FileStamp.absent(place))
        return None
    target = (round(style.thumb_width / 72 * style.thumb_dpi), round(style.thumb_height / 72 * style.thumb_dpi))
    try:
        source, (w, h) = prepare_picture(path, target, cache_dir)
    except PICTURE_ERRORS:
        return None
    return Picture(file, w, h, source)


def prepare_thumbnail(file: str, assets_dir: Path) -> None:
    """Prepare the thumbnail of *file* (under *assets_dir*) into the picture cache, if there is one.

    Called by the worker that builds the exercise's handout when the build makes the catalogue:
    the catalogue is one task after every handout, and preparing its 150 thumbnails there was a
    third of a cold build's time on two cores (3.3 of 9.5 s on free-exercise-db), one core idle.
    It then finds each one ready, with the same bytes it would have made (the cache's entries are
    those bytes).  Nothing is noted or raised: the catalogue reads the file again for its own."""
    from handouts.render.picture_cache import picture_cache

    cache_dir = picture_cache()
    if cache_dir is not None:
        thumbnail(file, assets_dir, CatalogueStyle(), cache_dir)


def lay_out_catalogue(rows: list[Row], assets_dir: Path, paper: str, theme: Theme, clinic: Clinic | None,
                      language: str | None, cache_dir: Path | None,
                      style: CatalogueStyle = CatalogueStyle()) -> CatalogueLayout:
    """The catalogue of *rows*, in *language* (the build's), on *paper*, thumbnails read from *assets_dir*."""
    words = catalogue_words(language)
    entries = [Entry(r.id, r.title, r.level, r.equipment, r.targets, r.language,
                     thumbnail(r.picture, assets_dir, style, cache_dir) if r.picture else None) for r in rows]
    labels = labels_for_paper(labels_for(language, theme.labels), paper)
    text = CatalogueText(words, labels, clinic_line(clinic), language)
    return layout_catalogue(group_entries(entries, words.other), theme, paper_size(paper), fonts(), text, style)


def catalogue_pdf(layout: CatalogueLayout, info: DocInfo) -> bytes:
    """Draw *layout*: each page's flowables, its links, and a bookmark per group (shown when opened)."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, layout.page_size, info)
    for page in layout.pages:
        if page.bookmark:
            key, title = page.bookmark
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(title, key, level=0)
        draw_placed(canvas, page.placed)
        for link in page.links:
            if link.href:
                canvas.linkURL(link.href, link.rect, kind="GoToR", thickness=0)
            elif link.dest:
                canvas.linkRect("", link.dest, link.rect, relative=0, thickness=0)
        canvas.showPage()
    canvas.showOutline()
    canvas.save()
    return buffer.getvalue()


def render_catalogue(rows: list[Row], assets_dir: Path, paper: str, theme: Theme, clinic: Clinic | None,
                     language: str | None, cache_dir: Path | None) -> tuple[bytes, int]:
    """The catalogue PDF of *rows* and its page count."""
    layout = lay_out_catalogue(rows, assets_dir, paper, theme, clinic, language, cache_dir)
    words = catalogue_words(language)
    info = DocInfo(title=words.title, subject=f"{words.title}: {words.count(len(rows))}", author=author(clinic),
                   lang=language or "en")
    return catalogue_pdf(layout, info), len(layout.pages)
