"""Clinics' notes as they are typed (issue 15): wrapped paragraphs, cautions, Word bullets,
leaflet headings, Q:/A:, key lines; imported, built, and read back from the PDFs."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from PIL import Image
from pypdf import PdfReader

from handouts.build.run import BuildOptions, build
from handouts.errors import SourceFormatError
from handouts.importers.common import read_text
from handouts.importers.plain_text import import_text_files, parse_exercise_text
from handouts.importers.text_lines import bullet, heading, key, lines_of

NOTES = Path(__file__).parent / "data" / "clinic_notes"


def _read(name: str) -> dict:
    return parse_exercise_text((NOTES / name).read_text(encoding="utf-8"), name)


def test_a_leaflet_with_wrapped_paragraphs_cautions_and_word_bullets_lands_field_by_field():
    data = _read("bridge-leaflet.txt")
    assert data["summary"] == ("This exercise strengthens the muscles of your buttocks and the back of your "
                               "thighs, which support your lower back.")  # the Aim, its lines joined
    assert data["instructions"] == [
        "Lie on your back with your knees bent and your feet flat on the floor, hip-width apart.",  # start position
        "Tighten your tummy muscles gently.",
        "Squeeze your buttocks and lift your hips until your body is in a straight line.",
        "Hold for 5 seconds, breathing normally.", "Lower your hips slowly to the floor."]
    assert data["tips"] == ["Keep your feet flat on the floor.", "Breathe out as you lift."]
    assert data["caution"] == ("If you have had a hip replacement, do not lift your hips higher than your knees. "
                               "Stop if you feel pain in your back or hip.")  # before and after the steps
    assert data["faq"] == [
        {"question": "How often should I do this?", "answer": "Twice a day. If it is very sore, twice a week is "
                                                              "enough."},
        {"question": "Is clicking normal?", "answer": "Yes, if it does not hurt."},
        {"question": "Can I do it on my bed, or does it have to be on the floor?", "answer": "A firm surface is best."}]
    assert data["images"] == [{"file": "bridge.png", "caption": "Start position"}]
    assert data["dose"] == {"sets": 3, "reps": 10, "hold": "5 s", "frequency": "twice a day"}
    assert (data["level"], data["equipment"]) == ("beginner", ["exercise mat"])
    assert "language" not in data


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def test_every_line_of_every_note_lands_in_some_field():
    """Each line's words (less its heading, bullet, Q:/A: or key name) appear, in order, in the data."""
    for path in sorted(NOTES.glob("*.txt")):
        if path.name == "broken.txt":
            continue
        text = read_text(path, path.name).text  # two are Windows-1252 and UTF-16, as Notepad saves them
        data = parse_exercise_text(text, path.name)
        written = " ".join(_words(yaml.safe_dump(data, allow_unicode=True, width=10**6)))
        for line in lines_of(text):
            body = line.text
            if heading(body):
                body = heading(body)[1] or ""
            elif key(body):  # a key line is read into its field (a dose into its parts)
                name = key(body)[0]
                assert any(f in data for f in {"picture": ("image", "images")}.get(name, (name,))), (path.name, line)
                continue
            elif bullet(body):
                body = bullet(body)[1]
            body = re.sub(r"^(?:q|a)\s*:", "", body, flags=re.IGNORECASE)
            words = _words(body)
            if words:
                assert " ".join(words) in written or all(w in written.split() for w in words), (path.name, line)


def test_the_language_is_told_from_the_headings_and_the_level_prints_in_it(tmp_path):
    result = import_text_files([NOTES / "puente.txt"], tmp_path / "content")
    assert result.problems == []
    (written,) = result.written
    data = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert data["language"] == "es" and data["level"] == "beginner"
    report = build(BuildOptions(content_dir=tmp_path / "content", assets_dir=tmp_path / "assets",
                                out_dir=tmp_path / "output"))
    assert report.ok
    text = " ".join(PdfReader(report.written[0]).pages[0].extract_text().split())
    assert "Nivel: principiante" in text and "Instrucciones" in text


