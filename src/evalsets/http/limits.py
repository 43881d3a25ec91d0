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
        too_large = False
        replaced = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    raise PayloadTooLarge(limit)
            return message

        async def guarded_send(message: Message) -> None:
            # A body without Content-Length went over the limit while the app read it: the
            # app may answer that with its own error (FastAPI: 400 "error parsing the body");
            # the dialect's 413 replaces whatever it sends.
            nonlocal replaced
            if replaced:
                return
            if too_large and message["type"] == "http.response.start":
                replaced = True
                response = self.errors.render(Request(scope), PayloadTooLarge(limit))
                await response(scope, _drain(receive), send)
                return
            await send(message)

        await self.app(scope, limited_receive, guarded_send)


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


class NoStore:
    """ASGI middleware: every response says ``Cache-Control: no-store`` unless it set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_header)
