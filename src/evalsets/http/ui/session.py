"""The web UI's sign-in: a signed session cookie naming an API key, and CSRF tokens.

The cookie holds the key's id (never its secret), the project, a CSRF token and the time of
sign-in, signed with HMAC-SHA256 under the server's session secret. Every request re-checks that
the key still exists and is not revoked, so revoking a key signs its sessions out at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import orjson
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import Forbidden, Unauthorized
from evalsets.core.model import ApiKey, Scope
from evalsets.http.auth import Principal, engine_of

COOKIE = "evalsets_session"
PRE_COOKIE = "evalsets_signin"
MAX_AGE = 12 * 3600
PATH = "/ui"


@dataclass(frozen=True)
class Session:
    """A signed-in browser: which key, which project, its CSRF token, when it signed in."""

    key_id: str
    project_id: int
    csrf: str
    issued: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def secret_of(request: Request) -> bytes:
    secret: bytes = request.app.state.ui_session_secret
    return secret


def sign(secret: bytes, session: Session) -> str:
    """The cookie value of a session."""
    payload = _b64(
        orjson.dumps(
            {"k": session.key_id, "p": session.project_id, "c": session.csrf, "t": session.issued}
        )
    )
    mac = hmac.new(secret, payload.encode(), hashlib.sha256).digest()
    return f"{payload}.{_b64(mac)}"


def unsign(secret: bytes, value: str, now: float | None = None) -> Session | None:
    """The session in a cookie value, or None if it is forged, malformed or expired."""
    payload, _, mac = value.partition(".")
    expected = _b64(hmac.new(secret, payload.encode(), hashlib.sha256).digest())
    if not mac or not hmac.compare_digest(mac, expected):
        return None
    try:
        data = orjson.loads(_unb64(payload))
        session = Session(str(data["k"]), int(data["p"]), str(data["c"]), int(data["t"]))
    except (ValueError, KeyError, TypeError):
        return None
    if (now if now is not None else time.time()) - session.issued > MAX_AGE:
        return None
    return session


def new_session(key: ApiKey) -> Session:
    return Session(key.id, key.project_id, secrets.token_urlsafe(24), int(time.time()))


def current_session(request: Request) -> Session | None:
    value = request.cookies.get(COOKIE)
    return unsign(secret_of(request), value) if value else None


def principal_of(request: Request, session: Session) -> Principal | None:
    """The live key behind a session, or None if it was revoked or deleted."""
    keys = engine_of(request).admin.list_keys(session.project_id)
    for key in keys:
        if key.id == session.key_id and key.revoked_at is None:
            return Principal(key)
    return None


@dataclass(frozen=True)
class Viewer:
    """The signed-in caller of a UI request."""

    principal: Principal
    session: Session

    @property
    def project_id(self) -> int:
        return self.principal.project_id

    @property
    def can_write(self) -> bool:
        return self.principal.key.allows(Scope.WRITE)


def viewer(request: Request) -> Viewer:
    """A FastAPI dependency: the signed-in caller; Unauthorized sends the browser to sign in."""
    session = current_session(request)
    principal = principal_of(request, session) if session else None
    if session is None or principal is None:
        raise Unauthorized("please sign in")
    request.state.viewer = Viewer(principal, session)
    return Viewer(principal, session)


def writer(request: Request) -> Viewer:
    """A FastAPI dependency: the signed-in caller, who must be able to write."""
    found = viewer(request)
    if not found.can_write:
        raise Forbidden("this key can only read (it lacks the 'datasets:write' scope)")
    return found


def check_csrf(session: Session, token: object) -> None:
    """Every POST carries the session's CSRF token; Forbidden otherwise."""
    if not isinstance(token, str) or not hmac.compare_digest(token, session.csrf):
        raise Forbidden("the form expired or came from another site; reload the page and retry")


def set_cookie(response: Response, name: str, value: str, request: Request, max_age: int) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PATH,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
