"""``handouts serve`` at the command line: the password, and each reason it will not start, in one line."""

from __future__ import annotations

import socket

import pytest

from handouts.cli import main
from web_library import desk_project


@pytest.fixture()
def project(tmp_path, monkeypatch):
    project = desk_project(tmp_path)
    monkeypatch.chdir(project)
    return project


def test_other_machines_need_a_password_first(project, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--no-browser", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "needs a password first" in err and "handouts serve --set-password" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_set_password_from_a_pipe_stores_only_its_hash(project, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["serve", "--set-password"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    assert main(["serve", "--set-password"]) == 0
    out = capsys.readouterr().out
    assert "password set" in out and "a long enough secret" not in out
    stored = (project / ".handouts" / "password").read_text()
    assert stored.startswith("$argon2id$") and "secret" not in stored


def test_a_port_in_use_is_one_line_with_what_to_do(project, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--no-browser", "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is in use" in err and f"--port {port + 1}" in err


def test_outside_a_project_it_says_where_to_run_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--no-browser"]) == 1
    assert "run 'handouts serve' in the project" in capsys.readouterr().err


@pytest.mark.parametrize("args, said", [
    (["--port", "70000"], "give a port from 1 to 65535"),
    (["--certfile", "cert.pem"], "--certfile and --keyfile go together"),
    (["--host", "no-such-host.invalid"], "needs a password first"),
    (["--certfile", "missing.pem", "--keyfile", "missing.pem"], "missing.pem: no such file"),
])
def test_mistakes_in_the_options(project, capsys, args, said):
    assert main(["serve", "--no-browser", *args]) in (1, 2)
    assert said in capsys.readouterr().err


def test_a_clinic_file_with_mistakes_stops_it_before_it_listens(project, capsys):
    (project / "clinic.yaml").write_text("name: X\npaper: papyrus\n", encoding="utf-8")
    assert main(["serve", "--no-browser", "--port", "0"]) == 1
    assert "clinic.yaml:2: paper:" in capsys.readouterr().err


def test_an_unknown_host_is_named(project, capsys):
    from handouts.web.safety import set_password

    set_password(project / ".handouts", "a long enough secret")
    assert main(["serve", "--no-browser", "--host", "no-such-host.invalid"]) == 1
    assert "--host no-such-host.invalid: not an address of this machine" in capsys.readouterr().err


def test_files_that_are_no_certificate_are_named(project, capsys):
    (project / "junk.pem").write_text("not a certificate\n")
    assert main(["serve", "--no-browser", "--certfile", "junk.pem", "--keyfile", "junk.pem"]) == 1
    err = capsys.readouterr().err
    assert "--certfile junk.pem --keyfile junk.pem: not a certificate and its private key" in err
    assert "internal error" not in err
