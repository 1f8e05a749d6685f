"""The Anki deck: ``deck.apkg``, every FAQ item of the library as a note to study on a phone.

Made with genanki.  One deck per library, with a subdeck per body area (the exercise's first
target: ``Exercise FAQ::Glutes``), so a student can study one area or all of them; each note
is also tagged with its exercise's id, which Anki's browser filters by.  Not a subdeck per
exercise: genanki rewrites the collection's whole deck list for every deck it adds, so 868
subdecks cost 5.5 s and ten times the library a hundred times that (measured).  Each note is
one FAQ item: the question on the front; the answer, the exercise's title and its first
picture on the back.

Identity is stable, so that importing a rebuilt deck updates a user's cards (and keeps their
review history) instead of adding duplicates: a note's GUID derives from the exercise id and
the question, and the model and deck ids are fixed constants (a subdeck's id derives from its
name).  Anki's importer only updates a note whose file copy is newer than the user's,
so the notes carry the build's time: ``SOURCE_DATE_EPOCH`` when set (then the same input gives
the same bytes), else the time the deck was made; an unchanged library is not made again.
The zip is written with fixed entry times, so its bytes depend on its contents alone.
"""

from __future__ import annotations

import hashlib
import html
import io
import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import genanki  # type: ignore[import-untyped]

from handouts.content.answers import Answer
from handouts.content.exercise import Exercise
from handouts.outputs.base import Library, Made, Output, Planned, OutputSettings, Source, digest
from handouts.render.picture_cache import picture_cache
from handouts.render.pictures import PICTURE_ERRORS, asset_place, picture_for_screen
from handouts.render.reads import recording

# Drawn at random once for this project (genanki's advice) and fixed forever: a new model
# id would make every user's cards new cards.
MODEL_ID = 1380651451
DECK_ID = 1333464909           # the library's deck; a subdeck's id derives from its exercise id
PICTURE_PX = 1000              # px, longest side: sharp on a phone, small enough to sync (a 24 MP photo is ~10 MB)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: entry times carry no information

CSS = """.card { font-family: "Atkinson Hyperlegible", Verdana, sans-serif; font-size: 22px; line-height: 1.4;
  text-align: left; color: #1a1a1a; background: #ffffff; max-width: 34em; margin: 0 auto; }
.question { font-weight: bold; }
.exercise { margin-top: 1.2em; font-size: 16px; color: #4a4a4a; }
.picture img { max-width: 100%; max-height: 40vh; margin-top: 0.6em; }
"""

MODEL = genanki.Model(
    MODEL_ID, "handouts FAQ",
    fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Exercise"}, {"name": "Picture"}],
    templates=[{"name": "FAQ card",
                "qfmt": '<div class="question">{{Question}}</div>',
                "afmt": '<div class="question">{{Question}}</div><hr id="answer">{{Answer}}'
                        '<div class="exercise">{{Exercise}}</div><div class="picture">{{Picture}}</div>'}],
    css=CSS)


def note_guid(exercise_id: str, question: str) -> str:
    """The note's identity: the same exercise and question are the same note in every build."""
    return str(genanki.guid_for("handouts", exercise_id, question))


def subdeck_id(name: str) -> int:
    """A stable deck id for a subdeck, from its name (Anki wants a positive 63-bit integer)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:7], "big") | (1 << 40)


def media_name(picture: bytes, fmt: str) -> str:
    """Anki's media folder is one flat folder per profile: a name from the bytes is unique there,
    and one picture used by two exercises is stored once."""
    return f"handouts-{hashlib.sha256(picture).hexdigest()[:16]}{'.jpg' if fmt == 'JPEG' else '.png'}"


def area_of(ex: Exercise) -> str | None:
    """The body area an exercise's notes are studied under: its first target ("Lower back"), if any."""
    if not ex.targets:
        return None
    area = _plain(ex.targets[0])
    return area[:1].upper() + area[1:] or None


def _plain(text: str) -> str:
    """A deck name's part: one line, and "::" (which would nest a deck deeper) as ":"."""
    return " ".join(text.replace("::", ":").split())


