"""The Anki deck, read the way Anki reads it: a zip holding an SQLite collection and numbered media.

Builds the sample and the test exercises with ``anki=True``, opens ``deck.apkg`` with zipfile
and sqlite3 (no genanki on the reading side), and checks notes, fields, GUIDs, decks and
media; then edits one answer and checks that only that note changed and every GUID stayed.
"""

from __future__ import annotations

import hashlib
import html
import json
import shutil
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from handouts.build.run import BuildOptions, build
from handouts.outputs.anki import DECK_ID, MODEL_ID, AnkiDeck

REPO = Path(__file__).resolve().parents[1]
EPOCH = 1_700_000_000
WITH_PICTURE = "reclining-lower-trunk-extensor-stretch"


@dataclass
class Note:
    guid: str
    fields: list[str]
    tags: list[str]
    mod: int
    deck: str


@dataclass
class Apkg:
    notes: dict[str, Note]          # by GUID
    decks: dict[int, str]           # id -> name
    media: dict[str, bytes]         # media file name -> bytes
    models: dict[str, dict]


def read_apkg(path: Path, tmp_path: Path) -> Apkg:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert names[0] == "collection.anki2" and "media" in names
        index = json.loads(archive.read("media"))
        media = {name: archive.read(number) for number, name in index.items()}
        db = tmp_path / f"{path.stem}-{len(list(tmp_path.iterdir()))}.anki2"
        db.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(db)
    try:
        decks_json, models_json = connection.execute("select decks, models from col").fetchone()
        decks = {int(k): v["name"] for k, v in json.loads(decks_json).items()}
        deck_of = dict(connection.execute("select nid, did from cards").fetchall())
        notes = {}
        for note_id, guid, flds, tags, mod in connection.execute("select id, guid, flds, tags, mod from notes"):
            notes[guid] = Note(guid, flds.split("\x1f"), tags.split(), mod, decks[deck_of[note_id]])
        return Apkg(notes, decks, media, json.loads(models_json))
    finally:
        connection.close()


