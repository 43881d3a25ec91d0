"""``evalsets serve``: migrate, bootstrap, then run the app with uvicorn."""

from __future__ import annotations

import logging
import sys

import uvicorn

from evalsets.core.admin import Admin
from evalsets.http.app import create_app
from evalsets.settings import Settings
from evalsets.store.store import Store

log = logging.getLogger("evalsets")


def prepare(settings: Settings) -> Store:
    """Open and migrate the store; make the default project and the bootstrap key."""
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.resolved_database_url)
    store.upgrade()
    secret = Admin(store).bootstrap(settings.admin_key)
    if secret:
        sys.stderr.write(
            "\nevalsets: created the default project (id 1) and an admin key.\n"
            "It is shown only this once; keep it safe:\n\n"
            f"    {secret}\n\n"
        )
        sys.stderr.flush()
    return store


def run(host: str, port: int) -> None:
    """Serve until interrupted."""
    settings = Settings.from_env()
    store = prepare(settings)
    app = create_app(settings, store)
    app.state.bind_host = host
    where = "PostgreSQL" if store.dialect == "postgresql" else store.url.removeprefix("sqlite:///")
    sys.stderr.write(f"evalsets: data in {where}; listening on http://{host}:{port}\n")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
    store.close()
