"""The store: one database (SQLite file or PostgreSQL), its migrations and its transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection

from evalsets.store import migrate
from evalsets.store.database import Database


class Store:
    """Persistence for one evalsets deployment. Create with a database URL, then ``upgrade()``."""

    def __init__(self, url: str, *, busy_timeout_ms: int = 30_000) -> None:
        """``busy_timeout_ms``: how long an SQLite statement waits for a lock before failing."""
        self.db = Database(url, busy_timeout_ms=busy_timeout_ms)

    @classmethod
    def sqlite(cls, path: Path) -> Store:
        """A store in an SQLite file (created if missing)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        return cls(f"sqlite:///{path}")

    @property
    def url(self) -> str:
        return self.db.url

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def upgrade(self) -> None:
        """Apply every pending migration."""
        migrate.upgrade(self.db.url)

    @contextmanager
    def write(self, *, bulk: bool = False) -> Iterator[Connection]:
        """A write transaction; everything in it commits together or not at all.

        ``bulk`` marks a large write (an import), which the database may commit differently.
        """
        with self.db.write(bulk=bulk) as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction with a consistent view."""
        with self.db.read() as conn:
            yield conn

    def ping(self) -> None:
        self.db.ping()

    def settle(self) -> None:
        """Wait until background work started by earlier writes (if any) is done."""
        self.db.settle()

    def close(self) -> None:
        self.db.dispose()