def make_library(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    shutil.copytree(REPO / "assets", root / "assets")
    for path in [REPO / "content" / f"{WITH_PICTURE}.yaml", *sorted((REPO / "tests/data/exercises").glob("*.yaml"))]:
        shutil.copy(path, root / "content")
    return root


def build_anki(root: Path, out: str = "out", **changes):
    options = BuildOptions(content_dir=root / "content", assets_dir=root / "assets", out_dir=root / out, anki=True,
                           **changes)
    return build(options)


@pytest.fixture
def library(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    return make_library(tmp_path / "library")


def faq_of(root: Path) -> dict[str, tuple[str, list[dict], str | None]]:
    """Every exercise's title, FAQ and first target, read from the YAML independently of the tool."""
    out = {}
    for path in sorted((root / "content").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("faq"):
            out[path.stem] = (data["title"], data["faq"], (data.get("targets") or [None])[0])
    return out


def test_one_note_per_faq_item_with_question_answer_title_and_picture(library, tmp_path):
    report = build_anki(library)
    assert report.ok and report.made["anki"] == [(library / "out" / "deck.apkg").resolve()]
    apkg = read_apkg(library / "out" / "deck.apkg", tmp_path)
    expected = faq_of(library)
    assert len(apkg.notes) == sum(len(faq) for _, faq, _ in expected.values())
    by_question = {html.unescape(n.fields[0]): n for n in apkg.notes.values()}
    for exercise_id, (title, faq, target) in expected.items():
        for item in faq:
            note = by_question[item["question"]]
            assert html.unescape(note.fields[1]).split() == str(item["answer"]).split()
            assert html.unescape(note.fields[2]) == title
            assert exercise_id in note.tags
            # a subdeck per body area (the first target), the library's deck for an exercise with none
            assert note.deck == (f"Exercise FAQ::{target[:1].upper()}{target[1:]}" if target else "Exercise FAQ")
            assert note.mod == EPOCH
    # the exercise with a picture shows it on the back; its bytes are the asset's own
    pictured = [n for n in apkg.notes.values() if n.fields[3]]
    assert pictured and all(WITH_PICTURE in n.tags for n in pictured)
    (name,) = apkg.media
    assert f'<img src="{name}">' == pictured[0].fields[3]
    assert apkg.media[name] == (library / "assets" / f"{WITH_PICTURE}.png").read_bytes()
    assert DECK_ID in apkg.decks and apkg.decks[DECK_ID] == "Exercise FAQ"
    assert list(apkg.models) == [str(MODEL_ID)]


def test_markup_in_a_question_is_text_not_html(library, tmp_path):
    path = library / "content" / "three-step-wall-push.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("How many should I do?", "How many <b>should</b> I do & when?", 1),
                    encoding="utf-8")
    build_anki(library)
    questions = [n.fields[0] for n in read_apkg(library / "out" / "deck.apkg", tmp_path).notes.values()]
    assert "How many &lt;b&gt;should&lt;/b&gt; I do &amp; when?" in questions


def test_the_same_input_gives_the_same_bytes(library):
    build_anki(library, "one")
    build_anki(library, "two")
    assert (library / "one" / "deck.apkg").read_bytes() == (library / "two" / "deck.apkg").read_bytes()
    with zipfile.ZipFile(library / "one" / "deck.apkg") as archive:  # no clock in the zip either
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_clock_is_injectable(library, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    options = BuildOptions(content_dir=library / "content", assets_dir=library / "assets", out_dir=library / "out")
    build(options, kinds=[[AnkiDeck(clock=lambda: 1_800_000_000.0)]])
    notes = read_apkg(library / "out" / "deck.apkg", tmp_path).notes.values()
    assert {n.mod for n in notes} == {1_800_000_000}


def test_editing_one_answer_updates_that_note_and_keeps_every_guid(library, tmp_path, monkeypatch):
    build_anki(library)
    before = read_apkg(library / "out" / "deck.apkg", tmp_path)
    path = library / "content" / "three-step-wall-push.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    question = data["faq"][0]["question"]
    data["faq"][0]["answer"] = "Changed: " + str(data["faq"][0]["answer"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH + 60))  # a later build: Anki updates newer notes only
    report = build_anki(library)
    assert report.made.get("anki")
    after = read_apkg(library / "out" / "deck.apkg", tmp_path)
    assert set(after.notes) == set(before.notes)  # same GUIDs: a re-import updates, never duplicates
    changed = [g for g in after.notes if after.notes[g].fields != before.notes[g].fields]
    assert len(changed) == 1
    assert html.unescape(after.notes[changed[0]].fields[0]) == question
    assert "Changed:" in after.notes[changed[0]].fields[1]


def test_an_unchanged_library_does_not_remake_the_deck(library):
    build_anki(library)
    target = library / "out" / "deck.apkg"
    stamp = target.stat().st_mtime_ns
    report = build_anki(library)
    assert report.ok and "anki" not in report.made and target.stat().st_mtime_ns == stamp


def test_a_replaced_picture_remakes_the_deck(library, tmp_path):
    build_anki(library)
    picture = library / "assets" / f"{WITH_PICTURE}.png"
    from PIL import Image

    Image.new("RGB", (40, 30), "red").save(picture)
    report = build_anki(library)
    assert report.made.get("anki")
    apkg = read_apkg(library / "out" / "deck.apkg", tmp_path)
    assert list(apkg.media.values()) == [picture.read_bytes()]


def test_no_faq_left_removes_the_deck(library):
    build_anki(library)
    for path in (library / "content").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.pop("faq", None)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = build_anki(library)
    assert report.ok and not (library / "out" / "deck.apkg").exists()
    assert [r.why for r in report.removed if r.path.name == "deck.apkg"] == ["no questions to study any more"]


def test_the_command_line_writes_the_deck_only_when_asked(library, monkeypatch, capsys):
    from handouts.cli import main

    monkeypatch.chdir(library)
    assert main(["build", "--jobs", "1"]) == 0
    assert not (library / "output" / "deck.apkg").exists()
    assert main(["build", "--jobs", "1", "--anki"]) == 0
    out = capsys.readouterr().out
    assert (library / "output" / "deck.apkg").is_file() and "the Anki deck" in out.splitlines()[-1]


# --- the real library nobody here wrote --------------------------------------------------------

CORPUS = REPO.parent / "shared" / "corpus" / "free-exercise-db"


@pytest.mark.slow
def test_the_imported_free_exercise_db_with_a_faq_added_becomes_one_deck(tmp_path, monkeypatch):
    """Every imported exercise gets two questions; the deck holds all of them, each picture once."""
    if not (CORPUS / "exercises.json").is_file():
        pytest.skip(f"corpus not available: {CORPUS}")
    from handouts.importers.free_exercise_db import import_exercise_db

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    result = import_exercise_db(CORPUS / "exercises.json", tmp_path / "content", tmp_path / "assets")
    assert not result.problems and len(result.written) > 800
    first_pictures = set()  # by their bytes: two exercises with the same photo share one media file
    for path in result.written:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        pictures = data.get("images") or ([data["image"]] if data.get("image") else [])
        if pictures:
            first = pictures[0]["file"] if isinstance(pictures[0], dict) else pictures[0]
            first_pictures.add(hashlib.sha256((tmp_path / "assets" / first).read_bytes()).hexdigest())
        data["faq"] = [{"question": f"What does {data['title']} work?",
                        "answer": ", ".join(data.get("targets") or ["the whole body"])},
                       {"question": "How many times should I do it?",
                        "answer": "As your clinician wrote on the sheet."}]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    options = BuildOptions(content_dir=tmp_path / "content", assets_dir=tmp_path / "assets",
                           out_dir=tmp_path / "out")
    report = build(options, kinds=[[AnkiDeck()]])
    assert report.ok, report.errors[:3]
    apkg = read_apkg(tmp_path / "out" / "deck.apkg", tmp_path)
    assert len(apkg.notes) == 2 * len(result.written)  # the same question in two exercises is two notes
    assert len(apkg.media) == len(first_pictures) >= 140
    assert max(len(data) for data in apkg.media.values()) < 400_000  # made for a phone, not the 24 MP original
    areas = {(yaml.safe_load(p.read_text(encoding="utf-8")).get("targets") or [""])[0].casefold()
             for p in result.written} - {""}
    assert len(apkg.decks) == len(areas) + 2  # Anki's Default, the library, a subdeck per body area


# --- what a clinic's library throws at it ------------------------------------------------------

def _write_exercise(root: Path, name: str, title: str, faq: list[tuple[str, str]], image: str | None = None,
                    targets: tuple[str, ...] = ()) -> None:
    data: dict = {"title": title, "instructions": ["Stand tall.", "Breathe out."],
                  "faq": [{"question": q, "answer": a} for q, a in faq]}
    if image:
        data["image"] = image
    if targets:
        data["targets"] = list(targets)
    (root / "content" / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_file_that_is_not_a_picture_is_left_out_and_a_large_one_is_made_for_a_phone(library, tmp_path):
    from PIL import Image

    (library / "assets" / "fake.png").write_text("not an image", encoding="utf-8")
    Image.new("RGB", (4000, 3000), "navy").save(library / "assets" / "huge.jpg", quality=95)
    _write_exercise(library, "fake-picture", "Fake Picture", [("Fake?", "Yes.")], "fake.png")
    _write_exercise(library, "huge-picture", "Huge Picture", [("Huge?", "Yes.")], "huge.jpg")
    report = build_anki(library)
    assert report.made.get("anki")
    apkg = read_apkg(library / "out" / "deck.apkg", tmp_path)
    by_title = {html.unescape(n.fields[2]): n for n in apkg.notes.values()}
    assert by_title["Fake Picture"].fields[3] == ""  # no broken image on the phone
    name = by_title["Huge Picture"].fields[3].split('"')[1]
    import io

    with Image.open(io.BytesIO(apkg.media[name])) as picture:
        assert max(picture.size) <= 1250 and picture.format == "JPEG"


def test_the_same_question_twice_is_one_note_and_a_warning(library, tmp_path):
    _write_exercise(library, "twice", "Twice", [("How often?", "Daily."), ("Why?", "So."), ("How often?", "Twice.")])
    report = build_anki(library)
    assert any(w.field == "faq, question 3, question" and "the same question as faq, question 1" in w.message
               for w in report.warnings)
    notes = [n for n in read_apkg(library / "out" / "deck.apkg", tmp_path).notes.values() if "twice" in n.tags]
    assert sorted(html.unescape(n.fields[0]) for n in notes) == ["How often?", "Why?"]


def test_subdecks_are_body_areas_and_never_nest_by_accident(library, tmp_path):
    _write_exercise(library, "wall-a", "Wall Push", [("A?", "a")], targets=("lower back",))
    _write_exercise(library, "wall-b", "Wall Push", [("B?", "b")], targets=("Lower Back", "hip::knee"))
    _write_exercise(library, "nested", "Nested", [("C?", "c")], targets=("hip::knee",))
    (library / "clinic.yaml").write_text("name: North::South Physio\n", encoding="utf-8")
    from handouts.content.clinic import clinic_path, load_clinic

    clinic, _ = load_clinic(clinic_path(library / "content"))
    build_anki(library, clinic=clinic)
    apkg = read_apkg(library / "out" / "deck.apkg", tmp_path)
    names = list(apkg.decks.values())
    assert len(names) == len(set(names)) and all(name.count("::") <= 1 for name in names)
    deck_of = {tag: n.deck for n in apkg.notes.values() for tag in n.tags if tag in ("wall-a", "wall-b", "nested")}
    assert deck_of == {"wall-a": "North:South Physio: exercise FAQ::Lower back",  # one area, as first written
                       "wall-b": "North:South Physio: exercise FAQ::Lower back",
                       "nested": "North:South Physio: exercise FAQ::Hip:knee"}
    (note,) = [n for n in apkg.notes.values() if "wall-b" in n.tags]
    assert "hip_knee" in note.tags


def test_a_mistake_in_the_only_file_with_questions_keeps_the_deck(library):
    for path in (library / "content").glob("*.yaml"):
        if path.stem != "three-step-wall-push":
            path.unlink()
    build_anki(library)
    deck = library / "out" / "deck.apkg"
    before = deck.read_bytes()
    path = library / "content" / "three-step-wall-push.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "faq: [oops\n", encoding="utf-8")
    report = build_anki(library)
    assert not report.ok and report.failed
    assert deck.read_bytes() == before and not [r for r in report.removed if r.path.name == "deck.apkg"]


@pytest.mark.parametrize("changes", [{"paper": "a4"}, {"card_size": "index"}, {"language": "de"}],
                         ids=["paper", "card-size", "language"])
def test_print_settings_do_not_remake_the_deck(library, changes):
    build_anki(library)
    stamp = (library / "out" / "deck.apkg").stat().st_mtime_ns
    report = build_anki(library, **changes)
    assert report.ok and (report.written or report.cards) and "anki" not in report.made  # print files, not the deck
    assert (library / "out" / "deck.apkg").stat().st_mtime_ns == stamp


def test_a_file_that_cannot_be_written_is_one_located_error_and_the_rest_is_built(library, capsys, monkeypatch):
    from handouts.cli import main

    monkeypatch.chdir(library)
    (library / "output" / "deck.apkg").mkdir(parents=True)  # something in the way
    assert main(["build", "--jobs", "1", "--anki"]) == 1
    out, err = capsys.readouterr()
    assert "output/deck.apkg: cannot write: " in err
    assert "built 6 handouts" in err.splitlines()[-1] and "1 failed" in err.splitlines()[-1]


def test_the_command_line_refuses_anki_with_named_files(library, capsys, monkeypatch):
    from handouts.cli import main

    monkeypatch.chdir(library)
    assert main(["build", "content/three-step-wall-push.yaml", "--anki"]) == 2
    assert capsys.readouterr().err.strip() == ("--anki makes the deck of the whole library; "
                                               "leave out the FILEs (or --anki)")


# --- line breaks and lists in answers (issue 13, part 6) ---------------------------------------

LINES = REPO / "tests" / "data" / "line-breaks" / "standing-balance-week.yaml"


def test_an_answer_keeps_its_lines_and_a_list_answer_is_a_bulleted_list_in_the_deck(library, tmp_path):
    shutil.copy(LINES, library / "content")
    _write_exercise(library, "hostile-list", "Hostile List", [("Markup?", ["<b>Not bold</b> & <i>not</i>", "a\nb"])])
    report = build_anki(library)
    assert report.ok and not [w for w in report.warnings if "standing-balance" in w.path or "hostile" in w.path]
    notes = {html.unescape(n.fields[0]): n.fields[1] for n in read_apkg(library / "out" / "deck.apkg", tmp_path)
             .notes.values()}
    assert notes["Which days should I practise?"] == "Monday: both feet<br>Wednesday: one foot<br>Friday: rest"
    assert notes["What should I have nearby?"] == (
        "<ul><li>A sturdy counter, or the back of a heavy chair that will not tip over</li>"
        "<li>Shoes with a good grip, or bare feet</li><li>Water &amp; a towel, within reach</li></ul>")
    # '>' folds its lines as YAML does; its blank line is a line break
    assert notes["When should I stop?"] == "Stop if you feel dizzy or unsteady.<br>Sit down and rest until it passes."
    # each point escaped: typed markup is text, never Anki's HTML; a point's own line break kept
    assert notes["Markup?"] == ("<ul><li>&lt;b&gt;Not bold&lt;/b&gt; &amp; &lt;i&gt;not&lt;/i&gt;</li>"
                                "<li>a<br>b</li></ul>")
