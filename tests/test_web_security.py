"""The front desk's defences over HTTP: forged forms, the password, its rate limit, the session cookie,
the request log and the error pages."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from conftest import SEED
from web_library import client_for, desk_of, desk_project, token_of

PASSWORD = "correct horse battery"


@pytest.fixture()
def project(tmp_path, monkeypatch):
    project = desk_project(tmp_path)
    monkeypatch.chdir(project)
    return project


def test_a_post_without_the_form_token_is_refused(project):
    client = client_for(project)
    token = token_of(client.get("/").text)
    for data in ({}, {"csrf_token": "forged"}, {"csrf_token": token + "x"}):
        refused = client.post("/programs/jane-doe/draft", data={"edition": "email", **data})
        assert refused.status_code == 403 and "out of date" in refused.text
    assert not (project / "output" / "email").exists()  # nothing was built or drafted


def test_a_post_from_another_site_is_refused_even_with_the_token(project):
    client = client_for(project)
    token = token_of(client.get("/").text)
    refused = client.post("/programs/jane-doe/draft", data={"csrf_token": token, "edition": "email"},
                          headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "another site" in refused.text


def test_a_token_belongs_to_its_session(project):
    first, second = client_for(project), client_for(project)
    token = token_of(first.get("/").text)
    second.get("/")
    assert second.post("/logout", data={"csrf_token": token}).status_code == 403


def test_a_password_is_stored_hashed_and_owner_only(project):
    from handouts.web.safety import PasswordError, check_password, set_password

    private = desk_of(project).private_dir
    with pytest.raises(PasswordError):
        set_password(private, "short")
    set_password(private, PASSWORD)
    stored = private / "password"
    assert PASSWORD not in stored.read_text() and stored.read_text().startswith("$argon2id$")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600 and stat.S_IMODE(private.stat().st_mode) == 0o700
    assert check_password(private, PASSWORD) and not check_password(private, PASSWORD + "!")


def test_a_shared_desk_asks_for_the_password_before_anything(project):
    from handouts.web.safety import set_password

    set_password(desk_of(project).private_dir, PASSWORD)
    client = client_for(project, require_password=True)
    for path in ("/", "/programs", f"/exercises/{SEED}", "/programs/jane-doe"):
        sent = client.get(path, follow_redirects=False)
        assert sent.status_code == 303 and sent.headers["location"].startswith("/login?next=")
    assert client.get("/api/exercises?q=knee").status_code == 401
    assert client.get("/status.json").status_code == 401
    login = client.get("/login")
    assert login.status_code == 200 and 'type="password"' in login.text
    wrong = client.post("/login", data={"csrf_token": token_of(login.text), "password": "nope", "next": "/"})
    assert wrong.status_code == 401 and "not the one set" in wrong.text
    right = client.post("/login", data={"csrf_token": token_of(login.text), "password": PASSWORD,
                                        "next": "/programs"}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == "/programs"
    cookie = right.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "Jane Doe" in client.get("/programs").text


def test_sign_in_never_redirects_to_another_site(project):
    from handouts.web.safety import set_password

    set_password(desk_of(project).private_dir, PASSWORD)
    client = client_for(project, require_password=True)
    token = token_of(client.get("/login").text)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        sent = client.post("/login", data={"csrf_token": token, "password": PASSWORD, "next": target},
                           follow_redirects=False)
        assert sent.headers["location"] == "/"
        token = token_of(client.get("/").text)


def test_guessing_is_slowed_after_five_wrong_passwords(project):
    from handouts.web.safety import MAX_FAILURES, set_password

    set_password(desk_of(project).private_dir, PASSWORD)
    client = client_for(project, require_password=True)
    token = token_of(client.get("/login").text)
    for _ in range(MAX_FAILURES):
        assert client.post("/login", data={"csrf_token": token, "password": "guess"}).status_code == 401
    locked = client.post("/login", data={"csrf_token": token, "password": PASSWORD})
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.text
    assert client.get("/", follow_redirects=False).status_code == 303  # still not signed in


def test_the_limiter_forgets_old_failures():
    from handouts.web.safety import LoginLimiter

    now = [1000.0]
    limiter = LoginLimiter(max_failures=2, window=60, clock=lambda: now[0])
    limiter.failed("a")
    limiter.failed("a")
    assert limiter.wait_seconds("a") > 0 and limiter.wait_seconds("b") == 0
    now[0] += 61
    assert limiter.wait_seconds("a") == 0


def test_secure_cookies_over_tls(project):
    client = client_for(project, https=True)
    client.base_url = "https://127.0.0.1:8443"
    assert "secure" in client.get("/").headers["set-cookie"].lower()


def test_pages_carry_headers_that_keep_other_sites_out(project):
    headers = client_for(project).get("/").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"


def test_the_request_log_names_routes_never_clients(project, caplog):
    caplog.set_level(logging.INFO, logger="handouts.web")
    client = client_for(project)
    client.get("/programs/jane-doe")
    client.get("/", params={"q": "Jane Doe knee"})
    client.get("/programs", params={"q": "jane.doe@example.com"})
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "GET /programs/{name} 200" in logged and "GET / 200" in logged
    assert "jane" not in logged.lower() and "knee" not in logged


def test_an_unexpected_error_is_a_sentence_not_a_traceback(project, monkeypatch, caplog):
    import handouts.web.library_pages as pages

    def broken(*args):
        raise RuntimeError("Jane Doe's secret")

    monkeypatch.setattr(pages, "found", broken)
    page = client_for(project).get("/")
    assert page.status_code == 500
    assert "Something went wrong" in page.text and "RuntimeError" in page.text
    assert "Traceback" not in page.text and "secret" not in page.text
    assert "secret" not in caplog.text and "Jane" not in caplog.text
    assert client_for(project).get("/programs").status_code == 200  # and the server goes on


def test_a_huge_form_is_refused_before_it_is_read(project):
    client = client_for(project)
    token = token_of(client.get("/").text)
    big = client.post("/programs/save", data={"csrf_token": token, "notes": "x" * (2 * 1024 * 1024)})
    assert big.status_code == 413


def test_the_session_key_is_made_once_and_kept_private(project):
    from handouts.web.safety import session_key

    private = desk_of(project).private_dir
    first = session_key(private)
    assert session_key(private) == first and len(first) >= 32
    assert stat.S_IMODE(os.stat(private / "session-key").st_mode) == 0o600


@pytest.mark.parametrize("host, answered", [("127.0.0.1:8000", True), ("localhost:8000", True), ("[::1]:8000", True),
                                            ("localhost", True), ("evil.example:8000", False),
                                            ("127.0.0.1.evil.example", False), ("[::1].evil:80", False)])
def test_a_desk_without_a_password_answers_only_to_this_machines_names(project, host, answered):
    """DNS rebinding: another site's name pointed at 127.0.0.1 must not read the programs."""
    response = client_for(project).get("/programs", headers={"Host": host})
    assert (response.status_code == 200) == answered
    assert ("Jane Doe" in response.text) == answered


