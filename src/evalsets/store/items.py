"""Per-datapoint reads across versions: where a datapoint lives, its revisions, removed rows.

Additive helpers for dialects whose items are addressed without their dataset and carry their
own version history (PostHog). Every query is scoped by project or dataset key.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, exists, func, literal, select
from sqlalchemy.orm import aliased

from evalsets.core.model import Version, VersionStatus
from evalsets.store import rows
from evalsets.store.schema import changes, closed, datapoints, datasets, versions

dp = datapoints.c
_COLUMNS = (dp.rid, dp.uid, dp.ordinal, dp.from_seq, dp.to_seq, dp.content_hash, dp.content)
_LIVE_STATUSES = (VersionStatus.UNCOMMITTED.value, VersionStatus.COMMITTED.value)


def dataset_of(conn: Connection, project_id: int, uid: bytes) -> str | None:
    """The id of the (not deleted) dataset of the project that holds or held this datapoint."""
    holds = exists(select(dp.rid).where(dp.dataset_pk == datasets.c.pk, dp.uid == uid))
    query = (
        select(datasets.c.id)
        .where(datasets.c.project_id == project_id, datasets.c.deleted_at.is_(None), holds)
        .limit(1)
    )
    found: str | None = conn.execute(query).scalar_one_or_none()
    return found


def revisions_of(
    conn: Connection, pk: int, uids: Sequence[bytes], *, contents: bool = True
) -> list[Any]:
    """Every stored revision of these datapoints, by datapoint then oldest first.

    Without ``contents`` the rows carry an empty ``content``.
    """
    columns = _COLUMNS if contents else (*_COLUMNS[:-1], literal("{}").label("content"))
    found: list[Any] = []
    for start in range(0, len(uids), 500):
        chunk = list(uids[start : start + 500])
        stmt = (
            select(*columns)
            .where(dp.dataset_pk == pk, dp.uid.in_(chunk))
            .order_by(dp.uid, dp.from_seq)
        )
        found.extend(conn.execute(stmt))
    return found


def change_info(
    conn: Connection, pk: int, seqs: Sequence[int]
) -> dict[int, tuple[datetime, str | None, str | None, int | None]]:
    """(time, author, version id, version number) of each of these changes of a dataset."""
    if not seqs:
        return {}
    query = (
        select(
            changes.c.seq, changes.c.at, changes.c.author, changes.c.version_id, versions.c.number
        )
        .select_from(changes)
        .outerjoin(versions, versions.c.id == changes.c.version_id)
        .where(changes.c.dataset_pk == pk, changes.c.seq.in_(sorted(set(seqs))))
    )
    return {r.seq: (r.at, r.author, r.version_id, r.number) for r in conn.execute(query)}


def _removed_conditions(pk: int, seq: int) -> list[Any]:
    later = aliased(datapoints)
    newer = exists(
        select(later.c.rid).where(
            later.c.dataset_pk == pk,
            later.c.uid == dp.uid,
            later.c.from_seq > dp.from_seq,
            later.c.from_seq <= seq,
        )
    )
    return [dp.dataset_pk == pk, closed(), dp.to_seq <= seq, ~newer]


def removed_page(conn: Connection, pk: int, seq: int, limit: int, offset: int) -> list[Any]:
    """The last revision of each datapoint removed at ``seq``, newest position first."""
    stmt = (
        select(*_COLUMNS)
        .where(*_removed_conditions(pk, seq))
        .order_by(dp.ordinal.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(conn.execute(stmt))


def removed_count(conn: Connection, pk: int, seq: int) -> int:
    """How many datapoints were once in the dataset but are not at ``seq``."""
    stmt = select(func.count()).select_from(datapoints).where(*_removed_conditions(pk, seq))
    return int(conn.execute(stmt).scalar_one())


def version_by_number(conn: Connection, pk: int, dataset_id: str, number: int) -> Version | None:
    """The live (not deleted) version with this number."""
    row = conn.execute(
        select(versions).where(
            versions.c.dataset_pk == pk,
            versions.c.number == number,
            versions.c.status.in_(_LIVE_STATUSES),
        )
    ).first()
    return None if row is None else rows.version(row, dataset_id)


def versions_page(
    conn: Connection, pk: int, dataset_id: str, limit: int, offset: int
) -> tuple[list[Version], int]:
    """A page of the live versions, newest first, and how many there are."""
    where = and_(versions.c.dataset_pk == pk, versions.c.status.in_(_LIVE_STATUSES))
    total = int(conn.execute(select(func.count()).select_from(versions).where(where)).scalar_one())
    query = (
        select(versions).where(where).order_by(versions.c.number.desc()).limit(limit).offset(offset)
    )
    return [rows.version(r, dataset_id) for r in conn.execute(query)], total


def newest_versions(
    conn: Connection, project_id: int, dataset_ids: Sequence[str]
) -> dict[str, Any]:
    """The newest live version of each of these datasets of the project (deleted ones too)."""
    if not dataset_ids:
        return {}
    top = (
        select(versions.c.dataset_pk, func.max(versions.c.number).label("number"))
        .where(versions.c.status.in_(_LIVE_STATUSES))
        .group_by(versions.c.dataset_pk)
        .subquery()
    )
    query = (
        select(datasets.c.id.label("dataset_id"), versions)
        .select_from(datasets)
        .join(top, top.c.dataset_pk == datasets.c.pk)
        .join(
            versions,
            and_(versions.c.dataset_pk == datasets.c.pk, versions.c.number == top.c.number),
        )
        .where(datasets.c.project_id == project_id, datasets.c.id.in_(list(dataset_ids)))
    )
    return {r.dataset_id: rows.version(r, r.dataset_id) for r in conn.execute(query)}
