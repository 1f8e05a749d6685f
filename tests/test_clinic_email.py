"""clinic.yaml's ``email:`` block read and checked: every mistake located, the password never in the file."""

from __future__ import annotations

import pytest

from handouts.content.clinic import load_clinic
from handouts.content.clinic_check import CheckSettings
from handouts.errors import ContentError

GOOD = """\
name: Riverside Physiotherapy
email:
  address: Front-Desk@Riverside.example
  from_name: Riverside Physio
  reply_to: alex@riverside.example
  subject: {en: "Your program, {first_name}", de: "Ihr Programm"}
  message: "Dear {first_name},\\n\\nsee you on {date}."
  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}
"""


def _load(tmp_path, text):
    path = tmp_path / "clinic.yaml"
    path.write_text(text, encoding="utf-8")
    return load_clinic(path)


def test_the_block_is_read_and_its_address_is_the_one_printed(tmp_path):
    clinic, warnings = _load(tmp_path, GOOD)
    assert not warnings
    assert clinic.email == "Front-Desk@riverside.example" and clinic.contacts == ("Front-Desk@riverside.example",)
    mail = clinic.mail
    assert mail.from_name == "Riverside Physio" and mail.reply_to == "alex@riverside.example"
    assert mail.template("subject", "de") == "Ihr Programm" and mail.template("subject", "es") is None
    assert mail.template("message", "fr").startswith("Dear {first_name},")
    assert (mail.smtp.host, mail.smtp.port, mail.smtp.security, mail.smtp.timeout) == \
        ("smtp.riverside.example", 465, "tls", 30.0)
    assert mail.smtp.password_env == "HANDOUTS_SMTP_PASSWORD"


def test_a_plain_address_still_works(tmp_path):
    clinic, _ = _load(tmp_path, "name: Riverside\nemail: front@riverside.example\n")
    assert clinic.email == "front@riverside.example" and clinic.mail is None


@pytest.mark.parametrize(("line", "replacement", "expected"), [
    ("  reply_to: alex@riverside.example", "  reply_to: alex@riverside",
     "clinic.yaml:5: email, reply_to: 'alex@riverside' is not an email address"),
    ('  message: "Dear {first_name},\\n\\nsee you on {date}."', '  message: "Dear {fist_name}"',
     "clinic.yaml:7: email, message: unknown placeholder {fist_name}; use {first_name}, {client}"),
    ('  message: "Dear {first_name},\\n\\nsee you on {date}."', '  message: "Dear {first_name.__class__}"',
     "clinic.yaml:7: email, message: unknown placeholder {first_name.__class__}"),
    ('  message: "Dear {first_name},\\n\\nsee you on {date}."', '  message: "Dear {"',
     "clinic.yaml:7: email, message: has a '{' or '}' that opens or closes no placeholder"),
    ('  subject: {en: "Your program, {first_name}", de: "Ihr Programm"}', '  subject: {xx: "Hi"}',
     "clinic.yaml:6: email, subject, xx: 'xx' is not a language"),
    ("  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}",
     "  smtp: {host: smtp.riverside.example, security: ssl}",
     "clinic.yaml:8: email, smtp, security: 'ssl' is not one of starttls, tls, none"),
    ("  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}",
     "  smtp: {host: smtp.riverside.example, port: 99999}",
     "clinic.yaml:8: email, smtp, port: 99999 is out of range; give 1 to 65535"),
    ("  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}",
     "  smtp: {host: smtp.riverside.example, user: me, password: hunter2}",
     "clinic.yaml:8: email, smtp, password: a password is never kept in clinic.yaml"),
    ("  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}",
     "  smtp: {port: 587}", "clinic.yaml:8: email, smtp: host: is missing"),
    ("  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}",
     "  smtp: {host: smtp.riverside.example, security: none, user: me}",
     "clinic.yaml:8: email, smtp, security: none would send the password unencrypted"),
])
def test_each_mistake_is_one_located_error(tmp_path, line, replacement, expected):
    assert line in GOOD
    with pytest.raises(ContentError) as caught:
        _load(tmp_path, GOOD.replace(line, replacement))
    messages = [str(p) for p in caught.value.problems]
    assert any(m.split("/")[-1].startswith(expected) for m in messages), messages
    assert not any("hunter2" in m for m in messages + [str(w) for w in caught.value.warnings])


