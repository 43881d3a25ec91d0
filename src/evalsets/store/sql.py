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
