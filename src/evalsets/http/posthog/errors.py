"""PostHog's error bodies (drf-exceptions-hog): ``{"type", "code", "detail", "attr"}``.

The one exception is the bodyless 405 of ``DELETE`` on a dataset or item (PostHog forbids hard
deletes). Core errors map onto the same statuses PostHog uses for the same situations.
"""

from __future__ import annotations

from typing import Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NameTaken,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)
from evalsets.http.errors import is_bad_json
from evalsets.http.responses import OrjsonResponse


class PostHogError(Exception):
    """An error already in PostHog's terms: status, type, code, detail, attr and extras."""

    def __init__(
        self,
        status: int,
        type: str,
        code: str,
        detail: str,
        attr: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.body: dict[str, Any] = {
            "type": type,
            "code": code,
            "detail": detail,
            "attr": attr,
            **extra,
        }


def invalid(attr: str | None, detail: str, code: str = "invalid") -> PostHogError:
    """A 400 validation error about one field."""
    return PostHogError(400, "validation_error", code, detail, attr)


def required(attr: str) -> PostHogError:
    return invalid(attr, "This field is required.", "required")


def conflict(code: str, detail: str, **extra: Any) -> PostHogError:
    """A 409 about the current state (stale version, archived item, client id reuse)."""
    return PostHogError(409, "invalid_request", code, detail, None, **extra)


def not_found(detail: str = "Not found.") -> PostHogError:
    return PostHogError(404, "invalid_request", "not_found", detail)


def _mapped(request: Request, exc: Exception) -> PostHogError:
    match exc:
        case PostHogError():
            return exc
        case Unauthorized():
            return PostHogError(401, "authentication_error", "authentication_failed", exc.message)
        case Forbidden():
            return PostHogError(403, "authentication_error", "permission_denied", exc.message)
        case NotFound():
            return not_found()
        case NameTaken():
            return invalid("name", "A dataset with this name already exists.", "unique")
        case Conflict():
            return conflict("conflict", exc.message)
        case PayloadTooLarge():
            return PostHogError(413, "invalid_request", "payload_too_large", exc.message)
        case InvalidInput():
            return invalid(exc.field, exc.message)
    return _http_error(request, exc)


def _http_error(request: Request, exc: Exception) -> PostHogError:
    match exc:
        case RequestValidationError() if is_bad_json(exc):
            return PostHogError(400, "validation_error", "parse_error", "JSON parse error.")
        case RequestValidationError():
            return invalid(None, "Invalid request.")
        case StarletteHTTPException() if exc.status_code == 405:
            return PostHogError(
                405,
                "invalid_request",
                "method_not_allowed",
                f'Method "{request.method}" not allowed.',
            )
        case StarletteHTTPException() if exc.status_code < 500:
            return PostHogError(exc.status_code, "invalid_request", "not_found", "Not found.")
    return PostHogError(500, "server_error", "error", "A server error occurred.")


def render(request: Request, exc: Exception) -> Response:
    """The PostHog response for any exception raised under the dialect's prefixes."""
    error = _mapped(request, exc)
    return OrjsonResponse(error.body, status_code=error.status)
