"""The programs pages over HTTP: the list, making and changing a program, the messages beside the
fields, two desks saving the same program, its PDF, and emailing it (a draft, and through a real
SMTP server)."""

from __future__ import annotations

import email
import email.policy
import io
import re
import stat
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import SEED
from web_library import PROGRAM, client_for, desk_project, token_of

KNEE, BRIDGE = "seated-knee-extension", "spanish-bridge"


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    project = desk_project(tmp_path, programs={
        "jane-doe": PROGRAM, "older": "client: Old Client\ndate: 2025-01-02\nexercises: [seated-knee-extension]\n"})
    monkeypatch.chdir(project)
    return project


def program_fields(token: str, **more) -> list[tuple[str, str]]:
    """A program form as the browser posts it: three exercises, each with a dose."""
    fields = [("csrf_token", token), ("name", more.pop("name", "")), ("version", more.pop("version", "")),
              ("client", more.pop("client", "Begoña Núñez")), ("email", more.pop("email", "begona@example.es")),
              ("first_name", ""), ("clinician", "Alex Kim, PT"), ("date", more.pop("date", "2026-12-01")),
              ("language", ""), ("notes", more.pop("notes", "Gently."))]
    rows = more.pop("rows", [(SEED, "2", "", "30 s"), (KNEE, "3", "10", ""), (BRIDGE, "", "12", "")])
    for exercise_id, sets, reps, hold in rows:
        fields += [("ex_id", exercise_id), ("ex_sets", sets), ("ex_reps", reps), ("ex_hold", hold), ("ex_rest", ""),
                   ("ex_frequency", "daily"), ("ex_side", ""), ("ex_notes", "")]
    fields += list(more.items())
    return fields


def post(client, fields, **kwargs):
    return client.post("/programs/save", content="&".join(f"{k}={_q(v)}" for k, v in fields),
                       headers={"Content-Type": "application/x-www-form-urlencoded"}, **kwargs)


