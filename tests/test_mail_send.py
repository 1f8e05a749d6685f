"""``handouts email --send`` against a real SMTP server on 127.0.0.1 (aiosmtpd, STARTTLS with a
throw-away certificate, a user name and password), and the messages it received parsed back
with the standard library's ``email`` package: headers, both body parts, the attachment's
bytes, a Spanish client's name, what is not sent twice, and every failure as one line.
"""

from __future__ import annotations

import email
import json
import os
import socket
import stat
from email import policy
from pathlib import Path

import pytest

from conftest import SEED
from handouts.cli import main
from mail_library import mail_project
from smtp_server import PASSWORD, USER, MailServer, start

pytestmark = pytest.mark.slow  # a real server, real TLS, a timeout that is waited out

JANE = f"""\
client: Jane Doe
email: jane.doe@example.com
clinician: Alex Kim, PT
date: 2026-11-25
notes: Start gently & stop if it <hurts>.
exercises:
  - id: {SEED}
    dose: {{sets: 2, reps: 3, hold: 30 s}}
    notes: Keep the sacrum heavy on the mat.
  - id: seated-knee-extension
"""
BEGONA = """\
client: Begoña Núñez
email: begona.nunez@example.es
language: es
date: 2026-11-26
exercises:
  - id: spanish-bridge
    dose: {sets: 3, reps: 10}
"""