def build_time() -> float:
    """The notes' time in seconds: ``SOURCE_DATE_EPOCH`` when set, else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return float(int(epoch)) if epoch and epoch.strip().isdigit() else time.time()


@dataclass(frozen=True)
class AnkiTask:
    """The deck, made in a worker from *sources*, each parsed there (not in the build's parent)."""

    sources: tuple[Source, ...]
    deck_name: str
    timestamp: float

    def make(self, settings: OutputSettings) -> Made:
        exercises = [s.exercise() for s in self.sources]
        with_faq = [ex for ex in exercises if ex is not None and ex.faq]
        if not with_faq:
            # its questions may be in a file with a mistake: keep the deck until it is fixed
            return Made(None, keep=any(ex is None for ex in exercises))
        return self._deck(with_faq, settings)

    def _deck(self, exercises: list[Exercise], settings: OutputSettings) -> Made:
        top = genanki.Deck(DECK_ID, self.deck_name)  # the exercises with no target are studied here
        decks: dict[str, genanki.Deck] = {}
        media: dict[str, bytes] = {}
        guids: set[str] = set()
        with recording() as reads:  # the pictures' stamps
            for ex in exercises:
                area = area_of(ex)
                if area is None:
                    deck = top
                else:  # "Lower back" and "lower Back" are one area, named as first written
                    if area.casefold() not in decks:
                        name = f"{self.deck_name}::{area}"
                        decks[area.casefold()] = genanki.Deck(subdeck_id(name), name)
                    deck = decks[area.casefold()]
                picture_html = ""
                picture = _first_picture(ex, settings.assets_dir)
                if picture:  # one that is missing or not a picture is left out (the handout warns)
                    try:
                        data, fmt = picture_for_screen(picture, PICTURE_PX, picture_cache())  # stamped: in the deck
                    except PICTURE_ERRORS:
                        pass
                    else:
                        file = media_name(data, fmt)
                        media[file] = data
                        picture_html = f'<img src="{html.escape(file)}">'
                tags = [_tag(ex.id), *(_tag(t) for t in ex.targets)]
                for item in ex.faq:
                    guid = note_guid(ex.id, item.question)
                    if guid in guids:
                        continue  # the same question twice in one exercise: one note (the content check warns)
                    guids.add(guid)
                    deck.add_note(genanki.Note(model=MODEL, guid=guid, tags=tags, fields=[
                        _text(item.question), _answer(item.answer), _text(ex.title), picture_html]))
        package = genanki.Package([top, *(decks[area] for area in sorted(decks))])
        return Made(_apkg(package, media, self.timestamp), count=len(guids), reads=tuple(reads.values()))


def _first_picture(ex: Exercise, assets_dir: Path) -> Path | None:
    """Where the first picture *ex* names inside the assets folder is (there or not); one that printing
    refuses to read (an absolute path, "..", a link out of the folder) is passed over."""
    for ref in ex.images:
        try:
            return asset_place(ref.file, Path(assets_dir).resolve(), "")
        except ValueError:
            continue
    return None


def _text(value: str) -> str:
    """User text as Anki field HTML: escaped, line breaks kept."""
    return html.escape(value).replace("\n", "<br>")


def _answer(answer: Answer) -> str:
    """An answer as Anki field HTML: its line breaks kept, a list as a bulleted list (each point escaped)."""
    if isinstance(answer, str):
        return _text(answer)
    return "<ul>" + "".join(f"<li>{_text(point)}</li>" for point in answer) + "</ul>"


def _tag(value: str) -> str:
    """Anki tags are separated by spaces, and "::" makes a tag hierarchy."""
    return "_".join(value.replace("::", "_").split())


def _apkg(package: genanki.Package, media: dict[str, bytes], timestamp: float) -> bytes:
    """The .apkg bytes: genanki's collection, zipped with fixed entry times (genanki's own zip uses the clock)."""
    with tempfile.TemporaryDirectory(prefix="handouts-anki-") as folder:
        db_path = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(db_path)
        try:
            package.write_to_db(connection.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        collection = db_path.read_bytes()
    names = sorted(media)
    entries = [("collection.anki2", collection),
               ("media", json.dumps({str(i): name for i, name in enumerate(names)}).encode()),
               *((str(i), media[name]) for i, name in enumerate(names))]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


class AnkiDeck(Output):
    """``deck.apkg``: made from the library's content files (the exercises with a FAQ) and their first pictures."""

    kind = "anki"
    emptied = "no questions to study any more"
    settings_used = ("assets", "clinic_name", "source_date_epoch")  # not paper, cards or language: those are print's

    def __init__(self, clock: Callable[[], float] = build_time):
        self.clock = clock  # injectable: tests give a fixed time

    def plan(self, library: Library) -> list[Planned]:
        # made from every content file (which have a FAQ is known only once they are parsed),
        # so it does not depend on the card files being part of the same build
        sources = list(library.exercises)
        clinic = library.settings.clinic
        deck_name = f"{_plain(clinic.name)}: exercise FAQ" if clinic else "Exercise FAQ"
        inputs = digest("anki", deck_name, *(f"{s.stem}:{s.digest}" for s in sources))
        return [Planned(self.kind, "deck.apkg", None, inputs,
                        lambda: AnkiTask(tuple(sources), deck_name, self.clock()))]

    def phrase(self, built: int, count: int, planned: int) -> str | None:
        return "the Anki deck" if built else None