def test_importing_again_keeps_what_the_yaml_gained_and_says_what_changed(tmp_path):
    source = tmp_path / "bridge.txt"
    shutil.copy(NOTES / "bridge-leaflet.txt", source)
    content = tmp_path / "content"
    (target,) = import_text_files([source], content).written
    added = target.read_text(encoding="utf-8") + "tags: [glutes, home]\nvideo: https://example.org/bridge\n"
    target.write_text(added, encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("Dose: 3 sets of 10", "Dose: 2 sets of 12")
                      .replace("Tips & Tricks\no Keep your feet flat on the floor.\n- Breathe out as you lift.\n", ""),
                      encoding="utf-8")
    again = import_text_files([source], content, force=True)
    assert again.written == [target]
    changed, kept = again.updated[target]
    assert set(changed) == {"dose", "tips"} and set(kept) == {"tags", "video"}
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["tags"] == ["glutes", "home"] and data["video"] == "https://example.org/bridge"
    assert data["dose"]["sets"] == 2 and "tips" not in data  # a section taken out of the text goes


def test_the_imported_leaflet_builds_with_its_caution_picture_and_cards(tmp_path):
    (target,) = import_text_files([NOTES / "bridge-leaflet.txt"], tmp_path / "content").written
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (600, 400), (200, 30, 30)).save(tmp_path / "assets" / "bridge.png")
    report = build(BuildOptions(content_dir=tmp_path / "content", assets_dir=tmp_path / "assets",
                                out_dir=tmp_path / "output"))
    assert report.ok and report.warnings == [w for w in report.warnings if w.notice]
    page = PdfReader(report.written[0]).pages[0]
    text = " ".join(page.extract_text().split())
    assert "do not lift your hips higher than your knees" in text and "Stop if you feel pain" in text
    assert len(page.images) == 1 and "Start position" in text
    cards = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(report.cards[0]).pages)
    assert "Can I do it on my bed, or does it have to be on the floor?" in cards


def test_the_whole_folder_imports_each_file_on_its_own_and_builds(tmp_path):
    """Twelve notes as clinics keep them: the broken one is reported with its lines, the eleven others
    are written, and their handouts and cards say the right things in the right languages."""
    notes = sorted(NOTES.glob("*.txt"))
    assert len(notes) >= 12
    result = import_text_files(notes, tmp_path / "content")
    assert len(result.written) == len(notes) - 1 and [Path(f).name for f in result.failed] == ["broken.txt"]
    assert {p.line for p in result.problems} == {5} and all("broken.txt" in p.path for p in result.problems)
    assert [Path(w.path).name for w in result.warnings] == ["ankle-circles.txt"]  # read as Windows-1252
    assets = tmp_path / "assets"
    assets.mkdir()
    for name in ("bridge.png", "seated-march.png"):
        Image.new("RGB", (600, 400), (90, 120, 200)).save(assets / name)
    report = build(BuildOptions(content_dir=tmp_path / "content", assets_dir=assets, out_dir=tmp_path / "output"))
    assert report.ok and len(report.written) == len(notes) - 1
    assert [w for w in report.warnings if not w.notice] == []

    def page(name: str) -> str:
        return " ".join(PdfReader(tmp_path / "output" / "handouts" / f"{name}.pdf").pages[0].extract_text().split())

    assert "Niveau: débutant" in page("pont-fessier") and "Demandez à votre thérapeute" in page("pont-fessier")
    assert "Anleitung" in page("pendelubung") and "Nicht bei starken Schmerzen üben." in page("pendelubung")
    assert "– Sit with one leg" not in page("ankle-circles") and "Circle your foot slowly" in page("ankle-circles")
    assert "Stop if your ankle swells" in page("ankle-circles")  # "Caution:" on one line
    assert "every 2 hours" in page("chin-tuck")
    cards = " ".join(" ".join((p.extract_text() or "").split())
                     for p in PdfReader(tmp_path / "output" / "cards" / "chin-tuck.pdf").pages)
    assert "How many times a day?" in cards and "Q:" not in cards and "A:" not in cards


