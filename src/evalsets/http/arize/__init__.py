"""Arize AX v2 dialect at ``/v2``, plus the Arrow Flight server of the SDK's bulk paths."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from evalsets.http.arize import datasets, errors, examples, tags
from evalsets.http.errors import ErrorRoutes
from evalsets.settings import Settings

PREFIX = "/v2"


def router() -> APIRouter:
    found = APIRouter(prefix=PREFIX, tags=["arize"], include_in_schema=False)
    for module in (datasets, examples, tags):
        found.include_router(module.router)
    return found


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the dialect's routes and error renderer to the app."""
    app.include_router(router())
    routes.add(PREFIX, errors.render)
