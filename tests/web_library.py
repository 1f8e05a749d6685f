"""The front desk's test projects and clients: a small library, a program, the real app over HTTP."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from mail_library import EXERCISES, mail_project

PROGRAM = """client: Jane Doe
email: jane.doe@example.com
clinician: Alex Kim, PT
date: 2026-11-25
exercises:
  - id: reclining-lower-trunk-extensor-stretch
    dose: {sets: 2, reps: 3, hold: 30 s}
"""


def desk_project(tmp_path: Path, programs: dict[str, str] | None = None, clinic: str | None = None,
                 exercises: tuple[str, ...] = EXERCISES) -> Path:
    """A project under *tmp_path*: *exercises*, the sample pictures, *programs* (name -> YAML; default
    Jane Doe's), *clinic* (None: no clinic.yaml)."""
    return mail_project(tmp_path, clinic, {"jane-doe": PROGRAM} if programs is None else programs, exercises)


def desk_of(project: Path):
    from handouts.web.desk import Desk

    return Desk(project / "content", project / "assets", project / "output")


def client_for(project: Path, **settings) -> TestClient:
    """The real app for *project* (no background build unless *settings* give one)."""
    from handouts.web.app import Settings, make_app

    return TestClient(make_app(desk_of(project), Settings(**settings)), raise_server_exceptions=False,
                      base_url="http://127.0.0.1:8000")


def token_of(html: str) -> str:
    """The form token a page carries (every page has it on <body data-csrf>)."""
    found = re.search(r'data-csrf="([^"]+)"', html)
    assert found, "no form token on the page"
    return found.group(1)


def form_fields(html: str, form_id: str) -> list[tuple[str, str]]:
    """What a browser would post for the form *form_id* as the page shows it: its fields in document
    order (text inputs, checked boxes, textareas, each select's chosen option), buttons left out.
    The row <template> is not part of the form."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.inside, self.template, self.fields = False, 0, []
            self.textarea: list | None = None
            self.select: list | None = None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form" and a.get("id") == form_id:
                self.inside = True
            if tag == "template":
                self.template += 1
            if not self.inside or self.template:
                return
            if tag == "input" and "name" in a and a.get("type") not in ("submit", "button"):
                if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                    return
                self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
            elif tag == "textarea" and "name" in a:
                self.textarea = [a["name"], ""]
            elif tag == "select" and "name" in a:
                self.select = [a["name"], None]
            elif tag == "option" and self.select is not None:
                if self.select[1] is None or "selected" in a:
                    self.select[1] = a.get("value", "")

        def handle_data(self, data):
            if self.textarea is not None:
                self.textarea[1] += data

        def handle_endtag(self, tag):
            if tag == "template":
                self.template -= 1
            elif tag == "textarea" and self.textarea is not None:
                text = self.textarea[1][1:] if self.textarea[1].startswith("\n") else self.textarea[1]
                self.fields.append((self.textarea[0], text))
                self.textarea = None
            elif tag == "select" and self.select is not None:
                self.fields.append((self.select[0], self.select[1] or ""))
                self.select = None
            elif tag == "form" and self.inside:
                self.inside = False

    reader = Reader()
    reader.feed(html)
    return reader.fields


def post_fields(client: TestClient, path: str, fields: list[tuple[str, str]], **kwargs):
    """POST *fields* as a browser does (application/x-www-form-urlencoded, repeated names in order)."""
    from urllib.parse import urlencode

    return client.post(path, content=urlencode(fields), headers={"Content-Type": "application/x-www-form-urlencoded"},
                       **kwargs)
