"""The library pages over HTTP: the list, search and filters, an exercise's page, its PDFs and previews."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import SEED
from web_library import client_for, desk_of, desk_project


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    project = desk_project(tmp_path)
    monkeypatch.chdir(project)
    return project


def titles_shown(html: str) -> list[str]:
    return re.findall(r'<span class="card-title">([^<]*)</span>', html)


def test_the_library_lists_every_exercise_with_its_facts(project):
    page = client_for(project).get("/")
    assert page.status_code == 200
    assert titles_shown(page.text) == ["Reclining Lower Trunk Extensor Stretch", "Seated Knee Extension",
                                       "Puente de glúteos"] or len(titles_shown(page.text)) == 3
    assert f'href="/exercises/{SEED}"' in page.text
    assert f'src="/previews/{SEED}.png?v=0"' in page.text and 'loading="lazy"' in page.text
    assert "3 exercises" in page.text


def test_search_ranks_as_handouts_list_does(project):
    from handouts.build.library_index import read_library
    from handouts.build.library_query import choose

    desk = desk_of(project)
    expected = [e.title for e in choose(read_library(desk.content_dir, desk.out_dir), {}, "knee")]
    page = client_for(project).get("/", params={"q": "knee"})
    assert titles_shown(page.text) == expected and expected
    partial = client_for(project).get("/", params={"q": "knee", "partial": "1"})
    assert "<html" not in partial.text and titles_shown(partial.text) == expected
    nothing = client_for(project).get("/", params={"q": "zebra crossing"})
    assert titles_shown(nothing.text) == [] and "No exercise matches" in nothing.text


def test_filters_offer_the_librarys_values_and_apply(project):
    client = client_for(project)
    page = client.get("/")
    assert '<option value="es"' in page.text  # the Spanish exercise's language
    spanish = client.get("/", params={"language": "es"})
    assert len(titles_shown(spanish.text)) == 1


def test_markup_in_content_is_shown_as_text_never_run(project):
    (project / "content" / "markup.yaml").write_text(
        'title: "<script>alert(1)</script> & <b>bold</b>"\ninstructions: ["Lie <i>down</i>."]\n'
        'targets: ["<img src=x onerror=alert(2)>"]\nfaq:\n  - question: "Why <u>this</u>?"\n    answer: "A & B"\n',
        encoding="utf-8")
    client = client_for(project)
    for html in (client.get("/").text, client.get("/exercises/markup").text):
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "Why &lt;u&gt;this&lt;/u&gt;?" in client.get("/exercises/markup").text


def test_an_exercise_page_shows_its_cards_and_pdf_choices(project):
    page = client_for(project).get(f"/exercises/{SEED}")
    assert page.status_code == 200
    assert "Cards: " in page.text and 'class="question"' in page.text
    for control in ('name="size" value="large"', 'name="paper" value="a4"', "Open the handout to print",
                    f'formaction="/exercises/{SEED}/cards.pdf"'):
        assert control in page.text


def test_an_exercise_with_mistakes_says_where(project):
    (project / "content" / "broken.yaml").write_text("title: Broken\ninstructions: 7\n", encoding="utf-8")
    page = client_for(project).get("/exercises/broken")
    assert page.status_code == 422
    assert re.search(r"broken\.yaml:2: instructions: ", page.text)


@pytest.mark.parametrize("path", ["/exercises/nope", "/exercises/..%2F..%2Fclinic", "/exercises/.hidden",
                                  "/exercises/%2Fetc%2Fpasswd/handout.pdf", "/exercises/..%2Fprograms%2Fjane-doe",
                                  f"/exercises/{SEED}/secret.pdf", "/api/exercises/..%2Fprograms%2Fjane-doe"])
def test_names_from_the_browser_never_leave_the_project(project, path):
    response = client_for(project).get(path)
    assert response.status_code in (404, 422) and "Traceback" not in response.text
    assert "Jane" not in response.text


def test_the_handout_opens_inline_in_the_house_paper_from_the_builds_own_folder(project):
    response = client_for(project).get(f"/exercises/{SEED}/handout.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    built = project / "output" / "handouts" / f"{SEED}.pdf"
    assert built.read_bytes() == response.content
    page = PdfReader(built).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)


def test_a4_large_print_is_built_apart_and_downloads(project, tmp_path):
    client = client_for(project)
    response = client.get(f"/exercises/{SEED}/handout.pdf", params={"paper": "a4", "size": "large", "download": "1"})
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert f'{SEED}-handout-a4-large.pdf' in response.headers["content-disposition"]
    saved = tmp_path / "got.pdf"
    saved.write_bytes(response.content)
    reader = PdfReader(saved)
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (595, 842)
    assert len(reader.pages) >= 2  # large print takes the pages it needs
    assert not (project / "output" / "handouts").exists()  # the everyday folder is not touched
    cards = client.get(f"/exercises/{SEED}/cards.pdf", params={"paper": "a4"})
    assert cards.status_code == 200 and cards.content.startswith(b"%PDF")


def test_unknown_paper_or_size_is_not_found(project):
    client = client_for(project)
    assert client.get(f"/exercises/{SEED}/handout.pdf", params={"paper": "legal"}).status_code == 404
    assert client.get(f"/exercises/{SEED}/handout.pdf", params={"size": "huge"}).status_code == 404


def test_previews_come_from_the_build_or_a_stand_in(project):
    client = client_for(project)
    missing = client.get(f"/previews/{SEED}.png", follow_redirects=False)
    assert missing.status_code == 307 and missing.headers["location"] == "/static/no-preview.svg"
    client.get(f"/exercises/{SEED}/handout.pdf")  # builds the handout and its preview
    png = client.get(f"/previews/{SEED}.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_the_search_api_and_an_exercises_own_dose(project):
    client = client_for(project)
    found = client.get("/api/exercises", params={"q": "knee"}).json()
    assert found and found[0]["id"] == "seated-knee-extension"
    assert client.get("/api/exercises", params={"q": ""}).json() == []
    one = client.get("/api/exercises/seated-knee-extension").json()
    assert one["title"] and isinstance(one["dose"], dict)
    assert client.get("/api/exercises/nope").status_code == 404


def test_the_build_status_without_a_background_build(project):
    client = client_for(project)
    assert client.get("/status.json").json()["state"] == "off"
    assert 'id="build-status"' in client.get("/status").text


@pytest.mark.slow
def test_the_build_status_of_a_real_background_build(project):
    from handouts.web.builder import Builder

    builder = Builder(desk_of(project))
    builder.start()
    try:
        assert builder.wait_idle(120)
        client = client_for(project, builder=builder)
        status = client.get("/status.json").json()
        assert status["state"] == "ready" and status["problems"] == [] and status["generation"] >= 1
        assert "All PDFs are up to date." in client.get("/").text
        assert client.get(f"/previews/{SEED}.png").content.startswith(b"\x89PNG")
        cover = client.get("/previews/programs/jane-doe.png")
        assert cover.status_code == 200 and cover.content.startswith(b"\x89PNG")
        assert client.get("/previews/programs/..%2Fjane-doe.png", follow_redirects=False).status_code in (307, 404)
    finally:
        builder.stop()


def test_programs_waiting_for_a_broken_exercise_are_one_line_under_it(project):
    from handouts.outputs.program import WAITING

    class Status:  # the background build's status as it reads with one broken exercise named by three programs
        def status(self):
            waiting = [{"path": f"programs/p{i}.yaml", "line": 5, "field": "exercises, exercise 1, id",
                        "message": f"exercise 'x' has errors (reported above); {WAITING}"} for i in range(3)]
            return {"state": "failed", "generation": 2, "warnings": [], "problems": [
                {"path": "content/x.yaml", "line": 1, "field": "titel", "message": "unknown key 'titel'"}, *waiting]}

    page = client_for(project, builder=Status()).get("/").text
    assert "1 problem in the library" in page
    assert "3 programs wait for this exercise to be fixed: programs/p0.yaml, programs/p1.yaml, programs/p2.yaml" in page
