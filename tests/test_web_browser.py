"""The front desk in a real browser: Debian's Chromium, driven by Playwright, against ``handouts serve``
running as a process.  A clinician's whole errand: find an exercise, make a program of three with
their doses, save it, print it and take an email draft; and the build status when a file breaks.

Every page is checked by axe-core (WCAG 2 A and AA, and best practice) and for keyboard reach; each
test saves its screenshots under the test's tmp folder (HANDOUTS_SCREENSHOTS=DIR keeps them there).
"""

from __future__ import annotations

import email
import email.policy
import io
import re
import shutil
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from browser import keyboard_reachable, looked_at, serve, wait_ready
from conftest import EXERCISE_FILES, REPO, SEED

pytestmark = pytest.mark.slow  # a server process, a browser, real builds

KNEE, BRIDGE = "seated-knee-extension", "spanish-bridge"


@pytest.fixture()
def project(tmp_path) -> Path:
    """The sample project with two more exercises (one in Spanish)."""
    project = tmp_path / "clinic"
    for name in ("content", "assets", "programs"):
        shutil.copytree(REPO / name, project / name)
    for name in (KNEE, BRIDGE):
        shutil.copy(EXERCISE_FILES[name], project / "content" / f"{name}.yaml")
    return project


def test_a_clinicians_errand_from_search_to_print_and_email(project, page, page_log, shots):
    with serve(project) as server:
        page.goto(server.url)
        wait_ready(page)
        page.reload()  # the previews the first build made
        assert page.locator("h1").inner_text() == "Exercise library"
        looked_at(page, shots, "library")

        page.get_by_label("Search").fill("seated knee")  # filters as you type, with handouts list's search
        page.wait_for_function("() => document.querySelectorAll('.card').length === 1")
        assert page.locator(".card-title").all_inner_texts() == ["Seated Knee Extension"]
        page.get_by_label("Search").fill("")
        page.wait_for_function("() => document.querySelectorAll('.card').length === 3")

        page.get_by_role("link", name=re.compile("Reclining Lower Trunk")).click()
        assert page.locator("h1").inner_text() == "Reclining Lower Trunk Extensor Stretch"
        assert page.locator(".preview img").evaluate("img => img.naturalWidth") == 600
        looked_at(page, shots, "exercise")
        handout = page.request.get(f"{server.url}exercises/{SEED}/handout.pdf?paper=a4&size=large")
        assert handout.ok and handout.headers["content-type"] == "application/pdf"
        assert round(float(PdfReader(io.BytesIO(handout.body())).pages[0].mediabox.width)) == 595

        page.get_by_role("link", name="New program").first.click()
        page.get_by_label("Client's name").fill("Begoña Núñez <b>")
        page.get_by_label("Email").fill("begona@example.es")
        for words, title in (("reclining", "Reclining Lower Trunk Extensor Stretch"), ("knee", "Seated Knee Extension"),
                             ("puente", "Puente de glúteos")):
            page.get_by_label("Add an exercise").fill(words)
            page.get_by_role("button", name=f"Add {title}").click()
            page.wait_for_function(f"() => [...document.querySelectorAll('[data-row-title]')]"
                                   f".some(h => h.textContent === {title!r})")
        rows = page.locator("#rows > li")
        assert rows.count() == 3
        rows.nth(0).get_by_label("Sets").fill("2")
        rows.nth(0).get_by_label("Reps").fill("5")
        rows.nth(1).get_by_label("Hold").fill("10 s")
        rows.nth(2).get_by_role("button", name=re.compile("up$")).click()  # the bridge before the knee
        assert page.locator("[data-row-title]").all_inner_texts() == [
            "Reclining Lower Trunk Extensor Stretch", "Puente de glúteos", "Seated Knee Extension"]
        assert page.locator("#rows-announce").inner_text() == "Puente de glúteos: now number 2 of 3"
        rows.nth(0).drag_to(rows.nth(2))  # dragged by the mouse: the first goes before the third
        assert page.locator("[data-row-title]").all_inner_texts() == [
            "Puente de glúteos", "Reclining Lower Trunk Extensor Stretch", "Seated Knee Extension"]
        rows.nth(1).drag_to(rows.nth(0))  # and back
        assert page.locator("[data-row-title]").all_inner_texts() == [
            "Reclining Lower Trunk Extensor Stretch", "Puente de glúteos", "Seated Knee Extension"]
        low = rows.nth(2).bounding_box()
        rows.nth(0).drag_to(rows.nth(2), target_position={"x": 20, "y": low["height"] - 10})  # onto the last's
        assert page.locator("[data-row-title]").all_inner_texts() == [  # lower half: to the end
            "Puente de glúteos", "Seated Knee Extension", "Reclining Lower Trunk Extensor Stretch"]
        rows.nth(2).drag_to(rows.nth(0), target_position={"x": 20, "y": 10})  # onto the first's upper half
        assert page.locator("[data-row-title]").all_inner_texts() == [
            "Reclining Lower Trunk Extensor Stretch", "Puente de glúteos", "Seated Knee Extension"]
        looked_at(page, shots, "new-program")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(re.compile(r"/programs/begona-nunez-b\?saved=1$"))
        assert "Saved as programs/begona-nunez-b.yaml" in page.locator(".notice").inner_text()

        saved = yaml.safe_load((project / "programs" / "begona-nunez-b.yaml").read_text(encoding="utf-8"))
        assert saved["client"] == "Begoña Núñez <b>" and saved["email"] == "begona@example.es"
        assert [e["id"] for e in saved["exercises"]] == [SEED, BRIDGE, KNEE]
        assert saved["exercises"][0]["dose"]["sets"] == 2 and saved["exercises"][0]["dose"]["reps"] == 5
        assert saved["exercises"][2]["dose"]["hold"] == "10 s"

        pdf_link = page.get_by_role("link", name="Open the PDF to print")
        pdf = page.request.get(server.url.rstrip("/") + pdf_link.get_attribute("href"))
        reader = PdfReader(io.BytesIO(pdf.body()))
        text = " ".join(p.extract_text() for p in reader.pages)
        assert "Begoña Núñez <b>" in text and "Puente de glúteos" in text and "10 s" in text
        assert len(reader.pages) >= 6  # the cover and its back, a handout and Notes page each, the cards
        looked_at(page, shots, "program")

        page_log.assert_clean()
        with page.expect_download() as downloading:
            page.get_by_role("button", name="Download an email draft").click()
        draft = email.message_from_bytes(Path(downloading.value.path()).read_bytes(), policy=email.policy.default)
        assert draft["To"].addresses[0].addr_spec == "begona@example.es"
        assert next(draft.iter_attachments()).get_filename() == "begona-nunez-b.pdf"
        # a download ends its request as "aborted" in Chromium's log: a cancellation, not a problem
        draft_request = f"request failed (net::ERR_ABORTED): POST {server.url}programs/begona-nunez-b/draft"
        assert draft_request in page_log.cancelled

        page.get_by_role("navigation").get_by_role("link", name="Programs", exact=True).click()
        assert page.locator("tbody tr").count() == 2
        page.get_by_label("Find a client").fill("begoña")
        assert page.locator("tbody tr:visible").count() == 1
        looked_at(page, shots, "programs")
    page_log.assert_clean()


