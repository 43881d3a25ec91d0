"""Reads of the temporal datapoint table: pages, lookups, history and differences."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    ColumnElement,
    Connection,
    and_,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSONB

from evalsets.core import buckets
from evalsets.core.errors import InvalidInput
from evalsets.store import sql
from evalsets.store.schema import OPEN_SEQ, closed, datapoints

dp = datapoints.c
_COLUMNS = (dp.rid, dp.uid, dp.ordinal, dp.from_seq, dp.to_seq, dp.content_hash, dp.content)
_COLUMN_LIST = "rid, uid, ordinal, from_seq, to_seq, content_hash, content"
_LIVE = "dataset_pk = ? AND from_seq <= ? AND to_seq > ?"
_PAGE_AFTER = "SELECT {c} FROM {t} WHERE {w} AND ordinal > ? ORDER BY ordinal LIMIT ?"
_PAGE_FROM = "SELECT {c} FROM {t} WHERE {w} AND ordinal >= ? ORDER BY ordinal LIMIT ? OFFSET ?"


def _by_ordinal(conn: Connection, template: str) -> str:
    source = sql.datapoints_by(conn, sql.BY_ORDINAL)
    return template.format(c=_COLUMN_LIST, t=source, w=_LIVE)


@dataclass(frozen=True)
class Query:
    """Optional narrowing of a read: one field equal to a value, and/or a text search."""

    field: str | None = None
    value: Any = None
    search: str | None = None

    @property
    def empty(self) -> bool:
        return self.field is None and not self.search


def live_at(seq: int) -> ColumnElement[bool]:
    """Revisions live at change sequence number ``seq``."""
    return and_(dp.from_seq <= seq, dp.to_seq > seq)


def _field_path(field: str) -> list[str]:
    parts = field.split(".")
    if not all(parts):
        raise InvalidInput(f"invalid field path {field!r}", field="filter")
    return parts


_NUL_ESCAPE = "\\u0000"
_NUL_STANDIN = "\\ufffd"


def _conditions(
    conn: Connection, pk: int, seq: int, query: Query | None
) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [dp.dataset_pk == pk, live_at(seq)]
    if query is None:
        return conds
    if query.field is not None:
        parts = _field_path(query.field)
        encoded = orjson.dumps(query.value).decode()
        if conn.dialect.name == "postgresql":
            # JSONB refuses the escape \u0000 (a NUL character), which text columns hold fine:
            # compare with NUL read as U+FFFD on both sides (same-length escapes keep the JSON
            # valid), so one such datapoint cannot make every filtered read fail.
            stored = cast(func.replace(dp.content, _NUL_ESCAPE, _NUL_STANDIN), JSONB)
            wanted = encoded.replace(_NUL_ESCAPE, _NUL_STANDIN)
            conds.append(stored[parts] == cast(literal(wanted), JSONB))
        else:
            json_path = "$" + "".join(f'."{p}"' for p in parts)
            extracted = dp.content.op("->")(json_path)
            conds.append(type_coerce(extracted, JSON) == func.json(literal(encoded)))
    if query.search:
        term = query.search
        if conn.dialect.name == "postgresql":
            conds.append(dp.content.icontains(term, autoescape=True))
        else:
            conds.append(dp.content.contains(term, autoescape=True))
    return conds


def page_after(
    conn: Connection, pk: int, seq: int, after_ordinal: int, limit: int, query: Query | None = None
) -> list[Any]:
    """Keyset page: the next ``limit`` live rows after an ordinal, in order."""
    if query is None or query.empty:
        statement = _by_ordinal(conn, _PAGE_AFTER)
        return sql.fetchall(conn, statement, (pk, seq, seq, after_ordinal, limit))
    stmt = (
        select(*_COLUMNS)
        .where(*_conditions(conn, pk, seq, query), dp.ordinal > after_ordinal)
        .order_by(dp.ordinal)
        .limit(limit)
    )
    return list(conn.execute(stmt))


def page_at_offset(
    conn: Connection,
    pk: int,
    seq: int,
    offset: int,
    limit: int,
    counts: bytes | None,
    query: Query | None = None,
) -> list[Any]:
    """Offset page; with a version's bucket counts, deep offsets skip whole buckets."""
    start_ordinal, skip = 0, offset
    if counts is not None and (query is None or query.empty):
        start_ordinal, skip = buckets.locate(buckets.decode(counts), offset)
    if query is None or query.empty:
        statement = _by_ordinal(conn, _PAGE_FROM)
        return sql.fetchall(conn, statement, (pk, seq, seq, start_ordinal, limit, skip))
    stmt = (
        select(*_COLUMNS)
        .where(*_conditions(conn, pk, seq, query), dp.ordinal >= start_ordinal)
        .order_by(dp.ordinal)
        .limit(limit)
        .offset(skip)
    )
    return list(conn.execute(stmt))


