"""Hand-written SQL for the hot paths, the same text on SQLite and PostgreSQL.

Statements use ``?`` placeholders; for psycopg they become ``%s``. Going straight to the driver
skips SQLAlchemy's statement construction, which costs more than the query itself for the
one-row reads and writes that versions are made of.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection


@cache
def _for_psycopg(statement: str) -> str:
    return statement.replace("%", "%%").replace("?", "%s")


def execute(conn: Connection, statement: str, params: Sequence[Any] = ()) -> Any:
    """Run one statement with positional parameters; returns the driver's cursor result."""
    if conn.dialect.name == "postgresql":
        statement = _for_psycopg(statement)
    return conn.exec_driver_sql(statement, tuple(params))


def fetchall(conn: Connection, statement: str, params: Sequence[Any] = ()) -> list[Any]:
    return list(execute(conn, statement, params).fetchall())


def fetchone(conn: Connection, statement: str, params: Sequence[Any] = ()) -> Any:
    return execute(conn, statement, params).fetchone()


BY_UID = "ix_datapoints_dataset_pk_uid_from_seq"
BY_HASH = "ix_datapoints_dataset_pk_content_hash"
BY_ORDINAL = "ix_datapoints_dataset_pk_ordinal_from_seq"


def datapoints_by(conn: Connection, index: str) -> str:
    """``datapoints`` with an index hint on SQLite.

    Without statistics, SQLite's planner prefers the ``to_seq`` or ``from_seq`` index for
    ``uid IN (…)`` lookups (``to_seq = OPEN_SEQ`` looks selective; it matches every live row),
    which turns a lookup of k rows into a scan of the dataset. PostgreSQL keeps statistics.
    """
    return f"datapoints INDEXED BY {index}" if conn.dialect.name == "sqlite" else "datapoints"
