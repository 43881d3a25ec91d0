"""Engines and transactions for SQLite and PostgreSQL, with their settings in one place."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import StatementError

from evalsets.core.errors import InvalidInput
from evalsets.store.checkpoint import Checkpointer

SQLITE_PAGE_SIZE = 16384
"""Page size of new SQLite files: 0.8 KB datapoints fill 4 KiB pages after a few rows, and
four times larger pages take about a third off the B-tree work of a large import."""

_NORMAL = {"wal_autocheckpoint": 1000, "cache_size": -32768}
"""Connection settings outside bulk writes: SQLite's default checkpoint threshold, 32 MiB of page
cache per connection (bounded memory during large reads and writes)."""

SQLITE_PRAGMAS = (
    # Takes effect only while the file is still empty (see migrate, which usually creates it).
    f"PRAGMA page_size={SQLITE_PAGE_SIZE}",
    # WAL lets readers run while one writer writes; a failed write leaves the file intact.
    "PRAGMA journal_mode=WAL",
    # NORMAL is durable in WAL mode except for the last transactions on power loss (not crash).
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    *(f"PRAGMA {name}={value}" for name, value in _NORMAL.items()),
    "PRAGMA temp_store=MEMORY",
    # After a checkpoint has caught up, shrink the log back to 64 MiB.
    "PRAGMA journal_size_limit=67108864",
)
_BULK = {"wal_autocheckpoint": 0, "cache_size": -49152}
"""During a bulk write: no checkpoint inside its COMMIT (a background thread does it), and a
48 MiB cache, which holds the content-hash index's randomly placed pages of a 1M-row import."""


def _unstorable(exc: BaseException) -> str | None:
    """Why a value cannot be stored, if that is what this database error is, else None.

    Unpaired UTF-16 surrogates cannot be encoded as UTF-8 (neither database takes them), and
    PostgreSQL text cannot hold NUL characters: both are the client's input, not a fault.
    """
    cause = exc.orig if isinstance(exc, StatementError) else exc
    text_ = str(cause)
    if isinstance(cause, UnicodeError | TypeError) and "surrogates not allowed" in text_:
        return "text cannot contain unpaired UTF-16 surrogates"
    if "cannot contain NUL (0x00)" in text_:
        return "text cannot contain NUL characters"
    return None


@contextmanager
def _refuse_unstorable() -> Iterator[None]:
    """Turn "this value cannot be stored" errors into InvalidInput (after the rollback)."""
    try:
        yield
    except (UnicodeError, StatementError) as exc:
        reason = _unstorable(exc)
        if reason is None:
            raise
        raise InvalidInput(reason) from None


def normalize_url(url: str) -> str:
    """A SQLAlchemy URL: ``postgresql://`` uses psycopg 3, ``sqlite:///`` stays as it is."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_engine(url: str, *, immediate: bool, busy_timeout_ms: int) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        pool_size=8,
        max_overflow=8,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own is too late/lax).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        # How long to wait for a lock rather than fail with "database is locked".
        cursor.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _apply(conn: Connection, settings: dict[str, int]) -> None:
    """Set SQLite connection pragmas (outside a transaction)."""
    raw = conn.connection.driver_connection
    assert raw is not None
    for name, value in settings.items():
        raw.execute(f"PRAGMA {name}={value}")


class Database:
    """The connection pools of one store, and its transactions.

    SQLite gets two pools on one file: writes take ``BEGIN IMMEDIATE`` behind a process-wide
    lock (one writer at a time, as SQLite allows), reads take plain ``BEGIN`` and run beside it.
    PostgreSQL uses one pool; writers serialise per dataset with row locks.
    """

    def __init__(self, url: str, *, busy_timeout_ms: int = 30_000) -> None:
        self.url = normalize_url(url)
        self.dialect = make_url(self.url).get_backend_name()
        self._write_lock = threading.Lock()
        if self.dialect == "sqlite":
            self.writer = _sqlite_engine(self.url, immediate=True, busy_timeout_ms=busy_timeout_ms)
            self.reader = _sqlite_engine(self.url, immediate=False, busy_timeout_ms=busy_timeout_ms)
            self._checkpointer: Checkpointer | None = Checkpointer(self.reader)
        elif self.dialect == "postgresql":
            self.writer = create_engine(self.url, pool_size=10, max_overflow=20, pool_pre_ping=True)
            self.reader = self.writer
            self._checkpointer = None
        else:
            raise ValueError(f"unsupported database: {self.dialect}")

    @property
    def is_sqlite(self) -> bool:
        """Whether the store is an SQLite file."""
        return self.dialect == "sqlite"

    @contextmanager
    def write(self, *, bulk: bool = False) -> Iterator[Connection]:
        """One write transaction: committed on success, rolled back on any exception.

        ``bulk`` marks a large write: on SQLite its commit leaves the WAL checkpoint to a
        background thread instead of doing it before returning.
        """
        if not self.is_sqlite:
            with _refuse_unstorable(), self.writer.begin() as conn:
                yield conn
            return
        with _refuse_unstorable(), self._write_lock, self.writer.connect() as conn:
            if bulk:
                _apply(conn, _BULK)
            try:
                with conn.begin():
                    yield conn
            finally:
                if bulk:
                    _apply(conn, _NORMAL)
        if bulk and self._checkpointer is not None:
            self._checkpointer.request()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """One read transaction (a consistent snapshot)."""
        with _refuse_unstorable(), self.reader.connect() as conn, conn.begin():
            if not self.is_sqlite:
                conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield conn

    def ping(self) -> None:
        """Raise unless the database answers a trivial query."""
        with self.reader.connect() as conn:
            conn.execute(text("SELECT 1"))

    def settle(self) -> None:
        """Wait for background work: a WAL checkpoint that a bulk write started."""
        if self._checkpointer is not None:
            self._checkpointer.wait()

    def dispose(self) -> None:
        """Finish any background checkpoint, then close every pooled connection."""
        self.settle()
        self.writer.dispose()
        if self.reader is not self.writer:
            self.reader.dispose()
