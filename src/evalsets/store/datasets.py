"""Datasets, versions, deployments and the change log (metadata, not datapoints)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Select,
    String,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError

from evalsets.core import buckets
from evalsets.core.errors import NameTaken, NotFound
from evalsets.core.model import Dataset, Deployment, Version
from evalsets.store import rows, sql
from evalsets.store.projects import list_environments
from evalsets.store.schema import changes, datasets, deployments, environments, versions


@dataclass(frozen=True)
class DatasetState:
    """A dataset row with the bookkeeping the store needs (its internal key, head, counters)."""

    pk: int
    dataset: Dataset
    head_seq: int
    next_ordinal: int
    version_count: int


@dataclass(frozen=True)
class VersionState:
    """A version with its per-bucket counts."""

    version: Version
    counts: bytes


_LOAD = select(datasets).where(
    datasets.c.project_id == bindparam("project_id"),
    datasets.c.id == bindparam("dataset_id"),
    datasets.c.deleted_at.is_(None),
)
_LOAD_FOR_UPDATE = _LOAD.with_for_update()
_NEWEST = (
    select(versions)
    .where(versions.c.dataset_pk == bindparam("pk"), versions.c.status != "deleted")
    .order_by(versions.c.number.desc())
    .limit(1)
)
_VERSION = select(versions).where(
    versions.c.dataset_pk == bindparam("pk"), versions.c.id == bindparam("version_id")
)
_INSERT_VERSION = insert(versions)
_INSERT_CHANGE = insert(changes)
_HEAD_MOVED = (
    update(datasets)
    .where(datasets.c.pk == bindparam("_pk"))
    .values(
        head_seq=bindparam("head_seq"),
        next_ordinal=bindparam("next_ordinal"),
        updated_at=bindparam("updated_at"),
    )
)
_HEAD_MOVED_NEW_VERSION = _HEAD_MOVED.values(
    head_version_id=bindparam("head_version_id"), version_count=bindparam("version_count")
)


def _state(row: Any) -> DatasetState:
    return DatasetState(
        pk=row.pk,
        dataset=rows.dataset(row),
        head_seq=row.head_seq,
        next_ordinal=row.next_ordinal,
        version_count=row.version_count,
    )


def insert_dataset(conn: Connection, values: dict[str, Any]) -> DatasetState:
    """A new dataset with no version yet."""
    try:
        with conn.begin_nested():
            pk = conn.execute(
                insert(datasets).values(**values).returning(datasets.c.pk)
            ).scalar_one()
    except IntegrityError:
        raise NameTaken(f"a dataset at path {values['path']!r} already exists") from None
    return load_by_pk(conn, pk)


_BY_PK = select(datasets).where(datasets.c.pk == bindparam("pk"))


def load_by_pk(conn: Connection, pk: int) -> DatasetState:
    return _state(conn.execute(_BY_PK, {"pk": pk}).one())


def load(
    conn: Connection,
    project_id: int,
    dataset_id: str,
    *,
    lock: bool = False,
    include_deleted: bool = False,
) -> DatasetState:
    """A dataset of the project by id; NotFound if absent, in another project or deleted."""
    if not include_deleted:
        locking = lock and conn.dialect.name == "postgresql"
        params = {"project_id": project_id, "dataset_id": dataset_id}
        found = conn.execute(_LOAD_FOR_UPDATE if locking else _LOAD, params).first()
        if found is None:
            raise NotFound("dataset", dataset_id)
        return _state(found)
    query = select(datasets).where(datasets.c.project_id == project_id, datasets.c.id == dataset_id)
    if not include_deleted:
        query = query.where(datasets.c.deleted_at.is_(None))
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound("dataset", dataset_id)
    return _state(row)


def find_by_path(
    conn: Connection, project_id: int, path: str, *, lock: bool = False
) -> DatasetState | None:
    query = select(datasets).where(
        datasets.c.project_id == project_id,
        datasets.c.path == path,
        datasets.c.deleted_at.is_(None),
    )
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).first()
    return None if row is None else _state(row)


def _dataset_filters(
    query: Select[Any],
    project_id: int,
    *,
    name: str | None,
    search: str | None,
    tags: list[str] | None,
    include_deleted: bool,
    ids: list[str] | None,
) -> Select[Any]:
    query = query.where(datasets.c.project_id == project_id)
    if not include_deleted:
        query = query.where(datasets.c.deleted_at.is_(None))
    if name:
        query = query.where(func.lower(datasets.c.name).contains(name.lower(), autoescape=True))
    if search:
        term = search.lower()
        query = query.where(
            or_(
                func.lower(datasets.c.path).contains(term, autoescape=True),
                func.lower(func.coalesce(datasets.c.description, "")).contains(
                    term, autoescape=True
                ),
                func.lower(datasets.c.attributes).contains(term, autoescape=True),
            )
        )
    for tag in tags or []:
        # Match the tag as a JSON string inside the stored array (compared as plain text, so
        # the pattern is not itself JSON-encoded by the column type).
        text = type_coerce(datasets.c.tags, String)
        query = query.where(text.contains(orjson.dumps(tag).decode(), autoescape=True))
    if ids is not None:
        query = query.where(datasets.c.id.in_(ids))
    return query


SORTABLE = {"created_at", "updated_at", "name", "path"}


def list_datasets(
    conn: Connection,
    project_id: int,
    *,
    name: str | None = None,
    search: str | None = None,
    tags: list[str] | None = None,
    ids: list[str] | None = None,
    include_deleted: bool = False,
    sort_by: str = "created_at",
    descending: bool = True,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Dataset], int]:
    """A page of the project's datasets and the number matching in all."""

    def narrowed(query: Select[Any]) -> Select[Any]:
        return _dataset_filters(
            query,
            project_id,
            name=name,
            search=search,
            tags=tags,
            include_deleted=include_deleted,
            ids=ids,
        )

    total = conn.execute(narrowed(select(func.count()).select_from(datasets))).scalar_one()
    column = datasets.c[sort_by if sort_by in SORTABLE else "created_at"]
    order = (
        [column.desc(), datasets.c.pk.desc()] if descending else [column.asc(), datasets.c.pk.asc()]
    )
    page_query = narrowed(select(datasets))
    page_query = page_query.order_by(*order).limit(limit).offset(offset)
    return [rows.dataset(r) for r in conn.execute(page_query)], total


