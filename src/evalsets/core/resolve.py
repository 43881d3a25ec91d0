"""Finding what a request means: which dataset, which version, which moment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from evalsets.core.errors import InvalidInput, NotFound
from evalsets.core.model import Snapshot, VersionStatus
from evalsets.store import datasets as repo
from evalsets.store import projects as projects_repo
from evalsets.store.datasets import DatasetState, VersionState


def version_for_environment(conn: Connection, ds: DatasetState, environment: str) -> VersionState:
    """The version deployed to an environment (by name or id); NotFound if none is."""
    env = projects_repo.find_environment(conn, ds.dataset.project_id, environment)
    version_id = repo.deployed_version_id(conn, ds, env.id)
    if version_id is None:
        raise NotFound("deployment", f"{ds.dataset.id} in {env.name}")
    return repo.load_version(conn, ds, version_id)


def deployed_or_newest(conn: Connection, ds: DatasetState) -> VersionState | None:
    """The version deployed to the default environment, else the newest version."""
    version_id = repo.default_deployment(conn, ds)
    if version_id is not None:
        return repo.load_version(conn, ds, version_id)
    return repo.newest_version(conn, ds)


def base_version(
    conn: Connection,
    ds: DatasetState,
    *,
    version_id: str | None,
    environment: str | None,
    prefer_deployed: bool,
) -> VersionState | None:
    """The version a write or read starts from: explicit id, environment, or the default."""
    if version_id:
        return repo.load_version(conn, ds, version_id)
    if environment:
        return version_for_environment(conn, ds, environment)
    if prefer_deployed:
        return deployed_or_newest(conn, ds)
    return repo.newest_version(conn, ds)


def snapshot(
    conn: Connection,
    ds: DatasetState,
    *,
    version_id: str | None = None,
    environment: str | None = None,
    as_of: datetime | None = None,
    prefer_deployed: bool = False,
) -> tuple[Snapshot, bytes | None]:
    """What a read sees, with the bucket counts of its version when there is one."""
    if as_of is not None:
        if version_id or environment:
            raise InvalidInput(
                "as_of cannot be combined with a version or environment", field="as_of"
            )
        seq = repo.seq_as_of(conn, ds, as_of)
        at_seq = repo.version_at_or_before(conn, ds, seq) if seq else None
        version = at_seq.version if at_seq else None
        return Snapshot(ds.dataset, seq, version), (at_seq.counts if at_seq else None)
    chosen = base_version(
        conn, ds, version_id=version_id, environment=environment, prefer_deployed=prefer_deployed
    )
    if chosen is None:
        return Snapshot(ds.dataset, 0, None), None
    return Snapshot(ds.dataset, chosen.version.seq, chosen.version), chosen.counts


def draft_or_none(conn: Connection, ds: DatasetState) -> VersionState | None:
    """The dataset's draft: its newest live version if that is uncommitted."""
    newest = repo.newest_version(conn, ds)
    if newest is not None and newest.version.status is VersionStatus.UNCOMMITTED:
        return newest
    return None