@pytest.fixture
def server(tmp_path, monkeypatch):
    mail_server, controller = start(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(mail_server.ca_file))
    monkeypatch.setenv("RIVERSIDE_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    yield mail_server
    controller.stop()


def _project(tmp_path: Path, server: MailServer, programs: dict[str, str], **block) -> Path:
    return mail_project(tmp_path, "name: Riverside Physiotherapy\nphone: 555 0100\n" + server.clinic_block(**block),
                        programs)


def _email(project: Path, *args: str) -> int:
    return main(["email", *args, "--content", str(project / "content")])


def _program_files(project: Path) -> list[str]:
    return sorted(str(p) for p in (project / "programs").glob("*.yaml"))


def test_two_programs_are_delivered_once_each_with_their_pdf_and_both_parts(tmp_path, server, capsys):
    project = _project(tmp_path, server, {"jane": JANE, "begona": BEGONA})
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    out, err = capsys.readouterr()
    assert "2 sent, 0 sent before, 0 failed" in out, out + err
    assert len(server.handler.received) == 2 and server.handler.logins == [USER, USER]
    by_to = {r.recipients[0]: r.message for r in server.handler.received}
    jane, begona = by_to["jane.doe@example.com"], by_to["begona.nunez@example.es"]

    assert jane["From"].addresses[0].addr_spec == USER
    assert jane["From"].addresses[0].display_name == "Riverside Physiotherapy"
    assert str(jane["Reply-To"]) == "Riverside Physiotherapy <alex.kim@riverside.example>"
    assert jane["Subject"] == "Your home exercise program from Riverside Physiotherapy"
    assert jane["Message-ID"].endswith("@riverside.example>") and jane["Date"]
    assert jane["X-Unsent"] is None  # only the draft says so
    plain = jane.get_body(("plain",)).get_content()
    html = jane.get_body(("html",)).get_content()
    assert "Dear Jane," in plain and "Start gently & stop if it <hurts>." in plain
    assert "Start gently &amp; stop if it &lt;hurts&gt;." in html and "<hurts>" not in html
    assert '<html lang="en">' in html and "<h2" in html and html.count("<ol>") == 3  # the list, two exercises' steps
    assert "Sets: 2; Reps: 3; Hold: 30 s" in html and "<img" not in html and "http" not in html.split("<body", 1)[1]
    (attachment,) = list(jane.iter_attachments())
    assert attachment.get_filename() == "jane.pdf" and attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == (project / "output/email/programs/jane.pdf").read_bytes()

    assert str(begona["To"]) == "Begoña Núñez <begona.nunez@example.es>"
    assert "=?utf-8?" in begona.as_string(policy=policy.SMTP).split("\r\n\r\n")[0]  # encoded on the wire
    assert begona["Subject"] == "Su programa de ejercicios en casa de Riverside Physiotherapy"
    assert "Hola, Begoña:" in begona.get_body(("plain",)).get_content()
    assert '<html lang="es">' in begona.get_body(("html",)).get_content()
    assert "Series: 3; Repeticiones: 10" in begona.get_body(("html",)).get_content()

    log = [json.loads(line) for line in (project / "output/email/sent.jsonl").read_text().splitlines()]
    assert sorted(e["to"] for e in log) == ["begona.nunez@example.es", "jane.doe@example.com"]
    assert {e["item"] for e in log} == {"programs/jane.yaml", "programs/begona.yaml"}
    for path in [project / "output/email/sent.jsonl", *(project / "output/email").glob("*.eml")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path

    # again: nothing goes twice; a changed program goes again; --resend sends all
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    out, _ = capsys.readouterr()
    assert "0 sent, 2 sent before, 0 failed" in out and len(server.handler.received) == 2
    (project / "programs/jane.yaml").write_text(JANE.replace("reps: 3", "reps: 4"), encoding="utf-8")
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    out, _ = capsys.readouterr()
    assert "1 sent, 1 sent before, 0 failed" in out
    assert [r.recipients for r in server.handler.received[2:]] == [["jane.doe@example.com"]]
    assert _email(project, *_program_files(project), "--send", "--yes", "--resend") == 0
    assert len(server.handler.received) == 5


def test_the_password_appears_nowhere(tmp_path, server, capsys):
    project = _project(tmp_path, server, {"jane": JANE})
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    out, err = capsys.readouterr()
    assert PASSWORD not in out + err
    for path in project.rglob("*"):
        if path.is_file():
            assert PASSWORD.encode() not in path.read_bytes(), path
    assert all(PASSWORD.encode() not in r.data for r in server.handler.received)


def test_a_refused_recipient_and_a_slow_server_are_one_line_each_and_the_others_go(tmp_path, server, capsys):
    refused = JANE.replace("jane.doe@example.com", "refused@example.com")
    slow = JANE.replace("jane.doe@example.com", "slow@example.com")
    project = _project(tmp_path, server, {"a-refused": refused, "b-slow": slow, "c-jane": JANE}, timeout=1)
    assert _email(project, *_program_files(project), "--send", "--yes") == 1
    out, err = capsys.readouterr()
    lines = err.splitlines()
    assert any(line.startswith("Jane Doe <refused@example.com>: not sent: the server refused the address (550")
               for line in lines), err
    assert any(line.startswith("Jane Doe <slow@example.com>: not sent:") and "may have been delivered" in line
               for line in lines), err
    assert "sent to Jane Doe <jane.doe@example.com>" in out
    assert "1 sent, 0 sent before, 2 failed" in err
    log = [json.loads(line) for line in (project / "output/email/sent.jsonl").read_text().splitlines()]
    assert [(e["to"], e["confirmed"]) for e in log] == [("slow@example.com", False), ("jane.doe@example.com", True)]
    assert "Traceback" not in err


@pytest.mark.parametrize("case", ["down", "wrong password", "untrusted certificate", "silent server", "no password"])
def test_a_server_that_cannot_take_the_messages_is_one_line_per_recipient(tmp_path, server, capsys, monkeypatch,
                                                                        case):
    block = {}
    listener = None
    if case == "down":
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            block["port"] = s.getsockname()[1]  # closed again: nothing listens there
    elif case == "wrong password":
        monkeypatch.setenv("RIVERSIDE_SMTP_PASSWORD", "wrong")
    elif case == "untrusted certificate":
        monkeypatch.delenv("SSL_CERT_FILE")
    elif case == "silent server":  # takes the connection, never says a word
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(5)
        block.update(port=listener.getsockname()[1], timeout=1)
    elif case == "no password":
        monkeypatch.delenv("RIVERSIDE_SMTP_PASSWORD")
    project = _project(tmp_path, server, {"begona": BEGONA, "jane": JANE}, **block)
    try:
        assert _email(project, *_program_files(project), "--send", "--yes") == 1
    finally:
        if listener:
            listener.close()
    out, err = capsys.readouterr()
    assert "Traceback" not in err and not server.handler.received
    assert not (project / "output/email/sent.jsonl").exists()
    if case == "no password":
        assert "clinic.yaml:11: email, smtp, user: no password for front-desk@riverside.example: set the " \
               "environment variable RIVERSIDE_SMTP_PASSWORD" in err
        assert len(list((project / "output/email").glob("*.eml"))) == 2  # the drafts are there all the same
        return
    failures = [line for line in err.splitlines() if ": not sent: " in line]
    assert len(failures) == 2, err
    expected = {"down": "refused the connection", "wrong password": "refused the user name or password",
                "untrusted certificate": "could not be trusted", "silent server": "did not answer within 1 s"}[case]
    assert expected in failures[0], err
    # a failure of the server, not of one message: the others are not tried (a wrong password tried
    # for every client could lock the clinic's account)
    assert failures[1].endswith(": not sent: not tried after the server's failure above"), err
    assert "0 sent, 0 sent before, 2 failed" in err
    assert len(server.handler.logins) <= 1  # one login tried, by one method


def test_send_asks_first_and_a_pipe_that_cannot_answer_needs_yes(tmp_path, server, capsys, monkeypatch):
    project = _project(tmp_path, server, {"jane": JANE})
    assert _email(project, *_program_files(project), "--send") == 2
    _, err = capsys.readouterr()
    assert "--send asks before sending; with no one to answer, add --yes" in err
    assert not server.handler.received
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert _email(project, *_program_files(project), "--send") == 1
    out, _ = capsys.readouterr()
    assert "Jane Doe <jane.doe@example.com>: jane.pdf (" in out and "nothing sent; the drafts are ready" in out
    assert not server.handler.received
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert _email(project, *_program_files(project), "--send") == 0
    assert len(server.handler.received) == 1


def test_no_smtp_settings_means_drafts_only(tmp_path, server, capsys):
    project = _project(tmp_path, server, {"jane": JANE})
    (project / "clinic.yaml").write_text("name: Riverside Physiotherapy\nemail: front@riverside.example\n")
    assert _email(project, *_program_files(project), "--send", "--yes") == 1
    _, err = capsys.readouterr()
    assert "clinic.yaml:2: email: no smtp: settings to send with" in err
    assert (project / "output/email/jane.eml").is_file()
    message = email.message_from_bytes((project / "output/email/jane.eml").read_bytes(), policy=policy.default)
    assert str(message["From"]) == "Riverside Physiotherapy <front@riverside.example>"
    assert os.stat(project / "output/email").st_mode & 0o077 == 0


class _MemoryKeyring(__import__("keyring").backend.KeyringBackend):
    """A keyring backend that keeps its passwords in memory: the keyring library's own API, no desktop."""

    priority = 1

    def __init__(self):
        super().__init__()
        self.stored: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.stored.get((service, username))

    def set_password(self, service, username, password):
        self.stored[(service, username)] = password

    def delete_password(self, service, username):
        self.stored.pop((service, username), None)


def test_the_password_may_come_from_the_system_keyring(tmp_path, server, capsys, monkeypatch):
    import keyring

    monkeypatch.delenv("RIVERSIDE_SMTP_PASSWORD")
    backend = _MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        keyring.set_password(f"handouts:{server.host}", USER, PASSWORD)
        project = _project(tmp_path, server, {"jane": JANE})
        assert _email(project, *_program_files(project), "--send", "--yes") == 0
    finally:
        keyring.set_keyring(previous)
    out, err = capsys.readouterr()
    assert "1 sent, 0 sent before, 0 failed" in out, err
    assert server.handler.logins == [USER] and PASSWORD not in out + err


@pytest.mark.parametrize(("address", "on_the_wire"), [
    ("begona@núñez.es", "begona@xn--nez-7ma8b.es"),   # the domain in IDNA: any server takes it
    ("begoña@núñez.es", "begoña@núñez.es"),           # a non-ASCII name part: SMTPUTF8, as typed
])
def test_an_address_with_accented_letters_arrives(tmp_path, server, capsys, address, on_the_wire):
    project = _project(tmp_path, server, {"begona": BEGONA.replace("begona.nunez@example.es", address)})
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    (received,) = server.handler.received
    assert received.recipients == [on_the_wire]
    assert received.message["To"].addresses[0].addr_spec == on_the_wire
    assert received.message["To"].addresses[0].display_name == "Begoña Núñez"
    draft = (project / "output/email/begona.eml").read_bytes()
    assert b"=?utf-8?q?bego" not in draft  # never an encoded word inside an address


def test_a_file_named_twice_is_sent_once_and_a_second_sender_waits_its_turn(tmp_path, server, capsys, monkeypatch):
    project = _project(tmp_path, server, {"jane": JANE})
    jane = str(project / "programs/jane.yaml")
    assert _email(project, jane, str(project / "programs/../programs/jane.yaml"), "--send", "--yes") == 0
    assert len(server.handler.received) == 1
    capsys.readouterr()
    from handouts.build.lock import output_lock

    monkeypatch.setattr("handouts.mail.delivery.LOCK_WAIT_SECONDS", 0.3)
    with output_lock(project / "output", name="email-send.lock"):  # another front desk is sending
        assert _email(project, jane, "--send", "--yes", "--resend") == 1
    out, err = capsys.readouterr()
    assert f"waiting for another 'handouts email --send' (pid {os.getpid()}) to finish" in out
    assert "another 'handouts email --send' is sending from here (pid " in err
    assert len(server.handler.received) == 1


def test_a_program_with_no_date_is_not_sent_again_the_next_day(tmp_path, server, capsys, monkeypatch):
    project = _project(tmp_path, server, {"jane": JANE.replace("date: 2026-11-25\n", "")})
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 86400))  # the next day: a new date on its cover
    assert _email(project, *_program_files(project), "--send", "--yes") == 0
    out, _ = capsys.readouterr()
    assert "0 sent, 1 sent before, 0 failed" in out and len(server.handler.received) == 1


