"""Globant Enterprise AI dialect at ``/dataSetApi`` (the Evaluation module's dataset API).

pygeai's ``EvaluationDatasetClient(eval_url="http://host:port")`` works unchanged.
See docs/migrate/globant.md for the choices made where the vendor documents nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from evalsets.http.errors import ErrorRoutes
from evalsets.http.geai import datasets, entries, errors, rows
from evalsets.settings import Settings

PREFIX = "/dataSetApi"


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the dialect's routes and error renderer to the app."""
    router = APIRouter(prefix=PREFIX)
    for module in (datasets, rows, entries):
        router.include_router(module.router)
    app.include_router(router)
    routes.add(PREFIX, errors.render)
