"""``handouts email`` without ``--send``: a draft per recipient, ``output/email/<name>.eml``,
read back with the ``email`` package and with ``mailbox``; what the HTML part holds for a
screen-reader user; a single handout with ``--to``; and every mistake as one located line.
"""

from __future__ import annotations

import email
import mailbox
from html.parser import HTMLParser
import stat
from email import policy
from pathlib import Path

import pytest

from conftest import EXERCISE_FILES, SEED
from handouts.cli import main
from mail_library import mail_project

JANE = f"""\
client: Jane Doe
email: jane.doe@example.com
clinician: Alex Kim, PT
date: 2026-11-25
exercises:
  - id: {SEED}
    dose: {{sets: 2, reps: 3}}
  - id: seated-knee-extension
"""
CLINIC = """\
name: Riverside Physiotherapy
email:
  address: front-desk@riverside.example
  subject: {en: "Exercises for {first_name}, from {clinician}", es: "Ejercicios para {first_name}"}
  message: "Hi {first_name},\\n\\nas agreed on {date}."
"""


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    return mail_project(tmp_path, CLINIC, {"jane": JANE})


def _email(project: Path, *args: str) -> int:
    return main(["email", *args, "--content", str(project / "content")])


def test_a_draft_is_a_standard_message_that_mailbox_and_email_both_read(project, capsys):
    assert _email(project, str(project / "programs/jane.yaml")) == 0
    out, err = capsys.readouterr()
    assert "draft " in out and "jane.eml: to Jane Doe <jane.doe@example.com>, jane.pdf (" in out, out + err
    assert "1 draft in " in out
    draft = project / "output/email/jane.eml"
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    raw = draft.read_bytes()
    assert b"\r\n" in raw and raw.isascii()  # CRLF, and 7-bit clean on any transport
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["X-Unsent"] == "1" and message["Subject"] == "Exercises for Jane, from Alex Kim, PT"
    assert message["To"].addresses[0].addr_spec == "jane.doe@example.com"
    assert message.get_content_type() == "multipart/mixed" and message["Content-Language"] == "en"
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/mixed", "multipart/alternative", "text/plain", "text/html", "application/pdf"]
    plain = message.get_body(("plain",)).get_content().replace("\r\n", "\n")  # CRLF in the file, as on the wire
    assert plain.startswith("Hi Jane,\n\nas agreed on November 25, 2026.")
    (pdf,) = message.iter_attachments()
    assert pdf.get_content() == (project / "output/email/programs/jane.pdf").read_bytes()
    assert pdf.get_content().startswith(b"%PDF-")

    box = mailbox.mbox(str(project.parent / "test.mbox"))
    box.add(mailbox.mboxMessage(raw))
    box.flush()
    (again,) = list(mailbox.mbox(str(project.parent / "test.mbox")))
    assert again["Message-ID"] == message["Message-ID"] and again.is_multipart()


def test_the_html_part_reads_on_its_own(project, capsys):
    assert _email(project, str(project / "programs/jane.yaml")) == 0
    message = email.message_from_bytes((project / "output/email/jane.eml").read_bytes(), policy=policy.default)
    html = message.get_body(("html",)).get_content()
    class Outline(HTMLParser):
        def __init__(self):
            super().__init__()
            self.tags: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
            if tag in ("img", "link", "script", "iframe"):
                raise AssertionError(f"<{tag}> loads something: {attrs}")

    outline = Outline()
    outline.feed(html)
    headings = [t for t in outline.tags if t in ("h1", "h2", "h3", "h4")]
    assert headings[:3] == ["h1", "h2", "h3"]  # nested in order, none skipped
    assert outline.tags.count("ol") == 3  # the exercises, and each one's steps
    assert '<html lang="en">' in html and "<title>" in html
    seed = EXERCISE_FILES[SEED].read_text(encoding="utf-8")
    assert "Reclining Lower Trunk Extensor Stretch" in html and "Sets: 2; Reps: 3" in html
    assert seed.count("\n  - ") >= 1


def test_one_handout_goes_to_the_address_given(project, capsys):
    assert _email(project, str(project / f"content/{SEED}.yaml"), "--to", "Bob@Example.org") == 0
    out, _ = capsys.readouterr()
    draft = project / f"output/email/handout-{SEED}.eml"
    message = email.message_from_bytes(draft.read_bytes(), policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "Bob@example.org"
    assert message["Subject"] == "Your exercise: Reclining Lower Trunk Extensor Stretch"
    (pdf,) = message.iter_attachments()
    assert pdf.get_filename() == f"{SEED}.pdf"
    assert pdf.get_content() == (project / f"output/email/handouts/{SEED}.pdf").read_bytes()


@pytest.mark.parametrize(("args", "expected", "status"), [
    (["content/{seed}.yaml"], "is a content file: give the address to send its handout to with --to ADDRESS", 2),
    (["programs/jane.yaml", "--to", "jane@example"], "--to: 'jane@example' is not an email address", 2),
    (["programs/jane.yaml", "content/{seed}.yaml", "--to", "a@example.com"], "--to sends one file", 2),
    (["programs/jane.yaml", "--yes"], "--yes and --resend go with --send", 2),
])
def test_a_mistake_on_the_command_line_is_one_line(project, capsys, args, expected, status):
    args = [str(project / a.format(seed=SEED)) if "/" in a else a for a in args]
    assert _email(project, *args) == status
    _, err = capsys.readouterr()
    assert expected in err and len(err.strip().splitlines()) == 1, err


def test_a_program_with_no_address_or_a_wrong_one_fails_alone(project, capsys):
    (project / "programs/nobody.yaml").write_text(JANE.replace("email: jane.doe@example.com\n", ""))
    (project / "programs/typo.yaml").write_text(JANE.replace("jane.doe@example.com", "jane.doe@example"))
    files = [str(project / f"programs/{n}.yaml") for n in ("jane", "nobody", "typo")]
    assert _email(project, *files) == 1
    out, err = capsys.readouterr()
    assert "programs/nobody.yaml:1: email: no address to send it to: add email: with the client's address, " \
           "or give --to" in err
    assert "programs/typo.yaml:2: email: 'jane.doe@example' is not an email address" in err
    assert (project / "output/email/jane.eml").is_file()
    assert not (project / "output/email/nobody.eml").exists() and not (project / "output/email/typo.eml").exists()
    assert "1 draft in " in err and "2 failed" in err


def test_an_attachment_over_the_limit_is_not_drafted_and_says_why(project, capsys, monkeypatch):
    monkeypatch.setattr("handouts.mail.letters.ATTACHMENT_LIMIT_BYTES", 10_000)
    assert _email(project, str(project / "programs/jane.yaml")) == 1
    _, err = capsys.readouterr()
    assert "jane.yaml: its PDF is 0.1 MB, more than most mail servers take (a message of 10 MB); not drafted" in err
    assert not (project / "output/email/jane.eml").exists()