def test_a_server_silent_before_the_message_went_means_not_sent_and_the_next_run_sends_it(tmp_path, server, capsys):
    project = _project(tmp_path, server, {"jane": JANE.replace("jane.doe@example.com", "stall@example.com")},
                       timeout=1)
    assert _email(project, *_program_files(project), "--send", "--yes") == 1
    _, err = capsys.readouterr()
    assert "Jane Doe <stall@example.com>: not sent: " in err and "did not answer within 1 s; nothing was sent" in err
    assert not (project / "output/email/sent.jsonl").exists()


def test_a_password_with_accented_letters_logs_in(tmp_path, server, capsys, monkeypatch):
    from smtp_server import UTF8_PASSWORD

    monkeypatch.setenv("RIVERSIDE_SMTP_PASSWORD", UTF8_PASSWORD)
    project = _project(tmp_path, server, {"jane": JANE})
    assert _email(project, *_program_files(project), "--send", "--yes") == 0, capsys.readouterr().err
    assert len(server.handler.received) == 1


@pytest.mark.parametrize("case", ["read-only", "device", "cut short"])
def test_a_sent_log_that_cannot_take_a_record_stops_before_sending(tmp_path, server, capsys, case):
    project = _project(tmp_path, server, {"jane": JANE, "begona": BEGONA})
    email_dir = project / "output/email"
    email_dir.mkdir(parents=True)
    log = email_dir / "sent.jsonl"
    if case == "read-only":
        log.write_text("")
        log.chmod(0o400)
        if os.access(log, os.W_OK):
            pytest.skip("running as a user whom permissions do not stop (root)")
    elif case == "device":
        log.symlink_to("/dev/null")
    else:  # a record cut short by a crash: the next one starts on a line of its own
        log.write_text('{"to": "x@example.com", "item": "programs/x.yaml", "sha2')
    status = _email(project, *_program_files(project), "--send", "--yes")
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err
    if case == "cut short":
        assert status == 0 and len(server.handler.received) == 2
        lines = log.read_text().splitlines()
        assert len(lines) == 3 and all(json.loads(line)["confirmed"] for line in lines[1:])
        assert "sent.jsonl:1: not a record of a sent message" in err
        return
    assert status == 1 and not server.handler.received
    assert "sent.jsonl: cannot be" in err, err


