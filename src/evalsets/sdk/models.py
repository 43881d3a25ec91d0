"""Plain dataclasses for what the native API returns (datapoints stay plain dicts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Dataset:
    """A dataset: ``path`` is its folder path and name; ``id`` starts with ``ds_``."""

    id: str
    path: str
    name: str
    description: str | None = None
    type: str | None = None
    readme: str | None = None
    tags: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    schema: dict[str, Any] | None = None
    active: bool = True
    head_version_id: str | None = None
    created_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None
    deployed: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Dataset:
        deployed = dict(body.get("deployed") or {})
        for entry in body.get("deployments") or []:
            deployed[entry["environment"]["name"]] = entry["version_id"]
        return cls(
            id=body["id"],
            path=body["path"],
            name=body["name"],
            description=body.get("description"),
            type=body.get("type"),
            readme=body.get("readme"),
            tags=list(body.get("tags") or []),
            attributes=dict(body.get("attributes") or {}),
            schema=body.get("schema"),
            active=bool(body.get("active", True)),
            head_version_id=body.get("head_version_id"),
            created_by=body.get("created_by"),
            created_at=body.get("created_at"),
            updated_at=body.get("updated_at"),
            deployed=deployed,
        )


@dataclass(frozen=True)
class Version:
    """A version of a dataset: ``number`` counts 1, 2, 3… per dataset."""

    id: str
    dataset_id: str
    number: int
    status: str
    name: str | None = None
    description: str | None = None
    commit_message: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    author: str | None = None
    parent_id: str | None = None
    datapoint_count: int = 0
    created_at: str | None = None
    updated_at: str | None = None
    committed_at: str | None = None
    created: bool | None = None

    @property
    def committed(self) -> bool:
        return self.status == "committed"

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Version:
        return cls(
            id=body["id"],
            dataset_id=body["dataset_id"],
            number=int(body["number"]),
            status=body["status"],
            name=body.get("name"),
            description=body.get("description"),
            commit_message=body.get("commit_message"),
            attributes=dict(body.get("attributes") or {}),
            author=body.get("author"),
            parent_id=body.get("parent_id"),
            datapoint_count=int(body.get("datapoint_count") or 0),
            created_at=body.get("created_at"),
            updated_at=body.get("updated_at"),
            committed_at=body.get("committed_at"),
            created=body.get("created"),
        )


@dataclass(frozen=True)
class Deployment:
    """Which version an environment serves."""

    environment: str
    version_id: str
    deployed_at: str | None = None

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Deployment:
        return cls(body["environment"]["name"], body["version_id"], body.get("deployed_at"))


@dataclass(frozen=True)
class Page:
    """One page of datapoints; ``next_cursor`` is None on the last page."""

    items: list[Record]
    total: int
    next_cursor: str | None


@dataclass(frozen=True)
class Change:
    """A datapoint present in both versions whose content differs."""

    id: str
    fields: list[str]
    before: Record
    after: Record


@dataclass(frozen=True)
class Diff:
    """Datapoints added, removed and changed from ``base`` to ``target``."""

    base_version_id: str | None
    target_version_id: str | None
    added: list[Record]
    removed: list[Record]
    changed: list[Change]

    @property
    def stats(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> Diff:
        return cls(
            body.get("base_version_id"),
            body.get("target_version_id"),
            list(body.get("added") or []),
            list(body.get("removed") or []),
            [Change(c["id"], list(c["fields"]), c["before"], c["after"]) for c in body["changed"]],
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "base_version_id": self.base_version_id,
            "target_version_id": self.target_version_id,
            "added": self.added,
            "removed": self.removed,
            "changed": [
                {"id": c.id, "fields": c.fields, "before": c.before, "after": c.after}
                for c in self.changed
            ],
            "stats": self.stats,
        }
