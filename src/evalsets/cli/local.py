"""Opening the local store named by the settings (for commands that work without a server)."""

from __future__ import annotations

from evalsets.core.engine import Engine
from evalsets.settings import Settings
from evalsets.store.store import Store


def open_store(settings: Settings | None = None, *, migrate: bool = True) -> Store:
    """The store of ``EVALSETS_DATABASE_URL`` or the data dir, migrated to head."""
    settings = settings or Settings.from_env()
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(settings.resolved_database_url)
    if migrate:
        store.upgrade()
    return store


def open_engine(settings: Settings | None = None) -> Engine:
    """An engine on the local store, with the default project in place."""
    settings = settings or Settings.from_env()
    engine = Engine(open_store(settings))
    engine.admin.bootstrap(settings.admin_key)
    return engine