def test_to_sends_a_program_to_someone_else_without_the_clients_name(tmp_path, server, capsys):
    project = _project(tmp_path, server, {"jane": JANE})
    assert _email(project, str(project / "programs/jane.yaml"), "--to", "carer@example.com", "--send",
                  "--yes") == 0
    (received,) = server.handler.received
    assert str(received.message["To"]) == "carer@example.com"
    assert (project / "output/email/jane--carer@example.com.eml").is_file()
    assert not (project / "output/email/jane.eml").exists()  # the client's own draft is not replaced
    assert "Dear Jane," in received.message.get_body(("plain",)).get_content()


def test_a_server_silent_after_the_data_command_means_not_sent(tmp_path, server, capsys):
    from smtp_server import ScriptedServer

    scripted = ScriptedServer("DATA")
    try:
        project = _project(tmp_path, server, {"jane": JANE})
        (project / "clinic.yaml").write_text(
            f"name: Riverside\nemail:\n  address: {USER}\n  smtp: {{host: 127.0.0.1, port: {scripted.port}, "
            f"security: none, timeout: 1}}\n", encoding="utf-8")
        assert _email(project, *_program_files(project), "--send", "--yes") == 1
    finally:
        scripted.close()
    _, err = capsys.readouterr()
    assert "data" in [line.lower() for line in scripted.lines]  # it went as far as DATA, and no further
    assert "did not answer within 1 s; nothing was sent" in err, err
    assert not (project / "output/email/sent.jsonl").exists()
