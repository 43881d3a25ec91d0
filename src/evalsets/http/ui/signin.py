"""Sign in with an API key, sign out, and the UI's static files."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from evalsets.core.errors import NotFound
from evalsets.http.auth import engine_of
from evalsets.http.ui.render import HERE, page
from evalsets.http.ui.session import (
    COOKIE,
    MAX_AGE,
    PATH,
    PRE_COOKIE,
    Viewer,
    check_csrf,
    new_session,
    secret_of,
    set_cookie,
    sign,
    viewer,
)

router = APIRouter()
STATIC = {
    "ui.css": "text/css; charset=utf-8",
    "ui.js": "text/javascript; charset=utf-8",
}


def safe_next(value: str | None) -> str:
    """Where to go after signing in: only a path of the UI itself (no open redirect)."""
    if value and value.startswith("/ui/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/ui/"


def _form(request: Request, next_url: str, error: str | None, status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = page(
        request,
        "signin.html",
        {"next": next_url},
        status=status,
        title="Sign in",
        signin_token=token,
        error=error,
    )
    set_cookie(response, PRE_COOKIE, token, request, max_age=3600)
    return response


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None) -> Response:
    """The sign-in form: paste an API key."""
    return _form(request, safe_next(next), None)


@router.post("/sign-in")
def sign_in(
    request: Request,
    key: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/ui/",
) -> Response:
    """Check the key and start a session (the key's secret is not kept in the cookie)."""
    expected = request.cookies.get(PRE_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return _form(request, safe_next(next), "The form expired; please try again.", 403)
    found = engine_of(request).admin.authenticate(key.strip())
    if found is None:
        return _form(request, safe_next(next), "That key is not valid (or was revoked).", 401)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_cookie(response, COOKIE, sign(secret_of(request), new_session(found)), request, MAX_AGE)
    response.delete_cookie(PRE_COOKIE, path=PATH)
    return response


@router.post("/sign-out")
def sign_out(
    request: Request, who: Annotated[Viewer, Depends(viewer)], csrf: Annotated[str, Form()] = ""
) -> Response:
    """End the session."""
    check_csrf(who.session, csrf)
    response = RedirectResponse("/ui/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path=PATH)
    return response


@router.get("/static/{name}")
def static(name: str) -> Response:
    """The UI's own CSS and JavaScript (shipped in the package; no CDN)."""
    if name not in STATIC:
        raise NotFound("file", name)
    body = (Path(HERE) / "static" / name).read_bytes()
    return Response(
        body, media_type=STATIC[name], headers={"cache-control": "public, max-age=3600"}
    )
