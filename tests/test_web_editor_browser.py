"""The exercise editor in a real browser: Debian's Chromium, driven by Playwright, against ``handouts
serve`` running as a process (the same setup as tests/test_web_browser.py).

A clinician writes a new exercise (three steps, two tips, a caution, two questions, a photo chosen and
one dropped on the page), watches the preview, saves it, finds it in the library, changes a step, and
the file on disk and the built PDF say what was typed; a hand-written file keeps its comments through
an edit; pictures that cannot be printed are refused with a sentence on the page.  Every page is
checked by axe-core, and the list buttons are reached and worked by keyboard.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect
from pypdf import PdfReader

from browser import axe_violations, keyboard_reachable, looked_at, serve, wait_ready
from conftest import EXERCISE_FILES, REPO
from exercise_editor import HAND_WRITTEN, bomb, jpeg, png

pytestmark = pytest.mark.slow  # a server process, a browser, real builds

KNEE = "seated-knee-extension"
#: What the preview's facts say once the page is drawn.
PRINTED_AT = re.compile(r"Printed at \d+(\.\d+)? pt")


@pytest.fixture()
def project(tmp_path) -> Path:
    """The sample project, the knee exercise, and a hand-written file with comments."""
    project = tmp_path / "clinic"
    for name in ("content", "assets", "programs"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(EXERCISE_FILES[KNEE], project / "content" / f"{KNEE}.yaml")
    (project / "content" / "wall-sit.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    return project


def wait_for_preview(page, *, containing: str | None = None) -> str:
    """The preview's facts once a preview was drawn (and they say *containing*, when given)."""
    page.wait_for_function("() => { const i = document.getElementById('preview-image');"
                           " return i && !i.hidden && i.src.startsWith('data:image/png') &&"
                           " !document.getElementById('preview-facts').hasAttribute('aria-busy'); }", timeout=30_000)
    facts = page.locator("#preview-facts")
    if containing:
        facts.get_by_text(containing).wait_for(timeout=30_000)
    return facts.inner_text()


def box(page, name: str):
    """The text box labelled exactly *name* (``Step 2``: not the buttons that move or remove it)."""
    return page.get_by_role("textbox", name=name, exact=True)


def drop_file(page, selector: str, name: str, data: bytes, kind: str) -> None:
    """Drop a file on *selector* as a browser does when one is dragged from the desktop."""
    page.evaluate("""([selector, name, b64, kind]) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: kind }));
        const target = document.querySelector(selector);
        for (const type of ["dragover", "drop"]) {
            target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
        }
    }""", [selector, name, base64.b64encode(data).decode("ascii"), kind])