def move_head(
    conn: Connection,
    pk: int,
    *,
    head_seq: int,
    next_ordinal: int,
    updated_at: datetime,
    new_version: tuple[str, int] | None,
) -> None:
    """Record a write in the dataset row: its head, counters and (new version) id and count."""
    params: dict[str, Any] = {
        "_pk": pk,
        "head_seq": head_seq,
        "next_ordinal": next_ordinal,
        "updated_at": updated_at,
    }
    if new_version is None:
        conn.execute(_HEAD_MOVED, params)
        return
    params["head_version_id"], params["version_count"] = new_version
    conn.execute(_HEAD_MOVED_NEW_VERSION, params)


def update_dataset(conn: Connection, pk: int, values: dict[str, Any]) -> DatasetState:
    try:
        with conn.begin_nested():
            conn.execute(update(datasets).where(datasets.c.pk == pk).values(**values))
    except IntegrityError:
        raise NameTaken(f"a dataset at path {values.get('path')!r} already exists") from None
    return load_by_pk(conn, pk)


# --- versions ---------------------------------------------------------------------------


def insert_version(conn: Connection, values: dict[str, Any]) -> None:
    if values.get("name") is None:
        conn.execute(_INSERT_VERSION, values)
        return
    try:
        with conn.begin_nested():
            conn.execute(insert(versions).values(**values))
    except IntegrityError:
        raise NameTaken(f"a version named {values.get('name')!r} already exists") from None


def update_version(conn: Connection, version_id: str, values: dict[str, Any]) -> None:
    if values.get("name") is None:
        conn.execute(update(versions).where(versions.c.id == version_id).values(**values))
        return
    try:
        with conn.begin_nested():
            conn.execute(update(versions).where(versions.c.id == version_id).values(**values))
    except IntegrityError:
        raise NameTaken(f"a version named {values.get('name')!r} already exists") from None


def load_version(conn: Connection, ds: DatasetState, version_id: str) -> VersionState:
    """A version of this dataset by id; NotFound otherwise."""
    row = conn.execute(_VERSION, {"pk": ds.pk, "version_id": version_id}).first()
    if row is None:
        raise NotFound("version", version_id)
    return VersionState(rows.version(row, ds.dataset.id), bytes(row.buckets))


def newest_version(
    conn: Connection, ds: DatasetState, *, include_deleted: bool = False
) -> VersionState | None:
    if include_deleted:
        query = select(versions).where(versions.c.dataset_pk == ds.pk)
        row = conn.execute(query.order_by(versions.c.number.desc()).limit(1)).first()
    else:
        row = conn.execute(_NEWEST, {"pk": ds.pk}).first()
    return (
        None if row is None else VersionState(rows.version(row, ds.dataset.id), bytes(row.buckets))
    )


def version_at_or_before(conn: Connection, ds: DatasetState, seq: int) -> VersionState | None:
    """The version whose contents are the state at ``seq``, if one sits exactly there."""
    row = conn.execute(
        select(versions).where(versions.c.dataset_pk == ds.pk, versions.c.seq == seq).limit(1)
    ).first()
    return (
        None if row is None else VersionState(rows.version(row, ds.dataset.id), bytes(row.buckets))
    )


