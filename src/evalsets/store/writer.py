"""Writes to the temporal datapoint table: one change set becomes one new change sequence number.

While a write at sequence ``s`` is built, the rows with ``to_seq = OPEN_SEQ`` are the state being
built: first made equal to the base version (``rebase``), then changed (``apply``).
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import Connection, delete, insert, select, update

from evalsets.core import content as content_mod
from evalsets.core.changes import Add, Change, Remove, Update
from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.ids import uuid7_batch
from evalsets.store import sql
from evalsets.store.rows import id_to_uid, uid_to_id
from evalsets.store.schema import OPEN_SEQ, closed, datapoints

dp = datapoints.c
INSERT_COLUMNS = ("dataset_pk", "uid", "ordinal", "from_seq", "to_seq", "content_hash", "content")
RowTuple = tuple[int, bytes, int, int, int, int, str]


@dataclass
class Applied:
    """What a change set did, for the version's counts and the caller's reply."""

    added_ids: list[str] = field(default_factory=list)
    added_ordinals: list[int] = field(default_factory=list)
    removed_ordinals: list[int] = field(default_factory=list)
    next_ordinal: int = 0


def rebase(conn: Connection, pk: int, base_seq: int, head_seq: int, new_seq: int) -> None:
    """Make the open rows equal the state at ``base_seq`` (cost: the difference of the two)."""
    if base_seq == head_seq:
        return
    copy = select(
        dp.dataset_pk,
        dp.uid,
        dp.ordinal,
        _literal(new_seq),
        _literal(OPEN_SEQ),
        dp.content_hash,
        dp.content,
    ).where(
        dp.dataset_pk == pk,
        closed(),
        dp.from_seq <= base_seq,
        dp.to_seq > base_seq,
        dp.to_seq <= head_seq,
    )
    conn.execute(insert(datapoints).from_select(list(INSERT_COLUMNS), copy))
    conn.execute(
        update(datapoints)
        .where(
            dp.dataset_pk == pk,
            dp.to_seq == OPEN_SEQ,
            dp.from_seq > base_seq,
            dp.from_seq < new_seq,
        )
        .values(to_seq=new_seq)
    )


def _literal(value: int) -> Any:
    from sqlalchemy import literal

    return literal(value)


def insert_rows(conn: Connection, rows: Sequence[RowTuple]) -> None:
    """Insert revision rows in bulk: binary COPY on PostgreSQL; on SQLite, one statement per
    batch that reads its rows from one JSON array, so the whole batch is inserted by one call
    that runs without Python's GIL (another thread can prepare the next batch meanwhile)."""
    if not rows:
        return
    first = rows[0]
    if conn.dialect.name == "postgresql" and len(rows) >= BULK_ROWS:
        _copy_rows(conn, rows)
    elif len(rows) >= BULK_ROWS and all(
        row[0] == first[0] and row[3] == first[3] and row[4] == first[4] for row in rows
    ):
        uids = b"".join(row[1] for row in rows)
        values = orjson.dumps([f"{row[2]:+020d}{row[5]:+020d}{row[6]}" for row in rows])
        conn.exec_driver_sql(_SQLITE_BULK_INSERT, (first[0], first[3], first[4], uids, values))
    else:
        placeholders = ", ".join("?" * len(INSERT_COLUMNS))
        statement = f"INSERT INTO datapoints ({', '.join(INSERT_COLUMNS)}) VALUES ({placeholders})"
        if conn.dialect.name == "postgresql":
            statement = statement.replace("?", "%s")
        conn.exec_driver_sql(statement, list(rows))


BULK_ROWS = 50
"""From this many rows on, ``insert_rows`` uses the bulk path."""

_SQLITE_BULK_INSERT = (
    f"INSERT INTO datapoints ({', '.join(INSERT_COLUMNS)})"
    " SELECT ?1, substr(?4, key * 16 + 1, 16), CAST(substr(value, 1, 20) AS INTEGER), ?2, ?3,"
    " CAST(substr(value, 21, 20) AS INTEGER), substr(value, 41) FROM json_each(?5)"
)
"""One batch of rows of one dataset and one sequence interval: ``?4`` holds the uids (16 bytes
each) and ``?5`` a JSON array with one string per row: the ordinal and the content hash as
20 characters each (sign and digits), then the content."""