def test_a_clinician_writes_an_exercise_saves_it_and_changes_a_step(project, page, page_log, shots, tmp_path):
    photo = tmp_path / "Chair squat start.jpg"
    photo.write_bytes(jpeg(640, 480))
    with serve(project) as server:
        page.goto(server.url)
        wait_ready(page)
        page.get_by_role("link", name="New exercise").click()
        assert page.locator("h1").inner_text() == "New exercise"
        assert page.locator("#preview-empty").is_visible()  # nothing typed: no list of what is missing yet
        assert page.locator("#preview-problems li").count() == 0

        page.get_by_label("Title", exact=True).fill("Chair Squat")
        box(page, "Summary").fill("Stand up from a chair and sit down again, slowly.")
        page.get_by_label("Level").select_option("beginner")
        steps = ("Sit near the front of a firm chair.", "Lean forward and stand up.", "Sit down again slowly.")
        box(page, "Step 1").fill(steps[0])
        for number, text in enumerate(steps[1:], start=2):
            page.get_by_role("button", name="+ Add a step").click()
            assert page.evaluate("() => document.activeElement.name") == f"instructions.{number - 1}"
            box(page, f"Step {number}").fill(text)
        for number, text in enumerate(("Push through your heels.", "Keep your knees over your toes."), start=1):
            page.get_by_role("button", name="+ Add a tip").click()
            box(page, f"Tip {number}").fill(text)
        box(page, "Caution").fill("Stop if you feel dizzy.")
        questions = (("How many times?", "Ten, twice a day."),
                     ("Can I use my hands?", "- At first, yes\n- Later, cross your arms"))
        for number, (question, answer) in enumerate(questions, start=1):
            page.get_by_role("button", name="+ Add a question").click()
            page.locator(f"#f-faq\\.{number - 1}\\.question").fill(question)
            page.locator(f"#f-faq\\.{number - 1}\\.answer").fill(answer)
        page.get_by_label("Sets").fill("2")
        page.get_by_label("Reps").fill("10")
        page.get_by_label("Reps").press("Enter")  # a trial saved the exercise half-written this way
        page.get_by_label("Title", exact=True).press("Enter")
        page.wait_for_timeout(700)  # a form sent would have been saved and answered by now
        assert page.locator("h1").inner_text() == "New exercise"
        assert not (project / "content" / "chair-squat.yaml").exists()
        box(page, "Caution").fill("A" * 3000)  # one unbroken word: it wraps in its box, the form keeps its width
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")
        box(page, "Caution").fill("Stop if you feel dizzy.")
        targets = page.get_by_label("Targets", exact=True)
        targets.fill("quadriceps")
        targets.press("Enter")
        targets.fill("glutes,")
        chips = page.locator("[data-tags=targets] .chips li span")
        assert chips.all_inner_texts() == ["quadriceps", "glutes"]
        assert page.locator("input[name=targets]").input_value() == "quadriceps, glutes"

        page.get_by_label(re.compile("^Choose a picture")).first.set_input_files(str(photo))
        page.locator("[data-slot='0'] [data-picture]:visible").wait_for()
        assert page.locator("input[name='images.0.file']").input_value() == "chair-squat/chair-squat-start.jpg"
        drop_file(page, "[data-drop='1']", "end.png", png(300, 200), "image/png")
        page.locator("[data-slot='1'] [data-picture]:visible").wait_for()
        assert page.locator("input[name='images.1.file']").input_value() == "chair-squat/end.png"
        page.get_by_label("Caption (optional)").first.fill("Sit tall at the front of the chair")

        # The order by keyboard: the third step up, then back down again.
        page.get_by_role("button", name="Move step 3 up").focus()
        page.keyboard.press("Enter")
        assert [box(page, f"Step {n}").input_value() for n in (1, 2, 3)] == [steps[0], steps[2], steps[1]]
        page.wait_for_function("() => document.getElementById('editor-announce').textContent"
                               " === 'Step moved up: now step 2 of 3'")
        page.get_by_role("button", name="Move step 2 down").click()
        assert [box(page, f"Step {n}").input_value() for n in (1, 2, 3)] == list(steps)

        facts = wait_for_preview(page, containing="Printed at")
        assert PRINTED_AT.search(facts), facts
        assert page.locator("#preview-image").evaluate("i => i.naturalWidth") == 600
        looked_at(page, shots, "editor-new")
        reached = keyboard_reachable(page, ["#f-title", "#f-summary", "#f-images\\.0\\.upload",
                                            "[data-op=up]", "[data-op=remove]", "#add-instructions", "#f-targets",
                                            ".chip-remove", "#add-faq", "button.primary"])
        assert len(reached) == 10, reached

        page.get_by_role("button", name="Save").first.click()
        page.wait_for_url(re.compile(r"/exercises/chair-squat/edit\?done=1$"))
        assert "Saved as content/chair-squat.yaml" in page.locator(".notice").first.inner_text()

        path = project / "content" / "chair-squat.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["instructions"] == list(steps) and len(data["tips"]) == 2
        assert data["caution"] == "Stop if you feel dizzy." and len(data["faq"]) == 2
        assert data["faq"][1]["answer"] == ["At first, yes", "Later, cross your arms"]
        assert data["images"] == [{"file": "chair-squat/chair-squat-start.jpg",
                                   "caption": "Sit tall at the front of the chair"}, "chair-squat/end.png"]
        assert data["targets"] == ["quadriceps", "glutes"] and str(data["dose"]["sets"]) == "2"
        assert (project / "assets" / "chair-squat" / "chair-squat-start.jpg").read_bytes() == photo.read_bytes()

        page.get_by_role("navigation").get_by_role("link", name="Library").click()
        page.get_by_label("Search").fill("chair squat")
        page.wait_for_function("() => [...document.querySelectorAll('.card-title')]"
                               ".some(t => t.textContent === 'Chair Squat')", timeout=30_000)
        page.get_by_role("link", name=re.compile("Chair Squat")).click()
        page.get_by_role("link", name="Edit this exercise").click()
        assert page.locator("h1").inner_text() == "Edit: Chair Squat"
        wait_for_preview(page, containing="Printed at")
        box(page, "Step 2").fill("Lean forward, then stand up tall.")
        looked_at(page, shots, "editor-edit")
        page.get_by_role("button", name="Save").first.click()
        page.wait_for_url(re.compile(r"/exercises/chair-squat/edit\?done=1$"))
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["instructions"] == [steps[0], "Lean forward, then stand up tall.", steps[2]]

        handout = page.request.get(f"{server.url}exercises/chair-squat/handout.pdf")
        assert handout.ok and handout.headers["content-type"] == "application/pdf"
        reader = PdfReader(io.BytesIO(handout.body()))
        text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
        for said in ("Chair Squat", "Lean forward, then stand up tall.", "Push through your heels.",
                     "Stop if you feel dizzy.", "Sit tall at the front of the chair"):
            assert said in text, said
        assert sum(len(p.images) for p in reader.pages) == 2  # both pictures printed
        page_log.assert_clean()


