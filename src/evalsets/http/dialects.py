"""The vendor dialects mounted on the app, and which of their paths take large uploads.

Each dialect package exposes ``mount(app, error_routes, settings)``, which adds its routers and
registers its error renderer for its path prefixes. Adding a dialect is one line here.
"""

from __future__ import annotations

import re
from typing import Protocol

from fastapi import FastAPI

from evalsets.http import arize, geai, humanloop, posthog
from evalsets.http.errors import ErrorRoutes
from evalsets.settings import Settings


class Dialect(Protocol):
    def mount(self, app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None: ...


DIALECTS: list[Dialect] = [humanloop, arize, geai, posthog]

_UPLOADS = re.compile(
    r"^/api/v1/datasets/[^/]+/import$"
    r"|/datapoints/csv$"
    r"|FileUpload$"
)


def upload_paths(path: str) -> bool:
    """Whether a path takes file uploads (the large-upload limit applies, not the JSON one)."""
    return bool(_UPLOADS.search(path))
