"""PostHog datasets dialect at ``/api/projects`` and ``/api/environments`` (issue #8).

Both wire generations are served by the same routes: the documented REST API (datasets and
dataset_items with soft delete) and the revisioned API the ``posthog`` SDK's
``OfflineEvaluations.datasets`` uses. See docs/migrate/posthog.md.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from evalsets.core.items import Items
from evalsets.http.errors import ErrorRoutes
from evalsets.http.posthog import datasets, items
from evalsets.http.posthog.errors import PostHogError, not_found, render
from evalsets.settings import Settings

PREFIXES = ("/api/projects", "/api/environments")


def _no_slash(request: Request) -> Response:
    """PostHog needs trailing slashes: other paths are 404, not a redirect."""
    return render(request, not_found())


def mount(app: FastAPI, routes: ErrorRoutes, settings: Settings) -> None:
    """Add the dialect's routes and error renderer to the app."""
    app.state.posthog_items = Items(app.state.store)
    for prefix in PREFIXES:
        for module in (datasets, items):
            app.include_router(module.router, prefix=f"{prefix}/{{project_ref}}")
        routes.add(prefix, render)
        catch_all = Route(f"{prefix}/{{rest:path}}", _no_slash, methods=None)
        catch_all.path_regex = re.compile(rf"^{re.escape(prefix)}/(?P<rest>.*[^/])$")
        app.router.routes.append(catch_all)

    async def handle(request: Request, exc: Any) -> Response:
        return render(request, exc)

    app.add_exception_handler(PostHogError, handle)
