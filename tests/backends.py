"""Databases for tests: a migrated SQLite file or PostgreSQL database per test, cloned fast."""

from __future__ import annotations

import os
import shutil
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from evalsets.store import migrate

PG_ADMIN_URL = os.environ.get(
    "EVALSETS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"
)


def pg_url(database: str) -> str:
    """The URL of another database on the test PostgreSQL server."""
    return make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)


def _admin() -> psycopg.Connection[tuple[object, ...]]:
    url = make_url(PG_ADMIN_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname=url.database or "postgres",
        autocommit=True,
    )


def create_pg_database(name: str, template: str | None = None) -> str:
    with _admin() as conn:
        clause = f' TEMPLATE "{template}"' if template else ""
        conn.execute(f'CREATE DATABASE "{name}"{clause}')
    return pg_url(name)


def drop_pg_database(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Templates:
    """Migrated template databases, made once per test session."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._sqlite: Path | None = None
        self._pg: str | None = None
        self.run_id = uuid.uuid4().hex[:8]
        self._free: list[str] = []
        self._made: list[str] = []
        self._lock = threading.Lock()

    def sqlite_template(self) -> Path:
        if self._sqlite is None:
            path = self.workdir / "template.db"
            migrate.upgrade(f"sqlite:///{path}")
            self._sqlite = path
        return self._sqlite

    def pg_template(self) -> str:
        if self._pg is None:
            name = f"evalsets_tmpl_{self.run_id}"
            migrate.upgrade(create_pg_database(name))
            self._pg = name
        return self._pg

    @contextmanager
    def database(self, backend: str, tmp_path: Path) -> Iterator[str]:
        """A fresh migrated database URL for one test."""
        if backend == "sqlite":
            target = tmp_path / "evalsets.db"
            shutil.copyfile(self.sqlite_template(), target)
            yield f"sqlite:///{target}"
            return
        name = self._take()
        try:
            yield pg_url(name)
        finally:
            self._give_back(name)

    def _take(self) -> str:
        """A migrated, empty database: a reused one, or a new clone of the template."""
        with self._lock:
            if self._free:
                return self._free.pop()
        name = f"evalsets_t_{self.run_id}_{uuid.uuid4().hex[:10]}"
        create_pg_database(name, template=self.pg_template())
        with self._lock:
            self._made.append(name)
        return name

    def _give_back(self, name: str) -> None:
        """Empty the database for the next test (much faster than DROP and CREATE)."""
        try:
            _truncate_all(name)
        except psycopg.Error:
            return
        with self._lock:
            self._free.append(name)

    def close(self) -> None:
        for name in self._made:
            drop_pg_database(name)
        if self._pg is not None:
            drop_pg_database(self._pg)


def _truncate_all(name: str) -> None:
    url = make_url(pg_url(name))
    with psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname=name,
        autocommit=True,
    ) as conn:
        conn.execute("SET lock_timeout = '5s'")
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename <> 'alembic_version'"
        ).fetchall()
        tables = ", ".join(f'"{row[0]}"' for row in rows)
        if tables:
            conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
