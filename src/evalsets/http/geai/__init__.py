"""Globant Enterprise AI dialect at ``/dataSetApi`` (being built: issue #7)."""

from __future__ import annotations

from fastapi import FastAPI

from evalsets.http.errors import ErrorRoutes
from evalsets.settings import Settings


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the dialect's routes and error renderer to the app."""