def test_the_readmes_example_of_a_clinics_file_reads_as_the_test_file_does():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Importing the plain-text format"):]
    example = section[section.index("```text\n") + 8:section.index("\n```", section.index("```text\n"))]
    assert parse_exercise_text(example + "\n", "README.md") == _read("bridge-leaflet.txt")


@pytest.mark.parametrize("heading", ["CAUTION!", "⚠ Caution", "Caution -", "Red flags", "Safety advice",
                                     "PRECAUTIONS:"])
def test_a_caution_heading_written_any_way_opens_the_caution_box(heading):
    text = f"Calf Raise\nInstructions\n- Rise onto your toes.\n- Lower slowly.\n\n{heading}\nStop if your calf hurts.\n"
    data = parse_exercise_text(text, "x.txt")
    assert data["caution"] == "Stop if your calf hurts." and data["instructions"] == ["Rise onto your toes.",
                                                                                       "Lower slowly."]


@pytest.mark.parametrize("typed, meant", [("Cautoin", "caution"), ("Instrutions", "instructions"), ("Tip", "tips")])
def test_a_misspelt_heading_is_an_error_not_a_step(typed, meant):
    text = f"Calf Raise\nInstructions\n- Rise onto your toes.\n\n{typed}\nDo not do this with an Achilles injury.\n"
    with pytest.raises(SourceFormatError) as info:
        parse_exercise_text(text, "x.txt")
    assert [str(p) for p in info.value.problems] == [
        f'x.txt:5: "{typed}" looks like the heading "{meant}" misspelt; correct it, or it would be read as text']


def test_an_equipment_section_keeps_each_item_whole_and_common_doses_are_read():
    text = ("Sit to Stand\nEquipment\nA firm chair with arms, about knee height.\nInstructions\n- Stand up.\n"
            "Dose: 1 set of 8 on each leg, repeat 5 times\n")
    with pytest.raises(SourceFormatError, match="gives the reps twice"):
        parse_exercise_text(text, "x.txt")
    data = parse_exercise_text(text.replace(", repeat 5 times", ", twice daily"), "x.txt")
    assert data["equipment"] == ["A firm chair with arms, about knee height."]
    assert data["dose"] == {"sets": 1, "reps": "8 on each leg", "frequency": "twice daily"}


def test_one_line_paragraphs_of_similar_length_stay_apart():
    text = ("Side Plank\nThis exercise strengthens the muscles along the side of your trunk.\n"
            "It also helps your balance when you carry a heavy bag on one side.\n"
            "Most people feel it in the lower ribs and the side of the hip.\n"
            "Instructions\n- Lie on your side.\n")
    data = parse_exercise_text(text, "x.txt")
    assert data["summary"].startswith("This exercise") and len(data["description"]) == 2


def test_a_picture_and_a_dose_added_in_the_yaml_survive_importing_the_text_again(tmp_path):
    content = tmp_path / "content"
    (target,) = import_text_files([NOTES / "wall-slide.txt"], content).written
    target.write_text(target.read_text(encoding="utf-8") + "image: wall-slide.jpg\ndose: {sets: 2, reps: 8}\n",
                      encoding="utf-8")
    again = import_text_files([NOTES / "wall-slide.txt"], content, force=True)
    assert again.updated[target] == ((), ("image", "dose"))  # nothing changed; both kept
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert data["image"] == "wall-slide.jpg" and data["dose"] == {"sets": 2, "reps": 8}
    assert list(data)[:4] == ["title", "summary", "description", "image"]  # in the content format's order
