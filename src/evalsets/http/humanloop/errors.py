"""Humanloop's FastAPI-style error bodies.

- 422 (validation, bad JSON, a rule of the model broken): ``{"detail": [{"loc", "msg",
  "type"}]}``, which the SDK parses into ``UnprocessableEntityError``. Unparseable JSON is a
  422 too, as FastAPI answers it.
- Every other status: ``{"detail": {"type", "message", "code", "origin"}}`` where ``code`` is
  the HTTP status and ``origin`` is ``"Humanloop"`` (not a model provider), as Humanloop's
  error-handling page describes. The SDK raises ``ApiError(status_code, body)`` for these.
"""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import InvalidInput
from evalsets.http.errors import message_of, status_of
from evalsets.http.responses import OrjsonResponse

ORIGIN = "Humanloop"

_TYPES = {
    400: "bad_request_error",
    401: "authentication_error",
    403: "permission_denied_error",
    404: "not_found_error",
    405: "method_not_allowed_error",
    409: "conflict_error",
    413: "payload_too_large_error",
    500: "internal_server_error",
}


def validation_items(exc: Exception) -> list[dict[str, Any]]:
    """The ``detail`` list of a 422."""
    if isinstance(exc, RequestValidationError):
        return [
            {
                "loc": list(err.get("loc", ())),
                "msg": str(err.get("msg", "invalid request")),
                "type": str(err.get("type", "value_error")),
            }
            for err in exc.errors()
        ]
    field = exc.field if isinstance(exc, InvalidInput) else None
    loc: list[str] = ["body", field] if field else ["body"]
    return [{"loc": loc, "msg": message_of(exc), "type": "value_error"}]


def status_for(exc: Exception) -> int:
    """Humanloop's status for an error: FastAPI answers bad JSON with 422, not 400."""
    if isinstance(exc, RequestValidationError):
        return 422
    return status_of(exc)


def render(request: Request, exc: Exception) -> Response:
    """The Humanloop error response for any exception."""
    status = status_for(exc)
    if status == 422:
        return OrjsonResponse({"detail": validation_items(exc)}, status_code=422)
    headers = None
    if isinstance(exc, StarletteHTTPException) and exc.headers:
        headers = dict(exc.headers)
    body = {
        "detail": {
            "type": _TYPES.get(status, "error"),
            "message": message_of(exc),
            "code": status,
            "origin": ORIGIN,
        }
    }
    return OrjsonResponse(body, status_code=status, headers=headers)