def test_every_control_is_reached_by_keyboard(project, page):
    with serve(project) as server:
        page.goto(f"{server.url}programs/example-client")
        reached = keyboard_reachable(page, ["a.skip", "#f-client", "#f-email", "#f-date", "#f-language",
                                            "input[name=large_print]", "#ex-0-sets", "#ex-0-notes",
                                            "[data-move=up]", "[data-remove]", "#add-search",
                                            "button[type=submit].primary"])
        assert len(reached) == 12, reached
        page.goto(server.url)
        assert len(keyboard_reachable(page, ["#q", "#filter-target", "#filter-level", ".card a"])) == 4


def test_the_pages_show_a_broken_file_and_its_repair(project, page, shots):
    with serve(project) as server:
        page.goto(server.url)
        wait_ready(page)
        broken = project / "content" / f"{KNEE}.yaml"
        good = broken.read_text(encoding="utf-8")
        broken.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
        status = page.locator("#build-status")
        status.get_by_text("problem in the library").wait_for(timeout=60_000)
        status.locator("summary").click()
        assert re.search(rf"content/{KNEE}\.yaml:\d+", status.inner_text())
        assert "title" in status.inner_text()
        looked_at(page, shots, "build-problem")
        broken.write_text(good, encoding="utf-8")
        status.get_by_text("up to date").wait_for(timeout=60_000)


def test_a_desk_shared_over_the_network_asks_for_its_password(project, page, shots):
    from handouts.web.safety import set_password

    set_password(project / ".handouts", "a long enough secret")
    with serve(project, "--host", "0.0.0.0") as server:
        page.goto(server.url + "programs")
        assert page.url.endswith("/login?next=/programs")
        looked_at(page, shots, "sign-in")
        page.get_by_label("Password").fill("a wrong guess")
        page.get_by_role("button", name="Sign in").click()
        assert "not the one set" in page.get_by_role("alert").inner_text()
        page.get_by_label("Password").fill("a long enough secret")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(server.url + "programs")
        assert page.locator("h1").inner_text() == "Clients' programs"
        assert "plain HTTP" in server.stderr() and "a long enough secret" not in server.stderr()
    assert server.process.returncode == 0 and "stopped" in server.stderr()  # SIGTERM: a clean stop
