"""Typed errors of the SDK, one per code of the native error shape.

Tree::

    EvalsetsApiError            any error answer of a server (``status``, ``code``, ``details``)
    ├── BadRequest              400: bad_request, bad_json
    ├── Unauthorized            401: a missing, wrong or revoked key
    ├── Forbidden               403: the key lacks a scope
    ├── NotFound                404
    ├── Conflict                409
    │   ├── NameTaken           a dataset already has this path
    │   ├── StaleVersion        ``expected_head`` did not match
    │   └── VersionCommitted    committed versions never change
    ├── PayloadTooLarge         413
    ├── InvalidInput            422
    └── ServerError             5xx
    EvalsetsConnectionError     the server could not be reached
"""

from __future__ import annotations

from typing import Any

import httpx


class EvalsetsApiError(Exception):
    """An error answer of an evalsets server: ``{"error": {"code", "message", "details"}}``."""

    def __init__(
        self, status: int, code: str, message: str, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}

    def __str__(self) -> str:
        return f"{self.message} ({self.code}, HTTP {self.status})"


class BadRequest(EvalsetsApiError):
    """400: the request could not be read (e.g. bad JSON)."""


class Unauthorized(EvalsetsApiError):
    """401: the API key is missing, wrong or revoked."""


class Forbidden(EvalsetsApiError):
    """403: the key may not do this (a scope is missing)."""


class NotFound(EvalsetsApiError):
    """404: no such dataset, version, datapoint, project or key (in the key's project)."""


class Conflict(EvalsetsApiError):
    """409: the request conflicts with the current state."""


class NameTaken(Conflict):
    """409: the path or name is already used."""


class StaleVersion(Conflict):
    """409: the dataset's head is not the expected one."""


class VersionCommitted(Conflict):
    """409: the version is committed and cannot change."""


class PayloadTooLarge(EvalsetsApiError):
    """413: the body is over the server's limit."""


class InvalidInput(EvalsetsApiError):
    """422: the request was read but its content is not valid."""


class ServerError(EvalsetsApiError):
    """5xx: the server failed."""


class EvalsetsConnectionError(Exception):
    """The server could not be reached (or the connection broke)."""


_BY_CODE: dict[str, type[EvalsetsApiError]] = {
    "name_taken": NameTaken,
    "stale_version": StaleVersion,
    "version_committed": VersionCommitted,
    "bad_json": BadRequest,
}
_BY_STATUS: dict[int, type[EvalsetsApiError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: PayloadTooLarge,
    422: InvalidInput,
}


def error_of(response: httpx.Response) -> EvalsetsApiError:
    """The typed error for an error response (any body shape)."""
    code, message, details = "error", response.reason_phrase or "error", {}
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        code = str(error.get("code") or code)
        message = str(error.get("message") or message)
        found = error.get("details")
        details = found if isinstance(found, dict) else {}
    elif response.text:
        message = response.text[:500]
    kind = _BY_CODE.get(code) or _BY_STATUS.get(response.status_code)
    if kind is None:
        kind = ServerError if response.status_code >= 500 else EvalsetsApiError
    return kind(response.status_code, code, message, details)
