"""Helpers for the UI tests: a signed-in in-process browser, and form tokens."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from starlette.testclient import TestClient

from evalsets.core.engine import Engine
from evalsets.http.app import create_app
from evalsets.settings import Settings

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = _CSRF.search(html)
    assert found, "the page has no CSRF token"
    return found.group(1)


class Reply(Protocol):
    """What the tests read of a response (httpx's or httpx2's, whichever Starlette uses)."""

    @property
    def status_code(self) -> int: ...

    @property
    def text(self) -> str: ...

    @property
    def headers(self) -> Mapping[str, str]: ...


@dataclass
class Browser:
    """An in-process client with a session cookie, as a signed-in browser has."""

    client: TestClient
    csrf: str

    def post(self, path: str, **fields: str) -> Reply:
        return self.client.post(path, data={"csrf": self.csrf, **fields})


def ui_app(engine: Engine, tmp_path: Path, secret: str = "s" * 32) -> TestClient:
    settings = Settings(data_dir=tmp_path, session_secret=secret)
    app = create_app(settings, engine.store)
    return TestClient(app, follow_redirects=False, raise_server_exceptions=False)


def sign_in(client: TestClient, key: str) -> Browser:
    """Sign in through the form (as a person would) and keep the session cookie."""
    form = client.get("/ui/sign-in")
    assert form.status_code == 200
    done = client.post("/ui/sign-in", data={"key": key, "csrf": csrf_of(form.text), "next": "/ui/"})
    assert done.status_code == 303, done.text
    home = client.get("/ui/")
    assert home.status_code == 200
    return Browser(client, csrf_of(home.text))
