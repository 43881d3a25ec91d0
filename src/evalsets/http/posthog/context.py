"""Who is calling, for which project: PostHog's personal-key lookup and project scoping.

The key is looked for, first one wins, in ``Authorization: Bearer`` (or evalsets'
``X-API-KEY``), then ``personal_api_key`` in the JSON body, then in the query string.
The URL's project id is the evalsets project id, or ``@current`` for the key's project.
Key scopes map onto PostHog's: ``datasets:read`` ↔ ``dataset:read``, ``datasets:write`` ↔
``dataset:write`` (``admin`` grants both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from evalsets.core.engine import Engine
from evalsets.core.errors import NotFound, Unauthorized
from evalsets.core.items import Items
from evalsets.core.model import Scope
from evalsets.http.auth import Principal, authenticate, engine_of, secret_from_headers
from evalsets.http.posthog.errors import PostHogError, not_found

POSTHOG_SCOPES = {Scope.READ: "dataset:read", Scope.WRITE: "dataset:write"}


@dataclass(frozen=True)
class Ctx:
    """One request's engine, caller and project."""

    request: Request
    engine: Engine
    items: Items
    principal: Principal
    project_id: int

    @property
    def author(self) -> str:
        return self.principal.author


def _secret(request: Request, body: Any) -> str | None:
    secret = secret_from_headers(request)
    if secret:
        return secret
    if isinstance(body, dict) and isinstance(body.get("personal_api_key"), str):
        return str(body["personal_api_key"]).strip() or None
    return request.query_params.get("personal_api_key") or None


def _project(request: Request, principal: Principal, project_ref: str) -> int:
    if project_ref == "@current":
        return principal.project_id
    try:
        wanted = int(project_ref)
    except ValueError:
        raise not_found() from None
    if not 0 < wanted < 2**63:  # no such project id (and out of the database's integer range)
        raise not_found("Project not found.")
    if wanted == principal.project_id:
        return wanted
    try:
        engine_of(request).admin.require_project(wanted)
    except NotFound:
        raise not_found("Project not found.") from None
    raise PostHogError(
        403, "authentication_error", "permission_denied", "You don't have access to the project."
    )


def context(request: Request, project_ref: str, scope: Scope, body: Any = None) -> Ctx:
    """Authenticate (401), check the URL's project (404/403) and the key's scope (403)."""
    secret = _secret(request, body)
    if not secret:
        raise PostHogError(
            401,
            "authentication_error",
            "not_authenticated",
            "Authentication credentials were not provided.",
        )
    try:
        principal = authenticate(request, secret)
    except Unauthorized:
        raise PostHogError(
            401,
            "authentication_error",
            "authentication_failed",
            "Personal API key found in request is invalid.",
        ) from None
    project_id = _project(request, principal, project_ref)
    if not principal.key.allows(scope):
        raise PostHogError(
            403,
            "authentication_error",
            "permission_denied",
            f"API key missing required scope '{POSTHOG_SCOPES.get(scope, scope.value)}'",
        )
    items: Items = request.app.state.posthog_items
    return Ctx(request, engine_of(request), items, principal, project_id)
