"""Globant error replies: ``{"error": <code>, "message": <text>, "status": <int>}``.

The vendor does not document its error body; its statuses are 400 (malformed request or
invalid file), 401, 404 (unknown id), 409 (duplicate dataset name) and 500. Invalid input
that other dialects answer with 422 is a 400 here.
"""

from __future__ import annotations

import re

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import InvalidInput, NotFound, PayloadTooLarge
from evalsets.http.errors import message_of, status_of
from evalsets.http.responses import OrjsonResponse

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    500: "internal_error",
}
_PREFIXED = re.compile(r"\b(?:ds|dp)_([0-9a-f]{32})\b")
_KINDS = {"dataset": "dataSet", "datapoint": "dataSetRow"}


def _status(exc: Exception) -> int:
    if isinstance(exc, PayloadTooLarge):
        return 413
    if isinstance(exc, InvalidInput | RequestValidationError):
        return 400
    return status_of(exc)


def _uuid_form(match: re.Match[str]) -> str:
    hex_ = match.group(1)
    return f"{hex_[:8]}-{hex_[8:12]}-{hex_[12:16]}-{hex_[16:20]}-{hex_[20:]}"


def _message(exc: Exception) -> str:
    """The error text, in Globant's words and with ids as the UUIDs clients know."""
    if isinstance(exc, NotFound):
        text = f"{_KINDS.get(exc.kind, exc.kind)} {exc.ident} not found"
    elif isinstance(exc, RequestValidationError) and any(
        e.get("type") == "json_invalid" for e in exc.errors()
    ):
        text = "malformed JSON body"
    else:
        text = message_of(exc)
    return _PREFIXED.sub(_uuid_form, text)


def render(request: Request, exc: Exception) -> Response:
    """The Globant error response for any exception."""
    status = _status(exc)
    headers = None
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        headers = dict(exc.headers)
    body = {"error": _CODES.get(status, "error"), "message": _message(exc), "status": status}
    return OrjsonResponse(body, status_code=status, headers=headers)
