"""The native API's one error shape: ``{"error": {"code", "message", "details"}}``."""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import (
    EvalsetsError,
    NameTaken,
    PayloadTooLarge,
    StaleVersion,
    VersionCommitted,
)
from evalsets.http.errors import is_bad_json, message_of, status_of
from evalsets.http.responses import OrjsonResponse

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_input",
    500: "internal_error",
}


def code_of(exc: Exception, status: int) -> str:
    """A stable machine-readable code for an error."""
    match exc:
        case StaleVersion():
            return "stale_version"
        case VersionCommitted():
            return "version_committed"
        case NameTaken():
            return "name_taken"
        case PayloadTooLarge():
            return "payload_too_large"
        case RequestValidationError() if is_bad_json(exc):
            return "bad_json"
    return _CODES.get(status, "error")


def details_of(exc: Exception) -> dict[str, Any]:
    match exc:
        case EvalsetsError():
            return {k: v for k, v in exc.details.items() if v is not None}
        case RequestValidationError():
            return {
                "errors": [
                    {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                    for e in exc.errors()
                ]
            }
    return {}


def render(request: Request, exc: Exception) -> Response:
    """The native error response for any exception."""
    status = status_of(exc)
    headers = None
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        headers = dict(exc.headers)
    body = {
        "error": {
            "code": code_of(exc, status),
            "message": message_of(exc),
            "details": details_of(exc),
        }
    }
    return OrjsonResponse(body, status_code=status, headers=headers)