def _q(value: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(value)


def test_the_list_is_newest_first_and_searchable(project):
    client = client_for(project)
    page = client.get("/programs").text
    assert page.index("Jane Doe") < page.index("Old Client")
    assert 'href="/programs/jane-doe"' in page
    found = client.get("/programs", params={"q": "old"}).text
    assert "Old Client" in found and "Jane Doe" not in found


def test_a_new_program_is_saved_as_a_tidy_file_the_command_line_builds(project):
    from handouts.content.program import load_program

    client = client_for(project)
    new = client.get("/programs/new")
    assert new.status_code == 200 and 'name="client"' in new.text
    saved = post(client, program_fields(token_of(new.text)), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/programs/begona-nunez?saved=1"
    path = project / "programs" / "begona-nunez.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # client data
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["client"] == "Begoña Núñez" and [e["id"] for e in data["exercises"]] == [SEED, KNEE, BRIDGE]
    assert data["exercises"][0]["dose"]["sets"] == 2 and data["exercises"][0]["dose"]["hold"] == "30 s"
    program, warnings = load_program(path, [SEED, KNEE, BRIDGE])
    assert [item.exercise_id for item in program.items] == [SEED, KNEE, BRIDGE]
    page = client.get(saved.headers["location"]).text
    assert "Saved as programs/begona-nunez.yaml" in page and "Open the PDF to print" in page


def test_mistakes_are_shown_beside_their_fields_and_nothing_is_written(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    page = post(client, program_fields(token, email="not an address", date="2026-02-30",
                                       rows=[(SEED, "two", "", ""), ("no-such-exercise", "", "", "")]))
    assert page.status_code == 422 and "Not saved" in page.text
    html = page.text
    assert re.search(r'id="m-email">[^<]+</p>', html), "the email's message is beside it"
    assert re.search(r'id="m-date">[^<]*2026-02-30', html)
    assert "no exercise &#39;no-such-exercise&#39; in the library" in html or "no exercise 'no-such-exercise'" in html
    assert 'value="not an address"' in html  # what was typed is kept
    assert not list((project / "programs").glob("begona*"))


def test_no_exercises_and_no_client_are_said(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    page = post(client, program_fields(token, client="", rows=[]))
    assert page.status_code == 422
    assert 'id="m-client"' in page.text and "exercise" in page.text.lower()


def test_two_desks_saving_the_same_program_do_not_lose_a_change_silently(project):
    first, second = client_for(project), client_for(project)
    page = first.get("/programs/jane-doe").text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    second_page = second.get("/programs/jane-doe").text
    assert f'value="{version}"' in second_page
    ok = post(second, program_fields(token_of(second_page), name="jane-doe", version=version, client="Jane Doe",
                                     notes="Second desk's note."), follow_redirects=False)
    assert ok.status_code == 303
    after_second = (project / "programs" / "jane-doe.yaml").read_text(encoding="utf-8")
    clash = post(first, program_fields(token_of(page), name="jane-doe", version=version, client="Jane Doe",
                                       notes="First desk's note."))
    assert clash.status_code == 409 and "changed by someone else" in clash.text
    assert "First desk&#39;s note." in clash.text or "First desk's note." in clash.text  # the form keeps it
    assert (project / "programs" / "jane-doe.yaml").read_text(encoding="utf-8") == after_second


def test_markup_typed_by_a_user_is_shown_as_text(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    post(client, program_fields(token, client="<script>alert(1)</script>", notes="<b>bold</b> & <i>x</i>"))
    listed = client.get("/programs").text
    assert "<script>alert(1)" not in listed and "&lt;script&gt;alert(1)&lt;/script&gt;" in listed
    name = next(p.stem for p in (project / "programs").glob("*.yaml") if p.stem not in ("jane-doe", "older"))
    page = client.get(f"/programs/{name}").text
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in page


def test_save_and_open_gives_the_program_pdf_with_the_clients_name_and_dose(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    saved = post(client, program_fields(token, then="open"), follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/programs/begona-nunez/program.pdf"
    pdf = client.get(saved.headers["location"])
    assert pdf.status_code == 200 and pdf.headers["content-disposition"].startswith("inline")
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Begoña Núñez" in text and "30 s" in text and len(reader.pages) >= 4
    email_edition = client.get("/programs/begona-nunez/program.pdf", params={"edition": "email"})
    assert email_edition.status_code == 200 and "/Duplex" not in email_edition.content.decode("latin-1")
    assert client.get("/programs/begona-nunez/program.pdf", params={"edition": "fax"}).status_code == 404
    assert client.get("/programs/nobody/program.pdf").status_code == 404


def test_a_program_with_mistakes_on_disk_says_so_when_built(project):
    (project / "programs" / "broken.yaml").write_text("client: X\nexercises: [no-such-one]\n", encoding="utf-8")
    page = client_for(project).get("/programs/broken/program.pdf")
    assert page.status_code == 422 and "broken.yaml:2" in page.text


def test_an_email_draft_downloads_as_a_message_with_the_pdf(project):
    client = client_for(project)
    token = token_of(client.get("/programs/jane-doe").text)
    for edition in ("email", "print"):
        draft = client.post("/programs/jane-doe/draft", data={"csrf_token": token, "edition": edition})
        assert draft.status_code == 200 and draft.headers["content-type"].startswith("message/rfc822")
        assert draft.headers["content-disposition"] == \
            'attachment; filename="jane-doe.eml"; filename*=UTF-8\'\'jane-doe.eml'
        message = email.message_from_bytes(draft.content, policy=email.policy.default)
        assert message["To"].addresses[0].addr_spec == "jane.doe@example.com"
        attachment = next(message.iter_attachments())
        assert attachment.get_filename() == "jane-doe.pdf"
        duplex = b"/Duplex" in attachment.get_content()
        assert duplex == (edition == "print")


def test_a_draft_for_a_program_without_an_address_says_why(project):
    client = client_for(project)
    token = token_of(client.get("/programs/older").text)
    assert "Download an email draft</button>" in client.get("/programs/older").text
    page = client.post("/programs/older/draft", data={"csrf_token": token, "edition": "email"})
    assert page.status_code == 422 and "no address to send it to" in page.text


@pytest.mark.slow
def test_send_goes_through_the_clinics_server_once(tmp_path, monkeypatch):
    from smtp_server import PASSWORD, start

    mail_server, controller = start(tmp_path)
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(mail_server.ca_file))
        monkeypatch.setenv("RIVERSIDE_SMTP_PASSWORD", PASSWORD)
        project = desk_project(tmp_path, clinic="name: Riverside\n" + mail_server.clinic_block())
        monkeypatch.chdir(project)
        client = client_for(project)
        page = client.get("/programs/jane-doe").text
        assert "Send it…" in page
        confirm = client.get("/programs/jane-doe/send", params={"edition": "email"})
        assert "jane.doe@example.com" in confirm.text and "127.0.0.1" in confirm.text
        token = token_of(confirm.text)
        sent = client.post("/programs/jane-doe/send", data={"csrf_token": token, "edition": "email"})
        assert sent.status_code == 200 and "Sent to jane.doe@example.com" in sent.text
        assert len(mail_server.handler.received) == 1
        again = client.post("/programs/jane-doe/send", data={"csrf_token": token, "edition": "email"})
        assert "Not sent again" in again.text and len(mail_server.handler.received) == 1
        resent = client.post("/programs/jane-doe/send", data={"csrf_token": token, "edition": "email", "resend": "on"})
        assert "Sent to" in resent.text and len(mail_server.handler.received) == 2
    finally:
        controller.stop()


def test_opening_a_program_and_saving_it_unchanged_keeps_what_it_says(project):
    """What the page shows is what it saves: a timestamp's day, a language in capitals, a note of
    several lines and a dose all mean the same after a save."""
    from handouts.content.program import load_program
    from web_library import form_fields, post_fields

    (project / "programs" / "kept.yaml").write_text(
        "client: Kept Client\ndate: 2026-11-25 10:30:00\nlanguage: ES\nlarge_print: true\n"
        "notes: |\n  First line.\n  Second line.\nexercises:\n"
        f"  - id: {SEED}\n    notes: |\n      Keep your back flat.\n      Breathe out.\n"
        f"  - id: {KNEE}\n    dose: {{sets: 2, reps: 12}}\n", encoding="utf-8")
    known = [SEED, KNEE, BRIDGE]
    before, _ = load_program(project / "programs" / "kept.yaml", known)
    client = client_for(project)
    page = client.get("/programs/kept").text
    assert 'type="date" value="2026-11-25"' in page and '<option value="es" selected>' in page
    saved = post_fields(client, "/programs/save", form_fields(page, "program-form"), follow_redirects=False)
    assert saved.status_code == 303, saved.text
    after, _ = load_program(project / "programs" / "kept.yaml", known)
    assert (after.client, after.date, after.language, after.large_print, after.notes) == \
        (before.client, before.date, before.language, before.large_print, before.notes)
    assert [(i.exercise_id, i.dose, i.cleared, i.notes) for i in after.items] == \
        [(i.exercise_id, i.dose, i.cleared, i.notes) for i in before.items]


def test_a_draft_for_a_client_named_in_greek_downloads(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    post(client, program_fields(token, client="Ελένη Παππά", email="eleni@example.gr"))
    name = "ελενη-παππα"
    token = token_of(client.get(f"/programs/{name}").text)
    draft = client.post(f"/programs/{name}/draft", data={"csrf_token": token, "edition": "email"})
    assert draft.status_code == 200
    assert "filename*=UTF-8''%CE%B5%CE%BB" in draft.headers["content-disposition"]


@pytest.mark.parametrize("change, key, said", [
    ({"rows": [(SEED, "9" * 4301, "", "")]}, "ex-0-sets", "sets"),
    ({"client": "王小明"}, "client", "Chinese text cannot be printed"),
    ({"client": "", "email": "", "date": "", "notes": "", "rows": []}, "client", "missing"),
])
def test_what_cannot_be_saved_or_printed_is_said_beside_its_field(project, change, key, said):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    page = post(client, program_fields(token, **change))
    assert page.status_code == 422 and "Traceback" not in page.text
    field = "client" if key == "client" else None
    if field:
        assert re.search(rf'id="m-{field}">[^<]*{said}', page.text), page.text[:3000]
    else:
        assert said in page.text
    assert sorted(p.stem for p in (project / "programs").glob("*.yaml")) == ["jane-doe", "older"]


def test_a_very_long_name_in_a_wide_script_still_makes_a_file_name(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    saved = post(client, program_fields(token, client="𠀀" * 70), follow_redirects=False)
    assert saved.status_code in (303, 422) and "Traceback" not in saved.text
    for path in (project / "programs").glob("*.yaml"):
        assert len(path.name.encode("utf-8")) <= 255


def test_control_characters_typed_or_pasted_are_dropped(project):
    client = client_for(project)
    token = token_of(client.get("/programs/new").text)
    post(client, program_fields(token, client="Nul\x00Byte \x1b[31mRed\x07"))
    listed = client.get("/programs").text
    assert "\x00" not in listed and "\x1b" not in listed and "NulByte [31mRed" in listed


def test_a_hand_edited_file_with_mistakes_opens_with_them_beside_the_fields(project):
    (project / "programs" / "edited.yaml").write_text(
        f"client: Edited\nemail: nope\ndate: tomorrow\ncolour: blue\nexercises:\n  - id: {SEED}\n"
        "  - id: no-such-exercise\n", encoding="utf-8")
    page = client_for(project).get("/programs/edited").text
    assert "This program&#39;s file has" in page or "This program's file has" in page
    assert re.search(r'id="m-email">[^<]+', page) and re.search(r'id="m-date">[^<]*tomorrow', page)
    assert "colour" in page  # a key of no field: said, since a save drops it
    warned = client_for(project)
    (project / "programs" / "odd.yaml").write_text(f"client: Odd\ncolour: blue\nexercises: [{SEED}]\n",
                                                    encoding="utf-8")
    odd = warned.get("/programs/odd").text
    assert "colour" in odd and "Open the PDF to print" in odd  # a warning: it still prints
    assert "Open the PDF to print" not in page


def test_a_program_removed_while_open_is_not_saved_over_silently(project):
    client = client_for(project)
    page = client.get("/programs/jane-doe").text
    version = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    (project / "programs" / "jane-doe.yaml").unlink()
    clash = post(client, program_fields(token_of(page), name="jane-doe", version=version, client="Jane Doe"))
    assert clash.status_code == 409 and 'value="Jane Doe"' in clash.text


def test_a_broken_exercises_last_handout_is_not_served(project):
    from web_library import client_for as fresh

    client = fresh(project)
    assert client.get(f"/exercises/{KNEE}/handout.pdf").status_code == 200
    path = project / "content" / f"{KNEE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1), encoding="utf-8")
    stale = client.get(f"/exercises/{KNEE}/handout.pdf")
    assert stale.status_code == 422 and "titel" in stale.text


def test_a_program_file_too_deep_to_read_is_listed_not_fatal(project):
    (project / "programs" / "deep.yaml").write_text("client: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    listed = client_for(project).get("/programs")
    assert listed.status_code == 200 and "programs/deep.yaml" in listed.text
