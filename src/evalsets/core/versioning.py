"""How a change set becomes a version: a new one, or an edit of the open draft.

Runs inside a write transaction with the dataset locked. The cost is the size of the change set
plus the difference between the base and the head, never the size of the dataset.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from evalsets.core import buckets, resolve
from evalsets.core.changes import Change
from evalsets.core.clock import utcnow
from evalsets.core.errors import StaleVersion
from evalsets.core.ids import VERSION, new_id
from evalsets.core.model import Version, VersionStatus
from evalsets.store import datasets as repo
from evalsets.store import writer
from evalsets.store.datasets import DatasetState, VersionState


@dataclass(frozen=True)
class VersionMeta:
    """What a client says about the version a write creates."""

    commit: bool = False
    message: str | None = None
    name: str | None = None
    description: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    author: str | None = None


@dataclass
class Target:
    """Where a write lands: an open draft, or a new version on top of ``base``."""

    base: VersionState | None
    draft: VersionState | None
    new_seq: int
    kind: str

    @property
    def base_seq(self) -> int:
        source = self.draft or self.base
        return source.version.seq if source else 0

    def counts(self) -> array[int]:
        source = self.draft or self.base
        return buckets.decode(source.counts) if source else buckets.empty()

    def count(self) -> int:
        source = self.draft or self.base
        return source.version.datapoint_count if source else 0


def check_head(conn: Connection, state: DatasetState, expected_head: str | None) -> None:
    """Optimistic concurrency: fail if the newest version is not the one the client saw."""
    if expected_head is None:
        return
    newest = repo.newest_version(conn, state)
    current = newest.version.id if newest else None
    if current != expected_head:
        raise StaleVersion(expected_head, current)


def new_version_target(state: DatasetState, base: VersionState | None) -> Target:
    return Target(base=base, draft=None, new_seq=state.head_seq + 1, kind="version")


def draft_target(conn: Connection, state: DatasetState) -> Target:
    """The draft if there is one, else a new uncommitted version on the newest version."""
    draft = resolve.draft_or_none(conn, state)
    if draft is not None:
        return Target(base=None, draft=draft, new_seq=state.head_seq + 1, kind="edit")
    return Target(
        base=repo.newest_version(conn, state),
        draft=None,
        new_seq=state.head_seq + 1,
        kind="version",
    )


def apply_changes(
    conn: Connection,
    state: DatasetState,
    target: Target,
    changes: Iterable[Change],
    meta: VersionMeta,
) -> tuple[Version, list[str]]:
    """Write the changes at the target; returns the version and the ids of added datapoints."""
    writer.rebase(conn, state.pk, target.base_seq, state.head_seq, target.new_seq)
    applied = writer.apply(
        conn, state.pk, new_seq=target.new_seq, next_ordinal=state.next_ordinal, changes=changes
    )
    counts = buckets.adjust(target.counts(), applied.added_ordinals, applied.removed_ordinals)
    size = target.count() + len(applied.added_ordinals) - len(applied.removed_ordinals)
    version = finish(conn, state, target, counts, size, applied.next_ordinal, meta)
    return version, applied.added_ids


def finish(
    conn: Connection,
    state: DatasetState,
    target: Target,
    counts: array[int],
    size: int,
    next_ordinal: int,
    meta: VersionMeta,
) -> Version:
    """Record the version (new, or the edited draft), the dataset's head and the change."""
    now = utcnow()
    if target.draft is not None:
        version = replace(
            target.draft.version, seq=target.new_seq, datapoint_count=size, updated_at=now
        )
        repo.update_version(
            conn,
            version.id,
            {
                "seq": target.new_seq,
                "datapoint_count": size,
                "buckets": buckets.encode(counts),
                "updated_at": now,
            },
        )
    else:
        status = VersionStatus.COMMITTED if meta.commit else VersionStatus.UNCOMMITTED
        version = Version(
            id=new_id(VERSION),
            dataset_id=state.dataset.id,
            number=state.version_count + 1,
            seq=target.new_seq,
            parent_id=target.base.version.id if target.base else None,
            status=status,
            name=meta.name,
            description=meta.description,
            commit_message=meta.message,
            attributes=dict(meta.attributes),
            author=meta.author,
            datapoint_count=size,
            created_at=now,
            updated_at=now,
            committed_at=now if meta.commit else None,
        )
        repo.insert_version(conn, _version_row(state, version, counts))
    repo.move_head(
        conn,
        state.pk,
        head_seq=target.new_seq,
        next_ordinal=next_ordinal,
        updated_at=now,
        new_version=None if target.draft else (version.id, state.version_count + 1),
    )
    repo.record_change(
        conn,
        state,
        seq=target.new_seq,
        at=now,
        author=meta.author,
        version_id=version.id,
        kind=target.kind,
    )
    return version


def _version_row(state: DatasetState, version: Version, counts: array[int]) -> dict[str, Any]:
    return {
        "id": version.id,
        "dataset_pk": state.pk,
        "number": version.number,
        "seq": version.seq,
        "parent_id": version.parent_id,
        "status": version.status.value,
        "name": version.name,
        "description": version.description,
        "commit_message": version.commit_message,
        "attributes": version.attributes,
        "author": version.author,
        "datapoint_count": version.datapoint_count,
        "buckets": buckets.encode(counts),
        "created_at": version.created_at,
        "updated_at": version.updated_at,
        "committed_at": version.committed_at,
    }
