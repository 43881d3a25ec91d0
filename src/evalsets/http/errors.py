"""Errors to responses: each dialect renders errors in its vendor's format, chosen by path."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from evalsets.core.errors import (
    Conflict,
    EvalsetsError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
)

log = logging.getLogger("evalsets.http")

Renderer = Callable[[Request, Exception], Response]


def status_of(exc: Exception) -> int:
    """The usual HTTP status of an error (dialects may choose otherwise)."""
    match exc:
        case PayloadTooLarge():
            return 413
        case NotFound():
            return 404
        case Conflict():
            return 409
        case InvalidInput():
            return 422
        case Unauthorized():
            return 401
        case Forbidden():
            return 403
        case RequestValidationError():
            return 400 if is_bad_json(exc) else 422
        case StarletteHTTPException():
            return exc.status_code
    return 500


def is_bad_json(exc: RequestValidationError) -> bool:
    """Whether a validation error is really an unparseable JSON body."""
    return any(err.get("type") == "json_invalid" for err in exc.errors())


def message_of(exc: Exception) -> str:
    match exc:
        case EvalsetsError():
            return exc.message
        case RequestValidationError():
            first = exc.errors()[0] if exc.errors() else {}
            where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
            text = str(first.get("msg", "invalid request"))
            return f"{where}: {text}" if where else text
        case StarletteHTTPException():
            return str(exc.detail)
    return "internal server error"


@dataclass
class ErrorRoutes:
    """Which renderer handles the errors of which path prefix (longest prefix wins)."""

    default: Renderer
    prefixes: list[tuple[str, Renderer]] = field(default_factory=list)

    def add(self, prefix: str, renderer: Renderer) -> None:
        self.prefixes.append((prefix, renderer))
        self.prefixes.sort(key=lambda item: len(item[0]), reverse=True)

    def renderer_for(self, path: str) -> Renderer:
        for prefix, renderer in self.prefixes:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return renderer
        return self.default

    def render(self, request: Request, exc: Exception) -> Response:
        if status_of(exc) >= 500:
            log.exception(
                "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
            )
        return self.renderer_for(request.url.path)(request, exc)


def install(app: FastAPI, routes: ErrorRoutes) -> None:
    """Route every error of the app through the renderer of its path."""

    async def handle(request: Request, exc: Exception) -> Response:
        return routes.render(request, exc)

    app.add_exception_handler(EvalsetsError, handle)
    app.add_exception_handler(RequestValidationError, handle)
    app.add_exception_handler(StarletteHTTPException, handle)
    app.add_exception_handler(Exception, handle)
