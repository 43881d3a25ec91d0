"""Request body limits: refuse oversized bodies early (413) without reading them whole."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evalsets.core.errors import PayloadTooLarge
from evalsets.http.errors import ErrorRoutes


class BodyLimit:
    """ASGI middleware: bodies over the limit for their path get the dialect's 413."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        errors: ErrorRoutes,
        limit_for: Callable[[str], int],
    ) -> None:
        self.app = app
        self.errors = errors
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            request = Request(scope)
            response = self.errors.render(request, PayloadTooLarge(limit))
            await response(scope, _drain(receive), send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        await self.app(scope, limited_receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _drain(receive: Receive) -> Receive:
    async def nothing() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    return nothing