@pytest.mark.parametrize(("replacement", "expected"), [
    ("  smtp: {host: smtp.riverside.example, password_env: 'hunter2!'}",
     "clinic.yaml:7: email, smtp, password_env: is not an environment variable's name"),
    ("  smtp: {host: 'smtp://me:hunter2@smtp.riverside.example'}",
     "clinic.yaml:7: email, smtp, host: is not a server's name"),
    ("  smtp: {host: 'smtp.riverside.example:587'}", "clinic.yaml:7: email, smtp, host: is not a server's name"),
    ("  smtp: {host: smtp.riverside.example, password_env: hunterhunter}",
     "clinic.yaml:7: email, smtp, password_env: is not an environment variable's name"),
    ("  smtp: {host: smtp.riverside.example, app_password: hunter2}",
     "clinic.yaml:7: email, smtp, app_password: a password is never kept in clinic.yaml"),
    ("  smtp: {host: smtp.riverside.example, token: hunter2}",
     "clinic.yaml:7: email, smtp, token: a password is never kept in clinic.yaml"),
    ("  smtp: {host: smtp.riverside.example, Password: hunter2}",
     "clinic.yaml:7: email, smtp, Password: a password is never kept in clinic.yaml"),
    ("  password: hunter2", "clinic.yaml:7: email, password: a password is never kept in clinic.yaml"),
    ('  message: "Dear {first_name}, see you on {date:%d.%m.%Y}"',
     "clinic.yaml:7: email, message: {date} takes no format or conversion here"),
    ('  message: "Dear {first_name!r}"', "clinic.yaml:7: email, message: {first_name} takes no format"),
])
def test_a_password_or_what_may_be_one_is_never_echoed(tmp_path, replacement, expected):
    text = GOOD.replace("  smtp: {host: smtp.riverside.example, security: tls, user: front-desk}\n", "")
    text = text.replace('  message: "Dear {first_name},\\n\\nsee you on {date}."\n', "") + replacement + "\n"
    with pytest.raises(ContentError) as caught:
        _load(tmp_path, text)
    messages = [str(p) for p in caught.value.problems] + [str(w) for w in caught.value.warnings]
    assert any(m.split("/")[-1].startswith(expected) for m in messages), messages
    assert not any("hunter2" in m for m in messages)


def test_a_password_at_the_top_of_the_file_is_an_error(tmp_path):
    with pytest.raises(ContentError) as caught:
        _load(tmp_path, "name: Riverside\npassword: hunter2\n")
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "clinic.yaml:2: password: a password is never kept in clinic.yaml: remove it, and put it in the "
        "environment variable password_env names (HANDOUTS_SMTP_PASSWORD by default)"]


@pytest.mark.parametrize(("client", "first", "greeted"), [
    ("Jane Doe", None, "Jane"), ("Doe, Jane", None, "Jane"), ("Dr. J. Doe", None, "Dr. J. Doe"),
    ("Dr Jane Doe", None, "Dr Jane Doe"), ("Mr Smith", None, "Mr Smith"), ("Jane Doe, PhD", None, "Jane"),
    ("Herr Dr. Klaus Weber", None, "Herr Dr. Klaus Weber"), ("Mme Claire Dubois", None, "Mme Claire Dubois"),
    ("J Doe", None, "J Doe"), ("Jane Doe", "Janie", "Janie"), ("Begoña Núñez", None, "Begoña"),
])
def test_the_greeting_uses_a_name_a_person_would(client, first, greeted):
    import datetime

    from handouts.content.program import Program, ProgramItem
    from handouts.mail.body import first_name

    program = Program("p", "p.yaml", client, datetime.date(2026, 11, 25), (ProgramItem("x"),), first_name=first)
    assert first_name(program) == greeted


def test_an_empty_check_block_is_no_block_not_an_unknown_key(tmp_path):
    clinic, warnings = _load(tmp_path, "name: Riverside\ncheck:\n")
    assert not warnings and clinic.check == CheckSettings()  # the defaults
