"""API keys on requests: which project a request acts for, and what it may do."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from evalsets.core.engine import Engine
from evalsets.core.errors import Forbidden, Unauthorized
from evalsets.core.model import ApiKey, Scope


@dataclass(frozen=True)
class Principal:
    """The caller: an API key and the project it belongs to."""

    key: ApiKey

    @property
    def project_id(self) -> int:
        return self.key.project_id

    @property
    def author(self) -> str:
        """How writes by this caller are attributed."""
        return f"key:{self.key.name}"

    def require(self, scope: Scope) -> None:
        if not self.key.allows(scope):
            raise Forbidden(f"this key lacks the '{scope.value}' scope")


def secret_from_headers(request: Request) -> str | None:
    """The key in ``X-API-KEY`` or ``Authorization: Bearer``."""
    header = request.headers.get("x-api-key")
    if header:
        return header.strip()
    authorization = request.headers.get("authorization", "")
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


_MISSING = "an API key is required (X-API-KEY or Authorization: Bearer)"


def authenticate(request: Request, secret: str | None) -> Principal:
    """The principal of a secret; Unauthorized if there is none or it is not a live key."""
    if not secret:
        raise Unauthorized(_MISSING)
    admin = engine_of(request).admin
    key = admin.verified(secret) or admin.authenticate(secret)
    if key is None:
        raise Unauthorized("invalid or revoked API key")
    return Principal(key)


def requires(scope: Scope) -> Callable[[Request], Awaitable[Principal]]:
    """A FastAPI dependency: the caller, who must hold ``scope``.

    Runs on the event loop: a key verified moments ago costs no database read and no thread;
    otherwise the lookup runs in the thread pool.
    """

    async def dependency(request: Request) -> Principal:
        secret = secret_from_headers(request)
        if not secret:
            raise Unauthorized(_MISSING)
        key = engine_of(request).admin.verified(secret)
        if key is not None:
            principal = Principal(key)
        else:
            principal = await run_in_threadpool(authenticate, request, secret)
        principal.require(scope)
        return principal

    return dependency


read_access = requires(Scope.READ)
write_access = requires(Scope.WRITE)
admin_access = requires(Scope.ADMIN)
