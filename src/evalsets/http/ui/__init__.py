"""The web UI: server-rendered pages under ``/ui`` to browse, edit, diff and deploy datasets.

Pages take their data from :mod:`evalsets.http.ui.data` (the native API's shapes); sign-in
uses an API key and a signed session cookie; every form carries a CSRF token.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, FastAPI
from starlette.responses import RedirectResponse

from evalsets.http.errors import ErrorRoutes
from evalsets.http.ui import actions, errors, pages, signin, transfer
from evalsets.settings import Settings

PREFIX = "/ui"


def takes_uploads(path: str) -> bool:
    """Whether a UI path takes file uploads (the large-upload body limit applies)."""
    return path == f"{PREFIX}/import"


def router() -> APIRouter:
    found = APIRouter(prefix=PREFIX, include_in_schema=False)
    for module in (signin, pages, actions, transfer):
        found.include_router(module.router)
    return found


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the UI's routes and error pages; ``/`` leads to the datasets list."""
    secret = settings.session_secret
    app.state.ui_session_secret = secret.encode() if secret else secrets.token_bytes(32)
    app.include_router(router())
    routes.add(PREFIX, errors.render)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)