def test_a_shared_desk_answers_to_any_name_but_asks_for_the_password(project):
    from handouts.web.safety import set_password

    set_password(desk_of(project).private_dir, PASSWORD)
    response = client_for(project, require_password=True).get("/programs", headers={"Host": "desk.clinic.lan:8000"},
                                                              follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def _signed_in(project):
    from handouts.web.safety import set_password

    set_password(desk_of(project).private_dir, PASSWORD)
    client = client_for(project, require_password=True)
    token = token_of(client.get("/login").text)
    assert client.post("/login", data={"csrf_token": token, "password": PASSWORD}, follow_redirects=False
                       ).status_code == 303
    return client


def test_signing_out_voids_a_copy_of_the_cookie(project):
    client = _signed_in(project)
    kept = dict(client.cookies)
    assert client.get("/programs").status_code == 200
    client.post("/logout", data={"csrf_token": token_of(client.get("/programs").text)})
    client.cookies.clear()
    client.cookies.update(kept)
    assert client.get("/programs", follow_redirects=False).status_code == 303


def test_a_new_password_signs_everyone_out(project):
    from handouts.web.safety import set_password

    client = _signed_in(project)
    assert client.get("/programs").status_code == 200
    set_password(desk_of(project).private_dir, "another long password")
    assert client.get("/programs", follow_redirects=False).status_code == 303


def test_the_sign_in_page_shows_nothing_of_the_library(project):
    from handouts.web.safety import set_password

    class Status:  # the background build's status as it reads with a program's mistake in it
        def status(self):
            return {"state": "ready", "generation": 1, "warnings": [], "problems": [
                {"path": "programs/jane-secret.yaml", "line": 2, "field": "email", "message": "'jane@secret' is not"}]}

    set_password(desk_of(project).private_dir, PASSWORD)
    login = client_for(project, require_password=True, builder=Status()).get("/login").text
    assert "secret" not in login and "problem" not in login
    assert "jane-secret" in client_for(project, builder=Status()).get("/").text  # this machine's own desk shows it


def test_a_chunked_body_over_the_limit_is_refused_as_it_comes(project):
    client = client_for(project)
    token = token_of(client.get("/").text)

    def body():
        yield f"csrf_token={token}&notes=".encode()
        for _ in range(40):
            yield b"x" * 65536

    refused = client.post("/programs/save", content=body(),
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert refused.status_code == 413


@pytest.mark.parametrize("site, mode, answered", [("cross-site", "no-cors", False), ("cross-site", "cors", False),
                                                  ("cross-site", "navigate", True), ("same-origin", "cors", True),
                                                  ("none", "navigate", True), (None, None, True)])
def test_another_sites_page_cannot_use_the_desk_in_the_background(project, site, mode, answered):
    headers = {k: v for k, v in (("Sec-Fetch-Site", site), ("Sec-Fetch-Mode", mode)) if v}
    response = client_for(project).get("/programs/jane-doe/program.pdf", headers=headers)
    assert (response.status_code != 403) == answered


def test_an_error_is_answered_and_never_raised_to_the_server(project, monkeypatch):
    """uvicorn logs the traceback of what an app raises, and a traceback can quote a client's name."""
    import asyncio

    import handouts.web.library_pages as pages
    from handouts.web.app import make_app

    def broken(*args):
        raise RuntimeError("Jane Doe's secret")

    monkeypatch.setattr(pages, "found", broken)
    app = make_app(desk_of(project))
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "raw_path": b"/", "query_string": b"",
             "headers": [(b"host", b"127.0.0.1:8000")], "scheme": "http", "server": ("127.0.0.1", 8000),
             "client": ("127.0.0.1", 5000), "root_path": "", "http_version": "1.1"}
    asyncio.run(app(scope, receive, send))  # raises nothing
    assert sent[0]["status"] == 500
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert b"Something went wrong" in body and b"secret" not in body


def test_a_link_out_of_the_content_folder_is_not_followed(project, tmp_path):
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: Outside\ninstructions: [Step.]\n", encoding="utf-8")
    (project / "content" / "escape.yaml").symlink_to(outside)
    client = client_for(project)
    assert client.get("/exercises/escape").status_code == 404
    assert client.get("/exercises/escape/handout.pdf").status_code == 404
