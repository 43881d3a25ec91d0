"""Core objects to Arize v2 response bodies."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from evalsets.core.model import Datapoint, Dataset, Project, Version, WriteResult
from evalsets.http.arize import ids
from evalsets.http.arize.mapping import annotations_of, to_columns


def space(project: Project) -> dict[str, Any]:
    return {
        "id": ids.space_id(project.id),
        "name": project.name,
        "organization_id": ids.organization_id(),
        "description": None,
        "created_at": project.created_at,
        "is_private": False,
    }


def dataset(ds: Dataset, versions: list[Version] | None = None) -> dict[str, Any]:
    """A Dataset; its name is the dataset's path (unique in the project, like Arize's)."""
    body: dict[str, Any] = {
        "id": ids.dataset_id(ds.project_id, ds.id),
        "name": ds.path,
        "space_id": ids.space_id(ds.project_id),
        "created_at": ds.created_at,
        "updated_at": ds.updated_at,
    }
    if versions is not None:
        body["versions"] = [version(ds, v) for v in versions]
    return body


def version_name(v: Version) -> str:
    return v.name or f"v{v.number}"


def version(ds: Dataset, v: Version) -> dict[str, Any]:
    return {
        "id": ids.version_id(ds.project_id, v.id),
        "name": version_name(v),
        "dataset_id": ids.dataset_id(ds.project_id, ds.id),
        "created_at": v.created_at,
        "updated_at": v.updated_at,
    }


def written(ds: Dataset, result: WriteResult, example_ids: list[str]) -> dict[str, Any]:
    """A DatasetVersionWithExampleIds."""
    return {
        **dataset(ds),
        "dataset_version_id": ids.version_id(ds.project_id, result.version.id),
        "example_ids": [ids.example_id(i) for i in example_ids],
    }


def created_at_of(datapoint_id: str, fallback: datetime) -> datetime:
    """When a datapoint was made: the time inside its UUIDv7 id."""
    value = uuid.UUID(hex=datapoint_id[3:])
    if value.version != 7:
        return fallback
    return datetime.fromtimestamp((value.int >> 80) / 1000, UTC)


def example(dp: Datapoint, expected_column: str, fallback: datetime) -> dict[str, Any]:
    """A flat DatasetExample: system fields, then the user columns."""
    at = created_at_of(dp.id, fallback)
    body: dict[str, Any] = {
        "id": ids.example_id(dp.id),
        "created_at": at,
        "updated_at": at,
    }
    annotations = annotations_of(dp.content)
    if annotations:
        body["annotations"] = annotations
    for key, value in to_columns(dp.content, expected_column).items():
        body.setdefault(key, value)
    return body


def pagination(next_cursor: str | None) -> dict[str, Any]:
    if next_cursor is None:
        return {"has_more": False}
    return {"has_more": True, "next_cursor": next_cursor}
