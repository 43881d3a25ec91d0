"""Humanloop v5 dialect at ``/v5``: the official Humanloop SDK works unchanged.

Point ``Humanloop(api_key=…, base_url="http://host:port/v5")`` at evalsets. Every dataset
endpoint of the v5 API is served, in Humanloop's shapes and with its FastAPI-style errors;
see docs/migrate/humanloop.md.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from evalsets.http.errors import ErrorRoutes
from evalsets.http.humanloop import datapoints, datasets, environments, errors, versions
from evalsets.settings import Settings

PREFIX = "/v5"


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the dialect's routes and error renderer to the app."""
    router = APIRouter(prefix=PREFIX)
    for module in (datasets, versions, datapoints, environments):
        router.include_router(module.router)
    app.include_router(router)
    routes.add(PREFIX, errors.render)
