"""Humanloop's set-based rules as change sets: ``set``, ``add`` and ``remove`` with dedup.

A datapoint is a duplicate of another when their content hashes are equal (``inputs``,
``messages``, ``expected`` and every other key, ids excluded). An ``_dedupe_id`` inside
``inputs`` makes otherwise equal datapoints different.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from evalsets.core import content as content_mod
from evalsets.core.changes import Add, Change, Remove
from evalsets.core.content import Record
from evalsets.store import revisions
from evalsets.store.rows import uid_to_id


def unique_records(records: Sequence[Record]) -> list[tuple[int, Record]]:
    """(hash, content) of each record, first occurrence of equal contents only."""
    seen: set[int] = set()
    result: list[tuple[int, Record]] = []
    for record in records:
        digest = content_mod.content_hash(record)
        if digest not in seen:
            seen.add(digest)
            result.append((digest, record))
    return result


def plan_set(conn: Connection, pk: int, base_seq: int, records: Sequence[Record]) -> list[Change]:
    """The version becomes exactly these datapoints; equal ones keep their ids."""
    wanted = unique_records(records)
    existing: dict[int, list[bytes]] = {}
    if base_seq:
        for uid, digest, _ordinal in revisions.iter_live_hashes(conn, pk, base_seq):
            existing.setdefault(digest, []).append(uid)
    changes: list[Change] = []
    for digest, record in wanted:
        matches = existing.get(digest)
        if matches:
            matches.pop(0)
        else:
            changes.append(Add(record, digest))
    leftovers = [uid for uids in existing.values() for uid in uids]
    changes.extend(Remove(uid_to_id(uid)) for uid in leftovers)
    return changes


def plan_add(conn: Connection, pk: int, base_seq: int, records: Sequence[Record]) -> list[Change]:
    """The base plus these datapoints, except those it already holds."""
    wanted = unique_records(records)
    present = revisions.live_by_hash(conn, pk, base_seq, [d for d, _ in wanted]) if base_seq else {}
    return [Add(record, digest) for digest, record in wanted if digest not in present]


def plan_remove(
    conn: Connection, pk: int, base_seq: int, records: Sequence[Record]
) -> list[Change]:
    """The base minus every datapoint equal to one of these."""
    if not base_seq:
        return []
    digests = [content_mod.content_hash(r) for r in records]
    present = revisions.live_by_hash(conn, pk, base_seq, digests)
    return [Remove(uid_to_id(bytes(row.uid))) for rows in present.values() for row in rows]
