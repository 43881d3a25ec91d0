"""Arize AX v2 dialect at ``/v2``, plus the Arrow Flight server of the SDK's bulk paths."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI

from evalsets.http.arize import datasets, errors, examples, tags
from evalsets.http.errors import ErrorRoutes
from evalsets.settings import Settings

PREFIX = "/v2"


def router() -> APIRouter:
    found = APIRouter(prefix=PREFIX, tags=["arize"])
    for module in (datasets, examples, tags):
        found.include_router(module.router)
    return found


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the dialect's routes and error renderer; start Flight with the app if configured.

    The Flight server starts in the app's lifespan (so ``evalsets serve`` runs it and
    ``create_app`` stays cheap), on ``EVALSETS_FLIGHT_PORT``, bound to the host the app
    serves on (``app.state.bind_host``, set by ``evalsets serve``; loopback otherwise).
    """
    app.include_router(router())
    routes.add(PREFIX, errors.render)
    if settings.flight_port is not None:
        app.router.lifespan_context = _with_flight(app.router.lifespan_context, settings)


Lifespan = Callable[[Any], AbstractAsyncContextManager[Any]]


def _with_flight(inner: Lifespan, settings: Settings) -> Lifespan:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        from evalsets.http.arize import flight

        host = getattr(app.state, "bind_host", None) or "127.0.0.1"
        server = flight.start(app.state.engine, host, settings.flight_port or 0)
        sys.stderr.write(f"evalsets: Arrow Flight (Arize SDK) on grpc+tcp://{host}:{server.port}\n")
        try:
            async with inner(app) as state:
                yield state
        finally:
            server.shutdown()

    return lifespan
