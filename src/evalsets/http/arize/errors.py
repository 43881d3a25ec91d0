"""Arize's error shape: RFC 9457 ``application/problem+json`` with a ``request_id``."""

from __future__ import annotations

import uuid

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import InvalidInput
from evalsets.http.arize.filters import FilterSyntaxError
from evalsets.http.errors import message_of, status_of
from evalsets.http.responses import ProblemResponse

DOCS = "https://arize.com/docs/ax/rest-reference/errors"

_KINDS = {
    400: ("Bad Request", "bad-request"),
    401: ("Unauthorized", "unauthorized"),
    403: ("Forbidden", "forbidden"),
    404: ("Not Found", "not-found"),
    405: ("Method Not Allowed", "method-not-allowed"),
    409: ("Conflict", "conflict"),
    413: ("Content Too Large", "payload-too-large"),
    422: ("Unprocessable Entity", "validation-error"),
    500: ("Internal Server Error", "internal-error"),
}


def status_for(exc: Exception) -> int:
    """Arize's status: the usual one, but 400 for bad JSON, queries, cursors and filters."""
    if isinstance(exc, FilterSyntaxError):
        return 400
    if isinstance(exc, InvalidInput) and exc.field == "cursor":
        return 400
    if isinstance(exc, RequestValidationError):
        locations = {str(e.get("loc", ("",))[0]) for e in exc.errors()}
        if "body" not in locations:
            return 400
    return status_of(exc)


def problem(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """A problem+json response."""
    title, slug = _KINDS.get(status, ("Error", "error"))
    body = {
        "type": f"{DOCS}#{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        "request_id": f"req_{uuid.uuid4().hex[:20]}",
    }
    return ProblemResponse(body, status_code=status, headers=headers)


def render(request: Request, exc: Exception) -> Response:
    """The Arize error response for any exception."""
    headers = None
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        headers = dict(exc.headers)
    return problem(status_for(exc), message_of(exc), headers)