def test_an_edit_keeps_a_hand_written_files_comments_then_it_is_renamed_and_deleted(project, page, page_log,
                                                                                     shots):
    with serve(project) as server:
        page.goto(f"{server.url}exercises/wall-sit/edit")
        wait_for_preview(page, containing="Printed at")
        box(page, "Step 2").fill("Slide down slowly until your knees are bent.")
        page.get_by_role("button", name="Remove tip 1").click()
        page.get_by_role("button", name="Save").first.click()
        page.wait_for_url(re.compile(r"/exercises/wall-sit/edit\?done=1$"))
        text = (project / "content" / "wall-sit.yaml").read_text(encoding="utf-8")
        assert "- Slide down slowly until your knees are bent.\n" in text and "tips:" not in text
        for kept in ("# Wall sit: written by hand at the clinic.", "title: Wall Sit   # keep it short",
                     "targets: [quadriceps, glutes]", "# the start", "author: Kim   # not a field: kept"):
            assert kept in text, kept

        page.get_by_label("New file name").fill("wall-sit-easy")
        page.get_by_role("button", name="Rename…").click()
        assert page.locator("h1").inner_text() == "Rename Wall Sit"
        assert "No program names this exercise." in page.locator("main").inner_text()
        looked_at(page, shots, "editor-rename")
        page.get_by_role("button", name="Rename it").click()
        page.wait_for_url(re.compile(r"/exercises/wall-sit-easy/edit\?done=renamed$"))
        assert (project / "content" / "wall-sit-easy.yaml").read_text(encoding="utf-8") == text
        page.get_by_role("button", name="Delete…").click()
        assert page.locator("h1").inner_text() == "Delete Wall Sit"
        looked_at(page, shots, "editor-delete")
        page.get_by_role("button", name="Delete it").click()
        page.wait_for_url(re.compile(r"/\?deleted=wall-sit-easy$"))
        assert "Deleted content/wall-sit-easy.yaml" in page.locator(".notice").inner_text()
        assert not (project / "content" / "wall-sit-easy.yaml").exists()
        page_log.assert_clean()


def test_without_javascript_the_page_is_a_plain_form_that_does_the_same(project, chromium, tmp_path):
    photo = tmp_path / "start.png"
    photo.write_bytes(png(320, 240))
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with serve(project) as server:
            page.goto(f"{server.url}exercises/new")
            page.get_by_label("Title", exact=True).fill("Heel Raise")
            box(page, "Step 1").fill("Rise onto your toes.")
            page.get_by_role("button", name="+ Add a step").click()  # the server answers with the form
            # The browser applies autofocus after the answered page has loaded, so wait for it.
            expect(page.locator("[name='instructions.1']")).to_be_focused(timeout=15_000)
            box(page, "Step 2").fill("Hold a counter.")
            page.get_by_role("button", name="Move step 2 up").click()
            assert [box(page, f"Step {n}").input_value() for n in (1, 2)] == ["Hold a counter.", "Rise onto your toes."]
            page.get_by_label(re.compile("^Choose a picture")).first.set_input_files(str(photo))
            page.get_by_role("button", name="Upload it").first.click()
            assert page.locator("input[name='images.0.file']").input_value() == "heel-raise/start.png"
            page.get_by_role("button", name="Show the preview").click()
            assert PRINTED_AT.search(page.locator("#preview-facts").inner_text())
            assert page.locator("#preview-image").evaluate("i => i.naturalWidth") == 600
            page.get_by_role("button", name="Save").first.click()
            page.wait_for_url(re.compile(r"/exercises/heel-raise/edit\?done=1$"))
        data = yaml.safe_load((project / "content" / "heel-raise.yaml").read_text(encoding="utf-8"))
        assert data["instructions"] == ["Hold a counter.", "Rise onto your toes."]
        assert data["image"] == "heel-raise/start.png"
    finally:
        context.close()


def test_pictures_that_cannot_be_printed_are_refused_with_a_message_on_the_page(project, page, page_log, tmp_path):
    from handouts.web.exercise_pages import UPLOAD_BYTES

    files = {"notes.png": b"Not a picture, only words.\n" * 40, "bomb.png": bomb(),
             "huge.jpg": jpeg() + b"\0" * UPLOAD_BYTES}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    with serve(project) as server:
        page.goto(f"{server.url}exercises/wall-sit/edit")
        chooser = page.get_by_label(re.compile("^Choose a picture")).first
        message = page.locator("[data-slot='0'] [data-upload-message]")
        for name, says in (("notes.png", "not a picture that can be read"), ("bomb.png", "too many pixels"),
                           ("huge.jpg", "a picture may be at most 25 MB")):
            chooser.set_input_files(str(tmp_path / name))
            message.get_by_text(says).wait_for(timeout=15_000)
            assert message.inner_text().startswith("Not uploaded:"), message.inner_text()
            assert message.get_attribute("role") == "alert"
        assert page.locator("input[name='images.0.file']").input_value() == ""
        assert not (project / "assets" / "wall-sit").exists()
        assert all("HTTP 422: POST" in line for line in page_log.requests) and len(page_log.requests) == 2
        page_log.clear()
        assert not axe_violations(page)