def list_versions(
    conn: Connection, ds: DatasetState, *, statuses: list[str] | None = None
) -> list[Version]:
    """The dataset's versions, newest first."""
    query = select(versions).where(versions.c.dataset_pk == ds.pk)
    if statuses is not None:
        query = query.where(versions.c.status.in_(statuses))
    query = query.order_by(versions.c.number.desc())
    return [rows.version(r, ds.dataset.id) for r in conn.execute(query)]


def empty_counts() -> bytes:
    return buckets.encode(buckets.empty())


# --- deployments ------------------------------------------------------------------------


def deploy(
    conn: Connection, ds: DatasetState, environment_id: str, version_id: str, now: datetime
) -> None:
    conn.execute(
        delete(deployments).where(
            deployments.c.dataset_pk == ds.pk, deployments.c.environment_id == environment_id
        )
    )
    conn.execute(
        insert(deployments).values(
            dataset_pk=ds.pk, environment_id=environment_id, version_id=version_id, deployed_at=now
        )
    )


def undeploy(conn: Connection, ds: DatasetState, environment_id: str) -> bool:
    result = conn.execute(
        delete(deployments).where(
            deployments.c.dataset_pk == ds.pk, deployments.c.environment_id == environment_id
        )
    )
    return result.rowcount > 0


def deployments_of(conn: Connection, ds: DatasetState) -> list[Deployment]:
    """Where the dataset's versions are deployed, one entry per environment."""
    envs = {e.id: e for e in list_environments(conn, ds.dataset.project_id)}
    query = select(deployments).where(deployments.c.dataset_pk == ds.pk)
    return [
        Deployment(
            dataset_id=ds.dataset.id,
            environment=envs[r.environment_id],
            version_id=r.version_id,
            deployed_at=r.deployed_at,
        )
        for r in conn.execute(query)
        if r.environment_id in envs
    ]


def default_deployment(conn: Connection, ds: DatasetState) -> str | None:
    """The version deployed to the project's default environment, if any."""
    row = sql.fetchone(
        conn,
        "SELECT d.version_id FROM deployments d JOIN environments e ON e.id = d.environment_id"
        " WHERE d.dataset_pk = ? AND e.is_default = ?",
        (ds.pk, True),
    )
    return None if row is None else str(row[0])


def deployed_version_id(conn: Connection, ds: DatasetState, environment_id: str) -> str | None:
    query = select(deployments.c.version_id).where(
        deployments.c.dataset_pk == ds.pk, deployments.c.environment_id == environment_id
    )
    return conn.execute(query).scalar_one_or_none()


def drop_deployments_of_version(conn: Connection, version_id: str) -> None:
    conn.execute(delete(deployments).where(deployments.c.version_id == version_id))


def deployed_per_dataset(conn: Connection, project_id: int) -> dict[str, list[tuple[str, str]]]:
    """For each dataset id of the project: (environment name, version id) pairs."""
    query = (
        select(datasets.c.id, environments.c.name, deployments.c.version_id)
        .select_from(deployments)
        .join(datasets, datasets.c.pk == deployments.c.dataset_pk)
        .join(environments, environments.c.id == deployments.c.environment_id)
        .where(datasets.c.project_id == project_id)
    )
    result: dict[str, list[tuple[str, str]]] = {}
    for ds_id, env_name, version_id in conn.execute(query):
        result.setdefault(ds_id, []).append((env_name, version_id))
    return result


# --- change log -------------------------------------------------------------------------


def record_change(
    conn: Connection,
    ds: DatasetState,
    *,
    seq: int,
    at: datetime,
    author: str | None,
    version_id: str | None,
    kind: str,
) -> None:
    conn.execute(
        _INSERT_CHANGE,
        {
            "dataset_pk": ds.pk,
            "seq": seq,
            "at": at,
            "author": author,
            "version_id": version_id,
            "kind": kind,
        },
    )


def seq_as_of(conn: Connection, ds: DatasetState, at: datetime) -> int:
    """The dataset's change sequence number at a moment (0 before its first change)."""
    query = select(func.max(changes.c.seq)).where(changes.c.dataset_pk == ds.pk, changes.c.at <= at)
    return conn.execute(query).scalar_one() or 0


def change_times(
    conn: Connection, ds: DatasetState, seqs: list[int]
) -> dict[int, tuple[datetime, str | None, str | None]]:
    """When, by whom and in which version each of these changes happened."""
    if not seqs:
        return {}
    query = select(changes.c.seq, changes.c.at, changes.c.author, changes.c.version_id).where(
        and_(changes.c.dataset_pk == ds.pk, changes.c.seq.in_(sorted(set(seqs))))
    )
    return {r.seq: (r.at, r.author, r.version_id) for r in conn.execute(query)}
