"""The domain objects the core returns: plain, immutable dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from evalsets.core.content import Record


class VersionStatus(StrEnum):
    """The life cycle of a version: uncommitted (a draft), committed (frozen), deleted."""

    UNCOMMITTED = "uncommitted"
    COMMITTED = "committed"
    DELETED = "deleted"


class Scope(StrEnum):
    """What an API key may do."""

    READ = "datasets:read"
    WRITE = "datasets:write"
    ADMIN = "admin"


Action = Literal["set", "add", "remove"]


@dataclass(frozen=True)
class Project:
    """The tenant: every dataset, key and environment belongs to one project."""

    id: int
    name: str
    created_at: datetime


@dataclass(frozen=True)
class ApiKey:
    """An API key; the secret itself is never stored, only its hash."""

    id: str
    project_id: int
    name: str
    prefix: str
    scopes: tuple[str, ...]
    created_at: datetime
    revoked_at: datetime | None = None

    def allows(self, scope: Scope) -> bool:
        """Whether the key grants ``scope`` (admin implies every scope, write implies read)."""
        granted = set(self.scopes)
        if Scope.ADMIN in granted:
            return True
        if scope is Scope.READ and Scope.WRITE in granted:
            return True
        return scope.value in granted


@dataclass(frozen=True)
class Environment:
    """A named pointer per project to which dataset versions are deployed."""

    id: str
    project_id: int
    name: str
    is_default: bool
    created_at: datetime


@dataclass(frozen=True)
class Dataset:
    """A dataset: metadata only; its contents live in versions."""

    id: str
    project_id: int
    path: str
    name: str
    description: str | None
    type: str | None
    readme: str | None
    tags: tuple[str, ...]
    attributes: dict[str, Any]
    schema: dict[str, Any] | None
    active: bool
    head_version_id: str | None
    created_by: str | None
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class Version:
    """A version of a dataset: a point on its change sequence with a status and a name."""

    id: str
    dataset_id: str
    number: int
    seq: int
    parent_id: str | None
    status: VersionStatus
    name: str | None
    description: str | None
    commit_message: str | None
    attributes: dict[str, Any]
    author: str | None
    datapoint_count: int
    created_at: datetime
    updated_at: datetime
    committed_at: datetime | None = None


@dataclass(frozen=True)
class Datapoint:
    """One datapoint as seen at some version: a stable id and its JSON record."""

    id: str
    ordinal: int
    content: Record
    content_hash: int
    revision: int
    """The change sequence number at which this content was written."""

    def record(self) -> Record:
        """The record with its id, as clients see it."""
        return {"id": self.id, **self.content}


@dataclass(frozen=True)
class Deployment:
    """A version of a dataset deployed to an environment."""

    dataset_id: str
    environment: Environment
    version_id: str
    deployed_at: datetime


@dataclass(frozen=True)
class Snapshot:
    """What a read looks at: a dataset at one point of its change sequence."""

    dataset: Dataset
    seq: int
    version: Version | None
    """The version whose contents the snapshot is, or None for an ``as_of`` moment between."""


@dataclass(frozen=True)
class Page:
    """One page of datapoints, with the total and the cursor of the next page."""

    items: list[Datapoint]
    total: int
    next_cursor: str | None = None


@dataclass(frozen=True)
class RawPage:
    """A page whose datapoints are JSON objects (bytes) exactly as stored, id first."""

    items: list[bytes]
    total: int
    next_cursor: str | None = None


@dataclass(frozen=True)
class ChangedDatapoint:
    """A datapoint present in both versions with different content."""

    id: str
    before: Record
    after: Record
    fields: list[str]


@dataclass(frozen=True)
class Diff:
    """What changed from version ``base`` to version ``target``."""

    base_version_id: str | None
    target_version_id: str | None
    added: list[Datapoint] = field(default_factory=list)
    removed: list[Datapoint] = field(default_factory=list)
    changed: list[ChangedDatapoint] = field(default_factory=list)


@dataclass(frozen=True)
class DatapointRevision:
    """One entry of a datapoint's history."""

    datapoint_id: str
    seq: int
    at: datetime
    author: str | None
    op: Literal["created", "updated", "removed"]
    content: Record | None
    version_id: str | None


@dataclass(frozen=True)
class WriteResult:
    """The outcome of a write: the version written to, and whether it is new."""

    version: Version
    created: bool
    datapoint_ids: list[str] = field(default_factory=list)