def _copy_rows(conn: Connection, rows: Sequence[RowTuple]) -> None:
    """One binary COPY of the rows, encoded here in one piece: psycopg then sends it without
    holding the GIL, so the thread preparing the next batch is not held up row by row."""
    raw = conn.connection.driver_connection
    assert raw is not None
    parts = [_COPY_SIGNATURE]
    pack = _COPY_ROW.pack
    for pk, uid, ordinal, from_seq, to_seq, content_hash, content in rows:
        if len(uid) != 16:
            raise ValueError("a datapoint uid is 16 bytes")
        data = content.encode()
        parts.append(pack(7, 4, pk, 16, uid, 8, ordinal, 8, from_seq, 8, to_seq, 8, content_hash))
        parts.append(len(data).to_bytes(4, "big"))
        parts.append(data)
    parts.append(_COPY_TRAILER)
    with raw.cursor() as cur:
        columns = ", ".join(INSERT_COLUMNS)
        with cur.copy(f"COPY datapoints ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.write(b"".join(parts))


_COPY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
"""PostgreSQL's binary COPY header: signature, flags and header extension length (both 0)."""
_COPY_ROW = struct.Struct(">hii" + "i16s" + "iq" * 4)
"""A row's field count and its fields before the content (each a length and a value), in
``INSERT_COLUMNS`` order: int4, bytea, then four int8."""
_COPY_TRAILER = b"\xff\xff"


def close_all_open(conn: Connection, pk: int, new_seq: int) -> None:
    """Empty the state being built (a replace)."""
    conn.execute(delete(datapoints).where(dp.dataset_pk == pk, dp.from_seq == new_seq))
    conn.execute(
        update(datapoints).where(dp.dataset_pk == pk, dp.to_seq == OPEN_SEQ).values(to_seq=new_seq)
    )


def _fold(changes: Iterable[Change]) -> tuple[list[Add], dict[bytes, Update | Remove]]:
    """Adds in order, and the last update or removal of each existing datapoint."""
    adds: list[Add] = []
    edits: dict[bytes, Update | Remove] = {}
    for change in changes:
        if isinstance(change, Add):
            adds.append(change)
            continue
        uid = id_to_uid(change.id)
        if uid is None:
            raise NotFound("datapoint", change.id)
        if isinstance(edits.get(uid), Remove):
            raise NotFound("datapoint", change.id)
        edits[uid] = change
    return adds, edits


def apply(
    conn: Connection, pk: int, *, new_seq: int, next_ordinal: int, changes: Iterable[Change]
) -> Applied:
    """Apply a change set to the state being built at ``new_seq``."""
    adds, edits = _fold(changes)
    applied = Applied(next_ordinal=next_ordinal)
    current = _open_rows(conn, pk, list(edits))
    inserts: list[RowTuple] = []
    closing: list[int] = []
    for uid, change in edits.items():
        row = current.get(uid)
        if row is None:
            raise NotFound("datapoint", uid_to_id(uid))
        if isinstance(change, Remove):
            applied.removed_ordinals.append(row.ordinal)
            if row.from_seq == new_seq:
                sql.execute(conn, "DELETE FROM datapoints WHERE rid = ?", (row.rid,))
            else:
                closing.append(row.rid)
        elif row.from_seq == new_seq:
            sql.execute(
                conn,
                "UPDATE datapoints SET content = ?, content_hash = ? WHERE rid = ?",
                (content_mod.dumps(change.content), change.content_hash, row.rid),
            )
        else:
            closing.append(row.rid)
            text = content_mod.dumps(change.content)
            inserts.append((pk, uid, row.ordinal, new_seq, OPEN_SEQ, change.content_hash, text))
    _close(conn, closing, new_seq)
    fresh = iter(uuid7_batch(sum(1 for add in adds if add.id is None)))
    for add in adds:
        new_uid = next(fresh) if add.id is None else id_to_uid(add.id)
        ident = add.id or uid_to_id(new_uid or b"")
        if new_uid is None:
            raise InvalidInput(f"not a datapoint id: {ident!r}")
        ordinal = applied.next_ordinal
        applied.next_ordinal += 1
        applied.added_ids.append(ident)
        applied.added_ordinals.append(ordinal)
        inserts.append(
            (
                pk,
                new_uid,
                ordinal,
                new_seq,
                OPEN_SEQ,
                add.content_hash,
                content_mod.dumps(add.content),
            )
        )
    insert_rows(conn, inserts)
    return applied


def _open_rows(conn: Connection, pk: int, uids: list[bytes]) -> dict[bytes, Any]:
    found: dict[bytes, Any] = {}
    for start in range(0, len(uids), 500):
        chunk = uids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        statement = (
            f"SELECT rid, uid, ordinal, from_seq FROM {sql.datapoints_by(conn, sql.BY_UID)}"
            f" WHERE dataset_pk = ? AND to_seq = ? AND uid IN ({marks})"
        )
        for row in sql.fetchall(conn, statement, (pk, OPEN_SEQ, *chunk)):
            found[bytes(row.uid)] = row
    return found


def _close(conn: Connection, rids: list[int], new_seq: int) -> None:
    """End these revisions at ``new_seq``, 500 per statement."""
    for start in range(0, len(rids), 500):
        chunk = rids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        statement = f"UPDATE datapoints SET to_seq = ? WHERE rid IN ({marks})"
        sql.execute(conn, statement, (new_seq, *chunk))
