"""The exercise editor over HTTP: a new exercise saved as a file the command line builds, an edit that
keeps a hand-written file's comments, mistakes beside their fields with nothing written, a file
changed on disk meanwhile, the list buttons of a page without JavaScript, the live preview (and that
it writes nothing), pictures uploaded (and refused), a pasted text, rename and delete."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path

import pytest
import yaml

from conftest import SEED
from exercise_editor import HAND_WRITTEN, bomb, editor_fields, jpeg, message_beside, png
from web_library import client_for, desk_project, post_fields, token_of

KNEE = "seated-knee-extension"


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    project = desk_project(tmp_path, programs={
        "jane-doe": f"client: Jane Doe\nexercises:\n  - id: {KNEE}   # her knee\n    dose: {{sets: 2}}\n"})
    (project / "content" / "wall-sit.yaml").write_text(HAND_WRITTEN, encoding="utf-8")
    monkeypatch.chdir(project)
    return project


def new_fields(token: str, **more: str) -> list[tuple[str, str]]:
    """A new exercise as the page posts it: three steps, two tips, a caution, two questions."""
    fields = {"csrf_token": token, "opened": "", "digest": "", "picture_key": "image", "id": "",
              "title": "Chair Squat", "summary": "Stand up from a chair and sit down again, slowly.",
              "level": "beginner", "language": "", "category": "strength", "video": "",
              "instructions.0": "Sit near the front of a firm chair.", "instructions.1": "Lean forward and stand up.",
              "instructions.2": "Sit down again slowly.", "tips.0": "Push through your heels.",
              "tips.1": "Keep your knees over your toes.", "caution": "Stop if you feel dizzy.",
              "faq.0.question": "How many times?", "faq.0.answer": "Ten, twice a day.",
              "faq.1.question": "Can I use my hands?", "faq.1.answer": "- At first, yes\n- Later, cross your arms",
              "dose.sets": "2", "dose.reps": "10", "dose.hold": "", "targets": "quadriceps, glutes",
              "equipment": "firm chair", "tags": "", "op": "save"}
    fields.update(more)
    return list(fields.items())


def test_the_library_and_each_exercise_lead_to_the_editor(project):
    client = client_for(project)
    assert 'href="/exercises/new"' in client.get("/").text
    assert f'href="/exercises/{KNEE}/edit"' in client.get(f"/exercises/{KNEE}").text
    new = client.get("/exercises/new")
    assert new.status_code == 200
    for control in ('name="title"', 'name="instructions.0"', 'id="template-tips"', 'id="template-faq"',
                    'name="images.0.upload"', 'name="images.1.caption"', 'name="dose.frequency"',
                    'list="dl-targets"', 'name="level"', 'name="language"', 'action="/exercises/import"'):
        assert control in new.text, control
    assert '<option value="firm chair">' in new.text  # the library's equipment suggested


def test_a_new_exercise_is_saved_as_a_tidy_file_the_command_line_builds(project):
    from handouts.outputs.base import content_source

    client = client_for(project)
    token = token_of(client.get("/exercises/new").text)
    saved = post_fields(client, "/exercises/save", new_fields(token), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/exercises/chair-squat/edit?done=1"
    path = project / "content" / "chair-squat.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert list(data) == ["title", "summary", "level", "category", "dose", "targets", "equipment", "instructions",
                          "tips", "caution", "faq"]  # the documented order
    assert data["faq"][1] == {"question": "Can I use my hands?", "answer": ["At first, yes", "Later, cross your arms"]}
    exercise = content_source(path).exercise()
    assert exercise is not None and len(exercise.instructions) == 3 and dict(exercise.dose) == {"sets": "2",
                                                                                                  "reps": "10"}
    page = client.get(saved.headers["location"]).text
    assert "Saved as content/chair-squat.yaml" in page and 'value="Chair Squat"' in page
    again = post_fields(client, "/exercises/save", new_fields(token), follow_redirects=False)  # the same title again
    assert again.headers["location"] == "/exercises/chair-squat-2/edit?done=1"


def test_mistakes_are_shown_beside_their_fields_and_nothing_is_written(project):
    client = client_for(project)
    token = token_of(client.get("/exercises/new").text)
    refused = post_fields(client, "/exercises/save", new_fields(
        token, title="Bad One", video="www.example.com", **{"dose.hold": "30", "faq.0.answer": "",
                                                           "instructions.1": "x" * 1300}))
    assert refused.status_code == 422
    assert "Not saved yet: 3 things to fix" in refused.text
    assert "is not a web address" in " ".join(message_beside(refused.text, "video"))
    assert "the answer is missing" in refused.text
    assert "1300 characters long" in " ".join(message_beside(refused.text, "instructions.1"))
    assert 'id="f-video" name="video" type="url" value="www.example.com" aria-invalid="true"' in refused.text
    assert "has no unit" in refused.text  # a warning: shown, but not among the things to fix
    assert not (project / "content" / "bad-one.yaml").exists()
    taken = post_fields(client, "/exercises/save", new_fields(token, id="wall-sit"))
    assert taken.status_code == 422 and "there is an exercise &#39;wall-sit&#39; already" in " ".join(
        message_beside(taken.text, "id"))
    assert (project / "content" / "wall-sit.yaml").read_text(encoding="utf-8") == HAND_WRITTEN


def test_an_edit_keeps_the_hand_written_files_comments_and_changes_only_what_changed(project):
    client = client_for(project)
    page = client.get("/exercises/wall-sit/edit")
    assert page.status_code == 200 and "Edit: Wall Sit" in page.text
    fields = editor_fields(page.text)
    assert ("instructions.2", "Hold the position.\nBreathe normally.") in fields
    unchanged = post_fields(client, "/exercises/save", fields + [("op", "save")], follow_redirects=False)
    assert unchanged.status_code == 303
    path = project / "content" / "wall-sit.yaml"
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN  # saved unchanged: not a byte differs
    fields = [(k, "Slide down slowly until your knees are bent." if k == "instructions.1" else v) for k, v in fields]
    changed = post_fields(client, "/exercises/save", fields + [("op", "save")], follow_redirects=False)
    assert changed.status_code == 303
    text = path.read_text(encoding="utf-8")
    assert "- Slide down slowly until your knees are bent.\n" in text
    for kept in ("# Wall sit: written by hand at the clinic.", "title: Wall Sit   # keep it short",
                 "targets: [quadriceps, glutes]", "# the start", "author: Kim   # not a field: kept", "  - |\n"):
        assert kept in text, kept
    assert len(text.splitlines()) == len(HAND_WRITTEN.splitlines())


def test_a_file_changed_on_disk_since_the_page_opened_is_not_overwritten(project):
    client = client_for(project)
    fields = editor_fields(client.get("/exercises/wall-sit/edit").text)
    path = project / "content" / "wall-sit.yaml"
    path.write_text(HAND_WRITTEN.replace("Kim", "Lee"), encoding="utf-8")  # someone's editor, meanwhile
    fields = [(k, "Wall Sit, changed" if k == "title" else v) for k, v in fields]
    refused = post_fields(client, "/exercises/save", fields + [("op", "save")])
    assert refused.status_code == 409
    assert "Not saved: this exercise's file was changed" in refused.text
    assert 'value="Wall Sit, changed"' in refused.text  # the changes are kept in the form
    assert "Lee" in path.read_text(encoding="utf-8") and "changed" not in path.read_text(encoding="utf-8")


def test_the_list_buttons_work_without_javascript_and_write_nothing(project):
    client = client_for(project)
    fields = editor_fields(client.get("/exercises/wall-sit/edit").text)
    before = (project / "content" / "wall-sit.yaml").read_bytes()
    moved = post_fields(client, "/exercises/save", fields + [("op", "up:instructions.1")])
    assert moved.status_code == 200
    steps = [v for k, v in editor_fields(moved.text) if k.startswith("instructions.")]
    assert steps[:2] == ["Slide down until your knees are bent.", "Stand with your back flat against a wall."]
    assert re.search(r'id="f-instructions\.0"[^>]*autofocus', moved.text)  # the focus follows the step
    added = post_fields(client, "/exercises/save", editor_fields(moved.text) + [("op", "add:faq")])
    assert 'name="faq.0.question"' in added.text
    removed = post_fields(client, "/exercises/save", editor_fields(added.text) + [("op", "remove:tips.0")])
    assert 'name="tips.0"' not in removed.text.split('id="template-tips"')[0]
    assert (project / "content" / "wall-sit.yaml").read_bytes() == before


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_preview_is_the_handout_as_it_would_print_and_writes_nothing(project):
    from PIL import Image
    import base64
    import io

    client = client_for(project)
    token = token_of(client.get("/exercises/new").text)
    before = _tree(project)
    long = [(f"description.{i}", "A paragraph of optional reading that goes on for a while. " * 12)
            for i in range(8)]
    answer = post_fields(client, "/exercises/preview", new_fields(token) + long)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    made = answer.json()
    assert made["png"].startswith("data:image/png;base64,")
    picture = Image.open(io.BytesIO(base64.b64decode(made["png"].split(",", 1)[1])))
    assert picture.size == (600, 776)  # the build's preview size, on Letter
    assert made["facts"][0].startswith("Printed at ") and " pt" in made["facts"][0]
    assert any(re.fullmatch(r"\d of 8 description paragraphs left out to fit the page", f) for f in made["facts"])
    assert _tree(project) == before  # nothing in output/ or content/
    broken = post_fields(client, "/exercises/preview", new_fields(token, title="", video="nope")).json()
    assert broken["png"] is None
    assert "Title: missing (every exercise needs the exercise's name)" in broken["problems"]
    assert any(p.startswith("Video address: 'nope' is not a web address") for p in broken["problems"])
    no_js = post_fields(client, "/exercises/save", new_fields(token, op="preview"))
    assert no_js.status_code == 200 and 'src="data:image/png;base64,' in no_js.text and "Printed at" in no_js.text


def test_a_picture_is_uploaded_under_assets_and_shown(project):
    client = client_for(project)
    token = token_of(client.get("/exercises/wall-sit/edit").text)
    answer = client.post("/exercises/upload", data={"csrf_token": token, "opened": "wall-sit"},
                         files={"file": ("../../Start Position.JPG", jpeg(), "image/jpeg")})
    assert answer.status_code == 200, answer.text
    stored = answer.json()
    assert stored["file"] == "wall-sit/start-position.jpg"  # the name's last part, made safe
    assert (project / "assets" / "wall-sit" / "start-position.jpg").read_bytes() == jpeg()
    shown = client.get(stored["url"])
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    from test_jpeg_metadata import SECRETS, pixels, tagged

    (project / "assets" / "wall-sit" / "phone.jpg").write_bytes(tagged())  # its GPS never leaves this computer
    shown = client.get("/pictures/wall-sit/phone.jpg")
    assert shown.status_code == 200 and not any(secret in shown.content for secret in SECRETS)
    assert pixels(shown.content) == pixels(tagged())
    for outside in ("/pictures/../clinic.yaml", "/pictures/%2e%2e/content/wall-sit.yaml", "/pictures/nothing.png",
                    "/pictures/wall-sit/..%2f..%2fcontent%2fwall-sit.yaml"):
        assert client.get(outside).status_code == 404, outside
    new = client.post("/exercises/upload", data={"csrf_token": token, "title": "Heel Raise"},
                      files={"file": ("raise.png", png(), "image/png")})
    assert new.json()["file"] == "heel-raise/raise.png"  # a new exercise's: the folder its title names
    nameless = client.post("/exercises/upload", data={"csrf_token": token},
                           files={"file": ("a.png", png(), "image/png")})
    assert nameless.status_code == 422 and "title first" in nameless.json()["error"]


@pytest.mark.parametrize("name, data, says", [
    ("notes.png", b"This is not a picture at all.\n" * 20, "not a picture that can be read"),
    ("bomb.png", bomb(), "too many pixels"),
    ("empty.jpg", b"", "the file is empty"),
])
def test_an_upload_that_is_not_a_printable_picture_is_refused_with_a_sentence(project, name, data, says):
    client = client_for(project)
    token = token_of(client.get("/exercises/wall-sit/edit").text)
    answer = client.post("/exercises/upload", data={"csrf_token": token, "opened": "wall-sit"},
                         files={"file": (name, data, "image/png")})
    assert answer.status_code == 422 and says in answer.json()["error"]
    assert not (project / "assets" / "wall-sit").exists()


def test_an_oversize_upload_is_refused_before_it_is_read(project):
    from handouts.web.exercise_pages import PICTURE_BODIES

    client = client_for(project)
    token = token_of(client.get("/exercises/wall-sit/edit").text)
    too_big = png() + b"\0" * PICTURE_BODIES["/exercises/upload"]
    answer = client.post("/exercises/upload", data={"csrf_token": token, "opened": "wall-sit"},
                         files={"file": ("huge.png", too_big, "image/png")})
    assert answer.status_code == 413
    from handouts.web.exercise_pages import UPLOAD_BYTES

    just_over = client.post("/exercises/upload", data={"csrf_token": token, "opened": "wall-sit"},
                            files={"file": ("big.png", png() + b"\0" * UPLOAD_BYTES, "image/png")})
    assert just_over.status_code == 422 and "over 25 MB" in just_over.json()["error"]
    assert not (project / "assets" / "wall-sit").exists()


def test_without_javascript_a_picture_is_uploaded_with_the_form(project):
    client = client_for(project)
    page = client.get("/exercises/wall-sit/edit")
    fields = dict(editor_fields(page.text))
    fields.pop("images.0.upload", None)
    fields.pop("images.1.upload", None)
    fields["images.0.caption"] = "Back to the wall"
    answer = client.post("/exercises/save", data={**fields, "op": "upload:0"},
                         files={"images.0.upload": ("wall.png", png(), "image/png"),
                                "images.1.upload": ("bomb.png", bomb(), "image/png")})
    assert answer.status_code == 422  # the second was refused, and said so beside its field
    assert "too many pixels" in " ".join(message_beside(answer.text, "images.1.upload"))
    fields = dict(editor_fields(answer.text))
    assert fields["images.0.file"] == "wall-sit/wall.png" and fields["images.0.caption"] == "Back to the wall"
    saved = client.post("/exercises/save", data={**fields, "op": "save"}, follow_redirects=False)
    assert saved.status_code == 303
    data = yaml.safe_load((project / "content" / "wall-sit.yaml").read_text(encoding="utf-8"))
    assert data["images"] == [{"file": "wall-sit/wall.png", "caption": "Back to the wall"}]


def test_a_pasted_text_fills_the_form_to_review_before_saving(project):
    client = client_for(project)
    token = token_of(client.get("/exercises/new").text)
    text = ("Bridge\n\nLie on your back and lift your hips.\n\nInstructions\n1. Bend your knees.\n"
            "2. Lift your hips.\n3. Lower slowly.\n\nTips\n- Breathe out as you lift.\n\n"
            "Caution: Stop if your back hurts.\n\nQ: How often?\nA: Twice a day.\n")
    filled = post_fields(client, "/exercises/import", [("csrf_token", token), ("text", text)])
    assert filled.status_code == 200 and "The pasted text filled in the form below" in filled.text
    fields = dict(editor_fields(filled.text))
    assert fields["title"] == "Bridge" and fields["instructions.2"] == "Lower slowly."
    assert fields["caution"] == "Stop if your back hurts." and fields["faq.0.answer"] == "Twice a day."
    assert not (project / "content" / "bridge.yaml").exists()  # nothing written until saved
    empty = post_fields(client, "/exercises/import", [("csrf_token", token), ("text", "   ")])
    assert empty.status_code == 422 and "paste an exercise" in empty.text
    (project / "content" / "bridge.yaml").write_text("title: Bridge\ninstructions: [Lift.]\n", encoding="utf-8")
    again = post_fields(client, "/exercises/import", [("csrf_token", token), ("text", text)])
    assert "The library already has content/bridge.yaml, probably this exercise" in again.text  # a trial's duplicate


def test_a_rename_shows_the_programs_it_changes_then_changes_them(project):
    client = client_for(project)
    page = client.get(f"/exercises/{KNEE}/edit").text
    token, digest = token_of(page), re.search(r'name="digest" value="([^"]+)"', page).group(1)
    asked = post_fields(client, f"/exercises/{KNEE}/rename",
                        [("csrf_token", token), ("digest", digest), ("new_id", "knee-extension")])
    assert asked.status_code == 200
    assert '<li>Jane Doe <span class="muted">(programs/jane-doe.yaml)</span></li>' in asked.text
    assert (project / "content" / f"{KNEE}.yaml").exists()  # nothing yet
    done = post_fields(client, f"/exercises/{KNEE}/rename", [("csrf_token", token), ("digest", digest),
                                                               ("new_id", "knee-extension"), ("confirm", "1")],
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/exercises/knee-extension/edit?done=renamed"
    assert (project / "content" / "knee-extension.yaml").exists()
    assert not (project / "content" / f"{KNEE}.yaml").exists()
    assert "- id: knee-extension   # her knee" in (project / "programs" / "jane-doe.yaml").read_text(encoding="utf-8")
    taken = post_fields(client, "/exercises/knee-extension/rename", [("csrf_token", token), ("digest", digest),
                                                                      ("new_id", "wall-sit"), ("confirm", "1")])
    assert taken.status_code == 422 and "there is an exercise &#39;wall-sit&#39; already" in taken.text


def test_a_rename_a_program_would_block_is_refused_before_the_button_not_after(project):
    (project / "programs" / "broken.yaml").write_text(f"client: Kim\nexercises: [{KNEE}\n", encoding="utf-8")
    client = client_for(project)
    page = client.get(f"/exercises/{KNEE}/edit").text
    token, digest = token_of(page), re.search(r'name="digest" value="([^"]+)"', page).group(1)
    asked = post_fields(client, f"/exercises/{KNEE}/rename",
                        [("csrf_token", token), ("digest", digest), ("new_id", "knee-extension")])
    assert asked.status_code == 409 and "programs/broken.yaml cannot be read" in asked.text
    assert 'name="confirm"' not in asked.text  # no button offering what cannot be done
    assert (project / "content" / f"{KNEE}.yaml").exists()


def test_a_delete_is_refused_while_programs_use_it_and_asks_first_otherwise(project):
    client = client_for(project)
    page = client.get(f"/exercises/{KNEE}/edit").text
    token = token_of(page)
    refused = post_fields(client, f"/exercises/{KNEE}/delete", [("csrf_token", token), ("confirm", "1")])
    assert refused.status_code == 409 and "still uses it" in refused.text
    named = '<a href="/programs/jane-doe">Jane Doe</a> <span class="muted">(programs/jane-doe.yaml)</span>'
    assert named in refused.text
    assert (project / "content" / f"{KNEE}.yaml").exists()
    asked = post_fields(client, "/exercises/wall-sit/delete", [("csrf_token", token)])
    assert asked.status_code == 200 and "Delete it" in asked.text and (project / "content" / "wall-sit.yaml").exists()
    done = post_fields(client, "/exercises/wall-sit/delete", [("csrf_token", token), ("confirm", "1")],
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/?deleted=wall-sit"
    assert not (project / "content" / "wall-sit.yaml").exists()
    assert "Deleted content/wall-sit.yaml" in client.get(done.headers["location"]).text
    assert "Deleted" not in client.get(f"/?deleted={SEED}").text  # a link cannot announce what did not happen


def test_a_file_with_mistakes_opens_with_them_beside_their_fields(project):
    (project / "content" / "broken.yaml").write_text("title: Broken\ninstructions: []\nvideo: not a link\n"
                                                     "cautoin: Careful\n", encoding="utf-8")
    client = client_for(project)
    page = client.get("/exercises/broken/edit")
    assert page.status_code == 200
    assert "This exercise's file has" in page.text
    assert message_beside(page.text, "video") and ">Careful</textarea>" in page.text  # the slip read as caution
    assert 'href="/exercises/broken/edit"' in client.get("/exercises/broken").text
    (project / "content" / "no-yaml.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert client.get("/exercises/no-yaml/edit").status_code == 422
    assert client.get("/exercises/nothing-here/edit").status_code == 404
    assert client.get("/exercises/..%2fclinic/edit").status_code == 404


@pytest.mark.parametrize("path", ["/exercises/save", "/exercises/preview", "/exercises/upload", "/exercises/import",
                                  f"/exercises/{KNEE}/rename", f"/exercises/{KNEE}/delete"])
def test_every_editor_post_needs_the_form_token_and_this_sites_origin(project, path):
    client = client_for(project)
    token = token_of(client.get("/exercises/new").text)
    assert post_fields(client, path, new_fields("forged")).status_code == 403
    from urllib.parse import urlencode

    elsewhere = client.post(path, content=urlencode(new_fields(token)), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Origin": "https://evil.example"})
    assert elsewhere.status_code == 403
    assert not (project / "content" / "chair-squat.yaml").exists()


def test_a_text_far_too_long_is_refused_with_its_real_length_and_comes_back_whole(project):
    """A fresh user's trial pasted a 49,499-character step: the message said 6000 and the form came
    back holding the first 6,000 characters, the rest lost."""
    client = client_for(project)
    token = token_of(client.get("/exercises/new").text)
    step = "Lift the leg slowly. " * 2357  # 49,497 characters
    refused = post_fields(client, "/exercises/save", new_fields(token, **{"instructions.1": step}))
    assert refused.status_code == 422
    assert f"{len(step.strip())} characters long" in " ".join(message_beside(refused.text, "instructions.1"))
    assert step.strip() in html.unescape(refused.text)
    assert not (project / "content" / "chair-squat.yaml").exists()