def count(conn: Connection, pk: int, seq: int, query: Query | None = None) -> int:
    """How many live rows match (a scan: use a version's stored count when unfiltered)."""
    stmt = select(func.count()).select_from(datapoints).where(*_conditions(conn, pk, seq, query))
    return int(conn.execute(stmt).scalar_one())


def live_rows(conn: Connection, pk: int, seq: int, uids: Sequence[bytes]) -> dict[bytes, Any]:
    """The live revision of each of these datapoints that has one."""
    found: dict[bytes, Any] = {}
    for start in range(0, len(uids), 500):
        chunk = list(uids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        source = sql.datapoints_by(conn, sql.BY_UID)
        statement = f"SELECT {_COLUMN_LIST} FROM {source} WHERE {_LIVE} AND uid IN ({marks})"
        for row in sql.fetchall(conn, statement, (pk, seq, seq, *chunk)):
            found[bytes(row.uid)] = row
    return found


def live_by_hash(
    conn: Connection, pk: int, seq: int, hashes: Sequence[int]
) -> dict[int, list[Any]]:
    """Live rows whose content hash is one of these, grouped by hash, in order."""
    found: dict[int, list[Any]] = {}
    unique = sorted(set(hashes))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        source = sql.datapoints_by(conn, sql.BY_HASH)
        statement = (
            f"SELECT {_COLUMN_LIST} FROM {source}"
            f" WHERE {_LIVE} AND content_hash IN ({marks}) ORDER BY ordinal"
        )
        for row in sql.fetchall(conn, statement, (pk, seq, seq, *chunk)):
            found.setdefault(row.content_hash, []).append(row)
    return found


def iter_live(
    conn: Connection, pk: int, seq: int, batch: int = 2000, query: Query | None = None
) -> Iterator[Any]:
    """Every live row in order, fetched in keyset batches (bounded memory)."""
    after = -1
    while True:
        page = page_after(conn, pk, seq, after, batch, query)
        yield from page
        if len(page) < batch:
            return
        after = page[-1].ordinal


def iter_live_hashes(conn: Connection, pk: int, seq: int) -> Iterator[tuple[bytes, int, int]]:
    """(uid, content hash, ordinal) of every live row, in order."""
    stmt = (
        select(dp.uid, dp.content_hash, dp.ordinal)
        .where(dp.dataset_pk == pk, live_at(seq))
        .order_by(dp.ordinal)
    )
    for row in conn.execute(stmt):
        yield bytes(row.uid), row.content_hash, row.ordinal


def history(conn: Connection, pk: int, uid: bytes) -> list[Any]:
    """Every revision of one datapoint, oldest first."""
    stmt = select(*_COLUMNS).where(dp.dataset_pk == pk, dp.uid == uid).order_by(dp.from_seq)
    return list(conn.execute(stmt))


def appeared_between(conn: Connection, pk: int, low: int, high: int) -> list[Any]:
    """Rows live at ``high`` but not at ``low`` (low < high)."""
    stmt = (
        select(*_COLUMNS)
        .where(dp.dataset_pk == pk, dp.from_seq > low, dp.from_seq <= high, dp.to_seq > high)
        .order_by(dp.ordinal)
    )
    return list(conn.execute(stmt))


def vanished_between(conn: Connection, pk: int, low: int, high: int) -> list[Any]:
    """Rows live at ``low`` but not at ``high`` (low < high)."""
    stmt = (
        select(*_COLUMNS)
        .where(
            dp.dataset_pk == pk, closed(), dp.to_seq > low, dp.to_seq <= high, dp.from_seq <= low
        )
        .order_by(dp.ordinal)
    )
    return list(conn.execute(stmt))


def open_rows(conn: Connection, pk: int, uids: Sequence[bytes]) -> dict[bytes, Any]:
    """The head (open-ended) revision of each of these datapoints that has one."""
    return live_rows(conn, pk, OPEN_SEQ - 1, uids)


def refresh_statistics(conn: Connection) -> None:
    """Let PostgreSQL's planner see a large import at once (SQLite reads use index hints)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE datapoints")
