"""The app factory: one ASGI app serving every API (and the UI) on one port."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from evalsets import __version__
from evalsets.core.engine import Engine
from evalsets.http import errors, ui
from evalsets.http.dialects import DIALECTS, upload_paths
from evalsets.http.limits import BodyLimit, NoStore
from evalsets.http.native import admin, datapoints, datasets, transfer
from evalsets.http.native import errors as native_errors
from evalsets.http.native.fast_page import FastPage
from evalsets.http.responses import OrjsonResponse
from evalsets.settings import Settings
from evalsets.store.store import Store


def create_app(settings: Settings, store: Store) -> FastAPI:
    """Build the app; cheap (no I/O): migrations and bootstrap happen in ``evalsets serve``."""
    app = FastAPI(
        title="evalsets",
        version=__version__,
        description="Versioned datasets for evaluating AI assistants.",
        default_response_class=OrjsonResponse,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.engine = Engine(store)

    routes = errors.ErrorRoutes(default=native_errors.render)
    routes.add("/api/v1", native_errors.render)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        store.ping()
        return {"status": "ok", "version": __version__}

    # Included one by one, not through an /api/v1 router: each level of routers matches the
    # request again, and these are the busiest routes.
    for module in (admin, datasets, datapoints, transfer):
        app.include_router(module.router, prefix="/api/v1")
    for dialect in DIALECTS:
        dialect.mount(app, routes, settings)
    ui.mount(app, routes, settings)
    errors.install(app, routes)

    def limit_for(path: str) -> int:
        uploads = upload_paths(path) or ui.takes_uploads(path)
        return settings.max_upload if uploads else settings.max_json_body

    app.add_middleware(FastPage, engine=app.state.engine)  # innermost: inside the two below
    app.add_middleware(BodyLimit, errors=routes, limit_for=limit_for)
    app.add_middleware(NoStore)

    return app
