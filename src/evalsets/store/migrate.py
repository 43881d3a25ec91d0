"""Schema migrations (Alembic), run by ``evalsets db upgrade`` and on server start."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine
from sqlalchemy.pool import NullPool

from evalsets.store.database import SQLITE_PAGE_SIZE, normalize_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    """An Alembic config bound to this engine's database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def migration_engine(url: str) -> Engine:
    """A plain engine for migrations (no pragmas or BEGIN hooks, no pooling)."""
    return create_engine(normalize_url(url), poolclass=NullPool)


def _run(url: str, action: str, target: str) -> None:
    engine = migration_engine(url)
    config = alembic_config(engine)
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            # A new file gets the store's page size (a no-op once the file has tables).
            conn.exec_driver_sql(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")
            # Batch migrations recreate tables; foreign keys must be off while they do.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        elif engine.dialect.name == "postgresql":
            # Two servers starting at once on one database: one migrates, the other waits.
            conn.exec_driver_sql("SELECT pg_advisory_lock(827364501)")
        config.attributes["connection"] = conn
        getattr(command, action)(config, target)
        # Committed before the lock is let go: the next server must see the migrated schema.
        conn.commit()
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_unlock(827364501)")
            conn.commit()
    engine.dispose()


def upgrade(url: str, target: str = "head") -> None:
    """Migrate the database up to ``target`` (the newest revision by default)."""
    _run(url, "upgrade", target)


def downgrade(url: str, target: str = "base") -> None:
    """Migrate the database down to ``target`` (empty by default)."""
    _run(url, "downgrade", target)


def current_revision(url: str) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    engine = migration_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
